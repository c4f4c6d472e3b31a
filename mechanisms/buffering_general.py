"""Theorem 6 (GH paper 002; Hartline–Taggart 2019) beyond IID k-select: independent, non-identical
discrete value distributions and any downward-closed feasibility family.

The model.  Agent i's value is discrete: atoms w_1 > w_2 > … > w_m with probabilities π_1 … π_m,
so its inverse demand v_i(q) is the step function that is w_j on the quantile interval
I_j = [c_{j−1}, c_j] (c_0 = 0, c_j = π_1 + … + π_j; quantile 0 is the strongest).  A feasibility
family is a downward-closed set of agent sets.  The surplus-optimal mechanism OPT^V serves the
feasible set of largest total value.  The ε-buffering rule M of Definition 4 maps each agent's
quantile through φ_ε ([0, ε] → 0, [ε, 1 − ε] → (q − ε)/(1 − 2ε), [1 − ε, 1] → 1) and serves the
set OPT^V would serve at the transformed quantiles' values; its surplus counts the true values.

Exactly: agent i's transformed quantile lies in atom a's interval on φ_ε⁻¹(I_a) = [s_a, t_a] with
s_a = ε + c_{a−1}(1 − 2ε) (s_1 = 0) and t_a = ε + c_a(1 − 2ε) (t_m = 1), and the length of
{q ∈ I_b : φ_ε(q) ∈ I_a} is p_i(a, b) = max(0, min(t_a, c_b) − max(s_a, c_{b−1})).  With
P_i(a) = t_a − s_a and W_i(a) = Σ_b p_i(a, b)·w_b (the true value earned when the rule believes a),

    surplus(M) = Σ over believed atom profiles a of Σ_{i ∈ X(a)} W_i(a_i)·Π_{j≠i} P_j(a_j),
    OPT^V      = Σ over atom profiles a of Π_j π_{a_j} · Σ_{i ∈ X(a)} w_{a_i},

X(a) the surplus-optimal set at the values w_{a_i}.  Every p_i(a, b) is linear in ε between the
finitely many ε where two of the endpoints meet, so the gap surplus(M) − (1 − 2ε)(1 − 2nε)·OPT^V
is a polynomial in ε on each piece of (0, 1/(2n)) between those points (degree ≤ max(n, 2)); its
sign on each piece is decided exactly (Bernstein coefficients, then Sturm counting).  Note
(1 − ε/(1−ε))(1 − ε) = 1 − 2ε, so the factor is Theorem 6's printed one.

Values are in general position: no two feasible sets have equal total value at any profile (checked
per instance, `ties`), so OPT^V's set — and M's — is unique and no tie rule enters.  All values are
positive, so every served set is a maximal feasible one.

`buffered_surplus_at(instance, ε)` is the plain evaluation at one rational ε (the replay of a
witness); `gap_pieces(instance)` the pieces used by the check.
"""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations, permutations, product
from math import factorial, lcm
from typing import Iterator, Sequence

from .exact import UsageError, as_rational

__all__ = [
    "downward_closed_families", "canonical_families", "Instance", "instance_of", "optimal_set",
    "ties", "buffered_surplus_at", "optimal_surplus", "gap_pieces", "polynomial_at", "general_points",
    "general_cases", "VALUE_SETS", "conway_guy", "automorphisms", "atom_probabilities",
]

Family = tuple[tuple[int, ...], ...]      # the non-empty feasible sets, agents 1..n (∅ is always feasible)
Instance = tuple[Family, tuple[tuple[Fraction, ...], ...], tuple[tuple[Fraction, ...], ...]]

def conway_guy(k: int) -> tuple[int, ...]:
    """k positive integers, descending, whose subsets all have different sums (Conway–Guy: u_k − u_i)."""
    u = [0, 1]
    while len(u) <= k:
        m = len(u) - 1
        u.append(2 * u[m] - u[m - round((2 * m) ** 0.5)])
    return tuple(u[k] - u[i] for i in range(k))


# the atoms of all agents together, in general position (distinct subset sums): close values, wide ratios
VALUE_SETS = {"conway-guy": conway_guy, "powers": lambda k: tuple(2 ** i for i in reversed(range(k)))}


def downward_closed_families(n: int) -> list[Family]:
    """Every downward-closed family on agents 1..n other than {∅}, as its non-empty sets (sorted)."""
    if not (isinstance(n, int) and 1 <= n <= 4):
        raise UsageError(f"downward-closed families are enumerated for 1 ≤ n ≤ 4 agents, got n = {n!r}")
    sets = [s for r in range(1, n + 1) for s in combinations(range(1, n + 1), r)]
    out = []
    for mask in range(1, 1 << len(sets)):
        chosen = {sets[i] for i in range(len(sets)) if mask >> i & 1}
        if all(sub in chosen for s in chosen for r in range(1, len(s)) for sub in combinations(s, r)):
            out.append(tuple(sorted(chosen, key=lambda s: (len(s), s))))
    return sorted(out, key=lambda f: (len(f), f))


def _relabel(family: Family, perm: Sequence[int]) -> Family:
    return tuple(sorted((tuple(sorted(perm[i - 1] for i in s)) for s in family), key=lambda s: (len(s), s)))


def canonical_families(n: int) -> list[Family]:
    """One family per class under relabelling the agents (the least relabelling in (size, sets) order):
    with every ordered assignment of distributions to agents enumerated, the others repeat cases."""
    seen, out = set(), []
    for f in downward_closed_families(n):
        key = min((_relabel(f, p) for p in permutations(range(1, n + 1))), key=lambda g: (len(g), g))
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def instance_of(point) -> Instance:
    """The instance of a point {n, family, values, probs}, validated (values descending and positive,
    probabilities positive summing to 1, one distribution per agent)."""
    n, family = point["n"], tuple(tuple(s) for s in point["family"])
    values = tuple(tuple(as_rational(w, "value") for w in ws) for ws in point["values"])
    probs = tuple(tuple(as_rational(p, "probability") for p in ps) for ps in point["probs"])
    if len(values) != n or len(probs) != n:
        raise UsageError(f"need one distribution per agent (n = {n})")
    for ws, ps in zip(values, probs):
        if len(ws) != len(ps) or not ws or any(w <= 0 for w in ws) or list(ws) != sorted(set(ws), reverse=True):
            raise UsageError(f"atoms must be positive and strictly decreasing, one probability each: {ws}, {ps}")
        if any(p <= 0 for p in ps) or sum(ps) != 1:
            raise UsageError(f"probabilities must be positive and sum to 1: {ps}")
    if any(not s or min(s) < 1 or max(s) > n for s in family):
        raise UsageError(f"feasible sets must be non-empty sets of agents 1..{n}")
    return family, values, probs


def optimal_set(family: Family, profile: Sequence[Fraction]) -> tuple[int, ...]:
    """The feasible set of largest total value (∅ when nothing is feasible); the first in (size, sets)
    order among equals — `ties` reports whether equals occur."""
    best, best_value = (), 0
    for s in family:
        value = sum(profile[i - 1] for i in s)
        if value > best_value:
            best, best_value = s, value
    return best


def ties(instance: Instance) -> tuple | None:
    """A value profile at which two feasible sets (∅ included) have equal total value, or None."""
    family, values, _ = instance
    V = lcm(*(w.denominator for ws in values for w in ws))
    for profile in product(*([int(w * V) for w in ws] for ws in values)):
        totals = [0] + [sum(profile[i - 1] for i in s) for s in family]
        if len(set(totals)) != len(totals):
            return tuple(Fraction(w, V) for w in profile)
    return None


def _cuts(probs: Sequence[Fraction]) -> list[Fraction]:
    c = [Fraction(0)]
    for p in probs:
        c.append(c[-1] + p)
    return c


def _ends(c: Sequence[Fraction], a: int):
    """[s_a, t_a] = φ_ε⁻¹(I_a) for atom a (0-based), as (constant, coefficient of ε) pairs."""
    m = len(c) - 1
    s = (Fraction(0), Fraction(0)) if a == 0 else (c[a], 1 - 2 * c[a])
    t = (Fraction(1), Fraction(0)) if a == m - 1 else (c[a + 1], 1 - 2 * c[a + 1])
    return s, t


def _at(lin, eps: Fraction) -> Fraction:
    return lin[0] + lin[1] * eps


def _agent_terms(ws, ps, eps) -> tuple[list[Fraction], list[Fraction]]:
    """(P(a), W(a)) for every believed atom a at one rational ε, by the plain definition."""
    c = _cuts(ps)
    P, W = [], []
    for a in range(len(ws)):
        s, t = (_at(x, eps) for x in _ends(c, a))
        P.append(t - s)
        W.append(sum(max(Fraction(0), min(t, c[b + 1]) - max(s, c[b])) * ws[b] for b in range(len(ws))))
    return P, W


def buffered_surplus_at(instance: Instance, eps) -> Fraction:
    """surplus(M) at one rational ε ∈ (0, 1/2), summed over believed atom profiles (plain definition)."""
    family, values, probs = instance
    e = as_rational(eps, "ε")
    if not 0 < e < Fraction(1, 2):
        raise UsageError(f"ε = {e} must lie in (0, 1/2)")
    terms = [_agent_terms(ws, ps, e) for ws, ps in zip(values, probs)]
    total = Fraction(0)
    for a in product(*(range(len(ws)) for ws in values)):
        served = optimal_set(family, [values[i][a[i]] for i in range(len(a))])
        for i in served:
            w = terms[i - 1][1][a[i - 1]]
            for j in range(len(a)):
                if j != i - 1:
                    w *= terms[j][0][a[j]]
            total += w
    return total


def optimal_surplus(instance: Instance) -> Fraction:
    family, values, probs = instance
    total = Fraction(0)
    for a in product(*(range(len(ws)) for ws in values)):
        profile = [values[i][a[i]] for i in range(len(a))]
        weight = Fraction(1)
        for i in range(len(a)):
            weight *= probs[i][a[i]]
        total += weight * sum(profile[i - 1] for i in optimal_set(family, profile))
    return total


# ------------------------------------------------------------------ polynomials in ε (coefficient lists)
def _mul(p: list, q: list) -> list:
    out = [0] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        if x:
            for j, y in enumerate(q):
                out[i + j] += x * y
    return out


def _add(p: list, q: list) -> list:
    if len(p) < len(q):
        p, q = q, p
    return [x + (q[i] if i < len(q) else 0) for i, x in enumerate(p)]


def polynomial_at(coeffs: Sequence, x: Fraction) -> Fraction:
    """Σ coeffs[i]·x^i (a coefficient list as `gap_pieces` returns, or a planted factor's)."""
    return sum((c * x ** i for i, c in enumerate(coeffs)), Fraction(0))


def _critical_points(cuts: Sequence[Sequence[int]], L: int, n: int) -> list[Fraction]:
    """Every ε in (0, 1/(2n)) where an end s_a, t_a meets a cut c_b (where some p(a, b) changes form):
    L·c_a + ε(L − 2L·c_a) = L·c_b, from the scaled cuts."""
    pts = set()
    for c in cuts:
        for ca in c[1:-1]:
            slope = L - 2 * ca
            for cb in c:
                num = cb - ca
                # 0 < num/slope < 1/(2n)
                if slope and num * slope > 0 and 2 * n * abs(num) < abs(slope):
                    pts.add(Fraction(num, slope))
    return sorted(pts)


def _scaled_terms(ws: Sequence[int], cuts: Sequence[int], L: int, mid: Fraction) -> tuple[list, list]:
    """(L·P(a), L·W(a)) as integer linear polynomials [constant, coefficient of ε] on the piece
    containing `mid` (every min/max branch chosen there); `cuts` = L·c_b, `ws` the scaled values."""
    m = len(ws)
    P, W = [], []
    for a in range(m):
        s = (0, 0) if a == 0 else (cuts[a], L - 2 * cuts[a])
        t = (L, 0) if a == m - 1 else (cuts[a + 1], L - 2 * cuts[a + 1])
        P.append([t[0] - s[0], t[1] - s[1]])
        w0 = w1 = 0
        s_mid, t_mid = s[0] + mid * s[1], t[0] + mid * t[1]
        for b in range(m):
            lo, lo_mid = (s, s_mid) if s_mid >= cuts[b] else ((cuts[b], 0), cuts[b])
            up, up_mid = (t, t_mid) if t_mid <= cuts[b + 1] else ((cuts[b + 1], 0), cuts[b + 1])
            if up_mid > lo_mid:
                w0 += (up[0] - lo[0]) * ws[b]
                w1 += (up[1] - lo[1]) * ws[b]
        W.append([w0, w1])
    return P, W


def gap_pieces(instance: Instance, factor=None) -> list[tuple[Fraction, Fraction, list[Fraction]]]:
    """[(lo, hi, coefficients of surplus(M) − factor(n, ε)·OPT^V in ε)] covering (0, 1/(2n)).

    `factor(n)` returns the factor's coefficient list (default Theorem 6's (1 − 2ε)(1 − 2nε)).
    Everything is taken in integers: quantiles scaled by L (the cuts' common denominator), values
    by V (theirs), so both surplus(M) and OPT^V carry L^n·V, divided out once at the end."""
    family, values, probs = instance
    n = len(values)
    hi = Fraction(1, 2 * n)
    f = factor(n) if factor is not None else [1, -2 - 2 * n, 4 * n]
    L = lcm(*(c.denominator for ps in probs for c in _cuts(ps)))
    V = lcm(*(w.denominator for ws in values for w in ws))
    cuts = [[int(c * L) for c in _cuts(ps)] for ps in probs]
    scaled = [[int(w * V) for w in ws] for ws in values]
    served = [(a, optimal_set(family, [scaled[i][a[i]] for i in range(n)]))
              for a in product(*(range(len(ws)) for ws in values))]
    opt = 0                                           # L^n·V·OPT^V
    for a, s in served:
        weight = 1
        for i in range(n):
            weight *= cuts[i][a[i] + 1] - cuts[i][a[i]]
        opt += weight * sum(scaled[i - 1][a[i - 1]] for i in s)
    ends = [Fraction(0)] + _critical_points(cuts, L, n) + [hi]
    scale = Fraction(1, L ** n * V)
    pieces = []
    for lo, up in zip(ends, ends[1:]):
        mid = (lo + up) / 2
        terms = [_scaled_terms(scaled[i], cuts[i], L, mid) for i in range(n)]
        total = [0]
        for a, s in served:
            for i in s:
                poly = terms[i - 1][1][a[i - 1]]
                for j in range(n):
                    if j != i - 1:
                        poly = _mul(poly, terms[j][0][a[j]])
                total = _add(total, poly)
        coeffs = [x * scale for x in _add(total, [-x * opt for x in f])]
        while len(coeffs) > 1 and coeffs[-1] == 0:
            coeffs.pop()
        pieces.append((lo, up, coeffs))
    return pieces


def automorphisms(family: Family, n: int) -> list[tuple[int, ...]]:
    return [p for p in permutations(range(1, n + 1)) if _relabel(family, p) == family]


def atom_probabilities(atoms: int, top: Fraction) -> tuple[Fraction, ...]:
    """The top atom with probability `top`, the others sharing 1 − top equally (one atom: 1)."""
    if atoms == 1:
        return (Fraction(1),)
    return (top,) + ((1 - top) / (atoms - 1),) * (atoms - 1)


def general_points(domain) -> Iterator[dict]:
    """Instances, in the order: n ascending, then the family (canonical, fewest sets first), then the
    value set, then the assignment of its atoms to agents, then the top atoms' probabilities.

    Each of the n agents gets `atoms` values of the set's n·atoms values (every split into agents;
    all values distinct across agents), its top atom with probability p (the others share 1 − p);
    only (n, atoms) with n·atoms ≤ max_values.
    Of the instances a relabelling that keeps the family maps to each other, only the least is kept."""
    for n in sorted(domain["agents"]):
        for atoms in sorted(a for a in domain["atoms"] if n * a <= domain["max_values"]):
            tops = (Fraction(1),) if atoms == 1 else tuple(sorted(domain["p_top"]))
            for family in canonical_families(n):
                autos = automorphisms(family, n)
                for name in domain["value_sets"]:
                    pool = VALUE_SETS[name](n * atoms)
                    for assignment in _assignments(pool, n, atoms):
                        for top in product(tops, repeat=n):
                            probs = tuple(atom_probabilities(atoms, p) for p in top)
                            key = tuple(zip(assignment, probs))
                            if all(key <= tuple(key[p.index(i + 1)] for i in range(n)) for p in autos):
                                yield {"n": n, "family": family, "values": assignment, "probs": probs}


def _assignments(pool, n, atoms) -> Iterator[tuple]:
    """Every split of `pool` into n ordered groups of `atoms` values (each group descending)."""
    if n == 0:
        yield ()
        return
    for first in combinations(sorted(pool, reverse=True), atoms):
        rest = [v for v in pool if v not in first]
        for tail in _assignments(rest, n - 1, atoms):
            yield (tuple(Fraction(v) for v in first),) + tail


def general_cases(domain) -> int:
    """The number of `general_points`, by counting: the values are distinct across agents, so no
    relabelling but the identity fixes an instance and each kept one stands for |Aut(family)|."""
    total = 0
    for n in domain["agents"]:
        for atoms in (a for a in domain["atoms"] if n * a <= domain["max_values"]):
            tops = 1 if atoms == 1 else len(domain["p_top"])
            splits = factorial(n * atoms) // factorial(atoms) ** n
            for family in canonical_families(n):
                total += len(domain["value_sets"]) * splits * tops ** n // len(automorphisms(family, n))
    return total
