"""Feasibility constraints over agents/pens {0, …, n−1} (GH paper 002, Definition 1's 𝒫).

k-select, partition and graphic matroids, any matroid given by an independence
oracle (axioms checked exhaustively for small n), knapsack (Appendix B), and any
downward-closed family given explicitly.  Every constraint answers
`is_feasible(S)` for a frozenset S; `max_weight_feasible` is the brute-force
omniscient optimum used as OPT^V on small instances.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Callable, Iterable, Protocol, Sequence

from .exact import UsageError, as_rational

__all__ = [
    "Feasibility", "KSelect", "PartitionMatroid", "GraphicMatroid", "OracleMatroid",
    "Knapsack", "ExplicitFamily", "all_subsets", "max_weight_feasible", "is_matroid_constraint",
    "matroid_rank",
]

MAX_EXHAUSTIVE_N = 12


class Feasibility(Protocol):
    """A feasibility constraint on n agents."""

    n: int

    def is_feasible(self, chosen: frozenset[int]) -> bool: ...


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise UsageError(f"n = {n!r} must be a positive integer number of agents")
    return n


def _as_subset(chosen: Iterable[int], n: int) -> frozenset[int]:
    s = frozenset(chosen)
    for i in s:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
            raise UsageError(f"agent {i!r} is not in 0..{n - 1}")
    return s


def all_subsets(n: int) -> list[frozenset[int]]:
    """Every subset of {0..n−1}, by size then lexicographically."""
    return [frozenset(c) for r in range(n + 1) for c in combinations(range(n), r)]


@dataclass(frozen=True)
class KSelect:
    """Any set of at most k agents (k identical goods)."""

    n: int
    k: int

    def __post_init__(self) -> None:
        _check_n(self.n)
        if isinstance(self.k, bool) or not isinstance(self.k, int) or not 0 <= self.k <= self.n:
            raise UsageError(f"k = {self.k!r} must be an integer in 0..n = 0..{self.n}")

    def is_feasible(self, chosen: frozenset[int]) -> bool:
        return len(_as_subset(chosen, self.n)) <= self.k


@dataclass(frozen=True)
class PartitionMatroid:
    """Agents in blocks; at most capacities[b] agents from block b."""

    blocks: tuple[int, ...]          # blocks[i] = block of agent i
    capacities: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        object.__setattr__(self, "capacities", tuple(self.capacities))
        _check_n(len(self.blocks))
        for b in self.blocks:
            if not isinstance(b, int) or not 0 <= b < len(self.capacities):
                raise UsageError(f"block {b!r} has no capacity (capacities has {len(self.capacities)} entries)")
        for c in self.capacities:
            if isinstance(c, bool) or not isinstance(c, int) or c < 0:
                raise UsageError(f"capacity {c!r} must be a non-negative integer")

    @property
    def n(self) -> int:
        return len(self.blocks)

    def is_feasible(self, chosen: frozenset[int]) -> bool:
        s = _as_subset(chosen, self.n)
        counts = [0] * len(self.capacities)
        for i in s:
            counts[self.blocks[i]] += 1
        return all(c <= cap for c, cap in zip(counts, self.capacities))


@dataclass(frozen=True)
class GraphicMatroid:
    """Agents are edges (u, v) of a multigraph; a set is feasible iff it is a forest."""

    edges: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "edges", tuple(tuple(e) for e in self.edges))
        _check_n(len(self.edges))
        for e in self.edges:
            if len(e) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in e):
                raise UsageError(f"edge {e!r} must be a pair of non-negative integer vertices")

    @property
    def n(self) -> int:
        return len(self.edges)

    def is_feasible(self, chosen: frozenset[int]) -> bool:
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i in _as_subset(chosen, self.n):
            a, b = (find(x) for x in self.edges[i])
            if a == b:
                return False      # a loop or a cycle
            parent[a] = b
        return True


@dataclass(frozen=True)
class OracleMatroid:
    """Any matroid on n ≤ 12 elements given by an independence oracle; axioms checked on construction."""

    n: int
    independent: Callable[[frozenset[int]], bool]

    def __post_init__(self) -> None:
        _check_n(self.n)
        if self.n > MAX_EXHAUSTIVE_N:
            raise UsageError(f"n = {self.n} is too large to validate an oracle matroid (max {MAX_EXHAUSTIVE_N})")
        problem = matroid_axiom_violation(self.n, self.independent)
        if problem:
            raise UsageError(f"the oracle is not a matroid: {problem}")

    def is_feasible(self, chosen: frozenset[int]) -> bool:
        return bool(self.independent(_as_subset(chosen, self.n)))


def matroid_axiom_violation(n: int, independent: Callable[[frozenset[int]], bool]) -> str:
    """'' if (∅ independent, downward closed, exchange) hold, else the first violation found."""
    family = {s for s in all_subsets(n) if independent(s)}
    if frozenset() not in family:
        return "the empty set is not independent"
    for s in family:
        for i in s:
            if s - {i} not in family:
                return f"{sorted(s)} independent but its subset {sorted(s - {i})} is not"
    for a in family:
        for b in family:
            if len(a) > len(b) and not any(b | {x} in family for x in a - b):
                return f"exchange fails for A={sorted(a)}, B={sorted(b)}"
    return ""


@dataclass(frozen=True)
class Knapsack:
    """Agents have positive rational sizes; a set is feasible iff its total size ≤ capacity (App. B)."""

    sizes: tuple[Fraction, ...]
    capacity: Fraction

    def __post_init__(self) -> None:
        sizes = tuple(as_rational(s, f"size[{i}]") for i, s in enumerate(self.sizes))
        _check_n(len(sizes))
        for i, s in enumerate(sizes):
            if s <= 0:
                raise UsageError(f"size[{i}] = {s} must be positive")
        cap = as_rational(self.capacity, "capacity")
        if cap < 0:
            raise UsageError(f"capacity = {cap} must be non-negative")
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "capacity", cap)

    @property
    def n(self) -> int:
        return len(self.sizes)

    def is_feasible(self, chosen: frozenset[int]) -> bool:
        return sum((self.sizes[i] for i in _as_subset(chosen, self.n)), Fraction(0)) <= self.capacity


@dataclass(frozen=True)
class ExplicitFamily:
    """A downward-closed family given by its sets (validated: contains ∅, closed under subsets)."""

    n: int
    sets: frozenset[frozenset[int]]

    def __post_init__(self) -> None:
        _check_n(self.n)
        fam = frozenset(_as_subset(s, self.n) for s in self.sets)
        if frozenset() not in fam:
            raise UsageError("the family must contain the empty set")
        for s in fam:
            for i in s:
                if s - {i} not in fam:
                    raise UsageError(f"the family is not downward closed: {sorted(s)} is in it, {sorted(s - {i})} is not")
        object.__setattr__(self, "sets", fam)

    @classmethod
    def closure_of(cls, n: int, maximal_sets: Iterable[Iterable[int]]) -> "ExplicitFamily":
        """The downward closure of the given sets."""
        fam = {frozenset()}
        for m in maximal_sets:
            m = _as_subset(m, n)
            fam.update(frozenset(c) for r in range(len(m) + 1) for c in combinations(sorted(m), r))
        return cls(n, frozenset(fam))

    def is_feasible(self, chosen: frozenset[int]) -> bool:
        return _as_subset(chosen, self.n) in self.sets


def matroid_rank(constraint: Feasibility, subset: frozenset[int]) -> int:
    """Rank of `subset` in a matroid constraint (greedy: size of a maximal independent subset)."""
    chosen: frozenset[int] = frozenset()
    for i in sorted(subset):
        if constraint.is_feasible(chosen | {i}):
            chosen = chosen | {i}
    return len(chosen)


def is_matroid_constraint(constraint: Feasibility) -> bool:
    """Exhaustive matroid-axiom check of a constraint (n ≤ 12)."""
    if constraint.n > MAX_EXHAUSTIVE_N:
        raise UsageError(f"n = {constraint.n} too large for an exhaustive matroid check")
    return matroid_axiom_violation(constraint.n, constraint.is_feasible) == ""


def max_weight_feasible(constraint: Feasibility, weights: Sequence[Fraction]) -> tuple[Fraction, frozenset[int]]:
    """Brute-force max Σ_{i∈S} w_i over feasible S (the omniscient optimum on small instances)."""
    if len(weights) != constraint.n:
        raise UsageError(f"{len(weights)} weights for {constraint.n} agents")
    best, best_set = Fraction(0), frozenset()
    for s in all_subsets(constraint.n):
        if constraint.is_feasible(s):
            w = sum((weights[i] for i in s), Fraction(0))
            if w > best:
                best, best_set = w, s
    return best, best_set
