"""The small exact instance families the BCK (paper 001) checks enumerate.

Seller utilities, value distributions, buyer utilities and the two Table 1 instances on which
no DSIC mechanism reaches the BIC benchmark.  All values are exact; every family is listed in a
fixed order (the enumeration order of the checks, smallest supports first where it matters).
"""
from __future__ import annotations

import itertools
from fractions import Fraction

from .random_variables import DiscreteRV, two_point
from .seller_utilities import PiecewiseLinearUtility, capped_linear, linear_utility

__all__ = [
    "small_utilities", "dsic_instances", "two_point_marginals", "t2_instances", "t2_seller_utilities",
    "t4_instances", "matrix_cells", "satiated_buyer", "theorem4_gap_instance", "theorem2_gap_instance",
]

F = Fraction


def small_utilities() -> tuple[PiecewiseLinearUtility, ...]:
    """Six concave piecewise-linear seller utilities (U(0) = 0), risk-neutral first."""
    return (
        linear_utility(),
        capped_linear(1),
        capped_linear(2),
        capped_linear(F(3, 2)),
        PiecewiseLinearUtility((F(1),), (F(1), F(1, 4)), name="t on [0,1], slope 1/4 after"),
        PiecewiseLinearUtility((F(1), F(2)), (F(2), F(1), F(0)), name="slopes 2,1,0 at 1,2"),
    )


def dsic_instances() -> list[tuple[str, tuple[DiscreteRV, ...]]]:
    """(name, value distributions of two buyers): the single-parameter instances of L4 and T1."""
    a = DiscreteRV.of({1: F(1, 2), 2: F(1, 2)})
    b = DiscreteRV.of({0: F(1, 2), 2: F(1, 2)})
    c = DiscreteRV.of({1: F(2, 3), 3: F(1, 3)})
    d = DiscreteRV.of({1: F(1, 2), 2: F(1, 4), 4: F(1, 4)})
    e = DiscreteRV.of({0: F(3, 4), 4: F(1, 4)})
    return [("{1,2}×{1,2}", (a, a)), ("{1,2}×{0,2}", (a, b)), ("{1,3}×{1,2,4}", (c, d)),
            ("{0,4}×{1,2,4}", (e, d)), ("{0,2}×{1,3}", (b, c))]


def two_point_marginals(n: int, values=(1, 2), probs=(F(1, 4), F(1, 2), F(3, 4))):
    """Every vector of n two-point variables (v w.p. p, else 0), v ∈ values, p ∈ probs, in
    lexicographic order of (values, probabilities)."""
    for vs in itertools.product(values, repeat=n):
        for ps in itertools.product(probs, repeat=n):
            yield tuple(two_point(v, p) for v, p in zip(vs, ps))


def t2_instances():
    """(name, value distributions, payments, buyer utilities): the BIC instances of Theorem 2."""
    loss_averse = PiecewiseLinearUtility((F(0),), (F(3), F(1)), name="slope 3 below 0, 1 above")
    concave = PiecewiseLinearUtility((F(0), F(1)), (F(3), F(1), F(1, 2)), name="slopes 3|1|1/2 at 0,1")
    a = DiscreteRV.of({1: F(1, 2), 2: F(1, 2)})
    b = DiscreteRV.of({0: F(1, 2), 2: F(1, 2)})
    c = DiscreteRV.of({1: F(2, 3), 3: F(1, 3)})
    return [
        ("{1,2}×{1,2}", (a, a), (0, 1, 2), (loss_averse, loss_averse)),
        ("{1,2}×{0,2}", (a, b), (0, 1, 2), (concave, loss_averse)),
        ("{1,3}×{1,2}", (c, a), (0, 1, 2, 3), (concave, concave)),
    ]


def t2_seller_utilities() -> tuple[PiecewiseLinearUtility, ...]:
    s = small_utilities()
    return (capped_linear(1), capped_linear(2), s[0], s[4])


def t4_instances():
    """(name, value distributions, payments, buyer utilities, k): risk-averse buyers of Theorem 4."""
    loss_averse = PiecewiseLinearUtility((F(0),), (F(2), F(1)), name="slope 2 below 0, 1 above")
    concave = PiecewiseLinearUtility((F(0), F(1)), (F(3), F(1), F(1, 2)), name="slopes 3|1|1/2 at 0,1")
    neutral = linear_utility()
    v12 = DiscreteRV.of({1: F(1, 2), 2: F(1, 2)})
    v02 = DiscreteRV.of({0: F(1, 3), 2: F(2, 3)})
    v13 = DiscreteRV.of({1: F(3, 4), 3: F(1, 4)})
    return [
        ("2 buyers, v∈{1,2}, loss-averse, k=1", (v12, v12), (0, 1, 2), (loss_averse, loss_averse), 1),
        ("2 buyers, v∈{1,2}/{0,2}, mixed, k=1", (v12, v02), (0, 1, 2), (concave, neutral), 1),
        ("2 buyers, v∈{1,3}/{1,2}, k=1", (v13, v12), (0, 1, 2, 3), (loss_averse, concave), 1),
        ("2 buyers, v∈{1,2}, loss-averse, k=2", (v12, v12), (0, 1, 2), (loss_averse, loss_averse), 2),
    ]


def matrix_cells() -> list[tuple[DiscreteRV, Fraction]]:
    """(value distribution, price) pairs for the cells of the 2×2 matrices of Lemma 20."""
    lo = DiscreteRV.of({1: F(1, 2), 2: F(1, 2)})
    hi = DiscreteRV.of({0: F(1, 4), 3: F(3, 4)})
    sure = DiscreteRV.of({2: F(1)})
    return [(lo, F(1)), (lo, F(2)), (hi, F(3)), (sure, F(2))]


def satiated_buyer(c=F(1, 10)) -> PiecewiseLinearUtility:
    """A buyer's utility min(t, c) for t ≥ 0 and slope 1 for t < 0 (risk-averse, satiated)."""
    return PiecewiseLinearUtility((F(0), c), (F(1), F(1), F(0)), name=f"min(t, {c}) (slope 1 for t < 0)")


def theorem4_gap_instance():
    """Two buyers, one unit, values {1,2,4,8} w.p. (1/2,1/4,1/8,1/8), buyers min(t, 1/10): (values,
    BIC payment grid, buyer utilities, k).  A risk-neutral seller."""
    d = DiscreteRV.of({1: F(1, 2), 2: F(1, 4), 4: F(1, 8), 8: F(1, 8)})
    c = F(1, 10)
    payments = tuple(sorted({F(0)} | {v - c for v in d.values}))
    return (d, d), payments, (satiated_buyer(c), satiated_buyer(c)), 1


def theorem2_gap_instance(ratio: int = 16, levels: int = 4):
    """Two buyers, one unit, values ratio^j with Pr[v ≥ ratio^j] = ratio^(−j), j ≤ levels; buyers
    min(t, 1/10); the BIC lottery "highest value wins (ties split), pays his value − 1/10, losers pay 0"
    (ex-post IR, no positive transfers).  Returns (values, buyer utilities, k, lottery)."""
    probs = {ratio ** j: F(1, ratio ** j) - F(1, ratio ** (j + 1)) for j in range(levels)}
    probs[ratio ** levels] = F(1, ratio ** levels)
    d = DiscreteRV.of(probs)
    c = F(1, 10)
    lottery = []
    for v1, _ in d.atoms:
        for v2, _ in d.atoms:
            if v1 > v2:
                items = ((((0,), (v1 - c, F(0))), F(1)),)
            elif v2 > v1:
                items = ((((1,), (F(0), v2 - c)), F(1)),)
            else:
                items = ((((0,), (v1 - c, F(0))), F(1, 2)), (((1,), (F(0), v2 - c)), F(1, 2)))
            lottery.append(((v1, v2), items))
    return (d, d), (satiated_buyer(c), satiated_buyer(c)), 1, tuple(lottery)
