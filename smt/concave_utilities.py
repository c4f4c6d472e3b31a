"""z3 encodings that quantify over a concave (or, to plant bugs, convex) utility U (BCK, paper 001).

Arguments reaching U in these queries are integers in {0, …, N}, so U is represented exactly by
its table u_0, …, u_N: "concave non-decreasing, U(0) = 0" is u_0 = 0 and increments
d_t = u_t − u_{t−1} with d_1 ≥ d_2 ≥ … ≥ d_N ≥ 0.  Every concave U restricts to such a table and
every such table is the restriction of a concave piecewise-linear U with at most N pieces
(integer breakpoints); a query over tables therefore covers every concave U with any number
m ≤ N of pieces at once (and all other concave U, at integer arguments).

Each builder returns `(solver, decode)` for `mechproof.Query`: `decode(model)` reads the
counterexample as exact values (`z3_fraction`), which the claim's replay re-evaluates in
Fractions.  No verdicts here.
"""
from __future__ import annotations

import itertools
from typing import Callable, Sequence

import z3

from .queries import z3_fraction

__all__ = ["UtilityTable", "top_k_term", "k_sum_lattice_solver", "dominance_increment_solver",
           "chord_bound_solver", "K_SUM_PROPERTIES"]

K_SUM_PROPERTIES = ("symmetric", "monotone", "submodular")   # BCK Lemma 2, in this order
Decoder = Callable[[z3.ModelRef], dict]


def _sum(terms: Sequence):
    """Σ terms, without the one-argument `(+ t)` that z3.Sum exports (cvc5 cannot read it)."""
    terms = list(terms)
    if not terms:
        return z3.IntVal(0)
    return terms[0] if len(terms) == 1 else z3.Sum(terms)


def _exact(model: z3.ModelRef, term) -> object:
    return z3_fraction(model.eval(term, model_completion=True))


class UtilityTable:
    """U on {0..N} as z3 reals; `shape` "concave" (the lemmas' hypothesis) or "convex" (a planted bug)."""

    def __init__(self, N: int, shape: str = "concave", name: str = "u", anchored: bool = True):
        if shape not in ("concave", "convex"):
            raise ValueError(f"unknown shape {shape!r}")
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

    def values(self, model: z3.ModelRef) -> tuple:
        return tuple(_exact(model, x) for x in self.u)


def top_k_term(xs: Sequence, k: int, largest: bool = True):
    """Σ of the k largest (or, planted bug, smallest) entries of the z3 Int terms `xs`, as an If-max/min."""
    k = min(k, len(xs))
    sums = [_sum(S) for S in itertools.combinations(xs, k)]
    acc = sums[0]
    for s in sums[1:]:
        acc = z3.If(s > acc, s, acc) if largest else z3.If(s < acc, s, acc)
    return acc


def k_sum_lattice_solver(n: int, B: int, k: int, prop: str, shape: str = "concave",
                         largest: bool = True) -> tuple[z3.Solver, Decoder]:
    """x, y ∈ {0..B}^n and a table U on {0..min(k, n)·B} violating `prop` of U_k (BCK Lemma 2).

    prop: "submodular" (U_k(x∨y) + U_k(x∧y) ≤ U_k(x) + U_k(y)), "monotone" (x ≤ y ⇒ U_k(x) ≤ U_k(y))
    or "symmetric" (U_k(x) = U_k(x with entries 0 and i swapped)).
    """
    N = min(k, n) * B
    U = UtilityTable(N, shape)
    x = [z3.Int(f"x_{i}") for i in range(n)]
    y = [z3.Int(f"y_{i}") for i in range(n)]
    s = z3.Solver()
    # z3's arithmetic without bound propagation: the same complete procedure, ≈ 30% faster here
    s.set("smt.arith.propagation_mode", 0)
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

    def decode(m: z3.ModelRef) -> dict:
        return {"n": n, "B": B, "k": k, "property": prop, "x": tuple(_exact(m, v) for v in x),
                "y": tuple(_exact(m, v) for v in y), "U(0..N)": U.values(m)}

    return s, decode


def _distribution(name: str, B: int):
    ps = [z3.Real(f"{name}_{t}") for t in range(B + 1)]
    return ps, [p >= 0 for p in ps] + [_sum(ps) == 1]


def dominance_increment_solver(B: int, x: int, base: str) -> tuple[z3.Solver, Decoder]:
    """Y₁ ⪰ Y₂ on {0..B} and a concave table U on {0..2B} with E[U(x+Y₁) − U(b)] > E[U(x+Y₂) − U(b)],
    b = x (base "X": BCK Lemma 1 as printed) or b = Y (base "Y": the form Lemma 13 uses).

    X is the point mass x: both sides are linear in the law of X, so a counterexample with a
    general X on {0..B} yields one with a point mass (and conversely); one solver per x.
    """
    if base not in ("X", "Y"):
        raise ValueError(f"unknown base {base!r}")
    U = UtilityTable(2 * B)
    q1, c1 = _distribution("q1", B)
    q2, c2 = _distribution("q2", B)
    s = z3.Solver()
    s.add(U.constraints + c1 + c2)
    for a in range(1, B + 1):                     # Pr[Y1 ≥ a] ≥ Pr[Y2 ≥ a]
        s.add(_sum(q1[a:]) >= _sum(q2[a:]))

    def side(q):
        return _sum([q[y] * (U.u[x + y] - (U.u[x] if base == "X" else U.u[y])) for y in range(B + 1)])

    s.add(side(q1) > side(q2))

    def decode(m: z3.ModelRef) -> dict:
        return {"B": B, "X": x, "Y1": tuple(_exact(m, p) for p in q1), "Y2": tuple(_exact(m, p) for p in q2),
                "U(0..2B)": U.values(m)}

    return s, decode


def chord_bound_solver(R: int, factor: str = "1-EX/R", anchored: bool = True) -> tuple[z3.Solver, Decoder]:
    """X on {0..R} and a concave non-decreasing table U on {0..R} with E[U(R − X)] < c·(U(R) − U(0)),
    c = 1 − E[X]/R (BCK Lemma 14) or, planted bug, c = E[X]/R.  `anchored`: impose U(0) = 0 (BCK §2).
    """
    if factor not in ("1-EX/R", "EX/R"):
        raise ValueError(f"unknown factor {factor!r}")
    U = UtilityTable(R, anchored=anchored)
    p, cons = _distribution("p", R)
    s = z3.Solver()
    s.add(U.constraints + cons)
    mean = _sum([p[t] * t for t in range(R + 1)])
    c = (1 - mean / R) if factor == "1-EX/R" else mean / R
    lhs = _sum([p[t] * U.u[R - t] for t in range(R + 1)])
    s.add(lhs < c * (U.u[R] - U.u[0]))

    def decode(m: z3.ModelRef) -> dict:
        return {"R": R, "X": tuple(_exact(m, v) for v in p), "U(0..R)": U.values(m)}

    return s, decode
