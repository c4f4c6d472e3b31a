"""Your own mechanisms, hunted for counterexamples (docs/hunting.md).

    mechproof hunt examples/my_auctions.py:PAY_YOUR_BID --property dsic
    mechproof check --module examples/my_auctions.py       (the claims below: 5 hold, 5 are refuted)
"""
from fractions import Fraction

from mechproof import Auction, hunt_claim, myerson_payments, second_price


def highest_wins(bids):                            # ties to the lowest index
    top = max(range(len(bids)), key=lambda i: (bids[i], -i))
    return [1 if i == top else 0 for i in range(len(bids))]


def lowest_wins(bids):
    low = min(range(len(bids)), key=lambda i: (bids[i], i))
    return [1 if i == low else 0 for i in range(len(bids))]


def reserve_2(bids):                               # highest bid wins if it is at least 2
    return [x if b >= 2 else 0 for x, b in zip(highest_wins(bids), bids)]


def second_bid(bids):
    runner_up = sorted(bids)[-2]
    return [runner_up * x for x in highest_wins(bids)]


def second_bid_surcharged(bids):                  # a winning bid strictly between 5 and 6 pays 1/2 more
    return [(p + Fraction(1, 2) if 5 < b < 6 else p) for p, b in zip(second_bid(bids), bids)]


VICKREY = Auction("my Vickrey", highest_wins, second_bid)
SURCHARGE = Auction("Vickrey with a surcharge on (5, 6)", highest_wins, second_bid_surcharged)
PAY_YOUR_BID = Auction("my pay-your-bid", highest_wins, lambda b: [v * x for v, x in zip(b, highest_wins(b))])
RESERVE = myerson_payments("reserve 2", reserve_2)      # payments from Myerson's identity
LOWEST = Auction("lowest bid wins, free", lowest_wins, lambda b: [0] * len(b))

VICKREY_DSIC = hunt_claim("MY-VICKREY-DSIC", VICKREY, "dsic", players=(2, 3), B=6)              # holds
PAY_YOUR_BID_DSIC = hunt_claim("MY-PAY-YOUR-BID-DSIC", PAY_YOUR_BID, "dsic", players=(2, 3), B=6)  # refuted
RESERVE_MONOTONE = hunt_claim("MY-RESERVE-MONOTONE", RESERVE, "monotone", players=(2, 3), B=6)  # holds
LOWEST_MONOTONE = hunt_claim("MY-LOWEST-MONOTONE", LOWEST, "monotone", players=(2, 3), B=6)     # refuted
RESERVE_IDENTITY = hunt_claim("MY-RESERVE-PAYMENT-IDENTITY", RESERVE, "payment-identity", B=6)  # holds
PAY_YOUR_BID_IDENTITY = hunt_claim("MY-PAY-YOUR-BID-PAYMENT-IDENTITY", PAY_YOUR_BID, "payment-identity", B=6)  # refuted
SECOND_PRICE_UDED = hunt_claim("MY-SECOND-PRICE-UDED", second_price(tie="uniform"), "uded-in-K", B=4, delta="1/4")  # holds
VICKREY_UDED = hunt_claim("MY-VICKREY-UDED", VICKREY, "uded-in-K", B=4, delta="1/4")  # refuted: ties to the lowest index
# z3 over every rational bid profile, not a grid (the grid {0..6} misses the surcharge: no grid bid is in (5, 6))
VICKREY_DSIC_EVERYWHERE = hunt_claim("MY-VICKREY-DSIC-EVERYWHERE", VICKREY, "dsic", players=(2, 3), search="smt")  # holds
SURCHARGE_DSIC_EVERYWHERE = hunt_claim("MY-SURCHARGE-DSIC-EVERYWHERE", SURCHARGE, "dsic", players=(2, 3),
                                       search="smt")  # refuted at bids (0, 11/2)
