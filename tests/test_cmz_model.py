"""Bounded CMZ model: δ-intervals, D(δ), bounds, input validation."""
from fractions import Fraction as F

import pytest

from mechproof.mechanisms.cmz_model import (ApproxValuation, D_of_delta, approx_intervals, bid_ladder,
                                            count_sorted_profiles, delta_intervals, delta_profiles,
                                            is_delta_interval, sorted_profiles, sorted_profiles_by_max,
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
    for m, B in ((1, 4), (2, 5), (3, 4)):
        by_max = list(sorted_profiles_by_max(m, B))
        assert sorted(by_max) == sorted(sorted_profiles(m, B)) and len(by_max) == count_sorted_profiles(m, B)
        assert [max(v) for v in by_max] == sorted(max(v) for v in by_max)      # smallest top bid first
    assert list(sorted_profiles_by_max(2, 1)) == [(0, 0), (1, 0), (1, 1)]


def test_bid_ladder():
    assert bid_ladder(16) == (2, 4, 8, 16) and bid_ladder(8) == (2, 4, 8) and bid_ladder(5) == (2, 4, 5)
    with pytest.raises(UsageError):
        bid_ladder(0)


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


def test_overlap_components_by_sweep_equal_the_all_pairs_definition():
    """The sweep by left end (O(m log m)) against the definition: join every two intervals sharing ≥ 2
    integer points, on random interval sets (duplicates, single points, nested and disjoint ones)."""
    import random
    from mechproof.mechanisms.cmz_model import ApproxValuation
    from mechproof.mechanisms.cmz_tables import common_points, overlap_components

    def by_pairs(intervals):
        parent = list(range(len(intervals)))

        def find(k):
            while parent[k] != k:
                k = parent[k]
            return k
        for p in range(len(intervals)):
            for q in range(p + 1, len(intervals)):
                if common_points(intervals[p], intervals[q]) >= 2:
                    parent[find(p)] = find(q)
        groups = {}
        for k, K in enumerate(intervals):
            groups.setdefault(find(k), []).append(K)
        return list(groups.values())

    rng = random.Random(7)
    for _ in range(2000):
        B = rng.randint(0, 12)
        intervals = []
        for _ in range(rng.randint(0, 14)):
            a = rng.randint(0, B)
            intervals.append(ApproxValuation(a, rng.randint(a, B)))
        assert overlap_components(intervals) == by_pairs(intervals), intervals
