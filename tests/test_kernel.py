"""The trusted kernel: nothing passes without evidence, whatever a check claims.

Each test plants one way a check (or a user) could make mechproof pass what it did not check, and
asserts the core catches it: the method ceiling, coverage, replay, evidence, exactness, roles,
dependencies and the domain schemas.
"""
from fractions import Fraction

import pytest
import sympy as sp

from mechproof import (Claim, ClaimDeclarationError, Evaluation, Evidence, IntKey, Method, Part, RationalKey, Role,
                       Schema, Status, UsageError, Witness, derivation_check, enumeration_check, identity_check,
                       proved, random_check, refuted, smt_check, steps_check, tested, unknown, verified)
from mechproof import Equal, Sign, Cite, Assume
from mechproof.domains import resolve_domains
from mechproof.runner import run_claims, run_part_inline
from mechproof.symbolic.derivation import Algebra, Derivation, Step
from mechproof.verdicts import PartResult, Report, claim_status

x = sp.Symbol("x", positive=True)
GRID = Schema(IntKey("B", 4, min=0, help="bids in {0..B}"), text="bids in {0..$B}²",
              cases=lambda d: (d["B"] + 1) ** 2)


def pairs(domain):
    for top in range(domain["B"] + 1):
        for a in range(top + 1):
            for b in range(top + 1):
                if max(a, b) == top:
                    yield {"bids": (a, b)}


def _run(check, method=Method.ENUMERATION, domain=GRID, **kw):
    return run_part_inline(Part("p", method=method, domain=domain, check=check, **kw), budget=30)


# ------------------------------------------------------------------ method ceilings and evidence
def test_a_method_cannot_yield_more_than_its_ceiling():
    v = _run(lambda ctx: proved(summary="exhaustive, so proved?", evidence=Evidence("enumeration", "x")))
    assert v.status is Status.ERROR and "cannot establish proved" in v.summary
    v = _run(lambda ctx: verified(cases=25, summary="random, so verified?"), method=Method.RANDOM)
    assert v.status is Status.ERROR
    v = _run(lambda ctx: verified(cases=1, summary="?"), method=Method.NONE, domain="nothing")
    assert v.status is Status.ERROR


def test_proof_without_evidence_is_not_a_pass():
    v = _run(lambda ctx: proved(summary="trust me"), method=Method.IDENTITY, domain="all x")
    assert v.status is Status.ERROR and "no evidence" in v.summary
    v = _run(lambda ctx: proved(summary="trust me", evidence=Evidence("note", "really")), method=Method.IDENTITY,
             domain="all x")
    assert v.status is Status.ERROR


def test_pass_over_zero_cases_or_the_wrong_number_is_an_error():
    assert _run(lambda ctx: verified(cases=0, summary="nothing")).status is Status.ERROR
    v = _run(lambda ctx: verified(cases=24, summary="one short"))
    assert v.status is Status.ERROR and "has 25" in v.summary
    assert _run(lambda ctx: verified(cases=True, summary="bool")).status is Status.ERROR
    assert _run(lambda ctx: verified(cases=25, summary="all")).status is Status.VERIFIED


def test_random_search_must_record_its_seed():
    v = _run(lambda ctx: tested(cases=10, seed=None, summary="no seed"), method=Method.RANDOM, domain="x")
    assert v.status is Status.ERROR and "seed" in v.summary


def test_the_core_stamps_method_and_domain_not_the_check():
    v = _run(enumeration_check(pairs, lambda p: True), domain=GRID)
    assert v.status is Status.VERIFIED and v.cases == 25
    assert v.method == "exhaustive enumeration" and v.domain == "bids in {0..4}²"
    dom = GRID.resolve({"B": "2"})
    v = run_part_inline(Part("p", method=Method.ENUMERATION, domain=GRID, check=enumeration_check(pairs, lambda p: True)),
                        domain=dom)
    assert v.domain == "bids in {0..2}²" and v.cases == 9


def test_reading_an_undeclared_bound_is_an_error():
    v = _run(lambda ctx: verified(cases=25, summary=str(ctx.domain["N"])))
    assert v.status is Status.ERROR and "does not declare" in v.summary


# ------------------------------------------------------------------ replay
def test_nonsense_witness_does_not_reproduce():
    def liar(ctx):
        return refuted(witness=Witness.of({"bids": (1, 2)}), summary="price above top bid")
    v = _run(liar, replay=lambda p: Evaluation.of(min(p["bids"]) <= max(p["bids"])))
    assert v.status is Status.ERROR and "does not reproduce" in v.summary


def test_refutation_without_replay_or_values_is_an_error():
    assert _run(lambda ctx: refuted(witness=Witness.of({"n": 2}), summary="no")).status is Status.ERROR
    handmade = Witness((("n", "2"),))
    v = _run(lambda ctx: refuted(witness=handmade, summary="no"), replay=lambda p: Evaluation.of(False))
    assert v.status is Status.ERROR and "no exact values" in v.summary


def test_enumeration_witness_is_minimal_and_replayed():
    v = _run(enumeration_check(pairs, lambda p: max(p["bids"]) <= min(p["bids"])))
    assert v.status is Status.REFUTED
    assert v.witness.assignment == (("bids", "(0, 1)"),)
    assert "replayed by the core" in v.witness.recheck


def test_fast_route_disagreeing_with_the_plain_definition_is_caught():
    fast = enumeration_check(pairs, lambda p: p["bids"] != (2, 3), replay=lambda p: Evaluation.of(True))
    assert _run(fast).status is Status.ERROR


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError):
        Witness.of({"delta": 0.5})
    with pytest.raises(TypeError):
        Witness.of({"delta": sp.Float("0.5")})
    with pytest.raises(ClaimDeclarationError):
        identity_check((1 + sp.Float("1e-20")) * x, x)
    v = _run(identity_check(lambda: (1 + sp.Float("1e-20")) * x, x), method=Method.IDENTITY, domain="all x")
    assert v.status is Status.ERROR


# ------------------------------------------------------------------ identities, derivations, steps
def test_identity_proved_and_refuted_with_replay():
    assert _run(identity_check((x + 1) ** 2, x**2 + 2 * x + 1), method=Method.IDENTITY, domain="x").status \
        is Status.PROVED
    v = _run(identity_check(x**2, x, points=[{x: sp.Rational(1, 2)}]), method=Method.IDENTITY, domain="x")
    assert v.status is Status.REFUTED and ("lhs", "1/4") in v.witness.observed


@pytest.mark.parametrize("relation", ["<", ">", "!=", "≤"])
def test_derivation_refuses_relations_no_chain_establishes(relation):
    with pytest.raises(ClaimDeclarationError):
        derivation_check(lambda: Derivation(x, (Step(x),)), claimed_relation=relation, claimed_end=x)


def test_derivation_relation_must_follow_from_the_chain():
    eq_chain = lambda: Derivation((x + 1) ** 2, (Step(x**2 + 2 * x + 1, Algebra()),))
    assert _run(derivation_check(eq_chain, claimed_relation="<=", claimed_end=x**2 + 2 * x + 1),
                method=Method.DERIVATION, domain="x").status is Status.PROVED

    class Shrink:
        name = "pretend ≤"

        def check(self, prev, nxt, facts):
            from mechproof.symbolic.derivation import StepCheck
            return StepCheck(True, "<=", "asserted")

    le_chain = lambda: Derivation(x, (Step(x + 1, Shrink()),))
    v = _run(derivation_check(le_chain, claimed_relation="=", claimed_end=x + 1), method=Method.DERIVATION,
             domain="x")
    assert v.status is Status.UNKNOWN and "not the claimed =" in v.summary
    assert _run(derivation_check(lambda: Derivation(x, ()), claimed_relation="=", claimed_end=x),
                method=Method.DERIVATION, domain="x").status is Status.UNKNOWN


def test_a_step_that_is_a_string_checks_nothing():
    v = _run(steps_check(lambda: [Equal("fine", x + x, 2 * x), "GH-L8"], summary="s"), method=Method.DERIVATION,
             domain="x")
    assert v.status is Status.UNKNOWN
    v = _run(steps_check(lambda: [lambda: "GH-L8"], summary="s"), method=Method.DERIVATION, domain="x")
    assert v.status is Status.UNKNOWN


def test_steps_refute_at_a_point_and_list_assumptions_and_citations():
    n = sp.Symbol("n", integer=True, positive=True)
    bad = steps_check(lambda: [Sign("positive for n ≥ 7", sp.log(n) - 2, ">0", ranges=((n, 7, None),),
                                    points=[{n: 7}])], summary="s")
    v = _run(bad, method=Method.DERIVATION, domain="n ≥ 7")
    assert v.status is Status.REFUTED and ("n", "7") in v.witness.assignment
    good = steps_check(lambda: [Equal("algebra", x * (x + 1), x**2 + x), Assume("regularity", "u is monotone"),
                                Cite("uses the lemma", "MY-LEMMA")], summary="s")
    part = Part("p", method=Method.DERIVATION, domain="x", check=good)
    assert run_part_inline(part).status is Status.UNKNOWN          # the citation is not declared
    v = run_part_inline(part, uses=("MY-LEMMA",))
    assert v.status is Status.PROVED and any("u is monotone" in a for a in v.assumes)
    assert any("MY-LEMMA" in a for a in v.assumes)


# ------------------------------------------------------------------ z3 and random searches
def test_smt_check_refutes_with_an_exact_replayed_model_and_counts_queries():
    import z3
    from mechproof import Query

    def queries(domain):
        for b in range(domain["B"] + 1):
            def build(b=b):
                v = z3.Int("v")
                s = z3.Solver()
                s.add(v >= 0, v <= b, 2 * v == 3)          # unsat for every b
                return s, lambda m: {"v": m.eval(v).as_long()}
            yield Query(f"b={b}", build)

    dom = Schema(IntKey("B", 3, min=0), text="v ∈ {0..$B}", cases=lambda d: d["B"] + 1)
    v = _run(smt_check(queries, replay=lambda p: Evaluation.of(2 * p["v"] != 3)), method=Method.SMT, domain=dom)
    assert v.status is Status.VERIFIED and v.cases == 4 and "cvc5 confirms 4 of 4" in v.evidence[0].summary

    def sat_queries(domain):
        def build():
            v = z3.Int("v")
            s = z3.Solver()
            s.add(v >= 0, v <= 5, v * v == 4)
            return s, lambda m: {"v": m.eval(v).as_long()}
        yield Query("squares", build)
    v = _run(smt_check(sat_queries, replay=lambda p: Evaluation.of(p["v"] ** 2 != 4)), method=Method.SMT,
             domain=dom)
    assert v.status is Status.REFUTED and ("v", "2") in v.witness.assignment


def test_solvers_disagreeing_is_an_error(monkeypatch):
    import z3
    from mechproof import Query
    import mechproof.smt.second_route as second

    monkeypatch.setattr(second, "cvc5_answer", lambda text, seconds: ("sat", ""))

    def queries(domain):
        def build():
            v = z3.Int("v")
            s = z3.Solver()
            s.add(v > 0, v < 0)
            return s, lambda m: {}
        yield Query("empty", build)
    v = _run(smt_check(queries, replay=lambda p: Evaluation.of(True)), method=Method.SMT, domain="v")
    assert v.status is Status.ERROR and "disagree" in v.summary


def test_random_check_records_seed_and_shrinks():
    from hypothesis import strategies as st
    strategy = st.fixed_dictionaries({"a": st.integers(0, 1000)})
    v = _run(random_check(strategy, lambda p: p["a"] < 10**6, examples=30, seed=7), method=Method.RANDOM, domain="a")
    assert v.status is Status.TESTED and v.seed == 7 and v.cases >= 1
    v = _run(random_check(strategy, lambda p: p["a"] < 17, examples=200, seed=7), method=Method.RANDOM, domain="a")
    assert v.status is Status.REFUTED and v.witness.assignment == (("a", "17"),)


# ------------------------------------------------------------------ roles and dependencies
def _pr(name, status, role=Role.CONJUNCT, reading=""):
    w = Witness.of({"n": 1}) if status is Status.REFUTED else None
    from mechproof.verdicts import Verdict
    return PartResult(name, Verdict(status, summary="s", witness=w), role, reading)


def test_route_and_cross_check_aggregation():
    s, _ = claim_status([_pr("proof", Status.PROVED, Role.ROUTE), _pr("grid", Status.VERIFIED, Role.CROSS_CHECK)])
    assert s is Status.PROVED
    s, _ = claim_status([_pr("proof", Status.PROVED, Role.ROUTE), _pr("grid", Status.UNKNOWN, Role.CROSS_CHECK)])
    assert s is Status.PROVED
    s, note = claim_status([_pr("proof", Status.PROVED, Role.ROUTE), _pr("grid", Status.REFUTED, Role.CROSS_CHECK)])
    assert s is Status.ERROR and "disagree" in note
    s, _ = claim_status([_pr("a", Status.PROVED, Role.ROUTE), _pr("b", Status.REFUTED, Role.ROUTE)])
    assert s is Status.ERROR
    s, _ = claim_status([_pr("a", Status.UNKNOWN, Role.ROUTE), _pr("b", Status.VERIFIED, Role.ROUTE)])
    assert s is Status.VERIFIED
    s, _ = claim_status([_pr("a", Status.PROVED), _pr("b", Status.VERIFIED)])
    assert s is Status.VERIFIED
    s, _ = claim_status([_pr("printed", Status.REFUTED, Role.AS_PRINTED), _pr("r", Status.VERIFIED, Role.READING, "x")])
    assert s is Status.REFUTED


def test_only_cross_checks_is_a_malformed_claim():
    with pytest.raises(ClaimDeclarationError):
        Claim(id="X-1", title="t", statement="s", source="x",
              parts=(Part("p", method=Method.IDENTITY, domain="x", check=lambda c: None, role=Role.CROSS_CHECK),))
    with pytest.raises(ClaimDeclarationError):
        Part("p", method=Method.IDENTITY, domain="x", check=lambda c: None, role=Role.READING)


def _claim(cid, check, uses=()):
    return Claim(id=cid, title="t", statement="s", source="x", uses=uses,
                 parts=(Part("p", method=Method.IDENTITY, domain="all x", check=check),))


def test_a_claim_resting_on_an_unknown_one_does_not_pass():
    lemma = _claim("X-LEMMA", lambda ctx: unknown(reason="not encoded"))
    thm = _claim("X-THM", identity_check(x + x, 2 * x), uses=("X-LEMMA",))
    report = run_claims([lemma, thm], budget=30)
    r = {c.claim_id: c for c in report.results}["X-THM"]
    assert r.own_status is Status.PROVED and r.status is Status.UNKNOWN
    assert r.conditional_text == "proved, given X-LEMMA (unknown)"
    again = Report.from_json(report.to_json())
    assert {c.claim_id: c for c in again.results}["X-THM"].status is Status.UNKNOWN
    alone = run_claims([thm], budget=30).results[0]
    assert alone.status is Status.UNKNOWN and ("X-LEMMA", "not checked") in alone.given


# ------------------------------------------------------------------ domain schemas
DELTAS = Schema(IntKey("n", (2, 3), min=2, many=True, help="players"), IntKey("B", 16, min=1),
                RationalKey("delta", ("1/10", "1/2"), lo=0, hi=1, lo_open=True, hi_open=True, many=True),
                IntKey("k", 2, min=1, local=True), text="n ∈ $n, B = $B, δ ∈ $delta, k = $k")
BOUNDED = Claim(id="X-BOUNDED", title="t", statement="s", source="x",
                parts=(Part("p", method=Method.ENUMERATION, domain=DELTAS, check=lambda c: None),))
OTHER = Claim(id="X-OTHER", title="t", statement="s", source="x",
              parts=(Part("p", method=Method.IDENTITY, domain="all x", check=lambda c: None),))


@pytest.mark.parametrize("bounds, message", [
    ({"b": "3"}, "did you mean B"),
    ({"x-bounded.B": "3"}, "did you mean X-BOUNDED"),
    ({"NOPE-1.B": "5"}, "unknown claim id 'NOPE-1'"),
    ({"δ": "1/2"}, "unknown bound key"),
    ({"n": "1"}, "out of range"),
    ({"B": "0"}, "out of range"),
    ({"n": "5/2"}, "is a fraction"),
    ({"delta": "1"}, "out of range"),
    ({"delta": "0.3,"}, "empty value"),
    ({"k": "3"}, "set only when scoped: write X-BOUNDED.k"),
    ({"X-OTHER.B": "3"}, "has no bound 'B'"),
    ({"n": "2..100000"}, "at most"),
    ({"B": "1,2"}, "single value"),
])
def test_bad_bounds_are_usage_errors_before_anything_runs(bounds, message):
    with pytest.raises(UsageError, match=message):
        resolve_domains([BOUNDED, OTHER], bounds)


def test_bounds_resolve_exactly_and_scoped_wins():
    d = resolve_domains([BOUNDED], {"n": "2..4", "B": "20", "delta": "0.25,1/3", "X-BOUNDED.B": "8",
                                    "X-BOUNDED.k": "5"})[("X-BOUNDED", "p")]
    assert d["n"] == (2, 3, 4) and d["B"] == 8 and d["delta"] == (Fraction(1, 4), Fraction(1, 3)) and d["k"] == 5
    assert d.text == "n ∈ {2, 3, 4}, B = 8, δ ∈ {1/4, 1/3}, k = 5"
    with pytest.raises(UsageError, match="float"):
        resolve_domains([BOUNDED], {"delta": [0.25]})


def test_global_key_read_by_no_selected_claim_is_refused():
    with pytest.raises(UsageError, match="none of the selected claims"):
        resolve_domains([OTHER], {"B": "3"}, known=[OTHER, BOUNDED])
    resolve_domains([OTHER], {"B": "3"}, known=[OTHER, BOUNDED], quiet_keys=["B"])   # pyproject: fine


def test_schema_declarations_are_checked():
    with pytest.raises(ClaimDeclarationError):
        Schema(IntKey("B", 3), text="bids in {0..$C}")
    with pytest.raises(ClaimDeclarationError):
        IntKey("B", 0, min=1)
    with pytest.raises(ClaimDeclarationError):
        Schema(IntKey("B", 3), IntKey("B", 4), text="$B")
    with pytest.raises(UsageError, match="empty"):
        Schema(IntKey("B", 3, min=0), text="$B", cases=lambda d: d["B"] - 3).resolve({"B": "3"})


def test_a_claim_may_rest_on_another_claims_reading():
    def assume_claim():
        return Claim(id="X-ASSUME", title="t", statement="s", source="x", parts=(
            Part("as printed", method=Method.ENUMERATION, domain="d", role=Role.AS_PRINTED,
                 check=lambda ctx: refuted(witness=Witness.of({"n": 1}), summary="false as printed"),
                 replay=lambda p: Evaluation.of(False)),
            Part("reading", method=Method.IDENTITY, domain="d", role=Role.READING, reading="the intended form",
                 check=identity_check(x + x, 2 * x))))
    on_printed = _claim("X-ON-PRINTED", identity_check(x + x, 2 * x), uses=("X-ASSUME",))
    on_reading = _claim("X-ON-READING", identity_check(x + x, 2 * x), uses=("X-ASSUME:reading",))
    report = {r.claim_id: r for r in run_claims([assume_claim(), on_printed, on_reading], budget=30).results}
    assert report["X-ASSUME"].status is Status.REFUTED
    assert report["X-ON-PRINTED"].status is Status.UNKNOWN
    assert report["X-ON-READING"].status is Status.PROVED
    with pytest.raises(ClaimDeclarationError):
        _claim("X-BAD", identity_check(x, x), uses=("X-ASSUME:printed",))


def test_a_scoped_bound_of_a_claim_not_run_now_is_still_validated():
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([OTHER], {"X-BOUNDED.B": "0"}, known=[OTHER, BOUNDED])
    resolve_domains([OTHER], {"X-BOUNDED.B": "5"}, known=[OTHER, BOUNDED])


def test_a_domain_too_large_for_any_budget_is_refused_up_front():
    big = Schema(IntKey("B", 4, min=0), text="bids in {0..$B}³", cases=lambda d: (d["B"] + 1) ** 3)
    with pytest.raises(UsageError, match="more than the 100,000,000"):
        big.resolve({"B": "1000"})
    assert big.resolve({"B": "400"}).size == 401 ** 3
