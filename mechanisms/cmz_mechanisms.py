"""Single-good mechanisms of CMZ (paper 000), exact.

A `Mechanism` maps a bid profile v ∈ {0,…,B}^n to expected allocations f_i(v)
(rational) and expected payments p_i(v) (rational or `LogLinear`).  Utility of a
player with true value t: u_i = t·f_i(v) − p_i(v).

Readings chosen (docs/cmz.md):
- second price: highest bid wins; ties among the highest bidders are broken
  uniformly at random; the winner pays the second-highest bid (= the top bid on a
  tie).  The good is always allocated, also when every bid is 0.
- f^(δ) (CMZ-F, Def. E.2): n* = smallest k ∈ {1..n} with v_(k+1)·(k+D) ≤ S_k;
  at the all-zero profile (where the paper's formula is 0/0) f = 0; ties are
  handled by the symmetric extension (a tie never straddles the winner boundary
  except at v = 0; CMZ-F checks this).
- M_f: payments v_i f_i(v) − ∫_0^{v_i} f_i(z⊔v_−i) dz over real z (cmz_payments).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from math import gcd
from typing import Callable, Optional, Sequence

from .cmz_model import D_of_delta, check_B, check_n
from .cmz_payments import (Exact, LogLinear, Piece, cumulative_integrals, fit_inverse_pieces,
                           grid_linear_pieces)
from .errors import ModelError
from .exact import UsageError, as_rational, check_delta

__all__ = [
    "Mechanism", "second_price", "first_price", "random_assignment", "f_delta_allocation",
    "f_delta_winners", "f_delta_breakpoints", "f_delta", "m_f", "m_f_grid_linear",
    "insert_bid", "feasibility_violation", "f_delta_allocation_scaled", "allocation_mechanism", "validated_allocation",
]

Allocation = Callable[[tuple], tuple]
Line = list  # [(f_i(s⊔τ), p_i(s⊔τ)) for s = 0..B]


def _sub_probability(f) -> bool:
    """Each f_i ∈ [0, 1] and Σ f_i ≤ 1.  Fractions are read as integers over a common denominator
    (the same comparisons, without building Fractions); anything else is compared as it is."""
    if all(type(x) is Fraction for x in f):
        L = 1
        for x in f:
            L = L * x.denominator // gcd(L, x.denominator)
        nums = [x.numerator * (L // x.denominator) for x in f]
        return all(0 <= m <= L for m in nums) and sum(nums) <= L
    return not (any(not 0 <= x <= 1 for x in f) or sum(f) > 1)


def validated_allocation(name: str, allocation: Allocation) -> Allocation:
    """`allocation`, checked at every call: a value outside [0, 1] or a total above the single
    good is a `ModelError` (the mechanism misbehaves on a valid bid profile)."""
    if getattr(allocation, "validated", False):
        return allocation

    def checked(v):
        f = allocation(v)
        if not _sub_probability(f):
            raise ModelError(f"{name}: allocation ({', '.join(map(str, f))}) at bids {tuple(v)} is not a "
                             "sub-probability vector (each in [0, 1], total at most the one good)")
        return f

    checked.validated = True
    checked.__wrapped__ = allocation
    return checked


def insert_bid(i: int, s, tau: Sequence) -> tuple:
    """The profile s⊔τ with s in position i."""
    return tuple(tau[:i]) + (s,) + tuple(tau[i:])


@dataclass(frozen=True)
class Mechanism:
    """A direct single-good mechanism on {0,…,B}^n, by expected allocation and payment.

    `symmetric=True` declares anonymity (f_i(v) and p_i(v) depend on v_−i only as a
    multiset and the same for every i); checks then enumerate sorted τ only.
    `line(i, τ)` may be supplied for speed (M_f computes it by one sweep).
    """

    name: str
    n: int
    B: int
    allocation: Allocation
    payment: Callable[[tuple], tuple]
    symmetric: bool = False
    line_fn: Optional[Callable[[int, tuple], Line]] = field(default=None, compare=False)

    def __post_init__(self) -> None:
        check_n(self.n)
        check_B(self.B)
        object.__setattr__(self, "allocation", validated_allocation(self.name, self.allocation))

    def outcome(self, v: Sequence[int]) -> tuple[tuple, tuple]:
        v = tuple(v)
        if len(v) != self.n:
            raise UsageError(f"{self.name}: profile {v} has {len(v)} bids, expected n = {self.n}")
        return self.allocation(v), self.payment(v)

    def utility(self, i: int, t, v: Sequence[int]) -> Exact:
        f, p = self.outcome(v)
        return t * f[i] - p[i]

    def line(self, i: int, tau: Sequence[int]) -> Line:
        """[(f_i, p_i) at s⊔τ for s = 0..B]."""
        tau = tuple(tau)
        if self.line_fn is not None:
            return self.line_fn(i, tau)
        out = []
        for s in range(self.B + 1):
            f, p = self.outcome(insert_bid(i, s, tau))
            out.append((f[i], p[i]))
        return out

    def profiles(self):
        return product(range(self.B + 1), repeat=self.n)


# ---------------------------------------------------------------- concrete mechanisms
def _sp_allocation(v: tuple) -> tuple:
    top = max(v)
    k = sum(1 for x in v if x == top)
    return tuple(Fraction(1, k) if x == top else Fraction(0) for x in v)


def _sp_payment(v: tuple) -> tuple:
    top = max(v)
    k = sum(1 for x in v if x == top)
    second = top if k > 1 else max(x for x in v if x != top) if len(v) > 1 else 0
    return tuple(Fraction(second, k) if x == top else Fraction(0) for x in v)


def _sp_line(B: int):
    """Player i's line against τ in closed form: below m = max τ nothing; at m a share 1/(k+1) of the
    good at price m (k others bid m); above m the good at price m.  The same numbers as
    `_sp_allocation`/`_sp_payment` at each s⊔τ (tests/test_cmz_mechanisms.py), without building
    the profiles."""
    zero = (Fraction(0), Fraction(0))

    def line(i: int, tau: tuple) -> Line:
        m = max(tau)
        k = sum(1 for x in tau if x == m)
        at = (Fraction(1, k + 1), Fraction(m, k + 1))
        above = (Fraction(1), Fraction(m))
        return [zero if s < m else at if s == m else above for s in range(B + 1)]
    return line


def second_price(n: int, B: int) -> Mechanism:
    """Second price, uniform random tie-breaking among the highest bids (CMZ Thm 2)."""
    return Mechanism("second price (uniform ties)", n, B, _sp_allocation, _sp_payment, symmetric=True,
                     line_fn=_sp_line(B))


def first_price(n: int, B: int) -> Mechanism:
    """First price (winner pays own bid), uniform ties: a planted-bug stand-in for second price."""
    def pay(v):
        f = _sp_allocation(v)
        return tuple(fi * x for fi, x in zip(f, v))
    return Mechanism("first price (uniform ties)", n, B, _sp_allocation, pay, symmetric=True)


def random_assignment(n: int, B: int) -> Mechanism:
    """Each player wins w.p. 1/n, nobody pays (CMZ Thm 1's 1/n mechanism)."""
    return Mechanism("random assignment", n, B, lambda v: (Fraction(1, len(v)),) * len(v),
                     lambda v: (Fraction(0),) * len(v), symmetric=True)


def allocation_mechanism(name: str, n: int, B: int, allocation: Allocation, symmetric: bool = False) -> Mechanism:
    """A mechanism with the given allocation and zero payments (for feasibility/monotonicity checks)."""
    return Mechanism(name, n, B, allocation, lambda v: (Fraction(0),) * len(v), symmetric)


# ---------------------------------------------------------------- f^(δ)  (CMZ-F, Def. E.2)
def _pick_nstar(candidates: list[int], nstar_rule: str) -> int:
    """n* among the indices satisfying Def. E.2's condition: the smallest (the paper), or the
    largest (`"largest"`, a planted bug)."""
    if nstar_rule == "smallest":
        return candidates[0]
    if nstar_rule == "largest":
        return candidates[-1]
    raise UsageError(f"unknown n* rule {nstar_rule!r}")


def f_delta_winners(v: Sequence, D: Fraction, nstar_rule: str = "smallest") -> tuple[int, tuple[int, ...], Fraction]:
    """(n*, winner indices, S) for profile v by Def. E.2 (n* over {1..n}).

    `nstar_rule="largest"` is a planted bug (largest index satisfying the condition).
    """
    n = len(v)
    order = sorted(range(n), key=lambda j: (-v[j], j))
    sv = [v[j] for j in order]
    prefix = [Fraction(0)]
    for x in sv:
        prefix.append(prefix[-1] + x)
    ok = [k for k in range(1, n + 1) if k == n or sv[k] * (k + D) <= prefix[k]]
    k = _pick_nstar(ok, nstar_rule)
    return k, tuple(order[:k]), prefix[k]


def f_delta_allocation(v: Sequence, delta, *, D: Optional[Fraction] = None,
                       nstar_rule: str = "smallest") -> tuple[Fraction, ...]:
    """f^(δ)(v) of CMZ Def. E.2 / Eq. (E.7), exact; v rational ≥ 0 (reals in the paper).

    f_i = (1/n)·((n+D)/(n*+D))·(v_i(n*+D) − S)/(v_i·D) for winners, 0 for losers;
    f = 0 at the all-zero profile (paper: 0/0).  `D` overrides D(δ) (planted bugs only).
    """
    n = len(v)
    if D is None:
        D = D_of_delta(delta)
    if all(type(x) is int for x in v):
        return _f_delta_integer_bids(v, D if type(D) is Fraction else Fraction(D), nstar_rule)
    v = tuple(as_rational(x, "bid") for x in v)
    if any(x < 0 for x in v):
        raise UsageError(f"f^(δ): negative bid in {v}")
    if all(x == 0 for x in v):
        return (Fraction(0),) * n
    k, winners, S = f_delta_winners(v, D, nstar_rule)
    out = [Fraction(0)] * n
    coef = Fraction(1, n) * (n + D) / (k + D)
    for j in winners:
        if v[j] == 0:
            continue            # only reachable under a planted n* rule; 0/0 there too
        out[j] = coef * (v[j] * (k + D) - S) / (v[j] * D)
    return tuple(out)


def _f_delta_integer_bids(v: tuple, D: Fraction, nstar_rule: str, only: Optional[int] = None) -> tuple[Fraction, ...]:
    """f_delta_allocation for integer bids in integer arithmetic (D = p/q): same formula, faster.
    With `only = i` just f_i is computed (the others are returned as 0: for callers reading one entry)."""
    n = len(v)
    if min(v) < 0:
        raise UsageError(f"f^(δ): negative bid in {v}")
    p, q = D.numerator, D.denominator
    # descending bids, ties by index (a stable sort keeps equal keys in index order under reverse)
    order = sorted(range(n), key=v.__getitem__, reverse=True)
    sv = [v[j] for j in order]
    if sv[0] == 0:
        return (Fraction(0),) * n
    prefix = [0]
    for x in sv:
        prefix.append(prefix[-1] + x)
    if nstar_rule == "smallest":
        k = next(k for k in range(1, n + 1) if k == n or sv[k] * (k * q + p) <= prefix[k] * q)
    else:
        k = _pick_nstar([k for k in range(1, n + 1) if k == n or sv[k] * (k * q + p) <= prefix[k] * q], nstar_rule)
    S = prefix[k]
    out = [Fraction(0)] * n
    top = n * q + p
    kq = k * q + p
    for j in order[:k]:
        if v[j] == 0 or (only is not None and j != only):
            continue
        # (1/n)·((n+D)/(k+D))·(v_j(k+D) − S)/(v_j D) with D = p/q
        out[j] = Fraction(top * (v[j] * kq - S * q), n * kq * v[j] * p)
    return tuple(out)


def f_delta_allocation_scaled(v: Sequence, D: Fraction, nstar_rule: str = "smallest",
                              only: Optional[int] = None) -> tuple[Fraction, ...]:
    """f_delta_allocation(v, ·, D=D) for rational bids v ≥ 0, by the integer route.

    f^(δ) is homogeneous of degree 0 in v: the n* condition v_(k+1)(k+D) ≤ S_k and each
    (v_i(n*+D) − S)/(v_i D) compare or divide terms of degree 1, and the order of the bids is
    kept, so f(v) = f(L·v) for L > 0; with L the common denominator L·v is an integer profile.
    Used where pieces are fitted (fit_inverse_pieces); the plain Fraction formula stays the
    definition that evaluations at real z use.
    """
    L = 1
    for x in v:
        den = x.denominator
        if den != 1:
            L = L * den // gcd(L, den)
    w = tuple(int(x) if L == 1 else x.numerator * (L // x.denominator) for x in v)
    return _f_delta_integer_bids(w, D if type(D) is Fraction else Fraction(D), nstar_rule, only)


def f_delta_breakpoints(tau: Sequence, D: Fraction) -> set[Fraction]:
    """Every z where the structure of f^(δ)(z⊔τ) can change (CMZ-E5 line sweep).

    Each condition v_(k+1)(k+D) ≤ S_k is linear in z on each ordering of z among τ:
    z in the top k gives z = t_k(k+D) − T_(k−1); otherwise z = T_k/(k+D); plus the t_j.
    """
    t = sorted((Fraction(x) for x in tau), reverse=True)
    m = len(t)
    T = [Fraction(0)]
    for x in t:
        T.append(T[-1] + x)
    out = set(t)
    for k in range(1, m + 1):
        out.add(t[k - 1] * (k + D) - T[k - 1])
        out.add(T[k] / (k + D))
    if m >= 1:
        out.add(T[0] / (1 + D))
    return out


def f_delta(n: int, B: int, delta, *, D: Optional[Fraction] = None, nstar_rule: str = "smallest",
            name: Optional[str] = None) -> Mechanism:
    """M_{f^(δ)}: f^(δ) with its exact M_f payments (CMZ Thm 4, Def. E.2, Lemma E.5)."""
    d = check_delta(delta)
    Dv = D_of_delta(d) if D is None else Fraction(D)

    def alloc(v):
        return f_delta_allocation(v, d, D=Dv, nstar_rule=nstar_rule)

    def pieces(i, tau):
        return fit_inverse_pieces(f_delta_breakpoints(tau, Dv), B,
                                  lambda z: f_delta_allocation_scaled(insert_bid(i, z, tau), Dv, nstar_rule, i)[i])

    label = name or f"M_f^(δ) (δ={d}{'' if D is None else f', D={Dv}'}{'' if nstar_rule == 'smallest' else ', n*=' + nstar_rule})"
    return m_f(label, n, B, alloc, pieces, symmetric=True)


# ---------------------------------------------------------------- M_f  (CMZ-MF)
def m_f(name: str, n: int, B: int, allocation: Allocation,
        pieces: Callable[[int, tuple], list[Piece]], symmetric: bool = False) -> Mechanism:
    """M_f: win w.p. f_i(v), pay v_i·f_i(v) − ∫_0^{v_i} f_i(z⊔v_−i) dz (real z, from `pieces`)."""
    allocation = validated_allocation(name, allocation)
    cache: dict = {}

    def line(i, tau):
        key = (i, tau)
        if key not in cache:
            G = cumulative_integrals(pieces(i, tau), range(B + 1))
            row = []
            for s in range(B + 1):
                fi = allocation(insert_bid(i, s, tau))[i]
                g = G[s]        # s·f_i − G(s), built in canonical form (the negated prime logs of G)
                row.append((fi, LogLinear(s * fi - g.q, tuple((p, -c) for p, c in g.logs))))
            cache[key] = row
        return cache[key]

    def payment(v):
        return tuple(line(i, tuple(v[:i]) + tuple(v[i + 1:]))[v[i]][1] for i in range(len(v)))

    return Mechanism(name, n, B, allocation, payment, symmetric, line_fn=line)


def m_f_grid_linear(name: str, n: int, B: int, allocation: Allocation, symmetric: bool = False) -> Mechanism:
    """M_f for an f given on the grid {0..B}^n, extended piecewise-linearly in z (rational payments)."""
    def pieces(i, tau):
        return grid_linear_pieces([allocation(insert_bid(i, z, tau))[i] for z in range(B + 1)])
    return m_f(name, n, B, allocation, pieces, symmetric)


# ---------------------------------------------------------------- feasibility
def feasibility_violation(mech: Mechanism) -> Optional[tuple[tuple, tuple]]:
    """A smallest profile (by max bid, then sum) where some f_i ∉ [0,1] or Σ f_i > 1, with its
    allocation (evaluated without the ModelError guard)."""
    from .cmz_model import sorted_profiles
    raw = getattr(mech.allocation, "__wrapped__", mech.allocation)
    profiles = sorted_profiles(mech.n, mech.B) if mech.symmetric else mech.profiles()
    for v in sorted(profiles, key=lambda w: (max(w), sum(w), w)):
        f = raw(v)
        if any(not 0 <= x <= 1 for x in f) or sum(f) > 1:
            return v, f
    return None
