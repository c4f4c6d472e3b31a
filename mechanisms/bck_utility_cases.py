"""Plain evaluation of BCK Lemmas 1, 2 and 14 at one point, with U given by its table on {0..N}.

The z3 searches of `smt/concave_utilities.py` report counterexamples as exact tables
U(0), …, U(N) and exact distributions; these functions re-evaluate the lemma at such a point in
Fractions, by the definitions (dominance via `DiscreteRV.dominates`, expectations by summation,
U_k by sorting), and say whether the point satisfies the lemma's hypotheses.  Each returns
`(holds, observed)`: holds is True when the lemma's implication holds at the point (in
particular when a hypothesis fails, which is then named in `observed`), False at a
counterexample.  The query order that makes the first counterexample the smallest is the
callers' (smallest support first).
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Mapping, Sequence

from .errors import ModelError
from .exact import as_rational
from .random_variables import DiscreteRV, top_k_sum

__all__ = ["table_utility", "table_hypotheses", "k_sum_property", "increment_comparison", "chord_bound",
           "lattice_sizes", "lattice_grid", "ray_table", "lattice_ray_points", "lattice_ray_count",
           "lattice_ray_violation", "lattice_ray_replay", "increment_ray_points", "increment_ray_count",
           "increment_ray_step", "chord_ray_points", "chord_ray_count", "chord_ray_step"]


def table_utility(values: Sequence) -> Callable:
    """U given by its values at 0, 1, …, N (evaluated only on that grid)."""
    table = tuple(as_rational(v, "U value") for v in values)

    def U(t):
        t = as_rational(t, "t")
        if t.denominator != 1 or not 0 <= t < len(table):
            raise ModelError(f"table utility evaluated off its grid {{0..{len(table) - 1}}} at {t}")
        return table[int(t)]
    return U


def table_hypotheses(values: Sequence, shape: str = "concave", anchored: bool = True) -> list[str]:
    """The hypotheses of BCK §2 the table violates: U(0) = 0, non-decreasing, concave (or convex, planted)."""
    v = [as_rational(x, "U value") for x in values]
    inc = [v[i + 1] - v[i] for i in range(len(v) - 1)]
    bad = []
    if anchored and v[0] != 0:
        bad.append(f"U(0) = {v[0]} ≠ 0")
    if any(d < 0 for d in inc):
        bad.append("U decreasing")
    steps = list(zip(inc, inc[1:]))
    if shape == "concave" and any(b > a for a, b in steps):
        bad.append("U not concave")
    if shape == "convex" and any(b < a for a, b in steps):
        bad.append("U not convex")
    return bad


def _vector(xs) -> tuple[Fraction, ...]:
    return tuple(as_rational(x, "entry") for x in xs)


def k_sum_property(point: Mapping, shape: str = "concave", largest: bool = True) -> tuple[bool, dict]:
    """BCK Lemma 2 at (x, y, U, k): U_k symmetric, monotone or lattice-submodular (`point["property"]`).

    `largest=False` plants the bug "sum of the k smallest entries" in U_k.
    """
    table = point["U(0..N)"]
    bad = table_hypotheses(table, shape)
    if bad:
        return True, {"hypothesis fails": "; ".join(bad)}
    U, k, prop = table_utility(table), int(point["k"]), point["property"]
    x, y = _vector(point["x"]), _vector(point["y"])

    def Uk(vec):
        return U(top_k_sum(vec, k) if largest else sum(sorted(vec)[:k], Fraction(0)))

    if prop == "submodular":
        hi = tuple(max(a, b) for a, b in zip(x, y))
        lo = tuple(min(a, b) for a, b in zip(x, y))
        lhs, rhs = Uk(hi) + Uk(lo), Uk(x) + Uk(y)
        return lhs <= rhs, {"U_k(x∨y)+U_k(x∧y)": lhs, "U_k(x)+U_k(y)": rhs}
    if prop == "monotone":
        if not all(a <= b for a, b in zip(x, y)):
            return True, {"hypothesis fails": "x ≰ y"}
        return Uk(x) <= Uk(y), {"U_k(x)": Uk(x), "U_k(y)": Uk(y)}
    if prop == "symmetric":
        swaps = [tuple(x[i] if j == 0 else x[0] if j == i else x[j] for j in range(len(x))) for i in range(1, len(x))]
        return all(Uk(s) == Uk(x) for s in swaps), {"U_k(x)": Uk(x),
                                                     "U_k(swaps)": tuple(Uk(s) for s in swaps)}
    raise ModelError(f"unknown property {prop!r}")


def increment_comparison(point: Mapping, base: str) -> tuple[bool, dict]:
    """BCK Lemma 1 at (X = x, Y₁, Y₂, U): Y₁ ⪰ Y₂ ⇒ E[U(X+Y₁) − U(b)] ≤ E[U(X+Y₂) − U(b)],
    b = X (base "X", as printed) or b = Y (base "Y", as Lemma 13 uses it)."""
    table = point["U(0..2B)"]
    bad = table_hypotheses(table)
    if bad:
        return True, {"hypothesis fails": "; ".join(bad)}
    U, x = table_utility(table), as_rational(point["X"], "X")
    Y1 = DiscreteRV(tuple(enumerate(point["Y1"])))
    Y2 = DiscreteRV(tuple(enumerate(point["Y2"])))
    if not Y1.dominates(Y2):
        return True, {"hypothesis fails": "Y1 does not dominate Y2"}

    def side(Y: DiscreteRV) -> Fraction:
        return sum((p * (U(x + y) - (U(x) if base == "X" else U(y))) for y, p in Y.atoms), Fraction(0))

    lhs, rhs = side(Y1), side(Y2)
    return lhs <= rhs, {"Y1": str(Y1), "Y2": str(Y2), "LHS (Y1)": lhs, "RHS (Y2)": rhs}


def chord_bound(point: Mapping, factor: str = "1-EX/R", anchored: bool = True) -> tuple[bool, dict]:
    """BCK Lemma 14 at (R, X, U): E[U(R − X)] ≥ c·(U(R) − U(0)), c = 1 − E[X]/R (or, planted, E[X]/R).
    `anchored=False` drops the hypothesis U(0) = 0 (a planted bug)."""
    table = point["U(0..R)"]
    bad = table_hypotheses(table, anchored=anchored)
    if bad:
        return True, {"hypothesis fails": "; ".join(bad)}
    U, R = table_utility(table), int(point["R"])
    X = DiscreteRV(tuple(enumerate(point["X"])))
    lhs = sum((q * U(R - x) for x, q in X.atoms), Fraction(0))
    c = (1 - X.mean / R) if factor == "1-EX/R" else X.mean / R
    rhs = c * (U(R) - U(0))
    return lhs >= rhs, {"X": str(X), "E[U(R−X)]": lhs, "c·(U(R)−U(0))": rhs}


# ------------------------------------------------------------------ query grids (smallest first)
def lattice_sizes(n_max: int, B_max: int, nB_max: int) -> list[tuple[int, int]]:
    """The (n, B) sizes of the Lemma 2 search: n ≤ n_max, B ≤ B_max, n·B ≤ nB_max, by n·B then n."""
    sizes = [(n, B) for n in range(1, n_max + 1) for B in range(1, B_max + 1) if n * B <= nB_max]
    return sorted(sizes, key=lambda s: (s[0] * s[1], s[0]))


def lattice_grid(n_max: int, B_max: int, nB_max: int, properties: Sequence[str]):
    """(n, B, k, property) for every Lemma 2 query, smallest vectors first (then k, then property)."""
    for n, B in lattice_sizes(n_max, B_max, nB_max):
        for k in range(1, n + 1):
            for prop in properties:
                yield n, B, k, prop


# ------------------------------------------------------------------ the second route: extreme rays
# A table u_0 = 0, increments d_1 ≥ … ≥ d_N ≥ 0 is Σ_c λ_c·min(t, c) with λ_c = d_c − d_{c+1} ≥ 0
# (d_{N+1} = 0): the concave non-decreasing tables with U(0) = 0 form the cone spanned by the N
# "rays" min(t, c), c = 1..N.  Lemmas 1, 2 and 14 are linear in U at fixed X, Y, x, y, so each holds
# for every such table iff it holds for every ray.
def ray_table(c: int, N: int) -> tuple[Fraction, ...]:
    """The table of min(t, c) on {0..N}."""
    return tuple(Fraction(min(t, c)) for t in range(N + 1))


def _vectors(n: int, B: int):
    return list(itertools.product(range(B + 1), repeat=n))


def lattice_ray_points(n_max: int, B_max: int, nB_max: int, properties: Sequence[str]):
    """(n, B, k, property, ray c) for the exact Lemma 2 route, in the order of `lattice_grid`."""
    for n, B, k, prop in lattice_grid(n_max, B_max, nB_max, properties):
        for c in range(1, min(k, n) * B + 1):
            yield {"n": n, "B": B, "k": k, "property": prop, "ray c": c}


def lattice_ray_count(n_max: int, B_max: int, nB_max: int, properties: Sequence[str]) -> int:
    return sum(min(k, n) * B for n, B, k, _ in lattice_grid(n_max, B_max, nB_max, properties))


def _lattice_pairs(n: int, B: int, prop: str):
    xs = _vectors(n, B)
    if prop == "symmetric":
        for x in xs:
            for i in range(1, n):
                yield x, tuple(x[i] if j == 0 else x[0] if j == i else x[j] for j in range(n))
    elif prop == "monotone":
        for x in xs:
            for y in xs:
                if all(a <= b for a, b in zip(x, y)):
                    yield x, y
    else:
        for x in xs:
            for y in xs:
                yield x, y


@lru_cache(maxsize=16)
def _top_sums(n: int, B: int) -> dict:
    """For each x ∈ {0..B}ⁿ, its prefix sums of the entries sorted decreasingly (integers): [k] = I_k(x)."""
    out = {}
    for x in _vectors(n, B):
        acc, prefix = 0, [0]
        for v in sorted(x, reverse=True):
            acc += v
            prefix.append(acc)
        out[x] = prefix
    return out


@lru_cache(maxsize=64)
def _distinct_sums(n: int, B: int, k: int, prop: str) -> tuple:
    """One representative pair (x, y) per distinct tuple of the top-k sums the property compares."""
    top = _top_sums(n, B)
    seen: dict = {}
    for x, y in _lattice_pairs(n, B, prop):
        if prop == "submodular":
            sums = (top[tuple(map(max, x, y))][k], top[tuple(map(min, x, y))][k], top[x][k], top[y][k])
        else:
            sums = (top[x][k], top[y][k])
        seen.setdefault(sums, (x, y))
    return tuple(seen.items())


def lattice_ray_violation(point: Mapping) -> tuple[bool, dict]:
    """Lemma 2 for U = min(t, c) over every pair x, y ∈ {0..B}ⁿ (fast: distinct top-k sums only)."""
    n, B, k, c = (int(point[key]) for key in ("n", "B", "k", "ray c"))
    prop = point["property"]
    for sums, (x, y) in _distinct_sums(n, B, k, prop):
        m = [min(v, c) for v in sums]
        ok = (m[0] + m[1] <= m[2] + m[3] if prop == "submodular" else m[0] <= m[1] if prop == "monotone"
              else m[0] == m[1])
        if not ok:
            return False, {"x": x, "y": y}
    return True, {}


def lattice_ray_replay(point: Mapping) -> tuple[bool, dict]:
    """The same search by the definition: `k_sum_property` at every pair with the ray's table."""
    n, B, k, c = (int(point[key]) for key in ("n", "B", "k", "ray c"))
    prop = point["property"]
    table = ray_table(c, min(k, n) * B)
    pairs = ((x, x) for x in _vectors(n, B)) if prop == "symmetric" else _lattice_pairs(n, B, prop)
    for x, y in pairs:
        holds, observed = k_sum_property({"k": k, "property": prop, "x": x, "y": y, "U(0..N)": table})
        if not holds:
            return False, {"x": x, "y": y, **observed}
    return True, {}


def increment_ray_points(B_max: int):
    """(B, X = x, y, ray c) for the exact Lemma 1 route (Y₁ = y + 1 ⪰ Y₂ = y), smallest B first."""
    for B in range(1, B_max + 1):
        for x in range(B + 1):
            for y in range(B):
                for c in range(1, 2 * B + 1):
                    yield {"B": B, "X": x, "y": y, "ray c": c}


def increment_ray_count(B_max: int) -> int:
    return sum((B + 1) * B * 2 * B for B in range(1, B_max + 1))


def increment_ray_step(point: Mapping, base: str) -> tuple[bool, dict]:
    """Lemma 1 at point masses Y₁ = y + 1, Y₂ = y and U = min(t, c) (by `increment_comparison`).

    For a fixed U, E[f(Y₁)] ≤ E[f(Y₂)] for every Y₁ ⪰ Y₂ on {0..B} iff f(y) = U(x+y) − U(b) is
    non-increasing there, i.e. iff it holds at these neighbouring point masses.
    """
    B, y, c = int(point["B"]), int(point["y"]), int(point["ray c"])
    masses = lambda v: tuple(Fraction(int(t == v)) for t in range(B + 1))
    return increment_comparison({"X": point["X"], "Y1": masses(y + 1), "Y2": masses(y),
                                 "U(0..2B)": ray_table(c, 2 * B)}, base)


def chord_ray_points(R_max: int):
    """(R, X = t, ray c) for the exact Lemma 14 route, smallest R first."""
    for R in range(1, R_max + 1):
        for t in range(R + 1):
            for c in range(1, R + 1):
                yield {"R": R, "X = t": t, "ray c": c}


def chord_ray_count(R_max: int) -> int:
    return sum((R + 1) * R for R in range(1, R_max + 1))


def chord_ray_step(point: Mapping, factor: str = "1-EX/R") -> tuple[bool, dict]:
    """Lemma 14 at the point mass X = t and U = min(·, c) (by `chord_bound`): both sides are linear
    in the law of X and in U, so these points decide it for every X on {0..R} and every table."""
    R, t, c = int(point["R"]), int(point["X = t"]), int(point["ray c"])
    return chord_bound({"R": R, "X": tuple(Fraction(int(s == t)) for s in range(R + 1)),
                        "U(0..R)": ray_table(c, R)}, factor)
