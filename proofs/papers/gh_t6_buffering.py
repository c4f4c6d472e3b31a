"""GH (paper 002), ε-buffering: GH-T6 (Theorem 6, Hartline–Taggart 2019; Definition 4).

Theorem 6 prints OPT^V ≤ surplus(M) / ((1 − ε/(1−ε))(1 − ε)(1 − 2nε)) with no range for ε, and
Definition 4 admits any quantile ε (the rule is defined for ε < 1/2).  For 1/(2n) < ε < 1/2 the
factor is negative, so the printed bound is a negative number below OPT^V > 0: false as printed
(the same unstated range ε < 1/(2n) that GH-T7 refutes).  At ε = 1/(2n) the bound divides by zero
and is not a point of the claim.  The reading: 0 < ε < 1/(2n), where the factor is positive.
Model: mechanisms/buffering.py.  Readings: docs/gh-combinatorial.md.
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from mechproof import ChoiceKey, Claim, Evaluation, IntKey, Method, Part, RationalKey, Role, Schema, enumeration_check
from mechproof.mechanisms.buffering import (EPS, INVERSE_DEMANDS, as_printed_cases, as_printed_points,
                                            buffered_surplus, buffering_factor, buffering_gap, optimal_surplus,
                                            reading_points, size_pairs, theorem6_as_printed)
from mechproof.mechanisms.buffering_general import (VALUE_SETS, buffered_surplus_at, gap_pieces, general_cases,
                                                    general_points, instance_of, polynomial_at, ties)
from mechproof.mechanisms.buffering_general import optimal_surplus as general_optimal_surplus
from mechproof.symbolic.real_roots import coefficients_nonnegative_on, sign_on_interval

READING = "0 < ε < 1/(2n), the range where Theorem 6's factor (1 − 2nε) is positive"
TIES = "IID agents; ties at buffered quantile 0 (and 1) split uniformly at random"


def _sizes(*, n=(1, 2, 3, 4), k=(1, 2)):
    return (IntKey("n", n, min=1, max=6, many=True, local=True, help="agents"),
            IntKey("k", k, min=1, max=6, many=True, local=True, help="goods (pairs with k ≤ n are checked)"))


def _pairs_text(d) -> str:
    return "(n, k) ∈ {" + ", ".join(f"({n}, {k})" for n, k in size_pairs(d["n"], d["k"])) + "}"


def _negative_epsilon(point, factor) -> Fraction | None | bool:
    """A rational ε ∈ (0, 1/(2n)) where surplus(M) − factor·OPT^V < 0; False when there is none; None if undecided."""
    gap = buffering_gap(point["n"], point["k"], INVERSE_DEMANDS[point["v"]], factor)
    out = sign_on_interval(gap, EPS, 0, sp.Rational(1, 2 * point["n"]))
    if out.sign in (0, 1):
        return False
    return out.negative_point()


def _loses_at_most(point, factor, eps: Fraction) -> Evaluation:
    """surplus(M) ≥ factor(n, ε)·OPT^V at one rational ε, both sides integrated at that ε."""
    n, k, v = point["n"], point["k"], INVERSE_DEMANDS[point["v"]]
    e = sp.Rational(eps.numerator, eps.denominator)
    surplus_m, opt, f = buffered_surplus(n, k, v, e), optimal_surplus(n, k, v), sp.sympify(factor(n, e))
    return Evaluation.of(bool(surplus_m >= f * opt), {"epsilon": eps, "surplus_M": surplus_m, "factor": f,
                                                      "OPT_V": opt})


def _reading_holds(factor):
    def holds(point):
        eps = _negative_epsilon(point, factor)
        if eps is False:
            return Evaluation.of(True)
        if eps is None:
            return Evaluation.of(None, note="the sign of surplus(M) − factor·OPT^V on (0, 1/(2n)) is undecided")
        return _loses_at_most(point, factor, eps)
    return holds


def as_printed_part(factor=buffering_factor) -> Part:
    return Part(
        "OPT^V ≤ surplus(M)/factor wherever Definition 4 is defined", method=Method.ENUMERATION,
        role=Role.AS_PRINTED,
        domain=Schema(*_sizes(), RationalKey("epsilon", ("1/10", "1/5", "1/4", "1/3", "2/5"), lo=0, hi="1/2",
                                             lo_open=True, hi_open=True, many=True, local=True,
                                             help="quantiles ε ∈ (0, 1/2), where Definition 4's rule is defined"),
                      text=lambda d: f"IID k-select, {_pairs_text(d)}, five polynomial inverse demands, ε ∈ "
                                     f"{{{', '.join(str(e) for e in d['epsilon'])}}} except ε = 1/(2n) (the bound "
                                     "divides by zero)",
                      cases=as_printed_cases),
        check=enumeration_check(
            as_printed_points, lambda p: Evaluation.of(*theorem6_as_printed(p, factor)),
            summary="OPT^V ≤ surplus(M)/factor at all {cases} points",
            violation="Theorem 6 as printed fails at {point}: for 1/(2n) < ε < 1/2 the factor is negative and the "
                      "bound is below 0 < OPT^V"),
        technique="exact integration at each rational ε", assumes=(TIES,))


def reading_part(factor=buffering_factor) -> Part:
    holds = _reading_holds(factor)
    return Part(
        "IID k-select, polynomial inverse demands, every ε < 1/(2n)", method=Method.ENUMERATION, role=Role.READING,
        reading=READING,
        domain=Schema(*_sizes(), text=lambda d: f"IID k-select, {_pairs_text(d)}, v ∈ {{{', '.join(INVERSE_DEMANDS)}}}, "
                                                "every real ε ∈ (0, 1/(2n))",
                      cases=lambda d: len(size_pairs(d["n"], d["k"])) * len(INVERSE_DEMANDS)),
        check=enumeration_check(
            reading_points, holds,
            summary="surplus(M) ≥ (1 − ε/(1−ε))(1 − ε)(1 − 2nε)·OPT^V for every real ε ∈ (0, 1/(2n)) in all "
                    "{cases} cases",
            violation="the buffered rule loses more than the factor at {point}"),
        technique="exact integration symbolic in ε + exact real-root counting of the gap",
        assumes=(TIES,))


def _allocates_every_unit(surplus_of, optimal_of):
    def holds(point):
        n, k = point["n"], point["k"]
        units_m = sp.expand(sp.cancel(surplus_of(n, k, sp.Integer(1), EPS)))
        units_opt = sp.expand(optimal_of(n, k, sp.Integer(1)))
        return Evaluation.of(sp.expand(units_m - k) == 0 and sp.expand(units_opt - k) == 0,
                             {"n·∫y_M": units_m, "n·∫y_OPT": units_opt, "k": k})
    return holds


def allocation_total_part(surplus_of=buffered_surplus, optimal_of=optimal_surplus) -> Part:
    """v ≡ 1: n·∫₀¹ y(q) dq is the expected number of units sold, k for both rules (ties split uniformly, k ≤ n)
    — pins the interim allocation pieces the other parts integrate (`surplus_of`: planted wrong in tests)."""
    return Part(
        "every unit allocated: n·∫₀¹ y = k", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        domain=Schema(*_sizes(), text=lambda d: f"IID k-select, {_pairs_text(d)}, v ≡ 1, every real ε ∈ (0, 1/2)",
                      cases=lambda d: len(size_pairs(d["n"], d["k"]))),
        check=enumeration_check(
            lambda d: ({"n": n, "k": k} for n, k in size_pairs(d["n"], d["k"])),
            _allocates_every_unit(surplus_of, optimal_of),
            summary="the buffered and the surplus-optimal rule both sell exactly k units (identically in ε) in all "
                    "{cases} cases",
            violation="an interim allocation rule does not sell k units at {point}"),
        technique="exact integration symbolic in ε", assumes=(TIES,))


GENERAL_POSITION = ("values in general position: no two feasible sets have equal total value at any profile "
                    "(checked per instance), so the surplus-optimal set is unique and no tie rule enters")


def _general_holds(factor):
    """surplus(M) ≥ factor·OPT^V for every real ε ∈ (0, 1/(2n)): the gap's sign on each piece, exactly; a
    negative piece gives a rational ε, where both sides are evaluated by the plain definition."""
    def holds(point):
        inst = instance_of(point)
        tie = ties(inst)
        if tie is not None:
            return Evaluation.of(None, note=f"two feasible sets tie at values {tie}: outside the general-position model")
        n = point["n"]
        for lo, hi, coeffs in gap_pieces(inst, factor):
            out = coefficients_nonnegative_on(coeffs, lo, hi)
            if out.sign is None:
                return Evaluation.of(None, note=f"the gap's sign on ({lo}, {hi}) is undecided: {out.how}")
            if out.sign == -1:
                eps = out.witness
                surplus_m, opt = buffered_surplus_at(inst, eps), general_optimal_surplus(inst)
                f = polynomial_at(factor(n), eps) if factor else buffering_factor(n, eps)
                return Evaluation.of(bool(surplus_m >= f * opt), {"epsilon": eps, "surplus_M": surplus_m,
                                                                  "factor": f, "OPT_V": opt})
        return Evaluation.of(True)
    return holds


def _general_text(d) -> str:
    return (f"n ∈ {{{', '.join(map(str, d['agents']))}}} agents, every downward-closed family (up to relabelling), "
            f"independent discrete values: {'/'.join(map(str, d['atoms']))} atoms per agent (n·atoms ≤ "
            f"{d['max_values']}) drawn without repeats "
            f"from a set in general position ({', '.join(d['value_sets'])}; every split among the agents), top atom "
            f"with probability in {{{', '.join(map(str, d['p_top']))}}}; every real ε ∈ (0, 1/(2n))")


def general_part(factor=None) -> Part:
    """GH-T6 beyond IID k-select (mechanisms/buffering_general.py).  `factor(n)`: the coefficient list
    of a planted factor in ε (default Theorem 6's (1 − 2ε)(1 − 2nε))."""
    return Part(
        "general environments: non-identical discrete values, every downward-closed family",
        method=Method.ENUMERATION, role=Role.READING, reading=READING,
        domain=Schema(IntKey("agents", (1, 2, 3), min=1, max=3, many=True, local=True,
                             help="agents n of the general environments (every downward-closed family on them)"),
                      IntKey("atoms", (2, 3), min=1, max=3, many=True, local=True,
                             help="atoms of each agent's value distribution"),
                      IntKey("max_values", 6, min=1, max=9, local=True,
                             help="only (n, atoms) with n·atoms ≤ this (n = 3 with 3 atoms: 9, ~3 minutes)"),
                      RationalKey("p_top", ("1/4", "3/4"), lo=0, hi=1, lo_open=True, hi_open=True, many=True,
                                  local=True, help="probability of an agent's top atom (the others share the rest)"),
                      ChoiceKey("value_sets", tuple(VALUE_SETS), tuple(VALUE_SETS), many=True, local=True,
                                help="value sets in general position: conway-guy (close values), powers (wide ratios)"),
                      text=_general_text, cases=general_cases),
        check=enumeration_check(
            general_points, _general_holds(factor),
            summary="surplus(M) ≥ (1 − 2ε)(1 − 2nε)·OPT^V for every real ε ∈ (0, 1/(2n)) in all {cases} "
                    "environments",
            violation="the buffered rule loses more than the factor at {point}"),
        technique="exact surplus as a piecewise polynomial in ε, its sign by Bernstein coefficients or Sturm counting",
        assumes=("independent agents", GENERAL_POSITION))


# Hand-computed (docs/gh-combinatorial.md): surplus(M) as [constant, coefficient of ε], and OPT^V.
# A: one item; agent 1 is 2 surely, agent 2 is 3 w.p. 1/4 else 1 — M believes agent 2 high iff q ≤ 1/4 + ε/2.
# B: one item; agent 1 is 4 w.p. 1/4 else 1, agent 2 is 3 w.p. 3/4 else 2.  C: B's agents, both always served.
PINNED_GENERAL = (
    ("A", {"n": 2, "family": ((1,), (2,)), "values": ((Fraction(2),), (Fraction(3), Fraction(1))),
           "probs": ((Fraction(1),), (Fraction(1, 4), Fraction(3, 4)))}, (Fraction(9, 4), Fraction(-1, 2)), Fraction(9, 4)),
    ("B", {"n": 2, "family": ((1,), (2,)), "values": ((Fraction(4), Fraction(1)), (Fraction(3), Fraction(2))),
           "probs": ((Fraction(1, 4), Fraction(3, 4)), (Fraction(3, 4), Fraction(1, 4)))},
     (Fraction(49, 16), Fraction(-7, 8)), Fraction(49, 16)),
    ("C", {"n": 2, "family": ((1,), (2,), (1, 2)), "values": ((Fraction(4), Fraction(1)), (Fraction(3), Fraction(2))),
           "probs": ((Fraction(1, 4), Fraction(3, 4)), (Fraction(3, 4), Fraction(1, 4)))},
     (Fraction(9, 2),), Fraction(9, 2)),
)


def _pinned_general_holds(point):
    _, p, surplus, opt = next(row for row in PINNED_GENERAL if row[0] == point["instance"])
    inst = instance_of(p)
    poly = [c for _, _, c in gap_pieces(inst, factor=lambda n: [0])]
    eps = (Fraction(1, 10), Fraction(1, 7))
    plain = [buffered_surplus_at(inst, e) for e in eps]
    want = [polynomial_at(surplus, e) for e in eps]
    got_opt = general_optimal_surplus(inst)
    ok = all(c == list(surplus) for c in poly) and plain == want and got_opt == opt
    return Evaluation.of(ok, {"pieces": tuple(tuple(c) for c in poly), "surplus_M at 1/10, 1/7": tuple(plain),
                              "expected": tuple(want), "OPT_V": got_opt})


def general_pinned_part() -> Part:
    return Part(
        "general environments pinned on hand-computed instances", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        domain=Schema(text="3 instances computed by hand (docs/gh-combinatorial.md): one item with a sure agent, one "
                           "item with two two-atom agents, the same agents both always served",
                      cases=lambda d: len(PINNED_GENERAL)),
        check=enumeration_check(lambda d: ({"instance": row[0]} for row in PINNED_GENERAL), _pinned_general_holds,
                                summary="surplus(M) (its pieces and the plain sum) and OPT^V equal the hand values in all "
                                        "{cases} instances",
                                violation="the general model disagrees with the hand value at {point}"),
        technique="exact values against closed forms")


CROSSING = {"agents": (2,), "atoms": (3,), "max_values": 6, "p_top": (Fraction(3, 4),),
            "value_sets": tuple(VALUE_SETS)}


def _pieces_agree(point):
    """Every piece's polynomial equals the plain sum at two rational ε inside it."""
    inst = instance_of(point)
    opt = general_optimal_surplus(inst)
    for lo, hi, coeffs in gap_pieces(inst):
        for eps in (lo + (hi - lo) / 3, lo + (hi - lo) * 4 / 5):
            fast = polynomial_at(coeffs, eps)
            plain = buffered_surplus_at(inst, eps) - buffering_factor(point["n"], eps) * opt
            if fast != plain:
                return Evaluation.of(False, {"epsilon": eps, "piece": (lo, hi), "pieces": fast, "plain": plain})
    return Evaluation.of(True)


def general_agreement_part() -> Part:
    """The pieces the general part decides, against the plain definition where ends cross cuts."""
    return Part(
        "general environments: pieces = plain sum", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        domain=Schema(text="n = 2, every downward-closed family, three atoms (top 3/4, then 1/8, 1/8: the believed "
                           "intervals' ends cross the true cuts inside (0, 1/4)), both value sets; two rational ε in "
                           "every piece", cases=lambda d: general_cases(CROSSING)),
        check=enumeration_check(lambda d: general_points(CROSSING), _pieces_agree,
                                summary="the piecewise polynomials equal the plain sum at two points of every piece in "
                                        "all {cases} environments",
                                violation="the pieces disagree with the plain definition at {point}"),
        technique="exact evaluation of both routes")


GH_T6 = Claim(
    id="GH-T6", title="ε-buffering of the surplus-optimal rule loses at most (1−2ε)(1−2nε)",
    statement="ε-buffering (top inflate / linear middle / bottom deflate) of the surplus-optimal rule loses at most "
              "a factor (1 − ε/(1−ε))(1−ε)(1−2nε).",
    source="GH (002), Theorem 6 (Hartline–Taggart 2019), Definition 4",
    why_not_proved=('False as printed for 1/(2n) < ε < 1/2; its readings are decided exactly for every real '
                    'ε ∈ (0, 1/(2n)), but on bounded models (IID k-select with polynomial inverse demands; '
                    "4,744 general environments with n ≤ 3), not for every distribution; the paper's "
                    'general argument is not encoded.'),
    parts=(
        as_printed_part(),
        reading_part(),
        allocation_total_part(),
        general_part(),
        general_pinned_part(),
        general_agreement_part(),
    ),
)
