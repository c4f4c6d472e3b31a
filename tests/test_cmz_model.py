"""Bounded CMZ model: δ-intervals, D(δ), bounds, input validation."""
from fractions import Fraction as F

import pytest

from mechproof.mechanisms.cmz_model import (ApproxValuation, BoundedDomain, D_of_delta, approx_intervals,
                                            delta_intervals, delta_profiles, is_delta_interval, sorted_profiles,
                                            welfare_bound_f_delta, welfare_bound_second_price)
from mechproof.mechanisms.exact import UsageError


def test_D_closed_form():
    for d in (F(1, 10), F(1, 4), F(1, 2), F(2, 3)):
        assert D_of_delta(d) == 4 * d / (1 - d) ** 2
        n = 3
        assert welfare_bound_f_delta(d, n) == (n + D_of_delta(d)) / (n * (1 + D_of_delta(d)))
    assert welfare_bound_second_price(F(1, 2)) == F(1, 9)


def test_delta_intervals_match_containment_in_some_int_delta():
    B, d = 10, F(1, 3)
    ivs = delta_intervals(B, d)
    # K ⊆ [(1−δ)x, (1+δ)x] for some real x ⇔ b/(1+δ) ≤ a/(1−δ): test against a fine grid of x
    for a in range(B + 1):
        for b in range(a, B + 1):
            xs = [F(k, 60) for k in range(0, 60 * 2 * B)]
            some_x = any((1 - d) * x <= a and b <= (1 + d) * x for x in xs)
            assert (ApproxValuation(a, b) in ivs) == some_x == is_delta_interval(a, b, d)


def test_profiles_and_counts():
    assert len(list(delta_profiles(2, 4, F(1, 2)))) == len(delta_intervals(4, F(1, 2))) ** 2
    assert len(list(sorted_profiles(3, 4))) == 35
    assert len(approx_intervals(3)) == 1 + 6
    assert BoundedDomain.of((2, 3), 4, (F(1, 2),)).describe().startswith("n∈{2,3}")


@pytest.mark.parametrize("bad", [0.5, F(0), F(1), F(3, 2), "x"])
def test_bad_delta(bad):
    with pytest.raises(UsageError):
        D_of_delta(bad)


def test_bad_intervals():
    with pytest.raises(UsageError):
        ApproxValuation(3, 2)
    with pytest.raises(UsageError):
        ApproxValuation(-1, 2)
    with pytest.raises(UsageError):
        ApproxValuation(1.0, 2)
    with pytest.raises(UsageError):
        delta_intervals(0, F(1, 2))
