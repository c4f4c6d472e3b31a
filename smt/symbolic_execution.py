"""Symbolic execution of exact Python functions of a bid profile, into z3 terms over the reals.

A function written with exact arithmetic — `+ − ×`, division, comparisons, `max`/`sorted` with
key tuples, `if` on comparisons, list comprehensions — is called with symbolic bids (`Sym`, one
z3 Real per player).  Every `bool()` of a symbolic comparison is a branch: both sides are asked of
z3 under the path condition so far, an infeasible side is never taken, and each feasible side is
explored by running the function again with the decisions forced (depth first).  The result is the
function's exact **piecewise form**: paths (a conjunction of conditions, the returned values as z3
terms) that partition the domain — for a mechanism whose rules are piecewise-linear, every path is
linear, and z3 decides a property over every rational profile at once.

Anything a symbolic number cannot be — a dict key or set member (`hash`), an `int()`/`float()`,
`//`, an `isinstance` test the function relies on, a mechanism that runs longer or branches more
than the limits — raises `Unsupported` with the reason; the caller then searches the grid only.
An exception on a path is reported as `RaisesOnPath` with that path's condition, for the caller to
reproduce at a concrete point (a real error of the mechanism, or an artefact: unsupported).

    paths = explore(lambda b: auction.allocation(b), n=2, constraints=nonnegative)
    term = piecewise(paths, j)            # x_j(b) as one z3 term: If(c_1, t_1, If(c_2, t_2, …))
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

import z3

__all__ = ["Sym", "SymBool", "Path", "Unsupported", "RaisesOnPath", "explore", "piecewise", "scaled", "to_term",
           "path_point", "model_point", "value_at",
           "MAX_PATHS", "MAX_BRANCHES", "MAX_CHECKS"]

MAX_PATHS = 400          # paths of one function before the exploration gives up (Unsupported)
MAX_BRANCHES = 200       # branch points on one path
MAX_CHECKS = 5_000       # feasibility checks of one exploration (a loop bounded by a bid unrolls forever)


class Unsupported(BaseException):
    """The function cannot be executed symbolically (the message says why).  A BaseException, so that a
    function's own `except Exception:` does not swallow it; and a run in which one was raised is
    void even if the function caught it (`_Run.void`)."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        if _current:
            _current[-1].void = str(self)


class RaisesOnPath(Exception):
    """The function raised on a feasible path: `condition` is that path's, `exc` the exception."""

    def __init__(self, condition: Sequence[Any], exc: BaseException):
        super().__init__(f"{type(exc).__name__}: {exc}")
        self.condition = list(condition)
        self.exc = exc


def to_term(x: Any) -> Any:
    """An exact number or a Sym as a z3 real term (a float or anything else: Unsupported)."""
    if isinstance(x, Sym):
        return x.e
    if isinstance(x, bool):
        return z3.RealVal(int(x))
    if isinstance(x, int):
        return z3.RealVal(x)
    if isinstance(x, Fraction):
        return z3.RealVal(f"{x.numerator}/{x.denominator}")
    if isinstance(x, float):
        raise Unsupported(f"the float {x!r} (exact arithmetic needs a rational)")
    raise Unsupported(f"a value of type {type(x).__name__} ({x!r}) where a number was expected")


def _num(x: Any) -> bool:
    return isinstance(x, (Sym, int, Fraction))        # bool is an int


class _Run:
    """One run of the function: the decisions forced from `prefix`, the path condition so far."""

    def __init__(self, explorer: "_Explorer", prefix: tuple[bool, ...]):
        self.explorer = explorer
        self.prefix = prefix
        self.decisions: list[bool] = []
        self.condition: list[Any] = []
        self.void = ""                   # why the run is void (an Unsupported raised in it, caught or not)

    def branch(self, c: Any) -> bool:
        c = z3.simplify(c)
        if z3.is_true(c):
            return True
        if z3.is_false(c):
            return False
        ex = self.explorer
        depth = len(self.decisions)
        if depth >= MAX_BRANCHES:
            raise Unsupported(f"more than {MAX_BRANCHES} branches on one path")
        if time.monotonic() > ex.deadline:
            raise Unsupported("the exploration ran out of time")
        if depth < len(self.prefix):
            take = self.prefix[depth]
        else:
            yes, no = ex.feasible(self.condition + [c]), ex.feasible(self.condition + [z3.Not(c)])
            if yes and no:
                take = True
                ex.pending.append(tuple(self.decisions) + (False,))
            else:
                take = yes
        self.decisions.append(take)
        self.condition.append(c if take else z3.Not(c))
        return take


_current: list[_Run] = []        # the run a Sym's branch belongs to (explorations do not nest)


def _branch(c: Any) -> bool:
    if not _current:
        raise Unsupported("a symbolic value was used outside its exploration")
    return _current[-1].branch(c)


class SymBool:
    """A symbolic condition; `bool()` of it is a branch of the exploration."""

    __slots__ = ("e",)

    def __init__(self, e: Any):
        self.e = e

    def __bool__(self) -> bool:
        return _branch(self.e)

    def __invert__(self) -> "SymBool":
        return SymBool(z3.Not(self.e))

    def __and__(self, other: Any) -> "SymBool":
        return SymBool(z3.And(self.e, _cond(other)))

    def __or__(self, other: Any) -> "SymBool":
        return SymBool(z3.Or(self.e, _cond(other)))

    __rand__, __ror__ = __and__, __or__

    def __hash__(self):
        raise Unsupported("a symbolic condition used as a dict key or set member")


def _cond(x: Any) -> Any:
    if isinstance(x, SymBool):
        return x.e
    if isinstance(x, bool):
        return z3.BoolVal(x)
    raise Unsupported(f"{x!r} combined with a symbolic condition")


def _lift(x: Any) -> Any:
    if not _num(x):
        return NotImplemented
    return to_term(x)


class Sym:
    """A symbolic exact number (a z3 real term), with the arithmetic and order of Fraction."""

    __slots__ = ("e",)

    def __init__(self, e: Any):
        self.e = e

    # arithmetic
    def _op(self, other: Any, f: Callable[[Any, Any], Any], reflected: bool = False) -> Any:
        o = _lift(other)
        if o is NotImplemented:
            return NotImplemented
        return Sym(f(o, self.e) if reflected else f(self.e, o))

    def __add__(self, o): return self._op(o, lambda a, b: a + b)
    def __radd__(self, o): return self._op(o, lambda a, b: a + b, True)
    def __sub__(self, o): return self._op(o, lambda a, b: a - b)
    def __rsub__(self, o): return self._op(o, lambda a, b: a - b, True)
    def __mul__(self, o): return self._op(o, lambda a, b: a * b)
    def __rmul__(self, o): return self._op(o, lambda a, b: a * b, True)

    def __truediv__(self, o):
        d = _lift(o)
        if d is NotImplemented:
            return NotImplemented
        if _branch(d == 0):
            raise ZeroDivisionError("division by zero")
        return Sym(self.e / d)

    def __rtruediv__(self, o):
        n = _lift(o)
        if n is NotImplemented:
            return NotImplemented
        if _branch(self.e == 0):
            raise ZeroDivisionError("division by zero")
        return Sym(n / self.e)

    def __neg__(self): return Sym(-self.e)
    def __pos__(self): return self

    def __abs__(self):
        return self if _branch(self.e >= 0) else Sym(-self.e)

    # order and equality: symbolic conditions
    def _cmp(self, o: Any, f: Callable[[Any, Any], Any]) -> Any:
        t = _lift(o)
        if t is NotImplemented:
            return NotImplemented
        return SymBool(f(self.e, t))

    def __lt__(self, o): return self._cmp(o, lambda a, b: a < b)
    def __le__(self, o): return self._cmp(o, lambda a, b: a <= b)
    def __gt__(self, o): return self._cmp(o, lambda a, b: a > b)
    def __ge__(self, o): return self._cmp(o, lambda a, b: a >= b)
    def __eq__(self, o): return self._cmp(o, lambda a, b: a == b)
    def __ne__(self, o): return self._cmp(o, lambda a, b: a != b)

    def __bool__(self) -> bool:
        return _branch(self.e != 0)

    # what a symbolic number cannot be
    def __hash__(self):
        raise Unsupported("a bid used as a dict key or set member (a table: its rows are searched exhaustively)")

    def _no(self, what: str):
        raise Unsupported(f"{what} of a bid")

    def __int__(self): self._no("int()")
    def __float__(self): self._no("float()")
    def __index__(self): self._no("an index")
    def __floor__(self): self._no("floor")
    def __ceil__(self): self._no("ceil")
    def __trunc__(self): self._no("trunc")
    def __round__(self, *a): self._no("round")
    def __floordiv__(self, o): self._no("//")
    def __rfloordiv__(self, o): self._no("//")
    def __mod__(self, o): self._no("%")
    def __rmod__(self, o): self._no("%")
    def __pow__(self, o): self._no("**")
    def __rpow__(self, o): self._no("**")

    def __getattr__(self, name: str):
        raise Unsupported(f"the attribute .{name} of a bid")

    def __repr__(self) -> str:
        return f"Sym({self.e})"


@dataclass(frozen=True)
class Path:
    """One path: its condition (z3 booleans, a conjunction) and the function's values there (z3 terms)."""

    condition: tuple[Any, ...]
    values: tuple[Any, ...]


class _Explorer:
    def __init__(self, constraints: Sequence[Any], deadline: float):
        self.solver = z3.Solver()
        self.solver.add(*constraints)
        self.deadline = deadline
        self.pending: list[tuple[bool, ...]] = []
        self.checks = 0

    def feasible(self, condition: Sequence[Any]) -> bool:
        self.checks += 1
        if self.checks > MAX_CHECKS:
            raise Unsupported(f"more than {MAX_CHECKS} branch decisions (a loop whose length depends on a bid?)")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Unsupported("the exploration ran out of time")
        self.solver.set("timeout", max(1, int(min(left, 10) * 1000)))
        r = self.solver.check(*condition)
        if r == z3.unknown:
            raise Unsupported(f"z3 could not decide a branch condition ({self.solver.reason_unknown()})")
        return r == z3.sat


def _flatten(result: Any) -> tuple[Any, ...]:
    if isinstance(result, (Sym, int, Fraction, bool, float)):
        return (to_term(result),)
    try:
        items = tuple(result)
    except TypeError:
        raise Unsupported(f"the function returned {result!r}, not numbers") from None
    return tuple(to_term(v) for v in items)


def explore(fn: Callable[[tuple], Any], variables: Sequence[Any], constraints: Sequence[Any] = (),
            seconds: float = 20.0, max_paths: int | None = None) -> list[Path]:
    """Every feasible path of `fn(bids)`, bids the z3 `variables` as Syms, under `constraints`.

    Raises Unsupported (with why) when the function cannot be executed symbolically or exceeds the
    limits, RaisesOnPath when it raises on a feasible path."""
    if _current:
        raise Unsupported("nested symbolic exploration")
    max_paths = MAX_PATHS if max_paths is None else max_paths
    ex = _Explorer(constraints, time.monotonic() + seconds)
    ex.pending.append(())
    paths: list[Path] = []
    while ex.pending:
        prefix = ex.pending.pop()
        run = _Run(ex, prefix)
        _current.append(run)
        try:
            result = fn(tuple(Sym(v) for v in variables))
            values = _flatten(result)
        except (Unsupported, RaisesOnPath):
            raise
        except RecursionError:
            raise Unsupported("the function recursed too deeply") from None
        except Exception as exc:          # noqa: BLE001 — reported with the path, reproduced by the caller
            if run.void:
                raise Unsupported(f"{run.void} (caught by the function itself)") from None
            raise RaisesOnPath(run.condition, exc) from None
        finally:
            _current.pop()
        if run.void:
            raise Unsupported(f"{run.void} (caught by the function itself)")
        paths.append(Path(tuple(run.condition), values))
        if len(paths) > max_paths:
            raise Unsupported(f"more than {max_paths} paths (the function branches too much to be read "
                              "symbolically)")
    return paths


def piecewise(paths: Sequence[Path], of: int | Callable[[tuple], Any]) -> Any:
    """One z3 term over the partition: If(c_1, t_1, If(c_2, …, t_k)), t the path's entry `of` (an index)
    or `of(values)` computed per path (so b·x stays linear where x is constant on a path)."""
    lengths = {len(p.values) for p in paths}
    if len(lengths) != 1:
        raise Unsupported("the function returns a different number of entries on different paths")
    pick = (lambda v: v[of]) if isinstance(of, int) else of
    terms = [(z3.And(*p.condition) if p.condition else z3.BoolVal(True), z3.simplify(pick(p.values)))
             for p in paths]
    out = terms[-1][1]
    for cond, term in reversed(terms[:-1]):
        out = z3.If(cond, term, out)
    return out


def scaled(term: Any, factor: Any) -> Any:
    """factor·term with the product pushed into every If branch (linear where each branch is a constant)."""
    if z3.is_app_of(term, z3.Z3_OP_ITE):
        c, t, e = term.children()
        return z3.If(c, scaled(t, factor), scaled(e, factor))
    return z3.simplify(factor * term)


def path_point(path: Path, variables: Sequence[Any], constraints: Sequence[Any] = ()) -> tuple | None:
    """An exact rational point of the path (its condition and `constraints`), as generic as the path
    allows — every bid positive and no two equal where the path has such points, so that a rule is
    not checked only where its terms happen to vanish — or None where z3 gives none."""
    s = z3.Solver()
    s.set("timeout", 10_000)
    s.add(*constraints, *path.condition)
    positive = [v > 0 for v in variables]
    distinct = [z3.Distinct(*variables)] if len(variables) > 1 else []
    for extra in (positive + distinct, positive, []):
        if s.check(*extra) == z3.sat:
            break
    else:
        return None
    return model_point(s.model(), variables)


def model_point(model: Any, variables: Sequence[Any]) -> tuple | None:
    """The model's values of `variables` as Fractions (None where one is not rational, e.g. algebraic)."""
    out = []
    for v in variables:
        val = model.eval(v, model_completion=True)
        if not z3.is_rational_value(val):
            return None
        out.append(Fraction(val.numerator_as_long(), val.denominator_as_long()))
    return tuple(out)


def value_at(term: Any, variables: Sequence[Any], point: Sequence[Fraction]) -> Fraction | None:
    """The term's exact value at the point (None if it does not reduce to a rational)."""
    subs = [(v, z3.RealVal(f"{x.numerator}/{x.denominator}")) for v, x in zip(variables, point)]
    val = z3.simplify(z3.substitute(term, *subs))
    if not z3.is_rational_value(val):
        return None
    return Fraction(val.numerator_as_long(), val.denominator_as_long())
