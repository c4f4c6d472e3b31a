"""The cases of BCK (paper 001) Lemmas 3, 6, 7, 8 and of the App. D inventory bound, exactly.

Each `*_points` generator yields the cases of one check as dicts of exact values, in the order
stated in its docstring (fewer variables first, then lexicographic), so that the first violation
found is a smallest one.  Each measure returns the two exact quantities the claim compares —
(achieved, benchmark[, extra observed values]) — by the fast route; each `*_replay` recomputes
them by the plain definitions (LP re-solved, joint checked, expectations summed over the
product distribution) to re-check a witness.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import combinations_with_replacement, product
from typing import Callable, Mapping, Sequence

from .bck_bic import served_mass
from .bck_instances import two_point_marginals
from .errors import ModelError
from .exact import UsageError
from .random_variables import (
    DiscreteRV, expected_top_k_utility, independent_joint, mass_at_values, merge, split_evenly, two_point,
    utility_of_top_k, worst_case_joint,
)

__all__ = [
    "correlation_gap_points", "correlation_gap_count", "correlation_gap", "correlation_gap_replay",
    "bernoulli_points", "bernoulli_gap",
    "merge_pairs", "merge_singles", "merge_contexts", "merge_rule", "merge_gain_points", "merge_gain_count",
    "merge_gain", "split_points", "split_count", "split_ratio", "split_replay",
    "redistribution_points", "redistribution_count", "redistribution_ratio", "redistribution_replay",
    "inventory_points", "inventory_count", "poisson_served_mass", "served", "served_by_definition",
]

F = Fraction


def _Uk(U: Callable, k: int) -> Callable:
    return lambda x: utility_of_top_k(U, x, k)


# ------------------------------------------------------------------ Lemma 3: correlation gap
def _gap_probs(n: int) -> tuple[Fraction, ...]:
    return (F(1, 4), F(1, 2), F(3, 4)) if n <= 2 else (F(1, 3), F(2, 3))


def correlation_gap_points(n_max: int, utilities: Sequence):
    """n ∈ {2..n_max} two-point marginals (values 1, 2; probabilities in quarters for n = 2, thirds
    for n ≥ 3), each utility, k ∈ {1..n}: fewer variables first, then marginals, U, k."""
    for n in range(2, n_max + 1):
        for margs in two_point_marginals(n, probs=_gap_probs(n)):
            for U in utilities:
                for k in range(1, n + 1):
                    yield {"marginals": margs, "U": U, "k": k}


def correlation_gap_count(n_max: int, utilities: int) -> int:
    return sum((2 * len(_gap_probs(n))) ** n * utilities * n for n in range(2, n_max + 1))


def correlation_gap(point: Mapping) -> tuple:
    """(E_ind[U_k], max over joints with these marginals of E[U_k]) — the worst joint by an exact LP."""
    f = _Uk(point["U"], point["k"])
    corr, _ = worst_case_joint(f, point["marginals"], with_joint=False)
    return expected_top_k_utility(point["U"], point["marginals"], point["k"]), corr


def correlation_gap_replay(point: Mapping) -> tuple:
    """The LP re-solved; its joint checked (marginals, value); E_ind summed over the product."""
    f, margs = _Uk(point["U"], point["k"]), tuple(point["marginals"])
    corr, joint = worst_case_joint(f, margs)
    if joint.marginals() != margs or joint.expectation(f) != corr:
        raise ModelError("the worst joint does not have the given marginals or value")
    return independent_joint(margs).expectation(f), corr, {"worst joint": str(joint.outcomes)}


def bernoulli_points(n_max: int):
    """n ∈ {2..n_max}: n independent Bernoulli(1/n), f = min(Σ, 1) (the near-tight family)."""
    for n in range(2, n_max + 1):
        yield {"n": n}


def bernoulli_gap(point: Mapping, U: Callable) -> tuple:
    n = int(point["n"])
    margs = tuple(two_point(1, F(1, n)) for _ in range(n))
    corr, joint = worst_case_joint(_Uk(U, n), margs)
    if joint.marginals() != margs:
        raise ModelError("the worst joint does not have the given marginals")
    return expected_top_k_utility(U, margs, n), corr


# ------------------------------------------------------------------ Lemma 6: merge
def merge_singles(v_max: int = 3) -> list[DiscreteRV]:
    """Small variables: v w.p. p (v ∈ {1..v_max}, p in quarters), and {0, 1, 2} w.p. (1/4, 1/4, 1/2)."""
    singles = [two_point(v, p) for v in range(1, v_max + 1) for p in (F(1, 4), F(1, 2), F(3, 4))]
    return singles + [DiscreteRV.of({0: F(1, 4), 1: F(1, 4), 2: F(1, 2)})]


def merge_contexts() -> list[tuple[DiscreteRV, ...]]:
    """The other variables of S: none, one, two."""
    return [(), (two_point(1, F(1, 2)),), (two_point(2, F(1, 2)), two_point(1, F(3, 4)))]


def merge_pairs(singles: Sequence[DiscreteRV]):
    """Every ordered pair (X1, X2) of the singles, in list order."""
    for x1, x2 in product(singles, repeat=2):
        yield {"X1": x1, "X2": x2}


def merge_rule(point: Mapping, merge_op: Callable = merge) -> tuple[bool, dict]:
    """`merge_op` accepts (X1, X2) iff Pr[X1≠0] + Pr[X2≠0] ≤ 1, and then carries Pr[X1=p] + Pr[X2=p]."""
    x1, x2 = point["X1"], point["X2"]
    mass = x1.nonzero_probability + x2.nonzero_probability
    try:
        y = merge_op(x1, x2)
    except UsageError as exc:
        return mass > 1, {"Pr[X1≠0]+Pr[X2≠0]": mass, "merge": f"rejected ({exc})"}
    if mass > 1:
        return False, {"Pr[X1≠0]+Pr[X2≠0]": mass, "merged": str(y)}
    return mass_at_values((y,)) == mass_at_values((x1, x2)), {"merged": str(y)}


def merge_gain_points(singles: Sequence[DiscreteRV], contexts: Sequence, utilities: Sequence, k_max: int):
    """Legal pairs (Pr[X1≠0] + Pr[X2≠0] ≤ 1) in pair order, then the other variables, U, k ≤ k_max."""
    for pair in merge_pairs(singles):
        if pair["X1"].nonzero_probability + pair["X2"].nonzero_probability > 1:
            continue
        for rest in contexts:
            for U in utilities:
                for k in range(1, k_max + 1):
                    yield {**pair, "others": rest, "U": U, "k": k}


def merge_gain_count(singles: Sequence[DiscreteRV], contexts: int, utilities: int, k_max: int) -> int:
    legal = sum(1 for a, b in product(singles, repeat=2) if a.nonzero_probability + b.nonzero_probability <= 1)
    return legal * contexts * utilities * k_max


def merge_gain(point: Mapping, merge_op: Callable = merge) -> tuple:
    """(E[U_k(S')], E[U_k(S)]) for S = {X1, X2} ∪ others and S' = {merge(X1, X2)} ∪ others."""
    x1, x2, rest, U, k = (point[key] for key in ("X1", "X2", "others", "U", "k"))
    y = merge_op(x1, x2)
    return expected_top_k_utility(U, (y,) + tuple(rest), k), expected_top_k_utility(U, (x1, x2) + tuple(rest), k)


# ------------------------------------------------------------------ Lemmas 7, 8: split, redistribution
def _correlated_sets(n_max: int):
    for n in range(1, n_max + 1):
        yield from two_point_marginals(n, probs=(F(1, 2), F(3, 4), F(1)))


@lru_cache(maxsize=4096)
def _worst_joint(U: Callable, margs: tuple, k: int):
    return worst_case_joint(_Uk(U, k), margs, with_joint=False)


def _uneven_split(x: DiscreteRV, share: Fraction) -> tuple[DiscreteRV, DiscreteRV]:
    """X into two pieces carrying share and 1 − share of each positive mass."""
    out = []
    for s in (share, 1 - share):
        atoms = tuple((v, p * s) for v, p in mass_at_values((x,)).items())
        out.append(DiscreteRV(atoms + ((F(0), 1 - sum(p for _, p in atoms)),)))
    return tuple(out)


SPLITS = ("even L=1", "even L=2", "even L=3", "uneven 1/4:3/4")


def _pieces(margs: Sequence[DiscreteRV], split: str) -> list[DiscreteRV]:
    if split.startswith("even"):
        return [p for m in margs for p in split_evenly(m, int(split[-1]))]
    return [p for m in margs for p in _uneven_split(m, F(1, 4))]


def split_points(n_max: int, utilities: Sequence):
    """S of n ≤ n_max two-point variables (values 1, 2; probabilities 1/2, 3/4, 1) under the joint
    maximising E[U_k(S)]; each U, k ≤ n, split; fewer variables first."""
    for margs in _correlated_sets(n_max):
        for U in utilities:
            for k in range(1, len(margs) + 1):
                for split in SPLITS:
                    yield {"marginals": margs, "U": U, "k": k, "split": split}


def split_count(n_max: int, utilities: int) -> int:
    return sum(6 ** n * utilities * n * len(SPLITS) for n in range(1, n_max + 1))


def split_ratio(point: Mapping) -> tuple:
    """(E[U_k(S')] for the independent pieces S', E[U_k(S)] under the worst joint)."""
    margs, U, k = tuple(point["marginals"]), point["U"], point["k"]
    return expected_top_k_utility(U, _pieces(margs, point["split"]), k), _worst_joint(U, margs, k)[0]


def split_replay(point: Mapping) -> tuple:
    margs, U, k = tuple(point["marginals"]), point["U"], point["k"]
    corr, joint = worst_case_joint(_Uk(U, k), margs)
    if joint.marginals() != margs:
        raise ModelError("the worst joint does not have the given marginals")
    pieces = _pieces(margs, point["split"])
    if mass_at_values(pieces) != mass_at_values(margs):
        raise ModelError(f"split {point['split']} does not carry the masses of S")
    return independent_joint(pieces).expectation(_Uk(U, k)), corr, {"joint": str(joint.outcomes)}


def _redistributions(margs: Sequence[DiscreteRV]) -> dict[str, list[DiscreteRV]]:
    """Independent S' with the same total mass at each p > 0 as S (Lemma 8's hypothesis)."""
    mass = mass_at_values(margs)
    out = {"even split L=3": [p for m in margs for p in split_evenly(m, 3)]}
    per_value = []
    for v, p in sorted(mass.items()):
        while p > 0:
            take = min(p, F(1))
            per_value.append(DiscreteRV(((v, take), (F(0), 1 - take))))
            p -= take
    out["one variable per value"] = per_value
    total = sum(mass.values(), F(0))
    if total <= 1:
        out["single variable"] = [DiscreteRV(tuple(mass.items()) + ((F(0), 1 - total),))]
    out["reversed pairing"] = list(reversed(per_value))
    return out


def redistribution_points(n_max: int, utilities: Sequence):
    """As `split_points`, with the redistributions S' of Lemma 8 in place of splits."""
    for margs in _correlated_sets(n_max):
        for U in utilities:
            for k in range(1, len(margs) + 1):
                for name in _redistributions(margs):
                    yield {"marginals": margs, "U": U, "k": k, "S'": name}


def redistribution_count(n_max: int, utilities: int) -> int:
    return sum(len(_redistributions(m)) * utilities * len(m) for m in _correlated_sets(n_max))


def redistribution_ratio(point: Mapping) -> tuple:
    margs, U, k = tuple(point["marginals"]), point["U"], point["k"]
    return (expected_top_k_utility(U, _redistributions(margs)[point["S'"]], k), _worst_joint(U, margs, k)[0])


def redistribution_replay(point: Mapping) -> tuple:
    margs, U, k = tuple(point["marginals"]), point["U"], point["k"]
    corr, joint = worst_case_joint(_Uk(U, k), margs)
    s_prime = _redistributions(margs)[point["S'"]]
    if mass_at_values(s_prime) != mass_at_values(margs) or joint.marginals() != margs:
        raise ModelError("S' = " + point["S'"] + " does not match the footprint of S")
    return independent_joint(s_prime).expectation(_Uk(U, k)), corr, {"joint": str(joint.outcomes)}


# ------------------------------------------------------------------ App. D: the inventory bound
def inventory_points(k_max: int, n_max: int, grid: int):
    """k ∈ {1..k_max}, then n ≤ n_max buyers, prob vectors on {1/grid, …, 1}, non-increasing, Σ ≤ k,
    in lexicographic order of the sorted multisets (smallest k, then fewest buyers, first)."""
    steps = [F(j, grid) for j in range(1, grid + 1)]
    for k in range(1, k_max + 1):
        for n in range(1, n_max + 1):
            for vec in combinations_with_replacement(steps, n):
                if sum(vec) <= k:
                    yield {"k": k, "prob": tuple(sorted(vec, reverse=True))}


def inventory_count(k_max: int, n_max: int, grid: int) -> int:
    return sum(1 for _ in inventory_points(k_max, n_max, grid))


def poisson_served_mass(k: int):
    """E[min(N, k)] for N ~ Poisson(k): the limit of many buyers with tiny prob_i and Σ prob_i = k."""
    import sympy as sp

    k = int(k)
    below = sum(sp.exp(-k) * sp.Integer(k) ** i / sp.factorial(i) for i in range(k))
    mean_below = sum(i * sp.exp(-k) * sp.Integer(k) ** i / sp.factorial(i) for i in range(k))
    return sp.expand(mean_below + k * (1 - below))


def served(point: Mapping) -> Fraction:
    """Σ_i (1 − r_i)·prob_i at (k, prob) (App. D), by the dynamic programme over items sold."""
    return served_mass(point["prob"], point["k"])


def served_by_definition(point: Mapping) -> Fraction:
    """The same sum by its definition: r_i = Pr[at least k of the buyers before i want an item],
    summed over every subset of those buyers."""
    probs, k = [F(p) for p in point["prob"]], int(point["k"])
    total = F(0)
    for i, p in enumerate(probs):
        r = F(0)
        for wants in product((0, 1), repeat=i):
            if sum(wants) >= k:
                q = F(1)
                for w, pj in zip(wants, probs[:i]):
                    q *= pj if w else 1 - pj
                r += q
        total += (1 - r) * p
    return total
