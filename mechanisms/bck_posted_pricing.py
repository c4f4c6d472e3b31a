"""Posted pricing and the optimal DSIC mechanism for a risk-averse seller (BCK, paper 001, §3, App. A.1).

* `spm_revenue_variables`, `spm_expected_utility`: an SPM with independent random prices, buyers
  served in decreasing price order (BCK Lemma 4: U(M') = E[U_k(R'_1, …, R'_n)]); and
  `spm_utility_by_simulation`, the same SPM run realisation by realisation (the plain definition
  that replays a witness).
* `optimal_dsic`: the utility-optimal DSIC mechanism, exhaustive over deterministic price rules
  P_i(v_{-i}) (BCK §2: a deterministic optimum exists); `dsic_price_marginals` (Lemma 4's prices).
* `best_deterministic_spm`: exhaustive over price vectors (the existence part of Theorem 1).
* `covering_lp_offers`: the covering LP of App. A.1; `configuration_spm`: the configuration search.
* `dsic_revenue_upper_bound`: an LP bound on the revenue of every DSIC mechanism (Table 1 evidence).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Sequence

from .bck_model import (Offer, check_offer, check_units, check_values, exceeds, lp_optimum, sale_probability,
                        value_profiles)
from .exact import UsageError, as_rational
from .exact_simplex import solve_lp
from .random_variables import DiscreteRV, expected_top_k_utility

__all__ = [
    "Offer", "spm_revenue_variables", "spm_expected_utility", "spm_utility_by_simulation", "DsicMechanism",
    "optimal_dsic", "dsic_price_marginals", "best_deterministic_spm", "covering_lp_offers", "configuration_spm",
    "dsic_revenue_upper_bound", "deterministic_offers", "covering_lp_violations",
]

def spm_revenue_variables(value_dists: Sequence[DiscreteRV], offers: Sequence) -> tuple[DiscreteRV, ...]:
    """R_i = p w.p. Pr[offer p]·Pr[v_i ≥ p] (independent across buyers), BCK Lemma 4."""
    value_dists = check_values(value_dists)
    if len(offers) != len(value_dists):
        raise UsageError(f"{len(offers)} offers for {len(value_dists)} buyers")
    out = []
    for v, offer in zip(value_dists, offers):
        acc: dict[Fraction, Fraction] = {}
        for p, q in check_offer(offer):
            acc[p] = acc.get(p, Fraction(0)) + q * sale_probability(v, p)
        pos = {p: q for p, q in acc.items() if p != 0}
        out.append(DiscreteRV(tuple(pos.items()) + ((Fraction(0), 1 - sum(pos.values(), Fraction(0))),)))
    return tuple(out)


def spm_expected_utility(U: Callable, value_dists: Sequence[DiscreteRV], offers: Sequence, k: int):
    """Expected seller utility of the SPM with independent prices, decreasing price order, k units."""
    return expected_top_k_utility(U, spm_revenue_variables(value_dists, offers), check_units(k))


def spm_utility_by_simulation(U: Callable, value_dists: Sequence[DiscreteRV], offers: Sequence, k: int):
    """E[U(revenue)] of the SPM by its definition, realisation by realisation (BCK Lemma 4).

    Each buyer draws his price independently from his offer (no offer with the missing mass); the
    buyers with a price are approached in decreasing price order while units remain, and a buyer
    buys iff v ≥ p.  Exhaustive over price draws and value profiles; the plain evaluation that
    replays a witness of the E[U_k]-of-revenue-variables route (`spm_expected_utility`).
    """
    value_dists, k = check_values(value_dists), check_units(k)
    if len(offers) != len(value_dists):
        raise UsageError(f"{len(offers)} offers for {len(value_dists)} buyers")
    draws = []
    for offer in offers:
        o = check_offer(offer)
        rest = 1 - sum((q for _, q in o), Fraction(0))
        draws.append([(p, q) for p, q in o if q != 0] + ([(None, rest)] if rest != 0 else []))
    total = 0
    for combo in itertools.product(*draws):
        p_prices = Fraction(1)
        for _, q in combo:
            p_prices *= q
        order = sorted((i for i, (p, _) in enumerate(combo) if p is not None), key=lambda i: -combo[i][0])
        for values, p_values in value_profiles(value_dists):
            revenue, sold = Fraction(0), 0
            for i in order:
                if sold < k and values[i] >= combo[i][0]:
                    revenue += combo[i][0]
                    sold += 1
            total = total + p_prices * p_values * U(revenue)
    return total


def deterministic_offers(prices: Sequence) -> tuple[Offer, ...]:
    """One price (or None: no offer) per buyer, as offers."""
    return tuple(((as_rational(p, "price"), Fraction(1)),) if p is not None else () for p in prices)


# ---------------------------------------------------------------- optimal DSIC
@dataclass(frozen=True)
class DsicMechanism:
    """A deterministic DSIC mechanism: rules[i][profile of others] = price or None (no offer)."""

    rules: tuple[dict, ...]
    utility: object


def optimal_dsic(U: Callable, value_dists: Sequence[DiscreteRV], k: int,
                 limit: int = 2_000_000) -> tuple[object, list[DsicMechanism]]:
    """The optimal expected utility over deterministic DSIC mechanisms and all mechanisms attaining it.

    Prices range over the positive support values (WLOG: raising a price to the next
    support value keeps every sale and cannot lower revenue) and "no offer".
    Exhaustive; raises UsageError when the rule space exceeds `limit`.
    """
    value_dists, k = check_values(value_dists), check_units(k)
    n = len(value_dists)
    others = [list(value_profiles(value_dists[:i] + value_dists[i + 1:])) for i in range(n)]
    options = [[None] + [v for v in d.values if v > 0] for d in value_dists]
    rule_lists = []
    total = 1
    for i in range(n):
        count = len(options[i]) ** len(others[i])
        total *= count
        rule_lists.append(list(itertools.product(options[i], repeat=len(others[i]))))
    if total > limit:
        raise UsageError(f"{total} deterministic DSIC rule combinations exceed the limit {limit}")
    profiles = list(value_profiles(value_dists))
    # index of v_{-i} in others[i] for each profile
    index = []
    for vec, _ in profiles:
        idx = []
        for i in range(n):
            rest = vec[:i] + vec[i + 1:]
            idx.append(next(j for j, (o, _) in enumerate(others[i]) if o == rest))
        index.append(idx)
    best, winners = None, []
    compared: dict = {}      # (a, b) -> exceeds(a, b, U): many rule combinations reach the same value

    def above(a, b) -> bool:
        key = (a, b)
        if key not in compared:
            compared[key] = exceeds(a, b, U)
        return compared[key]

    for combo in itertools.product(*rule_lists):
        value = 0
        feasible = True
        for (vec, prob), idx in zip(profiles, index):
            paid = [combo[i][idx[i]] for i in range(n)
                    if combo[i][idx[i]] is not None and vec[i] >= combo[i][idx[i]]]
            if len(paid) > k:
                feasible = False
                break
            value = value + prob * U(sum(paid, Fraction(0)))
        if not feasible:
            continue
        if best is None or above(value, best):
            best, winners = value, [combo]
        elif not above(best, value):
            winners.append(combo)
    mechs = [DsicMechanism(tuple({others[i][j][0]: combo[i][j] for j in range(len(others[i]))} for i in range(n)),
                           best) for combo in winners]
    return best, mechs


def dsic_price_marginals(mech: DsicMechanism, value_dists: Sequence[DiscreteRV]) -> tuple[Offer, ...]:
    """Marginal distribution of the price P_i(v_{-i}) offered to each buyer (BCK Lemma 4)."""
    value_dists = check_values(value_dists)
    out = []
    for i, rule in enumerate(mech.rules):
        rest = value_dists[:i] + value_dists[i + 1:]
        acc: dict[Fraction, Fraction] = {}
        for prof, prob in value_profiles(rest):
            price = rule[prof]
            if price is not None:
                acc[price] = acc.get(price, Fraction(0)) + prob
        out.append(tuple(sorted(acc.items())))
    return tuple(out)


def best_deterministic_spm(U: Callable, value_dists: Sequence[DiscreteRV], k: int,
                           evaluate: Callable = spm_expected_utility):
    """The best deterministic SPM (one price or none per buyer, decreasing price order): (utility, prices).

    Prices range over the positive support values and "none"; `evaluate` is the SPM's utility
    (`spm_utility_by_simulation` for the plain definition)."""
    value_dists, k = check_values(value_dists), check_units(k)
    options = [[None] + [v for v in d.values if v > 0] for d in value_dists]
    best, arg = None, None
    for prices in itertools.product(*options):
        offers = deterministic_offers(prices)
        u = evaluate(U, value_dists, offers, k)
        if best is None or exceeds(u, best, U):
            best, arg = u, prices
    return best, arg


# ---------------------------------------------------------------- covering LP (App. A.1)
def covering_lp_offers(value_dists: Sequence[DiscreteRV], prices: Sequence, k: int,
                       large_targets: dict, small_prices: Sequence = (), small_revenue=0,
                       huge_prices: Sequence = (), huge_utility=0, U: Callable | None = None,
                       objective: Sequence | None = None) -> tuple[Offer, ...] | None:
    """A vertex of the covering LP of BCK App. A.1 (x_ij = Pr[buyer i offered p_j]) or None if infeasible.

    Constraints: Σ_i Pr[v_i ≥ p_j] x_ij ≥ q_j (large p_j); Σ small p_j·Pr·x ≥ R; Σ huge U(p_j)·Pr·x ≥ H;
    Σ_ij Pr·x ≤ k; Σ_j x_ij ≤ 1 for each buyer i (the paper prints "∀j": read as ∀i); x ≥ 0.
    """
    value_dists, k = check_values(value_dists), check_units(k)
    prices = [as_rational(p, "price") for p in prices]
    n, m = len(value_dists), len(prices)
    col = lambda i, j: i * m + j
    sale = [[sale_probability(value_dists[i], prices[j]) for j in range(m)] for i in range(n)]
    A, b = [], []
    for p, q in large_targets.items():
        p = as_rational(p, "price")
        j = prices.index(p)
        row = [Fraction(0)] * (n * m)
        for i in range(n):
            row[col(i, j)] = -sale[i][j]
        A.append(row)
        b.append(-as_rational(q, "target"))
    if small_prices:
        row = [Fraction(0)] * (n * m)
        for p in small_prices:
            j = prices.index(as_rational(p, "price"))
            for i in range(n):
                row[col(i, j)] = -sale[i][j] * prices[j]
        A.append(row)
        b.append(-as_rational(small_revenue, "R"))
    if huge_prices:
        if U is None:
            raise UsageError("huge prices need the seller utility U")
        row = [Fraction(0)] * (n * m)
        for p in huge_prices:
            j = prices.index(as_rational(p, "price"))
            for i in range(n):
                row[col(i, j)] = -sale[i][j] * U(prices[j])
        A.append(row)
        b.append(-as_rational(huge_utility, "H"))
    A.append([sale[i][j] for i in range(n) for j in range(m)])
    b.append(Fraction(k))
    for i in range(n):
        A.append([Fraction(1) if ii == i else Fraction(0) for ii in range(n) for _ in range(m)])
        b.append(Fraction(1))
    c = list(objective) if objective is not None else [Fraction(0)] * (n * m)
    res = solve_lp(c, A, b)
    if res.status != "optimal":
        return None
    return tuple(tuple((prices[j], res.x[col(i, j)]) for j in range(m) if res.x[col(i, j)] != 0)
                 for i in range(n))


def covering_lp_violations(value_dists: Sequence[DiscreteRV], k: int, large_targets: dict,
                           offers: Sequence) -> list[str]:
    """The constraints of the App. A.1 covering LP (all prices large) that `offers` violate, by plain evaluation."""
    value_dists = check_values(value_dists)
    out = []
    for p, q in large_targets.items():
        got = sum((x * sale_probability(d, pp) for d, o in zip(value_dists, offers) for pp, x in o if pp == p),
                  Fraction(0))
        if got < q:
            out.append(f"sale probability {got} < {q} at price {p}")
    total = sum((x * sale_probability(d, p) for d, o in zip(value_dists, offers) for p, x in o), Fraction(0))
    if total > k:
        out.append(f"expected sales {total} > k = {k}")
    for i, o in enumerate(offers):
        if any(x < 0 for _, x in o) or sum((x for _, x in o), Fraction(0)) > 1:
            out.append(f"buyer {i}'s offer probabilities are not a sub-distribution")
    return out


def _configuration_offers(value_dists: tuple, k: int, step: Fraction, objective: str) -> tuple:
    """Per guessed configuration (in the search order), the covering LP's vertex, infeasible ones
    skipped: ((offers, configuration), …).  Depends on the instance only, not on the seller's U."""
    prices = sorted({v for d in value_dists for v in d.values if v > 0})
    caps = [sum((sale_probability(d, p) for d in value_dists), Fraction(0)) for p in prices]
    grids = [[j * step for j in range(int(min(cap, k) / step) + 1)] for cap in caps]
    n, m = len(value_dists), len(prices)
    obj = None if objective == "feasibility" else [Fraction(-1)] * (n * m)
    out = []
    for config in itertools.product(*grids):
        if sum(config, Fraction(0)) > k:
            continue
        targets = {p: q for p, q in zip(prices, config) if q > 0}
        offers = covering_lp_offers(value_dists, prices, k, targets, objective=obj)
        if offers is not None:
            out.append((offers, tuple(zip(prices, config))))
    return tuple(out)


_shared_configuration_offers = lru_cache(maxsize=256)(_configuration_offers)


def configuration_spm(U: Callable, value_dists: Sequence[DiscreteRV], k: int, step,
                      objective: str = "feasibility", share_lps: bool = False):
    """The configuration algorithm of BCK §3.2 / App. A.1 with every price 'large' (small instances).

    Guesses the total sale probability q_j at each positive support price on the grid
    {0, step, 2·step, …} (Σ q_j ≤ k, q_j ≤ Σ_i Pr[v_i ≥ p_j]), solves the covering LP for each
    guess, evaluates each resulting SPM exactly and returns (utility, offers, configuration) of
    the best.  The paper's grid is ε⁸ with small/huge price classes; this is the same search on a
    user-chosen grid.  The LPs do not involve U: with `share_lps` their vertices are kept per
    instance (the same search for another U reuses them); without it every LP is solved here.
    """
    value_dists, k = check_values(value_dists), check_units(k)
    step = as_rational(step, "step")
    if not 0 < step <= 1:
        raise UsageError(f"grid step {step} must lie in (0, 1]")
    vertices = (_shared_configuration_offers if share_lps else _configuration_offers)(tuple(value_dists), k, step,
                                                                                      objective)
    best = None
    for offers, config in vertices:
        u = spm_expected_utility(U, value_dists, offers, k)
        if best is None or exceeds(u, best[0], U):
            best = (u, offers, config)
    return best


def dsic_revenue_upper_bound(value_dists: Sequence[DiscreteRV], k: int) -> Fraction:
    """An upper bound on the expected revenue of every DSIC mechanism (risk-neutral seller), by an exact LP.

    Variables a_i(v) (allocation probability), t_i(v) (expected payment) per profile; ex-post IC and IR
    for risk-neutral utilities given v_{-i}, Σ_i a_i(v) ≤ k.  Every (randomised) DSIC mechanism is feasible
    (its expected allocation and payment satisfy these), so the LP value bounds them all — for any
    buyer risk attitudes, since DSIC mechanisms are universally truthful posted prices.
    """
    value_dists, k = check_values(value_dists), check_units(k)
    n = len(value_dists)
    profiles = list(value_profiles(value_dists))
    index = {vec: pi for pi, (vec, _) in enumerate(profiles)}
    N = 2 * n * len(profiles)
    a = lambda pi, i: 2 * (pi * n + i)
    t = lambda pi, i: 2 * (pi * n + i) + 1
    c = [Fraction(0)] * N
    A, b = [], []
    for pi, (vec, prob) in enumerate(profiles):
        for i in range(n):
            c[t(pi, i)] = prob
            row = [Fraction(0)] * N                      # IR: t − v·a ≤ 0
            row[t(pi, i)], row[a(pi, i)] = Fraction(1), -vec[i]
            A.append(row)
            b.append(Fraction(0))
            row = [Fraction(0)] * N
            row[a(pi, i)] = Fraction(1)
            A.append(row)
            b.append(Fraction(1))
            for w in value_dists[i].values:
                if w == vec[i]:
                    continue
                other = index[vec[:i] + (w,) + vec[i + 1:]]
                row = [Fraction(0)] * N                  # v·a(w) − t(w) − (v·a(v) − t(v)) ≤ 0
                row[a(other, i)] += vec[i]
                row[t(other, i)] -= 1
                row[a(pi, i)] -= vec[i]
                row[t(pi, i)] += 1
                A.append(row)
                b.append(Fraction(0))
        A.append([Fraction(1) if j in [a(pi, i) for i in range(n)] else Fraction(0) for j in range(N)])
        b.append(Fraction(k))
    return lp_optimum(solve_lp(c, A, b), "the DSIC revenue LP").value


