"""Counterexample hunting on mechanisms: the property library, and the parts that search it.

A property is a plain definition over one point of a typed bid domain (players n, bids k·step for
k = 0..B).  `hunt_part(auction, property)` is an ordinary `Part`: the enumeration engine owns the
loop, the kernel counts the cases and replays a witness with the property's plain definition.  The
points come in the documented **minimal order**:

    fewest players, then the smallest grid (the largest bid index in the point), then the bid
    profile lexicographically, then the player, then the deviation

so the first counterexample found is the minimal one.  `mechproof hunt` (proofs/cli.py) runs it,
and beyond an exhaustive search Hypothesis (`search="random"`, tested, shrunk, seeded) followed by
an exhaustive search of the witness's own box, which returns the minimal witness there.

    PROPERTIES          the library, by name (`mechproof hunt --list-properties`)
    Property.custom     your own predicate over one bid profile
    hunt_part / hunt_claim   a Part / Claim for `mechproof check --module`
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any, Callable, Iterator, Mapping

from mechproof.mechanisms.auctions import Auction, allocation_integral, evaluator, infeasibility
from mechproof.mechanisms.errors import ClaimDeclarationError, ModelError

from .claims import Claim, Part
from .domains import IntKey, RationalKey, Schema
from .methods import Method
from .searches import enumeration_check, random_check
from .verdicts import Evaluation

__all__ = ["Property", "PROPERTIES", "PRIOR_PROPERTIES", "Prior", "property_named", "hunt_part", "hunt_claim",
           "hunt_domain", "hunt_cases", "MINIMAL_ORDER", "PRIOR_ORDER", "random_hunt_part", "prior_part"]

MINIMAL_ORDER = ("fewest players, then the smallest grid B (the largest bid index in the point), then the bid "
                 "profile lexicographically, then the player, then the deviation")

Point = Mapping[str, Any]


@dataclass(frozen=True)
class Property:
    """A property of a mechanism at one point of the bid domain.

    `shape` says what a point is: "profile" (a bid profile), "player" (a profile and a player i),
    "deviation" (a profile, a player and another bid for i), "raise" (a profile, a player and a
    higher bid for i).  `holds(auction, point, evaluate)` decides it, with `evaluate(bids)` giving the
    (allocation, payment) — memoised in the search, plain in the replay."""

    name: str
    title: str
    definition: str
    shape: str
    holds: Callable[[Auction, Point, Callable], Evaluation]
    assumes: tuple[str, ...] = ()
    validate: bool = True         # outcomes must be feasible (False: infeasibility is the finding)

    @staticmethod
    def custom(name: str, predicate: Callable[[Auction, tuple[Fraction, ...]], Any], definition: str = "") -> "Property":
        """Your own property of one bid profile: `predicate(auction, bids)` returns True/False (or an
        Evaluation); `outcome(auction, bids)` gives the validated (allocation, payment)."""
        if not callable(predicate):
            raise ClaimDeclarationError(f"Property.custom {name!r}: the predicate must be a function (auction, bids)")

        def holds(auction: Auction, point: Point, evaluate: Callable) -> Evaluation:
            r = predicate(auction, point["bids"])
            return r if isinstance(r, Evaluation) else Evaluation.of(None if r is None else bool(r))
        return Property(name, name, definition or f"{name}(auction, bids) at every bid profile", "profile", holds)


def _utility(value: Fraction, x: Fraction, p: Fraction) -> Fraction:
    return value * x - p


def _dsic(auction, point, evaluate) -> Evaluation:
    bids, i, d = point["bids"], point["player"], point["deviation"]
    v = bids[i]
    x, p = evaluate(bids)
    other = bids[:i] + (d,) + bids[i + 1:]
    x2, p2 = evaluate(other)
    truthful, deviating = _utility(v, x[i], p[i]), _utility(v, x2[i], p2[i])
    return Evaluation.of(truthful >= deviating, {"utility truthful": truthful, "utility deviating": deviating,
                                                 "allocation, payment truthful": (x[i], p[i]),
                                                 "allocation, payment deviating": (x2[i], p2[i])})


def _ir(auction, point, evaluate) -> Evaluation:
    bids, i = point["bids"], point["player"]
    x, p = evaluate(bids)
    u = _utility(bids[i], x[i], p[i])
    return Evaluation.of(u >= 0, {"utility": u, "allocation": x[i], "payment": p[i]})


def _no_positive_transfers(auction, point, evaluate) -> Evaluation:
    bids, i = point["bids"], point["player"]
    _, p = evaluate(bids)
    return Evaluation.of(p[i] >= 0, {"payment": p[i]})


def _monotone(auction, point, evaluate) -> Evaluation:
    bids, i, d = point["bids"], point["player"], point["deviation"]
    x, _ = evaluate(bids)
    x2, _ = evaluate(bids[:i] + (d,) + bids[i + 1:])
    return Evaluation.of(x2[i] >= x[i], {"allocation at the bid": x[i], "allocation at the higher bid": x2[i]})


def _payment_identity(auction, point, evaluate) -> Evaluation:
    bids, i, h = point["bids"], point["player"], point["step"]
    x, p = evaluate(bids)
    area = allocation_integral(lambda b: evaluate(b)[0], i, bids, step=h, breakpoints=auction.breakpoints)
    myerson = bids[i] * x[i] - area
    return Evaluation.of(p[i] == myerson, {"payment": p[i], "b_i·x_i − ∫ x_i": myerson})


def _feasible(auction, point, evaluate) -> Evaluation:
    x, _ = evaluate(point["bids"])
    problem = infeasibility(auction, x)
    return Evaluation.of(not problem, {"allocation": x} if not problem else {"allocation": x, "why": problem})


def _efficient(auction, point, evaluate) -> Evaluation:
    bids = point["bids"]
    x, _ = evaluate(bids)
    welfare = sum((v * xi for v, xi in zip(bids, x)), Fraction(0))
    best = auction.welfare_optimum(bids)
    return Evaluation.of(welfare == best, {"welfare": welfare, "optimum": best})


def _weak_budget_balance(auction, point, evaluate) -> Evaluation:
    _, p = evaluate(point["bids"])
    revenue = sum(p, Fraction(0))
    return Evaluation.of(revenue >= 0, {"Σ payments": revenue})


def _budget_balance(auction, point, evaluate) -> Evaluation:
    _, p = evaluate(point["bids"])
    revenue = sum(p, Fraction(0))
    return Evaluation.of(revenue == 0, {"Σ payments": revenue})


PROPERTIES: dict[str, Property] = {p.name: p for p in (
    Property("dsic", "dominant-strategy truthful",
             "for every player i with value v_i = b_i, others' bids b₋ᵢ and bid d ≠ v_i: v_i·x_i(b) − p_i(b) ≥ "
             "v_i·x_i(d, b₋ᵢ) − p_i(d, b₋ᵢ) (on a product grid of values this is also 'truthful bidding is a Nash "
             "equilibrium under complete information')", "deviation", _dsic),
    Property("ex-post-ir", "ex-post individually rational",
             "truthful utility v_i·x_i(v) − p_i(v) ≥ 0 at every value profile v and player i", "player", _ir),
    Property("no-positive-transfers", "no positive transfers", "p_i(b) ≥ 0 for every profile b and player i",
             "player", _no_positive_transfers),
    Property("monotone", "monotone allocation", "x_i(d, b₋ᵢ) ≥ x_i(b_i, b₋ᵢ) for every d > b_i", "raise", _monotone),
    Property("payment-identity", "Myerson's payment identity",
             "p_i(b) = b_i·x_i(b) − ∫₀^{b_i} x_i(z, b₋ᵢ) dz for every profile b and player i", "player",
             _payment_identity,
             assumes=("the allocation is constant between bid grid points: the integral is read at the midpoints "
                      "z = (k + ½)·step (the mechanism must accept those bids) — or, for a mechanism that declares "
                      "breakpoints, a + c/z between them (exact, log-linear)",)),
    Property("feasible", "feasible allocations",
             "allocations in [0, 1], summing to at most the supply (slots: the k largest click rates at most the k "
             "best slots')", "profile", _feasible, validate=False),
    Property("efficient", "efficient", "Σ v_i·x_i(v) = the largest welfare of a feasible allocation, at every v",
             "profile", _efficient),
    Property("weak-budget-balance", "weakly budget balanced", "Σ_i p_i(b) ≥ 0 at every profile b", "profile",
             _weak_budget_balance),
    Property("budget-balance", "budget balanced", "Σ_i p_i(b) = 0 at every profile b", "profile", _budget_balance),
)}


def property_named(name: str) -> Property:
    from mechproof.mechanisms.errors import UsageError
    if isinstance(name, Property):
        return name
    if name not in PROPERTIES:
        import difflib
        close = difflib.get_close_matches(name, list(PROPERTIES), n=1)
        raise UsageError(f"no property {name!r}" + (f" (did you mean {close[0]}?)" if close else "") +
                         f"; the library: {', '.join(PROPERTIES)} (mechproof hunt --list-properties)")
    return PROPERTIES[name]


# ------------------------------------------------------------------ the domain and its points
def hunt_domain(players=(2,), B=4, step=1, max_players=6, prefix: str = "", local: bool = False) -> Schema:
    """The typed bid domain.  `prefix` starts the keys' names and `local` sets them only as CLAIM.KEY
    (a built-in claim's cross-check through the library, beside parts with keys of the same names)."""
    P = prefix
    return Schema(IntKey(P + "players", tuple(players) if isinstance(players, (tuple, list)) else players, min=1,
                         max=max_players, many=True, local=local, help="numbers of players (fewest first)"),
                  IntKey(P + "B", B, min=0, max=100_000, local=local, help="bids k·step for k = 0..B"),
                  RationalKey(P + "step", step, lo=0, lo_open=True, local=local, help="the spacing of the bid grid"),
                  text=lambda d: f"n ∈ {{{', '.join(map(str, d[P + 'players']))}}} players, bids in "
                                 f"{{0, {d[P + 'step']}, …, {d[P + 'B'] * d[P + 'step']}}}ⁿ",
                  cases=None)


def _unprefixed(domain: Mapping[str, Any], prefix: str) -> Mapping[str, Any]:
    return domain if not prefix else {k: domain[prefix + k] for k in ("players", "B", "step")}


def hunt_cases(prop: Property, players, B: int) -> int:
    """The exact number of points of `prop` over the domain (independent of the order)."""
    total = 0
    for n in players:
        profiles = (B + 1) ** n
        total += {"profile": profiles, "player": n * profiles, "deviation": n * profiles * B,
                  "raise": n * (B + 1) ** (n - 1) * (B * (B + 1) // 2)}[prop.shape]
    return total


def _points(prop: Property, domain: Mapping[str, Any]) -> Iterator[dict]:
    """Every point in the minimal order (module docstring)."""
    h = Fraction(domain["step"])
    B = domain["B"]
    for n in domain["players"]:
        for top in range(B + 1):                       # shell: the largest bid index in the point is `top`
            for ks in product(range(top + 1), repeat=n):
                inner = max(ks)
                bids = tuple(k * h for k in ks)
                base = {"players": n, "B": top, "step": h, "bids": bids}
                if prop.shape == "profile":
                    if inner == top:
                        yield base
                    continue
                for i in range(n):
                    if prop.shape == "player":
                        if inner == top:
                            yield {**base, "player": i}
                        continue
                    others = (range(top + 1) if prop.shape == "deviation" else range(ks[i] + 1, top + 1))
                    for d in others:
                        if d == ks[i] or max(inner, d) != top:
                            continue
                        yield {**base, "player": i, "deviation": d * h}


def _check_auction(auction: Any) -> Auction:
    if not isinstance(auction, Auction):
        raise ClaimDeclarationError(f"{auction!r} is not a mechanism (declare it with mechproof.Auction)")
    return auction


def hunt_part(auction: Auction, prop: Property | str, players=(2,), B: int = 4, step: Any = 1, *,
              prefix: str = "", local: bool = False) -> Part:
    """An exhaustive search of `prop` on `auction` over the typed bid domain, in the minimal order
    (`prefix`, `local`: as hunt_domain's)."""
    auction, prop = _check_auction(auction), property_named(prop)
    fast = evaluator(auction, prop.validate, memo=True)

    def holds(point):
        return prop.holds(auction, point, fast)

    def plain(point):
        return prop.holds(auction, point, evaluator(auction, prop.validate, memo=False))

    schema = hunt_domain(players, B, step, prefix=prefix, local=local)
    schema = Schema(*schema.keys, text=schema.text,
                    cases=lambda d: hunt_cases(prop, d[prefix + "players"], d[prefix + "B"]))
    return Part(f"{prop.title}: {auction.name}", method=Method.ENUMERATION, domain=schema,
                check=enumeration_check(
                    lambda d: _points(prop, _unprefixed(d, prefix)), holds, replay=plain,
                    shell=lambda p: f"n = {p['players']}, B = {p['B']}",
                    summary=f"{prop.title} at all {{cases}} points ({prop.definition})",
                    violation=f"not {prop.title}: first counterexample in the minimal order at {{point}}"),
                technique=f"every point in the minimal order ({MINIMAL_ORDER}); witnesses replayed by the "
                          "property's plain definition",
                assumes=prop.assumes)


def random_hunt_part(auction: Auction, prop: Property | str, players=(2,), B: int = 1000, step: Any = 1,
                     examples: int = 2000, seed: int = 0) -> Part:
    """Hypothesis over the same points (tested, never a proof; the witness shrunk, the seed recorded)."""
    from hypothesis import strategies as st
    auction, prop = _check_auction(auction), property_named(prop)
    evaluate = evaluator(auction, prop.validate, memo=False)

    def strategy(domain):
        h = Fraction(domain["step"])

        @st.composite
        def draw(draw_):
            n = draw_(st.sampled_from(sorted(domain["players"])))
            ks = tuple(draw_(st.integers(0, domain["B"])) for _ in range(n))
            point = {"players": n, "step": h, "bids": tuple(k * h for k in ks)}
            if prop.shape != "profile":
                i = draw_(st.integers(0, n - 1))
                point["player"] = i
                if prop.shape in ("deviation", "raise"):
                    lo = 0 if prop.shape == "deviation" else ks[i] + 1
                    if lo > domain["B"]:
                        lo = domain["B"]
                    d = draw_(st.integers(lo, domain["B"]))
                    point["deviation"] = d * h
            top = max(ks + ((int(point["deviation"] / h),) if "deviation" in point else ()))
            point["B"] = top
            return point
        return draw()

    def holds(point):
        if prop.shape == "deviation" and point["deviation"] == point["bids"][point["player"]]:
            return True
        if prop.shape == "raise" and point["deviation"] <= point["bids"][point["player"]]:
            return True
        return prop.holds(auction, point, evaluate)

    schema = hunt_domain(players, B, step)
    return Part(f"{prop.title}: {auction.name} (random)", method=Method.RANDOM, domain=schema,
                check=random_check(strategy, holds, examples=examples, seed=seed,
                                   summary=f"no counterexample to '{prop.title}' in {{cases}} random points "
                                           "(seed {seed})"),
                technique="Hypothesis, shrunk; then the witness's own box is searched in the minimal order",
                assumes=prop.assumes)


def hunt_claim(id: str, auction: Auction, prop: Property | str, *, players=(2,), B: int = 4, step: Any = 1,
               prior: "Prior | None" = None, delta: Any = None, epsilon: Any = None, statement: str = "",
               source: str = "", search: str = "exhaustive") -> Claim:
    """A Claim for a module: `auction` has `prop` on the bid domain (exhaustive, minimal witness);
    for `bic` and `interim-ir`, over the IID `prior` instead of a bid grid; for `uded-in-K`, over the
    δ-approximate valuations of every game {0..B'}, B' ≤ B (`delta`: δ or a tuple of them).
    `search="smt"`: z3 over every rational bid profile instead of the grid (proofs/symbolic_hunt.py;
    the properties of SMT_PROPERTIES; B is not read)."""
    auction = _check_auction(auction)
    if search not in ("exhaustive", "smt"):
        raise ClaimDeclarationError(f"hunt_claim {id}: search must be 'exhaustive' or 'smt', got {search!r}")
    if search == "smt":
        from .symbolic_hunt import smt_hunt_part
        prop = property_named(prop)
        return Claim(id=id, title=f"{auction.name} is {prop.title} at every rational profile",
                     statement=statement or f"{auction.name}: {prop.definition}.", source=source or "your module",
                     parts=(smt_hunt_part(auction, prop, players, step),))
    from .valuation_properties import VALUATION_PROPERTIES, valuation_part
    if isinstance(prop, str) and prop in VALUATION_PROPERTIES:
        title, definition, _ = VALUATION_PROPERTIES[prop]
        return Claim(id=id, title=f"{auction.name} is {title}", statement=statement or f"{auction.name}: {definition}.",
                     source=source or "your module", parts=(valuation_part(auction, prop, players, B, delta, epsilon),))
    if isinstance(prop, str) and prop in PRIOR_PROPERTIES:
        if prior is None:
            raise ClaimDeclarationError(f"hunt_claim {id}: property {prop} needs a prior (prior=Prior(...))")
        title, definition = PRIOR_PROPERTIES[prop]
        return Claim(id=id, title=f"{auction.name} is {title}", statement=statement or f"{auction.name}: {definition}.",
                     source=source or "your module", parts=(prior_part(auction, prop, prior, players),))
    prop = property_named(prop)
    return Claim(id=id, title=f"{auction.name} is {prop.title}",
                 statement=statement or f"{auction.name}: {prop.definition}.", source=source or "your module",
                 parts=(hunt_part(auction, prop, players, B, step),))


# ------------------------------------------------------------------ Bayesian properties under a finite prior
PRIOR_ORDER = "fewest players, then the player, then its type (in the prior's order), then its report"

PRIOR_PROPERTIES: dict[str, tuple[str, str]] = {
    "bic": ("Bayesian incentive compatible",
            "for every player i and types t, r of the prior: E_{t₋ᵢ}[t·x_i(t, t₋ᵢ) − p_i(t, t₋ᵢ)] ≥ "
            "E_{t₋ᵢ}[t·x_i(r, t₋ᵢ) − p_i(r, t₋ᵢ)], the others' types independent draws from the prior"),
    "interim-ir": ("interim individually rational",
                   "for every player i and type t: E_{t₋ᵢ}[t·x_i(t, t₋ᵢ) − p_i(t, t₋ᵢ)] ≥ 0"),
}


@dataclass(frozen=True)
class Prior:
    """A finite type set with probabilities, the same for every player (types drawn independently)."""

    types: tuple[Fraction, ...]
    probabilities: tuple[Fraction, ...]

    def __post_init__(self) -> None:
        from mechproof.mechanisms.auctions import exact_number
        try:
            types = tuple(exact_number(t, "a type of the prior") for t in self.types)
            probs = tuple(exact_number(q, "a probability of the prior") for q in self.probabilities)
        except ModelError as exc:
            raise ClaimDeclarationError(f"Prior: {exc}") from None
        if not types or len(types) != len(probs):
            raise ClaimDeclarationError("Prior: give one probability per type, and at least one type")
        if len(set(types)) != len(types):
            raise ClaimDeclarationError(f"Prior: the types {types} repeat")
        if any(q <= 0 for q in probs) or sum(probs) != 1:
            raise ClaimDeclarationError(f"Prior: the probabilities must be positive and sum to 1 (they sum to "
                                        f"{sum(probs)})")
        object.__setattr__(self, "types", types)
        object.__setattr__(self, "probabilities", probs)

    @staticmethod
    def parse(text: str) -> "Prior":
        """'0:1/4,1:1/2,2:1/4' (type:probability, exact) — a UsageError when malformed."""
        from mechproof.mechanisms.errors import UsageError
        from mechproof.mechanisms.exact import parse_rational
        pairs = []
        for item in str(text).split(","):
            t, colon, q = item.partition(":")
            if not colon:
                raise UsageError(f"--prior {text}: write type:probability pairs, e.g. 0:1/4,1:1/2,2:1/4")
            pairs.append((parse_rational(t, "a type of --prior"), parse_rational(q, "a probability of --prior")))
        try:
            return Prior(tuple(t for t, _ in pairs), tuple(q for _, q in pairs))
        except ClaimDeclarationError as exc:
            raise UsageError(f"--prior {text}: {str(exc).removeprefix('Prior: ')}") from None

    def text(self) -> str:
        return ", ".join(f"{t} w.p. {q}" for t, q in zip(self.types, self.probabilities))


def _interim(auction: Auction, prior: Prior, n: int, i: int, value: Fraction, report: Fraction,
             evaluate: Callable) -> Fraction:
    total = Fraction(0)
    for others in product(range(len(prior.types)), repeat=n - 1):
        weight = Fraction(1)
        for j in others:
            weight *= prior.probabilities[j]
        rest = [prior.types[j] for j in others]
        bids = tuple(rest[:i] + [report] + rest[i:])
        x, p = evaluate(bids)
        total += weight * (value * x[i] - p[i])
    return total


def prior_part(auction: Auction, prop: str, prior: Prior, players=(2,)) -> Part:
    """`bic` or `interim-ir` of `auction` under the IID `prior`, every point in PRIOR_ORDER, exact expectations."""
    auction = _check_auction(auction)
    if prop not in PRIOR_PROPERTIES:
        raise ClaimDeclarationError(f"prior_part: {prop!r} is not one of {', '.join(PRIOR_PROPERTIES)}")
    if not isinstance(prior, Prior):
        raise ClaimDeclarationError(f"prior_part: {prior!r} is not a Prior")
    title, definition = PRIOR_PROPERTIES[prop]
    T = len(prior.types)

    def points(domain):
        for n in domain["players"]:
            for i in range(n):
                for a in range(T):
                    if prop == "interim-ir":
                        yield {"players": n, "player": i, "type": prior.types[a]}
                        continue
                    for b in range(T):
                        if b != a:
                            yield {"players": n, "player": i, "type": prior.types[a], "report": prior.types[b]}

    def cases(domain):
        return sum(n * T * (T - 1 if prop == "bic" else 1) for n in domain["players"])

    def decide(point, evaluate):
        n, i, t = point["players"], point["player"], point["type"]
        truthful = _interim(auction, prior, n, i, t, t, evaluate)
        if prop == "interim-ir":
            return Evaluation.of(truthful >= 0, {"interim utility": truthful})
        lying = _interim(auction, prior, n, i, t, point["report"], evaluate)
        return Evaluation.of(truthful >= lying, {"interim utility truthful": truthful, "interim utility reporting":
                                                 lying})

    fast = evaluator(auction, True, memo=True)
    schema = Schema(IntKey("players", tuple(players) if isinstance(players, (tuple, list)) else players, min=1, max=6,
                           many=True, help="numbers of players (fewest first)"),
                    text=lambda d: f"n ∈ {{{', '.join(map(str, d['players']))}}} players, types IID: {prior.text()}",
                    cases=cases)
    return Part(f"{title}: {auction.name}", method=Method.ENUMERATION, domain=schema,
                check=enumeration_check(points, lambda p: decide(p, fast),
                                        replay=lambda p: decide(p, evaluator(auction, True, memo=False)),
                                        summary=f"{title} at all {{cases}} points ({definition})",
                                        violation=f"not {title}: first counterexample in the order at {{point}}"),
                technique=f"exact expectations over the prior; every point in the order ({PRIOR_ORDER})")

