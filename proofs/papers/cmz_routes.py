"""CMZ (paper 000): the general arguments (checked steps) behind CMZ-MF, CMZ-SP-AT and CMZ-T2.

Each builder returns a list of typed steps (symbolic/proof_steps.py) and takes the formula it is
about as a parameter, so a planted wrong constant or rule runs through the same steps and is refuted
at the step that breaks (tests/test_cmz_routes.py).  The claim tables are in cmz_undominated.py.

* CMZ-MF (Myerson's identity): with p(s) = s·f(s) − ∫₀ˢ f, u(t,t) − u(t,s) = ∫ₛᵗ f − (t − s)·f(s),
  which is ≥ 0 for monotone f when s < t and when s > t (a monotone integrand bound).
* CMZ-SP-AT: under second price with uniform ties, min K weakly dominates every bid s < min K and
  max K every bid s > max K: one Sign step per position of the highest other bid m (below, at,
  between, at the other bid, above), strict when m equals the dominated bid.
* CMZ-T2: tv_w ≥ r·σ_w ≥ r·σ_j* ≥ r²·MSW for every highest bidder w (r = (1−δ)/(1+δ)), given SP-AT,
  and E[SW] is the uniform average of the highest bidders' tv.
"""
from __future__ import annotations

import sympy as sp

from mechproof import Assume, Cite, Equal, Holds, Sign
from mechproof.symbolic.derivation import (Derivation, EqualDerivatives, Evaluate, Hypothesis, MonotoneIntegrandBound,
                                           NonIncreasing, Step, Substitute)

__all__ = ["mf_route_steps", "sp_at_route_steps", "t2_route_steps", "uil_route_steps", "sp_outcome", "second_price_bound",
           "SECOND_PRICE", "UNIFORM_TIE"]


# ---------------------------------------------------------------- CMZ-MF
def mf_route_steps(weight=1) -> list:
    """M_f is DSIC for monotone f.  Fix player i and τ = v_−i; f(z) := f_i(z⊔τ), written −h(z) with
    h non-increasing.  The payment is p(s) = s·f(s) − weight·∫₀ˢ f (the claim's M_f: weight = 1;
    another weight is a planted bug).  u(t, s) = t·f(s) − p(s)."""
    c = sp.sympify(weight)
    s, t = sp.symbols("s t", nonnegative=True)
    z = sp.Symbol("z", real=True)
    phi = sp.Symbol("phi", nonnegative=True)                 # f(s) = −h(s) ∈ [0, 1]
    h = sp.Function("h")

    def f(v):
        return -h(v)

    def u(tt, v):
        return tt * f(v) - (v * f(v) - c * sp.Integral(f(z), (z, 0, v)))

    monotone = NonIncreasing.of(h, "h(z) := −f_i(z⊔τ) is non-increasing in z (f monotone)")
    boundary = Hypothesis("at t = s both sides of the identity vanish (checked by the 'boundary' steps)")
    gap = u(t, t) - u(t, s)
    below = -c * sp.Integral(h(z), (z, s, t)) + (t - s) * h(s)      # = c·∫ₛᵗ f − (t − s)·f(s)
    above = c * sp.Integral(h(z), (z, t, s)) - (s - t) * h(s)       # = (s − t)·f(s) − c·∫ₜˢ f
    underbid = Derivation(gap, (
        Step(below, EqualDerivatives(t, boundary), "Myerson's identity: d/dt of both sides agree"),
        Step(-c * h(s) * sp.Integral(1, (z, s, t)) + (t - s) * h(s),
             Substitute(sp.Integral(h(z), (z, s, t)), h(s) * sp.Integral(1, (z, s, t)),
                        MonotoneIntegrandBound(h, "lower")), "f(z) ≥ f(s) for z ≥ s"),
        Step((1 - c) * (t - s) * h(s), Evaluate()),
    ), ranges=((s, 0, t),), hypotheses=(monotone, boundary))
    overbid = Derivation(gap, (
        Step(above, EqualDerivatives(t, boundary), "Myerson's identity: d/dt of both sides agree"),
        Step(c * h(s) * sp.Integral(1, (z, t, s)) - (s - t) * h(s),
             Substitute(sp.Integral(h(z), (z, t, s)), h(s) * sp.Integral(1, (z, t, s)),
                        MonotoneIntegrandBound(h, "upper")), "f(z) ≤ f(s) for z ≤ s"),
        Step((c - 1) * (s - t) * h(s), Evaluate()),
    ), ranges=((t, 0, s),), hypotheses=(monotone, boundary))
    unit = (phi, 0, 1)
    return [
        Equal("boundary, s ≤ t: u(t,t) − u(t,s) − (∫ₛᵗ f − (t − s)·f(s)) = 0 at t = s", (gap - below).subs(t, s), 0),
        Equal("boundary, s ≥ t: u(t,t) − u(t,s) − ((s − t)·f(s) − ∫ₜˢ f) = 0 at t = s", (gap - above).subs(t, s), 0),
        Holds("underbid s ≤ t: u(t,t) − u(t,s) = ∫ₛᵗ f − (t − s)·f(s) ≥ (1 − weight)·(t − s)·h(s)", underbid, ">=",
              (1 - c) * (t - s) * h(s)),
        Sign("underbid residual: (weight − 1)·(t − s)·f(s) ≥ 0 for f(s) = φ ∈ [0, 1], s ≤ t", (c - 1) * (t - s) * phi,
             ">=0", ((s, 0, t), unit), points=[{t: 1, s: 0, phi: 1}]),
        Holds("overbid s ≥ t: u(t,t) − u(t,s) = (s − t)·f(s) − ∫ₜˢ f ≥ (weight − 1)·(s − t)·h(s)", overbid, ">=",
              (c - 1) * (s - t) * h(s)),
        Sign("overbid residual: (1 − weight)·(s − t)·f(s) ≥ 0 for f(s) = φ ∈ [0, 1], s ≥ t; so u(t,t) ≥ u(t,s) "
             "for every bid s, t and τ: M_f is dominant-strategy truthful", (1 - c) * (s - t) * phi,
             ">=0", ((t, 0, s), unit), points=[{s: 1, t: 0, phi: 1}]),
    ]


# ---------------------------------------------------------------- CMZ-SP-AT
def SECOND_PRICE(bid, m):
    """A winner's price: the second-highest bid, which is m (the highest other bid) when the bid is
    top, also on a tie (then the top bid = m)."""
    return m


def UNIFORM_TIE(k):
    """Win probability on a tie with k other top bidders: uniform among the k + 1 highest bids."""
    return 1 / (k + 1)


def sp_outcome(bid, m, k, price=SECOND_PRICE, tie_share=UNIFORM_TIE):
    """(win probability, expected payment) of a bid against others whose highest bid is m, k of
    them bidding m: the top bid wins (ties uniformly), the winner pays price(bid, m)."""
    x = sp.Piecewise((1, bid > m), (tie_share(k), sp.Eq(bid, m)), (0, True))
    return x, x * price(bid, m)


def _utility(t, bid, m, k, price, tie_share):
    x, p = sp_outcome(bid, m, k, price, tie_share)
    return t * x - p


def sp_at_route_steps(price=SECOND_PRICE, tie_share=UNIFORM_TIE) -> list:
    """UDed_i(K) ⊆ [a, b] = [min K, max K] under second price (uniform ties), every n ≥ 2, real or
    integer bids.  For a bid s < a, the bid a weakly dominates s (u(t,a) ≥ u(t,s) for every t ∈ K,
    i.e. t = a + e, and every τ; the case of τ is the position of m = max τ, k ≥ 1 others at m),
    strictly at m = s; symmetrically b dominates s > b (t = b − e), strictly at m = s."""
    s, e, b = sp.symbols("s e b", nonnegative=True)
    d, g, g2 = sp.symbols("d g g_2", positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    pts = [{s: 1, b: 1, d: 1, e: 0, g: sp.Rational(1, 2), g2: sp.Rational(1, 2), k: 1},
           {s: 2, b: 2, d: 2, e: 1, g: 1, g2: 1, k: 2}]

    def low(m, a, strict=False):            # a = min K > s, t = a + e ∈ K
        t = a + e
        diff = _utility(t, a, m, k, price, tie_share) - _utility(t, s, m, k, price, tie_share)
        return diff, (">0" if strict else ">=0")

    def high(m, bb, bid, strict=False):     # b = max K < bid, t = b − e ∈ K
        t = bb - e
        diff = _utility(t, bb, m, k, price, tie_share) - _utility(t, bid, m, k, price, tie_share)
        return diff, (">0" if strict else ">=0")

    a = s + d
    cases = [
        ("below K, m < s (m = s − g): both bids win at price m, u(t,a) − u(t,s) ≥ 0", low(s - g, a)),
        ("below K, m = s: a wins outright, s ties: u(t,a) − u(t,s) > 0 (strict: s is dominated by a = min K)",
         low(s, a, strict=True)),
        ("below K, s < m < a (m = s + g, a = m + g₂): a wins, s loses: u(t,a) − u(t,s) ≥ 0", low(s + g, s + g + g2)),
        ("below K, m = a: a ties, s loses: u(t,a) − u(t,s) ≥ 0", low(a, a)),
        ("below K, m > a (m = a + g): both lose: u(t,a) − u(t,s) ≥ 0", low(a + g, a)),
        ("above K, m < b (m = b − g): both bids win at price m, u(t,b) − u(t,s) ≥ 0", high(b - g, b, b + d)),
        ("above K, m = b: b ties, s wins: u(t,b) − u(t,s) ≥ 0", high(b, b, b + d)),
        ("above K, b < m < s (m = b + g, s = m + g₂): b loses, s wins at m > t: u(t,b) − u(t,s) ≥ 0",
         high(b + g, b, b + g + g2)),
        ("above K, m = s (s = b + d): b loses, s ties: u(t,b) − u(t,s) > 0 (strict: s is dominated by b = max K)",
         high(b + d, b, b + d, strict=True)),
        ("above K, m > s (m = s + g): both lose: u(t,b) − u(t,s) ≥ 0; so every bid outside [min K, max K] is "
         "dominated and UDed_i(K) ⊆ [min K, max K]", high(b + d + g, b, b + d)),
    ]
    return [Sign(label, expr, sign, points=pts) for label, (expr, sign) in cases]


# ---------------------------------------------------------------- CMZ-T2
def second_price_bound(dl):
    """Theorem 2's guarantee ((1−δ)/(1+δ))²."""
    return ((1 - dl) / (1 + dl)) ** 2


def t2_route_steps(bound=second_price_bound) -> list:
    """E[SW] ≥ bound(δ)·MSW for second price in undominated strategies, given CMZ-SP-AT.  j* is an
    argmax of tv (MSW = tv_j* = M), w any highest bidder (k of them, each wins w.p. 1/k), every
    K_j ⊆ int_δ(x_j) = [(1−δ)x_j, (1+δ)x_j], tv_j ∈ K_j, σ_j ∈ UDed_j(K_j)."""
    dl = sp.Symbol("delta", positive=True)
    x, a, b, g, M, tvw, sw, sj = sp.symbols("x a b g M tv_w sigma_w sigma_j", nonnegative=True)
    w = sp.Symbol("w", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    tv = sp.IndexedBase("tv")
    slack = sp.IndexedBase("S", nonnegative=True)            # S_w := tv_w − ε·M, shown ≥ 0 for every w
    r = (1 - dl) / (1 + dl)
    eps = bound(dl)
    unit = ((dl, 0, 1),)
    pts = [{dl: sp.Rational(1, 2), M: 1}, {dl: sp.Rational(1, 10), M: 1}]
    return [
        Cite("every σ_j ∈ UDed_j(K_j) lies in [min K_j, max K_j] ⊆ int_δ(x_j) (SP-AT)", "CMZ-SP-AT"),
        Equal("winner w: tv_w = (1−δ)x_w + a and σ_w = (1+δ)x_w − b (a, b ≥ 0, both in int_δ(x_w)) ⇒ "
              "tv_w − r·σ_w = a + r·b", (1 - dl) * x + a - r * ((1 + dl) * x - b), a + r * b),
        Sign("a + r·b ≥ 0: tv_w ≥ (1−δ)x_w ≥ r·σ_w", a + r * b, ">=0", unit),
        Sign("the good goes to a highest bid: σ_w = σ_j* + g, g ≥ 0, so r·(σ_w − σ_j*) ≥ 0", r * g, ">=0", unit),
        Equal("j* = argmax tv: σ_j* = (1−δ)x_j* + a and M = tv_j* = (1+δ)x_j* − b ⇒ σ_j* − r·M = a + r·b (≥ 0)",
              (1 - dl) * x + a - r * ((1 + dl) * x - b), a + r * b),
        Equal("tv_w − ε·M = (tv_w − r·σ_w) + r·(σ_w − σ_j*) + r·(σ_j* − r·M) + (r² − ε)·M",
              tvw - eps * M, (tvw - r * sw) + r * (sw - sj) + r * (sj - r * M) + (r ** 2 - eps) * M, pts),
        Sign("(r² − ε)·M ≥ 0 (M = MSW ≥ 0): with the three bounds above, tv_w − ε·M ≥ 0 for every highest bidder w",
             (r ** 2 - eps) * M, ">=0", unit, points=pts),
        Equal("uniform ties: E[SW] − ε·MSW = Σ_{w=1}^{k} (tv_w − ε·M)/k over the k highest bidders",
              sp.Sum(tv[w], (w, 1, k)) / k - eps * M, sp.Sum((tv[w] - eps * M) / k, (w, 1, k))),
        Sign(f"Σ_w S_w/k ≥ 0 for S_w = tv_w − ε·M ≥ 0: E[SW] ≥ ε·MSW, ε = {sp.sstr(eps)}",
             sp.Sum(slack[w] / k, (w, 1, k)), ">=0"),
    ]


# ---------------------------------------------------------------- CMZ-UIL
def uil_route_steps(min_common: int = 2) -> list:
    """UDed_i(K) ∩ UDed_i(K') ≠ ∅ when L = K ∩ K' has two points c < d, any mechanism with finite
    strategy sets: σ' dominating σ on K dominates it on L (so UDed_i(L) ⊆ UDed_i(K) ∩ UDed_i(K')), and
    UDed_i(L) ≠ ∅.  `min_common` = 1 (L a single point, d = c allowed) is the planted false lemma."""
    t, t0, c = sp.symbols("t t_0 c", real=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    x1, x2, x3, p1, p2, p3 = sp.symbols("x x' x'' p p' p''", real=True)     # x_i, p_i at σ, σ', σ'' (⊔τ)
    al, be, gc, gd = sp.symbols("alpha beta g_c g_d", real=True)
    G1, G2 = sp.Symbol("g_1", nonnegative=True), sp.Symbol("g_2", positive=True)
    d = c + (min_common - 1) + j                  # d − c ≥ min_common − 1 for integer points c ≤ d of L

    def u(tt, x, p):
        return tt * x - p

    def g(tt):
        return al * tt - be
    return [
        Equal("g(t) := u_i(t, σ'⊔τ) − u_i(t, σ⊔τ) = α·t − β with α = x_i(σ'⊔τ) − x_i(σ⊔τ), β = p_i(σ'⊔τ) − "
              "p_i(σ⊔τ): affine in t for every τ", u(t, x2, p2) - u(t, x1, p1), g(t).subs({al: x2 - x1, be: p2 - p1})),
        Sign("|L| ≥ 2 for L = K ∩ K': two integer points c < d of L (d = c + 1 + j, j ≥ 0), d − c > 0", d - c, ">0",
             points=[{c: 0, j: 0}]),
        Equal("affine g: g(t₀)·(d − c) = (d − t₀)·g(c) + (t₀ − c)·g(d) (the pointwise lemma, also proved by z3 for "
              "all reals in the part 'pointwise lemma (all reals)')", g(t0) * (d - c),
              (d - t0) * g(c) + (t0 - c) * g(d)),
        Equal("g(c) = g(d) = 0 would give g(t₀)·(d − c) = 0, i.e. g(t₀) = 0 as d − c > 0: if σ' dominates σ on K "
              "(g_τ ≥ 0 on K ⊇ {c, d}, g_τ₀(t₀) > 0 at some t₀ ∈ K) then g_τ₀(c) > 0 or g_τ₀(d) > 0, so σ' dominates "
              "σ on L: UDed_i(L) ⊆ UDed_i(K), and likewise UDed_i(L) ⊆ UDed_i(K')",
              ((d - t0) * gc + (t0 - c) * gd).subs({gc: 0, gd: 0}), 0),
        Equal("irreflexive: u_i(t, σ⊔τ) − u_i(t, σ⊔τ) = 0, never > 0: no bid dominates itself on L",
              u(t, x1, p1) - u(t, x1, p1), 0),
        Equal("transitive: u(σ'') − u(σ) = (u(σ'') − u(σ')) + (u(σ') − u(σ)) at every t and τ",
              u(t, x3, p3) - u(t, x1, p1), (u(t, x3, p3) - u(t, x2, p2)) + (u(t, x2, p2) - u(t, x1, p1))),
        Sign("transitive, strict: g₁ ≥ 0 (σ'' vs σ') plus g₂ > 0 (σ' vs σ at its strict point) is > 0, and ≥ 0 "
             "everywhere else: σ'' dominates σ on L", G1 + G2, ">0"),
        Assume("finite strategy sets", "a strict partial order (irreflexive, transitive: the steps above) on the "
                                       "finite set of player i's bids has a maximal element — follow 'is dominated "
                                       "by' from any bid; no bid repeats, so the chain stops at an undominated bid: "
                                       "UDed_i(L) ≠ ∅, hence UDed_i(K) ∩ UDed_i(K') ⊇ UDed_i(L) ≠ ∅"),
    ]
