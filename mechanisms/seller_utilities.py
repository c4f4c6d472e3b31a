"""Seller utility functions U for the risk-averse seller (BCK, paper 001, §2).

U is non-decreasing, concave and U(0) = 0.  `PiecewiseLinearUtility` is exact:
rational knots and slopes, evaluated with Fractions (min(t, c) is `capped_linear(c)`);
construction rejects a convex kink, a negative slope or U(0) ≠ 0 with `UsageError`.
It is called as `U(t)`, negative arguments allowed (extended to t < 0 with its first
slope).  Closed-form utilities (√t, 1 − e^{−t}, log(1 + t)), whose values are sympy
constants compared by certified intervals, are `mechproof.symbolic.bck_utilities`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Sequence

from .exact import UsageError, as_rational

__all__ = ["PiecewiseLinearUtility", "capped_linear", "linear_utility", "from_values_on_grid", "is_concave_sequence"]


def is_concave_sequence(values: Sequence[Fraction]) -> bool:
    """True iff the increments of `values` (on consecutive integer points) are non-increasing."""
    inc = [values[i + 1] - values[i] for i in range(len(values) - 1)]
    return all(inc[i + 1] <= inc[i] for i in range(len(inc) - 1))


@dataclass(frozen=True)
class PiecewiseLinearUtility:
    """A concave, non-decreasing piecewise-linear U with U(0) = 0 (BCK §2).

    `knots` = (0 ≤ b_1 < b_2 < … < b_{m-1}) breakpoints (b_1 = 0 gives a kink at 0, as for a
    loss-averse buyer); `slopes` = (s_1 ≥ … ≥ s_m ≥ 0),
    s_1 used on (−∞, b_1], s_j on [b_{j-1}, b_j], s_m on [b_{m-1}, ∞).  m pieces.
    """

    knots: tuple[Fraction, ...]
    slopes: tuple[Fraction, ...]
    name: str = ""
    # U(t) by t, as computed (the expectations evaluate U at the same few sums again and again)
    _values: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        knots = tuple(as_rational(b, "breakpoint") for b in self.knots)
        slopes = tuple(as_rational(s, "slope") for s in self.slopes)
        if len(slopes) != len(knots) + 1:
            raise UsageError(f"a utility with {len(knots)} breakpoints needs {len(knots) + 1} slopes, got {len(slopes)}")
        if any(b < 0 for b in knots):
            raise UsageError(f"breakpoints must be non-negative (U(0) = 0 is the origin), got {knots}")
        if any(knots[i + 1] <= knots[i] for i in range(len(knots) - 1)):
            raise UsageError(f"breakpoints must be strictly increasing, got {knots}")
        if any(s < 0 for s in slopes):
            raise UsageError(f"U must be non-decreasing: negative slope in {slopes}")
        for i in range(len(slopes) - 1):
            if slopes[i + 1] > slopes[i]:
                raise UsageError(
                    f"U is not concave: slope rises from {slopes[i]} to {slopes[i + 1]} at t = {knots[i]}")
        object.__setattr__(self, "knots", knots)
        object.__setattr__(self, "slopes", slopes)

    @property
    def pieces(self) -> int:
        return len(self.slopes)

    def __call__(self, t) -> Fraction:
        t = t if type(t) is Fraction else as_rational(t, "t")
        known = self._values.get(t)
        if known is None:
            if len(self._values) > 100_000:
                self._values.clear()
            known = self._values[t] = self._evaluate(t)
        return known

    def _evaluate(self, t: Fraction) -> Fraction:
        value, left = Fraction(0), Fraction(0)
        if t <= 0:
            return self.slopes[0] * t
        for b, s in zip(self.knots, self.slopes):
            if t <= b:
                return value + s * (t - left)
            value += s * (b - left)
            left = b
        return value + self.slopes[-1] * (t - left)

    def describe(self) -> str:
        if self.name:
            return self.name
        return f"PL(knots={[str(b) for b in self.knots]}, slopes={[str(s) for s in self.slopes]})"

    __str__ = describe


def capped_linear(c) -> PiecewiseLinearUtility:
    """U(t) = min(t, c), c > 0 (BCK Example 1)."""
    c = as_rational(c, "cap c")
    if c <= 0:
        raise UsageError(f"cap c = {c} must be positive")
    return PiecewiseLinearUtility((c,), (Fraction(1), Fraction(0)), name=f"min(t, {c})")


def linear_utility(slope=1) -> PiecewiseLinearUtility:
    """U(t) = slope·t (the risk-neutral seller)."""
    s = as_rational(slope, "slope")
    return PiecewiseLinearUtility((), (s,), name=f"{s}·t" if s != 1 else "t")


def from_values_on_grid(values: Iterable) -> PiecewiseLinearUtility:
    """The PL interpolant through (0, v_0 = 0), (1, v_1), …, (N, v_N), slope v_N − v_{N−1} after N.

    Raises UsageError unless v_0 = 0 and the increments are non-negative and non-increasing.
    """
    vals = [as_rational(v, "U value") for v in values]
    if len(vals) < 2:
        raise UsageError("need at least the values U(0) and U(1)")
    if vals[0] != 0:
        raise UsageError(f"U(0) must be 0, got {vals[0]}")
    slopes = [vals[i + 1] - vals[i] for i in range(len(vals) - 1)]
    knots: list[Fraction] = []
    merged: list[Fraction] = [slopes[0]]
    for i in range(1, len(slopes)):
        if slopes[i] != merged[-1]:
            knots.append(Fraction(i))
            merged.append(slopes[i])
    return PiecewiseLinearUtility(tuple(knots), tuple(merged))
