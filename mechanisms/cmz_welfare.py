"""Points and property of CMZ's welfare theorems (CMZ-T2, CMZ-T4): a mechanism δ-implements
ε·MSW in undominated strategies iff for every δ-profile K, every tv ∈ K and every σ ∈ UDed(K),
E[SW(tv, M(σ))] = Σ_j tv_j f_j(σ) ≥ ε·max_j tv_j.

Exact worst case without enumerating K: for a bid profile σ and a candidate argmax player i, the
ratio Σ tv_j f_j / tv_i is smallest when tv_i is the largest value any δ-interval K_i with
σ_i ∈ UDed(K_i) allows and every other tv_j the smallest such value (the ratio is monotone in each
coordinate).  The fast route reads those extremes from endpoint-reduced dominance tables; the
replay confirms the profile it proposes by the plain definitions (σ_j ∈ UDed(K_j) for every
integer t ∈ K_j and τ, K_j a δ-interval, tv_j ∈ K_j, E[SW] from the mechanism's outcome).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from math import gcd
from typing import Callable, Iterator, NamedTuple, Sequence

from .cmz_dominance import dominance_table, undominated_among_by_definition, undominated_bids_by_definition
from .cmz_mechanisms import Mechanism
from .cmz_model import ApproxValuation, bid_ladder, delta_intervals, sorted_profiles_by_max

__all__ = ["WelfareGuarantee", "WorstCase", "WorstRatioByDefinition"]


class WorstCase(NamedTuple):
    """The least E[SW]/MSW at one bid profile, and where it is attained."""

    ratio: Fraction
    K: tuple[ApproxValuation, ...]
    tv: tuple[int, ...]


@dataclass
class WelfareGuarantee:
    """E[SW] ≥ bound(δ, n)·MSW for the mechanisms `make(n, B, δ)` (CMZ-T2, CMZ-T4).

    Points: for each B of the ladder (2, 4, 8, …, B), each n and each δ, every bid profile σ
    (sorted for a symmetric mechanism, smallest top bid first) in which every σ_j is undominated
    for some δ-interval and some tv has max tv > 0 — the profiles the theorem speaks about.
    """

    make: Callable[[int, int, Fraction], Mechanism]
    bound: Callable[[Fraction, int], Fraction]
    _blocks: dict = field(default_factory=dict, repr=False)
    _worst: dict = field(default_factory=dict, repr=False)
    _bounds: dict = field(default_factory=dict, repr=False)

    def _bound(self, d: Fraction, n: int) -> Fraction:
        """bound(δ, n), evaluated once per (δ, n) for the fast route (the replay calls `bound` itself)."""
        key = (d, n)
        if key not in self._bounds:
            self._bounds[key] = self.bound(d, n)
        return self._bounds[key]

    def _block(self, n: int, B: int, d: Fraction):
        """(mechanism, extremes per player): bid s ↦ (min a, K) and (max b, K) over δ-intervals
        K with s ∈ UDed(K), from the endpoint-reduced dominance table."""
        key = (n, B, d)
        if key not in self._blocks:
            mech = self.make(n, B, d)
            ivs = delta_intervals(B, d)
            extremes = {}
            for i in ([0] if mech.symmetric else range(n)):
                table = dominance_table(mech, i)
                lo: dict[int, tuple[int, ApproxValuation]] = {}
                hi: dict[int, tuple[int, ApproxValuation]] = {}
                for K in ivs:
                    for s in table.undominated(K):
                        if s not in lo or K.a < lo[s][0]:
                            lo[s] = (K.a, K)
                        if s not in hi or K.b > hi[s][0]:
                            hi[s] = (K.b, K)
                extremes[i] = (lo, hi)
            self._blocks = {key: (mech, extremes)}         # one block at a time: points come block by block
        return self._blocks[key]

    @staticmethod
    def _player(mech: Mechanism, j: int) -> int:
        return 0 if mech.symmetric else j

    def _candidates(self, n: int, B: int, d: Fraction, sigma: tuple) -> list[WorstCase]:
        """Per candidate argmax player i, the extreme profile (K, tv), ordered by ratio."""
        mech, ext = self._block(n, B, d)
        lo = [ext[self._player(mech, j)][0].get(sigma[j]) for j in range(n)]
        if any(x is None for x in lo):
            return []
        f = mech.allocation(sigma)
        # Σ tv_j f_j over one common denominator L of the allocations (integers; one Fraction per ratio)
        L = 1
        for x in f:
            L = L * x.denominator // gcd(L, x.denominator)
        N = [x.numerator * (L // x.denominator) for x in f]
        out = []
        for i in range(n):
            top, Ki = ext[self._player(mech, i)][1][sigma[i]]
            if top == 0 or any(lo[j][0] > top for j in range(n) if j != i):
                continue
            tv = tuple(top if j == i else lo[j][0] for j in range(n))
            K = tuple(Ki if j == i else lo[j][1] for j in range(n))
            out.append(WorstCase(Fraction(sum(t * m for t, m in zip(tv, N)), L * top), K, tv))
        return sorted(out, key=lambda w: w.ratio)

    @staticmethod
    def blocks(ns: Sequence[int], B: int, deltas: Sequence[Fraction]) -> list[tuple]:
        """(B, n, δ) in the points' order: one mechanism and its dominance tables each (sharding unit)."""
        return [(b, n, d) for b in bid_ladder(B) for n in ns for d in deltas]

    @staticmethod
    def block_weight(block: tuple) -> float:
        """Cost estimate of a block: its table has ~(B+1)² bid pairs × (B+1)^(n−1) opponent profiles."""
        return float((block[0] + 1) ** (block[1] + 1))

    def block_points(self, block: tuple) -> Iterator[dict]:
        b, n, d = block
        mech, _ = self._block(n, b, d)
        profiles = (sorted_profiles_by_max(n, b) if mech.symmetric else
                    sorted(product(range(b + 1), repeat=n), key=lambda v: (max(v), v)))
        for sigma in profiles:
            cands = self._candidates(n, b, d, sigma)
            if cands:
                point = {"n": n, "delta": d, "B": b, "bids": sigma}
                self._worst = {(n, d, b, sigma): cands[0]}
                yield point

    def points(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction]) -> Iterator[dict]:
        for block in self.blocks(ns, B, deltas):
            yield from self.block_points(block)

    def worst(self, point: dict) -> WorstCase:
        key = (point["n"], point["delta"], point["B"], point["bids"])
        if key not in self._worst:
            self._worst = {key: self._candidates(*key[:3], key[3])[0]}
        return self._worst[key]

    def ratio_to_bound(self, point: dict) -> Fraction:
        """(worst E[SW]/MSW at σ) / bound: ≥ 1 exactly where the guarantee holds."""
        return self.worst(point).ratio / self._bound(point["delta"], point["n"])

    def violation(self, point: dict) -> dict | None:
        w, eps = self.worst(point), self._bound(point["delta"], point["n"])
        if w.ratio >= eps:
            return None
        return {"K": w.K, "tv": w.tv, "E[SW]/MSW": w.ratio, "bound": eps}

    def violation_by_definition(self, point: dict) -> dict | None:
        """Each proposed (K, tv) re-checked by the plain definitions; the first confirmed one."""
        n, d, B, sigma = point["n"], point["delta"], point["B"], point["bids"]
        mech = self.make(n, B, d)
        eps = self.bound(d, n)
        f, _ = mech.outcome(sigma)
        for w in self._candidates(n, B, d, sigma):
            if not all(K.is_delta(d) and t in K for K, t in zip(w.K, w.tv)):
                continue
            if not all(undominated_among_by_definition(mech, self._player(mech, j), w.K[j], [sigma[j]])
                       for j in range(n)):
                continue
            sw = sum(t * x for t, x in zip(w.tv, f))
            ratio = sw / max(w.tv)
            if ratio < eps:
                return {"K": w.K, "tv": w.tv, "allocation": tuple(f), "E[SW]": sw, "MSW": max(w.tv),
                        "E[SW]/MSW": ratio, "bound": eps}
        return None


@dataclass
class WorstRatioByDefinition:
    """Cross-check of the fast route's least E[SW]/MSW on small grids: the least ratio over the
    points of `WelfareGuarantee` (endpoint-reduced tables, extreme tv) equals, exactly, the least
    Σ tv_j f_j(σ)/max tv by the plain definitions — every δ-profile K, every σ ∈ ∏ UDed_j(K_j)
    (dominance at every integer t ∈ K_j and every τ), every integer tv ∈ K with max tv > 0.
    Points: per n and δ, one bid range {0..B}."""

    make: Callable[[int, int, Fraction], Mechanism]
    # the bound, where the least ratio attains it: for f^(δ), n = 2, at K = ([0,0], [1,1]), tv = (0, 1)
    # player 2 wins w.p. f^(δ)_2(0, 1) = (2+D)/(2(1+D)) = Theorem 4's bound (CMZ-D), for every δ and B
    tight: Callable[[Fraction, int], Fraction] | None = None

    def points(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction]) -> Iterator[dict]:
        for n in ns:
            for d in deltas:
                yield {"n": n, "delta": d, "B": B}

    @staticmethod
    def intervals(B: int, d: Fraction) -> list[ApproxValuation]:
        """The δ-approximate valuations by their definition: [a, b] ⊆ int_δ(x) = [(1−δ)x, (1+δ)x]
        for some real x, i.e. the x-range [b/(1+δ), a/(1−δ)] is not empty."""
        return [ApproxValuation(a, b) for a in range(B + 1) for b in range(a, B + 1) if b / (1 + d) <= a / (1 - d)]

    def fast(self, p: dict) -> WorstCase | None:
        w = WelfareGuarantee(self.make, lambda d, n: Fraction(1))
        return min((w.worst(q) for q in w.points((p["n"],), p["B"], (p["delta"],)) if q["B"] == p["B"]),
                   key=lambda c: c.ratio, default=None)

    def by_definition(self, p: dict) -> WorstCase | None:
        n, d, B = p["n"], p["delta"], p["B"]
        mech = self.make(n, B, d)
        ivs = self.intervals(B, d)
        ud = {(j, K): sorted(undominated_bids_by_definition(mech, 0 if mech.symmetric else j, K))
              for j in range(n) for K in ivs}
        best: WorstCase | None = None
        for Ks in product(ivs, repeat=n):
            if all(K.b == 0 for K in Ks):
                continue
            for sigma in product(*(ud[(j, K)] for j, K in enumerate(Ks))):
                f, _ = mech.outcome(sigma)
                for tv in product(*(K.points() for K in Ks)):
                    top = max(tv)
                    if top == 0:
                        continue
                    r = sum(t * x for t, x in zip(tv, f)) / top
                    if best is None or r < best.ratio:
                        best = WorstCase(r, Ks, tv)
        return best

    def mismatch(self, p: dict) -> dict | None:
        model, plain = delta_intervals(p["B"], p["delta"]), self.intervals(p["B"], p["delta"])
        if model != plain:
            return {"δ-intervals of the model": tuple(model), "δ-intervals by the definition": tuple(plain)}
        a, b = self.fast(p), self.by_definition(p)
        ra, rb = (None if a is None else a.ratio), (None if b is None else b.ratio)
        if ra == rb and (self.tight is None or rb == self.tight(p["delta"], p["n"])):
            return None
        if ra == rb:
            return {"least E[SW]/MSW (definitions)": rb, "the bound it attains": self.tight(p["delta"], p["n"]),
                    "attained at K": b.K, "tv": b.tv}
        return {"least E[SW]/MSW (fast route)": ra, "least E[SW]/MSW (definitions)": rb,
                "attained (definitions) at K": None if b is None else b.K, "tv": None if b is None else b.tv}
