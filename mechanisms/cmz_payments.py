"""Exact M_f payments (CMZ-MF, CMZ-E5): p_i(v) = v_i·f_i(v) − ∫_0^{v_i} f_i(z⊔v_−i) dz over REAL z.

On each piece of z ↦ f_i(z⊔v_−i) the allocation is a + b·z + c/z (f^(δ): b = 0;
a grid rule extended piecewise-linearly: c = 0), so every payment is a
`LogLinear` number q + Σ_p c_p·ln p (p prime, q and c_p rational).  Signs are
decided exactly: such a number is 0 iff q = 0 and every c_p = 0 (logs of primes
are Q-linearly independent; e^q is transcendental for rational q ≠ 0 by
Lindemann), otherwise rigorous integer enclosures of ln p are refined until the
sign is certain.  No float is ever used.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Iterable, Sequence, Union

from .errors import ModelError
from .exact import UsageError

__all__ = [
    "LogLinear", "Exact", "exact_sign", "exact_floor", "exact_ceil", "ln_bounds", "Piece",
    "integrate_pieces", "cumulative_integrals", "fit_inverse_pieces", "grid_linear_pieces",
    "BASE_PREC", "enclosure", "to_loglinear",
]

BASE_PREC = 64          # bits of the first enclosure tried


# ---------------------------------------------------------------- primes and logs
@lru_cache(maxsize=None)
def _factor(m: int) -> tuple[tuple[int, int], ...]:
    """Prime factorisation of m ≥ 1 by trial division (cached)."""
    if m < 1:
        raise UsageError(f"cannot factor {m}")
    out = []
    p = 2
    while p * p <= m:
        if m % p == 0:
            e = 0
            while m % p == 0:
                m //= p
                e += 1
            out.append((p, e))
        p += 1 if p == 2 else 2
    if m > 1:
        out.append((m, 1))
    return tuple(out)


@lru_cache(maxsize=4096)
def _exponents_cached(num: int, den: int) -> tuple[tuple[int, int], ...]:
    acc: dict[int, int] = {}
    for p, e in _factor(num):
        acc[p] = acc.get(p, 0) + e
    for p, e in _factor(den):
        acc[p] = acc.get(p, 0) - e
    return tuple(acc.items())


def _exponents(r: Fraction) -> dict[int, int]:
    """Prime exponents of a rational r > 0."""
    return dict(_exponents_cached(r.numerator, r.denominator))


def _atanh_sum_bounds(a: int, b: int, scale_bits: int) -> tuple[int, int]:
    """Integers lo ≤ 2^scale_bits·atanh(a/b) ≤ hi for 0 ≤ a/b ≤ 1/3 (series, rigorous)."""
    if a == 0:
        return 0, 0
    T = 1 << scale_bits
    total = 0
    terms = 0
    j = 0
    num, den = a, b          # x^(2j+1)
    while True:
        term = (T * num) // (den * (2 * j + 1))
        total += term
        terms += 1
        j += 1
        num *= a * a
        den *= b * b
        # tail Σ_{k≥j} x^(2k+1)/(2k+1) ≤ x^(2j+1)/((2j+1)(1−x²)) ≤ (9/8)·x^(2j+1)/(2j+1)
        tail = (9 * T * num) // (8 * den * (2 * j + 1)) + 1
        if tail <= 2:
            break
    return total, total + terms + tail


@lru_cache(maxsize=None)
def ln_bounds(p: int, prec: int) -> tuple[int, int]:
    """Integers (L, U) with L ≤ 2^prec·ln p ≤ U, U − L small (p ≥ 2)."""
    guard = prec + 16
    # ln 2 = 2·atanh(1/3)
    l2lo, l2hi = _atanh_sum_bounds(1, 3, guard)
    l2lo, l2hi = 2 * l2lo, 2 * l2hi
    k = p.bit_length() - 1            # 2^k ≤ p < 2^(k+1)
    m_num, m_den = p - (1 << k), p + (1 << k)   # atanh((p/2^k − 1)/(p/2^k + 1))
    rlo, rhi = _atanh_sum_bounds(m_num, m_den, guard)
    lo = k * l2lo + 2 * rlo
    hi = k * l2hi + 2 * rhi
    return lo >> 16, -((-hi) >> 16)


# ---------------------------------------------------------------- the number type
class LogLinear:
    """An exact real q + Σ c_p·ln p (p prime); immutable.  CMZ-E5 payments live here."""

    __slots__ = ("q", "logs", "_enc")

    def __init__(self, q: Fraction, logs: tuple[tuple[int, Fraction], ...] = ()):
        self.q = q
        self.logs = logs
        self._enc = None

    @staticmethod
    def rational(q) -> "LogLinear":
        return LogLinear(Fraction(q))

    @staticmethod
    def log(r) -> "LogLinear":
        """ln r for a rational r > 0."""
        r = Fraction(r)
        if r <= 0:
            raise UsageError(f"ln of non-positive {r}")
        return LogLinear(Fraction(0), tuple(sorted((p, Fraction(c)) for p, c in _exponents(r).items() if c)))

    def _combine(self, other: "LogLinear", sign: int) -> "LogLinear":
        if not other.logs:
            return LogLinear(self.q + sign * other.q, self.logs)
        if not self.logs:       # the canonical logs of ±other (sorted, non-zero): no merge needed
            return LogLinear(self.q + sign * other.q,
                             other.logs if sign == 1 else tuple((p, -c) for p, c in other.logs))
        acc = dict(self.logs)
        for p, c in other.logs:
            acc[p] = acc.get(p, 0) + sign * c
        return LogLinear(self.q + sign * other.q, tuple(sorted((p, c) for p, c in acc.items() if c)))

    def __add__(self, other):
        return self._combine(to_loglinear(other), 1)

    __radd__ = __add__

    def __sub__(self, other):
        return self._combine(to_loglinear(other), -1)

    def __rsub__(self, other):
        return to_loglinear(other)._combine(self, -1)

    def __neg__(self):
        return LogLinear(-self.q, tuple((p, -c) for p, c in self.logs))

    def scale(self, k) -> "LogLinear":
        k = Fraction(k)
        if k == 0:
            return LogLinear(Fraction(0))
        return LogLinear(self.q * k, tuple((p, c * k) for p, c in self.logs))

    def __mul__(self, k):
        if isinstance(k, LogLinear):
            if not k.logs:
                return self.scale(k.q)
            if not self.logs:
                return k.scale(self.q)
            raise UsageError("product of two logarithmic numbers is not log-linear")
        return self.scale(k)

    __rmul__ = __mul__

    def __truediv__(self, k):
        if isinstance(k, LogLinear):
            if k.logs:
                raise UsageError("quotient by a logarithmic number is not log-linear")
            k = k.q
        k = Fraction(k)
        if k == 0:
            raise ZeroDivisionError("LogLinear division by zero")
        return self.scale(1 / k)

    def is_rational(self) -> bool:
        return not self.logs

    def __eq__(self, other) -> bool:
        try:
            o = to_loglinear(other)
        except ModelError:
            return NotImplemented
        return self.q == o.q and self.logs == o.logs

    def __hash__(self) -> int:
        return hash((self.q, self.logs))

    # order: decided exactly by the sign of the difference (exact_sign), so `<`, `max` and `sorted`
    # work on payments given as LogLinear numbers beside Fractions
    def _cmp(self, other) -> int:
        try:
            o = to_loglinear(other)
        except ModelError:
            return NotImplemented
        return exact_sign(self._combine(o, -1))

    def __lt__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else c < 0

    def __le__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else c <= 0

    def __gt__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else c > 0

    def __ge__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else c >= 0

    def sympy(self):
        """The same number as a sympy expression (for cross-checks and reports)."""
        import sympy as sp
        return sp.Rational(self.q.numerator, self.q.denominator) + sum(
            (sp.Rational(c.numerator, c.denominator) * sp.log(p) for p, c in self.logs), sp.Integer(0))

    def __repr__(self) -> str:
        parts = [str(self.q)] if self.q or not self.logs else []
        parts += [f"({c})·ln{p}" for p, c in self.logs]
        return " + ".join(parts)

    __str__ = __repr__


Exact = Union[Fraction, int, LogLinear]


def to_loglinear(x) -> LogLinear:
    if isinstance(x, LogLinear):
        return x
    if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
        return LogLinear(Fraction(x))
    raise ModelError(f"{x!r} is not an exact rational or log-linear number (payments must be exact)")


def enclosure(x: Exact, prec: int = BASE_PREC) -> tuple[int, int]:
    """Integers (lo, hi) with lo ≤ 2^prec·x ≤ hi (rigorous)."""
    if not isinstance(x, LogLinear):
        x = Fraction(x)
        v = x * (1 << prec)
        return math.floor(v), math.ceil(v)
    if prec == BASE_PREC and x._enc is not None:
        return x._enc
    # integer floor/ceil of q·2^prec and of c·L, c·U (the same values as through Fractions)
    num, den = x.q.numerator, x.q.denominator
    lo, hi = (num << prec) // den, -((-num << prec) // den)
    for p, c in x.logs:
        L, U = ln_bounds(p, prec)
        cn, cd = c.numerator, c.denominator
        a, b = (cn * L, cn * U) if cn > 0 else (cn * U, cn * L)
        lo += a // cd
        hi += -((-b) // cd)
    if prec == BASE_PREC:
        x._enc = (lo, hi)
    return lo, hi


def exact_sign(x: Exact) -> int:
    """Sign (−1, 0, 1) of an exact number, decided exactly (see module docstring)."""
    if not isinstance(x, LogLinear):
        return (x > 0) - (x < 0)
    if not x.logs:
        return (x.q > 0) - (x.q < 0)
    prec = BASE_PREC
    while True:       # terminates: x ≠ 0 here (Lindemann), so a fine enough enclosure excludes 0
        lo, hi = enclosure(x, prec)
        if lo > 0:
            return 1
        if hi < 0:
            return -1
        prec *= 2


def exact_floor(x: Exact) -> int:
    """⌊x⌋ exactly."""
    if not isinstance(x, LogLinear) or not x.logs:
        return math.floor(x.q if isinstance(x, LogLinear) else Fraction(x))
    lo, hi = enclosure(x)
    a, b = lo >> BASE_PREC, hi >> BASE_PREC          # floors of the enclosure ends
    if a == b:
        return a
    for m in range(b, a, -1):                          # largest m with x ≥ m
        if exact_sign(x - m) >= 0:
            return m
    return a


def exact_ceil(x: Exact) -> int:
    """⌈x⌉ exactly."""
    return -exact_floor(-to_loglinear(x) if isinstance(x, LogLinear) else -Fraction(x))


# ---------------------------------------------------------------- pieces and integrals
@dataclass(frozen=True)
class Piece:
    """On the open interval (lo, hi): f(z) = a + b·z + c/z (CMZ-MF integrand; c ≠ 0 needs lo > 0)."""

    lo: Fraction
    hi: Fraction
    a: Fraction
    b: Fraction = Fraction(0)
    c: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        if not self.lo < self.hi:
            raise UsageError(f"piece ({self.lo}, {self.hi}) is empty")
        if self.c != 0 and self.lo <= 0:
            raise UsageError(f"piece ({self.lo}, {self.hi}) has a c/z term reaching z = 0: integral diverges")

    def value(self, z: Fraction) -> Fraction:
        return self.a + self.b * z + (self.c / z if self.c else 0)

    def rational_integral(self, x: Fraction, y: Fraction) -> Fraction:
        """∫_x^y (a + b·z) dz: the rational part of the integral."""
        return self.a * (y - x) + self.b * (y * y - x * x) / 2 if self.b else self.a * (y - x)


def _check_cover(pieces: Sequence[Piece], upto: Fraction) -> None:
    at = Fraction(0)
    for p in pieces:
        if p.lo != at:
            raise UsageError(f"pieces leave a gap or overlap at z = {at} (next piece starts at {p.lo})")
        at = p.hi
    if at < upto:
        raise UsageError(f"pieces stop at z = {at} < {upto}")


def integrate_pieces(pieces: Sequence[Piece], upto) -> LogLinear:
    """∫_0^upto of the piecewise function, exactly."""
    return cumulative_integrals(pieces, [Fraction(upto)])[0]


def cumulative_integrals(pieces: Sequence[Piece], points: Iterable) -> list[LogLinear]:
    """∫_0^x for each x in `points` (non-decreasing), sweeping the pieces once (CMZ-E5)."""
    pts = [Fraction(x) for x in points]
    if pts and pts[-1] > 0:
        _check_cover(pieces, pts[-1])
    out: list[LogLinear] = []
    q = Fraction(0)                  # the running integral q + Σ c_p ln p, summed in place
    logs: dict[int, Fraction] = {}   # over the finished pieces
    acc = LogLinear(q)
    at = Fraction(0)
    k = 0
    # a c/z term's logarithms telescope: ∫_lo^y c/z = c·(ln y − ln lo), so the prime exponents
    # of lo and of each point y are factored once (ints of the grid are cached), never a ratio;
    # `base` = the finished pieces' logs − c·ln lo of the piece the sweep is in
    base: dict[int, Fraction] | None = None
    for x in pts:
        if x < at:
            raise UsageError("integration points must be non-decreasing")
        if at < x:
            inside = None                            # the unfinished piece x lies in, if it has c/z
            while at < x:
                p = pieces[k]
                top = min(p.hi, x)
                if at == p.lo:
                    base = None                      # a new piece: its base is built on demand
                q += p.rational_integral(at, top)
                at = top
                if at == p.hi:
                    if p.c:
                        for prime, c in _log_terms(p.hi, p.lo, p.c):
                            logs[prime] = logs.get(prime, 0) + c
                    base = None
                    k += 1
                elif p.c:
                    inside = p
            if inside is None:
                merged = logs
            else:
                if base is None:
                    base = dict(logs)
                    for prime, e in _exponents(inside.lo).items():
                        base[prime] = base.get(prime, 0) - inside.c * e
                merged = dict(base)
                for prime, e in _exponents(x).items():
                    merged[prime] = merged.get(prime, 0) + inside.c * e
            # canonical form (sorted primes, non-zero coefficients), as LogLinear's own sums give
            acc = LogLinear(q, tuple(sorted((prime, c) for prime, c in merged.items() if c)))
        out.append(acc)
    return out


def _log_terms(y: Fraction, lo: Fraction, c: Fraction) -> list[tuple[int, Fraction]]:
    """c·ln(y/lo) as (prime, coefficient) terms (ln y − ln lo from the exponents of each)."""
    acc = _exponents(y)
    for p, e in _exponents(lo).items():
        acc[p] = acc.get(p, 0) - e
    return [(p, c * e) for p, e in acc.items() if e]


def fit_inverse_pieces(breaks: Iterable, upto, value: Callable[[Fraction], Fraction]) -> list[Piece]:
    """Pieces a + c/z between consecutive `breaks` on [0, upto], fitted exactly from `value`.

    `value(z)` is the allocation at a rational z; each piece is fitted from two interior
    points and re-checked at a third (ModelError if the allocation is not of that form there).
    """
    upto = Fraction(upto)
    pts = sorted({Fraction(0), upto} | {Fraction(x) for x in breaks if 0 < Fraction(x) < upto})
    pieces = []
    for lo, hi in zip(pts, pts[1:]):
        w = hi - lo
        z1, z2, z3 = lo + w / 4, lo + w / 2, lo + 3 * w / 4
        f1, f2, f3 = value(z1), value(z2), value(z3)
        if f1 == f2 == f3:
            a, c = f1, Fraction(0)
        else:
            c = (f1 - f2) / (1 / z1 - 1 / z2)
            a = f1 - c / z1
        if a + c / z3 != f3:
            raise ModelError(f"allocation is not of the form a + c/z on ({lo}, {hi})")
        if c and lo == 0:
            raise ModelError(f"allocation has a c/z term on (0, {hi}): its payment integral diverges")
        pieces.append(Piece(lo, hi, a, Fraction(0), c))
    return pieces


def grid_linear_pieces(grid_values: Sequence[Fraction]) -> list[Piece]:
    """Pieces of the piecewise-linear extension of values at z = 0, 1, …, B (integral rational)."""
    out = []
    for k in range(len(grid_values) - 1):
        f0, f1 = Fraction(grid_values[k]), Fraction(grid_values[k + 1])
        slope = f1 - f0
        out.append(Piece(Fraction(k), Fraction(k + 1), f0 - slope * k, slope, Fraction(0)))
    return out
