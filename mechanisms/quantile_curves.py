"""Quantile-space curves of GH §2.1 (paper 002) and the ironed Ū, exact.

For a value distribution in quantile space (q = Pr[value > v]):

* v(q)  inverse demand, v(q) = inf{x ≥ 0 : Pr[value > x] ≤ q}; so v(1) = 0
        (GH-ASSUME: the paper's "v(1) = 0", a change on the null quantile 1);
* V(q) = ∫₀^q v(t) dt   price-posting surplus curve;
* U(q) = V(q) − q·v(q)  price-posting consumer-surplus curve;
* u(q) = U'(q) = −q·v'(q)  marginal consumer surplus;
* Ū     the concave hull (least concave majorant) of U — Myerson ironing;
        ū = Ū' its slope (ironed marginal consumer surplus).

Discrete distributions give piecewise-linear V and Ū (exact Fractions) and a
step U.  Symbolic distributions give sympy expressions; their Ū is decided
exactly for the shapes sympy can certify (U concave, U convex, concave with
the jump at q = 1), else `HullNotDecided` is raised.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Sequence

import sympy as sp

from .distributions import DiscreteDistribution, SymbolicDistribution
from .exact import UsageError, as_rational

__all__ = [
    "PiecewiseLinear", "IroningViolation", "HullNotDecided",
    "inverse_demand", "surplus_curve", "consumer_surplus", "consumer_surplus_envelope",
    "upper_concave_hull", "ironed_consumer_surplus", "ironed_marginal", "virtual_price_quantile",
    "ironing_violation", "ironed_surplus_curve",
    "SymbolicCurves", "SymbolicIroned", "symbolic_curves", "symbolic_ironed",
]

Point = tuple[Fraction, Fraction]


# ------------------------------------------------------------------ piecewise linear
@dataclass(frozen=True)
class PiecewiseLinear:
    """A continuous piecewise-linear function on [points[0].x, points[-1].x], exact breakpoints."""

    points: tuple[Point, ...]

    def __post_init__(self) -> None:
        if len(self.points) < 2:
            raise UsageError("a piecewise-linear curve needs at least two points")
        xs = [x for x, _ in self.points]
        if any(a >= b for a, b in zip(xs, xs[1:])):
            raise UsageError(f"breakpoints must be strictly increasing, got {xs}")

    @property
    def breaks(self) -> tuple[Fraction, ...]:
        return tuple(x for x, _ in self.points)

    def __call__(self, x: object) -> Fraction:
        t = as_rational(x, "q")
        pts = self.points
        if not pts[0][0] <= t <= pts[-1][0]:
            raise UsageError(f"q = {t} is outside [{pts[0][0]}, {pts[-1][0]}]")
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            if t <= x1:
                return y0 + (y1 - y0) * (t - x0) / (x1 - x0)
        return pts[-1][1]  # pragma: no cover

    def segments(self) -> tuple[tuple[Fraction, Fraction, Fraction, Fraction], ...]:
        """(x0, x1, intercept, slope) per linear piece: y = intercept + slope·x on [x0, x1]."""
        out = []
        for (x0, y0), (x1, y1) in zip(self.points, self.points[1:]):
            s = (y1 - y0) / (x1 - x0)
            out.append((x0, x1, y0 - s * x0, s))
        return tuple(out)

    def slopes(self) -> tuple[Fraction, ...]:
        return tuple(s for _, _, _, s in self.segments())

    def is_concave(self) -> bool:
        s = self.slopes()
        return all(a >= b for a, b in zip(s, s[1:]))

    def without_collinear(self) -> "PiecewiseLinear":
        """The same function with redundant (collinear) breakpoints removed."""
        pts = [self.points[0]]
        for p, nxt in zip(self.points[1:], self.points[2:] + (None,)):
            if nxt is None:
                pts.append(p)
                continue
            (x0, y0), (x1, y1), (x2, y2) = pts[-1], p, nxt
            if (y1 - y0) * (x2 - x1) != (y2 - y1) * (x1 - x0):
                pts.append(p)
        return PiecewiseLinear(tuple(pts))


# ------------------------------------------------------------------ discrete curves
def _q(x: object) -> Fraction:
    t = as_rational(x, "q")
    if not 0 <= t <= 1:
        raise UsageError(f"quantile q = {t} is outside [0, 1]")
    return t


def inverse_demand(dist: DiscreteDistribution, q: object) -> Fraction:
    """v(q) = inf{x ≥ 0 : Pr[value > x] ≤ q}: a_{j+1} on [Q_j, Q_{j+1}), and v(1) = 0 (GH §2.1)."""
    t = _q(q)
    breaks = dist.quantile_breaks()
    for j in range(dist.size):
        if breaks[j] <= t < breaks[j + 1]:
            return dist.values[j]
    return Fraction(0)


def surplus_curve(dist: DiscreteDistribution) -> PiecewiseLinear:
    """V(q) = ∫₀^q v: linear between the Q_j, V(Q_j) = Σ_{i≤j} a_i·p_i (concave)."""
    pts: list[Point] = [(Fraction(0), Fraction(0))]
    for a, p in dist.items():
        x, y = pts[-1]
        pts.append((x + p, y + a * p))
    return PiecewiseLinear(tuple(pts))


def consumer_surplus(dist: DiscreteDistribution, q: object) -> Fraction:
    """U(q) = V(q) − q·v(q): the step value c_{j+1} = V(Q_j) − a_{j+1}·Q_j on [Q_j, Q_{j+1}); U(1) = V(1)."""
    t = _q(q)
    return surplus_curve(dist)(t) - t * inverse_demand(dist, t)


def consumer_surplus_envelope(dist: DiscreteDistribution) -> tuple[Point, ...]:
    """The points whose upper hull is Ū: (Q_j, c_{j+1}) for j < m, and (1, V(1)).

    U is constant (= c_{j+1}) on each [Q_j, Q_{j+1}), so these left ends carry
    every value U takes; U is upper semicontinuous, so no supremum is missed.
    """
    V = surplus_curve(dist)
    pts = []
    for j, (Qj, VQj) in enumerate(V.points[:-1]):
        pts.append((Qj, VQj - dist.values[j] * Qj))
    pts.append((Fraction(1), V.points[-1][1]))
    return tuple(pts)


def upper_concave_hull(points: Iterable[Point]) -> tuple[Point, ...]:
    """Vertices of the least concave majorant of finitely many points (exact; collinear points dropped)."""
    pts = sorted(set((as_rational(x, "x"), as_rational(y, "y")) for x, y in points))
    best: dict[Fraction, Fraction] = {}
    for x, y in pts:
        best[x] = max(y, best.get(x, y))
    pts = sorted(best.items())
    hull: list[Point] = []
    for p in pts:
        while len(hull) >= 2:
            (x0, y0), (x1, y1) = hull[-2], hull[-1]
            # drop hull[-1] when it lies on or below the chord hull[-2] → p
            if (y1 - y0) * (p[0] - x0) <= (p[1] - y0) * (x1 - x0):
                hull.pop()
            else:
                break
        hull.append(p)
    return tuple(hull)


def ironed_consumer_surplus(dist: DiscreteDistribution) -> PiecewiseLinear:
    """Ū: the concave hull of U on [0, 1] (GH §2.1 ironing step 1), vertices at some Q_j and at 1."""
    return PiecewiseLinear(upper_concave_hull(consumer_surplus_envelope(dist)))


def ironed_marginal(dist: DiscreteDistribution, q: object) -> Fraction:
    """ū(q) = Ū'(q): the right derivative for q < 1, the left derivative at q = 1."""
    t = _q(q)
    for x0, x1, _, s in ironed_consumer_surplus(dist).segments():
        if x0 <= t < x1:
            return s
    return ironed_consumer_surplus(dist).slopes()[-1]


def virtual_price_quantile(dist: DiscreteDistribution, threshold: object) -> Fraction:
    """θ = sup{θ ∈ [0, 1] : ū(θ) ≥ threshold} (GH Definition 3); 0 when the set is empty.

    θ is always a vertex of Ū, so the price v(θ) is never inside an ironed interval.
    """
    t = as_rational(threshold, "threshold")
    theta = Fraction(0)
    for _, x1, _, s in ironed_consumer_surplus(dist).segments():
        if s >= t:
            theta = x1
    return theta


@dataclass(frozen=True)
class IroningViolation:
    """Why a claimed ironed curve is not the concave hull of U, with the exact points involved."""

    kind: str                  # "not concave", "below U", "not minimal", "domain"
    detail: str
    points: tuple[Point, ...]


def ironing_violation(envelope: Sequence[Point], claimed: PiecewiseLinear) -> IroningViolation | None:
    """None when `claimed` is exactly the least concave majorant of the envelope points on [0, 1].

    Checks (exactly): concavity (slopes non-increasing), majorisation (≥ every
    envelope point) and minimality (every vertex is an envelope point).
    """
    if claimed.points[0][0] != 0 or claimed.points[-1][0] != 1:
        return IroningViolation("domain", f"curve spans [{claimed.points[0][0]}, {claimed.points[-1][0]}], not [0, 1]",
                                (claimed.points[0], claimed.points[-1]))
    pts = claimed.points
    for a, b, c in zip(pts, pts[1:], pts[2:]):
        s1 = (b[1] - a[1]) / (b[0] - a[0])
        s2 = (c[1] - b[1]) / (c[0] - b[0])
        if s2 > s1:
            return IroningViolation("not concave", f"slope rises from {s1} to {s2} at q = {b[0]}", (a, b, c))
    for p in envelope:
        if claimed(p[0]) < p[1]:
            return IroningViolation("below U", f"Ū({p[0]}) = {claimed(p[0])} < U = {p[1]}", (p,))
    env = set((as_rational(x, "x"), as_rational(y, "y")) for x, y in envelope)
    for p in claimed.without_collinear().points:
        if p not in env:
            return IroningViolation("not minimal", f"vertex {p} is not a point of U: a smaller concave majorant exists",
                                    (p,))
    return None


def ironed_surplus_curve(dist: DiscreteDistribution) -> PiecewiseLinear:
    """Surplus of the consumer-surplus-optimal mechanism at ex-ante probability q (GH-COR9).

    It serves quantiles [0, x_k] and, on the ironed interval (x_k, x_{k+1}) of Ū
    containing q, serves uniformly at random: V interpolated linearly between
    consecutive vertices of Ū (collinear points dropped: the least surplus
    among consumer-surplus-optimal mechanisms, since V is concave).
    """
    V = surplus_curve(dist)
    hull = ironed_consumer_surplus(dist).without_collinear()
    return PiecewiseLinear(tuple((x, V(x)) for x, _ in hull.points))


# ------------------------------------------------------------------ symbolic curves
class HullNotDecided(Exception):
    """The concave hull of a symbolic U could not be decided exactly (shape not certified)."""


@dataclass(frozen=True)
class SymbolicCurves:
    """v, V, U, u of GH §2.1 as sympy expressions in q (for q ∈ (0, 1)); V1 = V(1) = mean."""

    q: sp.Symbol
    v: sp.Expr
    V: sp.Expr
    U: sp.Expr
    u: sp.Expr
    V1: sp.Expr
    v_at_1: sp.Expr      # lim_{q→1⁻} v(q) (GH sets v(1) = 0, so U jumps by v_at_1 at q = 1)


def symbolic_curves(dist: SymbolicDistribution) -> SymbolicCurves:
    q = dist.q
    t = sp.Dummy("t", positive=True)
    v = dist.inverse_demand
    V = sp.simplify(sp.integrate(v.subs(q, t), (t, 0, q)))
    if V.has(sp.Integral):
        raise HullNotDecided(f"sympy cannot integrate v(q) = {v} in closed form")
    U = sp.simplify(V - q * v)
    u = sp.simplify(-q * sp.diff(v, q))
    V1 = sp.simplify(V.subs(q, 1))
    v1 = sp.limit(v, q, 1, "-")
    return SymbolicCurves(q, v, V, U, u, V1, v1)


@dataclass(frozen=True)
class SymbolicIroned:
    """Ū as pieces (lo, hi, expression in q) covering [0, 1], and how the shape was certified."""

    q: sp.Symbol
    pieces: tuple[tuple[sp.Expr, sp.Expr, sp.Expr], ...]
    how: str

    def at(self, x) -> sp.Expr:
        x = sp.sympify(x)
        for lo, hi, e in self.pieces:
            if bool(lo <= x) and bool(x <= hi):
                return sp.simplify(e.subs(self.q, x))
        raise UsageError(f"q = {x} is outside [0, 1]")


def _sign_on_unit_interval(expr, q: sp.Symbol) -> tuple[int | None, str]:
    """Sign of expr on (0, 1) decided by sympy alone: (±1 | 0 | None, how)."""
    e = sp.cancel(sp.together(sp.simplify(expr)))
    if e == 0:
        return 0, "identically zero"
    half = sp.Rational(1, 2)
    if e.is_rational_function(q):
        num, den = sp.fraction(e)
        for part in (num, den):
            poly = sp.Poly(part, q)
            if not poly.is_zero and poly.degree() > 0:
                sqf = poly.sqf_part()
                inside = int(sqf.count_roots(0, 1)) - int(sqf.eval(0) == 0) - int(sqf.eval(1) == 0)
                if inside:
                    return None, f"{part} has {inside} real root(s) in (0, 1)"
        val = e.subs(q, half)
        return (1 if val > 0 else -1), "rational function without real roots in (0, 1) (Sturm count)"
    try:
        if sp.calculus.util.continuous_domain(e, q, sp.Interval.open(0, 1)) != sp.Interval.open(0, 1):
            return None, "not continuous on (0, 1)"
        zeros = sp.solveset(e, q, sp.Interval.open(0, 1))
    except Exception as exc:  # sympy cannot solve it: undecided
        return None, f"sympy solveset failed ({type(exc).__name__})"
    if zeros != sp.S.EmptySet:
        return None, f"zeros in (0, 1): {zeros}"
    val = e.subs(q, half)
    if val.is_positive:
        return 1, "continuous, no zero in (0, 1) (solveset), positive at 1/2"
    if val.is_negative:
        return -1, "continuous, no zero in (0, 1) (solveset), negative at 1/2"
    return None, "sign at 1/2 undecided"


def symbolic_ironed(dist: SymbolicDistribution, curves: SymbolicCurves | None = None) -> SymbolicIroned:
    """Ū for a symbolic distribution, exactly; raises HullNotDecided when the shape is not certified.

    U convex on [0, 1) ⇒ Ū = q·V(1); U concave with v(1⁻) = 0 ⇒ Ū = U; U concave
    with v(1⁻) > 0 (U jumps up at q = 1) ⇒ Ū = U up to the tangent point t* from
    (1, V(1)), then the tangent line (t* = 0: the chord).
    """
    c = curves or symbolic_curves(dist)
    q = c.q
    sign, how = _sign_on_unit_interval(sp.diff(c.u, q), q)
    zero, one = sp.Integer(0), sp.Integer(1)
    if sign == 1:
        return SymbolicIroned(q, ((zero, one, c.V1 * q),), f"u' > 0 on (0, 1) ({how}): U convex, Ū = q·V(1)")
    if sign is None:
        raise HullNotDecided(f"shape of U not certified: u' on (0, 1): {how}")
    if sp.simplify(c.v_at_1) == 0:
        return SymbolicIroned(q, ((zero, one, c.U),), f"u' ≤ 0 on (0, 1) ({how}) and v(1⁻) = 0: Ū = U")
    # φ(t) = U(t) + u(t)(1 − t) − V(1) is non-increasing (φ' = u'(t)(1 − t) ≤ 0) with φ(1⁻) = −v(1⁻) < 0.
    phi = sp.simplify(c.U + c.u * (1 - q) - c.V1)
    phi0 = sp.limit(phi, q, 0, "+")
    if phi0.is_nonpositive:
        return SymbolicIroned(q, ((zero, one, c.V1 * q),),
                              f"U concave ({how}); tangent from (1, V(1)) touches at 0: Ū = q·V(1)")
    sols = [s for s in sp.solve(phi, q) if s.is_real and bool(s > 0) and bool(s < 1)]
    if len(sols) != 1:
        raise HullNotDecided(f"tangent point from (1, V(1)) not found exactly (solutions {sols})")
    ts = sols[0]
    Ut = sp.simplify(c.U.subs(q, ts))
    line = sp.simplify(Ut + (c.V1 - Ut) * (q - ts) / (1 - ts))
    return SymbolicIroned(q, ((zero, ts, c.U), (ts, one, line)),
                          f"U concave on [0, 1) ({how}); tangent from (1, V(1)) at q = {ts}")
