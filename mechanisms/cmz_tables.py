"""Table mechanisms: exact allocation/payment on every strategy profile (CMZ, paper 000).

A `TableMechanism` is any single-good mechanism with finite strategy sets given
by exact tables: for each strategy profile, each player's win probability and
expected payment.  Everything here is plain Fraction evaluation; it is what
every mechanism found by z3 (CMZ-UIL, CMZ-T1, CMZ-T3, CMZ-T5) is replayed on
before it is called a counterexample or an optimum.

Utility: u_i(t, s) = t·x_i(s) − p_i(s) (risk neutral).  Dominance w.r.t. an
integer interval K = [a, b] (CLAIMS.md "CMZ — Model"): `better` dominates
`worse` iff for all t ∈ K and all opponent profiles τ, u_i(t, better⊔τ) ≥
u_i(t, worse⊔τ), strictly for some (t, τ).  The difference is linear in t, so
the endpoints a, b decide it (`dominates`); `dominates_pointwise` is the
brute-force definition over every integer t ∈ K, kept for tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from math import gcd
from types import MappingProxyType
from typing import Hashable, Iterable, Iterator, Mapping, Sequence

from .cmz_model import ApproxValuation, delta_intervals
from .errors import ModelError
from .exact import UsageError, as_rational

__all__ = [
    "TableMechanism", "Interval", "as_interval", "common_points", "all_intervals",
    "dominates", "dominates_pointwise", "undominated_strategies", "worst_case_ratio",
    "worst_case_ratio_pointwise", "welfare_test_points", "HardInstance", "hard_instance",
    "hard_instance_brute_force", "WelfareWitness", "worst_undominated_welfare",
    "direct_truthfulness_violation", "worst_truthful_welfare", "random_assignment",
    "overlap_components",
]

Profile = tuple[Hashable, ...]
Interval = ApproxValuation


def as_interval(K: object) -> ApproxValuation:
    """An ApproxValuation from an ApproxValuation or a pair (a, b)."""
    if isinstance(K, ApproxValuation):
        return K
    if isinstance(K, tuple) and len(K) == 2:
        return ApproxValuation(*K)
    raise UsageError(f"{K!r} is not an interval [a, b]")


def common_points(K: object, K2: object) -> int:
    """|K ∩ K2| counted in integers."""
    A = K if type(K) is ApproxValuation else as_interval(K)
    C = K2 if type(K2) is ApproxValuation else as_interval(K2)
    return max(0, min(A.b, C.b) - max(A.a, C.a) + 1)


def all_intervals(B: int) -> list[ApproxValuation]:
    """Every integer interval [a, b] ⊆ {0..B} (no δ condition)."""
    return [ApproxValuation(a, b) for a in range(B + 1) for b in range(a, B + 1)]


@dataclass(frozen=True)
class TableMechanism:
    """Finite strategy sets and exact tables x_i(s) ∈ [0,1], Σ_i x_i(s) ≤ 1, p_i(s) ∈ ℚ."""

    strategies: tuple[tuple[Hashable, ...], ...]
    allocation: Mapping[Profile, tuple[Fraction, ...]]
    payment: Mapping[Profile, tuple[Fraction, ...]]

    def __post_init__(self) -> None:
        if len(self.strategies) < 1 or any(len(s) == 0 for s in self.strategies):
            raise UsageError("a table mechanism needs at least one player and one strategy each")
        n = len(self.strategies)
        alloc, pay = {}, {}
        for prof in self.profiles():
            if prof not in self.allocation or prof not in self.payment:
                raise UsageError(f"table mechanism: profile {prof!r} has no allocation/payment entry")
            xs = tuple(as_rational(v, f"allocation at {prof!r}") for v in self.allocation[prof])
            ps = tuple(as_rational(v, f"payment at {prof!r}") for v in self.payment[prof])
            if len(xs) != n or len(ps) != n:
                raise UsageError(f"table mechanism: profile {prof!r} needs {n} allocations and payments")
            if any(v < 0 or v > 1 for v in xs) or sum(xs) > 1:
                raise ModelError(f"table mechanism: allocation {xs} at {prof!r} is not a sub-probability vector")
            alloc[prof], pay[prof] = xs, ps
        object.__setattr__(self, "allocation", MappingProxyType(alloc))
        object.__setattr__(self, "payment", MappingProxyType(pay))

    @property
    def n(self) -> int:
        return len(self.strategies)

    def profiles(self) -> Iterator[Profile]:
        return product(*self.strategies)

    def opponent_profiles(self, i: int) -> Iterator[Profile]:
        return product(*(s for j, s in enumerate(self.strategies) if j != i))

    @staticmethod
    def join(i: int, s: Hashable, tau: Sequence[Hashable]) -> Profile:
        """The profile s ⊔ τ with player i playing s."""
        return tuple(tau[:i]) + (s,) + tuple(tau[i:])

    def utility(self, i: int, t: Fraction, profile: Profile) -> Fraction:
        return t * self.allocation[profile][i] - self.payment[profile][i]

    def is_deterministic(self) -> bool:
        return all(all(v in (0, 1) for v in xs) for xs in self.allocation.values())

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        rows = []
        for prof in self.profiles():
            xs = ",".join(str(v) for v in self.allocation[prof])
            ps = ",".join(str(v) for v in self.payment[prof])
            rows.append(f"{prof}: x=({xs}) p=({ps})")
        return "; ".join(rows)


def _differences(mech: TableMechanism, i: int, better: Hashable, worse: Hashable):
    for tau in mech.opponent_profiles(i):
        pb, pw = mech.join(i, better, tau), mech.join(i, worse, tau)
        yield (mech.allocation[pb][i] - mech.allocation[pw][i], mech.payment[pb][i] - mech.payment[pw][i])


def _dominates_at(mech: TableMechanism, i: int, points: Iterable[int], better: Hashable, worse: Hashable) -> bool:
    pts = tuple(points)
    strict = False
    for dx, dp in _differences(mech, i, better, worse):
        for t in pts:
            d = t * dx - dp
            if d < 0:
                return False
            if d > 0:
                strict = True
    return strict


def dominates(mech: TableMechanism, i: int, K: object, better: Hashable, worse: Hashable) -> bool:
    """`better` dominates `worse` for player i w.r.t. K (endpoints suffice: linear in t)."""
    A = as_interval(K)
    return _dominates_at(mech, i, (A.a, A.b), better, worse)


def dominates_pointwise(mech: TableMechanism, i: int, K: object, better: Hashable, worse: Hashable) -> bool:
    """The definition checked at every integer t ∈ K (for testing the endpoint reduction)."""
    A = as_interval(K)
    return _dominates_at(mech, i, A.points(), better, worse)


def undominated_strategies(mech: TableMechanism, i: int, K: object, pointwise: bool = False) -> tuple[Hashable, ...]:
    """UDed_i(K): the strategies of player i no strategy dominates w.r.t. K."""
    test = dominates_pointwise if pointwise else dominates
    S = mech.strategies[i]
    return tuple(s for s in S if not any(test(mech, i, K, s2, s) for s2 in S if s2 != s))


def welfare_test_points(K: Sequence[object]) -> tuple[tuple[int, ...], ...]:
    """True-value profiles tv ∈ ∏K (max tv > 0) at which Σ tv_j x_j / max tv is least, for every x ≥ 0.

    For the player m holding the maximum at value v, lowering every other tv_j
    to min K_j (not above v) lowers the sum; the ratio x_m + c/v is monotone in
    v, so the two ends of v's range suffice.  Empty if every tv is 0.
    """
    Ks = [as_interval(k) for k in K]
    points: list[tuple[int, ...]] = []
    for m, Km in enumerate(Ks):
        floor = max([Km.a] + [Kj.a for j, Kj in enumerate(Ks) if j != m])
        lo, hi = max(floor, 1), Km.b
        if lo > hi:
            continue
        for v in sorted({lo, hi}):
            tv = tuple(v if j == m else Kj.a for j, Kj in enumerate(Ks))
            if tv not in points:
                points.append(tv)
    return tuple(points)


def worst_case_ratio(x: Sequence[Fraction], K: Sequence[object]) -> tuple[Fraction, tuple[int, ...]] | None:
    """min over tv ∈ ∏K (integers, max tv > 0) of Σ tv_j x_j / max_j tv_j, with an argmin tv."""
    best: tuple[Fraction, tuple[int, ...]] | None = None
    for tv in welfare_test_points(K):
        ratio = sum((t * xj for t, xj in zip(tv, x)), Fraction(0)) / max(tv)
        if best is None or ratio < best[0]:
            best = (ratio, tv)
    return best


def worst_case_ratio_pointwise(x: Sequence[Fraction], K: Sequence[object]) -> tuple[Fraction, tuple[int, ...]] | None:
    """The same minimum by enumerating every integer tv ∈ ∏K (for tests)."""
    best = None
    for tv in product(*(as_interval(k).points() for k in K)):
        top = max(tv)
        if top == 0:
            continue
        ratio = sum((t * xj for t, xj in zip(tv, x)), Fraction(0)) / top
        if best is None or ratio < best[0]:
            best = (ratio, tuple(tv))
    return best


@dataclass(frozen=True)
class WelfareWitness:
    """Where a worst welfare ratio is attained: K profile, strategy profile, true values."""

    ratio: Fraction
    K: tuple[ApproxValuation, ...]
    strategies: Profile
    true_values: tuple[int, ...]
    allocation: tuple[Fraction, ...]


def worst_undominated_welfare(mech: TableMechanism, K_profiles: Iterable[Sequence[object]],
                              pointwise: bool = False) -> WelfareWitness | None:
    """min E[SW]/MSW over K profiles, σ ∈ ∏ UDed_i(K_i) and tv ∈ K (CMZ δ-implementation);
    `pointwise`: dominance by the definition at every integer t ∈ K_i (not only its endpoints)."""
    cache: dict[tuple[int, ApproxValuation], tuple[Hashable, ...]] = {}
    worst: WelfareWitness | None = None
    for Kp in K_profiles:
        Ks = tuple(as_interval(k) for k in Kp)
        uds = []
        for i, K in enumerate(Ks):
            key = (i, K)
            if key not in cache:
                cache[key] = undominated_strategies(mech, i, K, pointwise)
            uds.append(cache[key])
        for sigma in product(*uds):
            x = mech.allocation[sigma]
            found = worst_case_ratio(x, Ks)
            if found is not None and (worst is None or found[0] < worst.ratio):
                worst = WelfareWitness(found[0], Ks, sigma, found[1], x)
    return worst


def direct_truthfulness_violation(mech: TableMechanism) -> tuple | None:
    """For a direct mechanism (strategies = intervals): a (i, K_i, K'_i, τ, t) where reporting K'_i
    beats reporting K_i at true value t ∈ K_i, or None if truthful reporting is dominant."""
    for i, S in enumerate(mech.strategies):
        taus = list(mech.opponent_profiles(i))
        # each (x_i, p_i) as integers (X, P) over one common denominator L: L·u(t) = t·X − P exactly
        entries = [[(mech.allocation[mech.join(i, K, tau)][i], mech.payment[mech.join(i, K, tau)][i])
                    for tau in taus] for K in S]
        L = 1
        for row in entries:
            for x, p in row:
                L = L * x.denominator // gcd(L, x.denominator)
                L = L * p.denominator // gcd(L, p.denominator)
        scaled = [[(x.numerator * (L // x.denominator), p.numerator * (L // p.denominator)) for x, p in row]
                  for row in entries]
        for k, K in enumerate(S):
            A = as_interval(K)
            for k2, K2 in enumerate(S):
                if K2 == K:
                    continue
                for (X, P), (X2, P2), tau in zip(scaled[k], scaled[k2], taus):
                    for t in (A.a, A.b):
                        if t * X2 - P2 > t * X - P:
                            return (i, A, as_interval(K2), tau, t)
    return None


def worst_truthful_welfare(mech: TableMechanism) -> WelfareWitness | None:
    """min E[SW]/MSW of a direct mechanism when everyone reports K_i truthfully (CMZ-T1)."""
    worst = None
    for prof in mech.profiles():
        Ks = tuple(as_interval(k) for k in prof)
        found = worst_case_ratio(mech.allocation[prof], Ks)
        if found is not None and (worst is None or found[0] < worst.ratio):
            worst = WelfareWitness(found[0], Ks, prof, found[1], mech.allocation[prof])
    return worst


def random_assignment(n: int, B: int, delta: object) -> TableMechanism:
    """The direct mechanism over δ-intervals giving the good to each player w.p. 1/n, free (CMZ-T1)."""
    types = tuple(delta_intervals(B, delta))
    strategies = tuple(types for _ in range(n))
    share = tuple(Fraction(1, n) for _ in range(n))
    zero = tuple(Fraction(0) for _ in range(n))
    profs = list(product(*strategies))
    return TableMechanism(strategies, {p: share for p in profs}, {p: zero for p in profs})


def overlap_components(intervals: Sequence[ApproxValuation]) -> list[list[ApproxValuation]]:
    """Connected components of the graph joining two intervals sharing ≥ 2 integer points.

    A dominant-strategy direct mechanism gives player i the same outcome for two
    reports sharing two points (CMZ-T1 proof, step 1), hence on a whole component.
    """
    parent = list(range(len(intervals)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    # a sweep by left end, not all pairs: q (a_q < b_q) shares ≥ 2 points with an earlier p iff
    # min(b_p, b_q) ≥ a_q + 1, so with the interval of largest b seen so far (its a ≤ a_q) whenever it
    # shares them with any; and every earlier interval sharing them is in that one's component (an
    # interval that shares them with none of the earlier ones starts a component, and the earlier ones
    # can meet no later interval).  `top`, `root`: the largest b so far and its component.
    order = sorted(range(len(intervals)), key=lambda k: (intervals[k].a, intervals[k].b))
    top, root = None, None
    for q in order:
        a, b = intervals[q].a, intervals[q].b
        if b < a + 1:
            continue                                   # a single point shares 2 points with nothing
        if top is not None and top >= a + 1:
            parent[find(q)] = find(root)
            if b > top:
                top = b
        else:
            top, root = b, q
    groups: dict[int, list[ApproxValuation]] = {}
    for k, K in enumerate(intervals):
        groups.setdefault(find(k), []).append(K)
    return list(groups.values())


@dataclass(frozen=True)
class HardInstance:
    """The CMZ-T3/T5 hard instance on the grid: the high player's K_hi, the others' K_lo.

    |K_hi ∩ K_lo| ≥ 2, so (UIL) every player has one strategy undominated for both;
    the unlucky player (win probability ≤ 1/n) has tv = max K_hi, the others
    tv = min K_lo.  ratio = min K_lo / max K_hi bounds a deterministic mechanism;
    1/n + (1 − 1/n)·ratio bounds a probabilistic one.
    """

    B: int
    delta: Fraction
    high: ApproxValuation
    low: ApproxValuation

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.low.a, self.high.b)

    def probabilistic_bound(self, n: int) -> Fraction:
        return Fraction(1, n) + (1 - Fraction(1, n)) * self.ratio


def hard_instance_brute_force(B: int, delta: object) -> HardInstance | None:
    """The instance of least ratio over all pairs of δ-intervals in {0..B} sharing ≥ 2 points."""
    T = delta_intervals(B, delta)
    d = as_rational(delta, "δ")
    best = None
    for Kh in T:
        for Kl in T:
            if Kh.b > 0 and Kl.a <= Kh.b and common_points(Kh, Kl) >= 2:
                cand = HardInstance(B, d, Kh, Kl)
                if best is None or cand.ratio < best.ratio:
                    best = cand
    return best


def hard_instance(B: int, delta: object) -> HardInstance | None:
    """Same minimum in O(B): for K_lo = [c, d] the best K_hi is [d−1, min(B, ⌊(1+δ)(d−1)/(1−δ)⌋)]
    and the best c is ⌈(1−δ)d/(1+δ)⌉ (tests compare with `hard_instance_brute_force`).
    Integer arithmetic with δ = p/q: (1−δ)/(1+δ) = (q−p)/(q+p)."""
    d = as_rational(delta, "δ")
    lo_num, lo_den = d.denominator - d.numerator, d.denominator + d.numerator
    best = None                                   # (c, b, top): ratio c/b, least first
    for top in range(1, B + 1):
        c = -((-lo_num * top) // lo_den)          # ⌈(1−δ)·top/(1+δ)⌉
        if c > top - 1:
            continue
        b = min(B, (lo_den * (top - 1)) // lo_num)  # ⌊(1+δ)(top−1)/(1−δ)⌋, capped at B
        if b < top:
            continue
        if best is None or c * best[1] < best[0] * b:
            best = (c, b, top)
    if best is None:
        return None
    c, b, top = best
    return HardInstance(B, d, ApproxValuation(top - 1, b), ApproxValuation(c, top))
