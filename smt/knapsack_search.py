"""z3 encoding: a knapsack instance where a greedy packing falls short of a fraction of the optimum.

Paper-agnostic: n items with integer sizes in [1, S], values in [0, V] and an integer capacity in
[1, C].  Items are numbered in greedy order (value/size non-increasing; ties in index order, which
is no loss of generality: relabel any instance), so the plain greedy with lowest-index ties
processes them 0, 1, …, n−1 and replays a model exactly.  The query asks for an instance and a
feasible set whose value exceeds `ratio` × ALG, where ALG is the greedy packing ("prefix": stop at
the first item that does not fit; "fill": skip it), the best single fitting item, their sum or
their maximum.  unsat ⇒ no such instance in the box.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

import z3

__all__ = ["greedy_shortfall_query"]


def greedy_shortfall_query(n: int, max_size: int, max_value: int, max_capacity: int, ratio: Fraction,
                           reading: str = "prefix", combine: str = "max",
                           items_fit: bool = True) -> tuple[Any, Callable[[Any], dict]]:
    """(solver, decode) for ∃ instance: ratio·ALG < OPT.  `items_fit`: every size ≤ capacity."""
    if reading not in ("prefix", "fill"):
        raise ValueError(f"reading must be 'prefix' or 'fill', not {reading!r}")
    if combine not in ("max", "sum", "greedy"):
        raise ValueError(f"combine must be 'max', 'sum' or 'greedy', not {combine!r}")
    s = [z3.Int(f"s{i}") for i in range(n)]
    v = [z3.Int(f"v{i}") for i in range(n)]
    x = [z3.Bool(f"x{i}") for i in range(n)]
    cap = z3.Int("C")
    solver = z3.Solver()
    solver.add(1 <= cap, cap <= max_capacity)
    for i in range(n):
        solver.add(1 <= s[i], s[i] <= max_size, 0 <= v[i], v[i] <= max_value)
        if items_fit:
            solver.add(s[i] <= cap)
    for i in range(n - 1):
        solver.add(v[i] * s[i + 1] >= v[i + 1] * s[i])          # greedy order
    greedy = z3.IntVal(0)
    used = z3.IntVal(0)
    for i in range(n):
        if reading == "prefix":          # the first i+1 items all fit iff their total size does
            take = z3.IntVal(0) + sum(s[: i + 1]) <= cap
        else:
            take = used + s[i] <= cap
            used = used + z3.If(take, s[i], 0)
        greedy = greedy + z3.If(take, v[i], 0)
    best_single = z3.IntVal(0)
    for i in range(n):
        best_single = z3.If(z3.And(s[i] <= cap, v[i] > best_single), v[i], best_single)
    solver.add(z3.IntVal(0) + sum(z3.If(x[i], s[i], 0) for i in range(n)) <= cap)
    opt = z3.IntVal(0) + sum(z3.If(x[i], v[i], 0) for i in range(n))
    alg = {"max": z3.If(best_single > greedy, best_single, greedy), "sum": greedy + best_single,
           "greedy": greedy}[combine]
    solver.add(ratio.numerator * alg < ratio.denominator * opt)

    def decode(model) -> dict:
        ev = lambda t: model.eval(t, model_completion=True).as_long()
        return {"sizes": tuple(ev(a) for a in s), "capacity": ev(cap), "values": tuple(ev(a) for a in v),
                "reading": "A" if reading == "prefix" else "B"}
    return solver, decode
