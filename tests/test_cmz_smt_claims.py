"""CMZ-UIL, CMZ-T1, CMZ-T3, CMZ-T5: true statements verify on small domains, planted bugs are
refuted with exact witnesses re-checked here by plain evaluation."""
from __future__ import annotations

from fractions import Fraction as F

from mechproof.context import CheckContext
from mechproof.mechanisms.cmz_model import ApproxValuation, delta_intervals
from mechproof.mechanisms.cmz_tables import (
    direct_truthfulness_violation, undominated_strategies, worst_truthful_welfare,
)
from mechproof.papers import cmz_smt as M
from mechproof.smt.linear_programs import check_dual_certificate
from mechproof.verdicts import Status


def ctx(budget: float = 60.0, **bounds) -> CheckContext:
    return CheckContext.start(budget, bounds)


# --- CMZ-UIL ----------------------------------------------------------------------
def test_uil_verified_by_z3_on_bids_0_to_3():
    v = M.check_uil_by_z3(ctx(), B=3)
    assert v.status is Status.VERIFIED
    assert "16 interval pairs" in v.summary
    assert v.evidence and v.evidence[0].stats


def test_uil_with_one_common_point_is_refuted_by_a_replayed_mechanism():
    """Planted: |K ∩ K'| ≥ 1 instead of ≥ 2."""
    outcomes, cx, gaps = M.search_intersection_counterexample(ctx(), 3, min_common=1)
    assert cx is not None
    assert M.common_points(cx.K, cx.K2) == 1
    # independent replay: recompute the undominated sets from the tables
    u1 = set(undominated_strategies(cx.mechanism, 0, cx.K, pointwise=True))
    u2 = set(undominated_strategies(cx.mechanism, 0, cx.K2, pointwise=True))
    assert u1 and u2 and not (u1 & u2)
    assert len(cx.mechanism.strategies[0]) == 2   # shrunk to the smallest strategy set
    v = M.check_uil_by_z3(ctx(), min_common=1, B=3)
    assert v.status is Status.REFUTED and v.witness is not None


def test_uil_one_point_variant_fails_on_delta_intervals_too():
    """The planted variant is false inside the model: K=[1,2], K'=[2,3] are δ-intervals for δ=1/2."""
    outcomes, cx, gaps = M.search_intersection_counterexample(ctx(), 3, min_common=1, delta=F(1, 2))
    assert cx is not None and cx.K.is_delta(F(1, 2)) and cx.K2.is_delta(F(1, 2))
    assert not set(undominated_strategies(cx.mechanism, 0, cx.K)) & set(undominated_strategies(cx.mechanism, 0, cx.K2))
    assert M.check_uil_by_z3(ctx(), B=4, delta=F(1, 2)).status is Status.VERIFIED


def test_uil_enumeration_route_agrees_with_z3():
    assert M.check_uil_by_enumeration(ctx()).status is Status.VERIFIED
    planted = M.check_uil_by_enumeration(ctx(), min_common=1)
    assert planted.status is Status.REFUTED
    checked, (rows, K, K2) = M.enumerate_intersection(min_common=1)
    mech = M._rows_mechanism(rows)
    assert not set(undominated_strategies(mech, 0, K)) & set(undominated_strategies(mech, 0, K2))


def test_uil_pointwise_lemma_proved_and_its_one_point_variant_refuted():
    assert M.check_uil_pointwise_lemma(ctx()).status is Status.PROVED
    bad = M.check_uil_pointwise_lemma(ctx(), min_common=1)
    assert bad.status is Status.REFUTED
    w = dict(bad.witness.observed)
    assert F(w["g(a)"]) >= 0 and F(w["g(b)"]) >= 0


# --- CMZ-T1 ------------------------------------------------------------------------
SMALL_T1 = ((2, F(1, 2), (2, 3)), (2, F(1, 4), (3,)))


def test_t1_grid_optimum_equals_the_proof_bound():
    v = M.check_t1_grid(ctx(), grid=SMALL_T1)
    assert v.status is Status.VERIFIED
    res, why = M.dominant_strategy_optimum(2, F(1, 2), 3, 30)
    assert res is not None, why
    assert res.value == F(2, 3) == res.proof_bound          # 1/2 + (1/2)·(1/3)
    assert direct_truthfulness_violation(res.mechanism) is None
    assert worst_truthful_welfare(res.mechanism).ratio == F(2, 3)


def test_t1_claimed_cap_below_the_optimum_is_refuted_by_a_mechanism():
    """Planted: 'no DS mechanism beats 1/n' read literally on the grid B=2."""
    v = M.check_t1_grid(ctx(), grid=((2, F(1, 2), (2,)),), claimed_upper=lambda n, d, B: F(1, n))
    assert v.status is Status.REFUTED
    assert F(dict(v.witness.observed)["worst E[SW]/MSW"]) == F(3, 4)


def test_t1_claimed_guarantee_above_the_optimum_is_refuted_by_a_certificate():
    """Planted: a claimed achievable guarantee larger than the LP optimum."""
    v = M.check_t1_grid(ctx(), grid=((2, F(1, 2), (3,)),), claimed_guarantee=lambda n, d, B: F(2, 3) + F(1, 100))
    assert v.status is Status.REFUTED
    res, _ = M.dominant_strategy_optimum(2, F(1, 2), 3, 30)
    # the certificate re-checked here proves ≤ 2/3 < 2/3 + 1/100
    from mechproof.smt.mechanism_tables import dominant_strategy_lp
    from mechproof.mechanisms.cmz_tables import welfare_test_points
    from itertools import product
    types = delta_intervals(3, F(1, 2))
    pts = {tuple((k.a, k.b) for k in K): welfare_test_points(K) for K in product(types, repeat=2)}
    lp, _ = dominant_strategy_lp([(k.a, k.b) for k in types], 2, pts, 3)
    assert check_dual_certificate(lp, res.multipliers) == F(2, 3)


def test_random_assignment_true_and_planted():
    v = M.check_random_assignment(ctx(90))
    assert v.status is Status.VERIFIED
    bad = M.check_random_assignment(ctx(), share_scale=F(1, 2))
    assert bad.status is Status.REFUTED
    assert F(dict(bad.witness.observed)["E[SW]/MSW"]) < F(1, 2)


# --- CMZ-T3 / CMZ-T5 ------------------------------------------------------------------
def test_t3_hard_instance_bound_holds_and_a_wrong_slack_is_refuted():
    assert M.check_hard_instance(ctx(), B_max=80).status is Status.VERIFIED
    bad = M.check_hard_instance(ctx(), slack=lambda B: F(1, B), B_max=80)   # planted: 1/B instead of 4/B
    assert bad.status is Status.REFUTED
    w = dict(bad.witness.assignment)
    K_hi = ApproxValuation(*map(int, w["K_hi"].strip("[]").split(",")))
    K_lo = ApproxValuation(*map(int, w["K_lo"].strip("[]").split(",")))
    d = F(w["delta"])
    assert K_hi.is_delta(d) and K_lo.is_delta(d)
    assert min(K_hi.b, K_lo.b) - max(K_hi.a, K_lo.a) + 1 >= 2
    assert F(K_lo.a, K_hi.b) > ((1 - d) / (1 + d)) ** 2 + F(1, int(w["B"]))


def test_t5_hard_instance_bound_holds():
    assert M.check_hard_instance(ctx(), probabilistic=True, B_max=60).status is Status.VERIFIED


SMALL_SEARCH = ((2, F(1, 2), 3, 2),)


def test_t3_no_deterministic_mechanism_beats_the_grid_bound():
    v = M.check_all_mechanisms(ctx(), True, SMALL_SEARCH)
    assert v.status is Status.VERIFIED
    assert "tight" in v.summary


def test_t3_wrong_bound_refuted_by_a_replayed_deterministic_mechanism():
    """Planted: 'no deterministic mechanism beats ((1−δ)/(1+δ))²' read literally on the grid B=3."""
    v = M.check_all_mechanisms(ctx(), True, SMALL_SEARCH, target=lambda n, d, B: ((1 - d) / (1 + d)) ** 2)
    assert v.status is Status.REFUTED
    assert F(dict(v.witness.observed)["worst ratio"]) > F(1, 9)


def test_t5_no_probabilistic_mechanism_beats_the_grid_bound():
    v = M.check_all_mechanisms(ctx(), False, SMALL_SEARCH)
    assert v.status is Status.VERIFIED


def test_t5_deterministic_bound_is_beaten_by_a_probabilistic_mechanism():
    """Planted: claiming the deterministic bound H3(B) for probabilistic mechanisms."""
    out, found, note = M.search_better_mechanism(ctx(), 2, F(1, 2), 3, 2, False, F(1, 3), 30)
    assert found is not None, note
    mech, w = found
    assert w.ratio > F(1, 3)
    profiles = [tuple(K) for K in __import__("itertools").product(delta_intervals(3, F(1, 2)), repeat=2)]
    assert M.worst_undominated_welfare(mech, profiles).ratio == w.ratio
    v = M.check_all_mechanisms(ctx(), False, SMALL_SEARCH, target=lambda n, d, B: F(1, 3))
    assert v.status is Status.REFUTED


def test_claims_declare_only_owned_ids():
    ids = {M.CMZ_UIL.id, M.CMZ_T1.id, M.CMZ_T3.id, M.CMZ_T5.id}
    assert ids == {"CMZ-UIL", "CMZ-T1", "CMZ-T3", "CMZ-T5"}
    for claim in (M.CMZ_UIL, M.CMZ_T1, M.CMZ_T3, M.CMZ_T5):
        assert not any(p.slow for p in claim.parts)   # larger domains via bounds, not skipped parts


def test_bad_inputs_raise_input_error():
    import pytest

    from mechproof.mechanisms.exact import UsageError
    with pytest.raises(UsageError):
        M.check_uil_by_z3(ctx(), B=0)
    with pytest.raises(UsageError):
        M.dominant_strategy_optimum(2, 0.5, 3, 10)
    with pytest.raises(UsageError):
        M.hard_instance(5, 0.25)
    with pytest.raises(UsageError):
        M.dominant_strategy_optimum(2, F(3, 2), 3, 10)
