"""z3 encodings for GH (paper 002) Lemma 5 step 1 and Theorem 9 (Yan's correlation gap for k-select).

Each function returns `(solver, decode)` for `mechproof.Query`: the solver asserts the negation of
the property over every real point of the box; `decode(model)` gives the exact counterexample
(Fractions via `z3_fraction`), which the claim replays by plain evaluation.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

import z3

from .queries import z3_fraction

__all__ = ["raised_quantile_sum_query", "yan_prefix_query"]


def _value(model: Any, term: Any) -> Fraction:
    return z3_fraction(model.eval(term, model_completion=True))


def _sum(terms: list) -> Any:
    """Σ terms; a single term stays itself (SMT-LIB's `+` needs two arguments, which cvc5 enforces)."""
    return terms[0] if len(terms) == 1 else z3.Sum(terms)


def raised_quantile_sum_query(n: int, k: int, bound: Callable, sum_rule: str) -> tuple[Any, Callable]:
    """GH-L5 step 1: ∃ q ∈ [0,1]^n with Σq = k (sum_rule '=') or Σq ≤ k ('<='), ε ∈ (0, 1], such that
    Σ max(q_i, ε) > bound(n, k, ε)?  Linear real arithmetic; `bound` builds a z3 term from z3 ε."""
    if sum_rule not in ("=", "<="):
        raise ValueError(f"sum_rule must be '=' or '<=', not {sum_rule!r}")
    q = [z3.Real(f"q{i}") for i in range(n)]
    e = z3.Real("epsilon")
    s = z3.Solver()
    s.add(e > 0, e <= 1)
    for x in q:
        s.add(x >= 0, x <= 1)
    s.add(_sum(q) == k if sum_rule == "=" else _sum(q) <= k)
    s.add(_sum([z3.If(x >= e, x, e) for x in q]) > bound(n, k, e))

    def decode(model) -> dict:
        return {"n": n, "k": k, "sum_rule": sum_rule, "q": tuple(_value(model, x) for x in q),
                "epsilon": _value(model, e)}
    return s, decode


def yan_prefix_query(m: int, k: int, rho: Fraction) -> tuple[Any, Callable]:
    """GH-T9 prefix inequality: ∃ q ∈ [0,1]^m with Σq ≤ k and E[min(X, k)] < ρ·Σq, X = number of
    successes of independent Bernoulli(q_i)?  The distribution of min(X, k) is the Poisson-binomial
    recursion, a polynomial in q (nonlinear real arithmetic)."""
    q = [z3.Real(f"q{i}") for i in range(m)]
    s = z3.Solver()
    for x in q:
        s.add(x >= 0, x <= 1)
    s.add(_sum(q) <= k)
    dist = [z3.RealVal(1)] + [z3.RealVal(0)] * m
    for x in q:
        dist = [dist[c] * (1 - x) + (dist[c - 1] * x if c > 0 else 0) for c in range(m + 1)]
    expected_min = _sum([min(c, k) * dist[c] for c in range(1, m + 1)])
    s.add(expected_min < z3.Q(rho.numerator, rho.denominator) * _sum(q))

    def decode(model) -> dict:
        return {"k": k, "q": tuple(_value(model, x) for x in q), "rho": rho}
    return s, decode
