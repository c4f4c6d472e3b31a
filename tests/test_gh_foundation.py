"""GH-L8, GH-L1 and GH-COR9 through the kernel (from the foundation tests): the true parts pass at their
tiers, planted false versions are refuted with exact, replayed witnesses."""
from fractions import Fraction

import pytest
import sympy as sp

from mechproof import Role, Status, UsageError
from mechproof.papers import gh_exponential, gh_harmonic
from mechproof.runner import run_part_inline


def run(part, claim=None, **bounds):
    return run_part_inline(part, 120, domain=part.domain.resolve(bounds), claim_id=claim.id if claim else "",
                           uses=claim.uses if claim else ())


def test_gh_l8_proved_verified_and_planted_refuted():
    general, small = gh_harmonic.GH_L8.parts
    assert (general.role, small.role) == (Role.ROUTE, Role.CROSS_CHECK)
    assert run(general).status is Status.PROVED
    assert run(small).status is Status.VERIFIED
    wrong = sp.harmonic(gh_harmonic.n) + gh_harmonic.a * (gh_harmonic.n - 1)
    v = run(gh_harmonic.general_part(wrong))
    assert v.status is Status.REFUTED
    assert dict(v.witness.assignment) == {"n": "1", "a": "1"}
    assert dict(v.witness.observed) == {"lhs": "2", "rhs": "1"}
    w = run(gh_harmonic.exact_small_n_part(wrong))
    assert w.status is Status.REFUTED
    assert dict(w.witness.assignment) == {"n": "1"}
    assert dict(w.witness.observed) == {"lhs": "a + 1", "rhs": "1"}       # replayed by sympy integration


def test_gh_l8_exact_values_and_bound():
    for m in range(1, 12):
        c0, c1 = gh_harmonic.lemma8_lhs_exact(m)
        assert c0 == sum(Fraction(1, j) for j in range(1, m + 1))
        assert c1 == m
        assert sp.expand(gh_harmonic.lhs_by_integration(m) - (c0 + gh_harmonic.a * c1)) == 0
    small = gh_harmonic.GH_L8.parts[1]
    assert run(small, n_max=5).cases == 5
    with pytest.raises(UsageError):
        small.domain.resolve({"n_max": "0"})


def test_gh_l1_and_cor9():
    v = run(gh_exponential.regular_inequality_part())
    assert v.status is Status.PROVED and "non-increasing" in " ".join(v.assumes)
    assert run(gh_exponential.constant_marginal_part()).status is Status.PROVED
    assert run(gh_exponential.exponential_ratio_part()).status is Status.PROVED
    assert run(gh_exponential.exponential_ratio_part(ironed=True)).status is Status.PROVED
    q = gh_exponential.q
    bad = run(gh_exponential.exponential_ratio_part(1 - 2 * sp.log(q), ironed=True))
    assert bad.status is Status.REFUTED
    assert dict(bad.witness.assignment) == {"q": "1/2"}
    # a stronger (false) inequality is not "proved" by the derivation
    assert run(gh_exponential.regular_inequality_part(1 - sp.log(q) / 2)).status is not Status.PROVED


def test_gh_l1_claim_reads_proved_with_its_cross_check():
    from mechproof.runner import run_claims
    from mechproof.papers import gh_single_agent
    rep = run_claims([gh_single_agent.GH_ASSUME, gh_single_agent.GH_EQ1, gh_exponential.GH_L1], budget=120)
    l1 = next(r for r in rep.results if r.claim_id == "GH-L1")
    assert l1.status is Status.PROVED and not l1.given
    assert [p.role for p in l1.parts] == [Role.ROUTE, Role.CONJUNCT, Role.CONJUNCT, Role.CROSS_CHECK,
                                         Role.CROSS_CHECK]
