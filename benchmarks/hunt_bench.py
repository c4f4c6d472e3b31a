"""Benchmark (not a test): `hunt`'s DSIC search against a plain-definition enumerator, and sharding.

For second price (a true property: every point is visited) at n = 2, 3 and growing B it prints the
time of the hunting engine (memoised outcomes, the kernel's counting and replay), of a plain
enumerator written here for the comparison (direct loops, every (profile, player, deviation),
each outcome recomputed), and of the engine sharded over 2 processes, with the ratios and the
growth exponent in B. Then z3 over every rational profile (proofs/symbolic_hunt.py) against the
grid searches: one z3 run covers what no grid does, and its time is independent of B, so the table
gives the grid size B at which the grid search costs as much as z3. Run:
python benchmarks/hunt_bench.py [Bmax]
"""
import math
import sys
import time
from fractions import Fraction
from itertools import product

from mechproof import hunt_part, second_price
from mechproof.mechanisms.auctions import outcome
from mechproof.runner import run_part_inline
from mechproof.symbolic_hunt import smt_hunt_part


def engine(n: int, B: int, shards: int = 1) -> tuple[float, int]:
    part = hunt_part(second_price(), "dsic", (n,), B)
    t = time.perf_counter()
    v = run_part_inline(part, 3600, domain=part.domain.resolve({}), shards=shards)
    assert v.status.value == "verified", v.summary
    return time.perf_counter() - t, v.cases


def plain(n: int, B: int) -> float:
    a = second_price()
    t = time.perf_counter()
    for ks in product(range(B + 1), repeat=n):
        bids = tuple(Fraction(k) for k in ks)
        for i in range(n):
            for d in range(B + 1):
                if d == ks[i]:
                    continue
                x, p = outcome(a, bids)
                dev = bids[:i] + (Fraction(d),) + bids[i + 1:]
                x2, p2 = outcome(a, dev)
                assert bids[i] * x[i] - p[i] >= bids[i] * x2[i] - p2[i]
    return time.perf_counter() - t


def z3_everywhere(n: int) -> tuple[float, str]:
    part = smt_hunt_part(second_price(), "dsic", players=(n,))
    t = time.perf_counter()
    v = run_part_inline(part, 3600, domain=part.domain.resolve({}))
    assert v.status.value == "verified", v.summary
    return time.perf_counter() - t, v.summary.rsplit("(", 1)[-1].rstrip(")")


def main() -> None:
    bmax = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    print(f"{'n':>2} {'B':>3} {'points':>9} {'engine s':>9} {'plain s':>8} {'plain/engine':>12} "
          f"{'2 shards s':>10} {'speedup':>7} {'growth':>7}")
    for n in (2, 3):
        prev = None
        for B in [b for b in (4, 8, 12, 16, 24, 32) if b <= (bmax if n == 3 else 2 * bmax)]:
            e, cases = engine(n, B)
            p = plain(n, B)
            s, _ = engine(n, B, shards=2)
            growth = f"{math.log(e / prev[0]) / math.log(B / prev[1]):7.2f}" if prev else f"{'—':>7}"
            print(f"{n:>2} {B:>3} {cases:>9} {e:>9.2f} {p:>8.2f} {p / e:>12.1f} {s:>10.2f} {e / s:>7.2f} {growth}")
            prev = (e, B)
    print()
    print(f"{'n':>2} {'z3, every rational profile s':>29} {'grid B=8 s':>10} {'z3/grid':>7}  pieces")
    for n in (2, 3, 4):
        z, pieces = z3_everywhere(n)
        g, _ = engine(n, 8) if n < 4 else (float("nan"), 0)
        print(f"{n:>2} {z:>29.2f} {g:>10.2f} {z / g:>7.2f}  {pieces}")


if __name__ == "__main__":
    main()
