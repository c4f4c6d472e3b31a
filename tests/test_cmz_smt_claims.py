"""CMZ-UIL, CMZ-T1, CMZ-T3, CMZ-T5: true statements verify on small domains; planted bugs are
refuted through the kernel, i.e. every z3 model / LP optimum is replayed by plain Fraction
evaluation before it counts, and the witnesses are re-checked here once more."""
from __future__ import annotations

from fractions import Fraction as F

import pytest

from mechproof import Status, UsageError
from mechproof.mechanisms.cmz_all_mechanisms import grid_target, intersection_violation
from mechproof.mechanisms.cmz_model import delta_profiles
from mechproof.mechanisms.cmz_tables import (TableMechanism, direct_truthfulness_violation, hard_instance,
                                             undominated_strategies, worst_truthful_welfare,
                                             worst_undominated_welfare)
from mechproof.runner import run_part_inline
from mechproof.smt.cmz_dominant_strategy import dominant_strategy_optimum
from mechproof.smt.cmz_guarantees import guarantee_queries
from mechproof.smt.queries import run_check
import mechproof.papers.cmz_all_mechanisms as M


def run(part, claim=None, **bounds):
    dom = part.domain.resolve(bounds)
    return run_part_inline(part, 120, domain=dom, claim_id=claim.id if claim else "",
                           uses=claim.uses if claim else ())


def refuted(v):
    assert v.status is Status.REFUTED, (v.status, v.summary)
    assert v.witness.recheck.startswith("replayed by the core")
    return v.witness


# --- CMZ-UIL ----------------------------------------------------------------------
def test_uil_verified_by_z3_on_bids_0_to_3():
    v = run(M.uil_tables_part(), M.CMZ_UIL, B=3)
    assert v.status is Status.VERIFIED and v.cases == 16
    assert v.evidence and v.evidence[0].stats


def test_uil_with_one_common_point_is_refuted_by_a_replayed_mechanism():
    """Planted: |K ∩ K'| ≥ 1 instead of ≥ 2; the z3 model is shrunk to 2 strategies and replayed."""
    part = M.uil_tables_part(min_common=1)
    w = refuted(run(part, B=3))
    seen = dict(w.observed)
    assert seen["intersection"] == "∅"
    shown = dict(w.assignment)
    assert shown["|K∩K'|"] == "1" and shown["strategies"].startswith("2×")


def test_the_uil_witness_replays_by_the_definition():
    """The same planted search, re-checked here by pointwise dominance (every integer t ∈ K)."""
    from mechproof.smt.cmz_uil import intersection_queries
    for label, build in intersection_queries(3, min_common=1):
        solver, decode = build()
        if run_check(solver, 30).result == "sat":
            p = decode(solver.model())
            mech = p["mechanism"]
            u1 = set(undominated_strategies(mech, 0, p["K"], pointwise=True))
            u2 = set(undominated_strategies(mech, 0, p["K'"], pointwise=True))
            assert u1 and u2 and not (u1 & u2) and len(mech.strategies[0]) == 2
            assert intersection_violation(mech, p["K"], p["K'"], 1) is not None
            assert intersection_violation(mech, p["K"], p["K'"], 2) is None     # outside the real domain
            break
    else:
        pytest.fail("no counterexample to the planted one-point variant")


def test_uil_one_point_variant_fails_on_delta_intervals_too():
    """The planted variant is false inside the model: e.g. K=[1,2], K'=[2,3] are δ-intervals for δ=1/2."""
    w = refuted(run(M.uil_tables_part(min_common=1, delta=F(1, 2)), B=3))
    assert dict(w.observed)["intersection"] == "∅"
    assert run(M.uil_tables_part(delta=F(1, 2)), B=4).status is Status.VERIFIED


def test_uil_enumeration_route_agrees_with_z3():
    assert run(M.uil_family_part()).status is Status.VERIFIED
    w = refuted(run(M.uil_family_part(min_common=1)))
    assert dict(w.observed)["intersection"] == "∅"


def test_uil_pointwise_lemma_proved_and_its_one_point_variant_refuted():
    assert run(M.uil_pointwise_part()).status is Status.PROVED
    w = refuted(run(M.uil_pointwise_part(min_common=1)))
    seen = {k: F(v) for k, v in w.observed}
    assert seen["g(a)"] >= 0 and seen["g(b)"] >= 0 and not (seen["g(c)"] > 0 or seen["g(d)"] > 0)


def test_uil_cvc5_cross_check_confirms_every_unsat():
    v = run(next(p for p in M.CMZ_UIL.parts if p.name.startswith("cvc5")), M.CMZ_UIL)
    assert v.status is Status.VERIFIED
    assert dict(v.evidence[0].stats)["cvc5 agreed"] == str(v.cases)


# --- CMZ-T1 ------------------------------------------------------------------------
def test_t1_grid_optimum_equals_the_proof_bound():
    part = M.t1_grid_part(extra=((2, F(1, 4), (3,)),))
    v = run(part, lp_B=3)
    assert v.status is Status.VERIFIED and v.cases == 3
    res, why = dominant_strategy_optimum(2, F(1, 2), 3)
    assert res is not None, why
    assert res.value == F(2, 3) == res.proof_bound          # 1/2 + (1/2)·(1/3)
    assert direct_truthfulness_violation(res.mechanism) is None
    assert worst_truthful_welfare(res.mechanism).ratio == F(2, 3)


def test_t1_a_loose_proof_bound_is_refuted():
    """The reading says ε* IS the paper's argument on the grid: a bound above ε* (here min K^L taken
    as the largest left end of the component instead of the smallest) is refuted, not only one below."""
    from mechproof.mechanisms.cmz_all_mechanisms import t1_proof_bound
    from mechproof.mechanisms.cmz_model import delta_intervals
    from mechproof.mechanisms.cmz_tables import overlap_components

    def loose(n, d, B):
        comps = [c for c in overlap_components(delta_intervals(B, d)) if max(K.b for K in c) > 0]
        r = min(F(max(K.a for K in c), max(K.b for K in c)) for c in comps)
        return F(1, n) + (1 - F(1, n)) * r
    assert loose(2, F(1, 2), 3) > t1_proof_bound(2, 3, F(1, 2))[0]
    w = refuted(run(M.t1_grid_part(extra=(), proof_bound=loose), lp_B=3))
    seen = dict(w.observed)
    assert F(seen["ε*"]) < F(seen["paper's argument on the grid"])


def test_t1_claimed_cap_below_the_optimum_is_refuted_by_a_mechanism():
    """Planted: 'no DS mechanism beats 1/n' read literally on the grid B=2."""
    w = refuted(run(M.t1_grid_part(claimed_upper=lambda n, d, B: F(1, n), extra=()), lp_B=2))
    assert F(dict(w.observed)["a DS mechanism guarantees"]) == F(3, 4)


def test_t1_claimed_guarantee_above_the_optimum_is_refuted_by_a_certificate():
    """Planted: a claimed achievable guarantee larger than the LP optimum."""
    part = M.t1_grid_part(claimed_guarantee=lambda n, d, B: F(2, 3) + F(1, 100) if B == 3 else F(0), extra=())
    w = refuted(run(part, lp_B=3))
    assert dict(w.assignment)["B"] == "3" and F(dict(w.observed)["certificate proves ε* ≤"]) == F(2, 3)


def test_random_assignment_true_and_planted():
    assert run(M.random_assignment_part(), B2=3, B3=2).status is Status.VERIFIED
    w = refuted(run(M.random_assignment_part(share=F(1, 2)), B2=3, B3=2))
    assert dict(w.assignment) == {"n": "2", "B": "1", "delta": "1/10"}
    assert F(dict(w.observed)["E[SW]/MSW"]) < F(1, 2)


# --- CMZ-T3 / CMZ-T5 ------------------------------------------------------------------
def test_t3_hard_instance_bound_holds_and_a_wrong_slack_is_refuted():
    assert run(M.hard_instance_part(), B_max=80).status is Status.VERIFIED
    # planted: slack 1/B instead of 4/B.  Where no hard instance exists (small B) the bound is not
    # established either way, and a claimed bound < 1 there is undecided, not refuted:
    undecided = run(M.hard_instance_part(slack=lambda B: F(1, B)), B_max=80)
    assert undecided.status is Status.UNKNOWN and "no hard instance" in undecided.summary
    # from B = 6 on (δ = 1/10: an instance exists) the planted slack is refuted, at the smallest such B
    part = M.hard_instance_part(slack=lambda B: F(1, B) if B >= 6 else F(4, B))
    w = refuted(run(part, B_max=80, delta=(F(1, 10),)))
    shown, seen = dict(w.assignment), dict(w.observed)
    d, B = F(shown["delta"]), int(shown["B"])
    assert (d, B) == (F(1, 10), 7)
    inst = hard_instance(B, d)
    assert inst.high.is_delta(d) and inst.low.is_delta(d)
    assert F(seen["instance bound"]) == inst.ratio > ((1 - d) / (1 + d)) ** 2 + F(1, B)


def test_t5_hard_instance_bound_holds():
    assert run(M.hard_instance_part(True), B_max=60).status is Status.VERIFIED


SMALL = {"B": 3, "m": 2}


def test_t3_no_deterministic_mechanism_beats_the_grid_bound():
    assert run(M.all_mechanisms_part(True, extra=()), **SMALL).status is Status.VERIFIED
    opt = run(M.optimum_part(True, extra=()), **SMALL)
    assert opt.status is Status.VERIFIED and "tight" in opt.summary


def test_t3_wrong_bound_refuted_by_a_replayed_deterministic_mechanism():
    """Planted: 'no deterministic mechanism beats ((1−δ)/(1+δ))²' read literally on the grid B=3."""
    part = M.all_mechanisms_part(True, target=lambda n, d, B: ((1 - d) / (1 + d)) ** 2, extra=())
    w = refuted(run(part, **SMALL))
    assert F(dict(w.observed)["worst E[SW]/MSW"]) > F(1, 9)


def test_t5_no_probabilistic_mechanism_beats_the_grid_bound():
    assert run(M.all_mechanisms_part(False, extra=()), **SMALL).status is Status.VERIFIED


def test_t5_deterministic_bound_is_beaten_by_a_probabilistic_mechanism():
    """Planted: claiming the deterministic bound H3(B) for probabilistic mechanisms."""
    part = M.all_mechanisms_part(False, target=lambda n, d, B: F(1, 3), extra=())
    w = refuted(run(part, **SMALL))
    assert F(dict(w.observed)["worst E[SW]/MSW"]) > F(1, 3)
    # the same search, replayed here by hand
    (label, build), = guarantee_queries(((2, F(1, 2), 3, 2),), False, lambda n, d, B: F(1, 3))
    solver, decode = build()
    assert run_check(solver, 30).result == "sat"
    mech: TableMechanism = decode(solver.model())["mechanism"]
    assert worst_undominated_welfare(mech, list(delta_profiles(2, 3, F(1, 2))), pointwise=True).ratio > F(1, 3)


def test_grid_targets():
    assert grid_target(False)(2, F(1, 2), 3) == F(1, 3)
    assert grid_target(True)(2, F(1, 2), 3) == F(2, 3)


def test_claims_declare_uses_and_no_slow_parts():
    # the tightness families cite the upper bounds their limits meet (CMZ-T2, CMZ-T4)
    assert M.CMZ_T3.uses == ("CMZ-UIL", "CMZ-T2") and M.CMZ_T5.uses == ("CMZ-UIL", "CMZ-T4") and M.CMZ_T1.uses == ()
    for claim in (M.CMZ_UIL, M.CMZ_T1, M.CMZ_T3, M.CMZ_T5):
        assert not any(p.slow for p in claim.parts)   # larger domains via bounds, not skipped parts


def test_bad_inputs():
    with pytest.raises(UsageError):
        M.uil_tables_part().domain.resolve({"B": 0})
    with pytest.raises(UsageError):
        dominant_strategy_optimum(2, 0.5, 3, 10)
    with pytest.raises(UsageError):
        hard_instance(5, 0.25)
    with pytest.raises(UsageError):
        dominant_strategy_optimum(2, F(3, 2), 3, 10)
