"""Points and properties of CMZ's claims about all mechanisms, by plain Fraction evaluation of
table mechanisms (mechanisms.cmz_tables): CMZ-UIL (the finite family, and the replay of every
z3 witness), CMZ-T1 (random assignment; the paper's argument on the grid), CMZ-T3/T5 (the hard
instance).  The z3 side of these claims is in smt/cmz_*.py; every z3 model is replayed here.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import product
from typing import Callable, Iterator, Sequence

from .cmz_model import ApproxValuation, delta_intervals, delta_profiles
from .cmz_tables import (TableMechanism, all_intervals, common_points, direct_truthfulness_violation,
                         hard_instance, hard_instance_brute_force, overlap_components, random_assignment,
                         undominated_strategies, worst_case_ratio_pointwise, worst_truthful_welfare,
                         worst_undominated_welfare)

__all__ = [
    "intersection_pairs", "intersection_violation", "FiniteFamily", "random_assignment_points",
    "random_assignment_violation", "random_assignment_gap", "t1_proof_bound", "HardInstanceBound", "continuum_bound",
    "second_price_bound", "grid_target", "guarantee_violation", "dominance_survives_violation",
    "T1_GRID", "SEARCH_EXTRA", "t1_grid_points", "guarantee_grids", "grid_points",
]


# ---------------------------------------------------------------- CMZ-UIL
def intersection_pairs(B: int, min_common: int = 2, delta: Fraction | None = None
                       ) -> list[tuple[ApproxValuation, ApproxValuation]]:
    """Unordered pairs of integer intervals in {0..B} (δ-intervals only if `delta` is given)
    sharing ≥ min_common integer points, smallest first (largest endpoint, then span)."""
    ivs = all_intervals(B) if delta is None else delta_intervals(B, delta)
    pairs = [(K, K2) for K in ivs for K2 in ivs
             if (K.a, K.b) <= (K2.a, K2.b) and common_points(K, K2) >= min_common]
    return sorted(pairs, key=lambda p: (max(p[0].b, p[1].b), p[1].b - p[0].a, p))


def dominance_survives_violation(p: dict, min_common: int = 2) -> dict | None:
    """The pointwise step of the UIL at exact reals: g(t) = αt − β ≥ 0 at a, b, > 0 at one of them,
    a ≤ c ≤ d ≤ b (c < d when min_common ≥ 2), yet not (≥ 0 at c, d and > 0 at one of them)."""
    al, be, a, b, c, d = (p[k] for k in ("alpha", "beta", "a", "b", "c", "d"))

    def g(t):
        return al * t - be
    hyp = a <= c <= d <= b and g(a) >= 0 and g(b) >= 0 and (g(a) > 0 or g(b) > 0) and (min_common < 2 or c < d)
    concl = g(c) >= 0 and g(d) >= 0 and (g(c) > 0 or g(d) > 0)
    return {"g(a)": g(a), "g(b)": g(b), "g(c)": g(c), "g(d)": g(d)} if hyp and not concl else None


def intersection_violation(mech: TableMechanism, K: ApproxValuation, K2: ApproxValuation,
                           min_common: int = 2) -> dict | None:
    """UDed_1(K) ∩ UDed_1(K') = ∅ although |K ∩ K'| ≥ min_common, by the plain definition
    (dominance checked at every integer t ∈ K)."""
    if common_points(K, K2) < min_common:
        return None
    u1 = undominated_strategies(mech, 0, K, pointwise=True)
    u2 = undominated_strategies(mech, 0, K2, pointwise=True)
    if set(u1) & set(u2):
        return None
    return {"UDed(K)": tuple(u1), "UDed(K')": tuple(u2), "intersection": "∅"}


ENUM_ALLOCATIONS = (Fraction(0), Fraction(1, 2), Fraction(1))
ENUM_PAYMENTS = tuple(Fraction(k) for k in range(4))


def _rows_mechanism(rows) -> TableMechanism:
    own, opp = len(rows), len(rows[0])
    alloc = {(s, t): (rows[s][t][0], Fraction(0)) for s in range(own) for t in range(opp)}
    pay = {(s, t): (rows[s][t][1], Fraction(0)) for s in range(own) for t in range(opp)}
    return TableMechanism((tuple(range(own)), tuple(range(opp))), alloc, pay)


def _dominates(rows, a: int, b: int, better: int, worse: int) -> bool:
    """Endpoint test of dominance on [a, b] for player 1 of the row tables (fast route; the
    entries are integers after scaling x and p by 2: x ∈ {0, ½, 1})."""
    strict = False
    for (xb, pb), (xw, pw) in zip(rows[better], rows[worse]):
        dx, dp = xb - xw, pb - pw
        for t in (a, b):
            d = t * dx - dp
            if d < 0:
                return False
            strict = strict or d > 0
    return strict


@lru_cache(maxsize=16)
def _pairs(values: int, min_common: int):
    return tuple(intersection_pairs(values, min_common))


@lru_cache(maxsize=16)
def _pair_intervals(values: int, min_common: int):
    return tuple(sorted({K for pair in _pairs(values, min_common) for K in pair}))


@dataclass(frozen=True)
class FiniteFamily:
    """CMZ-UIL on a finite family: every mechanism whose player-1 entries are (x, p) ∈
    {0,½,1} × {0,1,2,3} on the strategy shapes (own × opponent) 2×2 and 3×1, player 2 getting
    nothing; all pairs of integer intervals ⊆ {0..values} sharing ≥ min_common points.
    Points: the mechanisms, shape by shape, entries in lexicographic order."""

    min_common: int = 2
    values: int = 3
    shapes: tuple[tuple[int, int], ...] = ((2, 2), (3, 1))

    def points(self) -> Iterator[dict]:
        options = list(product(ENUM_ALLOCATIONS, ENUM_PAYMENTS))
        for own, opp in self.shapes:
            for flat in product(options, repeat=own * opp):
                yield {"rows": tuple(flat[s * opp:(s + 1) * opp] for s in range(own))}

    def count(self) -> int:
        k = len(ENUM_ALLOCATIONS) * len(ENUM_PAYMENTS)
        return sum(k ** (own * opp) for own, opp in self.shapes)

    def pairs(self):
        return _pairs(self.values, self.min_common)

    def violation(self, p: dict) -> dict | None:
        rows = tuple(tuple((int(2 * x), int(2 * q)) for x, q in row) for row in p["rows"])
        own = len(rows)
        und = {}
        for K in _pair_intervals(self.values, self.min_common):
            und[K] = {s for s in range(own)
                      if not any(_dominates(rows, K.a, K.b, s2, s) for s2 in range(own) if s2 != s)}
        for K, K2 in self.pairs():
            if not und[K] & und[K2]:
                return {"K": K, "K'": K2}
        return None

    def violation_by_definition(self, p: dict) -> dict | None:
        mech = _rows_mechanism(p["rows"])
        for K, K2 in self.pairs():
            found = intersection_violation(mech, K, K2, self.min_common)
            if found is not None:
                return {"K": K, "K'": K2, **found}
        return None


# ---------------------------------------------------------------- CMZ-T1
def random_assignment_points(B_two: int, B_three: int, deltas: Sequence[Fraction]) -> Iterator[dict]:
    """(n, B, δ): n = 2 with B = 1..B_two, then n = 3 with B = 1..B_three, each δ."""
    for n, top in ((2, B_two), (3, B_three)):
        for B in range(1, top + 1):
            for d in deltas:
                yield {"n": n, "B": B, "delta": d}


def random_assignment_violation(share: Fraction = Fraction(1), every_tv: bool = False
                                ) -> Callable[[dict], dict | None]:
    """Random assignment (each player w.p. share/n, no payment) is dominant-strategy and its worst
    E[SW]/MSW over δ-profiles and tv ∈ K is ≥ 1/n.  `share` < 1 is a planted bug.  `every_tv`: the
    plain definition (every integer tv ∈ K, not only the welfare test points)."""
    def prop(p):
        n, B, d = p["n"], p["B"], p["delta"]
        mech = random_assignment(n, B, d)
        if share != 1:
            mech = TableMechanism(mech.strategies,
                                  {q: tuple(v * share for v in x) for q, x in mech.allocation.items()}, mech.payment)
        bad = direct_truthfulness_violation(mech)
        if bad is not None:
            return {"not dominant-strategy": str(bad)}
        if every_tv:
            for K in mech.profiles():
                found = worst_case_ratio_pointwise(mech.allocation[K], K)
                if found is not None and found[0] < Fraction(1, n):
                    return {"K": K, "tv": found[1], "E[SW]/MSW": found[0], "allocation": mech.allocation[K]}
            return None
        w = worst_truthful_welfare(mech)
        if w.ratio < Fraction(1, n):
            return {"K": w.K, "tv": w.true_values, "E[SW]/MSW": w.ratio, "allocation": w.allocation}
        return None
    return prop


def random_assignment_gap(p: dict) -> Fraction | None:
    """Random assignment's worst E[SW]/MSW minus 1/n at (n, B, δ): 0 means 1/n is attained."""
    w = worst_truthful_welfare(random_assignment(p["n"], p["B"], p["delta"]))
    return None if w is None else w.ratio - Fraction(1, p["n"])


def t1_proof_bound(n: int, B: int, delta: Fraction) -> tuple[Fraction, ApproxValuation, ApproxValuation]:
    """The paper's Thm-1 argument on the grid: 1/n + (1 − 1/n)·min K^L / max K^H over K^L, K^H in
    one component of 'shares ≥ 2 points' (a DS direct mechanism gives player u the same outcome
    across a component).  Returns (bound, K^L, K^H)."""
    best = None
    for comp in overlap_components(delta_intervals(B, delta)):
        lo = min(comp, key=lambda K: K.a)
        hi = max(comp, key=lambda K: K.b)
        if hi.b == 0:
            continue
        ratio = Fraction(lo.a, hi.b)
        if best is None or ratio < best[0]:
            best = (ratio, lo, hi)
    if best is None:
        return Fraction(1), ApproxValuation(0, 0), ApproxValuation(0, 0)
    return Fraction(1, n) + (1 - Fraction(1, n)) * best[0], best[1], best[2]


# ---------------------------------------------------------------- CMZ-T3 / CMZ-T5
def second_price_bound(delta: Fraction, n: int = 2) -> Fraction:
    """((1−δ)/(1+δ))² (Thm 2/3)."""
    return ((1 - delta) / (1 + delta)) ** 2


def continuum_bound(delta: Fraction, n: int) -> Fraction:
    """((1−δ)² + 4δ/n)/(1+δ)² (Thm 4/5) = 1/n + (1 − 1/n)·((1−δ)/(1+δ))²."""
    return ((1 - delta) ** 2 + 4 * delta / n) / (1 + delta) ** 2


@lru_cache(maxsize=4096)
def _instance(B: int, delta: Fraction):
    return hard_instance(B, delta)


@lru_cache(maxsize=1024)
def _brute(B: int, delta: Fraction):
    return hard_instance_brute_force(B, delta)


@dataclass(frozen=True)
class HardInstanceBound:
    """The hard instance on the grid bounds every mechanism by H(B); H(B) ≤ the claimed bound.

    Deterministic (T3): H = min K_lo / max K_hi ≤ ((1−δ)/(1+δ))² + slack(B).
    Probabilistic (T5): H = 1/n + (1−1/n)·that ≤ ((1−δ)²+4δ/n)/(1+δ)² + (1−1/n)·slack(B).
    Points: B = 1..B_max (smallest first), each δ, and for T5 each n.  For B ≤ 14 the O(B) search
    is compared with the brute force over all pairs of δ-intervals.
    """

    probabilistic: bool = False
    slack: Callable[[int], Fraction] = lambda B: Fraction(4, B)

    def points(self, B_max: int, deltas: Sequence[Fraction], ns: Sequence[int] = (2,)) -> Iterator[dict]:
        for B in range(1, B_max + 1):
            for d in deltas:
                if self.probabilistic:
                    for n in ns:
                        yield {"B": B, "delta": d, "n": n}
                else:
                    yield {"B": B, "delta": d}

    def claimed(self, p: dict) -> Fraction:
        d, B = p["delta"], p["B"]
        if self.probabilistic:
            n = p["n"]
            return continuum_bound(d, n) + (1 - Fraction(1, n)) * self.slack(B)
        return second_price_bound(d) + self.slack(B)

    def violation(self, p: dict, instance=_instance) -> dict | str | None:
        d, B = p["delta"], p["B"]
        inst = instance(B, d)
        if B <= 14:
            brute = _brute(B, d)
            if (brute is None) != (inst is None) or (brute is not None and brute.ratio != inst.ratio):
                raise AssertionError(f"the O(B) and brute-force hard instances differ at δ={d}, B={B}")
        claim = self.claimed(p)
        if inst is None:
            return None if claim >= 1 else "no hard instance on this grid, and the claimed bound is below 1"
        H = inst.probabilistic_bound(p["n"]) if self.probabilistic else inst.ratio
        if H <= claim:
            return None
        return {"K_hi": inst.high, "K_lo": inst.low, "tv_hi": inst.high.b, "tv_lo": inst.low.a,
                "instance bound": H, "claimed": claim}

    def violation_by_definition(self, p: dict) -> dict | str | None:
        """The brute-force hard instance (every pair of δ-intervals sharing ≥ 2 points; B ≤ 60)."""
        if p["B"] > 60:
            return "the brute-force replay of a hard instance is limited to B ≤ 60"
        return self.violation(p, instance=hard_instance_brute_force)


def grid_target(probabilistic: bool) -> Callable[[int, Fraction, int], Fraction | None]:
    """H(B) of the hard instance: the bound every mechanism meets on the grid (None if none)."""
    def target(n: int, delta: Fraction, B: int) -> Fraction | None:
        inst = _instance(B, delta)
        if inst is None:
            return None
        return inst.probabilistic_bound(n) if probabilistic else inst.ratio
    return target


def guarantee_violation(target: Callable[[int, Fraction, int], Fraction | None], deterministic: bool
                        ) -> Callable[[dict], dict | None]:
    """A mechanism (the point's table) whose worst E[SW]/MSW over δ-profiles K, σ ∈ UDed(K)
    (plain dominance) and tv ∈ K beats target(n, δ, B), by plain Fraction evaluation."""
    def prop(p):
        mech, n, d, B = p["mechanism"], p["n"], p["delta"], p["B"]
        goal = target(n, d, B)
        if deterministic and not mech.is_deterministic():
            return None
        w = worst_undominated_welfare(mech, list(delta_profiles(n, B, d)), pointwise=True)
        if w is None or goal is None or w.ratio <= goal:
            return None
        return {"worst E[SW]/MSW": w.ratio, "target": goal, "attained at K": w.K, "σ": w.strategies,
                "tv": w.true_values}
    return prop


# ---------------------------------------------------------------- the grids of the z3 / LP parts
T1_GRID = ((2, Fraction(1, 4), (3, 4, 6)), (3, Fraction(1, 2), (2,)))
SEARCH_EXTRA = ((2, Fraction(1, 4), 4, 2), (3, Fraction(1, 2), 3, 2))


def t1_grid_points(lp_B: int, extra=T1_GRID) -> list[dict]:
    """CMZ-T1's LP grids: n = 2, δ = 1/2, B = 2..lp_B, then `extra` rows (n, δ, Bs)."""
    rows = ((2, Fraction(1, 2), tuple(range(2, lp_B + 1))),) + tuple(extra)
    return [{"n": n, "delta": d, "B": B} for n, d, Bs in rows for B in Bs]


def guarantee_grids(B: int, m: int, extra=SEARCH_EXTRA) -> tuple[tuple[int, Fraction, int, int], ...]:
    """CMZ-T3/T5's z3 grids (n, δ, B, m): n = 2, δ = 1/2, B = 3..B with m strategies, then `extra`."""
    return tuple((2, Fraction(1, 2), b, m) for b in range(3, B + 1)) + tuple(extra)


def grid_points(grids) -> list[dict]:
    return [{"n": n, "delta": d, "B": B, "strategies": m} for n, d, B, m in grids]
