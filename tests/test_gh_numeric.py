"""GH certified numerics: Fig. 1 over [1, ∞) and Lemma 4; planted constants are refuted."""
import sympy as sp

from mechproof.context import CheckContext
from mechproof.papers import gh_numeric as g
from mechproof.verdicts import Status


def ctx():
    return CheckContext.start(budget=60)


def test_fig1_true_constants_certified():
    assert g.fig1_upper_ratio_check(ctx(), sp.Rational(227, 100)).status is Status.CERTIFIED
    assert g.fig1_lower_ratio_check(ctx(), sp.Rational(136, 100)).status is Status.CERTIFIED


def test_fig1_planted_22_refuted():
    """Planted: 2.2 in place of 2.27 (the true maximum is ≈ 2.26525 near x ≈ 2.13)."""
    v = g.fig1_upper_ratio_check(ctx(), sp.Rational(22, 10))
    assert v.status is Status.REFUTED
    y = sp.Rational(dict(v.witness.assignment)["y = ln(n/k)"])
    assert 0 < y < 4
    # re-check the witness independently: exact closed form at the point, certified
    from mechproof.symbolic.intervals import certified_sign
    assert certified_sign(g.fig1a_sym(y) - sp.Rational(22, 10)) == 1


def test_fig1_planted_lower_refuted():
    """Planted: 1.38 in place of 1.36 (true minimum ≈ 1.37777)."""
    assert g.fig1_lower_ratio_check(ctx(), sp.Rational(138, 100)).status is Status.REFUTED


def test_l4_true_and_planted_constant():
    assert g.harmonic_lower_bound_check(sp.Rational(577, 1000))(ctx()).status is Status.PROVED
    v = g.harmonic_lower_bound_check(sp.Rational(58, 100))(ctx())   # planted: 0.58 > γ
    assert v.status is Status.REFUTED
    m = int(dict(v.witness.assignment)["m"])
    from fractions import Fraction
    import mpmath
    H = sum(Fraction(1, i) for i in range(1, m + 1))
    assert mpmath.mpf(H.numerator) / H.denominator - mpmath.log(m) < mpmath.mpf("0.58")
