"""Points and properties of f^(δ) (CMZ Def. E.2): CMZ-F and Lemma E.3 (CMZ-E3), and the
monotonicity hypotheses of the DML (CMZ-DML).

An allocation rule is given by a factory `make(n, δ) -> f` (f maps a bid profile to the win
probabilities), so planted variants (another D, another n* rule, a non-monotone f) run through
exactly the same properties.  Each property returns None where it holds and a dict of the exact
values showing the violation otherwise.

Points come smallest first: per n and δ, the sorted profiles of {0..B}^n by top bid, then
lexicographically (`sorted_profiles_by_max`); the distinguishable-monotonicity pairs per B of the
ladder (2, 4, 8, …, B: each a separate instance, its witnesses v_−i drawn from {0..b}^(n−1)).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import permutations
from typing import Callable, Iterator, Optional, Sequence

from .cmz_mechanisms import (f_delta_allocation, f_delta_allocation_scaled, f_delta_breakpoints, f_delta_winners,
                             insert_bid)
from .cmz_model import D_of_delta, bid_ladder, count_sorted_profiles, sorted_profiles_by_max
from .cmz_payments import Piece, cumulative_integrals, exact_sign, fit_inverse_pieces, grid_linear_pieces

__all__ = [
    "AllocationRule", "f_delta_rule", "grid_linear_rule", "profile_points", "count_profiles",
    "nstar_defined", "winner_inequality", "nstar_unique", "valid_probabilities", "delta_good", "feasible",
    "definition_two_routes", "MonotoneLines", "DistinguishablePairs", "two_sided_thresholds",
]

Allocation = Callable[[tuple], tuple]


def _on_reals(f: Allocation, tau: tuple, z: Fraction) -> Fraction:
    return f(insert_bid(0, z, tau))[0]


def _grid_extension(f: Allocation, tau: tuple, z: Fraction) -> Fraction:
    """The piecewise-linear extension in z of a rule given on the integer grid."""
    lo = z.numerator // z.denominator
    a = f(insert_bid(0, lo, tau))[0]
    if z == lo:
        return a
    return a + (z - lo) * (f(insert_bid(0, lo + 1, tau))[0] - a)


@dataclass(frozen=True)
class AllocationRule:
    """An allocation rule family: `make(n, δ)` gives f; `pieces(n, δ, B, f, τ)` gives z ↦ f_1(z⊔τ)
    on [0, B] as pieces a + b·z + c/z (real z), for the monotonicity and integral checks;
    `at(f, τ, z)` evaluates f_1(z⊔τ) at a real z plainly (the definition the pieces must match)."""

    name: str
    make: Callable[[int, Fraction], Allocation]
    pieces: Callable[[int, Fraction, int, Allocation, tuple], list[Piece]]
    D: Callable[[Fraction], Fraction] = D_of_delta        # the D(δ) its properties are stated with
    at: Callable[[Allocation, tuple, Fraction], Fraction] = _on_reals


def f_delta_rule(D_override: Optional[Callable[[Fraction], Fraction]] = None,
                 nstar_rule: str = "smallest") -> AllocationRule:
    """f^(δ) of Def. E.2 (n* the smallest index), or a planted variant (another D, the largest n*)."""
    def D(d):
        return D_of_delta(d) if D_override is None else D_override(d)

    def make(n, d):
        Dv = D(d)
        return lambda v: f_delta_allocation(v, d, D=Dv, nstar_rule=nstar_rule)

    def pieces(n, d, B, f, tau):     # f = make(n, d): fitted by the same formula's integer route
        Dv = D(d)
        return fit_inverse_pieces(f_delta_breakpoints(tau, Dv), B,
                                  lambda z: f_delta_allocation_scaled(insert_bid(0, z, tau), Dv, nstar_rule)[0])

    label = "f^(δ)" + ("" if D_override is None else " (planted D)") + \
        ("" if nstar_rule == "smallest" else f" (n* = {nstar_rule})")
    return AllocationRule(label, make, pieces)


def grid_linear_rule(name: str, allocation: Allocation) -> AllocationRule:
    """A rule given on the integer grid, extended piecewise-linearly in z (for user f's)."""
    def pieces(n, d, B, f, tau):
        return grid_linear_pieces([f(insert_bid(0, z, tau))[0] for z in range(B + 1)])
    return AllocationRule(name, lambda n, d: allocation, pieces, at=_grid_extension)


# ---------------------------------------------------------------- profile properties (F, E3)
def profile_points(ns: Sequence[int], B: int, deltas: Sequence[Fraction], nonzero: bool = False) -> Iterator[dict]:
    """Per n and δ: every sorted v ∈ {0..B}^n, smallest top bid first (v = 0 skipped if `nonzero`)."""
    for n in ns:
        for d in deltas:
            for v in sorted_profiles_by_max(n, B):
                if nonzero and not any(v):
                    continue
                yield {"n": n, "delta": d, "v": v}


def count_profiles(ns: Sequence[int], B: int, deltas: Sequence[Fraction], nonzero: bool = False) -> int:
    return sum(count_sorted_profiles(n, B) - (1 if nonzero else 0) for n in ns) * len(deltas)


def two_sided_thresholds(v: tuple, n: int, D: Fraction) -> list[int]:
    """The k with v_i > S_k/(k+D) for i ≤ k and v_i ≤ S_k/(k+D) for i > k (the slide's threshold)."""
    return [k for k in range(1, n + 1)
            if all(v[i] * (k + D) > sum(v[:k]) for i in range(k))
            and all(v[i] * (k + D) <= sum(v[:k]) for i in range(k, n))]


def nstar_defined(rule: AllocationRule, winners=f_delta_winners, indices=None) -> Callable[[dict], dict | None]:
    """E3 (1): the set {k ∈ N : v_i ≤ S_k/(k+D) for every i > k} (Def. E.2, each i checked) is
    non-empty, and the n* the mechanism uses (`winners`) is its smallest element.

    `indices(n)` is the index set N (default {1..n}); planted variants pass another one."""
    def prop(p):
        v, n, d = p["v"], p["n"], p["delta"]
        D = rule.D(d)
        N = range(1, n + 1) if indices is None else indices(n)
        ks = [k for k in N if all(v[i] * (k + D) <= sum(v[:k]) for i in range(k, n))]
        if not ks:
            return {"indices satisfying the n* condition": "none"}
        used = winners(v, D)[0]
        if used != ks[0]:
            return {"smallest index satisfying the condition": ks[0], "n* used by f^(δ)": used}
        return None
    return prop


def winner_inequality(rule: AllocationRule, winners=f_delta_winners) -> Callable[[dict], dict | None]:
    """E3 (2): v_i > S/(n*+D) for every winner i ≤ n* (profiles v ≠ 0)."""
    def prop(p):
        v, d = p["v"], p["delta"]
        D = rule.D(d)
        k, won, S = winners(v, D)
        for i in won:
            if not v[i] * (k + D) > S:
                return {"n*": k, "S": S, f"v_{i + 1}": v[i], "S/(n*+D)": S / (k + D)}
        return None
    return prop


def nstar_unique(rule: AllocationRule) -> Callable[[dict], dict | None]:
    """E3 (3): at most one k satisfies the two-sided threshold."""
    def prop(p):
        ks = two_sided_thresholds(p["v"], p["n"], rule.D(p["delta"]))
        return None if len(ks) <= 1 else {"indices satisfying both sides": tuple(ks)}
    return prop


def valid_probabilities(rule: AllocationRule, winners=f_delta_winners) -> Callable[[dict], dict | None]:
    """E3 (4): f_i ∈ [0,1] and Σ f_i ≤ ((n+D)/n)(n*/(n*+D)) ≤ 1 (f = 0 at v = 0)."""
    def prop(p):
        v, n, d = p["v"], p["n"], p["delta"]
        D = rule.D(d)
        fv = rule.make(n, d)(v)
        if not any(v):
            return None if all(x == 0 for x in fv) else {"f(0)": fv}
        k = winners(v, D)[0]
        cap = Fraction(n + D, n) * Fraction(k) / (k + D)
        if any(not 0 <= x <= 1 for x in fv) or sum(fv) > cap or cap > 1:
            return {"f": fv, "sum": sum(fv), "((n+D)/n)(n*/(n*+D))": cap}
        return None
    return prop


def feasible(rule: AllocationRule) -> Callable[[dict], dict | None]:
    """f_i ∈ [0,1] and Σ f_i ≤ 1 (a single good)."""
    def prop(p):
        fv = rule.make(p["n"], p["delta"])(p["v"])
        return None if all(0 <= x <= 1 for x in fv) and sum(fv) <= 1 else {"f": fv, "sum": sum(fv)}
    return prop


def delta_good(rule: AllocationRule) -> Callable[[dict], dict | None]:
    """E3 (7): Σ_j f_j v_j + D f_i v_i ≥ (1/n) v_i (n+D) for every i (Eq. (E.1))."""
    def prop(p):
        v, n, d = p["v"], p["n"], p["delta"]
        D = rule.D(d)
        fv = rule.make(n, d)(v)
        total = sum(x * y for x, y in zip(fv, v))
        for i in range(n):
            lhs, rhs = total + D * fv[i] * v[i], Fraction(1, n) * v[i] * (n + D)
            if lhs < rhs:
                return {"f": fv, "player": i + 1, "Σf_j v_j + D f_i v_i": lhs, "(1/n) v_i (n+D)": rhs}
        return None
    return prop


def definition_two_routes(rule: AllocationRule, winners=f_delta_winners) -> Callable[[dict], dict | None]:
    """CMZ-F: Def. E.2's smallest n* is the slide's unique two-sided threshold (v ≠ 0), no tie
    straddles the winner boundary, and f is permutation-equivariant (the symmetric extension)."""
    def prop(p):
        v, n, d = p["v"], p["n"], p["delta"]
        D = rule.D(d)
        f = rule.make(n, d)
        fv = f(v)
        if any(v):
            k = winners(v, D)[0]
            ks = two_sided_thresholds(v, n, D)
            if ks != [k]:
                return {"n* (Def. E.2)": k, "two-sided thresholds (slide)": tuple(ks)}
            if k < n and v[k - 1] == v[k]:
                return {"n*": k, "tie across the winner boundary": (v[k - 1], v[k])}
        for perm in permutations(range(n)):
            w = tuple(v[perm[j]] for j in range(n))
            fw = f(w)
            if any(fw[j] != fv[perm[j]] for j in range(n)):
                return {"permuted bids": w, "f(permuted)": fw, "f(sorted)": fv}
        return None
    return prop


# ---------------------------------------------------------------- lines in real z (E3 (5), DML)
@dataclass
class MonotoneLines:
    """E3 (5): z ↦ f_1(z⊔τ) is non-decreasing on the reals z ∈ [0, B] for every integer τ ∈
    {0..B}^(n−1) (f symmetric: sorted τ): on every piece a + b·z + c/z the derivative b − c/z²
    stays ≥ 0, and no value drops at a breakpoint.  Points: per n and δ, τ smallest top bid first."""

    rule: AllocationRule

    def points(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction]) -> Iterator[dict]:
        for n in ns:
            for d in deltas:
                for tau in sorted_profiles_by_max(n - 1, B):
                    yield {"n": n, "delta": d, "B": B, "tau": tau}

    @staticmethod
    def count(ns: Sequence[int], B: int, deltas: Sequence[Fraction]) -> int:
        return sum(count_sorted_profiles(n - 1, B) for n in ns) * len(deltas)

    def violation(self, p: dict) -> dict | None:
        """Fast route: the exact pieces of the line; a drop is reported as two points z < z' of one
        piece (or a breakpoint and a point next to it) with f_1(z') < f_1(z)."""
        n, d, B, tau = p["n"], p["delta"], p["B"], p["tau"]
        f = self.rule.make(n, d)

        def val(z):
            return self.rule.at(f, tau, Fraction(z))

        def drop(z, z2, a, b):
            return {"z": z, "z'": z2, "f_1(z)": a, "f_1(z')": b}

        prev = val(Fraction(0))
        for pc in self.rule.pieces(n, d, B, f, tau):
            w = pc.hi - pc.lo
            left = pc.value(pc.lo) if pc.lo > 0 else pc.a
            if left < prev:
                inside = (pc.lo + w / 2 ** k for k in range(1, 64))          # points approaching lo
                z2 = next(z for z in inside if pc.value(z) < prev)
                return drop(pc.lo, z2, prev, pc.value(z2))
            # the derivative b − c/z² is monotone in z on a piece: negative somewhere iff near an end
            decreasing = (pc.c > 0 and pc.b * pc.lo ** 2 < pc.c) or (pc.c < 0 and pc.b * pc.hi ** 2 < pc.c) \
                or (pc.c == 0 and pc.b < 0)
            if decreasing:
                pairs = [(pc.lo + w / 2 ** (k + 1), pc.lo + w / 2 ** k) for k in range(1, 64)]
                pairs += [(pc.hi - w / 2 ** k, pc.hi - w / 2 ** (k + 1)) for k in range(1, 64)]
                for z, z2 in pairs:
                    if pc.value(z2) < pc.value(z):
                        return drop(z, z2, pc.value(z), pc.value(z2))
            at_hi, right = val(pc.hi), pc.value(pc.hi)
            if at_hi < right:
                z = next(z for z in (pc.hi - w / 2 ** k for k in range(1, 64)) if pc.value(z) > at_hi)
                return drop(z, pc.hi, pc.value(z), at_hi)
            prev = at_hi
        return None

    def violation_by_evaluation(self, p: dict) -> dict | None:
        """Plain evaluation of f_1(z⊔τ) at the two reported points: the drop is confirmed."""
        found = self.violation(p)
        if found is None:
            return None
        f = self.rule.make(p["n"], p["delta"])
        z, z2 = found["z"], found["z'"]
        a, b = self.rule.at(f, p["tau"], z), self.rule.at(f, p["tau"], z2)
        return {"z": z, "z'": z2, "f_1(z)": a, "f_1(z')": b} if z < z2 and b < a else None


@dataclass
class DistinguishablePairs:
    """E3 (6): for v_i < v'_i in {0..b} there is v_−i ∈ {0..b}^(n−1) with
    ∫_{v_i}^{v'_i} (f_i(z⊔v_−i) − f_i(v_i⊔v_−i)) dz > 0, for each b of the ladder (2, 4, 8, …, B).
    Points: per b, n, δ, the pairs (v_i, v'_i) lexicographically."""

    rule: AllocationRule
    _good: dict = field(default_factory=dict, repr=False)

    def points(self, ns: Sequence[int], B: int, deltas: Sequence[Fraction]) -> Iterator[dict]:
        for b in bid_ladder(B):
            for n in ns:
                for d in deltas:
                    for lo in range(b + 1):
                        for hi in range(lo + 1, b + 1):
                            yield {"n": n, "delta": d, "B": b, "v_i": lo, "v'_i": hi}

    @staticmethod
    def count(ns: Sequence[int], B: int, deltas: Sequence[Fraction]) -> int:
        return sum(b * (b + 1) // 2 for b in bid_ladder(B)) * len(ns) * len(deltas)

    def _integral(self, n, d, B, tau):
        f = self.rule.make(n, d)
        G = cumulative_integrals(self.rule.pieces(n, d, B, f, tau), range(B + 1))
        fv = [f(insert_bid(0, z, tau))[0] for z in range(B + 1)]
        return lambda a, b: G[b] - G[a] - (b - a) * fv[a]

    def _good_pairs(self, n, d, B) -> dict:
        key = (n, d, B)
        if key not in self._good:
            good: dict = {}
            pairs = B * (B + 1) // 2
            for tau in sorted_profiles_by_max(n - 1, B):
                if len(good) == pairs:      # every pair has its (first) witness: later τ add nothing
                    break
                integral = self._integral(n, d, B, tau)
                for a in range(B + 1):
                    for b in range(a + 1, B + 1):
                        if (a, b) not in good and exact_sign(integral(a, b)) > 0:
                            good[(a, b)] = tau
            self._good = {key: good}
        return self._good[key]

    def violation(self, p: dict) -> dict | None:
        pair = (p["v_i"], p["v'_i"])
        if pair in self._good_pairs(p["n"], p["delta"], p["B"]):
            return None
        return {"every v_−i in {0..B}^(n−1) (sorted: f symmetric)": "integral ≤ 0"}

    def violation_by_definition(self, p: dict) -> dict | None:
        """Every v_−i tried, the integral evaluated exactly for this pair alone."""
        n, d, B, a, b = p["n"], p["delta"], p["B"], p["v_i"], p["v'_i"]
        best = None
        for tau in sorted_profiles_by_max(n - 1, B):
            value = self._integral(n, d, B, tau)(a, b)
            if exact_sign(value) > 0:
                return None
            best = value if best is None else best
        return {"v_−i tried": "all (sorted; f symmetric)", "integral at v_−i = 0": best}
