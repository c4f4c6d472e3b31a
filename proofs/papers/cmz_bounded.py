"""CMZ (paper 000): bounded checks of second price, f^(δ), M_f and the welfare theorems.

Claims: CMZ-SP-AT, CMZ-T2, CMZ-F, CMZ-E3 (7 parts), CMZ-MF, CMZ-DML, CMZ-E1, CMZ-T4, CMZ-E5.
Every checker takes the mechanism (factory) and the bound as arguments, so planted
bugs run through exactly the same code (tests/test_cmz_claims.py).  Model and
readings: docs/cmz.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import permutations
from typing import Callable, Iterable, Optional, Sequence

import sympy as sp

from mechproof.claims import Claim, Part
from mechproof.context import CheckContext
from mechproof.verdicts import Evidence, Verdict, Witness, proved, refuted, unknown, verified
from mechproof.mechanisms.exact import UsageError, check_delta
from mechproof.mechanisms.cmz_model import (DEFAULT_DELTAS, ApproxValuation, D_of_delta, approx_intervals,
                                            bid_profiles, check_B, check_n, delta_intervals, sorted_profiles,
                                            welfare_bound_f_delta, welfare_bound_second_price)
from mechproof.mechanisms.cmz_mechanisms import (Mechanism, f_delta, f_delta_allocation, f_delta_breakpoints,
                                                 f_delta_winners, feasibility_violation, insert_bid, m_f,
                                                 m_f_grid_linear, second_price)
from mechproof.mechanisms.cmz_dominance import (DominanceTable, dominance_table, is_undominated_by_definition,
                                                opponent_profiles)
from mechproof.mechanisms.cmz_payments import (Piece, cumulative_integrals, exact_sign,
                                               fit_inverse_pieces, grid_linear_pieces, to_loglinear)

__all__ = [
    "Domain", "domain_from", "approx_truthfulness", "welfare_guarantee", "allocation_property",
    "truthfulness_of", "dml_check", "e1_lemma", "e5_payments", "f_definition_check",
    "CMZ_SP_AT", "CMZ_T2", "CMZ_F", "CMZ_E3", "CMZ_MF", "CMZ_DML", "CMZ_E1", "CMZ_T4", "CMZ_E5",
]

MARGIN = 3.0   # seconds kept in reserve before the runner's kill


# ---------------------------------------------------------------- domain
@dataclass(frozen=True)
class Domain:
    """n values, bid bound B and δ grid of a bounded check."""

    ns: tuple[int, ...]
    B: int
    deltas: tuple[Fraction, ...]

    def text(self, intervals: str = "") -> str:
        ns = ",".join(map(str, self.ns))
        ds = ",".join(map(str, self.deltas))
        return f"n∈{{{ns}}}, bids/values in {{0..{self.B}}}, δ∈{{{ds}}}" + (f"; {intervals}" if intervals else "")


def domain_from(ctx: CheckContext, n=(2, 3), B=16, deltas=DEFAULT_DELTAS) -> Domain:
    """The domain after the user's `--bound n=…/B=…/delta=…` overrides (n as int = 2..n)."""
    nv = ctx.bound("n", n)
    ns = tuple(range(2, check_n(nv) + 1)) if isinstance(nv, int) else tuple(check_n(x) for x in nv)
    Bv = check_B(ctx.bound("B", B))
    dv = ctx.bound("delta", deltas)
    ds = tuple(check_delta(x) for x in (dv if isinstance(dv, (tuple, list)) else (dv,)))
    if not ns or not ds:
        raise UsageError("empty n or δ list in the bounds")
    return Domain(ns, Bv, ds)


def _ladder(B: int) -> list[int]:
    """B values tried in order: small first, so a counterexample found is small."""
    return sorted({b for b in (2, 4, 8) if b < B} | {B})


def _out_of_time(ctx: CheckContext, method: str, dom: Domain, done: str) -> Verdict:
    return unknown(method, dom.text(), f"time budget exhausted; completed without violation: {done or 'nothing'}")


def _status_word(worst: Fraction, bound: Fraction) -> str:
    return "tight" if worst == bound else ("slack" if worst > bound else "violated")


# ---------------------------------------------------------------- approximate truthfulness (SP-AT, DML)
def approx_truthfulness(make: Callable[[int, int, Fraction], Mechanism], dom: Domain, ctx: CheckContext,
                        method="exhaustive enumeration (endpoint reduction)", per_delta=True,
                        intervals: Callable[[int, Fraction], list] = lambda B, d: approx_intervals(B)) -> Verdict:
    """UDed_i(K_i) ⊆ [min K_i, max K_i] for every K_i of the domain (CMZ-SP-AT, CMZ-DML conclusion).

    `make(n, B, δ)` builds the mechanism (δ ignored when per_delta is False).
    """
    itext = "K_i: [0,0] and every [a,b] with 1≤a≤b≤B (each a δ-approximate valuation for some δ∈(0,1))"
    checked, done = 0, []
    for n in dom.ns:
        for B in _ladder(dom.B):
            for d in (dom.deltas if per_delta else dom.deltas[:1]):
                if ctx.remaining() < MARGIN:
                    return _out_of_time(ctx, method, dom, ", ".join(done))
                mech = make(n, B, d)
                players = [0] if mech.symmetric else range(n)
                for i in players:
                    try:
                        tab = dominance_table(mech, i)
                    except UsageError as exc:
                        return unknown(method, dom.text(itext), f"{mech.name} (n={n}, B={B}) is not evaluable: {exc}")
                    for K in intervals(B, d):
                        ud = tab.undominated(K)
                        checked += 1
                        bad = sorted(s for s in ud if s not in K)
                        if bad:
                            s = min(bad, key=lambda x: abs(x - K.a))
                            ok, dom_by = is_undominated_by_definition(mech, i, K, s)
                            if not ok:
                                return unknown(method, dom.text(itext),
                                               f"reduction and definition disagree at K={K}, bid {s} (dominated by {dom_by}): internal error")
                            return refuted(method, dom.text(itext),
                                           f"{mech.name}: bid {s} ∉ K_{i+1}={K} is undominated",
                                           Witness.of({"mechanism": mech.name, "n": n, "B": B,
                                                       **({"delta": d} if per_delta else {}),
                                                       "player": i + 1, "K": f"[{K.a},{K.b}]", "bid": s},
                                                      {"UDed(K)": f"{{{','.join(map(str, sorted(ud)))}}}"},
                                                      "re-checked by the plain definition: no bid in {0..B} "
                                                      "dominates it for all integer t∈K, all τ∈{0..B}^(n−1)"))
                if B == dom.B:
                    done.append(f"n={n}" + (f",δ={d}" if per_delta else ""))
    return verified(method, dom.text(itext),
                    f"UDed_i(K) ⊆ K for all {checked} (mechanism, K) pairs checked",
                    (Evidence("enumeration", "exact dominance over all bid pairs, opponents' bids and t at K's endpoints",
                              stats=(("intervals×mechanisms", str(checked)),)),))


# ---------------------------------------------------------------- welfare (T2, T4)
def _reachable(tab: DominanceTable, intervals: Iterable[ApproxValuation], B: int):
    """For each bid s: (min a, K) and (max b, K) over δ-intervals K with s ∈ UDed(K)."""
    lo: dict[int, tuple[int, ApproxValuation]] = {}
    hi: dict[int, tuple[int, ApproxValuation]] = {}
    for K in intervals:
        for s in tab.undominated(K):
            if s not in lo or K.a < lo[s][0]:
                lo[s] = (K.a, K)
            if s not in hi or K.b > hi[s][0]:
                hi[s] = (K.b, K)
    return lo, hi


def welfare_guarantee(make: Callable[[int, int, Fraction], Mechanism], bound: Callable[[Fraction, int], Fraction],
                      dom: Domain, ctx: CheckContext, bound_text: str,
                      method="exhaustive enumeration (endpoint reduction)") -> Verdict:
    """For all δ-profiles K, tv ∈ K, σ ∈ UDed(K): E[SW(tv, M(σ))] ≥ bound(δ,n)·max tv (CMZ-T2, CMZ-T4).

    Exact worst case: per σ and argmax player i, tv_i = the largest value any K_i with
    σ_i ∈ UDed(K_i) allows, tv_j = the smallest for j ≠ i (the ratio is monotone in each).
    """
    worst: Optional[tuple] = None
    per: list[str] = []
    profiles = 0
    for n in dom.ns:                 # feasibility first: a welfare claim needs a single-good mechanism
        for d in dom.deltas:
            mech = make(n, dom.B, d)
            bad = feasibility_violation(mech)
            if bad is not None:
                v, f = bad
                return refuted(method, dom.text(), f"{mech.name} is not a feasible single-good mechanism",
                               Witness.of({"n": n, "B": dom.B, "delta": d, "bids": v}, {"allocation": f, "sum": sum(f)},
                                          "plain evaluation of the allocation"))
    for n in dom.ns:
        for d in dom.deltas:
            for B in _ladder(dom.B):
                if ctx.remaining() < MARGIN:
                    return _out_of_time(ctx, method, dom, "; ".join(per))
                mech = make(n, B, d)
                eps = bound(d, n)
                ivs = delta_intervals(B, d)
                players = [0] if mech.symmetric else list(range(n))
                try:
                    reach = {i: _reachable(dominance_table(mech, i), ivs, B) for i in players}
                except UsageError as exc:
                    return unknown(method, dom.text(), f"{mech.name} (n={n}, B={B}, δ={d}) is not evaluable: {exc}")
                R = (lambda i: reach[0]) if mech.symmetric else (lambda i: reach[i])
                prof_iter = sorted_profiles(n, B) if mech.symmetric else bid_profiles(n, B)
                local = None
                for sigma in prof_iter:
                    if any(sigma[j] not in R(j)[0] for j in range(n)):
                        continue
                    profiles += 1
                    f = mech.allocation(sigma)
                    mins = [R(j)[0][sigma[j]][0] for j in range(n)]
                    for i in range(n):
                        M = R(i)[1][sigma[i]][0]
                        if M == 0 or any(mins[j] > M for j in range(n) if j != i):
                            continue
                        sw = M * f[i] + sum(mins[j] * f[j] for j in range(n) if j != i)
                        ratio = sw / M
                        if local is None or ratio < local[0]:
                            local = (ratio, n, d, B, sigma, i, f)
                if local is None:
                    continue
                ratio, _, _, _, sigma, i, f = local
                if ratio < eps:
                    tv = tuple(R(i)[1][sigma[i]][0] if j == i else R(j)[0][sigma[j]][0] for j in range(n))
                    K = tuple(R(i)[1][sigma[i]][1] if j == i else R(j)[0][sigma[j]][1] for j in range(n))
                    # re-check by plain evaluation
                    for j in range(n):
                        ok, _ = is_undominated_by_definition(mech, 0 if mech.symmetric else j, K[j], sigma[j])
                        assert ok and K[j].a <= tv[j] <= K[j].b and K[j].is_delta(d)
                    fv, _ = mech.outcome(sigma)
                    sw = sum(t * x for t, x in zip(tv, fv))
                    assert sw / max(tv) == ratio
                    return refuted(method, dom.text(),
                                   f"{mech.name}: E[SW]/MSW = {ratio} < {bound_text} = {eps} at n={n}, δ={d}, B={B}",
                                   Witness.of({"n": n, "B": B, "delta": d, "K": "(" + ", ".join(map(str, K)) + ")",
                                               "tv": tv, "bids σ": sigma},
                                              {"allocation": fv, "E[SW]": sw, "MSW": max(tv), "ratio": ratio, "bound": eps},
                                              "σ_j ∈ UDed_j(K_j) re-checked by the plain definition; E[SW] by direct evaluation"))
                if B == dom.B:
                    per.append(f"n={n}, δ={d}: worst {ratio} vs bound {eps} ({_status_word(ratio, eps)}) "
                               f"at σ={sigma}, player {i + 1} max")
                    if worst is None or ratio - eps < worst[0] - worst[1]:
                        worst = (ratio, eps, n, d, sigma)
    summary = (f"bound holds on the whole domain ({profiles} reachable bid profiles); closest case: "
               f"worst ratio {worst[0]} vs bound {worst[1]} ({_status_word(worst[0], worst[1])}) at n={worst[2]}, δ={worst[3]}"
               if worst else "no reachable profile")
    return verified(method, dom.text("all δ-profiles K, tv ∈ K, σ ∈ UDed(K)"), summary,
                    (Evidence("enumeration", "worst ratio E[SW]/MSW per (n, δ) against the claimed bound",
                              text="\n".join(per), stats=(("profiles", str(profiles)),)),))


# ---------------------------------------------------------------- properties of an allocation rule (E3, F)
AllocFactory = Callable[[int, Fraction], Callable[[tuple], tuple]]


def _f_delta_factory(D_override=None, nstar_rule="smallest") -> AllocFactory:
    def make(n, d):
        D = D_of_delta(d) if D_override is None else D_override(d)
        return lambda v: f_delta_allocation(v, d, D=D, nstar_rule=nstar_rule)
    return make


def allocation_property(prop: Callable[[Callable, tuple, int, Fraction], Optional[dict]], what: str,
                        make_alloc: AllocFactory, dom: Domain, ctx: CheckContext, sorted_only=True,
                        method="exhaustive enumeration") -> Verdict:
    """Check `prop(f, v, n, δ)` (None = holds, else observed values) on every grid profile."""
    count = 0
    for n in dom.ns:
        for B in _ladder(dom.B):
            for d in dom.deltas:
                if ctx.remaining() < MARGIN:
                    return _out_of_time(ctx, method, dom, f"{count} profiles")
                f = make_alloc(n, d)
                for v in (sorted_profiles(n, B) if sorted_only else bid_profiles(n, B)):
                    count += 1
                    bad = prop(f, v, n, d)
                    if bad is not None:
                        return refuted(method, dom.text(), f"{what} fails at n={n}, δ={d}, v={v}",
                                       Witness.of({"n": n, "delta": d, "v": v}, bad,
                                                  "plain exact evaluation of the allocation rule"))
    return verified(method, dom.text("every bid profile v ∈ {0..B}^n" + (" (sorted; f symmetric)" if sorted_only else "")),
                    f"{what}: holds at all {count} profiles", (Evidence("enumeration", what, stats=(("profiles", str(count)),)),))


def _prop_nstar_defined(f, v, n, d):
    D = D_of_delta(d)
    ok = [k for k in range(1, n + 1) if k == n or v[k] * (k + D) <= sum(v[:k])]
    return None if ok else {"candidates": "none"}


def _prop_winner_inequality(f, v, n, d):
    D = D_of_delta(d)
    k, winners, S = f_delta_winners(v, D)
    for i in winners:
        if not v[i] * (k + D) > S:
            return {"n*": k, "S": S, f"v_{i + 1}": v[i], "S/(n*+D)": S / (k + D)}
    return None


def winner_inequality(make_alloc: AllocFactory, dom: Domain, ctx: CheckContext) -> Verdict:
    """CMZ-E3 (2) as stated (v ∈ [0,B]^N, zero included): checked on v ≠ 0 first, then at v = 0."""
    nonzero = allocation_property(lambda f, v, n, d: None if not any(v) else _prop_winner_inequality(f, v, n, d),
                                  "v_i > S/(n*+D) for every winner (v ≠ 0)", make_alloc, dom, ctx)
    if not nonzero.passes:
        return nonzero
    n, d = dom.ns[0], dom.deltas[0]
    D = D_of_delta(d)
    v = (0,) * n
    k, winners, S = f_delta_winners(v, D)
    if not v[winners[0]] * (k + D) > S:
        return refuted("exhaustive enumeration", dom.text(),
                       f"fails only at the all-zero profile (n*=1, v_1 = 0 = S/(1+D); Eq. (E.7) is 0/0 there); "
                       f"{nonzero.summary}",
                       Witness.of({"n": n, "delta": d, "v": v}, {"n*": k, "v_1": 0, "S/(n*+D)": S / (k + D)},
                                  "plain evaluation of Def. E.2's n*"), nonzero.evidence)
    return nonzero


def _two_sided(v, n, D):
    return [k for k in range(1, n + 1)
            if all(v[i] * (k + D) > sum(v[:k]) for i in range(k))
            and all(v[i] * (k + D) <= sum(v[:k]) for i in range(k, n))]


def _prop_unique(f, v, n, d):
    ks = _two_sided(v, n, D_of_delta(d))
    return None if len(ks) <= 1 else {"indices satisfying both sides": tuple(ks)}


def _prop_valid_probabilities(f, v, n, d):
    D = D_of_delta(d)
    fv = f(v)
    if all(x == 0 for x in v):
        return None if all(0 <= x <= 1 for x in fv) and sum(fv) <= 1 else {"f": fv}
    k, _, _ = f_delta_winners(v, D)
    cap = Fraction(n + D, n) * Fraction(k) / (k + D)
    if any(not 0 <= x <= 1 for x in fv) or sum(fv) > cap or cap > 1:
        return {"f": fv, "sum": sum(fv), "((n+D)/n)(n*/(n*+D))": cap}
    return None


def _prop_delta_good(f, v, n, d):
    D = D_of_delta(d)
    fv = f(v)
    total = sum(x * y for x, y in zip(fv, v))
    for i in range(n):
        lhs = total + D * fv[i] * v[i]
        rhs = Fraction(1, n) * v[i] * (n + D)
        if lhs < rhs:
            return {"f": fv, "player": i + 1, "Σf_j v_j + D f_i v_i": lhs, "(1/n) v_i (n+D)": rhs}
    return None


def _prop_feasible(f, v, n, d):
    fv = f(v)
    return None if all(0 <= x <= 1 for x in fv) and sum(fv) <= 1 else {"f": fv, "sum": sum(fv)}


def monotonicity(make_alloc: AllocFactory, pieces_of: Callable, dom: Domain, ctx: CheckContext) -> Verdict:
    """f_i(z⊔v_−i) non-decreasing in REAL z ∈ [0,B] for all integer v_−i (CMZ-E3 (5)); pieces + jumps."""
    method = "exhaustive enumeration + exact piecewise analysis in z"
    lines = 0
    for n in dom.ns:
        for B in _ladder(dom.B):
            for d in dom.deltas:
                if ctx.remaining() < MARGIN:
                    return _out_of_time(ctx, method, dom, f"{lines} lines")
                f = make_alloc(n, d)
                for tau in sorted_profiles(n - 1, B):
                    lines += 1
                    val = lambda z: f(insert_bid(0, z, tau))[0]
                    pcs = pieces_of(n, d, B, f, tau)
                    prev = val(Fraction(0))
                    for p in pcs:
                        # value at the left end (limit), inside (c ≤ 0 ⇔ a + c/z non-decreasing), right end
                        left = p.value(p.lo) if p.lo > 0 else p.a
                        if left < prev or p.c > 0 or p.b < 0:
                            z = p.lo if left < prev else (p.lo + p.hi) / 2
                            return refuted(method, dom.text(), f"f_1(z⊔τ) decreases near z={z} (n={n}, δ={d}, τ={tau})",
                                           Witness.of({"n": n, "delta": d, "tau": tau, "z": z},
                                                      {"f before": prev, "f after": left, "piece": f"{p.a}+{p.b}z+{p.c}/z on ({p.lo},{p.hi})"},
                                                      "exact evaluation of the allocation"))
                        at_hi = val(p.hi)
                        right = p.value(p.hi)
                        if at_hi < right:
                            return refuted(method, dom.text(), f"f_1(z⊔τ) drops at z={p.hi} (n={n}, δ={d}, τ={tau})",
                                           Witness.of({"n": n, "delta": d, "tau": tau, "z": p.hi},
                                                      {"limit from left": right, "value": at_hi}, "exact evaluation"))
                        prev = at_hi
    return verified(method, dom.text("f_1(z⊔τ), real z∈[0,B], integer τ (f symmetric)"),
                    f"monotone in every one of {lines} lines (pieces a + c/z with c ≤ 0, no downward jump)")


def _f_delta_pieces(D_override=None, nstar_rule="smallest"):
    def pieces(n, d, B, f, tau):
        D = D_of_delta(d) if D_override is None else D_override(d)
        return fit_inverse_pieces(f_delta_breakpoints(tau, D), B, lambda z: f(insert_bid(0, z, tau))[0])
    return pieces


def distinguishable_monotonicity(make_alloc: AllocFactory, pieces_of: Callable, dom: Domain, ctx: CheckContext) -> Verdict:
    """∀ v_i < v'_i in {0..B} ∃ v_−i ∈ {0..B}^(n−1): ∫_{v_i}^{v'_i} (f_i(z⊔v_−i) − f_i(v_i⊔v_−i)) dz > 0 (CMZ-E3 (6))."""
    method = "exhaustive enumeration, exact log-linear integrals"
    pairs = 0
    for n in dom.ns:
        for B in _ladder(dom.B):
            for d in dom.deltas:
                if ctx.remaining() < MARGIN:
                    return _out_of_time(ctx, method, dom, f"{pairs} pairs")
                f = make_alloc(n, d)
                good: set = set()
                for tau in sorted_profiles(n - 1, B):
                    G = cumulative_integrals(pieces_of(n, d, B, f, tau), range(B + 1))
                    fv = [f(insert_bid(0, z, tau))[0] for z in range(B + 1)]
                    for a in range(B + 1):
                        for b in range(a + 1, B + 1):
                            if (a, b) not in good and exact_sign(G[b] - G[a] - (b - a) * fv[a]) > 0:
                                good.add((a, b))
                for a in range(B + 1):
                    for b in range(a + 1, B + 1):
                        pairs += 1
                        if (a, b) not in good:
                            return refuted(method, dom.text(), f"not distinguishably monotone for v_i={a} < v'_i={b} (n={n}, δ={d}, B={B})",
                                           Witness.of({"n": n, "B": B, "delta": d, "v_i": a, "v'_i": b},
                                                      {"max over v_−i of the integral": "≤ 0"},
                                                      "every v_−i ∈ {0..B}^(n−1) tried (f symmetric: sorted ones)"))
    return verified(method, dom.text("all v_i < v'_i; witnesses v_−i searched over {0..B}^(n−1)"),
                    f"a positive integral found for all {pairs} pairs")


# ---------------------------------------------------------------- CMZ-F
def f_definition_check(make_alloc: AllocFactory, dom: Domain, ctx: CheckContext) -> Verdict:
    """f^(δ) well defined (CMZ-F): Def. E.2's n* agrees with the slide's two-sided threshold, no tie
    straddles the winner boundary, and the symmetric extension is permutation invariant."""
    method = "exhaustive enumeration, two routes"
    count = 0
    for n in dom.ns:
        for d in dom.deltas:
            if ctx.remaining() < MARGIN:
                return _out_of_time(ctx, method, dom, f"{count} profiles")
            D = D_of_delta(d)
            f = make_alloc(n, d)
            perms = list(permutations(range(n)))
            for v in sorted_profiles(n, dom.B):
                count += 1
                fv = f(v)
                if any(v):
                    k, _, _ = f_delta_winners(v, D)
                    ks = _two_sided(v, n, D)
                    if ks != [k]:
                        return refuted(method, dom.text(), f"Def. E.2 n*={k} but slide threshold gives {ks}",
                                       Witness.of({"n": n, "delta": d, "v": v}, {"n* (Def. E.2)": k, "slide": tuple(ks)}))
                    if k < n and v[k - 1] == v[k]:
                        return refuted(method, dom.text(), "a tie straddles the winner boundary",
                                       Witness.of({"n": n, "delta": d, "v": v}, {"n*": k}))
                for p in perms:
                    w = tuple(v[p[j]] for j in range(n))
                    fw = f(w)
                    if any(fw[j] != fv[p[j]] for j in range(n)):
                        return refuted(method, dom.text(), "symmetric extension depends on the order of tied bids",
                                       Witness.of({"n": n, "delta": d, "v": w}, {"f(v)": fw, "f(sorted)": fv}))
    return verified(method, dom.text("every profile in {0..B}^n"),
                    f"{count} sorted profiles: smallest-index n* = the slide's unique two-sided threshold (v ≠ 0), "
                    "ties never straddle it, f permutation-equivariant; v = 0 ↦ f = 0 by convention (paper: 0/0)")


# ---------------------------------------------------------------- CMZ-MF: DSIC of M_f
def truthfulness_of(mechs: Callable[[int, int, Fraction], Sequence[Mechanism]], dom: Domain, ctx: CheckContext,
                    method="exhaustive enumeration, exact log-linear utilities") -> Verdict:
    """u_i(t, t⊔τ) ≥ u_i(t, s⊔τ) for all t, s ∈ {0..B}, τ (CMZ-MF: M_f dominant-strategy truthful)."""
    checks = 0
    names: list[str] = []
    for n in dom.ns:
        for d in dom.deltas:
            if ctx.remaining() < MARGIN:
                return _out_of_time(ctx, method, dom, f"{checks} comparisons")
            for mech in mechs(n, dom.B, d):
                if mech.name not in names:
                    names.append(mech.name)
                for i in ([0] if mech.symmetric else range(n)):
                    for tau in opponent_profiles(mech):
                        line = mech.line(i, tau)
                        for t in range(mech.B + 1):
                            ft, pt = line[t]
                            ut = to_loglinear(t * ft) - to_loglinear(pt)
                            for s in range(mech.B + 1):
                                if s == t:
                                    continue
                                checks += 1
                                fs, ps = line[s]
                                gain = to_loglinear(t * fs) - to_loglinear(ps) - ut
                                if exact_sign(gain) > 0:
                                    return refuted(method, dom.text(), f"{mech.name}: bidding {s} beats the truth {t}",
                                                   Witness.of({"mechanism": mech.name, "n": n, "delta": d, "player": i + 1,
                                                               "tau": tau, "t": t, "bid": s},
                                                              {"u(truth)": ut, "u(bid)": ut + gain, "gain": gain},
                                                              "exact log-linear utilities, sign decided exactly"))
    return verified(method, dom.text("mechanisms: " + "; ".join(dict.fromkeys(n.split(" (")[0] for n in names))),
                    f"truthful bidding is a best reply in all {checks} (t, bid, τ) comparisons")


def _proportional_allocation(v):
    s = sum(v)
    return tuple(Fraction(x, s) if s else Fraction(1, len(v)) for x in v)


def _sp_step_pieces(i, tau, B):
    """Second price's allocation as a real-z step function: 0 below max τ, 1 above."""
    m = max(tau)
    if m == 0:
        return [Piece(Fraction(0), Fraction(B), Fraction(1))]
    if m >= B:
        return [Piece(Fraction(0), Fraction(B), Fraction(0))]
    return [Piece(Fraction(0), Fraction(m), Fraction(0)), Piece(Fraction(m), Fraction(B), Fraction(1))]


def monotone_examples(n: int, B: int, d: Fraction) -> list[Mechanism]:
    """The monotone f's CMZ-MF/DML are checked on: f^(δ), v_i/Σv (grid, piecewise linear), the
    second-price step rule (on the reals), random assignment."""
    sp_alloc = second_price(n, B).allocation
    return [f_delta(n, B, d),
            m_f_grid_linear("M_f proportional v_i/Σv (grid, piecewise-linear in z)", n, B, _proportional_allocation, True),
            m_f("M_f second-price step rule (reals)", n, B, sp_alloc, lambda i, tau: _sp_step_pieces(i, tau, B), True),
            m_f("M_f random assignment", n, B, lambda v: (Fraction(1, len(v)),) * len(v),
                lambda i, tau: [Piece(Fraction(0), Fraction(B), Fraction(1, n))], True)]


# ---------------------------------------------------------------- CMZ-DML
def dml_check(make_alloc: AllocFactory, pieces_of: Callable, make_mech: Callable[[int, int, Fraction], Mechanism],
              dom: Domain, ctx: CheckContext, per_delta: bool = True) -> Verdict:
    """DML on the domain for one f: hypotheses (monotone on the reals, distinguishably monotone) and,
    when they hold, the conclusion UDed_i(K_i) ⊆ K_i for M_f = make_mech(n, B, δ) and every interval K_i.
    A failed hypothesis gives `unknown` (the lemma says nothing about that f)."""
    mono = monotonicity(make_alloc, pieces_of, dom, ctx)
    dm = distinguishable_monotonicity(make_alloc, pieces_of, dom, ctx) if mono.passes else None
    for hyp, name in ((mono, "monotone"), (dm, "distinguishably monotone")):
        if hyp is not None and not hyp.passes:
            why = hyp.summary + (f" [{hyp.witness.describe()}]" if hyp.witness else "")
            return unknown(hyp.method, hyp.domain, f"hypothesis '{name}' not established, the lemma does not apply: {why}",
                           hyp.evidence)
    concl = approx_truthfulness(make_mech, dom, ctx, per_delta=per_delta)
    if concl.passes:
        return verified(concl.method, concl.domain,
                        "f monotone (reals) and distinguishably monotone; " + concl.summary,
                        concl.evidence + (Evidence("note", mono.summary), Evidence("note", dm.summary)))
    return concl


# ---------------------------------------------------------------- CMZ-E1 (symbolic)
def e1_lemma(bound: Optional[Callable] = None) -> Callable[[CheckContext], Verdict]:
    """Lemma E.1 by sympy: δ-good f and σ_j ∈ K_j ⇒ Σ tv_j f_j ≥ ε·max tv, ε = ((1−δ)²+4δ/n)/(1+δ)².

    `bound(n, δ)` (sympy) replaces ε (planted bugs).  Steps: with r = (1−δ)/(1+δ), i the argmax of tv,
    tv_j ≥ rσ_j (j ≠ i) and rσ_i ≤ tv_i ≤ σ_i/r; E(tv_i) = r·S_o + tv_i·p_i − ε·tv_i is affine in tv_i,
    so it is ≥ 0 iff it is at both ends; at σ_i/r, E = r·G (G = δ-good slack); at rσ_i,
    E = r·(G + D·S_o)/(1+D).  Each identity is decided by sympy.
    """
    def check(ctx: CheckContext) -> Verdict:
        n, dl = sp.symbols("n delta", positive=True)
        sig, p, So = sp.symbols("sigma_i p_i S_o", nonnegative=True)
        r = (1 - dl) / (1 + dl)
        D = 4 * dl / (1 - dl) ** 2
        eps = ((1 - dl) ** 2 + 4 * dl / n) / (1 + dl) ** 2 if bound is None else bound(n, dl)
        G = So + sig * p + D * sig * p - (n + D) / n * sig        # δ-good: G ≥ 0
        E = lambda tv: r * So + tv * p - eps * tv
        steps = [("1+D = 1/r²", 1 + D, 1 / r ** 2),
                 ("E(σ_i/r) = r·G", E(sig / r), r * G),
                 ("E(rσ_i) = r·(G + D·S_o)/(1+D)", E(r * sig), r * (G + D * So) / (1 + D))]
        from mechproof.symbolic.identities import decide_identity
        text = []
        for name, lhs, rhs in steps:
            out = decide_identity(lhs, rhs)
            text.append(f"{name}: {'holds (' + out.how + ')' if out.holds else 'NOT an identity'}")
            if not out.holds:
                return _e1_counterexample(eps, n, dl, name)
        return proved("sympy identities", "E[SW] − ε·MSW is a non-negative combination of the δ-good slack "
                      "and S_o = Σ_{j≠i} σ_j f_j ≥ 0 at both extreme tv_i; affine in tv_i in between",
                      (Evidence("sympy", "Lemma E.1 steps", "\n".join(text)),),
                      domain="all n ≥ 1, δ ∈ (0,1), σ ≥ 0, every δ-good f (continuous model)")
    return check


def _e1_counterexample(eps, n_sym, d_sym, step: str) -> Verdict:
    """Search a small exact instance (n=2) where a δ-good probability vector misses the claimed ε."""
    for d in DEFAULT_DELTAS:
        D = D_of_delta(d)
        r = (1 - d) / (1 + d)
        for n in (2, 3):
            e = sp.nsimplify(eps.subs({n_sym: n, d_sym: sp.Rational(d.numerator, d.denominator)}))
            e = Fraction(int(sp.fraction(e)[0]), int(sp.fraction(e)[1]))
            # player 1 highest true value: σ = (x, y, …), K_1 = [σ_1, σ_1/r²]·…; search probability grids
            for x in range(1, 7):
                for y in range(0, 7):
                    sigma = (Fraction(x),) + (Fraction(y),) * (n - 1)
                    for k1 in range(0, 13):
                        for k2 in range(0, 13 - k1):
                            pv = (Fraction(k1, 12),) + (Fraction(k2, 12 * (n - 1)),) * (n - 1)
                            tot = sum(a * b for a, b in zip(pv, sigma))
                            if any(tot + D * pv[i] * sigma[i] < Fraction(1, n) * sigma[i] * (n + D) for i in range(n)):
                                continue
                            for tv1 in (sigma[0] / r, r * sigma[0]):
                                tv = (tv1,) + tuple(r * s for s in sigma[1:])
                                if tv1 < max(tv):
                                    continue
                                sw = sum(a * b for a, b in zip(tv, pv))
                                if sw < e * tv1:
                                    K = tuple((min(s, t), max(s, t)) for s, t in zip(sigma, tv))
                                    return refuted("sympy identities + exact search", "n∈{2,3}, δ grid, σ ≤ 6, f on a 1/12 grid",
                                                   f"step '{step}' fails; exact counterexample found",
                                                   Witness.of({"n": n, "delta": d, "σ": sigma, "f(σ)": pv, "tv": tv,
                                                               "K (real intervals)": str(K)},
                                                              {"E[SW]": sw, "ε·MSW": e * tv1},
                                                              "δ-goodness and σ_j, tv_j ∈ K_j ⊆ int_δ checked exactly"))
    return unknown("sympy identities", "all n, δ", f"step '{step}' is not an identity and no small counterexample was found")


# ---------------------------------------------------------------- CMZ-E5
def e5_payments(dom: Domain, ctx: CheckContext, sample_B: int = 5, deltas: Sequence = (Fraction(1, 10), Fraction(1, 2))) -> Verdict:
    """Line-sweep payments of M_{f^(δ)} are rational + Σ rational·ln(prime) and agree with sympy's own
    integration of f^(δ)(z⊔τ) built as a sympy Piecewise from the definition (independent route)."""
    method = "line sweep vs sympy integration (two routes)"
    z = sp.Symbol("z", positive=True)
    compared = 0
    max_pieces = 0
    for d in deltas:
        D = D_of_delta(d)
        Ds = sp.Rational(D.numerator, D.denominator)
        for n in (2, 3):
            Bs = min(sample_B if n == 2 else 3, dom.B)
            mech = f_delta(n, Bs, d)
            for tau in sorted_profiles(n - 1, Bs):
                if ctx.remaining() < MARGIN:
                    return _out_of_time(ctx, method, dom, f"{compared} payments")
                max_pieces = max(max_pieces, len(f_delta_breakpoints(tau, D)) + 1)
                fz = _sympy_f_delta_line(z, tau, n, Ds)
                line = mech.line(0, tau)
                for s in range(0, Bs + 1):
                    integ = sp.integrate(fz, (z, 0, s)) if s else sp.Integer(0)
                    fs = line[s][0]
                    ref = sp.Rational(fs.numerator, fs.denominator) * s - integ
                    mine = to_loglinear(line[s][1]).sympy()
                    diff = sp.expand(sp.expand_log(sp.simplify(ref - mine), force=True))
                    compared += 1
                    if diff != 0:
                        from mechproof.symbolic.intervals import certified_sign
                        if certified_sign(ref - mine) != 0:
                            return refuted(method, dom.text(), "line-sweep payment differs from sympy's integral",
                                           Witness.of({"n": n, "delta": d, "tau": tau, "bid": s},
                                                      {"sweep": str(mine), "sympy": str(ref)}))
    return verified(method, f"δ∈{{{','.join(map(str, deltas))}}}, n=2 bids ≤ {min(sample_B, dom.B)}, n=3 bids ≤ 3 (sympy is slow)",
                    f"{compared} payments agree exactly; each is q + Σ c_p·ln p; ≤ {max_pieces} pieces per line "
                    "(O(n) candidate breakpoints per line, as Lemma E.5's sweep)")


def _sympy_f_delta_line(z, tau, n, D):
    """f^(δ)_1(z⊔τ) as a sympy Piecewise written straight from Def. E.2 (no breakpoints supplied)."""
    t = sorted(tau, reverse=True)
    branches = []
    # z's rank r: z is in position r (0-based) of the sorted profile when t[r-1] ≥ z > t[r] (ties: z after equals)
    for rank in range(n):
        lo_ok = sp.true if rank == n - 1 else z > t[rank]
        hi_ok = sp.true if rank == 0 else z <= t[rank - 1]
        v = t[:rank] + [z] + t[rank:]
        conds = []
        for k in range(1, n + 1):
            Sk = sum(v[:k])
            c = sp.true if k == n else sp.Le(v[k] * (k + D), Sk)
            conds.append((k, c, Sk))
        inner = []
        for k, c, Sk in conds:
            val = (sp.Rational(1, n) * (n + D) / (k + D) * (z * (k + D) - Sk) / (z * D)) if rank < k else sp.Integer(0)
            inner.append((val, c))
        branches.append((sp.Piecewise(*inner), sp.And(lo_ok, hi_ok)))
    return sp.Piecewise(*branches)


# ---------------------------------------------------------------- claims
def _sp_at(ctx):
    return approx_truthfulness(lambda n, B, d: second_price(n, B), domain_from(ctx), ctx, per_delta=False)


def _t2(ctx):
    return welfare_guarantee(lambda n, B, d: second_price(n, B), lambda d, n: welfare_bound_second_price(d),
                             domain_from(ctx), ctx, "((1−δ)/(1+δ))²")


def _t4(ctx):
    return welfare_guarantee(lambda n, B, d: f_delta(n, B, d), lambda d, n: welfare_bound_f_delta(d, n),
                             domain_from(ctx), ctx, "((1−δ)²+4δ/n)/(1+δ)²")


def _e3_part(prop, what, sorted_only=True):
    return lambda ctx: allocation_property(prop, what, _f_delta_factory(), domain_from(ctx), ctx, sorted_only)


def _dml(ctx):
    return dml_check(_f_delta_factory(), _f_delta_pieces(), lambda n, B, d: f_delta(n, B, d), domain_from(ctx), ctx)


def _grid_linear_pieces_of(n, d, B, f, tau):
    return grid_linear_pieces([f(insert_bid(0, z, tau))[0] for z in range(B + 1)])


def _dml_user(ctx):
    dom = domain_from(ctx, n=(2,), B=8, deltas=(Fraction(1, 2),))
    return dml_check(lambda n, d: _proportional_allocation, _grid_linear_pieces_of,
                     lambda n, B, d: m_f_grid_linear("M_f proportional v_i/Σv (grid, piecewise-linear)", n, B,
                                                     _proportional_allocation, True), dom, ctx, per_delta=False)


def _mf(ctx):
    dom = domain_from(ctx, n=(2, 3), B=8)
    return truthfulness_of(monotone_examples, dom, ctx)


def _e5(ctx):
    return e5_payments(domain_from(ctx), ctx)


CMZ_SP_AT = Claim(
    id="CMZ-SP-AT", title="Second price: undominated bids lie in [min K_i, max K_i]",
    statement="For the second-price mechanism, UDed_i(K_i) ⊆ [min K_i, max K_i] for every i.",
    source="CMZ (000), slides 'Tool #2' / proof of Thm 2",
    parts=(Part("UDed ⊆ K", "exhaustive enumeration (endpoint reduction)",
                "n∈{2,3}, B≤16, every approximate valuation; uniform random tie-breaking", _sp_at),))

CMZ_T2 = Claim(
    id="CMZ-T2", title="Second price δ-implements ((1−δ)/(1+δ))²·MSW",
    statement="Second price δ-implements ((1−δ)/(1+δ))²·MSW in undominated strategies.",
    source="CMZ (000), Theorem 2",
    parts=(Part("welfare bound", "exhaustive enumeration (endpoint reduction)",
                "n∈{2,3}, B≤16, δ∈{1/10,1/4,1/3,1/2,2/3}", _t2),))

CMZ_F = Claim(
    id="CMZ-F", title="The mechanism f^(δ) is well defined",
    statement="f^(δ) of Def. E.2: smallest n* with v_i ≤ S/(n*+D) for i > n*; winners get "
              "(1/n)((n+D)/(n*+D))(v_i(n*+D) − S)/(v_i D); symmetric extension; zero bids and ties decided.",
    source="CMZ (000), Definition E.2, Eq. (E.7); slides '100m view'",
    parts=(Part("definition", "exhaustive enumeration, two routes", "n∈{2,3}, B≤16, δ grid",
                lambda ctx: f_definition_check(_f_delta_factory(), domain_from(ctx), ctx)),))

CMZ_E3 = Claim(
    id="CMZ-E3", title="Lemma E.3: properties of f^(δ)",
    statement="(1) n* well defined; (2) v_i > S/(n*+D) for i ≤ n*; (3) n* unique; (4) f_i ∈ [0,1], "
              "Σf_i ≤ ((n+D)/n)(n*/(n*+D)) ≤ 1; (5) monotone; (6) distinguishably monotone; (7) δ-good.",
    source="CMZ (000), Lemma E.3",
    parts=(Part("(1) n* well defined", "exhaustive enumeration", "n∈{2,3}, B≤16, δ grid",
                _e3_part(_prop_nstar_defined, "some k ∈ {1..n} satisfies the n* condition")),
           Part("(2) winner inequality", "exhaustive enumeration", "n∈{2,3}, B≤16, δ grid",
                lambda ctx: winner_inequality(_f_delta_factory(), domain_from(ctx), ctx)),
           Part("(3) n* unique", "exhaustive enumeration", "n∈{2,3}, B≤16, δ grid",
                _e3_part(_prop_unique, "at most one k satisfies the two-sided threshold")),
           Part("(4) valid probabilities", "exhaustive enumeration", "n∈{2,3}, B≤16, δ grid",
                _e3_part(_prop_valid_probabilities, "f_i ∈ [0,1] and Σf ≤ ((n+D)/n)(n*/(n*+D)) ≤ 1")),
           Part("(5) monotone", "exhaustive enumeration + exact piecewise analysis in z", "n∈{2,3}, B≤16, δ grid, real z",
                lambda ctx: monotonicity(_f_delta_factory(), _f_delta_pieces(), domain_from(ctx), ctx)),
           Part("(6) distinguishably monotone", "exhaustive enumeration, exact log-linear integrals",
                "n∈{2,3}, B≤16, δ grid",
                lambda ctx: distinguishable_monotonicity(_f_delta_factory(), _f_delta_pieces(), domain_from(ctx), ctx)),
           Part("(7) δ-good", "exhaustive enumeration", "n∈{2,3}, B≤16, δ grid",
                _e3_part(_prop_delta_good, "Σ_j f_j v_j + D f_i v_i ≥ (1/n) v_i (n+D) for every i")),
           ))

CMZ_MF = Claim(
    id="CMZ-MF", title="M_f is dominant-strategy truthful for monotone f",
    statement="For monotone f, M_f (win w.p. f_i(v), pay v_i f_i(v) − ∫_0^{v_i} f_i(z⊔v_−i)dz) is DST.",
    source="CMZ (000), slides 'Tool #2' (classical result)",
    parts=(Part("DSIC on monotone examples", "exhaustive enumeration, exact log-linear utilities",
                "n∈{2,3}, B≤8, δ grid; f^(δ), proportional (grid), second-price step, random assignment", _mf),))

CMZ_DML = Claim(
    id="CMZ-DML", title="Distinguishable Monotonicity Lemma",
    statement="For f monotone and distinguishably monotone, M_f satisfies UDed_i(K_i) ⊆ [min K_i, max K_i].",
    source="CMZ (000), slides 'Tool #2'; App. E",
    parts=(Part("f^(δ)", "exhaustive enumeration (endpoint reduction)", "n∈{2,3}, B≤16, δ grid, every interval K", _dml),
           Part("user f: proportional v_i/Σv (grid)", "exhaustive enumeration (endpoint reduction)",
                "n=2, B≤8, every interval K", _dml_user)))

CMZ_E1 = Claim(
    id="CMZ-E1", title="Lemma E.1: δ-good f gives ((1−δ)²+4δ/n)/(1+δ)²·MSW",
    statement="A δ-good f combined with the DML gives E[SW] ≥ ((1−δ)²+4δ/n)/(1+δ)²·MSW.",
    source="CMZ (000), Lemma E.1",
    parts=(Part("symbolic proof", "sympy identities", "all n, δ ∈ (0,1)", e1_lemma()),))

CMZ_T4 = Claim(
    id="CMZ-T4", title="M_{f^(δ)} δ-implements ((1−δ)²+4δ/n)/(1+δ)²·MSW",
    statement="M_{f^(δ)} δ-implements ((1−δ)²+4δ/n)/(1+δ)²·MSW in undominated strategies.",
    source="CMZ (000), Theorem 4 / Claim E.4",
    parts=(Part("welfare bound", "exhaustive enumeration (endpoint reduction)", "n∈{2,3}, B≤16, δ grid", _t4),))

CMZ_E5 = Claim(
    id="CMZ-E5", title="f^(δ) and its prices are efficiently computable",
    statement="f^(δ) and its expected prices are efficiently computable (line sweep over the pieces).",
    source="CMZ (000), Lemma E.5",
    parts=(Part("exact prices, two routes", "line sweep vs sympy integration (two routes)",
                "δ∈{1/10,1/2}, n=2 bids ≤ 5, n=3 bids ≤ 3", _e5),))
