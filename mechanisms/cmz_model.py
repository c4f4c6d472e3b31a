"""The bounded CMZ model (paper 000, CLAIMS.md "CMZ — Model").

n players, bids and true values in {0,…,B}, inaccuracy δ ∈ (0,1) rational.
An approximate valuation is an integer interval K = [a, b] with
(1−δ)·b ≤ (1+δ)·a, i.e. K ⊆ int_δ(x) = [(1−δ)x, (1+δ)x] for some real x
(take x ∈ [b/(1+δ), a/(1−δ)]).  D(δ) = ((1+δ)/(1−δ))² − 1 = 4δ/(1−δ)².
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations_with_replacement, product
from math import comb
from typing import Iterator

from .exact import UsageError, check_delta

__all__ = [
    "ApproxValuation", "D_of_delta", "welfare_bound_second_price",
    "welfare_bound_f_delta", "is_delta_interval", "delta_intervals", "delta_profiles",
    "approx_intervals", "check_n", "check_B", "bid_profiles", "sorted_profiles",
    "sorted_profiles_by_max", "count_sorted_profiles", "bid_ladder", "DEFAULT_DELTAS",
]

DEFAULT_DELTAS: tuple[Fraction, ...] = (Fraction(1, 10), Fraction(1, 4), Fraction(1, 3),
                                        Fraction(1, 2), Fraction(2, 3))


def check_n(n: object) -> int:
    """Number of players: an int ≥ 2 (CMZ model)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise UsageError(f"n = {n!r} must be an integer ≥ 2 (number of players)")
    return n


def check_B(B: object) -> int:
    """Bid bound: an int ≥ 1; bids and values range over {0,…,B}."""
    if isinstance(B, bool) or not isinstance(B, int) or B < 1:
        raise UsageError(f"B = {B!r} must be an integer ≥ 1 (bids lie in {{0,…,B}})")
    return B


def D_of_delta(delta: object) -> Fraction:
    """D(δ) = ((1+δ)/(1−δ))² − 1 (CMZ Def. E.2), exact."""
    d = check_delta(delta)
    return ((1 + d) / (1 - d)) ** 2 - 1


def welfare_bound_second_price(delta: object) -> Fraction:
    """((1−δ)/(1+δ))², the CMZ Theorem 2 bound."""
    d = check_delta(delta)
    return ((1 - d) / (1 + d)) ** 2


def welfare_bound_f_delta(delta: object, n: int) -> Fraction:
    """((1−δ)² + 4δ/n)/(1+δ)², the CMZ Theorem 4 bound."""
    d = check_delta(delta)
    check_n(n)
    return ((1 - d) ** 2 + 4 * d / n) / (1 + d) ** 2


def is_delta_interval(a: int, b: int, delta: Fraction) -> bool:
    """[a, b] is a δ-approximate valuation: a ≤ b and (1−δ)b ≤ (1+δ)a."""
    return a <= b and (1 - delta) * b <= (1 + delta) * a


@dataclass(frozen=True, order=True)
class ApproxValuation:
    """An integer interval K = [a, b] ⊆ {0,…,B} (CMZ approximate valuation)."""

    a: int
    b: int

    def __post_init__(self) -> None:
        for name in ("a", "b"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int):
                raise UsageError(f"interval endpoint {name} = {v!r} must be an integer")
        if self.a < 0:
            raise UsageError(f"interval [{self.a}, {self.b}] has a negative endpoint")
        if self.a > self.b:
            raise UsageError(f"interval [{self.a}, {self.b}] is empty (a > b)")

    def is_delta(self, delta: object) -> bool:
        return is_delta_interval(self.a, self.b, check_delta(delta))

    def __contains__(self, t: object) -> bool:
        return self.a <= t <= self.b  # type: ignore[operator]

    def points(self) -> range:
        return range(self.a, self.b + 1)

    def __str__(self) -> str:
        return f"[{self.a},{self.b}]"


def delta_intervals(B: int, delta: object) -> list[ApproxValuation]:
    """All δ-approximate valuations [a, b] ⊆ {0,…,B}, sorted."""
    check_B(B)
    d = check_delta(delta)
    return [ApproxValuation(a, b) for a in range(B + 1) for b in range(a, B + 1) if is_delta_interval(a, b, d)]


def approx_intervals(B: int) -> list[ApproxValuation]:
    """Every interval that is a δ-approximate valuation for SOME δ ∈ (0,1): [0,0] and all [a,b], a ≥ 1."""
    check_B(B)
    return [ApproxValuation(0, 0)] + [ApproxValuation(a, b) for a in range(1, B + 1) for b in range(a, B + 1)]


def delta_profiles(n: int, B: int, delta: object) -> Iterator[tuple[ApproxValuation, ...]]:
    """Every δ-profile K = (K_1,…,K_n) of the bounded domain."""
    check_n(n)
    return product(delta_intervals(B, delta), repeat=n)


def bid_profiles(m: int, B: int) -> Iterator[tuple[int, ...]]:
    """All of {0,…,B}^m (m may be 0)."""
    return product(range(B + 1), repeat=m)


def sorted_profiles(m: int, B: int) -> Iterator[tuple[int, ...]]:
    """One representative (non-increasing) of each multiset in {0,…,B}^m."""
    for c in combinations_with_replacement(range(B, -1, -1), m):
        yield c


def sorted_profiles_by_max(m: int, B: int) -> Iterator[tuple[int, ...]]:
    """The non-increasing profiles of {0,…,B}^m, smallest top bid first (then lexicographic):
    an enumeration in this order meets the smallest counterexample first."""
    for top in range(B + 1):
        rests = sorted(tuple(reversed(c)) for c in combinations_with_replacement(range(top + 1), m - 1))
        for rest in rests:
            yield (top,) + rest


def count_sorted_profiles(m: int, B: int) -> int:
    """|{non-increasing profiles in {0,…,B}^m}| = C(B + m, m)."""
    return comb(B + m, m)


def bid_ladder(B: int) -> tuple[int, ...]:
    """The bid bounds a bounded check runs, smallest first: 2, 4, 8 (those below B), then B.

    Each is a separate instance of the model (bids in {0..b}), so a counterexample found
    first is a small one."""
    check_B(B)
    return tuple(sorted({b for b in (2, 4, 8) if b < B} | {B}))
