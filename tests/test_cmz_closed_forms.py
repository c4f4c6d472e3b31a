"""CMZ closed forms (CMZ-D, CMZ-SLIDE, CMZ-E1): proved at their tiers; planted false versions are
refuted through the kernel with exact, replayed witnesses.  (The CMZ-D / CMZ-SLIDE tests come
from tests/test_foundation_claims.py.)"""
from fractions import Fraction

from mechproof import Role, Status
from mechproof.papers import cmz_closed_forms as cmz
from mechproof.runner import run_part_inline


def run(part, claim=None):
    return run_part_inline(part, budget=120, claim_id=claim.id if claim else "", uses=claim.uses if claim else ())


def test_cmz_d_proved_and_planted_refuted():
    for part in cmz.CMZ_D.parts:
        assert run(part).status is Status.PROVED
    wrong = 4 * cmz.delta / (1 + cmz.delta) ** 2
    for part in (cmz.d_closed_form_part(wrong), cmz.d_ratio_part(wrong)):
        v = run(part)
        assert v.status is Status.REFUTED
        assert dict(v.witness.assignment)["delta"] == "1/2"
        assert v.witness.recheck.startswith("replayed by the core")


def test_cmz_slide_exact_and_approximate():
    verdicts = [run(p) for p in cmz.CMZ_SLIDE.parts]
    assert [v.status for v in verdicts] == [Status.PROVED, Status.PROVED, Status.REFUTED]
    seen = dict(verdicts[2].witness.observed)
    assert seen == {"lhs": "17/9", "rhs": "2"}                     # only approximately 2 (17/9 ≈ 1.889)
    assert "1 + D(δ)/n" in verdicts[2].witness.recheck or "model" in verdicts[2].witness.recheck
    six = run(cmz.slide_ratio_part(Fraction(1, 2), 2, 6))
    assert six.status is Status.REFUTED
    assert dict(six.witness.observed)["lhs"] == "5"


def test_cmz_e1_reads_proved_by_its_route_with_a_cross_check():
    roles = [p.role for p in cmz.CMZ_E1.parts]
    assert roles == [Role.ROUTE, Role.CROSS_CHECK]
    assert cmz.CMZ_E1.uses == ("CMZ-DML",)
    proof, small = (run(p, cmz.CMZ_E1) for p in cmz.CMZ_E1.parts)
    assert proof.status is Status.PROVED and "uses CMZ-DML" in proof.assumes
    assert small.status is Status.VERIFIED and small.cases > 500


def test_cmz_e1_cites_a_declared_dependency_only():
    """A step citing CMZ-DML without the claim declaring it is not a proof."""
    v = run_part_inline(cmz.e1_proof_part(), budget=60, claim_id="CMZ-E1", uses=())
    assert v.status is Status.UNKNOWN and "does not declare" in v.summary


def test_planted_e1_bound_without_square():
    """Planted: ε = (1−δ)/(1+δ).  The proof's step fails at an exact point, and the exact instances
    give a genuine counterexample E[SW] < ε·MSW (δ-good f, σ_j and tv_j in one int_δ(x_j))."""
    proof = run(cmz.e1_proof_part(lambda n, d: (1 - d) / (1 + d)), cmz.CMZ_E1)
    assert proof.status is Status.REFUTED and dict(proof.witness.assignment)["step"] == "E(σ_i/r) = r·G"
    small = run(cmz.e1_instances_part(lambda d, n: (1 - d) / (1 + d)), cmz.CMZ_E1)
    assert small.status is Status.REFUTED
    seen = dict(small.witness.observed)
    assert Fraction(seen["E[SW]"]) < Fraction(seen["ε·MSW"])
