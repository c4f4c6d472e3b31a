"""Mechanisms for a risk-averse seller (BCK, paper 001), exact on small instances.

Model (docs/bck.md): k identical units, n unit-demand buyers, values v_i ~ F_i
independent, given as `DiscreteRV`s.  A buyer offered price p buys iff v_i ≥ p
(weak acceptance; the paper's "exceeds" is the same model with prices shifted
down by an infinitesimal).  Seller utility U: any callable from
`seller_utilities` (concave, non-decreasing, U(0) = 0).

* Posted pricing: `spm_revenue_variables`, `spm_expected_utility` (an SPM with
  independent random prices, buyers served in decreasing price order, BCK Lemma 4).
* `optimal_dsic`: the utility-optimal DSIC mechanism, exhaustive over
  deterministic price rules P_i(v_{-i}) (BCK §2: a deterministic optimum exists).
* `best_deterministic_spm`: exhaustive over price vectors (BCK-T1's existence part).
* `covering_lp_offers`: the covering LP of App. A.1 at a given configuration.
* `appendix_d_lp`, `algorithm1`: the LP of App. D and Algorithm 1 (TIE), with `tie_violations`.
* `optimal_bic`: the optimal BIC mechanism by an exact LP over ex-post outcome lotteries.
* `rounds_mechanism_utility`: M_rounds of §4 in the limit L → ∞ (exact, symbolic in e).
* `soft_opm_utility`, `partial_opm_utility`: App. E on small matrices (BCK Lemma 20).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

from .exact import UsageError, as_rational
from .exact_simplex import solve_lp
from .random_variables import DiscreteRV, expected_top_k_utility

__all__ = [
    "Offer", "spm_revenue_variables", "spm_expected_utility", "DsicMechanism", "optimal_dsic",
    "dsic_price_marginals", "best_deterministic_spm", "covering_lp_offers", "InterimRule",
    "appendix_d_lp", "algorithm1", "Algorithm1Outcome", "tie_violations", "optimal_bic", "BicOptimum",
    "rounds_lp", "rounds_mechanism_utility", "soft_opm_utility", "partial_opm_utility",
    "worst_case_joint", "sale_probability", "verify_bic_lottery", "dsic_revenue_upper_bound",
    "configuration_spm",
]

Offer = tuple[tuple[Fraction, Fraction], ...]   # ((price, probability), …); missing mass = no offer


def _check_k(k) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise UsageError(f"k = {k!r} must be a positive integer number of units")
    return k


def _check_values(value_dists: Sequence[DiscreteRV]) -> tuple[DiscreteRV, ...]:
    value_dists = tuple(value_dists)
    if not value_dists:
        raise UsageError("need at least one buyer")
    for d in value_dists:
        if not isinstance(d, DiscreteRV):
            raise UsageError(f"a buyer's value distribution must be a DiscreteRV, got {d!r}")
    return value_dists


def sale_probability(value: DiscreteRV, price) -> Fraction:
    """Pr[v ≥ p] (= 1 − F(p⁻); the paper's 1 − F_i(p_j))."""
    return value.tail(price)


def _check_offer(offer) -> Offer:
    out = tuple((as_rational(p, "price"), as_rational(q, "offer probability")) for p, q in offer)
    if any(q < 0 for _, q in out) or sum((q for _, q in out), Fraction(0)) > 1:
        raise UsageError(f"offer probabilities must be non-negative with total ≤ 1, got {out}")
    if any(p < 0 for p, _ in out):
        raise UsageError(f"prices must be non-negative, got {out}")
    return out


def spm_revenue_variables(value_dists: Sequence[DiscreteRV], offers: Sequence) -> tuple[DiscreteRV, ...]:
    """R_i = p w.p. Pr[offer p]·Pr[v_i ≥ p] (independent across buyers), BCK Lemma 4."""
    value_dists = _check_values(value_dists)
    if len(offers) != len(value_dists):
        raise UsageError(f"{len(offers)} offers for {len(value_dists)} buyers")
    out = []
    for v, offer in zip(value_dists, offers):
        acc: dict[Fraction, Fraction] = {}
        for p, q in _check_offer(offer):
            acc[p] = acc.get(p, Fraction(0)) + q * sale_probability(v, p)
        pos = {p: q for p, q in acc.items() if p != 0}
        out.append(DiscreteRV(tuple(pos.items()) + ((Fraction(0), 1 - sum(pos.values(), Fraction(0))),)))
    return tuple(out)


def spm_expected_utility(U: Callable, value_dists: Sequence[DiscreteRV], offers: Sequence, k: int):
    """Expected seller utility of the SPM with independent prices, decreasing price order, k units."""
    return expected_top_k_utility(U, spm_revenue_variables(value_dists, offers), _check_k(k))


# ---------------------------------------------------------------- optimal DSIC
@dataclass(frozen=True)
class DsicMechanism:
    """A deterministic DSIC mechanism: rules[i][profile of others] = price or None (no offer)."""

    rules: tuple[dict, ...]
    utility: object


def _profiles(dists: Sequence[DiscreteRV]):
    for combo in itertools.product(*(d.atoms for d in dists)):
        p = Fraction(1)
        for _, q in combo:
            p *= q
        yield tuple(v for v, _ in combo), p


def optimal_dsic(U: Callable, value_dists: Sequence[DiscreteRV], k: int,
                 limit: int = 2_000_000) -> tuple[object, list[DsicMechanism]]:
    """The optimal expected utility over deterministic DSIC mechanisms and all mechanisms attaining it.

    Prices range over the positive support values (WLOG: raising a price to the next
    support value keeps every sale and cannot lower revenue) and "no offer".
    Exhaustive; raises UsageError when the rule space exceeds `limit`.
    """
    value_dists, k = _check_values(value_dists), _check_k(k)
    n = len(value_dists)
    others = [list(_profiles(value_dists[:i] + value_dists[i + 1:])) for i in range(n)]
    options = [[None] + [v for v in d.values if v > 0] for d in value_dists]
    rule_lists = []
    total = 1
    for i in range(n):
        count = len(options[i]) ** len(others[i])
        total *= count
        rule_lists.append(list(itertools.product(options[i], repeat=len(others[i]))))
    if total > limit:
        raise UsageError(f"{total} deterministic DSIC rule combinations exceed the limit {limit}")
    profiles = list(_profiles(value_dists))
    # index of v_{-i} in others[i] for each profile
    index = []
    for vec, _ in profiles:
        idx = []
        for i in range(n):
            rest = vec[:i] + vec[i + 1:]
            idx.append(next(j for j, (o, _) in enumerate(others[i]) if o == rest))
        index.append(idx)
    best, winners = None, []
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
        if best is None or _gt(value, best):
            best, winners = value, [combo]
        elif not _gt(best, value):
            winners.append(combo)
    mechs = [DsicMechanism(tuple({others[i][j][0]: combo[i][j] for j in range(len(others[i]))} for i in range(n)),
                           best) for combo in winners]
    return best, mechs


def _gt(a, b) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a > b
    from .seller_utilities import compare_values

    return compare_values(a, b) > 0


def dsic_price_marginals(mech: DsicMechanism, value_dists: Sequence[DiscreteRV]) -> tuple[Offer, ...]:
    """Marginal distribution of the price P_i(v_{-i}) offered to each buyer (BCK Lemma 4)."""
    value_dists = _check_values(value_dists)
    out = []
    for i, rule in enumerate(mech.rules):
        rest = value_dists[:i] + value_dists[i + 1:]
        acc: dict[Fraction, Fraction] = {}
        for prof, prob in _profiles(rest):
            price = rule[prof]
            if price is not None:
                acc[price] = acc.get(price, Fraction(0)) + prob
        out.append(tuple(sorted(acc.items())))
    return tuple(out)


def best_deterministic_spm(U: Callable, value_dists: Sequence[DiscreteRV], k: int):
    """The best deterministic SPM (one price or none per buyer, decreasing price order): (utility, prices)."""
    value_dists, k = _check_values(value_dists), _check_k(k)
    options = [[None] + [v for v in d.values if v > 0] for d in value_dists]
    best, arg = None, None
    for prices in itertools.product(*options):
        offers = [((p, Fraction(1)),) if p is not None else () for p in prices]
        u = spm_expected_utility(U, value_dists, offers, k)
        if best is None or _gt(u, best):
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
    value_dists, k = _check_values(value_dists), _check_k(k)
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


def configuration_spm(U: Callable, value_dists: Sequence[DiscreteRV], k: int, step,
                      objective: str = "feasibility"):
    """The configuration algorithm of BCK §3.2 / App. A.1 with every price 'large' (small instances).

    Guesses the total sale probability q_j at each positive support price on the grid
    {0, step, 2·step, …} (Σ q_j ≤ k, q_j ≤ Σ_i Pr[v_i ≥ p_j]), solves the covering LP for each
    guess, evaluates each resulting SPM exactly and returns (utility, offers, configuration) of
    the best.  The paper's grid is ε⁸ with small/huge price classes; this is the same search on a
    user-chosen grid.
    """
    value_dists, k = _check_values(value_dists), _check_k(k)
    step = as_rational(step, "step")
    if not 0 < step <= 1:
        raise UsageError(f"grid step {step} must lie in (0, 1]")
    prices = sorted({v for d in value_dists for v in d.values if v > 0})
    caps = [sum((sale_probability(d, p) for d in value_dists), Fraction(0)) for p in prices]
    grids = [[j * step for j in range(int(min(cap, k) / step) + 1)] for cap in caps]
    best = None
    n, m = len(value_dists), len(prices)
    obj = None if objective == "feasibility" else [Fraction(-1)] * (n * m)
    for config in itertools.product(*grids):
        if sum(config, Fraction(0)) > k:
            continue
        targets = {p: q for p, q in zip(prices, config) if q > 0}
        offers = covering_lp_offers(value_dists, prices, k, targets, objective=obj)
        if offers is None:
            continue
        u = spm_expected_utility(U, value_dists, offers, k)
        if best is None or _gt(u, best[0]):
            best = (u, offers, tuple(zip(prices, config)))
    return best


# ---------------------------------------------------------------- BIC programs (App. B, D; §4)
@dataclass(frozen=True)
class InterimRule:
    """Interim payment functions: h[i][(j, v)] = Pr[item and pay p_j | v], g[i][(j, v)] = Pr[no item, pay p_j | v]."""

    payments: tuple[Fraction, ...]
    h: tuple[dict, ...]
    g: tuple[dict, ...]
    value: Fraction

    def prob(self, i: int, value_dists) -> Fraction:
        """prob_i = Σ_{j,v} h(i,j,v) f_i(v)."""
        return sum((q * value_dists[i].prob(v) for (j, v), q in self.h[i].items()), Fraction(0))

    def payment(self, i: int, value_dists) -> Fraction:
        """payment_i = Σ_{j,v} (g + h)(i,j,v) p_j f_i(v)."""
        tot = Fraction(0)
        for d in (self.h[i], self.g[i]):
            for (j, v), q in d.items():
                tot += q * self.payments[j] * value_dists[i].prob(v)
        return tot


def _interim_utility(Ui: Callable, payments, h: dict, g: dict, true_v, report_v) -> Fraction:
    tot = Fraction(0)
    for j, p in enumerate(payments):
        tot += Ui(true_v - p) * h.get((j, report_v), 0) + Ui(-p) * g.get((j, report_v), 0)
    return tot


def appendix_d_lp(value_dists: Sequence[DiscreteRV], payments: Sequence, buyer_utils: Sequence[Callable],
                  k: int, interim_ir: bool = True) -> InterimRule | None:
    """The LP of BCK App. D (risk-neutral seller, risk-averse buyers), solved exactly.

    maximize Σ (g + h)(i,j,v) p_j f_i(v) s.t. IC for all i, v, v'; Σ_j (h + g)(i,j,v) = 1;
    Σ h f ≤ k; and, if `interim_ir` (our reading; the printed LP has no participation
    constraint), Σ_j 𝒰_i(v − p_j) h + 𝒰_i(−p_j) g ≥ 0.  `payments` must contain 0.
    """
    value_dists, k = _check_values(value_dists), _check_k(k)
    pays = tuple(as_rational(p, "payment") for p in payments)
    if 0 not in pays:
        raise UsageError("the payment set must contain 0 (the 'pay nothing' event)")
    n = len(value_dists)
    keys = []
    for i in range(n):
        for v in value_dists[i].values:
            for j in range(len(pays)):
                keys.append(("h", i, j, v))
                keys.append(("g", i, j, v))
    pos = {key: idx for idx, key in enumerate(keys)}
    N = len(keys)
    c = [Fraction(0)] * N
    for (kind, i, j, v), idx in pos.items():
        c[idx] = pays[j] * value_dists[i].prob(v)
    A, b, Ae, be = [], [], [], []
    for i in range(n):
        Ui = buyer_utils[i]
        vals = value_dists[i].values
        for v in vals:
            row = [Fraction(0)] * N
            for j in range(len(pays)):
                row[pos[("h", i, j, v)]] = Fraction(1)
                row[pos[("g", i, j, v)]] = Fraction(1)
            Ae.append(row)
            be.append(Fraction(1))
            if interim_ir:
                row = [Fraction(0)] * N
                for j, p in enumerate(pays):
                    row[pos[("h", i, j, v)]] = -Ui(v - p)
                    row[pos[("g", i, j, v)]] = -Ui(-p)
                A.append(row)
                b.append(Fraction(0))
            for w in vals:
                if w == v:
                    continue
                row = [Fraction(0)] * N     # utility(report w) − utility(report v) ≤ 0
                for j, p in enumerate(pays):
                    row[pos[("h", i, j, w)]] += Ui(v - p)
                    row[pos[("g", i, j, w)]] += Ui(-p)
                    row[pos[("h", i, j, v)]] -= Ui(v - p)
                    row[pos[("g", i, j, v)]] -= Ui(-p)
                A.append(row)
                b.append(Fraction(0))
    row = [Fraction(0)] * N
    for (kind, i, j, v), idx in pos.items():
        if kind == "h":
            row[idx] = value_dists[i].prob(v)
    A.append(row)
    b.append(Fraction(k))
    res = solve_lp(c, A, b, Ae, be)
    if res.status != "optimal":
        return None
    h = tuple({(j, v): res.x[pos[("h", i, j, v)]] for (kind, ii, j, v) in keys if kind == "h" and ii == i
               and res.x[pos[("h", i, j, v)]] != 0} for i in range(n))
    g = tuple({(j, v): res.x[pos[("g", i, j, v)]] for (kind, ii, j, v) in keys if kind == "g" and ii == i
               and res.x[pos[("g", i, j, v)]] != 0} for i in range(n))
    return InterimRule(pays, h, g, res.value)


@dataclass(frozen=True)
class Algorithm1Outcome:
    order: tuple[int, ...]
    reach: tuple[Fraction, ...]          # 1 − r_i: Pr[an item is left when buyer i arrives]
    revenue: Fraction


def _count_distribution_step(dist: list[Fraction], p: Fraction, k: int) -> list[Fraction]:
    """Distribution of items sold (capped at k) after one more buyer who takes an item w.p. p if any left."""
    new = [Fraction(0)] * (k + 1)
    for c, q in enumerate(dist):
        if c == k:
            new[k] += q
        else:
            new[c] += q * (1 - p)
            new[c + 1] += q * p
    return new


def algorithm1(rule: InterimRule, value_dists: Sequence[DiscreteRV], k: int) -> Algorithm1Outcome:
    """Algorithm 1 of BCK App. D: buyers by decreasing payment_i/prob_i, served while items last; exact revenue."""
    value_dists, k = _check_values(value_dists), _check_k(k)
    n = len(value_dists)
    probs = [rule.prob(i, value_dists) for i in range(n)]
    pays = [rule.payment(i, value_dists) for i in range(n)]

    def key(i):
        return (0, -pays[i] / probs[i]) if probs[i] != 0 else (1, -pays[i])

    order = tuple(sorted(range(n), key=key))
    dist = [Fraction(1)] + [Fraction(0)] * k
    reach = [Fraction(0)] * n
    for i in order:
        reach[i] = 1 - dist[k]
        dist = _count_distribution_step(dist, probs[i], k)
    revenue = sum((reach[i] * pays[i] for i in range(n)), Fraction(0))
    return Algorithm1Outcome(order, tuple(reach), revenue)


def tie_violations(rule: InterimRule, value_dists, buyer_utils, reach) -> list[tuple]:
    """(i, true v, report w, gain) for every profitable misreport in Algorithm 1 (expected over its coins)."""
    out = []
    for i, d in enumerate(value_dists):
        for v in d.values:
            truth = reach[i] * _interim_utility(buyer_utils[i], rule.payments, rule.h[i], rule.g[i], v, v)
            for w in d.values:
                lie = reach[i] * _interim_utility(buyer_utils[i], rule.payments, rule.h[i], rule.g[i], v, w)
                if lie > truth:
                    out.append((i, v, w, lie - truth))
    return out


@dataclass(frozen=True)
class BicOptimum:
    value: object                 # optimal expected seller utility
    h: tuple[dict, ...]           # interim h[i][(j, v)]
    g: tuple[dict, ...]
    payments: tuple[Fraction, ...]
    lottery: tuple = ()           # ((profile, ((winners, payment vector), probability), …), …), ex post


def optimal_bic(U: Callable, value_dists: Sequence[DiscreteRV], payments: Sequence,
                buyer_utils: Sequence[Callable], k: int, ex_post_ir: bool, interim_ir: bool = True) -> BicOptimum:
    """The optimal BIC mechanism (expected seller utility), by an exact LP over ex-post outcome lotteries.

    An outcome in a profile: a set A of ≤ k winners and a payment p ∈ `payments` per buyer.
    ex_post_ir (BCK §4 restrictions): winners pay ≤ their value, losers pay 0, payments ≥ 0.
    BIC: interim expected 𝒰_i-utility of truth ≥ of any report; interim IR if `interim_ir`.
    Requires U rational-valued on revenues (PiecewiseLinearUtility).
    """
    value_dists, k = _check_values(value_dists), _check_k(k)
    pays = tuple(as_rational(p, "payment") for p in payments)
    if 0 not in pays:
        raise UsageError("the payment set must contain 0")
    n = len(value_dists)
    profiles = list(_profiles(value_dists))
    variables = []   # (profile index, winners, payment indices)
    for pi, (vec, _) in enumerate(profiles):
        for size in range(0, min(k, n) + 1):
            for A in itertools.combinations(range(n), size):
                choices = []
                for i in range(n):
                    if ex_post_ir:
                        if i in A:
                            choices.append([j for j, p in enumerate(pays) if 0 <= p <= vec[i]])
                        else:
                            choices.append([pays.index(Fraction(0))])
                    else:
                        choices.append(list(range(len(pays))))
                for js in itertools.product(*choices):
                    variables.append((pi, A, js))
    N = len(variables)
    c = [profiles[pi][1] * U(sum((pays[j] for j in js), Fraction(0))) for pi, A, js in variables]
    Ae, be = [], []
    for pi in range(len(profiles)):
        Ae.append([Fraction(1) if var[0] == pi else Fraction(0) for var in variables])
        be.append(Fraction(1))
    A_ub, b_ub = [], []

    def interim_row(i, true_v, report_v):
        row = [Fraction(0)] * N
        for idx, (pi, A, js) in enumerate(variables):
            vec, prob = profiles[pi]
            if vec[i] != report_v:
                continue
            q = prob / value_dists[i].prob(report_v)      # f_{-i}(v_{-i})
            payoff = (true_v if i in A else 0) - pays[js[i]]
            row[idx] = q * buyer_utils[i](payoff)
        return row

    for i in range(n):
        vals = value_dists[i].values
        for v in vals:
            truth = interim_row(i, v, v)
            if interim_ir:
                A_ub.append([-a for a in truth])
                b_ub.append(Fraction(0))
            for w in vals:
                if w != v:
                    lie = interim_row(i, v, w)
                    A_ub.append([a - t for a, t in zip(lie, truth)])
                    b_ub.append(Fraction(0))
    res = solve_lp(c, A_ub, b_ub, Ae, be)
    if res.status != "optimal":
        raise UsageError(f"the BIC program is {res.status}")
    h = [dict() for _ in range(n)]
    g = [dict() for _ in range(n)]
    for idx, (pi, A, js) in enumerate(variables):
        x = res.x[idx]
        if x == 0:
            continue
        vec, prob = profiles[pi]
        for i in range(n):
            q = x * prob / value_dists[i].prob(vec[i])
            target = h[i] if i in A else g[i]
            if i in A or pays[js[i]] != 0:
                key = (js[i], vec[i])
                target[key] = target.get(key, Fraction(0)) + q
    lottery: dict = {}
    for idx, (pi, A, js) in enumerate(variables):
        if res.x[idx] != 0:
            lottery.setdefault(profiles[pi][0], []).append(((A, tuple(pays[j] for j in js)), res.x[idx]))
    return BicOptimum(res.value, tuple(h), tuple(g), pays,
                      tuple((prof, tuple(items)) for prof, items in lottery.items()))


def verify_bic_lottery(U: Callable, value_dists: Sequence[DiscreteRV], buyer_utils: Sequence[Callable], k: int,
                       lottery, ex_post_ir: bool) -> tuple[object, list[str]]:
    """Replay an ex-post lottery by plain evaluation: (expected seller utility, list of violated conditions).

    Checks: a probability distribution in every profile, ≤ k winners, BIC and interim IR for every
    buyer and report, and (if `ex_post_ir`) winners pay ≤ value, losers pay 0, no payment < 0.
    """
    value_dists = _check_values(value_dists)
    n = len(value_dists)
    table = dict(lottery)
    problems = []
    profiles = list(_profiles(value_dists))
    total = Fraction(0)
    for vec, prob in profiles:
        items = table.get(vec, ())
        if sum((q for _, q in items), Fraction(0)) != 1 or any(q < 0 for _, q in items):
            problems.append(f"profile {vec}: not a probability distribution")
        for (A, pay), q in items:
            if len(A) > k:
                problems.append(f"profile {vec}: {len(A)} winners > k")
            if ex_post_ir:
                for i in range(n):
                    if pay[i] < 0 or (i in A and pay[i] > vec[i]) or (i not in A and pay[i] != 0):
                        problems.append(f"profile {vec}: ex-post IR / no-positive-transfer violated for buyer {i}")
            total += prob * q * U(sum(pay, Fraction(0)))
    for i in range(n):
        def interim(true_v, report):
            acc = Fraction(0)
            for vec, prob in profiles:
                if vec[i] != report:
                    continue
                for (A, pay), q in table.get(vec, ()):
                    acc += prob / value_dists[i].prob(report) * q * buyer_utils[i]((true_v if i in A else 0) - pay[i])
            return acc
        for v in value_dists[i].values:
            truth = interim(v, v)
            if truth < 0:
                problems.append(f"buyer {i} value {v}: interim IR violated ({truth})")
            for w in value_dists[i].values:
                if interim(v, w) > truth:
                    problems.append(f"buyer {i} value {v}: report {w} gains {interim(v, w) - truth}")
    return total, problems


def dsic_revenue_upper_bound(value_dists: Sequence[DiscreteRV], k: int) -> Fraction:
    """An upper bound on the expected revenue of every DSIC mechanism (risk-neutral seller), by an exact LP.

    Variables a_i(v) (allocation probability), t_i(v) (expected payment) per profile; ex-post IC and IR
    for risk-neutral utilities given v_{-i}, Σ_i a_i(v) ≤ k.  Every (randomised) DSIC mechanism is feasible
    (its expected allocation and payment satisfy these), so the LP value bounds them all — for any
    buyer risk attitudes, since DSIC mechanisms are universally truthful posted prices.
    """
    value_dists, k = _check_values(value_dists), _check_k(k)
    n = len(value_dists)
    profiles = list(_profiles(value_dists))
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
    res = solve_lp(c, A, b)
    if res.status != "optimal":
        raise UsageError(f"the DSIC revenue LP is {res.status}")
    return res.value


def rounds_lp(value_dists: Sequence[DiscreteRV], payments: Sequence, buyer_utils: Sequence[Callable], k: int,
              targets: dict, objective: str = "none") -> InterimRule | None:
    """The configuration LP of BCK App. B for h_rounds (all payments "large"), ex-post IR built in.

    Σ_{i,v} h(i,j,v) f_i(v) ≥ q_j for each p_j > 0 in `targets`; IC with 𝒰_i; Σ h f ≤ k;
    Σ_j h(i,j,v) ≤ 1 (the paper prints "= 1", which would force a sale: read as ≤ 1); h = 0 when p_j > v.
    `objective`: "none", "max-revenue", "min-revenue" picks which vertex is returned.
    """
    value_dists, k = _check_values(value_dists), _check_k(k)
    pays = tuple(as_rational(p, "payment") for p in payments)
    n = len(value_dists)
    keys = [(i, j, v) for i in range(n) for v in value_dists[i].values for j, p in enumerate(pays) if p <= v]
    pos = {key: idx for idx, key in enumerate(keys)}
    N = len(keys)
    A, b = [], []
    for p, q in targets.items():
        p = as_rational(p, "payment")
        if p == 0:
            continue
        j = pays.index(p)
        A.append([-value_dists[i].prob(v) if jj == j else Fraction(0) for (i, jj, v) in keys])
        b.append(-as_rational(q, "target"))
    for i in range(n):
        vals = value_dists[i].values
        for v in vals:
            A.append([Fraction(1) if (ii, vv) == (i, v) else Fraction(0) for (ii, jj, vv) in keys])
            b.append(Fraction(1))
            for w in vals:
                if w == v:
                    continue
                row = [Fraction(0)] * N
                for (ii, j, vv), idx in pos.items():
                    if ii == i and vv == w:
                        row[idx] += buyer_utils[i](v - pays[j])
                    if ii == i and vv == v:
                        row[idx] -= buyer_utils[i](v - pays[j])
                A.append(row)
                b.append(Fraction(0))
    A.append([value_dists[i].prob(v) for (i, j, v) in keys])
    b.append(Fraction(k))
    rev = [value_dists[i].prob(v) * pays[j] for (i, j, v) in keys]
    c = {"none": [Fraction(0)] * N, "max-revenue": rev, "min-revenue": [-r for r in rev]}[objective]
    res = solve_lp(c, A, b)
    if res.status != "optimal":
        return None
    h = tuple({(j, v): res.x[pos[(ii, j, v)]] for (ii, j, v) in keys if ii == i and res.x[pos[(ii, j, v)]] != 0}
              for i in range(n))
    return InterimRule(pays, h, tuple({} for _ in range(n)), res.value)


def rounds_mechanism_utility(U: Callable, rule: InterimRule, value_dists: Sequence[DiscreteRV], k: int):
    """E[U] of M_rounds (BCK §4) as L → ∞, exactly (a sympy expression in e).

    In the limit each buyer is processed at most once, with probability 1 − 1/e, and the
    processed buyers come in a uniformly random order; a processed buyer with value v gets
    an item and pays p_j w.p. h(i,j,v) while items remain.
    """
    import sympy as sp

    value_dists, k = _check_values(value_dists), _check_k(k)
    n = len(value_dists)
    outcome = []   # per buyer: {payment: probability of a sale at it}
    for i in range(n):
        acc: dict[Fraction, Fraction] = {}
        for (j, v), q in rule.h[i].items():
            acc[rule.payments[j]] = acc.get(rule.payments[j], Fraction(0)) + q * value_dists[i].prob(v)
        outcome.append(acc)
    present = 1 - sp.exp(-1)
    total = sp.Integer(0)
    for size in range(n + 1):
        for group in itertools.combinations(range(n), size):
            acc_u = Fraction(0)
            perms = list(itertools.permutations(group))
            for perm in perms:
                states = {(Fraction(0), 0): Fraction(1)}   # (revenue, items sold) -> probability
                for i in perm:
                    new: dict = {}
                    for (rev, sold), q in states.items():
                        if sold == k:
                            new[(rev, sold)] = new.get((rev, sold), 0) + q
                            continue
                        none = 1 - sum(outcome[i].values(), Fraction(0))
                        new[(rev, sold)] = new.get((rev, sold), 0) + q * none
                        for p, r in outcome[i].items():
                            key = (rev + p, sold + 1)
                            new[key] = new.get(key, 0) + q * r
                    states = new
                acc_u += sum((q * U(rev) for (rev, _), q in states.items()), Fraction(0))
            acc_u /= len(perms)
            total += present ** size * (1 - present) ** (n - size) * sp.Rational(acc_u.numerator, acc_u.denominator)
    return sp.expand(total)


# ---------------------------------------------------------------- App. E: soft- and partial-OPM
def _sale_table(values, offers):
    """Per matrix cell: ((price, Pr[offered p and v ≥ p]), …) and the no-sale probability."""
    table = []
    for row_v, row_o in zip(values, offers):
        cells = []
        for v, offer in zip(row_v, row_o):
            sales = [(p, q * sale_probability(v, p)) for p, q in _check_offer(offer)]
            sales = [(p, s) for p, s in sales if s != 0]
            cells.append((tuple(sales), 1 - sum((s for _, s in sales), Fraction(0))))
        table.append(cells)
    return table


def _realisations(table):
    cells = [(r, c, cell) for r, row in enumerate(table) for c, cell in enumerate(row)]
    choices = [[(None, none)] + list(sales) for (_, _, (sales, none)) in cells]
    for combo in itertools.product(*choices):
        prob = Fraction(1)
        for _, q in combo:
            prob *= q
        if prob == 0:
            continue
        yield {(r, c): p for (r, c, _), (p, _) in zip(cells, combo) if p is not None}, prob


def soft_opm_utility(U: Callable, values, offers) -> Fraction:
    """E[U(total revenue)] of a soft-OPM on an n×m matrix: every accepting buyer pays (BCK App. E)."""
    table = _sale_table(values, offers)
    return sum((prob * U(sum(sales.values(), Fraction(0))) for sales, prob in _realisations(table)), Fraction(0))


def partial_opm_utility(U: Callable, values, offers, row_order: Sequence[int]) -> Fraction:
    """E[U] of the partial-OPM (BCK App. E): rows in `row_order`, inside a row an adversary who knows
    all prices and values picks the order minimising the seller's utility; a buyer is served
    if he accepts and neither his row nor his column has been served."""
    table = _sale_table(values, offers)
    n, m = len(table), len(table[0])
    if sorted(row_order) != list(range(n)):
        raise UsageError(f"row order {row_order} is not a permutation of the {n} rows")
    total = Fraction(0)
    for sales, prob in _realisations(table):
        worst = None
        for orders in itertools.product(*(itertools.permutations(range(m)) for _ in range(n))):
            used_rows, used_cols, rev = set(), set(), Fraction(0)
            for pos_r, r in enumerate(row_order):
                for c in orders[pos_r]:
                    if (r, c) in sales and r not in used_rows and c not in used_cols:
                        used_rows.add(r)
                        used_cols.add(c)
                        rev += sales[(r, c)]
            u = U(rev)
            if worst is None or u < worst:
                worst = u
        total += prob * worst
    return total


# ---------------------------------------------------------------- worst correlation (Lemma 3)
def worst_case_joint(f: Callable, marginals: Sequence[DiscreteRV]):
    """max over joints with the given marginals of E[f(X)] (an exact LP over the joint's atoms).

    Returns (value, JointDistribution attaining it).  `f` must be rational-valued.
    """
    from .random_variables import JointDistribution

    marginals = tuple(marginals)
    supports = [rv.values for rv in marginals]
    points = list(itertools.product(*supports))
    c = [f(pt) for pt in points]
    Ae, be = [], []
    for i, rv in enumerate(marginals):
        for v, p in rv.atoms:
            Ae.append([Fraction(1) if pt[i] == v else Fraction(0) for pt in points])
            be.append(p)
    res = solve_lp(c, (), (), Ae, be)
    if res.status != "optimal":
        raise UsageError(f"the joint LP is {res.status}")
    joint = JointDistribution(tuple((pt, x) for pt, x in zip(points, res.x) if x != 0))
    return res.value, joint
