"""Signs of univariate expressions on an interval, decided exactly.

`sign_on_interval(expr, x, lo, hi)` returns +1 / −1 when `expr` keeps one strict
sign on the open interval (lo, hi), 0 when it is identically zero there, and
None when undecided.  For rational functions it counts real roots of the
numerator and denominator exactly (Sturm sequences via sympy's `count_roots`);
otherwise it asks sympy's `solveset` for the zeros and certifies the sign at a
rational point with rigorous intervals.  Nothing is sampled with floats.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .intervals import certified_sign

__all__ = ["IntervalSign", "sign_on_interval", "roots_in_interval", "polynomial_sign_on_interval",
           "coefficients_nonnegative_on", "second_derivative_sign", "second_derivative_violation"]


@dataclass(frozen=True)
class IntervalSign:
    """The outcome: sign (None = undecided), how it was decided, and a point where it was evaluated."""

    sign: int | None
    how: str
    witness: object = None      # an exact point in (lo, hi) where the sign was observed
    roots: int | None = None    # number of real roots found in the closed interval (polynomials)

    def negative_point(self) -> Fraction | None:
        """The exact point in (lo, hi) where the expression was seen negative, as a Fraction, or None."""
        w = self.witness.get(-1) if isinstance(self.witness, dict) else (self.witness if self.sign == -1 else None)
        return None if w is None else Fraction(int(sp.numer(w)), int(sp.denom(w)))


def _rat(x) -> sp.Rational:
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    return sp.nsimplify(x) if not isinstance(x, sp.Basic) else x


def roots_in_interval(poly: sp.Poly, lo, hi) -> int:
    """Number of distinct real roots of `poly` in the closed interval [lo, hi] (exact)."""
    if poly.is_zero:
        raise ValueError("the zero polynomial has infinitely many roots")
    return int(sp.Poly(poly.as_expr(), poly.gen).sqf_part().count_roots(_rat(lo), _rat(hi)))


def polynomial_sign_on_interval(poly: sp.Poly, lo, hi) -> IntervalSign:
    """Sign of a polynomial on the open interval (lo, hi), exactly via root counting."""
    lo, hi = _rat(lo), _rat(hi)
    if poly.is_zero:
        return IntervalSign(0, "identically zero polynomial")
    sqf = sp.Poly(poly.as_expr(), poly.gen).sqf_part()
    inside = int(sqf.count_roots(lo, hi)) - int(sqf.eval(lo) == 0) - int(sqf.eval(hi) == 0)
    mid = (lo + hi) / 2
    if inside == 0:
        value = poly.eval(mid)
        return IntervalSign(1 if value > 0 else -1, "no real root in the open interval (Sturm count)",
                            witness=mid, roots=0)
    # a root inside: the sign may still be constant at even-multiplicity roots; find a sign change
    roots = [r for r in sp.Poly(poly.as_expr(), poly.gen).real_roots() if lo < r < hi]
    pts = sorted(set([lo] + roots + [hi]), key=lambda r: sp.N(r, 50))
    signs = set()
    witness = {}
    for a, b in zip(pts, pts[1:]):
        probe = sp.nsimplify((sp.N(a, 60) + sp.N(b, 60)) / 2, rational=True)
        if not (lo < probe < hi):
            continue
        s = poly.eval(probe)
        if s != 0:
            sg = 1 if s > 0 else -1
            signs.add(sg)
            witness.setdefault(sg, probe)
    if len(signs) == 1:
        sg = signs.pop()
        return IntervalSign(sg, f"{inside} root(s) inside, all of even multiplicity (sign {sg:+d} elsewhere)",
                            witness=witness[sg], roots=inside)
    return IntervalSign(None, f"sign changes inside the interval ({inside} real root(s))",
                        witness=witness, roots=inside)


def _bernstein(coeffs, lo: Fraction, hi: Fraction) -> list[Fraction]:
    """Bernstein coefficients on [lo, hi] of Σ coeffs[i]·x^i (exact): p ≥ their least on [lo, hi]."""
    from math import comb
    d = len(coeffs) - 1
    w = hi - lo
    # p(lo + w·t) = Σ a_j t^j
    a = [sum(Fraction(comb(i, j)) * coeffs[i] * lo ** (i - j) for i in range(j, d + 1)) * w ** j for j in range(d + 1)]
    return [sum(Fraction(comb(k, j), comb(d, j)) * a[j] for j in range(k + 1)) for k in range(d + 1)]


def coefficients_nonnegative_on(coeffs, lo, hi) -> IntervalSign:
    """Is the polynomial Σ coeffs[i]·x^i (exact rationals) ≥ 0 on the open interval (lo, hi)?

    sign +1: it is ≥ 0 there (> 0 except at finitely many points, or identically 0 → sign 0);
    sign −1: it is negative at the rational `witness` in (lo, hi); None: undecided.  First the
    Bernstein coefficients on [lo, hi] (all ≥ 0 proves it), else `polynomial_sign_on_interval`
    (Sturm counting), which also finds the negative point."""
    coeffs = [Fraction(c) for c in coeffs]
    lo, hi = Fraction(lo), Fraction(hi)
    if not lo < hi:
        raise ValueError(f"empty interval ({lo}, {hi})")
    while coeffs and coeffs[-1] == 0:
        coeffs.pop()
    if not coeffs:
        return IntervalSign(0, "identically zero polynomial")
    b = _bernstein(coeffs, lo, hi)
    if min(b) >= 0:
        return IntervalSign(1, "Bernstein coefficients on the closed interval all ≥ 0", witness=(lo + hi) / 2)
    x = sp.Symbol("x")
    out = polynomial_sign_on_interval(sp.Poly([sp.Rational(c.numerator, c.denominator) for c in reversed(coeffs)],
                                              x), lo, hi)
    neg = out.negative_point()
    return out if neg is None else IntervalSign(-1, out.how, witness=neg, roots=out.roots)


def sign_on_interval(expr, x: sp.Symbol, lo, hi) -> IntervalSign:
    """Sign of `expr` (in the one variable x) on (lo, hi); see the module docstring."""
    expr = sp.sympify(expr)
    lo, hi = _rat(lo), _rat(hi)
    if not lo < hi:
        raise ValueError(f"empty interval ({lo}, {hi})")
    simplified = sp.cancel(sp.together(expr))
    if simplified == 0:
        return IntervalSign(0, "identically zero (sympy cancel)")
    if simplified.is_rational_function(x):
        num, den = sp.fraction(simplified)
        pn, pd = sp.Poly(num, x), sp.Poly(den, x)
        sn = polynomial_sign_on_interval(pn, lo, hi)
        sd = polynomial_sign_on_interval(pd, lo, hi)
        if sn.sign is not None and sd.sign not in (None, 0):
            return IntervalSign(sn.sign * sd.sign, f"rational function: numerator {sn.how}; denominator {sd.how}",
                                witness=sn.witness)
        if sn.sign is None and sd.sign not in (None, 0):
            return IntervalSign(None, "numerator changes sign: " + sn.how, witness=sn.witness)
        return IntervalSign(None, "denominator vanishes inside the interval")
    try:
        domain = sp.calculus.util.continuous_domain(simplified, x, sp.Interval.open(lo, hi))
        if domain != sp.Interval.open(lo, hi):
            return IntervalSign(None, f"not continuous on the whole interval (continuous on {domain})")
        zeros = sp.solveset(simplified, x, sp.Interval.open(lo, hi))
    except Exception as exc:  # sympy may not solve transcendental equations
        return IntervalSign(None, f"sympy solveset failed: {type(exc).__name__}")
    if zeros == sp.S.EmptySet:
        mid = (lo + hi) / 2
        sg = certified_sign(simplified.subs(x, mid))
        if sg in (1, -1):
            return IntervalSign(sg, "sympy solveset: no zero in the open interval; sign certified at the midpoint",
                                witness=mid)
        return IntervalSign(None, "no zero found but the sign at the midpoint is undecided")
    return IntervalSign(None, f"zeros inside or undecided: {zeros}")


def _rational_second_derivative(f, x: sp.Symbol):
    """f'' for a rational function f = P/Q, by the quotient rule on polynomials (exact):
    f'' = ((P''Q − PQ'')Q − 2Q'(P'Q − PQ'))/Q³, reduced by the gcd — the same rational function
    as cancel(together(diff(f, x, 2))), without expanding sympy's derivative tree."""
    num, den = sp.fraction(sp.cancel(sp.together(f)))
    P, Q = sp.Poly(num, x), sp.Poly(den, x)
    P1, Q1 = P.diff(x), Q.diff(x)
    N = (P.diff((x, 2)) * Q - P * Q.diff((x, 2))) * Q - 2 * Q1 * (P1 * Q - P * Q1)
    D = Q ** 3
    g = N.gcd(D)
    return N.exquo(g).as_expr() / D.exquo(g).as_expr()


def second_derivative_sign(f, x: sp.Symbol, lo=0, hi=1) -> IntervalSign:
    """Sign of f'' on (lo, hi) (GH-L7: +1 convex, −1 concave), by `sign_on_interval`."""
    f = sp.sympify(f)
    if f.is_rational_function(x):
        return sign_on_interval(_rational_second_derivative(f, x), x, lo, hi)
    return sign_on_interval(sp.cancel(sp.together(sp.diff(f, x, 2))), x, lo, hi)


def second_derivative_violation(f, x: sp.Symbol, want: int, lo=0, hi=1, max_den: int = 16):
    """(q, f''(q)) at the simplest rational q in (lo, hi) where f'' has the sign −want (certified), or None:
    the plain evaluation that confirms 'f is not convex' (want = +1) or 'not concave' (want = −1)."""
    d2 = sp.diff(sp.sympify(f), x, 2)
    lo, hi = _rat(lo), _rat(hi)
    seen = set()
    for den in range(2, max_den + 1):
        for num in range(1, den):
            p = lo + (hi - lo) * sp.Rational(num, den)
            if p in seen:
                continue
            seen.add(p)
            value = sp.simplify(d2.subs(x, p))
            if certified_sign(value) == -want:
                return p, value
    return None
