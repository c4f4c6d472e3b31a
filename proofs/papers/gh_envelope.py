"""GH-T5 and GH-COR9 for every distribution: Lemma 2 and Lemma 1 applied on the upper concave envelope Ū.

T5: Ū is a concave majorant of U with Ū(0) = 0 (V itself is a concave majorant, so Ū ≤ V) and Ū
non-decreasing (U ≤ U(1)); it is the consumer-surplus curve of the CS-regular distribution
v̄(q) = ∫_q^1 ū(s)/s ds, whose surplus curve V̄ is Eq. (2) applied to Ū.  Lemma 2 (Ū ≥ U) gives
V ≤ V̄ and Lemma 1 (on v̄) gives V̄ ≤ (1 − ln q)·Ū.  COR9: the consumer-surplus-optimal mechanism
(ironing, Myerson) has consumer surplus Ū(q) and surplus S(q) ≥ Ū(q) (payments are ≥ 0).
"""
from __future__ import annotations

import sympy as sp

from mechproof import Cite, Equal, Limit, Method, Part, Role, Sign, steps_check
from mechproof.mechanisms.distributions import SymbolicDistribution
from mechproof.mechanisms.quantile_curves import symbolic_curves, symbolic_ironed

__all__ = ["T5_FACTOR", "T5_Q", "t5_route_part", "t5_tightness_part", "cor9_route_part", "t5_route_steps", "cor9_route_steps"]

q = sp.Symbol("q", positive=True)
t, s = sp.symbols("t s", positive=True)
lam = sp.Symbol("lambda", nonnegative=True)
x1, x2, v1, v2, V1, V2 = sp.symbols("x_1 x_2 v_1 v_2 V_1 V_2", nonnegative=True)
v = sp.Function("v")
ubar = sp.Function("ubar")
Ubar = sp.Function("Ubar")

T5_Q = q
T5_FACTOR = 1 - sp.log(q)          # Theorem 5's (and Lemma 1's) factor, as a function of q

ENVELOPE_ASSUMES = ("V(0) = U(0) = 0 and v(1) := 0 (GH-ASSUME's readings)",
                    "Ū concave, hence absolutely continuous on [0, 1] with ū = Ū' a.e. (Lemmas 1 and 2 apply to it)")


def t5_route_steps(factor=1 - sp.log(q)) -> list:
    """`factor` is the claimed bound (planted wrong in tests)."""
    return [
        Equal("V is concave: V''(q) = v'(q) ≤ 0 (v non-increasing), and V ≥ V − q·v = U (q·v ≥ 0): V is a concave "
              "majorant of U, so U ≤ Ū ≤ V and Ū(0) = V(0) = 0 — Lemma 2's hypothesis Û(0) = 0 holds for Û = Ū",
              sp.diff(sp.Integral(v(t), (t, 0, q)), q, 2), sp.Derivative(v(q), q)),
        Equal("U' = (V − q·v)' = −q·v' ≥ 0 (v non-increasing): U ≤ U(1), so min(Ū, U(1)) is a concave majorant "
              "too and Ū ≤ U(1) ≤ Ū(1): a concave Ū with its maximum at 1 is non-decreasing, ū = Ū' ≥ 0",
              sp.diff(sp.Integral(v(t), (t, 0, q)) - q * v(q), q), -q * sp.Derivative(v(q), q)),
        Equal("Leibniz: v̄(q) = ∫_q^1 ū(s)/s ds has −q·v̄'(q) = ū(q) and v̄(1) = 0, and v̄ ≥ 0 is non-increasing "
              "(ū ≥ 0): a distribution whose marginal consumer surplus is ū and whose consumer-surplus curve is "
              "∫₀^q ū = Ū(q) (Ū(0) = 0); it is CS-regular, ū being non-increasing (Ū concave)",
              -q * sp.diff(sp.Integral(ubar(s) / s, (s, q, 1)), q), ubar(q)),
        Cite("Lemma 2 with Û = Ū ≥ U: V(q) ≤ V̄(q) := q·Ū(1) + q∫_q^1 Ū(t)/t² dt, the surplus curve of v̄ (Eq. (2))",
             "GH-L2"),
        Cite("Lemma 1 on the CS-regular v̄: V̄(q) ≤ (1 − ln q)·Ū(q)", "GH-L1"),
        Sign("the claimed factor is Lemma 1's: (claimed) − (1 − ln q) ≥ 0 on (0, 1], so V ≤ V̄ ≤ (claimed)·Ū",
             factor - (1 - sp.log(q)), ">=0", ((q, 0, 1),),
             points=[{q: sp.Rational(1, 2)}, {q: sp.Rational(1, 10)}]),
    ]


def t5_route_part(factor=1 - sp.log(q)) -> Part:
    return Part("every distribution (Lemmas 2 and 1 on Ū)", method=Method.DERIVATION, role=Role.ROUTE,
                domain="every distribution (v non-increasing, v ≥ 0), every q ∈ (0, 1]",
                assumes=ENVELOPE_ASSUMES,
                check=steps_check(lambda: t5_route_steps(factor), summary="V(q) ≤ (1 − ln q)·Ū(q)"),
                technique="V ≤ V̄ by Lemma 2 (Ū ≥ U), V̄ ≤ (1 − ln q)·Ū by Lemma 1 on the CS-regular distribution of Ū")


def cor9_route_steps(factor=1 - sp.log(q)) -> list:
    U1, U2 = V1 - x1 * v1, V2 - x2 * v2
    gap = lam * V1 + (1 - lam) * V2 - (lam * U1 + (1 - lam) * U2)
    return [
        Cite("Theorem 5: V(q) ≤ (1 − ln q)·Ū(q) for every distribution and q ∈ (0, 1]", "GH-T5"),
        Equal("on an ironed interval (x₁, x₂) ∋ q = λx₁ + (1−λ)x₂ the CS-optimal mechanism mixes the two endpoint "
              "allocations: surplus S = λV(x₁) + (1−λ)V(x₂), consumer surplus Ū(q) = λU(x₁) + (1−λ)U(x₂) (U = Ū at "
              "hull vertices); S − Ū = λx₁v(x₁) + (1−λ)x₂v(x₂), the expected payment", gap,
              lam * x1 * v1 + (1 - lam) * x2 * v2),
        Sign("payments are ≥ 0 (λ ∈ [0, 1], quantiles and prices ≥ 0): S(q) ≥ Ū(q); outside ironed intervals "
             "S = V ≥ Ū directly", lam * x1 * v1 + (1 - lam) * x2 * v2, ">=0", ((lam, 0, 1),)),
        Sign("1 − ln q ≥ 0 on (0, 1], so (1 − ln q)·Ū ≤ (1 − ln q)·S", 1 - sp.log(q), ">=0", ((q, 0, 1),)),
        Sign("the claimed factor: (claimed) − (1 − ln q) ≥ 0 on (0, 1], so V ≤ (1 − ln q)·Ū ≤ (claimed)·S",
             factor - (1 - sp.log(q)), ">=0", ((q, 0, 1),),
             points=[{q: sp.Rational(1, 2)}, {q: sp.Rational(1, 10)}]),
    ]


def cor9_route_part(factor=1 - sp.log(q)) -> Part:
    return Part("every distribution (Theorem 5, S ≥ Ū)", method=Method.DERIVATION, role=Role.ROUTE,
                domain="every distribution, every q ∈ (0, 1]; S = surplus of the CS-optimal mechanism (least-surplus "
                       "mix on ironed intervals)",
                assumes=("the CS-optimal mechanism at ex-ante probability q irons U (Myerson): its consumer surplus "
                         "is Ū(q), mixing the endpoint allocations of the ironed interval containing q",),
                check=steps_check(lambda: cor9_route_steps(factor), summary="V(q) ≤ (1 − ln q)·S(q)"),
                technique="Theorem 5 and payments ≥ 0")


def t5_tightness_steps(claimed=1 - sp.log(q)) -> list:
    """Exponential(1) (v = −ln q, CS-regular: Ū = U = q) attains the bound at every q."""
    d = SymbolicDistribution("exponential(1)", -sp.log(q), q)
    c = symbolic_curves(d)
    ironed = symbolic_ironed(d, c).pieces[0][2]
    return [
        Equal("exponential(1): Ū(q) = U(q) = q (u ≡ 1, concave: no ironing)", ironed, q),
        Equal("V(q)/Ū(q) = q(1 − ln q)/q = the claimed bound: attained at every q ∈ (0, 1]", sp.simplify(c.V / ironed),
              claimed, points=[{q: sp.Rational(1, 2)}, {q: sp.Rational(1, 10)}]),
    ]


def t5_tightness_part(claimed=1 - sp.log(q)) -> Part:
    return Part("tightness: attained by the exponential", method=Method.DERIVATION, role=Role.CROSS_CHECK,
                domain="exponential(1), every q ∈ (0, 1]",
                check=steps_check(lambda: t5_tightness_steps(claimed),
                                  summary="V/Ū = 1 − ln q for Exponential(1): tight (attained) at every q"))
