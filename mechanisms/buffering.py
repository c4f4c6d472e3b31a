"""The ε-buffering rule (GH paper 002, Definition 4; Hartline–Taggart 2019) and Theorem 6's quantities.

* `epsilon_buffered_quantile`: the quantile map [0, ε] → 0, [ε, 1−ε] → (q−ε)/(1−2ε), [1−ε, 1] → 1;
* the interim allocation rules of the surplus-optimal k-select rule and of its ε-buffering, IID
  agents, as sympy expressions in the quantile q (and ε, which may be a symbol or a rational);
* `buffered_surplus`, `optimal_surplus`, `buffering_factor`: both sides of Theorem 6
  (GH-T6) for an inverse demand v(q) given as a sympy expression in `Q`;
* the points of GH-T6's parts (small n first, then k, then the inverse demand, then ε ascending).

Ties at buffered quantile 0 (and 1) are split uniformly at random: the paper does not say, and any
tie rule gives the buffered rule a constant allocation on [0, ε].
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Iterator, Mapping

import sympy as sp

from .exact import UsageError, as_rational

__all__ = [
    "Q", "EPS", "INVERSE_DEMANDS", "epsilon_buffered_quantile", "optimal_interim_allocation_k_select",
    "buffered_interim_allocation_k_select", "buffered_surplus", "optimal_surplus", "buffering_factor",
    "buffering_gap", "theorem6_as_printed", "size_pairs", "as_printed_points", "as_printed_cases", "reading_points",
]

Q = sp.Symbol("q", nonnegative=True)
EPS = sp.Symbol("epsilon", positive=True)

# inverse demands v(q) on [0, 1], each with v(1) = 0 (polynomial, so every integral is exact)
INVERSE_DEMANDS: dict[str, sp.Expr] = {
    "1-q": 1 - Q, "(1-q)^2": (1 - Q) ** 2, "1-q^2": 1 - Q ** 2, "(1-q)^3": (1 - Q) ** 3, "2-q-q^2": 2 - Q - Q ** 2,
}


def epsilon_buffered_quantile(q: object, eps: object, bottom_deflate: bool = True) -> Fraction:
    """Definition 4: [0,ε] → 0, [ε,1−ε] → (q−ε)/(1−2ε), [1−ε,1] → 1 (without bottom deflate: (q−ε)/(1−ε))."""
    q, e = as_rational(q, "q"), as_rational(eps, "ε")
    if not 0 <= q <= 1:
        raise UsageError(f"q = {q} is outside [0, 1]")
    if not 0 < e < Fraction(1, 2):
        raise UsageError(f"ε = {e} must lie in (0, 1/2): for ε ≥ 1/2 the middle branch [ε, 1 − ε] is empty")
    if q <= e:
        return Fraction(0)
    if bottom_deflate:
        return Fraction(1) if q >= 1 - e else (q - e) / (1 - 2 * e)
    return (q - e) / (1 - e)


def _binom_pmf(n, p, j):
    return sp.binomial(n, j) * p ** j * (1 - p) ** (n - j)


def _check_sizes(n: object, k: object) -> None:
    if not (isinstance(n, int) and isinstance(k, int) and not isinstance(n, bool) and 1 <= k <= n):
        raise UsageError(f"need integers 1 ≤ k ≤ n, got n={n!r}, k={k!r}")


def optimal_interim_allocation_k_select(n: int, k: int, q=Q) -> sp.Expr:
    """Interim allocation of the surplus-optimal rule (the k lowest quantiles win), IID: Pr[Bin(n−1, q) < k]."""
    _check_sizes(n, k)
    return sp.expand(sum(_binom_pmf(n - 1, q, j) for j in range(k)))


def buffered_interim_allocation_k_select(n: int, k: int, eps, q=Q, bottom_deflate: bool = True) -> list:
    """GH-T6: interim allocation of the ε-buffered surplus-optimal k-select rule, IID agents, as pieces
    [(lo, hi, expr in q and ε)].  Ties at buffered quantile 0 (and 1) are split uniformly."""
    _check_sizes(n, k)
    # top region: T ~ Bin(n−1, ε) others tie at 0; win w.p. min(1, k/(1+T))
    top = sp.expand(sum(_binom_pmf(n - 1, eps, t) * (1 if 1 + t <= k else sp.Rational(k, 1 + t)) for t in range(n)))
    middle = sp.expand(sum(_binom_pmf(n - 1, q, j) for j in range(k)))
    if not bottom_deflate:
        return [(0, eps, top), (eps, 1, middle)]
    # bottom region: B ~ Bin(n−1, 1−ε) others strictly better; the rest tie at 1
    bottom = sp.expand(sum(_binom_pmf(n - 1, 1 - eps, b) * sp.Rational(k - b, n - b) for b in range(min(k, n))))
    return [(0, eps, top), (eps, 1 - eps, middle), (1 - eps, 1, bottom)]


def _integrate_q(expr: sp.Expr, lo, hi) -> sp.Expr:
    """∫_lo^hi expr dq, exactly: a polynomial in q by its antiderivative (sympy's Poly, coefficients
    in ε allowed), evaluated at the limits; anything else by sympy's integrate."""
    if expr.is_polynomial(Q):
        F = sp.Poly(expr, Q).integrate().as_expr()
        return F.subs(Q, hi) - F.subs(Q, lo)
    return sp.integrate(expr, (Q, lo, hi))


def buffered_surplus(n: int, k: int, v: sp.Expr, eps, bottom_deflate: bool = True) -> sp.Expr:
    """surplus(M) = n·∫₀¹ y'(q) v(q) dq for the ε-buffered rule M (ε a symbol or an exact rational)."""
    pieces = buffered_interim_allocation_k_select(n, k, eps, Q, bottom_deflate)
    return sp.expand(n * sum(_integrate_q(sp.expand(y * v), lo, hi) for lo, hi, y in pieces))


def optimal_surplus(n: int, k: int, v: sp.Expr) -> sp.Expr:
    """OPT^V = n·∫₀¹ y(q) v(q) dq for the surplus-optimal k-select rule, IID agents."""
    return n * _integrate_q(sp.expand(optimal_interim_allocation_k_select(n, k, Q) * v), 0, 1)


def buffering_factor(n, eps):
    """Theorem 6's printed factor (1 − ε/(1−ε))(1 − ε)(1 − 2nε): OPT^V ≤ surplus(M)/factor."""
    return (1 - eps / (1 - eps)) * (1 - eps) * (1 - 2 * n * eps)


def buffering_gap(n: int, k: int, v: sp.Expr, factor: Callable = buffering_factor) -> sp.Expr:
    """surplus(M) − factor(n, ε)·OPT^V as a rational function of the symbol ε (IID k-select)."""
    return sp.together(buffered_surplus(n, k, v, EPS) - factor(n, EPS) * optimal_surplus(n, k, v))


def theorem6_as_printed(point: Mapping[str, Any], factor: Callable = buffering_factor) -> tuple[bool | None, dict]:
    """Theorem 6 exactly as printed at one rational ε: OPT^V ≤ surplus(M) / factor(n, ε).

    Both sides are computed at the given ε (no symbolic ε), from the buffered rule's pieces.
    """
    n, k, v = point["n"], point["k"], INVERSE_DEMANDS[point["v"]]
    e = sp.Rational(point["epsilon"].numerator, point["epsilon"].denominator)
    surplus_m, opt = buffered_surplus(n, k, v, e), optimal_surplus(n, k, v)
    f = sp.sympify(factor(n, e))
    if f == 0:
        return None, {"factor": f}          # the printed bound divides by zero: not a point of the claim
    rhs = surplus_m / f
    return bool(opt <= rhs), {"OPT_V": opt, "surplus_M": surplus_m, "factor": f, "surplus_M/factor": rhs}


def size_pairs(ns, ks) -> list[tuple[int, int]]:
    """(n, k) with k ≤ n, n ascending then k."""
    return [(n, k) for n in sorted(ns) for k in sorted(ks) if k <= n]


def as_printed_points(domain) -> Iterator[dict]:
    """(n, k, v, ε) with ε in the grid, ε ≠ 1/(2n) (the printed bound divides by zero there).

    Order: n, then k, then the inverse demand, then ε ascending (the first violation is the minimal one).
    """
    for n, k in size_pairs(domain["n"], domain["k"]):
        for name in INVERSE_DEMANDS:
            for e in domain["epsilon"]:
                if e != Fraction(1, 2 * n):
                    yield {"n": n, "k": k, "v": name, "epsilon": e}


def as_printed_cases(domain) -> int:
    pairs = size_pairs(domain["n"], domain["k"])
    return sum(len(INVERSE_DEMANDS) * sum(1 for e in domain["epsilon"] if e != Fraction(1, 2 * n)) for n, _ in pairs)


def reading_points(domain) -> Iterator[dict]:
    """(n, k, v) in the order n, k, inverse demand; each decided for every real ε ∈ (0, 1/(2n))."""
    for n, k in size_pairs(domain["n"], domain["k"]):
        for name in INVERSE_DEMANDS:
            yield {"n": n, "k": k, "v": name}
