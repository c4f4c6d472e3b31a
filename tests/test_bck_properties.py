"""Hypothesis properties of the BCK models (random small instances, exact arithmetic)."""
from fractions import Fraction as F

from hypothesis import given, settings, strategies as st

from mechproof.mechanisms.random_variables import (
    DiscreteRV, expected_top_k_utility, mass_at_values, merge, split_evenly, utility_of_top_k,
)
from mechproof.mechanisms.seller_utilities import PiecewiseLinearUtility

quarters = st.integers(min_value=0, max_value=4).map(lambda j: F(j, 4))


@st.composite
def concave_utilities(draw):
    slopes = sorted(draw(st.lists(st.integers(0, 4), min_size=1, max_size=4)), reverse=True)
    knots = sorted(set(draw(st.lists(st.integers(1, 6), min_size=len(slopes) - 1, max_size=len(slopes) - 1))))
    slopes = slopes[: len(knots) + 1]
    return PiecewiseLinearUtility(tuple(F(b) for b in knots), tuple(F(s) for s in slopes))


@st.composite
def two_point_rvs(draw, max_mass=F(1)):
    v = draw(st.integers(1, 4))
    p = min(draw(quarters), max_mass)
    return DiscreteRV(((v, p), (0, 1 - p)))


@settings(max_examples=60, deadline=None)
@given(concave_utilities(), st.lists(st.integers(0, 4), min_size=3, max_size=3),
       st.lists(st.integers(0, 4), min_size=3, max_size=3), st.integers(1, 3))
def test_u_k_is_lattice_submodular_on_random_points(U, x, y, k):
    x, y = [F(a) for a in x], [F(b) for b in y]
    hi = [max(a, b) for a, b in zip(x, y)]
    lo = [min(a, b) for a, b in zip(x, y)]
    assert utility_of_top_k(U, hi, k) + utility_of_top_k(U, lo, k) <= utility_of_top_k(U, x, k) + utility_of_top_k(U, y, k)


@settings(max_examples=40, deadline=None)
@given(concave_utilities(), two_point_rvs(F(1, 2)), two_point_rvs(F(1, 2)), two_point_rvs(), st.integers(1, 2))
def test_merge_never_lowers_expected_u_k(U, x1, x2, other, k):
    y = merge(x1, x2)
    assert mass_at_values((y,)) == mass_at_values((x1, x2))
    assert expected_top_k_utility(U, (y, other), k) >= expected_top_k_utility(U, (x1, x2, other), k)


@settings(max_examples=30, deadline=None)
@given(concave_utilities(), two_point_rvs(), st.integers(1, 3))
def test_splitting_one_variable_keeps_one_minus_inv_e(U, x, pieces):
    """Lemma 7 on one variable: splitting X into independent pieces keeps ≥ (1 − 1/e)·E[U(X)]
    (it can lose: X = 1 w.p. 1/4, two pieces, U = min(t, 1) gives 15/64 < 1/4)."""
    import sympy as sp

    from mechproof import compare_exact

    parts = split_evenly(x, pieces)
    after, before = expected_top_k_utility(U, parts, pieces), expected_top_k_utility(U, (x,), 1)
    assert compare_exact(after, ">=", (1 - sp.exp(-1)) * before).holds is True
