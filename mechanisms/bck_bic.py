"""BIC and truthful-in-expectation mechanisms of BCK (paper 001, §4, App. B, App. D), exact LPs.

* `InterimRule`: interim payment functions h(i, j, v) (item and pay p_j), g(i, j, v) (no item, pay p_j).
* `appendix_d_lp`, `algorithm1`, `tie_violations`: the LP of App. D (risk-neutral seller,
  risk-averse buyers), Algorithm 1 (TIE) and its truthfulness check; `served_mass`, the
  inventory quantity Σ_i (1 − r_i)·prob_i of the proof of Theorem 4, by `count_distribution_step`.
* `optimal_bic`: the optimal BIC mechanism by an exact LP over ex-post outcome lotteries, and
  `verify_bic_lottery`, its plain replay.
* `rounds_lp` (App. B) and `rounds_mechanism_utility` (M_rounds of §4 in the limit L → ∞).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

from .bck_model import check_units, check_values, lp_optimum, value_profiles
from .exact import UsageError, as_rational
from .exact_simplex import solve_lp
from .random_variables import DiscreteRV

__all__ = [
    "InterimRule", "appendix_d_lp", "Algorithm1Outcome", "algorithm1", "tie_violations", "count_distribution_step",
    "served_mass", "BicOptimum", "optimal_bic", "verify_bic_lottery", "rounds_lp", "rounds_mechanism_utility",
]

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
    value_dists, k = check_values(value_dists), check_units(k)
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


def count_distribution_step(dist: list[Fraction], p: Fraction, k: int) -> list[Fraction]:
    """Distribution of items sold (capped at k) after one more buyer who takes an item w.p. p if any left."""
    new = [Fraction(0)] * (k + 1)
    for c, q in enumerate(dist):
        if c == k:
            new[k] += q
        else:
            new[c] += q * (1 - p)
            new[c + 1] += q * p
    return new


def served_mass(probs: Sequence, k: int) -> Fraction:
    """Σ_i (1 − r_i)·prob_i, r_i = Pr[k items gone before buyer i] (proof of BCK Theorem 4), exactly.

    Buyer i (in the given order) takes an item w.p. prob_i if one is left; equals E[min(N, k)] for
    N = Σ_i Bernoulli(prob_i).
    """
    k = check_units(k)
    dist = [Fraction(1)] + [Fraction(0)] * k
    total = Fraction(0)
    for p in probs:
        p = as_rational(p, "prob_i")
        if not 0 <= p <= 1:
            raise UsageError(f"prob_i = {p} must lie in [0, 1]")
        total += (1 - dist[k]) * p
        dist = count_distribution_step(dist, p, k)
    return total


def algorithm1(rule: InterimRule, value_dists: Sequence[DiscreteRV], k: int) -> Algorithm1Outcome:
    """Algorithm 1 of BCK App. D: buyers by decreasing payment_i/prob_i, served while items last; exact revenue."""
    value_dists, k = check_values(value_dists), check_units(k)
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
        dist = count_distribution_step(dist, probs[i], k)
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
    value_dists, k = check_values(value_dists), check_units(k)
    pays = tuple(as_rational(p, "payment") for p in payments)
    if 0 not in pays:
        raise UsageError("the payment set must contain 0")
    n = len(value_dists)
    profiles = list(value_profiles(value_dists))
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
    res = lp_optimum(solve_lp(c, A_ub, b_ub, Ae, be), "the BIC program")
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
    value_dists = check_values(value_dists)
    n = len(value_dists)
    table = dict(lottery)
    problems = []
    profiles = list(value_profiles(value_dists))
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




def rounds_lp(value_dists: Sequence[DiscreteRV], payments: Sequence, buyer_utils: Sequence[Callable], k: int,
              targets: dict, objective: str = "none") -> InterimRule | None:
    """The configuration LP of BCK App. B for h_rounds (all payments "large"), ex-post IR built in.

    Σ_{i,v} h(i,j,v) f_i(v) ≥ q_j for each p_j > 0 in `targets`; IC with 𝒰_i; Σ h f ≤ k;
    Σ_j h(i,j,v) ≤ 1 (the paper prints "= 1", which would force a sale: read as ≤ 1); h = 0 when p_j > v.
    `objective`: "none", "max-revenue", "min-revenue" picks which vertex is returned.
    """
    value_dists, k = check_values(value_dists), check_units(k)
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

    value_dists, k = check_values(value_dists), check_units(k)
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

