"""CMZ (paper 000) claims that quantify over ALL mechanisms: CMZ-UIL, CMZ-T1, CMZ-T3, CMZ-T5.

The unknown mechanism is a pair of allocation/payment tables over finite
strategy sets (smt.mechanism_tables); z3 `unsat` verifies a claim on the stated
domain, every z3 model is replayed with plain Fraction evaluation
(mechanisms.cmz_tables) before it is reported, and LP optima are proved by an
exact primal point plus an exact dual certificate.  Readings: docs/cmz-smt.md.

Larger domains are reached through bounds (`--bound KEY=VALUE`), not slow
parts: uil_B (bid/value bound of the UIL search, default 4), t1_B (largest B of
the T1 table for n=2, δ=1/2, default 5), smt_B and smt_m (value bound and
strategies per player of the T3/T5 searches, replacing the default list by
n=2, δ=1/2), hard_B (largest B of the hard-instance scan, default 400).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Callable, Sequence

import z3

from ..claims import Claim, Part
from ..context import CheckContext
from ..mechanisms.cmz_model import DEFAULT_DELTAS, ApproxValuation, delta_intervals
from ..mechanisms.cmz_tables import (
    TableMechanism, all_intervals, common_points, direct_truthfulness_violation,
    hard_instance, hard_instance_brute_force, overlap_components, random_assignment,
    undominated_strategies, welfare_test_points, worst_truthful_welfare, worst_undominated_welfare,
)
from ..mechanisms.exact import UsageError, check_delta
from ..smt.linear_programs import check_dual_certificate, solve_lp_certified
from ..smt.mechanism_tables import (
    MechanismTables, dominant_strategy_lp, every_strategy_dominated, guarantee_constraints,
)
from ..smt.queries import QueryOutcome, run_check, z3_fraction
from ..verdicts import Evidence, Witness, error, proved, refuted, unknown, verified

SOURCE = "CMZ (000), slides 'Undominated Intersection Lemma', Thm 1, Thm 3, Thm 5"
MARGIN = 3.0  # seconds kept back from the part's budget for building the verdict


def _r2(delta: Fraction) -> Fraction:
    return ((1 - delta) / (1 + delta)) ** 2


def _continuum_probabilistic_bound(delta: Fraction, n: int) -> Fraction:
    return ((1 - delta) ** 2 + 4 * delta / n) / (1 + delta) ** 2


def _query_evidence(label: str, outcomes: Sequence[QueryOutcome]) -> Evidence:
    """One evidence item for a batch of z3 queries: counts, time, and the hardest query's text."""
    if not outcomes:
        return Evidence("z3", f"{label}: no queries")
    hardest = max(outcomes, key=lambda o: o.seconds)
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.result] = counts.get(o.result, 0) + 1
    stats = (("queries", str(len(outcomes))),
             *((f"result.{k}", str(v)) for k, v in sorted(counts.items())),
             ("seconds.total", f"{sum(o.seconds for o in outcomes):.2f}"),
             ("seconds.hardest", f"{hardest.seconds:.2f}"),
             ("hardest.smt2.chars", str(hardest.smt2_chars)),
             ("hardest.smt2.sha256", hardest.smt2_sha256),
             *hardest.stats[:12])
    return Evidence("z3", f"{label}: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())),
                    text=hardest.smt2, stats=stats)


def _tables_mechanism(tables: MechanismTables, model) -> TableMechanism:
    alloc, pay = tables.extract(model)
    return TableMechanism(tables.strategies, alloc, pay)


# =============================================================================
# CMZ-UIL
# =============================================================================
@dataclass(frozen=True)
class IntersectionCounterexample:
    """A mechanism and K, K' with UDed_0(K) ∩ UDed_0(K') = ∅, replayed exactly."""

    mechanism: TableMechanism
    K: ApproxValuation
    K2: ApproxValuation
    undominated_K: tuple
    undominated_K2: tuple


def intersection_pairs(B: int, min_common: int, delta: Fraction | None = None) -> list[tuple[ApproxValuation, ApproxValuation]]:
    """Unordered pairs of integer intervals in {0..B} (δ-intervals only if `delta` is given)
    sharing ≥ min_common points, smallest first."""
    ivs = all_intervals(B) if delta is None else delta_intervals(B, delta)
    pairs = [(K, K2) for K in ivs for K2 in ivs
             if (K.a, K.b) <= (K2.a, K2.b) and common_points(K, K2) >= min_common]
    return sorted(pairs, key=lambda p: (max(p[0].b, p[1].b), p[1].b - p[0].a, p))


def _uil_query(K: ApproxValuation, K2: ApproxValuation, m: int, opponents: int, seconds: float):
    tables = MechanismTables([tuple(range(m)), tuple(range(opponents))], prefix="uil")
    solver = z3.Solver()
    solver.add(tables.feasibility())
    solver.add(every_strategy_dominated(tables, 0, [(K.a, K.b), (K2.a, K2.b)]))
    solver.add(tables.definitions)
    return run_check(solver, seconds), tables, solver


def _replay_intersection(mech: TableMechanism, K, K2) -> IntersectionCounterexample | None:
    u1 = undominated_strategies(mech, 0, K)
    u2 = undominated_strategies(mech, 0, K2)
    if set(u1) & set(u2):
        return None
    return IntersectionCounterexample(mech, K, K2, u1, u2)


def _shrink_uil(K, K2, m: int, opponents: int, seconds: float) -> IntersectionCounterexample | None:
    """The counterexample with the fewest strategies z3 finds for this pair (replayed)."""
    for mm in range(1, m + 1):
        for oo in range(1, opponents + 1):
            out, tables, solver = _uil_query(K, K2, mm, oo, seconds)
            if out.result == "sat":
                found = _replay_intersection(_tables_mechanism(tables, solver.model()), K, K2)
                if found is not None:
                    return found
    return None


def search_intersection_counterexample(ctx: CheckContext, B: int, min_common: int = 2, delta: Fraction | None = None):
    """z3 over every mechanism with bids {0..B} for both players (n = 2) and every pair of
    integer intervals in {0..B} with |K ∩ K'| ≥ min_common: (outcomes, counterexample, gaps)."""
    m = B + 1
    outcomes: list[QueryOutcome] = []
    gaps: list[str] = []
    for K, K2 in intersection_pairs(B, min_common, delta):
        left = ctx.remaining() - MARGIN
        if left < 0.5:
            gaps.append(f"budget exhausted before {K},{K2}")
            break
        out, tables, solver = _uil_query(K, K2, m, m, min(left, 30.0))
        outcomes.append(out)
        if out.result == "sat":
            found = _replay_intersection(_tables_mechanism(tables, solver.model()), K, K2)
            if found is None:
                gaps.append(f"z3 model for {K},{K2} not confirmed by exact replay")
                continue
            smaller = _shrink_uil(K, K2, m, m, max(min(ctx.remaining() - MARGIN, 10.0), 0.5))
            return outcomes, smaller or found, gaps
        if out.result != "unsat":
            gaps.append(f"{K},{K2}: z3 {out.result} ({out.reason})")
    return outcomes, None, gaps


def _uil_witness(cx: IntersectionCounterexample, min_common: int) -> Witness:
    mech = cx.mechanism
    return Witness.of(
        {"n": 2, "player": 0, "K": str(cx.K), "K'": str(cx.K2), "|K∩K'|": common_points(cx.K, cx.K2),
         "strategies": f"{len(mech.strategies[0])}×{len(mech.strategies[1])}", "tables": mech.describe()},
        {"UDed(K)": str(set(cx.undominated_K)), "UDed(K')": str(set(cx.undominated_K2)),
         "intersection": "∅"},
        recheck="UDed sets recomputed by plain Fraction evaluation of the tables (mechanisms.cmz_tables)")


def check_uil_by_z3(ctx: CheckContext, min_common: int = 2, B: int | None = None, delta: Fraction | None = None):
    """CMZ-UIL by z3 on n = 2, bids {0..B}; `min_common` = 1 is the planted (false) variant."""
    B = int(B if B is not None else ctx.bound("uil_B", 4))
    if B < 1:
        raise UsageError(f"uil_B = {B} must be ≥ 1")
    domain = (f"n=2, first player (index 0) analysed, strategies = bids {{0..{B}}} for both players, all mechanisms "
              f"(real x ∈ [0,1], Σx ≤ 1, real payments), every pair of "
              + ("integer intervals" if delta is None else f"δ-intervals (δ={check_delta(delta)})")
              + f" K, K' ⊆ {{0..{B}}} with |K∩K'| ≥ {min_common}")
    outcomes, cx, gaps = search_intersection_counterexample(ctx, B, min_common, delta)
    ev = (_query_evidence("UDed(K) ∩ UDed(K') = ∅ asserted per pair", outcomes),)
    if cx is not None:
        return refuted("z3 model replayed exactly", domain,
                       f"UDed(K) ∩ UDed(K') = ∅ for K={cx.K}, K'={cx.K2} (|K∩K'|={common_points(cx.K, cx.K2)}) "
                       f"in a mechanism with {len(cx.mechanism.strategies[0])} strategies",
                       _uil_witness(cx, min_common), ev)
    if gaps:
        return unknown("z3 unsat per interval pair", domain, f"{len(gaps)} pair(s) undecided: {gaps[0]}", ev)
    return verified("z3 unsat per interval pair", domain,
                    f"no mechanism violates the lemma: {len(outcomes)} interval pairs, all unsat "
                    f"({sum(o.seconds for o in outcomes):.1f}s)", ev)


# --- second route: exhaustive enumeration of a finite family of mechanisms -------
ENUM_ALLOCATIONS = (Fraction(0), Fraction(1, 2), Fraction(1))
ENUM_PAYMENTS = tuple(Fraction(k) for k in range(4))


def _enumerated_dominance(rows, a: int, b: int, better: int, worse: int) -> bool:
    strict = False
    for tau in range(len(rows[0])):
        (xb, pb), (xw, pw) = rows[better][tau], rows[worse][tau]
        for t in (a, b):
            d = t * (xb - xw) - (pb - pw)
            if d < 0:
                return False
            strict = strict or d > 0
    return strict


def enumerate_intersection(min_common: int = 2, values: int = 3,
                           shapes: Sequence[tuple[int, int]] = ((2, 2), (3, 1))):
    """Every mechanism whose player-1 entries are (x, p) ∈ {0,½,1} × {0,1,2,3} on `shapes`
    (own strategies × opponent strategies), player 2 getting nothing; intervals ⊆ {0..values}.
    Returns (mechanisms checked, first counterexample as (rows, K, K2) or None)."""
    options = list(product(ENUM_ALLOCATIONS, ENUM_PAYMENTS))
    pairs = intersection_pairs(values, min_common)
    ivs = sorted({K for p in pairs for K in p})
    checked = 0
    for own, opp in shapes:
        for flat in product(options, repeat=own * opp):
            checked += 1
            rows = [flat[s * opp:(s + 1) * opp] for s in range(own)]
            und = {}
            for K in ivs:
                und[K] = {s for s in range(own)
                          if not any(_enumerated_dominance(rows, K.a, K.b, s2, s) for s2 in range(own) if s2 != s)}
            for K, K2 in pairs:
                if not und[K] & und[K2]:
                    return checked, (rows, K, K2)
    return checked, None


def _rows_mechanism(rows) -> TableMechanism:
    own, opp = len(rows), len(rows[0])
    alloc = {(s, t): (rows[s][t][0], Fraction(0)) for s in range(own) for t in range(opp)}
    pay = {(s, t): (rows[s][t][1], Fraction(0)) for s in range(own) for t in range(opp)}
    return TableMechanism((tuple(range(own)), tuple(range(opp))), alloc, pay)


def check_uil_by_enumeration(ctx: CheckContext, min_common: int = 2):
    """Second route for CMZ-UIL: exhaustive over a finite family of mechanisms."""
    domain = ("n=2; player-1 entries (x,p) ∈ {0,1/2,1}×{0,1,2,3}, strategy shapes 2×2 and 3×1; "
              f"intervals ⊆ {{0..3}} with |K∩K'| ≥ {min_common}")
    checked, found = enumerate_intersection(min_common)
    if found is None:
        return verified("exhaustive enumeration", domain,
                        f"{checked} mechanisms × {len(intersection_pairs(3, min_common))} interval pairs: "
                        "UDed(K) ∩ UDed(K') ≠ ∅ always",
                        (Evidence("enumeration", "finite mechanism family", stats=(("mechanisms", str(checked)),)),))
    rows, K, K2 = found
    cx = _replay_intersection(_rows_mechanism(rows), K, K2)
    if cx is None:
        return error("exhaustive enumeration", domain, "enumeration and table replay disagree")
    return refuted("exhaustive enumeration, replayed", domain,
                   f"UDed(K) ∩ UDed(K') = ∅ for K={K}, K'={K2}", _uil_witness(cx, min_common))


def check_uil_pointwise_lemma(ctx: CheckContext, min_common: int = 2):
    """The step the lemma rests on, for all reals: a linear g ≥ 0 at a, b (> 0 at one) stays so at
    any c < d in [a, b]; with c = d allowed (|K∩K'| = 1) it fails."""
    al, be, a, b, c, d = z3.Reals("alpha beta a b c d")
    g = lambda t: al * t - be  # noqa: E731
    hyp = z3.And(a <= c, c <= d, d <= b, g(a) >= 0, g(b) >= 0, z3.Or(g(a) > 0, g(b) > 0))
    if min_common >= 2:
        hyp = z3.And(hyp, c < d)
    solver = z3.Solver()
    solver.add(hyp, z3.Not(z3.And(g(c) >= 0, g(d) >= 0, z3.Or(g(c) > 0, g(d) > 0))))
    out = run_check(solver, max(min(ctx.remaining() - MARGIN, 20.0), 1.0))
    ev = (Evidence("z3", f"negation of the pointwise lemma: {out.result}", text=out.smt2, stats=out.stats[:10]),)
    domain = "all real α, β and real a ≤ c < d ≤ b (g(t) = αt − β is one utility difference)"
    if out.result == "unsat":
        return proved("z3 unsat (nonlinear real arithmetic, no bounds)",
                      "K-dominance implies dominance on any two points of K: a linear g ≥ 0 on {a,b}, "
                      "> 0 at one of them, is ≥ 0 on {c,d} ⊆ [a,b] and > 0 at one of them when c < d; "
                      "so UDed(K∩K') ⊆ UDed(K) ∩ UDed(K'), non-empty for finite strategy sets",
                      ev, domain=domain)
    if out.result == "sat":
        mdl = solver.model()
        vals = {str(v): z3_fraction(mdl.eval(v, model_completion=True)) for v in (al, be, a, b, c, d)}
        gv = lambda t: vals["alpha"] * t - vals["beta"]  # noqa: E731
        replay = (gv(vals["a"]) >= 0 and gv(vals["b"]) >= 0 and (gv(vals["a"]) > 0 or gv(vals["b"]) > 0)
                  and not (gv(vals["c"]) >= 0 and gv(vals["d"]) >= 0 and (gv(vals["c"]) > 0 or gv(vals["d"]) > 0)))
        if replay:
            return refuted("z3 model replayed exactly", domain.replace("c < d", "c ≤ d"),
                           "dominance on K does not survive on K∩K' with a single common point",
                           Witness.of(vals, {"g(a)": gv(vals["a"]), "g(b)": gv(vals["b"]),
                                             "g(c)": gv(vals["c"]), "g(d)": gv(vals["d"])},
                                      "g evaluated in Fractions"), ev)
        return error("z3", domain, "z3 model not confirmed by exact replay", ev)
    return unknown("z3", domain, f"z3 {out.result}: {out.reason}", ev)


CMZ_UIL = Claim(
    id="CMZ-UIL",
    title="Undominated Intersection Lemma",
    statement="For any mechanism, |K_i ∩ K'_i| ≥ 2 ⇒ UDed_i(K_i) ∩ UDed_i(K'_i) ≠ ∅.",
    source=SOURCE + " (UIL slide)",
    parts=(
        Part("pointwise lemma (all reals)", method="z3 unsat, nonlinear reals",
             domain="all linear utility differences, all a ≤ c < d ≤ b", check=check_uil_pointwise_lemma),
        Part("all mechanisms, bids {0..4}", method="z3 unsat per interval pair",
             domain="n=2, bids {0..4} (uil_B), all integer interval pairs sharing ≥ 2 points",
             check=check_uil_by_z3),
        Part("finite mechanism family", method="exhaustive enumeration",
             domain="n=2, (x,p) ∈ {0,1/2,1}×{0,1,2,3}, shapes 2×2, 3×1, intervals ⊆ {0..3}",
             check=check_uil_by_enumeration),
    ),
)


# =============================================================================
# CMZ-T1
# =============================================================================
def t1_proof_bound(n: int, B: int, delta: Fraction) -> tuple[Fraction, ApproxValuation, ApproxValuation]:
    """The paper's Thm-1 argument on the grid: 1/n + (1 − 1/n)·min K^L / max K^H over K^L, K^H in
    one component of 'shares ≥ 2 points' (a DS direct mechanism gives player u the same outcome
    across a component).  Returns (bound, K^L, K^H)."""
    best = None
    for comp in overlap_components(delta_intervals(B, delta)):
        lo = min(comp, key=lambda K: K.a)
        hi = max(comp, key=lambda K: K.b)
        if hi.b == 0:
            continue
        ratio = Fraction(lo.a, hi.b)
        if best is None or ratio < best[0]:
            best = (ratio, lo, hi)
    if best is None:
        return Fraction(1), ApproxValuation(0, 0), ApproxValuation(0, 0)
    return Fraction(1, n) + (1 - Fraction(1, n)) * best[0], best[1], best[2]


def check_random_assignment(ctx: CheckContext, share_scale: Fraction = Fraction(1)):
    """Random assignment (each player w.p. 1/n, no payment) is DS and guarantees exactly 1/n."""
    grid = [(2, B) for B in range(1, 7)] + [(3, B) for B in range(1, 4)]
    worst_seen = []
    for n, B in grid:
        for delta in DEFAULT_DELTAS:
            if ctx.remaining() < MARGIN:
                return unknown("exhaustive enumeration", "partial", "budget exhausted")
            mech = random_assignment(n, B, delta)
            if share_scale != 1:  # planted: a mechanism that hands out less than it should
                mech = TableMechanism(mech.strategies,
                                      {p: tuple(v * share_scale for v in x) for p, x in mech.allocation.items()},
                                      mech.payment)
            bad = direct_truthfulness_violation(mech)
            if bad is not None:
                return error("exhaustive enumeration", f"n={n}, B={B}, δ={delta}", f"random assignment not DS: {bad}")
            w = worst_truthful_welfare(mech)
            if w.ratio < Fraction(1, n):
                return refuted("exhaustive enumeration", f"n={n}, B={B}, δ={delta}",
                               f"random assignment guarantees only {w.ratio} < 1/{n}",
                               Witness.of({"n": n, "B": B, "delta": delta, "K": tuple(str(k) for k in w.K),
                                           "tv": w.true_values},
                                          {"E[SW]/MSW": w.ratio, "allocation": w.allocation},
                                          "plain Fraction evaluation"))
            worst_seen.append(w.ratio == Fraction(1, n))
    return verified("exhaustive enumeration",
                    "n=2, B∈{1..6}; n=3, B∈{1..3}; δ∈{1/10,1/4,1/3,1/2,2/3}; all δ-profiles and tv ∈ K",
                    f"random assignment is dominant-strategy (constant outcome) and its worst ratio is exactly "
                    f"1/n in all {len(worst_seen)} domains (tight: one player with value, others [0,0])")


T1_DEFAULT_GRID = ((2, Fraction(1, 2), (2, 3, 4, 5)), (2, Fraction(1, 4), (3, 4, 6)), (3, Fraction(1, 2), (2,)))


@dataclass(frozen=True)
class DominantStrategyOptimum:
    """ε*(n, δ, B): the best guarantee of a DS direct mechanism on the grid, proved exactly."""

    n: int
    delta: Fraction
    B: int
    value: Fraction
    mechanism: TableMechanism
    multipliers: tuple[Fraction, ...]
    support: int
    proof_bound: Fraction
    lp_rows: int
    lp_variables: int
    query: QueryOutcome | None = None


def dominant_strategy_optimum(n: int, delta: Fraction, B: int, seconds: float):
    """Solve and certify the T1 LP; replay the optimal mechanism (DS + welfare). (result, reason)."""
    types = delta_intervals(B, delta)
    pts = {tuple((k.a, k.b) for k in K): welfare_test_points(K) for K in product(types, repeat=n)}
    lp, names = dominant_strategy_lp([(k.a, k.b) for k in types], n, pts, B)
    cert = solve_lp_certified(lp, seconds, keep_query=True)
    if cert.status != "optimal":
        return None, f"n={n}, δ={delta}, B={B}: LP {cert.status} ({cert.reason})"
    strategies = tuple(tuple(types) for _ in range(n))
    alloc, pay = {}, {}
    for K in product(types, repeat=n):
        key = tuple((k.a, k.b) for k in K)
        alloc[K] = tuple(cert.values[names[("x", i, key)]] for i in range(n))
        pay[K] = tuple(cert.values[names[("p", i, key)]] for i in range(n))
    mech = TableMechanism(strategies, alloc, pay)
    bad = direct_truthfulness_violation(mech)
    if bad is not None:
        return None, f"LP optimum is not dominant-strategy on replay: {bad}"
    w = worst_truthful_welfare(mech)
    if w is None or w.ratio < cert.value:
        return None, f"LP optimum guarantees {w.ratio if w else None} < {cert.value} on replay"
    bound = check_dual_certificate(lp, cert.multipliers)
    if bound != cert.value:
        return None, f"dual certificate proves {bound}, not {cert.value}"
    pb = t1_proof_bound(n, B, delta)[0]
    return DominantStrategyOptimum(n, delta, B, cert.value, mech, cert.multipliers, cert.support, pb,
                                   len(lp.constraints), len(lp.variables), cert.primal.query), ""


def check_t1_grid(ctx: CheckContext, grid=None, claimed_upper: Callable[[int, Fraction, int], Fraction] | None = None,
                  claimed_guarantee: Callable[[int, Fraction, int], Fraction] | None = None):
    """CMZ-T1 on the grid: exact best DS guarantee ε*(n,δ,B) vs 1/n and the proof's grid bound.

    `claimed_upper` / `claimed_guarantee` (planted bugs in tests): a claimed cap on every DS
    mechanism is refuted by the optimal mechanism; a claimed achievable guarantee above ε* is
    refuted by the exact dual certificate.
    """
    if grid is None:
        top = int(ctx.bound("t1_B", 5))
        grid = ((2, Fraction(1, 2), tuple(range(2, top + 1))),) + T1_DEFAULT_GRID[1:]
    domain = "; ".join(f"n={n}, δ={d}, B∈{{{','.join(map(str, Bs))}}}" for n, d, Bs in grid) + \
        " (direct mechanisms over δ-intervals, truthful reporting dominant, tv ∈ K integers)"
    rows, gaps = [], []
    for n, delta, Bs in grid:
        for B in Bs:
            left = ctx.remaining() - MARGIN
            if left < 1:
                gaps.append(f"n={n}, δ={delta}, B={B}: budget exhausted")
                continue
            res, why = dominant_strategy_optimum(n, delta, B, min(left, 60.0))
            if res is None:
                gaps.append(why)
                continue
            rows.append(res)
            if claimed_upper is not None and res.value > claimed_upper(n, delta, B):
                return refuted("exact LP, optimal mechanism replayed", domain,
                               f"a DS mechanism guarantees {res.value} > claimed cap {claimed_upper(n, delta, B)}",
                               Witness.of({"n": n, "delta": delta, "B": B, "mechanism": res.mechanism.describe()[:4000]},
                                          {"worst E[SW]/MSW": res.value},
                                          "dominance and welfare re-checked by plain Fraction evaluation"))
            if claimed_guarantee is not None and claimed_guarantee(n, delta, B) > res.value:
                return refuted("exact LP dual certificate", domain,
                               f"no DS mechanism guarantees {claimed_guarantee(n, delta, B)}: "
                               f"certificate proves ≤ {res.value}",
                               Witness.of({"n": n, "delta": delta, "B": B,
                                           "certificate rows": res.support,
                                           "multipliers": "; ".join(f"{k}:{y}" for k, y in enumerate(res.multipliers) if y)},
                                          {"proved bound": res.value},
                                          "Σ y_k a_k = c and sign conditions checked in Fractions"))
            if res.value > res.proof_bound:
                return refuted("exact LP, optimal mechanism replayed", domain,
                               f"ε* = {res.value} exceeds the paper's argument on the grid ({res.proof_bound})",
                               Witness.of({"n": n, "delta": delta, "B": B}, {"ε*": res.value}))
    table = "\n".join(
        f"n={r.n} δ={r.delta} B={r.B}: ε*={r.value}  1/n={Fraction(1, r.n)}  excess={r.value - Fraction(1, r.n)}  "
        f"proof bound={r.proof_bound} ({'tight' if r.value == r.proof_bound else 'slack'})  "
        f"LP {r.lp_variables} vars/{r.lp_rows} rows, certificate on {r.support} rows"
        for r in rows)
    ev = (Evidence("lp", "exact optimum per grid, primal replayed + dual certificate", text=table,
                   stats=(("grids", str(len(rows))),)),
          _query_evidence("LP optima (z3 Optimize)", [r.query for r in rows if r.query is not None]))
    if gaps:
        return unknown("exact LP (z3 Optimize) + dual certificate", domain, f"{len(gaps)} grid(s) undecided: {gaps[0]}", ev)
    tight = all(r.value == r.proof_bound for r in rows)
    return verified("exact LP (z3 Optimize) + exact dual certificate", domain,
                    "best DS guarantee ε*(B) = 1/n + (1−1/n)·L/H on every grid ("
                    + ", ".join(f"n={r.n},δ={r.delta},B={r.B}: {r.value}" for r in rows)
                    + f"); {'equal to' if tight else 'within'} the paper's argument on the grid; "
                    "ε* > 1/n on a finite grid, excess (1−1/n)·L/H → 0 as B grows", ev)


CMZ_T1 = Claim(
    id="CMZ-T1",
    title="Dominant strategies guarantee at most 1/n·MSW; random assignment achieves it",
    statement="No (possibly probabilistic) mechanism δ-implements more than (1/n)·MSW in dominant strategies "
              "(via direct mechanisms whose strategies are the K_i); random assignment achieves 1/n.",
    source=SOURCE + " (Thm 1 and its proof slide)",
    parts=(
        Part("random assignment achieves 1/n", method="exhaustive enumeration",
             domain="n=2 B≤6, n=3 B≤3, δ grid", check=check_random_assignment),
        Part("best DS guarantee on the grid", method="exact LP + dual certificate",
             domain="n=2 δ=1/2 B∈{2..5} (t1_B), n=2 δ=1/4 B∈{3,4,6}, n=3 δ=1/2 B=2", check=check_t1_grid),
    ),
)


# =============================================================================
# CMZ-T3 and CMZ-T5
# =============================================================================
def check_hard_instance(ctx: CheckContext, slack: Callable[[int], Fraction] = lambda B: Fraction(4, B),
                        probabilistic: bool = False, B_max: int | None = None):
    """The hard instance on the grid bounds every mechanism by H(B); check H(B) ≤ claimed bound.

    Deterministic (T3): H = min K_lo.a / K_hi.b ≤ ((1−δ)/(1+δ))² + slack(B).
    Probabilistic (T5): H = 1/n + (1−1/n)·that ≤ ((1−δ)²+4δ/n)/(1+δ)² + (1−1/n)·slack(B).
    """
    B_max = int(B_max if B_max is not None else ctx.bound("hard_B", 400))
    ns = (2, 3, 4) if probabilistic else (2,)
    domain = (f"δ∈{{1/10,1/4,1/3,1/2,2/3}}, B∈{{1..{B_max}}}" + (", n∈{2,3,4}" if probabilistic else ", any n ≥ 2")
              + "; all pairs of δ-intervals sharing ≥ 2 integer points (brute force cross-check for B ≤ 14)")
    lines, missing = [], []
    for delta in DEFAULT_DELTAS:
        worst_coeff = None
        for B in range(1, B_max + 1):
            if ctx.remaining() < MARGIN:
                return unknown("exact enumeration", domain, f"budget exhausted at δ={delta}, B={B}")
            inst = hard_instance(B, delta)
            if B <= 14:
                brute = hard_instance_brute_force(B, delta)
                if (brute is None) != (inst is None) or (brute and brute.ratio != inst.ratio):
                    return error("exact enumeration", domain, f"fast and brute-force hard instances differ at δ={delta}, B={B}")
            for n in ns:
                base = _continuum_probabilistic_bound(delta, n) if probabilistic else _r2(delta)
                claim = base + ((1 - Fraction(1, n)) if probabilistic else 1) * slack(B)
                if inst is None:
                    if claim < 1:
                        missing.append(f"δ={delta}, B={B}")
                    continue
                H = inst.probabilistic_bound(n) if probabilistic else inst.ratio
                if H > claim:
                    return refuted("exact enumeration", domain,
                                   f"the best hard instance gives only {H} > claimed {claim} at δ={delta}, B={B}"
                                   + (f", n={n}" if probabilistic else ""),
                                   Witness.of({"delta": delta, "B": B, "n": n if probabilistic else "any",
                                               "K_hi": str(inst.high), "K_lo": str(inst.low),
                                               "tv_hi": inst.high.b, "tv_lo": inst.low.a},
                                              {"instance bound": H, "claimed": claim},
                                              "every pair of δ-intervals scanned; ratio in Fractions"))
                coeff = (H - base) * B
                worst_coeff = coeff if worst_coeff is None else max(worst_coeff, coeff)
        lines.append(f"δ={delta}: max over B of (H(B) − bound)·B = {worst_coeff}")
    ev = (Evidence("enumeration", "hard-instance slack per δ", text="\n".join(lines)),)
    if missing:
        return unknown("exact enumeration", domain,
                       f"no hard instance exists but the claimed bound is < 1 at {missing[0]}", ev)
    what = "((1−δ)²+4δ/n)/(1+δ)² + (1−1/n)·slack(B)" if probabilistic else "((1−δ)/(1+δ))² + slack(B)"
    return verified("exact enumeration", domain,
                    f"the hard instance bounds every {'probabilistic' if probabilistic else 'deterministic'} "
                    f"mechanism by H(B) ≤ {what}; " + "; ".join(lines), ev)


SEARCH_DEFAULT = ((2, Fraction(1, 2), 3, 3), (2, Fraction(1, 2), 4, 3), (2, Fraction(1, 4), 4, 2), (3, Fraction(1, 2), 3, 2))


def _grid_target(n: int, delta: Fraction, B: int, probabilistic: bool) -> Fraction | None:
    inst = hard_instance(B, delta)
    if inst is None:
        return None
    return inst.probabilistic_bound(n) if probabilistic else inst.ratio


def _guarantee_solver(n: int, delta: Fraction, B: int, m: int, deterministic: bool, target, strict: bool,
                      optimise: bool = False):
    types = delta_intervals(B, delta)
    profiles = [tuple((k.a, k.b) for k in K) for K in product(types, repeat=n)]
    pts = {K: welfare_test_points([ApproxValuation(*k) for k in K]) for K in profiles}
    tables = MechanismTables([tuple(range(m))] * n, deterministic=deterministic, prefix="g")
    solver = z3.Optimize() if optimise else z3.Solver()
    eps = z3.Real("eps") if optimise else None
    solver.add(tables.feasibility())
    solver.add(guarantee_constraints(tables, profiles, pts, eps if optimise else target, strict))
    solver.add(tables.definitions)
    handle = solver.maximize(eps) if optimise else None
    return solver, tables, handle, [tuple(ApproxValuation(*k) for k in K) for K in profiles]


def search_better_mechanism(ctx: CheckContext, n: int, delta: Fraction, B: int, m: int, deterministic: bool,
                            target: Fraction, seconds: float):
    """z3: is there a mechanism (≤ m strategies each) whose undominated-strategy guarantee exceeds
    `target` on the grid?  Returns (outcome, replayed witness or None, note)."""
    solver, tables, _, K_profiles = _guarantee_solver(n, delta, B, m, deterministic, target, strict=True)
    out = run_check(solver, seconds)
    if out.result != "sat":
        return out, None, ""
    mech = _tables_mechanism(tables, solver.model())
    w = worst_undominated_welfare(mech, K_profiles)
    if w is None or w.ratio <= target:
        return out, None, f"z3 model not confirmed: replayed worst ratio {w.ratio if w else None} ≤ {target}"
    if deterministic and not mech.is_deterministic():
        return out, None, "z3 model is not deterministic on replay"
    return out, (mech, w), ""


def optimum_guarantee(n: int, delta: Fraction, B: int, m: int, deterministic: bool, seconds: float):
    """z3 Optimize: the best guarantee over mechanisms with ≤ m strategies; model replayed.
    Returns (value or None, outcome, replayed worst ratio)."""
    solver, tables, handle, K_profiles = _guarantee_solver(n, delta, B, m, deterministic, None, strict=False,
                                                           optimise=True)
    out = run_check(solver, seconds, keep_query=False)
    if out.result != "sat":
        return None, out, None
    mech = _tables_mechanism(tables, solver.model())
    w = worst_undominated_welfare(mech, K_profiles)
    value = handle.value()
    exact = z3_fraction(value) if (z3.is_rational_value(value) or z3.is_int_value(value)) else None
    return exact, out, (w.ratio if w else None)


def check_all_mechanisms(ctx: CheckContext, deterministic: bool, searches=None,
                         target: Callable[[int, Fraction, int], Fraction] | None = None):
    """T3 (deterministic) / T5 (probabilistic): z3 finds no mechanism beating the grid bound H(B).

    `target` overrides the bound (planted bugs); a sat answer is replayed exactly and refutes.
    """
    if searches is None:
        Bv, mv = ctx.bound("smt_B", None), ctx.bound("smt_m", None)
        searches = SEARCH_DEFAULT if Bv is None and mv is None else \
            ((2, Fraction(1, 2), int(Bv or 4), int(mv or 3)),)
    kind = "deterministic" if deterministic else "probabilistic"
    domain = "; ".join(f"n={n}, δ={d}, values {{0..{B}}}, {m} strategies each" for n, d, B, m in searches) + \
        f" — every {kind} mechanism with at most that many strategies per player (real payments), " \
        "all δ-profiles, every σ ∈ UDed(K), every integer tv ∈ K"
    outcomes, lines, gaps = [], [], []
    for n, delta, B, m in searches:
        goal = target(n, delta, B) if target is not None else _grid_target(n, delta, B, not deterministic)
        if goal is None:
            gaps.append(f"n={n}, δ={delta}, B={B}: no hard instance on this grid")
            continue
        left = ctx.remaining() - MARGIN
        if left < 1:
            gaps.append(f"n={n}, δ={delta}, B={B}, m={m}: budget exhausted")
            continue
        out, found, note = search_better_mechanism(ctx, n, delta, B, m, deterministic, goal, min(left, 60.0))
        outcomes.append(out)
        if found is not None:
            mech, w = found
            return refuted("z3 model replayed exactly", domain,
                           f"a {kind} mechanism guarantees {w.ratio} > {goal} (n={n}, δ={delta}, B={B}, m={m})",
                           Witness.of({"n": n, "delta": delta, "B": B, "strategies": m, "mechanism": mech.describe()},
                                      {"worst ratio": w.ratio, "attained at K": tuple(str(k) for k in w.K),
                                       "sigma": w.strategies, "tv": w.true_values},
                                      "UDed sets and worst ratio recomputed by plain Fraction evaluation"),
                           (_query_evidence(f"guarantee > {goal}", outcomes),))
        if out.result != "unsat":
            gaps.append(note or f"n={n}, δ={delta}, B={B}, m={m}: z3 {out.result} ({out.reason})")
            continue
        line = f"n={n} δ={delta} B={B} m={m}: no mechanism beats H={goal} (unsat, {out.seconds:.1f}s)"
        left = ctx.remaining() - MARGIN
        if target is None and left > 5:
            value, oout, replay = optimum_guarantee(n, delta, B, m, deterministic, min(left / 2, 30.0))
            if value is not None and replay == value:
                line += f"; optimum over such mechanisms = {value} (model replayed: {'tight' if value == goal else 'slack'})"
            else:
                line += f"; optimum not computed ({oout.result} {oout.reason})"
        bound = _r2(delta) if deterministic else _continuum_probabilistic_bound(delta, n)
        line += f"; continuum bound {bound}"
        lines.append(line)
    ev = (_query_evidence(f"{kind} mechanism beating H(B)", outcomes),
          Evidence("note", "per-domain results", text="\n".join(lines)))
    if gaps:
        return unknown("z3 unsat", domain, f"{len(gaps)} search(es) undecided: {gaps[0]}", ev)
    return verified("z3 unsat, optimum by z3 Optimize replayed", domain,
                    f"no {kind} mechanism beats the hard-instance bound H(B); " + " | ".join(lines), ev)


CMZ_T3 = Claim(
    id="CMZ-T3",
    title="No deterministic mechanism beats ((1−δ)/(1+δ))²·MSW in undominated strategies",
    statement="No deterministic mechanism guarantees more than ((1−δ)/(1+δ))²·MSW; bounded version: at most "
              "((1−δ)²/(1+δ)² + 4/B)·MSW, hard instance K = (int_δ(x), int_δ(y), …), tv = (⌊(1+δ)x⌋, ⌈(1−δ)y⌉, …).",
    source=SOURCE + " (Thm 3 proof slide: UIL, unlucky player, hard instance)",
    parts=(
        Part("hard instance on the grid", method="exact enumeration",
             domain="δ grid, B ≤ 400 (hard_B)", check=lambda ctx: check_hard_instance(ctx)),
        Part("every deterministic mechanism (bounded)", method="z3 unsat + z3 Optimize replayed",
             domain="n=2 δ=1/2 B∈{3,4} m=3; n=2 δ=1/4 B=4 m=2; n=3 δ=1/2 B=3 m=2",
             check=lambda ctx: check_all_mechanisms(ctx, deterministic=True)),
    ),
)

CMZ_T5 = Claim(
    id="CMZ-T5",
    title="((1−δ)²+4δ/n)/(1+δ)² is optimal among probabilistic mechanisms",
    statement="No (probabilistic) mechanism guarantees more than ((1−δ)²+4δ/n)/(1+δ)²·MSW in undominated strategies.",
    source=SOURCE + " (Thm 5; same hard instance with the unlucky player winning w.p. ≤ 1/n)",
    parts=(
        Part("hard instance on the grid", method="exact enumeration",
             domain="δ grid, n∈{2,3,4}, B ≤ 400 (hard_B)",
             check=lambda ctx: check_hard_instance(ctx, probabilistic=True)),
        Part("every probabilistic mechanism (bounded)", method="z3 unsat + z3 Optimize replayed",
             domain="n=2 δ=1/2 B∈{3,4} m=3; n=2 δ=1/4 B=4 m=2; n=3 δ=1/2 B=3 m=2",
             check=lambda ctx: check_all_mechanisms(ctx, deterministic=False)),
    ),
)
