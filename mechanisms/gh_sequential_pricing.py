"""GH-L5 and GH-T9 (paper 002, Lemma 5 and Theorem 9): points and properties, by the definitions.

* Lemma 5 step 1: Σ max(q_i, ε) ≤ k + (n−k)ε for q ∈ [0,1]^n with Σq = k (or ≤ k), ε ∈ (0, 1];
* Lemma 5 step 2: raise q to p = max(q, ε), order by V_i(p_i)/p_i, truncate to t with Σt = k;
  then EAR(t) ≥ k/(k + (n−k)ε)·EAR(p);
* Theorem 9 (Yan): SP(q) ≥ ρ·EAR(q), through its prefix inequalities E[min(X_j, k)] ≥ ρ·Σ_{i≤j} q_i
  and directly on a grid of (q, conditional values).

Points are generated small first: fewer agents, then lexicographic, then ε ascending.
Properties return (holds, observed values); holds is None at a point outside the claim's domain.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import product
from typing import Any, Callable, Iterator, Mapping

from .posted_pricing import Atoms, atoms, ex_ante_relaxation, sequential_posted_price_surplus, surplus_curve

_validated = lru_cache(maxsize=256)(atoms)              # the same few distributions, validated once
_surplus = lru_cache(maxsize=1 << 16)(surplus_curve)     # V_i(q) at the same few (distribution, q) pairs

__all__ = [
    "lemma5_bound", "raised_sum_within_bound", "STEP2_DISTRIBUTIONS", "lemma5_factor", "step2_points",
    "step2_cases", "truncation_keeps_fraction", "prefix_inequality_holds", "yan_grid_points", "yan_grid_cases",
    "sequential_price_and_relaxation", "sequential_price_by_outcomes", "recursion_matches_outcomes",
    "outcome_points", "outcome_cases",
]


# ------------------------------------------------------------------ Lemma 5, step 1
def lemma5_bound(n, k, eps):
    """Step 1's bound k + (n − k)ε (for Fractions and for z3 terms alike)."""
    return k + (n - k) * eps


def raised_sum_within_bound(point: Mapping[str, Any], bound: Callable = lemma5_bound) -> tuple[bool | None, dict]:
    """Σ max(q_i, ε) ≤ bound(n, k, ε), evaluated exactly; None when the point is outside the lemma's domain."""
    n, k, q, e = point["n"], point["k"], tuple(point["q"]), point["epsilon"]
    total = sum(q, Fraction(0))
    rule_ok = total == k if point["sum_rule"] == "=" else total <= k
    if len(q) != n or not all(0 <= x <= 1 for x in q) or not 0 < e <= 1 or not rule_ok:
        return None, {"sum_q": total}
    lhs, rhs = sum((max(x, e) for x in q), Fraction(0)), bound(n, k, e)
    return lhs <= rhs, {"sum_p": lhs, "bound": rhs}


# ------------------------------------------------------------------ Lemma 5, step 2
STEP2_DISTRIBUTIONS: tuple[Atoms, ...] = (
    atoms([(3, Fraction(1, 4)), (1, Fraction(1, 2)), (0, Fraction(1, 4))]), atoms([(2, Fraction(1, 2)), (0, Fraction(1, 2))]),
    atoms([(4, Fraction(1, 8)), (2, Fraction(1, 8)), (1, Fraction(3, 4))]), atoms([(1, Fraction(1))]))


def lemma5_factor(n, k, eps):
    """Step 2's claimed fraction k/(k + (n − k)ε)."""
    return Fraction(k) / (k + (n - k) * eps)


def _grid_vectors(n: int, grid: int, total: int) -> Iterator[tuple[Fraction, ...]]:
    for num in product(range(grid + 1), repeat=n):
        if sum(num) == total * grid:
            yield tuple(Fraction(x, grid) for x in num)


def step2_points(domain) -> Iterator[dict]:
    """n ∈ agents ascending; distribution tuples (by index) lexicographic; k = 1..n−1; q ∈ {0, 1/g, …, 1}^n with
    Σq = k, lexicographic; ε ascending."""
    g = domain["grid"]
    for n in domain["agents"]:
        for combo in product(range(len(STEP2_DISTRIBUTIONS)), repeat=n):
            dists = tuple(STEP2_DISTRIBUTIONS[i] for i in combo)
            for k in range(1, n):
                for q in _grid_vectors(n, g, k):
                    for e in domain["epsilon"]:
                        yield {"distributions": dists, "k": k, "q": q, "epsilon": e}


def step2_cases(domain) -> int:
    g = domain["grid"]
    return sum(len(STEP2_DISTRIBUTIONS) ** n * sum(sum(1 for _ in _grid_vectors(n, g, k)) for k in range(1, n))
               * len(domain["epsilon"]) for n in domain["agents"])


def truncation_keeps_fraction(point: Mapping[str, Any], factor: Callable = lemma5_factor) -> tuple[bool, dict]:
    """Step 2 by its definition: p = max(q, ε); order by V_i(p_i)/p_i (ties: index); n' = the first index
    with Σ_{i≤n'} p_i ≥ k; t_i = p_i before n', t_{n'} = k − Σ_{i<n'} p_i, 0 after; EAR(t) ≥ factor·EAR(p)."""
    dists = [_validated(tuple(d)) for d in point["distributions"]]
    n, k, e = len(dists), point["k"], point["epsilon"]
    p = [max(x, e) for x in point["q"]]
    order = sorted(range(n), key=lambda i: (-(_surplus(dists[i], p[i]) / p[i]), i))
    t, acc, reached = [Fraction(0)] * n, Fraction(0), False
    for i in order:
        if reached:
            break
        if acc + p[i] >= k:
            t[i], reached = k - acc, True
        else:
            t[i] = p[i]
        acc += t[i]
    ear_t = sum((_surplus(dists[i], t[i]) for i in range(n)), Fraction(0))
    ear_p = sum((_surplus(dists[i], p[i]) for i in range(n)), Fraction(0))
    f = factor(n, k, e)
    return ear_t >= f * ear_p, {"p": tuple(p), "t": tuple(t), "EAR_t": ear_t, "EAR_p": ear_p, "factor": f}


# ------------------------------------------------------------------ Theorem 9 (Yan)
_GRID = (Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3), Fraction(1))
_VALUES = (Fraction(0), Fraction(1), Fraction(2), Fraction(3))

def prefix_inequality_holds(point: Mapping[str, Any]) -> tuple[bool | None, dict]:
    """E[min(X, k)] ≥ ρ·Σq for independent Bernoulli(q_i): SP of the prefix indicator values (c_i = 1, the
    agents in index order) against its EAR, by the Poisson-binomial recursion."""
    q, k, rho = tuple(point["q"]), point["k"], point["rho"]
    if not all(0 <= x <= 1 for x in q) or sum(q, Fraction(0)) > k:
        return None, {"sum_q": sum(q, Fraction(0))}
    ones = [Fraction(1)] * len(q)
    sp_q = sequential_posted_price_surplus(q, ones, k, order=list(range(len(q))))
    ear = ex_ante_relaxation(q, ones)
    return sp_q >= rho * ear, {"SP": sp_q, "EAR": ear, "rho_EAR": rho * ear}


def yan_grid_points(domain) -> Iterator[dict]:
    """k ∈ goods ascending; q ∈ {0, 1/3, 1/2, 2/3, 1}^agents with Σq ≤ k, lexicographic; values c ∈ {0, 1, 2, 3}^agents
    (which include the prefix indicators of Theorem 9's reduction)."""
    for k in domain["goods"]:
        for q in product(_GRID, repeat=domain["agents"]):
            if sum(q) <= k:
                for c in product(_VALUES, repeat=domain["agents"]):
                    yield {"k": k, "q": q, "c": c}


def yan_grid_cases(domain) -> int:
    a = domain["agents"]
    return sum(sum(1 for q in product(_GRID, repeat=a) if sum(q) <= k) * len(_VALUES) ** a for k in domain["goods"])


def sequential_price_by_outcomes(point: Mapping[str, Any]) -> Fraction:
    """SP(q) by its definition: every accept/decline outcome of the agents (agent i accepts w.p. q_i), offered in
    Yan's order (decreasing c_i, ties: lower index, q_i = 0 last) while fewer than k goods are sold."""
    q, c, k = tuple(point["q"]), tuple(point["c"]), point["k"]
    order = sorted(range(len(q)), key=lambda i: (q[i] == 0, -c[i], i))
    total = Fraction(0)
    for accepts in product((True, False), repeat=len(q)):
        prob, sold, value = Fraction(1), 0, Fraction(0)
        for i, yes in zip(order, accepts):
            prob *= q[i] if yes else 1 - q[i]
            if yes and sold < k:
                sold, value = sold + 1, value + c[i]
        total += prob * value
    return total


_OUTCOME_GRID = (Fraction(0), Fraction(1, 3), Fraction(1))
_OUTCOME_VALUES = (Fraction(0), Fraction(1), Fraction(2))


def outcome_points(domain) -> Iterator[dict]:
    """k = 1..agents; q ∈ {0, 1/3, 1}^agents with Σq ≤ k, lexicographic; c ∈ {0, 1, 2}^agents."""
    a = domain["agents"]
    for k in range(1, a + 1):
        for q in product(_OUTCOME_GRID, repeat=a):
            if sum(q) <= k:
                for c in product(_OUTCOME_VALUES, repeat=a):
                    yield {"k": k, "q": q, "c": c}


def outcome_cases(domain) -> int:
    a = domain["agents"]
    return sum(sum(1 for q in product(_OUTCOME_GRID, repeat=a) if sum(q) <= k) * len(_OUTCOME_VALUES) ** a
               for k in range(1, a + 1))


def recursion_matches_outcomes(point: Mapping[str, Any],
                               sp_of: Callable = sequential_posted_price_surplus) -> tuple[bool, dict]:
    """SP(q) by the Poisson-binomial recursion (`sp_of`, planted wrong in tests) = SP(q) by every outcome."""
    fast, plain = sp_of(point["q"], point["c"], point["k"]), sequential_price_by_outcomes(point)
    return fast == plain, {"SP by recursion": fast, "SP by outcomes": plain}


def sequential_price_and_relaxation(point: Mapping[str, Any]) -> tuple[Fraction, Fraction]:
    """(SP(q) in Yan's order — decreasing conditional value c_i = V_i(q_i)/q_i —, EAR(q)), exactly."""
    return (sequential_posted_price_surplus(point["q"], point["c"], point["k"]),
            ex_ante_relaxation(point["q"], point["c"]))
