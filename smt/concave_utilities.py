"""z3 encodings that quantify over a concave (or, to plant bugs, convex) utility U.

Arguments reaching U in these queries are integers in {0, …, N}, so U is
represented exactly by its table u_0, …, u_N: "concave non-decreasing, U(0) = 0"
is u_0 = 0 and increments d_t = u_t − u_{t−1} with d_1 ≥ d_2 ≥ … ≥ d_N ≥ 0.
Every concave U restricts to such a table and every such table is the restriction
of a concave piecewise-linear U with at most N pieces (integer breakpoints); a
query over tables therefore covers every concave U with any number m ≤ N of
pieces at once (and all other concave U, at integer arguments).

Paper-agnostic: no verdicts; each query returns a `QueryOutcome`.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import z3

__all__ = [
    "QueryOutcome", "UtilityTable", "top_k_term", "k_sum_lattice_query", "dominance_increment_query",
    "chord_bound_query", "model_fraction",
]


@dataclass(frozen=True)
class QueryOutcome:
    holds: bool | None                    # True: unsat (no counterexample); False: model found; None: unknown
    model: tuple[tuple[str, object], ...] = ()   # name -> Fraction / tuple of Fractions
    reason: str = ""
    smtlib: str = ""
    stats: tuple[tuple[str, str], ...] = ()


def model_fraction(val) -> Fraction:
    """A z3 numeral as an exact Fraction (raises ValueError for an irrational algebraic number)."""
    if z3.is_int_value(val):
        return Fraction(val.as_long())
    if z3.is_rational_value(val):
        return Fraction(val.numerator_as_long(), val.denominator_as_long())
    if z3.is_algebraic_value(val):
        raise ValueError(f"irrational algebraic model value {val}")
    raise ValueError(f"not a numeral: {val}")


class UtilityTable:
    """U on {0..N} as z3 reals; `shape` "concave" (the lemma's hypothesis) or "convex" (a planted bug)."""

    def __init__(self, N: int, shape: str = "concave", name: str = "u", anchored: bool = True):
        self.N = N
        self.u = [z3.Real(f"{name}_{t}") for t in range(N + 1)]
        self.constraints = []
        if anchored:
            self.constraints.append(self.u[0] == 0)
        inc = [self.u[t] - self.u[t - 1] for t in range(1, N + 1)]
        self.constraints += [d >= 0 for d in inc]
        for a, b in zip(inc, inc[1:]):
            self.constraints.append(b <= a if shape == "concave" else b >= a)

    def at(self, t):
        """U(t) for a z3 Int term t with 0 ≤ t ≤ N, or a Python int."""
        if isinstance(t, int):
            return self.u[t]
        term = self.u[self.N]
        for v in range(self.N - 1, -1, -1):
            term = z3.If(t == v, self.u[v], term)
        return term

    def values(self, model) -> tuple[Fraction, ...]:
        return tuple(model_fraction(model.eval(x, model_completion=True)) for x in self.u)


def top_k_term(xs: Sequence, k: int, largest: bool = True):
    """Σ of the k largest (or, planted bug, smallest) entries of the z3 Int terms `xs`, as an If-max/min."""
    k = min(k, len(xs))
    sums = [z3.Sum(list(S)) if S else z3.IntVal(0) for S in itertools.combinations(xs, k)]
    acc = sums[0]
    for s in sums[1:]:
        acc = z3.If(s > acc, s, acc) if largest else z3.If(s < acc, s, acc)
    return acc


def _solve(solver: z3.Solver, timeout_ms: int):
    solver.set("timeout", timeout_ms)
    res = solver.check()
    st = solver.statistics()
    stats = tuple((str(key), str(st.get_key_value(key))) for key in st.keys()
                  if key in ("conflicts", "decisions", "max memory", "time"))
    return res, stats


def k_sum_lattice_query(n: int, B: int, k: int, prop: str, shape: str = "concave", largest: bool = True,
                        timeout_ms: int = 60_000) -> QueryOutcome:
    """Search x, y ∈ {0..B}^n and a table U violating `prop` of U_k (BCK Lemma 2).

    prop: "submodular" (U_k(x∨y) + U_k(x∧y) ≤ U_k(x) + U_k(y)), "monotone" (x ≤ y ⇒ U_k(x) ≤ U_k(y))
    or "symmetric" (U_k(x) = U_k(x with entries 0 and i swapped)).
    """
    N = min(k, n) * B
    U = UtilityTable(N, shape)
    x = [z3.Int(f"x_{i}") for i in range(n)]
    y = [z3.Int(f"y_{i}") for i in range(n)]
    s = z3.Solver()
    s.add(U.constraints)
    s.add([z3.And(0 <= v, v <= B) for v in x + y])
    Uk = lambda vec: U.at(top_k_term(vec, k, largest))
    if prop == "submodular":
        hi = [z3.If(a >= b, a, b) for a, b in zip(x, y)]
        lo = [z3.If(a >= b, b, a) for a, b in zip(x, y)]
        s.add(Uk(hi) + Uk(lo) > Uk(x) + Uk(y))
    elif prop == "monotone":
        s.add([a <= b for a, b in zip(x, y)])
        s.add(Uk(x) > Uk(y))
    elif prop == "symmetric":
        viol = []
        for i in range(1, n):
            sw = list(x)
            sw[0], sw[i] = x[i], x[0]
            viol.append(Uk(sw) != Uk(x))
        s.add(z3.Or(viol) if viol else z3.BoolVal(False))
    else:
        raise ValueError(f"unknown property {prop!r}")
    return _decide(s, timeout_ms, lambda m: (("x", tuple(model_fraction(m.eval(v, True)) for v in x)),
                                             ("y", tuple(model_fraction(m.eval(v, True)) for v in y)),
                                             ("U", U.values(m))))


def _decide(s: "z3.Solver", timeout_ms: int, read_model) -> QueryOutcome:
    """One query: unsat → holds; unknown → undecided; sat → the model read as exact Fractions."""
    smt = s.to_smt2()
    res, stats = _solve(s, timeout_ms)
    if res == z3.unsat:
        return QueryOutcome(True, smtlib=smt, stats=stats)
    if res == z3.unknown:
        return QueryOutcome(None, reason=s.reason_unknown(), smtlib=smt, stats=stats)
    try:
        model = read_model(s.model())
    except ValueError as exc:
        return QueryOutcome(None, reason=f"model not rational: {exc}", smtlib=smt, stats=stats)
    return QueryOutcome(False, model, smtlib=smt, stats=stats)


def _distribution(name: str, B: int):
    ps = [z3.Real(f"{name}_{t}") for t in range(B + 1)]
    return ps, [p >= 0 for p in ps] + [z3.Sum(ps) == 1]


def dominance_increment_query(B: int, base: str, timeout_ms: int = 60_000) -> QueryOutcome:
    """Search Y₁ ⪰ Y₂ on {0..B}, x ∈ {0..B}, concave table U on {0..2B} with
    E[U(x+Y₁) − U(base)] > E[U(x+Y₂) − U(base)], base "X" (BCK Lemma 1 as printed) or "Y" (the use in Lemma 13).

    X is a point mass x (one query per x): both sides are linear in the law of X, so a
    counterexample with a general X yields one with a point mass (and conversely).
    """
    smt_texts, all_stats = [], []
    for x in range(B + 1):
        U = UtilityTable(2 * B)
        q1, c1 = _distribution("q1", B)
        q2, c2 = _distribution("q2", B)
        s = z3.Solver()
        s.add(U.constraints + c1 + c2)
        for a in range(1, B + 1):                     # Pr[Y1 ≥ a] ≥ Pr[Y2 ≥ a]
            s.add(z3.Sum(q1[a:]) >= z3.Sum(q2[a:]))

        def side(q):
            return z3.Sum([q[y] * (U.u[x + y] - (U.u[x] if base == "X" else U.u[y])) for y in range(B + 1)])

        s.add(side(q1) > side(q2))
        smt = s.to_smt2()
        smt_texts.append(f"; x = {x}\n{smt}")
        res, stats = _solve(s, timeout_ms)
        all_stats.append((f"x={x}", str(res)))
        if res == z3.unknown:
            return QueryOutcome(None, reason=f"x = {x}: {s.reason_unknown()}", smtlib="\n".join(smt_texts),
                                stats=tuple(all_stats))
        if res == z3.sat:
            m = s.model()
            try:
                model = (("x", Fraction(x)),
                         ("q1", tuple(model_fraction(m.eval(p, True)) for p in q1)),
                         ("q2", tuple(model_fraction(m.eval(p, True)) for p in q2)), ("U", U.values(m)))
            except ValueError as exc:
                return QueryOutcome(None, reason=f"model not rational: {exc}", smtlib=smt, stats=tuple(all_stats))
            return QueryOutcome(False, model, smtlib=smt, stats=tuple(all_stats))
    return QueryOutcome(True, smtlib="\n".join(smt_texts), stats=tuple((k, str(v)) for k, v in all_stats))


def chord_bound_query(B: int, factor: str = "1-EX/R", anchored: bool = True, timeout_ms: int = 60_000) -> QueryOutcome:
    """Search X on {0..R}, R = B, and a concave non-decreasing table U on {0..R} with
    E[U(R − X)] < c·(U(R) − U(0)), c = 1 − E[X]/R (BCK Lemma 14) or, planted bug, E[X]/R.
    `anchored`: impose U(0) = 0 (BCK §2); without it U(0) is free.
    """
    R = B
    U = UtilityTable(R, anchored=anchored)
    p, cons = _distribution("p", R)
    s = z3.Solver()
    s.add(U.constraints + cons)
    mean = z3.Sum([p[t] * t for t in range(R + 1)])
    c = (1 - mean / R) if factor == "1-EX/R" else mean / R
    lhs = z3.Sum([p[t] * U.u[R - t] for t in range(R + 1)])
    s.add(lhs < c * (U.u[R] - U.u[0]))
    return _decide(s, timeout_ms, lambda m: (("p", tuple(model_fraction(m.eval(v, True)) for v in p)),
                                             ("U", U.values(m))))
