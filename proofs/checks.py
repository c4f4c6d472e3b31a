"""Check builders: the engines that own the loops, the same for the papers' claims and for yours.

Each builder returns a `Check` to put in a `Part`: callable on a CheckContext, carrying the plain
evaluation (`replay`) with which the core re-checks any witness it reports.

    identity_check(lhs, rhs, points=…)               sympy proof of lhs ≡ rhs, or an exact point where they differ
    derivation_check(build, claimed_relation="<=", claimed_end=…)   a checked chain start REL end
    steps_check(build, summary=…)                    a list of typed facts (Equal, Sign, Limit, Holds, Cite, Assume)
    enumeration_check(points, holds)                 every point of a finite domain, first violation = minimal
    smt_check(queries, replay=…)                     z3 queries under the budget, unsat re-checked by cvc5
    random_check(strategy, holds, seed=…)            Hypothesis search (tested), shrunk witness, seed recorded
    extremum_check(f, lo, hi, bound=…)               certified max/min over a range by interval branch and bound
    not_checked(reason)                              a part that is not encoded: always unknown, with the reason
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping, Sequence

import sympy as sp

from mechproof.mechanisms.errors import ClaimDeclarationError
from mechproof.symbolic.derivation import Derivation, DerivationOutcome
from mechproof.symbolic.identities import decide_identity, evaluate_exactly
from mechproof.symbolic.intervals import certified_sign
from mechproof.symbolic.proof_steps import Limit, check_steps, evaluate_step

from .certificates import record, record_chain, record_steps
from .context import CheckContext
from .interval_checks import extremum_check
from .searches import Check, Query, compare_exact, enumeration_check, not_checked, random_check, smt_check
from .verdicts import Evaluation, Evidence, Verdict, Witness, proved, refuted, unknown

__all__ = [
    "Check", "Query", "identity_check", "derivation_check", "steps_check", "enumeration_check", "smt_check",
    "random_check", "extremum_check", "not_checked", "compare_exact", "rational_points", "simple_rationals",
    "sympy_evidence",
]

RELATIONS = ("=", "<=", ">=")


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


def _exact_expr(value: Any, what: str) -> sp.Expr:
    e = sp.sympify(value)
    if e.has(sp.Float):
        raise ClaimDeclarationError(f"{what} contains an inexact Float ({sp.sstr(e)}): use exact rationals")
    return e


def _symbol_point(exprs: Sequence[sp.Expr], point: Mapping[str, Any]) -> dict:
    names = {str(s): s for e in exprs for s in sp.sympify(e).free_symbols}
    return {names[k]: sp.sympify(v) for k, v in point.items() if k in names}


def _relation_holds(lv: Any, relation: str, rv: Any) -> bool | None:
    s = certified_sign(sp.sympify(lv) - sp.sympify(rv))
    if s is None:
        return None
    return {"=": s == 0, "<=": s <= 0, ">=": s >= 0}[relation]


# ------------------------------------------------------------------ identities
def identity_check(lhs, rhs, *, points: Sequence[Mapping] = (),
                   recheck: Callable[[Mapping], tuple[object, object]] | None = None) -> Check:
    """lhs = rhs: proved by sympy, refuted at an exact point where they differ, else unknown.

    `lhs`/`rhs` may be functions returning the expressions (built when the check runs).  Floats are
    refused.  `recheck(point)` evaluates both sides independently (e.g. from the model rather than
    the closed forms); the core replays a witness with it.
    """
    for side, what in ((lhs, "lhs"), (rhs, "rhs")):
        if not callable(side):
            _exact_expr(side, what)

    def sides() -> tuple[sp.Expr, sp.Expr]:
        return tuple(_exact_expr(f() if callable(f) else f, w) for f, w in ((lhs, "lhs"), (rhs, "rhs")))

    def run(ctx: CheckContext) -> Verdict:
        L, R = sides()
        out = decide_identity(L, R, points)
        ev = Evidence("identity", f"decision: {out.how}", f"lhs = {sp.sstr(L)}\nrhs = {sp.sstr(R)}\ndecision: {out.how}")
        if out.holds:
            return proved(summary=f"lhs − rhs simplifies to 0 ({out.how})", evidence=ev)
        if out.holds is False:
            w = Witness.of(dict(out.witness), {"lhs": out.lhs_value, "rhs": out.rhs_value},
                           "exact evaluation of both closed forms")
            return refuted(witness=w, summary=f"lhs ≠ rhs at {w.describe()}", evidence=ev)
        return unknown(reason=f"undecided: {out.how}", evidence=ev)

    def replay(point: Mapping[str, Any]) -> Evaluation:
        L, R = sides()
        sym_point = _symbol_point((L, R), point)
        if recheck is not None:
            lv, rv = recheck(sym_point)
            note = "both sides re-evaluated from the model"
        else:
            lv, rv = evaluate_exactly(L, sym_point), evaluate_exactly(R, sym_point)
            note = "both sides evaluated exactly at the point"
        return Evaluation.of(_relation_holds(lv, "=", rv), {"lhs": lv, "rhs": rv}, note)

    return Check(run, replay)


# ------------------------------------------------------------------ derivations
def _implies(shown: str, claimed: str) -> bool:
    """A chain start SHOWN end establishes start CLAIMED end: the same relation, or '=' for ≤/≥."""
    return shown == claimed or shown == "="


def derivation_check(build: Callable[[], Derivation], *, claimed_relation: str, claimed_end,
                     points: Sequence[Mapping] = (),
                     recheck: Callable[[Mapping], tuple[object, object]] | None = None) -> Check:
    """The claim `start REL claimed_end`, proved by a checked derivation (symbolic/derivation.py).

    proved: every step checked, the relation the chain established implies the claimed one and its
    end equals `claimed_end`.  refuted: the chain holds but the claim's two sides, re-evaluated by
    `recheck(point)`, violate the claimed relation at an exact point.  Otherwise unknown.  The
    relation must be '=', '<=' or '>=' (strict relations cannot be established by these rules).
    """
    if claimed_relation not in RELATIONS:
        raise ClaimDeclarationError(f"derivation_check: claimed relation {claimed_relation!r} is not one of "
                                    f"{', '.join(RELATIONS)}; a chain of = / ≤ / ≥ steps cannot establish it")
    if not callable(build):
        raise ClaimDeclarationError("derivation_check: build must be a function returning a Derivation")

    def run(ctx: CheckContext) -> Verdict:
        d = build()
        if not isinstance(d, Derivation):
            raise ClaimDeclarationError(f"derivation_check: build returned {type(d).__name__}, not a Derivation")
        out: DerivationOutcome = d.check()
        record_chain(d, out)
        ev = Evidence("derivation", out.verdict_text(), out.text(),
                      (("steps", str(len(out.steps))), ("hypotheses", str(len(out.hypotheses)))))
        if not out.steps:
            return unknown(reason="a derivation with no steps shows nothing", evidence=ev)
        if out.ok is not True:
            return unknown(reason=f"derivation not checked: {out.verdict_text()}", evidence=ev)
        if not _implies(out.relation, claimed_relation):
            return unknown(reason=f"the derivation shows start {out.relation} end, not the claimed "
                                  f"{claimed_relation}", evidence=ev)
        end = _exact_expr(claimed_end() if callable(claimed_end) else claimed_end, "claimed_end")
        record("claimed", relation=claimed_relation, end=sp.srepr(end))
        final = decide_identity(out.end, end, points)
        if final.holds:
            return proved(summary=f"start {claimed_relation} {sp.sstr(end)}: {len(out.steps)} steps checked",
                          evidence=ev, assumes=tuple(out.hypotheses))
        if final.holds is False and recheck is not None:
            lv, rv = recheck(dict(final.point))
            if _relation_holds(lv, claimed_relation, rv) is False:
                w = Witness.of(dict(final.witness), {"lhs": lv, "rhs": rv},
                               f"plain exact evaluation of both sides violates {claimed_relation}")
                return refuted(witness=w, summary=f"the claimed right-hand side is wrong: {w.describe()}", evidence=ev)
        return unknown(reason=f"derivation ends at {sp.sstr(out.end)}, which could not be matched to the "
                              f"claimed {sp.sstr(end)}", evidence=ev)

    def replay(point: Mapping[str, Any]) -> Evaluation:
        if recheck is None:
            return Evaluation.of(None, note="no recheck of the claim's two sides was declared")
        d = build()
        end = claimed_end() if callable(claimed_end) else claimed_end
        lv, rv = recheck(_symbol_point((d.start, sp.sympify(end)), point))
        return Evaluation.of(_relation_holds(lv, claimed_relation, rv), {"lhs": lv, "rhs": rv},
                             "the claim's two sides re-evaluated exactly")

    return Check(run, replay)


# ------------------------------------------------------------------ lists of checked facts
def steps_check(build: Callable[[], Sequence[Any]], *, summary: str) -> Check:
    """A proof as a list of typed steps (symbolic/proof_steps.py), each decided by the engine.

    proved when every step is decided true; refuted when an Equal/Sign/Limit step is false at an
    exact point (the core replays that step there); unknown when a step is undecided.  A `Cite`
    must name a claim the claim declares in `uses`; `Assume` steps are listed with the verdict.
    """
    if not callable(build):
        raise ClaimDeclarationError("steps_check: build must be a function returning the list of steps")

    def run(ctx: CheckContext) -> Verdict:
        steps = build()
        out = check_steps(steps)
        record_steps(steps, out)
        ev = Evidence("derivation", f"{len(out.results)} steps", out.text(), (("steps", str(len(out.results))),))
        declared = {u.partition(":")[0] for u in ctx.uses}
        undeclared = [c for c in out.citations if c.partition(":")[0] not in declared]
        if undeclared:
            return unknown(reason=f"a step cites {', '.join(undeclared)}, which the claim does not declare in "
                                  "uses=(...): a dependency must be declared", evidence=ev)
        if not out.results:
            return unknown(reason="a proof with no steps shows nothing", evidence=ev)
        if out.ok:
            cites = tuple(f"uses {c}" for c in out.citations)
            return proved(summary=f"{summary}: {len(out.results)} steps checked", evidence=ev,
                          assumes=out.assumptions + cites)
        bad = out.failed
        if out.ok is False:
            w = Witness.of({"step": bad.label, **dict(bad.point)}, dict(bad.values), f"{bad.kind}: {bad.how}")
            return refuted(witness=w, summary=f"step fails: {bad.label}", evidence=ev)
        return unknown(reason=f"undecided step: {bad.label} ({bad.how})", evidence=ev)

    def replay(point: Mapping[str, Any]) -> Evaluation:
        label = point.get("step")
        step = next((s for s in build() if getattr(s, "label", None) == label), None)
        if step is None:
            return Evaluation.of(None, note=f"no step labelled {label!r}")
        if isinstance(step, Limit):
            value = sp.limit(sp.sympify(step.expr), step.var, step.to)
            return Evaluation.of(_relation_holds(value, "=", step.value), {"limit": value, "claimed": step.value},
                                 "sympy limit recomputed")
        holds, values = evaluate_step(step, {k: v for k, v in point.items() if k != "step"})
        return Evaluation.of(holds, values, "the step re-evaluated exactly at the point")

    return Check(run, replay)
