"""The pair-range stage of CMZ dominance tables over integers, vectorised (numpy int64), exact.

For a player's bids s ≠ s2 and every opponent profile τ (a row), `_pair_range` in cmz_dominance
reads one row at a time: with Δf = f(s2⊔τ) − f(s⊔τ) and Δp the payment difference, s2 is weakly
better at t iff t·Δf ≥ Δp, i.e. t ≥ ⌈Δp/Δf⌉ (Δf > 0), t ≤ ⌊Δp/Δf⌋ (Δf < 0), Δp ≤ 0 (Δf = 0).
Here every row is decided at once from integer enclosures at scale 2^30:

* the sign of Δf exactly, from the dense rank of the allocations (integers over the row's common
  denominator: no rounding);
* Δf ∈ [dfl, dfh] and Δp ∈ [dpl, dph] from floor/ceil enclosures of f (exact integers N/L) and of
  the payments (their rigorous 2^64 enclosures, rounded outward), so the threshold x = Δp/Δf lies
  in an interval whose end points are ratios of int64 integers; numpy's floor division on int64 is
  exact, so ⌈·⌉/⌊·⌋ of the ends are exact;
* a cell is decided when both ends give the same ⌈x⌉ (⌊x⌋), or, for Δf = 0, when the enclosure of
  Δp excludes 0 or both payments are the same exact number;
* every other cell — enclosures too wide, or x possibly an integer where the tie point matters —
  is decided by the exact route (LogLinear arithmetic, exact ceil/floor), one cell at a time.

The aggregation over rows is the reference's: any Δf = 0 row with Δp > 0 kills the pair, the
range is [max ⌈x⌉, min ⌊x⌋] ∩ [0, B], and the tie point survives only if every Δf ≠ 0 row has an
integer threshold, all equal, and no Δf = 0 row has Δp < 0.  `pair_ranges` returns None (the
caller uses the reference) when the magnitudes would not fit int64 with room to spare.  Tested
equal to the reference on many mechanisms, planted bugs included (tests/test_cmz_dominance.py).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .cmz_payments import BASE_PREC, exact_ceil, exact_floor, exact_sign

__all__ = ["pair_ranges", "SCALE_BITS"]

SCALE_BITS = 30
_SHIFT = BASE_PREC - SCALE_BITS
_LIMIT = 1 << 52            # |enclosure ends| below this: differences and quotients stay in int64
_BIG = 1 << 62


def _arrays(rows, S: int):
    R = len(rows)
    rank = np.empty((R, S), np.int64)
    fl = np.empty((R, S), np.int64)
    fh = np.empty((R, S), np.int64)
    pl = np.empty((R, S), np.int64)
    ph = np.empty((R, S), np.int64)
    pid = np.empty((R, S), np.int64)
    for r, (_tau, _F, P, E, N, L) in enumerate(rows):
        if len(N) != S:
            return None
        levels = {v: i for i, v in enumerate(sorted(set(N)))}
        lo = [(x << SCALE_BITS) // L for x in N]
        hi = [-((-x << SCALE_BITS) // L) for x in N]
        qlo = [e[0] >> _SHIFT for e in E]
        qhi = [-((-e[1]) >> _SHIFT) for e in E]
        if max(map(abs, lo + hi + qlo + qhi)) >= _LIMIT:
            return None
        ids: dict = {}
        rank[r] = [levels[x] for x in N]
        fl[r], fh[r], pl[r], ph[r] = lo, hi, qlo, qhi
        pid[r] = [ids.setdefault(p, len(ids)) for p in P]
    return rank, fl, fh, pl, ph, pid


def _exact_cell(row, s: int, s2: int) -> tuple:
    """One (row, pair) by the exact route: ("dead",) | ("lt",) | ("eq",) | (kind, c, is_int)."""
    _tau, _F, P, _E, N, L = row
    dn = N[s2] - N[s]
    dp = P[s2] - P[s]
    if dn == 0:
        sg = exact_sign(dp)
        return ("dead",) if sg > 0 else ("lt",) if sg < 0 else ("eq",)
    x = dp.scale(Fraction(L, dn))
    c = exact_ceil(x) if dn > 0 else exact_floor(x)
    return ("ge" if dn > 0 else "le", c, exact_sign(x - c) == 0)


def pair_ranges(rows, B: int):
    """{(s, s2): PairRange} for the rows of cmz_dominance._lines, or None (use the reference)."""
    from .cmz_dominance import ALL, PairRange
    S = B + 1
    if not rows:
        return None
    arrays = _arrays(rows, S)
    if arrays is None:
        return None
    rank, fl, fh, pl, ph, pid = arrays
    pairs = {}
    with np.errstate(divide="ignore", invalid="ignore", over="raise"):
        for s in range(S):
            sg = np.sign(rank - rank[:, s:s + 1])
            dfl, dfh = fl - fh[:, s:s + 1], fh - fl[:, s:s + 1]
            dpl, dph = pl - ph[:, s:s + 1], ph - pl[:, s:s + 1]
            zer = sg == 0
            zer[:, s] = False
            pos, neg = sg > 0, sg < 0
            # Δf = 0
            same_p = zer & (pid == pid[:, s:s + 1])
            dead = zer & ~same_p & (dpl > 0)
            lt = zer & ~same_p & (dph < 0)
            und = zer & ~same_p & ~dead & ~lt
            # Δf > 0: x ∈ [dpl/(dpl ≥ 0 ? dfh : dfl), dph/(dph ≥ 0 ? dfl : dfh)], t ≥ ⌈x⌉
            okp = pos & (dfl > 0)
            bl = np.where(okp, np.where(dpl >= 0, dfh, dfl), 1)
            bh = np.where(okp, np.where(dph >= 0, dfl, dfh), 1)
            cl, ch = -((-dpl) // bl), -((-dph) // bh)
            detp = okp & (cl == ch)
            intp = detp & (dph % bh == 0)               # x = c possible only if the upper end is c
            # Δf < 0: g = −Δf ∈ [−dfh, −dfl], m = −Δp ∈ [−dph, −dpl], x = m/g, t ≤ ⌊x⌋
            gl, gh, ml, mh = -dfh, -dfl, -dph, -dpl
            okn = neg & (gl > 0)
            bl2 = np.where(okn, np.where(ml >= 0, gh, gl), 1)
            bh2 = np.where(okn, np.where(mh >= 0, gl, gh), 1)
            fl2, fh2 = ml // bl2, mh // bh2
            detn = okn & (fl2 == fh2)
            intn = detn & (ml % bl2 == 0)               # x = c possible only if the lower end is c
            und |= (pos & ~detp) | (neg & ~detn)
            lo_col = np.maximum(np.max(np.where(detp, ch, -_BIG), axis=0), 0)
            hi_col = np.minimum(np.min(np.where(detn, fl2, _BIG), axis=0), B)
            dead_col = dead.any(axis=0)
            noneq_col = lt.any(axis=0) | (detp & ~intp).any(axis=0) | (detn & ~intn).any(axis=0)
            und_rows = {}
            for r, c2 in zip(*np.nonzero(und)):
                und_rows.setdefault(int(c2), []).append(int(r))
            for s2 in range(S):
                if s2 == s or dead_col[s2]:
                    continue
                lo, hi = int(lo_col[s2]), int(hi_col[s2])
                if lo > hi:
                    continue
                noneq = bool(noneq_col[s2])
                ties: set = set()                       # integer thresholds met so far (exact)
                dead_now = False
                for r in und_rows.get(s2, ()):
                    cell = _exact_cell(rows[r], s, s2)
                    if cell[0] == "dead":
                        dead_now = True
                        break
                    if cell[0] == "lt":
                        noneq = True
                    elif cell[0] in ("ge", "le"):
                        _, c, is_int = cell
                        lo, hi = (max(lo, c), hi) if cell[0] == "ge" else (lo, min(hi, c))
                        if is_int:
                            ties.add(c)
                        else:
                            noneq = True
                if dead_now or lo > hi:
                    continue
                equal = None
                if not noneq:
                    cand = [(r, int(ch[r, s2]), "ge") for r in np.nonzero(intp[:, s2])[0]]
                    cand += [(r, int(fl2[r, s2]), "le") for r in np.nonzero(intn[:, s2])[0]]
                    ties |= {c for _, c, _ in cand}
                    if len(ties) == 0:
                        equal = ALL
                    elif len(ties) == 1 and all(_exact_cell(rows[r], s, s2)[2] for r, _, _ in cand):
                        equal = next(iter(ties))
                pairs[(s, s2)] = PairRange(lo, hi, equal)
    return pairs
