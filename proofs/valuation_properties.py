"""Properties of a mechanism for approximate valuations (CMZ's bounded model), for your own `Auction`.

The model (../shared/CLAIMS.md): bids and values are integers in {0..B}; player i knows only an
integer interval K = [a, b] with (1 − δ)·b ≤ (1 + δ)·a (a δ-approximate valuation) containing its
value; u_i(t, bids) = t·x_i(bids) − p_i(bids).  Bid s' dominates s on K when for every t ∈ K and
every τ of the others u_i(t, s'⊔τ) ≥ u_i(t, s⊔τ), strictly for some (t, τ); UDed_i(K) is the set of
bids no bid dominates.  Utility is linear in t, so "for every integer t ∈ K" is decided at t = a
and t = b (and strictness holds somewhere in K iff at an end).

    uded-in-K                UDed_i(K) ⊆ K for every player and every δ-approximate valuation K (CMZ-SP-AT, CMZ-DML)
    welfare-in-undominated   E[SW] ≥ ε·MSW for every K, tv ∈ K, σ ∈ UDed(K) (CMZ-T2, CMZ-T4: δ-implements ε·MSW)
    distinguishably-monotone for v < v' some v₋ᵢ has ∫_v^{v'} (x_i(z⊔v₋ᵢ) − x_i(v⊔v₋ᵢ)) dz > 0 (CMZ-DML's hypothesis)

Points, in the order searched (the first counterexample is the one reported): fewest players, then
the smallest game (bids {0..B}), then δ (uded-in-K), then the player, then K = [a, b] (or v < v')
lexicographically.
"""
from __future__ import annotations

from fractions import Fraction
from itertools import product
from typing import Any, Mapping

from mechproof.mechanisms.auctions import Auction, evaluator
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
    "welfare-in-undominated": ("ε·MSW in undominated strategies",
                               "E[SW(tv, M(σ))] = Σ tv_i·x_i(σ) ≥ ε·max_i tv_i for every profile K of δ-approximate "
                               "valuations, every integer tv ∈ K and every σ ∈ ∏ UDed_i(K_i) (δ-implements ε·MSW)", True),
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


def _welfare(point, auction, evaluate, uded_cache: dict) -> Evaluation:
    n, B, Ks, eps = point["players"], point["B"], point["K"], Fraction(point["epsilon"])
    sets = []
    for i, K in enumerate(Ks):
        key = (n, B, i, K)
        if key not in uded_cache:
            taus, table = _lines(auction, n, i, B, evaluate)
            uded_cache[key] = tuple(s for s in range(B + 1) if _dominator(s, K, B, taus, table) is None)
        sets.append(uded_cache[key])
    for sigma in product(*sets):
        x, _ = evaluate(tuple(Fraction(b) for b in sigma))
        for tv in product(*(range(a, b + 1) for a, b in Ks)):
            msw = max(tv)
            sw = sum((t * xi for t, xi in zip(tv, x)), Fraction(0))
            if sw < eps * msw:
                return Evaluation.of(False, {"σ": sigma, "tv": tv, "E[SW]": sw, "ε·MSW": eps * msw})
    return Evaluation.of(True, {"UDed": tuple(sets)})


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


def valuation_part(auction: Auction, name: str, players=(2,), B: int = 4, delta: Any = None,
                   epsilon: Any = None, local: bool = False, prefix: str = "") -> Part:
    """An exhaustive search of `name` (VALUATION_PROPERTIES) on `auction`, every game {0..B'} for B' ≤ B.
    `local`: its keys are set only as CLAIM.KEY, and `prefix` starts their names (a built-in claim's
    cross-check beside parts with keys of the same names)."""
    P = prefix
    if not isinstance(auction, Auction):
        raise ClaimDeclarationError(f"{auction!r} is not a mechanism (declare it with mechproof.Auction)")
    if name not in VALUATION_PROPERTIES:
        raise ClaimDeclarationError(f"valuation_part: {name!r} is not one of {', '.join(VALUATION_PROPERTIES)}")
    title, definition, needs_delta = VALUATION_PROPERTIES[name]
    if needs_delta and delta is None:
        raise ClaimDeclarationError(f"property {name} needs δ (delta=…): K ranges over δ-approximate valuations")
    welfare = name == "welfare-in-undominated"
    if welfare and epsilon is None:
        raise ClaimDeclarationError(f"property {name} needs the guarantee ε (epsilon=…), e.g. 9/25 = ((1−δ)/(1+δ))² "
                                    "at δ = 1/4 for second price")
    keys = [IntKey(P + "players", tuple(players) if isinstance(players, (tuple, list)) else players, min=1, max=4,
                   many=True, local=local, help="numbers of players (fewest first)"),
            IntKey(P + "B", B, min=1, max=40, local=local, help="games with bids {0..B'} for every B' ≤ B")]
    if needs_delta:
        keys.append(RationalKey(P + "delta", delta, lo=0, hi=1, lo_open=True, hi_open=True, many=True, local=local,
                                help="inaccuracies δ ∈ (0, 1)"))
    if welfare:
        keys.append(RationalKey(P + "epsilon", epsilon, lo=0, hi=1, local=local, help="the welfare guarantee ε ∈ [0, 1]"))

    def points(domain: Mapping[str, Any]):
        deltas = domain[P + "delta"] if needs_delta else (None,)
        for n in domain[P + "players"]:
            for game in range(1, domain[P + "B"] + 1):
                for d in deltas:
                    if welfare:
                        for Ks in product(approximate_valuations(game, Fraction(d)), repeat=n):
                            yield {"players": n, "B": game, "delta": d, "epsilon": domain[P + "epsilon"], "K": Ks}
                        continue
                    for i in range(n):
                        if needs_delta:
                            for K in approximate_valuations(game, Fraction(d)):
                                yield {"players": n, "B": game, "delta": d, "player": i, "K": K}
                        else:
                            for v in range(game + 1):
                                for w in range(v + 1, game + 1):
                                    yield {"players": n, "B": game, "player": i, "v": v, "v2": w}

    def cases(domain):
        deltas = domain[P + "delta"] if needs_delta else (None,)
        total = 0
        for n in domain[P + "players"]:
            for game in range(1, domain[P + "B"] + 1):
                for d in deltas:
                    if welfare:
                        total += len(approximate_valuations(game, Fraction(d))) ** n
                        continue
                    total += n * (len(approximate_valuations(game, Fraction(d))) if needs_delta
                                  else game * (game + 1) // 2)
        return total

    fast = evaluator(auction)
    if welfare:
        shared: dict = {}

        def decide(p, a, ev):
            return _welfare(p, a, ev, shared if ev is fast else {})
    else:
        decide = _uded if needs_delta else _distinguishable

    text = (lambda d: f"n ∈ {{{', '.join(map(str, d[P + 'players']))}}} players, games with bids {{0..B'}}, B' ≤ "
                      f"{d[P + 'B']}" + (f", δ ∈ {{{', '.join(map(str, d[P + 'delta']))}}}" if needs_delta else "")
                      + (f", ε = {d[P + 'epsilon']}" if welfare else ""))
    return Part(f"{title}: {auction.name}", method=Method.ENUMERATION, domain=Schema(*keys, text=text, cases=cases),
                check=enumeration_check(points, lambda p: decide(p, auction, fast),
                                        replay=lambda p: decide(p, auction, evaluator(auction, memo=False)),
                                        summary=f"{title} at all {{cases}} points ({definition})",
                                        violation=f"not {title}: first counterexample in the order at {{point}}"),
                technique=f"the plain definition on every point in the order ({VALUATION_ORDER})")
