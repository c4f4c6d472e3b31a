"""Deciding closed-form identities lhs = rhs, three-valued.

`decide_identity` first tries to prove lhs − rhs ≡ 0 symbolically (sympy,
under the symbols' assumptions).  If that fails it evaluates lhs − rhs
exactly at the candidate points it is given, simplest first, and certifies
the sign of the difference (rigorous intervals): a certified nonzero value is
a counterexample.  Otherwise the identity is undecided (None), never assumed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import sympy as sp

from .intervals import certified_sign

__all__ = ["IdentityOutcome", "decide_identity", "symbolically_zero", "evaluate_exactly"]


@dataclass(frozen=True)
class IdentityOutcome:
    holds: bool | None                       # True proved, False refuted at `witness`, None undecided
    how: str                                 # which simplification proved it, or why undecided
    witness: tuple[tuple[str, object], ...] = ()   # symbol name -> exact value
    point: tuple[tuple[sp.Symbol, object], ...] = ()  # the same point, keyed by the symbols themselves
    lhs_value: object = None
    rhs_value: object = None
    points_tried: int = 0


_SIMPLIFIERS = (
    ("expand", sp.expand),
    ("cancel", sp.cancel),
    ("together+expand", lambda e: sp.expand(sp.together(e))),
    ("simplify", sp.simplify),
    ("combsimp", lambda e: sp.simplify(sp.combsimp(e))),
)


def symbolically_zero(expr) -> tuple[bool | None, str]:
    """(True, how) when sympy reduces `expr` to 0; (None, tried) otherwise."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True, "syntactically 0"
    expr = expr.doit()
    for name, fn in _SIMPLIFIERS:
        try:
            if fn(expr) == 0:
                return True, name
        except Exception:  # a simplifier failing is not a verdict
            continue
    return None, "no simplification reduced lhs − rhs to 0"


def evaluate_exactly(expr, point: Mapping[sp.Symbol, object]):
    """expr at `point` (exact values), with sums/integrals evaluated exactly."""
    return sp.simplify(sp.sympify(expr).subs(point).doit())


def decide_identity(lhs, rhs, points: Iterable[Mapping[sp.Symbol, object]] = ()) -> IdentityOutcome:
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    ok, how = symbolically_zero(lhs - rhs)
    if ok:
        return IdentityOutcome(True, how)
    tried = 0
    if not (lhs - rhs).free_symbols:
        points = [{}]          # a closed-form constant: decide its sign directly
    for point in points:
        tried += 1
        lv, rv = evaluate_exactly(lhs, point), evaluate_exactly(rhs, point)
        sign = certified_sign(lv - rv)
        if sign in (1, -1):
            return IdentityOutcome(False, f"lhs − rhs ≠ 0 at the point (sign {sign:+d}, certified)",
                                   tuple((str(k), sp.nsimplify(v)) for k, v in point.items()), tuple(point.items()),
                                   lv, rv, tried)
    return IdentityOutcome(None, how + (f"; equal at all {tried} points tried" if tried else ""),
                           points_tried=tried)
