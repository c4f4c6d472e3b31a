"""GH (paper 002) §2.1 and §3.1: the standing assumption, Eq. (1) and Eq. (2).

GH-ASSUME (∫₀¹ v = 0 is refuted as printed; the readings V(0) = U(0) = 0 and v(1) := 0 are checked),
GH-EQ1 (Eq. (1) for arbitrary differentiable v) and GH-L2 (Eq. (2) and Û ≥ U ⇒ V̂ ≥ V).  Each general
derivation is a list of typed steps (sympy decides each one); closed forms on five example
distributions and exact step-function checks are cross-checks.  Readings: docs/gh-surplus.md.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import sympy as sp

from mechproof import (Cite, Claim, Equal, Evaluation, Holds, IntKey, Method, Part, Role, Schema, Sign,
                       compare_exact, enumeration_check, steps_check)
from mechproof.mechanisms.distributions import DiscreteDistribution, SymbolicDistribution
from mechproof.mechanisms.quantile_curves import consumer_surplus, surplus_curve
from mechproof.mechanisms.surplus_instances import (eq2_points, eq2_rhs, eq2_rhs_by_integration, ironed_eq2_rhs,
                                                    price_zero_consumer_surplus, price_zero_points,
                                                    surplus_by_definition)
from mechproof.symbolic.derivation import Algebra, Derivation, EqualDerivatives, Hypothesis, Step

q = sp.Symbol("q", positive=True)
t = sp.Symbol("t", positive=True)
v = sp.Function("v")
U = sp.Function("U")
Uhat = sp.Function("Uhat")

V_OF_ZERO = "U(0) = 0: q·v(q) → 0 as q → 0⁺, and V(0) = 0 (GH-ASSUME reading)"
V_OF_ONE = "v(1) = 0 (GH §2.1; a change of v on the null quantile 1)"


# ---------------------------------------------------------------- GH-ASSUME
PAPER_DISTRIBUTIONS = {d.name: d for d in (SymbolicDistribution.exponential(1), SymbolicDistribution.uniform(0, 1))}
READING_DISTRIBUTIONS = {d.name: d for d in (*PAPER_DISTRIBUTIONS.values(), SymbolicDistribution.exponential(3),
                                             SymbolicDistribution.uniform(1, 2))}
ZERO_PRICE_VALUES = (Fraction(1, 2), Fraction(1), Fraction(2), Fraction(3))      # least value > 0
ZERO_PRICE_PROBABILITIES = (Fraction(1, 4), Fraction(1, 3), Fraction(1, 2))


def integral_of_v(point) -> Evaluation:
    """∫₀¹ v(t) dt = 0?  sympy's definite integral of the inverse demand curve."""
    d = READING_DISTRIBUTIONS[point["distribution"]]
    value = sp.integrate(d.inverse_demand, (d.q, 0, 1))
    return Evaluation.of(value == 0, {"∫₀¹ v(t) dt": value, "v(q)": d.inverse_demand})


def vanishing_at_zero(point) -> Evaluation:
    """V(0⁺) = 0 and q·v(q) → 0 (so U(0) = 0), by sympy limits of V = ∫₀^q v and q·v(q)."""
    d = READING_DISTRIBUTIONS[point["distribution"]]
    V = sp.integrate(d.inverse_demand.subs(d.q, t), (t, 0, d.q))
    V0, qv0 = sp.limit(V, d.q, 0, "+"), sp.limit(d.q * d.inverse_demand, d.q, 0, "+")
    return Evaluation.of(V0 == 0 and qv0 == 0, {"V(0⁺)": V0, "q·v(q) at 0⁺": qv0})


def zero_price_surplus(point) -> Evaluation:
    """With v(1) := 0, U(1) = V(1) − 1·v(1) is the consumer surplus of posting price 0."""
    d = DiscreteDistribution.from_point(point)
    return compare_exact(consumer_surplus(d, 1), "=", price_zero_consumer_surplus(d),
                         {"U(1)": consumer_surplus(d, 1), "consumer surplus of price 0": price_zero_consumer_surplus(d)})


def _zero_price_family(dom):
    return price_zero_points(ZERO_PRICE_VALUES, dom["atoms"], ZERO_PRICE_PROBABILITIES)


GH_ASSUME = Claim(
    id="GH-ASSUME", title="Standing assumption v(1) = 0 and ∫₀¹ v(t) dt = 0",
    statement="Throughout the paper, we assume v(1) = 0 and ∫₀¹ v(t) dt = 0.",
    source="GH (002) §2.1, paragraph after the definition of v",
    why_not_proved=('False as printed (an exact witness); its readings are conventions, checked exactly on '
                    "the paper's own distributions and on every discrete distribution of a grid: there is "
                    'no general statement behind them to prove.'),
    parts=(
        Part("as printed: ∫₀¹ v = 0", method=Method.EXACT, role=Role.AS_PRINTED,
             domain=Schema(text="the paper's own distributions: Exponential(1) (GH-R3, GH-L4) and Uniform[0, 1] "
                                "(§2.1)", cases=lambda d: len(PAPER_DISTRIBUTIONS)),
             check=enumeration_check(lambda dom: ({"distribution": name} for name in PAPER_DISTRIBUTIONS),
                                     integral_of_v, summary="∫₀¹ v = 0 on all {cases} distributions",
                                     violation="∫₀¹ v ≠ 0 at {point}: inconsistent with the paper's own examples "
                                               "(with v ≥ 0 and v(1) = 0 it forces v = 0 a.e.)")),
        Part("reading: V(0) = 0, U(0) = 0", method=Method.EXACT, role=Role.READING,
             reading="V(0) = ∫₀⁰ v = 0 and U(0) = 0 (the text after it: 'By our assumption on F, V(0) = 0')",
             domain=Schema(text="Exponential(1), Uniform[0, 1], Exponential(3), Uniform[1, 2]",
                           cases=lambda d: len(READING_DISTRIBUTIONS)),
             check=enumeration_check(lambda dom: ({"distribution": name} for name in READING_DISTRIBUTIONS),
                                     vanishing_at_zero, summary="V(0⁺) = 0 and q·v(q) → 0 on all {cases} distributions")),
        Part("reading: v(1) := 0", method=Method.ENUMERATION, role=Role.READING,
             reading="v(1) := 0, a change of v on the null quantile 1 (price 0 is always available); values are "
                     "not shifted",
             domain=Schema(IntKey("atoms", 3, min=1, max=4, local=True, help="atoms of each distribution"),
                           text="discrete distributions with ≤ $atoms atoms on {1/2, 1, 2, 3} (least value > 0), "
                                "probabilities from {1/4, 1/3, 1/2}",
                           cases=lambda d: sum(1 for _ in _zero_price_family(d))),
             check=enumeration_check(_zero_price_family, zero_price_surplus,
                                     summary="U(1) = V(1) = consumer surplus of price 0 on all {cases} distributions")),
    ),
)


# ---------------------------------------------------------------- closed forms on example distributions
EXAMPLE_INVERSE_DEMANDS = (
    ("Exponential(1)", -sp.log(q)),
    ("Uniform[0,1]", 1 - q),
    ("v = (1 − q)²", (1 - q) ** 2),
    ("v = 1 − √q", 1 - sp.sqrt(q)),
    ("v = −ln q + 2(1 − q)", -sp.log(q) + 2 * (1 - q)),
)
_Q_POINTS = ({q: sp.Rational(1, 2)}, {q: sp.Rational(1, 5)})


def V_of(vq):
    return sp.integrate(vq.subs(q, t), (t, 0, q))


def u_of(vq):
    return -q * sp.diff(vq, q)


def eq1_rhs(vq, power=1):
    """∫₀^q u + q∫_q^1 u(t)/t^power dt (power 1 is Eq. (1))."""
    u = u_of(vq)
    return sp.integrate(u.subs(q, t), (t, 0, q)) + q * sp.integrate(u.subs(q, t) / t ** power, (t, q, 1))


def eq2_rhs_closed(vq, power=2):
    """q·U(1) + q∫_q^1 U(t)/t^power dt (power 2 is Eq. (2))."""
    Uq = sp.simplify(V_of(vq) - q * vq)
    return q * sp.limit(Uq, q, 1) + q * sp.integrate(Uq.subs(q, t) / t ** power, (t, q, 1))


def closed_forms_part(label: str, lhs_of: Callable, rhs_of: Callable, role: Role = Role.CROSS_CHECK) -> Part:
    """lhs_of(v) = rhs_of(v) identically in q, for each example inverse demand curve (one Equal step each)."""
    def steps():
        return [Equal(f"{label} for {name}", sp.simplify(lhs_of(vq)), sp.simplify(rhs_of(vq)), _Q_POINTS)
                for name, vq in EXAMPLE_INVERSE_DEMANDS]
    return Part("closed forms", method=Method.IDENTITY, role=role,
                domain="all q ∈ (0, 1] for " + ", ".join(nm for nm, _ in EXAMPLE_INVERSE_DEMANDS),
                check=steps_check(steps, summary=f"{label} holds identically in q for each distribution"))


# ---------------------------------------------------------------- GH-EQ1
def eq1_steps():
    V = sp.Integral(v(t), (t, 0, q))
    Uq = V - q * v(q)
    u_t = -t * sp.Derivative(v(t), t)
    at_zero = Hypothesis("∫₀^q u and U(q) both tend to 0 as q → 0⁺ (U(0) = 0)")
    return [
        Equal("u(q) = U'(q) = −q·v'(q) (V' = v by the fundamental theorem)", sp.diff(Uq, q),
              -q * sp.Derivative(v(q), q)),
        Equal("∫_q^1 u(t)/t dt = ∫_q^1 −v'(t) dt = v(q) − v(1)", sp.integrate(sp.cancel(u_t / t), (t, q, 1)),
              v(q) - v(1)),
        Holds("∫₀^q u = U(q): equal derivatives, both vanish at q = 0⁺",
              Derivation(sp.Integral(u_t, (t, 0, q)), (Step(Uq, EqualDerivatives(q, at_zero)),),
                         ranges=((q, 0, 1),), hypotheses=(at_zero,)), "=", Uq),
        Cite(f"GH-ASSUME, read as: {V_OF_ZERO}", "GH-ASSUME"),
        Equal("U(q) + q·(v(q) − v(1)) = V(q) − q·v(1)", Uq + q * (v(q) - v(1)), V - q * v(1)),
        Cite(f"GH-ASSUME (§2.1), read as: {V_OF_ONE}", "GH-ASSUME"),
    ]


GH_EQ1 = Claim(
    id="GH-EQ1", title="Eq. (1): V(q) = ∫₀^q u + q∫_q^1 u(t)/t dt",
    statement="V(q) = ∫₀^q u(t)dt + q∫_q^1 u(t)/t dt (with v(1) = 0).",
    source="GH (002) §3.1, Eq. (1) in the proof of Lemma 1",
    uses=("GH-ASSUME:convention",),
    parts=(
        Part("general derivation", method=Method.DERIVATION, role=Role.ROUTE,
             domain="every differentiable non-increasing v with v(1) = 0 and q·v(q) → 0, every q ∈ (0, 1]",
             assumes=("v differentiable on (0, 1) (u = −q·v')",),
             check=steps_check(eq1_steps, summary="V(q) = ∫₀^q u + q∫_q^1 u(t)/t dt")),
        closed_forms_part("Eq. (1)", V_of, eq1_rhs),
    ),
)


# ---------------------------------------------------------------- GH-L2
def l2_steps():
    J = sp.Symbol("J")           # ∫_q^1 U(t)/t² dt
    Ut = U(t)
    gap = sp.Integral((Uhat(t) - U(t)) / t ** 2, (t, q, 1))
    split = sp.Integral(Uhat(t) / t ** 2, (t, q, 1)) - sp.Integral(U(t) / t ** 2, (t, q, 1))
    return [
        Cite("Eq. (1): V(q) = U(q) + q·∫_q^1 u(t)/t dt", "GH-EQ1"),
        Equal("parts: d/dt(U(t)/t) = u(t)/t − U(t)/t², so I = ∫_q^1 u/t = U(1) − U(q)/q + J",
              sp.diff(Ut / t, t), sp.Derivative(Ut, t) / t - Ut / t ** 2),
        Equal("U(q) + q·(U(1) − U(q)/q + J) = q·U(1) + q·J: Eq. (2)",
              U(q) + q * (U(1) - U(q) / q + J), q * U(1) + q * J),
        Holds("linearity: ∫_q^1 (Û − U)/t² = ∫_q^1 Û/t² − ∫_q^1 U/t², so V̂ − V = q(Û(1) − U(1)) + q∫_q^1 (Û − U)/t²",
              Derivation(gap, (Step(split, Algebra()),)), "=", split),
        Sign("the weights are non-negative: q·(1/t²) > 0 for t ∈ [q, 1], so Û ≥ U ⇒ V̂ − V ≥ 0", q / t ** 2, ">0"),
    ]


def eq2_holds(point) -> Evaluation:
    """Eq. (2) exactly (U a step function) and V̂ ≥ V for Û = Ū, at one (distribution, q)."""
    d, qq = DiscreteDistribution.from_point(point), point["q"]
    V, rhs = surplus_curve(d)(qq), eq2_rhs(d, qq)
    if V != rhs:
        return Evaluation.of(False, {"V(q)": V, "q·U(1) + q∫U/t²": rhs})
    return compare_exact(ironed_eq2_rhs(d, qq), ">=", V, {"V(q)": V, "V̂(q) with Û = Ū": ironed_eq2_rhs(d, qq)})


def eq2_by_definition(point) -> Evaluation:
    """Plain replay: V(q) = ∫₀^q v summed over atoms; the right sides by sympy integration."""
    d, qq = DiscreteDistribution.from_point(point), point["q"]
    V, rhs = surplus_by_definition(d, qq), eq2_rhs_by_integration(d, qq)
    if compare_exact(V, "=", rhs).holds is False:
        return Evaluation.of(False, {"V(q)": V, "q·U(1) + q∫U/t²": rhs})
    return compare_exact(ironed_eq2_rhs(d, qq), ">=", V, {"V(q)": V, "V̂(q) with Û = Ū": ironed_eq2_rhs(d, qq)})


L2_PROBABILITIES = (Fraction(1, 4), Fraction(1, 3), Fraction(1, 2))


def _l2_points(dom):
    return eq2_points(dom["values"], 3, L2_PROBABILITIES)


GH_L2 = Claim(
    id="GH-L2", title="Eq. (2): V(q) = q·U(1) + q∫_q^1 U(t)/t² dt, so Û ≥ U ⇒ V̂ ≥ V",
    statement="Eq. (2): V(q) = q·U(1) + q∫_q^1 U(t)/t² dt, hence Û ≥ U pointwise ⇒ V̂ ≥ V.",
    source="GH (002) §3.1, Lemma 2 and Eq. (2)",
    uses=("GH-EQ1",),
    parts=(
        Part("general derivation", method=Method.DERIVATION, role=Role.ROUTE,
             domain="every consumer-surplus curve U (and Û) with U(0) = Û(0) = 0, every q ∈ (0, 1]",
             assumes=("Û(0) = U(0) = 0 (Lemma 2's hypothesis; GH-ASSUME reading for U)",
                      "U differentiable on (0, 1] (u = U')"),
             check=steps_check(l2_steps, summary="Eq. (2) and Û ≥ U ⇒ V̂ ≥ V")),
        closed_forms_part("Eq. (2)", V_of, eq2_rhs_closed),
        Part("discrete distributions", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
             domain=Schema(IntKey("values", 4, min=1, max=8, local=True, help="values in {0..values}"),
                           text="discrete distributions with ≤ 3 atoms on {0..$values}, probabilities from "
                                "{1/4, 1/3, 1/2}; q at every quantile break and step midpoint",
                           cases=lambda d: sum(1 for _ in _l2_points(d))),
             check=enumeration_check(_l2_points, eq2_holds, replay=eq2_by_definition,
                                     summary="Eq. (2) exactly and V̂ ≥ V (Û = Ū) at all {cases} (distribution, q) "
                                             "points")),
    ),
)
