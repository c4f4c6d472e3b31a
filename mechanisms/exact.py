"""Exact rational inputs: the one place that turns user values into Fractions.

Every mechanism and model in mechproof computes over exact rationals.  A float
reaching a path that decides a verdict is a bug, so `as_rational` refuses
floats outright (with the exact Fraction to use instead) and `check_delta`
enforces the CMZ inaccuracy range δ ∈ (0, 1).
"""
from __future__ import annotations

from fractions import Fraction
from numbers import Rational as _RationalABC

from .errors import UsageError

__all__ = ["UsageError", "as_rational", "check_delta", "parse_rational"]


def as_rational(value: object, name: str = "value") -> Fraction:
    """`value` as an exact Fraction; floats, bools and non-numbers are refused."""
    if isinstance(value, bool):
        raise UsageError(f"{name} = {value!r} is a bool, not a rational number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        hint = Fraction(repr(value))
        raise UsageError(
            f"{name} = {value!r} is a float; exact arithmetic needs a rational: "
            f"use Fraction({str(hint)!r}) (or the string {str(hint)!r} on the command line)"
        )
    if isinstance(value, _RationalABC):  # sympy.Rational, gmpy2.mpq, ...
        return Fraction(int(value.numerator), int(value.denominator))
    try:  # sympy Rational does not register with numbers.Rational
        import sympy

        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, str):
        return parse_rational(value, name)
    raise UsageError(f"{name} = {value!r} ({type(value).__name__}) is not a rational number")


def parse_rational(text: str, name: str = "value") -> Fraction:
    """Parse '3', '-2/5' or the exact decimal '0.25' (= 1/4) into a Fraction."""
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise UsageError(f"{name} = {text!r} is not a rational number (write e.g. 1/4 or 0.25)") from None


def check_delta(delta: object, name: str = "δ") -> Fraction:
    """δ as a Fraction, refusing anything outside the open interval (0, 1) (CMZ model)."""
    d = as_rational(delta, name)
    if not 0 < d < 1:
        raise UsageError(f"{name} = {d} is outside (0, 1): the inaccuracy δ must satisfy 0 < δ < 1")
    return d
