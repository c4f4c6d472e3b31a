"""Certified maxima of one-variable functions on a compact interval (mpmath.iv branch and bound).

`certified_maximum(f, lo, hi, tol)` takes an interval extension `f` (an mpmath
iv interval in, an iv interval out, rigorous: it must contain every value of
the function on the input box) and returns a `MaximumEnclosure`: a rational
point x* with a certified lower bound f(x*) ≥ lower, and a certified upper
bound on the whole interval, with upper − lower ≤ tol (or `converged=False`
when the box budget ran out).  Boxes are split at exact rational midpoints.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import mpmath

__all__ = ["MaximumEnclosure", "certified_maximum", "iv_point", "iv_box"]

iv = mpmath.iv


def _mpf(x):
    """A plain mpf from an iv endpoint (ivmpf degenerate interval) or an mpf."""
    raw = getattr(x, "_mpi_", None)
    return mpmath.mp.make_mpf(raw[0]) if raw is not None else mpmath.mpf(x)


def iv_point(x: Fraction):
    """A rigorous enclosure of the rational x."""
    return iv.mpf(x.numerator) / x.denominator


def iv_box(lo: Fraction, hi: Fraction):
    a, b = iv_point(lo), iv_point(hi)
    return iv.mpf([a.a, b.b])


@dataclass(frozen=True)
class MaximumEnclosure:
    lower: object            # mpf: f(argmax_point) ≥ lower (certified)
    upper: object            # mpf: f ≤ upper on [lo, hi] (certified)
    argmax_point: Fraction   # a rational point attaining ≥ lower
    argmax_box: tuple[Fraction, Fraction]  # the box with the largest remaining upper bound
    boxes: int
    converged: bool


def certified_maximum(f: Callable, lo: Fraction, hi: Fraction, tol: Fraction = Fraction(1, 10 ** 6),
                      max_boxes: int = 200_000, prec: int = 80,
                      stop_if_upper_below=None, stop_if_lower_above=None, df: Callable | None = None
                      ) -> MaximumEnclosure:
    """Branch and bound for max f on [lo, hi]; optional early stops once a threshold is decided.

    `df`, when given, is an interval extension of f' used for the centred
    (mean-value) form f(X) ⊆ f(m) + f'(X)·(X − m), which is much tighter on small boxes.
    """
    if not lo < hi:
        raise ValueError(f"empty interval [{lo}, {hi}]")
    saved = iv.prec
    iv.prec = prec
    try:
        def point_lower(p: Fraction):
            return f(iv_point(p)).a

        best_p = (lo + hi) / 2
        best = point_lower(best_p)
        for p in (lo, hi):
            val = point_lower(p)
            if val > best:
                best, best_p = val, p
        def box_upper(l: Fraction, r: Fraction):
            box = iv_box(l, r)
            u = f(box).b
            if df is not None:
                m = (l + r) / 2
                centred = f(iv_point(m)) + df(box) * (box - iv_point(m))
                if centred.b < u:
                    u = centred.b
            return u

        heap = [(-box_upper(lo, hi), lo, hi)]
        boxes = 1
        tol_m = mpmath.mpf(tol.numerator) / tol.denominator
        while heap:
            neg_up, a, b = heap[0]
            up = -neg_up
            if stop_if_upper_below is not None and up < stop_if_upper_below:
                break
            if stop_if_lower_above is not None and best > stop_if_lower_above:
                break
            if up - best <= tol_m or boxes >= max_boxes:
                break
            heapq.heappop(heap)
            mid = (a + b) / 2
            val = point_lower(mid)
            if val > best:
                best, best_p = val, mid
            for l, r in ((a, mid), (mid, b)):
                u = box_upper(l, r)
                boxes += 1
                if u >= best:
                    heapq.heappush(heap, (-u, l, r))
        if heap:
            neg_up, a, b = heap[0]
            upper = max(-neg_up, best)
            box = (a, b)
        else:
            upper, box = best, (best_p, best_p)
        converged = upper - best <= tol_m
        return MaximumEnclosure(_mpf(best), _mpf(upper), best_p, box, boxes, converged)
    finally:
        iv.prec = saved
