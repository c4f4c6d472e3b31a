"""GH (paper 002): surplus vs consumer surplus on bounded families, exact with certified logs.

GH-T5 (declared here): V(q) ≤ (1 − ln q)·Ū(q) on every discrete distribution of a finite family,
for all q ∈ (0, 1] at once (`log_ratio_bound`: exact critical points, certified logs), plus a z3
search over every distribution with ≤ 3 atoms at fixed quantiles (smt/gh_surplus.py).

Parts for the claims of gh_exponential.py: `cs_optimal_surplus_part` (GH-COR9: the surplus S of the
consumer-surplus-optimal mechanism in place of Ū) and `step_family_part` (GH-L1's cross-check).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import sympy as sp

from mechproof import (Claim, Equal, Evaluation, IntKey, Method, Part, Query, RationalKey, Role, Schema,
                       compare_exact, enumeration_check, smt_check, steps_check)
from mechproof.mechanisms.distributions import DiscreteDistribution, lattice_family
from mechproof.mechanisms.quantile_curves import (PiecewiseLinear, consumer_surplus_envelope,
                                                  ironed_consumer_surplus, ironed_surplus_curve, surplus_curve,
                                                  upper_concave_hull)
from mechproof.mechanisms.surplus_instances import step_marginals, surplus_by_definition
from mechproof.smt.gh_surplus import log_ratio_counterexample_query
from mechproof.symbolic.log_ratio import log_ratio_bound, rational_below, step_marginal_bound, step_marginal_curves

from .gh_envelope import t5_route_part, t5_tightness_part

Curve = Callable[[DiscreteDistribution], PiecewiseLinear]


def _rat(x) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


def log_bound_at(V, W, q) -> Evaluation:
    """V ≤ (1 − ln q)·W at one exact q (certified sign)."""
    return compare_exact(_rat(V), "<=", (1 - sp.log(_rat(q))) * _rat(W), {"q": q, "V(q)": V, "W(q)": W})


def log_bound_everywhere(V: PiecewiseLinear, W: PiecewiseLinear, decide: Callable = log_ratio_bound) -> Evaluation:
    """V(q) ≤ (1 − ln q)·W(q) for every q ∈ (0, 1]; a violation is confirmed at its exact q — one the exact
    comparison does not confirm leaves the case undecided (the decision stopped there: the rest of (0, 1] is
    not covered; `decide` is planted wrong in tests)."""
    out = decide(V, W)
    if out.holds is False:
        if out.witness_q is None:
            return Evaluation.of(None, note="a violation without a rational witness")
        at = log_bound_at(V(out.witness_q), W(out.witness_q), out.witness_q)
        if at.holds is not False:
            return Evaluation.of(None, note=f"the decision reports a violation at q = {out.witness_q} that the exact "
                                            "comparison does not confirm")
        return at
    return Evaluation.of(out.holds, note=out.note)


def ironed_by_definition(d: DiscreteDistribution) -> PiecewiseLinear:
    """Ū from the plain U values: the hull of (Q_j, V(Q_j) − Q_j·v(Q_j)) and (1, V(1)), V summed over atoms."""
    Q = d.quantile_breaks()
    pts = [(Q[j], surplus_by_definition(d, Q[j]) - Q[j] * d.values[j]) for j in range(d.size)]
    return PiecewiseLinear(upper_concave_hull(pts + [(Q[-1], surplus_by_definition(d, Q[-1]))]))


def _surplus_by_definition_curve(d: DiscreteDistribution) -> PiecewiseLinear:
    return PiecewiseLinear(tuple((x, surplus_by_definition(d, x)) for x in d.quantile_breaks()))


def bounded_part(name: str, curve_of: Curve, what: str, plain_curve_of: Curve | None = None,
                 role: Role = Role.CONJUNCT, decide: Callable = log_ratio_bound) -> Part:
    """V(q) ≤ (1 − ln q)·W(q) for all q, W = curve_of(d), on every distribution of `lattice_family`.

    Replay: V from the atoms and W from `plain_curve_of` (default `curve_of`), decided again and
    confirmed at the exact q of the violation."""
    def points(dom):
        for d in lattice_family(dom["values"], dom["atoms"], dom["denominator"]):
            yield d.as_point()

    def holds(point):
        d = DiscreteDistribution.from_point(point)
        return log_bound_everywhere(surplus_curve(d), curve_of(d), decide)

    def replay(point):
        d = DiscreteDistribution.from_point(point)
        return log_bound_everywhere(_surplus_by_definition_curve(d), (plain_curve_of or curve_of)(d), decide)

    return Part(name, method=Method.ENUMERATION, role=role,
                domain=Schema(IntKey("values", 5, min=1, max=8, local=True, help="values in {0..values}"),
                              IntKey("atoms", 3, min=1, max=4, local=True, help="atoms per distribution"),
                              IntKey("denominator", 6, min=2, max=12, local=True,
                                     help="probabilities in (1/denominator)ℤ"),
                              text="values ⊂ {0..$values}, ≤ $atoms atoms, probabilities in (1/$denominator)ℤ; "
                                   "every q ∈ (0, 1]",
                              cases=lambda d: sum(1 for _ in points(d))),
                check=enumeration_check(points, holds, replay=replay,
                                        summary=f"V(q) ≤ (1 − ln q)·{what}(q) for every q on all {{cases}} "
                                                "distributions (equality only at q = 1)"))


# ------------------------------------------------------------------ z3 (≤ 3 atoms, scale-free values)
def _t5_queries(atoms: tuple[int, ...]):
    def queries(dom):
        for qq in dom["q"]:
            K = rational_below(1 - sp.log(_rat(qq)))          # K ≤ 1 − ln q: unsat proves V ≤ (1 − ln q)·Ū
            for m in atoms:
                yield Query(f"q = {qq}, {m} atom(s)", lambda qq=qq, m=m, K=K: log_ratio_counterexample_query(qq, m, K))
    return queries


def _t5_model_replay(point) -> Evaluation:
    d = DiscreteDistribution.from_point(point)
    qq = point["q"]
    return log_bound_at(surplus_by_definition(d, qq), ironed_by_definition(d)(qq), qq)


def z3_part(name: str, atoms: tuple[int, ...], second_route: bool, role: Role = Role.CROSS_CHECK) -> Part:
    """z3 over every distribution with the given numbers of atoms, at the quantiles of bound `q`.

    cvc5 re-checks the unsat answers of the 1–2 atom queries; on the 3-atom queries it times out
    (> 5 s each, nonlinear), so there the second route is the exact enumeration of the 3-atom
    lattice distributions (the part 'Ū: discrete distributions, all q')."""
    count = "1 or 2 atoms" if atoms == (1, 2) else f"exactly {', '.join(map(str, atoms))} atoms"
    note = "" if second_route else " (no cvc5 re-check: it times out; see the exact enumeration part)"
    return Part(name, method=Method.SMT, role=role,
                domain=Schema(RationalKey("q", ("1/10", "1/4", "1/2", "3/4"), lo=0, hi=1, lo_open=True, hi_open=True,
                                          many=True, local=True, help="quantiles q ∈ (0, 1) (at q = 1, V = Ū)"),
                              text=f"every distribution with {count} (values scale-free: 1 = a_1 > a_2 > … ≥ 0, "
                                   "any real probabilities) at q ∈ $q",
                              cases=lambda d: len(d["q"]) * len(atoms)),
                check=smt_check(_t5_queries(atoms), replay=_t5_model_replay, second_route=second_route,
                                summary="no distribution violates V(q) ≤ (1 − ln q)·Ū(q): unsat in all {cases} "
                                        "queries" + note))


def t5_buggy_ironing_curve(d: DiscreteDistribution) -> PiecewiseLinear:
    """Planted bug for tests: 'ironing' that returns U's own envelope points (not concave)."""
    return PiecewiseLinear(consumer_surplus_envelope(d))


GH_T5 = Claim(
    id="GH-T5", title="For every distribution and q ∈ [0, 1]: V(q)/Ū(q) ≤ 1 − ln q",
    statement="For every distribution and q ∈ [0,1]: V(q)/Ū(q) ≤ 1 − ln q.",
    source="GH (002) §3.1, Theorem 5",
    uses=("GH-L1", "GH-L2"),
    parts=(
        t5_route_part(),
        t5_tightness_part(),
        bounded_part("Ū: discrete distributions, all q", ironed_consumer_surplus, "Ū", ironed_by_definition,
                     role=Role.CROSS_CHECK),
        z3_part("z3 search, 1–2 atoms", (1, 2), second_route=True),
        z3_part("z3 search, 3 atoms", (3,), second_route=False),
    ),
)


# ------------------------------------------------------------------ parts for GH-COR9 and GH-L1
def cs_optimal_surplus_part() -> Part:
    """GH-COR9 on the lattice family: V ≤ (1 − ln q)·S, S the surplus of the consumer-surplus-optimal mechanism."""
    return bounded_part("S: discrete distributions, all q", ironed_surplus_curve, "S", role=Role.CROSS_CHECK)


def step_marginal_holds(point) -> Evaluation:
    ok, why, at = step_marginal_bound(point["breakpoints"], point["u_values"])
    if ok is False:
        return Evaluation.of(False, at, why)
    return Evaluation.of(ok, note=why)


def step_marginal_replay(point) -> Evaluation:
    """Plain replay: V and U from their definitions (sympy integration) at the simplest rationals
    q = i/12 and at the decision's own point; a certified violation at one of them reproduces."""
    br, vals = point["breakpoints"], point["u_values"]
    _, _, at = step_marginal_bound(br, vals)
    candidates = [sp.Rational(i, 12) for i in range(1, 13)] + ([sp.sympify(at["q"])] if at else [])
    for qq in candidates:
        V, Uq = step_marginal_curves(br, vals, qq)
        ev = compare_exact(V, "<=", (1 - sp.log(qq)) * Uq, {"q": qq, "V(q)": V, "U(q)": Uq})
        if ev.holds is False:
            return ev
    return Evaluation.of(True, note="no violation at q = i/12 or at the decision's point")


PIN_BREAKS = (Fraction(0), Fraction(1, 4), Fraction(1, 2), Fraction(1))
PIN_VALUES = (Fraction(2), Fraction(1), Fraction(0))


def step_marginal_pin_steps(decide: Callable = step_marginal_bound) -> list:
    """u = 2, 1, 0 on (0, ¼), (¼, ½), (½, 1), by hand: on (¼, ½) U = q + ¼ and v(q) = ln(1/(2q)), so
    D = V − (1 − ln q)·U = −q·ln 2 + ¼·ln q, concave with its maximum at q* = 1/(4 ln 2) ∈ (¼, ½),
    D(q*) = −(1 + ln(4 ln 2))/4 ≈ −0.505 — the largest gap below q = 1 (the pieces' ends give less).
    `decide` is the decision (planted wrong in tests)."""
    q_star = 1 / (4 * sp.log(2))
    d_star = -(1 + sp.log(4 * sp.log(2))) / 4
    _, _, largest = decide(PIN_BREAKS, PIN_VALUES, report_largest=True)
    V, Uq = step_marginal_curves(PIN_BREAKS, PIN_VALUES, q_star)
    return [
        Equal("V − (1 − ln q)·U at q* = 1/(4 ln 2) by the definitions (V, U by sympy integration) = "
              "−(1 + ln(4 ln 2))/4", V - (1 - sp.log(q_star)) * Uq, d_star),
        Equal("the decision's largest gap on (0, 1) is attained at the stationary point q* = 1/(4 ln 2)",
              sp.sympify(largest.get("q", sp.nan)), q_star),
        Equal("and its value is D(q*) = −(1 + ln(4 ln 2))/4", sp.sympify(largest.get("V − (1 − ln q)·U", sp.nan)),
              d_star),
    ]


def step_marginal_pin_part(decide: Callable = step_marginal_bound) -> Part:
    """GH-L1's step-marginal decision pinned on a hand-computed instance whose largest gap is interior."""
    return Part("step-marginal decision pinned by hand", method=Method.IDENTITY, role=Role.CROSS_CHECK,
                domain="u = 2, 1, 0 on (0, ¼), (¼, ½), (½, 1): the largest V − (1 − ln q)·U on (0, 1)",
                check=steps_check(lambda: step_marginal_pin_steps(decide),
                                  summary="the decision's largest gap −(1 + ln(4 ln 2))/4 at q = 1/(4 ln 2) matches "
                                          "the hand value and the definitions"))


def step_family_part(regular: bool = True, role: Role = Role.CROSS_CHECK) -> Part:
    """GH-L1 on consumer-surplus-regular distributions whose marginal u is a non-increasing step function
    (`regular=False` drops the monotonicity: a planted non-regular family, for tests)."""
    def points(dom):
        return step_marginals(dom["grid"], dom["u_max"], regular=regular)

    return Part("step-marginal CS-regular family", method=Method.ENUMERATION, role=role,
                domain=Schema(IntKey("grid", 4, min=2, max=8, local=True, help="breakpoints on the 1/grid lattice"),
                              IntKey("u_max", 3, min=1, max=6, local=True, help="u values in {0..u_max}"),
                              text="u a non-increasing step function: ≤ 2 inner breakpoints on the 1/$grid lattice, "
                                   "values in {0..$u_max}; every q ∈ (0, 1]",
                              cases=lambda d: sum(1 for _ in points(d))),
                check=enumeration_check(points, step_marginal_holds, replay=step_marginal_replay,
                                        summary="V(q) ≤ (1 − ln q)·U(q) for every q on all {cases} step-marginal "
                                                "CS-regular distributions (equality exactly for constant u)"))
