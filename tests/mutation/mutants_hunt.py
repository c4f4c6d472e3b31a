"""Mutants of the hunting engine and the built-in mechanisms (tests/mutation/hunt_claims.py runs them)."""
from pathlib import Path

from .harness import Mutant

HUNTS = str(Path(__file__).with_name("hunt_claims.py"))
ALL = ("--module", HUNTS)

MUTANTS: tuple[Mutant, ...] = (
    Mutant("hunt-order-reversed", "proofs/hunting.py", "for ks in product(range(top + 1), repeat=n):",
           "for ks in reversed(list(product(range(top + 1), repeat=n))):", ALL, "shrinker"),
    Mutant("hunt-skips-shell-zero", "proofs/hunting.py", "for top in range(B + 1):", "for top in range(1, B + 1):",
           ALL, "skipped case"),
    Mutant("hunt-dsic-strict", "proofs/hunting.py", "Evaluation.of(truthful >= deviating,",
           "Evaluation.of(truthful > deviating,", ALL, "boundary"),
    Mutant("hunt-identity-left-endpoint", "proofs/hunting.py", "        z = (k + Fraction(1, 2)) * h\n",
           "        z = k * h\n", ALL, "wrong constant"),
    Mutant("auction-tie-highest-index", "mechanisms/auctions.py", "order = sorted(range(n), key=lambda i: (-bids[i], i))",
           "order = sorted(range(n), key=lambda i: (-bids[i], -i))", ALL, "tie rule"),
    Mutant("auction-vcg-price-index", "mechanisms/auctions.py", "price = _kth_highest(bids, units + 1)",
           "price = _kth_highest(bids, units)", ALL, "off-by-one"),
)
