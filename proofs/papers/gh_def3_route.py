"""GH-DEF3 for every distribution: Definition 3's virtual pricing as typed steps.

θ(v̂) = sup{θ : ū(θ) ≥ v̂}, ū the left derivative of the concave hull Ū (non-increasing), price v(θ(v̂)):

P. prices: a higher virtual price has a smaller set {ū ≥ v̂}, so a smaller θ, and v is non-increasing, so
   DA^U's price is not lower; DA^V's virtual prices to an agent never fall, hence neither do DA^U's (obs. 3);
H. hull vertex: θ(v̂) is never interior to an interval on which ū is constant (either a point to its right
   is still in the set, or, ū being non-increasing, nothing right of a point to its left is), so U = Ū
   there: no price inside an ironed interval;
A. allocation: {q : ū(q) ≥ v̂} = (0, θ(v̂)] (ū non-increasing and left-continuous), the quantiles that
   price v(θ(v̂)) sells to, so at every stage both auctions keep the same agents (obs. 1);
C. consumer surplus: the others' values fixed, agent i wins iff q_i ≤ τ and pays v(τ), τ = θ(v̂_T) its
   last offer; E_q[CS_i] = ∫₀^τ (v − v(τ)) = U(τ) and E_q[ū·1{q ≤ τ}] = Ū(τ), equal by H (obs. 1).

One standard fact is assumed, named: the hull is affine near every point where it lies above U.  The
builder takes the change of ū to the right (`rightward_change`, −c with c ≥ 0 for a concave Ū); tests plant
the raw virtual value's +c (the uniform's u(q) = q increases), which step H2 refutes.
"""
from __future__ import annotations

import sympy as sp

from mechproof import Assume, Equal, Method, Part, Role, Sign, steps_check

__all__ = ["DEF3_ROUTE_ASSUMES", "def3_route_steps", "def3_route_part", "CONCAVE_CHANGE", "RAW_UNIFORM_CHANGE"]

q, tau = sp.symbols("q tau", positive=True)
t, th1, th2 = sp.symbols("t theta_1 theta_2", positive=True)
x1 = sp.Symbol("x_1", nonnegative=True)
vhat, s = sp.symbols("vhat s", real=True)
e, g, c = sp.symbols("e g c", nonnegative=True)
a, b, m = sp.symbols("a b m", positive=True)
v = sp.Function("v")
U = sp.Function("U")
Ubar = sp.Function("Ubar")

CONCAVE_CHANGE = -c              # ū(right) − ū(left) for a concave Ū: ū non-increasing
RAW_UNIFORM_CHANGE = c           # the raw u of Uniform[0, 1] (u(q) = q) increases: the un-ironed rule

DEF3_ROUTE_ASSUMES = (
    "Ū is the least concave majorant of U on [0, 1] and ū its left derivative: non-increasing, left-continuous, "
    "ū = Ū' a.e.; U(0) = Ū(0) = 0 (GH-ASSUME's reading) and Ū(1) = U(1) (U non-decreasing: the constant U(1) is "
    "a concave majorant)",
    "quantile model: posting v(θ) sells to exactly the quantiles q ≤ θ (θ = 0: a price above the support, θ = 1: "
    "price v(1) = 0), and DA^V on ironed virtual values keeps an agent at quantile q iff ū(q) ≥ v̂; values "
    "independent across agents; v non-increasing",
    "DA^V is a DA (an agent's virtual prices never fall) whose next prices depend on the history of active sets; "
    "DA^U computes them from the common history and posts v(θ(v̂))",
    "discrete reading (docs/gh-combinatorial.md): U through (0, 0) and (Q_j, CS_j), CS_j the consumer surplus of "
    "price a_j (of price 0 at Q_m = 1), Ū its hull, ū the hull slope on (Q_{j−1}, Q_j]; θ(v̂) is then a hull "
    "vertex Q_j (step H), so 'value ≥ a_j' is exactly 'q ≤ Q_j' and the quantile model is the auction's tie rule",
)


def def3_route_steps(rightward_change=CONCAVE_CHANGE) -> list:
    """`rightward_change`: ū(θ) − ū(θ'') for θ ≥ θ'', in c ≥ 0 (planted wrong in tests)."""
    theta = x1 + a                      # θ* = θ(v̂), inside (x₁, x₂) with x₂ = θ* + b (the case to exclude)
    x2 = theta + b
    right, left = (theta + x2) / 2, theta - a / 2
    return [
        # P. non-decreasing prices (observation 3)
        Sign("P1. nested sets: if ū(θ) = v̂' + g ≥ v̂' = v̂ + e (e ≥ 0: DA^V never lowers an agent's virtual price), "
             "then ū(θ) − v̂ = e + g ≥ 0: {ū ≥ v̂'} ⊆ {ū ≥ v̂}, so θ(v̂') ≤ θ(v̂) (the sup of a subset; sup ∅ := 0)",
             (vhat + e + g) - vhat, ">=0"),
        Equal("P2. v(θ₁) − v(θ₂) = ∫_{θ₁}^{θ₂} −v' ≥ 0 for θ₁ ≤ θ₂ (v non-increasing): the price v(θ(v̂')) ≥ "
              "v(θ(v̂)); DA^U's prices to each agent never fall, so DA^U is a DA",
              sp.Integral(-sp.Derivative(v(t), t), (t, th1, th2)), v(th1) - v(th2)),
        # H. θ(v̂) is never interior to a piece of constant ū (no price inside an ironed interval)
        Sign("H1. suppose x₁ < θ* < x₂ (θ* = x₁ + a, x₂ = θ* + b) with ū ≡ s on (x₁, x₂). Case s ≥ v̂: θ' = "
             "(θ* + x₂)/2 has θ' − θ* = b/2 > 0 and ū(θ') = s ≥ v̂, so θ' is in the set and exceeds its sup θ*: "
             "impossible", right - theta, ">0"),
        Sign("H1'. and θ' < x₂: x₂ − θ' = b/2 > 0 (θ' is inside the piece)", x2 - right, ">0"),
        Sign("H2. case s < v̂ = s + m (m > 0): θ'' = θ* − a/2 ∈ (x₁, θ*) has ū(θ'') = s, and every θ ≥ θ'' has "
             "ū(θ) = s + Δ, Δ = ū(θ) − ū(θ'') ≤ 0 (ū non-increasing); v̂ − ū(θ) = m − Δ > 0, so the set lies left "
             "of θ'' and its sup θ* ≤ θ'' = θ* − a/2: impossible",
             (s + m) - (s + rightward_change), ">0", points=[{m: 1, c: 2}, {m: sp.Rational(1, 2), c: 1}]),
        Sign("H2'. θ'' > x₁: θ'' − x₁ = a/2 > 0 (θ'' is inside the piece)", left - x1, ">0"),
        Assume("H3. the hull is affine where it lies above U",
               "if Ū(x) > U(x) then Ū is affine on an open interval around x (the least concave majorant of an upper "
               "semicontinuous U; in the discrete reading Ū is the hull of finitely many points (Q_j, U(Q_j)), "
               "piecewise linear with its vertices among them) — so θ(v̂), interior to no piece of constant ū "
               "(H1, H2), has U(θ(v̂)) = Ū(θ(v̂)) (at θ ∈ {0, 1} by the boundary values): DA^U never posts a price "
               "inside an ironed interval"),
        # A. the same allocation as DA^V on ironed virtual values (observation 1)
        Sign("A1. q ≤ θ* = θ(v̂) ⇒ ū(q) ≥ v̂: for q < θ* some θ > q has ū(θ) = v̂ + g ≥ v̂ (sup), and ū(q) = "
             "ū(θ) − Δ with Δ ≤ 0 (ū non-increasing), so ū(q) − v̂ = g − Δ ≥ 0; q = θ* by left-continuity. "
             "q > θ* ⇒ ū(q) < v̂ (the sup). So {ū ≥ v̂} = (0, θ*], the quantiles price v(θ*) sells to: at every "
             "stage DA^U and DA^V keep the same agents and, by induction over the common history, post to the "
             "same agents and end with the same winners",
             (vhat + g - rightward_change) - vhat, ">=0", points=[{g: 0, c: 1}]),
        # C. E[consumer surplus] = E[ironed virtual surplus] (observation 1)
        Equal("C1. the others' values fixed, agent i wins iff q ≤ τ (τ = θ(v̂_T), its last offer in the run where "
              "it stays; A) and pays v(τ): E_q[CS_i] = ∫₀^τ (v(q) − v(τ)) dq = V(τ) − τ·v(τ) = U(τ)",
              sp.Integral(v(q) - v(tau), (q, 0, tau)), sp.Integral(v(q), (q, 0, tau)) - tau * v(tau)),
        Equal("C2. E_q[ū(q)·1{q ≤ τ}] = ∫₀^τ ū = Ū(τ) − Ū(0) (Ū concave, absolutely continuous)",
              sp.Integral(sp.Derivative(Ubar(q), q), (q, 0, tau)), Ubar(tau) - Ubar(0)),
        Equal("C3. U(τ) = Ū(τ) (H3: τ is some θ(v̂)) and Ū(0) = 0: E_q[CS_i] − E_q[ironed virtual surplus of i] = "
              "U(τ) − (Ū(τ) − Ū(0)) = 0; summing over agents and taking expectations over the others' values, "
              "E[consumer surplus of DA^U] = E[Σ_{winners} ū_i(q_i)] = E[ironed virtual surplus]",
              (U(tau) - (Ubar(tau) - Ubar(0))).subs({Ubar(tau): U(tau), Ubar(0): 0}), 0),
    ]


def def3_route_part(rightward_change=CONCAVE_CHANGE) -> Part:
    return Part("every distribution (hull vertices, Myerson per profile)", method=Method.DERIVATION, role=Role.ROUTE,
                domain="every product distribution, every DA^V, every value profile and stage",
                assumes=DEF3_ROUTE_ASSUMES,
                check=steps_check(lambda: def3_route_steps(rightward_change),
                                  summary="DA^U's prices never fall and never sell a quantile inside an ironed "
                                          "interval; it allocates as DA^V on ū; E[CS] = E[ironed virtual surplus]"),
                technique="θ(v̂) non-increasing in v̂; a sup of {ū ≥ v̂} is no interior point of a piece of "
                          "constant ū; CS = U(τ) = Ū(τ) per profile of the others")
