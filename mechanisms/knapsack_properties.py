"""GH-L6 (paper 002, Appendix B, Algorithm 1 and Lemma 6): knapsack instances and the lemma's property.

An instance is n items with integer sizes in 1..S, values in 0..V and an integer capacity in 1..C.
Algorithm 1 runs bang-per-buck (v/s non-increasing, ties by index; "until the knapsack is full"
read A = stop at the first item that does not fit, B = skip it and go on) and Max (the most
valuable item that fits alone: the only feasible reading of "the agent with the largest value").

* as printed, items larger than the knapsack are kept: the greedy may stop at one of them;
* the reading discards them first (as the DA clocks of Appendix B do), which leaves an instance
  whose items all fit: the reading's instances are exactly those.

Points: fewer items first, then the largest entry (sizes, capacity, values) ascending, then
lexicographic in (sizes, capacity, values), so the first violation is the minimal one.  `holds`
uses integers (cross-multiplied ratios, cached feasible sets); `replay` the plain Fraction
definitions of deferred_acceptance.py.
"""
from __future__ import annotations

from fractions import Fraction
from functools import cmp_to_key, lru_cache
from itertools import combinations, product
from math import gcd
from typing import Any, Iterator, Mapping

from .deferred_acceptance import (DeferredAcceptanceAuction, bang_per_buck_clock, bang_per_buck_fill,
                                  bang_per_buck_prefix, knapsack_optimum, run_auction, single_best_item,
                                  single_best_item_clock)
from .exact import UsageError
from .feasibility import Knapsack

__all__ = ["READINGS", "COMBINES", "instance_points", "instance_cases", "algorithm1_holds", "algorithm1_plain",
           "algorithm1_fast_values", "fast_route_matches_plain", "clock_points", "clock_cases",
           "clocks_allocate_as_algorithms"]

READINGS = ("A", "B")                   # A: stop at the first misfit; B: skip misfits
COMBINES = ("sum", "max", "greedy")     # ALG = G + M, max(G, M), or G alone


def _box(domain) -> tuple[int, int, int, int]:
    return domain["items"], domain["size"], domain["value"], domain["capacity"]


def instance_points(domain, items_fit: bool) -> Iterator[dict]:
    """Instances in the documented order; with `items_fit` only those whose every size ≤ capacity."""
    n_max, s_max, v_max, c_max = _box(domain)
    for n in range(1, n_max + 1):
        for b in range(1, max(s_max, v_max, c_max) + 1):
            for sizes in product(range(1, min(b, s_max) + 1), repeat=n):
                for cap in range(1, min(b, c_max) + 1):
                    if items_fit and max(sizes) > cap:
                        continue
                    top = max(max(sizes), cap)
                    for values in product(range(min(b, v_max) + 1), repeat=n):
                        if max(top, max(values)) == b:
                            yield {"sizes": sizes, "capacity": cap, "values": values}


def instance_cases(domain, items_fit: bool) -> int:
    n_max, s_max, v_max, c_max = _box(domain)
    if not items_fit:
        return sum(s_max ** n * c_max * (v_max + 1) ** n for n in range(1, n_max + 1))
    return sum(sum(min(s_max, c) ** n for c in range(1, c_max + 1)) * (v_max + 1) ** n for n in range(1, n_max + 1))


def _check_options(readings, combine) -> None:
    if not readings or any(r not in READINGS for r in readings):
        raise UsageError(f"readings must be a non-empty subset of {READINGS}, got {readings!r}")
    if combine not in COMBINES:
        raise UsageError(f"combine must be one of {COMBINES}, got {combine!r}")


# ------------------------------------------------------------------ fast route (integers)
@lru_cache(maxsize=4096)
def _feasible_sets(sizes: tuple[int, ...], cap: int) -> tuple[tuple[int, ...], ...]:
    n = len(sizes)
    return tuple(s for r in range(1, n + 1) for s in combinations(range(n), r) if sum(sizes[i] for i in s) <= cap)


@lru_cache(maxsize=4096)
def _maximal_sets(sizes: tuple[int, ...], cap: int) -> tuple[tuple[int, ...], ...]:
    """The feasible sets no item can be added to: with values ≥ 0 the optimum is attained on one."""
    sets = _feasible_sets(sizes, cap)
    used = {frozenset(s) for s in sets}
    return tuple(s for s in sets if not any(frozenset(s + (i,)) in used for i in range(len(sizes)) if i not in s))


@lru_cache(maxsize=4096)
def _bang_per_buck_weights(sizes: tuple[int, ...]) -> tuple[int, ...]:
    """L/s_i for L the lcm of the sizes: v_i/s_i compared as the integers v_i·L/s_i."""
    L = 1
    for x in sizes:
        L = L * x // gcd(L, x)
    return tuple(L // x for x in sizes)


def _greedy(order, sizes, cap, values, reading: str) -> int:
    used = got = 0
    for i in order:
        if used + sizes[i] > cap:
            if reading == "A":
                break
            continue
        used += sizes[i]
        got += values[i]
    return got


def algorithm1_holds(point: Mapping[str, Any], *, discard_oversized: bool, readings=READINGS, combine="sum",
                     ratio: Fraction = Fraction(1)) -> bool:
    """ratio·ALG ≥ OPT for every greedy reading (integer arithmetic)."""
    sizes, cap, values = point["sizes"], point["capacity"], point["values"]
    if discard_oversized:
        keep = [i for i in range(len(sizes)) if sizes[i] <= cap]
        sizes, values = tuple(sizes[i] for i in keep), tuple(values[i] for i in keep)
    n = len(sizes)
    sets = _maximal_sets(sizes, cap) if all(v >= 0 for v in values) else _feasible_sets(sizes, cap)
    opt = max((sum(values[i] for i in s) for s in sets), default=0)
    best = max((values[i] for i in range(n) if sizes[i] <= cap), default=0)
    if all(type(x) is int and x > 0 for x in sizes):    # v/s non-increasing, ties by index, in integers
        w = _bang_per_buck_weights(sizes)
        order = sorted(range(n), key=lambda i: (-values[i] * w[i], i))
    else:
        order = sorted(range(n), key=cmp_to_key(lambda i, j: (values[j] * sizes[i] - values[i] * sizes[j]) or (i - j)))
    for reading in readings:
        g = _greedy(order, sizes, cap, values, reading)
        alg = {"sum": g + best, "max": max(g, best), "greedy": g}[combine]
        if ratio.numerator * alg < ratio.denominator * opt:
            return False
    return True


def algorithm1_fast_values(point: Mapping[str, Any], *, discard_oversized: bool) -> dict:
    """OPT, Max and both greedy readings by the fast route's integer arithmetic (what `algorithm1_holds` compares)."""
    sizes, cap, values = point["sizes"], point["capacity"], point["values"]
    if discard_oversized:
        keep = [i for i in range(len(sizes)) if sizes[i] <= cap]
        sizes, values = tuple(sizes[i] for i in keep), tuple(values[i] for i in keep)
    if not sizes:
        return {"OPT": 0}
    n = len(sizes)
    sets = _maximal_sets(sizes, cap) if all(v >= 0 for v in values) else _feasible_sets(sizes, cap)
    w = _bang_per_buck_weights(sizes)
    order = sorted(range(n), key=lambda i: (-values[i] * w[i], i))
    return {"OPT": max((sum(values[i] for i in s) for s in sets), default=0),
            "Max": max((values[i] for i in range(n) if sizes[i] <= cap), default=0),
            **{f"greedy_{r}": _greedy(order, sizes, cap, values, r) for r in READINGS}}


def fast_route_matches_plain(point: Mapping[str, Any], *, discard_oversized: bool,
                             plain=None) -> tuple[bool, dict]:
    """The fast route's OPT, Max and greedy values = those of the plain algorithms (`plain`: planted in tests)."""
    fast = algorithm1_fast_values(point, discard_oversized=discard_oversized)
    _, seen = (plain or algorithm1_plain)(point, discard_oversized=discard_oversized)
    same = all(Fraction(fast[key]) == seen[key] for key in fast)
    return same, {**{f"fast {key}": v for key, v in fast.items()}, **{f"plain {key}": seen[key] for key in fast}}


# ------------------------------------------------------------------ plain definition (Fractions)
def algorithm1_plain(point: Mapping[str, Any], *, discard_oversized: bool, readings=READINGS, combine="sum",
                     ratio: Fraction = Fraction(1)) -> tuple[bool, dict]:
    """The same property from the Appendix B algorithms of deferred_acceptance.py and brute-force OPT."""
    _check_options(readings, combine)
    sizes, cap, values = point["sizes"], point["capacity"], point["values"]
    if discard_oversized:
        keep = [i for i in range(len(sizes)) if sizes[i] <= cap]
        sizes, values = tuple(sizes[i] for i in keep), tuple(values[i] for i in keep)
    if not sizes:
        return True, {"OPT": 0}
    kn, vals = Knapsack(tuple(sizes), cap), tuple(Fraction(v) for v in values)
    opt = knapsack_optimum(vals, kn)
    m = sum((vals[i] for i in single_best_item(vals, kn)), Fraction(0))
    observed: dict[str, Any] = {"OPT": opt, "Max": m}
    ok = True
    for reading in readings:
        chosen = (bang_per_buck_prefix if reading == "A" else bang_per_buck_fill)(vals, kn)
        g = sum((vals[i] for i in chosen), Fraction(0))
        alg = {"sum": g + m, "max": max(g, m), "greedy": g}[combine]
        observed[f"greedy_{reading}"] = g
        ok &= ratio * alg >= opt
    return ok, observed


# ------------------------------------------------------------------ the DA clocks of Appendix B
@lru_cache(maxsize=1024)
def _clocks(sizes: tuple[int, ...], cap: int, top: int) -> tuple[DeferredAcceptanceAuction, DeferredAcceptanceAuction]:
    kn, ladder = Knapsack(sizes, cap), range(top + 1)
    return bang_per_buck_clock(kn, ladder), single_best_item_clock(kn, ladder)


def clock_points(domain) -> Iterator[dict]:
    """Instances whose items all fit, in the documented order, with the clocks' value ladder 0..value."""
    for point in instance_points(domain, True):
        yield {**point, "ladder_top": domain["value"]}


def clock_cases(domain) -> int:
    return instance_cases(domain, True)


def clocks_allocate_as_algorithms(point: Mapping[str, Any]) -> tuple[bool, dict]:
    """The bang-per-buck clock allocates as greedy reading A, the single-best-item clock as Max."""
    sizes, cap, values = point["sizes"], point["capacity"], point["values"]
    kn, vals = Knapsack(sizes, cap), tuple(Fraction(v) for v in values)
    greedy_clock, max_clock = _clocks(tuple(sizes), cap, point["ladder_top"])
    observed, ok = {}, True
    for name, da, alg in (("bang_per_buck", greedy_clock, bang_per_buck_prefix), ("max", max_clock, single_best_item)):
        won, chosen = run_auction(da, vals).winners, alg(vals, kn)
        observed[f"{name}_DA"], observed[f"{name}_algorithm"] = tuple(sorted(won)), tuple(sorted(chosen))
        ok &= won == chosen
    return ok, observed
