"""Deferred-acceptance (DA) auctions, GH (paper 002) Definition 2, and what the paper builds on them.

A DA auction is a price rule: history → new (weakly higher) prices for active
agents.  An agent stays active iff its value ≥ its current price; the auction
stops as soon as the active set is feasible and the active agents win at their
current prices.  Here:

* `run_auction` (values known) and `run_as_pen_test` (GH-T1: each price rise
  p → p' becomes the test (i, p' − p); only outcomes are seen);
* one-at-a-time clock auctions: k-select, matroid (reverse-delete, coloops are
  frozen), knapsack bang-per-buck and single-best-item (Appendix B, Algorithm 1),
  the DA form of a sequential posted price;
* the knapsack algorithms themselves (both readings of "until the knapsack is full");
* the virtual-pricing transformation (Definition 3) for discrete distributions.

A price rule that lowers a price, prices an inactive agent or never reaches a feasible active set
misbehaves on a valid input: `ModelError`.  The ε-buffering rule of Definition 4 is in buffering.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping, Sequence

from .errors import ModelError
from .exact import UsageError, as_rational
from .feasibility import Feasibility, KSelect, Knapsack, ExplicitFamily, matroid_rank
from .pen_testing import Pens
from .posted_pricing import Atoms
from .quantile_curves import upper_concave_hull

__all__ = [
    "Stage", "DeferredAcceptanceAuction", "DAOutcome", "PenRun", "run_auction", "run_as_pen_test",
    "clock_auction", "k_select_clock", "matroid_clock", "bang_per_buck_clock", "single_best_item_clock",
    "posted_price_da", "bang_per_buck_prefix", "bang_per_buck_fill", "single_best_item", "knapsack_optimum",
    "IronedCurve", "ironed_consumer_surplus_curve", "virtual_pricing", "raw_virtual_pricing",
]

MAX_STAGES = 100_000


@dataclass(frozen=True)
class Stage:
    """Prices after a stage (one per agent; dropped agents keep their last price) and the active set."""

    prices: tuple[Fraction, ...]
    active: frozenset[int]


History = tuple[Stage, ...]
PriceRule = Callable[[History], Mapping[int, Fraction]]


@dataclass(frozen=True)
class DeferredAcceptanceAuction:
    """Definition 2: a constraint and a price rule (new prices for some active agents)."""

    name: str
    constraint: Feasibility
    price_rule: PriceRule
    max_stages: int = MAX_STAGES


@dataclass(frozen=True)
class DAOutcome:
    winners: frozenset[int]
    prices: tuple[Fraction, ...]
    stages: int
    consumer_surplus: Fraction
    surplus: Fraction
    history: tuple[Stage, ...] = ()     # every stage, from the all-zero prices to the final ones


@dataclass(frozen=True)
class PenRun:
    selected: frozenset[int]
    residual_ink: Fraction
    tests: int


def _next_prices(da: DeferredAcceptanceAuction, history: History) -> dict[int, Fraction]:
    last = history[-1]
    new = {i: as_rational(p, "price") for i, p in da.price_rule(history).items()}
    for i, p in new.items():
        if i not in last.active:
            raise ModelError(f"{da.name}: price posted to inactive agent {i}")
        if p < last.prices[i]:
            raise ModelError(f"{da.name}: price of agent {i} lowered from {last.prices[i]} to {p}; "
                             "Definition 2 needs non-decreasing prices")
    return new


def run_auction(da: DeferredAcceptanceAuction, values: Sequence[object]) -> DAOutcome:
    """Run the DA auction on known values (agent stays iff value ≥ price)."""
    vals = tuple(as_rational(v, f"value[{i}]") for i, v in enumerate(values))
    n = da.constraint.n
    if len(vals) != n:
        raise UsageError(f"{len(vals)} values for {n} agents")
    history: History = (Stage(tuple(Fraction(0) for _ in range(n)), frozenset(range(n))),)
    while not da.constraint.is_feasible(history[-1].active):
        if len(history) > da.max_stages:
            raise ModelError(f"{da.name}: no feasible active set after {da.max_stages} stages")
        new = _next_prices(da, history)
        prices = list(history[-1].prices)
        active = set(history[-1].active)
        for i, p in new.items():
            prices[i] = p
            if vals[i] < p:
                active.discard(i)
        history = history + (Stage(tuple(prices), frozenset(active)),)
    win = history[-1].active
    prices = history[-1].prices
    return DAOutcome(win, prices, len(history) - 1,
                     sum((vals[i] - prices[i] for i in win), Fraction(0)),
                     sum((vals[i] for i in win), Fraction(0)), history)


def run_as_pen_test(da: DeferredAcceptanceAuction, pens: Pens) -> PenRun:
    """GH-T1: run a DA auction as a pen-testing algorithm; a rise p → p' is the test (i, p' − p).

    The algorithm never reads ink levels: only test outcomes build the history.
    """
    n = da.constraint.n
    if pens.n != n:
        raise UsageError(f"{pens.n} pens for an auction on {n} agents")
    history: History = (Stage(tuple(Fraction(0) for _ in range(n)), frozenset(range(n))),)
    tests = 0
    while not da.constraint.is_feasible(history[-1].active):
        if len(history) > da.max_stages:
            raise ModelError(f"{da.name}: no feasible active set after {da.max_stages} stages")
        new = _next_prices(da, history)
        prices = list(history[-1].prices)
        active = set(history[-1].active)
        for i, p in new.items():
            rise = p - prices[i]
            prices[i] = p
            if rise > 0:
                tests += 1
                if not pens.test(i, rise):
                    active.discard(i)
        history = history + (Stage(tuple(prices), frozenset(active)),)
    chosen = history[-1].active
    return PenRun(chosen, pens.select(chosen), tests)


# --------------------------------------------------------------------------- clock auctions

def _ladder(values: Sequence[object]) -> tuple[Fraction, ...]:
    out = sorted({as_rational(v, "ladder price") for v in values})
    if not out or out[0] < 0:
        raise UsageError("a price ladder needs at least one non-negative price")
    return tuple(out)


def _next_on_ladder(ladder: tuple[Fraction, ...], current: Fraction) -> Fraction:
    for x in ladder:
        if x > current:
            return x
    return 2 * current + 1          # past the ladder: exit prices double (always terminates)


def clock_auction(name: str, constraint: Feasibility, ladder: Sequence[object],
                  scales: Sequence[object] | None = None,
                  frozen: Callable[[frozenset[int], int], bool] | None = None) -> DeferredAcceptanceAuction:
    """One-at-a-time clock: raise the unit price of one active, non-frozen agent to the next ladder step.

    Agent i's price is scale_i × unit price.  Priority: agents that are infeasible
    even alone; then the lowest unit price; ties → the largest index (so lower
    indices survive ties).  With values on the ladder the lowest value/scale
    among raisable agents drops first.
    """
    lad = _ladder(ladder)
    n = constraint.n
    sc = tuple(as_rational(s, "scale") for s in (scales if scales is not None else [1] * n))
    if len(sc) != n or any(s <= 0 for s in sc):
        raise UsageError("scales must be n positive rationals")
    alone_infeasible = frozenset(i for i in range(n) if not constraint.is_feasible(frozenset({i})))

    def rule(history: History) -> dict[int, Fraction]:
        last = history[-1]
        cands = [i for i in last.active if not (frozen and frozen(last.active, i))]
        if not cands:
            raise ModelError(f"{name}: every active agent is frozen but the active set is infeasible")
        hard = [i for i in cands if i in alone_infeasible]
        pool = hard or cands
        i = min(pool, key=lambda j: (last.prices[j] / sc[j], -j))
        unit = _next_on_ladder(lad, last.prices[i] / sc[i])
        return {i: unit * sc[i]}

    return DeferredAcceptanceAuction(name, constraint, rule)


def k_select_clock(n: int, k: int, ladder: Sequence[object]) -> DeferredAcceptanceAuction:
    """The clock auction for k identical goods (surplus optimal when values lie on the ladder)."""
    return clock_auction(f"k-select clock (n={n}, k={k})", KSelect(n, k), ladder)


def matroid_clock(constraint: Feasibility, ladder: Sequence[object]) -> DeferredAcceptanceAuction:
    """Matroid DA (Milgrom–Segal / Bikhchandani et al.): reverse-delete; coloops of M|A are frozen."""
    def coloop(active: frozenset[int], i: int) -> bool:
        return matroid_rank(constraint, active - {i}) < matroid_rank(constraint, active)
    return clock_auction("matroid clock", constraint, ladder, frozen=coloop)


def bang_per_buck_clock(knapsack: Knapsack, value_ladder: Sequence[object]) -> DeferredAcceptanceAuction:
    """Appendix B bang-per-buck as DA: per-unit-size clock over the ratios v/s (lowest ratio drops first)."""
    ratios = {as_rational(v, "value") / s for v in value_ladder for s in knapsack.sizes}
    return clock_auction("bang-per-buck clock", knapsack, sorted(ratios), scales=knapsack.sizes)


def single_best_item_clock(knapsack: Knapsack, value_ladder: Sequence[object]) -> DeferredAcceptanceAuction:
    """Appendix B 'Max' as DA: a single-item clock among the items that fit alone."""
    fits = [i for i in range(knapsack.n) if knapsack.sizes[i] <= knapsack.capacity]
    fam = ExplicitFamily.closure_of(knapsack.n, [[i] for i in fits])
    return clock_auction("single-best-item clock", fam, value_ladder)


def posted_price_da(constraint: KSelect, order: Sequence[int], prices: Sequence[object]) -> DeferredAcceptanceAuction:
    """A sequential posted price written as a DA: agents in `order` get their price while goods remain,
    later ones the exit price.  Definition 2 stops as soon as the active set is feasible, so agents not
    yet reached then win at price 0 (this DA is not literally SP when that happens)."""
    ps = tuple(as_rational(p, "price") for p in prices)
    k = constraint.k
    top = max(ps) + 1

    def rule(history: History) -> dict[int, Fraction]:
        last = history[-1]
        offered = len(history) - 1
        i = order[offered]
        accepted = sum(1 for j in order[:offered] if j in last.active)
        price = ps[i] if accepted < k else max(top, last.prices[i])
        return {i: max(price, last.prices[i])}

    return DeferredAcceptanceAuction("posted price (DA form)", constraint, rule)


# --------------------------------------------------------------------------- knapsack algorithms (App. B)

def _ratio_order(values: Sequence[Fraction], knapsack: Knapsack) -> list[int]:
    return sorted(range(knapsack.n), key=lambda i: (-values[i] / knapsack.sizes[i], i))


def bang_per_buck_prefix(values: Sequence[object], knapsack: Knapsack) -> frozenset[int]:
    """Reading A of 'pick agents in this order until the knapsack is full': stop at the first misfit."""
    vals = [as_rational(v, "value") for v in values]
    used, chosen = Fraction(0), set()
    for i in _ratio_order(vals, knapsack):
        if used + knapsack.sizes[i] > knapsack.capacity:
            break
        used += knapsack.sizes[i]
        chosen.add(i)
    return frozenset(chosen)


def bang_per_buck_fill(values: Sequence[object], knapsack: Knapsack) -> frozenset[int]:
    """Reading B: skip an agent that does not fit and go on down the order."""
    vals = [as_rational(v, "value") for v in values]
    used, chosen = Fraction(0), set()
    for i in _ratio_order(vals, knapsack):
        if used + knapsack.sizes[i] <= knapsack.capacity:
            used += knapsack.sizes[i]
            chosen.add(i)
    return frozenset(chosen)


def single_best_item(values: Sequence[object], knapsack: Knapsack) -> frozenset[int]:
    """'Max': the highest-value agent among those that fit alone (ties: lowest index); ∅ if none fits."""
    vals = [as_rational(v, "value") for v in values]
    fits = [i for i in range(knapsack.n) if knapsack.sizes[i] <= knapsack.capacity]
    if not fits:
        return frozenset()
    return frozenset({max(fits, key=lambda i: (vals[i], -i))})


def knapsack_optimum(values: Sequence[object], knapsack: Knapsack) -> Fraction:
    """OPT^V of one realisation (brute force)."""
    from .feasibility import max_weight_feasible
    return max_weight_feasible(knapsack, [as_rational(v, "value") for v in values])[0]


# --------------------------------------------------------------------------- virtual pricing (Def. 3)

@dataclass(frozen=True)
class IronedCurve:
    """Discrete reading of U and Ū for one agent (see docs/gh-combinatorial.md).

    Atoms a_1 > … > a_m; Q_j = Pr[v ≥ a_j]; CS_j = consumer surplus of price a_j
    (buy iff v ≥ p) for j < m, and of price 0 for j = m (serving everyone).  U is the piecewise-linear curve through (0,0), (Q_j, CS_j);
    Ū its concave hull with vertex indices `hull` (0 = origin).
    """

    dist: Atoms
    quantiles: tuple[Fraction, ...]        # Q_0 = 0, Q_1..Q_m
    cs: tuple[Fraction, ...]               # CS_0 = 0, CS_1..CS_m
    hull: tuple[int, ...]                  # indices j of hull vertices, increasing, starting at 0

    def segment_slopes(self) -> list[tuple[int, int, Fraction]]:
        """(j_start, j_end, slope) of each hull segment."""
        h = self.hull
        return [(h[t], h[t + 1], (self.cs[h[t + 1]] - self.cs[h[t]]) / (self.quantiles[h[t + 1]] - self.quantiles[h[t]]))
                for t in range(len(h) - 1)]

    def atom_index(self, value: object) -> int:
        """j with a_j = value (atoms numbered 1..m from the top); a value off the support is refused."""
        v = as_rational(value, "value")
        for t, (a, _) in enumerate(self.dist, start=1):
            if a == v:
                return t
        raise UsageError(f"value {v} is not an atom of the distribution {tuple(a for a, _ in self.dist)}")

    def ironed_virtual_value(self, value: object) -> Fraction:
        """ū at the atom `value` (slope of the hull segment covering its quantile interval)."""
        j = self.atom_index(value)
        for a, b, s in self.segment_slopes():
            if a < j <= b:
                return s
        raise ModelError(f"value {value} not covered by the hull")  # pragma: no cover

    def raw_virtual_value(self, value: object) -> Fraction:
        """u at the atom (slope of U itself over the atom's quantile interval)."""
        j = self.atom_index(value)
        return (self.cs[j] - self.cs[j - 1]) / (self.quantiles[j] - self.quantiles[j - 1])

    def ironed_intervals(self) -> list[tuple[Fraction, Fraction]]:
        """Open quantile intervals on which U < Ū (hull segments skipping a point strictly below)."""
        out = []
        for a, b, s in self.segment_slopes():
            below = any(self.cs[j] < self.cs[a] + s * (self.quantiles[j] - self.quantiles[a]) for j in range(a + 1, b))
            if below:
                out.append((self.quantiles[a], self.quantiles[b]))
        return out

    def value_price(self, virtual_price: Fraction) -> Fraction:
        """Definition 3: the value price v(θ), θ = sup{θ : ū(θ) ≥ v̂}; above the support if θ = 0."""
        theta_index = 0
        for a, b, s in self.segment_slopes():
            if s >= virtual_price:
                theta_index = b
        if theta_index == 0:
            return self.dist[0][0] + 1
        if theta_index == len(self.dist):
            return Fraction(0)
        return self.dist[theta_index - 1][0]


def _upper_hull(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> tuple[int, ...]:
    """Indices of the concave-hull vertices (the §2.1 engine's `upper_concave_hull`, collinear dropped)."""
    vertices = set(upper_concave_hull(zip(xs, ys)))
    return tuple(j for j in range(len(xs)) if (xs[j], ys[j]) in vertices)


def ironed_consumer_surplus_curve(dist: Atoms) -> IronedCurve:
    """U and its concave hull Ū for a discrete distribution (discrete reading of Section 2.1)."""
    qs, css = [Fraction(0)], [Fraction(0)]
    for j in range(len(dist)):
        price = dist[j][0] if j < len(dist) - 1 else Fraction(0)   # serving everyone: price 0 (v(1) = 0)
        qs.append(qs[-1] + dist[j][1])
        css.append(sum((p * (v - price) for v, p in dist[: j + 1]), Fraction(0)))
    return IronedCurve(dist, tuple(qs), tuple(css), _upper_hull(qs, css))


def _transform(da_v: DeferredAcceptanceAuction, price_maps: Sequence[Callable[[Fraction], Fraction]],
               name: str) -> DeferredAcceptanceAuction:
    n = da_v.constraint.n
    # DA^V's history is a function of the sequence of active sets (DA^V is deterministic); memoised by
    # that sequence, so that a run of t stages costs O(t) calls of DA^V's rule rather than O(t²)
    memo: dict[tuple[frozenset[int], ...], History] = {}

    def virtual_history(history: History) -> History:
        keys = tuple(stage.active for stage in history)
        start = len(keys)
        while start > 0 and keys[:start] not in memo:
            start -= 1
        if start == 0:
            v_hist: History = (Stage(tuple(Fraction(0) for _ in range(n)), keys[0]),)
            start = 1
        else:
            v_hist = memo[keys[:start]]
        for t in range(start, len(keys)):
            prices = list(v_hist[-1].prices)
            for i, p in da_v.price_rule(v_hist).items():
                prices[i] = as_rational(p, "virtual price")
            v_hist = v_hist + (Stage(tuple(prices), keys[t]),)
        if len(memo) > 100_000:
            memo.clear()
        memo[keys] = v_hist
        return v_hist

    def rule(history: History) -> dict[int, Fraction]:
        new_v = da_v.price_rule(virtual_history(history))
        return {i: price_maps[i](as_rational(p, "virtual price")) for i, p in new_v.items()}

    return DeferredAcceptanceAuction(name, da_v.constraint, rule, da_v.max_stages)


def virtual_pricing(da_v: DeferredAcceptanceAuction, curves: Sequence[IronedCurve]) -> DeferredAcceptanceAuction:
    """Definition 3: DA^U posts v_i(θ_i) with θ_i = sup{θ : ū_i(θ) ≥ v̂_i} whenever DA^V posts v̂_i."""
    return _transform(da_v, [c.value_price for c in curves], f"virtual pricing of {da_v.name}")


def raw_virtual_pricing(da_v: DeferredAcceptanceAuction, curves: Sequence[IronedCurve]) -> DeferredAcceptanceAuction:
    """The same transformation with the un-ironed u (wrong on purpose; tests plant it)."""
    def price_map(curve: IronedCurve) -> Callable[[Fraction], Fraction]:
        def value_price(vp: Fraction) -> Fraction:
            theta = 0
            for j in range(1, len(curve.quantiles)):
                if curve.raw_virtual_value(curve.dist[j - 1][0]) >= vp:
                    theta = j
            if theta == 0:
                return curve.dist[0][0] + 1
            return Fraction(0) if theta == len(curve.dist) else curve.dist[theta - 1][0]
        return value_price
    return _transform(da_v, [price_map(c) for c in curves], f"un-ironed virtual pricing of {da_v.name}")
