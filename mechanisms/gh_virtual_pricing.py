"""GH-DEF3 (paper 002, Definition 3 and observations 1 and 3): the points and properties checked.

The virtual-pricing transformation DA^U of a k-select clock DA^V (run in ironed virtual price
space) is run on every value profile of every tuple of small discrete distributions.  Checked, by
the definitions rather than by the transformation's own hull code:

* every price DA^U posts, at every stage, is non-decreasing along the run and has its quantile
  θ = Pr[v ≥ p] outside the ironed intervals, i.e. U(θ) = Ū(θ), with Ū(θ) the least concave
  majorant of the points (Q_j, CS_j) evaluated by brute force over chords;
* DA^U allocates as DA^V run on the ironed virtual values (observation 1);
* E[consumer surplus of DA^U] = E[ironed virtual surplus] (observation 1);
* the price map v̂ ↦ v(θ(v̂)) is non-decreasing for every real virtual price v̂ (observation 3).

Order of the points: distribution tuples lexicographically (by their index in `DEF3_DISTRIBUTIONS`),
then value profiles lexicographically, so the first violation is the smallest one.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import product
from typing import Any, Callable, Iterator, Mapping, Sequence

from .deferred_acceptance import (DeferredAcceptanceAuction, IronedCurve, ironed_consumer_surplus_curve,
                                  k_select_clock, run_auction, virtual_pricing)
from .errors import ModelError
from .posted_pricing import Atoms, atoms, profiles

__all__ = [
    "DEF3_DISTRIBUTIONS", "Transform", "price_quantile", "consumer_surplus_points", "concave_majorant_at",
    "transformed_auctions", "profile_points", "profile_cases", "tuple_points", "tuple_cases", "distribution_points",
    "posted_prices_outside_ironed_intervals", "allocates_as_virtual_auction", "consumer_surplus_is_ironed_virtual",
    "price_map_non_decreasing", "definition3_price", "price_map_is_definition3",
]

Transform = Callable[[DeferredAcceptanceAuction, Sequence[IronedCurve]], DeferredAcceptanceAuction]


def _def3_distributions() -> tuple[Atoms, ...]:
    probs = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))
    out = []
    for a, b in ((3, 1), (3, 0), (2, 1), (3, 2)):
        for p in probs:
            out.append(atoms([(a, p), (b, 1 - p)]))
    for p, r in ((Fraction(1, 4), Fraction(1, 4)), (Fraction(1, 2), Fraction(1, 4)), (Fraction(1, 4), Fraction(1, 2)),
                 (Fraction(1, 8), Fraction(1, 8))):
        out.append(atoms([(3, p), (1, r), (0, 1 - p - r)]))
        out.append(atoms([(3, p), (2, r), (1, 1 - p - r)]))
    return tuple(out)


DEF3_DISTRIBUTIONS: tuple[Atoms, ...] = _def3_distributions()   # 20 distributions, supports ⊆ {0, 1, 2, 3}


# ------------------------------------------------------------------ the definitions
def price_quantile(dist: Atoms, price: Fraction) -> Fraction:
    """θ(p) = Pr[v ≥ p]: the quantile a posted price p sells to (the agent stays iff value ≥ price)."""
    return sum((w for v, w in dist if v >= price), Fraction(0))


@lru_cache(maxsize=256)
def consumer_surplus_points(dist: Atoms) -> tuple[tuple[Fraction, Fraction], ...]:
    """(Q_j, U(Q_j)) for j = 0..m: U(Q_j) is the consumer surplus of price a_j (of price 0 at Q_m = 1)."""
    pts, q = [(Fraction(0), Fraction(0))], Fraction(0)
    for j, (a, w) in enumerate(dist):
        q += w
        price = a if j < len(dist) - 1 else Fraction(0)
        pts.append((q, sum((p * (v - price) for v, p in dist if v >= price), Fraction(0))))
    return tuple(pts)


def concave_majorant_at(points: Sequence[tuple[Fraction, Fraction]], x: Fraction) -> Fraction:
    """The least concave majorant of finitely many points, at x (brute force: the best chord over x)."""
    best = None
    for (xa, ya) in points:
        for (xb, yb) in points:
            if xa <= x <= xb:
                y = ya if xa == xb else ya + (yb - ya) * (x - xa) / (xb - xa)
                best = y if best is None or y > best else best
    if best is None:
        raise ModelError(f"quantile {x} lies outside the curve's range")
    return best


def _u_at(points: Sequence[tuple[Fraction, Fraction]], x: Fraction) -> Fraction:
    for xa, ya in points:
        if xa == x:
            return ya
    raise ModelError(f"quantile {x} is not a vertex of U")   # θ(p) is always some Q_j


# ------------------------------------------------------------------ instances and points
@lru_cache(maxsize=64)
def _curve(dist: Atoms) -> IronedCurve:
    return ironed_consumer_surplus_curve(dist)


@lru_cache(maxsize=4096)
def transformed_auctions(dists: tuple[Atoms, ...], k: int,
                         transform: Transform = virtual_pricing) -> tuple[DeferredAcceptanceAuction,
                                                                          DeferredAcceptanceAuction,
                                                                          tuple[IronedCurve, ...]]:
    """(DA^V, DA^U, curves): a k-select clock in virtual price space and its transformation.

    The clock's ladder is every hull slope ū, every raw marginal u_j and 0, so that DA^V posts
    virtual prices between the ironed and the raw virtual values too (any ladder gives a DA^V).
    """
    curves = tuple(_curve(d) for d in dists)
    ladder = sorted({s for c in curves for _, _, s in c.segment_slopes()}
                    | {c.raw_virtual_value(v) for c in curves for v, _ in c.dist} | {Fraction(0)})
    da_v = k_select_clock(len(dists), k, ladder)
    return da_v, transform(da_v, curves), curves


def tuple_points(domain) -> Iterator[dict]:
    """Every n-tuple of DEF3_DISTRIBUTIONS (lexicographic by index), with the clock's k."""
    for combo in product(range(len(DEF3_DISTRIBUTIONS)), repeat=domain["n"]):
        yield {"k": domain["k"], "distributions": tuple(DEF3_DISTRIBUTIONS[i] for i in combo)}


def tuple_cases(domain) -> int:
    return len(DEF3_DISTRIBUTIONS) ** domain["n"]


def profile_points(domain) -> Iterator[dict]:
    """Every value profile of every tuple (tuples lexicographic, then profiles lexicographic)."""
    for t in tuple_points(domain):
        for values in product(*[[v for v, _ in sorted(d)] for d in t["distributions"]]):
            yield {**t, "values": tuple(values)}


def profile_cases(domain) -> int:
    return sum(len(d) for d in DEF3_DISTRIBUTIONS) ** domain["n"]


def distribution_points(domain) -> Iterator[dict]:
    for d in DEF3_DISTRIBUTIONS:
        yield {"distribution": d}


_validated = lru_cache(maxsize=256)(atoms)      # the same 20 distributions, validated once


def _dists(point: Mapping[str, Any]) -> tuple[Atoms, ...]:
    return tuple(_validated(tuple(d)) for d in point["distributions"])


# ------------------------------------------------------------------ properties (holds, observed)
def posted_prices_outside_ironed_intervals(point: Mapping[str, Any],
                                           transform: Transform = virtual_pricing) -> tuple[bool, dict]:
    """Every price DA^U posts during the run: non-decreasing, and U(θ(p)) = Ū(θ(p)) (not inside an ironed interval)."""
    dists = _dists(point)
    _, da_u, _ = transformed_auctions(dists, point["k"], transform)
    try:
        out = run_auction(da_u, point["values"])
    except ModelError as exc:
        return False, {"not_deferred_acceptance": str(exc)}
    curves = [consumer_surplus_points(d) for d in dists]
    for t in range(1, len(out.history)):
        before, after = out.history[t - 1].prices, out.history[t].prices
        for i, (p0, p) in enumerate(zip(before, after)):
            if p == p0:
                continue
            if p < p0:
                return False, {"stage": t, "agent": i, "price_before": p0, "price": p}
            theta = price_quantile(dists[i], p)
            u, u_bar = _u_at(curves[i], theta), concave_majorant_at(curves[i], theta)
            if u < u_bar:
                return False, {"stage": t, "agent": i, "price": p, "quantile": theta, "U": u, "U_ironed": u_bar}
    return True, {"stages": out.stages}


def allocates_as_virtual_auction(point: Mapping[str, Any], transform: Transform = virtual_pricing) -> tuple[bool, dict]:
    """Observation 1: DA^U on the values allocates as DA^V on the ironed virtual values ū_i(v_i)."""
    dists = _dists(point)
    da_v, da_u, curves = transformed_auctions(dists, point["k"], transform)
    try:
        won_u = run_auction(da_u, point["values"]).winners
    except ModelError as exc:
        return False, {"not_deferred_acceptance": str(exc)}
    virtual = tuple(c.ironed_virtual_value(v) for c, v in zip(curves, point["values"]))
    won_v = run_auction(da_v, virtual).winners
    return won_u == won_v, {"DA_U_winners": tuple(sorted(won_u)), "DA_V_winners": tuple(sorted(won_v)),
                            "ironed_virtual_values": virtual}


def consumer_surplus_is_ironed_virtual(point: Mapping[str, Any],
                                       transform: Transform = virtual_pricing) -> tuple[bool, dict]:
    """Observation 1: E[consumer surplus of DA^U] = E[Σ_{winners} ū_i(v_i)] (exact expectations)."""
    dists = _dists(point)
    _, da_u, curves = transformed_auctions(dists, point["k"], transform)
    total_cs, total_virtual = Fraction(0), Fraction(0)
    try:
        for vals, prob in profiles(dists):
            out = run_auction(da_u, vals)
            total_cs += prob * out.consumer_surplus
            total_virtual += prob * sum((curves[i].ironed_virtual_value(vals[i]) for i in out.winners), Fraction(0))
    except ModelError as exc:
        return False, {"not_deferred_acceptance": str(exc)}
    return total_cs == total_virtual, {"E_consumer_surplus": total_cs, "E_ironed_virtual_surplus": total_virtual}


def price_map_non_decreasing(point: Mapping[str, Any]) -> tuple[bool, dict]:
    """Observation 3: v̂ ↦ v(θ(v̂)) is non-decreasing on all of ℝ.

    The map is constant between consecutive hull slopes, so the slopes, the midpoints between them
    and one point beyond each end cover every real virtual price.
    """
    c = ironed_consumer_surplus_curve(atoms(point["distribution"]))
    slopes = sorted({s for _, _, s in c.segment_slopes()})
    grid = sorted(set(slopes) | {(a + b) / 2 for a, b in zip(slopes, slopes[1:])} | {slopes[0] - 1, slopes[-1] + 1})
    prices = [c.value_price(g) for g in grid]
    for (g0, p0), (g1, p1) in zip(zip(grid, prices), zip(grid[1:], prices[1:])):
        if p1 < p0:
            return False, {"virtual_price": g0, "price": p0, "next_virtual_price": g1, "next_price": p1}
    return True, {"virtual_prices": len(grid)}


PriceMap = Callable[[IronedCurve, Fraction], Fraction]


def _value_price(curve: IronedCurve, virtual_price: Fraction) -> Fraction:
    return curve.value_price(virtual_price)


def definition3_price(dist: Atoms, virtual_price: Fraction) -> Fraction:
    """v(θ) with θ = sup{θ : ū(θ) ≥ v̂} (Definition 3), ū the slope of the brute-force concave majorant of the
    points (Q_j, U(Q_j)) on each quantile interval (Q_{j−1}, Q_j); above the support when θ = 0, 0 when θ = 1."""
    pts = consumer_surplus_points(dist)
    theta = 0
    for j in range(1, len(pts)):
        (x0, _), (x1, _) = pts[j - 1], pts[j]
        slope = (concave_majorant_at(pts, x1) - concave_majorant_at(pts, x0)) / (x1 - x0)
        if slope >= virtual_price:
            theta = j
    if theta == 0:
        return dist[0][0] + 1
    return Fraction(0) if theta == len(dist) else dist[theta - 1][0]


def price_map_is_definition3(point: Mapping[str, Any], price_of: PriceMap = _value_price) -> tuple[bool, dict]:
    """The transformation's price map (`price_of`, planted wrong in tests) = Definition 3's sup, at every hull slope
    (where the tie rule 'ū ≥ v̂' matters), between consecutive slopes and beyond both ends."""
    dist = atoms(point["distribution"])
    c = ironed_consumer_surplus_curve(dist)
    slopes = sorted({s for _, _, s in c.segment_slopes()})
    grid = sorted(set(slopes) | {(a + b) / 2 for a, b in zip(slopes, slopes[1:])} | {slopes[0] - 1, slopes[-1] + 1})
    for g in grid:
        got, want = price_of(c, g), definition3_price(dist, g)
        if got != want:
            return False, {"virtual_price": g, "price": got, "definition_3_price": want}
    return True, {"virtual_prices": len(grid)}

