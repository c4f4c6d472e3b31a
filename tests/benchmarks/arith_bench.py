"""Benchmark (not a test): exact rational arithmetic for the bounded engines — Fraction vs gmpy2.mpq vs
python-flint fmpq vs integers over a common denominator, on the operations CMZ-T4's threshold stage
does (utility lines v·x − p at δ-grid points, their differences and comparisons), with ratios.

Run: python tests/benchmarks/arith_bench.py [B]      (gmpy2 / python-flint are measured when installed)

Every route computes the same count of profitable deviations; the counts must agree (an inexact route
would show here first).
"""
import sys
import time
from fractions import Fraction

DELTAS = (Fraction(1, 10), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3))


def workload(B: int):
    """(value, allocation, payment) triples as CMZ-T4's stage builds them: values t ∈ K for δ-approximate
    K ⊆ [0, B], allocations 1/k, payments (1 − δ)/(1 + δ)·b."""
    out = []
    for d in DELTAS:
        shrink = (1 - d) / (1 + d)
        for b in range(B + 1):
            for k in (1, 2, 3):
                out.append((Fraction(b), Fraction(1, k), shrink * b / k))
    return out


def count_profitable(rows, make):
    """Σ over pairs of rows of [v·x₁ − p₁ < v·x₂ − p₂] with v taken from the first row."""
    conv = [(make(v), make(x), make(p)) for v, x, p in rows]
    n = 0
    for v, x1, p1 in conv:
        u1 = v * x1 - p1
        for _, x2, p2 in conv:
            if u1 < v * x2 - p2:
                n += 1
    return n


def count_integer(rows):
    """The same over integers: every number scaled by the common denominator L (exact)."""
    from math import lcm
    L = 1
    for v, x, p in rows:
        L = lcm(L, v.denominator, x.denominator, p.denominator)
    conv = [(v.numerator * (L // v.denominator), x.numerator * (L // x.denominator),
             p.numerator * (L // p.denominator)) for v, x, p in rows]
    n = 0
    for v, x1, p1 in conv:                     # (v·x − p·L)/L² compared by numerators
        u1 = v * x1 - p1 * L
        for _, x2, p2 in conv:
            if u1 < v * x2 - p2 * L:
                n += 1
    return n


def main() -> None:
    B = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rows = workload(B)
    routes = [("Fraction", lambda r: count_profitable(r, Fraction))]
    try:
        import gmpy2
        routes.append(("gmpy2.mpq", lambda r: count_profitable(r, lambda q: gmpy2.mpq(q.numerator, q.denominator))))
    except ImportError:
        print("gmpy2 not installed: skipped")
    try:
        import flint
        routes.append(("flint.fmpq", lambda r: count_profitable(r, lambda q: flint.fmpq(q.numerator, q.denominator))))
    except ImportError:
        print("python-flint not installed: skipped")
    routes.append(("int, common denominator", count_integer))
    print(f"{len(rows)} utility lines, {len(rows) ** 2} comparisons (B = {B}, δ ∈ {{1/10, 1/4, 1/3, 1/2, 2/3}})")
    base, counts = None, set()
    for name, fn in routes:
        t = time.perf_counter()
        n = fn(rows)
        secs = time.perf_counter() - t
        counts.add(n)
        base = base or secs
        print(f"{name:<26} {secs:7.3f} s   ×{base / secs:5.2f} vs Fraction   ({n} profitable)")
    print("all routes agree" if len(counts) == 1 else f"ROUTES DISAGREE: {sorted(counts)}")


if __name__ == "__main__":
    main()
