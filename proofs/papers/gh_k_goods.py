"""GH (paper 002) §3.3: the k-identical-goods bounds — GH-L3 (Lemma 3) and GH-T8 (Theorem 8).

Lemma 3 composes Lemma 5, Yan's Theorem 9 and Theorem 5; "for any ε > 0" is read with ε a quantile
floor (p_i = max{q_i, ε} must be a probability), i.e. 0 < ε ≤ 1.  Theorem 8 sets
ε = 1/(x(1 + ln x)), x = n/k: the algebra and limits are proved step by step, and its constant 2.27
is Fig. 1a's maximum, certified over the whole half-line x ≥ 1 (gh_numeric.py).
"""
from __future__ import annotations

import sympy as sp

from mechproof import Cite, Claim, Equal, Limit, Method, Part, Role, Sign, steps_check

from mechproof.mechanisms.gh_sequential_pricing import lemma5_bound

from .gh_envelope import T5_FACTOR, T5_Q
from .gh_numeric import UPPER_CONSTANT, fig1_upper_part
from .gh_posted_prices import yan_rho

eps = sp.Symbol("epsilon", positive=True)
x = sp.Symbol("x", positive=True)


def l3_bound(e, nn, kk, ceiling=True):
    """Lemma 3's bound (1 − ln ε)(1 + ⌈n/k − 1⌉ε)/(1 − 1/√(2πk)) (`ceiling=False`: Lemma 5's (n/k − 1))."""
    r = nn / kk - 1
    return (1 - sp.log(e)) * (1 + (sp.ceiling(r) if ceiling else r) * e) / (1 - 1 / sp.sqrt(2 * sp.pi * kk))


# ---------------------------------------------------------------- GH-L3
def l3_steps(bound=l3_bound):
    """`bound(ε, n, k, ceiling)` is Lemma 3's printed bound (planted wrong in tests)."""
    nn = sp.Symbol("n", positive=True)
    kk = sp.Symbol("k", positive=True)
    ratio = sp.Symbol("rho", positive=True)           # ρ = n/k − 1 ≥ 0
    return [
        Cite("Lemma 5: OPT^V ≤ (1 + (n/k − 1)ε)/(1 − 1/√(2πk))·SP(p), y_i' = 0 on [0, ε]", "GH-L5"),
        Cite("Theorem 9 (Yan): EAR(q) ≤ SP(q)/(1 − 1/√(2πk))", "GH-T9"),
        Cite("Theorem 5 on [ε, 1]: surplus ≤ (1 − ln ε)·consumer surplus", "GH-T5"),
        Equal("Lemma 5's factor: (k + (n−k)ε)/k = 1 + (n/k − 1)ε", lemma5_bound(nn, kk, eps) / kk,
              1 + (nn / kk - 1) * eps),
        Equal("composition of the cited claims' own factors — Lemma 5's (k + (n−k)ε)/k, Theorem 9's 1/ρ(k), "
              "Theorem 5's 1 − ln ε — is Lemma 3's bound without the ceiling",
              lemma5_bound(nn, kk, eps) / kk / yan_rho(kk) * T5_FACTOR.subs(T5_Q, eps),
              bound(eps, nn, kk, ceiling=False),
              points=[{nn: 2, kk: 1, eps: sp.Rational(1, 2)}, {nn: 5, kk: 2, eps: sp.Rational(1, 10)}]),
        Sign("⌈ρ⌉ − ρ ≥ 0 (= frac(−ρ)), and ε > 0: the printed bound (with ⌈n/k − 1⌉) ≥ the proved one",
             ((sp.ceiling(ratio) - ratio) * eps).rewrite(sp.frac), ">=0"),
        Sign("Yan's factor at k = 1: 1 − 1/√(2π) > 0", 1 - 1 / sp.sqrt(2 * sp.pi), ">0"),
        Sign("and it increases in k: d/dk (1 − 1/√(2πk)) > 0, so it is positive for every k ≥ 1",
             sp.diff(1 - 1 / sp.sqrt(2 * sp.pi * kk), kk), ">0"),
        Sign("1 − ln ε ≥ 1 > 0 for ε ∈ (0, 1]: −ln ε ≥ 0", -sp.log(eps), ">=0", ranges=((eps, 0, 1),)),
    ]


def l3_part(bound=l3_bound) -> Part:
    return Part("0 < ε ≤ 1", method=Method.DERIVATION, role=Role.READING,
                reading="0 < ε ≤ 1: ε is a quantile floor (p_i = max{q_i, ε} must be a probability), so 'any ε > 0' "
                        "ranges over (0, 1]",
                domain="every n ≥ k ≥ 1 and 0 < ε ≤ 1",
                check=steps_check(lambda: l3_steps(bound), summary="Lemma 3's bound is the product of Lemma 5's, "
                                                                   "Yan's and Theorem 5's factors (the ceiling only "
                                                                   "weakens it)"))


GH_L3 = Claim(
    id="GH-L3", title="k goods: ζ(n) ≤ (1 − ln ε)(1 + ⌈n/k − 1⌉ε)/(1 − 1/√(2πk))",
    statement="ζ(n) ≤ (1 − ln ε)(1 + ⌈n/k − 1⌉ε)/(1 − 1/√(2πk)).",
    source="GH (002) §3.3, Lemma 3 (with Lemma 5)",
    uses=("GH-L5", "GH-T9", "GH-T5"),
    parts=(l3_part(),),
)


# ---------------------------------------------------------------- GH-T8
def t8_steps():
    e = 1 / (x * (1 + sp.log(x)))
    kk = sp.Symbol("k", positive=True)
    nn = sp.Symbol("n", positive=True)
    return [
        Cite("k = Θ(1): Corollary 1, ζ(n) ≤ (1 + o(1))·ln n", "GH-COR1"),
        Limit("k = Θ(1): ln n / ln(n/k) → 1 as n → ∞ (k fixed)", sp.log(nn) / sp.log(nn / kk), nn, sp.oo, 1),
        Cite("k = ω(1) and k = Θ(n): Lemma 3 with ε = 1/(x(1 + ln x)), x = n/k", "GH-L3"),
        Cite("Lemma 3's factors: 1 − ln ε from Theorem 5 on [ε, 1]", "GH-T5"),
        Cite("Lemma 3's factors: 1/(1 − 1/√(2πk)) from Theorem 9 (Yan)", "GH-T9"),
        Equal("1 − ln ε = 1 + ln x + ln(1 + ln x)", sp.expand_log(1 - sp.log(e), force=True),
              1 + sp.log(x) + sp.log(1 + sp.log(x))),
        Equal("1 + (x − 1)ε = 1 + (1 − 1/x)/(1 + ln x) = 1 + (1 − k/n)/(1 + ln(n/k))", 1 + (x - 1) * e,
              1 + (1 - 1 / x) / (1 + sp.log(x))),
        Sign("ε ≤ 1 for x ≥ 1 (Lemma 3's range): x(1 + ln x) − 1 ≥ 0", x * (1 + sp.log(x)) - 1, ">=0",
             ranges=((x, 1, None),)),
        Limit("k = o(n): 1 + (1 − 1/x)/(1 + ln x) → 1 as x → ∞", 1 + (1 - 1 / x) / (1 + sp.log(x)), x, sp.oo, 1),
        Limit("k = o(n): (1 + ln x + ln(1 + ln x))/ln x → 1 as x → ∞",
              (1 + sp.log(x) + sp.log(1 + sp.log(x))) / sp.log(x), x, sp.oo, 1),
        Limit("k = ω(1) (and k = Θ(n)): 1/(1 − 1/√(2πk)) → 1 as k → ∞", 1 / (1 - 1 / sp.sqrt(2 * sp.pi * kk)),
              kk, sp.oo, 1),
        Cite("k = Θ(n): the remaining ratio to (0.577 + ln x) is at most 2.27 (Fig. 1a)", "GH-FIG1"),
    ]


GH_T8 = Claim(
    id="GH-T8", title="k identical goods: ζ ≤ (1+o(1)) ln(n/k); ζ ≤ 2.27(1+o(1))(0.577 + ln(n/k)) for k = Θ(n)",
    statement="k identical goods: ζ ≤ (1+o(1))·ln(n/k) for k = o(n); ζ ≤ 2.27(1+o(1))(0.577 + ln(n/k)) for k = Θ(n).",
    source="GH (002) §3.3, Theorem 8 and its proof",
    why_not_proved=("It rests on Fig. 1's constant 2.27, the maximum of a transcendental function over x ≥ "
                    '1, which is certified by interval arithmetic (as in GH-FIG1) and has no closed form; '
                    'the rest of the argument (algebra and limits) is proved.'),
    uses=("GH-L3", "GH-T9", "GH-T5", "GH-COR1:reading", "GH-FIG1"),
    parts=(
        Part("algebra and limits", method=Method.DERIVATION, domain="x = n/k ≥ 1; limits x → ∞, k → ∞, n → ∞",
             check=steps_check(t8_steps, summary="Theorem 8's algebra and limits hold (the printed second case "
                                                 "'k = Θ(1)' read as k = ω(1), o(n))")),
        fig1_upper_part(f"constant {UPPER_CONSTANT} (Fig. 1a, certified)"),
    ),
)
