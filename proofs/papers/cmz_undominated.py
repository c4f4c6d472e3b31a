"""CMZ (paper 000), undominated strategies of concrete mechanisms: second price (CMZ-SP-AT, T2),
M_f (CMZ-MF), the Distinguishable Monotonicity Lemma (CMZ-DML) and M_{f^(δ)} (CMZ-T4).

Claim tables only: the points, properties and plain-definition replays are in
mechanisms/cmz_undominated.py and mechanisms/cmz_welfare.py.  Every part factory takes the
mechanism (or the bound) as an argument, so planted bugs run through exactly the same parts
(tests/test_cmz_claims.py).  Model and readings: docs/cmz.md.
"""
from __future__ import annotations

from fractions import Fraction

from mechproof import Claim, IntKey, Method, Part, Role, Schema, enumeration_check, steps_check
from mechproof.mechanisms.cmz_f_delta_properties import f_delta_rule, grid_linear_rule
from mechproof.mechanisms.cmz_mechanisms import f_delta, m_f_grid_linear, second_price
from mechproof.mechanisms.auctions import f_delta_auction as public_f_delta
from mechproof.mechanisms.cmz_model import DEFAULT_DELTAS, welfare_bound_f_delta, welfare_bound_second_price
from mechproof.mechanisms.cmz_undominated import (DMLInstance, TruthfulExamples, UndominatedWithinK,
                                                  monotone_examples, proportional_allocation)
from mechproof.mechanisms.cmz_welfare import WelfareGuarantee, WorstRatioByDefinition

from ._cmz_common import (F_AT_ZERO, MF_PAYMENTS, NSTAR_SMALLEST, SECOND_PRICE_TIES, B_key, as_queries, delta_key,
                          evaluation, grid, holds_by, ladder, n_key)
from .cmz_routes import (SECOND_PRICE, UNIFORM_TIE, mf_route_steps, second_price_bound, sp_at_route_steps,
                         t2_route_steps)

INTERVALS = "every K_i = [0,0] or [a,b] with 1 ≤ a ≤ b ≤ B (each a δ-approximate valuation for some δ)"
GRID_F = "a rule given on the grid is extended piecewise-linearly in z (its payment integral is rational)"


def _players(symmetric: bool) -> str:
    return "player 1 (an anonymous mechanism)" if symmetric else "every player"


# ---------------------------------------------------------------- UDed ⊆ K (SP-AT)
def undominated_within_K_part(make=lambda n, B, d: second_price(n, B), symmetric=True,
                              assumes=(SECOND_PRICE_TIES,), name="UDed ⊆ K", role=Role.CONJUNCT) -> Part:
    """UDed_i(K_i) ⊆ [min K_i, max K_i] for `make(n, B, δ)` (δ unused: SP-AT's mechanism)."""
    c = UndominatedWithinK(make, per_delta=False, symmetric=symmetric)
    return Part(
        name, method=Method.ENUMERATION, role=role, technique="endpoint reduction; witnesses replayed by the definition",
        domain=Schema(n_key(), B_key(),
                      text=lambda d: f"n ∈ {grid(d['n'])}, B ∈ {ladder(d['B'])} (bids in {{0..B}}), "
                                     f"{_players(symmetric)}; {INTERVALS}",
                      cases=lambda d: c.count(d["n"], d["B"])),
        assumes=assumes,
        check=enumeration_check(lambda d, block: c.block_points(block), holds_by(c.violation),
                                blocks=lambda d: c.blocks(d["n"], d["B"]), block_weight=c.block_weight,
                                replay=holds_by(c.violation_by_definition),
                                shell=lambda p: f"B = {p['B']}",
                                summary="UDed_i(K) ⊆ K for all {cases} (n, B, player, K)",
                                violation="an undominated bid outside K at {point}"))


def undominated_sets_part(make=lambda n, B, d: second_price(n, B), symmetric=True,
                          assumes=(SECOND_PRICE_TIES,)) -> Part:
    """Cross-check of the endpoint reduction itself: the table's UDed_i(K) = UDed_i(K) by the plain
    definition (every integer t ∈ K, every τ) on a small bid range, for every K (not only where the
    fast route reports a violation: a too small UDed passes 'UDed ⊆ K' unnoticed)."""
    c = UndominatedWithinK(make, per_delta=False, symmetric=symmetric)
    return Part(
        "UDed by the definition", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        technique="endpoint-reduced table vs the plain definition, set equality",
        domain=Schema(IntKey("def_B", 6, min=1, local=True, help="bids {0..B} of the cross-check, n = 2, 3 "
                                                                 "(the plain definition is slow)"),
                      text=lambda d: f"n ∈ {{2, 3}}, B ∈ {ladder(d['def_B'])}, {_players(symmetric)}; {INTERVALS}",
                      cases=lambda d: c.count((2, 3), d["def_B"])),
        assumes=assumes,
        check=enumeration_check(lambda d: c.points((2, 3), d["def_B"]), holds_by(c.table_mismatch),
                                shell=lambda p: f"B = {p['B']}",
                                summary="the endpoint-reduced UDed_i(K) equals the plain definition's (non-empty) "
                                        "at all {cases} (n, B, player, K)",
                                violation="the endpoint-reduced UDed differs from the definition at {point}"))


def table_routes_part(make=lambda n, B, d: second_price(n, B), per_delta=False, symmetric=True,
                      assumes=(SECOND_PRICE_TIES,), role=Role.CROSS_CHECK) -> Part:
    """Cross-check of the fast exact engine: the int64-vectorised pair stage of the dominance tables
    (mechanisms/cmz_dominance_fast.py) equals the exact one-row-at-a-time route, pair by pair."""
    c = UndominatedWithinK(make, per_delta=per_delta, symmetric=symmetric)
    keys = (IntKey("tab_B", 8, min=1, max=32, local=True, help="bids {0..B} of the fast-vs-exact table cross-check "
                                                              "(n = 2, 3)"),) + ((delta_key(),) if per_delta else ())

    def points(d):
        for b, n, dd, player in c.blocks((2, 3), d["tab_B"], d.get("delta", ())):
            yield {"n": n, "B": b, "player": player, **({"delta": dd} if dd is not None else {})}
    return Part(
        "fast tables = exact tables", method=Method.ENUMERATION, role=role,
        technique="every bid pair's range of t, vectorised over τ in int64 enclosures vs the exact route",
        domain=Schema(*keys, text=lambda d: f"n ∈ {{2, 3}}, B ∈ {ladder(d['tab_B'])}"
                                            + (f", δ ∈ {grid(d['delta'])}" if per_delta else "")
                                            + f", {_players(symmetric)}",
                      cases=lambda d: len(c.blocks((2, 3), d["tab_B"], d.get("delta", ())))),
        assumes=assumes,
        check=enumeration_check(points, holds_by(c.route_mismatch),
                                summary="the fast pair stage equals the exact route at all {cases} "
                                        "(n, B, δ, player) tables",
                                violation="the fast pair stage differs from the exact route at {point}"))


DOMINANCE = ("UDed_i(K) is the set of bids no bid dominates on K (σ' dominates σ: u_i(t, σ'⊔τ) ≥ u_i(t, σ⊔τ) for "
             "every t ∈ K and every τ, > for some (t, τ)); min K and max K are bids")
SP_OTHERS = ("n ≥ 2: τ enters player i's outcome only through m = max τ and the number k ≥ 1 of other bids equal to "
             "m; bids and values are reals ≥ 0 (the grid {0..B} is a special case) and every m is some τ's maximum")


def sp_at_route_part(price=SECOND_PRICE, tie_share=UNIFORM_TIE) -> Part:
    """CMZ-SP-AT by checked steps: min K dominates every lower bid, max K every higher one (one Sign
    per position of the highest other bid m).  `price(bid, m)` and `tie_share(k)` replace the
    winner's price and the tie rule (planted bugs)."""
    return Part(
        "min K / max K dominate the bids outside K", method=Method.DERIVATION, role=Role.ROUTE,
        technique="u(t,·) = t·x − p by cases of m = max τ; strict at m = the dominated bid",
        domain="every n ≥ 2, every player, every K with min K ≤ max K, every t ∈ K and τ (real or integer bids ≥ 0)",
        assumes=(SECOND_PRICE_TIES, DOMINANCE, SP_OTHERS),
        check=steps_check(lambda: sp_at_route_steps(price, tie_share),
                          summary="every s < min K is dominated by min K and every s > max K by max K, so "
                                  "UDed_i(K) ⊆ [min K, max K]"))


def library_part(prop: str, auction=None, assumes=(SECOND_PRICE_TIES,), **kw) -> Part:
    """The claim re-expressed through the property library of `mechproof hunt` (proofs/hunting.py,
    proofs/valuation_properties.py): the same question asked of a public `Auction` (default: second
    price with uniform ties) by the properties' plain definitions."""
    from dataclasses import replace as _replace

    from mechproof.hunting import hunt_part
    from mechproof.mechanisms.auctions import second_price as public_second_price
    from mechproof.valuation_properties import VALUATION_PROPERTIES, valuation_part
    auction = auction or public_second_price("uniform")
    if prop in VALUATION_PROPERTIES:
        part = valuation_part(auction, prop, local=True, prefix="lib_", **kw)
    else:
        part = hunt_part(auction, prop, local=True, prefix="lib_", **kw)
    return _replace(part, name=f"{prop} through the hunting library", role=Role.CROSS_CHECK,
                    assumes=part.assumes + tuple(assumes))


CMZ_SP_AT = Claim(
    id="CMZ-SP-AT", title="Second price: undominated bids lie in [min K_i, max K_i]",
    statement="For the second-price mechanism, UDed_i(K_i) ⊆ [min K_i, max K_i] for every i.",
    source="CMZ (000), slides 'Tool #2' / proof of Thm 2",
    parts=(sp_at_route_part(), undominated_within_K_part(role=Role.CROSS_CHECK), undominated_sets_part(),
           table_routes_part(),
           library_part("uded-in-K", players=(2, 3), B=4, delta=DEFAULT_DELTAS)))


# ---------------------------------------------------------------- welfare (T2, T4)
def welfare_part(make, bound, bound_text: str, assumes=(), role=Role.CONJUNCT) -> Part:
    """E[SW(tv, M(σ))] ≥ bound(δ, n)·MSW(tv) for all δ-profiles K, tv ∈ K, σ ∈ UDed(K)."""
    w = WelfareGuarantee(make, bound)
    return Part(
        "welfare bound", method=Method.ENUMERATION, role=role,
        technique="endpoint reduction, extreme tv per bid profile; witnesses replayed by the definitions",
        domain=Schema(n_key(), B_key(), delta_key(),
                      text=lambda d: f"n ∈ {grid(d['n'])}, B ∈ {ladder(d['B'])} (bids and values in {{0..B}}), "
                                     f"δ ∈ {grid(d['delta'])}; every δ-profile K, tv ∈ K, σ ∈ UDed(K)"),
        assumes=assumes,
        check=enumeration_check(lambda d, block: w.block_points(block), holds_by(w.violation),
                                blocks=lambda d: w.blocks(d["n"], d["B"], d["delta"]), block_weight=w.block_weight,
                                replay=holds_by(w.violation_by_definition),
                                value=w.ratio_to_bound, value_name="E[SW]/(bound·MSW)", target=1,
                                shell=lambda p: f"B = {p['B']}",
                                summary=f"E[SW] ≥ {bound_text}·MSW at all {{cases}} bid profiles undominated for "
                                        "some δ-profile; least E[SW]/(bound·MSW) = {worst} at {at} ({tightness})",
                                violation=f"E[SW] < {bound_text}·MSW at {{point}}"))


def worst_ratio_part(make, assumes=(), tight=None) -> Part:
    """Cross-check of the welfare part's fast route: its least E[SW]/MSW equals, exactly, the least
    ratio by the plain definitions (every δ-interval K by int_δ(x), σ ∈ UDed(K) by definition, every
    integer tv ∈ K); with `tight(δ, n)` also that this least ratio is the bound (it is attained)."""
    c = WorstRatioByDefinition(make, tight)
    return Part(
        "least ratio by the definitions", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        technique="fast route's minimum vs brute force over δ-profiles, undominated σ and integer tv",
        domain=Schema(delta_key(), IntKey("def_B", 4, min=1, local=True, help="bids {0..B} of the cross-check "
                                                                              "(n = 2; brute force)"),
                      text=lambda d: f"n = 2, B = {d['def_B']}, δ ∈ {grid(d['delta'])}; every δ-profile K "
                                     "(K ⊆ int_δ(x) for a real x), σ ∈ UDed(K) by the definition, integer tv ∈ K",
                      cases=lambda d: len(d["delta"])),
        assumes=assumes,
        check=enumeration_check(lambda d: c.points((2,), d["def_B"], d["delta"]), holds_by(c.mismatch),
                                summary="the fast route's least E[SW]/MSW equals the definitions' at all {cases} "
                                        "(n, δ, B)" + ("; it is the bound (attained)" if tight else ""),
                                violation="the fast route's least E[SW]/MSW differs from the definitions' at {point}"))


DELTA_PROFILE = ("δ-profile: every K_j ⊆ int_δ(x_j) = [(1−δ)x_j, (1+δ)x_j] for some x_j ≥ 0, tv_j ∈ K_j, "
                 "σ_j ∈ UDed_j(K_j); MSW = max_j tv_j and E[SW] = Σ_j tv_j·f_j(σ) (continuous model)")


def t2_route_part(bound=second_price_bound) -> Part:
    """CMZ-T2 by checked steps given CMZ-SP-AT; `bound(δ)` (sympy) replaces ((1−δ)/(1+δ))² (planted bugs)."""
    return Part(
        "r² chain given SP-AT", method=Method.DERIVATION, role=Role.ROUTE,
        technique="tv_w ≥ r·σ_w ≥ r·σ_j* ≥ r²·MSW for every highest bidder w, averaged over the tie",
        domain="every n ≥ 2, δ ∈ (0, 1), every δ-profile K, tv ∈ K, σ ∈ UDed(K)",
        assumes=(SECOND_PRICE_TIES, DELTA_PROFILE),
        check=steps_check(lambda: t2_route_steps(bound),
                          summary="E[SW] ≥ ((1−δ)/(1+δ))²·MSW: each highest bidder's tv_w ≥ r²·MSW"))


CMZ_T2 = Claim(
    id="CMZ-T2", title="Second price δ-implements ((1−δ)/(1+δ))²·MSW",
    statement="Second price δ-implements ((1−δ)/(1+δ))²·MSW in undominated strategies.",
    source="CMZ (000), Theorem 2",
    uses=("CMZ-SP-AT",),
    parts=(t2_route_part(),
           welfare_part(lambda n, B, d: second_price(n, B), lambda d, n: welfare_bound_second_price(d),
                        "((1−δ)/(1+δ))²", assumes=(SECOND_PRICE_TIES,), role=Role.CROSS_CHECK),
           worst_ratio_part(lambda n, B, d: second_price(n, B), assumes=(SECOND_PRICE_TIES,)),
           library_part("welfare-in-undominated", players=(2, 3), B=4, delta=(Fraction(1, 4),),
                        epsilon=Fraction(9, 25))))

CMZ_T4 = Claim(
    id="CMZ-T4", title="M_{f^(δ)} δ-implements ((1−δ)²+4δ/n)/(1+δ)²·MSW",
    statement="M_{f^(δ)} δ-implements ((1−δ)²+4δ/n)/(1+δ)²·MSW in undominated strategies.",
    source="CMZ (000), Theorem 4 / Claim E.4",
    why_not_proved=('The bound holds at every undominated strategy profile of M_{f^(δ)}, and which '
                    'strategies are undominated is computed exactly per grid; a derivation over all real '
                    'valuations (chaining CMZ-DML, E3 and the f^(δ) welfare bound for every n*) is not '
                    'encoded.'),
    uses=("CMZ-E3", "CMZ-E1", "CMZ-DML", "CMZ-MF"),
    parts=(welfare_part(lambda n, B, d: f_delta(n, B, d), lambda d, n: welfare_bound_f_delta(d, n),
                        "((1−δ)²+4δ/n)/(1+δ)²", assumes=(NSTAR_SMALLEST, F_AT_ZERO, MF_PAYMENTS)),
           worst_ratio_part(lambda n, B, d: f_delta(n, B, d), assumes=(NSTAR_SMALLEST, F_AT_ZERO, MF_PAYMENTS),
                            tight=lambda d, n: welfare_bound_f_delta(d, n)),
           table_routes_part(lambda n, B, d: f_delta(n, B, d), per_delta=True,
                             assumes=(NSTAR_SMALLEST, F_AT_ZERO, MF_PAYMENTS)),
           library_part("welfare-in-undominated", auction=public_f_delta(Fraction(1, 4)), players=(2,), B=4,
                        delta=(Fraction(1, 4),), epsilon=welfare_bound_f_delta(Fraction(1, 4), 2),
                        assumes=(NSTAR_SMALLEST, F_AT_ZERO, MF_PAYMENTS))))


# ---------------------------------------------------------------- CMZ-MF
def truthfulness_part(examples=None, assumes=(MF_PAYMENTS, GRID_F, F_AT_ZERO), role=Role.CONJUNCT) -> Part:
    """u_i(t, t⊔τ) ≥ u_i(t, s⊔τ) for all t, s ∈ {0..B}, τ, on each example mechanism."""
    c = TruthfulExamples(tuple(examples) if examples is not None else monotone_examples())
    names = "; ".join(e.name for e in c.examples)
    return Part(
        "DSIC on monotone examples", method=Method.ENUMERATION, role=role,
        technique="exact log-linear utilities; witnesses replayed from the mechanisms' outcomes",
        domain=Schema(n_key(), B_key(8), delta_key(),
                      text=lambda d: f"n ∈ {grid(d['n'])}, bids and values in {{0..{d['B']}}}, δ ∈ "
                                     f"{grid(d['delta'])} (for f^(δ)); mechanisms: {names}; every t, bid, τ",
                      cases=lambda d: c.count(d["n"], d["B"], d["delta"])),
        assumes=assumes,
        check=enumeration_check(lambda d: c.points(d["n"], d["B"], d["delta"]), holds_by(c.violation),
                                replay=holds_by(c.violation_by_definition),
                                shell=lambda p: f"n = {p['n']}, {p['mechanism']}",
                                summary="truthful bidding is a best reply at all {cases} (mechanism, τ, t)",
                                violation="a bid beats the truth at {point}"))


MF_MODEL = ("M_f: player i wins w.p. f_i(v) and pays v_i·f_i(v) − ∫_0^{v_i} f_i(z⊔v_−i) dz over real z ≥ 0; "
            "u_i = t·f_i − p_i")
MF_MONOTONE = ("f_i(z⊔τ) ∈ [0, 1] is non-decreasing in z for every τ: integrable, and z ↦ ∫_0^z f_i is Lipschitz "
               "with derivative f_i(z⊔τ) off its countably many jumps (what the equal-derivatives step uses)")


def mf_route_part(weight=1) -> Part:
    """CMZ-MF by checked steps (Myerson's identity and a monotone integrand bound); `weight` scales
    the payment's integral (the claim's M_f: 1; another value is a planted bug)."""
    return Part(
        "Myerson's identity, monotone f", method=Method.DERIVATION, role=Role.ROUTE,
        technique="u(t,t) − u(t,s) = ∫ₛᵗ f − (t − s)·f(s) (equal derivatives), then f(z) vs f(s) on [s, t] / [t, s]",
        domain="every n, every monotone f: ℝ≥0ⁿ → [0, 1]ⁿ, every player i, τ = v_−i, true value t ≥ 0 and bid s ≥ 0",
        assumes=(MF_MODEL, MF_MONOTONE),
        check=steps_check(lambda: mf_route_steps(weight),
                          summary="u_i(t, t⊔τ) ≥ u_i(t, s⊔τ) for s ≤ t and s ≥ t: M_f is dominant-strategy truthful"))


CMZ_MF = Claim(
    id="CMZ-MF", title="M_f is dominant-strategy truthful for monotone f",
    statement="For monotone f, M_f (win w.p. f_i(v), pay v_i f_i(v) − ∫_0^{v_i} f_i(z⊔v_−i)dz) is DST.",
    source="CMZ (000), slides 'Tool #2' (classical result)",
    parts=(mf_route_part(), truthfulness_part(role=Role.CROSS_CHECK),
           library_part("dsic", auction=public_f_delta(Fraction(1, 4)), players=(2, 3), B=3,
                        assumes=(NSTAR_SMALLEST, F_AT_ZERO, MF_PAYMENTS))))


# ---------------------------------------------------------------- CMZ-DML
def dml_part(name: str, rule, make_mech, per_delta: bool = True, n=(2, 3), B=16, assumes=()) -> Part:
    """The DML for one f: its hypotheses (monotone on the reals, distinguishably monotone) and,
    where they hold, its conclusion UDed_i(K_i) ⊆ K_i for M_f."""
    c = DMLInstance(rule, make_mech, per_delta)
    keys = (n_key(n), B_key(B)) + ((delta_key(),) if per_delta else ())
    return Part(
        name, method=Method.ENUMERATION, technique="hypotheses, then the conclusion by endpoint reduction",
        domain=Schema(*keys,
                      text=lambda d: f"n ∈ {grid(d['n'])}, f monotone in real z ∈ [0, {d['B']}], distinguishably "
                                     f"monotone and UDed ⊆ K for B ∈ {ladder(d['B'])}"
                                     + (f", δ ∈ {grid(d['delta'])}" if per_delta else "") + f"; {INTERVALS}",
                      cases=lambda d: c.count(d["n"], d["B"], d.get("delta", ()))),
        assumes=assumes + (MF_PAYMENTS,),
        check=enumeration_check(lambda d: c.points(d["n"], d["B"], d.get("delta", ())), holds_by(c.violation),
                                replay=holds_by(c.violation_by_definition),
                                shell=lambda p: p["property"] + ("" if p["property"] == "f monotone" else f", B = {p['B']}"),
                                summary="f monotone and distinguishably monotone, and UDed_i(K) ⊆ K: all {cases} "
                                        "cases (lines, pairs, intervals)",
                                violation="an undominated bid outside K at {point}"))


DML_GRID = ("player 1 of n = 2, bids {0..B} for both; f_1(z, τ) ∈ [0, 1] any table, extended piecewise-linearly "
            "in z (GRID_F); monotone = non-decreasing in z for every τ; distinguishably monotone on grid pairs "
            "v < v' (the bounded model's bids); only f_1 enters player 1's utilities, so player 2's rule is left out")


def dml_tables_part(require_dm: bool = True, name: str = "every monotone f on the grid (z3 tables)",
                    role=Role.CONJUNCT) -> Part:
    """CMZ-DML over EVERY allocation rule on the grid: one z3 query per (K, s ∉ K); `require_dm=False`
    drops the distinguishability hypothesis (a planted false lemma, refuted)."""
    from mechproof import smt_check
    from mechproof.mechanisms.cmz_dml_tables import dml_table_violation
    from mechproof.mechanisms.cmz_model import approx_intervals
    from mechproof.smt.cmz_dml import dml_queries

    def count(d):
        return sum(d["tables_B"] + 1 - (K.b - K.a + 1) for K in approx_intervals(d["tables_B"]))
    return Part(
        name, method=Method.SMT, role=role, technique="z3 unsat per (K, s ∉ K), QF_LRA over the table's entries",
        domain=Schema(IntKey("tables_B", 3, min=1, max=6, local=True, help="bids {0..B} of the z3 search over every "
                                                                         "rule (n = 2; steep in B)"),
                      text=lambda d: f"every allocation table on {{0..{d['tables_B']}}}²; {DML_GRID}; {INTERVALS}",
                      cases=count),
        assumes=(GRID_F, MF_PAYMENTS),
        check=smt_check(lambda d: as_queries(dml_queries(d["tables_B"], require_dm)),
                        replay=lambda p: evaluation(dml_table_violation(p, require_dm)),
                        summary="no monotone" + (", distinguishably monotone" if require_dm else "")
                                + " rule leaves a bid outside K undominated: all {cases} (K, s) queries unsat"))


CMZ_DML = Claim(
    id="CMZ-DML", title="Distinguishable Monotonicity Lemma",
    statement="For f monotone and distinguishably monotone, M_f satisfies UDed_i(K_i) ⊆ [min K_i, max K_i].",
    source="CMZ (000), slides 'Tool #2'; App. E",
    why_not_proved=('The lemma is about every (distinguishably) monotone f on a continuum of values; z3 '
                    'decides it over every rule given by a table on the value grid (not over samples), '
                    'which is a bounded statement; the general argument for arbitrary f is not encoded.'),
    parts=(dml_tables_part(),
           dml_part("f^(δ)", f_delta_rule(), lambda n, B, d: f_delta(n, B, d), assumes=(NSTAR_SMALLEST, F_AT_ZERO)),
           dml_part("user f: proportional v_i/Σv (grid)", grid_linear_rule("v_i/Σv", proportional_allocation),
                    lambda n, B, d: m_f_grid_linear("M_f proportional v_i/Σv (grid, piecewise-linear)", n, B,
                                                    proportional_allocation, True),
                    per_delta=False, n=(2,), B=8, assumes=(GRID_F,)),
           library_part("distinguishably-monotone", auction=public_f_delta(Fraction(1, 4)), players=(2, 3), B=4,
                        assumes=(NSTAR_SMALLEST, F_AT_ZERO)),
           library_part("uded-in-K", auction=public_f_delta(Fraction(1, 4)), players=(2,), B=4,
                        delta=(Fraction(1, 4),), assumes=(NSTAR_SMALLEST, F_AT_ZERO, MF_PAYMENTS))))
