"""GH-T1 (paper 002, Theorem 1): the optimal pen tester of a small discrete instance, exactly.

Finite class: ink levels on the consecutive integers {0..V}, every level with positive probability,
and tests of integer duration θ ∈ {1..V} (the auction analogue: integer
prices, all of them atoms).  A pen's state is `None` (a test failed: residual 0) or s, the ink
spent so far by successful tests (posterior: v ≥ s, residual v − s).  The optimal pen-testing
algorithm (the standard benchmark) is the value of the finite MDP over the product of the pen
states, by backward induction: stop and select the feasible set of largest expected residual, or
test a live pen (i, θ) and continue; every test raises some s or kills a pen, so it terminates.

The points and the property that GH-T1's theorem part checks are here too: on every instance,
the pen algorithm of DA^U (the surplus-optimal clock, virtually priced; γ = 1) earns at least
OPT_pen/γ (standard benchmark) and at least OPT^U/γ, so that OPT^V/ink ≤ γ·OPT^V/OPT^U ≤ γ·ζ.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import combinations_with_replacement, product
from typing import Any, Callable, Iterator, Mapping

from .deferred_acceptance import ironed_consumer_surplus_curve, run_as_pen_test
from .errors import ModelError
from .feasibility import Feasibility, KSelect, max_weight_feasible
from .gh_pen_runs import virtually_priced_clock
from .pen_testing import Pens
from .posted_pricing import Atoms, atoms, expected

__all__ = ["consecutive_distributions", "optimal_pen_value", "mdp_sizes", "mdp_points", "mdp_cases", "mdp_instance", "MDP_DISTRIBUTIONS",
           "pen_algorithm_meets_theorem1"]

PenFactory = Callable[[tuple[Fraction, ...], Feasibility], Pens]


@lru_cache(maxsize=16)
def consecutive_distributions(top: int, denominator: int) -> tuple[Atoms, ...]:
    """Every distribution on {0..top} with all probabilities positive multiples of 1/denominator."""
    out = []
    for cuts in combinations_with_replacement(range(1, denominator), top):
        parts = [b - a for a, b in zip((0,) + cuts, cuts + (denominator,))]
        if all(p > 0 for p in parts):
            out.append(atoms([(v, Fraction(p, denominator)) for v, p in enumerate(parts)]))
    return tuple(out)


@lru_cache(maxsize=4096)
def _tail(dist: Atoms, s: int) -> Fraction:
    return sum((p for v, p in dist if v >= s), Fraction(0))


@lru_cache(maxsize=4096)
def _residual_mean(dist: Atoms, s: int) -> Fraction:
    """E[v − s | v ≥ s]."""
    return sum((p * (v - s) for v, p in dist if v >= s), Fraction(0)) / _tail(dist, s)


def optimal_pen_value(dists: tuple[Atoms, ...], cons: Feasibility) -> Fraction:
    """The optimal pen-testing value (integer tests) by backward induction over the pen states."""
    top = [int(max(v for v, _ in d)) for d in dists]

    @lru_cache(maxsize=None)
    def value(state: tuple) -> Fraction:
        weights = [Fraction(0) if s is None else _residual_mean(d, s) for d, s in zip(dists, state)]
        best = max_weight_feasible(cons, weights)[0]
        for i, s in enumerate(state):
            if s is None:
                continue
            for theta in range(1, top[i] - s + 1):
                ok = _tail(dists[i], s + theta) / _tail(dists[i], s)
                win = value(state[:i] + (s + theta,) + state[i + 1:]) if ok else Fraction(0)
                lose = value(state[:i] + (None,) + state[i + 1:]) if ok < 1 else Fraction(0)
                best = max(best, ok * win + (1 - ok) * lose)
        return best

    return value(tuple(0 for _ in dists))


# ------------------------------------------------------------------ points and the property
def _class() -> tuple[Atoms, ...]:
    """Four distributions on {0, 1, 2}: two whose Ū is one segment (all ironed virtual values equal) and
    the only two with probabilities in (1/8)ℤ₊ whose Ū has two segments (testing pays)."""
    grid8 = consecutive_distributions(2, 8)
    two_segments = tuple(d for d in grid8 if len(ironed_consumer_surplus_curve(d).segment_slopes()) >= 2)
    one = tuple(atoms([(0, Fraction(a, 4)), (1, Fraction(b, 4)), (2, Fraction(c, 4))])
                for a, b, c in ((1, 1, 2), (2, 1, 1)))
    return one + two_segments


MDP_DISTRIBUTIONS: tuple[Atoms, ...] = _class()


def mdp_sizes(domain) -> list[tuple[int, int]]:
    """(n, k) for n in the grid and every 1 ≤ k < n (k ≥ n selects everything: no test is useful)."""
    return [(n, k) for n in domain["n"] for k in range(1, n)]


def mdp_points(domain) -> Iterator[dict]:
    """(n, k) pairs in order, then every n-tuple of MDP_DISTRIBUTIONS (lexicographic by index)."""
    for n, k in mdp_sizes(domain):
        for combo in product(range(len(MDP_DISTRIBUTIONS)), repeat=n):
            yield {"n": n, "k": k, "distributions": combo}


def mdp_cases(domain) -> int:
    return sum(len(MDP_DISTRIBUTIONS) ** n for n, _ in mdp_sizes(domain))


def mdp_instance(point: Mapping[str, Any]) -> tuple[tuple[Atoms, ...], KSelect]:
    return tuple(MDP_DISTRIBUTIONS[i] for i in point["distributions"]), KSelect(point["n"], point["k"])


def pen_algorithm_meets_theorem1(point: Mapping[str, Any], pens: PenFactory = Pens,
                                 gamma: Fraction = Fraction(1),
                                 opt_value: Callable = optimal_pen_value) -> tuple[bool, dict]:
    """ink(DA^U) ≥ OPT_pen/γ and ink(DA^U) ≥ OPT^U/γ (hence OPT^V/ink ≤ γ·ζ); observed: all four numbers.

    Also OPT_pen ≥ ink(DA^U): on this class DA^U's pen algorithm tests integer durations (its prices are atoms,
    or above the support: a test that fails surely, worth no more than discarding the pen), so it is one of the
    algorithms the optimum ranges over — an optimum below it is a wrong model (`opt_value`: planted in tests)."""
    key = (point["n"], point["k"], tuple(point["distributions"]))
    return _theorem1(key, pens, Fraction(gamma), opt_value)


@lru_cache(maxsize=256)
def _theorem1(key: tuple, pens: PenFactory, gamma: Fraction, opt_value: Callable) -> tuple[bool, dict]:
    n, k, combo = key
    dists, cons = mdp_instance({"n": n, "k": k, "distributions": combo})
    try:
        da_u = virtually_priced_clock(dists, cons)
        ink = expected(dists, lambda v: run_as_pen_test(da_u, pens(v, cons)).residual_ink)
    except ModelError as exc:
        return False, {"pen_run": str(exc)}
    curves = [ironed_consumer_surplus_curve(d) for d in dists]
    opt_u = expected(dists, lambda v: max_weight_feasible(cons, [c.ironed_virtual_value(x) for c, x in
                                                                 zip(curves, v)])[0])
    opt_pen = opt_value(dists, cons)
    opt_v = expected(dists, lambda v: max_weight_feasible(cons, v)[0])
    observed = {"OPT_pen": opt_pen, "E_ink_DA_U": ink, "OPT_U": opt_u, "OPT_V": opt_v,
                "ink_ratio": ink / opt_pen if opt_pen else None}
    if opt_pen < ink:
        return False, {**observed, "model_error": "the optimal pen value is below a pen algorithm's expected ink"}
    return gamma * ink >= opt_pen and gamma * ink >= opt_u, observed
