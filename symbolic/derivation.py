"""Checked derivations: a chain start = e1 ≤ e2 = … where every step is justified.

Each step names a rule.  `Algebra` steps are decided by sympy, three-valued:
an undecided step is reported undecided, never assumed.  Analytic steps
(a Beta integral, swapping a finite sum and an integral, bounding a monotone
integrand, the binomial theorem) are named rules that check the step is an
instance of the rule and prove the rule's side conditions (exponents > −1,
a non-negative integrand coefficient, the hypothesis "u non-increasing", …)
from the declared ranges and hypotheses.  The outcome lists every step with
what was checked, so a reader can audit the proof.

Trusted: sympy's simplification and closed-form summation (`Evaluate`), and
the textbook statements of the named rules.  Nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import sympy as sp

__all__ = [
    "Hypothesis", "NonIncreasing", "StepCheck", "Rule", "Step", "Derivation", "DerivationOutcome",
    "Facts", "Algebra", "Evaluate", "Substitute", "InSummand", "ByDerivation", "Compare", "HarmonicBlock", "BetaIntegral",
    "BinomialTail", "SumIntegralSwap", "Reversed", "MonotoneIntegrandBound", "EqualDerivatives", "prove_nonnegative",
]

RELATIONS = ("=", "<=", ">=")


# --------------------------------------------------------------------- facts
@dataclass(frozen=True)
class Hypothesis:
    """A stated assumption a rule may rely on (listed in the outcome)."""

    text: str


@dataclass(frozen=True)
class NonIncreasing(Hypothesis):
    """The function `func` is non-increasing on the ranges used."""

    func: sp.Function = None

    @classmethod
    def of(cls, func, text: str = "") -> "NonIncreasing":
        return cls(text or f"{func} is non-increasing", func)


@dataclass(frozen=True)
class Facts:
    """Ranges of symbols (lo ≤ x ≤ hi; integers when the symbol is integer) and hypotheses."""

    ranges: tuple[tuple[sp.Symbol, object, object], ...] = ()
    hypotheses: tuple[Hypothesis, ...] = ()

    def with_range(self, sym, lo, hi) -> "Facts":
        return Facts(self.ranges + ((sym, lo, hi),), self.hypotheses)

    def has(self, hyp_type: type, **match) -> Hypothesis | None:
        for h in self.hypotheses:
            if isinstance(h, hyp_type) and all(getattr(h, k) == v for k, v in match.items()):
                return h
        return None


def _range_substitution(expr: sp.Expr, facts: Facts) -> sp.Expr:
    """Re-express range-bounded symbols by free non-negative parameters.

    integer x ∈ [lo, hi]: x = lo + j, and if hi is an integer symbol, hi = lo + j + m (j, m ≥ 0);
    real x ∈ [lo, ∞): x = lo + s;  real x ∈ (lo, hi]: x = hi − (hi − lo)·s/(1 + s)  (s ≥ 0).
    """
    e = expr
    for sym, lo, hi in reversed(facts.ranges):
        if not e.has(sym):
            if hi is not None and isinstance(hi, sp.Symbol) and e.has(hi) and sym.is_integer:
                pass
            else:
                continue
        if sym.is_integer:
            j = sp.Dummy("j", integer=True, nonnegative=True)
            e = e.subs(sym, lo + j)
            if isinstance(hi, sp.Symbol) and hi.is_integer and hi != sym:
                m = sp.Dummy("m", integer=True, nonnegative=True)
                e = e.subs(hi, lo + j + m)
        else:
            s = sp.Dummy("s", nonnegative=True)
            if hi is None or hi is sp.oo:
                e = e.subs(sym, lo + s)
            else:
                e = e.subs(sym, hi - (hi - lo) * s / (1 + s))
    return e


def _prove_sign(expr, facts: Facts, holds: str, fails: str) -> bool | None:
    """Ask sympy `holds` (e.g. is_nonnegative) of expr and of its range-substituted forms;
    False only when `fails` holds of the unsubstituted expression itself."""
    expr = sp.sympify(expr)
    for candidate in (expr, _range_substitution(expr, facts)):
        for form in (candidate, sp.simplify(candidate), sp.factor(sp.together(candidate))):
            if getattr(form, holds):
                return True
            if getattr(form, fails) and candidate is expr:
                return False
    return None


def prove_nonnegative(expr, facts: Facts = Facts()) -> bool | None:
    """True when `expr ≥ 0` follows from the symbols' assumptions and the ranges; None if undecided."""
    return _prove_sign(expr, facts, "is_nonnegative", "is_negative")


def prove_positive(expr, facts: Facts = Facts()) -> bool | None:
    """True when `expr > 0` follows from the symbols' assumptions and the ranges; None if undecided."""
    return _prove_sign(expr, facts, "is_positive", "is_nonpositive")


def _zero(expr) -> bool | None:
    """sympy decides expr ≡ 0 without evaluating integrals (three-valued)."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    for fn in (sp.expand, sp.cancel, lambda e: sp.expand(sp.together(e)), sp.simplify,
               lambda e: sp.simplify(sp.combsimp(sp.gammasimp(e)))):
        try:
            if fn(expr) == 0:
                return True
        except Exception:
            continue
    return None


# --------------------------------------------------------------------- steps
@dataclass(frozen=True)
class StepCheck:
    ok: bool | None         # True checked; False shown wrong; None undecided
    relation: str           # relation established: prev REL next
    detail: str
    subproof: str = ""      # the text of a sub-derivation the step relied on


class Rule(Protocol):
    name: str

    def check(self, prev: sp.Expr, nxt: sp.Expr, facts: Facts) -> StepCheck: ...


@dataclass(frozen=True)
class Algebra:
    """prev = next, decided by sympy simplification (integrals are not evaluated)."""

    name: str = "algebra"

    def check(self, prev, nxt, facts):
        z = _zero(prev - nxt)
        return StepCheck(z, "=", "sympy reduces prev − next to 0" if z else "sympy could not reduce prev − next to 0")


_SUSPECT = (sp.oo, -sp.oo, sp.zoo, sp.nan)


@dataclass(frozen=True)
class Evaluate:
    """prev = next where next is sympy's closed form of the sums/integrals in prev (trusted: sympy)."""

    name: str = "evaluate (sympy summation/integration)"

    def check(self, prev, nxt, facts):
        value = prev.doit()
        if any(value.has(x) for x in _SUSPECT) or value.has(sp.Piecewise):
            return StepCheck(None, "=", f"sympy's evaluation is not a clean closed form: {value}")
        z = _zero(value - nxt)
        return StepCheck(z, "=", f"sympy evaluates prev to {value}")


@dataclass(frozen=True)
class ByDerivation:
    """old = new (or ≤, ≥) because a checked sub-derivation proves it."""

    derivation: "Derivation"
    name: str = "sub-derivation"

    def check(self, old, new, facts) -> StepCheck:
        out = self.derivation.check()
        same = _zero(out.start - old) and _zero(out.end - new)
        if not same:
            return StepCheck(None, out.relation, "the sub-derivation does not run from old to new")
        return StepCheck(out.ok, out.relation, f"sub-derivation ({len(out.steps)} steps): {out.verdict_text()}",
                         out.text())


def _replace(expr, old, new):
    """Structural replacement (reaches inside integrals whose bound variable occurs in `old`,
    where .subs refuses to go); falls back to .subs for sub-products such as q·u(q) in −q·u(q)·log q."""
    out = expr.xreplace({old: new})
    return out if out != expr else expr.subs(old, new)


@dataclass(frozen=True)
class Reversed:
    """Use a rule's fact the other way round: if the rule proves new REL old, then old REL⁻¹ new."""

    rule: object

    @property
    def name(self) -> str:
        return getattr(self.rule, "name", type(self.rule).__name__) + " (reversed)"

    def check(self, old, new, facts) -> StepCheck:
        r = self.rule.check(new, old, facts)
        return StepCheck(r.ok, {"=": "=", "<=": ">=", ">=": "<="}[r.relation], r.detail)


@dataclass(frozen=True)
class Substitute:
    """Replace the sub-expression `old` of prev by `new`, where `fact` proves old REL new.

    For an inequality the context must be monotone in `old`: its derivative with
    respect to a placeholder is proved ≥ 0 (keeps the relation) or ≤ 0 (flips it).
    """

    old: sp.Expr
    new: sp.Expr
    fact: object
    name: str = "substitute"

    def check(self, prev, nxt, facts):
        label = getattr(self.fact, "name", type(self.fact).__name__)
        if self.old.is_Atom:
            return StepCheck(False, "=", "refusing to substitute an atom (it would replace every occurrence)")
        if not (prev.has(self.old) or any(e == self.old for e in sp.preorder_traversal(prev))):
            return StepCheck(False, "=", f"{self.old} does not occur in the previous expression")
        f = self.fact.check(self.old, self.new, facts)
        replaced = _replace(prev, self.old, self.new)
        same = True if replaced == nxt else _zero(replaced - nxt)
        if not same:
            return StepCheck(None if same is None else False, f.relation,
                             f"{label}: next is not prev with old replaced by new")
        rel = f.relation
        if rel != "=":
            w = sp.Dummy("w")
            slope = sp.diff(_replace(prev, self.old, w), w)
            if prove_nonnegative(slope, facts):
                pass
            elif prove_nonnegative(-slope, facts):
                rel = {"<=": ">=", ">=": "<="}[rel]
            else:
                return StepCheck(None, rel, f"{label}: {f.detail}; context not proved monotone in the "
                                            f"replaced term (slope {slope})")
        return StepCheck(f.ok, rel, f"{label}: {f.detail}", f.subproof)


@dataclass(frozen=True)
class InSummand:
    """Σ_k f = Σ_k g because f REL g for every k in the summation range (checked by `inner`)."""

    inner: object
    name: str = "termwise"

    def check(self, prev, nxt, facts):
        if not (isinstance(prev, sp.Sum) and isinstance(nxt, sp.Sum) and prev.limits[-1] == nxt.limits[-1]):
            return StepCheck(False, "=", "prev and next must be sums over the same (outer) index and limits")
        k, lo, hi = prev.limits[-1]                        # a multiple sum: the outer index is the last limit

        def summand(s):
            return sp.Sum(s.function, *s.limits[:-1]) if len(s.limits) > 1 else s.function

        r = self.inner.check(summand(prev), summand(nxt), facts.with_range(k, lo, hi))
        label = getattr(self.inner, "name", type(self.inner).__name__)
        return StepCheck(r.ok, r.relation, f"for each {k} ∈ [{lo}, {hi}], {label}: {r.detail}")


@dataclass(frozen=True)
class Compare:
    """prev ≥ next (relation ">=") or prev ≤ next ("<="), because the sign of prev − next follows from
    the symbols' assumptions and the declared ranges (`prove_nonnegative`)."""

    relation: str = ">="
    name: str = "compare"

    def check(self, prev, nxt, facts):
        if self.relation not in ("<=", ">="):
            return StepCheck(None, "=", f"unsupported relation {self.relation!r}")
        diff = prev - nxt if self.relation == ">=" else nxt - prev
        ok = prove_nonnegative(diff, facts)
        shown = "prev − next" if self.relation == ">=" else "next − prev"
        return StepCheck(ok, self.relation,
                         f"{shown} = {sp.sstr(sp.factor(sp.together(diff)))} "
                         + ("≥ 0 on the ranges" if ok else "is negative" if ok is False else "not proved ≥ 0"))


# --------------------------------------------------------------------- chains
@dataclass(frozen=True)
class Step:
    expr: sp.Expr
    by: object = field(default_factory=Algebra)
    note: str = ""


@dataclass(frozen=True)
class StepOutcome:
    index: int
    rule: str
    relation: str
    ok: bool | None
    detail: str
    expr: str
    note: str
    subproof: str = ""


@dataclass(frozen=True)
class DerivationOutcome:
    ok: bool | None                 # True: every step checked and the relations chain coherently
    relation: str                   # start REL end
    start: sp.Expr
    end: sp.Expr
    steps: tuple[StepOutcome, ...]
    hypotheses: tuple[str, ...]

    def verdict_text(self) -> str:
        if self.ok:
            return f"start {self.relation} end, every step checked"
        bad = next((s for s in self.steps if s.ok is not True), None)
        if bad is None:
            return "the step relations do not chain (≤ then ≥)"
        state = "is false" if bad.ok is False else "is undecided"
        return f"step {bad.index} ({bad.rule}) {state}: {bad.detail}"

    def text(self) -> str:
        sym = {"=": "=", "<=": "≤", ">=": "≥"}
        lines = [f"    {sp.sstr(self.start)}"]
        for s in self.steps:
            mark = {True: "✔", False: "✘", None: "?"}[s.ok]
            lines.append(f"{mark} {sym[s.relation]} {s.expr}")
            lines.append(f"      [{s.index}] {s.rule}: {s.detail}" + (f" — {s.note}" if s.note else ""))
            lines.extend("      │ " + line for line in s.subproof.splitlines())
        if self.hypotheses:
            lines.append("hypotheses: " + "; ".join(self.hypotheses))
        return "\n".join(lines)


def _chain(a: str, b: str) -> str | None:
    if a == "=":
        return b
    if b == "=" or a == b:
        return a
    return None


@dataclass(frozen=True)
class Derivation:
    """start, then steps; `ranges` bound symbols (x ∈ [lo, hi]); `hypotheses` are stated assumptions."""

    start: sp.Expr
    steps: tuple[Step, ...]
    ranges: tuple[tuple[sp.Symbol, object, object], ...] = ()
    hypotheses: tuple[Hypothesis, ...] = ()

    @property
    def end(self) -> sp.Expr:
        return self.steps[-1].expr if self.steps else self.start

    def check(self) -> DerivationOutcome:
        facts = Facts(tuple(self.ranges), tuple(self.hypotheses))
        cur, rel, ok = sp.sympify(self.start), "=", True
        outs = []
        for i, step in enumerate(self.steps, 1):
            nxt = sp.sympify(step.expr)
            try:
                r = step.by.check(cur, nxt, facts)
            except Exception as exc:  # a rule crashing is an undecided step, not a pass
                r = StepCheck(None, "=", f"rule raised {type(exc).__name__}: {exc}")
            outs.append(StepOutcome(i, getattr(step.by, "name", type(step.by).__name__), r.relation, r.ok,
                                    r.detail, sp.sstr(nxt), step.note, r.subproof))
            if r.ok is False:
                ok = False
            elif r.ok is None and ok is not False:
                ok = None
            chained = _chain(rel, r.relation)
            if chained is None:
                ok = None if ok is not False else False
                chained = rel
            rel = chained
            cur = nxt
        return DerivationOutcome(ok, rel, sp.sympify(self.start), cur, tuple(outs),
                                 tuple(h.text for h in self.hypotheses))


# the named analytic rules live in analytic_rules.py; imported here so that this module stays the
# one place a derivation's rules are imported from
from .analytic_rules import (BetaIntegral, BinomialTail, EqualDerivatives, HarmonicBlock,  # noqa: E402
                             MonotoneIntegrandBound, SumIntegralSwap)
