"""GH (paper 002) §3.2: ε-buffering bounds — GH-T7 (Theorem 7) and GH-COR1 (Corollary 1).

Theorem 7 holds for 0 < ε < 1/(2n) (Theorem 6's range); as printed it admits every quantile ε, and
at ε = 1/3, n = 2 its bound is −9(1 + ln 3) < 1 ≤ ζ(2).  Corollary 1's proof prints the factor
(ln n − 2)/ln n where ln n/(ln n − 2) is needed; the corrected line and the limit (1 + o(1)) ln n are
proved, and the bound is positive exactly from n = 8 on (ln n > 2).
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from mechproof import (Cite, Claim, Equal, Evaluation, IntKey, Limit, Method, Part, RationalKey, Role, Schema, Sign,
                       compare_exact, enumeration_check, steps_check)

eps = sp.Symbol("epsilon", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
q = sp.Symbol("q", positive=True)
L = sp.Symbol("L", positive=True)          # L = ln n
r = sp.Symbol("r", positive=True)          # L = 2 + r

ZETA_AT_LEAST_ONE = "ζ(n) ≥ 1: optimal surplus ≥ optimal consumer surplus (payments are non-negative)"


def t7_bound(e, nn):
    """Theorem 7's bound (1 − ln ε)/((1 − ε/(1−ε))(1−ε)(1−2nε))."""
    return (1 - sp.log(e)) / ((1 - e / (1 - e)) * (1 - e) * (1 - 2 * nn * e))


# ---------------------------------------------------------------- GH-T7
def t7_steps(stated=None):
    """Theorem 7's proof for 0 < ε < 1/(2n); `stated` replaces the printed bound (planted bugs)."""
    stated = t7_bound(eps, n) if stated is None else stated
    a, b = sp.symbols("a b", positive=True)      # ε = a/(2n(a + b)): every ε in (0, 1/(2n))
    j = sp.Symbol("j", integer=True, nonnegative=True)
    buffer_factor = 1 / ((1 - eps / (1 - eps)) * (1 - eps) * (1 - 2 * n * eps))    # Theorem 6
    at_range = {eps: a / (2 * n * (a + b))}
    return lambda: [
        Cite("Theorem 5 / Corollary 9: V(q) ≤ (1 − ln q)·Ū(q)", "GH-T5"),
        Equal("d/dq (1 − ln q) = −1/q", sp.diff(1 - sp.log(q), q), -1 / q),
        Sign("−1/q < 0: for q ∈ [ε, 1], 1 − ln q ≤ 1 − ln ε, so surplus(M) ≤ (1 − ln ε)·OPT^U", -1 / q, "<0"),
        Cite("Theorem 6: OPT^V ≤ surplus(M) / ((1 − ε/(1−ε))(1−ε)(1−2nε))", "GH-T6"),
        Equal("composition: [Theorem 6 factor]·(1 − ln ε) = the stated bound", buffer_factor * (1 - sp.log(eps)), stated,
              [{eps: sp.Rational(1, 100), n: 3}, {eps: sp.Rational(1, 50), n: 2}]),
        Equal("(1 − ε/(1−ε))(1−ε) = 1 − 2ε", (1 - eps / (1 - eps)) * (1 - eps), 1 - 2 * eps),
        Sign("for ε = a/(2n(a+b)) (every ε ∈ (0, 1/(2n))): 1 − 2ε > 0", (1 - 2 * eps).subs(at_range).subs(n, 1 + j),
             ">0"),
        Sign("and 1 − 2nε = b/(a+b) > 0: the denominator is positive", sp.cancel((1 - 2 * n * eps).subs(at_range)), ">0"),
    ]


def t7_points(dom):
    """(n, ε) with n increasing, then ε increasing; points where the bound is undefined are skipped
    (ε = 1/(2n): 1 − 2nε = 0; ε = 1/2: 1 − ε/(1−ε) = 0)."""
    for nn in dom["n"]:
        for e in dom["epsilon"]:
            if e != Fraction(1, 2 * nn) and e != Fraction(1, 2):
                yield {"n": nn, "epsilon": e}


def t7_bound_at_least_one(point) -> Evaluation:
    """The bound must be ≥ ζ(n) ≥ 1: exact evaluation, certified sign."""
    e = sp.Rational(point["epsilon"].numerator, point["epsilon"].denominator)
    b = sp.simplify(t7_bound(e, point["n"]))
    return compare_exact(b, ">=", 1, {"bound": b})


GH_T7 = Claim(
    id="GH-T7", title="ζ(n) ≤ (1 − ln ε)/((1 − ε/(1−ε))(1−ε)(1−2nε))",
    statement="ζ(n) ≤ (1 − ln ε)/((1 − ε/(1−ε))(1−ε)(1−2nε)).",
    source="GH (002) §3.2, Theorem 7",
    why_not_proved=('False as printed (an exact witness); its reading ε < 1/(2n) is proved. The as-printed '
                    'part is a bounded search, which can refute but never prove.'),
    uses=("GH-T6:reading", "GH-T5"),
    parts=(
        Part("as printed: any quantile ε", method=Method.ENUMERATION, role=Role.AS_PRINTED,
             assumes=(ZETA_AT_LEAST_ONE,),
             domain=Schema(IntKey("n", (1, 2, 3, 4), min=1, many=True, local=True, help="agents"),
                           RationalKey("epsilon", ("1/10", "1/5", "1/4", "1/3", "2/5"), lo=0, hi=1, lo_open=True,
                                       hi_open=True, many=True, local=True,
                                       help="the quantile ε of Definition 4 (any ε ∈ (0, 1))"),
                           text="n ∈ $n, quantile ε ∈ $epsilon (where the bound is defined: ε ≠ 1/(2n), 1/2)",
                           cases=lambda d: sum(1 for _ in t7_points(d))),
             check=enumeration_check(t7_points, t7_bound_at_least_one,
                                     summary="the bound is ≥ 1 at all {cases} points",
                                     violation="the bound is < 1 ≤ ζ(n) at {point}: Theorem 7 needs the unstated "
                                               "range ε < 1/(2n) (Theorem 6's)")),
        Part("ε < 1/(2n)", method=Method.DERIVATION, role=Role.READING,
             reading="ε < 1/(2n), Theorem 6's range (Theorem 7 does not state it; Definition 4 allows any quantile)",
             domain="every n ≥ 1 and 0 < ε < 1/(2n)",
             check=steps_check(t7_steps(), summary="bound = Theorem 6 factor × (1 − ln ε) = (1 − ln ε)/((1 − 2ε)"
                                                   "(1 − 2nε)), with a positive denominator")),
    ),
)


# ---------------------------------------------------------------- GH-COR1
def cor1_lines():
    """The four lines of the proof of Corollary 1, with L = ln n (n = e^L), N = n ln n = L·e^L."""
    N = L * sp.exp(L)
    line1 = t7_bound(1 / N, sp.exp(L))
    line2 = (1 + L + sp.log(L)) / ((1 - 1 / (N - 1)) * (1 - 1 / N) * (1 - 2 / L))
    printed = (N - 1) / (N - 2) * N / (N - 1) * (L - 2) / L * (1 + L + sp.log(L)) / L * L
    corrected = (N - 1) / (N - 2) * N / (N - 1) * L / (L - 2) * (1 + L + sp.log(L)) / L * L
    return line1, line2, printed, corrected


_L_POINTS = ({L: sp.log(10)}, {L: sp.log(100)})


def cor1_bound(nn, LL):
    """Line 2 with n and L = ln n as separate symbols: (1 + L + ln L)/((1 − 2/(nL))(1 − 2/L)) (= line 1)."""
    return (1 + LL + sp.log(LL)) / ((1 - 2 / (nn * LL)) * (1 - 2 / LL))


def cor1_limit_steps(threshold: int = 8):
    """The limit, and where the bound is meaningful: negative at n = threshold − 1, positive for every
    n ≥ `threshold` (8: ln n > 2).  A wrong threshold fails one of the three sign steps."""
    m = sp.Symbol("m", integer=True, positive=True)
    _, _, _, corrected = cor1_lines()
    below = threshold - 1
    return lambda: [
        Limit("line 3 / ln n → 1 as n → ∞ (each factor → 1): ζ(n) ≤ (1 + o(1))·ln n", corrected / L, L, sp.oo, 1),
        Equal("line 2 = (1 + L + ln L)/((1 − 2/(nL))(1 − 2/L)) with L = ln n",
              cor1_lines()[1], cor1_bound(sp.exp(L), L), _L_POINTS),
        Sign(f"at n = {below} the bound is negative (ln {below} < 2)", cor1_bound(below, sp.log(below)), "<0"),
        Sign(f"ln {threshold} > 2", sp.log(threshold) - 2, ">0"),
        Sign(f"for every L = ln n > 2 and n ≥ {threshold} the bound is positive (L = 2 + r, n = {threshold} + m)",
             cor1_bound(threshold + m - 1, 2 + r), ">0"),
    ]


def cor1_step_part(name: str, which: str, role: Role = Role.CONJUNCT, reading: str = "") -> Part:
    line1, line2, printed, corrected = cor1_lines()
    steps = {
        "1": lambda: [Equal("1 − ln(1/(n ln n)) = 1 + ln n + ln ln n and the three factors (line 1 = line 2)",
                            sp.expand_log(line1, force=False), line2, _L_POINTS)],
        "2": lambda: [Equal("line 2 = line 3 as printed: (N−1)/(N−2)·N/(N−1)·(ln n − 2)/ln n·(1 + ln n + ln ln n)/"
                            "ln n·ln n", line2, printed, _L_POINTS)],
        "2c": lambda: [Equal("line 2 = line 3 with the third factor ln n/(ln n − 2) = 1/(1 − 2/ln n)", line2,
                             corrected, _L_POINTS)],
    }[which]
    return Part(name, method=Method.IDENTITY, role=role, reading=reading, domain="every n > 1 (L = ln n > 0)",
                check=steps_check(steps, summary="the line equals the next"))


GH_COR1 = Claim(
    id="GH-COR1", title="ε = 1/(n ln n): ζ(n) ≤ (1 + o(1))·ln n, with the four-step algebra",
    statement="With ε = 1/(n ln n): ζ(n) ≤ (1+o(1))·ln n (including the paper's four-step algebra).",
    source="GH (002) §3.2, Corollary 1 and its proof",
    uses=("GH-T7:reading",),
    parts=(
        cor1_step_part("step 1: substitution", "1"),
        cor1_step_part("step 2 as printed", "2", role=Role.AS_PRINTED),
        cor1_step_part("step 2 corrected", "2c", role=Role.READING,
                       reading="the third factor of line 3 is ln n/(ln n − 2) = 1/(1 − 2/ln n), not (ln n − 2)/ln n"),
        Part("step 3: limit and range", method=Method.DERIVATION,
             domain="n → ∞; the bound's sign at n = 7 and for every n ≥ 8",
             check=steps_check(cor1_limit_steps(), summary="ζ(n) ≤ (1 + o(1)) ln n; the bound is negative at n = 7 "
                                                           "and positive for every n ≥ 8")),
    ),
)
