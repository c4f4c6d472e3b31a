"""CMZ-DML over every allocation rule on a grid: the plain definitions a z3 model is replayed by.

A rule is player 1's allocation table f(z, τ) ∈ [0, 1] for bids z, τ ∈ {0..B} (n = 2), extended
piecewise-linearly in real z (the GRID_F reading: its M_f payment is rational),
p(s, τ) = s·f(s, τ) − ∫₀ˢ f(z, τ) dz = s·f(s, τ) − Σ_{k<s} (f(k, τ) + f(k+1, τ))/2.
Only f_1 enters player 1's utilities, so player 1's conclusion UDed_1(K) ⊆ [min K, max K] rests on
f_1's hypotheses alone: monotone (non-decreasing in z for every τ; the linear extension then is
too) and distinguishably monotone on the grid (for every v < v' in {0..B} some τ has
∫_v^{v'} (f(z, τ) − f(v, τ)) dz > 0).  smt/cmz_dml.py searches every such table.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping, Sequence

from .cmz_model import ApproxValuation
from .cmz_tables import TableMechanism, undominated_strategies

__all__ = ["grid_payment", "table_mechanism", "hypotheses_violation", "dml_table_violation", "as_rows", "as_table"]

Table = Mapping[tuple[int, int], Fraction]        # (z, τ) -> f_1(z⊔τ)
F_KEY = "f (rows: τ = 0, 1, …; entries z = 0, 1, …)"    # how a witness carries the table


def grid_payment(f: Table, s: int, tau: int) -> Fraction:
    """M_f's payment s·f(s) − ∫₀ˢ f for the piecewise-linear extension in z."""
    return s * f[(s, tau)] - sum((f[(k, tau)] + f[(k + 1, tau)]) / 2 for k in range(s))


def table_mechanism(f: Table, B: int) -> TableMechanism:
    """M_f for player 1's rule f (player 2 never wins and never pays: it does not enter player 1's
    utilities), bids {0..B} for both."""
    bids = tuple(range(B + 1))
    alloc = {(s, t): (f[(s, t)], Fraction(0)) for s in bids for t in bids}
    pay = {(s, t): (grid_payment(f, s, t), Fraction(0)) for s in bids for t in bids}
    return TableMechanism((bids, bids), alloc, pay)


def integral_gain(f: Table, v: int, v2: int, tau: int) -> Fraction:
    """∫_v^{v2} (f(z, τ) − f(v, τ)) dz for the piecewise-linear extension."""
    return sum((f[(k, tau)] + f[(k + 1, tau)]) / 2 for k in range(v, v2)) - (v2 - v) * f[(v, tau)]


def hypotheses_violation(f: Table, B: int, require_dm: bool = True) -> dict | None:
    """Where f is not a monotone (and, with `require_dm`, distinguishably monotone) rule on the grid."""
    for t in range(B + 1):
        for z in range(B + 1):
            if not 0 <= f[(z, t)] <= 1:
                return {"f outside [0, 1] at (z, τ)": (z, t), "f": f[(z, t)]}
            if z < B and f[(z + 1, t)] < f[(z, t)]:
                return {"f decreasing at (z, τ)": (z, t), "f(z)": f[(z, t)], "f(z+1)": f[(z + 1, t)]}
    if require_dm:
        for v in range(B + 1):
            for v2 in range(v + 1, B + 1):
                if all(integral_gain(f, v, v2, t) <= 0 for t in range(B + 1)):
                    return {"not distinguishably monotone at (v, v')": (v, v2)}
    return None


def dml_table_violation(point: Mapping, require_dm: bool = True) -> dict | None:
    """The point's table satisfies the hypotheses, s ∉ K, and no bid dominates s on K by the plain
    definition (every integer t ∈ K, every τ): a counterexample to player 1's part of the lemma."""
    B, K, s = point["B"], point["K"], point["bid"]
    f = as_table(point[F_KEY])
    K = K if isinstance(K, ApproxValuation) else ApproxValuation(*K)
    if hypotheses_violation(f, B, require_dm) is not None or K.a <= s <= K.b:
        return None
    ud = undominated_strategies(table_mechanism(f, B), 0, K, pointwise=True)
    if s not in ud:
        return None
    return {"UDed_1(K)": ud, "bid outside K": s}


def as_rows(f: Table, B: int) -> tuple[tuple[Fraction, ...], ...]:
    """f as rows, one per τ: rows[τ][z] = f(z, τ) (how witnesses carry a table)."""
    return tuple(tuple(f[(z, t)] for z in range(B + 1)) for t in range(B + 1))


def as_table(rows: Sequence[Sequence[Fraction]]) -> dict[tuple[int, int], Fraction]:
    return {(z, t): Fraction(v) for t, row in enumerate(rows) for z, v in enumerate(row)}
