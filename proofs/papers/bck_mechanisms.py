"""BCK (paper 001): posted pricing vs the optimal DSIC / BIC mechanisms, exact on small instances.

BCK-L4 (Lemma 4), BCK-T1 (Theorem 1), BCK-T2 (Theorem 2), BCK-L20 (Lemma 20).
Every optimum is computed exactly (exhaustive DSIC rules, rational-simplex BIC LPs);
every ratio is reported next to its claimed factor.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import sympy as sp

from mechproof.claims import Claim, Part
from mechproof.mechanisms.random_variables import DiscreteRV
from mechproof.mechanisms.risk_averse_pricing import (
    best_deterministic_spm, covering_lp_offers, dsic_price_marginals, optimal_bic, optimal_dsic,
    partial_opm_utility, rounds_lp, rounds_mechanism_utility, sale_probability, soft_opm_utility,
    spm_expected_utility, tie_violations,
)
from mechproof.mechanisms.seller_utilities import PiecewiseLinearUtility, capped_linear
from mechproof.verdicts import Evidence, Witness, refuted, unknown, verified

from .bck_common import ONE_MINUS_INV_E, RatioRecord, gamma, ratio_status, small_utilities

__all__ = ["BCK_L4", "BCK_T1", "BCK_T2", "BCK_L20", "dsic_instances", "check_l4", "check_t1_best_spm",
           "check_t1_covering_lp", "check_t2", "check_l20"]

F = Fraction


def dsic_instances():
    """(name, value distributions, k): small single-parameter instances."""
    a = DiscreteRV.of({1: F(1, 2), 2: F(1, 2)})
    b = DiscreteRV.of({0: F(1, 2), 2: F(1, 2)})
    c = DiscreteRV.of({1: F(2, 3), 3: F(1, 3)})
    d = DiscreteRV.of({1: F(1, 2), 2: F(1, 4), 4: F(1, 4)})
    e = DiscreteRV.of({0: F(3, 4), 4: F(1, 4)})
    return [("{1,2}×{1,2}", (a, a)), ("{1,2}×{0,2}", (a, b)), ("{1,3}×{1,2,4}", (c, d)),
            ("{0,4}×{1,2,4}", (e, d)), ("{0,2}×{1,3}", (b, c))]


def _exact(obj) -> str:
    """Exact text of nested prices/probabilities/dicts (Fractions as p/q, None as 'none')."""
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{_exact(k)}: {_exact(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, (tuple, list)):
        return "(" + ", ".join(_exact(v) for v in obj) + ")"
    return "none" if obj is None else str(obj)


def _witness_fail(kind, where, achieved, bench, ratio, factor):
    w = Witness.of(where, {"achieved": achieved, "benchmark": bench, "ratio": ratio, "claimed": factor},
                   recheck="exact expectation of the mechanism on the instance")
    return refuted("exhaustive optimum + exact evaluation", "see witness", f"{kind}: {w.describe()}", w)


def check_l4(ctx):
    """The SPM with OPT_DSIC's marginal price distributions (independent, decreasing order) gets ≥ (1−1/e)·OPT."""
    rec = RatioRecord()
    mechs_checked = 0
    for name, vals in dsic_instances():
        for U in small_utilities():
            for k in (1, 2):
                if ctx.remaining() < 5:
                    return unknown("exhaustive enumeration", "partial", f"budget exhausted at {name}")
                opt, mechs = optimal_dsic(U, vals, k)
                for mech in mechs:
                    offers = dsic_price_marginals(mech, vals)
                    u = spm_expected_utility(U, vals, offers, k)
                    mechs_checked += 1
                    where = {"instance": name, "U": U.describe(), "k": k, "prices": _exact(offers)}
                    status, ratio = ratio_status(u, opt, ONE_MINUS_INV_E)
                    if status == "violated":
                        return _witness_fail("Lemma 4 SPM below (1−1/e)·OPT_DSIC", where, u, opt, ratio,
                                             ONE_MINUS_INV_E)
                    rec.add(u, opt, where)
    return verified("exhaustive optimum over deterministic DSIC rules + exact SPM evaluation",
                    f"n = 2, {len(dsic_instances())} value-distribution pairs (supports ≤ 3), "
                    f"{len(small_utilities())} concave U, k ∈ {{1,2}}, every optimal mechanism ({mechs_checked})",
                    f"slack: {rec.text(ONE_MINUS_INV_E)}")


def check_l4_symbolic(ctx):
    """Lemma 4 with the symbolic utilities √t, 1 − e^{−t}, log(1+t); comparisons certified by intervals."""
    from mechproof.mechanisms.seller_utilities import exponential_utility, log_utility, sqrt_utility

    rec = RatioRecord()
    instances = dsic_instances()[:3]
    for name, vals in instances:
        for U in (sqrt_utility(), exponential_utility(), log_utility()):
            for k in (1, 2):
                if ctx.remaining() < 5:
                    return unknown("exhaustive enumeration", "partial", f"budget exhausted at {name}")
                opt, mechs = optimal_dsic(U, vals, k)
                for mech in mechs:
                    u = spm_expected_utility(U, vals, dsic_price_marginals(mech, vals), k)
                    where = {"instance": name, "U": U.describe(), "k": k}
                    status, ratio = ratio_status(u, opt, ONE_MINUS_INV_E)
                    if status == "violated":
                        return _witness_fail("Lemma 4 SPM below (1−1/e)·OPT_DSIC", where, u, opt, ratio,
                                             ONE_MINUS_INV_E)
                    rec.add(u, opt, where)
    return verified("exhaustive optimum + exact sympy values + certified interval comparison",
                    f"n = 2, {len(instances)} instances, U ∈ {{√t, 1 − e^(−t), log(1+t)}}, k ≤ 2",
                    f"slack: {rec.text(ONE_MINUS_INV_E)}")


BCK_L4 = Claim(
    id="BCK-L4", title="SPM with OPT_DSIC's marginal prices gets (1 − 1/e)·OPT_DSIC",
    statement="An SPM with independent prices having the optimal DSIC mechanism's marginal price distributions, "
              "buyers in decreasing price order, gets ≥ (1−1/e)·OPT_DSIC.",
    source="BCK (001), Lemma 4 (§3.1)",
    parts=(Part("exact on small instances", method="exhaustive optimum + exact SPM evaluation",
                domain="n = 2, supports ≤ 3, 6 concave U, k ≤ 2", check=check_l4),
           Part("symbolic utilities √t, 1 − e^(−t), log(1+t)", method="exhaustive optimum + certified comparison",
                domain="n = 2, 3 instances, k ≤ 2", check=check_l4_symbolic)),
)


# ----------------------------------------------------------------------------- BCK-T1
def check_t1_best_spm(ctx):
    """Best deterministic SPM ≥ (1−1/e)·OPT_DSIC (implies ≥ (1−1/e−ε)·OPT for every ε > 0)."""
    rec = RatioRecord()
    for name, vals in dsic_instances():
        for U in small_utilities():
            for k in (1, 2):
                opt, _ = optimal_dsic(U, vals, k)
                spm, prices = best_deterministic_spm(U, vals, k)
                where = {"instance": name, "U": U.describe(), "k": k, "prices": _exact(prices)}
                status, ratio = ratio_status(spm, opt, ONE_MINUS_INV_E)
                if status == "violated":
                    return _witness_fail("best deterministic SPM below (1−1/e)·OPT_DSIC", where, spm, opt, ratio,
                                         ONE_MINUS_INV_E)
                rec.add(spm, opt, where)
    return verified("exhaustive enumeration", f"n = 2, {len(dsic_instances())} instances, 6 concave U, k ≤ 2",
                    f"{rec.text(ONE_MINUS_INV_E)} (checked against 1−1/e, stronger than 1−1/e−ε for every ε>0)")


def check_t1_covering_lp(ctx):
    """The covering LP of App. A.1 at OPT's exact configuration: every vertex tried gives ≥ (1−1/e)·OPT."""
    rec = RatioRecord()
    lps = 0
    for name, vals in dsic_instances():
        prices = sorted({v for d in vals for v in d.values if v > 0})
        for U in small_utilities():
            for k in (1, 2):
                opt, mechs = optimal_dsic(U, vals, k)
                offers = dsic_price_marginals(mechs[0], vals)
                targets: dict = {}
                for d, offer in zip(vals, offers):
                    for p, q in offer:
                        targets[p] = targets.get(p, F(0)) + q * sale_probability(d, p)
                n, m = len(vals), len(prices)
                objectives = {"feasibility": None,
                              "min offers": [F(-1)] * (n * m),
                              "max offers": [F(1)] * (n * m),
                              "favour buyer 2": [F(1) if i == 1 else F(-1) for i in range(n) for _ in range(m)]}
                for oname, obj in objectives.items():
                    sol = covering_lp_offers(vals, prices, k, targets, objective=obj)
                    lps += 1
                    where = {"instance": name, "U": U.describe(), "k": k, "vertex": oname}
                    if sol is None:
                        w = Witness.of(where, {"targets": _exact(targets)}, recheck="exact simplex")
                        return refuted("exact LP", name, "OPT's own configuration is infeasible in the covering LP", w)
                    u = spm_expected_utility(U, vals, sol, k)
                    status, ratio = ratio_status(u, opt, ONE_MINUS_INV_E)
                    if status == "violated":
                        return _witness_fail("covering-LP SPM below (1−1/e)·OPT", where | {"offers": _exact(sol)},
                                             u, opt, ratio, ONE_MINUS_INV_E)
                    rec.add(u, opt, where)
    return verified("exact covering LP (rational simplex) + exact SPM evaluation",
                    f"n = 2, {len(dsic_instances())} instances, 6 concave U, k ≤ 2; configuration = OPT's exact "
                    "footprint with every price 'large' (k < 1/ε⁴ and no huge price, i.e. ε small); 4 LP vertices each. "
                    "The ε-grid of guessed configurations (2^poly(1/ε) of them) is not enumerated",
                    f"{lps} LPs; slack: {rec.text(ONE_MINUS_INV_E)}",
                    (Evidence("note", "reading", "the LP's 'Σ_j x_ij ≤ 1 ∀j' is read as ∀i (one price per buyer)"),))


def check_t1_algorithm(ctx):
    """The configuration algorithm itself (grid of guessed footprints + covering LP) vs OPT_DSIC."""
    from mechproof.mechanisms.risk_averse_pricing import configuration_spm

    step = F(ctx.bound("step", F(1, 4)))
    rec = RatioRecord()
    for name, vals in dsic_instances():
        for U in small_utilities():
            for k in (1, 2):
                if ctx.remaining() < 5:
                    return unknown("exact LP", "partial", f"budget exhausted at {name}")
                opt, _ = optimal_dsic(U, vals, k)
                u, offers, config = configuration_spm(U, vals, k, step)
                where = {"instance": name, "U": U.describe(), "k": k, "configuration": _exact(config)}
                status, ratio = ratio_status(u, opt, ONE_MINUS_INV_E)
                if status == "violated":
                    return unknown("configuration algorithm", f"grid step {step}",
                                   f"ratio {ratio} < 1 − 1/e at {where}: the guarantee needs the paper's finer grid "
                                   "(ε⁸), so this is not a refutation")
                rec.add(u, opt, where)
    return verified("configuration search + exact covering LPs + exact SPM evaluation",
                    f"n = 2, {len(dsic_instances())} instances, 6 concave U, k ≤ 2; footprints guessed on the grid "
                    f"step {step} (all prices 'large')", f"slack: {rec.text(ONE_MINUS_INV_E)} (vs 1 − 1/e − ε: "
                    "holds for every ε ≥ 0)")


BCK_T1 = Claim(
    id="BCK-T1", title="Poly-time SPM gets (1 − 1/e − ε)·OPT_DSIC",
    statement="A poly-time deterministic SPM gets ≥ (1 − 1/e − ε)·OPT_DSIC (configurations + covering LP).",
    source="BCK (001), Theorem 1, Lemma 5, App. A.1",
    parts=(Part("best deterministic SPM vs OPT_DSIC", method="exhaustive enumeration",
                domain="n = 2, supports ≤ 3, 6 concave U, k ≤ 2", check=check_t1_best_spm),
           Part("covering LP at OPT's configuration", method="exact LP + exact evaluation",
                domain="n = 2, supports ≤ 3, 6 concave U, k ≤ 2", check=check_t1_covering_lp),
           Part("configuration algorithm on a 1/4 grid", method="configuration search + exact LPs",
                domain="n = 2, supports ≤ 3, 6 concave U, k ≤ 2", check=check_t1_algorithm)),
)


# ----------------------------------------------------------------------------- BCK-T2
def t2_instances():
    loss_averse = PiecewiseLinearUtility((F(0),), (F(3), F(1)), name="slope 3 below 0, 1 above")
    concave = PiecewiseLinearUtility((F(0), F(1)), (F(3), F(1), F(1, 2)), name="slopes 3|1|1/2 at 0,1")
    a = DiscreteRV.of({1: F(1, 2), 2: F(1, 2)})
    b = DiscreteRV.of({0: F(1, 2), 2: F(1, 2)})
    c = DiscreteRV.of({1: F(2, 3), 3: F(1, 3)})
    return [
        ("{1,2}×{1,2}", (a, a), (0, 1, 2), (loss_averse, loss_averse)),
        ("{1,2}×{0,2}", (a, b), (0, 1, 2), (concave, loss_averse)),
        ("{1,3}×{1,2}", (c, a), (0, 1, 2, 3), (concave, concave)),
    ]


def check_t2(ctx, factor_fn: Callable | None = None):
    """U(M_rounds) ≥ (1−1/e)²·γ(k)·OPT_BIC (ex-post IR, no positive transfers), L → ∞, exact."""
    factor_fn = factor_fn or (lambda k: ONE_MINUS_INV_E ** 2 * gamma(k))
    rec = RatioRecord()
    utilities = [capped_linear(1), capped_linear(2), small_utilities()[0], small_utilities()[4]]
    count = 0
    for name, vals, pays, utils in t2_instances():
        for U in utilities:
            for k in (1, 2):
                if ctx.remaining() < 10:
                    return unknown("exact LP", "partial", f"budget exhausted after {count} cases")
                opt = optimal_bic(U, vals, pays, utils, k, ex_post_ir=True)
                targets: dict = {}
                for i, d in enumerate(vals):
                    for (j, v), q in opt.h[i].items():
                        targets[opt.payments[j]] = targets.get(opt.payments[j], F(0)) + q * d.prob(v)
                for objective in ("none", "max-revenue", "min-revenue"):
                    rule = rounds_lp(vals, pays, utils, k, targets, objective)
                    where = {"instance": name, "U": U.describe(), "k": k, "vertex": objective}
                    if rule is None:
                        w = Witness.of(where, {"targets": _exact(targets)}, recheck="exact simplex")
                        return refuted("exact LP", name, "OPT's configuration infeasible in the App. B LP", w)
                    viol = tie_violations(rule, vals, utils, [F(1)] * len(vals))
                    if viol:
                        w = Witness.of(where, {"violations": tuple(map(str, viol))}, recheck="exact interim utilities")
                        return refuted("exact LP", name, f"M_rounds is not TIE: {w.describe()}", w)
                    u = rounds_mechanism_utility(U, rule, vals, k)
                    count += 1
                    status, ratio = ratio_status(u, opt.value, factor_fn(k))
                    if status == "violated":
                        return _witness_fail("M_rounds below (1−1/e)²γ(k)·OPT_BIC", where | {"h": _exact(rule.h)},
                                             u, opt.value, ratio, factor_fn(k))
                    rec.add(u, opt.value, where)
    return verified("exact BIC LP + exact App. B LP + exact limit L → ∞ + certified comparison",
                    f"n = 2, {len(t2_instances())} instances (payments ≤ 3, concave buyer utilities), "
                    f"{len(utilities)} concave seller U, k ≤ 2, 3 LP vertices each ({count} mechanisms); "
                    "OPT_BIC restricted to ex-post IR and no positive transfers; all payments 'large'",
                    f"slack: {rec.text(sp.Symbol('(1-1/e)^2*gamma(k)'))}",
                    (Evidence("note", "readings", "App. B LP prints Σ_j h_rounds(i,j,v) = 1 (forces a sale): read "
                              "as ≤ 1. Buyer utilities are finite on negative payoffs in the IC constraints (the "
                              "paper's 𝒰_i(t) = −∞ for t < 0 is replaced by imposing ex-post IR on the mechanism). "
                              "M_rounds as L → ∞: each buyer processed once w.p. 1 − 1/e, processed buyers in a "
                              "uniformly random order."),))


def check_t2_large_k(ctx):
    """The k ≥ 1/ε³ regime: its inventory step is checked exactly; the full statement is not encoded."""
    from mechproof.mechanisms.risk_averse_pricing import _count_distribution_step

    from .bck_common import certified_sign, sym

    rows = []
    for eps in (F(1, 2), F(3, 5)):
        k0 = -(-1 // eps ** 3)  # ceil(1/ε³)
        for k in range(int(k0), int(k0) + 3):
            worst = F(0)
            for n in range(k + 1, 3 * k + 1):          # n identical buyers, Σ prob = k, each kept w.p. 1 − ε
                p = F(k, n) * (1 - eps)
                dist = [F(1)] + [F(0)] * (k + 1)
                for _ in range(n):
                    dist = _count_distribution_step(dist, p, k + 1)
                worst = max(worst, dist[k + 1])          # Pr[more than k sales wanted]
            lam = sp.Rational(k) * sym(1 - eps)          # Poisson limit of many small buyers
            poisson_tail = 1 - sum(sp.exp(-lam) * lam ** j / sp.factorial(j) for j in range(k + 1))
            if worst > eps or certified_sign(poisson_tail - sym(eps)) == 1:
                w = Witness.of({"ε": eps, "k": k}, {"Pr[stock-out]": worst}, recheck="exact DP")
                return refuted("exact DP", f"ε = {eps}", "stock-out probability exceeds ε", w)
            rows.append(f"ε={eps}, k={k}: max Pr[stock-out] over n ≤ {3 * k} identical buyers = {worst} "
                        f"(≈{sp.N(sym(worst), 3)}) ≤ ε")
    return unknown("exact DP for the inventory step only", "ε ∈ {1/2, 3/5}, k ∈ [1/ε³, 1/ε³ + 2]",
                   "inventory step verified (discarding buyers w.p. ε, Σ prob ≤ k ≥ 1/ε³: stock-out w.p. ≤ ε, "
                   "incl. the Poisson limit); the full (1−1/e−ε)·OPT_BIC statement needs k ≥ 4 units and ≥ 5 "
                   "buyers for any non-vacuous ε < 1−1/e, beyond the exact BIC LP — not encoded",
                   (Evidence("enumeration", "stock-out probabilities", "\n".join(rows)),))


BCK_T2 = Claim(
    id="BCK-T2", title="TIE mechanism gets (1−1/e)²·γ(k)·OPT_BIC",
    statement="A TIE mechanism gets ≥ (1−1/e)²·γ(k)·OPT among BIC mechanisms with ex-post IR and no positive "
              "transfers; (1−1/e−ε) for k ≥ 1/ε³.",
    source="BCK (001), Theorem 2, §4 (M_rounds), App. B LP",
    parts=(Part("(1−1/e)²γ(k) on small instances", method="exact LPs + exact L→∞ limit",
                domain="n = 2, k ≤ 2, payments ≤ 3", check=check_t2),
           Part("(1−1/e−ε) for k ≥ 1/ε³", method="not encoded", domain="k ≥ 1/ε³", check=check_t2_large_k)),
)


# ----------------------------------------------------------------------------- BCK-L20
def _matrix_instances():
    lo = DiscreteRV.of({1: F(1, 2), 2: F(1, 2)})
    hi = DiscreteRV.of({0: F(1, 4), 3: F(3, 4)})
    sure = DiscreteRV.of({2: F(1)})
    cells = [(lo, F(1)), (lo, F(2)), (hi, F(3)), (sure, F(2))]
    return cells


def check_l20(ctx, keep=F(1, 3), factor=F(4, 27)):
    """U(partial-OPM with offers kept w.p. 1/3) ≥ U(soft-OPM)/6.75 for every row order (2×2 matrices)."""
    import itertools

    cells = _matrix_instances()
    rec = RatioRecord()
    count = 0
    for combo in itertools.product(range(len(cells)), repeat=4):
        for pi in (F(1, 2), F(1)):
            vals = [[cells[combo[0]][0], cells[combo[1]][0]], [cells[combo[2]][0], cells[combo[3]][0]]]
            prices = [[cells[combo[0]][1], cells[combo[1]][1]], [cells[combo[2]][1], cells[combo[3]][1]]]
            offers = [[((prices[r][c], pi),) for c in range(2)] for r in range(2)]
            sale = [[pi * sale_probability(vals[r][c], prices[r][c]) for c in range(2)] for r in range(2)]
            if any(sum(sale[r]) > 1 for r in range(2)) or any(sale[0][c] + sale[1][c] > 1 for c in range(2)):
                continue                                   # not a soft-OPM (feasible only in expectation)
            kept = [[((prices[r][c], pi * keep),) for c in range(2)] for r in range(2)]
            for U in (capped_linear(2), capped_linear(3), small_utilities()[0], small_utilities()[5]):
                if ctx.remaining() < 5:
                    return unknown("exhaustive enumeration", "partial", f"budget exhausted after {count} cases")
                soft = soft_opm_utility(U, vals, offers)
                for order in ((0, 1), (1, 0)):
                    part = partial_opm_utility(U, vals, kept, order)
                    count += 1
                    where = {"values": str([[str(v) for v in row] for row in vals]), "prices": _exact(prices),
                             "π": pi, "U": U.describe(), "row order": order}
                    status, ratio = ratio_status(part, soft, factor)
                    if status == "violated":
                        return _witness_fail("partial-OPM below U(soft)/6.75", where, part, soft, ratio, factor)
                    rec.add(part, soft, where)
    return verified("exhaustive enumeration (adversarial in-row orders)",
                    f"2×2 matrices, cells from {len(cells)} (value distribution, price) pairs, offer probability "
                    f"π ∈ {{1/2, 1}} (soft-OPM feasibility in expectation enforced), 4 concave U, both row orders",
                    f"{count} cases; slack: {rec.text(factor)}")


BCK_L20 = Claim(
    id="BCK-L20", title="Soft-OPM to partial-OPM loses at most 6.75",
    statement="Soft-OPM → partial-OPM with prices kept w.p. 1/3: utility ≥ U(soft)/6.75 (= (1/3)·(4/9)) for any "
              "row order.",
    source="BCK (001), Lemma 20 (App. E)",
    parts=(Part("2×2 matrices, adversarial in-row order", method="exhaustive enumeration",
                domain="2×2 matrices, 4 cell types, π ∈ {1/2, 1}, 4 concave U", check=check_l20),),
)
