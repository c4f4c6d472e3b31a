"""The certified tier: rigorous enclosures of a maximum or minimum over a range (mpmath.iv).

`extremum_check` bounds max f (or min f) on [lo, hi] by branch and bound with interval arithmetic
(`symbolic/interval_search.py`): certified when the enclosure is on the claimed side of the bound,
refuted when f at a rational point is certified to cross it (the core replays that point exactly),
unknown otherwise.  Steps proved symbolically (e.g. a monotone tail beyond `hi`) are given as
`steps` and must all be decided true first.  Re-exported by `mechproof.checks`.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import mpmath

from mechproof.mechanisms.errors import ClaimDeclarationError
from mechproof.symbolic.interval_search import certified_maximum
from mechproof.symbolic.intervals import interval_text
from mechproof.symbolic.proof_steps import check_steps

from .certificates import record, record_steps
from .context import CheckContext
from .searches import Check
from .verdicts import Evaluation, Evidence, Verdict, Witness, certified, refuted, unknown

__all__ = ["extremum_check"]

iv = mpmath.iv


def extremum_check(f: Callable[[Any], Any], lo: Fraction, hi: Fraction, *, bound: Any, kind: str = "max",
                   replay: Callable[[Mapping[str, Any]], Evaluation], var: str = "x",
                   df: Callable[[Any], Any] | None = None, tol: Callable[[Any], Fraction] | Fraction = Fraction(1, 10 ** 8),
                   steps: Callable[[], Sequence[Any]] | None = None, summary: str = "") -> Check:
    """max f ≤ bound (kind "max") or min f ≥ bound (kind "min") on [lo, hi], certified.

    `f` maps an mpmath.iv interval to an interval containing f's range on it (`df`: an interval
    extension of f', for the centred form).  `bound` is a sympy constant or Fraction (enclosed
    rigorously).  `tol` may be a function of the domain (a bound key).  `replay({var: p})` is the
    exact evaluation that re-checks a crossing point.  `summary` may use {enclosure}.
    """
    if kind not in ("max", "min"):
        raise ClaimDeclarationError(f"extremum_check: kind must be 'max' or 'min', got {kind!r}")
    lo, hi = Fraction(lo), Fraction(hi)
    if not lo < hi:
        raise ClaimDeclarationError(f"extremum_check: empty range [{lo}, {hi}]")

    def run(ctx: CheckContext) -> Verdict:
        from mechproof.symbolic.intervals import enclose
        import sympy as sp

        ev: list[Evidence] = []
        if steps is not None:
            supporting = steps()
            out = check_steps(supporting)
            record_steps(supporting, out)
            ev.append(Evidence("derivation", f"{len(out.results)} supporting steps", out.text()))
            if out.ok is not True:
                return unknown(reason=f"a supporting step is not decided: {out.failed.label if out.failed else '?'}",
                               evidence=tuple(ev))
        b = enclose(sp.sympify(bound), 128)
        if b is None:
            return unknown(reason=f"the bound {bound} cannot be enclosed rigorously")
        g = f if kind == "max" else (lambda X: -f(X))
        gd = None if df is None else (df if kind == "max" else (lambda X: -df(X)))
        # g = f (max) or −f (min); the claim is max g ≤ c with c = bound (max) or −bound (min)
        certify_below = b.a if kind == "max" else -b.b     # max g < this: the claim holds
        refute_above = b.b if kind == "max" else -b.a      # g(p) > this at a point: the claim fails
        t = tol(ctx.domain) if callable(tol) else tol
        m = certified_maximum(g, lo, hi, Fraction(t), df=gd)
        upper = m.upper if kind == "max" else -m.upper
        lower = m.lower if kind == "max" else -m.lower
        enc = f"[{mpmath.nstr(lower if kind == 'max' else upper, 12)}, {mpmath.nstr(upper if kind == 'max' else lower, 12)}]"
        ev.append(Evidence("interval", f"{kind} of f on [{lo}, {hi}] is in {enc}",
                           f"branch and bound: {m.boxes} boxes, converged: {m.converged}; bound {bound} ∈ "
                           f"{interval_text(b)}; attained near {var} = {m.argmax_point}",
                           (("boxes", str(m.boxes)), (f"{kind} lower", mpmath.nstr(m.lower, 15)),
                            (f"{kind} upper", mpmath.nstr(m.upper, 15)))))
        record("enclosure", extremum=kind, lo=lo, hi=hi, bound=sp.srepr(sp.sympify(bound)),
               bound_enclosure=interval_text(b), lower=mpmath.nstr(m.lower, 30), upper=mpmath.nstr(m.upper, 30),
               boxes=m.boxes, precision=iv.prec, converged=m.converged)
        if m.upper < certify_below:
            text = (summary.replace("{enclosure}", enc) if summary else
                    f"{kind} of f on [{lo}, {hi}] is in {enc}, {'<' if kind == 'max' else '>'} {bound}")
            return certified(summary=text, evidence=tuple(ev), cases=m.boxes)
        if m.lower > refute_above:
            w = Witness.of({var: m.argmax_point}, None, f"branch and bound point ({m.boxes} boxes)")
            return refuted(witness=w, summary=f"f crosses {bound} at {var} = {m.argmax_point}", evidence=tuple(ev))
        return unknown(reason=f"the enclosure {enc} does not separate f from {bound} (tolerance {t})",
                       evidence=tuple(ev))

    return Check(run, replay)
