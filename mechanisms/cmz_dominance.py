"""Undominated bids UDed_i(K_i) of a CMZ mechanism, exactly (CLAIMS.md "CMZ — Model").

σ'_i dominates σ_i on K_i iff for all t ∈ K_i and all τ_−i:
u_i(t, σ_i⊔τ) ≤ u_i(t, σ'_i⊔τ), strictly for some t, τ.  u_i(t,·) = t·f_i − p_i is
affine in t, so it suffices to look at t ∈ {min K_i, max K_i}: `undominated_bids`
uses that reduction (once per bid pair it computes the integer t-range where s'
is weakly better against every τ), `undominated_bids_by_definition` does not and
serves as the reference in tests.  Strategies are bids in {0,…,B}; τ ranges over
{0,…,B}^(n−1) (sorted τ only for a mechanism declared symmetric).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from math import ceil, floor, gcd
from typing import Optional, Sequence, Union

from .cmz_mechanisms import Mechanism
from .cmz_model import ApproxValuation, sorted_profiles
from .cmz_payments import BASE_PREC, enclosure, exact_ceil, exact_floor, exact_sign, to_loglinear
from .exact import UsageError

__all__ = ["PairRange", "DominanceTable", "dominance_table", "undominated_bids",
           "undominated_bids_by_definition", "undominated_among_by_definition", "is_undominated_by_definition",
           "opponent_profiles", "utility_difference"]

ALL = "all"


def opponent_profiles(mech: Mechanism) -> list[tuple[int, ...]]:
    """The τ_−i to range over: all of {0..B}^(n−1), or sorted ones for a symmetric mechanism."""
    if mech.symmetric:
        return list(sorted_profiles(mech.n - 1, mech.B))
    return list(product(range(mech.B + 1), repeat=mech.n - 1))


def utility_difference(mech: Mechanism, player: int, t, s: int, s2: int, tau: Sequence[int]):
    """u_i(t, s2⊔τ) − u_i(t, s⊔τ), exact (Fraction or LogLinear)."""
    line = mech.line(player, tuple(tau))
    (f1, p1), (f2, p2) = line[s], line[s2]
    return to_loglinear(t * (f2 - f1)) - to_loglinear(p2) + to_loglinear(p1)


@dataclass(frozen=True)
class PairRange:
    """For bids (s, s2): integers t ∈ [lo, hi] where s2 is weakly better than s against every τ;
    `equal` = the t where they tie against every τ ("all", one int, or None)."""

    lo: int
    hi: int
    equal: Union[str, int, None]

    def dominates_on(self, a: int, b: int) -> bool:
        """s2 dominates s on K = [a, b] (weak at both endpoints, strict at one of them)."""
        if not (self.lo <= a and b <= self.hi):
            return False
        if self.equal == ALL:
            return False
        return not (a == b == self.equal)


@dataclass(frozen=True)
class DominanceTable:
    """PairRange for every ordered pair of distinct bids of one player (endpoint reduction)."""

    mechanism: str
    player: int
    B: int
    pairs: dict          # (s, s2) -> PairRange, only pairs with a non-empty weak range

    def undominated(self, K: ApproxValuation) -> frozenset[int]:
        a, b = K.a, K.b
        dominated = {s for (s, s2), r in self.pairs.items() if r.dominates_on(a, b)}
        return frozenset(s for s in range(self.B + 1) if s not in dominated)

    def dominators(self, s: int, K: ApproxValuation) -> list[int]:
        return [s2 for (x, s2), r in self.pairs.items() if x == s and r.dominates_on(K.a, K.b)]


def _lines(mech: Mechanism, player: int):
    """Per τ: the line's allocations F, payments P (log-linear), their enclosures E, and the
    allocations as integers N over one common denominator L (F[s] = N[s]/L exactly)."""
    taus = opponent_profiles(mech)
    rows = []
    for tau in taus:
        line = mech.line(player, tau)
        F = [f for f, _ in line]
        P = [to_loglinear(p) for _, p in line]
        E = [enclosure(p) for p in P]
        L = 1
        for f in F:
            L = L * f.denominator // gcd(L, f.denominator)
        N = [f.numerator * (L // f.denominator) for f in F]
        rows.append((tau, F, P, E, N, L))
    return rows


def _pair_range(rows, s: int, s2: int, B: int) -> Optional[PairRange]:
    lo, hi = 0, B
    equal: Union[str, int, None] = ALL
    shift = 1 << BASE_PREC
    for tau, F, P, E, N, L in rows:
        # df = F[s2] − F[s] = dn/L, kept unreduced: every test below is a sign, a ceiling/floor or
        # an equality of a ratio, none of which depends on the representation of df
        dn = N[s2] - N[s]
        elo, ehi = E[s2][0] - E[s][1], E[s2][1] - E[s][0]     # 2^prec·Δp ∈ [elo, ehi]
        if dn == 0:
            if elo > 0:
                return None
            if ehi < 0:
                equal = None
                continue
            if P[s2].logs or P[s].logs:
                sg = exact_sign(P[s2] - P[s])
            else:                                   # rational payments: the sign of q2 − q1
                sg = (P[s2].q > P[s].q) - (P[s2].q < P[s].q)
            if sg > 0:
                return None
            if sg < 0:
                equal = None
            continue
        # threshold x = Δp/df: df > 0 needs t ≥ x, df < 0 needs t ≤ x
        if dn > 0:
            xl_n, xh_n, d = elo * L, ehi * L, dn * shift
        else:
            xl_n, xh_n, d = -ehi * L, -elo * L, -dn * shift
        # x ∈ [xl_n/d, xh_n/d]
        exact_needed = False
        if dn > 0:
            c_lo, c_hi = -((-xl_n) // d), -((-xh_n) // d)
            if c_lo == c_hi:
                c = c_lo
                maybe_int = xh_n == c * d
            else:
                exact_needed = True
        else:
            f_lo, f_hi = xl_n // d, xh_n // d
            if f_lo == f_hi:
                c = f_lo
                maybe_int = xl_n == c * d
            else:
                exact_needed = True
        if exact_needed or (equal is not None and maybe_int):
            if P[s2].logs or P[s].logs:
                x = (P[s2] - P[s]).scale(Fraction(L, dn))
                c = exact_ceil(x) if dn > 0 else exact_floor(x)
                is_int = exact_sign(x - c) == 0
            else:                                   # rational payments: x = Δq·L/dn exactly
                xq = (P[s2].q - P[s].q) * L / dn
                c = ceil(xq) if dn > 0 else floor(xq)
                is_int = xq == c
        else:
            is_int = False
        if dn > 0:
            lo = max(lo, c)
        else:
            hi = min(hi, c)
        if equal is not None:
            if not is_int:
                equal = None
            elif equal == ALL:
                equal = c
            elif equal != c:
                equal = None
        if lo > hi:
            return None
    return PairRange(lo, hi, equal)


def dominance_table(mech: Mechanism, player: int = 0, route: str = "fast") -> DominanceTable:
    """All pair ranges for `player`, exactly.  route="fast": the integer-vectorised stage
    (cmz_dominance_fast; it declines where its int64 bounds are not safe), else and for
    route="exact" one pass over τ per bid pair (`_pair_range`, the reference)."""
    if not 0 <= player < mech.n:
        raise UsageError(f"player {player} out of range for n = {mech.n}")
    if route not in ("fast", "exact"):
        raise UsageError(f"unknown dominance route {route!r}")
    rows = _lines(mech, player)
    if route == "fast":
        from .cmz_dominance_fast import pair_ranges
        pairs = pair_ranges(rows, mech.B)
        if pairs is not None:
            return DominanceTable(mech.name, player, mech.B, pairs)
    pairs = {}
    for s in range(mech.B + 1):
        for s2 in range(mech.B + 1):
            if s2 != s:
                r = _pair_range(rows, s, s2, mech.B)
                if r is not None:
                    pairs[(s, s2)] = r
    return DominanceTable(mech.name, player, mech.B, pairs)


def _check_K(mech: Mechanism, K) -> ApproxValuation:
    if not isinstance(K, ApproxValuation):
        try:
            K = ApproxValuation(*K)
        except TypeError:
            raise UsageError(f"K = {K!r} is not an interval (a, b)") from None
    if K.b > mech.B:
        raise UsageError(f"K = {K} leaves the bid range {{0..{mech.B}}}")
    return K


def undominated_bids(mech: Mechanism, player: int, K, table: Optional[DominanceTable] = None) -> frozenset[int]:
    """UDed_i(K_i): bids in {0..B} no other bid dominates on K_i (endpoint reduction)."""
    K = _check_K(mech, K)
    if table is None:
        table = dominance_table(mech, player)
    return table.undominated(K)


def _utility_lines(mech: Mechanism, player: int):
    """Every τ (unsorted) and player i's (f_i, p_i) at each s⊔τ from the mechanism's outcome — not
    from a closed-form `line_fn` shortcut, so the definition route stays independent of it."""
    from .cmz_mechanisms import insert_bid
    taus = list(product(range(mech.B + 1), repeat=mech.n - 1))
    lines = {}
    for tau in taus:
        row = []
        for s in range(mech.B + 1):
            f, p = mech.outcome(insert_bid(player, s, tau))
            row.append((f[player], p[player]))
        lines[tau] = row
    return taus, lines


def _dominator_by_definition(mech: Mechanism, K, s: int, taus, lines) -> Optional[int]:
    """A bid that dominates s on K by the plain definition (every integer t ∈ K, every τ), else None."""
    for s2 in range(mech.B + 1):
        if s2 == s:
            continue
        weak, strict = True, False
        for tau in taus:
            line = lines[tau]
            for t in K.points():
                sg = exact_sign(to_loglinear(t * line[s2][0]) - to_loglinear(line[s2][1])
                                - to_loglinear(t * line[s][0]) + to_loglinear(line[s][1]))
                if sg < 0:
                    weak = False
                    break
                if sg > 0:
                    strict = True
            if not weak:
                break
        if weak and strict:
            return s2
    return None


def undominated_bids_by_definition(mech: Mechanism, player: int, K) -> frozenset[int]:
    """UDed_i(K_i) straight from the definition: every integer t ∈ K_i, every τ ∈ {0..B}^(n−1)."""
    K = _check_K(mech, K)
    taus, lines = _utility_lines(mech, player)
    return frozenset(s for s in range(mech.B + 1) if _dominator_by_definition(mech, K, s, taus, lines) is None)


def undominated_among_by_definition(mech: Mechanism, player: int, K, bids) -> list[int]:
    """The bids of `bids` (in their order) that no bid dominates on K by the plain definition."""
    K = _check_K(mech, K)
    taus, lines = _utility_lines(mech, player)
    return [s for s in bids if _dominator_by_definition(mech, K, s, taus, lines) is None]


def is_undominated_by_definition(mech: Mechanism, player: int, K, s: int) -> tuple[bool, Optional[int]]:
    """(True, None) if no bid dominates s on K by the plain definition, else (False, a dominator).

    Every integer t ∈ K, every τ ∈ {0..B}^(n−1); used to re-check witnesses."""
    K = _check_K(mech, K)
    taus, lines = _utility_lines(mech, player)
    dominator = _dominator_by_definition(mech, K, s, taus, lines)
    return dominator is None, dominator
