"""z3 search for knapsack instances where a greedy packing falls short of a fraction of the optimum.

Paper-agnostic: n items with integer sizes in [1, S], values in [0, V] and an
integer capacity in [1, C].  Items are numbered in greedy order (value/size
non-increasing, which is no loss of generality: relabel any instance).  The
query asks for an instance and a feasible set whose value exceeds
`ratio` × (the better of the greedy packing and, unless `with_single_item` is
off, the best single item that fits).  unsat ⇒ no such instance in the box.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import z3

__all__ = ["KnapsackSearchOutcome", "search_greedy_shortfall"]


@dataclass(frozen=True)
class KnapsackSearchOutcome:
    result: str                                   # "unsat", "sat" or "unknown"
    sizes: tuple[int, ...] = ()
    values: tuple[int, ...] = ()
    capacity: int = 0
    smt2: str = ""
    stats: tuple[tuple[str, str], ...] = ()
    reason: str = ""


def search_greedy_shortfall(n: int, max_size: int, max_value: int, max_capacity: int, ratio: Fraction,
                            reading: str = "prefix", combine: str = "max", items_fit: bool = True,
                            timeout_ms: int = 20_000) -> KnapsackSearchOutcome:
    """Is there an instance with ratio · ALG < OPT?

    `reading`: "prefix" (stop at the first item that does not fit) or "fill" (skip it, go on).
    `combine`: ALG = "max" (better of greedy and best single fitting item), "sum" (their sum)
    or "greedy" (greedy alone).  `items_fit`: every size ≤ capacity.
    """
    if reading not in ("prefix", "fill"):
        raise ValueError(f"reading must be 'prefix' or 'fill', not {reading!r}")
    if combine not in ("max", "sum", "greedy"):
        raise ValueError(f"combine must be 'max', 'sum' or 'greedy', not {combine!r}")
    s = [z3.Int(f"s{i}") for i in range(n)]
    v = [z3.Int(f"v{i}") for i in range(n)]
    x = [z3.Bool(f"x{i}") for i in range(n)]
    cap = z3.Int("C")
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
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
        if reading == "prefix":
            prefix = sum(s[: i + 1])
            greedy = greedy + z3.If(prefix <= cap, v[i], 0)
        else:
            take = used + s[i] <= cap
            greedy = greedy + z3.If(take, v[i], 0)
            used = used + z3.If(take, s[i], 0)
    best_single = z3.IntVal(0)
    for i in range(n):
        best_single = z3.If(z3.And(s[i] <= cap, v[i] > best_single), v[i], best_single)
    solver.add(sum(z3.If(x[i], s[i], 0) for i in range(n)) <= cap)
    opt = sum(z3.If(x[i], v[i], 0) for i in range(n))
    num, den = ratio.numerator, ratio.denominator
    alg = {"max": z3.If(best_single > greedy, best_single, greedy), "sum": greedy + best_single,
           "greedy": greedy}[combine]
    solver.add(num * alg < den * opt)
    smt2 = solver.sexpr()
    res = solver.check()
    st = solver.statistics()
    stats = tuple((str(k), str(st.get_key_value(k))) for k in st.keys() if k in ("conflicts", "decisions", "time"))
    if res == z3.unsat:
        return KnapsackSearchOutcome("unsat", smt2=smt2, stats=stats)
    if res == z3.sat:
        m = solver.model()
        ev = lambda t: m.eval(t, model_completion=True).as_long()
        return KnapsackSearchOutcome("sat", tuple(ev(a) for a in s), tuple(ev(a) for a in v), ev(cap), smt2, stats)
    return KnapsackSearchOutcome("unknown", smt2=smt2, stats=stats, reason=solver.reason_unknown())
