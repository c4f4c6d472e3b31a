"""GH-T9 (Yan 2011) for every n and k: the correlation-gap argument as typed steps.

SP(q) ≥ γ(k)·EAR(q) ≥ (1 − 1/√(2πk))·EAR(q), γ(k) = 1 − e^{−k}kᵏ/k!, in four moves:

A. Abel summation reduces SP ≥ ρ·EAR (Yan's order c₁ ≥ … ≥ c_n ≥ 0) to the prefix inequalities
   E[min(X_j, k)] ≥ ρ·μ_j, X_j = Σ_{i≤j} Bernoulli(q_i), μ_j = Σ_{i≤j} q_i ≤ k;
B. E[min(X, k)] = μ − E(X − k)⁺ and the stop-loss order: Bernoulli(p) below Poisson(p) at every
   hinge t ↦ E(· − t)⁺, kept under independent sums, so E[min(X, k)] ≥ g(μ) := E[min(Poisson(μ), k)];
C. g(μ)/μ = E f(Poisson(μ)) with f(m) = min(m+1, k)/(m+1) non-increasing, hence non-increasing in μ:
   g(μ)/μ ≥ g(k)/k for μ ≤ k, and g(k)/k = γ(k) (a telescoping sum);
D. Stirling's lower bound k! ≥ √(2πk)(k/e)ᵏ: a_k = k!eᵏ/k^{k+1/2} decreases to √(2π).

One external fact is assumed, named: the stop-loss order survives adding an independent summand
(condition on it; Shaked & Shanthikumar 2007, Thm 3.A.12).  Calculus glue in the labels (termwise
differentiation of an entire power series, the integral of a non-negative function is ≥ 0) is textbook.
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

from mechproof import Assume, Equal, Limit, Method, Part, Role, Sign, steps_check

__all__ = ["yan_route_steps", "t9_route_part", "t9_family_steps", "t9_family_part", "YAN_MODEL"]

k = sp.Symbol("k", integer=True, positive=True)
d = sp.Symbol("d", integer=True, nonnegative=True)
j = sp.Symbol("j", integer=True, positive=True)
i = sp.Symbol("i", integer=True, nonnegative=True)
N = sp.Symbol("N", integer=True, positive=True)
mu = sp.Symbol("mu", positive=True)
p, r, u, t = sp.symbols("p r u t", nonnegative=True)
z, w = sp.Symbol("z", real=True), sp.Symbol("w", nonnegative=True)
s, a, b = sp.symbols("s a b", real=True)
c_j, c_next, S_j, s_next = sp.symbols("c_j c_next S_j s_next", real=True)
G = sp.Function("G")

YAN_MODEL = ("SP's model (the paper's): agent i, offered v_i(q_i) while goods remain, accepts with probability "
             "exactly q_i, independently of the others (quantile model, ties at an atom broken at random), and "
             "E[v_i | accepts] = V_i(q_i)/q_i =: c_i; agents with q_i = 0 never accept and go last")


def _gamma(kk):
    """γ(k) = 1 − e^{−k}kᵏ/k!."""
    return 1 - sp.exp(-kk) * kk ** kk / sp.factorial(kk)


def _stirling_a(kk):
    return sp.factorial(kk) * sp.exp(kk) / kk ** (kk + sp.Rational(1, 2))


def _log_a(kk):
    """ln a_k = ln k! + k − (k + 1/2)·ln k."""
    return sp.log(sp.factorial(kk)) + kk - (kk + sp.Rational(1, 2)) * sp.log(kk)


def yan_route_steps(claimed: Callable = None, stirling=sp.sqrt(2 * sp.pi), gamma: Callable = _gamma) -> list:
    """The steps; `claimed(k)` is the factor ρ claimed (default Yan's 1 − 1/√(2πk)); `stirling` the
    limit of a_k and `gamma` the closed form of g(k)/k — both planted wrong in tests."""
    if claimed is None:
        claimed = lambda kk: 1 - 1 / sp.sqrt(2 * sp.pi * kk)       # noqa: E731
    F = lambda x: x * k ** x / sp.factorial(x)                      # noqa: E731  telescoping potential
    f = lambda m: sp.Min(m + 1, k) / (m + 1)                        # noqa: E731
    half = sp.Rational(1, 2)
    m_k = k + half
    return [
        # A. reduction to prefixes
        Equal("A1. sales increment below k: min(x+1, k) − min(x, k) = 1 for integers x = k−1−d ≤ k−1, so "
              "min(X_j, k) = Σ_{i≤j} B_i·1[X_{i−1} < k] and, B_i independent of X_{i−1}, E[min(X_j, k)] = "
              "Σ_{i≤j} q_i·Pr[X_{i−1} < k] = expected sales to agents 1..j",
              sp.Min(k - d, k) - sp.Min(k - 1 - d, k), 1),
        Equal("A2. sales increment at k: min(x+1, k) − min(x, k) = 0 for x = k + d ≥ k (no good left)",
              sp.Min(k + d + 1, k) - sp.Min(k + d, k), 0),
        Equal("A3. Abel summation, induction step: R_{j+1} − R_j = c_{j+1}s_{j+1} for R_j = Σ_{i<j}(c_i − c_{i+1})S_i "
              "+ c_jS_j, so SP = Σ c_i s_i (s_i = sales increment) and EAR = Σ c_i q_i both expand over prefixes "
              "with weights c_j − c_{j+1} ≥ 0 (Yan's order) and c_n ≥ 0: SP ≥ ρ·EAR once E[min(X_j, k)] ≥ "
              "ρ·μ_j for every prefix j, μ_j = Σ_{i≤j} q_i ≤ k",
              (c_j - c_next) * S_j + c_next * (S_j + s_next) - c_j * S_j, c_next * s_next),
        # B. Bernoulli sums below Poisson in the stop-loss order
        Equal("B1. min(x, k) = x − (x − k)⁺ (case x = k − w ≤ k), so E[min(X, k)] = μ − E(X − k)⁺",
              sp.Min(z - w, z), (z - w) - sp.Max(-w, 0)),
        Equal("B1'. min(x, k) = x − (x − k)⁺ (case x = k + w ≥ k)", sp.Min(z + w, z), (z + w) - sp.Max(w, 0)),
        Equal("B2. hinge t ∈ [0, 1]: E(Poisson(p) − t)⁺ − E(Bernoulli(p) − t)⁺ = (p − t + t·e^{−p}) − p(1 − t) "
              "= t·∫₀ᵖ (p − r)e^{−r} dr  ((x − t)⁺ = x − t + t·1[x = 0] on integers x ≥ 0); for t ≤ 0 both are "
              "p − t, for t ≥ 1 the Bernoulli side is 0",
              (p - t + t * sp.exp(-p)) - p * (1 - t), t * sp.Integral((p - r) * sp.exp(-r), (r, 0, p))),
        Sign("B3. the integrand (p − r)e^{−r} ≥ 0 for 0 ≤ r ≤ p: Bernoulli(p) lies below Poisson(p) at every "
             "hinge (t ≥ 0)", (p - r) * sp.exp(-r), ">=0", ((r, 0, p),)),
        Assume("B4. stop-loss order under independent sums",
               "if E(X − t)⁺ ≤ E(Y − t)⁺ for every t and Z is independent of X and of Y, then "
               "E(X + Z − t)⁺ = E_Z[E(X − (t − Z))⁺] ≤ E(Y + Z − t)⁺ for every t (condition on Z; "
               "Shaked & Shanthikumar 2007, Thm 3.A.12)"),
        Equal("B5. Poisson additivity: e^{a(s−1)}·e^{b(s−1)} = e^{(a+b)(s−1)} (generating functions), so replacing "
              "each Bernoulli(q_i) by Poisson(q_i) in turn gives E(X_j − k)⁺ ≤ E(Poisson(μ_j) − k)⁺, i.e. "
              "E[min(X_j, k)] ≥ g(μ_j) := E[min(Poisson(μ_j), k)]",
              sp.exp(a * (s - 1)) * sp.exp(b * (s - 1)), sp.exp((a + b) * (s - 1))),
        # C. g(μ)/μ is non-increasing
        Equal("C1. size bias: min(j, k)·μʲ/j! = μ·(min(j, k)/j)·μ^{j−1}/(j−1)! (j ≥ 1), so g(μ)/μ = "
              "E f(Poisson(μ)) with f(m) = min(m + 1, k)/(m + 1)",
              sp.Min(j, k) * mu ** j / sp.factorial(j), mu * (sp.Min(j, k) / j) * mu ** (j - 1) / sp.factorial(j - 1)),
        Equal("C2. d/dμ (e^{−μ}μʲ/j!) = e^{−μ}μ^{j−1}/(j−1)! − e^{−μ}μʲ/j!, so (termwise, an entire series) "
              "d/dμ E f(Poisson(μ)) = E[f(P + 1) − f(P)]",
              sp.diff(sp.exp(-mu) * mu ** j / sp.factorial(j), mu),
              sp.exp(-mu) * mu ** (j - 1) / sp.factorial(j - 1) - sp.exp(-mu) * mu ** j / sp.factorial(j)),
        Equal("C3. f(m + 1) − f(m) = 0 for m + 2 = k − d ≤ k", f(k - d - 1) - f(k - d - 2), 0),
        Sign("C4. f(m + 1) − f(m) ≤ 0 for m + 1 = k + d ≥ k: f is non-increasing, so g(μ)/μ is non-increasing "
             "and g(μ_j)/μ_j ≥ g(k)/k (μ_j ≤ k)", f(k + d) - f(k + d - 1), "<=0"),
        Equal("C5. telescoping: Σ_{i=0}^{N−1}(G(i+1) − G(i)) = G(N) − G(0)",
              sp.Sum(G(i + 1) - G(i), (i, 0, N - 1)), G(N) - G(0)),
        Equal("C6. with G(i) = i·kⁱ/i!: G(i+1) − G(i) = (k − i)kⁱ/i!, so E(k − Poisson(k))⁺ = "
              "e^{−k}Σ_{i<k}(k − i)kⁱ/i! = e^{−k}(G(k) − G(0)) = e^{−k}k^{k+1}/k!",
              F(i + 1) - F(i), (k - i) * k ** i / sp.factorial(i)),
        Equal("C7. g(k)/k = (k − E(k − Poisson(k))⁺)/k = γ(k) (min(x, k) = k − (k − x)⁺)",
              (k - sp.exp(-k) * k ** (k + 1) / sp.factorial(k)) / k, gamma(k), points=[{k: 1}, {k: 2}]),
        # D. Stirling's lower bound
        Equal("D1. ln a_k − ln a_{k+1} = (k + 1/2)(ln(k+1) − ln k) − 1 for a_k = k!eᵏ/k^{k+1/2}",
              _log_a(k) - _log_a(k + 1), (k + half) * (sp.log(k + 1) - sp.log(k)) - 1),
        Equal("D2. ln(k+1) − ln k − 1/(k + 1/2) = ∫₀^{1/2} 2u²/(m(m² − u²)) du, m = k + 1/2",
              sp.log(k + 1) - sp.log(k) - 1 / m_k, sp.Integral(2 * u ** 2 / (m_k * (m_k ** 2 - u ** 2)), (u, 0, half))),
        Sign("D3. the integrand is ≥ 0 on [0, 1/2]: (k + 1/2)·ln(1 + 1/k) ≥ 1, so a_k ≥ a_{k+1}",
             2 * u ** 2 / (m_k * (m_k ** 2 - u ** 2)), ">=0", ((u, 0, half),)),
        Limit("D4. ln a_k → ln √(2π) (Stirling): a decreasing sequence is ≥ its limit, a_k ≥ √(2π)",
              _log_a(k), k, sp.oo, sp.log(stirling)),
        Equal("D5. 1 − γ(k) = e^{−k}kᵏ/k! = 1/(a_k·√k) ≤ 1/√(2πk)", 1 - gamma(k), 1 / (_stirling_a(k) * sp.sqrt(k)),
              points=[{k: 1}, {k: 2}]),
        Sign("D6. the claimed factor: 1 − ρ(k) − 1/(√(2π)·√k) ≥ 0, so γ(k) ≥ ρ(k) and SP ≥ γ(k)·EAR ≥ ρ(k)·EAR",
             1 - claimed(k) - 1 / (sp.sqrt(2 * sp.pi) * sp.sqrt(k)), ">=0",
             points=[{k: 1}, {k: 2}, {k: 3}, {k: 10}]),
    ]


def t9_route_part(claimed: Callable = None, **plants) -> Part:
    return Part("all n and k (correlation gap)", method=Method.DERIVATION, role=Role.ROUTE,
                domain="every n ≥ 1, k ≥ 1, q ∈ Δ and every distribution",
                check=steps_check(lambda: yan_route_steps(claimed, **plants),
                                  summary="SP(q) ≥ γ(k)·EAR(q) ≥ (1 − 1/√(2πk))·EAR(q)"),
                technique="Abel summation to prefixes, stop-loss order Bernoulli ≤ Poisson, g(μ)/μ non-increasing, "
                          "Stirling's lower bound",
                assumes=(YAN_MODEL,))


def t9_family_steps(limit_value=1 - sp.exp(-1), claimed: Callable = None) -> list:
    """The Poisson family: n agents with q_i = k/n, c ≡ 1.  k = 1 in closed form; `limit_value` planted wrong."""
    if claimed is None:
        claimed = lambda kk: 1 - 1 / sp.sqrt(2 * sp.pi * kk)       # noqa: E731
    nn = sp.Symbol("n", integer=True, positive=True)
    ii = sp.Symbol("i", integer=True, positive=True)
    return [
        Equal("k = 1, n agents with q_i = 1/n, c_i = 1: EAR = 1 and SP = Σ_{i≤n} (1/n)(1 − 1/n)^{i−1} = "
              "1 − (1 − 1/n)ⁿ", sp.Sum((1 - 1 / nn) ** (ii - 1) / nn, (ii, 1, nn)), 1 - (1 - 1 / nn) ** nn),
        Limit("SP/EAR = 1 − (1 − 1/n)ⁿ → 1 − 1/e = γ(1) as n → ∞: the route's constant γ(1) is approached",
              1 - (1 - 1 / nn) ** nn, nn, sp.oo, limit_value),
        Sign("γ(1) − ρ(1) = 1/√(2π) − 1/e > 0: at k = 1 Yan's factor is slack (the best factor is γ(1))",
             _gamma(sp.Integer(1)) - claimed(1), ">0"),
        Equal("every k: the Poisson instance (the limit q_i = k/n, n → ∞) has SP/EAR = g(k)/k = γ(k) (route, C5–C7) "
              "and (1 − γ(k))·√(2πk) = √(2π)/a_k → 1 (route, D4): Yan's factor is exact as k → ∞",
              (1 - _gamma(k)) * sp.sqrt(2 * sp.pi * k), sp.sqrt(2 * sp.pi) / _stirling_a(k), points=[{k: 1}, {k: 3}]),
    ]


def t9_family_part(**plants) -> Part:
    return Part("tightness: the Poisson family", method=Method.DERIVATION, role=Role.CROSS_CHECK,
                domain="n agents with q_i = k/n, c ≡ 1, n → ∞ (k = 1 in closed form); k → ∞",
                check=steps_check(lambda: t9_family_steps(**plants),
                                  summary="slack for each k (the best factor is γ(k) > 1 − 1/√(2πk), approached by "
                                          "the Poisson family); asymptotically tight as k → ∞"))
