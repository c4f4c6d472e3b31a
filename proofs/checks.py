"""Check builders: turn engine outcomes into verdicts, the same way for built-in and user claims.

Each builder returns a `Check` (CheckContext -> Verdict) to put in a `Part`:

    Part("D closed form", method="sympy identity", domain="δ ∈ (0,1)",
         check=identity_check(lhs, rhs, points=rational_points({delta: (0, 1)})))
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Callable, Iterable, Mapping, Sequence

import sympy as sp

from .context import CheckContext
from .symbolic.derivation import Derivation, DerivationOutcome
from .symbolic.identities import decide_identity
from .symbolic.intervals import certified_sign
from .verdicts import Evidence, Verdict, Witness, proved, refuted, unknown

__all__ = ["identity_check", "derivation_check", "rational_points", "simple_rationals", "sympy_evidence"]

Check = Callable[[CheckContext], Verdict]


def simple_rationals(lo: Fraction | int, hi: Fraction | int, max_den: int = 12) -> list[sp.Rational]:
    """Rationals strictly inside (lo, hi), simplest (smallest denominator, then numerator) first."""
    out, seen = [], set()
    for den in range(1, max_den + 1):
        for num in range(-4 * den, 8 * den + 1):
            r = Fraction(num, den)
            if lo < r < hi and r not in seen:
                seen.add(r)
                out.append(sp.Rational(r.numerator, r.denominator))
    return out


def rational_points(ranges: Mapping[sp.Symbol, Sequence], limit: int = 400) -> list[dict]:
    """Candidate witness points, simplest first: a symbol maps to (lo, hi) for rationals in the
    open interval, or to an explicit list of values (e.g. n ∈ [1, 2, 3, 4])."""
    axes = []
    for sym, spec in ranges.items():
        if isinstance(spec, tuple) and len(spec) == 2:
            axes.append([(sym, v) for v in simple_rationals(Fraction(spec[0]), Fraction(spec[1]), 8)])
        else:
            axes.append([(sym, sp.sympify(v)) for v in spec])
    points = [dict(p) for p in itertools.product(*axes)]
    points.sort(key=lambda p: sum(abs(sp.fraction(v)[1]) + abs(sp.fraction(v)[0]) for v in p.values()))
    return points[:limit]


def sympy_evidence(summary: str, lines: Iterable[str]) -> Evidence:
    return Evidence("sympy", summary, "\n".join(lines))


def identity_check(lhs, rhs, *, points: Sequence[Mapping] = (), method: str = "sympy identity",
                   domain: str = "",
                   recheck: Callable[[Mapping], tuple[object, object]] | None = None) -> Check:
    """lhs = rhs: proved by sympy, refuted by an exact point where they differ, else unknown.

    `recheck(point)` evaluates both sides again independently (e.g. from the model rather than the
    closed forms); a witness is reported only if that plain evaluation confirms it.
    """
    def check(ctx: CheckContext) -> Verdict:
        L, R = (f() if callable(f) else f for f in (lhs, rhs))
        out = decide_identity(L, R, points)
        text = [f"lhs = {sp.sstr(L)}", f"rhs = {sp.sstr(R)}", f"decision: {out.how}"]
        if out.holds:
            return proved(method, f"lhs − rhs simplifies to 0 ({out.how})",
                          (sympy_evidence("identity proved", text),), domain)
        if out.holds is False:
            lv, rv = out.lhs_value, out.rhs_value
            how = "exact evaluation of both closed forms"
            if recheck is not None:
                lv, rv = recheck(dict(out.point))
                how = "independent exact re-evaluation from the model"
            sign = certified_sign(sp.sympify(lv) - sp.sympify(rv))
            if sign in (1, -1):
                w = Witness.of(dict(out.witness), {"lhs": lv, "rhs": rv}, f"{how}: lhs − rhs has certified sign {sign:+d}")
                return refuted(method, domain, f"lhs ≠ rhs at {w.describe()}", w,
                               (sympy_evidence("counterexample", text),))
            return unknown(method, domain, "a candidate witness did not survive re-evaluation",
                           (sympy_evidence("undecided", text),))
        return unknown(method, domain, f"undecided: {out.how}", (sympy_evidence("undecided", text),))
    return check


def derivation_check(build: Callable[[], Derivation], *, claimed_relation: str, claimed_end,
                     points: Sequence[Mapping] = (), domain: str = "",
                     recheck: Callable[[Mapping], tuple[object, object]] | None = None,
                     method: str = "checked derivation (sympy + named rules)") -> Check:
    """The claim `start REL claimed_end`, proved by a checked derivation.

    proved: every step checked, the chain's relation implies the claimed one and its end equals
    `claimed_end`.  refuted: the derivation holds but its end differs from `claimed_end` at an exact
    point, confirmed by `recheck` (plain evaluation of the claim's two sides).  Otherwise unknown.
    """
    def check(ctx: CheckContext) -> Verdict:
        d = build()
        out: DerivationOutcome = d.check()
        ev = Evidence("derivation", out.verdict_text(), out.text(),
                      (("steps", str(len(out.steps))), ("hypotheses", str(len(out.hypotheses)))))
        if out.ok is not True:
            return unknown(method, domain, f"derivation not checked: {out.verdict_text()}", (ev,))
        if not _implies(out.relation, claimed_relation):
            return unknown(method, domain, f"the derivation shows start {out.relation} end, "
                                           f"not the claimed {claimed_relation}", (ev,))
        end = claimed_end() if callable(claimed_end) else claimed_end
        final = decide_identity(out.end, end, points)
        if final.holds:
            return proved(method, f"start {claimed_relation} {sp.sstr(end)}: {len(out.steps)} steps checked"
                          + (f"; hypotheses: {'; '.join(out.hypotheses)}" if out.hypotheses else ""), (ev,), domain)
        if final.holds is False and recheck is not None:
            lv, rv = recheck(dict(final.point))
            sign = certified_sign(sp.sympify(lv) - sp.sympify(rv))
            if sign in (1, -1) and claimed_relation == "=" or (claimed_relation == "<=" and sign == 1) \
                    or (claimed_relation == ">=" and sign == -1):
                w = Witness.of(dict(final.witness), {"lhs": lv, "rhs": rv},
                               f"plain exact evaluation of both sides: lhs − rhs has sign {sign:+d}")
                return refuted(method, domain, f"the claimed right-hand side is wrong: {w.describe()}", w, (ev,))
        return unknown(method, domain, f"derivation ends at {sp.sstr(out.end)}, which could not be "
                                       f"matched to the claimed {sp.sstr(end)}", (ev,))
    return check


def _implies(shown: str, claimed: str) -> bool:
    return shown == claimed or shown == "="
