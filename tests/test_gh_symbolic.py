"""GH symbolic claims: true parts pass; planted wrong constants / false lemmas are refuted."""
import sympy as sp

from mechproof.context import CheckContext
from mechproof.papers import gh_symbolic as g
from mechproof.verdicts import Status


def ctx(**bounds):
    return CheckContext.start(budget=60, bounds=bounds)


def part(claim, name):
    return next(p for p in claim.parts if p.name == name)


def test_true_derivations_are_proved():
    for claim, name in ((g.GH_EQ1, "general derivation"), (g.GH_L2, "general derivation"),
                        (g.GH_R3, "derivation for all n"), (g.GH_T7, "algebra for 0 < ε < 1/(2n)"),
                        (g.GH_COR1, "step 2 corrected"), (g.GH_COR1, "step 3: limit"),
                        (g.GH_L3, "algebra for 0 < ε ≤ 1"), (g.GH_T10, "case analysis"), (g.GH_L7, "general n")):
        assert part(claim, name).check(ctx()).status is Status.PROVED, (claim.id, name)


def test_paper_findings_are_refuted_with_exact_witnesses():
    v = part(g.GH_ASSUME, "as printed: ∫₀¹ v = 0").check(ctx())
    assert v.status is Status.REFUTED and dict(v.witness.observed)["∫₀¹ v(t) dt"] == "1"
    v = part(g.GH_COR1, "step 2: factorisation as printed").check(ctx())
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["L"] == "log(10)"
    v = part(g.GH_T7, "as stated, any quantile ε").check(ctx())
    assert v.status is Status.REFUTED and dict(v.witness.assignment) == {"n": "2", "ε": "1/3"}
    v = part(g.GH_L3, "as stated, any ε > 0").check(ctx())
    assert v.status is Status.REFUTED


def test_planted_wrong_constant_eq1_and_l2():
    """Planted: Eq. (1) with 1/t² instead of 1/t; Eq. (2) with 1/t instead of 1/t²."""
    bad1 = g._concrete_identity("Eq. (1) with t²", g._V_of, lambda vq: g._eq1_rhs(vq, power=2))
    assert bad1(ctx()).status is Status.REFUTED
    bad2 = g._concrete_identity("Eq. (2) with t", g._V_of, lambda vq: g._l2_rhs(vq, power=1))
    assert bad2(ctx()).status is Status.REFUTED
    good = g._concrete_identity("Eq. (1)", g._V_of, g._eq1_rhs)
    assert good(ctx()).status is Status.PROVED


def test_planted_wrong_t7_bound():
    """Planted: Theorem 7 with (1 − nε) instead of (1 − 2nε)."""
    e, n = g.eps, g.n
    wrong = (1 - sp.log(e)) / ((1 - e / (1 - e)) * (1 - e) * (1 - n * e))
    assert g._t7_algebra_check(wrong)(ctx()).status is Status.REFUTED


def test_l7_convexity_and_planted_variants():
    q = g.q
    ok = g.convexity_check(lambda n: q / (1 - (1 - q) ** n), "L7", want=1)(ctx(GH_L7_n=8))
    assert ok.status is Status.VERIFIED
    # the planted bug: GH-L7 claimed for (1 − (1−q)^n)/q.  That function IS convex (a polynomial in
    # 1 − q with non-negative coefficients), so the honest outcome is a pass, not a refutation:
    recip = g.convexity_check(lambda n: (1 - (1 - q) ** n) / q, "(1−(1−q)^n)/q", want=1)(ctx(GH_L7_n=8))
    assert recip.status is Status.VERIFIED
    # ... while claiming it (or L7's function) CONCAVE is false and refuted with an exact point
    bad = g.convexity_check(lambda n: (1 - (1 - q) ** n) / q, "(1−(1−q)^n)/q", want=-1)(ctx(GH_L7_n=8))
    assert bad.status is Status.REFUTED and dict(bad.witness.assignment)["n"] == "3"
    bad2 = g.convexity_check(lambda n: q / (1 - (1 - q) ** n), "L7", want=-1)(ctx(GH_L7_n=8))
    assert bad2.status is Status.REFUTED
