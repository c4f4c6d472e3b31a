"""Hunt claims on the built-in mechanisms, for the mutants of mechanisms/auctions.py and proofs/hunting.py
(run through the real CLI with `--module`). Two hold, two are refuted with minimal witnesses."""
from mechproof import first_price, hunt_claim, second_price, vcg_unit_demand

FIRST_PRICE_DSIC = hunt_claim("MUT-FIRST-PRICE-DSIC", first_price(), "dsic", players=(2, 3), B=4)          # refuted
VCG_DSIC = hunt_claim("MUT-VCG-DSIC", vcg_unit_demand(2), "dsic", players=(2, 3), B=4)                    # holds
SECOND_PRICE_IDENTITY = hunt_claim("MUT-SECOND-PRICE-IDENTITY", second_price(), "payment-identity",
                                   players=(2, 3), B=4)                                                   # holds

from mechproof import random_assignment  # noqa: E402

RANDOM_EFFICIENT = hunt_claim("MUT-RANDOM-EFFICIENT", random_assignment(), "efficient", players=(2, 3), B=4)  # refuted
