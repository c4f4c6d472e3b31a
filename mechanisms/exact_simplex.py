"""An exact rational two-phase simplex (Fractions, Bland's rule) for the small LPs of BCK.

maximize c·x  subject to  A_ub x ≤ b_ub,  A_eq x = b_eq,  x ≥ 0.
Used for the worst correlation (BCK-L3), the covering LP (App. A.1), the LP of
App. D and the ex-post BIC LPs.  No floats anywhere.

Every answer carries a certificate read off the final tableau and replayed on the
original data by `certificate_violations` (exact, independent of the pivoting), so an
answer is never taken on the simplex's word; `solve_lp` raises `ModelError` when the
replay fails:

* optimal: x feasible and multipliers y (y_ub ≥ 0) with Aᵀy ≥ c and b·y = c·x (weak duality:
  every feasible x' has c·x' ≤ yᵀA x' ≤ b·y);
* infeasible: y (y_ub ≥ 0) with Aᵀy ≥ 0 and b·y < 0 (Farkas);
* unbounded: x feasible and a ray d ≥ 0 with A_ub d ≤ 0, A_eq d = 0, c·d > 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from .errors import ModelError
from .exact import UsageError, as_rational

__all__ = ["LPResult", "solve_lp", "certificate_violations"]


@dataclass(frozen=True)
class LPResult:
    status: str                         # "optimal", "infeasible" or "unbounded"
    value: Fraction | None = None       # optimal objective value
    x: tuple[Fraction, ...] = ()        # an optimal vertex (a feasible point when unbounded)
    dual: tuple[Fraction, ...] = ()     # one multiplier per row (ub rows, then eq rows): the dual optimum
                                        # (negated when minimising), or Farkas multipliers (infeasible)
    ray: tuple[Fraction, ...] = ()      # an improving direction (unbounded)


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


def _run(rows, obj, basis, allowed: int) -> tuple[str, int | None]:
    """Maximise; obj holds reduced costs (positive = improving) and −value in the last entry.
    Returns the status and, when unbounded, the entering column without a limiting row."""
    while True:
        e = next((j for j in range(allowed) if obj[j] > 0), None)
        if e is None:
            return "optimal", None
        best = None
        for i, row in enumerate(rows):
            if row[e] > 0:
                ratio = row[-1] / row[e]
                if best is None or ratio < best[0] or (ratio == best[0] and basis[i] < basis[best[1]]):
                    best = (ratio, i)
        if best is None:
            return "unbounded", e
        _pivot(rows, obj, basis, best[1], e)


def _dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b) if x != 0), Fraction(0))


def certificate_violations(cost: Sequence, cons: Sequence[tuple[Sequence, Fraction, str]],
                           res: LPResult) -> list[str]:
    """What is wrong with `res` as an answer to max cost·x s.t. `cons` (rows (a, b, "ub" | "eq")), x ≥ 0,
    by exact replay of its certificate on the original data (empty list: the answer is proved)."""
    n = len(cost)
    bad: list[str] = []

    def feasible(x) -> None:
        if len(x) != n:
            bad.append(f"the point has {len(x)} entries, not {n}")
            return
        if any(v < 0 for v in x):
            bad.append("the point has a negative entry")
        for k, (a, b, kind) in enumerate(cons):
            ax = _dot(a, x)
            if (kind == "ub" and ax > b) or (kind == "eq" and ax != b):
                bad.append(f"the point violates row {k} ({ax} {'>' if kind == 'ub' else '≠'} {b})")
                return

    def combination(y) -> list[Fraction] | None:
        if len(y) != len(cons):
            bad.append(f"{len(y)} multipliers for {len(cons)} rows")
            return None
        if any(yk < 0 for yk, (_, _, kind) in zip(y, cons) if kind == "ub"):
            bad.append("a multiplier of a ≤ row is negative")
        combo = [Fraction(0)] * n
        for yk, (a, _, _) in zip(y, cons):
            if yk != 0:
                for j, aj in enumerate(a):
                    if aj != 0:
                        combo[j] += yk * aj
        return combo

    if res.status == "optimal":
        feasible(res.x)
        combo = combination(res.dual)
        if combo is not None:
            if any(cj < wj for cj, wj in zip(combo, cost)):
                bad.append("the multipliers do not dominate the objective (Aᵀy ≥ c fails)")
            dual_value, primal_value = _dot([b for _, b, _ in cons], res.dual), _dot(cost, res.x)
            if dual_value != primal_value:
                bad.append(f"the dual bound {dual_value} differs from the objective {primal_value}")
    elif res.status == "infeasible":
        combo = combination(res.dual)
        if combo is not None:
            if any(cj < 0 for cj in combo):
                bad.append("the Farkas multipliers have Aᵀy ≱ 0")
            if _dot([b for _, b, _ in cons], res.dual) >= 0:
                bad.append("the Farkas multipliers have b·y ≥ 0")
    elif res.status == "unbounded":
        feasible(res.x)
        d = res.ray
        if len(d) != n or any(v < 0 for v in d):
            bad.append("the ray is not a non-negative direction")
        else:
            for k, (a, _, kind) in enumerate(cons):
                ad = _dot(a, d)
                if (kind == "ub" and ad > 0) or (kind == "eq" and ad != 0):
                    bad.append(f"the ray leaves row {k}")
                    break
            if _dot(cost, d) <= 0:
                bad.append("the ray does not improve the objective")
    else:
        bad.append(f"unknown status {res.status!r}")
    return bad


def solve_lp(c: Sequence, A_ub: Sequence[Sequence] = (), b_ub: Sequence = (),
             A_eq: Sequence[Sequence] = (), b_eq: Sequence = (), maximize: bool = True) -> LPResult:
    """Solve the LP exactly; returns status, optimal value, an optimal vertex and the certificate
    (replayed by `certificate_violations`; ModelError if it fails)."""
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
    res = _simplex(cost, cons)
    bad = certificate_violations(cost, cons, res)
    if bad:
        raise ModelError(f"the simplex answer '{res.status}' fails its certificate: {'; '.join(bad[:3])}")
    if res.status == "optimal" and not maximize:
        return LPResult("optimal", -res.value, res.x, tuple(-y for y in res.dual))
    return res


def _simplex(cost: list[Fraction], cons: list[tuple[list[Fraction], Fraction, str]]) -> LPResult:
    """The two-phase simplex on max cost·x; the certificate is read off the final tableau: the
    objective row is cost − πᵀT₀ for the initial tableau T₀, so the multiplier of row r is
    −(its reduced cost) at the column that was the identity column of row r in T₀."""
    n = len(cost)
    n_slack = sum(1 for _, _, k in cons if k == "ub")
    rows: list[list[Fraction]] = []
    basis: list[int] = []
    artificial: list[int] = []
    unit: list[int] = []            # the identity column of each row in T₀
    sign: list[int] = []            # −1 where the row was negated (rhs < 0)
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
        sign.append(-1 if rhs < 0 else 1)
        if kind == "ub" and rhs >= 0:
            basis.append(slack)
            unit.append(slack)
        else:
            full[a_idx] = Fraction(1)
            basis.append(a_idx)
            artificial.append(a_idx)
            unit.append(a_idx)
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
            # phase-1 objective row = c₁ − πᵀT₀ with c₁ = −1 on the artificials
            farkas = tuple(s * (-obj[u] - (1 if u in art else 0)) for s, u in zip(sign, unit))
            return LPResult("infeasible", dual=farkas)
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
    # phase 2 on the original columns (the artificial columns are kept, never entering: they carry π)
    width2 = n + n_slack
    obj = cost + [Fraction(0)] * (n_slack + n_art) + [Fraction(0)]
    for i, b in enumerate(basis):
        f = obj[b]
        if f != 0:
            obj = [o - f * a for o, a in zip(obj, rows[i])]
    status, entering = _run(rows, obj, basis, width2)
    x = [Fraction(0)] * width2
    for i, b in enumerate(basis):
        x[b] = rows[i][-1]
    if status == "unbounded":
        d = [Fraction(0)] * width2
        d[entering] = Fraction(1)
        for i, b in enumerate(basis):
            d[b] = -rows[i][entering]
        return LPResult("unbounded", None, tuple(x[:n]), ray=tuple(d[:n]))
    dual = tuple(s * -obj[u] for s, u in zip(sign, unit))
    return LPResult("optimal", _dot(cost, x[:n]), tuple(x[:n]), dual)
