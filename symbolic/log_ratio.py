"""Deciding V(q) ≤ (1 − ln q)·W(q) for every q ∈ (0, 1], exactly (GH paper 002, Lemma 1 / Theorem 5).

`log_ratio_bound(V, W)`: V and W piecewise linear on [0, 1] (a discrete distribution's surplus curve
and its ironed consumer surplus Ū, or the surplus of the consumer-surplus-optimal mechanism).  On a
piece where V = α + βq and W = γ + δq, h(q) = V/W − (1 − ln q) has h' = 0 exactly at the roots of
δ²q² + (2γδ + βγ − αδ)q + γ² = 0; h is evaluated at the endpoints and at those (quadratic-irrational)
roots with refined interval arithmetic.  h = 0 only at q = 1, so the refinement terminates.

`step_marginal_bound(breaks, values)`: a consumer-surplus-regular distribution whose marginal
u = U' is a non-increasing step function; on piece i, V − (1 − ln q)U = q·K_i + A_i·ln q (concave),
decided at the endpoints and the stationary point with certified signs.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from mechproof.mechanisms.quantile_curves import PiecewiseLinear

from .intervals import certified_sign, enclose

__all__ = ["LogRatioOutcome", "log_ratio_bound", "step_marginal_bound", "step_marginal_curves", "rational_below"]

iv = mpmath.iv
MAX_PREC = 2048


@dataclass(frozen=True)
class LogRatioOutcome:
    """V ≤ (1 − ln q)·W on (0, 1]?  holds None = undecided; worst = largest h below 0 away from q = 1."""

    holds: bool | None
    witness_q: Fraction | None = None
    h_enclosure: object = None          # h(q) = V/W − (1 − ln q) at the witness / the worst point
    worst_q: object = None
    note: str = ""


def _fr(x: Fraction):
    return iv.mpf(x.numerator) / x.denominator


def _h_iv(al, be, ga, de, qiv):
    return (al + be * qiv) / (ga + de * qiv) - 1 + iv.log(qiv)


def _sign_h(al, be, ga, de, point) -> tuple[int | None, object]:
    """Certified sign of h at an exact point: a Fraction or ('root', A, B, D, ±1) = (−B ± √D)/(2A)."""
    prec = 64
    saved = iv.prec
    try:
        while prec <= MAX_PREC:
            iv.prec = prec
            if isinstance(point, Fraction):
                if point == 1:
                    if ga + de == 0:
                        return None, None
                    val = Fraction(al + be, ga + de) - 1
                    return (1 if val > 0 else -1 if val < 0 else 0), iv.mpf(val.numerator) / val.denominator
                qiv = _fr(point)
            else:
                _, A, B, D, sgn = point
                qiv = (-_fr(B) + sgn * iv.sqrt(_fr(D))) / (2 * _fr(A))
            h = _h_iv(_fr(al), _fr(be), _fr(ga), _fr(de), qiv)
            if h.a > 0:
                return 1, h
            if h.b < 0:
                return -1, h
            prec *= 4
        return None, None
    finally:
        iv.prec = saved


def _rational_near(point, al, be, ga, de, lo, hi) -> Fraction | None:
    """A rational q in [lo, hi] near an irrational root where h > 0 (certified)."""
    _, A, B, D, sgn = point
    saved = mpmath.mp.dps
    try:
        for digits in (10, 20, 40, 80):
            mpmath.mp.dps = digits + 10
            r = (-mpmath.mpf(B.numerator) / B.denominator + sgn * mpmath.sqrt(mpmath.mpf(D.numerator) / D.denominator)) \
                / (2 * mpmath.mpf(A.numerator) / A.denominator)
            cand = min(max(Fraction(str(mpmath.nstr(r, digits))), lo), hi)
            if _sign_h(al, be, ga, de, cand)[0] == 1:
                return cand
        return None
    finally:
        mpmath.mp.dps = saved


def log_ratio_bound(V: PiecewiseLinear, W: PiecewiseLinear) -> LogRatioOutcome:
    """Decide V(q) ≤ (1 − ln q)·W(q) for every q ∈ (0, 1], exactly (V, W piecewise linear on [0, 1])."""
    breaks = sorted(set(V.breaks) | set(W.breaks))
    worst, worst_q = None, None
    for lo, hi in zip(breaks, breaks[1:]):
        mid = (lo + hi) / 2
        (vl, vh), (wl, wh) = (V(lo), V(hi)), (W(lo), W(hi))
        be, de = (vh - vl) / (hi - lo), (wh - wl) / (hi - lo)
        al, ga = vl - be * lo, wl - de * lo
        for qq in (hi, mid):
            if ga + de * qq <= 0:
                if al + be * qq > 0:
                    return LogRatioOutcome(False, qq, None, note="W(q) = 0 < V(q)")
                return LogRatioOutcome(None, qq, note="V = W = 0 inside (0, 1]")
        cands: list = [hi] + ([lo] if lo > 0 else [])
        A, B, C = de * de, 2 * ga * de + be * ga - al * de, ga * ga
        if A != 0:
            D = B * B - 4 * A * C
            if D >= 0:
                for sgn in (1, -1):
                    sq = sp.sqrt(sp.Rational(D.numerator, D.denominator))
                    r = (-sp.Rational(B.numerator, B.denominator) + sgn * sq) / (2 * sp.Rational(A.numerator, A.denominator))
                    if bool(r > lo) and bool(r < hi):
                        cands.append(Fraction(int(r.p), int(r.q)) if r.is_Rational else ("root", A, B, D, sgn))
        elif B != 0:
            r = Fraction(-C) / B
            if lo < r < hi:
                cands.append(r)
        for pt in cands:
            s, h = _sign_h(al, be, ga, de, pt)
            if s is None:
                return LogRatioOutcome(None, note=f"sign undecided at {pt}")
            if s == 1:
                wq = pt if isinstance(pt, Fraction) else _rational_near(pt, al, be, ga, de, lo, hi)
                return LogRatioOutcome(False, wq, h)
            if pt != 1 and h is not None and (worst is None or h.b > worst.b):
                worst, worst_q = h, pt
    return LogRatioOutcome(True, h_enclosure=worst, worst_q=worst_q)


def step_marginal_bound(breaks: tuple[Fraction, ...], values: tuple[Fraction, ...],
                        report_largest: bool = False) -> tuple[bool | None, str, dict]:
    """u = values[i] on (breaks[i], breaks[i+1]), v(1) = 0: V ≤ (1 − ln q)·U on (0, 1]?

    (holds, why, {q, V − (1 − ln q)U at q} where it fails — when it holds and `report_largest`, the largest
    D on (0, 1) and where it is attained, as exact expressions).  On piece i, U = A + u_i·q and D(q) = V − (1 − ln q)U =
    q·K_i + A·ln q, K_i = u_i ln b_(i+1) + v(b_(i+1)); D is concave when A ≥ 0.  (D(1) = 0: v(1) = 0.)
    """
    r = len(values)
    vb = [sp.Integer(0)] * (r + 1)       # v at the breakpoints, v(1) = 0: v(t) = ∫_t^1 u(s)/s ds
    for i in range(r - 1, -1, -1):
        vb[i] = vb[i + 1] + (sp.Rational(values[i]) * sp.log(sp.Rational(breaks[i + 1]) / sp.Rational(breaks[i]))
                             if breaks[i] > 0 else 0)
    Ub = [sp.Integer(0)]
    for i in range(r):
        Ub.append(Ub[-1] + sp.Rational(values[i]) * (sp.Rational(breaks[i + 1]) - sp.Rational(breaks[i])))
    largest = None
    for i in range(r):
        lo, hi, ui = sp.Rational(breaks[i]), sp.Rational(breaks[i + 1]), sp.Rational(values[i])
        A = Ub[i] - ui * lo
        K = ui * sp.log(hi) + vb[i + 1]
        pts = [hi] + ([lo] if lo > 0 else [])
        if A > 0 and certified_sign(K) == -1:
            qs = -A / K
            if certified_sign(qs - lo) == 1 and certified_sign(hi - qs) == 1:
                pts.append(qs)
        for x in pts:
            D = x * K + A * sp.log(x)
            s = certified_sign(D)
            if s == 1:
                return False, f"V − (1 − ln q)·U > 0 at q = {x} (piece {i})", {"q": x, "V − (1 − ln q)·U": D}
            if s is None:
                return None, f"sign undecided at q = {x}", {}
            if report_largest and x != 1 and (largest is None or
                                              certified_sign(D - largest["V − (1 − ln q)·U"]) == 1):
                largest = {"q": x, "V − (1 − ln q)·U": D}
    return True, "", largest or {}


def step_marginal_curves(breaks: tuple[Fraction, ...], values: tuple[Fraction, ...], q) -> tuple[sp.Expr, sp.Expr]:
    """(V(q), U(q)) by the definitions, for the step marginal u of `step_marginal_bound`:
    v(t) = ∫_t^1 u(s)/s ds (v(1) = 0), V(q) = ∫_0^q v, U(q) = ∫_0^q u (sympy integration, exact)."""
    t = sp.Symbol("t", positive=True)
    q = sp.sympify(q)
    pieces = [(sp.Rational(a), sp.Rational(b), sp.Rational(c)) for a, b, c in zip(breaks, breaks[1:], values)]
    V, U = sp.Integer(0), sp.Integer(0)
    for i, (a, b, c) in enumerate(pieces):
        if not bool(a < q):
            break
        hi = sp.Min(b, q)
        above = sum((cj * sp.log(bj / aj) for aj, bj, cj in pieces[i + 1:]), sp.Integer(0))
        V += sp.integrate(c * sp.log(b / t) + above, (t, a, hi))       # v(t) on (a, b)
        U += c * (hi - a)
    return sp.simplify(V), sp.simplify(U)


def rational_below(expr, prec: int = 64) -> Fraction:
    """A rational K ≤ expr (a closed-form constant), within about 2^−prec: the lower end of a rigorous
    enclosure, as an exact dyadic Fraction."""
    box = enclose(sp.sympify(expr), prec)
    if box is None:
        raise ValueError(f"cannot enclose {expr} rigorously")
    lo = mpmath.mp.make_mpf(box._mpi_[0])
    man, exp = lo.man_exp
    return Fraction(int(man)) * (Fraction(2) ** int(exp))
