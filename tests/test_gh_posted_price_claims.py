"""GH-L5 and GH-T9: proofs and bounded checks pass through the kernel; wrong constants are refuted
with replayed witnesses; the bound schemas refuse n = 0 (which used to pass over 0 queries)."""
from fractions import Fraction as F

import pytest

from mechproof import Method, Role, Status, UsageError
from mechproof.domains import resolve_domains
from mechproof.runner import run_part_inline
import sympy as sp

import mechproof.papers.gh_posted_prices as gh
import mechproof.papers.gh_yan as yan


def run(part, claim, budget=120, **bounds):
    return run_part_inline(part, budget, domain=part.domain.resolve(bounds), claim_id=claim.id, uses=claim.uses)


# ------------------------------------------------------------------ GH-L5
def test_l5_step1_proved_for_all_n_and_cross_checked():
    proof, smt, tight, step2_proof, step2 = gh.GH_L5.parts
    assert proof.method is Method.DERIVATION and smt.role is Role.CROSS_CHECK
    assert run(proof, gh.GH_L5).status is Status.PROVED
    v = run(smt, gh.GH_L5, n=4)
    assert v.status is Status.VERIFIED and v.cases == 20


def test_l5_step1_wrong_constant_refuted_by_both_routes():
    half = lambda n, k, e: k + (n - k) * e / 2
    v = run(gh.step1_proof_part(half), gh.GH_L5)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("bound")
    v = run(gh.step1_smt_part(half), gh.GH_L5, n=3)
    assert v.status is Status.REFUTED
    obs = dict(v.witness.observed)
    assert F(obs["sum_p"]) > F(obs["bound"])


def test_l5_step2_true_and_without_the_factor():
    v = run(gh.GH_L5.parts[4], gh.GH_L5, epsilon="1/4")
    assert v.status is Status.VERIFIED and "(tight (attained))" in v.summary
    v = run(gh.step2_part(factor=lambda n, k, e: F(1)), gh.GH_L5, epsilon="1/4")
    assert v.status is Status.REFUTED
    obs = dict(v.witness.observed)
    assert F(obs["EAR_t"]) < F(obs["EAR_p"])


def test_l5_step2_proved_and_planted_factor_refuted():
    proof = gh.GH_L5.parts[3]
    assert proof.name == "step 2, all n" and run(proof, gh.GH_L5).status is Status.PROVED
    v = run(gh.step2_proof_part(lambda n, k, e: k / (k + (n - k) * e / 2)), gh.GH_L5)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("k/P")


def test_l5_step1_tightness_attained_and_planted_bound_refuted():
    p = gh.GH_L5.parts[2]
    v = run(p, gh.GH_L5, n_tight=4)
    assert v.status is Status.VERIFIED and v.cases == 50 and "tight (attained)" in v.summary
    v = run(gh.step1_tightness_part(lambda n, k, e: k + (n - k) * e / 2), gh.GH_L5, n_tight=3)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["n"] == "2"


def test_l5_schemas():
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([gh.GH_L5], {"GH-L5.n": 0})
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([gh.GH_L5], {"GH-L5.epsilon": "0"})


# ------------------------------------------------------------------ GH-T9
def test_t9_proved_for_all_n_with_bounded_cross_checks():
    route, smt, grid, family, outcomes = gh.GH_T9.parts
    assert route.role is Role.ROUTE and route.method is Method.DERIVATION
    v = run(route, gh.GH_T9)
    assert v.status is Status.PROVED
    assert any("stop-loss order under independent sums" in a for a in v.assumes)      # the one named Assume
    assert any("SP's model" in a for a in v.assumes)
    assert {smt.role, grid.role, family.role, outcomes.role} == {Role.CROSS_CHECK}
    v = run(smt, gh.GH_T9, n=3, k=2)
    assert v.status is Status.VERIFIED and v.cases == 3
    v = run(grid, gh.GH_T9, goods="1")
    assert v.status is Status.VERIFIED and "(slack)" in v.summary
    assert run(family, gh.GH_T9).status is Status.PROVED


def test_t9_route_planted_bugs_refuted():
    """Wrong constant (1 − 1/(2√(2πk)) overclaims), a false Stirling limit, a wrong γ(k) closed form."""
    wrong = lambda k: 1 - 1 / (2 * sp.sqrt(2 * sp.pi * k))
    v = run(yan.t9_route_part(wrong), gh.GH_T9)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("D6")
    v = run(yan.t9_route_part(stirling=sp.sqrt(2 * sp.pi * sp.E)), gh.GH_T9)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("D4")
    bad_gamma = lambda k: 1 - sp.exp(-k) * k ** (k - 1) / sp.factorial(k)
    v = run(yan.t9_route_part(gamma=bad_gamma), gh.GH_T9)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("C7")


def test_t9_family_planted_limit_refuted():
    v = run(yan.t9_family_part(limit_value=1 - sp.exp(-1) / 2), gh.GH_T9)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("SP/EAR")
    v = run(yan.t9_family_part(claimed=lambda k: 1 - sp.exp(-1) + sp.Rational(1, 100)), gh.GH_T9)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("γ(1)")


def test_t9_wrong_constant_refuted():
    # 1 − 1/(2πk) instead of 1 − 1/√(2πk): ≈ 0.84 > 1 − 1/e for k = 1
    wrong = lambda k: F(84, 100)
    v = run(gh.t9_smt_part(wrong), gh.GH_T9, n=3, k=1)
    assert v.status is Status.REFUTED
    obs = dict(v.witness.observed)
    assert F(obs["SP"]) < F(84, 100) * F(obs["EAR"])
    assert run(gh.t9_grid_part(wrong), gh.GH_T9, goods="1").status is Status.REFUTED


def test_t9_n_zero_is_a_usage_error_not_a_pass_over_zero_queries():
    for bad in (0, 1):
        with pytest.raises(UsageError, match="out of range"):
            resolve_domains([gh.GH_T9], {"GH-T9.n": bad})
    with pytest.raises(UsageError, match="no bound 'GH_T9_n'"):
        resolve_domains([gh.GH_T9], {"GH-T9.GH_T9_n": 4})
    with pytest.raises(UsageError, match="a fraction"):
        resolve_domains([gh.GH_T9], {"GH-T9.n": "7/2"})


def test_rational_upper_bound_is_certified():
    r = gh.rational_upper(gh.yan_rho(1))
    assert F(601057, 10 ** 6) < r <= F(601058, 10 ** 6)      # 1 − 1/√(2π) = 0.6010577…
    assert gh.rational_upper(F(84, 100)) == F(84, 100)


def test_t9_sp_recursion_pinned_by_outcome_enumeration():
    """The SP recursion = SP by every accept/decline outcome; a recursion that never runs out of goods (cap k + 1,
    an off-by-one) is refuted, and a hand value: k = 1, q = (1/2, 1/2), c = (1, 1) gives 1/2 + 1/4 = 3/4."""
    from mechproof.mechanisms.gh_sequential_pricing import sequential_price_by_outcomes
    from mechproof.mechanisms.posted_pricing import sequential_posted_price_surplus
    assert sequential_price_by_outcomes({"k": 1, "q": (F(1, 2), F(1, 2)), "c": (F(1), F(1))}) == F(3, 4)
    part = gh.GH_T9.parts[4]
    v = run(part, gh.GH_T9)
    assert v.status is Status.VERIFIED and v.cases == part.domain.resolve({}).size
    off_by_one = lambda q, c, k: sequential_posted_price_surplus(q, c, k + 1)    # noqa: E731
    v = run(gh.t9_outcomes_part(off_by_one), gh.GH_T9)
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    obs = dict(v.witness.observed)
    assert F(obs["SP by recursion"]) > F(obs["SP by outcomes"])

