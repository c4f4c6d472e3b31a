"""GH (paper 002) §5 and Appendix C: online IID posted prices — GH-T10 (Theorem 10) and GH-L7 (Lemma 7).

Theorem 10 is proved for every distribution by `t10_route_part`: E[max] = U(1) + ∫ w·U with w ≥ 0,
U ≤ B/g (B the best posted-price consumer surplus), ∫ w/g = ln n, so E[max] ≤ (1 + ln n)·B ≤ (H_n + 1)·B.
The paper's case analysis for the worst (straight-line) U = q + a rests on Lemma 7 (convexity),
Lemma 8 (the surplus H_n + a·n) and Lemma 2 (ironing only helps the ratio); each algebraic step is
decided by sympy; it is a cross-check (its last Assume is false in general: docs/gh-surplus.md).
Lemma 7's printed proof rewrites Σ_{j≤n−2}(j+1)w^j wrongly; the lemma is proved here by the coefficients
of 2S'² − S·S'' (S = Σ_{j<n} w^j, w = 1 − q), with exact Sturm counts for n ≤ 20 as a cross-check.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import sympy as sp

from mechproof import (Assume, Cite, Claim, Equal, Evaluation, IntKey, Limit, Method, Part, Role, Schema, Sign,
                       enumeration_check, steps_check)
from mechproof.mechanisms.distributions import DiscreteDistribution
from mechproof.mechanisms.surplus_instances import (best_posted_consumer_surplus,
                                                    best_posted_consumer_surplus_by_profiles, expected_max,
                                                    expected_max_by_profiles, iid_points)
from mechproof.symbolic.real_roots import second_derivative_sign, second_derivative_violation

q = sp.Symbol("q", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
j = sp.Symbol("j", integer=True, nonnegative=True)
a = sp.Symbol("a", nonnegative=True)


# ---------------------------------------------------------------- GH-T10
def t10_steps():
    h = sp.Symbol("h", positive=True)     # h = H_n ≥ 1
    i = sp.Symbol("i", integer=True, positive=True)
    s = sp.Symbol("s", nonnegative=True)
    return [
        Cite("Lemma 7: C(q) = q/(1 − (1−q)ⁿ) is convex, so the worst concave U under C is a tangent line", "GH-L7"),
        Equal("price v(q): consumer surplus (1 − (1−q)ⁿ)/q · U(q) = Σ_{j<n}(1−q)^j · U(q)",
              sp.summation((1 - q) ** j, (j, 0, n - 1)), (1 - (1 - q) ** n) / q),
        Cite("Lemma 8: U = q + a (slope normalised) gives surplus H_n + a·n", "GH-L8"),
        Equal("q → 0: Σ_{j<n}(1−q)^j → n (a polynomial in q), so posting q → 0 earns n·a",
              sp.Sum((1 - q) ** j, (j, 0, n - 1)).subs(q, 0), n),
        Equal("H_n − 1 = Σ_{i=2}^{n} 1/i ≥ 0: h = H_n ≥ 1", sp.harmonic(n) - 1, sp.Sum(1 / i, (i, 2, n))),
        Equal("a ≥ 1/n: (H_n + an) − (H_n + 1)·na = H_n(1 − na)", (h + a * n) - (h + 1) * n * a, h * (1 - n * a)),
        Sign("and H_n(1 − na) ≤ 0 for a = 1/n + s, s ≥ 0: ratio ≤ H_n + 1", (h * (1 - n * a)).subs(a, 1 / n + s), "<=0"),
        Equal("a < 1/n, q = 1 earns 1 + a: (H_n + an) − (H_n + 1)(1 + a) = a(n − H_n − 1) − 1",
              (h + a * n) - (h + 1) * (1 + a), a * (n - h - 1) - 1),
        Sign("linear in a: at a = 0 it is −1 < 0", (a * (n - h - 1) - 1).subs(a, 0), "<0"),
        Sign("at a = 1/n it is (n − H_n − 1)/n − 1 = −(H_n + 1)/n < 0: ratio < H_n + 1 on [0, 1/n)",
             (a * (n - h - 1) - 1).subs(a, 1 / n), "<0"),
        Cite("Lemma 2: Ū ≥ U gives V̄ ≥ V, so an irregular distribution's ratio is at most its ironed one's", "GH-L2"),
        Assume("Theorem 3", "posting prices earns the same consumer surplus under U and Ū (the allocation is "
                            "constant on ironed intervals; GH §2.1) — the paper's step, false in general (values "
                            "{9: 1/10, 2: 3/5, 1: 3/10}, n = 4: best posted CS 24073/10000 < Ū·g at 3/10); this "
                            "part is a cross-check, the claim rests on the route"),
    ]


T10_PROBABILITIES = (Fraction(1, 5), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3))


def _harmonic(m: int) -> Fraction:
    return sum((Fraction(1, i) for i in range(1, m + 1)), Fraction(0))


T10_DOMAIN_TEXT = "n ≤ $n; values ⊂ {0..$values}, ≤ 3 atoms, probabilities from {1/5, 1/4, 1/3, 1/2, 2/3}, mean > 0"


def _t10_points(dom):
    return iid_points(dom["n"], dom["values"], 3, T10_PROBABILITIES)


def posted_price_ratio(point, emax=expected_max, best=best_posted_consumer_surplus,
                       bound: Callable[[int], Fraction] = lambda m: _harmonic(m) + 1) -> Evaluation:
    """E[max of n IID] ≤ bound(n) × the best anonymous posted-price consumer surplus (Theorem 10: H_n + 1)."""
    d, m = DiscreteDistribution.from_point(point), point["n"]
    E, C = emax(d, m), best(d, m)
    return Evaluation.of(E <= bound(m) * C, {"E[max]": E, "best posted CS": C, "bound": bound(m)})


def _t10_slack(point) -> Fraction:
    d, m = DiscreteDistribution.from_point(point), point["n"]
    return (_harmonic(m) + 1) * best_posted_consumer_surplus(d, m) / expected_max(d, m)


def posted_price_part(bound: Callable[[int], Fraction] = lambda m: _harmonic(m) + 1) -> Part:
    """Exact check on small discrete distributions; the replay recomputes both sides by enumerating profiles."""
    return Part("small discrete distributions", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("n", 4, min=1, max=6, local=True, help="buyers"),
                              IntKey("values", 5, min=1, max=8, local=True, help="values in {0..values}"),
                              text=T10_DOMAIN_TEXT, cases=lambda dom: sum(1 for _ in _t10_points(dom))),
                check=enumeration_check(_t10_points, lambda p: posted_price_ratio(p, bound=bound),
                                        replay=lambda p: posted_price_ratio(p, expected_max_by_profiles,
                                                                            best_posted_consumer_surplus_by_profiles,
                                                                            bound),
                                        value=_t10_slack, value_name="(H_n + 1)·best CS / E[max]", target=1,
                                        summary="E[max] ≤ (H_n + 1)·(best posted-price consumer surplus) on all "
                                                "{cases} (n, F) pairs; least slack (H_n + 1)·CS/E[max] = {worst} at "
                                                "{at} ({tightness})"))


def closed_forms_agree(point, emax=expected_max, best=best_posted_consumer_surplus) -> Evaluation:
    """E[max] and the best posted-price consumer surplus by their closed forms = by enumerating every profile."""
    d, m = DiscreteDistribution.from_point(point), point["n"]
    fast = (emax(d, m), best(d, m))
    plain = (expected_max_by_profiles(d, m), best_posted_consumer_surplus_by_profiles(d, m))
    return Evaluation.of(fast == plain, {"E[max]": fast[0], "E[max] by profiles": plain[0], "best posted CS": fast[1],
                                         "best posted CS by profiles": plain[1]})


def closed_forms_part(emax=expected_max, best=best_posted_consumer_surplus) -> Part:
    """Cross-check of the fast route of 'small discrete distributions' against the plain definitions
    (`emax`, `best`: planted wrong in tests)."""
    return Part("closed forms = profile enumeration", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("n", 3, min=1, max=6, local=True, help="buyers"),
                              IntKey("values", 3, min=1, max=8, local=True, help="values in {0..values}"),
                              text=T10_DOMAIN_TEXT, cases=lambda dom: sum(1 for _ in _t10_points(dom))),
                check=enumeration_check(_t10_points, lambda p: closed_forms_agree(p, emax, best),
                                        summary="E[max] = Σ_j a_j·((1 − (1 − Q_j)ⁿ) − (1 − (1 − Q_{j−1})ⁿ)) and best "
                                                "posted CS = max Σ_{i<n}(1 − q)^i·U(q) equal their values by profile "
                                                "enumeration on all {cases} (n, F) pairs",
                                        violation="a closed form differs from profile enumeration at {point}"))


# ---------------------------------------------------------------- GH-T10 route: every distribution, no ironing
T10_ROUTE_ASSUMES = (
    "E[max] = ∫₀¹ v(t)·n(1−t)^{n−1} dt: the top quantile of n IID agents has CDF G(t) = 1 − (1−t)ⁿ",
    "B, the best anonymous posted-price consumer surplus, is ≥ g(q)·U(q), g(q) = Σ_{j<n}(1−q)^j, for every q: "
    "posting v(q) earns g(q)·U(q) (the paper's formula, the case analysis' step 2: the first agent to accept has "
    "quantile ≤ q and consumer surplus U(q)/q in expectation; ties at an atom broken at random, which earns at "
    "most the strict-acceptance price just above the atom)",
    "every distribution: u dt is read as the Stieltjes measure dU = −t·dv where v jumps (atoms, gaps); each "
    "integration by parts has one smooth factor (G, g), so it holds for every non-increasing v",
)


def t10_route_steps(bound: Callable = lambda m: sp.harmonic(m) + 1) -> list:
    """E[max] = U(1) + ∫ w·U ≤ B·(1 + ∫ w/g) = B·(1 + ln n) ≤ bound(n)·B.  `bound(n)`: planted wrong in tests."""
    t, eps, r = sp.Symbol("t", positive=True), sp.Symbol("epsilon", positive=True), sp.Symbol("r", nonnegative=True)
    y = sp.Symbol("y", positive=True)                       # y = 1 − t ∈ (0, 1)
    i = sp.Symbol("i", integer=True, positive=True)
    B, W, Cq = sp.Symbol("B", positive=True), sp.Symbol("W", nonnegative=True), sp.Symbol("C", positive=True)
    slack1, slack2, D = sp.symbols("sigma_1 sigma_2 D", nonnegative=True)
    v, U = sp.Function("v"), sp.Function("U")
    G = 1 - (1 - t) ** n
    g_y, G_y = (1 - y ** n) / (1 - y), 1 - y ** n
    w_y = (1 - y ** n - n * (1 - y) * y ** (n - 1)) / (1 - y) ** 2
    return [
        Equal("E1. parts: (v·G)' = v'·G + v·n(1−t)^{n−1}, so E[max] = [v·G]₀¹ + ∫₀¹ (−t·v')·G/t = ∫₀¹ u·g "
              "(g = G/t, u = −t·v')", sp.diff(v(t) * G, t), sp.Derivative(v(t), t) * G + v(t) * n * (1 - t) ** (n - 1)),
        Limit("E2. g(t) = G(t)/t → n as t → 0⁺: the boundary terms v(t)G(t) = g(t)·t·v(t) and U(t)·g(t) vanish at 0 "
              "(t·v(t) → 0, U(0) = 0), and v(1)G(1) = 0 (v(1) = 0)", G / t, t, 0, n),
        Cite("GH-ASSUME, read as: v(1) := 0, V(0) = 0 and U(0) = 0 (q·v(q) → 0)", "GH-ASSUME"),
        Equal("E3. parts again, y = 1 − t: w := −g'(t) = dg/dy = (1 − (1−t)ⁿ − nt(1−t)^{n−1})/t², and g(1) = 1, so "
              "∫₀¹ u·g = [U·g]₀¹ + ∫₀¹ w·U: E[max] = U(1) + ∫₀¹ w(t)·U(t) dt", sp.diff(g_y, y), w_y),
        Equal("E4. g(t) = Σ_{j<n} (1−t)^j = Σ_{j<n} y^j (a geometric sum)", sp.summation((1 - t) ** j, (j, 0, n - 1)),
              G / t),
        Equal("E4'. termwise (a finite sum): w = dg/dy = Σ_{j<n} j·y^{j−1}",
              sp.diff(sp.Sum(y ** j, (j, 0, n - 1)), y), sp.Sum(j * y ** (j - 1), (j, 0, n - 1))),
        Sign("E5. w = Σ_{j<n} j·y^{j−1} ≥ 0 on (0, 1]: the weight of U is non-negative",
             sp.Sum(j * y ** (j - 1), (j, 0, n - 1)), ">=0", ((y, 0, 1),)),
        Sign("E6. C := 1/g > 0 and U(t) ≤ B·C(t) (B ≥ g·U): B·(1 + ∫ w·C) − E[max] = (B − g(1)U(1)) + ∫ w·C·(B − g·U) "
             "= σ₁ + ∫ W·C·σ₂ ≥ 0, with σ₁ = B − U(1) ≥ 0 (g(1) = 1), W = w ≥ 0 (E5), σ₂ = B − g·U ≥ 0",
             slack1 + W * Cq * slack2, ">=0"),
        Equal("E7. w·C = w·(1 − y)/(1 − yⁿ) = 1/t − n(1−t)^{n−1}/G(t) = 1/t − G'/G",
              w_y * (1 - y) / G_y, 1 / (1 - y) - n * y ** (n - 1) / G_y),
        Equal("E8. an antiderivative: (ln t − ln G)' = 1/t − G'/G, so ∫_ε^1 w·C = (0 − ln G(1)) − (ln ε − ln G(ε)) = "
              "ln(G(ε)/ε) (G(1) = 1)", sp.diff(sp.log(t) - sp.log(G), t), 1 / t - n * (1 - t) ** (n - 1) / G),
        Limit("E9. ln(G(ε)/ε) → ln n as ε → 0⁺ (monotone convergence: w·C ≥ 0): ∫₀¹ w·C = ln n and "
              "E[max] ≤ (1 + ln n)·B", sp.log(G.subs(t, eps) / eps), eps, 0, sp.log(n)),
        Equal("E10. 1/i − ln(1 + 1/i) = ∫₀^{1/i} r/(1 + r) dr", sp.Integral(r / (1 + r), (r, 0, 1 / i)),
              1 / i - (sp.log(i + 1) - sp.log(i))),
        Sign("E11. the integrand r/(1 + r) ≥ 0: D_i := 1/i − ln(1 + 1/i) ≥ 0", r / (1 + r), ">=0"),
        Equal("E12. Σ_{i≤n} 1/i = H_n", sp.Sum(1 / i, (i, 1, n)), sp.harmonic(n)),
        Equal("E13. telescoping: Σ_{i≤n} ln(1 + 1/i) = ln(n + 1), so D := Σ_{i≤n} D_i = H_n − ln(n + 1) ≥ 0",
              sp.Sum(sp.log(i + 1) - sp.log(i), (i, 1, n)), sp.log(n + 1)),
        Sign("E14. the claimed factor: claimed − (1 + ln n) = claimed − 1 − H_n + D + ln(1 + 1/n) ≥ 0 (ln n = "
             "H_n − D − ln(1 + 1/n)), so E[max] ≤ (1 + ln n)·B ≤ (claimed)·B",
             bound(n) - 1 - (sp.harmonic(n) - D - sp.log(1 + 1 / n)), ">=0",
             points=[{n: 1, D: 1 - sp.log(2)}, {n: 2, D: sp.Rational(3, 2) - sp.log(3)},
                     {n: 10, D: sp.harmonic(10) - sp.log(11)}]),
    ]


def t10_route_part(bound: Callable = lambda m: sp.harmonic(m) + 1) -> Part:
    return Part("every distribution (integration by parts, no ironing)", method=Method.DERIVATION, role=Role.ROUTE,
                domain="every n ≥ 1, every distribution (v non-increasing, v(1) = 0, q·v(q) → 0)",
                assumes=T10_ROUTE_ASSUMES,
                check=steps_check(lambda: t10_route_steps(bound),
                                  summary="E[max] = U(1) + ∫ w·U ≤ (1 + ln n)·B ≤ (H_n + 1)·B, B the best posted-price "
                                          "consumer surplus"),
                technique="E[max] = U(1) + ∫ w·U with w ≥ 0, U ≤ B/g pointwise, ∫ w/g = ln n, ln n ≤ H_n")


GH_T10 = Claim(
    id="GH-T10", title="Online IID single item: a posted price is an (H_n + 1)-omniscient approximation",
    statement="Online IID single item: a posted price gets omniscient approximation ≤ H_n + 1.",
    source="GH (002) §5, Theorem 10 and its proof",
    uses=("GH-L7", "GH-L8", "GH-L2", "GH-ASSUME:convention"),
    parts=(
        t10_route_part(),
        Part("case analysis", method=Method.DERIVATION, role=Role.CROSS_CHECK,
             domain="every n ≥ 1, a ≥ 0 (U = q + a)",
             check=steps_check(t10_steps, summary="the worst straight-line U gives surplus/consumer surplus ≤ H_n + 1")),
        posted_price_part(),
        closed_forms_part(),
    ),
)


# ---------------------------------------------------------------- GH-L7
def l7_steps(truncation: int = 1):
    """`truncation`: S·S'' at w^(n−2) lacks the b = m term (1); 0 plants the untruncated sum (a false lemma)."""
    w = sp.Symbol("w", nonnegative=True)
    S = sp.Function("S")
    m_, r, s, aa, bb = sp.symbols("m r s a b", integer=True, nonnegative=True)
    first = lambda lo, hi, m: 2 * sp.summation((aa + 1) * (m - aa + 1), (aa, lo, hi))
    second = lambda lo, hi: sp.summation((bb + 1) * (bb + 2), (bb, lo, hi))
    mm = n - 1 + r
    return [
        Equal("q/(1 − (1−q)ⁿ) = 1/S(w), S(w) = Σ_{j<n} w^j, w = 1 − q (affine: convexity in q ⇔ in w)",
              sp.summation(w ** j, (j, 0, n - 1)).subs(w, 1 - q), (1 - (1 - q) ** n) / q),
        Equal("(1/S)'' = (2S'² − S·S'')/S³", sp.diff(1 / S(w), w, 2),
              (2 * sp.Derivative(S(w), w) ** 2 - S(w) * sp.Derivative(S(w), w, 2)) / S(w) ** 3),
        Sign("S(w) = Σ_{j<n} w^j > 0 on [0, 1) (its j = 0 term is 1, the others ≥ 0)",
             sp.Sum(w ** j, (j, 0, n - 1)), ">0", ((w, 0, 1),)),
        Equal("coefficient of w^m in M = 2S'² − SS'' for m ≤ n − 3 (no truncation): "
              "2Σ_{a≤m}(a+1)(m−a+1) − Σ_{b≤m}(b+1)(b+2) = 0", first(0, m_, m_) - second(0, m_), 0),
        Equal("m = n − 2: 2Σ_{a≤m}(a+1)(m−a+1) − Σ_{b≤m−1}(b+1)(b+2) = (m+1)(m+2)",
              first(0, m_, m_) - second(0, m_ - truncation), (m_ + 1) * (m_ + 2), points=[{m_: 0}, {m_: 1}]),
        Sign("that coefficient (the sums themselves, not their closed form) is > 0",
             first(0, m_, m_) - second(0, m_ - truncation), ">0", points=[{m_: 0}, {m_: 1}]),
        Equal("m = n − 1 + r, 0 ≤ r ≤ n − 3 (n = r + 3 + s): coefficient = (r + 2)(s + 1)(r + s + 3)",
              (first(r + 1, n - 2, mm) - second(r, n - 3)).subs(n, r + 3 + s), (r + 2) * (s + 1) * (r + s + 3)),
        Sign("that coefficient (the sums themselves) is > 0: every coefficient of M is ≥ 0, so M ≥ 0 on [0, 1) "
             "(each monomial w^m ≥ 0 there) and (1/S)'' ≥ 0 (n = 1: the constant 1)",
             (first(r + 1, n - 2, mm) - second(r, n - 3)).subs(n, r + 3 + s), ">0"),
    ]


def convexity_part(f_of_q_n: Callable[[int], sp.Expr], label: str, want: int = 1,
                   role: Role = Role.CROSS_CHECK) -> Part:
    """f(·, n) convex (want = +1) or concave (want = −1) on (0, 1] for n = 1..N: exact real-root counting of the
    second-derivative numerator; a violation's replay evaluates f'' exactly at simple rational q."""
    kind = "convex" if want == 1 else "concave"

    def holds(point):
        res = second_derivative_sign(f_of_q_n(point["n"]), q)
        return Evaluation.of(res.sign in (want, 0) if res.sign is not None else None,
                             note=f"f'' sign {res.sign} on (0, 1) ({res.how})")

    def replay(point):
        bad = second_derivative_violation(f_of_q_n(point["n"]), q, want)
        if bad is None:
            return Evaluation.of(None, note="no rational q with f'' of the wrong sign found")
        return Evaluation.of(False, {"q": bad[0], "f''(q)": bad[1]})

    return Part(f"exact for small n ({kind})", method=Method.ENUMERATION, role=role,
                domain=Schema(IntKey("n", 20, min=1, max=60, local=True, help="n = 1..n"), text="n = 1..$n, q ∈ (0, 1]",
                              cases=lambda d: d["n"]),
                check=enumeration_check(lambda dom: ({"n": m} for m in range(1, dom["n"] + 1)), holds, replay=replay,
                                        summary=f"{label} is {kind} on (0, 1] for all {{cases}} n",
                                        violation=f"{label} is not {kind} at {{point}}"))


GH_L7 = Claim(
    id="GH-L7", title="q/(1 − (1−q)ⁿ) is convex in q on (0, 1]",
    statement="q/(1 − (1−q)ⁿ) is convex in q on (0,1].",
    source="GH (002) Appendix C, Lemma 7",
    parts=(
        Part("general n", method=Method.DERIVATION, role=Role.ROUTE, domain="every n ≥ 1, q ∈ (0, 1]",
             check=steps_check(l7_steps, summary="q/(1 − (1−q)ⁿ) is convex on (0, 1] for every n: the second-"
                                                 "derivative numerator has non-negative coefficients in w = 1 − q "
                                                 "(the paper's printed rewriting of Σ(j+1)w^j is false at n = 2)")),
        convexity_part(lambda m: q / (1 - (1 - q) ** m), "q/(1 − (1−q)ⁿ)"),
    ),
)
