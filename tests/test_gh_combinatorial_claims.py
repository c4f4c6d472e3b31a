"""GH-T1, GH-DEF3, GH-T6, GH-COR2-8: true parts pass through the kernel, planted bugs are refuted
(and replayed) with exact witnesses, bound schemas refuse out-of-range values."""
from fractions import Fraction as F

import pytest

from mechproof import Method, Part, Role, Status, UsageError, Witness, refuted
from mechproof.domains import resolve_domains
from mechproof.mechanisms.deferred_acceptance import (DeferredAcceptanceAuction, k_select_clock, raw_virtual_pricing,
                                                      run_auction)
from mechproof.mechanisms.gh_virtual_pricing import posted_prices_outside_ironed_intervals
from mechproof.mechanisms.pen_testing import Pens
from mechproof.mechanisms.posted_pricing import atoms
from mechproof.runner import run_part_inline
import mechproof.papers.gh_corollaries as cor
import mechproof.papers.gh_pen_testing as pen
import mechproof.papers.gh_t6_buffering as t6


def run(part, claim, budget=120, **bounds):
    return run_part_inline(part, budget, domain=part.domain.resolve(bounds), claim_id=claim.id, uses=claim.uses)


class InkNotSpentPens(Pens):
    """Planted bug: a successful test leaves the ink untouched."""

    def test(self, pen, theta):
        ok = self._residual[pen] >= theta
        if not ok:
            self._residual[pen] = F(0)
        return ok


# ------------------------------------------------------------------ GH-T1
def test_t1_parts_and_status():
    exhaustive, random_part, gamma, theorem, omniscient = pen.GH_T1.parts
    assert run(exhaustive, pen.GH_T1).status is Status.VERIFIED
    v = run(random_part, pen.GH_T1, examples=40)
    assert v.status is Status.TESTED and v.seed == 0 and v.cases == 40
    assert run(gamma, pen.GH_T1).status is Status.VERIFIED
    assert run(omniscient, pen.GH_T1).status is Status.UNKNOWN and omniscient.method is Method.NONE
    assert pen.GH_T1.uses == ("GH-DEF3",)


def test_t1_theorem_on_the_finite_class_and_planted_bugs():
    theorem = pen.GH_T1.parts[3]
    v = run(theorem, pen.GH_T1, n="2")
    assert v.status is Status.VERIFIED and v.cases == 16
    # a γ the pen algorithm does not meet (it would have to earn twice the optimal pen tester)
    v = run(pen.theorem_bounded_part(gamma=F(1, 2)), pen.GH_T1, n="2")
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    obs = dict(v.witness.observed)
    assert F(obs["E_ink_DA_U"]) / 2 < F(obs["OPT_pen"])
    # pens whose successful tests spend nothing: the pen run is no longer the auction's
    v = run(pen.theorem_bounded_part(InkNotSpentPens), pen.GH_T1, n="2")
    assert v.status is Status.REFUTED


def test_optimal_pen_value_pinned_and_sandwiched():
    """Hand value: two pens of ink 0 or 2 (½ each), select one: every test spends what it tests, so no
    test beats taking a pen untested, E[v] = 1 (E[max] = 3/2). Every instance of the class: max E[v_i]
    ≤ OPT_pen ≤ E[max feasible v]."""
    from mechproof.mechanisms.feasibility import KSelect
    from mechproof.mechanisms.gh_pen_mdp import (MDP_DISTRIBUTIONS, mdp_instance, mdp_points, optimal_pen_value,
                                                 pen_algorithm_meets_theorem1)
    from mechproof.mechanisms.posted_pricing import atoms, expected
    d = atoms([(0, F(1, 2)), (2, F(1, 2))])
    assert optimal_pen_value((d, d), KSelect(2, 1)) == 1 and optimal_pen_value((d,), KSelect(1, 1)) == 1
    for point in mdp_points({"n": (2,)}):
        dists, cons = mdp_instance(point)
        opt = optimal_pen_value(dists, cons)
        means = [expected((x,), lambda v: v[0]) for x in dists]
        assert max(means) <= opt <= pen_algorithm_meets_theorem1(point)[1]["OPT_V"]
    assert len(MDP_DISTRIBUTIONS) == 4


def test_t1_ink_not_spent_is_refuted_and_replayed():
    v = run(pen.exhaustive_pen_run_part(InkNotSpentPens), pen.GH_T1)
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    obs = dict(v.witness.observed)
    assert obs["consumer_surplus"] != obs["residual_ink"]
    assert dict(v.witness.assignment)["auction"].startswith("k-select clock n=3")      # 3 agents come first
    assert run(pen.random_pen_run_part(InkNotSpentPens), pen.GH_T1, examples=200).status is Status.REFUTED
    assert run(pen.gamma_one_part(InkNotSpentPens), pen.GH_T1).status is Status.REFUTED


def test_t1_random_strategy_draws_exact_dicts():
    from hypothesis import find, settings
    from mechproof.mechanisms.gh_pen_runs import random_da_strategy
    example = find(random_da_strategy(3), lambda d: True, settings=settings(database=None))
    assert set(example) == {"n", "family", "increments", "values"}
    assert all(isinstance(x, F) for x in example["values"] + example["increments"])


def test_t1_bounds_are_scoped_and_ranged():
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([pen.GH_T1], {"GH-T1.values": 0})
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([pen.GH_T1], {"GH-T1.agents": 1})
    with pytest.raises(UsageError, match="only when scoped"):
        resolve_domains([pen.GH_T1], {"values": 3})


def test_a_bogus_witness_is_rejected_by_the_replay():
    part = pen.exhaustive_pen_run_part()
    bogus = Part("bogus", method=Method.ENUMERATION, domain=part.domain, replay=part.replay,
                 check=lambda ctx: refuted(witness=Witness.of({"auction": "k-select clock n=3 k=1",
                                                               "values": (F(0), F(1), F(2))}), summary="bogus"))
    v = run_part_inline(bogus, 30)
    assert v.status is Status.ERROR and "does not reproduce" in v.summary


# ------------------------------------------------------------------ GH-DEF3
def test_def3_true_parts_pass():
    route, *bounded = pen.GH_DEF3.parts
    assert route.role is Role.ROUTE and route.method is Method.DERIVATION
    for part in bounded:
        assert part.role is Role.CROSS_CHECK, part.name
        assert run(part, pen.GH_DEF3).status is Status.VERIFIED, part.name


def test_def3_route_proved_for_every_distribution():
    v = run(pen.GH_DEF3.parts[0], pen.GH_DEF3)
    assert v.status is Status.PROVED, v.summary
    assert any(a.startswith("H3. the hull is affine where it lies above U") for a in v.assumes)   # the one Assume
    assert any("discrete reading" in a for a in v.assumes) and any("quantile model" in a for a in v.assumes)


def test_def3_route_with_the_raw_virtual_value_is_refuted_at_the_hull_vertex_step():
    """Planted false lemma: ū increasing to the right (the raw u of Uniform[0, 1], u(q) = q): a sup of {u ≥ v̂}
    can be interior to a piece, and step H2 (and A1) fail at an exact point."""
    from mechproof.papers.gh_def3_route import RAW_UNIFORM_CHANGE, def3_route_part
    v = run(def3_route_part(RAW_UNIFORM_CHANGE), pen.GH_DEF3)
    assert v.status is Status.REFUTED
    w = dict(v.witness.assignment)
    assert w["step"].startswith("H2.") and F(w["c"]) > F(w["m"])
    assert "replayed by the core" in v.witness.recheck


def test_def3_unironed_pricing_is_refuted_by_the_ironed_interval_definition():
    v = run(pen.posted_prices_part(raw_virtual_pricing), pen.GH_DEF3)
    assert v.status is Status.REFUTED
    obs = {k: F(x) for k, x in v.witness.observed if k in ("U", "U_ironed", "quantile")}
    assert obs["U"] < obs["U_ironed"] and 0 < obs["quantile"] < 1
    assert run(pen.allocation_part(raw_virtual_pricing), pen.GH_DEF3).status is Status.REFUTED
    assert run(pen.consumer_surplus_part(raw_virtual_pricing), pen.GH_DEF3).status is Status.REFUTED


def test_def3_checks_prices_posted_mid_run_not_only_final_ones():
    d = atoms([(3, F(1, 2)), (1, F(1, 4)), (0, F(1, 4))])        # ironed on (0, 1); U(3/4) = 1 < Ū(3/4) = 21/16

    def interior_then_exit(da_v, curves):
        rule = lambda h: {0: F(1)} if len(h) == 1 else {0: F(4)}
        return DeferredAcceptanceAuction("interior price at stage 1", da_v.constraint, rule)

    out = run_auction(interior_then_exit(k_select_clock(2, 1, (0,)), None), (F(3), F(0)))
    assert out.prices == (F(4), F(0))            # final prices: quantiles 0 and 1, both on the hull
    ok, seen = posted_prices_outside_ironed_intervals({"k": 1, "distributions": (d, d), "values": (F(3), F(0))},
                                                      interior_then_exit)
    assert ok is False and seen["stage"] == 1 and seen["U_ironed"] == F(21, 16)


def test_def3_schema():
    with pytest.raises(UsageError, match="k < n"):
        resolve_domains([pen.GH_DEF3], {"GH-DEF3.k": 2})
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([pen.GH_DEF3], {"GH-DEF3.n": 4})


def test_def3_price_map_pinned_by_definition3_and_strict_tie_rule_refuted():
    """Definition 3's θ = sup{θ : ū(θ) ≥ v̂} at a v̂ equal to a hull slope sells the whole segment; the tie rule
    'ū > v̂' (one segment short) posts the higher price there and is refuted."""
    from mechproof.mechanisms.gh_virtual_pricing import definition3_price
    part = next(p for p in pen.GH_DEF3.parts if p.name.startswith("price map = Definition 3"))
    assert part.role is Role.CROSS_CHECK and run(part, pen.GH_DEF3).status is Status.VERIFIED
    d = atoms([(2, F(1, 2)), (0, F(1, 2))])          # U: (0, 0), (½, 0), (1, 1): one segment of slope 1
    assert definition3_price(d, F(1)) == 0 and definition3_price(d, F(2)) == 3

    def strict(curve, virtual_price):
        theta = 0
        for _, b, s in curve.segment_slopes():
            if s > virtual_price:
                theta = b
        if theta == 0:
            return curve.dist[0][0] + 1
        return F(0) if theta == len(curve.dist) else curve.dist[theta - 1][0]

    v = run(pen.price_map_definition_part(strict), pen.GH_DEF3)
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    obs = dict(v.witness.observed)
    assert F(obs["price"]) > F(obs["definition_3_price"])


def test_t1_optimal_pen_value_must_dominate_the_pen_algorithm():
    """An optimal pen value below what DA^U's pen algorithm earns (here: the true one less 1/100) is a wrong
    model, refuted even though 'ink ≥ OPT_pen' then holds."""
    from mechproof.mechanisms.gh_pen_mdp import optimal_pen_value
    too_low = lambda dists, cons: optimal_pen_value(dists, cons) - F(1, 100)       # noqa: E731
    v = run(pen.theorem_bounded_part(opt_value=too_low), pen.GH_T1, n="2")
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    obs = dict(v.witness.observed)
    assert F(obs["OPT_pen"]) < F(obs["E_ink_DA_U"]) and "model_error" in obs


# ------------------------------------------------------------------ GH-T6
def test_t6_every_unit_allocated_and_unsplit_ties_refuted():
    """v ≡ 1: n·∫y = k for both rules, identically in ε; a buffered rule whose top region always wins (ties at
    buffered quantile 0 not split) allocates more than k units and is refuted."""
    import sympy as sp
    from mechproof.mechanisms.buffering import EPS, Q, buffered_interim_allocation_k_select
    part = next(p for p in t6.GH_T6.parts if p.name.startswith("every unit allocated"))
    assert part.role is Role.CROSS_CHECK
    v = run(part, t6.GH_T6)
    assert v.status is Status.VERIFIED and v.cases == 7

    def top_always_wins(n, k, vq, eps):
        pieces = buffered_interim_allocation_k_select(n, k, eps)
        pieces[0] = (0, eps, sp.Integer(1))
        return sp.expand(n * sum(sp.integrate(sp.expand(y * vq), (Q, lo, hi)) for lo, hi, y in pieces))

    v = run(t6.allocation_total_part(surplus_of=top_always_wins), t6.GH_T6)
    assert v.status is Status.REFUTED and dict(v.witness.assignment) == {"n": "2", "k": "1"}
    assert EPS.is_positive


def test_t6_as_printed_refuted_at_the_minimal_admitted_point():
    part = t6.GH_T6.parts[0]
    assert part.role is Role.AS_PRINTED
    v = run(part, t6.GH_T6)
    assert v.status is Status.REFUTED
    assert dict(v.witness.assignment) == {"n": "2", "k": "1", "v": "1-q", "epsilon": "1/3"}
    obs = dict(v.witness.observed)
    assert obs["factor"] == "-1/9" and F(obs["surplus_M/factor"]) < 0 < F(obs["OPT_V"])


def test_t6_never_refutes_where_the_bound_is_undefined():
    # ε = 1/(2n) (division by zero) is skipped; n = 1 has no admitted ε ≥ 1/(2n) below 1/2
    v = run(t6.GH_T6.parts[0], t6.GH_T6, n="1", k="1", epsilon="1/10,1/4,2/5")
    assert v.status is Status.VERIFIED and v.cases == 15
    with pytest.raises(UsageError, match="empty"):           # every point excluded: refused before anything runs
        resolve_domains([t6.GH_T6], {"GH-T6.n": "2", "GH-T6.k": "1", "GH-T6.epsilon": "1/4"})
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([t6.GH_T6], {"GH-T6.epsilon": "1/2"})


def test_t6_reading_and_wrong_constant():
    reading = t6.GH_T6.parts[1]
    assert reading.role is Role.READING and "1/(2n)" in reading.reading
    assert run(reading, t6.GH_T6, n="2,3", k="1,2").status is Status.VERIFIED
    v = run(t6.reading_part(factor=lambda n, e: 1 + 0 * e), t6.GH_T6, n="2,3", k="1,2")
    assert v.status is Status.REFUTED
    eps, n = F(dict(v.witness.observed)["epsilon"]), int(dict(v.witness.assignment)["n"])
    assert 0 < eps < F(1, 2 * n)
    with pytest.raises(UsageError, match="empty"):
        resolve_domains([t6.GH_T6], {"GH-T6.n": "2", "GH-T6.k": "3"})


# ------------------------------------------------------------------ GH-COR2-8
def test_cor_parts_one_per_corollary():
    names = [p.name for p in cor.GH_COR2_8.parts]
    for c in range(2, 9):
        assert any(n.startswith(f"Cor. {c}:") for n in names), c
    verdicts = {p.name: run(p, cor.GH_COR2_8) for p in cor.GH_COR2_8.parts}
    passing = [n for n, v in verdicts.items() if v.passes]
    assert len(passing) == 4 and all("ingredient" in n or "composition" in n for n in passing)
    assert all(v.status is Status.UNKNOWN for n, v in verdicts.items() if n not in passing)
    assert {"GH-T1", "GH-L6", "GH-T8", "GH-COR1"} <= set(cor.GH_COR2_8.used_ids)


# ------------------------------------------------------------------ GH-T6, general environments
def _general(part_name="general environments"):
    return next(p for p in t6.GH_T6.parts if p.name.startswith(part_name))


def test_t6_general_environments_verified_and_wrong_factor_refuted():
    """Non-identical discrete values, every downward-closed family: Theorem 6's factor holds for every ε <
    1/(2n); the factor 1 (buffering loses nothing) is refuted at an exact ε, replayed by the plain sum."""
    part = _general()
    assert part.role is Role.READING and "1/(2n)" in part.reading
    v = run(part, t6.GH_T6, agents="1,2", atoms="2,3")
    # n = 1: 2 value sets × 2 top probabilities, per atom count; n = 2: 3 families, 2 of them symmetric (halved)
    assert v.status is Status.VERIFIED and v.cases == 4 + 4 + (48 + 24 + 24) + (160 + 80 + 80)
    planted = run(t6.general_part(factor=lambda n: [1]), t6.GH_T6, agents="2")
    assert planted.status is Status.REFUTED and "replayed by the core" in planted.witness.recheck
    obs = dict(planted.witness.observed)
    n = int(dict(planted.witness.assignment)["n"])
    assert 0 < F(obs["epsilon"]) < F(1, 2 * n) and F(obs["surplus_M"]) < F(obs["OPT_V"])


def test_t6_general_surplus_pinned_by_hand():
    """One item, agent 1 always 2, agent 2 is 3 w.p. 1/4 else 1.  M believes agent 2 high iff
    q ≤ ε + (1/4)(1 − 2ε) = 1/4 + ε/2, so surplus(M) = (1/4)·3 + (ε/2)·1 + (3/4 − ε/2)·2 = 9/4 − ε/2 and
    OPT^V = 9/4; the pieces give the same polynomial."""
    from mechproof.mechanisms.buffering_general import buffered_surplus_at, gap_pieces, instance_of, optimal_surplus
    inst = instance_of({"n": 2, "family": ((1,), (2,)), "values": ((F(2),), (F(3), F(1))),
                        "probs": ((F(1),), (F(1, 4), F(3, 4)))})
    assert optimal_surplus(inst) == F(9, 4)
    for eps in (F(1, 10), F(1, 7), F(1, 5)):
        assert buffered_surplus_at(inst, eps) == F(9, 4) - eps / 2
    (lo, hi, coeffs), = gap_pieces(inst, factor=lambda n: [0])
    assert (lo, hi) == (0, F(1, 4)) and coeffs == [F(9, 4), F(-1, 2)]


def test_t6_general_pieces_equal_the_plain_sum():
    """The piecewise polynomials the check decides equal the plain definition at rational ε inside
    every piece (three atoms, so ends cross cuts inside (0, 1/(2n)))."""
    from itertools import islice
    from mechproof.mechanisms.buffering_general import (buffered_surplus_at, gap_pieces, general_points, instance_of,
                                                        optimal_surplus)
    from mechproof.mechanisms.buffering import buffering_factor
    dom = _general().domain.resolve({"agents": "2", "atoms": "3", "p_top": "1/2,3/4"})
    crossed = 0
    for point in islice(general_points(dom), 0, None, 7):
        inst = instance_of(point)
        pieces = gap_pieces(inst)
        crossed += len(pieces) > 1
        for lo, hi, coeffs in pieces:
            for eps in (lo + (hi - lo) / 3, lo + (hi - lo) * 4 / 5):
                gap = buffered_surplus_at(inst, eps) - buffering_factor(2, eps) * optimal_surplus(inst)
                assert sum(c * eps ** i for i, c in enumerate(coeffs)) == gap
    assert crossed > 0


def test_t6_general_counts_ties_and_bounds():
    from mechproof.mechanisms.buffering_general import (canonical_families, downward_closed_families,
                                                        general_cases, general_points, instance_of, ties)
    assert [len(downward_closed_families(n)) for n in (1, 2, 3)] == [1, 4, 18]      # Dedekind numbers − 2
    assert [len(canonical_families(n)) for n in (1, 2, 3)] == [1, 3, 8]
    for bounds in ({"agents": "3", "atoms": "1"}, {"agents": "2", "atoms": "2,3", "p_top": "1/2"}):
        dom = _general().domain.resolve(bounds)
        assert general_cases(dom) == sum(1 for _ in general_points(dom))
    # a tie ({1} and {2} both worth 2) is outside the general-position model: undecided, never a pass
    tied = {"n": 2, "family": ((1,), (2,)), "values": ((F(2),), (F(3), F(2))), "probs": ((F(1),), (F(1, 2),) * 2)}
    assert ties(instance_of(tied)) == (F(2), F(2))
    assert t6._general_holds(None)(tied).holds is None
    from mechproof.mechanisms.exact import UsageError as ModelError
    with pytest.raises(ModelError, match="sum to 1"):
        instance_of({**tied, "probs": ((F(1),), (F(1, 2), F(1, 3)))})
    with pytest.raises(ModelError, match="decreasing"):
        instance_of({**tied, "values": ((F(2),), (F(2), F(3)))})
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([t6.GH_T6], {"GH-T6.agents": "4"})
    with pytest.raises(UsageError):
        resolve_domains([t6.GH_T6], {"GH-T6.value_sets": "primes"})


def test_polynomial_signs_exact_with_irrational_roots():
    """x² − x + 1/5 has the irrational roots (5 ± √5)/10 in (0, 1): negative between them (witness there),
    positive on (0, 1/4); (x − 1/2)² touches 0 and stays ≥ 0; the Bernstein route and Sturm agree."""
    from mechproof.symbolic.real_roots import coefficients_nonnegative_on
    out = coefficients_nonnegative_on([F(1, 5), -1, 1], 0, 1)
    w = out.witness
    assert out.sign == -1 and isinstance(w, F) and w * w - w + F(1, 5) < 0
    assert coefficients_nonnegative_on([F(1, 5), -1, 1], 0, F(1, 4)).sign == 1
    assert coefficients_nonnegative_on([F(1, 4), -1, 1], 0, 1).sign == 1
    assert coefficients_nonnegative_on([0, 0, 0], 0, 1).sign == 0
    with pytest.raises(ValueError):
        coefficients_nonnegative_on([1], 1, 1)


def test_t6_general_cross_checks_refute_planted_model_bugs(monkeypatch):
    """The two cross-checks beside the general part fail on a broken model: pieces that lose their
    breakpoints (the first piece's polynomial used on all of (0, 1/(2n))) disagree with the plain sum,
    and an OPT^V off by one disagrees with the hand values."""
    from mechproof.mechanisms import buffering_general as bg
    real = bg.gap_pieces

    def lost_breakpoints(inst, factor=None):
        pieces = real(inst, factor)
        return [(pieces[0][0], pieces[-1][1], pieces[0][2])]

    monkeypatch.setattr(t6, "gap_pieces", lost_breakpoints)
    v = run(t6.general_agreement_part(), t6.GH_T6)
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    monkeypatch.setattr(t6, "gap_pieces", real)
    monkeypatch.setattr(t6, "general_optimal_surplus", lambda inst: bg.optimal_surplus(inst) + 1)
    assert run(t6.general_pinned_part(), t6.GH_T6).status is Status.REFUTED
