"""GH (paper 002): certified numerics — GH-FIG1 over the whole half-line x = n/k ≥ 1, and GH-L4.

GH-FIG1 works in y = ln x ∈ [0, ∞): rigorous branch and bound (mpmath.iv, centred form) on
[0, 4] and, on [4, ∞), a proved monotone tail bound (typed Sign/Equal steps), so no cut-off is
assumed.  GH-L4: H_m − ln m decreases to γ > 0.577 (every m ≥ 1), a certified scan; ζ = 1 + H_n − H_k
≥ H_{n/k} for every k and n = mk (blocks of k terms, a checked derivation), and the exact exponential
instances ζ = E[top-k]/k ≥ H_{n/k} beside it.
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy as sp

from mechproof import (Assume, Cite, Claim, Equal, Evaluation, Holds, IntKey, Limit, Method, Part, Role, Schema, Sign,
                       compare_exact, enumeration_check, extremum_check, steps_check)
from mechproof.symbolic.derivation import (Compare, Derivation, Evaluate, HarmonicBlock, InSummand, Reversed, Step,
                                           Substitute)
from mechproof.mechanisms.surplus_instances import (divisible_pairs, exponential_order_mean,
                                                    exponential_order_mean_by_density, exponential_top_k,
                                                    exponential_top_k_by_counts)

iv = mpmath.iv
y = sp.Symbol("y", nonnegative=True)
w = sp.Symbol("w", positive=True)

LOWER_CONSTANT = sp.Rational(577, 1000)      # the paper's "0.577" read exactly; also checked with Euler γ
UPPER_CONSTANT = sp.Rational(227, 100)
RATIO_CONSTANT = sp.Rational(136, 100)
TAIL_START = 4                               # y = ln x ≥ 4 handled by the proved tail bound


# ------------------------------------------------------------------ the curves of Fig. 1
def theorem8_bound_sym(yy):
    """Thm 8 bound normalised by (1+o(1)): (1 + (1 − 1/x)/(1 + ln x))·(1 + ln x + ln(1 + ln x)), x = e^y."""
    return (1 + (1 - sp.exp(-yy)) / (1 + yy)) * (1 + yy + sp.log(1 + yy))


def fig1a_sym(yy, c=LOWER_CONSTANT):
    return theorem8_bound_sym(yy) / (c + yy)


def fig1b_sym(yy):
    return (2 / sp.log(2)) * (sp.log(2) + yy) / theorem8_bound_sym(yy)


def _bound_iv(Y):
    return (1 + (1 - iv.exp(-Y)) / (1 + Y)) * (1 + Y + iv.log(1 + Y))


def _c_iv(c):
    return iv.euler if c == sp.EulerGamma else iv.mpf(int(c.p)) / int(c.q)


def fig1a_iv(c=LOWER_CONSTANT):
    cc = _c_iv(c)
    return lambda Y: _bound_iv(Y) / (cc + Y)


def fig1b_iv(Y):
    return (2 / iv.log(2)) * (iv.log(2) + Y) / _bound_iv(Y)


def _iv_derivative(expr):
    """An interval extension of d/dy expr (sympy derivative, evaluated with mpmath.iv functions)."""
    g, l2 = sp.Symbol("_gamma"), sp.Symbol("_ln2")
    d = sp.diff(expr, y).subs({sp.EulerGamma: g, sp.log(2): l2})
    fn = sp.lambdify((y, g, l2), d, modules=[{"exp": iv.exp, "log": iv.log}, "mpmath"])
    return lambda Y: fn(Y, iv.euler, iv.log(2))


# ------------------------------------------------------------------ the monotone tail y ≥ TAIL_START
def _tail_common():
    B = theorem8_bound_sym(y)
    major = (1 + 1 / (1 + y)) * (1 + y + sp.log(1 + y))
    return [
        Sign("1 − e^(−y) ≤ 1: B(y) ≤ (1 + 1/(1+y))(1 + y + ln(1+y))", major - B, ">=0"),
        Equal("(1 + 1/(1+y))(1 + y + ln(1+y)) = (2 + y)·(1 + ln(1+y)/(1+y))", major,
              (2 + y) * (1 + sp.log(1 + y) / (1 + y))),
        Equal("with w = ln(1+y): ln(1+y)/(1+y) = w·e^(−w)", (w * sp.exp(-w)).subs(w, sp.log(1 + y)),
              sp.log(1 + y) / (1 + y)),
        Sign("d/dw(w·e^(−w)) ≤ 0 for w ≥ 1: ln(1+y)/(1+y) is non-increasing for y ≥ e − 1",
             sp.diff(w * sp.exp(-w), w), "<=0", ranges=((w, 1, None),)),
        Sign(f"tail start: ln(1 + {TAIL_START}) ≥ 1 (y ≥ e − 1)", sp.log(1 + TAIL_START) - 1, ">=0"),
    ]


def upper_tail_steps(bound, c):
    """For y ≥ Y: Fig. 1a ratio ≤ (2+y)/(c+y)·(1 + ln(1+y)/(1+y)), both factors non-increasing: ≤ its value at Y."""
    Y = sp.Integer(TAIL_START)
    at_Y = (2 + Y) / (c + Y) * (1 + sp.log(1 + Y) / (1 + Y))
    return lambda: _tail_common() + [
        Sign(f"d/dy (2+y)/({c}+y) = ({c} − 2)/({c}+y)² < 0", sp.diff((2 + y) / (c + y), y), "<0"),
        Sign(f"so on [{TAIL_START}, ∞) the ratio is ≤ its majorant at y = {TAIL_START}, which is < {bound}",
             bound - at_Y, ">0"),
    ]


def lower_tail_steps(bound):
    """For y ≥ Y: Fig. 1b ratio ≥ (2/ln 2)(ln 2 + y)/(2 + y) / (1 + ln(1+y)/(1+y)), non-decreasing: ≥ its value at Y."""
    Y = sp.Integer(TAIL_START)
    at_Y = (2 / sp.log(2)) * (sp.log(2) + Y) / ((2 + Y) * (1 + sp.log(1 + Y) / (1 + Y)))
    return lambda: _tail_common() + [
        Sign("d/dy (ln 2 + y)/(2 + y) = (2 − ln 2)/(2+y)² > 0", sp.diff((sp.log(2) + y) / (2 + y), y), ">0"),
        Sign(f"so on [{TAIL_START}, ∞) the ratio is ≥ its minorant at y = {TAIL_START}, which is > {bound}",
             at_Y - bound, ">0"),
    ]


def _fig1_schema():
    return Schema(IntKey("tol_inv", 10 ** 8, min=10, max=10 ** 12, local=True,
                         help="1/tolerance of the branch and bound"),
                  text=f"x = n/k ∈ [1, ∞): y = ln x ∈ [0, {TAIL_START}] by branch and bound (tolerance 1/$tol_inv), "
                       f"[{TAIL_START}, ∞) by a proved monotone tail bound")


def fig1_upper_part(name: str, bound=UPPER_CONSTANT, c=LOWER_CONSTANT, role: Role = Role.CONJUNCT) -> Part:
    """max over x ≥ 1 of the Thm-8 bound / (c + ln x) ≤ bound (Fig. 1a), certified."""
    return Part(name, method=Method.INTERVAL, role=role, domain=_fig1_schema(),
                check=extremum_check(fig1a_iv(c), Fraction(0), Fraction(TAIL_START), bound=bound, kind="max", var="y",
                                     df=_iv_derivative(fig1a_sym(y, c)), tol=lambda d: Fraction(1, d["tol_inv"]),
                                     steps=upper_tail_steps(bound, c),
                                     replay=lambda p: compare_exact(fig1a_sym(sp.sympify(p["y"]), c), "<=", bound,
                                                                    {"ratio": fig1a_sym(sp.sympify(p["y"]), c)})))


def fig1_lower_part(name: str, bound=RATIO_CONSTANT, role: Role = Role.CONJUNCT) -> Part:
    """min over x ≥ 1 of (2/ln 2)(ln 2 + ln x) / Thm-8 bound ≥ bound (Fig. 1b), certified."""
    return Part(name, method=Method.INTERVAL, role=role, domain=_fig1_schema(),
                check=extremum_check(fig1b_iv, Fraction(0), Fraction(TAIL_START), bound=bound, kind="min", var="y",
                                     df=_iv_derivative(fig1b_sym(y)), tol=lambda d: Fraction(1, d["tol_inv"]),
                                     steps=lower_tail_steps(bound),
                                     replay=lambda p: compare_exact(fig1b_sym(sp.sympify(p["y"])), ">=", bound,
                                                                    {"ratio": fig1b_sym(sp.sympify(p["y"]))})))


GH_FIG1 = Claim(
    id="GH-FIG1", title="Fig. 1: Thm-8 bound / (0.577 + ln x) ≤ 2.27; (2/ln 2)(ln 2 + ln x) / Thm-8 bound ≥ 1.36",
    statement="Fig. 1: with x = n/k, ratio of the Thm 8 bound (1 + (1−1/x)/(1+ln x))·(1 + ln x + ln(1+ln x)) to "
              "(0.577 + ln x) is at most 2.27; ratio of (2/ln 2)(ln 2 + ln x) to it is at least 1.36.",
    source="GH (002) §3.3, Figure 1 (a) and (b)",
    why_not_proved=('A numeric statement: the maximum and minimum of explicit transcendental functions over '
                    'x ≥ 1 have no closed form; they are certified by interval branch and bound on y = ln x '
                    '∈ [0, 4] plus a proved monotone tail bound.'),
    parts=(
        fig1_upper_part("(a) max ≤ 2.27, constant 577/1000"),
        fig1_upper_part("(a) max ≤ 2.27, constant Euler γ", c=sp.EulerGamma, role=Role.CROSS_CHECK),
        fig1_lower_part("(b) min ≥ 1.36"),
    ),
)


# ------------------------------------------------------------------ GH-L4
def harmonic_steps(c=LOWER_CONSTANT):
    """H_m ≥ c + ln m for every m ≥ 1: d_m = H_m − ln m strictly decreases to γ, and γ > c."""
    s = sp.Symbol("s", positive=True)
    m = sp.Symbol("m", positive=True, integer=True)
    g = sp.log(1 + s) - s / (1 + s)
    return lambda: [
        Equal("g(s) = ln(1+s) − s/(1+s) has g(0) = 0", g.subs(s, 0), 0),
        Equal("g'(s) = s/(1+s)²", sp.diff(g, s), s / (1 + s) ** 2),
        Sign("g'(s) > 0 for s > 0, so g(1/m) > 0: ln(1 + 1/m) > 1/(m+1)", s / (1 + s) ** 2, ">0"),
        Equal("d_(m+1) − d_m = 1/(m+1) − ln(1 + 1/m) = −g(1/m) < 0 (H_(m+1) = H_m + 1/(m+1))",
              sp.expand_func(sp.harmonic(m + 1)) - sp.log(m + 1) - (sp.harmonic(m) - sp.log(m)), -g.subs(s, 1 / m)),
        Limit("d_m = H_m − ln m → γ as m → ∞", sp.harmonic(m) - sp.log(m), m, sp.oo, sp.EulerGamma),
        Sign(f"γ − {c} > 0, so H_m − ln m > γ > {c} for every m ≥ 1", sp.EulerGamma - c, ">0"),
    ]


def _harmonic_points(dom):
    """m = 1..M increasing, with H_m accumulated exactly (the first failure is the least m)."""
    H = Fraction(0)
    for m in range(1, dom["m"] + 1):
        H += Fraction(1, m)
        yield {"m": m, "H_m": H}


def harmonic_scan_part(c=LOWER_CONSTANT) -> Part:
    """H_m − c − ln m > 0 for m = 1..M, each by a certified interval sign; the replay recomputes H_m."""
    cc = iv.mpf(int(c.p)) / int(c.q)

    def holds(point):
        d = iv.mpf(point["H_m"].numerator) / point["H_m"].denominator - iv.log(point["m"]) - cc
        return Evaluation.of(True if d.a > 0 else False if d.b < 0 else None, note="interval sign undecided")

    def replay(point):
        H = sum((Fraction(1, i) for i in range(1, point["m"] + 1)), Fraction(0))
        return compare_exact(H, ">=", c + sp.log(point["m"]), {"H_m": H})

    return Part(f"H_m ≥ {c} + ln m, direct", method=Method.INTERVAL, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("m", 2000, min=1, max=10 ** 6, local=True, help="m = 1..m"), text="m = 1..$m",
                              cases=lambda d: d["m"]),
                check=enumeration_check(_harmonic_points, holds, replay=replay, certified_only=True,
                                        summary="H_m − ln m > " + str(c) + " for all {cases} m (certified signs)",
                                        violation="H_m < " + str(c) + " + ln m at {point} (the least such m)"))


def zeta_steps(block_floor=None):
    """ζ = OPT^V/OPT^U = 1 + H_n − H_k for n IID Exp(1) and k goods, and 1 + H_(mk) − H_k ≥ H_m for all
    integers m, k ≥ 1.  `block_floor(b, k)` is the lower bound of each term of the b-th block (default
    1/(bk); a planted larger one is a false step).

    The k largest values count the j-th spacing from the top min(j, k) times (Rényi), so E[top k] =
    k + Σ_(j=k+1..n) k/j; and H_(mk) − H_k splits into m − 1 blocks of k terms, the b-th ≥ k/(bk) = 1/b."""
    n, k, m, b, r = sp.symbols("n k m b r", integer=True, positive=True)
    H = sp.harmonic
    tail = sp.Sum(1 / (k + r), (r, 1, n - k))
    top_k = Derivation(k + k * tail, (Step(k + k * (H(n) - H(k)), Substitute(tail, H(n) - H(k), HarmonicBlock()),
                                           "the tail Σ_(j=k+1..n) 1/j is a block of n − k harmonic terms"),),
                       ranges=((k, 1, None), (n, k, None)))
    blocks = sp.Sum(H(b * k) - H((b - 1) * k), (b, 2, m))
    ones = sp.Sum(1 / b, (b, 2, m))
    terms = sp.Sum(sp.Sum(1 / ((b - 1) * k + r), (r, 1, k)), (b, 2, m))
    lower = sp.Sum(sp.Sum(block_floor(b, k) if block_floor else 1 / (b * k), (r, 1, k)), (b, 2, m))
    gap = Derivation(1 + H(m * k) - H(k) - H(m), (
        Step(blocks - ones, Reversed(Evaluate()), "telescoping: Σ_(b=2..m) (H_(bk) − H_((b−1)k)) = H_(mk) − H_k, "
                                                  "and Σ_(b=2..m) 1/b = H_m − 1"),
        Step(terms - ones, Substitute(blocks, terms, InSummand(HarmonicBlock())), "each block has k terms"),
        Step(lower - ones, Substitute(terms, lower, InSummand(InSummand(Compare(">=")))),
             "1/((b−1)k + r) ≥ 1/(bk) for r ≤ k"),
        Step(sp.Integer(0), Evaluate(), "k terms of 1/(bk) make 1/b"),
    ), ranges=((m, 1, None), (k, 1, None)))
    return lambda: [
        Cite("Exp(1) has u ≡ 1 (Remark 3's derivation), so by Theorem 2 the optimal consumer surplus is the "
             "expected number of goods sold, at most k and attained by always selling: OPT^U = k", "GH-R3"),
        Assume("Rényi representation", "for n IID Exp(1) the j-th spacing from the top (j = 1..n) has mean 1/j, "
               "and the k largest values count it min(j, k) times: OPT^V = E[top k] = k + Σ_(j=k+1..n) k/j"),
        Holds("E[top k] = k + k·(H_n − H_k)", top_k, "=", k + k * (H(n) - H(k))),
        Equal("ζ = OPT^V/OPT^U = 1 + H_n − H_k", (k + k * (H(n) - H(k))) / k, 1 + H(n) - H(k)),
        Holds("n = mk: ζ − H_m = 1 + H_(mk) − H_k − H_m ≥ 0 for all m, k ≥ 1", gap, ">=", 0),
    ]


def zeta_part(block_floor=None) -> Part:
    """ζ ≥ H_(n/k) for every k and n = mk, by `zeta_steps`."""
    return Part("ζ = 1 + H_n − H_k ≥ H_{n/k}, every k ≥ 1 and k | n", method=Method.DERIVATION,
                domain="every k ≥ 1 and n = mk, m ≥ 1",
                check=steps_check(zeta_steps(block_floor), summary="ζ = 1 + H_n − H_k for Exp(1), and H_(mk) − H_k ≥ "
                                                             "H_m − 1 block by block, so ζ ≥ H_(n/k)"))


def _order_statistics(dom):
    return ({"n": nn, "i": i} for nn in range(1, dom["n_means"] + 1) for i in range(1, nn + 1))


def _renyi_mean_holds(point, mean=exponential_order_mean_by_density) -> Evaluation:
    by_density = mean(point["n"], point["i"])
    renyi = exponential_order_mean(point["n"], point["i"])
    return Evaluation.of(by_density == renyi, {"by density": by_density, "Σ_(j=i..n) 1/j": renyi})


def renyi_part(mean=exponential_order_mean_by_density) -> Part:
    """The Rényi means the derivation assumes, recomputed from the order statistics' densities."""
    return Part("Rényi's means = order-statistic integrals", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("n_means", 30, min=1, max=200, local=True, help="n = 1..n_means"),
                              text="every i ≤ n ≤ $n_means", cases=lambda d: d["n_means"] * (d["n_means"] + 1) // 2),
                check=enumeration_check(_order_statistics, lambda p: _renyi_mean_holds(p, mean),
                                        summary="E[i-th largest of n Exp(1)] by its Beta(i, n−i+1) quantile density "
                                                "= Σ_(j=i..n) 1/j in all {cases} cases",
                                        violation="the density and Rényi's mean differ at {point}"))


def _l4_pairs(dom):
    return divisible_pairs(dom["n"])


def _top_k_holds(point, top=exponential_top_k) -> Evaluation:
    nn, kk = point["n"], point["k"]
    E, H = top(nn, kk), sum((Fraction(1, i) for i in range(1, nn // kk + 1)), Fraction(0))
    return Evaluation.of(E >= kk * H, {"E[top k]": E, "k·H_(n/k)": kk * H})


def _top_k_ratio(point) -> Fraction:
    nn, kk = point["n"], point["k"]
    return exponential_top_k(nn, kk) / (kk * sum((Fraction(1, i) for i in range(1, nn // kk + 1)), Fraction(0)))


GH_L4 = Claim(
    id="GH-L4", title="IID exponential, k goods, n/k integer: ζ ≥ H_{n/k} ≥ 0.577 + ln(n/k)",
    statement="IID exponential, k goods, n/k integer: ζ ≥ H_{n/k} ≥ 0.577 + ln(n/k).",
    source="GH (002) §3.3, Lemma 4",
    uses=("GH-R3",),
    parts=(
        zeta_part(),
        Part("H_m ≥ 0.577 + ln m, every m ≥ 1", method=Method.DERIVATION, domain="every integer m ≥ 1",
             check=steps_check(harmonic_steps(), summary=f"H_m − ln m decreases to γ > {LOWER_CONSTANT}, so "
                                                         f"H_m ≥ {LOWER_CONSTANT} + ln m for every m ≥ 1")),
        harmonic_scan_part(),
        renyi_part(),
        Part("ζ ≥ H_{n/k} on exact instances", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
             domain=Schema(IntKey("n", 40, min=1, max=200, local=True, help="agents"), text="all n ≤ $n, k | n",
                           cases=lambda d: sum(1 for _ in divisible_pairs(d["n"]))),
             check=enumeration_check(_l4_pairs, _top_k_holds,
                                     replay=lambda p: _top_k_holds(p, exponential_top_k_by_counts),
                                     value=_top_k_ratio, value_name="ζ/H_(n/k)", target=1,
                                     summary="OPT^V/OPT^U = E[top-k sum]/k ≥ H_(n/k) in all {cases} cases (OPT^U = k: "
                                             "u ≡ 1 for Exp(1); E[i-th largest] = Σ_(j=i..n) 1/j); least ζ/H_(n/k) = "
                                             "{worst} at {at} ({tightness})")),
    ),
)
