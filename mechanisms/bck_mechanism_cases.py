"""The cases of BCK (paper 001) Example 1, Lemmas 4 and 20, Theorems 1, 2 and 4, exactly.

As in `bck_lemma_cases`: `*_points` yield the cases in a stated order; measures return
(achieved, benchmark[, extra]) by the fast route, with `"fails"` in extra when a structural
condition (a feasible LP, truthfulness) breaks; `*_replay` recompute by the plain definitions
(the SPM run realisation by realisation, LPs re-solved, BIC lotteries replayed).
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Mapping, Sequence

from .bck_bic import (algorithm1, appendix_d_lp, count_distribution_step, optimal_bic, rounds_lp,
                      rounds_mechanism_utility, tie_violations, verify_bic_lottery)
from .bck_instances import (dsic_instances, matrix_cells, t2_instances, t4_instances, theorem2_gap_instance,
                            theorem4_gap_instance)
from .bck_matrix import partial_opm_utility, soft_opm_utility
from .bck_model import exceeds, sale_probability
from .bck_posted_pricing import (
    best_deterministic_spm, configuration_spm, covering_lp_offers, covering_lp_violations, dsic_price_marginals,
    dsic_revenue_upper_bound, optimal_dsic, spm_expected_utility, spm_utility_by_simulation,
)
from .random_variables import two_point
from .seller_utilities import capped_linear, linear_utility

__all__ = [
    "example1_points", "example1_case", "dsic_points", "dsic_count", "lemma4_spm", "lemma4_replay",
    "best_spm", "best_spm_replay", "COVERING_VERTICES", "covering_points", "covering_spm", "covering_replay",
    "configuration_points", "configuration_measure", "configuration_replay",
    "t2_points", "t2_count", "rounds_measure", "rounds_replay", "stock_out_points", "stock_out_probabilities",
    "t4_points", "algorithm1_measure", "algorithm1_replay", "matrix_points", "matrix_count", "partial_opm",
    "partial_opm_replay", "example1_lottery", "theorem4_gap", "theorem2_gap",
]

F = Fraction


def _show(obj) -> str:
    """Exact text of nested prices/probabilities (Fractions as p/q, None as 'none')."""
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{_show(k)}: {_show(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, (tuple, list)):
        return "(" + ", ".join(_show(v) for v in obj) + ")"
    return "none" if obj is None else str(obj)


# ------------------------------------------------------------------ Example 1
def example1_points(eps_values: Sequence):
    """ε in increasing order."""
    for e in eps_values:
        yield {"eps": F(e)}


def example1_lottery(e: Fraction):
    """The BIC mechanism of Example 1: buyer 1 pays ε − 1[v₂ = 1] and never gets an item; buyer 2
    gets one at price 1 iff v₂ = 1 (ex-post lottery over (winners, payments) per profile)."""
    out = []
    for v1 in (F(0), F(1)):
        for v2 in (F(0), F(1)):
            winners = (1,) if v2 == 1 else ()
            out.append(((v1, v2), (((winners, (e - v2, v2)), F(1)),)))
    return tuple(out)


def example1_case(point: Mapping) -> tuple[bool, dict]:
    """OPT_DSIC = 2ε² − ε³ < 2ε² (exhaustive over deterministic DSIC rules), and the BIC mechanism
    (replayed: a distribution per profile, ≤ 2 winners, BIC and interim IR for risk-neutral
    buyers) gets E[U] = ε."""
    e = point["eps"]
    U, vals = capped_linear(e), (two_point(1, e), two_point(1, e))
    best, _ = optimal_dsic(U, vals, 2)
    bic, problems = verify_bic_lottery(U, vals, (linear_utility(), linear_utility()), 2, example1_lottery(e),
                                       ex_post_ir=False)
    ok = best == 2 * e ** 2 - e ** 3 and best < 2 * e ** 2 and bic == e and not problems
    return ok, {"OPT_DSIC": best, "2ε² − ε³": 2 * e ** 2 - e ** 3, "BIC E[U]": bic, "BIC/DSIC": bic / best,
                "BIC problems": "; ".join(problems) or "none"}


# ------------------------------------------------------------------ Lemma 4 and Theorem 1 (DSIC)
def dsic_points(instances: int, utilities: Sequence, k_max: int):
    """The first `instances` two-buyer instances, each utility, k ∈ {1..k_max}."""
    for name, vals in dsic_instances()[:instances]:
        for U in utilities:
            for k in range(1, k_max + 1):
                yield {"instance": name, "values": vals, "U": U, "k": k}


def dsic_count(instances: int, utilities: int, k_max: int) -> int:
    return min(instances, len(dsic_instances())) * utilities * k_max


@lru_cache(maxsize=256)
def _optimal_dsic(U: Callable, vals: tuple, k: int):
    return optimal_dsic(U, vals, k)


def _worst_spm(U, vals, k, mechs, evaluate):
    worst = None
    for mech in mechs:
        offers = dsic_price_marginals(mech, vals)
        u = evaluate(U, vals, offers, k)
        if worst is None or exceeds(worst[0], u, U):
            worst = (u, offers)
    return worst


def lemma4_spm(point: Mapping) -> tuple:
    """(the least E[U] over the SPMs with an optimal DSIC mechanism's marginal prices, OPT_DSIC)."""
    U, vals, k = point["U"], point["values"], point["k"]
    opt, mechs = _optimal_dsic(U, vals, k)
    u, offers = _worst_spm(U, vals, k, mechs, spm_expected_utility)
    return u, opt, {"optimal mechanisms": len(mechs), "prices": _show(offers)}


def lemma4_replay(point: Mapping) -> tuple:
    U, vals, k = point["U"], point["values"], point["k"]
    opt, mechs = optimal_dsic(U, vals, k)
    u, offers = _worst_spm(U, vals, k, mechs, spm_utility_by_simulation)
    return u, opt, {"optimal mechanisms": len(mechs), "prices": _show(offers)}


def best_spm(point: Mapping) -> tuple:
    """(the best deterministic SPM's E[U], OPT_DSIC)."""
    U, vals, k = point["U"], point["values"], point["k"]
    u, prices = best_deterministic_spm(U, vals, k)
    return u, _optimal_dsic(U, vals, k)[0], {"prices": _show(prices)}


def best_spm_replay(point: Mapping) -> tuple:
    U, vals, k = point["U"], point["values"], point["k"]
    u, prices = best_deterministic_spm(U, vals, k, evaluate=spm_utility_by_simulation)
    return u, optimal_dsic(U, vals, k)[0], {"prices": _show(prices)}


def _opt_targets(U, vals, k, mechs) -> tuple[list, dict]:
    """OPT's configuration (all prices large): its total sale probability at each positive price."""
    prices = sorted({v for d in vals for v in d.values if v > 0})
    targets: dict = {}
    for d, offer in zip(vals, dsic_price_marginals(mechs[0], vals)):
        for p, q in offer:
            targets[p] = targets.get(p, F(0)) + q * sale_probability(d, p)
    return prices, targets


COVERING_VERTICES = ("feasibility", "min offers", "max offers", "favour buyer 2")


def _objective(name: str, n: int, m: int):
    return {"feasibility": None, "min offers": [F(-1)] * (n * m), "max offers": [F(1)] * (n * m),
            "favour buyer 2": [F(1) if i == 1 else F(-1) for i in range(n) for _ in range(m)]}[name]


def covering_points(instances: int, utilities: Sequence, k_max: int):
    """As `dsic_points`, each with the four LP objectives (vertices) of `COVERING_VERTICES`."""
    for point in dsic_points(instances, utilities, k_max):
        for vertex in COVERING_VERTICES:
            yield {**point, "vertex": vertex}


def _covering(point, optimum, evaluate):
    U, vals, k = point["U"], point["values"], point["k"]
    opt, mechs = optimum(U, vals, k)
    prices, targets = _opt_targets(U, vals, k, mechs)
    offers = covering_lp_offers(vals, prices, k, targets,
                                objective=_objective(point["vertex"], len(vals), len(prices)))
    if offers is None:
        return F(0), opt, {"fails": "OPT's own configuration is infeasible in the covering LP",
                           "targets": _show(targets)}
    problems = covering_lp_violations(vals, k, targets, offers)
    extra = {"offers": _show(offers)} | ({"fails": "; ".join(problems)} if problems else {})
    return evaluate(U, vals, offers, k), opt, extra


def covering_spm(point: Mapping) -> tuple:
    """(E[U] of the SPM from the covering LP of App. A.1 at OPT's configuration, OPT_DSIC)."""
    return _covering(point, _optimal_dsic, spm_expected_utility)


def covering_replay(point: Mapping) -> tuple:
    return _covering(point, optimal_dsic, spm_utility_by_simulation)


def configuration_points(instances: int, utilities: Sequence, k_max: int, step):
    for point in dsic_points(instances, utilities, k_max):
        yield {**point, "step": F(step)}


def configuration_measure(point: Mapping) -> tuple:
    """(E[U] of the best SPM over the guessed configurations on the grid `step`, OPT_DSIC)."""
    U, vals, k = point["U"], point["values"], point["k"]
    u, offers, config = configuration_spm(U, vals, k, point["step"], share_lps=True)
    return u, _optimal_dsic(U, vals, k)[0], {"configuration": _show(config), "offers": _show(offers)}


def configuration_replay(point: Mapping) -> tuple:
    U, vals, k = point["U"], point["values"], point["k"]
    _, offers, config = configuration_spm(U, vals, k, point["step"])
    return (spm_utility_by_simulation(U, vals, offers, k), optimal_dsic(U, vals, k)[0],
            {"configuration": _show(config), "offers": _show(offers)})


# ------------------------------------------------------------------ Theorem 2 (BIC, risk-averse seller)
ROUNDS_VERTICES = ("none", "max-revenue", "min-revenue")


def t2_points(instances: int, utilities: Sequence, k_max: int):
    """The first `instances` BIC instances, each seller utility, k ∈ {1..k_max}, App. B LP vertex."""
    for index, (name, vals, pays, utils) in enumerate(t2_instances()[:instances]):
        for U in utilities:
            for k in range(1, k_max + 1):
                for vertex in ROUNDS_VERTICES:
                    yield {"instance": name, "index": index, "U": U, "k": k, "vertex": vertex}


def t2_count(instances: int, utilities: int, k_max: int) -> int:
    return min(instances, len(t2_instances())) * utilities * k_max * len(ROUNDS_VERTICES)


@lru_cache(maxsize=64)
def _optimal_bic_ex_post(index: int, U: Callable, k: int):
    _, vals, pays, utils = t2_instances()[index]
    return optimal_bic(U, vals, pays, utils, k, ex_post_ir=True)


def _rounds(point, opt, replayed_value=None):
    _, vals, pays, utils = t2_instances()[point["index"]]
    U, k = point["U"], point["k"]
    targets: dict = {}
    for i, d in enumerate(vals):
        for (j, v), q in opt.h[i].items():
            targets[opt.payments[j]] = targets.get(opt.payments[j], F(0)) + q * d.prob(v)
    rule = rounds_lp(vals, pays, utils, k, targets, point["vertex"])
    bench = opt.value if replayed_value is None else replayed_value
    if rule is None:
        return F(0), bench, {"fails": "OPT_BIC's configuration is infeasible in the App. B LP"}
    violations = tie_violations(rule, vals, utils, [F(1)] * len(vals))
    extra = {"h_rounds": _show(rule.h)}
    if violations:
        extra["fails"] = "M_rounds is not TIE: " + _show(violations)
    return rounds_mechanism_utility(U, rule, vals, k), bench, extra


def rounds_measure(point: Mapping) -> tuple:
    """(E[U(M_rounds)] as L → ∞, OPT_BIC over ex-post IR mechanisms without positive transfers)."""
    return _rounds(point, _optimal_bic_ex_post(point["index"], point["U"], point["k"]))


def rounds_replay(point: Mapping) -> tuple:
    _, vals, pays, utils = t2_instances()[point["index"]]
    opt = optimal_bic(point["U"], vals, pays, utils, point["k"], ex_post_ir=True)
    value, problems = verify_bic_lottery(point["U"], vals, utils, point["k"], opt.lottery, ex_post_ir=True)
    achieved, bench, extra = _rounds(point, opt, value)
    if problems:
        extra["fails"] = "OPT_BIC's lottery fails replay: " + "; ".join(problems[:3])
    return achieved, bench, extra


def stock_out_points(eps_values: Sequence, span: int):
    """ε in increasing order, then k from ⌈1/ε³⌉ to ⌈1/ε³⌉ + span."""
    for e in eps_values:
        e = F(e)
        k0 = -(-1 // e ** 3)
        for k in range(int(k0), int(k0) + span + 1):
            yield {"eps": e, "k": k}


def stock_out_probabilities(point: Mapping) -> tuple:
    """(max over n ∈ {k+1..3k} identical buyers with Σ prob = k, each kept w.p. 1 − ε, of
    Pr[more than k want an item]; the same for the Poisson limit, Pr[Poisson(k(1 − ε)) > k])."""
    import sympy as sp

    e, k = point["eps"], int(point["k"])
    worst = F(0)
    for n in range(k + 1, 3 * k + 1):
        p = F(k, n) * (1 - e)
        dist = [F(1)] + [F(0)] * (k + 1)
        for _ in range(n):
            dist = count_distribution_step(dist, p, k + 1)
        worst = max(worst, dist[k + 1])
    lam = sp.Rational(k) * sp.Rational((1 - e).numerator, (1 - e).denominator)
    tail = 1 - sum(sp.exp(-lam) * lam ** j / sp.factorial(j) for j in range(k + 1))
    return worst, sp.expand(tail)


# ------------------------------------------------------------------ Theorem 4 (risk-neutral seller)
def t4_points(instances: int):
    for index, inst in enumerate(t4_instances()[:instances]):
        yield {"instance": inst[0], "index": index, "k": inst[4]}


def _algorithm1(point, replay: bool):
    _, vals, pays, utils, k = t4_instances()[point["index"]]
    lp = appendix_d_lp(vals, pays, utils, k, interim_ir=True)
    opt = optimal_bic(linear_utility(), vals, pays, utils, k, ex_post_ir=False, interim_ir=True)
    bench = opt.value
    extra: dict = {"k": k}
    if replay:
        bench, problems = verify_bic_lottery(linear_utility(), vals, utils, k, opt.lottery, ex_post_ir=False)
        if problems:
            extra["fails"] = "OPT_BIC's lottery fails replay: " + "; ".join(problems[:3])
    if lp is None:
        return F(0), bench, {**extra, "fails": "the App. D LP (with interim IR) is infeasible"}
    alg = algorithm1(lp, vals, k)
    extra["App. D LP"] = lp.value
    if lp.value < bench:
        extra["fails"] = f"App. D LP {lp.value} < OPT_BIC {bench}"
    violations = tie_violations(lp, vals, utils, alg.reach)
    if violations:
        extra["fails"] = "Algorithm 1 is not TIE: " + _show(violations)
    return alg.revenue, bench, extra


def algorithm1_measure(point: Mapping) -> tuple:
    """(revenue of Algorithm 1 on the App. D LP with interim IR, OPT_BIC with interim IR)."""
    return _algorithm1(point, replay=False)


def algorithm1_replay(point: Mapping) -> tuple:
    return _algorithm1(point, replay=True)


# ------------------------------------------------------------------ Lemma 20 (App. E)
def matrix_points(pis: Sequence, utilities: Sequence):
    """2×2 matrices of cells from `matrix_cells` (lexicographic), offer probability π, each U, each
    row order; matrices that are not soft-OPMs (a row or column selling more than 1 in expectation)
    are skipped."""
    cells = matrix_cells()
    for combo in itertools.product(range(len(cells)), repeat=4):
        for pi in pis:
            pi = F(pi)
            vals = ((cells[combo[0]][0], cells[combo[1]][0]), (cells[combo[2]][0], cells[combo[3]][0]))
            prices = ((cells[combo[0]][1], cells[combo[1]][1]), (cells[combo[2]][1], cells[combo[3]][1]))
            sale = [[pi * sale_probability(vals[r][c], prices[r][c]) for c in range(2)] for r in range(2)]
            if any(sum(sale[r]) > 1 for r in range(2)) or any(sale[0][c] + sale[1][c] > 1 for c in range(2)):
                continue
            for U in utilities:
                for order in ((0, 1), (1, 0)):
                    yield {"values": vals, "prices": prices, "π": pi, "U": U, "row order": order}


def matrix_count(pis: Sequence, utilities: int) -> int:
    return sum(1 for _ in matrix_points(pis, range(utilities)))


def _offers(point, keep):
    return tuple(tuple(((p, point["π"] * keep),) for p in row) for row in point["prices"])


@lru_cache(maxsize=2048)
def _soft(U, vals, offers):
    return soft_opm_utility(U, vals, offers)


def partial_opm(point: Mapping, keep=F(1, 3)) -> tuple:
    """(E[U] of the partial-OPM keeping each offer w.p. `keep`, E[U] of the soft-OPM)."""
    vals, U = point["values"], point["U"]
    return (partial_opm_utility(U, vals, _offers(point, keep), point["row order"]),
            _soft(U, vals, _offers(point, 1)))


def partial_opm_replay(point: Mapping, keep=F(1, 3)) -> tuple:
    vals, U = point["values"], point["U"]
    return (partial_opm_utility(U, vals, _offers(point, keep), point["row order"]),
            soft_opm_utility(U, vals, _offers(point, 1)))


# ------------------------------------------------------------------ Table 1: DSIC vs BIC on exact instances
def theorem4_gap() -> dict:
    """On `theorem4_gap_instance` (risk-neutral seller): the LP bound on every DSIC mechanism's revenue,
    and OPT_BIC (ex-post IR, no positive transfers) with its lottery replayed."""
    vals, pays, utils, k = theorem4_gap_instance()
    seller = linear_utility()
    bic = optimal_bic(seller, vals, pays, utils, k, ex_post_ir=True)
    replayed, problems = verify_bic_lottery(seller, vals, utils, k, bic.lottery, ex_post_ir=True)
    return {"DSIC revenue ≤": dsic_revenue_upper_bound(vals, k), "OPT_BIC": replayed,
            "lottery problems": "; ".join(problems[:3]) or "none", "LP optimum = replay": str(replayed == bic.value)}


def theorem2_gap() -> dict:
    """On `theorem2_gap_instance` with the seller U(t) = min(t, 65536) (concave; t on every revenue that
    occurs): every DSIC mechanism gets ≤ U(LP bound on DSIC revenue) (Jensen), and the lottery
    "highest value wins, pays value − 1/10" is BIC with ex-post IR (replayed)."""
    vals, utils, k, lottery = theorem2_gap_instance()
    seller = capped_linear(max(vals[0].values))
    bic, problems = verify_bic_lottery(seller, vals, utils, k, lottery, ex_post_ir=True)
    return {"DSIC utility ≤": seller(dsic_revenue_upper_bound(vals, k)), "BIC lottery E[U]": bic,
            "lottery problems": "; ".join(problems[:3]) or "none"}
