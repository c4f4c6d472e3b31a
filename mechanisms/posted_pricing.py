"""Discrete value distributions as atoms, exact expectations by enumeration, and posted prices.

GH (paper 002): the sequential posted price SP(q) of Yan (Section 3.3, Theorem 9),
the ex-ante relaxation EAR(q), and the online IID anonymous posted price of
Theorem 10.  Discrete distributions are tuples of (value, probability) atoms
with exact rationals; quantile curves here are the discrete ones this module
needs (V(q) = ∫₀^q v, top-quantile surplus), nothing more.
"""
from __future__ import annotations

from fractions import Fraction
from itertools import product
from typing import Callable, Iterator, Sequence

from .exact import UsageError, as_rational

__all__ = [
    "Atoms", "atoms", "profiles", "expected", "surplus_curve", "sale_count_distribution",
    "sequential_posted_price_surplus", "ex_ante_relaxation", "yan_order",
    "online_iid_posted_price_consumer_surplus", "posted_price_consumer_surplus",
]

Atoms = tuple[tuple[Fraction, Fraction], ...]   # (value, probability), values strictly decreasing


def atoms(pairs: Sequence[tuple[object, object]], name: str = "distribution") -> Atoms:
    """Validate (value, probability) pairs: exact, values ≥ 0 distinct, probabilities > 0 summing to 1.

    Returned sorted by decreasing value.
    """
    out = []
    for v, p in pairs:
        v, p = as_rational(v, f"{name} value"), as_rational(p, f"{name} probability")
        if v < 0:
            raise UsageError(f"{name}: value {v} is negative")
        if p <= 0:
            raise UsageError(f"{name}: probability {p} of value {v} must be positive")
        out.append((v, p))
    if not out:
        raise UsageError(f"{name} has no atoms")
    if len({v for v, _ in out}) != len(out):
        raise UsageError(f"{name} repeats a value")
    total = sum(p for _, p in out)
    if total != 1:
        raise UsageError(f"{name}: probabilities sum to {total}, not 1")
    return tuple(sorted(out, key=lambda a: -a[0]))


def profiles(dists: Sequence[Atoms]) -> Iterator[tuple[tuple[Fraction, ...], Fraction]]:
    """Every value profile with its probability (product distribution)."""
    for combo in product(*dists):
        prob = Fraction(1)
        for _, p in combo:
            prob *= p
        yield tuple(v for v, _ in combo), prob


def expected(dists: Sequence[Atoms], f: Callable[[tuple[Fraction, ...]], Fraction]) -> Fraction:
    """E[f(v)] exactly, by enumeration over the product of the supports."""
    return sum((prob * f(vals) for vals, prob in profiles(dists)), Fraction(0))


def surplus_curve(dist: Atoms, q: object) -> Fraction:
    """V(q) = ∫₀^q v(t) dt: expected value from the top q quantiles (fractional atom split)."""
    q = as_rational(q, "q")
    if not 0 <= q <= 1:
        raise UsageError(f"q = {q} is outside [0, 1]")
    acc, left = Fraction(0), q
    for v, p in dist:
        take = min(p, left)
        acc += take * v
        left -= take
        if left == 0:
            break
    return acc


def sale_count_distribution(probs: Sequence[Fraction], cap: int) -> list[Fraction]:
    """Distribution of min(#successes, cap) of independent Bernoulli(probs): list index = count."""
    dist = [Fraction(0)] * (cap + 1)
    dist[0] = Fraction(1)
    for p in probs:
        new = [Fraction(0)] * (cap + 1)
        for c, w in enumerate(dist):
            if w == 0:
                continue
            if c == cap:
                new[c] += w
                continue
            new[c] += w * (1 - p)
            new[c + 1] += w * p
        dist = new
    return dist


def yan_order(q: Sequence[Fraction], conditional_values: Sequence[Fraction]) -> list[int]:
    """Agents in decreasing V_i(q_i)/q_i (ties: lower index first); agents with q_i = 0 last."""
    return sorted(range(len(q)), key=lambda i: (q[i] == 0, -conditional_values[i] if q[i] else 0, i))


def sequential_posted_price_surplus(q: Sequence[object], conditional_values: Sequence[object], k: int,
                                    order: Sequence[int] | None = None) -> Fraction:
    """SP(q) of Yan: offer agents (Yan's order unless given) a price selling w.p. q_i while goods remain.

    Agent i's expected value conditioned on a sale is c_i = V_i(q_i)/q_i, so
    SP(q) = Σ_i q_i c_i · Pr[fewer than k sales before i].
    """
    qs = [as_rational(x, "q_i") for x in q]
    cs = [as_rational(x, "c_i") for x in conditional_values]
    if len(qs) != len(cs):
        raise UsageError("q and conditional values differ in length")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise UsageError(f"k = {k!r} must be a positive integer")
    for x in qs:
        if not 0 <= x <= 1:
            raise UsageError(f"q_i = {x} is outside [0, 1]")
    idx = list(order) if order is not None else yan_order(qs, cs)
    total, seen = Fraction(0), []
    for i in idx:
        room = sum(sale_count_distribution(seen, k)[:k])
        total += qs[i] * cs[i] * room
        seen.append(qs[i])
    return total


def ex_ante_relaxation(q: Sequence[object], conditional_values: Sequence[object]) -> Fraction:
    """EAR(q) = Σ_i V_i(q_i) = Σ_i q_i c_i."""
    return sum((as_rational(a, "q_i") * as_rational(c, "c_i") for a, c in zip(q, conditional_values)), Fraction(0))


def posted_price_consumer_surplus(dist: Atoms, price: object) -> tuple[Fraction, Fraction]:
    """(sale probability, expected consumer surplus) of price p to one agent (buys iff value ≥ p)."""
    p = as_rational(price, "price")
    sale = sum((w for v, w in dist if v >= p), Fraction(0))
    cs = sum((w * (v - p) for v, w in dist if v >= p), Fraction(0))
    return sale, cs


def online_iid_posted_price_consumer_surplus(dist: Atoms, n: int, price: object) -> Fraction:
    """Theorem 10's mechanism: one anonymous price to n IID agents in turn, first taker wins.

    Expected consumer surplus = (1 − (1 − q)ⁿ)/q · U(q) with q the sale probability
    and U(q) the one-agent consumer surplus (0 when q = 0).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise UsageError(f"n = {n!r} must be a positive integer")
    q, cs = posted_price_consumer_surplus(dist, price)
    if q == 0:
        return Fraction(0)
    return (1 - (1 - q) ** n) / q * cs
