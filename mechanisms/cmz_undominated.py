"""Points and properties of CMZ's truthfulness claims: UDed_i(K_i) ⊆ [min K_i, max K_i]
(CMZ-SP-AT, the conclusion of CMZ-DML) and dominant-strategy truthfulness of M_f (CMZ-MF).

Plain data in, plain data out: a property returns None when it holds at the point and a dict of
the exact values that show the violation otherwise.  Each property has a fast route (the
endpoint-reduced dominance table, the utility line of a sweep) and a replay by the plain
definition (every integer t ∈ K, every τ ∈ {0..B}^(n−1); utilities from the mechanism's outcome).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Callable, Iterator, Optional, Sequence

from .cmz_dominance import dominance_table, undominated_among_by_definition, undominated_bids_by_definition
from .cmz_f_delta_properties import AllocationRule, DistinguishablePairs, MonotoneLines
from .cmz_mechanisms import Mechanism, f_delta, insert_bid, m_f, m_f_grid_linear, second_price
from .cmz_model import approx_intervals, bid_ladder, sorted_profiles_by_max
from .cmz_payments import Piece, exact_sign, to_loglinear

__all__ = ["UndominatedWithinK", "TruthfulExamples", "MechanismExample", "monotone_examples",
           "proportional_allocation", "DMLInstance"]

Factory = Callable[[int, int, Optional[Fraction]], Mechanism]     # (n, B, δ or None) -> mechanism


def _opponents(mech: Mechanism) -> Iterator[tuple[int, ...]]:
    """τ ∈ {0..B}^(n−1), smallest top bid first (sorted τ only for a symmetric mechanism)."""
    if mech.symmetric:
        return sorted_profiles_by_max(mech.n - 1, mech.B)
    return iter(sorted(product(range(mech.B + 1), repeat=mech.n - 1), key=lambda t: (max(t, default=0), t)))


@dataclass
class UndominatedWithinK:
    """UDed_i(K_i) ⊆ [min K_i, max K_i] for the mechanisms `make(n, B, δ)` (CMZ-SP-AT, CMZ-DML).

    Points: for each B of the ladder (bid_ladder: 2, 4, 8, …, B), each n, each δ (when the
    mechanism depends on δ), each player (player 1 only for a symmetric mechanism) and each
    K = [0,0] or [a,b] with 1 ≤ a ≤ b ≤ B (every interval that is a δ-approximate valuation for
    some δ), in that order: the first violation is on the smallest bid range.
    """

    make: Factory
    per_delta: bool = True
    symmetric: bool = True              # the mechanisms are anonymous: player 1 stands for all
    _mechs: dict = field(default_factory=dict, repr=False)
    _tables: dict = field(default_factory=dict, repr=False)

    def _deltas(self, deltas: Sequence[Fraction]) -> tuple:
        return tuple(deltas) if self.per_delta else (None,)

    def players(self, n: int) -> range:
        return range(1, 2) if self.symmetric else range(1, n + 1)

    def blocks(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction] = ()) -> list[tuple]:
        """(B, n, δ, player) in the points' order: one dominance table each (sharding unit)."""
        return [(b, n, d, player) for b in bid_ladder(B) for n in ns for d in self._deltas(deltas)
                for player in self.players(n)]

    @staticmethod
    def block_weight(block: tuple) -> float:
        """Cost estimate of a block: its table has ~(B+1)² bid pairs × (B+1)^(n−1) opponent profiles."""
        return float((block[0] + 1) ** (block[1] + 1))

    def block_points(self, block: tuple) -> Iterator[dict]:
        b, n, d, player = block
        for K in approx_intervals(b):
            point = {"n": n, "B": b, "player": player, "K": K}
            if d is not None:
                point["delta"] = d
            yield point

    def points(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction] = ()) -> Iterator[dict]:
        for block in self.blocks(ns, B, deltas):
            yield from self.block_points(block)

    def count(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction] = ()) -> int:
        return sum(len(self.players(n)) * (1 + b * (b + 1) // 2)
                   for b in bid_ladder(B) for n in ns) * len(self._deltas(deltas))

    def mechanism(self, point: dict) -> Mechanism:
        key = (point["n"], point["B"], point.get("delta"))
        if key not in self._mechs:
            mech = self.make(*key)
            if self.symmetric and not mech.symmetric:
                raise ValueError(f"{mech.name} is not declared symmetric: check every player")
            self._mechs[key] = mech
        return self._mechs[key]

    def route_mismatch(self, point: dict) -> dict | None:
        """The int64-vectorised pair stage against the exact one-row-at-a-time route (cmz_dominance):
        the same pair ranges, pair by pair, for the point's mechanism and player."""
        mech, i = self.mechanism(point), point["player"] - 1
        fast, exact = dominance_table(mech, i, "fast").pairs, dominance_table(mech, i, "exact").pairs
        if fast == exact:
            return None
        diff = sorted(k for k in set(fast) | set(exact) if fast.get(k) != exact.get(k))
        s, s2 = diff[0]
        return {"bid pairs that differ": len(diff), "first pair (s, s')": (s, s2),
                "fast route": str(fast.get((s, s2), "dominance impossible")),
                "exact route": str(exact.get((s, s2), "dominance impossible"))}

    def violation(self, point: dict) -> dict | None:
        """Fast route: the endpoint-reduced dominance table of the player."""
        mech, i, K = self.mechanism(point), point["player"] - 1, point["K"]
        key = (point["n"], point["B"], point.get("delta"), i)
        if key not in self._tables:
            self._tables[key] = dominance_table(mech, i)
        ud = self._tables[key].undominated(K)
        outside = sorted(s for s in ud if s not in K)
        if not outside:
            return None
        return {"undominated bids outside K": tuple(outside), "UDed(K)": tuple(sorted(ud))}

    def violation_by_definition(self, point: dict) -> dict | None:
        """The plain definition: a bid outside K that no bid dominates for every integer t ∈ K
        and every τ ∈ {0..B}^(n−1).  The table's candidates are tried first, then every other bid."""
        mech, i, K = self.mechanism(point), point["player"] - 1, point["K"]
        outside = [s for s in range(mech.B + 1) if s not in K]
        fast = self.violation(point)
        first = list(fast["undominated bids outside K"]) if fast else []
        order = first + [s for s in outside if s not in first]
        for s in order:
            if undominated_among_by_definition(mech, i, K, [s]):
                return {"bid": s, "undominated by definition": "no bid dominates it for every integer t ∈ K "
                                                               "and every τ ∈ {0..B}^(n−1)"}
        return None

    def table_mismatch(self, point: dict) -> dict | None:
        """Cross-check of the fast route itself (not only of its violations): the endpoint-reduced
        table's UDed_i(K) equals UDed_i(K) by the plain definition, and is not empty (finitely many
        bids: some bid is undominated; an empty set is a broken dominance relation)."""
        mech, i, K = self.mechanism(point), point["player"] - 1, point["K"]
        key = (point["n"], point["B"], point.get("delta"), i)
        if key not in self._tables:
            self._tables[key] = dominance_table(mech, i)
        fast = self._tables[key].undominated(K)
        plain = undominated_bids_by_definition(mech, i, K)
        if fast == plain and fast:
            return None
        return {"UDed(K) by the table": tuple(sorted(fast)), "UDed(K) by the definition": tuple(sorted(plain))}


@dataclass(frozen=True)
class MechanismExample:
    """A named mechanism family for CMZ-MF: `make(n, B, δ)`; δ is ignored unless `per_delta`."""

    name: str
    make: Factory
    per_delta: bool = False


@dataclass
class TruthfulExamples:
    """u_i(t, t⊔τ) ≥ u_i(t, s⊔τ) for every true value t, bid s ∈ {0..B} and τ (CMZ-MF: M_f is
    dominant-strategy truthful), on a list of example mechanisms.

    Points: for each n, each example (each δ if it depends on δ), each player (player 1 for a
    symmetric mechanism), each τ (smallest top bid first) and each t ∈ {0..B}.
    """

    examples: tuple[MechanismExample, ...]
    _mechs: dict = field(default_factory=dict, repr=False)

    def _instances(self, ns, B, deltas):
        for n in ns:
            for ex in self.examples:
                for d in (tuple(deltas) if ex.per_delta else (None,)):
                    yield n, ex, d

    def mechanism(self, point: dict) -> Mechanism:
        ex = next(e for e in self.examples if e.name == point["mechanism"])
        key = (ex.name, point["n"], point["B"], point.get("delta"))
        if key not in self._mechs:
            self._mechs[key] = ex.make(point["n"], point["B"], point.get("delta"))
        return self._mechs[key]

    def points(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction] = ()) -> Iterator[dict]:
        for n, ex, d in self._instances(ns, B, deltas):
            base = {"mechanism": ex.name, "n": n, "B": B}
            if d is not None:
                base["delta"] = d
            mech = self.mechanism(base)
            for player in (range(1, 2) if mech.symmetric else range(1, n + 1)):
                for tau in _opponents(mech):
                    for t in range(B + 1):
                        yield {**base, "player": player, "tau": tau, "t": t}

    def count(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction] = ()) -> int:
        total = 0
        for n, ex, d in self._instances(ns, B, deltas):
            mech = self.mechanism({"mechanism": ex.name, "n": n, "B": B, "delta": d})
            taus = sum(1 for _ in _opponents(mech))
            total += (1 if mech.symmetric else n) * taus * (B + 1)
        return total

    def violation(self, point: dict) -> dict | None:
        """Fast route: the utility line (f_i, p_i)(s⊔τ), s = 0..B, of one sweep."""
        mech, i, tau, t = self.mechanism(point), point["player"] - 1, point["tau"], point["t"]
        line = mech.line(i, tau)
        truthful = to_loglinear(t * line[t][0]) - to_loglinear(line[t][1])
        for s in range(mech.B + 1):
            if s != t:
                gain = to_loglinear(t * line[s][0]) - to_loglinear(line[s][1]) - truthful
                if exact_sign(gain) > 0:
                    return {"bid": s, "u(truth)": truthful, "u(bid)": truthful + gain}
        return None

    def violation_by_definition(self, point: dict) -> dict | None:
        """Plain utilities u = t·f_i(v) − p_i(v) from the mechanism's outcome at each profile."""
        mech, i, tau, t = self.mechanism(point), point["player"] - 1, point["tau"], point["t"]
        truthful = to_loglinear(mech.utility(i, t, insert_bid(i, t, tau)))
        for s in range(mech.B + 1):
            if s != t:
                u = to_loglinear(mech.utility(i, t, insert_bid(i, s, tau)))
                if exact_sign(u - truthful) > 0:
                    return {"bid": s, "u(truth)": truthful, "u(bid)": u}
        return None


# ---------------------------------------------------------------- CMZ-MF examples
def proportional_allocation(v: tuple) -> tuple:
    """f_i = v_i / Σ v (uniform when every bid is 0): monotone, defined on the grid."""
    s = sum(v)
    return tuple(Fraction(x, s) if s else Fraction(1, len(v)) for x in v)


def _step_pieces(tau: tuple, B: int) -> list[Piece]:
    """Second price's allocation as a step function of real z: 0 below max τ, 1 above."""
    m = max(tau)
    if m == 0:
        return [Piece(Fraction(0), Fraction(B), Fraction(1))]
    if m >= B:
        return [Piece(Fraction(0), Fraction(B), Fraction(0))]
    return [Piece(Fraction(0), Fraction(m), Fraction(0)), Piece(Fraction(m), Fraction(B), Fraction(1))]


def monotone_examples() -> tuple[MechanismExample, ...]:
    """The monotone f's CMZ-MF is checked on: f^(δ), v_i/Σv (grid, piecewise-linear in z), the
    second-price step rule (on the reals), random assignment."""
    return (
        MechanismExample("M_f^(δ)", lambda n, B, d: f_delta(n, B, d), per_delta=True),
        MechanismExample("M_f proportional v_i/Σv", lambda n, B, d: m_f_grid_linear(
            "M_f proportional v_i/Σv (grid, piecewise-linear in z)", n, B, proportional_allocation, True)),
        MechanismExample("M_f second-price step rule", lambda n, B, d: m_f(
            "M_f second-price step rule (reals)", n, B, second_price(n, B).allocation,
            lambda i, tau: _step_pieces(tau, B), True)),
        MechanismExample("M_f random assignment", lambda n, B, d: m_f(
            "M_f random assignment", n, B, lambda v: (Fraction(1, len(v)),) * len(v),
            lambda i, tau: [Piece(Fraction(0), Fraction(B), Fraction(1, n))], True)),
    )


# ---------------------------------------------------------------- CMZ-DML on one f
@dataclass
class DMLInstance:
    """The DML for one allocation rule f: its hypotheses (f monotone in real z on [0, B], f
    distinguishably monotone for each B of the ladder) and its conclusion UDed_i(K_i) ⊆ K_i for
    M_f (`make_mech(n, B, δ)`).  Points: the hypotheses' first, then the conclusion's.  A failing
    hypothesis makes the point undecided (the lemma says nothing about that f), never a refutation.
    """

    rule: AllocationRule
    make_mech: Factory
    per_delta: bool = True

    def __post_init__(self) -> None:
        self.lines = MonotoneLines(self.rule)
        self.pairs = DistinguishablePairs(self.rule)
        self.conclusion = UndominatedWithinK(self.make_mech, per_delta=self.per_delta)

    def _deltas(self, deltas):
        return tuple(deltas) if self.per_delta else (None,)

    def points(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction] = ()) -> Iterator[dict]:
        for p in self.lines.points(ns, B, self._deltas(deltas)):
            yield {"property": "f monotone", **p}
        for p in self.pairs.points(ns, B, self._deltas(deltas)):
            yield {"property": "f distinguishably monotone", **p}
        for p in self.conclusion.points(ns, B, deltas):
            yield {"property": "UDed ⊆ K", **p}

    def count(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction] = ()) -> int:
        k = len(self._deltas(deltas))
        return (self.lines.count(ns, B, (None,) * k) + self.pairs.count(ns, B, (None,) * k)
                + self.conclusion.count(ns, B, deltas))

    @staticmethod
    def _strip(p: dict) -> dict:
        return {k: v for k, v in p.items() if k != "property" and not (k == "delta" and v is None)}

    def _hypothesis(self, p: dict, found) -> str | None:
        if found is None:
            return None
        shown = ", ".join(f"{k}={v}" for k, v in found.items())
        return f"hypothesis '{p['property']}' fails ({shown}): the lemma says nothing about this f"

    def violation(self, p: dict) -> dict | str | None:
        q = self._strip(p)
        if p["property"] == "f monotone":
            return self._hypothesis(p, self.lines.violation({**q, "delta": p.get("delta")}))
        if p["property"] == "f distinguishably monotone":
            return self._hypothesis(p, self.pairs.violation({**q, "delta": p.get("delta")}))
        return self.conclusion.violation(q)

    def violation_by_definition(self, p: dict) -> dict | str | None:
        if p["property"] != "UDed ⊆ K":
            return self.violation(p)
        return self.conclusion.violation_by_definition(self._strip(p))
