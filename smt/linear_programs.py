"""Exact linear programs: z3 `Optimize` over the reals, answers as Fractions.

A `LinearProgram` is plain data (named variables, rows `a·x (<=|>=|==) b`, a
linear objective).  `solve_lp` returns the exact optimum and an optimal point;
`infeasibilities` replays a point against every row in plain Fraction
arithmetic; `dual_program` / `check_dual_certificate` turn a dual solution
into an exact, solver-free proof of the optimum (weak duality):

    max c·x  s.t.  a_k·x <= b_k (y_k >= 0),  a_k·x >= b_k (y_k <= 0),  a_k·x == b_k (y_k free)
    if  Σ_k y_k a_k = c  then every feasible x has  c·x = Σ_k y_k (a_k·x) <= Σ_k y_k b_k.

`solve_lp_certified` solves the primal, then finds a dual certificate on the
rows of a z3 unsat core of "objective beats the optimum" (`certify_bound`), and
replays both exactly, so the value it reports is proved optimal by Fraction
arithmetic, not taken on z3's word.
Variables are free (no implicit bounds): state x >= 0 as a row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import z3

from mechproof.mechanisms.exact import UsageError, as_rational
from .queries import QueryOutcome, run_check, z3_fraction

__all__ = [
    "LinearConstraint", "LinearProgram", "LinearProgramBuilder", "LPSolution", "CertifiedOptimum",
    "CertificateError", "solve_lp", "solve_lp_certified", "certify_bound", "infeasibilities", "objective_value",
    "dual_program", "check_dual_certificate",
]

SENSES = ("<=", ">=", "==")
Coefficients = tuple[tuple[str, Fraction], ...]


class CertificateError(ValueError):
    """A claimed dual certificate does not prove a bound (wrong sign or A^T y != c)."""


def _coefficients(items: Mapping[str, Any] | Iterable[tuple[str, Any]], what: str) -> Coefficients:
    pairs = items.items() if isinstance(items, Mapping) else items
    merged: dict[str, Fraction] = {}
    for name, value in pairs:
        if not isinstance(name, str):
            raise UsageError(f"{what}: variable name {name!r} is not a string")
        merged[name] = merged.get(name, Fraction(0)) + as_rational(value, f"{what} coefficient of {name}")
    return tuple((k, v) for k, v in merged.items() if v != 0)


@dataclass(frozen=True)
class LinearConstraint:
    """One row `Σ coefficient·variable  sense  rhs` (sense one of <=, >=, ==)."""

    coefficients: Coefficients
    sense: str
    rhs: Fraction
    label: str = ""

    def activity(self, values: Mapping[str, Fraction]) -> Fraction:
        return sum((c * values.get(v, Fraction(0)) for v, c in self.coefficients), Fraction(0))

    def holds(self, values: Mapping[str, Fraction]) -> bool:
        lhs = self.activity(values)
        if self.sense == "<=":
            return lhs <= self.rhs
        if self.sense == ">=":
            return lhs >= self.rhs
        return lhs == self.rhs


@dataclass(frozen=True)
class LinearProgram:
    """max (or min) objective·x subject to the rows; all data exact."""

    variables: tuple[str, ...]
    constraints: tuple[LinearConstraint, ...]
    objective: Coefficients
    maximize: bool = True

    def __post_init__(self) -> None:
        names = set(self.variables)
        if len(names) != len(self.variables):
            raise UsageError("linear program: duplicate variable names")
        for row in self.constraints:
            if row.sense not in SENSES:
                raise UsageError(f"linear program: row {row.label!r} has sense {row.sense!r}, not one of {SENSES}")
            for v, c in row.coefficients:
                if v not in names:
                    raise UsageError(f"linear program: row {row.label!r} uses undeclared variable {v!r}")
                if not isinstance(c, Fraction):
                    raise UsageError(f"linear program: row {row.label!r} coefficient of {v!r} is not a Fraction")
            if not isinstance(row.rhs, Fraction):
                raise UsageError(f"linear program: row {row.label!r} right-hand side is not a Fraction")
        for v, _ in self.objective:
            if v not in names:
                raise UsageError(f"linear program: objective uses undeclared variable {v!r}")


class LinearProgramBuilder:
    """Mutable convenience for building a LinearProgram row by row."""

    def __init__(self) -> None:
        self._variables: list[str] = []
        self._known: set[str] = set()
        self._rows: list[LinearConstraint] = []

    def variable(self, name: str) -> str:
        if name in self._known:
            raise UsageError(f"linear program: variable {name!r} declared twice")
        self._known.add(name)
        self._variables.append(name)
        return name

    def constrain(self, coefficients: Mapping[str, Any] | Iterable[tuple[str, Any]], sense: str,
                  rhs: Any, label: str = "") -> None:
        if sense not in SENSES:
            raise UsageError(f"linear program: sense {sense!r} is not one of {SENSES}")
        row = LinearConstraint(_coefficients(coefficients, label or "row"), sense,
                               as_rational(rhs, f"{label or 'row'} right-hand side"), label)
        for v, _ in row.coefficients:
            if v not in self._known:
                raise UsageError(f"linear program: row {label!r} uses undeclared variable {v!r}")
        self._rows.append(row)

    def program(self, objective: Mapping[str, Any] | Iterable[tuple[str, Any]], maximize: bool = True) -> LinearProgram:
        return LinearProgram(tuple(self._variables), tuple(self._rows),
                             _coefficients(objective, "objective"), maximize)


@dataclass(frozen=True)
class LPSolution:
    """What z3 found: status optimal / infeasible / unbounded / unknown, exact value and point."""

    status: str
    value: Fraction | None
    values: Mapping[str, Fraction] = field(default_factory=lambda: MappingProxyType({}))
    query: QueryOutcome | None = None
    reason: str = ""


@dataclass(frozen=True)
class CertifiedOptimum:
    """An optimum proved by exact replay: a feasible point and a dual certificate with equal values."""

    status: str                         # "optimal" (both replayed), else the failing status
    value: Fraction | None
    values: Mapping[str, Fraction]
    multipliers: tuple[Fraction, ...]   # one per primal row (mostly 0); empty unless certified
    primal: LPSolution
    reason: str = ""

    @property
    def support(self) -> int:
        """How many rows the certificate uses."""
        return sum(1 for y in self.multipliers if y != 0)


def objective_value(lp: LinearProgram, values: Mapping[str, Fraction]) -> Fraction:
    return sum((c * values.get(v, Fraction(0)) for v, c in lp.objective), Fraction(0))


def infeasibilities(lp: LinearProgram, values: Mapping[str, Fraction]) -> list[LinearConstraint]:
    """Every row that `values` violates, by exact evaluation (empty list = feasible)."""
    return [row for row in lp.constraints if not row.holds(values)]


_NUMERALS: dict[tuple[int, int], Any] = {}      # z3 numerals of the coefficients seen (terms are immutable)


def _numeral(c: Fraction) -> Any:
    key = (c.numerator, c.denominator)      # hashing the pair is cheaper than hashing a Fraction
    k = _NUMERALS.get(key)
    if k is None:
        k = _NUMERALS[key] = z3.RealVal(f"{c.numerator}/{c.denominator}")
    return k


def _z3_linear(coefficients: Coefficients, z3vars: Mapping[str, Any]) -> Any:
    """Σ c·v as a z3 term: the term RealVal(c) * v (v alone for c = 1) summed by z3.Sum builds, made
    by z3's C API directly (every operand is a Real already, so z3's coercions have nothing to do)."""
    if not coefficients:
        return z3.RealVal(0)
    terms = []
    for v, c in coefficients:
        x = z3vars[v]
        if c == 1:
            terms.append(x)
        else:
            k = _numeral(c)
            args = (z3.Ast * 2)(k.as_ast(), x.as_ast())
            terms.append(z3.ArithRef(z3.Z3_mk_mul(x.ctx.ref(), 2, args), x.ctx))
    if len(terms) == 1:
        return terms[0]
    ctx = terms[0].ctx
    args = (z3.Ast * len(terms))(*(t.as_ast() for t in terms))
    return z3.ArithRef(z3.Z3_mk_add(ctx.ref(), len(terms), args), ctx)


# `lhs <= rhs` with rhs a numeral: Python tries the numeral's reflected operator first (RatNumRef
# subclasses ArithRef), so z3's operators build rhs >= lhs, rhs <= lhs, rhs == lhs; the same here
_REFLECTED = {"<=": z3.Z3_mk_ge, ">=": z3.Z3_mk_le, "==": z3.Z3_mk_eq}


def _z3_row(row: LinearConstraint, z3vars: Mapping[str, Any]) -> Any:
    """lhs (<= | >= | ==) rhs: the term z3's operators build (both sides Real)."""
    lhs = _z3_linear(row.coefficients, z3vars)
    rhs = _numeral(row.rhs)
    if not row.coefficients:            # a numeral on both sides: no reflection
        return lhs <= rhs if row.sense == "<=" else lhs >= rhs if row.sense == ">=" else lhs == rhs
    return z3.BoolRef(_REFLECTED[row.sense](lhs.ctx.ref(), rhs.as_ast(), lhs.as_ast()), lhs.ctx)


_LAST_PROGRAM: list = []     # [(lp, z3vars, rows)]: the last program's z3 terms (solve, then certify)


def _z3_program(lp: LinearProgram) -> tuple[dict[str, Any], list[Any]]:
    """z3 unknowns and rows of `lp`; the primal solve and its certificate ask for the same program,
    whose terms are built once (z3 terms are immutable: reusing them is the same formula)."""
    if _LAST_PROGRAM and _LAST_PROGRAM[0][0] is lp:
        return _LAST_PROGRAM[0][1], _LAST_PROGRAM[0][2]
    z3vars = {v: z3.Real(v) for v in lp.variables}
    rows = [_z3_row(row, z3vars) for row in lp.constraints]
    _LAST_PROGRAM[:] = [(lp, z3vars, rows)]
    return z3vars, rows


def solve_lp(lp: LinearProgram, seconds: float, rlimit: int | None = None,
             keep_query: bool = True) -> LPSolution:
    """Optimise `lp` with z3 Optimize; exact value and point, or a status saying why not."""
    opt = z3.Optimize()
    z3vars, rows = _z3_program(lp)
    for row in rows:
        opt.add(row)
    objective = _z3_linear(lp.objective, z3vars)
    handle = opt.maximize(objective) if lp.maximize else opt.minimize(objective)
    outcome = run_check(opt, seconds, rlimit, keep_query)
    if outcome.result == "unsat":
        return LPSolution("infeasible", None, MappingProxyType({}), outcome, "the rows are contradictory")
    if outcome.result != "sat":
        return LPSolution("unknown", None, MappingProxyType({}), outcome, outcome.reason or "z3 gave no answer")
    bound = handle.upper() if lp.maximize else handle.lower()
    if not (z3.is_rational_value(bound) or z3.is_int_value(bound)):
        return LPSolution("unbounded", None, MappingProxyType({}), outcome, f"z3 objective bound {bound}")
    model = opt.model()
    values = {v: z3_fraction(model.eval(z3vars[v], model_completion=True)) for v in lp.variables}
    value = objective_value(lp, values)
    if value != z3_fraction(bound):
        return LPSolution("unknown", None, MappingProxyType(values), outcome,
                          f"z3 model value {value} differs from its bound {bound}")
    bad = infeasibilities(lp, values)
    if bad:
        return LPSolution("unknown", None, MappingProxyType(values), outcome,
                          f"z3 model violates {len(bad)} rows on exact replay (first: {bad[0].label})")
    return LPSolution("optimal", value, MappingProxyType(values), outcome)


def _multiplier_name(k: int) -> str:
    return f"y{k}"


def dual_program(lp: LinearProgram) -> LinearProgram:
    """The LP dual of `lp` (one multiplier y_k per row, named y0, y1, …)."""
    b = LinearProgramBuilder()
    ys = [b.variable(_multiplier_name(k)) for k in range(len(lp.constraints))]
    sign = 1 if lp.maximize else -1
    for y, row in zip(ys, lp.constraints):
        if row.sense == "<=":
            b.constrain({y: sign}, ">=", 0, f"sign {row.label}")
        elif row.sense == ">=":
            b.constrain({y: sign}, "<=", 0, f"sign {row.label}")
    columns: dict[str, list[tuple[str, Fraction]]] = {v: [] for v in lp.variables}
    for y, row in zip(ys, lp.constraints):
        for v, c in row.coefficients:
            columns[v].append((y, c))
    c = dict(lp.objective)
    for v in lp.variables:
        b.constrain(columns[v], "==", c.get(v, Fraction(0)), f"column {v}")
    return b.program({y: row.rhs for y, row in zip(ys, lp.constraints)}, maximize=not lp.maximize)


def check_dual_certificate(lp: LinearProgram, multipliers: Iterable[Any]) -> Fraction:
    """The bound on lp's objective that `multipliers` prove (upper for max, lower for min).

    Exact, solver-free: checks each multiplier's sign and Σ_k y_k a_k = c column by
    column; raises CertificateError otherwise.
    """
    ys = [as_rational(y, "multiplier") for y in multipliers]
    if len(ys) != len(lp.constraints):
        raise CertificateError(f"{len(ys)} multipliers for {len(lp.constraints)} rows")
    sign = 1 if lp.maximize else -1
    combo: dict[str, Fraction] = {v: Fraction(0) for v in lp.variables}
    bound = Fraction(0)
    for y, row in zip(ys, lp.constraints):
        if y == 0:
            continue
        if row.sense == "<=" and sign * y < 0 or row.sense == ">=" and sign * y > 0:
            raise CertificateError(f"multiplier {y} of row {row.label!r} ({row.sense}) has the wrong sign")
        for v, c in row.coefficients:
            combo[v] += y * c
        bound += y * row.rhs
    c = dict(lp.objective)
    for v in lp.variables:
        if combo[v] != c.get(v, Fraction(0)):
            raise CertificateError(f"column {v}: Σ y·a = {combo[v]} but the objective has {c.get(v, 0)}")
    return bound


def certify_bound(lp: LinearProgram, value: Fraction, seconds: float) -> tuple[tuple[Fraction, ...] | None, str]:
    """Exact multipliers proving objective <= value (max) / >= value (min), or (None, reason).

    z3 finds an unsat core of the rows together with "objective beats value";
    the dual restricted to the core rows is small, and its solution, padded with
    zeros, is checked by `check_dual_certificate` (exact, solver-free).
    """
    import time

    start = time.monotonic()
    solver = z3.Solver()
    solver.set("core.minimize", True)
    z3vars, rows = _z3_program(lp)
    for k, row in enumerate(rows):
        solver.assert_and_track(row, z3.Bool(f"row_{k}"))
    objective = _z3_linear(lp.objective, z3vars)
    solver.add(objective > rational_value(value) if lp.maximize else objective < rational_value(value))
    out = run_check(solver, max(seconds * 0.6, 0.1), keep_query=False)
    if out.result != "unsat":
        return None, f"z3 did not refute a better objective ({out.result}{': ' + out.reason if out.reason else ''})"
    core = sorted(int(str(lit)[4:]) for lit in solver.unsat_core())
    sub = LinearProgram(lp.variables, tuple(lp.constraints[k] for k in core), lp.objective, lp.maximize)
    left = max(seconds - (time.monotonic() - start), 0.1)
    dual = solve_lp(dual_program(sub), left, keep_query=False)
    if dual.status != "optimal":
        return None, f"dual of the {len(core)} core rows: {dual.status} ({dual.reason})"
    ys = [Fraction(0)] * len(lp.constraints)
    for j, k in enumerate(core):
        ys[k] = dual.values[_multiplier_name(j)]
    try:
        bound = check_dual_certificate(lp, ys)
    except CertificateError as exc:
        return None, f"certificate rejected: {exc}"
    if (lp.maximize and bound > value) or (not lp.maximize and bound < value):
        return None, f"certificate proves only {bound}, not {value}"
    return tuple(ys), ""


def rational_value(value: Fraction) -> Any:
    q = Fraction(value)
    return z3.RealVal(f"{q.numerator}/{q.denominator}")


def solve_lp_certified(lp: LinearProgram, seconds: float, keep_query: bool = True) -> CertifiedOptimum:
    """Optimum of `lp` proved by exact replay of a primal point and a dual certificate."""
    import time

    start = time.monotonic()
    primal = solve_lp(lp, seconds * 0.6, keep_query=keep_query)
    if primal.status != "optimal" or primal.value is None:
        return CertifiedOptimum(primal.status, None, primal.values, (), primal, primal.reason)
    left = max(seconds - (time.monotonic() - start), 0.5)
    ys, reason = certify_bound(lp, primal.value, left)
    if ys is None:
        return CertifiedOptimum("unknown", primal.value, primal.values, (), primal, f"optimality not certified: {reason}")
    return CertifiedOptimum("optimal", primal.value, primal.values, ys, primal)
