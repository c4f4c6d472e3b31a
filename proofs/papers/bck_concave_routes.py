"""BCK (paper 001): general derivations (over the reals, every law) for four lemmas: L14, L1's reading, L6, L2.

BCK-L14 (Lemma 14).  For x ∈ [0, R], R − x = λ·R + (1 − λ)·0 with λ = 1 − x/R ∈ [0, 1], and
concavity, as the slope inequality on 0 < R − x < R, gives the chord bound
U(R − x) ≥ λ·U(R) + (1 − λ)·U(0) (equality at x = 0 and x = R).  The chord is affine in x, so
taking expectations: E[U(R − X)] ≥ (1 − E[X]/R)·U(R) + (E[X]/R)·U(0)
= (1 − E[X]/R)·(U(R) − U(0)) + U(0) ≥ (1 − E[X]/R)·(U(R) − U(0)) once U(0) ≥ 0 (§2: U(0) = 0).

BCK-L1, the reading Lemma 13 uses (the increment measured from U(Y)).  For y < y' = y + t and
x ≥ 0, the points y + x and y' are convex combinations of y and y' + x with swapped weights
t/(x+t), x/(x+t); concavity at both and summing gives U(y+x) − U(y) ≥ U(y'+x) − U(y'): the
increment f(y) = E_X[U(X+y) − U(y)] is non-increasing (and ≥ 0).  A non-negative non-increasing f
has superlevel sets [0, c) or [0, c], on which the dominated Y₂ puts at least as much mass as Y₁;
the layer-cake formula then gives E f(Y₁) ≤ E f(Y₂).

BCK-L6 (Lemma 6).  Condition on the other variables ẑ; with f(u, v) = U_k(u, v, ẑ) the gain of the
merge is ∬ (f(u, 0) + f(0, v) − f(u, v) − f(0, 0)) dν₁ dν₂ ≥ 0 (Lemma 2), ν_i the law of X_i on (0, ∞).

BCK-L2 (Lemma 2).  I_k(z) = min_{θ≥0} kθ + Σ_i (z_i − θ)⁺ (attained at the k-th largest entry):
symmetric and monotone; per coordinate, convexity of (·)⁺ at swapped weights gives
I_k(x∨y) + I_k(x∧y) ≤ I_k(x) + I_k(y); concavity of U at swapped weights and U non-decreasing
carry it to U_k = U∘I_k.

Concavity enters as parameters: the values of U at the finitely many points a step compares are
written with non-negative "concavity gaps" g (U(b) = λU(a) + (1 − λ)U(c) + g) or a non-negative
slope drop δ, which is exactly what concavity (and, for w ≥ 0, monotonicity) says about them.
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

from mechproof import Assume, Cite, Equal, Method, Part, Role, Sign, steps_check

from .bck_common import CONCAVE_U

__all__ = ["l14_route_steps", "l14_route_part", "l1_reading_steps", "l1_reading_part", "l14_factor",
           "increment_from_y", "increment_from_x", "L1_READING", "l6_route_steps", "l6_route_part",
           "merged_zero_mass", "l2_route_steps", "l2_route_part"]

# ----------------------------------------------------------------------------- BCK-L14
R = sp.Symbol("R", positive=True)
x = sp.Symbol("x", nonnegative=True)
m = sp.Symbol("m", nonnegative=True)          # m = E[X] ∈ [0, R]
s2 = sp.Symbol("s_2", real=True)              # slope of U on [R − x, R]
delta = sp.Symbol("delta", nonnegative=True)  # slope on [0, R − x] minus slope on [R − x, R]
uR = sp.Symbol("U_R", real=True)              # U(R)
Ufun = sp.Function("U")


def l14_factor(mean, RR):
    """Lemma 14's factor 1 − E[X]/R."""
    return 1 - mean / RR


def l14_route_steps(factor: Callable = l14_factor, anchored: bool = True) -> list:
    """The steps; `factor(m, R)` is the claimed factor (planted wrong in tests) and `anchored=False`
    drops the hypothesis U(0) ≥ 0 (U(0) any real: the planted bug U ≡ −1)."""
    u0 = sp.Symbol("U_0", nonnegative=True) if anchored else sp.Symbol("U_0", real=True)
    lam = 1 - x / R
    ub = u0 + (R - x) * (s2 + delta)            # U(R − x): slope s₂ + δ on [0, R − x]
    uR_ = ub + x * s2                           # U(R): slope s₂ on [R − x, R]
    chord = lambda xx, a, b: (1 - xx / R) * b + (xx / R) * a      # noqa: E731  λ·U(R) + (1 − λ)·U(0)
    at = lambda xx: Ufun(R - xx) - chord(xx, Ufun(0), Ufun(R))    # noqa: E731
    rest = (uR - (m / R) * (uR - u0)) - factor(m, R) * (uR - u0)
    return [
        Sign("L1. λ = 1 − x/R ≥ 0 for x ∈ [0, R]", lam, ">=0", ((x, 0, R),)),
        Sign("L2. 1 − λ = x/R ≥ 0 for x ∈ [0, R]", 1 - lam, ">=0", ((x, 0, R),)),
        Equal("L3. R − x = λ·R + (1 − λ)·0: the point R − x splits [0, R] with weights λ, 1 − λ",
              lam * R + (1 - lam) * 0, R - x),
        Equal("L4. concavity as the slope inequality on 0 < R − x < R: write U(R − x) = U(0) + (R − x)(s₂ + δ) and "
              "U(R) = U(R − x) + x·s₂, s₂ the slope on [R − x, R], δ ≥ 0 the slope drop (concavity: the slope on "
              "[0, R − x] is ≥ the slope on [R − x, R]); then U(R − x) − (λ·U(R) + (1 − λ)·U(0)) = x(R − x)δ/R",
              ub - chord(x, u0, uR_), x * (R - x) * delta / R),
        Sign("L5. x(R − x)δ/R ≥ 0 for x ∈ [0, R], δ ≥ 0: the chord bound U(R − x) ≥ λ·U(R) + (1 − λ)·U(0) on (0, R)",
             x * (R - x) * delta / R, ">=0", ((x, 0, R),)),
        Equal("L6. at x = 0 the chord bound holds with equality: U(R) − (1·U(R) + 0·U(0)) = 0", at(0), 0),
        Equal("L7. at x = R the chord bound holds with equality: U(0) − (0·U(R) + 1·U(0)) = 0", at(R), 0),
        Equal("L8. the chord λ·U(R) + (1 − λ)·U(0) = U(R) − (x/R)(U(R) − U(0)) is affine in x: integrating the "
              "pointwise bound over the law of X on [0, R] (expectation linear and monotone; U, concave, is "
              "continuous inside [0, R] and bounded there — below by the chord, above by a supporting line) gives "
              "E[U(R − X)] ≥ U(R) − (E[X]/R)(U(R) − U(0)), m := E[X] ∈ [0, R]",
              chord(x, u0, uR), uR - (x / R) * (uR - u0)),
        Sign("L9. the claim: U(R) − (m/R)(U(R) − U(0)) − (claimed factor)·(U(R) − U(0)) ≥ 0 for m ∈ [0, R] and "
             "U(0) ≥ 0 (§2: U(0) = 0), so E[U(R − X)] ≥ (1 − E[X]/R)·(U(R) − U(0))",
             rest, ">=0", ((m, 0, R),),
             points=[{R: 1, m: 1, uR: 1, u0: 0}, {R: 1, m: 0, uR: 1, u0: 0}, {R: 2, m: 1, uR: 1, u0: 0}]
             + ([] if anchored else [{R: 1, m: 0, uR: 0, u0: -1}])),   # U(0) < 0 only where U(0) is free
    ]


def l14_route_part(factor: Callable = l14_factor, anchored: bool = True) -> Part:
    return Part("every concave U, every X on [0, R] (chord derivation)", method=Method.DERIVATION, role=Role.ROUTE,
                domain="every R > 0, every distribution of X on [0, R], every concave U on [0, R] with U(0) ≥ 0",
                check=steps_check(lambda: l14_route_steps(factor, anchored),
                                  summary="E[U(R−X)] ≥ (1 − E[X]/R)(U(R) − U(0)) for every concave U with U(0) ≥ 0"),
                technique="concavity as the slope inequality gives the chord bound U(R − x) ≥ (1 − x/R)U(R) + "
                          "(x/R)U(0); the chord is affine, so it survives expectation",
                assumes=(CONCAVE_U + "; the route uses only concavity and U(0) ≥ 0 (monotonicity is not needed; "
                                     "U(0) < 0 breaks the bound, U ≡ −1)",))


# ----------------------------------------------------------------------------- BCK-L1 (reading)
L1_READING = ("E[U(X+Y₁) − U(Y₁)] ≤ E[U(X+Y₂) − U(Y₂)] for D₁ ⪰ D₂: the increment measured from the "
              "dominating/dominated variable, the form Lemma 13 uses (Z_i = E[U(X+Y) − U(Y)], Y ~ D_{i−1})")

xx = sp.Symbol("x", nonnegative=True)       # a value of X
y = sp.Symbol("y", nonnegative=True)        # y < y' = y + t
t = sp.Symbol("t", positive=True)
u_y = sp.Symbol("U_y", real=True)           # U(y)
w = sp.Symbol("w", nonnegative=True)        # U(y' + x) − U(y) ≥ 0 (U non-decreasing)
g1, g2 = sp.symbols("g_1 g_2", nonnegative=True)   # concavity gaps at y + x and at y'
p2, e1, q2, e2 = sp.symbols("p_2 e_1 q_2 e_2", nonnegative=True)


def increment_from_y(U, a, b):
    """The reading's increment: U(a + b) − U(b) (X = a, Y = b)."""
    return U(a + b) - U(b)


def increment_from_x(U, a, b):
    """The as-printed increment: U(a + b) − U(a) — planted in tests, it must fail the monotonicity step."""
    return U(a + b) - U(a)


def _values():
    """U at y, y + x, y', y' + x from concavity (gaps g₁, g₂ ≥ 0) and monotonicity (w ≥ 0); any other point
    gets a free symbol (nothing is known of it)."""
    L = xx + t
    u_z = u_y + w                                           # U(y' + x)
    known = {y: u_y,
             y + xx: (t / L) * u_y + (xx / L) * u_z + g1,   # concavity at y + x = (t/L)·y + (x/L)·(y' + x)
             y + t: (xx / L) * u_y + (t / L) * u_z + g2,    # concavity at y' = (x/L)·y + (t/L)·(y' + x)
             y + t + xx: u_z}
    known = {sp.expand(k): v for k, v in known.items()}

    def U(arg):
        arg = sp.expand(arg)
        return known.get(arg, sp.Symbol(f"U({arg})", real=True))
    return U


def l1_reading_steps(increment: Callable = increment_from_y) -> list:
    """The steps; `increment(U, x, y)` is the increment compared (planted as U(x+y) − U(x) in tests)."""
    U, L = _values(), xx + t
    f = lambda yy: increment(U, xx, yy)             # noqa: E731
    return [
        Equal("I1. y + x = (t/(x+t))·y + (x/(x+t))·(y' + x) for y' = y + t, t > 0, x ≥ 0",
              (t / L) * y + (xx / L) * (y + t + xx), y + xx),
        Equal("I2. y' = (x/(x+t))·y + (t/(x+t))·(y' + x): the same two endpoints, weights swapped",
              (xx / L) * y + (t / L) * (y + t + xx), y + t),
        Sign("I3. the weight t/(x+t) is ≥ 0", t / L, ">=0"),
        Sign("I4. the weight x/(x+t) is ≥ 0", xx / L, ">=0"),
        Equal("I5. the weights sum to 1, so concavity applies at y + x and at y': U(y + x) = (t/(x+t))U(y) + "
              "(x/(x+t))U(y' + x) + g₁ and U(y') = (x/(x+t))U(y) + (t/(x+t))U(y' + x) + g₂ with gaps g₁, g₂ ≥ 0",
              t / L + xx / L, 1),
        Sign("I6. the increment is ≥ 0 (U(y' + x) = U(y) + w, w ≥ 0: U non-decreasing): the integrands below are "
             "non-negative, so every expectation is defined in [0, ∞] and Tonelli applies",
             f(y), ">=0", points=[{xx: 1, t: 1, u_y: 0, w: 1, g1: 0, g2: 0}]),
        Sign("I7. increment(x, y) − increment(x, y') ≥ 0 for y < y': for each x the increment is non-increasing "
             "in y, hence (X independent of Y, integrating over the law of X) so is f(y) = E_X[increment(X, y)], "
             "and E[U(X+Y_i) − U(Y_i)] = E f(Y_i) (Tonelli)",
             f(y) - f(y + t), ">=0",
             points=[{xx: 1, t: 1, u_y: 0, w: 1, g1: 0, g2: 0}, {xx: 1, t: 2, u_y: 0, w: 3, g1: 0, g2: 0}]),
        Assume("I8. layer cake",
               "for a measurable f ≥ 0 and any random variable Y, E f(Y) = ∫₀^∞ Pr[f(Y) > s] ds in [0, ∞] "
               "(Tonelli on f(y) = ∫₀^∞ 1[s < f(y)] ds)"),
        Sign("I9. f non-increasing on [0, ∞): {f > s} is [0, c), [0, c], ∅ or [0, ∞); on [0, c), "
             "Pr[Y₂ < c] − Pr[Y₁ < c] = (1 − p₂) − (1 − p₁) ≥ 0 with p_i = Pr[Y_i ≥ c], p₁ = p₂ + e₁, e₁ ≥ 0 "
             "(D₁ ⪰ D₂)", (1 - p2) - (1 - (p2 + e1)), ">=0"),
        Sign("I10. on [0, c]: Pr[Y₂ ≤ c] − Pr[Y₁ ≤ c] = (1 − q₂) − (1 − q₁) ≥ 0 with q_i = Pr[Y_i > c] = "
             "lim_n Pr[Y_i ≥ c + 1/n] (continuity of measure), so q₁ = q₂ + e₂, e₂ ≥ 0; on ∅ and [0, ∞) the masses "
             "agree.  Integrating over s (I8): E[U(X+Y₁) − U(Y₁)] = E f(Y₁) ≤ E f(Y₂) = E[U(X+Y₂) − U(Y₂)], "
             "the reading", (1 - q2) - (1 - (q2 + e2)), ">=0"),
    ]


def l1_reading_part(increment: Callable = increment_from_y) -> Part:
    return Part("increment from U(Y): every concave U, every law (derivation)", method=Method.DERIVATION,
                role=Role.READING, reading=L1_READING,
                domain="every non-decreasing concave U on [0, ∞), X, Y₁, Y₂ ≥ 0 with any laws, X independent of "
                       "Y₁ and of Y₂, D₁ ⪰ D₂",
                check=steps_check(lambda: l1_reading_steps(increment),
                                  summary="E[U(X+Y₁) − U(Y₁)] ≤ E[U(X+Y₂) − U(Y₂)] whenever D₁ ⪰ D₂"),
                technique="concavity at two swapped convex combinations: U(y+x) − U(y) non-increasing in y; "
                          "superlevel sets of a non-increasing function are down-sets; layer cake",
                assumes=(CONCAVE_U + "; the route uses U non-decreasing and concave on [0, ∞) (U(0) = 0 not needed)",))


# ----------------------------------------------------------------------------- BCK-L6
a, b = sp.symbols("a b", nonnegative=True)                 # Pr[X₁ ≠ 0], Pr[X₂ ≠ 0]
T1, T2, S12, F0 = sp.symbols("T_1 T_2 S_12 F_0", real=True)
u, v = sp.symbols("u v", nonnegative=True)                  # values of X₁, X₂ (> 0 on ν₁, ν₂)
pi1, pi2, gap = sp.symbols("pi_1 pi_2 g", nonnegative=True)


def merged_zero_mass(aa, bb):
    """Pr[Y = 0] for the merge Y of X₁, X₂: Pr[Y = p] = Pr[X₁ = p] + Pr[X₂ = p] for p > 0 leaves 1 − a − b."""
    return 1 - aa - bb


def l6_route_steps(zero_mass: Callable = merged_zero_mass, cap=1) -> list:
    """The steps; `zero_mass(a, b)` is Y's atom at 0 and `cap` the legality bound a + b ≤ cap (both planted
    wrong in tests: a merged law that is not a distribution, a merge of an illegal pair)."""
    z = zero_mass(a, b)
    e_before = (1 - a) * (1 - b) * F0 + (1 - b) * T1 + (1 - a) * T2 + S12
    e_after = z * F0 + T1 + T2
    return [
        Equal("M1. Y's law is a distribution: Pr[Y = 0] + Pr[Y > 0] = Pr[Y = 0] + a + b = 1, where a = Pr[X₁ ≠ 0], "
              "b = Pr[X₂ ≠ 0] and, on (0, ∞), Y's law is ν₁ + ν₂ (ν_i the law of X_i restricted to (0, ∞))",
              z + a + b, 1, points=[{a: sp.Rational(1, 2), b: sp.Rational(1, 4)}, {a: 1, b: 0}]),
        Sign("M2. Pr[Y = 0] ≥ 0 for a legal pair: a, b ∈ [0, 1], a + b ≤ 1 (the merge's hypothesis)", z, ">=0",
             ((a, 0, 1), (b, 0, cap - a)), points=[{a: sp.Rational(3, 4), b: sp.Rational(3, 4)}]),
        Cite("M3. Lemma 2: U_k is symmetric and lattice-submodular, U_k(x∨y) + U_k(x∧y) ≤ U_k(x) + U_k(y)", "BCK-L2"),
        Equal("M4. fix a realisation ẑ of S ∖ {X₁, X₂} and write f(u, v) = U_k(u, v, ẑ); for u, v ≥ 0 the join "
              "(u, 0, ẑ) ∨ (0, v, ẑ) is (u, v, ẑ): first coordinate max(u, 0) = u", sp.Max(u, 0), u),
        Equal("M5. the join's second coordinate: max(0, v) = v", sp.Max(0, v), v),
        Equal("M6. the meet (u, 0, ẑ) ∧ (0, v, ẑ) is (0, 0, ẑ): min(u, 0) = 0", sp.Min(u, 0), 0),
        Equal("M7. the meet's second coordinate: min(0, v) = 0, so by M3 g(u, v) := f(u, 0) + f(0, v) − f(u, v) − "
              "f(0, 0) ≥ 0 for all u, v ≥ 0", sp.Min(0, v), 0),
        Equal("M8. Fubini over the two independent laws, each split at 0 (T₁ = ∫ f(u, 0) dν₁, T₂ = ∫ f(0, v) dν₂, "
              "S₁₂ = ∬ f(u, v) dν₁ dν₂, F₀ = f(0, 0)): E f(X₁, X₂) = (1−a)(1−b)F₀ + (1−b)T₁ + (1−a)T₂ + S₁₂; "
              "and U_k(Y, ẑ) = f(Y, 0) (an extra 0 entry leaves the k largest of non-negative entries), "
              "∫ f(v, 0) dν₂ = T₂ (M3: symmetric), so E U_k(Y, ẑ) = Pr[Y = 0]·F₀ + T₁ + T₂; the gain is "
              "b·T₁ + a·T₂ − S₁₂ − ab·F₀ = ∬ g dν₁ dν₂ (ν₁, ν₂ have masses a, b)",
              e_after - e_before, b * T1 + a * T2 - S12 - a * b * F0,
              points=[{a: sp.Rational(1, 2), b: sp.Rational(1, 4), F0: 1, T1: 0, T2: 0, S12: 0}]),
        Sign("M9. ∬ g dν₁ dν₂ ≥ 0: g ≥ 0 (M7) against the non-negative measure ν₁ ⊗ ν₂ (for atoms π_i, π'_j at "
             "p_i, p_j, the paper's Σ π_i π'_j g(p_i, p_j)).  S' = (S ∖ {X₁, X₂}) ∪ {Y} with Y independent of the "
             "rest: averaging over ẑ, E[U_k(S')] − E[U_k(S)] = E_ẑ[∬ g dν₁ dν₂] ≥ 0, the claim",
             pi1 * pi2 * gap, ">=0"),
    ]


def l6_route_part(zero_mass: Callable = merged_zero_mass, cap=1) -> Part:
    return Part("every law, every concave U (conditioning on the other variables)", method=Method.DERIVATION,
                role=Role.ROUTE,
                domain="every set S of independent non-negative variables, every legal pair X₁, X₂ ∈ S "
                       "(Pr[X₁≠0] + Pr[X₂≠0] ≤ 1), every k, every concave non-decreasing U",
                check=steps_check(lambda: l6_route_steps(zero_mass, cap),
                                  summary="E[U_k(S)] ≤ E[U_k((S ∖ {X₁, X₂}) ∪ {Y})] for the merge Y"),
                technique="condition on the other variables; the gain is ∬ (f(u,0) + f(0,v) − f(u,v) − f(0,0)) "
                          "dν₁ dν₂ ≥ 0 by Lemma 2's submodularity",
                assumes=(CONCAVE_U,
                         "E[U_k(S)] and E[U_k(S')] are finite (so the gain may be written as a difference)"))


# ----------------------------------------------------------------------------- BCK-L2
def l2_route_steps(shape: str = "concave") -> list:
    """The steps; `shape="convex"` plants a convex U (its gaps enter with the opposite sign) in tests.

    I_k(z) = sum of the k largest entries of z ∈ [0, ∞)ⁿ (0 for missing entries when k > n), and
    J_θ(z) = kθ + Σ_i (z_i − θ)⁺: I_k ≤ J_θ for every θ ≥ 0, with equality at θ = z_(k), the k-th
    largest entry (0 when k > n)."""
    r, r1, d_ = sp.symbols("r r_1 d", nonnegative=True)
    th = sp.Symbol("theta", nonnegative=True)
    p_ = sp.Symbol("p", real=True)
    dpos = sp.Symbol("d", positive=True)
    e_ = sp.Symbol("e", nonnegative=True)
    xi, thy = sp.symbols("x_i theta_y", real=True)
    phiP, phiQ, h1, h2 = sp.Symbol("phi_P", real=True), sp.Symbol("phi_Q", real=True), *sp.symbols("h_1 h_2",
                                                                                                 nonnegative=True)
    al, ua, ud = sp.Symbol("alpha", nonnegative=True), sp.Symbol("U_alpha", real=True), sp.Symbol("U_dp", real=True)
    pp, qq = sp.Symbol("p", positive=True), sp.Symbol("q", nonnegative=True)
    k1, k2 = sp.symbols("g_1 g_2", nonnegative=True)
    plus = lambda z: sp.Max(z, 0)                   # noqa: E731  (·)⁺
    # C: a coordinate with x_i < y_i = x_i + d and θ_y ≤ θ_x = θ_y + e
    P, A, B, Q = xi - (thy + e_), xi + dpos - (thy + e_), xi - thy, xi + dpos - thy
    lam = e_ / (dpos + e_)
    # D: α = I(x∧y) ≤ β = I(x) ≤ γ = I(y), δ' = β + γ − α ≥ δ = I(x∨y); β = α + p, γ = α + p + q
    beta, gamma, dprime = al + pp, al + pp + qq, al + 2 * pp + qq
    mu = (pp + qq) / (2 * pp + qq)
    sgn = 1 if shape == "concave" else -1
    U_beta = mu * ua + (1 - mu) * ud + sgn * k1        # concavity (convex: −gap) at β = μα + (1 − μ)δ'
    U_gamma = (1 - mu) * ua + mu * ud + sgn * k2       # … and at γ = (1 − μ)α + μδ'
    Uf = sp.Function("U")
    return [
        # A. the representation I_k = min over θ ≥ 0 of J_θ
        Sign("A1. (t − θ)⁺ ≥ 0 for every real t: J_θ(z) ≥ Σ_{i∈T} (θ + (z_i − θ)⁺) + (k − |T|)θ for T the indices "
             "of the min(k, n) largest entries (θ ≥ 0)", plus(p_ - th), ">=0"),
        Sign("A2. θ + (t − θ)⁺ ≥ t, case t = θ + r ≥ θ", th + plus(r) - (th + r), ">=0"),
        Sign("A3. θ + (t − θ)⁺ ≥ t, case t = θ − r ≤ θ: so J_θ(z) ≥ Σ_{i∈T} z_i = I_k(z) for every θ ≥ 0",
             th + plus(-r) - (th - r), ">=0"),
        Equal("A4. at θ = z_(k) a top entry z_i = θ + r contributes θ + (z_i − θ)⁺ = z_i", th + plus(r), th + r),
        Equal("A5. … an entry z_i = θ − r below it contributes (z_i − θ)⁺ = 0, so J_{z_(k)}(z) = I_k(z) (k > n: "
              "θ = 0 and J_0(z) = Σ z_i⁺ = Σ z_i); hence I_k(z) = min_{θ≥0} J_θ(z), symmetric in the entries "
              "(J_θ is), and U_k = U∘I_k is symmetric", plus(-r), 0),
        # B. monotone
        Sign("B1. (s + d)⁺ − s⁺ ≥ 0 for d ≥ 0, case s = r ≥ 0", plus(r + d_) - plus(r), ">=0"),
        Sign("B2. (s + d)⁺ − s⁺ ≥ 0, case s = −r ≤ 0: J_θ is non-decreasing in each entry, so for z' ≥ z, "
             "I_k(z') = J_{z'_(k)}(z') ≥ J_{z'_(k)}(z) ≥ I_k(z) (A); U non-decreasing: U_k is monotone",
             plus(d_ - r) - plus(-r), ">=0"),
        # C. I_k is lattice-submodular
        Equal("C1. coordinates with x_i ≥ y_i = x_i − d: max(x_i, y_i) = x_i", sp.Max(xi, xi - d_), xi),
        Equal("C2. … and min(x_i, y_i) = y_i: with θ_x = x_(k), θ_y = y_(k) (by symmetry θ_y ≤ θ_x), the terms "
              "(max − θ_x)⁺ + (min − θ_y)⁺ and (x_i − θ_x)⁺ + (y_i − θ_y)⁺ coincide", sp.Min(xi, xi - d_), xi - d_),
        Equal("C3. coordinates with x_i < y_i = x_i + d, θ_x = θ_y + e: P = x_i − θ_x ≤ A = y_i − θ_x, "
              "B = x_i − θ_y ≤ Q = y_i − θ_y, and A = λP + (1 − λ)Q with λ = e/(d + e)", lam * P + (1 - lam) * Q, A),
        Equal("C4. … and B = (1 − λ)P + λQ (the same endpoints, weights swapped)", (1 - lam) * P + lam * Q, B),
        Sign("C5. λ = e/(d + e) ≥ 0", lam, ">=0"),
        Sign("C6. 1 − λ = d/(d + e) ≥ 0", 1 - lam, ">=0"),
        Sign("C7. (·)⁺ is convex — it is the max of t and 0 and lies above both: t⁺ − t ≥ 0, case t = r ≥ 0",
             plus(r) - r, ">=0"),
        Sign("C8. t⁺ − t ≥ 0, case t = −r (and t⁺ ≥ 0, A1): λP⁺ + (1−λ)Q⁺ ≥ max(λP + (1−λ)Q, 0), convexity",
             plus(-r1) + r1, ">=0"),
        Equal("C9. convexity at A and at B, gaps h₁, h₂ ≥ 0: A⁺ + B⁺ = (λP⁺ + (1−λ)Q⁺ − h₁) + ((1−λ)P⁺ + λQ⁺ − h₂) "
              "= P⁺ + Q⁺ − h₁ − h₂", (lam * phiP + (1 - lam) * phiQ - h1) + ((1 - lam) * phiP + lam * phiQ - h2),
              phiP + phiQ - h1 - h2),
        Sign("C10. h₁ + h₂ ≥ 0: (max(x_i,y_i) − θ_x)⁺ + (min(x_i,y_i) − θ_y)⁺ ≤ (x_i − θ_x)⁺ + (y_i − θ_y)⁺ in every "
             "coordinate; summing and adding kθ_x + kθ_y: I_k(x∨y) + I_k(x∧y) ≤ J_{θ_x}(x∨y) + J_{θ_y}(x∧y) ≤ "
             "J_{θ_x}(x) + J_{θ_y}(y) = I_k(x) + I_k(y) (A)", h1 + h2, ">=0"),
        # D. composition with a concave non-decreasing U
        Equal("D1. α = I_k(x∧y) ≤ β = I_k(x) ≤ γ = I_k(y) ≤ δ = I_k(x∨y) (B; name x, y so that β ≤ γ) and α + δ ≤ "
              "β + γ (C): δ' := β + γ − α ≥ δ, so U(δ) ≤ U(δ') (U non-decreasing); with β = α + p, γ = α + p + q: "
              "β = μα + (1 − μ)δ', μ = (p + q)/(2p + q)", mu * al + (1 - mu) * dprime, beta),
        Equal("D2. γ = (1 − μ)α + μδ' (weights swapped)", (1 - mu) * al + mu * dprime, gamma),
        Sign("D3. μ ≥ 0", mu, ">=0"),
        Sign("D4. 1 − μ = p/(2p + q) ≥ 0", 1 - mu, ">=0"),
        Equal("D5. p = 0 (β = α, δ' = γ): U(β) + U(γ) − U(α) − U(δ') = 0",
              Uf(al) + Uf(al + qq) - Uf(al) - Uf(al + qq), 0),
        Sign("D6. p > 0: concavity at β and γ (gaps g₁, g₂ ≥ 0) gives U(β) + U(γ) − U(α) − U(δ') = g₁ + g₂ ≥ 0, so "
             "U_k(x∨y) + U_k(x∧y) = U(δ) + U(α) ≤ U(δ') + U(α) ≤ U(β) + U(γ) = U_k(x) + U_k(y): U_k is "
             "lattice-submodular", U_beta + U_gamma - ua - ud, ">=0",
             points=[{pp: 1, qq: 0, k1: 1, k2: 0, ua: 0, ud: 0, al: 0}]),
    ]


def l2_route_part(shape: str = "concave") -> Part:
    return Part("every n, k, x, y and concave U (θ-representation of the top-k sum)", method=Method.DERIVATION,
                role=Role.ROUTE,
                domain="every n, k ≥ 1, x, y ∈ [0, ∞)ⁿ, every concave non-decreasing U",
                check=steps_check(lambda: l2_route_steps(shape),
                                  summary="U_k symmetric, monotone and lattice-submodular for every concave U"),
                technique="I_k(z) = min_{θ≥0} kθ + Σ(z_i − θ)⁺; convexity of (·)⁺ at swapped weights per "
                          "coordinate; concavity of U at swapped weights",
                assumes=(CONCAVE_U + "; entries non-negative (payments); the route uses U non-decreasing and "
                                     "concave (U(0) = 0 not needed)",))
