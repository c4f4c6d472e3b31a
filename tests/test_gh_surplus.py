"""GH-T5 / COR9 / L1 bounded checks through the kernel: the exact log-ratio decision, the z3 search,
planted bugs refuted with replayed witnesses, and a bogus witness rejected by the replay."""
from fractions import Fraction as F

import pytest
import sympy as sp

from mechproof import Role, Status, UsageError, Witness, refuted
from mechproof.kernel import admit
from mechproof.mechanisms.distributions import DiscreteDistribution
from mechproof.mechanisms.quantile_curves import PiecewiseLinear, ironed_consumer_surplus, surplus_curve
from mechproof.papers import gh_exponential as ex, gh_surplus_bounded as g
from mechproof.runner import run_part_inline
from mechproof.symbolic.log_ratio import log_ratio_bound, step_marginal_bound


def part(claim, name):
    return next(p for p in claim.parts if p.name == name)


def run(p, claim=None, **bounds):
    return run_part_inline(p, 120, domain=p.domain.resolve(bounds), claim_id=claim.id if claim else "",
                           uses=claim.uses if claim else ())


def test_t5_discrete_verified_with_exact_case_count():
    p = part(g.GH_T5, "Ū: discrete distributions, all q")
    v = run(p, g.GH_T5, values=4, denominator=5)
    assert v.status is Status.VERIFIED and v.cases == p.domain.resolve({"values": 4, "denominator": 5}).size
    with pytest.raises(UsageError):
        p.domain.resolve({"denominator": "1"})
    with pytest.raises(UsageError):
        p.domain.resolve({"values": "1/2"})


def test_t5_planted_nonconcave_ironing_refuted():
    """Planted: 'ironing' returning U's own (non-concave) points violates the bound; the core replays it."""
    v = run(g.bounded_part("planted", g.t5_buggy_ironing_curve, "Ū"), values=3, denominator=4)
    assert v.status is Status.REFUTED
    assert "q" in dict(v.witness.observed) and "replayed by the core" in v.witness.recheck


def test_log_ratio_planted_wrong_constant():
    """Planted: a curve W = Ū/2 (a wrong constant) must violate V ≤ (1 − ln q)·W."""
    d = DiscreteDistribution.of({3: F(1, 4), 1: F(1, 2), 0: F(1, 4)})
    hull = ironed_consumer_surplus(d)
    half = PiecewiseLinear(tuple((x, y / 2) for x, y in hull.points))
    out = log_ratio_bound(surplus_curve(d), half)
    assert out.holds is False and out.witness_q is not None
    assert log_ratio_bound(surplus_curve(d), hull).holds is True
    halved = g.bounded_part("planted", lambda dd: PiecewiseLinear(tuple((x, y / 2) for x, y in
                                                                        ironed_consumer_surplus(dd).points)), "Ū/2")
    assert run(halved, values=2, atoms=1, denominator=2).status is Status.REFUTED


def test_t5_z3_parts():
    small = part(g.GH_T5, "z3 search, 1–2 atoms")
    v = run(small, g.GH_T5, q="1/4,1/2")
    assert v.status is Status.VERIFIED and v.cases == 4
    assert "cvc5 confirms 4 of 4" in v.evidence[0].summary
    three = run(part(g.GH_T5, "z3 search, 3 atoms"), g.GH_T5, q="1/2")
    assert three.status is Status.VERIFIED and "no second solver" in three.evidence[0].summary
    for bad in ("1", "0"):                       # at q = 1, V = Ū: no rational K < 1 − ln q separates them
        with pytest.raises(UsageError):
            small.domain.resolve({"q": bad})


def test_t5_replay_rejects_a_bogus_witness():
    """A 'counterexample' that does not violate the bound is turned into an error by the core's replay."""
    p = part(g.GH_T5, "z3 search, 1–2 atoms")
    d = DiscreteDistribution.of({1: F(1, 2), 0: F(1, 2)})
    bogus = refuted(witness=Witness.of({**d.as_point(), "q": F(1, 2)}), summary="bogus")
    v = admit(p, p.domain.default_domain(), bogus)
    assert v.status is Status.ERROR and "does not reproduce" in v.summary


def test_cor9_and_l1_bounded_parts():
    assert run(part(ex.GH_COR9, "S: discrete distributions, all q"), ex.GH_COR9, values=4, denominator=4).passes
    step = part(ex.GH_L1, "step-marginal CS-regular family")
    assert step.role is Role.CROSS_CHECK
    v = run(step, ex.GH_L1)
    assert v.status is Status.VERIFIED and v.cases == 87
    with pytest.raises(UsageError):
        step.domain.resolve({"grid": "1"})


def test_l1_step_family_planted_increasing_u_detected():
    """Planted: an increasing u (not CS-regular) breaks V ≤ (1 − ln q)U; the decision and the kernel say so."""
    ok, _, at = step_marginal_bound((F(0), F(1, 2), F(1)), (F(0), F(3)))
    assert ok is False and at["q"] == F(1, 2)
    assert step_marginal_bound((F(0), F(1)), (F(1),))[0] is True
    v = run(g.step_family_part(regular=False), grid=2, u_max=2)
    assert v.status is Status.REFUTED
    assert dict(v.witness.assignment)["u_values"] == "(1, 2)"       # the first non-monotone u in the order


# ------------------------------------------------------------------ proved routes (Lemmas 2 and 1 on Ū)
def test_t5_and_cor9_proved_by_routes_citing_l1_l2():
    from mechproof.papers import gh_envelope as env
    route = part(g.GH_T5, "every distribution (Lemmas 2 and 1 on Ū)")
    assert route.role is Role.ROUTE and set(g.GH_T5.uses) == {"GH-L1", "GH-L2"}
    v = run(route, g.GH_T5)
    assert v.status is Status.PROVED and {"uses GH-L1", "uses GH-L2"} <= set(v.assumes)
    assert all(p.role is Role.CROSS_CHECK for p in g.GH_T5.parts if p is not route)
    assert run(part(g.GH_T5, "tightness: attained by the exponential"), g.GH_T5).status is Status.PROVED
    # without the declared dependencies the route is no proof
    assert run_part_inline(route, 60, claim_id="GH-T5", uses=()).status is Status.UNKNOWN
    cor9 = part(ex.GH_COR9, "every distribution (Theorem 5, S ≥ Ū)")
    assert cor9.role is Role.ROUTE and run(cor9, ex.GH_COR9).status is Status.PROVED
    assert part(ex.GH_COR9, "S: discrete distributions, all q").role is Role.CROSS_CHECK
    assert env.T5_FACTOR == 1 - sp.log(env.T5_Q)


def test_t5_and_cor9_routes_planted_constants_refuted():
    from mechproof.papers import gh_envelope as env
    q = env.T5_Q
    v = run(env.t5_route_part(1 - sp.log(q) / 2), g.GH_T5)          # overclaims: (1 − ½ ln q) < 1 − ln q
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["q"] == "1/2"
    v = run(env.cor9_route_part(1 - sp.log(q) / 2), ex.GH_COR9)
    assert v.status is Status.REFUTED
    v = run(env.t5_tightness_part(1 - 2 * sp.log(q)), g.GH_T5)       # a bound the exponential does not attain
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("V(q)/Ū(q)")


def test_l1_step_marginal_decision_pinned_by_hand():
    """u = 2, 1, 0 on (0, ¼), (¼, ½), (½, 1): the largest gap V − (1 − ln q)U on (0, 1) is at the stationary
    point q* = 1/(4 ln 2) of the middle piece; a decision reporting the best piece end instead is refuted."""
    p = part(ex.GH_L1, "step-marginal decision pinned by hand")
    assert p.role is Role.CROSS_CHECK and run(p, ex.GH_L1).status is Status.PROVED
    ok, _, largest = step_marginal_bound(g.PIN_BREAKS, g.PIN_VALUES, report_largest=True)
    assert ok is True and sp.simplify(largest["q"] - 1 / (4 * sp.log(2))) == 0
    assert step_marginal_bound(g.PIN_BREAKS, g.PIN_VALUES)[2] == {}

    def ends_only(breaks, values, report_largest=False):
        V, U = g.step_marginal_curves(breaks, values, sp.Rational(1, 4))
        return True, "", {"q": sp.Rational(1, 4), "V − (1 − ln q)·U": V - (1 - sp.log(sp.Rational(1, 4))) * U}

    v = run(g.step_marginal_pin_part(ends_only), ex.GH_L1)
    assert v.status is Status.REFUTED


def test_t5_unconfirmed_violation_is_undecided_not_a_pass():
    """A decision that reports a violation the exact comparison does not confirm (here: at q = 1/2 for every
    distribution, a sign slip in h) must not turn into a pass for all q: the part is unknown."""
    from mechproof.symbolic.log_ratio import LogRatioOutcome
    spurious = lambda V, W: LogRatioOutcome(False, F(1, 2))          # noqa: E731
    v = run(g.bounded_part("planted", ironed_consumer_surplus, "Ū", decide=spurious), values=2, atoms=1,
            denominator=2)
    assert v.status is Status.UNKNOWN and "does not confirm" in v.summary

