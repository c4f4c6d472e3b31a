"""The BCK (paper 001) single-parameter model: k identical units, unit-demand buyers, exact inputs.

Values v_i ~ F_i are independent `DiscreteRV`s.  A buyer offered price p buys iff v_i ≥ p (weak
acceptance; the paper's "exceeds" is the same model with prices lowered by an infinitesimal).
Shared by `bck_posted_pricing` (DSIC side), `bck_bic` (BIC side) and `bck_matrix` (App. E).
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Sequence

from .errors import ModelError
from .exact import UsageError, as_rational
from .random_variables import DiscreteRV

__all__ = ["Offer", "check_units", "check_values", "check_offer", "sale_probability", "value_profiles",
           "exceeds", "lp_optimum"]

Offer = tuple[tuple[Fraction, Fraction], ...]   # ((price, probability), …); missing mass = no offer


def check_units(k) -> int:
    """k as a positive integer number of units (UsageError otherwise)."""
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise UsageError(f"k = {k!r} must be a positive integer number of units")
    return k


def check_values(value_dists: Sequence[DiscreteRV]) -> tuple[DiscreteRV, ...]:
    """The buyers' value distributions, validated (at least one buyer, each a DiscreteRV)."""
    value_dists = tuple(value_dists)
    if not value_dists:
        raise UsageError("need at least one buyer")
    for d in value_dists:
        if not isinstance(d, DiscreteRV):
            raise UsageError(f"a buyer's value distribution must be a DiscreteRV, got {d!r}")
    return value_dists


def sale_probability(value: DiscreteRV, price) -> Fraction:
    """Pr[v ≥ p] (= 1 − F(p⁻); the paper's 1 − F_i(p_j))."""
    return value.tail(price)


def check_offer(offer) -> Offer:
    """A price distribution ((price, probability), …): prices ≥ 0, probabilities ≥ 0 with total ≤ 1."""
    out = tuple((as_rational(p, "price"), as_rational(q, "offer probability")) for p, q in offer)
    if any(q < 0 for _, q in out) or sum((q for _, q in out), Fraction(0)) > 1:
        raise UsageError(f"offer probabilities must be non-negative with total ≤ 1, got {out}")
    if any(p < 0 for p, _ in out):
        raise UsageError(f"prices must be non-negative, got {out}")
    return out


def value_profiles(dists: Sequence[DiscreteRV]):
    """Every value profile (v_1, …, v_n) with its probability under independence, in support order."""
    for combo in itertools.product(*(d.atoms for d in dists)):
        p = Fraction(1)
        for _, q in combo:
            p *= q
        yield tuple(v for v, _ in combo), p


def exceeds(a, b, U=None) -> bool:
    """a > b for two utility values: Fractions directly; closed forms (sympy constants) by the
    utility's own certified comparison `U.exceeds` (symbolic/bck_utilities.py)."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a > b
    compare = getattr(U, "exceeds", None)
    if compare is None:
        raise ModelError(f"cannot compare the utility values {a} and {b} exactly: U gives no comparison")
    return bool(compare(a, b))


def lp_optimum(res, what: str):
    """The LP's optimal value and vertex, or ModelError when a program that must be feasible is not."""
    if res.status != "optimal":
        raise ModelError(f"{what} is {res.status}")
    return res
