"""DA auctions (GH Definition 2), knapsack algorithms, virtual pricing, ε-buffering, posted prices."""
from fractions import Fraction as F
from itertools import product

import pytest

from mechproof.mechanisms.buffering import epsilon_buffered_quantile
from mechproof.mechanisms.deferred_acceptance import (
    DeferredAcceptanceAuction, bang_per_buck_fill, bang_per_buck_prefix, ironed_consumer_surplus_curve, k_select_clock,
    run_auction, single_best_item, virtual_pricing,
)
from mechproof.mechanisms.errors import ModelError
from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.feasibility import KSelect, Knapsack, max_weight_feasible
from mechproof.mechanisms.posted_pricing import atoms, online_iid_posted_price_consumer_surplus, expected


def test_k_select_clock_is_surplus_optimal():
    da = k_select_clock(3, 2, (0, 1, 2))
    for vals in product((0, 1, 2), repeat=3):
        v = tuple(F(x) for x in vals)
        assert run_auction(da, v).surplus == max_weight_feasible(KSelect(3, 2), v)[0]


def test_a_misbehaving_price_rule_is_a_model_error():
    bad = DeferredAcceptanceAuction("down", KSelect(2, 1), lambda h: {min(h[-1].active): F(-1)})
    with pytest.raises(ModelError, match="lowered"):
        run_auction(bad, (F(1), F(1)))
    stuck = DeferredAcceptanceAuction("stuck", KSelect(2, 1), lambda h: {}, max_stages=5)
    with pytest.raises(ModelError, match="no feasible active set"):
        run_auction(stuck, (F(1), F(1)))
    with pytest.raises(UsageError, match="3 values for 2 agents"):
        run_auction(k_select_clock(2, 1, (0, 1)), (F(1), F(1), F(1)))


def test_the_run_keeps_every_stage():
    out = run_auction(k_select_clock(3, 1, (0, 1, 2)), (F(2), F(1), F(0)))
    assert out.history[0].prices == (0, 0, 0) and out.history[-1].prices == out.prices
    assert len(out.history) == out.stages + 1 and out.winners == frozenset({0})
    for before, after in zip(out.history, out.history[1:]):
        assert all(b <= a for b, a in zip(before.prices, after.prices)) and after.active <= before.active


def test_virtual_pricing_is_memoised_but_identical_to_a_fresh_run():
    curves = [ironed_consumer_surplus_curve(atoms([(3, F(1, 2)), (1, F(1, 4)), (0, F(1, 4))]))] * 2
    da = virtual_pricing(k_select_clock(2, 1, (0, 1, 2, 4)), curves)
    for vals in product((0, 1, 3), repeat=2):
        fresh = virtual_pricing(k_select_clock(2, 1, (0, 1, 2, 4)), curves)
        assert run_auction(da, vals) == run_auction(fresh, vals)


def test_knapsack_readings_differ():
    kn = Knapsack((1, 3, 1), 2)
    vals = (F(2), F(5), F(1))     # ratios 2, 5/3, 1
    assert bang_per_buck_prefix(vals, kn) == frozenset({0})
    assert bang_per_buck_fill(vals, kn) == frozenset({0, 2})
    assert single_best_item(vals, kn) == frozenset({0})     # item 1 does not fit


def test_ironed_curve_of_uniform_like_distribution_is_one_segment():
    c = ironed_consumer_surplus_curve(atoms([(3, F(1, 4)), (2, F(1, 4)), (1, F(1, 2))]))
    assert len(c.segment_slopes()) == 1 and c.ironed_intervals() == [(F(0), F(1))]
    assert c.value_price(F(100)) == 4 and c.value_price(F(0)) == 0
    with pytest.raises(UsageError, match="not an atom"):
        c.ironed_virtual_value(F(5, 2))


def test_epsilon_buffering():
    e = F(1, 10)
    assert epsilon_buffered_quantile(F(1, 20), e) == 0
    assert epsilon_buffered_quantile(F(1, 2), e) == F(1, 2)
    assert epsilon_buffered_quantile(F(19, 20), e) == 1
    with pytest.raises(UsageError):
        epsilon_buffered_quantile(F(1, 2), F(1, 2))


def test_online_iid_formula_matches_enumeration():
    d = atoms([(3, F(1, 4)), (1, F(1, 2)), (0, F(1, 4))])
    for price in (F(1), F(3)):
        formula = online_iid_posted_price_consumer_surplus(d, 3, price)
        enum = expected((d, d, d), lambda v: next((x - price for x in v if x >= price), F(0)))
        assert formula == enum


def test_theorem6_is_not_evaluated_where_its_bound_divides_by_zero():
    from mechproof.mechanisms.buffering import theorem6_as_printed
    holds, seen = theorem6_as_printed({"n": 2, "k": 1, "v": "1-q", "epsilon": F(1, 4)})
    assert holds is None and seen["factor"] == 0
    holds, _ = theorem6_as_printed({"n": 2, "k": 1, "v": "1-q", "epsilon": F(1, 5)})
    assert holds is True
