"""CMZ (paper 000) claims that quantify over ALL mechanisms: CMZ-UIL, CMZ-T1, CMZ-T3, CMZ-T5.

The unknown mechanism is a pair of allocation/payment tables over finite strategy sets; the z3
encodings are in smt/cmz_uil.py, smt/cmz_guarantees.py and smt/cmz_dominant_strategy.py, and
every z3 model is replayed by plain Fraction evaluation (mechanisms/cmz_all_mechanisms.py) before
it refutes.  Claim tables only.  Model, readings and measurements: docs/cmz-smt.md.
"""
from __future__ import annotations

from fractions import Fraction

from mechproof import Claim, IntKey, Method, Part, Role, Schema, enumeration_check, smt_check, steps_check
from mechproof.mechanisms.cmz_all_mechanisms import (SEARCH_EXTRA, T1_GRID, FiniteFamily, HardInstanceBound,
                                                     dominance_survives_violation, grid_points, grid_target,
                                                     guarantee_grids, guarantee_violation, intersection_pairs,
                                                     intersection_violation, random_assignment_points,
                                                     random_assignment_gap, random_assignment_violation, t1_grid_points)
from mechproof.smt.cmz_dominant_strategy import t1_grid_violation
from mechproof.smt.cmz_guarantees import OptimumBelowTarget, guarantee_queries
from mechproof.smt.cmz_uil import intersection_queries, pointwise_lemma_query

from ._cmz_common import as_queries, delta_key, evaluation, grid, holds_by, n_key
from .cmz_routes import uil_route_steps
from .cmz_tightness import hard_family_part, hard_grid_part, t1_family_part, t1_grid_tightness_part

SOURCE = "CMZ (000), slides 'Undominated Intersection Lemma', Thm 1, Thm 3, Thm 5"
FINITE = "strategy sets are finite (here: bids {0..B}); with infinitely many strategies UDed(K) can be empty"
TABLES = "a mechanism is any pair of tables: win probabilities x_i(s) ∈ [0,1] with Σx ≤ 1, real payments p_i(s)"


# ---------------------------------------------------------------- CMZ-UIL
def uil_pointwise_part(min_common: int = 2) -> Part:
    """The step UIL rests on, for all reals (z3 unsat); with |K∩K'| ≥ 1 allowed it is false."""
    q = pointwise_lemma_query(min_common)
    return Part(
        "pointwise lemma (all reals)", method=Method.SMT_PROOF, technique="nonlinear real arithmetic, no bounds",
        domain="all real α, β and a ≤ c " + ("<" if min_common >= 2 else "≤")
               + " d ≤ b (g(t) = αt − β is one utility difference)",
        check=smt_check(lambda d: as_queries([q]), unbounded=True,
                        replay=lambda p: evaluation(dominance_survives_violation(p, min_common)),
                        summary="a linear g ≥ 0 at a, b (> 0 at one) stays so at any c < d in [a, b]: K-dominance "
                                "implies dominance on any two points of K, so UDed(K∩K') ⊆ UDed(K) ∩ UDed(K')"))


DOMINATES = ("σ' dominates σ on a set L of values: u_i(t, σ'⊔τ) ≥ u_i(t, σ⊔τ) for every t ∈ L and every τ, > for "
             "some (t, τ); UDed_i(L) = the strategies no strategy dominates on L")


def uil_route_part(min_common: int = 2) -> Part:
    """CMZ-UIL by checked steps: the pointwise lemma (an affine identity), dominance a strict partial
    order (irreflexive, transitive), and the maximal element of a finite one (assumed, named).
    `min_common` = 1 is the planted false lemma (|K∩K'| ≥ 1): refuted at the step d − c > 0."""
    return Part(
        "UDed(K∩K') ⊆ UDed(K) ∩ UDed(K'), non-empty", method=Method.DERIVATION, role=Role.ROUTE,
        technique="K-dominance ⇒ (K∩K')-dominance by the affine identity; a finite strict partial order has a "
                  "maximal element",
        domain="every mechanism (tables), every player i, every finite strategy set, every K, K' with |K∩K'| ≥ "
               f"{min_common} integer points",
        assumes=(FINITE, TABLES, DOMINATES),
        check=steps_check(lambda: uil_route_steps(min_common),
                          summary="σ' dominating σ on K dominates it on L = K∩K' (|L| ≥ 2), and UDed_i(L) ≠ ∅: "
                                  "UDed_i(K) ∩ UDed_i(K') ⊇ UDed_i(L) ≠ ∅"))


def uil_tables_part(name="all mechanisms, bids {0..B}", key="B", default=4, min_common: int = 2, delta=None,
                    second_route: bool = False, role=Role.CONJUNCT) -> Part:
    """z3 over every mechanism with bids {0..B} for both players (n = 2), one query per interval pair."""
    def pairs(d):
        return intersection_pairs(d[key], min_common, delta)
    kind = "integer intervals" if delta is None else f"δ-intervals (δ = {delta})"
    note = ("each unsat re-checked by cvc5" if second_route else
            "no cvc5 re-check at this size (cvc5 needs > 60 s on some pairs at bids {0..4}; the cvc5 cross-check "
            "covers bids {0..3})")
    return Part(
        name, method=Method.SMT, role=role, technique="z3 unsat per interval pair, QF_LRA",
        domain=Schema(IntKey(key, default, min=1, local=True, help="both players bid in {0..B} (z3; steep in B)"),
                      text=lambda d: f"n = 2, player 1, bids {{0..{d[key]}}} for both players, every mechanism; every "
                                     f"pair of {kind} K, K' ⊆ {{0..{d[key]}}} with |K∩K'| ≥ {min_common}",
                      cases=lambda d: len(pairs(d))),
        assumes=(FINITE, TABLES),
        check=smt_check(lambda d: as_queries(intersection_queries(d[key], min_common, delta)),
                        replay=lambda p: evaluation(intersection_violation(p["mechanism"], p["K"], p["K'"], min_common)),
                        second_route=second_route, second_route_seconds=5.0 if second_route else None,
                        summary="no mechanism has UDed(K) ∩ UDed(K') = ∅: all {cases} interval pairs unsat; " + note))


def uil_family_part(min_common: int = 2, role=Role.CONJUNCT) -> Part:
    c = FiniteFamily(min_common)
    return Part(
        "finite mechanism family", method=Method.ENUMERATION, role=role,
        technique="exact dominance, every mechanism of the family",
        domain=Schema(text=f"n = 2; player-1 entries (x, p) ∈ {{0, 1/2, 1}} × {{0, 1, 2, 3}}, strategy shapes 2×2 and "
                           f"3×1; every pair of intervals ⊆ {{0..3}} with |K∩K'| ≥ {min_common}",
                      cases=lambda d: c.count()),
        assumes=(FINITE,),
        check=enumeration_check(lambda d: c.points(), holds_by(c.violation), replay=holds_by(c.violation_by_definition),
                                summary="UDed(K) ∩ UDed(K') ≠ ∅ for all {cases} mechanisms and every pair",
                                violation="UDed(K) ∩ UDed(K') = ∅ at {point}"))


CMZ_UIL = Claim(
    id="CMZ-UIL", title="Undominated Intersection Lemma",
    statement="For any mechanism, |K_i ∩ K'_i| ≥ 2 ⇒ UDed_i(K_i) ∩ UDed_i(K'_i) ≠ ∅.",
    source=SOURCE + " (UIL slide)",
    parts=(uil_route_part(), uil_pointwise_part(), uil_tables_part(role=Role.CROSS_CHECK),
           uil_family_part(role=Role.CROSS_CHECK),
           uil_tables_part("cvc5 re-check, bids {0..B}", key="cvc5_B", default=3, second_route=True,
                           role=Role.CROSS_CHECK)))


# ---------------------------------------------------------------- CMZ-T1
def random_assignment_part(share: Fraction = Fraction(1)) -> Part:
    return Part(
        "random assignment achieves 1/n", method=Method.ENUMERATION,
        domain=Schema(IntKey("B2", 6, min=1, local=True, help="n = 2: B = 1..B2"),
                      IntKey("B3", 3, min=1, local=True, help="n = 3: B = 1..B3"), delta_key(),
                      text=lambda d: f"n = 2, B ∈ {{1..{d['B2']}}}; n = 3, B ∈ {{1..{d['B3']}}}; δ ∈ "
                                     f"{grid(d['delta'])}; all δ-profiles and tv ∈ K",
                      cases=lambda d: (d["B2"] + d["B3"]) * len(d["delta"])),
        check=enumeration_check(lambda d: random_assignment_points(d["B2"], d["B3"], d["delta"]),
                                holds_by(random_assignment_violation(share)),
                                replay=holds_by(random_assignment_violation(share, every_tv=True)),
                                value=random_assignment_gap, value_name="worst E[SW]/MSW − 1/n", target=0,
                                shell=lambda p: f"n = {p['n']}, B = {p['B']}",
                                summary="random assignment is dominant-strategy (constant outcome) and guarantees "
                                        "1/n in all {cases} domains; least worst-case ratio − 1/n = {worst} at {at} "
                                        "({tightness})",
                                violation="random assignment guarantees less than 1/n at {point}"))


T1_READING = ("bounded model: on the grid {0..B} the best dominant-strategy guarantee ε* is the paper's argument "
              "transferred to the grid, 1/n + (1 − 1/n)·min K^L/max K^H, which exceeds 1/n and tends to it as B grows")


def t1_grid_part(claimed_upper=None, claimed_guarantee=None, extra=T1_GRID, proof_bound=None) -> Part:
    return Part(
        "best DS guarantee on the grid", method=Method.LP, role=Role.READING, reading=T1_READING,
        technique="z3 Optimize, optimal mechanism replayed, exact dual certificate",
        domain=Schema(IntKey("lp_B", 5, min=2, local=True, help="n = 2, δ = 1/2: the LP for B = 2..lp_B"),
                      text=lambda d: "; ".join(f"n={p['n']}, δ={p['delta']}, B={p['B']}"
                                               for p in t1_grid_points(d["lp_B"], extra))
                      + " (direct mechanisms over δ-intervals, truthful reporting dominant, integer tv ∈ K)",
                      cases=lambda d: len(t1_grid_points(d["lp_B"], extra))),
        check=enumeration_check(lambda d: t1_grid_points(d["lp_B"], extra),
                                holds_by(t1_grid_violation(claimed_upper, claimed_guarantee,
                                                           proof_bound=proof_bound)),
                                summary="the exact optimum ε* equals the paper's argument on the grid at all {cases} "
                                        "grids (> 1/n, excess (1 − 1/n)·L/H → 0)",
                                violation="the best DS guarantee contradicts the claim at {point}"))


CMZ_T1 = Claim(
    id="CMZ-T1", title="Dominant strategies guarantee at most 1/n·MSW; random assignment achieves it",
    statement="No (possibly probabilistic) mechanism δ-implements more than (1/n)·MSW in dominant strategies "
              "(via direct mechanisms whose strategies are the K_i); random assignment achieves 1/n.",
    source=SOURCE + " (Thm 1 and its proof slide)",
    why_not_proved=('The impossibility is about every mechanism on a continuum of types, and on a finite '
                    'grid it is false as stated (ε*(B) > 1/n; the excess is proved to vanish at rate c/B), '
                    "so what can be checked is each grid's exact LP optimum with its dual certificate; the "
                    "paper's argument for every grid is not encoded as a derivation."),
    parts=(random_assignment_part(), t1_grid_part(), t1_grid_tightness_part(), t1_family_part()))


# ---------------------------------------------------------------- CMZ-T3 / CMZ-T5
def hard_instance_part(probabilistic: bool = False, slack=lambda B: Fraction(4, B), role=Role.CONJUNCT,
                       reading: str = "") -> Part:
    c = HardInstanceBound(probabilistic, slack)
    keys = (IntKey("B_max", 400, min=1, local=True, help="the hard instance for B = 1..B_max"), delta_key()) + \
        ((n_key((2, 3, 4)),) if probabilistic else ())
    return Part(
        "hard instance on the grid", method=Method.ENUMERATION, role=role, reading=reading,
        technique="O(B) search, brute force over all δ-interval pairs for B ≤ 14",
        domain=Schema(*keys,
                      text=lambda d: f"B ∈ {{1..{d['B_max']}}}, δ ∈ {grid(d['delta'])}"
                                     + (f", n ∈ {grid(d['n'])}" if probabilistic else ", any n ≥ 2")
                                     + "; all pairs of δ-intervals sharing ≥ 2 integer points",
                      cases=lambda d: d["B_max"] * len(d["delta"]) * (len(d["n"]) if probabilistic else 1)),
        check=enumeration_check(lambda d: c.points(d["B_max"], d["delta"], d.get("n", (2,))), holds_by(c.violation),
                                replay=holds_by(c.violation_by_definition), shell=lambda p: f"B = {p['B']}",
                                summary="the hard instance bounds every " + ("probabilistic" if probabilistic else
                                        "deterministic") + " mechanism by H(B) ≤ the claimed bound at all {cases} grids",
                                violation="the best hard instance gives more than the claimed bound at {point}"))


def _searches(d, extra=SEARCH_EXTRA):
    return guarantee_grids(d["B"], d["m"], extra)


def _search_text(d, extra=SEARCH_EXTRA) -> str:
    return "; ".join(f"n={n}, δ={x}, values {{0..{B}}}, {m} strategies each" for n, x, B, m in _searches(d, extra))


def _search_keys():
    return (IntKey("B", 4, min=3, local=True, help="n = 2, δ = 1/2 searches: values {0..B} for B = 3..B"),
            IntKey("m", 3, min=1, local=True, help="strategies per player in the n = 2, δ = 1/2 searches"))


def all_mechanisms_part(deterministic: bool, target=None, role=Role.CONJUNCT, reading: str = "",
                        extra=SEARCH_EXTRA) -> Part:
    """z3: no mechanism (≤ m strategies per player) guarantees more than the grid bound H(B)."""
    goal = target or grid_target(not deterministic)
    kind = "deterministic" if deterministic else "probabilistic"
    return Part(
        f"every {kind} mechanism (bounded)", method=Method.SMT, role=role, reading=reading,
        technique="z3 unsat per grid; σ ∈ UDed(K) encoded exactly",
        domain=Schema(*_search_keys(),
                      text=lambda d: _search_text(d, extra) + f" — every {kind} mechanism with at most that many "
                                     "strategies per player (real payments), all δ-profiles, every σ ∈ UDed(K), every "
                                     "integer tv ∈ K",
                      cases=lambda d: len(_searches(d, extra))),
        assumes=(FINITE, TABLES),
        check=smt_check(lambda d: as_queries(guarantee_queries(_searches(d, extra), deterministic, goal)),
                        replay=holds_by(guarantee_violation(goal, deterministic)),
                        summary=f"no {kind} mechanism beats the hard-instance bound H(B): all {{cases}} grids unsat"))


def optimum_part(deterministic: bool, extra=SEARCH_EXTRA) -> Part:
    """Cross-check by another engine: z3 Optimize's best guarantee, its model replayed, is ≤ H(B)."""
    c = OptimumBelowTarget(deterministic, grid_target(not deterministic))
    kind = "deterministic" if deterministic else "probabilistic"
    return Part(
        "best guarantee (z3 Optimize, replayed)", method=Method.SMT, role=Role.CROSS_CHECK,
        technique="z3 Optimize; the optimal mechanism's guarantee recomputed in Fractions",
        domain=Schema(*_search_keys(), text=lambda d: _search_text(d, extra) + f" — {kind} mechanisms",
                      cases=lambda d: len(_searches(d, extra))),
        check=enumeration_check(lambda d: grid_points(_searches(d, extra)),
                                holds_by(c.violation), value=c.gap, value_name="H(B) − optimum", target=0,
                                summary="the best guarantee z3 Optimize finds (model replayed) is ≤ H(B) at all {cases} "
                                        "grids; least gap {worst} at {at} ({tightness})",
                                violation="a replayed optimum beats H(B) at {point}"))


CMZ_T3 = Claim(
    id="CMZ-T3", title="No deterministic mechanism beats ((1−δ)/(1+δ))²·MSW in undominated strategies",
    statement="No deterministic mechanism guarantees more than ((1−δ)/(1+δ))²·MSW; bounded version: at most "
              "((1−δ)²/(1+δ)² + 4/B)·MSW, hard instance K = (int_δ(x), int_δ(y), …), tv = (⌊(1+δ)x⌋, ⌈(1−δ)y⌉, …).",
    source=SOURCE + " (Thm 3 proof slide: UIL, unlucky player, hard instance)",
    why_not_proved=('A bound over every deterministic mechanism: z3 decides it over all mechanism tables on '
                    'small grids and the hard-instance bound H3(B) ≤ r² + 4/B is enumerated for B ≤ 400; '
                    "the hard family's limit ((1−δ)/(1+δ))² is proved, but H3(B) ≤ r² + 4/B for every B (a "
                    'floor/ceiling optimisation over pairs of δ-intervals) has no encoded proof.'),
    uses=("CMZ-UIL", "CMZ-T2"),
    parts=(hard_instance_part(), all_mechanisms_part(True), optimum_part(True), hard_grid_part(False),
           hard_family_part(False)))

T5_READING = ("bounded model: on the grid {0..B} the bound holds up to (1 − 1/n)·4/B, the analogue of CMZ-T3's "
              "bounded version (H5(B) = 1/n + (1 − 1/n)·H3(B))")
T5_GRID_READING = ("bounded model: on the grid {0..B} no probabilistic mechanism (≤ m strategies per player) beats the "
                   "hard-instance bound H5(B) = 1/n + (1 − 1/n)·H3(B), the grid analogue of ((1−δ)²+4δ/n)/(1+δ)²")

CMZ_T5 = Claim(
    id="CMZ-T5", title="((1−δ)²+4δ/n)/(1+δ)² is optimal among probabilistic mechanisms",
    statement="No (probabilistic) mechanism guarantees more than ((1−δ)²+4δ/n)/(1+δ)²·MSW in undominated "
              "strategies.",
    source=SOURCE + " (Thm 5; same hard instance with the unlucky player winning w.p. ≤ 1/n)",
    why_not_proved=('As CMZ-T3, for probabilistic mechanisms: the grid bound is decided over all mechanism '
                    "tables on small grids and enumerated for B ≤ 400, n ≤ 4; the hard family's limit is "
                    'proved, the bound for every B is not.'),
    uses=("CMZ-UIL", "CMZ-T4"),
    parts=(hard_instance_part(True, role=Role.READING, reading=T5_READING),
           all_mechanisms_part(False, role=Role.READING, reading=T5_GRID_READING), optimum_part(False),
           hard_grid_part(True), hard_family_part(True)))
