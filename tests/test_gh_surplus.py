"""GH-T5 / COR9 / L1 bounded checks: the exact log-ratio decision and planted bugs."""
from fractions import Fraction as F

from mechproof.context import CheckContext
from mechproof.mechanisms.distributions import DiscreteDistribution
from mechproof.mechanisms.quantile_curves import PiecewiseLinear, ironed_consumer_surplus, surplus_curve
from mechproof.papers import gh_surplus_bounded as g
from mechproof.verdicts import Status


def ctx(**b):
    return CheckContext.start(budget=60, bounds=b)


def test_t5_discrete_verified():
    v = g.GH_T5.parts[0].check(ctx(GH_T5_values=4, GH_T5_denominator=5))
    assert v.status is Status.VERIFIED


def test_t5_planted_nonconcave_ironing_refuted():
    """Planted: 'ironing' returning U's own (non-concave) points makes the T5 check fail with an exact witness."""
    v = g._exhaustive(ctx(GH_T5_values=3, GH_T5_denominator=4), g._t5_buggy_ironing_curve, "Ū", "GH_T5")
    assert v.status is Status.REFUTED
    assert "q" in dict(v.witness.assignment)


def test_log_ratio_planted_wrong_constant():
    """Planted: a curve W = Ū/2 (a wrong constant) must violate V ≤ (1 − ln q)·W."""
    d = DiscreteDistribution.of({3: F(1, 4), 1: F(1, 2), 0: F(1, 4)})
    hull = ironed_consumer_surplus(d)
    half = PiecewiseLinear(tuple((x, y / 2) for x, y in hull.points))
    out = g.log_ratio_bound(surplus_curve(d), half)
    assert out.holds is False and out.witness_q is not None
    assert g.log_ratio_bound(surplus_curve(d), hull).holds is True


def test_cor9_and_l1_extras():
    for p in g.COR9_EXTRA_PARTS:
        if p.name.startswith("z3"):
            continue
        assert p.check(ctx(GH_COR9_values=4, GH_COR9_denominator=4)).passes
    assert g.L1_EXTRA_PARTS[0].check(ctx()).status is Status.VERIFIED


def test_l1_step_family_planted_increasing_u_detected():
    """Planted: an increasing u (not CS-regular) can break V ≤ (1 − ln q)U; the decision must say so."""
    ok, _ = g._step_marginal_bound((F(0), F(1, 2), F(1)), (F(0), F(3)))
    assert ok is False
    ok, _ = g._step_marginal_bound((F(0), F(1)), (F(1),))
    assert ok is True
