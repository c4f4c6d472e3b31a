"""CMZ-E5 (Lemma E.5): the prices of M_{f^(δ)}, by the line sweep and by sympy, compared exactly.

Route 1 (the mechanism's own): the line z ↦ f^(δ)_1(z⊔τ) cut at the O(n) candidate breakpoints of
`f_delta_breakpoints`, each piece fitted as a + c/z, integrated exactly (`LogLinear`: q + Σ c_p ln p).
Route 2 (independent): f^(δ)_1(z⊔τ) written as a sympy Piecewise straight from Def. E.2 (no
breakpoints supplied) and integrated by sympy (∫_0^y once per τ, evaluated at y = s).
p_1(s⊔τ) = s·f_1(s⊔τ) − ∫_0^s f_1(z⊔τ) dz.

Points: per δ and n, every sorted τ ∈ {0..b}^(n−1) (smallest top bid first) and every own bid
s ∈ {0..b}, with b = B for n = 2 and b = min(B, B3) for n ≥ 3 (sympy's integration is the cost).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator, Sequence

import sympy as sp

from .cmz_mechanisms import f_delta, f_delta_breakpoints
from .cmz_model import D_of_delta, count_sorted_profiles, sorted_profiles_by_max
from .cmz_payments import BASE_PREC, ln_bounds, to_loglinear

__all__ = ["PriceRoutes", "sympy_f_delta_line", "log_enclosure_points", "log_enclosure_values"]

Z = sp.Symbol("z", positive=True)
Y = sp.Symbol("y", positive=True)      # the upper limit, integrated once per line


def sympy_f_delta_line(z, tau: Sequence[int], n: int, D: sp.Rational):
    """f^(δ)_1(z⊔τ) as a sympy Piecewise written from Def. E.2 (z placed after equal bids)."""
    t = sorted(tau, reverse=True)
    branches = []
    for rank in range(n):
        lo_ok = sp.true if rank == n - 1 else z > t[rank]
        hi_ok = sp.true if rank == 0 else z <= t[rank - 1]
        v = t[:rank] + [z] + t[rank:]
        inner = []
        for k in range(1, n + 1):
            Sk = sum(v[:k])
            cond = sp.true if k == n else sp.Le(v[k] * (k + D), Sk)
            val = (sp.Rational(1, n) * (n + D) / (k + D) * (z * (k + D) - Sk) / (z * D)) if rank < k else sp.Integer(0)
            inner.append((val, cond))
        branches.append((sp.Piecewise(*inner), sp.And(lo_ok, hi_ok)))
    return sp.Piecewise(*branches)


def _rational(q: Fraction) -> sp.Rational:
    return sp.Rational(q.numerator, q.denominator)


@dataclass
class PriceRoutes:
    """Lemma E.5 on a bounded domain: both routes give the same exact price at every point."""

    _lines: dict = field(default_factory=dict, repr=False)

    @staticmethod
    def bids(n: int, B: int, B3: int) -> int:
        return B if n == 2 else min(B, B3)

    def points(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction], B3: int) -> Iterator[dict]:
        for d in deltas:
            for n in ns:
                b = self.bids(n, B, B3)
                for tau in sorted_profiles_by_max(n - 1, b):
                    for s in range(b + 1):
                        yield {"delta": d, "n": n, "B": b, "tau": tau, "bid": s}

    def count(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction], B3: int) -> int:
        return len(deltas) * sum(count_sorted_profiles(n - 1, self.bids(n, B, B3)) * (self.bids(n, B, B3) + 1)
                                 for n in ns)

    def _line(self, d, n, B, tau):
        key = (d, n, B, tau)
        if key not in self._lines:
            mech = f_delta(n, B, d)
            D = _rational(D_of_delta(d))
            fz = sympy_f_delta_line(Z, tau, n, D)
            self._lines = {key: (mech.line(0, tau), fz, sp.integrate(fz, (Z, 0, Y)))}
        return self._lines[key]

    def prices(self, p: dict) -> tuple:
        """(line-sweep price, sympy price) of player 1 at the point, as sympy numbers.

        sympy integrates the line once per τ with a symbolic upper limit y (the same definite
        integral ∫_0^y, evaluated at y = s); where that does not come out as a plain number at
        y = s (an unevaluated integral or condition), sympy integrates ∫_0^s itself."""
        line, fz, upto = self._line(p["delta"], p["n"], p["B"], p["tau"])
        s = p["bid"]
        fs, price = line[s]
        integral = sp.Integer(0)
        if s:
            integral = upto.subs(Y, s).doit()
            if integral.free_symbols or integral.has(sp.Integral, sp.Piecewise):
                integral = sp.integrate(fz, (Z, 0, s))
        return to_loglinear(price).sympy(), _rational(fs) * s - integral

    def pieces(self, p: dict) -> int:
        """How many pieces the sweep cut the line into (at most 3(n − 1) + 2)."""
        return len(f_delta_breakpoints(p["tau"], D_of_delta(p["delta"]))) + 1


def log_enclosure_points(primes_upto: int, doublings: int = 3) -> Iterator[dict]:
    """The enclosures every exact sign of a price rests on: each prime p ≤ primes_upto at the
    precisions exact_sign tries first (BASE_PREC, 2·BASE_PREC, …)."""
    for p in sp.primerange(2, primes_upto + 1):
        for k in range(doublings):
            yield {"p": int(p), "prec": BASE_PREC << k}


def log_enclosure_values(point: dict) -> tuple:
    """(L, 2^prec·ln p as sympy, U) for `ln_bounds(p, prec)` = (L, U): L ≤ 2^prec·ln p ≤ U is what
    the enclosure promises (decided by the caller with a certified sign), U − L ≤ 2 its width."""
    L, U = ln_bounds(point["p"], point["prec"])
    return sp.Integer(L), sp.Integer(2) ** point["prec"] * sp.log(point["p"]), sp.Integer(U)
