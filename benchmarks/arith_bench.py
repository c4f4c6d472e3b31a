"""Benchmark (not a test): exact rational arithmetic for the bounded engines — Fraction vs gmpy2.mpq vs
python-flint fmpq vs integers over a common denominator, on the operations CMZ-T4's threshold stage
does (utility lines v·x − p at δ-grid points, their differences and comparisons), with ratios.

Run: python benchmarks/arith_bench.py [B]      (gmpy2 / python-flint are measured when installed)

Every route computes the same count of profitable deviations; the counts must agree (an inexact route
would show here first).

Second part, for the certified numeric claims: mpmath.iv (what symbolic/intervals uses) vs
python-flint's arb on certified signs of g(x) = 1 − e^(−x)(1 + x) − x²/3 at 2000 rational x — the
kind of enclosure GH's Figure 1 needs. An arb comparison that cannot be decided is False both ways,
so each sign is read from both sides (x > 0 is True, or x < 0 is True) and the precision doubled
otherwise; never `not (x < y)`.
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
    intervals_part()


XS = [Fraction(k, 1000) for k in range(1, 2001)]


def sign_iv(x: Fraction) -> int:
    from mpmath import iv
    prec = 64
    while True:
        iv.prec = prec
        a = iv.mpf(x.numerator) / x.denominator
        g = 1 - iv.exp(-a) * (1 + a) - a * a / 3
        if g.a > 0:
            return 1
        if g.b < 0:
            return -1
        prec *= 2


def sign_arb(x: Fraction) -> int:
    import flint
    prec = 64
    while True:
        flint.ctx.prec = prec
        a = flint.arb(x.numerator) / x.denominator
        g = 1 - (-a).exp() * (1 + a) - a * a / 3
        if g > 0:                       # True only when the whole ball is positive
            return 1
        if g < 0:
            return -1
        prec *= 2                       # undecided both ways: refine, never `not (g < 0)`


def intervals_part() -> None:
    routes = [("mpmath.iv", sign_iv)]
    try:
        import flint  # noqa: F401
        routes.append(("flint.arb", sign_arb))
    except ImportError:
        print("python-flint not installed: arb skipped")
    print(f"certified signs of 1 − e^(−x)(1 + x) − x²/3 at {len(XS)} rational x")
    base, answers = None, set()
    for name, fn in routes:
        t = time.perf_counter()
        signs = tuple(fn(x) for x in XS)
        secs = time.perf_counter() - t
        answers.add(signs)
        base = base or secs
        print(f"{name:<26} {secs:7.3f} s   ×{base / secs:5.2f} vs mpmath.iv   ({signs.count(1)} positive)")
    print("all routes agree" if len(answers) == 1 else "ROUTES DISAGREE")


if __name__ == "__main__":
    main()
