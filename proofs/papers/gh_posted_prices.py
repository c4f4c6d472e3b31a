"""GH (paper 002), sequential posted prices: GH-L5 (Lemma 5, steps 1 and 2) and GH-T9 (Yan 2011).

Models: mechanisms/posted_pricing.py; points and properties: mechanisms/gh_sequential_pricing.py;
z3 encodings: smt/gh_posted_prices.py.  GH-L3 (another group) uses both claims.
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from mechproof import (Claim, ClaimDeclarationError, Equal, Evaluation, IntKey, Method, Part, Query, RationalKey,
                       Role, Schema, Sign, compare_exact, enumeration_check, smt_check, steps_check)
from mechproof.mechanisms.gh_sequential_pricing import (lemma5_bound, lemma5_factor, outcome_cases, outcome_points,
                                                        prefix_inequality_holds, raised_sum_within_bound,
                                                        recursion_matches_outcomes, sequential_price_and_relaxation,
                                                        step2_cases, step2_points, truncation_keeps_fraction,
                                                        yan_grid_cases, yan_grid_points)
from mechproof.mechanisms.posted_pricing import sequential_posted_price_surplus
from mechproof.smt.gh_posted_prices import raised_quantile_sum_query, yan_prefix_query

from .gh_yan import t9_family_part, t9_route_part

# ------------------------------------------------------------------ GH-L5
q, e, S = sp.symbols("q epsilon S", nonnegative=True)
n, k = sp.symbols("n k", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
qi = sp.IndexedBase("q")


def step1_steps(bound=lemma5_bound):
    """Σ max(q_i, ε) ≤ Σ (q_i + ε(1 − q_i)) = S + ε(n − S) ≤ bound, for S = Σ q_i ≤ k and ε ∈ [0, 1]."""
    unit = ((e, 0, 1), (q, 0, 1))
    return [
        Sign("max(q, ε) ≤ q + ε(1 − q), branch q: q + ε(1 − q) − q ≥ 0 on [0, 1]²", q + e * (1 - q) - q, ">=0", unit),
        Sign("max(q, ε) ≤ q + ε(1 − q), branch ε: q + ε(1 − q) − ε ≥ 0 on [0, 1]²", q + e * (1 - q) - e, ">=0", unit),
        Equal("summing over i: Σ (q_i + ε(1 − q_i)) = S + ε(n − S) with S = Σ q_i",
              sp.Sum(qi[i] + e * (1 - qi[i]), (i, 1, n)), sp.Sum(qi[i], (i, 1, n)) + e * (n - sp.Sum(qi[i], (i, 1, n)))),
        Sign("bound − (S + ε(n − S)) ≥ 0 for 0 ≤ S ≤ k (Σq = k or Σq ≤ k), 0 ≤ ε ≤ 1",
             bound(n, k, e) - (S + e * (n - S)), ">=0", ((e, 0, 1), (S, 0, k)),
             points=[{n: 2, k: 1, S: 1, e: 1}, {n: 3, k: 1, S: 1, e: sp.Rational(1, 2)},
                     {n: 2, k: 1, S: 0, e: sp.Rational(1, 2)}]),
    ]


def step1_proof_part(bound=lemma5_bound) -> Part:
    return Part("step 1, all n", method=Method.DERIVATION,
                domain="all n ≥ 1, k ≤ n, q ∈ [0, 1]^n with Σq_i = k (also Σq_i ≤ k), ε ∈ [0, 1]",
                check=steps_check(lambda: step1_steps(bound), summary="Σ max(q_i, ε) ≤ k + (n − k)ε"),
                technique="pointwise bound on both branches of the max, summed")


def _step1_queries(bound):
    def queries(domain):
        for m in range(1, domain["n"] + 1):
            for kk in range(1, m + 1):
                for rule in ("=", "<="):
                    yield Query(f"n={m}, k={kk}, Σq {'=' if rule == '=' else '≤'} k",
                                lambda m=m, kk=kk, rule=rule: raised_quantile_sum_query(m, kk, bound, rule))
    return queries


def step1_smt_part(bound=lemma5_bound) -> Part:
    return Part("step 1, direct z3 search", method=Method.SMT, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("n", 6, min=1, max=10, local=True, help="agents: every n' ≤ n and k ≤ n'"),
                              text="n ≤ $n, k ∈ 1..n, every real q ∈ [0,1]^n with Σq = k and with Σq ≤ k, every "
                                   "real ε ∈ (0, 1]",
                              cases=lambda d: d["n"] * (d["n"] + 1)),
                check=smt_check(_step1_queries(bound), replay=lambda p: Evaluation.of(*raised_sum_within_bound(p, bound)),
                                summary="no q, ε with Σ max(q_i, ε) > k + (n − k)ε: unsat in all {cases} queries"),
                technique="linear real arithmetic; models replayed in Fractions")


def _sym_factor(nn, kk, ee):
    return kk / (kk + (nn - kk) * ee)


def step2_steps(factor=_sym_factor):
    """EAR(t) ≥ Σ t_i r_i ≥ (k/P)·Σ p_i r_i = (k/P)·EAR(p) ≥ factor·EAR(p), r_i = V_i(p_i)/p_i non-increasing,
    P = Σ p_i ∈ [k, k + (n − k)ε] (P ≥ Σ q_i = k; step 1 for the upper end)."""
    t_, p_ = sp.symbols("t p", nonnegative=True)
    r, a, b, T, W = sp.symbols("r a b T W", nonnegative=True)
    m, P = sp.Symbol("m", nonnegative=True), sp.Symbol("P", positive=True)
    kk = sp.Symbol("k", positive=True)
    v, x = sp.Function("v"), sp.Symbol("x", positive=True)
    return [
        Equal("V_i is concave: V''(x) = v'(x) ≤ 0 (v non-increasing), V_i(0) = 0",
              sp.diff(sp.Integral(v(q), (q, 0, x)), x, 2), sp.Derivative(v(x), x)),
        Sign("chord: t = λp + (1 − λ)·0 with λ = t/p ∈ [0, 1] for 0 ≤ t ≤ p, so V_i(t_i) ≥ (t_i/p_i)·V_i(p_i) and "
             "EAR(t) ≥ Σ t_i r_i", 1 - t_ / p_, ">=0", ((t_, 0, p_),)),
        Sign("front-loaded weights: t sits on indices ≤ n', w = p − t on indices ≥ n', r non-increasing, so "
             "A = Σ t_i r_i = r_{n'}·T + a and B = Σ w_i r_i = r_{n'}·W − b (a, b ≥ 0), and A·(T + W) − T·(A + B) = "
             "A·W − T·B ≥ 0: Σ t_i r_i ≥ (k/P)·Σ p_i r_i (T = k, T + W = P)",
             (r * T + a) * W - T * (r * W - b), ">=0"),
        Sign("k/P − factor ≥ 0 for k ≤ P ≤ k + (n − k)ε (n = k + m, ε ∈ [0, 1])",
             kk / P - factor(kk + m, kk, e), ">=0", ((e, 0, 1), (P, kk, kk + m * e)),
             points=[{kk: 1, m: 1, e: 1, P: 2}, {kk: 1, m: 2, e: sp.Rational(1, 2), P: 2},
                     {kk: 2, m: 1, e: sp.Rational(1, 4), P: sp.Rational(9, 4)}]),
    ]


def step2_proof_part(factor=_sym_factor) -> Part:
    return Part("step 2, all n", method=Method.DERIVATION,
                domain="all n ≥ 1, k ≤ n, every distribution, q ∈ Δ with Σq_i = k, ε ∈ [0, 1]",
                check=steps_check(lambda: step2_steps(factor), summary="EAR(t) ≥ k/(k + (n−k)ε)·EAR(p)"),
                technique="V concave (chords through 0), front-loaded weighted average, step 1's bound on Σp")


class _Remember:
    """holds(point) and value(point) from one evaluation: the builder asks for the value right after holds."""

    def __init__(self, evaluate, value_of):
        self.evaluate, self.value_of, self.last = evaluate, value_of, (None, None)

    def holds(self, point):
        ok, seen = self.evaluate(point)
        self.last = (id(point), seen)
        return Evaluation.of(ok, seen)

    def value(self, point):
        seen = self.last[1] if self.last[0] == id(point) else self.evaluate(point)[1]
        return self.value_of(seen)


def _step2_ratio(seen):
    """EAR(t)/(factor·EAR(p)): 1 means step 2 holds with equality (None when EAR(p) = 0)."""
    return seen["EAR_t"] / (seen["factor"] * seen["EAR_p"]) if seen["EAR_p"] else None


def step2_part(factor=lemma5_factor) -> Part:
    memo = _Remember(lambda p: truncation_keeps_fraction(p, factor), _step2_ratio)
    return Part("step 2 on a grid", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("agents", (2, 3), min=2, max=4, many=True, local=True, help="numbers of agents n"),
                              IntKey("grid", 4, min=1, max=8, local=True, help="q_i ∈ {0, 1/grid, …, 1}"),
                              RationalKey("epsilon", ("1/8", "1/4", "1/3"), lo=0, hi=1, lo_open=True, many=True,
                                          local=True, help="quantile floors ε ∈ (0, 1]"),
                              text="n ∈ $agents, k < n, V_i from 4 discrete distributions, q ∈ {0, 1/$grid, …, 1}^n with "
                                   "Σq = k, ε ∈ $epsilon",
                              cases=step2_cases),
                check=enumeration_check(
                    step2_points, memo.holds, replay=lambda p: Evaluation.of(*truncation_keeps_fraction(p, factor)),
                    value=memo.value, value_name="EAR(t)/(factor·EAR(p))", target=1,
                    summary="EAR(t) ≥ k/(k + (n−k)ε)·EAR(p) in all {cases} cases; least EAR(t)/(factor·EAR(p)) = "
                            "{worst} at {at} ({tightness})",
                    violation="truncating to t loses more than the claimed fraction at {point}"),
                technique="t built by the paper's definition (first index n' with Σ_{i≤n'} p_i ≥ k)")


def _step1_extreme_points(domain):
    """q = (0, …, 0, 1, …, 1) (n − k zeros), n ≤ N, k ≤ n, ε ∈ {1/8, 1/4, 1/3, 1/2, 1}."""
    for m in range(1, domain["n"] + 1):
        for kk in range(1, m + 1):
            for eps_ in (Fraction(1, 8), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(1)):
                yield {"n": m, "k": kk, "q": (Fraction(0),) * (m - kk) + (Fraction(1),) * kk, "epsilon": eps_,
                       "sum_rule": "="}


def step1_tightness_part(bound=lemma5_bound) -> Part:
    def gap(point):
        ok, seen = raised_sum_within_bound(point, bound)
        return seen["bound"] - seen["sum_p"] if ok is not None else None

    return Part("step 1 tightness: q = (0, …, 0, 1, …, 1)", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("n_tight", 6, min=1, max=40, local=True, help="agents n ≤ n_tight"),
                              text="q = (0^(n−k), 1^k), n ≤ $n_tight, k ≤ n, ε ∈ {1/8, 1/4, 1/3, 1/2, 1}",
                              cases=lambda d: 5 * d["n_tight"] * (d["n_tight"] + 1) // 2),
                check=enumeration_check(
                    lambda d: _step1_extreme_points({"n": d["n_tight"]}),
                    lambda p: Evaluation.of(*raised_sum_within_bound(p, bound)), value=gap,
                    value_name="bound − Σ max(q_i, ε)", target=0,
                    summary="Σ max(q_i, ε) ≤ k + (n − k)ε at all {cases} extreme points; least gap {worst} at {at} "
                            "({tightness}: the paper's extreme point attains step 1's bound)"))


GH_L5 = Claim(
    id="GH-L5", title="Lemma 5 steps 1 and 2 (raising quantiles to ε, truncating to k)",
    statement="Step 1: p_i = max{q_i, ε} with Σq_i = k, q_i ∈ [0,1] gives Σp_i ≤ k + (n−k)ε; "
              "Step 2: EAR(t) ≥ k/(k+(n−k)ε)·EAR(p).",
    source="GH (002), Lemma 5 (proof, steps 1 and 2)",
    parts=(step1_proof_part(), step1_smt_part(), step1_tightness_part(), step2_proof_part(), step2_part()),
)


# ------------------------------------------------------------------ GH-T9
def yan_rho(kk: int) -> sp.Expr:
    """Yan's factor 1 − 1/√(2πk) (exact)."""
    return 1 - 1 / sp.sqrt(2 * sp.pi * kk)


def rational_upper(value: sp.Expr, digits: int = 6) -> Fraction:
    """A rational r ≥ value (value itself when rational), certified by compare_exact."""
    value = sp.sympify(value)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    r = Fraction(int(sp.ceiling(value * 10 ** digits)), 10 ** digits)
    if compare_exact(sp.Rational(r.numerator, r.denominator), ">=", value).holds is not True:
        raise ClaimDeclarationError(f"could not certify a rational upper bound of {value}")
    return r


def _yan_queries(claimed):
    def queries(domain):
        for kk in range(1, domain["k"] + 1):
            rho = rational_upper(claimed(kk))
            for m in range(kk + 1, domain["n"] + 1):       # prefixes of ≤ k agents: E[min(X, k)] = Σq
                yield Query(f"k={kk}, {m} agents", lambda m=m, kk=kk, rho=rho: yan_prefix_query(m, kk, rho))
    return queries


def _yan_replay(claimed):
    def replay(point):
        holds, seen = prefix_inequality_holds(point)
        if holds is None:
            return Evaluation.of(None, seen, "the model is outside Δ")
        return compare_exact(seen["SP"], ">=", claimed(point["k"]) * seen["EAR"],
                             {"SP": seen["SP"], "EAR": seen["EAR"], "claimed_factor": claimed(point["k"])})
    return replay


def _yan_cases(d) -> int:
    return sum(max(0, d["n"] - kk) for kk in range(1, d["k"] + 1))


def t9_smt_part(claimed=yan_rho) -> Part:
    return Part("small n, every q and distribution", method=Method.SMT, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("n", 4, min=2, max=6, local=True, help="agents (prefixes of length ≤ n)"),
                              IntKey("k", 3, min=1, max=4, local=True, help="goods: every k' ≤ k"),
                              text="k ≤ $k goods, n ≤ $n agents, every real q ∈ [0,1]^n with Σq ≤ k and every "
                                   "distribution (through the prefix inequalities)",
                              cases=_yan_cases),
                check=smt_check(_yan_queries(claimed), replay=_yan_replay(claimed), second_route=False,
                                summary="E[min(X_j, k)] ≥ ρ⁺·Σ_{i≤j} q_i for every prefix j, with a rational "
                                        "ρ⁺ ≥ 1 − 1/√(2πk): unsat in all {cases} queries"),
                technique="nonlinear real arithmetic on the Poisson-binomial polynomial; models replayed exactly; "
                          "cvc5 times out on these polynomials, so the second route is the exact grid cross-check",
                assumes=("reduction: for a fixed order SP(q) and EAR(q) are linear in the conditional values "
                         "c_1 ≥ … ≥ c_n ≥ 0, whose cone is spanned by prefix indicators (each realised by point "
                         "masses), so SP ≥ ρ·EAR for every distribution iff every prefix inequality holds",))


def _sp_ear(claimed):
    """SP(q) ≥ ρ·EAR(q): a rational upper bound ρ⁺ decides most cases; the exact ρ (certified sign) the rest.
    `value`: SP/EAR − ρ⁺(k) at the point just decided (> 0 everywhere certifies slack: ρ⁺ ≥ ρ)."""
    upper: dict[int, Fraction] = {}
    last: list = [None, None, None]

    def compare(point):
        sp_q, ear = sequential_price_and_relaxation(point)
        return compare_exact(sp_q, ">=", claimed(point["k"]) * ear, {"SP": sp_q, "EAR": ear})

    def holds(point):
        sp_q, ear = sequential_price_and_relaxation(point)
        last[:] = [id(point), sp_q, ear]
        if point["k"] not in upper:
            upper[point["k"]] = rational_upper(claimed(point["k"]))
        return True if sp_q >= upper[point["k"]] * ear else compare(point)

    def value(point):
        sp_q, ear = last[1:] if last[0] == id(point) else sequential_price_and_relaxation(point)
        return sp_q / ear - upper[point["k"]] if ear else None
    return holds, compare, value


def t9_grid_part(claimed=yan_rho) -> Part:
    holds, compare, value = _sp_ear(claimed)
    return Part("direct SP/EAR grid", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("agents", 3, min=1, max=4, local=True, help="agents"),
                              IntKey("goods", (1, 2), min=1, max=4, many=True, local=True, help="numbers of goods k"),
                              text="$agents agents, k ∈ $goods, q ∈ {0, 1/3, 1/2, 2/3, 1}^$agents with Σq ≤ k, "
                                   "conditional values ∈ {0, 1, 2, 3}^$agents (prefix indicators included), Yan's order",
                              cases=yan_grid_cases),
                check=enumeration_check(
                    yan_grid_points, holds, replay=compare, value=value,
                    value_name="SP/EAR − ρ⁺(k) (ρ⁺ ≥ 1 − 1/√(2πk), rational)", target=0,
                    summary="SP(q) ≥ (1 − 1/√(2πk))·EAR(q) in all {cases} cases; least SP/EAR − ρ⁺(k) = {worst} at "
                            "{at} ({tightness})",
                    violation="SP < ρ·EAR at {point}"),
                technique="exact SP (Poisson-binomial recursion) and EAR; certified sign against the exact ρ")


def t9_outcomes_part(sp_of=sequential_posted_price_surplus) -> Part:
    """The SP recursion the grid and the prefix replay use, against SP by every accept/decline outcome
    (`sp_of`: planted wrong in tests)."""
    return Part("SP recursion = outcome enumeration", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("agents", 3, min=1, max=4, local=True, help="agents"),
                              text="$agents agents, k ≤ $agents, q ∈ {0, 1/3, 1}^$agents with Σq ≤ k, conditional "
                                   "values ∈ {0, 1, 2}^$agents, Yan's order",
                              cases=outcome_cases),
                check=enumeration_check(
                    outcome_points, lambda p: Evaluation.of(*recursion_matches_outcomes(p, sp_of)),
                    summary="SP(q) by the Poisson-binomial recursion = SP(q) by its 2ⁿ accept/decline outcomes in all "
                            "{cases} cases",
                    violation="the SP recursion differs from the outcome enumeration at {point}"),
                technique="exact probabilities of every outcome; goods sold while fewer than k are gone")


GH_T9 = Claim(
    id="GH-T9", title="Yan: EAR(q) ≤ SP(q)/(1 − 1/√(2πk))",
    statement="Yan: EAR(q) ≤ SP(q)/(1 − 1/√(2πk)).",
    source="GH (002), Theorem 9 (Yan 2011)",
    parts=(t9_route_part(), t9_smt_part(), t9_grid_part(), t9_family_part(), t9_outcomes_part()),
)
