"""BCK-GAMMA: γ(k) = 1 − kᵏ/(k!·eᵏ); γ(1) = 1 − 1/e; (1 − γ(k))·√(2πk) → 1; the App. D inventory bound.

Paper 001, Section 1/4 (definition of γ) and Appendix D.  γ(1) is a sympy identity; the limit is
sympy's (Gruntz), cross-checked by certified intervals against Robbins' Stirling bounds for
k ≤ k_max; the App. D parts (as printed, and with k_exp) are in proofs/papers/bck_inventory.py.
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

from mechproof import (Claim, Evaluation, IntKey, Limit, Method, Part, Role, Schema, compare_exact,
                       enumeration_check, identity_check, steps_check)

from .bck_common import gamma as gamma_of
from .bck_inventory import inventory_part, poisson_part

__all__ = ["BCK_GAMMA", "gamma_one_part", "stirling_limit_part", "robbins_part"]

k = sp.Symbol("k", integer=True, positive=True)


def gamma_one_part(gamma: Callable = gamma_of) -> Part:
    """γ(1) = 1 − 1/e; `gamma` plants a wrong γ in tests."""
    return Part("γ(1) = 1 − 1/e", method=Method.IDENTITY, domain="k = 1",
                check=identity_check(lambda: gamma(sp.Integer(1)), 1 - sp.exp(-1)))


def stirling_limit_part(gamma: Callable = gamma_of) -> Part:
    """(1 − γ(k))·√(2πk) → 1 as k → ∞, by sympy's limit of its reciprocal (equivalent, the quantity
    being positive): a wrong γ then has a finite wrong limit (0), which the step engine refutes,
    where the direct form would diverge to ∞, which it leaves undecided."""
    def steps():
        x = (1 - gamma(k)) * sp.sqrt(2 * sp.pi * k)
        return [Limit("(1 − γ(k))·√(2πk) → 1 as k → ∞, i.e. 1/((1 − γ(k))·√(2πk)) → 1 (sympy, Gruntz)",
                      1 / x, k, sp.oo, 1)]

    return Part("(1 − γ(k))·√(2πk) → 1", method=Method.DERIVATION, domain="k → ∞",
                check=steps_check(steps, summary="(1 − γ(k))·√(2πk) → 1, i.e. γ(k) → 1 − 1/√(2πk)"))


def robbins_part(gamma: Callable = gamma_of) -> Part:
    """e^{−1/(12k)} < (1 − γ(k))·√(2πk) < e^{−1/(12k+1)} (Robbins' Stirling bounds) for k ≤ k_max."""
    def holds(point):
        kk = sp.Integer(point["k"])
        x = sp.expand((1 - gamma(kk)) * sp.sqrt(2 * sp.pi * kk))
        lo, hi = sp.exp(sp.Rational(-1, 12 * kk)), sp.exp(sp.Rational(-1, 12 * kk + 1))
        a, b = compare_exact(x, ">", lo), compare_exact(x, "<", hi)
        observed = {"(1 − γ(k))·√(2πk)": x}
        if a.holds is None or b.holds is None:
            return Evaluation.of(None, observed, "certified sign undecided")
        return Evaluation.of(a.holds and b.holds, observed)

    return Part("Robbins' bounds for k ≤ k_max", method=Method.INTERVAL, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("k_max", 200, min=1, local=True, help="k ∈ {1..k_max}"),
                              text="k ∈ {1..$k_max}", cases=lambda d: d["k_max"]),
                technique="certified interval signs at each k",
                check=enumeration_check(lambda d: ({"k": kk} for kk in range(1, d["k_max"] + 1)), holds,
                                        certified_only=True,
                                        summary="e^(−1/(12k)) < (1 − γ(k))·√(2πk) < e^(−1/(12k+1)) at all {cases} k",
                                        violation="(1 − γ(k))·√(2πk) outside Robbins' bounds at {point}"))


BCK_GAMMA = Claim(
    id="BCK-GAMMA", title="γ(1) = 1 − 1/e, γ(k) → 1 − 1/√(2πk), and the App. D inventory bound",
    statement="γ(1) = 1 − 1/e; γ(k) → 1 − 1/√(2πk) (i.e. (1−γ(k))·√(2πk) → 1). Appendix D: "
              "Σ_i (1−r_i)·prob_i ≥ γ(k)·k for an inventory of k and Σ prob_i ≤ k.",
    source="BCK (001), Section 1 (definition of γ(k)), Table 1 footnote c and Appendix D",
    why_not_proved=('False as printed (an exact witness); γ(1) and the limit of γ(k) are proved, and the '
                    'corrected inventory bound (with k_exp) is enumerated over probability vectors on a '
                    'grid; a derivation of it for every vector (Poisson splitting) is not encoded.'),
    parts=(gamma_one_part(), stirling_limit_part(), robbins_part(),
           inventory_part(as_printed=True), inventory_part(as_printed=False), poisson_part()),
)
