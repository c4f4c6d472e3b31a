"""GH symbolic claims through the kernel: true parts pass; planted wrong constants / false lemmas /
wrong thresholds are refuted with exact, replayed witnesses; readings, roles and bound schemas."""
import pytest
import sympy as sp

from mechproof import Method, Part, Role, Status, UsageError, steps_check

from mechproof.papers import gh_buffering as buf, gh_exponential as ex, gh_k_goods as kg, gh_online as on
from mechproof.papers import gh_single_agent as sa
from mechproof.runner import run_part_inline


def part(claim, name):
    return next(p for p in claim.parts if p.name == name)


def run(p, claim=None, **bounds):
    return run_part_inline(p, 120, domain=p.domain.resolve(bounds), claim_id=claim.id if claim else "",
                           uses=claim.uses if claim else ())


def roles(claim):
    return {p.name: p.role for p in claim.parts}


def test_true_derivations_are_proved():
    for claim, name in ((sa.GH_EQ1, "general derivation"), (sa.GH_L2, "general derivation"),
                        (ex.GH_R3, "derivation for all n"), (buf.GH_T7, "ε < 1/(2n)"),
                        (buf.GH_COR1, "step 2 corrected"), (buf.GH_COR1, "step 3: limit and range"),
                        (kg.GH_L3, "0 < ε ≤ 1"), (kg.GH_T8, "algebra and limits"), (on.GH_T10, "case analysis"),
                        (on.GH_L7, "general n"), (ex.GH_COR9, "tightness")):
        v = run(part(claim, name), claim)
        assert v.status is Status.PROVED, (claim.id, name, v.summary)


def test_no_step_is_an_unchecked_string():
    """Every step is a typed fact; citations are declared uses; assumptions are shown with the verdict."""
    v = run(part(sa.GH_EQ1, "general derivation"), sa.GH_EQ1)
    assert "uses GH-ASSUME" in v.assumes and sa.GH_EQ1.uses == ("GH-ASSUME:convention",)
    bare = run_part_inline(part(sa.GH_EQ1, "general derivation"), 60, claim_id="GH-EQ1", uses=())
    assert bare.status is Status.UNKNOWN                   # the reading it cites must be a declared dependency
    v = run(part(on.GH_T10, "case analysis"), on.GH_T10)
    assert {"uses GH-L7", "uses GH-L8", "uses GH-L2"} <= set(v.assumes)
    # a Cite of a claim not declared in uses is not a proof
    bare = run_part_inline(part(on.GH_T10, "case analysis"), 60, claim_id="GH-T10", uses=())
    assert bare.status is Status.UNKNOWN and "uses" in bare.summary


def test_paper_findings_are_refuted_with_exact_witnesses():
    v = run(part(sa.GH_ASSUME, "as printed: ∫₀¹ v = 0"), sa.GH_ASSUME)
    assert v.status is Status.REFUTED and dict(v.witness.observed)["∫₀¹ v(t) dt"] == "1"
    v = run(part(buf.GH_COR1, "step 2 as printed"), buf.GH_COR1)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["L"] == "log(10)"
    v = run(part(buf.GH_T7, "as printed: any quantile ε"), buf.GH_T7)
    assert v.status is Status.REFUTED and dict(v.witness.assignment) == {"n": "2", "epsilon": "1/3"}
    assert "replayed by the core" in v.witness.recheck


def test_readings_and_roles():
    assert roles(sa.GH_ASSUME) == {"as printed: ∫₀¹ v = 0": Role.AS_PRINTED, "reading: V(0) = 0, U(0) = 0": Role.READING,
                                   "reading: v(1) := 0": Role.READING}
    assert roles(buf.GH_T7)["ε < 1/(2n)"] is Role.READING and "1/(2n)" in part(buf.GH_T7, "ε < 1/(2n)").reading
    assert roles(buf.GH_COR1)["step 2 as printed"] is Role.AS_PRINTED
    assert roles(buf.GH_COR1)["step 2 corrected"] is Role.READING
    # GH-L3: ε > 1 is excluded by the paper's own definitions (a quantile floor): a reading, no refutation
    assert [p.role for p in kg.GH_L3.parts] == [Role.READING] and "quantile floor" in kg.GH_L3.parts[0].reading
    assert roles(sa.GH_EQ1) == {"general derivation": Role.ROUTE, "closed forms": Role.CROSS_CHECK}
    assert roles(ex.GH_R3) == {"derivation for all n": Role.ROUTE, "exact integrals": Role.CROSS_CHECK}
    assert roles(on.GH_L7)["general n"] is Role.ROUTE
    assert set(kg.GH_L3.uses) == {"GH-L5", "GH-T9", "GH-T5"} and "GH-T6:reading" in buf.GH_T7.uses
    assert buf.GH_COR1.uses == ("GH-T7:reading",) and "GH-COR1:reading" in kg.GH_T8.uses
    for p in (part(sa.GH_ASSUME, "reading: V(0) = 0, U(0) = 0"), part(sa.GH_ASSUME, "reading: v(1) := 0")):
        assert run(p, sa.GH_ASSUME).passes


def test_planted_wrong_constant_eq1_and_l2():
    """Planted: Eq. (1) with 1/t² instead of 1/t; Eq. (2) with 1/t instead of 1/t²."""
    bad1 = run(sa.closed_forms_part("Eq. (1) with t²", sa.V_of, lambda vq: sa.eq1_rhs(vq, power=2)))
    assert bad1.status is Status.REFUTED and "q" in dict(bad1.witness.assignment)
    bad2 = run(sa.closed_forms_part("Eq. (2) with t", sa.V_of, lambda vq: sa.eq2_rhs_closed(vq, power=1)))
    assert bad2.status is Status.REFUTED
    assert run(sa.closed_forms_part("Eq. (1)", sa.V_of, sa.eq1_rhs)).status is Status.PROVED


def test_planted_wrong_t7_bound():
    """Planted: Theorem 7 with (1 − nε) instead of (1 − 2nε)."""
    e, n = buf.eps, buf.n
    wrong = (1 - sp.log(e)) / ((1 - e / (1 - e)) * (1 - e) * (1 - n * e))
    p = Part("planted", method=Method.DERIVATION, domain="planted", check=steps_check(buf.t7_steps(wrong), summary="x"))
    v = run(p, buf.GH_T7)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("composition")


@pytest.mark.parametrize("threshold, failing", [(7, "ln 7 > 2"), (9, "at n = 8 the bound is negative")])
def test_cor1_planted_wrong_threshold(threshold, failing):
    """The 'positive only for n ≥ 8' step is checked: a wrong threshold is refuted at the failing sign step."""
    p = Part("planted", method=Method.DERIVATION, domain="planted",
             check=steps_check(buf.cor1_limit_steps(threshold), summary="x"))
    v = run(p, buf.GH_COR1)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith(failing)


def test_t7_as_printed_skips_undefined_points_and_schema_bounds():
    dom = part(buf.GH_T7, "as printed: any quantile ε").domain
    pts = list(buf.t7_points(dom.resolve({"n": "2", "epsilon": "1/4,1/2,1/3"})))
    assert pts == [{"n": 2, "epsilon": sp.Rational(1, 3)}]          # 1/4 = 1/(2n) and 1/2 leave the bound undefined
    with pytest.raises(UsageError):
        dom.resolve({"epsilon": "1"})            # ε must be a quantile in (0, 1)
    with pytest.raises(UsageError):
        dom.resolve({"n": "0"})
    v = run(part(buf.GH_T7, "as printed: any quantile ε"), buf.GH_T7, n="1", epsilon="1/10,1/3")
    assert v.status is Status.VERIFIED and v.cases == 2


def test_l7_convexity_and_planted_variants():
    q = on.q
    ok = run(on.convexity_part(lambda m: q / (1 - (1 - q) ** m), "L7"), n=8)
    assert ok.status is Status.VERIFIED and ok.cases == 8
    # (1 − (1−q)^n)/q = Σ_{j<n}(1−q)^j IS convex (the 'planted bug' is not one): it passes
    recip = run(on.convexity_part(lambda m: (1 - (1 - q) ** m) / q, "(1−(1−q)^n)/q"), n=8)
    assert recip.status is Status.VERIFIED
    # ... while claiming it (or L7's function) concave is false: refuted, replayed at an exact q
    bad = run(on.convexity_part(lambda m: (1 - (1 - q) ** m) / q, "(1−(1−q)^n)/q", want=-1), n=8)
    assert bad.status is Status.REFUTED and dict(bad.witness.assignment) == {"n": "3"}
    assert "q" in dict(bad.witness.observed)
    bad2 = run(on.convexity_part(lambda m: q / (1 - (1 - q) ** m), "L7", want=-1), n=8)
    assert bad2.status is Status.REFUTED
    with pytest.raises(UsageError):
        part(on.GH_L7, "exact for small n (convex)").domain.resolve({"n": "0"})


def test_t10_discrete_and_planted_bound():
    p = part(on.GH_T10, "small discrete distributions")
    v = run(p, on.GH_T10, n=2, values=3)
    assert v.status is Status.VERIFIED and v.cases == p.domain.resolve({"n": 2, "values": 3}).size
    # planted: omniscient ratio ≤ 1 (no H_n + 1) is false from n = 2 on; replayed by enumerating profiles
    w = run(on.posted_price_part(bound=lambda m: 1), on.GH_T10, n=3, values=2)
    assert w.status is Status.REFUTED and dict(w.witness.assignment)["n"] == "2"
    with pytest.raises(UsageError):
        p.domain.resolve({"n": "7"})


def test_r3_exact_schema():
    p = part(ex.GH_R3, "exact integrals")
    assert run(p, ex.GH_R3, n=3).cases == 3
    with pytest.raises(UsageError):
        p.domain.resolve({"n": "0"})


def _my_claims():
    from mechproof.claims import claims_in_module
    from mechproof.papers import gh_harmonic, gh_numeric, gh_surplus_bounded
    mods = (sa, ex, gh_surplus_bounded, buf, kg, gh_numeric, on, gh_harmonic)
    return [c for m in mods for c in claims_in_module(m)]


def test_every_bound_key_is_local_and_refuses_out_of_range_values():
    """Every bound of the group is scoped to its claim, and a value below its range is a usage error."""
    claims = _my_claims()
    assert len({c.id for c in claims}) == 16
    keys = [(c.id, p, k) for c in claims for p in c.parts for k in p.domain.keys]
    assert keys and all(k.local for _, _, k in keys)
    for cid, p, k in keys:
        if k.lo is None:
            continue
        below = k.lo if k.lo_open else k.lo - 1
        with pytest.raises(UsageError):
            p.domain.resolve({k.name: str(below)})


def test_every_part_declares_its_method_and_a_replay_where_it_can_refute():
    for c in _my_claims():
        for p in c.parts:
            assert isinstance(p.method, Method)
            assert p.replay is not None, (c.id, p.name)


def test_l3_composition_uses_the_cited_factors_and_planted_bound_refuted():
    """L3's composition multiplies the cited claims' own factors; a printed bound without Yan's factor fails."""
    no_yan = lambda e, nn, kk, ceiling=True: (1 - sp.log(e)) * (1 + (nn / kk - 1) * e)
    v = run(kg.l3_part(no_yan), kg.GH_L3)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("composition")
    assert {"GH-T9", "GH-T5", "GH-L3"} <= set(kg.GH_T8.uses)


def test_l7_coefficient_signs_are_real_checks():
    """Planted false lemma: S·S'' at w^(n−2) without truncation — the coefficient is 0, not (m+1)(m+2) > 0."""
    p = Part("planted", method=Method.DERIVATION, domain="planted",
             check=steps_check(lambda: on.l7_steps(truncation=0), summary="x"))
    v = run(p, on.GH_L7)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("m = n − 2")


def test_t10_closed_forms_pinned_by_profiles_and_planted_off_by_one():
    """The fast E[max] and best posted-price CS = their profile enumerations; a geometric sum with one term too
    many (Σ_{i≤n} instead of Σ_{i<n}) is refuted.  Hand value: {1: ½, 0: ½}, n = 2: price 0 earns 3/4."""
    from fractions import Fraction as F
    from mechproof.mechanisms.distributions import DiscreteDistribution
    from mechproof.mechanisms.quantile_curves import consumer_surplus_envelope
    from mechproof.mechanisms.surplus_instances import best_posted_consumer_surplus
    d = DiscreteDistribution.of({1: F(1, 2), 0: F(1, 2)})
    assert best_posted_consumer_surplus(d, 2) == F(3, 4)
    p = part(on.GH_T10, "closed forms = profile enumeration")
    assert p.role is Role.CROSS_CHECK
    v = run(p, on.GH_T10)
    assert v.status is Status.VERIFIED and v.cases == p.domain.resolve({}).size
    extra_term = lambda dd, m: max(sum((1 - x) ** i for i in range(m + 1)) * c      # noqa: E731
                                   for x, c in consumer_surplus_envelope(dd))
    w = run(on.closed_forms_part(best=extra_term), on.GH_T10, n=2, values=2)
    assert w.status is Status.REFUTED and dict(w.witness.assignment)["n"] == "1"



def test_t10_route_proved_for_every_distribution_with_cross_checks():
    """The route: E[max] = U(1) + ∫ w·U (w ≥ 0), U ≤ B/g, ∫ w/g = ln n, ln n ≤ H_n — no ironing, no Lemma 7."""
    route = on.GH_T10.parts[0]
    assert route.role is Role.ROUTE and route.method is Method.DERIVATION
    assert {p.name: p.role for p in on.GH_T10.parts[1:]} == {
        "case analysis": Role.CROSS_CHECK, "small discrete distributions": Role.CROSS_CHECK,
        "closed forms = profile enumeration": Role.CROSS_CHECK}
    v = run(route, on.GH_T10)
    assert v.status is Status.PROVED, v.summary
    assert "uses GH-ASSUME" in v.assumes and "GH-ASSUME:convention" in on.GH_T10.uses
    assert any("Stieltjes" in a for a in v.assumes) and any("posted-price consumer surplus" in a for a in v.assumes)


def test_t10_route_planted_factor_refuted_and_an_unreached_true_one_is_not():
    """Planted: H_n − 1/2 (false: Exponential(1) has E[max] = H_n and best posted CS 1), refuted at the last step
    with D at its true value H_n − ln(n + 1).  1 + ln n is true (the route's own bound) but not ≥ H_n + 1: the
    last step stays undecided, never refuted."""
    v = run(on.t10_route_part(bound=lambda m: sp.harmonic(m) - sp.Rational(1, 2)), on.GH_T10)
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("E14.")
    assert "replayed by the core" in v.witness.recheck
    u = run(on.t10_route_part(bound=lambda m: 1 + sp.log(m)), on.GH_T10)
    assert u.status is Status.UNKNOWN and "E14." in u.summary


def test_t10_ironing_assumption_of_the_paper_fails_but_the_route_does_not_need_it():
    """The case analysis' last Assume ('posting prices earns the same consumer surplus under U and Ū') is false:
    {9: 1/10, 2: 3/5, 1: 3/10}, n = 4: best posted CS 24073/10000, but Ū(3/10)·g(3/10) = 245701/90000 (Ū is
    the chord from (1/10, 7/10) to (1, 12/5)).  Theorem 10 still holds there (the route, and the bounded part)."""
    from fractions import Fraction as F
    from mechproof.mechanisms.distributions import DiscreteDistribution
    from mechproof.mechanisms.quantile_curves import consumer_surplus_envelope, upper_concave_hull
    from mechproof.mechanisms.surplus_instances import best_posted_consumer_surplus, expected_max
    d = DiscreteDistribution.from_point({"values": (F(1), F(2), F(9)), "probabilities": (F(3, 10), F(3, 5), F(1, 10))})
    assert upper_concave_hull(consumer_surplus_envelope(d)) == ((0, 0), (F(1, 10), F(7, 10)), (1, F(12, 5)))
    best = best_posted_consumer_surplus(d, 4)
    assert best == F(24073, 10000)
    q = F(3, 10)
    hull = F(7, 10) + (q - F(1, 10)) * (F(12, 5) - F(7, 10)) / (1 - F(1, 10))
    assert hull * sum((1 - q) ** i for i in range(4)) == F(245701, 90000) > best
    assert expected_max(d, 4) <= (1 + F(3, 2) + F(1, 3) + F(1, 4)) * best
