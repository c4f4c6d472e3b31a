"""BCK-GAMMA: γ(k) = 1 − kᵏ/(k!·eᵏ); γ(1) = 1 − 1/e; (1 − γ(k))·√(2πk) → 1; the App. D inventory bound.

Paper 001, Section 4 / Appendix D.  The two closed-form parts are proved with
sympy (the limit by sympy's Gruntz algorithm) and cross-checked by rigorous
intervals against Robbins' Stirling bounds for k ≤ 200; the inventory part is
computed exactly on small instances (proofs/papers/bck_inventory.py).
"""
from __future__ import annotations

import sympy as sp

from ..checks import identity_check
from ..claims import Claim, Part
from ..symbolic.intervals import enclose, interval_text
from ..verdicts import Evidence, Witness, proved, refuted, unknown
from .bck_inventory import GAMMA_INVENTORY_KEXP_PART, GAMMA_INVENTORY_PART

k = sp.Symbol("k", integer=True, positive=True)


def gamma_of(kk):
    """γ(k) = 1 − kᵏ/(k!·eᵏ) (BCK, Section 4)."""
    return 1 - kk ** kk / (sp.factorial(kk) * sp.exp(kk))


def gamma_one_part(gamma=gamma_of) -> Part:
    return Part("γ(1) = 1 − 1/e", method="sympy identity", domain="k = 1",
                check=identity_check(lambda: gamma(sp.Integer(1)), 1 - sp.exp(-1), domain="k = 1"))


def stirling_limit_part(gamma=gamma_of, k_max: int = 200) -> Part:
    """(1 − γ(k))·√(2πk) → 1: sympy's limit, cross-checked on k ≤ k_max against Robbins' bounds
    e^{−1/(12k)} < (1 − γ(k))·√(2πk) < e^{−1/(12k+1)}."""
    def check(ctx):
        expr = (1 - gamma(k)) * sp.sqrt(2 * sp.pi * k)
        lim = sp.limit(expr, k, sp.oo)
        lines = [f"(1 − γ(k))·√(2πk) = {sp.sstr(sp.simplify(expr))}", f"sympy limit k → ∞: {lim}"]
        top = int(ctx.bound("k_max", k_max))
        worst = None
        for kk in range(1, top + 1):
            x = enclose(expr.subs(k, kk), 128)
            lo, hi = enclose(sp.exp(sp.Rational(-1, 12 * kk)), 128), enclose(sp.exp(sp.Rational(-1, 12 * kk + 1)), 128)
            if x is None or lo is None or hi is None:
                return unknown("sympy limit + interval bounds", f"k ≤ {kk}", f"could not enclose at k = {kk}")
            if not (x.a > lo.b and x.b < hi.a):
                if x.b < lo.a or x.a > hi.b:
                    w = Witness.of({"k": kk}, {"(1−γ(k))·√(2πk)": interval_text(x)},
                                   "rigorous interval enclosure outside Robbins' bounds")
                    return refuted("interval arithmetic vs Robbins' Stirling bounds", f"k ≤ {kk}",
                                   f"(1 − γ(k))·√(2πk) outside Robbins' bounds at k = {kk}", w)
                return unknown("interval arithmetic", f"k ≤ {kk}", f"enclosure too wide at k = {kk}")
            worst = (kk, x) if worst is None else worst
        lines.append(f"k = 1..{top}: every enclosure lies strictly inside (e^(−1/(12k)), e^(−1/(12k+1)))")
        ev = (Evidence("sympy", f"limit = {lim}", "\n".join(lines)),
              Evidence("interval", f"Robbins' bounds hold for k ≤ {top}", stats=(("k_max", str(top)),)))
        if lim == 1:
            return proved("sympy limit (Gruntz) + interval cross-check", "limit is exactly 1; "
                          f"Robbins' squeeze certified for k ≤ {top}", ev, "k → ∞")
        if lim.is_number and lim != 1:
            w = Witness.of({"k": "∞"}, {"limit": lim}, "sympy limit")
            return refuted("sympy limit (Gruntz)", "k → ∞", f"the limit is {lim}, not 1", w, ev)
        return unknown("sympy limit (Gruntz)", "k → ∞", f"sympy returned {lim}", ev)
    return Part("(1 − γ(k))·√(2πk) → 1", method="sympy limit + interval cross-check", domain="k → ∞; k ≤ 200",
                check=check)


BCK_GAMMA = Claim(
    id="BCK-GAMMA", title="γ(1) = 1 − 1/e, γ(k) → 1 − 1/√(2πk), and the App. D inventory bound",
    statement="γ(1) = 1 − 1/e; γ(k) → 1 − 1/√(2πk) (i.e. (1−γ(k))·√(2πk) → 1). Appendix D: "
              "Σ_i (1−r_i)·prob_i ≥ γ(k)·k for an inventory of k and Σ prob_i ≤ k.",
    source="BCK (001), Section 4 (definition of γ(k)) and Appendix D",
    parts=(gamma_one_part(), stirling_limit_part(), GAMMA_INVENTORY_PART, GAMMA_INVENTORY_KEXP_PART),
)
