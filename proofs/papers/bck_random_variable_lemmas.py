"""BCK (paper 001): correlation gap, merge and split, exact on small instances.

BCK-L3 (Lemma 3, correlation gap: the worst correlation by an exact LP over joints),
BCK-L6 (Lemma 6, merge), BCK-L7 (Lemma 7, split), BCK-L8 (Lemma 8, redistribution).
The cases and their plain replays are in mechanisms/bck_lemma_cases.py; every ratio is compared
with 1 − 1/e by `compare_exact` (a certified sign).
"""
from __future__ import annotations

from fractions import Fraction
from functools import partial
from typing import Callable, Sequence

from mechproof import Claim, Equal, Evaluation, IntKey, Limit, Method, Part, Role, Schema, enumeration_check, \
    steps_check
from mechproof.mechanisms.bck_instances import small_utilities
from mechproof.mechanisms.bck_lemma_cases import (
    bernoulli_gap, bernoulli_points, correlation_gap, correlation_gap_count, correlation_gap_points,
    correlation_gap_replay, merge_contexts, merge_gain, merge_gain_count, merge_gain_points, merge_pairs, merge_rule,
    merge_singles, redistribution_count, redistribution_points, redistribution_ratio, redistribution_replay,
    split_count, split_points, split_ratio, split_replay,
)
from mechproof.mechanisms.random_variables import (DiscreteRV, expected_top_k_utility, merge, two_point,
                                                   utility_of_top_k, worst_case_joint)
from mechproof.mechanisms.seller_utilities import PiecewiseLinearUtility, capped_linear, linear_utility
from mechproof.symbolic.bck_utilities import exponential_utility, log_utility, sqrt_utility

from .bck_common import ONE_MINUS_INV_E, RatioBound, pinned_domain, pinned_values
from .bck_concave_routes import l6_route_part

__all__ = ["BCK_L3", "BCK_L6", "BCK_L7", "BCK_L8", "bernoulli_family_steps", "bernoulli_family_part", "l3_part", "l6_rule_part", "l6_gain_part", "l3_pin_part",
           "l6_pin_part"]

LP_TECHNIQUE = "the worst joint with the given marginals by an exact LP (rational simplex)"


# ----------------------------------------------------------------------------- BCK-L3
def l3_part(utilities: Sequence | None = None) -> Part:
    """E_ind[U_k] ≥ (1 − 1/e)·max over joints with the same marginals of E[U_k]; `utilities` plants
    a non-concave U in tests."""
    utilities = tuple(utilities or small_utilities())
    bound = RatioBound(correlation_gap, ONE_MINUS_INV_E, replay=correlation_gap_replay,
                       names=("E_ind[U_k]", "max_joint E[U_k]"))
    return Part(
        "worst correlation by exact LP, f = U_k", method=Method.LP, technique=LP_TECHNIQUE,
        domain=Schema(IntKey("n", 3, min=2, local=True, help="number of variables n ∈ {2..n}"),
                      text="f = U_k; n ∈ {2..$n} two-point marginals (values 1, 2; probabilities in quarters "
                           f"for n = 2, thirds for n ≥ 3); {len(utilities)} concave U; every k ≤ n",
                      cases=lambda d: correlation_gap_count(d["n"], len(utilities))),
        check=bound.check(lambda d: correlation_gap_points(d["n"], utilities),
                          what="E_ind[U_k] ≥ (1 − 1/e)·E_corr[U_k]"))


def l3_pin_part(worst: Callable = worst_case_joint) -> Part:
    """The worst joint's value on instances computed by hand: a benchmark that is too low (a joint that
    is not the worst) only makes the correlation gap look better; `worst` plants bugs in tests."""
    F = Fraction
    cap = lambda c, k: (lambda x: utility_of_top_k(capped_linear(c), x, k))
    rows = tuple(
        (f"{n} Bernoulli(1/{n}), f = min(Σ, 1): 1 (disjoint events)",
         partial(lambda n: worst(cap(1, n), [two_point(1, F(1, n))] * n, with_joint=False)[0], n), F(1))
        for n in (2, 3, 4)) + (
        ("X₁ = 2 w.p. 1/2, X₂ = 1 w.p. 1/2, f = max: 2·1/2 + 1·1/2 = 3/2 (X₂ = 1 exactly when X₁ = 0)",
         lambda: worst(lambda x: utility_of_top_k(linear_utility(), x, 1),
                       [two_point(2, F(1, 2)), two_point(1, F(1, 2))], with_joint=False)[0], F(3, 2)),
        ("X₁ = 1 w.p. 1/2, X₂ = 1 w.p. 3/4, f = min(Σ, 1): 1 (X₂ = 0 only when X₁ = 1)",
         lambda: worst(cap(1, 2), [two_point(1, F(1, 2)), two_point(1, F(3, 4))], with_joint=False)[0], F(1)),
    )
    return Part("worst joint pinned on hand-computed instances", method=Method.LP, role=Role.CROSS_CHECK,
                technique=LP_TECHNIQUE, domain=pinned_domain(rows, "Bernoulli and two-point marginals"),
                check=pinned_values(rows, what="max over joints of E[f]"))


FAMILY_SETTINGS = {
    "BCK-L3": ("n events of probability 1/n, correlated to be disjoint (the worst joint)",
               "independent with the same marginals"),
    "BCK-L7": ("X = 1 with probability 1, split into n disjoint pieces of probability 1/n (correlated)",
               "the n pieces made independent (the split)"),
    "BCK-L8": ("S = {X = 1 with probability 1}", "S' = n independent Bernoulli(1/n): the same total probability 1 "
                                                  "at the value 1"),
}


def bernoulli_family_steps(claim_id: str, limit_value=ONE_MINUS_INV_E, lp_n=(2, 3, 4, 5, 6)) -> list:
    """The family n × Bernoulli(1/n), U_1 = min(Σ, 1): ratio 1 − (1 − 1/n)ⁿ in closed form, the exact LP's
    worst-joint ratio at n ∈ lp_n equal to it, and its limit; `limit_value` planted wrong in tests."""
    import sympy as sp
    nn = sp.Symbol("n", integer=True, positive=True)
    ii = sp.Symbol("i", integer=True, positive=True)
    correlated, independent = FAMILY_SETTINGS[claim_id]
    ratio = 1 - (1 - 1 / nn) ** nn
    steps = [
        Equal(f"{correlated}: E[min(Σ, 1)] = Pr[Σ ≥ 1] = Σ_{{i≤n}} 1/n = 1", sp.Sum(1 / nn, (ii, 1, nn)), 1),
        Equal(f"{independent}: E[min(Σ, 1)] = Pr[some X_i = 1] = Σ_{{i≤n}} (1/n)(1 − 1/n)^{{i−1}} = 1 − (1 − 1/n)ⁿ",
              sp.Sum((1 - 1 / nn) ** (ii - 1) / nn, (ii, 1, nn)), ratio),
    ]
    for k in lp_n:
        achieved, corr = bernoulli_gap({"n": k}, capped_linear(1))
        lp = sp.Rational(achieved.numerator, achieved.denominator) / sp.Rational(corr.numerator, corr.denominator)
        steps.append(Equal(f"n = {k}: the exact LP's worst joint gives the ratio {lp} = 1 − (1 − 1/{k})^{k}",
                           lp, ratio.subs(nn, k)))
    steps.append(Limit("n → ∞: the ratio 1 − (1 − 1/n)ⁿ tends to 1 − 1/e, so the constant cannot be raised "
                       "(slack at every n, approached at rate ~ 1/(2en))", ratio, nn, sp.oo, limit_value))
    return steps


def bernoulli_family_part(claim_id: str, limit_value=ONE_MINUS_INV_E) -> Part:
    return Part("tightness: n Bernoulli(1/n), ratio in closed form", method=Method.DERIVATION, role=Role.CROSS_CHECK,
                technique="sympy sums and limit; the closed form pinned to the exact LP's worst joint at n ≤ 6",
                domain="every n ≥ 1 (closed form), n ∈ {2..6} (against the LP), n → ∞",
                check=steps_check(lambda: bernoulli_family_steps(claim_id, limit_value),
                                  summary="along n × Bernoulli(1/n) with U = min(t, 1) the ratio is 1 − (1 − 1/n)ⁿ "
                                          "→ 1 − 1/e: the bound is the exact infimum (never attained at finite n)"))


BERNOULLI_BOUND = RatioBound(partial(bernoulli_gap, U=capped_linear(1)), ONE_MINUS_INV_E,
                             names=("E_ind[min(Σ, 1)]", "max_joint E[min(Σ, 1)]"))

BCK_L3 = Claim(
    id="BCK-L3", title="Correlation gap 1 − 1/e for monotone submodular f",
    statement="For monotone submodular f: E_indep[f] ≥ (1−1/e)·E_corr[f] for any joint with the same marginals.",
    source="BCK (001), Lemma 3 (citing Agrawal et al.)",
    why_not_proved=('The correlation gap is about every monotone submodular f and every joint distribution; '
                    'it is checked by the exact worst-correlation LP for f = U_k on small supports, and the '
                    "near-tight family's ratio is proved to tend to 1 − 1/e; the general proof over all f "
                    'is not encoded.'),
    parts=(l3_part(),
           Part("near-tight family: n Bernoulli(1/n), f = min(Σ, 1)", method=Method.LP, technique=LP_TECHNIQUE,
                domain=Schema(IntKey("n_bernoulli", 6, min=2, local=True, help="n ∈ {2..n_bernoulli}"),
                              text="n independent Bernoulli(1/n), n ∈ {2..$n_bernoulli}, f = min(Σ, 1)",
                              cases=lambda d: d["n_bernoulli"] - 1),
                check=BERNOULLI_BOUND.check(lambda d: bernoulli_points(d["n_bernoulli"]),
                                            what="E_ind[f] ≥ (1 − 1/e)·E_corr[f]")),
           l3_pin_part(), bernoulli_family_part("BCK-L3")),
)


# ----------------------------------------------------------------------------- BCK-L6
def _pair(result: tuple) -> Evaluation:
    holds, observed = result
    return Evaluation.of(holds, observed)


SINGLES_KEY = IntKey("v", 3, min=1, local=True, help="two-point variables take values in {1..v}")


def l6_rule_part(merge_op: Callable = merge, role: Role = Role.CROSS_CHECK) -> Part:
    """The merge operation itself: accepts exactly the pairs with Pr[X1≠0] + Pr[X2≠0] ≤ 1 and carries
    Pr[X1=p] + Pr[X2=p] at each p > 0; `merge_op` plants bugs in tests."""
    return Part(
        "merge accepts exactly the legal pairs and carries their masses", method=Method.ENUMERATION, role=role,
        domain=Schema(SINGLES_KEY, text="X1, X2 ∈ {v w.p. p : v ∈ {1..$v}, p ∈ {1/4, 1/2, 3/4}} ∪ "
                                        "{{0, 1, 2} w.p. (1/4, 1/4, 1/2)}, every ordered pair",
                      cases=lambda d: len(merge_singles(d["v"])) ** 2),
        check=enumeration_check(lambda d: merge_pairs(merge_singles(d["v"])),
                                lambda p: _pair(merge_rule(p, merge_op)),
                                summary="merge refuses every pair with Pr[X1≠0] + Pr[X2≠0] > 1 and carries "
                                        "Pr[X1=p] + Pr[X2=p] for every other pair: {cases} pairs"))


def l6_gain_part(merge_op: Callable = merge, role: Role = Role.CROSS_CHECK) -> Part:
    """E[U_k(S')] ≥ E[U_k(S)] after merging a legal pair (gain ≥ 0, tight when 0)."""
    contexts, utilities = merge_contexts(), small_utilities()
    bound = RatioBound(partial(merge_gain, merge_op=merge_op), 1, names=("E[U_k(S')]", "E[U_k(S)]"))
    return Part(
        "merge never lowers E[U_k]", method=Method.ENUMERATION, role=role,
        domain=Schema(SINGLES_KEY, IntKey("k", 3, min=1, local=True, help="k ∈ {1..k}"),
                      text="legal pairs X1, X2 of the variables above (values in {1..$v}), "
                           f"{len(contexts)} sets of other variables, {len(utilities)} concave U, k ∈ {{1..$k}}",
                      cases=lambda d: merge_gain_count(merge_singles(d["v"]), len(contexts), len(utilities), d["k"])),
        check=bound.check(lambda d: merge_gain_points(merge_singles(d["v"]), contexts, utilities, d["k"]),
                          what="E[U_k(S')] ≥ E[U_k(S)]"))


def l6_pin_part(expected: Callable = expected_top_k_utility, merge_op: Callable = merge) -> Part:
    """E[U_k] of independent variables and of a merge on instances computed by hand: the merge check
    compares two values of the same E[U_k], blind to a U_k or a U that errs on both sides alike;
    `expected` and `merge_op` plant bugs in tests."""
    F = Fraction
    x1, x2 = two_point(1, F(1, 2)), two_point(2, F(1, 2))
    steps = PiecewiseLinearUtility((F(1), F(2)), (F(2), F(1), F(0)), name="slopes 2,1,0 at 1,2")
    rows = (
        ("X₁ = 1, X₂ = 2 (each w.p. 1/2), U = t, k = 1: E[max] = 2·1/2 + 1·1/4 = 5/4",
         lambda: expected(linear_utility(), (x1, x2), 1), F(5, 4)),
        ("the same, U with slopes 2, 1, 0 at 1, 2, k = 2: (U(1) + U(2) + U(3))/4 = (2 + 3 + 3)/4 = 2",
         lambda: expected(steps, (x1, x2), 2), F(2)),
        ("the same, U = min(t, 3/2), k = 2: (1 + 3/2 + 3/2)/4 = 1",
         lambda: expected(capped_linear(F(3, 2)), (x1, x2), 2), F(1)),
        ("merge of 1 w.p. 1/4 and 2 w.p. 1/2 with X = 1 w.p. 1/2, U = t, k = 1: E[max] = 2·1/2 + 1·(1/2·1/2 + "
         "1/4·1/2) = 11/8",
         lambda: expected(linear_utility(), (merge_op(two_point(1, F(1, 4)), x2), x1), 1), F(11, 8)),
    )
    return Part("E[U_k] pinned on hand-computed instances", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=pinned_domain(rows, "two-point variables, three concave U"),
                check=pinned_values(rows, what="E[U_k]"))


SYMBOLIC_SINGLES = [two_point(v, p) for v in (1, 2) for p in ("1/4", "1/2")]
SYMBOLIC_BOUND = RatioBound(merge_gain, 1, names=("E[U_k(S')]", "E[U_k(S)]"))

BCK_L6 = Claim(
    id="BCK-L6", title="Merge does not decrease E[U_k]",
    statement="Merging two independent variables with Pr[X₁≠0]+Pr[X₂≠0] ≤ 1 does not decrease E[U_k].",
    source="BCK (001), Lemma 6 (§3.3, proof App. A)",
    uses=("BCK-L2",),
    parts=(l6_route_part(), l6_rule_part(), l6_gain_part(), l6_pin_part(),
           Part("merge never lowers E[U_k]: closed-form utilities", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                technique="exact sympy values, signs certified by intervals",
                domain=Schema(IntKey("closed_form_k", 2, min=1, local=True, help="k ∈ {1..closed_form_k}"),
                              text="legal pairs of two-point variables (values 1, 2; probabilities 1/4, 1/2) with one "
                                   "other variable; U ∈ {√t, 1 − e^(−t), log(1+t)}; k ∈ {1..$closed_form_k}",
                              cases=lambda d: merge_gain_count(SYMBOLIC_SINGLES, 1, 3, d["closed_form_k"])),
                check=SYMBOLIC_BOUND.check(
                    lambda d: merge_gain_points(SYMBOLIC_SINGLES, [(two_point(1, "1/2"),)],
                                                (sqrt_utility(), exponential_utility(), log_utility()),
                                                d["closed_form_k"]),
                    what="E[U_k(S')] ≥ E[U_k(S)]"))),
)


# ----------------------------------------------------------------------------- BCK-L7 / L8
CORRELATED_TEXT = ("S of n ≤ $n correlated two-point variables (values 1, 2; probabilities 1/2, 3/4, 1) under the "
                   "joint maximising E[U_k(S)]; 4 concave U; every k ≤ n")

SPLIT_BOUND = RatioBound(split_ratio, ONE_MINUS_INV_E, replay=split_replay,
                         names=("E[U_k(S')]", "max_joint E[U_k(S)]"))
BCK_L7 = Claim(
    id="BCK-L7", title="Split keeps (1 − 1/e) of E[U_k]",
    statement="Splitting correlated variables into independent pieces keeps ≥ (1−1/e) of E[U_k].",
    source="BCK (001), Lemma 7 (§3.3, proof App. A)",
    why_not_proved=('It is about every correlated joint distribution: the worst joint is an exact LP per '
                    "split on small supports; the n Bernoulli(1/n) family's ratio is proved to tend to 1 − "
                    '1/e, the bound for every joint is not derived.'),
    uses=("BCK-L2", "BCK-L3"),
    parts=(Part("worst joint, even and uneven splits", method=Method.LP, technique=LP_TECHNIQUE,
                domain=Schema(IntKey("n", 2, min=1, local=True, help="n ∈ {1..n} variables"),
                              text=CORRELATED_TEXT + "; splits into L ≤ 3 even pieces or 1/4 : 3/4",
                              cases=lambda d: split_count(d["n"], 4)),
                check=SPLIT_BOUND.check(lambda d: split_points(d["n"], small_utilities()[:4]),
                                        what="E[U_k(S')] ≥ (1 − 1/e)·E[U_k(S)]")),
           bernoulli_family_part("BCK-L7")),
)

REDISTRIBUTION_BOUND = RatioBound(redistribution_ratio, ONE_MINUS_INV_E, replay=redistribution_replay,
                                  names=("E[U_k(S')]", "max_joint E[U_k(S)]"))
BCK_L8 = Claim(
    id="BCK-L8", title="Redistribution across variables keeps (1 − 1/e) of E[U_k]",
    statement="Any independent S' matching S in total probability at each value p>0 has "
              "E[U_k(S')] ≥ (1−1/e)·E[U_k(S)].",
    source="BCK (001), Lemma 8 (§3.3)",
    why_not_proved=("It is about every joint distribution and every matching independent S': the worst "
                    'joint is an exact LP per redistribution on small supports; the n Bernoulli(1/n) '
                    "family's ratio is proved to tend to 1 − 1/e, the bound for every distribution is not "
                    'derived.'),
    uses=("BCK-L6", "BCK-L7"),
    parts=(Part("worst joint, four redistributions", method=Method.LP, technique=LP_TECHNIQUE,
                domain=Schema(IntKey("n", 2, min=1, local=True, help="n ∈ {1..n} variables"),
                              text=CORRELATED_TEXT + "; S' from 4 redistributions with S's masses (even split, "
                                                     "one variable per value, single variable, reordered)",
                              cases=lambda d: redistribution_count(d["n"], 4)),
                check=REDISTRIBUTION_BOUND.check(lambda d: redistribution_points(d["n"], small_utilities()[:4]),
                                                 what="E[U_k(S')] ≥ (1 − 1/e)·E[U_k(S)]")),
           bernoulli_family_part("BCK-L8")),
)
