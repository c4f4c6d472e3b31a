"""Properties of a mechanism for approximate valuations (CMZ's bounded model), for your own `Auction`.

The model (../shared/CLAIMS.md): bids and values are integers in {0..B}; player i knows only an
integer interval K = [a, b] with (1 − δ)·b ≤ (1 + δ)·a (a δ-approximate valuation) containing its
value; u_i(t, bids) = t·x_i(bids) − p_i(bids).  Bid s' dominates s on K when for every t ∈ K and
every τ of the others u_i(t, s'⊔τ) ≥ u_i(t, s⊔τ), strictly for some (t, τ); UDed_i(K) is the set of
bids no bid dominates.  Utility is linear in t, so "for every integer t ∈ K" is decided at t = a
and t = b (and strictness holds somewhere in K iff at an end).

    uded-in-K                UDed_i(K) ⊆ K for every player and every δ-approximate valuation K (CMZ-SP-AT, CMZ-DML)
    distinguishably-monotone for v < v' some v₋ᵢ has ∫_v^{v'} (x_i(z⊔v₋ᵢ) − x_i(v⊔v₋ᵢ)) dz > 0 (CMZ-DML's hypothesis)

Points, in the order searched (the first counterexample is the one reported): fewest players, then
the smallest game (bids {0..B}), then δ (uded-in-K), then the player, then K = [a, b] (or v < v')
lexicographically.
"""
from __future__ import annotations

from fractions import Fraction
from itertools import product
from typing import Any, Mapping

from mechproof.mechanisms.auctions import Auction, outcome
from mechproof.mechanisms.errors import ClaimDeclarationError

from .claims import Part
from .domains import IntKey, RationalKey, Schema
from .methods import Method
from .searches import enumeration_check
from .verdicts import Evaluation

__all__ = ["VALUATION_PROPERTIES", "VALUATION_ORDER", "valuation_part", "approximate_valuations"]

VALUATION_ORDER = ("fewest players, then the smallest game (bids {0..B}), then δ, then the player, then K = [a, b] "
                   "(or v < v') lexicographically")

VALUATION_PROPERTIES: dict[str, tuple[str, str, bool]] = {     # name: (title, definition, needs δ)
    "uded-in-K": ("undominated bids inside K",
                  "UDed_i(K) ⊆ K for every player i and every δ-approximate valuation K = [a, b] ⊆ {0..B}, "
                  "(1 − δ)b ≤ (1 + δ)a (weak dominance over every t ∈ K and every bid profile τ of the others)",
                  True),
    "distinguishably-monotone": ("distinguishably monotone",
                                 "for every player i and bids v < v' some v₋ᵢ has ∫_v^{v'} (x_i(z⊔v₋ᵢ) − x_i(v⊔v₋ᵢ)) dz "
                                 "> 0 (the integral read at the midpoints of the unit grid intervals)", False),
}


def approximate_valuations(B: int, delta: Fraction) -> list[tuple[int, int]]:
    """Every integer interval [a, b] ⊆ {0..B} with (1 − δ)b ≤ (1 + δ)a, lexicographically."""
    return [(a, b) for a in range(B + 1) for b in range(a, B + 1) if (1 - delta) * b <= (1 + delta) * a]


def _lines(auction: Auction, n: int, i: int, B: int, evaluate) -> tuple[list, dict]:
    taus = list(product(range(B + 1), repeat=n - 1))
    table = {}
    for s in range(B + 1):
        for tau in taus:
            bids = tuple(Fraction(v) for v in tau[:i] + (s,) + tau[i:])
            x, p = evaluate(bids)
            table[s, tau] = (x[i], p[i])
    return taus, table


def _dominator(s: int, K: tuple[int, int], B: int, taus, table) -> int | None:
    a, b = K
    for s2 in range(B + 1):
        if s2 == s:
            continue
        strict = False
        for tau in taus:
            x1, p1 = table[s, tau]
            x2, p2 = table[s2, tau]
            da, db = (a * x2 - p2) - (a * x1 - p1), (b * x2 - p2) - (b * x1 - p1)
            if da < 0 or db < 0:
                break
            strict = strict or da > 0 or db > 0
        else:
            if strict:
                return s2
    return None


def _uded(point, auction, evaluate) -> Evaluation:
    n, B, i, K = point["players"], point["B"], point["player"], point["K"]
    taus, table = _lines(auction, n, i, B, evaluate)
    undominated = [s for s in range(B + 1) if _dominator(s, K, B, taus, table) is None]
    outside = [s for s in undominated if not K[0] <= s <= K[1]]
    return Evaluation.of(not outside, {"UDed_i(K)": tuple(undominated), "undominated outside K": tuple(outside)})


def _distinguishable(point, auction, evaluate) -> Evaluation:
    n, B, i, v, w = point["players"], point["B"], point["player"], point["v"], point["v2"]
    for tau in product(range(B + 1), repeat=n - 1):
        def x_at(z):
            bids = tuple(Fraction(t) for t in tau[:i]) + (Fraction(z),) + tuple(Fraction(t) for t in tau[i:])
            return evaluate(bids)[0][i]
        base = x_at(v)
        area = sum((x_at(Fraction(2 * k + 1, 2)) - base for k in range(v, w)), Fraction(0))
        if area > 0:
            return Evaluation.of(True, {"v₋ᵢ": tau, "integral": area})
    return Evaluation.of(False, {"every v₋ᵢ": "integral ≤ 0"})


def valuation_part(auction: Auction, name: str, players=(2,), B: int = 4, delta: Any = None) -> Part:
    """An exhaustive search of `name` (VALUATION_PROPERTIES) on `auction`, every game {0..B'} for B' ≤ B."""
    if not isinstance(auction, Auction):
        raise ClaimDeclarationError(f"{auction!r} is not a mechanism (declare it with mechproof.Auction)")
    if name not in VALUATION_PROPERTIES:
        raise ClaimDeclarationError(f"valuation_part: {name!r} is not one of {', '.join(VALUATION_PROPERTIES)}")
    title, definition, needs_delta = VALUATION_PROPERTIES[name]
    if needs_delta and delta is None:
        raise ClaimDeclarationError(f"property {name} needs δ (delta=…): K ranges over δ-approximate valuations")
    keys = [IntKey("players", tuple(players) if isinstance(players, (tuple, list)) else players, min=1, max=4,
                   many=True, help="numbers of players (fewest first)"),
            IntKey("B", B, min=1, max=40, help="games with bids {0..B'} for every B' ≤ B")]
    if needs_delta:
        keys.append(RationalKey("delta", delta, lo=0, hi=1, lo_open=True, hi_open=True, many=True,
                                help="inaccuracies δ ∈ (0, 1)"))

    def points(domain: Mapping[str, Any]):
        deltas = domain["delta"] if needs_delta else (None,)
        for n in domain["players"]:
            for game in range(1, domain["B"] + 1):
                for d in deltas:
                    for i in range(n):
                        if needs_delta:
                            for K in approximate_valuations(game, Fraction(d)):
                                yield {"players": n, "B": game, "delta": d, "player": i, "K": K}
                        else:
                            for v in range(game + 1):
                                for w in range(v + 1, game + 1):
                                    yield {"players": n, "B": game, "player": i, "v": v, "v2": w}

    def cases(domain):
        deltas = domain["delta"] if needs_delta else (None,)
        total = 0
        for n in domain["players"]:
            for game in range(1, domain["B"] + 1):
                for d in deltas:
                    total += n * (len(approximate_valuations(game, Fraction(d))) if needs_delta
                                  else game * (game + 1) // 2)
        return total

    decide = _uded if needs_delta else _distinguishable
    memo: dict = {}

    def fast(bids):
        if bids not in memo:
            if len(memo) > 200_000:
                memo.clear()
            memo[bids] = outcome(auction, bids)
        return memo[bids]

    text = (lambda d: f"n ∈ {{{', '.join(map(str, d['players']))}}} players, games with bids {{0..B'}}, B' ≤ "
                      f"{d['B']}" + (f", δ ∈ {{{', '.join(map(str, d['delta']))}}}" if needs_delta else ""))
    return Part(f"{title}: {auction.name}", method=Method.ENUMERATION, domain=Schema(*keys, text=text, cases=cases),
                check=enumeration_check(points, lambda p: decide(p, auction, fast),
                                        replay=lambda p: decide(p, auction, lambda b: outcome(auction, b)),
                                        summary=f"{title} at all {{cases}} points ({definition})",
                                        violation=f"not {title}: first counterexample in the order at {{point}}"),
                technique=f"the plain definition on every point in the order ({VALUATION_ORDER})")
