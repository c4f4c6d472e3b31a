"""CMZ routes (checked steps, proofs/papers/cmz_routes.py): the true routes are proved through the
kernel, and planted wrong payments, tie rules and bounds are refuted at the step that breaks."""
import sympy as sp

from mechproof import Method, Role, Status
from mechproof.runner import run_part_inline
import mechproof.papers.cmz_undominated as ud


def run(part, claim):
    return run_part_inline(part, 120, domain=part.domain.resolve({}), claim_id=claim.id, uses=claim.uses)


def refuted_at(v, prefix):
    assert v.status is Status.REFUTED, (v.status, v.summary)
    step = dict(v.witness.assignment)["step"]
    assert step.startswith(prefix), step
    return dict(v.witness.assignment), dict(v.witness.observed)


def route(claim):
    (r,) = [p for p in claim.parts if p.role is Role.ROUTE]
    assert r.method is Method.DERIVATION
    assert all(p.role is Role.CROSS_CHECK for p in claim.parts if p is not r)   # the bounded parts corroborate
    return r


# ---------------------------------------------------------------- CMZ-MF
def test_mf_route_is_proved():
    v = run(route(ud.CMZ_MF), ud.CMZ_MF)
    assert v.status is Status.PROVED, v.summary
    assert any("non-increasing" in a for a in v.assumes)          # the monotonicity hypothesis, listed


def test_mf_half_integral_payment_refuted_at_the_underbid_residual():
    point, seen = refuted_at(run(ud.mf_route_part(sp.Rational(1, 2)), ud.CMZ_MF), "underbid residual")
    assert sp.sympify(seen["value"]) < 0                      # underbidding pays: (1/2 − 1)·(t − s)·f(s) < 0


def test_mf_double_integral_payment_refuted_at_the_overbid_residual():
    refuted_at(run(ud.mf_route_part(2), ud.CMZ_MF), "overbid residual")


# ---------------------------------------------------------------- CMZ-SP-AT
def test_sp_at_route_is_proved():
    v = run(route(ud.CMZ_SP_AT), ud.CMZ_SP_AT)
    assert v.status is Status.PROVED, v.summary
    assert any("uniformly at random" in a for a in v.assumes)


def test_sp_at_first_price_refuted_when_both_bids_win():
    point, seen = refuted_at(run(ud.sp_at_route_part(price=lambda bid, m: bid), ud.CMZ_SP_AT), "below K, m < s")
    assert sp.sympify(seen["value"]) < 0                      # paying one's own bid: bidding a > s costs more


def test_sp_at_ties_always_lost_refuted_at_the_strict_overbid_case():
    """Losing every tie (the low-priority player under fixed-priority tie-breaking) leaves s = b + 1 as
    good as b when no other bid lies strictly between: the strict step fails (value 0)."""
    point, seen = refuted_at(run(ud.sp_at_route_part(tie_share=lambda k: 0), ud.CMZ_SP_AT), "above K, m = s")
    assert sp.sympify(seen["value"]) == 0


# ---------------------------------------------------------------- CMZ-T2
def test_t2_route_is_proved_and_cites_sp_at():
    v = run(route(ud.CMZ_T2), ud.CMZ_T2)
    assert v.status is Status.PROVED, v.summary
    assert "uses CMZ-SP-AT" in v.assumes and ud.CMZ_T2.uses == ("CMZ-SP-AT",)


def test_t2_unsquared_bound_refuted_at_the_constant_step():
    point, seen = refuted_at(run(ud.t2_route_part(lambda dl: (1 - dl) / (1 + dl)), ud.CMZ_T2), "(r² − ε)·M ≥ 0")
    assert sp.sympify(seen["value"]) < 0
    assert sp.sympify(point["delta"]) == sp.Rational(1, 2)


def test_t2_route_without_the_declared_dependency_is_not_proved():
    v = run_part_inline(route(ud.CMZ_T2), 120, domain=route(ud.CMZ_T2).domain.resolve({}), claim_id="CMZ-T2", uses=())
    assert v.status is Status.UNKNOWN and "CMZ-SP-AT" in v.summary


# ---------------------------------------------------------------- CMZ-UIL
def test_uil_route_is_proved_with_the_finite_order_fact_named():
    import mechproof.papers.cmz_all_mechanisms as M
    r = route_beside(M.CMZ_UIL)
    v = run(r, M.CMZ_UIL)
    assert v.status is Status.PROVED, v.summary
    assert any(a.startswith("finite strategy sets:") for a in v.assumes)       # the one Assume, listed


def test_uil_one_common_point_refuted_at_the_two_points_step():
    import mechproof.papers.cmz_all_mechanisms as M
    point, seen = refuted_at(run(M.uil_route_part(min_common=1), M.CMZ_UIL), "|L| ≥ 2")
    assert sp.sympify(seen["value"]) == 0 and point["j"] == "0"


def route_beside(claim):
    """The claim's route; its other parts are cross-checks except the proved pointwise lemma (z3)."""
    (r,) = [p for p in claim.parts if p.role is Role.ROUTE]
    others = [p for p in claim.parts if p is not r and p.role is not Role.CROSS_CHECK]
    assert [p.name for p in others] == ["pointwise lemma (all reals)"]
    return r
