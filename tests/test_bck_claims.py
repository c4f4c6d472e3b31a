"""BCK claims through the kernel: true statements pass, planted bugs are refuted with exact, replayed witnesses."""
from fractions import Fraction as F

import pytest
import sympy as sp

from mechproof import Role, Status
from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.random_variables import DiscreteRV, mass_at_values
from mechproof.papers import (
    bck_concave_routes as cr, bck_example1, bck_inventory, bck_mechanisms, bck_random_variable_lemmas as rv, bck_table,
    bck_utility_lemmas as ul,
)
from mechproof.runner import run_part_inline


def run(part, claim, budget=120, **bounds):
    """The part through the kernel (coverage, method ceiling, witness replay), on its domain with `bounds`."""
    return run_part_inline(part, budget, domain=part.domain.resolve(bounds), claim_id=claim.id, uses=claim.uses)


def assert_refuted(verdict):
    assert verdict.status is Status.REFUTED, verdict.summary
    assert verdict.witness is not None and verdict.witness.assignment
    assert "replayed by the core" in verdict.witness.recheck
    return verdict


# --- BCK-L2: U_k submodular -------------------------------------------------------------------
def test_l2_verified_on_a_small_domain():
    route, *bounded = ul.BCK_L2.parts
    assert route.role is Role.ROUTE and all(p.role is Role.CROSS_CHECK for p in bounded)
    for part in bounded:
        assert run(part, ul.BCK_L2, n=3, B=2, nB=6).status is Status.VERIFIED


def test_l2_route_proved_and_planted_convex_utility_refuted_at_the_composition_step():
    v = run_part_inline(ul.BCK_L2.parts[0], 60, claim_id=ul.BCK_L2.id, uses=ul.BCK_L2.uses)
    assert v.status is Status.PROVED, v.summary
    assert not any(a.startswith("I8") for a in v.assumes)                # no Assume step in this route
    bad = assert_refuted(run_part_inline(cr.l2_route_part(shape="convex"), 60, claim_id=ul.BCK_L2.id))
    assert dict(bad.witness.assignment)["step"].startswith("D6. p > 0: concavity at β and γ")
    assert F(dict(bad.witness.observed)["value"]) < 0


def test_l2_planted_convex_utility_is_refuted():
    v = assert_refuted(run(ul.l2_part(shape="convex"), ul.BCK_L2, n=2, B=2))
    assert "submodular" in v.summary
    assert dict(v.witness.assignment)["n"] == "2"            # n = 1 has no violation: the smallest n comes first


def test_l2_planted_k_smallest_aggregator_is_refuted():
    v = assert_refuted(run(ul.l2_part(largest=False), ul.BCK_L2, n=2, B=2))
    observed = dict(v.witness.observed)
    assert F(observed["U_k(x∨y)+U_k(x∧y)"]) > F(observed["U_k(x)+U_k(y)"])


# --- BCK-L1 -----------------------------------------------------------------------------------
def test_l1_as_printed_refuted_at_the_smallest_support_and_reading_verified():
    printed, route, reading, rays = ul.BCK_L1.parts
    v = assert_refuted(run(printed, ul.BCK_L1, B=2))
    assert dict(v.witness.assignment)["B"] == "1"
    assert F(dict(v.witness.observed)["LHS (Y1)"]) > F(dict(v.witness.observed)["RHS (Y2)"])
    assert run(reading, ul.BCK_L1, B=2).status is Status.VERIFIED
    assert run(rays, ul.BCK_L1, B=2).status is Status.VERIFIED


def test_l1_reading_route_proved_and_as_printed_increment_refuted_at_monotonicity():
    route = ul.BCK_L1.parts[1]
    assert route.role is Role.READING and route.reading == cr.L1_READING
    v = run_part_inline(route, 60, claim_id=ul.BCK_L1.id, uses=ul.BCK_L1.uses)
    assert v.status is Status.PROVED, v.summary
    assert any(a.startswith("I8. layer cake") for a in v.assumes)        # the one assumed fact, named
    # the as-printed increment U(x+y) − U(x) planted in the same route: the monotonicity step fails
    bad = assert_refuted(run_part_inline(cr.l1_reading_part(cr.increment_from_x), 60, claim_id=ul.BCK_L1.id))
    w = dict(bad.witness.assignment)
    assert w["step"].startswith("I7. increment(x, y) − increment(x, y')")
    assert F(dict(bad.witness.observed)["value"]) < 0                   # U linear: the increment from U(X) grows


def test_l1_and_l14_claims_read_proved_where_the_routes_reach():
    from mechproof.runner import run_claims
    rep = run_claims([ul.BCK_L1, ul.BCK_L14], budget=120, bounds={"BCK-L1.B": 2, "BCK-L14.R": 4})
    l1, l14 = (next(r for r in rep.results if r.claim_id == cid) for cid in ("BCK-L1", "BCK-L14"))
    assert l1.status is Status.REFUTED                                  # as printed: the finding stands
    assert l1.status_as_used(reading=True) is Status.PROVED             # Lemma 13's reading: proved
    assert l14.status is Status.PROVED and not l14.note


# --- BCK-L14 ----------------------------------------------------------------------------------
def test_l14_verified_and_planted_factor_refuted():
    assert run(ul.BCK_L14.parts[1], ul.BCK_L14, R=5).status is Status.VERIFIED
    v = assert_refuted(run(ul.l14_part(factor="EX/R"), ul.BCK_L14, R=5))
    obs = dict(v.witness.observed)
    assert F(obs["E[U(R−X)]"]) < F(obs["c·(U(R)−U(0))"])


def test_l14_needs_u0_zero():
    v = assert_refuted(run(ul.l14_part(anchored=False), ul.BCK_L14, R=3))
    assert F(dict(v.witness.assignment)["U(0..R)"].strip("()").split(",")[0]) < 0


def run_route(part, claim=ul.BCK_L14):
    return run_part_inline(part, 60, claim_id=claim.id, uses=claim.uses)


def test_l14_route_proved_and_planted_factor_refuted_at_the_claim_step():
    route = ul.BCK_L14.parts[0]
    assert route.role is Role.ROUTE and route.method.name == "DERIVATION"
    v = run_route(route)
    assert v.status is Status.PROVED, v.summary
    for planted in (lambda m, R: m / R, lambda m, R: 1, lambda m, R: 1 - m / (2 * R)):
        bad = assert_refuted(run_route(cr.l14_route_part(factor=planted)))
        assert dict(bad.witness.assignment)["step"].startswith("L9. the claim")
        assert F(dict(bad.witness.observed)["value"]) < 0


def test_l14_route_needs_u0_nonnegative():
    bad = assert_refuted(run_route(cr.l14_route_part(anchored=False)))
    w = dict(bad.witness.assignment)
    assert w["step"].startswith("L9. the claim") and F(w["U_0"]) < 0      # U ≡ −1 breaks the bound


# --- BCK-L3 / L6 ------------------------------------------------------------------------------
class ConvexUtility:
    """A planted non-concave 'utility' t² (U(0) = 0, positive: every benchmark stays positive)."""

    def __call__(self, t):
        return F(t) ** 2

    def __str__(self):
        return "t^2"


def test_l3_planted_convex_utility_breaks_the_correlation_gap():
    assert_refuted(run(rv.l3_part(utilities=(ConvexUtility(),)), rv.BCK_L3, n=2))


def test_l6_true_merge_verified():
    route, *bounded = rv.BCK_L6.parts
    assert route.role is Role.ROUTE and all(p.role is Role.CROSS_CHECK for p in bounded)
    for part in bounded:
        assert run(part, rv.BCK_L6).status is Status.VERIFIED


def test_l6_route_proved_and_planted_merges_refuted():
    route = rv.BCK_L6.parts[0]
    v = run_part_inline(route, 60, claim_id=rv.BCK_L6.id, uses=rv.BCK_L6.uses)
    assert v.status is Status.PROVED, v.summary
    assert "uses BCK-L2" in v.assumes                                    # the cited lemma, shown with the verdict
    # a "merge" whose atom at 0 is (1 − a)(1 − b), as for independent variables: not a distribution
    bad = assert_refuted(run_part_inline(cr.l6_route_part(zero_mass=lambda a, b: (1 - a) * (1 - b)), 60,
                                         claim_id=rv.BCK_L6.id, uses=rv.BCK_L6.uses))
    assert dict(bad.witness.assignment)["step"].startswith("M1. Y's law is a distribution")
    # merging an illegal pair (Pr[X₁≠0] + Pr[X₂≠0] up to 2): Pr[Y = 0] < 0
    bad = assert_refuted(run_part_inline(cr.l6_route_part(cap=2), 60, claim_id=rv.BCK_L6.id, uses=rv.BCK_L6.uses))
    w = dict(bad.witness.assignment)
    assert w["step"].startswith("M2. Pr[Y = 0] ≥ 0") and F(w["a"]) + F(w["b"]) > 1


def test_l6_route_needs_its_citation_declared():
    v = run_part_inline(rv.BCK_L6.parts[0], 60, claim_id=rv.BCK_L6.id, uses=())
    assert v.status is Status.UNKNOWN and "BCK-L2" in v.summary


def _renormalising_merge(x1, x2):
    """Planted bug: ignores Pr[X1≠0]+Pr[X2≠0] ≤ 1 and rescales the masses to fit."""
    mass = mass_at_values((x1, x2))
    total = sum(mass.values(), F(0))
    scale = 1 / total if total > 1 else F(1)
    atoms = tuple((v, p * scale) for v, p in mass.items())
    return DiscreteRV(atoms + ((F(0), 1 - sum(p for _, p in atoms)),))


def _silently_rejecting_merge(x1, x2):
    """Planted bug: refuses legal pairs too."""
    raise UsageError("merge refused")


def _lossy_merge(x1, x2):
    """Planted bug: accepts the right pairs but drops the second variable's mass."""
    from mechproof.mechanisms.random_variables import merge
    merge(x1, x2)                                  # same acceptance rule
    return x1


@pytest.mark.parametrize("bad_merge", [_renormalising_merge, _silently_rejecting_merge, _lossy_merge])
def test_l6_planted_merge_bugs_are_refuted(bad_merge):
    assert_refuted(run(rv.l6_rule_part(bad_merge), rv.BCK_L6))


def test_l6_lossy_merge_also_lowers_the_utility():
    v = assert_refuted(run(rv.l6_gain_part(_lossy_merge), rv.BCK_L6, v=1, k=1))
    obs = dict(v.witness.observed)
    assert sp.sympify(obs["E[U_k(S')]"]) < sp.sympify(obs["E[U_k(S)]"])


# --- T4, T2, L20 (planted overclaims) ---------------------------------------------------------
def test_t4_verified_and_overclaimed_factor_refuted():
    assert run(bck_inventory.BCK_T4.parts[0], bck_inventory.BCK_T4).status is Status.VERIFIED
    assert_refuted(run(bck_inventory.t4_part(gamma_fn=lambda k: sp.Integer(1)), bck_inventory.BCK_T4))


def test_t2_overclaimed_factor_refuted():
    v = assert_refuted(run(bck_mechanisms.t2_part(factor=lambda p: sp.Integer(1)), bck_mechanisms.BCK_T2,
                           instances=1, k=1))
    assert dict(v.witness.assignment)["k"] == "1"


def test_t2_large_k_regime_is_visibly_unknown():
    parts = {p.name: p for p in bck_mechanisms.BCK_T2.parts}
    v = run(parts["(1−1/e−ε)·OPT_BIC for k ≥ 1/ε³"], bck_mechanisms.BCK_T2)
    assert v.status is Status.UNKNOWN and "not encoded" in v.summary
    assert run(parts["k ≥ 1/ε³: the stock-out step (identical buyers)"], bck_mechanisms.BCK_T2).status \
        is Status.VERIFIED


def test_l20_overclaimed_factor_refuted():
    assert_refuted(run(bck_mechanisms.l20_part(factor=F(1, 2)), bck_mechanisms.BCK_L20, pi="1"))


# --- EX1, L4, T1, TABLE -----------------------------------------------------------------------
def test_example1_is_proved_and_cross_checked():
    route, cross = bck_example1.BCK_EX1.parts
    v = run(route, bck_example1.BCK_EX1)
    assert v.status is Status.PROVED and "2ε² − ε³" in v.summary
    assert run(cross, bck_example1.BCK_EX1).status is Status.VERIFIED


def test_example1_with_a_wrong_dsic_value_is_refuted():
    from mechproof import steps_check, Method, Part
    eps = bck_example1.eps
    part = Part("planted", method=Method.DERIVATION, domain="all ε ∈ (0, 1)",
                check=steps_check(lambda: bck_example1.example1_steps(dsic_bound=2 * eps ** 2), summary="x"))
    v = assert_refuted(run(part, bck_example1.BCK_EX1))
    assert "step" in dict(v.witness.assignment)


def test_l4_and_t1_parts_pass():
    for claim in (bck_mechanisms.BCK_L4, bck_mechanisms.BCK_T1):
        for part in claim.parts:
            if part.name.startswith("tightness"):
                continue
            assert run(part, claim, instances=2, k=1).status is Status.VERIFIED, part.name


@pytest.mark.parametrize("claim", [bck_mechanisms.BCK_L4, bck_mechanisms.BCK_T1, bck_mechanisms.BCK_T2,
                                   bck_inventory.BCK_T4, bck_mechanisms.BCK_L20], ids=lambda c: c.id)
def test_open_tightness_is_an_unknown_cross_check_with_its_reason(claim):
    """Where no family approaching the bound is known, the claim says so (unknown, never a pass) and the
    claim's own verdict is not lowered by it."""
    part = next(p for p in claim.parts if p.name.startswith("tightness"))
    assert part.role is Role.CROSS_CHECK
    v = run_part_inline(part, 10, claim_id=claim.id, uses=())
    assert v.status is Status.UNKNOWN and v.summary.startswith("tightness not established: slack")


def test_table_gap_instances_keep_the_exact_values():
    from mechproof.mechanisms.bck_mechanism_cases import theorem2_gap, theorem4_gap
    t4 = theorem4_gap()
    assert (t4["DSIC revenue ≤"], t4["OPT_BIC"], t4["lottery problems"]) == (F(15, 8), F(277, 80), "none")
    t2 = theorem2_gap()
    assert t2["DSIC utility ≤"] / t2["BIC lottery E[U]"] < F(2526, 10000)      # (1 − 1/e)³ ≈ 0.25258
    for part in (bck_table.theorem4_gap_part(), bck_table.theorem2_gap_part()):
        assert run(part, bck_table.BCK_TABLE).status is Status.VERIFIED


def test_table_cells_are_readings_backed_by_their_theorems():
    claim = bck_table.BCK_TABLE
    assert set(claim.uses) == {"BCK-T1", "BCK-T2", "BCK-T4", "BCK-GAMMA:reading"}
    cells = [p for p in claim.parts if p.role is Role.READING]
    assert len(cells) == 12 and all(p.reading.startswith("column") for p in cells)
    verdicts = {p.name: run(p, claim) for p in cells}
    assert verdicts["RN–RA TIE vs BIC: γ(k) [Theorem 4]"].status is Status.PROVED
    cited = [name for name, v in verdicts.items() if "[Theorem" not in name]
    assert len(cited) == 6 and all(verdicts[n].status is Status.UNKNOWN for n in cited)
    assert not any(v.status is Status.REFUTED for v in verdicts.values())


# --- hand-computed pins: the bugs a ratio check cannot see (a lower benchmark, a kinder adversary) ---------
def _one_optimal_mechanism(U, vals, k):
    """Planted bug: ties between optimal mechanisms resolved to the last one found."""
    from mechproof.mechanisms.bck_posted_pricing import optimal_dsic
    best, mechs = optimal_dsic(U, vals, k)
    return best, mechs[-1:]


def _lowest_price_skipped(U, vals, k):
    """Planted bug: OPT_DSIC over prices above the lowest support value only (a buyer at his lowest value
    then never buys: the same optimum as with that value moved to 0)."""
    from mechproof.mechanisms.bck_posted_pricing import optimal_dsic
    from mechproof.mechanisms.random_variables import DiscreteRV
    cut = tuple(DiscreteRV.of({(v if v > min(d.values) else 0): p for v, p in d.atoms}) for d in vals)
    return optimal_dsic(U, cut, k)


def test_l4_pins_hold_and_catch_a_low_benchmark_or_missing_mechanisms():
    claim = bck_mechanisms.BCK_L4
    assert run(bck_mechanisms.l4_pin_part(), claim).status is Status.VERIFIED
    v = assert_refuted(run(bck_mechanisms.l4_pin_part(_one_optimal_mechanism), claim))
    assert "6 optimal mechanisms" in dict(v.witness.assignment)["instance"]
    assert_refuted(run(bck_mechanisms.l4_pin_part(_lowest_price_skipped), claim))


def test_l20_pins_hold_and_catch_a_kind_adversary():
    from mechproof.mechanisms.bck_matrix import soft_opm_utility
    claim = bck_mechanisms.BCK_L20
    assert run(bck_mechanisms.l20_pin_part(), claim).status is Status.VERIFIED
    no_adversary = lambda U, vals, offers, order: soft_opm_utility(U, vals, offers) / 2
    assert_refuted(run(bck_mechanisms.l20_pin_part(partial=no_adversary), claim))


def test_t2_pins_hold_and_catch_a_wrong_presence_probability():
    from mechproof.mechanisms.bck_bic import rounds_mechanism_utility
    claim = bck_mechanisms.BCK_T2
    assert run(bck_mechanisms.t2_pin_part(), claim).status is Status.VERIFIED
    always_present = lambda U, rule, vals, k: rounds_mechanism_utility(U, rule, vals, k) / (1 - sp.exp(-1))
    v = assert_refuted(run(bck_mechanisms.t2_pin_part(rounds=always_present), claim))
    assert "M_rounds" in dict(v.witness.assignment)["instance"]


def _algorithm1_increasing(rule, vals, k):
    """Planted bug: Algorithm 1 with the buyers in increasing order of payment_i/prob_i."""
    from mechproof.mechanisms.bck_bic import Algorithm1Outcome, count_distribution_step
    n = len(vals)
    probs, pays = [rule.prob(i, vals) for i in range(n)], [rule.payment(i, vals) for i in range(n)]
    order = tuple(sorted(range(n), key=lambda i: pays[i] / probs[i]))
    dist, reach = [F(1)] + [F(0)] * k, [F(0)] * n
    for i in order:
        reach[i] = 1 - dist[k]
        dist = count_distribution_step(dist, probs[i], k)
    return Algorithm1Outcome(order, tuple(reach), sum((reach[i] * pays[i] for i in range(n)), F(0)))


def test_t4_pins_hold_and_catch_algorithm1_in_increasing_order():
    claim = bck_inventory.BCK_T4
    assert run(bck_inventory.t4_pin_part(), claim).status is Status.VERIFIED
    v = assert_refuted(run(bck_inventory.t4_pin_part(run=_algorithm1_increasing), claim))
    assert "Algorithm 1" in dict(v.witness.assignment)["instance"]


def test_l3_pins_hold_and_catch_a_minimising_joint():
    from mechproof.mechanisms.random_variables import worst_case_joint
    claim = rv.BCK_L3
    assert run(rv.l3_pin_part(), claim).status is Status.VERIFIED
    best_joint = lambda f, margs, with_joint=True: (-worst_case_joint(lambda x: -f(x), margs, with_joint)[0], None)
    assert_refuted(run(rv.l3_pin_part(worst=best_joint), claim))


def _k_smallest(U, rvs, k):
    """Planted bug: E[U(sum of the k smallest entries)]."""
    from itertools import product
    total = F(0)
    for combo in product(*(x.atoms for x in rvs)):
        p = F(1)
        for _, q in combo:
            p *= q
        total += p * U(sum(sorted(v for v, _ in combo)[:k], F(0)))
    return total


def test_l6_pins_hold_and_catch_k_smallest_entries():
    claim = rv.BCK_L6
    assert run(rv.l6_pin_part(), claim).status is Status.VERIFIED
    assert_refuted(run(rv.l6_pin_part(expected=_k_smallest), claim))


def test_l1_rays_part_flags_cases_that_miss_the_hypothesis():
    from mechproof.mechanisms.bck_utility_cases import increment_comparison, ray_table

    def swapped(point, base):
        B, y, c = int(point["B"]), int(point["y"]), int(point["ray c"])
        masses = lambda v: tuple(F(int(t == v)) for t in range(B + 1))
        return increment_comparison({"X": point["X"], "Y1": masses(y), "Y2": masses(y + 1),
                                     "U(0..2B)": ray_table(c, 2 * B)}, base)

    assert run(ul.l1_rays_part(), ul.BCK_L1, B=2).status is Status.VERIFIED
    v = run(ul.l1_rays_part(step=swapped), ul.BCK_L1, B=2)
    assert v.status is Status.ERROR and "hypothesis" in v.summary


# --- tightness of the 1 − 1/e bounds (L3, L7, L8): n × Bernoulli(1/n) -------------------------
@pytest.mark.parametrize("claim", [rv.BCK_L3, rv.BCK_L7, rv.BCK_L8], ids=lambda c: c.id)
def test_bernoulli_family_proves_the_bound_is_the_infimum(claim):
    part = next(p for p in claim.parts if p.name.startswith("tightness"))
    v = run_part_inline(part, 60, claim_id=claim.id, uses=claim.uses)
    assert v.status is Status.PROVED, v.summary
    assert "1 − (1 − 1/n)ⁿ → 1 − 1/e" in v.summary


@pytest.mark.parametrize("wrong", [1 - sp.exp(-1) / 2, sp.Rational(2, 3)])
def test_bernoulli_family_refutes_a_planted_limit(wrong):
    v = run_part_inline(rv.bernoulli_family_part("BCK-L3", limit_value=wrong), 60, claim_id="BCK-L3", uses=())
    assert v.status is Status.REFUTED


def test_bernoulli_family_closed_form_is_pinned_to_the_lp():
    steps = rv.bernoulli_family_steps("BCK-L3")
    pinned = [s for s in steps if s.label.startswith("n = 6")]
    assert pinned and sp.nsimplify(pinned[0].lhs) == sp.Rational(31031, 46656)
