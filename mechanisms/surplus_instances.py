"""Exact instances for GH's surplus claims (paper 002): the points the bounded checks enumerate and
the quantities they compare, each by a fast closed form and by the plain definition.

Order of every generator: smaller instances first (fewer atoms, then smaller n), then
lexicographic, so that the first violation an enumeration meets is a smallest one.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Iterator, Sequence

import sympy as sp

from .distributions import DiscreteDistribution, discrete_family
from .quantile_curves import consumer_surplus, consumer_surplus_envelope, ironed_consumer_surplus

__all__ = [
    "eq2_quantiles", "eq2_points", "eq2_rhs", "eq2_rhs_by_integration", "surplus_by_definition",
    "ironed_eq2_rhs", "price_zero_points", "price_zero_consumer_surplus",
    "iid_points", "expected_max", "expected_max_by_profiles", "best_posted_consumer_surplus",
    "best_posted_consumer_surplus_by_profiles", "divisible_pairs", "exponential_top_k",
    "exponential_top_k_by_counts", "exponential_order_mean", "exponential_order_mean_by_density",
]


def _sym(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


# ------------------------------------------------------------------ Eq. (2) on step functions (GH-L2)
def _steps(d: DiscreteDistribution) -> list[tuple[Fraction, Fraction, Fraction]]:
    """U as (l, r, c): U = c on [l, r) (the envelope's left ends), U(1) = V(1)."""
    env = consumer_surplus_envelope(d)
    return [(l, r, c) for (l, c), (r, _) in zip(env, env[1:])]


def eq2_quantiles(d: DiscreteDistribution) -> tuple[Fraction, ...]:
    """Every quantile break Q_j > 0 and the midpoint of every step of U, increasing."""
    return tuple(sorted(set(d.quantile_breaks()[1:]) | {(l + r) / 2 for l, r, _ in _steps(d)}))


def eq2_points(max_value: int, atoms: int, probabilities: Sequence[Fraction]) -> Iterator[dict]:
    """{values, probabilities, q}: distributions on {0..max_value} (`discrete_family` order), q increasing."""
    for d in discrete_family(range(max_value + 1), atoms, probabilities):
        for q in eq2_quantiles(d):
            yield {**d.as_point(), "q": q}


def eq2_rhs(d: DiscreteDistribution, q: Fraction) -> Fraction:
    """q·U(1) + q·∫_q^1 U(t)/t² dt for the step function U: ∫ c/t² over [l', r) is c·(1/l' − 1/r)."""
    U1 = consumer_surplus_envelope(d)[-1][1]
    return q * U1 + q * sum((c * (1 / max(l, q) - 1 / r) for l, r, c in _steps(d) if r > q), Fraction(0))


def eq2_rhs_by_integration(d: DiscreteDistribution, q: Fraction) -> sp.Expr:
    """The same right side by sympy integration of U(t)/t², U(t) = V(t) − t·v(t) sampled per step."""
    t = sp.Symbol("t", positive=True)
    total = sp.Integer(0)
    for l, r, _ in _steps(d):
        if r <= q:
            continue
        lo = max(l, q)
        c = consumer_surplus(d, (lo + r) / 2)          # U is constant on the step
        total += sp.integrate(_sym(c) / t ** 2, (t, _sym(lo), _sym(r)))
    return _sym(q) * _sym(consumer_surplus(d, 1)) + _sym(q) * total


def surplus_by_definition(d: DiscreteDistribution, q: Fraction) -> Fraction:
    """V(q) = ∫_0^q v: value a_j on [Q_{j−1}, Q_j), summed over the overlap with [0, q]."""
    Q = d.quantile_breaks()
    return sum((a * max(Fraction(0), min(Q[j + 1], q) - Q[j]) for j, a in enumerate(d.values)), Fraction(0))


def ironed_eq2_rhs(d: DiscreteDistribution, q: Fraction) -> sp.Expr:
    """V̂(q) by Eq. (2) with Û = Ū (piecewise linear α + βt): ∫ (α + βt)/t² = α(1/l' − 1/r) + β·ln(r/l')."""
    total = sp.Integer(0)
    for l, r, alpha, beta in ironed_consumer_surplus(d).segments():
        if r <= q:
            continue
        lo = max(l, q)
        total += _sym(alpha) * (1 / _sym(lo) - 1 / _sym(r)) + _sym(beta) * sp.log(_sym(r) / _sym(lo))
    return _sym(q) * _sym(ironed_consumer_surplus(d)(1)) + _sym(q) * total


# ------------------------------------------------------------------ v(1) := 0 (GH-ASSUME)
def price_zero_points(values: Sequence[Fraction], atoms: int, probabilities: Sequence[Fraction]) -> Iterator[dict]:
    for d in discrete_family(values, atoms, probabilities):
        yield d.as_point()


def price_zero_consumer_surplus(d: DiscreteDistribution) -> Fraction:
    """The consumer surplus of posting price 0, by definition: Σ (a − 0)·p over the values a > 0."""
    return sum((a * p for a, p in d.items() if a > 0), Fraction(0))


# ------------------------------------------------------------------ IID posted prices (GH-T10)
def iid_points(n_max: int, max_value: int, atoms: int, probabilities: Sequence[Fraction]) -> Iterator[dict]:
    """{n, values, probabilities}: n = 1..n_max, then distributions on {0..max_value} with mean > 0."""
    for n in range(1, n_max + 1):
        for d in discrete_family(range(max_value + 1), atoms, probabilities):
            if d.mean() > 0:
                yield {"n": n, **d.as_point()}


def expected_max(d: DiscreteDistribution, n: int) -> Fraction:
    """E[max of n IID draws] = Σ_j a_j·(Pr[max ≥ a_j] − Pr[max ≥ a_{j−1}]), Pr[max ≥ a_j] = 1 − (1 − Q_j)ⁿ."""
    Q = d.quantile_breaks()
    return sum((a * ((1 - (1 - Q[j + 1]) ** n) - (1 - (1 - Q[j]) ** n)) for j, a in enumerate(d.values)),
               Fraction(0))


def _profiles(d: DiscreteDistribution, n: int):
    for prof in itertools.product(d.items(), repeat=n):
        pr = Fraction(1)
        for _, p in prof:
            pr *= p
        yield tuple(v for v, _ in prof), pr


def expected_max_by_profiles(d: DiscreteDistribution, n: int) -> Fraction:
    """E[max] by enumerating every profile of n IID values."""
    return sum((max(vals) * pr for vals, pr in _profiles(d, n)), Fraction(0))


def best_posted_consumer_surplus(d: DiscreteDistribution, n: int) -> Fraction:
    """max over prices v(q) of (1 − (1 − q)ⁿ)/q · U(q) = Σ_{i<n} (1 − q)^i · U(q), over U's envelope."""
    return max(sum((1 - q) ** i for i in range(n)) * c for q, c in consumer_surplus_envelope(d))


def best_posted_consumer_surplus_by_profiles(d: DiscreteDistribution, n: int) -> Fraction:
    """max over anonymous prices p ∈ values ∪ {0} of E[v − p of the first agent with v > p] (online, IID)."""
    best = Fraction(0)
    for price in sorted(set(d.values) | {Fraction(0)}):
        cs = Fraction(0)
        for vals, pr in _profiles(d, n):
            buyer = next((v for v in vals if v > price), None)
            cs += pr * (buyer - price if buyer is not None else 0)
        best = max(best, cs)
    return best


# ------------------------------------------------------------------ exponential k goods (GH-L4)
def divisible_pairs(n_max: int) -> Iterator[dict]:
    """{n, k} with k | n, n = 1..n_max, k increasing."""
    for n in range(1, n_max + 1):
        for k in range(1, n + 1):
            if n % k == 0:
                yield {"n": n, "k": k}


def exponential_order_mean(n: int, i: int) -> Fraction:
    """E[i-th largest of n IID Exp(1)], by Rényi: Σ_{j=i}^{n} 1/j (the spacings have means 1/j)."""
    return sum((Fraction(1, j) for j in range(i, n + 1)), Fraction(0))


def exponential_top_k(n: int, k: int) -> Fraction:
    """E[sum of the k largest of n IID Exp(1)], by Rényi: the sum of `exponential_order_mean(n, i)`, i ≤ k."""
    return sum((exponential_order_mean(n, i) for i in range(1, k + 1)), Fraction(0))


def exponential_top_k_by_counts(n: int, k: int) -> Fraction:
    """The same sum regrouped by spacing: the j-th spacing (mean 1/j) counts in min(j, k) of the top k."""
    return sum((Fraction(min(j, k), j) for j in range(1, n + 1)), Fraction(0))


def exponential_order_mean_by_density(n: int, i: int) -> Fraction:
    """E[i-th largest of n IID Exp(1)] without Rényi: its quantile q = e^(−X) is Beta(i, n − i + 1), and
    ∫₀¹ −ln q·q^a dq = 1/(a + 1)², so E = n!/((i−1)!(n−i)!)·Σ_(l=0..n−i) C(n−i, l)(−1)^l/(i + l)²."""
    if not 1 <= i <= n:
        raise ValueError(f"need 1 ≤ i ≤ n, got i={i}, n={n}")
    scale = math.factorial(n) // (math.factorial(i - 1) * math.factorial(n - i))
    return scale * sum((Fraction((-1) ** l * math.comb(n - i, l), (i + l) ** 2) for l in range(n - i + 1)),
                       Fraction(0))


# ------------------------------------------------------------------ step marginals (GH-L1)
def step_marginals(grid: int, u_max: int, max_breaks: int = 2, regular: bool = True) -> Iterator[dict]:
    """{breakpoints, u_values}: u = u_values[i] on (breakpoints[i], breakpoints[i+1]), inner breakpoints
    ⊂ {1/grid, …, (grid−1)/grid} (at most `max_breaks`), values in {0..u_max}, the first > 0;
    non-increasing when `regular` (consumer-surplus regular).  Order: fewer pieces first, then
    breakpoints and values lexicographically (values from the largest down)."""
    inner_grid = [Fraction(i, grid) for i in range(1, grid)]
    for r in range(0, max_breaks + 1):
        for inner in itertools.combinations(inner_grid, r):
            br = (Fraction(0),) + inner + (Fraction(1),)
            for vals in itertools.product(range(u_max, -1, -1), repeat=r + 1):
                if vals[0] == 0:
                    continue
                if regular and any(a < b for a, b in zip(vals, vals[1:])):
                    continue
                yield {"breakpoints": br, "u_values": tuple(Fraction(x) for x in vals)}
