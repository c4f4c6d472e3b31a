"""BCK (paper 001): correlation gap, merge and split, exact on small instances.

BCK-L3 (Lemma 3, correlation gap: worst correlation by an exact LP over joints),
BCK-L6 (Lemma 6, merge), BCK-L7 (Lemma 7, split), BCK-L8 (Lemma 8, redistribution).
Ratios are compared with 1 − 1/e by certified interval arithmetic.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Callable

from mechproof.claims import Claim, Part
from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.random_variables import (
    DiscreteRV, expected_top_k_utility, mass_at_values, merge, split_evenly, two_point,
    utility_of_top_k,
)
from mechproof.mechanisms.risk_averse_pricing import worst_case_joint
from mechproof.verdicts import Evidence, Witness, refuted, unknown, verified

from .bck_common import ONE_MINUS_INV_E, RatioRecord, ratio_status, small_utilities

__all__ = ["BCK_L3", "BCK_L6", "BCK_L7", "BCK_L8", "check_l3", "check_l6", "check_l7", "check_l8"]

F = Fraction
PROBS = (F(1, 4), F(1, 2), F(3, 4))


def _marginal_sets(n: int, values=(1, 2), probs=PROBS):
    for vs in itertools.product(values, repeat=n):
        for ps in itertools.product(probs, repeat=n):
            yield tuple(two_point(v, p) for v, p in zip(vs, ps))


def _violation(kind, status, ratio, achieved, bench, where, extra=()):
    w = Witness.of(dict(where) | dict(extra), {"achieved": achieved, "benchmark": bench, "ratio": ratio},
                   recheck="plain exact expectation over the joint / product distribution")
    return refuted("exact LP over joints + certified comparison", "see witness",
                   f"{kind}: ratio {ratio} < 1 − 1/e: {w.describe()}", w)


# ----------------------------------------------------------------------------- BCK-L3
def check_l3(ctx, utilities=None):
    """E_ind[U_k] ≥ (1−1/e)·max over joints with the same marginals E[U_k] (the LP gives the max)."""
    utilities = utilities or small_utilities()
    n_max = ctx.bound("n_L3", 3)
    rec = RatioRecord()
    for n in range(2, n_max + 1):
        probs = PROBS if n == 2 else (F(1, 3), F(2, 3))
        for margs in _marginal_sets(n, probs=probs):
            for U in utilities:
                for k in range(1, n + 1):
                    if ctx.remaining() < 5:
                        return unknown("exact LP", f"n ≤ {n}", f"budget exhausted after {rec.count} instances")
                    corr, joint = worst_case_joint(lambda x: utility_of_top_k(U, x, k), margs)
                    ind = expected_top_k_utility(U, margs, k)
                    # replay: the LP's joint has the right marginals and value
                    if joint.marginals() != tuple(margs) or joint.expectation(
                            lambda x: utility_of_top_k(U, x, k)) != corr:
                        return unknown("exact LP replay", f"n = {n}", f"the worst joint failed replay for {margs}")
                    where = {"marginals": tuple(str(m) for m in margs), "U": U.describe(), "k": k}
                    status, ratio = ratio_status(ind, corr, ONE_MINUS_INV_E)
                    if status == "violated":
                        return _violation("correlation gap", status, ratio, ind, corr, where,
                                          {"worst joint": str(joint.outcomes)})
                    rec.add(ind, corr, where)
    # the classical near-tight family: n Bernoulli(1/n), f = min(Σ, 1)
    tight = RatioRecord()
    for n in range(2, ctx.bound("n_tight", 6) + 1):
        margs = tuple(two_point(1, F(1, n)) for _ in range(n))
        U = small_utilities()[1]
        corr, _ = worst_case_joint(lambda x: utility_of_top_k(U, x, n), margs)
        ind = expected_top_k_utility(U, margs, n)
        status, ratio = ratio_status(ind, corr, ONE_MINUS_INV_E)
        if status == "violated":
            return _violation("correlation gap", status, ratio, ind, corr, {"n": n})
        tight.add(ind, corr, {"n Bernoulli(1/n), f=min(Σ,1)": n})
    return verified("exact LP over joints + certified comparison",
                    f"f = U_k, two-point marginals (values 1,2; probs 1/4,1/2,3/4 for n=2, 1/3,2/3 for n=3), "
                    f"{len(utilities)} concave U, all k ≤ n ≤ {n_max}; plus n ≤ {ctx.bound('n_tight', 6)} Bernoulli(1/n)",
                    f"slack: {rec.text(ONE_MINUS_INV_E)}; near-tight family: {tight.text(ONE_MINUS_INV_E)}",
                    (Evidence("enumeration", f"{rec.count + tight.count} worst-correlation LPs solved exactly",
                              stats=(("instances", str(rec.count + tight.count)),)),))


BCK_L3 = Claim(
    id="BCK-L3", title="Correlation gap 1 − 1/e for monotone submodular f",
    statement="For monotone submodular f: E_indep[f] ≥ (1−1/e)·E_corr[f] for any joint with the same marginals.",
    source="BCK (001), Lemma 3 (citing Agrawal et al.)",
    parts=(Part("worst correlation by exact LP, f = U_k", method="exact LP over joints",
                domain="n ≤ 3 two-point marginals, 6 concave U, all k; Bernoulli(1/n) family n ≤ 6", check=check_l3),),
)


# ----------------------------------------------------------------------------- BCK-L6
def check_l6(ctx, merge_op: Callable = merge):
    """Merging X1, X2 (Pr[X1≠0]+Pr[X2≠0] ≤ 1) never lowers E[U_k]; `merge_op` plants bugs in tests."""
    singles = [two_point(v, p) for v in (1, 2, 3) for p in PROBS]
    singles.append(DiscreteRV.of({0: F(1, 4), 1: F(1, 4), 2: F(1, 2)}))
    others = [(), (two_point(1, F(1, 2)),), (two_point(2, F(1, 2)), two_point(1, F(3, 4)))]
    count = 0
    worst_gain = None
    for x1, x2 in itertools.product(singles, repeat=2):
        allowed = x1.nonzero_probability + x2.nonzero_probability <= 1
        where = {"X1": str(x1), "X2": str(x2)}
        try:
            y = merge_op(x1, x2)
        except UsageError as exc:
            if allowed:
                w = Witness.of(where, {"error": str(exc)}, recheck="called merge")
                return refuted("exhaustive enumeration", "pairs of small RVs", "merge rejected a legal pair", w)
            continue
        if not allowed:
            w = Witness.of(where, {"Pr[X1≠0]+Pr[X2≠0]": x1.nonzero_probability + x2.nonzero_probability,
                                   "merged": str(y)}, recheck="condition evaluated exactly")
            return refuted("exhaustive enumeration", "pairs of small RVs",
                           f"merge accepted a pair violating Pr[X1≠0]+Pr[X2≠0] ≤ 1: {w.describe()}", w)
        if mass_at_values((y,)) != mass_at_values((x1, x2)):
            w = Witness.of(where, {"merged": str(y)}, recheck="masses compared exactly")
            return refuted("exhaustive enumeration", "pairs of small RVs",
                           f"merged variable does not carry Pr[X1=p]+Pr[X2=p]: {w.describe()}", w)
        for rest in others:
            for U in small_utilities():
                for k in (1, 2, 3):
                    before = expected_top_k_utility(U, (x1, x2) + rest, k)
                    after = expected_top_k_utility(U, (y,) + rest, k)
                    count += 1
                    if after < before:
                        w = Witness.of(where | {"others": tuple(str(r) for r in rest), "U": U.describe(), "k": k},
                                       {"E[U_k(S)]": before, "E[U_k(S')]": after}, recheck="exact expectation")
                        return refuted("exhaustive enumeration", "pairs of small RVs",
                                       f"merge lowered E[U_k]: {w.describe()}", w)
                    gain = after - before
                    if worst_gain is None or gain < worst_gain[0]:
                        worst_gain = (gain, where, U.describe(), k)
    return verified("exhaustive enumeration",
                    f"X1, X2 ∈ {len(singles)} small RVs (values ≤ 3, probs in quarters), {len(others)} sets of other "
                    f"variables, {len(small_utilities())} concave U, k ≤ 3",
                    f"merge never lowers E[U_k] in {count} cases (smallest gain {worst_gain[0]} — tight when 0 — "
                    f"at {worst_gain[1:]}); illegal pairs rejected")


def check_l6_symbolic(ctx):
    """Lemma 6 with √t, 1 − e^{−t}, log(1+t): E[U_k] compared by certified intervals (exact sympy values)."""
    from mechproof.mechanisms.seller_utilities import compare_values, exponential_utility, log_utility, sqrt_utility

    singles = [two_point(v, p) for v in (1, 2) for p in (F(1, 4), F(1, 2))]
    rest = (two_point(1, F(1, 2)),)
    count = 0
    for x1, x2 in itertools.product(singles, repeat=2):
        if x1.nonzero_probability + x2.nonzero_probability > 1:
            continue
        y = merge(x1, x2)
        for U in (sqrt_utility(), exponential_utility(), log_utility()):
            for k in (1, 2):
                before = expected_top_k_utility(U, (x1, x2) + rest, k)
                after = expected_top_k_utility(U, (y,) + rest, k)
                count += 1
                if compare_values(after, before) < 0:
                    w = Witness.of({"X1": str(x1), "X2": str(x2), "U": U.describe(), "k": k},
                                   {"E[U_k(S)]": before, "E[U_k(S')]": after}, recheck="certified intervals")
                    return refuted("exact sympy + certified comparison", "small RVs", f"merge lowered E[U_k]: "
                                   f"{w.describe()}", w)
    return verified("exact sympy values + certified interval comparison",
                    "legal pairs of two-point RVs (values 1, 2; probs 1/4, 1/2) with one other variable; "
                    "U ∈ {√t, 1 − e^(−t), log(1+t)}; k ≤ 2", f"merge never lowers E[U_k] in {count} cases")


BCK_L6 = Claim(
    id="BCK-L6", title="Merge does not decrease E[U_k]",
    statement="Merging two independent variables with Pr[X₁≠0]+Pr[X₂≠0] ≤ 1 does not decrease E[U_k].",
    source="BCK (001), Lemma 6 (§3.3, proof App. A)",
    parts=(Part("exhaustive on small RVs", method="exhaustive enumeration",
                domain="values ≤ 3, probabilities in quarters, k ≤ 3", check=check_l6),
           Part("symbolic utilities", method="exact sympy + certified comparison",
                domain="two-point RVs, √t, 1 − e^(−t), log(1+t), k ≤ 2", check=check_l6_symbolic)),
)


# ----------------------------------------------------------------------------- BCK-L7 / L8
def _worst_joints(n_max: int):
    """(marginals, U, k, joint maximising E[U_k]) for small correlated S."""
    for n in range(1, n_max + 1):
        for margs in _marginal_sets(n, probs=(F(1, 2), F(3, 4), F(1))):
            for U in small_utilities()[:4]:
                for k in range(1, n + 1):
                    val, joint = worst_case_joint(lambda x: utility_of_top_k(U, x, k), margs)
                    yield margs, U, k, val, joint


def _uneven_split(x: DiscreteRV, share: Fraction):
    """X into two pieces carrying share and 1 − share of each positive mass."""
    mass = mass_at_values((x,))
    out = []
    for s in (share, 1 - share):
        atoms = tuple((v, p * s) for v, p in mass.items())
        out.append(DiscreteRV(atoms + ((F(0), 1 - sum(p for _, p in atoms)),)))
    return tuple(out)


def check_l7(ctx):
    """Splitting correlated S into independent pieces keeps ≥ (1 − 1/e) of E[U_k(S)]."""
    rec = RatioRecord()
    for margs, U, k, val, joint in _worst_joints(ctx.bound("n_L7", 2)):
        splits = {f"even L={L}": [p for m in margs for p in split_evenly(m, L)] for L in (1, 2, 3)}
        splits["uneven 1/4:3/4"] = [p for m in margs for p in _uneven_split(m, F(1, 4))]
        for name, pieces in splits.items():
            if ctx.remaining() < 5:
                return unknown("exact enumeration", "partial", f"budget exhausted after {rec.count} cases")
            after = expected_top_k_utility(U, pieces, k)
            where = {"marginals": tuple(str(m) for m in margs), "U": U.describe(), "k": k, "split": name}
            status, ratio = ratio_status(after, val, ONE_MINUS_INV_E)
            if status == "violated":
                return _violation("split", status, ratio, after, val, where, {"joint": str(joint.outcomes)})
            rec.add(after, val, where)
    return verified("exact LP (worst joint) + exact expectation",
                    "S of n ≤ 2 correlated two-point variables (values 1,2; probs 1/2, 3/4, 1) under the joint "
                    "maximising E[U_k(S)]; splits into L ≤ 3 even pieces or 1/4:3/4; 4 concave U; all k",
                    f"slack: {rec.text(ONE_MINUS_INV_E)}")


def _redistributions(margs):
    """Independent S' with the same total mass at each p > 0 (Lemma 8's hypothesis)."""
    mass = mass_at_values(margs)
    yield "even split L=3", [p for m in margs for p in split_evenly(m, 3)]
    per_value = []
    for v, p in sorted(mass.items()):
        while p > 0:
            take = min(p, F(1))
            per_value.append(DiscreteRV(((v, take), (F(0), 1 - take))))
            p -= take
    yield "one variable per value", per_value
    total = sum(mass.values(), F(0))
    if total <= 1:
        yield "single variable", [DiscreteRV(tuple(mass.items()) + ((F(0), 1 - total),))]
    yield "reversed pairing", list(reversed(per_value))


def check_l8(ctx):
    """Any independent S' matching S's total mass at each p > 0 has E[U_k(S')] ≥ (1−1/e)·E[U_k(S)]."""
    rec = RatioRecord()
    for margs, U, k, val, joint in _worst_joints(ctx.bound("n_L8", 2)):
        for name, Sp in _redistributions(margs):
            if ctx.remaining() < 5:
                return unknown("exact enumeration", "partial", f"budget exhausted after {rec.count} cases")
            if mass_at_values(Sp) != mass_at_values(margs):
                return unknown("construction", "partial", f"redistribution {name} does not match the footprint")
            after = expected_top_k_utility(U, Sp, k)
            where = {"marginals": tuple(str(m) for m in margs), "U": U.describe(), "k": k, "S'": name}
            status, ratio = ratio_status(after, val, ONE_MINUS_INV_E)
            if status == "violated":
                return _violation("redistribution", status, ratio, after, val, where, {"joint": str(joint.outcomes)})
            rec.add(after, val, where)
    return verified("exact LP (worst joint) + exact expectation",
                    "S: n ≤ 2 correlated two-point variables under the joint maximising E[U_k(S)]; S' from 4 "
                    "redistributions (even split, one variable per value, single variable, reordered); 4 concave U",
                    f"slack: {rec.text(ONE_MINUS_INV_E)}")


BCK_L7 = Claim(
    id="BCK-L7", title="Split keeps (1 − 1/e) of E[U_k]",
    statement="Splitting correlated variables into independent pieces keeps ≥ (1−1/e) of E[U_k].",
    source="BCK (001), Lemma 7 (§3.3, proof App. A)",
    parts=(Part("worst joint, even and uneven splits", method="exact LP + exact expectation",
                domain="n ≤ 2 two-point variables, L ≤ 3 pieces", check=check_l7),),
)

BCK_L8 = Claim(
    id="BCK-L8", title="Redistribution across variables keeps (1 − 1/e) of E[U_k]",
    statement="Any independent S' matching S in total probability at each value p>0 has "
              "E[U_k(S')] ≥ (1−1/e)·E[U_k(S)].",
    source="BCK (001), Lemma 8 (§3.3)",
    parts=(Part("worst joint, four redistributions", method="exact LP + exact expectation",
                domain="n ≤ 2 two-point variables", check=check_l8),),
)
