"""z3 encodings for CMZ-UIL (the Undominated Intersection Lemma), as (label, build) queries.

`build()` returns (solver, decode); decode(model) gives the exact point a sat answer refutes at.
Replays by plain Fraction evaluation are in mechanisms/cmz_all_mechanisms.py.

* `pointwise_lemma_query`: the step the lemma rests on, over all reals — a linear g(t) = αt − β
  that is ≥ 0 at a and b and > 0 at one of them is ≥ 0 at any c < d in [a, b] and > 0 at one of
  them (negated; unsat proves it).  With c = d allowed (|K∩K'| = 1) it is false.
* `intersection_queries`: for every pair of integer intervals K, K' ⊆ {0..B} sharing ≥ 2 points,
  "some mechanism with bids {0..B} for both players (n = 2) makes every strategy of player 1
  dominated w.r.t. K or w.r.t. K'" (QF_LRA with Booleans; unsat for a pair proves the lemma for it).
  A sat model is shrunk to the fewest strategies z3 can find before it is reported.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Callable, Iterator

import z3

from mechproof.mechanisms.cmz_all_mechanisms import intersection_pairs, intersection_violation
from mechproof.mechanisms.cmz_model import ApproxValuation
from mechproof.mechanisms.cmz_tables import TableMechanism, common_points

from .mechanism_tables import MechanismTables, every_strategy_dominated
from .queries import run_check, z3_fraction

__all__ = ["pointwise_lemma_query", "intersection_queries", "SHRINK_SECONDS"]

SHRINK_SECONDS = 5.0     # per query while shrinking a counterexample to fewer strategies

Build = Callable[[], tuple]


def pointwise_lemma_query(min_common: int = 2) -> tuple[str, Build]:
    def build():
        al, be, a, b, c, d = z3.Reals("alpha beta a b c d")

        def g(t):
            return al * t - be
        hyp = z3.And(a <= c, c <= d, d <= b, g(a) >= 0, g(b) >= 0, z3.Or(g(a) > 0, g(b) > 0))
        if min_common >= 2:
            hyp = z3.And(hyp, c < d)
        solver = z3.Solver()
        solver.add(hyp, z3.Not(z3.And(g(c) >= 0, g(d) >= 0, z3.Or(g(c) > 0, g(d) > 0))))

        def decode(model):
            return {str(v): z3_fraction(model.eval(v, model_completion=True)) for v in (al, be, a, b, c, d)}
        return solver, decode
    return "dominance on {a, b} survives on {c, d} ⊆ [a, b]" + (", c < d" if min_common >= 2 else ", c ≤ d"), build


@lru_cache(maxsize=None)
def _blank_tables(own: int, opponents: int) -> tuple[MechanismTables, tuple]:
    """The unknown tables and their feasibility rows, built once per shape: each pair's query
    takes a twin (the same unknowns, definitions of its own), so it is the formula a fresh table
    gives, without rebuilding the dominance terms every pair shares."""
    tables = MechanismTables([tuple(range(own)), tuple(range(opponents))], prefix="uil")
    return tables, tuple(tables.feasibility())


def _tables_solver(K: ApproxValuation, K2: ApproxValuation, own: int, opponents: int):
    blank, feasibility = _blank_tables(own, opponents)
    tables = blank.twin()
    solver = z3.Solver()
    # z3's arithmetic without bound propagation: the same complete LRA procedure, about 40% faster
    # on these queries (bids {0..4}: ≈ 5 s instead of ≈ 9 s for the 40 pairs)
    solver.set("smt.arith.propagation_mode", 0)
    solver.add(feasibility)
    solver.add(every_strategy_dominated(tables, 0, [(K.a, K.b), (K2.a, K2.b)]))
    solver.add(tables.definitions)
    return solver, tables


def _mechanism(tables: MechanismTables, model) -> TableMechanism:
    alloc, pay = tables.extract(model)
    return TableMechanism(tables.strategies, alloc, pay)


def _point(K, K2, mech: TableMechanism) -> dict:
    return {"K": K, "K'": K2, "|K∩K'|": common_points(K, K2),
            "strategies": f"{len(mech.strategies[0])}×{len(mech.strategies[1])}", "mechanism": mech}


def _shrunk(K, K2, own: int, opponents: int, min_common: int) -> dict | None:
    """The counterexample with the fewest strategies z3 finds for this pair (replayed exactly)."""
    for mm in range(1, own + 1):
        for oo in range(1, opponents + 1):
            solver, tables = _tables_solver(K, K2, mm, oo)
            if run_check(solver, SHRINK_SECONDS, keep_query=False).result == "sat":
                mech = _mechanism(tables, solver.model())
                if intersection_violation(mech, K, K2, min_common) is not None:
                    return _point(K, K2, mech)
    return None


def intersection_queries(B: int, min_common: int = 2, delta: Fraction | None = None) -> Iterator[tuple[str, Build]]:
    """One query per pair (smallest pairs first); both players bid in {0..B}."""
    m = B + 1
    for K, K2 in intersection_pairs(B, min_common, delta):
        def build(K=K, K2=K2):
            solver, tables = _tables_solver(K, K2, m, m)

            def decode(model):
                found = _point(K, K2, _mechanism(tables, model))
                return _shrunk(K, K2, m, m, min_common) or found
            return solver, decode
        yield f"K={K}, K'={K2}", build
