"""Hunt claims on the built-in mechanisms, for the mutants of mechanisms/auctions.py and proofs/hunting.py
(run through the real CLI with `--module`). Three hold; the others are refuted with minimal witnesses — the
last three by z3 over every rational profile (proofs/symbolic_hunt.py), one of them off the grid."""
from mechproof import first_price, hunt_claim, second_price, vcg_unit_demand

FIRST_PRICE_DSIC = hunt_claim("MUT-FIRST-PRICE-DSIC", first_price(), "dsic", players=(2, 3), B=4)          # refuted
VCG_DSIC = hunt_claim("MUT-VCG-DSIC", vcg_unit_demand(2), "dsic", players=(2, 3), B=4)                    # holds
SECOND_PRICE_IDENTITY = hunt_claim("MUT-SECOND-PRICE-IDENTITY", second_price(), "payment-identity",
                                   players=(2, 3), B=4)                                                   # holds

from mechproof import random_assignment  # noqa: E402

RANDOM_EFFICIENT = hunt_claim("MUT-RANDOM-EFFICIENT", random_assignment(), "efficient", players=(2, 3), B=4)  # refuted

from fractions import Fraction  # noqa: E402

from mechproof import Auction  # noqa: E402


def _highest(bids):
    top = max(range(len(bids)), key=lambda i: (bids[i], -i))
    return [1 if i == top else 0 for i in range(len(bids))]


def _surcharged(bids):       # second price, but a winning bid strictly inside (5, 6) pays 1/2 more
    second = sorted(bids)[-2]
    return [(second + (Fraction(1, 2) if 5 < b < 6 else 0)) * x for b, x in zip(bids, _highest(bids))]


FIRST_PRICE_DSIC_Z3 = hunt_claim("MUT-FIRST-PRICE-DSIC-Z3", first_price(), "dsic", players=(2, 3),
                                 search="smt")                                                     # refuted
VCG_DSIC_Z3 = hunt_claim("MUT-VCG-DSIC-Z3", vcg_unit_demand(2), "dsic", players=(2, 3), search="smt")  # holds
SURCHARGE_DSIC_Z3 = hunt_claim("MUT-SURCHARGE-DSIC-Z3", Auction("surcharge on (5, 6)", _highest, _surcharged), "dsic",
                               players=(2, 3), search="smt")                           # refuted at (0, 11/2)


def _pays_when_it_sees_fractions(bids):    # tells symbolic bids apart: the point check must notice
    if all(isinstance(b, Fraction) for b in bids):
        return [b * x for b, x in zip(bids, _highest(bids))]
    return [0] * len(bids)


TYPE_TEST_DSIC_Z3 = hunt_claim("MUT-TYPE-TEST-DSIC-Z3", Auction("type test", _highest, _pays_when_it_sees_fractions),
                               "dsic", players=(2,), search="smt")                   # unknown (reading disagrees)

from mechproof import f_delta_auction  # noqa: E402

F_DELTA_DSIC = hunt_claim("MUT-F-DELTA-DSIC", f_delta_auction(Fraction(1, 4)), "dsic", players=(2,), B=4)   # holds
F_DELTA_WELFARE = hunt_claim("MUT-F-DELTA-WELFARE", f_delta_auction(Fraction(1, 4)), "welfare-in-undominated",
                             B=4, delta="1/4", epsilon="17/25")                       # holds (17/25 attained)
