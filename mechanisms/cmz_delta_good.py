"""Small exact instances of Lemma E.1 (CMZ-E1): a δ-good allocation at σ, σ_j and tv_j in one
int_δ(x_j), i the argmax of tv ⇒ Σ_j tv_j f_j ≥ ε·tv_i with ε = ((1−δ)² + 4δ/n)/(1+δ)².

This is the inequality the lemma's proof establishes once the DML has put every undominated σ_j
inside K_j ⊆ int_δ(x_j) (Eq. (E.2)); its extreme cases are tv_i ∈ {σ_i/r, r·σ_i} and tv_j = r·σ_j
for j ≠ i, r = (1−δ)/(1+δ).

Points: per δ and n, σ = (x, y, …, y) with 1 ≤ x ≤ bid_max, 0 ≤ y ≤ bid_max, win probabilities
f = (k/g, m/(g(n−1)), …) on the grid 1/g with k + m ≤ g, δ-good at σ (Eq. (E.1)), and both
extreme tv_1 — smallest bids first.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable, Iterator, Sequence

from .cmz_model import D_of_delta

__all__ = ["is_delta_good_at", "lemma_e1_instances", "lemma_e1_violation"]


def is_delta_good_at(f: Sequence[Fraction], v: Sequence[Fraction], D: Fraction) -> bool:
    """Eq. (E.1) at one profile: Σ_j f_j v_j + D f_i v_i ≥ (1/n) v_i (n + D) for every i."""
    n = len(v)
    total = sum(a * b for a, b in zip(f, v))
    return all(total + D * f[i] * v[i] >= Fraction(1, n) * v[i] * (n + D) for i in range(n))


def lemma_e1_instances(ns: Sequence[int], deltas: Sequence[Fraction], bid_max: int, grid: int) -> Iterator[dict]:
    for d in deltas:
        D, r = D_of_delta(d), (1 - d) / (1 + d)
        for n in ns:
            for x in range(1, bid_max + 1):
                for y in range(bid_max + 1):
                    sigma = (Fraction(x),) + (Fraction(y),) * (n - 1)
                    for k in range(grid + 1):
                        for m in range(grid + 1 - k):
                            f = (Fraction(k, grid),) + (Fraction(m, grid * (n - 1)),) * (n - 1)
                            if not is_delta_good_at(f, sigma, D):
                                continue
                            for tv1 in (sigma[0] / r, r * sigma[0]):
                                tv = (tv1,) + tuple(r * s for s in sigma[1:])
                                if tv1 >= max(tv):
                                    yield {"n": n, "delta": d, "sigma": sigma, "f": f, "tv": tv}


def lemma_e1_violation(bound: Callable[[Fraction, int], Fraction]) -> Callable[[dict], dict | None]:
    """Σ tv_j f_j < bound(δ, n)·max tv at an instance, re-checking that it is one: f δ-good at σ,
    σ_j and tv_j both in int_δ(x_j) for x_j = max(σ_j, tv_j)/(1+δ)."""
    def prop(p):
        d, n, sigma, f, tv = p["delta"], p["n"], p["sigma"], p["f"], p["tv"]
        if not (is_delta_good_at(f, sigma, D_of_delta(d)) and all(0 <= x <= 1 for x in f) and sum(f) <= 1):
            return "not an instance: f is not a δ-good probability vector at σ"
        for s, t in zip(sigma, tv):
            x = max(s, t) / (1 + d)
            if not ((1 - d) * x <= min(s, t)):
                return "not an instance: σ_j and tv_j are not in one int_δ(x_j)"
        sw = sum(a * b for a, b in zip(tv, f))
        eps = bound(d, n)
        if sw >= eps * max(tv):
            return None
        K = tuple((min(s, t), max(s, t)) for s, t in zip(sigma, tv))
        return {"K_j = [min(σ_j, tv_j), max(σ_j, tv_j)]": K, "E[SW]": sw, "ε·MSW": eps * max(tv)}
    return prop
