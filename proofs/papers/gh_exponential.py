"""GH (paper 002): the 1 − ln q bound and the exponential distribution — GH-L1, GH-COR9, GH-R3.

Lemma 1 (V(q)/U(q) ≤ 1 − ln q for consumer-surplus-regular distributions, equality for constant u)
is the paper's own argument as a checked derivation: Eq. (1), then bounding the non-increasing u
on [q, 1] by u(q) and q·u(q) by U(q).  Corollary 9 (the consumer-surplus-optimal auction is within
1 − ln q of optimal surplus, tight) and Remark 3 (IID exponential: optimal surplus H_n, optimal
consumer surplus 1) are decided step by step.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from mechproof import (Assume, Claim, Equal, Evaluation, IntKey, Limit, Method, Part, Role, Schema,
                       derivation_check, enumeration_check, identity_check, rational_points, steps_check)
from mechproof.mechanisms.distributions import SymbolicDistribution
from mechproof.mechanisms.quantile_curves import symbolic_curves, symbolic_ironed
from mechproof.symbolic.derivation import (Algebra, Derivation, EqualDerivatives, Evaluate, Hypothesis,
                                           MonotoneIntegrandBound, NonIncreasing, Reversed, Step, Substitute)

from .gh_envelope import cor9_route_part
from .gh_surplus_bounded import cs_optimal_surplus_part, step_family_part, step_marginal_pin_part

q = sp.Symbol("q", positive=True)
s = sp.Symbol("s", positive=True)
t = sp.Symbol("t", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
j = sp.Symbol("j", integer=True, nonnegative=True)
eta = sp.Symbol("eta", positive=True)
u = sp.Function("u")

_Q_POINTS = rational_points({q: (0, 1)}, limit=40)


def exponential() -> SymbolicDistribution:
    """Exponential(1): F(v) = 1 − e^{−v}, so v(q) = −ln q (quantile q = 1 − F(v))."""
    return SymbolicDistribution("exponential(1)", -sp.log(q), q)


# ---------------------------------------------------------------- the exponential's ratio (L1, COR9)
def _ratio_by_integration(ironed: bool):
    """Re-evaluate V(q0)/U(q0) (or /Ū) at a rational q0 straight from v, by integrating at q0."""
    def recheck(point):
        q0 = sp.sympify(point[q])
        d = exponential()
        x = sp.Dummy("x", positive=True)
        V = sp.integrate(d.inverse_demand.subs(d.q, x), (x, 0, q0))
        Uq = symbolic_ironed(d).at(q0) if ironed else sp.simplify(V - q0 * d.inverse_demand.subs(d.q, q0))
        return sp.simplify(V / Uq), None
    return recheck


def exponential_ratio_part(claimed=1 - sp.log(q), ironed: bool = False) -> Part:
    """V(q)/U(q) (or V/Ū) = `claimed` for the exponential distribution, for every q ∈ (0, 1)."""
    def ratio():
        d = exponential()
        c = symbolic_curves(d)
        return sp.simplify(c.V / (symbolic_ironed(d, c).pieces[0][2] if ironed else c.U))

    base = _ratio_by_integration(ironed)

    def recheck(point):
        return base(point)[0], sp.sympify(claimed).subs(q, point[q])

    what = "V/Ū" if ironed else "V/U"
    return Part(f"exponential: {what} = {sp.sstr(claimed)}", method=Method.IDENTITY, domain="every q ∈ (0, 1)",
                check=identity_check(ratio, claimed, points=_Q_POINTS, recheck=recheck))


def constant_marginal_part() -> Part:
    """Equality case: the exponential distribution has constant u (u ≡ 1)."""
    return Part("exponential has constant u ≡ 1", method=Method.IDENTITY, domain="every q ∈ (0, 1)",
                check=identity_check(lambda: symbolic_curves(exponential()).u, sp.Integer(1), points=_Q_POINTS))


# ---------------------------------------------------------------- GH-L1
BOUNDARY = Hypothesis("q·∫_q^1 u(s)/s ds → 0 as q → 0⁺ (dominated convergence, since ∫_0^1 u = U(1) < ∞)")
REGULAR = NonIncreasing.of(u, "consumer-surplus regular: u = U' is non-increasing (U concave)")
V_FROM_U = Hypothesis("v(1) = 0 and u(q) = −q·v'(q), hence v(t) = ∫_t^1 u(s)/s ds (GH §2.1)")


def lemma1_derivation() -> Derivation:
    """V(q) ≤ (1 − ln q)·U(q) for non-increasing u (the paper's proof of Lemma 1, each step checked)."""
    U = sp.Integral(u(s), (s, 0, q))
    tail = sp.Integral(u(s) / s, (s, q, 1))
    return Derivation(
        sp.Integral(sp.Integral(u(s) / s, (s, t, 1)), (t, 0, q)),
        (
            Step(U + q * tail, EqualDerivatives(q, BOUNDARY), "Eq. (1) (GH-EQ1)"),
            Step(U + q * u(q) * sp.Integral(1 / s, (s, q, 1)),
                 Substitute(tail, u(q) * sp.Integral(1 / s, (s, q, 1)), MonotoneIntegrandBound(u, "lower")),
                 "u(s) ≤ u(q) for s ≥ q"),
            Step(U - q * u(q) * sp.log(q), Evaluate(), "∫_q^1 ds/s = −ln q"),
            Step(U - U * sp.log(q), Substitute(q * u(q), U, Reversed(MonotoneIntegrandBound(u, "upper"))),
                 "q·u(q) ≤ ∫_0^q u = U(q), and −ln q ≥ 0"),
            Step(U * (1 - sp.log(q)), Algebra()),
        ),
        ranges=((q, 0, 1),),
        hypotheses=(V_FROM_U, REGULAR, BOUNDARY),
    )


def regular_inequality_part(claimed_factor=1 - sp.log(q)) -> Part:
    """The inequality for every CS-regular distribution: the route (the equality case is two conjuncts)."""
    U = sp.Integral(u(s), (s, 0, q))
    return Part("V ≤ (1 − ln q)·U for every CS-regular distribution", method=Method.DERIVATION, role=Role.ROUTE,
                domain="every CS-regular distribution (u non-increasing, v(1) = 0), every q ∈ (0, 1]",
                check=derivation_check(lemma1_derivation, claimed_relation="<=", claimed_end=U * claimed_factor))


GH_L1 = Claim(
    id="GH-L1", title="V(q)/U(q) ≤ 1 − ln q for CS-regular distributions; equality for constant u",
    statement="For consumer-surplus-regular distributions V(q)/U(q) ≤ 1 − ln q; equality for constant u "
              "(the exponential distribution).",
    source="GH (002), Lemma 1 (with Eq. (1))",
    uses=("GH-EQ1",),
    parts=(regular_inequality_part(), constant_marginal_part(), exponential_ratio_part(), step_family_part(),
           step_marginal_pin_part()),
)


# ---------------------------------------------------------------- GH-COR9
def cor9_tightness_steps():
    """U = q^(1+η) (u = (1+η)q^η increasing: U convex) has ratio (1 + η − q^η)/η → 1 − ln q as η → 0⁺."""
    v = (1 + eta) / eta * (1 - q ** eta)
    dist = SymbolicDistribution("U = q^(1+η)", v.subs(eta, sp.Rational(1, 2)), q)     # a concrete member
    V = sp.integrate(v.subs(q, t), (t, 0, q))
    Uq = sp.simplify(V - q * v)
    ratio = sp.simplify(V / (q * V.subs(q, 1)))
    return [
        Equal("v(q) = ((1+η)/η)(1 − q^η) gives U(q) = V(q) − q·v(q) = q^(1+η)", Uq, q ** (1 + eta)),
        Equal("V(1) = 1", sp.simplify(V.subs(q, 1)), 1),
        Equal("U convex, so Ū = q·V(1) (η = 1/2 certified by the ironing engine)",
              symbolic_ironed(dist).pieces[0][2], q * symbolic_curves(dist).V1),
        Assume("CS-optimal mechanism for convex U", "with Ū linear the consumer-surplus-optimal mechanism at ex-ante "
               "probability q serves uniformly at random: its surplus is q·V(1) (Myerson ironing)"),
        Equal("ratio V(q)/(q·V(1)) = (1 + η − q^η)/η", ratio, (1 + eta - q ** eta) / eta),
        Limit("(1 + η − q^η)/η → 1 − ln q as η → 0⁺: the bound is approached", (1 + eta - q ** eta) / eta, eta, 0,
              1 - sp.log(q)),
    ]


GH_COR9 = Claim(
    id="GH-COR9", title="Consumer-surplus-optimal auction is within 1 − ln q of optimal surplus; tight",
    statement="Surplus of the consumer-surplus-optimal auction at ex-ante probability q is within 1 − ln q of "
              "optimal surplus, and this is tight.",
    source="GH (002), Corollary 9",
    uses=("GH-T5",),
    parts=(
        cor9_route_part(),
        exponential_ratio_part(ironed=True),
        cs_optimal_surplus_part(),
        Part("tightness", method=Method.DERIVATION, domain="every q ∈ (0, 1)",
             check=steps_check(cor9_tightness_steps, summary="the bound 1 − ln q is approached by U = q^(1+η), "
                                                              "η → 0⁺ (and attained by the exponential)")),
    ),
)


# ---------------------------------------------------------------- GH-R3
def r3_steps():
    kk = sp.Symbol("kk", integer=True, positive=True)
    return [
        Equal("exponential: v(q) = −ln q, U(q) = V(q) − q·v(q) = q", symbolic_curves(exponential()).U, q),
        Equal("so u = U' ≡ 1", symbolic_curves(exponential()).u, 1),
        Assume("Theorem 2 (Myerson 1981)", "expected consumer surplus = E[Σᵢ uᵢ(qᵢ)·yᵢ(qᵢ)]; with u ≡ 1 it is "
               "Pr[sold] ≤ 1, attained by always selling: optimal consumer surplus 1"),
        Equal("parts: d/dt[(1 − (1−t)ⁿ)·(−ln t)] = n(1−t)^(n−1)·(−ln t) − (1 − (1−t)ⁿ)/t",
              sp.diff((1 - (1 - t) ** n) * (-sp.log(t)), t),
              n * (1 - t) ** n / (1 - t) * (-sp.log(t)) - (1 - (1 - t) ** n) / t),
        Limit("boundary term: (1 − (1−t)ⁿ)·ln t ~ n·t·ln t → 0 as t → 0⁺", t * sp.log(t), t, 0, 0),
        Equal("so E[max] = ∫₀¹ v(t)·n(1−t)^(n−1) dt = ∫₀¹ (1 − (1−t)ⁿ)/t dt, and (1 − (1−t)ⁿ)/t = Σ_{j<n} (1−t)^j",
              sp.summation((1 - t) ** j, (j, 0, n - 1)), (1 - (1 - t) ** n) / t),
        Equal("∫₀¹ (1−t)^j dt = 1/(j+1)", sp.integrate((1 - t) ** j, (t, 0, 1)), 1 / (j + 1)),
        Equal("Σ_{j<n} 1/(j+1) = Σ_{k=1}^{n} 1/k = H_n", sp.summation(1 / kk, (kk, 1, n)), sp.harmonic(n)),
    ]


@lru_cache(maxsize=None)
def _expected_max_exponential(m: int) -> sp.Expr:
    """E[max of m IID Exp(1)] = ∫₀¹ −ln t·m(1−t)^(m−1) dt, by sympy's integration."""
    return sp.simplify(sp.integrate(-sp.log(t) * m * (1 - t) ** (m - 1), (t, 0, 1)))


def _expected_max_is_harmonic(point) -> Evaluation:
    m = point["n"]
    value = _expected_max_exponential(m)
    return Evaluation.of(sp.simplify(value - sp.harmonic(m)) == 0, {"E[max]": value, "H_n": sp.harmonic(m)})


def _surplus_ratio(point):
    """E[max]/(H_n·1): the surplus over H_n × the optimal consumer surplus 1 (exactly 1 if Remark 3 holds)."""
    m = point["n"]
    return _expected_max_exponential(m) / sp.harmonic(m)


GH_R3 = Claim(
    id="GH-R3", title="IID exponential, one item: optimal surplus = H_n × optimal consumer surplus",
    statement="IID exponential values, single item: optimal surplus = H_n × optimal consumer surplus.",
    source="GH (002) Remark 3 (after Qiao–Valiant 2023)",
    parts=(
        Part("derivation for all n", method=Method.DERIVATION, role=Role.ROUTE, domain="every n ≥ 1",
             check=steps_check(r3_steps, summary="optimal surplus E[max] = H_n, optimal consumer surplus 1: "
                                                 "ratio H_n for every n")),
        Part("exact integrals", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
             domain=Schema(IntKey("n", 8, min=1, max=40, local=True, help="buyers"), text="n = 1..$n",
                           cases=lambda d: d["n"]),
             check=enumeration_check(lambda dom: ({"n": m} for m in range(1, dom["n"] + 1)), _expected_max_is_harmonic,
                                     value=_surplus_ratio, value_name="E[max]/(H_n·OPT^U)", target=1,
                                     summary="E[max of n Exp(1)] = ∫₀¹ −ln t·n(1−t)^(n−1) dt = H_n for all {cases} n "
                                             "(ratio {worst}: {tightness})")),
    ),
)
