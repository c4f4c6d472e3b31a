"""GH-T1 and GH-COR2-8 (paper 002, Theorem 1, Section 4): DA auctions run as pen-testing algorithms.

The instances, points and properties those claims check:

* `T1_AUCTIONS`: nine DA auctions (k-select, graphic and partition matroid, knapsack bang-per-buck
  and Max, a posted price, two virtual pricings); `pen_run_points` walks every value profile in
  {0..B}^n of each (fewer agents first, then the family order, then lexicographic);
* `random_da`: a DA on a random downward-closed family with random price increments, and the
  Hypothesis strategy drawing its description as a dict of exact values;
* `GAMMA_ONE_INSTANCES`: product distributions under k-select / graphic-matroid constraints whose
  surplus-optimal clock, virtually priced, should earn exactly the optimal ironed virtual surplus;
* the γ-ingredients of the corollaries (clock surplus optimality, the E[max]/2 threshold).

Properties return (holds, observed values); `pens` is the pen model (tests plant a wrong one).
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from itertools import product
from typing import Any, Callable, Iterator, Mapping

from .deferred_acceptance import (DeferredAcceptanceAuction, bang_per_buck_clock, ironed_consumer_surplus_curve,
                                  k_select_clock, matroid_clock, posted_price_da, run_as_pen_test, run_auction,
                                  single_best_item_clock, virtual_pricing)
from .errors import ModelError
from .feasibility import (ExplicitFamily, Feasibility, GraphicMatroid, KSelect, Knapsack, PartitionMatroid,
                          max_weight_feasible)
from .pen_testing import Pens
from .posted_pricing import Atoms, atoms, expected

__all__ = [
    "PenFactory", "t1_auctions", "pen_run_points", "pen_run_cases", "pen_run_matches_auction", "random_da",
    "random_da_strategy", "random_pen_run_matches_auction", "GAMMA_ONE_INSTANCES", "virtually_priced_clock",
    "pen_algorithm_reaches_ironed_optimum", "instance_points", "omniscient_ratio_inputs", "SURPLUS_CLOCKS",
    "clock_points", "clock_cases", "clock_is_surplus_optimal", "THRESHOLD_DISTRIBUTIONS", "threshold_points",
    "threshold_cases", "threshold_is_half_of_prophet",
]

PenFactory = Callable[[tuple[Fraction, ...], Feasibility], Pens]
_GRAPH = GraphicMatroid(((0, 1), (1, 2), (0, 2), (2, 3)))       # a triangle with a pendant edge
_PARTITION = PartitionMatroid((0, 0, 1, 1), (1, 1))


# ------------------------------------------------------------------ GH-T1: pen run = auction, pointwise
@lru_cache(maxsize=1)
def t1_auctions() -> dict[str, DeferredAcceptanceAuction]:
    """Nine DA auctions covering every DA kind in deferred_acceptance.py, by label."""
    lad = (0, 1, 2)
    kn = Knapsack((1, 2, 2), 3)
    curves = [ironed_consumer_surplus_curve(d) for d in (
        atoms([(2, Fraction(1, 2)), (1, Fraction(1, 4)), (0, Fraction(1, 4))]),
        atoms([(2, Fraction(1, 3)), (0, Fraction(2, 3))]), atoms([(2, Fraction(1, 4)), (1, Fraction(3, 4))]))]
    vlad = sorted({s for c in curves for _, _, s in c.segment_slopes()})
    return {
        "k-select clock n=3 k=1": k_select_clock(3, 1, lad),
        "k-select clock n=3 k=2": k_select_clock(3, 2, lad),
        "knapsack bang-per-buck clock, sizes (1,2,2), C=3": bang_per_buck_clock(kn, lad),
        "knapsack single-best-item clock, sizes (1,2,2), C=3": single_best_item_clock(kn, lad),
        "posted price (DA form), k=1, order (2,0,1), prices (1,2,1)": posted_price_da(KSelect(3, 1), (2, 0, 1),
                                                                                      (1, 2, 1)),
        "virtual pricing of the k=1 clock": virtual_pricing(k_select_clock(3, 1, vlad), curves),
        "virtual pricing of the k=2 clock": virtual_pricing(k_select_clock(3, 2, vlad), curves),
        "graphic matroid clock (triangle + pendant edge)": matroid_clock(_GRAPH, lad),
        "partition matroid clock (blocks {0,1},{2,3}, capacity 1 each)": matroid_clock(_PARTITION, lad),
    }


def pen_run_points(domain) -> Iterator[dict]:
    """Every auction of `t1_auctions` (3 agents before 4) × every profile in {0..B}^n, lexicographic."""
    top = domain["values"]
    for label, da in sorted(t1_auctions().items(), key=lambda item: item[1].constraint.n):
        for vals in product(range(top + 1), repeat=da.constraint.n):
            yield {"auction": label, "values": tuple(Fraction(v) for v in vals)}


def pen_run_cases(domain) -> int:
    return sum((domain["values"] + 1) ** da.constraint.n for da in t1_auctions().values())


def _compare_runs(da: DeferredAcceptanceAuction, values: tuple[Fraction, ...], pens: PenFactory) -> tuple[bool, dict]:
    auction = run_auction(da, values)
    try:
        run = run_as_pen_test(da, pens(values, da.constraint))
    except ModelError as exc:     # the pen run never reached a feasible set: certainly a mismatch
        return False, {"winners": tuple(sorted(auction.winners)), "consumer_surplus": auction.consumer_surplus,
                       "pen_run": str(exc)}
    same = run.selected == auction.winners and run.residual_ink == auction.consumer_surplus
    return same, {"winners": tuple(sorted(auction.winners)), "consumer_surplus": auction.consumer_surplus,
                  "pens_selected": tuple(sorted(run.selected)), "residual_ink": run.residual_ink}


def pen_run_matches_auction(point: Mapping[str, Any], pens: PenFactory = Pens) -> tuple[bool, dict]:
    """Theorem 1: the DA run as a pen test (prices → tests) selects the winners and keeps their consumer surplus."""
    return _compare_runs(t1_auctions()[point["auction"]], point["values"], pens)


def random_da(n: int, family: tuple[tuple[int, ...], ...], increments: tuple[Fraction, ...]) -> DeferredAcceptanceAuction:
    """A DA on the downward closure of `family`: stage t raises one active agent's price by increments[t mod …]."""
    cons = ExplicitFamily.closure_of(n, family)

    def rule(history):
        last = history[-1]
        act = sorted(last.active)
        stage = len(history) - 1
        i = act[(stage * 7 + 3) % len(act)]
        return {i: last.prices[i] + increments[stage % len(increments)]}

    return DeferredAcceptanceAuction("random DA", cons, rule, max_stages=1000)


def random_da_strategy(max_agents: int):
    """Hypothesis strategy: dicts {n, family, increments, values} of exact values (n ∈ 2..max_agents).

    Rationals are drawn as multiples of 1/60 (every denominator ≤ 6): values in [0, 5], increments in
    [1/6, 3].  Integers are Hypothesis's cheapest draw, and they shrink towards small values.
    """
    from hypothesis import strategies as st

    sixtieths = lambda lo, hi: st.integers(lo, hi).map(lambda j: Fraction(j, 60))

    def instance(n: int):
        return st.fixed_dictionaries({
            "n": st.just(n),
            "family": st.lists(st.sets(st.integers(0, n - 1), max_size=n), min_size=1, max_size=4)
                        .map(lambda sets: tuple(tuple(sorted(s)) for s in sets)),
            "increments": st.lists(sixtieths(10, 180), min_size=1, max_size=5).map(tuple),
            "values": st.lists(sixtieths(0, 300), min_size=n, max_size=n).map(tuple),
        })
    per_n = {n: instance(n) for n in range(2, max_agents + 1)}      # built once: flatmap reuses them
    return st.sampled_from(sorted(per_n)).flatmap(per_n.__getitem__)


def random_pen_run_matches_auction(point: Mapping[str, Any], pens: PenFactory = Pens) -> tuple[bool, dict]:
    da = random_da(point["n"], tuple(tuple(s) for s in point["family"]), tuple(point["increments"]))
    return _compare_runs(da, tuple(point["values"]), pens)


# ------------------------------------------------------------------ GH-T1: γ = 1 instances (standard approximation)
def _instances() -> dict[str, tuple[tuple[Atoms, ...], Feasibility]]:
    """Instances whose ironed curves have ≥ 2 hull segments (so prices are really posted)."""
    d1 = atoms([(2, Fraction(1, 2)), (1, Fraction(1, 4)), (0, Fraction(1, 4))])
    d5 = atoms([(10, Fraction(1, 8)), (4, Fraction(1, 8)), (3, Fraction(1, 4)), (0, Fraction(1, 2))])
    d6 = atoms([(6, Fraction(1, 6)), (2, Fraction(1, 6)), (1, Fraction(1, 3)), (0, Fraction(1, 3))])
    d3 = atoms([(2, Fraction(1, 3)), (0, Fraction(2, 3))])
    return {"k-select n=3 k=1 (F5, F6, F1)": ((d5, d6, d1), KSelect(3, 1)),
            "k-select n=3 k=2 (F5, F6, F6)": ((d5, d6, d6), KSelect(3, 2)),
            "k-select n=3 k=1 (F5, F5, F3)": ((d5, d5, d3), KSelect(3, 1)),
            "graphic matroid n=4 (F5, F6, F1, F6)": ((d5, d6, d1, d6), _GRAPH)}


GAMMA_ONE_INSTANCES: dict[str, tuple[tuple[Atoms, ...], Feasibility]] = _instances()


def instance_points(domain) -> Iterator[dict]:
    for label in GAMMA_ONE_INSTANCES:
        yield {"instance": label}


def virtually_priced_clock(dists: tuple[Atoms, ...], cons: Feasibility) -> DeferredAcceptanceAuction:
    """DA^U: the surplus-optimal clock (k-select or matroid) over the hull slopes, virtually priced."""
    curves = [ironed_consumer_surplus_curve(d) for d in dists]
    ladder = sorted({s for c in curves for _, _, s in c.segment_slopes()} | {Fraction(0)})
    base = k_select_clock(cons.n, cons.k, ladder) if isinstance(cons, KSelect) else matroid_clock(cons, ladder)
    return replace(virtual_pricing(base, curves), max_stages=500)


def _expected_ink(dists, cons, pens: PenFactory) -> Fraction:
    da_u = virtually_priced_clock(dists, cons)
    return expected(dists, lambda v: run_as_pen_test(da_u, pens(v, cons)).residual_ink)


def pen_algorithm_reaches_ironed_optimum(point: Mapping[str, Any], pens: PenFactory = Pens) -> tuple[bool, dict]:
    """γ = 1: the pen algorithm of DA^U earns E[max over feasible S of Σ_{i∈S} ū_i(v_i)] exactly."""
    dists, cons = GAMMA_ONE_INSTANCES[point["instance"]]
    try:
        ink = _expected_ink(dists, cons, pens)
    except ModelError as exc:
        return False, {"pen_run": str(exc)}
    curves = [ironed_consumer_surplus_curve(d) for d in dists]
    opt_u = expected(dists, lambda v: max_weight_feasible(
        cons, [curves[i].ironed_virtual_value(v[i]) for i in range(len(v))])[0])
    return ink == opt_u, {"expected_ink": ink, "optimal_ironed_virtual_surplus": opt_u}


def omniscient_ratio_inputs(point: Mapping[str, Any], pens: PenFactory = Pens) -> dict:
    """E[OPT^V] (omniscient benchmark), E[ink] of the pen algorithm of DA^U, and n, for one instance."""
    dists, cons = GAMMA_ONE_INSTANCES[point["instance"]]
    return {"n": cons.n, "E_OPT_V": expected(dists, lambda v: max_weight_feasible(cons, v)[0]),
            "E_ink": _expected_ink(dists, cons, pens)}


# ------------------------------------------------------------------ GH-COR2-8 ingredients
SURPLUS_CLOCKS: dict[str, tuple[str, Feasibility]] = {
    "k-select n=4 k=2": ("k-select", KSelect(4, 2)),
    "graphic matroid (triangle + pendant edge)": ("matroid", _GRAPH),
    "partition matroid (blocks {0,1},{2,3}, capacity 1 each)": ("matroid", _PARTITION),
}


@lru_cache(maxsize=32)
def _clock(label: str, top: int) -> DeferredAcceptanceAuction:
    kind, cons = SURPLUS_CLOCKS[label]
    ladder = tuple(range(top + 1))
    return k_select_clock(cons.n, cons.k, ladder) if kind == "k-select" else matroid_clock(cons, ladder)


def clock_points(domain, kind: str) -> Iterator[dict]:
    """Every profile in {0..B}^n (the clock's ladder) for each constraint of the kind, lexicographic."""
    for label, (k, cons) in SURPLUS_CLOCKS.items():
        if k == kind:
            for vals in product(range(domain["values"] + 1), repeat=cons.n):
                yield {"constraint": label, "ladder_top": domain["values"], "values": tuple(Fraction(v) for v in vals)}


def clock_cases(domain, kind: str) -> int:
    return sum((domain["values"] + 1) ** c.n for k, c in SURPLUS_CLOCKS.values() if k == kind)


def clock_is_surplus_optimal(point: Mapping[str, Any]) -> tuple[bool, dict]:
    """γ = 1 pointwise: the clock's surplus = max over feasible sets (values on the ladder {0..B})."""
    cons = SURPLUS_CLOCKS[point["constraint"]][1]
    got = run_auction(_clock(point["constraint"], point["ladder_top"]), point["values"]).surplus
    opt = max_weight_feasible(cons, point["values"])[0]
    return got == opt, {"DA_surplus": got, "OPT": opt}


THRESHOLD_DISTRIBUTIONS: tuple[Atoms, ...] = (
    atoms([(2, Fraction(1, 2)), (0, Fraction(1, 2))]), atoms([(4, Fraction(1, 4)), (1, Fraction(3, 4))]),
    atoms([(3, Fraction(1, 3)), (1, Fraction(1, 3)), (0, Fraction(1, 3))]), atoms([(8, Fraction(1, 8)), (0, Fraction(7, 8))]))


def threshold_points(domain) -> Iterator[dict]:
    """Ordered tuples (any arrival order) of the four distributions, fewer agents first."""
    for n in domain["n"]:
        for combo in product(THRESHOLD_DISTRIBUTIONS, repeat=n):
            yield {"distributions": combo}


def threshold_cases(domain) -> int:
    return sum(len(THRESHOLD_DISTRIBUTIONS) ** n for n in domain["n"])


def threshold_is_half_of_prophet(point: Mapping[str, Any]) -> tuple[bool, dict]:
    """Oblivious single item: accept the first value ≥ E[max]/2; its expected surplus is ≥ E[max]/2."""
    dists = tuple(atoms(d) for d in point["distributions"])
    emax = expected(dists, lambda v: max(v))
    threshold = emax / 2
    got = expected(dists, lambda v: next((x for x in v if x >= threshold), Fraction(0)))
    return 2 * got >= emax, {"E_max": emax, "threshold": threshold, "E_surplus": got}
