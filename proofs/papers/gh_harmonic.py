"""GH-L8: 1 + a + ∫₀¹ g/t dt + a·∫₀¹ g/t² dt = H_n + a·n, with g = 1 − (1−t)ⁿ − n t (1−t)ⁿ⁻¹.

Paper 002, Lemma 8.  Proved for every n ≥ 1 by a checked derivation (binomial tail, finite
sum/integral swap, Beta integrals, closed-form sums); exact polynomial integration for n ≤ 30 is a
cross-check.  Both replay a witness by sympy's integration of the left side at that n.
"""
from __future__ import annotations

from fractions import Fraction
from math import comb

import sympy as sp

from mechproof import (Claim, Evaluation, IntKey, Method, Part, Role, Schema, derivation_check, enumeration_check,
                       rational_points)
from mechproof.symbolic.derivation import (Algebra, BetaIntegral, BinomialTail, ByDerivation, Derivation, Evaluate,
                                           InSummand, Step, Substitute, SumIntegralSwap)

t = sp.Symbol("t", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)
a = sp.Symbol("a", real=True)

G = 1 - (1 - t) ** n - n * t * (1 - t) ** (n - 1)
LHS = 1 + a + sp.Integral(G / t, (t, 0, 1)) + a * sp.Integral(G / t ** 2, (t, 0, 1))
CLAIMED_RHS = sp.harmonic(n) + a * n


def integral_derivation(power: int, closed_form) -> Derivation:
    """∫₀¹ g/t^power dt = closed_form (power 1: H_n − 1; power 2: n − 1), step by step."""
    tail = sp.Sum(sp.binomial(n, k) * t ** k * (1 - t) ** (n - k), (k, 2, n))
    summand = {1: 1 / k, 2: n / (k * (k - 1))}[power]
    return Derivation(sp.Integral(G / t ** power, (t, 0, 1)), (
        Step(sp.Integral(tail / t ** power, (t, 0, 1)), Substitute(G, tail, BinomialTail(t, n, 2)),
             "g is the binomial tail Σ_{k≥2}"),
        Step(sp.Sum(sp.Integral(sp.binomial(n, k) * t ** (k - power) * (1 - t) ** (n - k), (t, 0, 1)), (k, 2, n)),
             SumIntegralSwap()),
        Step(sp.Sum(sp.binomial(n, k) * sp.gamma(k - power + 1) * sp.gamma(n - k + 1) / sp.gamma(n - power + 2),
                    (k, 2, n)), InSummand(BetaIntegral())),
        Step(sp.Sum(summand, (k, 2, n)), InSummand(Algebra()), "C(n,k)·B(k−p+1, n−k+1) simplified"),
        Step(closed_form, Evaluate()),
    ))


def lemma8_derivation() -> Derivation:
    i1 = sp.Integral(G / t, (t, 0, 1))
    i2 = sp.Integral(G / t ** 2, (t, 0, 1))
    e1 = 1 + a + (sp.harmonic(n) - 1) + a * i2
    e2 = 1 + a + (sp.harmonic(n) - 1) + a * (n - 1)
    return Derivation(LHS, (
        Step(e1, Substitute(i1, sp.harmonic(n) - 1, ByDerivation(integral_derivation(1, sp.harmonic(n) - 1)))),
        Step(e2, Substitute(i2, n - 1, ByDerivation(integral_derivation(2, n - 1)))),
        Step(sp.harmonic(n) + a * n, Algebra()),
    ))


def _poly_g(m: int) -> list[Fraction]:
    """Coefficients (in t) of g for n = m, exactly."""
    c = [Fraction(0)] * (m + 1)
    c[0] += 1
    for j in range(m + 1):                       # −(1−t)^m
        c[j] -= comb(m, j) * (-1) ** j
    for j in range(m):                           # −m t (1−t)^(m−1)
        c[j + 1] -= m * comb(m - 1, j) * (-1) ** j
    return c


def lemma8_lhs_exact(m: int) -> tuple[Fraction, Fraction]:
    """(constant, coefficient of a) of the left side for n = m, by exact polynomial integration."""
    c = _poly_g(m)
    if c[0] != 0 or (len(c) > 1 and c[1] != 0):
        raise ArithmeticError("g must vanish to second order at t = 0")
    i1 = sum((c[j] / j for j in range(1, len(c)) if c[j]), Fraction(0))          # ∫ t^(j−1) = 1/j
    i2 = sum((c[j] / (j - 1) for j in range(2, len(c)) if c[j]), Fraction(0))    # ∫ t^(j−2) = 1/(j−1)
    return 1 + i1, 1 + i2


def lhs_by_integration(m: int) -> sp.Expr:
    """The left side at n = m by sympy's integration of the polynomial integrands (a stays symbolic)."""
    g = sp.expand(sp.cancel(G.subs(n, m)))
    return sp.expand(1 + a + sp.integrate(sp.cancel(g / t), (t, 0, 1)) + a * sp.integrate(sp.cancel(g / t ** 2), (t, 0, 1)))


def _rhs_at(rhs, m: int) -> sp.Expr:
    return sp.expand(sp.sympify(rhs).subs(n, m).doit())


def direct_evaluation(rhs):
    """Both sides at an exact (n, a): the left by sympy integration, the right by substitution."""
    def recheck(point):
        m, av = int(point.get(n, 1)), sp.sympify(point.get(a, 1))
        return lhs_by_integration(m).subs(a, av), _rhs_at(rhs, m).subs(a, av)
    return recheck


def general_part(rhs=CLAIMED_RHS) -> Part:
    return Part("all n ≥ 1 (derivation)", method=Method.DERIVATION, role=Role.ROUTE,
                domain="every integer n ≥ 1 and every real a",
                check=derivation_check(lemma8_derivation, claimed_relation="=", claimed_end=rhs,
                                       points=rational_points({n: [1, 2, 3, 4], a: [0, 1, 2, -1]}),
                                       recheck=direct_evaluation(rhs)))


def exact_small_n_part(rhs=CLAIMED_RHS, n_max: int = 30) -> Part:
    """n = 1..n_max: the left side by exact Fraction integration of g's coefficients equals the right side
    as a polynomial in a; the replay integrates with sympy instead."""
    def holds(point, lhs_of=None):
        m = point["n"]
        if lhs_of is None:
            c0, c1 = lemma8_lhs_exact(m)
            lhs = sp.Rational(c0.numerator, c0.denominator) + a * sp.Rational(c1.numerator, c1.denominator)
        else:
            lhs = lhs_of(m)
        right = _rhs_at(rhs, m)
        return Evaluation.of(sp.expand(lhs - right) == 0, {"lhs": lhs, "rhs": right})

    return Part(f"n ≤ {n_max} exactly", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(IntKey("n_max", n_max, min=1, max=300, local=True, help="n = 1..n_max"),
                              text="n = 1..$n_max, a symbolic (an identity of polynomials in a)",
                              cases=lambda d: d["n_max"]),
                check=enumeration_check(lambda dom: ({"n": m} for m in range(1, dom["n_max"] + 1)), holds,
                                        replay=lambda p: holds(p, lhs_by_integration),
                                        summary="lhs = rhs as polynomials in a for all {cases} n"))


GH_L8 = Claim(
    id="GH-L8", title="1 + a + ∫g/t + a∫g/t² = H_n + a·n",
    statement="1 + a + ∫₀¹ (1−(1−t)ⁿ − nt(1−t)ⁿ⁻¹)/t dt + a·∫₀¹ (1−(1−t)ⁿ − nt(1−t)ⁿ⁻¹)/t² dt = H_n + a·n.",
    source="GH (002), Lemma 8",
    parts=(general_part(), exact_small_n_part()),
)
