"""An exact rational two-phase simplex (Fractions, Bland's rule) for the small LPs of BCK.

maximize c·x  subject to  A_ub x ≤ b_ub,  A_eq x = b_eq,  x ≥ 0.
Used for the worst correlation (BCK-L3), the covering LP (App. A.1), the LP of
App. D and the ex-post BIC LPs.  No floats anywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from .exact import UsageError, as_rational

__all__ = ["LPResult", "solve_lp"]


@dataclass(frozen=True)
class LPResult:
    status: str                         # "optimal", "infeasible" or "unbounded"
    value: Fraction | None = None       # optimal objective value
    x: tuple[Fraction, ...] = ()        # an optimal vertex


def _pivot(rows: list[list[Fraction]], obj: list[Fraction], basis: list[int], r: int, e: int) -> None:
    prow = rows[r]
    piv = prow[e]
    if piv != 1:
        rows[r] = prow = [a / piv for a in prow]
    nz = [j for j, a in enumerate(prow) if a != 0]
    for i, row in enumerate(rows):
        if i != r:
            f = row[e]
            if f != 0:
                for j in nz:
                    row[j] -= f * prow[j]
    f = obj[e]
    if f != 0:
        for j in nz:
            obj[j] -= f * prow[j]
    basis[r] = e


def _run(rows, obj, basis, allowed: int) -> str:
    """Maximise; obj holds reduced costs (positive = improving) and −value in the last entry."""
    while True:
        e = next((j for j in range(allowed) if obj[j] > 0), None)
        if e is None:
            return "optimal"
        best = None
        for i, row in enumerate(rows):
            if row[e] > 0:
                ratio = row[-1] / row[e]
                if best is None or ratio < best[0] or (ratio == best[0] and basis[i] < basis[best[1]]):
                    best = (ratio, i)
        if best is None:
            return "unbounded"
        _pivot(rows, obj, basis, best[1], e)


def solve_lp(c: Sequence, A_ub: Sequence[Sequence] = (), b_ub: Sequence = (),
             A_eq: Sequence[Sequence] = (), b_eq: Sequence = (), maximize: bool = True) -> LPResult:
    """Solve the LP exactly; returns status, optimal value and an optimal vertex."""
    n = len(c)
    cost = [as_rational(v, "c") for v in c]
    if not maximize:
        cost = [-v for v in cost]
    cons: list[tuple[list[Fraction], Fraction, str]] = []
    for A, b, kind in ((A_ub, b_ub, "ub"), (A_eq, b_eq, "eq")):
        if len(A) != len(b):
            raise UsageError(f"{len(A)} constraint rows but {len(b)} right-hand sides")
        for row, rhs in zip(A, b):
            if len(row) != n:
                raise UsageError(f"constraint row of length {len(row)}, expected {n}")
            cons.append(([as_rational(a, "A") for a in row], as_rational(rhs, "b"), kind))
    n_slack = sum(1 for _, _, k in cons if k == "ub")
    rows: list[list[Fraction]] = []
    basis: list[int] = []
    artificial: list[int] = []
    n_art = sum(1 for row, rhs, k in cons if k == "eq" or rhs < 0)
    width = n + n_slack + n_art
    s_idx, a_idx = n, n + n_slack
    for row, rhs, kind in cons:
        full = row + [Fraction(0)] * (n_slack + n_art) + [rhs]
        slack = None
        if kind == "ub":
            full[s_idx] = Fraction(1)
            slack = s_idx
            s_idx += 1
        if rhs < 0:
            full = [-a for a in full]
        if kind == "ub" and rhs >= 0:
            basis.append(slack)
        else:
            full[a_idx] = Fraction(1)
            basis.append(a_idx)
            artificial.append(a_idx)
            a_idx += 1
        rows.append(full)
    art = set(artificial)
    # phase 1: maximise −Σ artificials
    obj = [Fraction(0)] * (width + 1)
    for j in art:
        obj[j] = Fraction(-1)
    for i, b in enumerate(basis):
        if b in art:
            obj = [o + a for o, a in zip(obj, rows[i])]
    if art:
        _run(rows, obj, basis, width)
        if obj[-1] != 0:          # −(phase-1 value) = Σ artificials > 0
            return LPResult("infeasible")
        keep = []
        for i, b in enumerate(basis):
            if b in art:
                e = next((j for j in range(n + n_slack) if rows[i][j] != 0), None)
                if e is None:
                    continue       # redundant equality: drop the row
                _pivot(rows, obj, basis, i, e)
            keep.append(i)
        rows = [rows[i] for i in keep]
        basis = [basis[i] for i in keep]
    # phase 2 on the original columns
    width2 = n + n_slack
    rows = [row[:width2] + [row[-1]] for row in rows]
    obj = cost + [Fraction(0)] * n_slack + [Fraction(0)]
    for i, b in enumerate(basis):
        f = obj[b]
        if f != 0:
            obj = [o - f * a for o, a in zip(obj, rows[i])]
    status = _run(rows, obj, basis, width2)
    if status == "unbounded":
        return LPResult("unbounded")
    x = [Fraction(0)] * width2
    for i, b in enumerate(basis):
        x[b] = rows[i][-1]
    value = -obj[-1]
    return LPResult("optimal", value if maximize else -value, tuple(x[:n]))
