"""z3 over every monotone, distinguishably monotone allocation rule on a grid (CMZ-DML, n = 2).

One query per (K, s) with s ∉ K: "some table f(z, τ) ∈ [0, 1] (z, τ ∈ {0..B}), non-decreasing in z,
distinguishably monotone on grid pairs, makes s undominated w.r.t. K for player 1 of M_f" —
payments are the linear expressions of mechanisms/cmz_dml_tables.grid_payment, dominance is
MechanismTables' exact encoding (endpoints of K, every τ).  unsat for every (K, s): the lemma holds
on the grid for every such f.  `require_dm=False` drops the distinguishability hypothesis (a
planted false variant: constant rules then leave every bid undominated).
"""
from __future__ import annotations

from typing import Iterator

import z3

from mechproof.mechanisms.cmz_dml_tables import F_KEY, as_rows
from mechproof.mechanisms.cmz_model import approx_intervals

from .mechanism_tables import MechanismTables, rational
from .queries import z3_fraction

__all__ = ["dml_queries"]


def _sum(terms: list, zero):
    """Σ terms without a one-argument (+ x), which cvc5 refuses."""
    return zero if not terms else terms[0] if len(terms) == 1 else z3.Sum(terms)


def _constraints(tables: MechanismTables, B: int, require_dm: bool) -> list:
    f = {(z, t): tables.x[(0, (z, t))] for z in range(B + 1) for t in range(B + 1)}
    half, zero = z3.RealVal("1/2"), z3.RealVal(0)     # real numerals only: cvc5 reads the query strictly typed
    cons = []
    for t in range(B + 1):
        for z in range(B + 1):
            cons += [f[(z, t)] >= zero, f[(z, t)] <= z3.RealVal(1)]
            if z < B:
                cons.append(f[(z + 1, t)] >= f[(z, t)])
            integral = [half * (f[(k, t)] + f[(k + 1, t)]) for k in range(z)]
            cons.append(tables.p[(0, (z, t))] == rational(z) * f[(z, t)] - _sum(integral, zero))
            cons += [tables.x[(1, (z, t))] == zero, tables.p[(1, (z, t))] == zero]
    if require_dm:
        for v in range(B + 1):
            for v2 in range(v + 1, B + 1):
                gains = [_sum([half * (f[(k, t)] + f[(k + 1, t)]) for k in range(v, v2)], zero) - rational(v2 - v) * f[(v, t)] > zero
                         for t in range(B + 1)]
                cons.append(z3.Or(gains))
    return cons


def dml_queries(B: int, require_dm: bool = True) -> Iterator[tuple[str, object]]:
    """(label, build) per interval K (smallest first) and bid s ∉ K."""
    for K in approx_intervals(B):
        for s in range(B + 1):
            if K.a <= s <= K.b:
                continue

            def build(K=K, s=s):
                tables = MechanismTables([tuple(range(B + 1)), tuple(range(B + 1))], prefix="dml")
                solver = z3.Solver()
                solver.add(_constraints(tables, B, require_dm))
                solver.add(tables.undominated(0, (K.a, K.b), s))
                solver.add(tables.definitions)

                def decode(model):
                    f = {(z, t): z3_fraction(model.eval(tables.x[(0, (z, t))], model_completion=True))
                         for z in range(B + 1) for t in range(B + 1)}
                    return {"B": B, "K": K, "bid": s, F_KEY: as_rows(f, B)}
                return solver, decode
            yield f"K={K}, s={s}", build
