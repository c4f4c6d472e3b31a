"""Value (ink-level) distributions for GH (paper 002, Section 2.1), exact.

Two kinds:

* `DiscreteDistribution`: finitely many non-negative rational values with
  positive rational probabilities summing to 1.  Values are kept strictly
  decreasing (a_1 > a_2 > … > a_m), the order of quantile space.
* `SymbolicDistribution`: a continuous distribution given by its inverse
  demand curve v(q) (a sympy expression in the quantile q ∈ (0, 1)), built
  from a closed form (`exponential`, `uniform`), a user's v(q), or a user's
  CDF F(x) (solved for v with F(v(q)) = 1 − q).

The quantile of a value v is q = Pr[value > v] (GH §2.1: "the measure of
stronger values").  Curves v, V, U, u and the ironed Ū live in
`mechproof.mechanisms.quantile_curves`.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Iterator, Mapping, Sequence

import sympy as sp

from .exact import UsageError, as_rational

__all__ = ["DiscreteDistribution", "SymbolicDistribution", "QUANTILE", "discrete_family", "lattice_family"]

QUANTILE = sp.Symbol("q", positive=True)


@dataclass(frozen=True)
class DiscreteDistribution:
    """Finitely many values (strictly decreasing, ≥ 0) and their probabilities (> 0, summing to 1)."""

    values: tuple[Fraction, ...]
    probabilities: tuple[Fraction, ...]

    def __post_init__(self) -> None:
        if len(self.values) != len(self.probabilities):
            raise UsageError(f"{len(self.values)} values but {len(self.probabilities)} probabilities")
        if not self.values:
            raise UsageError("a distribution needs at least one value")
        for name, seq in (("value", self.values), ("probability", self.probabilities)):
            for x in seq:
                if not isinstance(x, Fraction):
                    raise UsageError(f"{name} {x!r} is not a Fraction; build with DiscreteDistribution.of(...)")
        if any(a <= b for a, b in zip(self.values, self.values[1:])):
            raise UsageError(f"values must be strictly decreasing, got {self.values}")
        if self.values[-1] < 0:
            raise UsageError(f"value {self.values[-1]} is negative: values (ink levels) must be ≥ 0")
        if any(p <= 0 for p in self.probabilities):
            raise UsageError(f"probabilities must be > 0, got {self.probabilities}")
        if sum(self.probabilities) != 1:
            raise UsageError(f"probabilities sum to {sum(self.probabilities)}, not 1")

    @classmethod
    def of(cls, values: Iterable[object] | Mapping[object, object],
           probabilities: Iterable[object] | None = None) -> "DiscreteDistribution":
        """From values and probabilities (or a mapping value → probability), in any order.

        Repeated values are merged; zero-probability values are dropped.
        """
        if isinstance(values, Mapping):
            if probabilities is not None:
                raise UsageError("give either a mapping value → probability or two sequences, not both")
            pairs = list(values.items())
        else:
            vals = list(values)
            if probabilities is None:
                raise UsageError("probabilities missing (or pass a mapping value → probability)")
            probs = list(probabilities)
            if len(vals) != len(probs):
                raise UsageError(f"{len(vals)} values but {len(probs)} probabilities")
            pairs = list(zip(vals, probs))
        merged: dict[Fraction, Fraction] = {}
        for v, p in pairs:
            fv, fp = as_rational(v, "value"), as_rational(p, "probability")
            if fp < 0:
                raise UsageError(f"probability {fp} of value {fv} is negative")
            merged[fv] = merged.get(fv, Fraction(0)) + fp
        kept = sorted(((v, p) for v, p in merged.items() if p > 0), reverse=True)
        if not kept:
            raise UsageError("all probabilities are zero")
        return cls(tuple(v for v, _ in kept), tuple(p for _, p in kept))

    @classmethod
    def uniform_on(cls, values: Iterable[object]) -> "DiscreteDistribution":
        """Equal probability on each (distinct) value."""
        vals = sorted({as_rational(v, "value") for v in values}, reverse=True)
        if not vals:
            raise UsageError("uniform_on needs at least one value")
        return cls(tuple(vals), tuple(Fraction(1, len(vals)) for _ in vals))

    @property
    def size(self) -> int:
        return len(self.values)

    def mean(self) -> Fraction:
        return sum((v * p for v, p in zip(self.values, self.probabilities)), Fraction(0))

    def quantile_breaks(self) -> tuple[Fraction, ...]:
        """Q_0 = 0, Q_j = Pr[value ≥ a_j] = p_1 + … + p_j (so Q_m = 1)."""
        out = [Fraction(0)]
        for p in self.probabilities:
            out.append(out[-1] + p)
        return tuple(out)

    def prob_above(self, price: object) -> Fraction:
        """Pr[value > price]."""
        x = as_rational(price, "price")
        return sum((p for v, p in zip(self.values, self.probabilities) if v > x), Fraction(0))

    def items(self) -> tuple[tuple[Fraction, Fraction], ...]:
        return tuple(zip(self.values, self.probabilities))

    def describe(self) -> str:
        return "{" + ", ".join(f"{v}: {p}" for v, p in self.items()) + "}"

    def as_point(self) -> dict[str, tuple[Fraction, ...]]:
        """The distribution as exact witness values: {"values": (a_1, …), "probabilities": (p_1, …)}."""
        return {"values": self.values, "probabilities": self.probabilities}

    @classmethod
    def from_point(cls, point: Mapping[str, object]) -> "DiscreteDistribution":
        """The distribution of a witness point built by `as_point` (extra keys are ignored)."""
        return cls.of(list(point["values"]), list(point["probabilities"]))


def discrete_family(values: Sequence[object], atoms: int,
                    probabilities: Sequence[object]) -> Iterator[DiscreteDistribution]:
    """Distributions on ≤ `atoms` of `values`: the first m − 1 atoms (in increasing value order) take
    probabilities from `probabilities`, the last the rest (> 0).  Order: fewer atoms first, then
    value sets and probability tuples lexicographically (so a first violation is a smallest one)."""
    vals = sorted({as_rational(v, "value") for v in values})
    probs = [as_rational(p, "probability") for p in probabilities]
    if atoms < 1:
        raise UsageError(f"atoms = {atoms}: a distribution needs at least one atom")
    for m in range(1, atoms + 1):
        for vs in itertools.combinations(vals, m):
            for ps in itertools.product(probs, repeat=m - 1):
                if sum(ps) >= 1:
                    continue
                yield DiscreteDistribution.of(list(vs), list(ps) + [1 - sum(ps)])


def lattice_family(max_value: int, atoms: int, denominator: int) -> Iterator[DiscreteDistribution]:
    """Values ⊂ {0..max_value} (not the point mass at 0), ≤ `atoms` atoms, probabilities in
    (1/denominator)ℤ, each > 0.  Order: fewer atoms first, then lexicographic."""
    if max_value < 1 or atoms < 1 or denominator < 1:
        raise UsageError(f"lattice_family needs max_value, atoms, denominator ≥ 1, got {max_value}, {atoms}, "
                         f"{denominator}")
    for m in range(1, atoms + 1):
        for vals in itertools.combinations(range(max_value + 1), m):
            if vals == (0,):
                continue
            for cs in itertools.product(range(1, denominator), repeat=m - 1):
                if sum(cs) >= denominator:
                    continue
                probs = [Fraction(c, denominator) for c in cs] + [1 - Fraction(sum(cs), denominator)]
                yield DiscreteDistribution.of(list(vals), probs)


@dataclass(frozen=True)
class SymbolicDistribution:
    """A continuous distribution by its inverse demand curve v(q), q ∈ (0, 1) (sympy, exact).

    `inverse_demand` is non-increasing in q with v(q) ≥ 0; GH §2.1 sets v(1) = 0
    (a change on the null quantile q = 1, see docs/gh-surplus.md).
    """

    name: str
    inverse_demand: sp.Expr
    q: sp.Symbol = QUANTILE

    def __post_init__(self) -> None:
        if not isinstance(self.inverse_demand, sp.Expr):
            raise UsageError(f"inverse demand must be a sympy expression, got {self.inverse_demand!r}")
        extra = self.inverse_demand.free_symbols - {self.q}
        if extra:
            raise UsageError(f"inverse demand has free symbols {sorted(map(str, extra))} besides {self.q}")
        if any(isinstance(a, sp.Float) for a in sp.preorder_traversal(self.inverse_demand)):
            raise UsageError(f"inverse demand {self.inverse_demand} contains an inexact Float; use Rationals")

    @classmethod
    def exponential(cls, rate: object = 1) -> "SymbolicDistribution":
        """Exponential with the given rate: v(q) = −ln(q)/rate (GH-L1's extremal case)."""
        lam = as_rational(rate, "rate")
        if lam <= 0:
            raise UsageError(f"rate = {lam} must be > 0")
        r = sp.Rational(lam.numerator, lam.denominator)
        return cls(f"Exponential(rate={lam})", -sp.log(QUANTILE) / r)

    @classmethod
    def uniform(cls, low: object = 0, high: object = 1) -> "SymbolicDistribution":
        """Uniform on [low, high]: v(q) = high − (high − low)·q."""
        a, b = as_rational(low, "low"), as_rational(high, "high")
        if not 0 <= a < b:
            raise UsageError(f"uniform needs 0 ≤ low < high, got low={a}, high={b}")
        ra, rb = sp.Rational(a.numerator, a.denominator), sp.Rational(b.numerator, b.denominator)
        return cls(f"Uniform[{a}, {b}]", rb - (rb - ra) * QUANTILE)

    @classmethod
    def from_inverse_demand(cls, expr, q: sp.Symbol, name: str = "") -> "SymbolicDistribution":
        """A user's v(q) in their own symbol q (renamed to the positive quantile symbol)."""
        e = sp.sympify(expr).subs(q, QUANTILE)
        return cls(name or f"v(q) = {e}", e)

    @classmethod
    def from_cdf(cls, cdf, x: sp.Symbol, low: object = 0, high=None, name: str = "") -> "SymbolicDistribution":
        """A user's CDF F(x) on [low, high]: v(q) solves F(v) = 1 − q (sympy solve, exact).

        Raises UsageError when sympy finds no unique solution inside the support.
        """
        lo = as_rational(low, "low")
        lo_s = sp.Rational(lo.numerator, lo.denominator)
        hi_s = sp.oo if high is None else sp.Rational(*as_rational(high, "high").as_integer_ratio())
        F = sp.sympify(cdf)
        try:
            sols = sp.solve(sp.Eq(F, 1 - QUANTILE), x)
        except NotImplementedError:
            sols = []
        good = []
        half = sp.Rational(1, 2)
        for s in sols:
            at_half = sp.simplify(s.subs(QUANTILE, half))
            if at_half.is_real and bool(lo_s <= at_half) and (hi_s is sp.oo or bool(at_half <= hi_s)):
                good.append(sp.simplify(s))
        if len(good) != 1:
            raise UsageError(f"cannot invert the CDF {F} uniquely on [{lo_s}, {hi_s}] (solutions: {sols})")
        return cls(name or f"F(x) = {F}", good[0])
