"""Proofs as lists of checked facts: each step is a typed statement the engine decides.

A `Derivation` (derivation.py) is one chain start = e1 ≤ e2 …; many arguments are instead a few
independent facts (an identity, a sign, a limit, a sub-derivation) glued by a lemma of another
claim.  Each step here is data, so there is no step that "checks" by returning a string:

* `Equal(label, lhs, rhs, points)`   sympy proves lhs ≡ rhs, or refutes it at an exact point;
* `Sign(label, expr, ">0", ranges)`  the sign follows from the symbols' assumptions and ranges
                                     (or, for a constant, from certified intervals); refuted at a point;
* `Limit(label, expr, var, to, value)`  sympy's limit (Gruntz) equals `value`;
* `Holds(label, derivation, relation, end)`  a checked derivation establishes start REL end;
* `Cite(label, claim_id)`            uses another claim: a declared dependency, never a check;
* `Assume(label, text)`              taken on trust: an explicit assumption shown with the verdict.

`check_steps` decides every step (three-valued) and says which point refutes the first false one.
Trusted: sympy's simplification and limits, the textbook rules of derivation.py, mpmath intervals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import sympy as sp

from .derivation import Derivation, Facts, prove_nonnegative, prove_positive
from .identities import decide_identity, evaluate_exactly
from .intervals import certified_sign

__all__ = ["Equal", "Sign", "Limit", "Holds", "Cite", "Assume", "StepResult", "StepsOutcome", "check_steps",
           "evaluate_step", "SIGNS"]

SIGNS = (">0", ">=0", "<0", "<=0")


def _has_float(*exprs: Any) -> bool:
    return any(sp.sympify(e).has(sp.Float) for e in exprs if e is not None)


@dataclass(frozen=True)
class Equal:
    label: str
    lhs: Any
    rhs: Any
    points: Sequence[Mapping] = ()


@dataclass(frozen=True)
class Sign:
    label: str
    expr: Any
    sign: str = ">0"                                  # one of SIGNS
    ranges: tuple[tuple[sp.Symbol, Any, Any], ...] = ()   # (symbol, lo, hi): lo ≤ symbol ≤ hi (hi may be None)
    points: Sequence[Mapping] = ()                    # candidate counterexample points


@dataclass(frozen=True)
class Limit:
    label: str
    expr: Any
    var: sp.Symbol
    to: Any
    value: Any


@dataclass(frozen=True)
class Holds:
    label: str
    derivation: Derivation
    relation: str                                     # "=", "<=" or ">=": what the step needs
    end: Any


@dataclass(frozen=True)
class Cite:
    label: str
    claim_id: str


@dataclass(frozen=True)
class Assume:
    label: str
    text: str


STEP_TYPES = (Equal, Sign, Limit, Holds, Cite, Assume)


@dataclass(frozen=True)
class StepResult:
    label: str
    kind: str
    ok: bool | None                 # True decided true, False shown false (at `point`), None undecided
    how: str
    point: tuple[tuple[str, Any], ...] = ()      # the refuting point, by symbol name
    values: tuple[tuple[str, Any], ...] = ()     # exact values there (lhs/rhs or the expression)
    subproof: str = ""
    hypotheses: tuple[str, ...] = ()              # stated hypotheses a sub-derivation relied on


@dataclass(frozen=True)
class StepsOutcome:
    ok: bool | None
    results: tuple[StepResult, ...]
    assumptions: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    failed: StepResult | None = field(default=None)

    def text(self) -> str:
        lines = []
        for r in self.results:
            mark = {True: "✔", False: "✘", None: "?"}[r.ok]
            lines.append(f"{mark} {r.label}  [{r.kind}: {r.how}]")
            lines.extend("    │ " + s for s in r.subproof.splitlines())
        return "\n".join(lines)


def _sign_holds(value: int, sign: str) -> bool:
    return {">0": value > 0, ">=0": value >= 0, "<0": value < 0, "<=0": value <= 0}[sign]


def _decide_sign(step: Sign) -> StepResult:
    if step.sign not in SIGNS:
        return StepResult(step.label, "sign", None, f"unknown sign relation {step.sign!r}")
    expr = sp.sympify(step.expr)
    if not expr.free_symbols:
        s = certified_sign(expr)
        if s is None:
            return StepResult(step.label, "sign", None, "certified sign undecided")
        ok = _sign_holds(s, step.sign)
        return StepResult(step.label, "sign", ok, f"certified interval sign {s:+d}",
                          values=(("value", sp.nsimplify(expr) if expr.is_Rational else expr),) if not ok else ())
    facts = Facts(tuple(step.ranges))
    target = expr if step.sign in (">0", ">=0") else -expr
    prove = prove_positive if step.sign in (">0", "<0") else prove_nonnegative
    if prove(target, facts):
        return StepResult(step.label, "sign", True, "follows from the symbols' assumptions and ranges (sympy)")
    for point in step.points:
        value = evaluate_exactly(expr, point)
        s = certified_sign(value)
        if s is not None and not _sign_holds(s, step.sign):
            return StepResult(step.label, "sign", False, f"sign {s:+d} at an exact point (certified)",
                              tuple((str(k), v) for k, v in point.items()), (("value", value),))
    return StepResult(step.label, "sign", None, "sympy could not prove the sign from the ranges")


def decide_step(step: Any) -> StepResult:
    """Decide one step (three-valued); never raises for a malformed step — it is undecided."""
    if not isinstance(step, STEP_TYPES):
        return StepResult(str(getattr(step, "label", step)), "?", None,
                          f"{type(step).__name__} is not a proof step (Equal, Sign, Limit, Holds, Cite, Assume)")
    try:
        if isinstance(step, (Equal, Sign, Limit)) and _has_float(
                *((step.lhs, step.rhs) if isinstance(step, Equal) else (step.expr,))):
            return StepResult(step.label, type(step).__name__.lower(), None, "inexact Float in the step: refused")
        if isinstance(step, Equal):
            out = decide_identity(step.lhs, step.rhs, step.points)
            if out.holds is False:
                return StepResult(step.label, "identity", False, out.how, out.witness,
                                  (("lhs", out.lhs_value), ("rhs", out.rhs_value)))
            return StepResult(step.label, "identity", out.holds, out.how)
        if isinstance(step, Sign):
            return _decide_sign(step)
        if isinstance(step, Limit):
            value = sp.limit(sp.sympify(step.expr), step.var, step.to)
            claimed = sp.sympify(step.value)
            infinite = {sp.oo, -sp.oo, sp.zoo}
            if value in infinite or claimed in infinite:     # intervals cannot enclose ∞: compare exactly
                ok = value == claimed if value in infinite and claimed in infinite else False
                if value is sp.nan or isinstance(value, sp.AccumBounds):
                    ok = None
                return StepResult(step.label, "limit", ok, f"sympy limit = {sp.sstr(value)}",
                                  values=(("limit", value), ("claimed", claimed)) if ok is False else ())
            out = decide_identity(value, step.value)
            how = f"sympy limit = {sp.sstr(value)}"
            if out.holds is False:
                return StepResult(step.label, "limit", False, how, (), (("limit", value), ("claimed", step.value)))
            return StepResult(step.label, "limit", out.holds, how)
        if isinstance(step, Holds):
            if step.relation not in ("=", "<=", ">="):
                return StepResult(step.label, "derivation", None, f"unsupported relation {step.relation!r}")
            d = step.derivation.check()
            implied = d.relation == step.relation or d.relation == "="
            if d.ok is not True:
                return StepResult(step.label, "derivation", d.ok if d.ok is False else None, d.verdict_text(),
                                  subproof=d.text())
            if not implied:
                return StepResult(step.label, "derivation", None,
                                  f"the derivation shows {d.relation}, not {step.relation}", subproof=d.text())
            end = decide_identity(d.end, step.end)
            return StepResult(step.label, "derivation", True if end.holds else None,
                              f"{len(d.steps)} steps checked" + ("" if end.holds else "; end not matched"),
                              subproof=d.text(), hypotheses=tuple(d.hypotheses))
        if isinstance(step, Cite):
            return StepResult(step.label, "cites", True, f"uses {step.claim_id} (a declared dependency)")
        return StepResult(step.label, "assumption", True, f"assumed: {step.text}")
    except Exception as exc:  # a crashing decision procedure is an undecided step, not a pass
        return StepResult(step.label, type(step).__name__.lower(), None, f"raised {type(exc).__name__}: {exc}")


def check_steps(steps: Iterable[Any]) -> StepsOutcome:
    """Decide every step; ok is False if one is false, None if one is undecided, else True."""
    steps = list(steps)
    results = tuple(decide_step(s) for s in steps)
    if not results:
        return StepsOutcome(None, (), failed=None)
    failed = next((r for r in results if r.ok is False), None) or next((r for r in results if r.ok is None), None)
    ok = False if any(r.ok is False for r in results) else (None if failed is not None else True)
    assumed = [f"{s.label}: {s.text}" for s in steps if isinstance(s, Assume)]
    assumed += [h for r in results for h in r.hypotheses]
    return StepsOutcome(ok, results, tuple(dict.fromkeys(assumed)),
                        tuple(s.claim_id for s in steps if isinstance(s, Cite)), failed)


def evaluate_step(step: Any, point: Mapping[str, Any]) -> tuple[bool | None, dict[str, Any]]:
    """Re-evaluate an Equal or Sign step at an exact point (symbol names -> values): (holds, values)."""
    if isinstance(step, Equal):
        exprs = (sp.sympify(step.lhs), sp.sympify(step.rhs))
    elif isinstance(step, Sign):
        exprs = (sp.sympify(step.expr),)
    else:
        return None, {}
    names = {str(s): s for e in exprs for s in e.free_symbols}
    subs = {names[k]: sp.sympify(v) for k, v in point.items() if k in names}
    vals = [evaluate_exactly(e, subs) for e in exprs]
    if isinstance(step, Equal):
        s = certified_sign(vals[0] - vals[1])
        return (None if s is None else s == 0), {"lhs": vals[0], "rhs": vals[1]}
    s = certified_sign(vals[0])
    return (None if s is None else _sign_holds(s, step.sign)), {"value": vals[0]}
