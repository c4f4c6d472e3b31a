"""Closed-form seller utilities for BCK (paper 001): √t, 1 − e^{−t}, log(1 + t), or a user's expression.

Values are exact sympy constants; comparisons between them are certified signs (`intervals`),
never floats.  A `SymbolicUtility` carries its comparison (`exceeds`), which the mechanisms
(`mechanisms/bck_posted_pricing.py`) use when they pick an optimum among closed-form values.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from mechproof.mechanisms.errors import ModelError, UsageError

from .intervals import certified_sign

__all__ = ["SymbolicUtility", "sqrt_utility", "exponential_utility", "log_utility", "compare_values"]

_t = sp.Symbol("t", nonnegative=True)


def _sym(x) -> sp.Expr:
    if isinstance(x, float):
        raise UsageError(f"{x!r} is a float; use an exact rational")
    return sp.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else sp.sympify(x)


def compare_values(a, b) -> int:
    """sign(a − b) for exact values (Fractions or sympy constants), certified.

    Raises ModelError when interval refinement cannot decide (e.g. a − b ≡ 0 not provable).
    """
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return (a > b) - (a < b)
    s = certified_sign(_sym(a) - _sym(b))
    if s is None:
        raise ModelError(f"cannot certify the sign of {a} − {b}")
    return s


@dataclass(frozen=True)
class SymbolicUtility:
    """A closed-form U given as a sympy expression in `t` (√t, 1 − e^{−t}, log(1+t), …).

    Validation is symbolic where sympy can decide it (U(0) = 0) and certified on the rational
    sample points 1/8, 1/4, …, 8 for U' ≥ 0 and U'' ≤ 0 (a sampled check: it rejects, it cannot
    prove concavity); a certified violation raises UsageError.
    """

    expression: object
    name: str = ""

    def __post_init__(self) -> None:
        expr = sp.sympify(self.expression)
        free = expr.free_symbols
        if any(s.name != "t" for s in free):
            raise UsageError(f"a symbolic utility must be an expression in t only, got symbols {free}")
        expr = expr.subs({s: _t for s in free})
        object.__setattr__(self, "expression", expr)
        if sp.simplify(expr.subs(_t, 0)) != 0:
            raise UsageError(f"U(0) must be 0, got U(0) = {sp.simplify(expr.subs(_t, 0))} for {expr}")
        d1, d2 = sp.diff(expr, _t), sp.diff(expr, _t, 2)
        for num in range(1, 65):
            x = sp.Rational(num, 8)
            if certified_sign(d1.subs(_t, x)) == -1:
                raise UsageError(f"U = {expr} is decreasing at t = {x}")
            if certified_sign(d2.subs(_t, x)) == 1:
                raise UsageError(f"U = {expr} is not concave at t = {x} (U'' > 0)")

    def __call__(self, t):
        return self.expression.subs(_t, _sym(t))

    def exceeds(self, a, b) -> bool:
        """a > b for two of its values (certified)."""
        return compare_values(a, b) > 0

    def describe(self) -> str:
        return self.name or str(self.expression)

    __str__ = describe


def sqrt_utility() -> SymbolicUtility:
    """U(t) = √t."""
    return SymbolicUtility(sp.sqrt(_t), name="sqrt(t)")


def exponential_utility() -> SymbolicUtility:
    """U(t) = 1 − e^{−t}."""
    return SymbolicUtility(1 - sp.exp(-_t), name="1 - exp(-t)")


def log_utility() -> SymbolicUtility:
    """U(t) = log(1 + t)."""
    return SymbolicUtility(sp.log(1 + _t), name="log(1 + t)")
