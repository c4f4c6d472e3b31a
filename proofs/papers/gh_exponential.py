"""GH-L1 and GH-COR9: the 1 − ln q bound on V/U, and its equality case, the exponential distribution.

Paper 002, Lemma 1 (V(q)/U(q) ≤ 1 − ln q for consumer-surplus-regular
distributions, equality for constant u) and Corollary 9 (ratio 1 − ln q for
the exponential distribution, with Ū = U).  The inequality is proved by the
paper's own argument, written as a checked derivation: Eq. (1), then bounding
the non-increasing u on [q, 1] by u(q) and q·u(q) by U(q).
"""
from __future__ import annotations

import sympy as sp

from ..checks import derivation_check, identity_check, rational_points
from ..claims import Claim, Part
from ..mechanisms.distributions import SymbolicDistribution
from ..mechanisms.quantile_curves import symbolic_curves, symbolic_ironed
from ..symbolic.derivation import (Algebra, Derivation, EqualDerivatives, Evaluate, Hypothesis, MonotoneIntegrandBound,
                                   NonIncreasing, Reversed, Step, Substitute)
from .gh_surplus_bounded import COR9_EXTRA_PARTS, L1_EXTRA_PARTS

q = sp.Symbol("q", positive=True)
s = sp.Symbol("s", positive=True)
t = sp.Symbol("t", positive=True)
u = sp.Function("u")

_Q_POINTS = rational_points({q: (0, 1)}, limit=40)


def exponential() -> SymbolicDistribution:
    """Exponential(1): F(v) = 1 − e^{−v}, so v(q) = −ln q (quantile q = 1 − F(v))."""
    return SymbolicDistribution("exponential(1)", -sp.log(q), q)


def _direct_ratio(dist_factory, ironed: bool):
    """Re-evaluate V(q0)/U(q0) (or /Ū) at a rational q0 straight from v, by integrating at q0."""
    def recheck(point):
        q0 = sp.sympify(point[q])
        d = dist_factory()
        x = sp.Dummy("x", positive=True)
        V = sp.integrate(d.inverse_demand.subs(d.q, x), (x, 0, q0))
        U = sp.simplify(V - q0 * d.inverse_demand.subs(d.q, q0))
        if ironed:
            U = symbolic_ironed(d).at(q0)
        return sp.simplify(V / U), None
    return recheck


def _ratio_recheck(claimed, dist_factory, ironed):
    base = _direct_ratio(dist_factory, ironed)

    def recheck(point):
        lhs, _ = base(point)
        return lhs, sp.sympify(claimed).subs(q, point[q])
    return recheck


def exponential_ratio_part(claimed=1 - sp.log(q), ironed: bool = False) -> Part:
    """V(q)/U(q) (or V/Ū) = `claimed` for the exponential distribution, for every q ∈ (0, 1)."""
    def ratio():
        d = exponential()
        c = symbolic_curves(d)
        denominator = symbolic_ironed(d, c).pieces[0][2] if ironed else c.U
        return sp.simplify(c.V / denominator)
    what = "V/Ū" if ironed else "V/U"
    return Part(f"exponential: {what} = {sp.sstr(claimed)}", method="sympy identity", domain="every q ∈ (0, 1)",
                check=identity_check(ratio, claimed, points=_Q_POINTS, domain="every q ∈ (0, 1)",
                                     recheck=_ratio_recheck(claimed, exponential, ironed)))


def constant_marginal_part() -> Part:
    """Equality case: the exponential distribution has constant u (u ≡ 1)."""
    def u_of_exponential():
        return symbolic_curves(exponential()).u
    return Part("exponential has constant u ≡ 1", method="sympy identity", domain="every q ∈ (0, 1)",
                check=identity_check(u_of_exponential, sp.Integer(1), points=_Q_POINTS, domain="every q ∈ (0, 1)"))


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
    U = sp.Integral(u(s), (s, 0, q))
    return Part("V ≤ (1 − ln q)·U for every CS-regular distribution",
                method="checked derivation (sympy + named rules)",
                domain="every CS-regular distribution (u non-increasing, v(1) = 0), every q ∈ (0, 1]",
                check=derivation_check(lemma1_derivation, claimed_relation="<=", claimed_end=U * claimed_factor,
                                       domain="every CS-regular distribution, every q ∈ (0, 1]"))


GH_L1 = Claim(
    id="GH-L1", title="V(q)/U(q) ≤ 1 − ln q for CS-regular distributions; equality for constant u",
    statement="For consumer-surplus-regular distributions V(q)/U(q) ≤ 1 − ln q; equality for constant u "
              "(the exponential distribution).",
    source="GH (002), Lemma 1 (with Eq. (1))",
    parts=(regular_inequality_part(), constant_marginal_part(), exponential_ratio_part(), *L1_EXTRA_PARTS),
)

GH_COR9 = Claim(
    id="GH-COR9", title="Consumer-surplus-optimal auction is within 1 − ln q of optimal surplus; tight",
    statement="Surplus of the consumer-surplus-optimal auction at ex-ante probability q is within 1 − ln q of "
              "optimal surplus, and this is tight.",
    source="GH (002), Corollary 9",
    parts=(exponential_ratio_part(ironed=True), *COR9_EXTRA_PARTS),
)
