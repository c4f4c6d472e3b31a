"""Shared pieces of the BCK (paper 001) checks: claimed factors, ratio verdict words, test utilities."""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from mechproof.mechanisms.seller_utilities import PiecewiseLinearUtility, capped_linear, linear_utility
from mechproof.symbolic.intervals import certified_sign

__all__ = ["certified_sign", "ONE_MINUS_INV_E", "gamma", "rational_enclosure", "ratio_status", "sym", "RatioRecord", "small_utilities"]

ONE_MINUS_INV_E = 1 - sp.exp(-1)


def gamma(k: int):
    """γ(k) = 1 − k^k/(k!·e^k) (BCK Table 1, footnote c)."""
    return 1 - sp.Integer(k) ** k / (sp.factorial(k) * sp.exp(k))


def sym(x):
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    return sp.sympify(x)


_ENCLOSURES: dict = {}


def rational_enclosure(expr) -> tuple[Fraction, Fraction]:
    """Fractions lo ≤ expr ≤ hi from a rigorous 128-bit interval enclosure (cached)."""
    key = sp.srepr(sp.sympify(expr))
    if key not in _ENCLOSURES:
        from mechproof.symbolic.intervals import enclose

        x = enclose(expr, 128)
        if x is None:
            raise ArithmeticError(f"cannot enclose {expr}")
        from mpmath import libmp

        raw_lo, raw_hi = x._mpi_          # exact endpoints, no rounding to the context precision
        lo, hi = Fraction(*libmp.to_rational(raw_lo)), Fraction(*libmp.to_rational(raw_hi))
        if not lo <= hi:
            raise ArithmeticError(f"bad enclosure of {expr}")
        _ENCLOSURES[key] = (lo, hi)
    return _ENCLOSURES[key]


def ratio_status(achieved, benchmark, factor) -> tuple[str, object]:
    """('tight' | 'slack' | 'violated', ratio) for achieved ≥ factor·benchmark, decided exactly/certified."""
    if isinstance(achieved, Fraction) and isinstance(benchmark, Fraction) and benchmark > 0:
        f = sp.sympify(factor)
        ratio = achieved / benchmark
        if f.is_Rational:
            fr = Fraction(int(f.p), int(f.q))
            return ("slack" if ratio > fr else "tight" if ratio == fr else "violated"), ratio
        lo, hi = rational_enclosure(f)
        if ratio > hi:
            return "slack", ratio
        if ratio < lo:
            return "violated", ratio
    a, b, f = sym(achieved), sym(benchmark), sym(factor)
    if b == 0:
        return ("slack" if certified_sign(a) >= 0 else "violated"), sp.oo
    ratio = sp.nsimplify(a / b) if (a / b).is_Rational else a / b
    s = certified_sign(sp.expand(a - f * b))
    if s is None:
        raise ArithmeticError(f"cannot certify the sign of {a} − ({f})·{b}")
    return {1: "slack", 0: "tight", -1: "violated"}[s], ratio


class RatioRecord:
    """The smallest ratio achieved/benchmark seen over an enumeration, with where it occurred."""

    def __init__(self):
        self.worst = None
        self.where = None
        self.count = 0

    def add(self, achieved, benchmark, where) -> None:
        self.count += 1
        if benchmark == 0:
            return
        if isinstance(achieved, Fraction) and isinstance(benchmark, Fraction):
            r = achieved / benchmark
            if self.worst is None or (isinstance(self.worst, Fraction) and r < self.worst):
                self.worst, self.where = r, where
                return
            if isinstance(self.worst, Fraction):
                return
        r = sym(achieved) / sym(benchmark)
        if self.worst is None or certified_sign(sym(r) - sym(self.worst)) == -1:
            self.worst, self.where = r, where

    def text(self, factor) -> str:
        if self.worst is None:
            return "no instance with a positive benchmark"
        approx = sp.N(self.worst, 6)
        f = sp.sympify(factor)
        claimed = f"{f}" + ("" if f.free_symbols else f" (≈{sp.N(f, 6)})")
        return f"worst ratio {self.worst} (≈{approx}) vs claimed {claimed} at {self.where}"


def small_utilities() -> tuple[PiecewiseLinearUtility, ...]:
    """A small family of concave PL seller utilities used by the exact instance checks."""
    return (
        linear_utility(),
        capped_linear(1),
        capped_linear(2),
        capped_linear(Fraction(3, 2)),
        PiecewiseLinearUtility((Fraction(1),), (Fraction(1), Fraction(1, 4)), name="t on [0,1], slope 1/4 after"),
        PiecewiseLinearUtility((Fraction(1), Fraction(2)), (Fraction(2), Fraction(1), Fraction(0)),
                               name="slopes 2,1,0 at 1,2"),
    )
