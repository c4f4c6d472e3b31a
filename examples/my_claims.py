"""Your own claims, checked by mechproof exactly like the built-in ones.

    mechproof check --module examples/my_claims.py
"""
from fractions import Fraction

import sympy as sp

from mechproof import Claim, Part, Witness, refuted, verified
from mechproof.checks import identity_check, rational_points

delta = sp.Symbol("delta", positive=True)
n = sp.Symbol("n", integer=True, positive=True)

# 1. A closed-form identity: proved by sympy for every δ and n, or refuted at an exact point.
RATIO = Claim(
    id="MY-RATIO",
    title="Theorem 4's bound over second price's is 1 + D/n",
    statement="((1−δ)²+4δ/n)/(1+δ)² ÷ ((1−δ)/(1+δ))² = 1 + 4δ/(n(1−δ)²)",
    source="my notes, eq. (3)",
    parts=(Part("identity", method="sympy identity", domain="all δ ∈ (0,1), n ≥ 1",
                check=identity_check(((1 - delta)**2 + 4*delta/n) / (1 - delta)**2,
                                     1 + 4*delta / (n * (1 - delta)**2),
                                     points=rational_points({delta: (0, 1), n: [1, 2, 3]}))),),
)


# 2. A bounded check of your own: exhaustive over a finite domain, exact arithmetic.
def second_price_revenue_at_most_top_bid(ctx):
    top = ctx.bound("B", 12)                      # `--bound B=20` widens the domain
    for a in range(top + 1):
        for b in range(top + 1):
            price = Fraction(min(a, b))               # second price for two bidders
            if price > max(a, b):
                w = Witness.of({"bids": (a, b)}, {"price": price}, "plain evaluation")
                return refuted("exhaustive enumeration", f"bids in {{0..{top}}}²", "price above top bid", w)
    return verified("exhaustive enumeration", f"bids in {{0..{top}}}²", f"{(top + 1) ** 2} profiles checked")


REVENUE = Claim(
    id="MY-REVENUE",
    title="Second price never charges more than the top bid",
    statement="For two bidders, the second-price payment is at most the highest bid.",
    source="folklore",
    parts=(Part("two bidders", method="exhaustive enumeration", domain="bids in {0..B}², B = 12",
                check=second_price_revenue_at_most_top_bid),),
)
