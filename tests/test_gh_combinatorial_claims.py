"""GH combinatorial claims: true cases pass, planted bugs are refuted with exact witnesses."""
from fractions import Fraction as F


from mechproof.context import CheckContext
from mechproof.verdicts import Status
from mechproof.mechanisms.deferred_acceptance import bang_per_buck_prefix, raw_virtual_pricing
from mechproof.mechanisms.feasibility import Knapsack
from mechproof.mechanisms.pen_testing import Pens
import mechproof.papers.gh_combinatorial as gh


def ctx():
    return CheckContext.start(budget=60)


class InkNotSpentPens(Pens):
    """Planted bug: a successful test leaves the ink untouched."""

    def test(self, pen, theta):
        ok = self._residual[pen] >= theta
        if not ok:
            self._residual[pen] = F(0)
        return ok


def test_t1_true_exhaustive_and_hypothesis():
    assert gh.make_t1_exhaustive()(ctx()).status is Status.VERIFIED
    assert gh.make_t1_hypothesis(max_examples=40)(ctx()).status is Status.TESTED


def test_t1_planted_no_ink_subtraction_refuted():
    v = gh.make_t1_exhaustive(pens_factory=InkNotSpentPens)(ctx())
    assert v.status is Status.REFUTED
    obs = dict(v.witness.observed)
    assert obs["consumer_surplus"] != obs["residual_ink"] or obs["winners"] != obs["pens_selected"]
    v2 = gh.make_t1_hypothesis(pens_factory=InkNotSpentPens, max_examples=200)(ctx())
    assert v2.status is Status.REFUTED


def test_t1_standard_planted_refuted():
    assert gh.make_t1_standard()(ctx()).status is Status.VERIFIED
    assert gh.make_t1_standard(pens_factory=InkNotSpentPens)(ctx()).status is Status.REFUTED


def test_def3_true_and_unironed_planted():
    assert gh.make_def3_check()(ctx()).status is Status.VERIFIED
    v = gh.make_def3_check(transform=raw_virtual_pricing)(ctx())
    assert v.status is Status.REFUTED and v.witness is not None


def test_l6_true_and_greedy_without_max_branch():
    small = ((1, 3, 3, 4), (2, 3, 3, 4), (3, 3, 2, 4))
    assert gh.make_l6_exhaustive(boxes=small)(ctx()).status is Status.VERIFIED

    def greedy_only(vals, kn):
        return sum((vals[i] for i in bang_per_buck_prefix(vals, kn)), F(0))
    v = gh.make_l6_exhaustive(alg=greedy_only, boxes=small)(ctx())
    assert v.status is Status.REFUTED
    a = dict(v.witness.assignment)
    # minimal: two items, entries as small as possible; replay by hand
    kn = Knapsack(tuple(F(x) for x in a["sizes"].strip("()").split(", ")), F(a["capacity"]))
    vals = tuple(F(x) for x in a["values"].strip("()").split(", "))
    assert kn.n == 2
    assert 2 * greedy_only(vals, kn) < gh.knapsack_optimum(vals, kn)


def test_l6_z3_true_and_wrong_constant():
    assert gh.make_l6_z3(max_n=3, box=(6, 6, 8))(ctx()).status is Status.VERIFIED
    v = gh.make_l6_z3(combine="max", ratio=F(3, 2), max_n=3, box=(6, 6, 8))(ctx())
    assert v.status is Status.REFUTED
    v = gh.make_l6_z3(combine="greedy", ratio=F(2), max_n=3, box=(6, 6, 8))(ctx())
    assert v.status is Status.REFUTED


def test_l6_oversized_reading_documented():
    kn, vals, g, m = gh._oversized_witness()
    assert max(kn.sizes) > kn.capacity and 2 * max(g, m) < gh.knapsack_optimum(vals, kn)


def test_l5_step1_true_and_wrong_constant():
    assert gh._check_l5_step1_proof(ctx()).status is Status.PROVED
    assert gh.make_l5_step1_direct(max_n=4)(ctx()).status is Status.VERIFIED
    v = gh.make_l5_step1_direct(bound=lambda n, k, e: k + (n - k) * e / 2, max_n=3)(ctx())
    assert v.status is Status.REFUTED
    obs = dict(v.witness.observed)
    assert F(obs["sum_p"]) > F(obs["bound"])


def test_l5_step2_true_and_wrong_constant(monkeypatch):
    assert gh.make_l5_step2(epss=(F(1, 4),))(ctx()).status is Status.VERIFIED
    # planted: claim EAR(t) ≥ EAR(p) (drop the k/(k+(n−k)ε) factor)
    orig = gh._l5_step2_violation

    def strict(dists, q, k, eps):
        return orig(dists, q, k, F(0) * eps) if False else _no_factor(dists, q, k, eps)

    def _no_factor(dists, q, k, eps):
        n = len(dists)
        p = [max(x, eps) for x in q]
        V = lambda i, x: gh.surplus_curve(dists[i], x)
        order = sorted(range(n), key=lambda i: (-(V(i, p[i]) / p[i]), i))
        t, acc = [F(0)] * n, F(0)
        for i in order:
            t[i] = min(p[i], max(F(0), k - acc))
            acc += t[i]
        et, ep = sum(V(i, t[i]) for i in range(n)), sum(V(i, p[i]) for i in range(n))
        return (p, t, et, ep) if et < ep else None
    monkeypatch.setattr(gh, "_l5_step2_violation", strict)
    assert gh.make_l5_step2(epss=(F(1, 4),))(ctx()).status is Status.REFUTED


def test_t9_true_and_wrong_constant():
    assert gh.make_t9_check(max_m=3, max_k=2)(ctx()).status is Status.VERIFIED
    # planted: 1 − 1/(2πk) instead of 1 − 1/√(2πk) (≈ 0.84 > 1 − 1/e for k = 1)
    v = gh.make_t9_check(rho_of_k=lambda k: F(84, 100), max_m=3, max_k=1)(ctx())
    assert v.status is Status.REFUTED
    obs = dict(v.witness.observed)
    assert F(obs["SP"]) < F(84, 100) * F(obs["EAR"])


def test_t6_true_and_wrong_constant():
    sizes, curves = ((2, 1), (3, 2)), gh._T6_CURVES[:2]
    assert gh.make_t6_check(sizes=sizes, curves=curves)(ctx()).status is Status.VERIFIED
    v = gh.make_t6_check(factor=lambda n, e: 1 + 0 * e, sizes=sizes, curves=curves)(ctx())
    assert v.status is Status.REFUTED
    eps = F(dict(v.witness.assignment)["epsilon"])
    assert 0 < eps < F(1, 2 * int(dict(v.witness.assignment)["n"]))


def test_cor_parts():
    assert gh._check_cor_ingredients(ctx()).status is Status.VERIFIED
    assert gh._check_cor_composition(ctx()).status is Status.VERIFIED
    assert gh.GH_COR2_8.parts[-1].check(ctx()).status is Status.UNKNOWN


def test_claim_ids():
    ids = {c.id for c in (gh.GH_T1, gh.GH_DEF3, gh.GH_T6, gh.GH_L5, gh.GH_T9, gh.GH_L6, gh.GH_COR2_8)}
    assert ids == {"GH-T1", "GH-DEF3", "GH-T6", "GH-L5", "GH-T9", "GH-L6", "GH-COR2-8"}
