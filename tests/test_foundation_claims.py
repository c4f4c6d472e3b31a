"""The foundation's claims pass at their tiers; planted false versions are refuted with exact witnesses."""
from fractions import Fraction

import sympy as sp

from mechproof import Status
from mechproof.papers import bck_gamma, cmz_closed_forms as cmz, gh_exponential, gh_harmonic
from mechproof.runner import run_part_inline


def run(part):
    return run_part_inline(part, budget=120)


def test_cmz_d_proved_and_planted_refuted():
    for part in cmz.CMZ_D.parts:
        assert run(part).status is Status.PROVED
    wrong = 4 * cmz.delta / (1 + cmz.delta) ** 2
    for part in (cmz.d_closed_form_part(wrong), cmz.d_ratio_part(wrong)):
        v = run(part)
        assert v.status is Status.REFUTED
        assert dict(v.witness.assignment)["delta"] == "1/2"


def test_cmz_slide_exact_and_approximate():
    verdicts = [run(p) for p in cmz.CMZ_SLIDE.parts]
    assert [v.status for v in verdicts] == [Status.PROVED, Status.PROVED, Status.REFUTED]
    assert "only approximately" in verdicts[2].summary and "17/9" in verdicts[2].summary
    six = run(cmz.slide_ratio_part(Fraction(1, 2), 2, 6))
    assert six.status is Status.REFUTED and "false" in six.summary
    assert dict(six.witness.observed)["ratio"] == "5"


def test_gh_l8_proved_verified_and_planted_refuted():
    general, small = gh_harmonic.GH_L8.parts
    assert run(general).status is Status.PROVED
    assert run(small).status is Status.VERIFIED
    wrong = sp.harmonic(gh_harmonic.n) + gh_harmonic.a * (gh_harmonic.n - 1)
    for part in (gh_harmonic.general_part(wrong), gh_harmonic.exact_small_n_part(wrong)):
        v = run(part)
        assert v.status is Status.REFUTED
        assert dict(v.witness.assignment) == {"n": "1", "a": "1"}
        assert dict(v.witness.observed) == {"lhs": "2", "rhs": "1"}


def test_gh_l8_exact_values():
    for m in range(1, 12):
        c0, c1 = gh_harmonic.lemma8_lhs_exact(m)
        assert c0 == sum(Fraction(1, j) for j in range(1, m + 1))
        assert c1 == m


def test_gh_l1_and_cor9():
    v = run(gh_exponential.regular_inequality_part())
    assert v.status is Status.PROVED and "non-increasing" in v.summary
    assert run(gh_exponential.constant_marginal_part()).status is Status.PROVED
    assert run(gh_exponential.exponential_ratio_part()).status is Status.PROVED
    assert run(gh_exponential.exponential_ratio_part(ironed=True)).status is Status.PROVED
    q = gh_exponential.q
    bad = run(gh_exponential.exponential_ratio_part(1 - 2 * sp.log(q), ironed=True))
    assert bad.status is Status.REFUTED
    assert dict(bad.witness.assignment) == {"q": "1/2"}
    # a stronger (false) inequality is not "proved" by the derivation
    assert run(gh_exponential.regular_inequality_part(1 - sp.log(q) / 2)).status is not Status.PROVED


def test_bck_gamma_closed_forms():
    assert run(bck_gamma.gamma_one_part()).status is Status.PROVED
    assert run(bck_gamma.stirling_limit_part(k_max=20)).status is Status.PROVED
    planted = lambda kk: 1 - kk ** kk / sp.factorial(kk)          # γ(k) with kᵏ/k! only
    assert run(bck_gamma.gamma_one_part(planted)).status is Status.REFUTED
    assert run(bck_gamma.stirling_limit_part(planted, k_max=5)).status is Status.REFUTED
