"""Your own claims, checked by mechproof exactly like the built-in ones.

    mechproof check --module examples/my_claims.py
    mechproof check --module examples/my_claims.py --bound MY-REVENUE.B=40
"""
from fractions import Fraction

import sympy as sp

from mechproof import (Claim, Evaluation, IntKey, Method, Part, Schema, enumeration_check, identity_check,
                       rational_points)

delta = sp.Symbol("delta", positive=True)
n = sp.Symbol("n", integer=True, positive=True)

# 1. A closed-form identity: proved by sympy for every δ and n, or refuted at an exact point.
RATIO = Claim(
    id="MY-RATIO",
    title="Theorem 4's bound over second price's is 1 + D/n",
    statement="((1−δ)²+4δ/n)/(1+δ)² ÷ ((1−δ)/(1+δ))² = 1 + 4δ/(n(1−δ)²)",
    source="my notes, eq. (3)",
    parts=(Part("identity", method=Method.IDENTITY, domain="all δ ∈ (0, 1), n ≥ 1",
                check=identity_check(((1 - delta)**2 + 4*delta/n) / (1 - delta)**2,
                                     1 + 4*delta / (n * (1 - delta)**2),
                                     points=rational_points({delta: (0, 1), n: [1, 2, 3]}))),),
)


# 2. A bounded claim: the engine enumerates the typed domain, counts it and replays any witness.
def bid_profiles(domain):
    """Every pair of bids in {0..B}², by increasing top bid (so a counterexample found is minimal)."""
    for top in range(domain["B"] + 1):
        for a in range(top + 1):
            for b in range(top + 1):
                if max(a, b) == top:
                    yield {"bids": (a, b)}


def price_at_most_top_bid(point):
    """Plain evaluation: the second-price payment of two bidders against the highest bid."""
    a, b = point["bids"]
    price = Fraction(min(a, b))
    return Evaluation.of(price <= max(a, b), {"price": price, "top bid": max(a, b)})


REVENUE = Claim(
    id="MY-REVENUE",
    title="Second price never charges more than the top bid",
    statement="For two bidders, the second-price payment is at most the highest bid.",
    source="folklore",
    parts=(Part("two bidders", method=Method.ENUMERATION,
                domain=Schema(IntKey("B", 12, min=0, local=True, help="bids in {0..B}"),
                              text="bids in {0..$B}²", cases=lambda d: (d["B"] + 1) ** 2),
                check=enumeration_check(bid_profiles, price_at_most_top_bid,
                                        summary="price ≤ top bid at all {cases} bid profiles")),),
)
