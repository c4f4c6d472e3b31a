"""CMZ-T1 on a grid: the best guarantee ε*(n, δ, B) of a dominant-strategy direct mechanism, as
an exact LP optimum (smt.mechanism_tables.dominant_strategy_lp, solved by z3 Optimize) proved by
replay: the optimal mechanism is re-checked in Fractions (truthful reporting dominant, worst
E[SW]/MSW ≥ ε*) and a dual certificate (Σ y_k a_k = c, signs) proves no mechanism does better.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Callable

from mechproof.mechanisms.cmz_all_mechanisms import t1_proof_bound
from mechproof.mechanisms.cmz_model import delta_intervals
from mechproof.mechanisms.cmz_tables import (TableMechanism, direct_truthfulness_violation, welfare_test_points,
                                             worst_truthful_welfare)

from .linear_programs import check_dual_certificate, solve_lp_certified
from .mechanism_tables import dominant_strategy_lp

__all__ = ["DominantStrategyOptimum", "dominant_strategy_optimum", "t1_grid_violation", "LP_SECONDS"]

LP_SECONDS = 60.0         # per grid (primal + certificate)


@dataclass(frozen=True)
class DominantStrategyOptimum:
    """ε*(n, δ, B), proved: the optimal mechanism (replayed), its dual certificate, the paper's bound."""

    n: int
    delta: Fraction
    B: int
    value: Fraction
    mechanism: TableMechanism
    multipliers: tuple[Fraction, ...]
    support: int
    proof_bound: Fraction
    lp_rows: int
    lp_variables: int


def dominant_strategy_optimum(n: int, delta: Fraction, B: int, seconds: float = LP_SECONDS):
    """Solve and certify the T1 LP; replay the optimal mechanism.  (result, "") or (None, why)."""
    types = delta_intervals(B, delta)
    pts = {tuple((k.a, k.b) for k in K): welfare_test_points(K) for K in product(types, repeat=n)}
    lp, names = dominant_strategy_lp([(k.a, k.b) for k in types], n, pts, B)
    cert = solve_lp_certified(lp, seconds, keep_query=False)
    if cert.status != "optimal":
        return None, f"n={n}, δ={delta}, B={B}: LP {cert.status} ({cert.reason})"
    alloc, pay = {}, {}
    for K in product(types, repeat=n):
        key = tuple((k.a, k.b) for k in K)
        alloc[K] = tuple(cert.values[names[("x", i, key)]] for i in range(n))
        pay[K] = tuple(cert.values[names[("p", i, key)]] for i in range(n))
    mech = TableMechanism(tuple(tuple(types) for _ in range(n)), alloc, pay)
    bad = direct_truthfulness_violation(mech)
    if bad is not None:
        return None, f"the LP optimum is not dominant-strategy on replay: {bad}"
    w = worst_truthful_welfare(mech)
    if w is None or w.ratio < cert.value:
        return None, f"the LP optimum guarantees {w.ratio if w else None} < {cert.value} on replay"
    bound = check_dual_certificate(lp, cert.multipliers)
    if bound != cert.value:
        return None, f"the dual certificate proves {bound}, not {cert.value}"
    return DominantStrategyOptimum(n, delta, B, cert.value, mech, cert.multipliers, cert.support,
                                   t1_proof_bound(n, B, delta)[0], len(lp.constraints), len(lp.variables)), ""


def t1_grid_violation(claimed_upper: Callable[[int, Fraction, int], Fraction] | None = None,
                      claimed_guarantee: Callable[[int, Fraction, int], Fraction] | None = None,
                      seconds: float = LP_SECONDS,
                      proof_bound: Callable[[int, Fraction, int], Fraction] | None = None
                      ) -> Callable[[dict], dict | str | None]:
    """At a grid point {n, delta, B}: the exact optimum ε* equals the paper's argument on the grid
    (`t1_proof_bound`, or `proof_bound(n, δ, B)`: planted bugs) — above it the argument would be
    wrong, below it loose (the reading says ε* IS that value).  Planted claims: a cap on every DS
    mechanism (refuted by the replayed optimal mechanism) or an achievable guarantee above ε*
    (refuted by the certificate)."""
    def prop(p):
        n, d, B = p["n"], p["delta"], p["B"]
        res, why = dominant_strategy_optimum(n, d, B, seconds)
        if res is None:
            return why
        if claimed_upper is not None and res.value > claimed_upper(n, d, B):
            return {"a DS mechanism guarantees": res.value, "claimed cap": claimed_upper(n, d, B)}
        if claimed_guarantee is not None and claimed_guarantee(n, d, B) > res.value:
            return {"claimed guarantee": claimed_guarantee(n, d, B), "certificate proves ε* ≤": res.value,
                    "certificate rows": res.support}
        bound = res.proof_bound if proof_bound is None else proof_bound(n, d, B)
        if res.value != bound:
            return {"ε*": res.value, "paper's argument on the grid": bound}
        return None
    return prop
