"""Tightness of CMZ-T1, T3, T5 (proofs/papers/cmz_tightness.py): the true bounds pass with the
exact per-grid gap and the closed-form family; a bound off by a little is refuted through the kernel."""
from fractions import Fraction as F

import sympy as sp

from mechproof import Status
from mechproof.mechanisms.cmz_tables import hard_instance
from mechproof.mechanisms.cmz_tightness import family_instance, family_js, family_ratio, t1_chain_start
from mechproof.runner import run_part_inline
import mechproof.papers.cmz_all_mechanisms as M
import mechproof.papers.cmz_tightness as T

DELTAS = (F(1, 4), F(1, 2))


def run(part, claim, **bounds):
    names = part.domain.names
    dom = part.domain.resolve({k: v for k, v in bounds.items() if k in names})
    return run_part_inline(part, 120, domain=dom, claim_id=claim.id, uses=claim.uses)


def test_family_instances_are_the_grid_optimum_and_match_the_closed_form():
    # δ = 1/2: r = 1/3, family B = 3j with j ≡ 2 (mod 3); H(B) = 1/9 + 1/(3B) there
    assert family_js(F(1, 2), 30) == [2, 5, 8]
    for j in (2, 5, 8):
        inst = family_instance(F(1, 2), j)
        assert inst.ratio == family_ratio(F(1, 2), 3 * j) == F(1, 9) + F(1, 9 * j)
        assert hard_instance(3 * j, F(1, 2)).ratio == inst.ratio
    assert family_instance(F(1, 4), 3).high.b == 15 and family_instance(F(1, 4), 3).ratio == F(2, 5)
    assert [t1_chain_start(d) for d in (F(1, 10), F(1, 4), F(1, 3), F(1, 2))] == [9, 3, 2, 1]


def test_t3_t5_tightness_true_bounds():
    for claim, prob in ((M.CMZ_T3, False), (M.CMZ_T5, True)):
        grid = run(T.hard_grid_part(prob), claim, tight_B=60, delta=DELTAS, n=(2, 3))
        assert grid.status is Status.VERIFIED and "slack" in grid.summary, grid.summary
        assert any(e.kind == "tightness" and "B=6: H−bound" in e.text for e in grid.evidence)
        fam = run(T.hard_family_part(prob), claim)
        assert fam.status is Status.PROVED, fam.summary


def test_t3_planted_constants_refuted():
    up = run(T.hard_family_part(False, claimed=lambda d: T.second_price_limit(d) + sp.Rational(1, 100)), M.CMZ_T3)
    assert up.status is Status.REFUTED and "limit" in dict(up.witness.assignment)["step"]
    down = run(T.hard_family_part(False, claimed=lambda d: T.second_price_limit(d) * sp.Rational(99, 100)),
               M.CMZ_T3)
    assert down.status is Status.REFUTED
    # a bound a little too high is below H(B) on a large enough grid: the per-grid part refutes it
    grid = run(T.hard_grid_part(False, continuum=lambda d, n: ((1 - d) / (1 + d)) ** 2 + F(1, 100)), M.CMZ_T3,
               tight_B=200, delta=(F(1, 2),))
    assert grid.status is Status.REFUTED
    assert dict(grid.witness.observed)["why"].startswith("H(B) below the claimed bound")


def test_t5_planted_constant_refuted():
    v = run(T.hard_family_part(True, claimed=lambda d, m: T.f_delta_limit(d, m) * sp.Rational(101, 100)),
            M.CMZ_T5)
    assert v.status is Status.REFUTED


def test_t1_tightness_true_and_planted():
    g = run(T.t1_grid_tightness_part(), M.CMZ_T1, tight_B=20, delta=DELTAS, n=(2, 3))
    assert g.status is Status.VERIFIED and "slack" in g.summary
    assert run(T.t1_family_part(), M.CMZ_T1).status is Status.PROVED
    assert run(T.t1_family_part(lambda m: 1 / m + sp.Rational(1, 100)), M.CMZ_T1).status is Status.REFUTED
    assert run(T.t1_family_part(lambda m: 1 / m - sp.Rational(1, 100)), M.CMZ_T1).status is Status.REFUTED
    bad = run(T.t1_grid_tightness_part(lambda m: F(1, m) + F(1, 30)), M.CMZ_T1, tight_B=20, delta=DELTAS, n=(2,))
    assert bad.status is Status.REFUTED
    ra = run(M.random_assignment_part(), M.CMZ_T1, B2=3, B3=2, delta=DELTAS)
    assert ra.status is Status.VERIFIED and "tight (attained)" in ra.summary
