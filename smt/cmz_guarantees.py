"""z3 encodings for CMZ-T3 / CMZ-T5: is there a mechanism (≤ m strategies per player, real
payments) whose undominated-strategy guarantee beats a target on a grid?

For every δ-profile K, every σ ∈ ∏ UDed_i(K_i) (encoded exactly, by Boolean definitions in both
directions) and every welfare test point tv of K: Σ_j tv_j x_j(σ) > target·max tv.  unsat means no
such mechanism exists; a model is decoded to an exact `TableMechanism` (replayed in Fractions by
mechanisms/cmz_all_mechanisms.py before it refutes).  A mechanism with fewer strategies embeds into
one with m by duplicating a strategy, so "m strategies" covers every mechanism with at most m.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable, Iterator, Sequence

import z3

from mechproof.mechanisms.cmz_model import ApproxValuation, delta_profiles
from mechproof.mechanisms.cmz_tables import TableMechanism, welfare_test_points, worst_undominated_welfare

from .mechanism_tables import MechanismTables, guarantee_constraints
from .queries import run_check, z3_fraction

__all__ = ["Search", "guarantee_queries", "optimum_guarantee", "OptimumBelowTarget"]

Search = tuple[int, Fraction, int, int]          # (n, δ, B, strategies per player)


def _solver(n: int, delta: Fraction, B: int, m: int, deterministic: bool, target, strict: bool,
            optimise: bool = False):
    profiles = [tuple((k.a, k.b) for k in K) for K in delta_profiles(n, B, delta)]
    pts = {K: welfare_test_points([ApproxValuation(*k) for k in K]) for K in profiles}
    tables = MechanismTables([tuple(range(m))] * n, deterministic=deterministic, prefix="g")
    solver = z3.Optimize() if optimise else z3.Solver()
    eps = z3.Real("eps") if optimise else None
    solver.add(tables.feasibility())
    solver.add(guarantee_constraints(tables, profiles, pts, eps if optimise else target, strict))
    solver.add(tables.definitions)
    handle = solver.maximize(eps) if optimise else None
    return solver, tables, handle


def _mechanism(tables: MechanismTables, model) -> TableMechanism:
    alloc, pay = tables.extract(model)
    return TableMechanism(tables.strategies, alloc, pay)


def guarantee_queries(searches: Sequence[Search], deterministic: bool,
                      target: Callable[[int, Fraction, int], Fraction | None]) -> Iterator[tuple[str, Callable]]:
    """One query per search: a mechanism guaranteeing more than target(n, δ, B)?  A search whose
    target is None (no hard instance on that grid) is skipped by the caller's domain check."""
    kind = "deterministic" if deterministic else "probabilistic"
    for n, delta, B, m in searches:
        goal = target(n, delta, B)

        def build(n=n, delta=delta, B=B, m=m, goal=goal):
            if goal is None:
                raise ValueError(f"no target on the grid n={n}, δ={delta}, B={B}")
            solver, tables, _ = _solver(n, delta, B, m, deterministic, goal, strict=True)

            def decode(model):
                return {"n": n, "delta": delta, "B": B, "strategies": m, "mechanism": _mechanism(tables, model)}
            return solver, decode
        yield f"{kind}, n={n}, δ={delta}, B={B}, m={m}: guarantee > {goal}", build


def optimum_guarantee(n: int, delta: Fraction, B: int, m: int, deterministic: bool, seconds: float):
    """z3 Optimize: the best guarantee over mechanisms with ≤ m strategies, and the worst ratio of
    its model replayed in Fractions: (value or None, replayed ratio or None, reason)."""
    solver, tables, handle = _solver(n, delta, B, m, deterministic, None, strict=False, optimise=True)
    out = run_check(solver, seconds, keep_query=False)
    if out.result != "sat":
        return None, None, f"z3 Optimize: {out.result} {out.reason}".strip()
    value = handle.value()
    try:
        exact = z3_fraction(value)
    except ValueError:
        return None, None, f"z3 Optimize value {value} is not a rational numeral"
    w = worst_undominated_welfare(_mechanism(tables, solver.model()), delta_profiles(n, B, delta))
    return exact, (w.ratio if w is not None else None), ""


class OptimumBelowTarget:
    """Cross-check of the unsat answers by another z3 engine: the best guarantee Optimize finds
    among mechanisms with ≤ m strategies, its model replayed in Fractions, is ≤ target(n, δ, B).
    Points are {n, delta, B, strategies}; the optimum is computed once per point."""

    def __init__(self, deterministic: bool, target: Callable[[int, Fraction, int], Fraction | None],
                 seconds: float = 30.0) -> None:
        self.deterministic, self.target, self.seconds = deterministic, target, seconds
        self._cache: dict = {}

    def optimum(self, p: dict):
        key = (p["n"], p["delta"], p["B"], p["strategies"])
        if key not in self._cache:
            self._cache[key] = optimum_guarantee(*key, self.deterministic, self.seconds)
        return self._cache[key]

    def violation(self, p: dict) -> dict | str | None:
        value, replayed, why = self.optimum(p)
        if value is None or replayed != value:
            return why or f"Optimize's value {value} and its replayed model's guarantee {replayed} differ"
        goal = self.target(p["n"], p["delta"], p["B"])
        if goal is None:
            return "no target on this grid"
        return None if value <= goal else {"optimum (model replayed)": value, "target": goal}

    def gap(self, p: dict) -> Fraction:
        """target − optimum (0: the target is attained)."""
        return self.target(p["n"], p["delta"], p["B"]) - self.optimum(p)[0]
