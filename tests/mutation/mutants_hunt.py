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
    Mutant("hunt-identity-left-endpoint", "mechanisms/auctions.py", "area += (z1 - z0) * at((z0 + z1) / 2)",
           "area += (z1 - z0) * at(z0)", ALL, "wrong constant"),
    Mutant("symbolic-one-side-of-each-branch", "smt/symbolic_execution.py",
           "                ex.pending.append(tuple(self.decisions) + (False,))\n", "", ALL, "skipped case"),
    Mutant("symbolic-product-dropped", "smt/symbolic_execution.py", "return z3.simplify(factor * term)",
           "return z3.simplify(term)", ALL, "missing term"),
    Mutant("smt-dsic-weak", "proofs/symbolic_hunt.py",
           "form.utility(i, b[i], False) < form.utility(i, b[i], True))",
           "form.utility(i, b[i], False) <= form.utility(i, b[i], True))", ALL, "boundary"),
    Mutant("smt-minimal-skips-smallest-B", "proofs/symbolic_hunt.py", "            lo, hi = 0, top ",
           "            lo, hi = top, top ", ALL, "shrinker"),
    Mutant("smt-integer-grid-only", "proofs/symbolic_hunt.py", "for q in range(1, MAX_DENOMINATOR + 1):",
           "for q in range(1, 2):", ALL, "skipped case"),
    Mutant("smt-no-point-check", "proofs/symbolic_hunt.py", "        why = form.disagreement(auction)\n",
           "        why = ''\n", ALL, "certificate"),
    Mutant("auction-tie-highest-index", "mechanisms/auctions.py", "order = sorted(range(n), key=lambda i: (-bids[i], i))",
           "order = sorted(range(n), key=lambda i: (-bids[i], -i))", ALL, "tie rule"),
    Mutant("auction-vcg-price-index", "mechanisms/auctions.py", "price = _kth_highest(bids, units + 1)",
           "price = _kth_highest(bids, units)", ALL, "off-by-one"),
    Mutant("loglinear-order-reversed", "mechanisms/cmz_payments.py", "return exact_sign(self._combine(o, -1))",
           "return exact_sign(o._combine(self, -1))", ALL, "direction"),
    Mutant("myerson-integral-ignores-breakpoints", "mechanisms/auctions.py",
           "pieces = fit_inverse_pieces(breakpoints(i, bids), b, at)", "pieces = fit_inverse_pieces((), b, at)", ALL,
           "missing term"),
)
