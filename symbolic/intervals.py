"""Rigorous interval enclosures of closed-form sympy constants (mpmath.iv).

`enclose(expr, prec)` returns an mpmath interval guaranteed to contain the
exact value of `expr`, or None when the expression uses something this
evaluator cannot enclose rigorously (then callers say `unknown`).
`certified_sign(expr)` refines the precision until the sign is certain.
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy as sp

__all__ = ["enclose", "certified_sign", "certified_compare", "interval_text"]

iv = mpmath.iv


class _NotEnclosable(Exception):
    pass


def _enc(e: sp.Expr):
    if e.is_Integer:
        return iv.mpf(int(e))
    if e.is_Rational:
        return iv.mpf(int(e.p)) / int(e.q)
    if e is sp.pi:
        return iv.pi
    if e is sp.E:
        return iv.e
    if e is sp.EulerGamma:
        return iv.euler
    if e.is_Float:
        raise _NotEnclosable("inexact Float in expression")
    if isinstance(e, sp.Add):
        acc = iv.mpf(0)
        for a in e.args:
            acc = acc + _enc(a)
        return acc
    if isinstance(e, sp.Mul):
        acc = iv.mpf(1)
        for a in e.args:
            acc = acc * _enc(a)
        return acc
    if isinstance(e, sp.Pow):
        base, ex = e.args
        if ex.is_Integer:
            b = _enc(base)
            k = int(ex)
            if k >= 0:
                return b ** k
            return iv.mpf(1) / (b ** (-k))
        if ex == sp.Rational(1, 2):
            return iv.sqrt(_enc(base))
        if ex == sp.Rational(-1, 2):
            return iv.mpf(1) / iv.sqrt(_enc(base))
        b = _enc(base)
        if b.a <= 0:
            raise _NotEnclosable("real power of a base not certainly positive")
        return iv.exp(_enc(ex) * iv.log(b))
    if isinstance(e, sp.exp):
        return iv.exp(_enc(e.args[0]))
    if isinstance(e, sp.log):
        if len(e.args) != 1:
            raise _NotEnclosable("log with base")
        x = _enc(e.args[0])
        if x.a <= 0:
            raise _NotEnclosable("log of a value not certainly positive")
        return iv.log(x)
    if isinstance(e, sp.Abs):
        x = _enc(e.args[0])
        return abs(x)
    if isinstance(e, (sp.factorial, sp.binomial, sp.harmonic, sp.gamma)) and all(a.is_Integer for a in e.args):
        v = e.doit() if not isinstance(e, sp.gamma) else sp.factorial(e.args[0] - 1)
        if v.is_Rational:
            return _enc(v)
    raise _NotEnclosable(f"cannot enclose {type(e).__name__}")


def enclose(expr, prec: int = 64):
    """An mpmath interval containing the exact value of closed-form `expr`, or None."""
    expr = sp.sympify(expr)
    if expr.free_symbols:
        raise ValueError(f"enclose needs a constant, got free symbols {expr.free_symbols}")
    saved = iv.prec
    iv.prec = prec
    try:
        return _enc(expr)
    except (_NotEnclosable, ZeroDivisionError, ValueError):
        return None
    finally:
        iv.prec = saved


def certified_sign(expr, max_prec: int = 4096) -> int | None:
    """The sign (-1, 0, 1) of closed-form `expr`, or None when undecided.

    Positive/negative is certified by an enclosure excluding zero; zero only
    by sympy proving the expression equal to 0 (exactly).
    """
    expr = sp.sympify(expr)
    if expr.is_Rational:
        return 1 if expr > 0 else (-1 if expr < 0 else 0)
    prec = 64
    while prec <= max_prec:
        x = enclose(expr, prec)
        if x is None:
            break
        if x.a > 0:
            return 1
        if x.b < 0:
            return -1
        prec *= 4
    try:
        if sp.simplify(expr) == 0:
            return 0
    except Exception:  # sympy can raise on exotic input; undecided then
        return None
    return None


def certified_compare(a, b, max_prec: int = 4096) -> int | None:
    """sign(a − b), certified, or None."""
    return certified_sign(sp.sympify(a) - sp.sympify(b), max_prec)


def interval_text(x, digits: int = 15) -> str:
    """An mpmath iv interval as '[lo, hi]' in decimal text (display only), or '?' for None."""
    if x is None:
        return "?"
    lo, hi = (mpmath.mp.make_mpf(v) for v in x._mpi_)
    return f"[{mpmath.nstr(lo, digits)}, {mpmath.nstr(hi, digits)}]"


def fraction_to_sympy(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)
