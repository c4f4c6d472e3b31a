"""Seller utility functions U for the risk-averse seller (BCK, paper 001, §2).

U is non-decreasing, concave and U(0) = 0.  Two kinds:

* `PiecewiseLinearUtility` — exact: rational knots and slopes, evaluated with
  Fractions (min(t, c) is `capped_linear(c)`).  Construction rejects a convex
  kink, a negative slope or U(0) ≠ 0 with `UsageError`.
* `SymbolicUtility` — √t, 1 − e^{−t}, log(1 + t) (or a user's sympy expression):
  evaluated to exact sympy constants; signs and comparisons are decided by
  certified interval arithmetic (`compare_values`).

Both are called as `U(t)` and negative arguments are allowed (a piecewise-linear
U extends to t < 0 with its first slope, a symbolic one is defined where its
expression is).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Sequence

from .exact import UsageError, as_rational

__all__ = [
    "PiecewiseLinearUtility", "SymbolicUtility", "capped_linear", "linear_utility",
    "from_values_on_grid", "sqrt_utility", "exponential_utility", "log_utility",
    "compare_values", "is_concave_sequence",
]


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
        t = as_rational(t, "t")
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


@dataclass(frozen=True)
class SymbolicUtility:
    """A closed-form U given as a sympy expression in `t` (√t, 1 − e^{−t}, log(1+t), …).

    Validation is symbolic where sympy can decide it (U(0) = 0) and certified on
    the rational sample points 0, 1/8, 1/4, …, 8 for U' ≥ 0 and U'' ≤ 0; a
    certified violation raises UsageError.
    """

    expression: object
    name: str = ""

    def __post_init__(self) -> None:
        import sympy as sp

        from mechproof.symbolic.intervals import certified_sign  # symbolic/ is an engine, not a paper

        t = sp.Symbol("t", nonnegative=True)
        expr = sp.sympify(self.expression)
        free = expr.free_symbols
        if any(s.name != "t" for s in free):
            raise UsageError(f"a symbolic utility must be an expression in t only, got symbols {free}")
        expr = expr.subs({s: t for s in free})
        object.__setattr__(self, "expression", expr)
        if sp.simplify(expr.subs(t, 0)) != 0:
            raise UsageError(f"U(0) must be 0, got U(0) = {sp.simplify(expr.subs(t, 0))} for {expr}")
        d1, d2 = sp.diff(expr, t), sp.diff(expr, t, 2)
        for num in range(1, 65):
            x = sp.Rational(num, 8)
            if certified_sign(d1.subs(t, x)) == -1:
                raise UsageError(f"U = {expr} is decreasing at t = {x}")
            if certified_sign(d2.subs(t, x)) == 1:
                raise UsageError(f"U = {expr} is not concave at t = {x} (U'' > 0)")

    def __call__(self, t):
        import sympy as sp

        if isinstance(t, float):
            raise UsageError(f"t = {t!r} is a float; use an exact rational")
        if isinstance(t, (int, Fraction)):
            t = sp.Rational(t.numerator, t.denominator) if isinstance(t, Fraction) else sp.Integer(t)
        return self.expression.subs(sp.Symbol("t", nonnegative=True), t)

    def describe(self) -> str:
        return self.name or str(self.expression)

    __str__ = describe


def sqrt_utility() -> SymbolicUtility:
    """U(t) = √t."""
    import sympy as sp

    return SymbolicUtility(sp.sqrt(sp.Symbol("t", nonnegative=True)), name="sqrt(t)")


def exponential_utility() -> SymbolicUtility:
    """U(t) = 1 − e^{−t}."""
    import sympy as sp

    return SymbolicUtility(1 - sp.exp(-sp.Symbol("t", nonnegative=True)), name="1 - exp(-t)")


def log_utility() -> SymbolicUtility:
    """U(t) = log(1 + t)."""
    import sympy as sp

    return SymbolicUtility(sp.log(1 + sp.Symbol("t", nonnegative=True)), name="log(1 + t)")


def compare_values(a, b) -> int:
    """sign(a − b) for exact values (Fractions or sympy constants), certified.

    Raises UsageError when interval refinement cannot decide (e.g. a − b ≡ 0 not provable).
    """
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return (a > b) - (a < b)
    import sympy as sp

    from mechproof.symbolic.intervals import certified_sign

    def sym(x):
        return sp.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else sp.sympify(x)

    s = certified_sign(sym(a) - sym(b))
    if s is None:
        raise UsageError(f"cannot certify the sign of {a} − {b}")
    return s
