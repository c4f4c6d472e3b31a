"""Discrete non-negative random variables with rational values and probabilities (BCK §3).

`DiscreteRV` (one variable), `JointDistribution` (a possibly correlated vector),
`top_k_sum` / `utility_of_top_k` (U_k of §3.1), `expected_top_k_utility`, and
the merge and split operations of §3.3 (Lemmas 6–8), and `worst_case_joint`: the joint with
given marginals maximising E[f] (an exact LP; the correlated benchmark of Lemma 3).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Iterable, Sequence

from .errors import ModelError
from .exact import UsageError, as_rational
from .exact_simplex import solve_lp

__all__ = [
    "DiscreteRV", "JointDistribution", "top_k_sum", "utility_of_top_k", "independent_joint",
    "expected_top_k_utility", "merge", "split", "split_evenly", "mass_at_values",
    "point_mass", "two_point", "worst_case_joint",
]


@dataclass(frozen=True)
class DiscreteRV:
    """A non-negative discrete RV: `atoms` = ((value, probability), …), values distinct, sorted.

    Probabilities are rational, non-negative, sum to 1.  Zero-probability atoms are dropped.
    """

    atoms: tuple[tuple[Fraction, Fraction], ...]

    def __post_init__(self) -> None:
        merged: dict[Fraction, Fraction] = {}
        for pair in self.atoms:
            if len(pair) != 2:
                raise UsageError(f"an atom is (value, probability), got {pair!r}")
            v = as_rational(pair[0], "value")
            p = as_rational(pair[1], "probability")
            if v < 0:
                raise UsageError(f"values must be non-negative, got {v}")
            if p < 0:
                raise UsageError(f"probability {p} of value {v} is negative")
            merged[v] = merged.get(v, Fraction(0)) + p
        total = sum(merged.values(), Fraction(0))
        if total != 1:
            raise UsageError(f"probabilities sum to {total}, not 1")
        object.__setattr__(self, "atoms", tuple(sorted((v, p) for v, p in merged.items() if p != 0)))

    @classmethod
    def of(cls, mapping) -> "DiscreteRV":
        """From a {value: probability} dict or an iterable of pairs."""
        items = mapping.items() if hasattr(mapping, "items") else mapping
        return cls(tuple(items))

    def prob(self, value) -> Fraction:
        value = as_rational(value, "value")
        return next((p for v, p in self.atoms if v == value), Fraction(0))

    @property
    def nonzero_probability(self) -> Fraction:
        """Pr[X ≠ 0]."""
        return sum((p for v, p in self.atoms if v != 0), Fraction(0))

    @property
    def mean(self) -> Fraction:
        return sum((v * p for v, p in self.atoms), Fraction(0))

    @property
    def values(self) -> tuple[Fraction, ...]:
        return tuple(v for v, _ in self.atoms)

    def tail(self, a) -> Fraction:
        """Pr[X ≥ a]."""
        a = as_rational(a, "a")
        return sum((p for v, p in self.atoms if v >= a), Fraction(0))

    def dominates(self, other: "DiscreteRV") -> bool:
        """First-order stochastic dominance self ⪰ other (BCK §2)."""
        points = set(self.values) | set(other.values)
        return all(self.tail(a) >= other.tail(a) for a in points)

    def __str__(self) -> str:
        return "{" + ", ".join(f"{v}: {p}" for v, p in self.atoms) + "}"


def point_mass(value) -> DiscreteRV:
    return DiscreteRV(((value, 1),))


def two_point(value, probability) -> DiscreteRV:
    """`value` w.p. `probability`, else 0."""
    p = as_rational(probability, "probability")
    return DiscreteRV(((value, p), (0, 1 - p)))


def top_k_sum(xs: Sequence, k: int) -> Fraction:
    """Sum of the k largest entries (I_k of BCK App. A)."""
    if not isinstance(k, int) or k < 0:
        raise UsageError(f"k = {k!r} must be a non-negative integer")
    return sum(sorted(xs, reverse=True)[:k], Fraction(0))


def utility_of_top_k(U: Callable, xs: Sequence, k: int):
    """U_k(x) = U(sum of the k largest entries of x) (BCK §3.1)."""
    return U(top_k_sum(xs, k))


@dataclass(frozen=True)
class JointDistribution:
    """A distribution over non-negative vectors: `outcomes` = ((vector, probability), …)."""

    outcomes: tuple[tuple[tuple[Fraction, ...], Fraction], ...]

    def __post_init__(self) -> None:
        merged: dict[tuple[Fraction, ...], Fraction] = {}
        width = None
        for pair in self.outcomes:
            vec, p = pair
            vec = tuple(as_rational(x, "value") for x in vec)
            p = as_rational(p, "probability")
            if width is None:
                width = len(vec)
            if len(vec) != width:
                raise UsageError(f"outcome vectors have different lengths {width} and {len(vec)}")
            if any(x < 0 for x in vec):
                raise UsageError(f"values must be non-negative, got {vec}")
            if p < 0:
                raise UsageError(f"probability {p} of {vec} is negative")
            merged[vec] = merged.get(vec, Fraction(0)) + p
        if not merged:
            raise UsageError("a joint distribution needs at least one outcome")
        total = sum(merged.values(), Fraction(0))
        if total != 1:
            raise UsageError(f"joint probabilities sum to {total}, not 1")
        object.__setattr__(self, "outcomes", tuple(sorted((v, p) for v, p in merged.items() if p != 0)))

    @property
    def width(self) -> int:
        return len(self.outcomes[0][0])

    def marginal(self, i: int) -> DiscreteRV:
        acc: dict[Fraction, Fraction] = {}
        for vec, p in self.outcomes:
            acc[vec[i]] = acc.get(vec[i], Fraction(0)) + p
        return DiscreteRV(tuple(acc.items()))

    def marginals(self) -> tuple[DiscreteRV, ...]:
        return tuple(self.marginal(i) for i in range(self.width))

    def expectation(self, f: Callable):
        total = 0
        for vec, p in self.outcomes:
            total = total + p * f(vec)
        return total


def independent_joint(rvs: Sequence[DiscreteRV]) -> JointDistribution:
    """The product distribution of independent `rvs` (D_ind of Lemma 3)."""
    if not rvs:
        raise UsageError("need at least one random variable")
    outcomes = []
    for combo in itertools.product(*(rv.atoms for rv in rvs)):
        p = Fraction(1)
        for _, q in combo:
            p *= q
        outcomes.append((tuple(v for v, _ in combo), p))
    return JointDistribution(tuple(outcomes))


def expected_top_k_utility(U: Callable, dist, k: int):
    """E[U_k(S)] for a JointDistribution, or for a sequence of independent DiscreteRVs (summed over the
    product of their atoms directly, without building the joint)."""
    if isinstance(dist, JointDistribution):
        return dist.expectation(lambda vec: utility_of_top_k(U, vec, k))
    rvs = tuple(dist)
    if not rvs or not all(isinstance(rv, DiscreteRV) for rv in rvs):
        raise UsageError("need a JointDistribution or at least one DiscreteRV")
    total = 0
    for combo in itertools.product(*(rv.atoms for rv in rvs)):
        p = Fraction(1)
        for _, q in combo:
            p *= q
        total = total + p * utility_of_top_k(U, [v for v, _ in combo], k)
    return total


def mass_at_values(rvs: Iterable[DiscreteRV]) -> dict[Fraction, Fraction]:
    """Σ_i Pr[X_i = p] for each p > 0 (the "coarse footprint" of Lemma 8)."""
    acc: dict[Fraction, Fraction] = {}
    for rv in rvs:
        for v, p in rv.atoms:
            if v != 0:
                acc[v] = acc.get(v, Fraction(0)) + p
    return acc


def merge(x1: DiscreteRV, x2: DiscreteRV) -> DiscreteRV:
    """Merge of §3.3: Y with Pr[Y = p] = Pr[X₁ = p] + Pr[X₂ = p] for p > 0 (BCK Lemma 6).

    Requires Pr[X₁ ≠ 0] + Pr[X₂ ≠ 0] ≤ 1; otherwise UsageError.
    """
    if x1.nonzero_probability + x2.nonzero_probability > 1:
        raise UsageError(
            f"merge needs Pr[X1≠0] + Pr[X2≠0] ≤ 1, got {x1.nonzero_probability} + {x2.nonzero_probability}")
    mass = mass_at_values((x1, x2))
    zero = 1 - sum(mass.values(), Fraction(0))
    return DiscreteRV(tuple(mass.items()) + ((Fraction(0), zero),))


def split(x: DiscreteRV, pieces: Sequence[DiscreteRV]) -> tuple[DiscreteRV, ...]:
    """Split of §3.3: validates Σ_j Pr[X_j = p] = Pr[X = p] for each p > 0 and returns the pieces."""
    pieces = tuple(pieces)
    if not pieces:
        raise UsageError("a split needs at least one piece")
    got = mass_at_values(pieces)
    want = mass_at_values((x,))
    if got != want:
        raise UsageError(f"split pieces carry mass {dict(sorted(got.items()))} at positive values, "
                         f"but X has {dict(sorted(want.items()))}")
    return pieces


def split_evenly(x: DiscreteRV, pieces: int) -> tuple[DiscreteRV, ...]:
    """X split into `pieces` independent variables X_j with Pr[X_j = p] = Pr[X = p]/pieces (Lemma 8, L pieces)."""
    if not isinstance(pieces, int) or pieces < 1:
        raise UsageError(f"pieces = {pieces!r} must be a positive integer")
    mass = mass_at_values((x,))
    one = tuple((v, p / pieces) for v, p in mass.items())
    zero = 1 - sum((p for _, p in one), Fraction(0))
    rv = DiscreteRV(one + ((Fraction(0), zero),))
    return tuple(rv for _ in range(pieces))


def worst_case_joint(f: Callable, marginals: Sequence[DiscreteRV],
                     with_joint: bool = True) -> tuple[Fraction, JointDistribution | None]:
    """max over joints with the given marginals of E[f(X)] (an exact LP over the joint's atoms).

    Returns (value, JointDistribution attaining it; None unless `with_joint`).  `f` must be rational-valued.
    """
    marginals = tuple(marginals)
    if not marginals:
        raise UsageError("need at least one marginal")
    points = list(itertools.product(*(rv.values for rv in marginals)))
    c = [f(pt) for pt in points]
    Ae, be = [], []
    for i, rv in enumerate(marginals):
        for v, p in rv.atoms:
            Ae.append([Fraction(1) if pt[i] == v else Fraction(0) for pt in points])
            be.append(p)
    res = solve_lp(c, (), (), Ae, be)
    if res.status != "optimal":
        raise ModelError(f"the joint LP over {len(points)} atoms is {res.status}")
    if not with_joint:
        return res.value, None
    joint = JointDistribution(tuple((pt, x) for pt, x in zip(points, res.x) if x != 0))
    return res.value, joint
