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

from mechproof import Claim, Evaluation, IntKey, Method, Part, RationalKey, Role, Schema, enumeration_check, not_checked
from mechproof.mechanisms.buffering import (EPS, INVERSE_DEMANDS, as_printed_cases, as_printed_points,
                                            buffered_surplus, buffering_factor, buffering_gap, optimal_surplus,
                                            reading_points, size_pairs, theorem6_as_printed)
from mechproof.symbolic.real_roots import sign_on_interval

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
    witness = out.witness.get(-1) if isinstance(out.witness, dict) else (out.witness if out.sign == -1 else None)
    return None if witness is None else Fraction(int(sp.numer(witness)), int(sp.denom(witness)))


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


GH_T6 = Claim(
    id="GH-T6", title="ε-buffering of the surplus-optimal rule loses at most (1−2ε)(1−2nε)",
    statement="ε-buffering (top inflate / linear middle / bottom deflate) of the surplus-optimal rule loses at most "
              "a factor (1 − ε/(1−ε))(1−ε)(1−2nε).",
    source="GH (002), Theorem 6 (Hartline–Taggart 2019), Definition 4",
    parts=(
        as_printed_part(),
        reading_part(),
        allocation_total_part(),
        Part("general environments, every ε < 1/(2n)", method=Method.NONE, role=Role.READING, reading=READING,
             domain="every feasibility constraint, non-identical distributions, 0 < ε < 1/(2n)",
             check=not_checked("Hartline–Taggart's theorem for a general surplus-optimal mechanism: its interim "
                               "rule under buffering has no closed form here; only IID k-select is encoded")),
    ),
)
