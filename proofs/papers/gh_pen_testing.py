"""GH (paper 002), pen testing and deferred acceptance: GH-T1 (Theorem 1) and GH-DEF3 (Definition 3).

Models: mechanisms/pen_testing.py, deferred_acceptance.py; points and properties:
mechanisms/gh_pen_runs.py, gh_virtual_pricing.py.  Readings: docs/gh-combinatorial.md.  GH-DEF3's route for
every distribution: gh_def3_route.py (the bounded parts here are its cross-checks).
Each part is built by a function taking the model as a parameter, so tests can plant a wrong one.
"""
from __future__ import annotations

from fractions import Fraction

from mechproof import (Check, Claim, Evaluation, IntKey, Method, Part, Role, Schema, enumeration_check, not_checked,
                       random_check)
from mechproof.mechanisms.deferred_acceptance import virtual_pricing
from mechproof.mechanisms.gh_pen_runs import (GAMMA_ONE_INSTANCES, instance_points, pen_algorithm_reaches_ironed_optimum,
                                              pen_run_cases, pen_run_matches_auction, pen_run_points,
                                              random_da_strategy, random_pen_run_matches_auction)
from mechproof.mechanisms.gh_virtual_pricing import (DEF3_DISTRIBUTIONS, allocates_as_virtual_auction,
                                                     consumer_surplus_is_ironed_virtual, distribution_points,
                                                     posted_prices_outside_ironed_intervals, price_map_is_definition3,
                                                     price_map_non_decreasing,
                                                     profile_cases, profile_points, tuple_cases, tuple_points)
from mechproof.mechanisms.gh_pen_mdp import (mdp_cases, mdp_points, mdp_sizes, optimal_pen_value,
                                             pen_algorithm_meets_theorem1)
from mechproof.mechanisms.pen_testing import Pens

from .gh_def3_route import def3_route_part


def _evaluation(prop, *args):
    """A (holds, observed) property as the Evaluation the builders take."""
    return lambda point: Evaluation.of(*prop(point, *args))


# ------------------------------------------------------------------ GH-T1
PEN_RUN_DOMAIN = Schema(
    IntKey("values", 2, min=1, max=4, local=True, help="ink levels / values in {0..values}"),
    text="9 DA auctions (k-select, graphic and partition matroid, knapsack bang-per-buck and Max, posted price, "
         "two virtual pricings), n ∈ {3, 4}, every profile in {0..$values}^n",
    cases=pen_run_cases)

RANDOM_DA_DOMAIN = Schema(
    IntKey("agents", 6, min=2, max=8, local=True, help="random DAs on 2..agents agents"),
    IntKey("examples", 150, min=1, max=100_000, local=True, help="random examples"),
    IntKey("seed", 0, min=0, max=2**32 - 1, local=True, help="Hypothesis seed"),
    text="random DAs (one price rise of 1/6..3 per stage) on random downward-closed families over 2..$agents "
         "agents, values in [0, 5] (multiples of 1/60); $examples examples, seed $seed")


def exhaustive_pen_run_part(pens=Pens) -> Part:
    return Part("residual ink = consumer surplus (exhaustive)", method=Method.ENUMERATION, domain=PEN_RUN_DOMAIN,
                check=enumeration_check(
                    pen_run_points, _evaluation(pen_run_matches_auction, pens),
                    summary="selected set and residual ink = winners and consumer surplus on all {cases} profiles",
                    violation="the pen-testing run differs from the auction at {point}"),
                technique="pen run from test outcomes only, auction from the values")


def random_pen_run_part(pens=Pens) -> Part:
    holds = _evaluation(random_pen_run_matches_auction, pens)

    def run(ctx):
        d = ctx.domain
        return random_check(random_da_strategy(d["agents"]), holds, examples=d["examples"], seed=d["seed"],
                            summary="no random DA where the pen run and the auction differ in {cases} examples "
                                    "(seed {seed})")(ctx)

    return Part("residual ink = consumer surplus (random DAs)", method=Method.RANDOM, domain=RANDOM_DA_DOMAIN,
                check=Check(run, holds), replay=holds)


def gamma_one_part(pens=Pens) -> Part:
    return Part("γ = 1 environments reach the optimal ironed virtual surplus", method=Method.ENUMERATION,
                domain=Schema(text="4 instances (k-select n = 3, k ∈ {1, 2}; graphic matroid n = 4) of discrete "
                                   "distributions with ≥ 2 hull segments; discrete reading of Ū",
                              cases=lambda d: len(GAMMA_ONE_INSTANCES)),
                check=enumeration_check(
                    instance_points, _evaluation(pen_algorithm_reaches_ironed_optimum, pens),
                    summary="the pen algorithm of DA^U earns exactly E[max feasible ironed virtual surplus] on all "
                            "{cases} instances",
                    violation="the pen algorithm of DA^U misses the optimal ironed virtual surplus at {point}"),
                technique="exact expectation by enumeration of the value profiles")


MDP_DOMAIN = Schema(
    IntKey("n", (2, 3), min=2, max=3, many=True, local=True, help="pens (every k-select 1 ≤ k < n)"),
    text=lambda d: f"k-select, (n, k) ∈ {{{', '.join(f'({n}, {k})' for n, k in mdp_sizes(d))}}}, every n-tuple of 4 "
                   "ink distributions on {0, 1, 2} (two with Ū one segment, probabilities in (1/4)ℤ; the two with "
                   "probabilities in (1/8)ℤ₊ whose Ū has two segments); tests of integer duration; the optimal pen "
                   "tester by exact backward induction over every pen state",
    cases=mdp_cases)


def theorem_bounded_part(pens=Pens, gamma=Fraction(1), opt_value=optimal_pen_value) -> Part:
    """Theorem 1's inequalities on every instance of the finite class, the standard benchmark exact (and checked
    to dominate DA^U's pen algorithm; `opt_value` is planted wrong in tests)."""
    holds = _evaluation(pen_algorithm_meets_theorem1, pens, gamma, opt_value)
    return Part("standard γ and omniscient γ·ζ on a finite class (optimal pen tester by backward induction)",
                method=Method.ENUMERATION, domain=MDP_DOMAIN,
                check=enumeration_check(
                    mdp_points, holds, value=lambda p: pen_algorithm_meets_theorem1(p, pens, gamma, opt_value)[1]["ink_ratio"],
                    value_name="E[ink of DA^U]/OPT_pen", target=Fraction(1),
                    summary="on all {cases} instances the pen algorithm of DA^U (γ = 1) earns ≥ OPT_pen/γ and ≥ "
                            "OPT^U/γ, so OPT^V/ink ≤ γ·OPT^V/OPT^U ≤ γ·ζ (and OPT_pen ≥ ink: the optimum dominates "
                            "it); worst E[ink]/OPT_pen = {worst} at {at} ({tightness})",
                    violation="the pen algorithm of DA^U falls short of Theorem 1 (or the optimal pen value is below "
                              "it) at {point}"),
                technique="optimal pen tester by backward induction; expectations exact over the value profiles",
                assumes=("tests of integer duration on integer ink (the auction analogue: integer prices, all atoms "
                         "of the class); the discrete reading of U (docs/gh-combinatorial.md)",))


GH_T1 = Claim(
    id="GH-T1", title="A DA auction run as a pen-testing algorithm earns its consumer surplus",
    statement="Any deferred-acceptance auction becomes a pen testing algorithm with the same performance: residual "
              "ink of chosen pens = consumer surplus; standard approximation γ(n), omniscient γ(n)·ζ(n).",
    source="GH (002), Theorem 1 and the remark after Definition 2",
    uses=("GH-DEF3",),
    parts=(
        exhaustive_pen_run_part(),
        random_pen_run_part(),
        gamma_one_part(),
        theorem_bounded_part(),
        Part("omniscient γ·ζ for all instances", method=Method.NONE, domain="all n, all feasibility constraints and "
             "product distributions",
             check=not_checked(
                 "the proof chains DA^U ≥ OPT^U/γ (definition of γ and Definition 3's bullet 2, GH-DEF3) ≥ "
                 "OPT^V/(γζ) (definition of ζ); the step that the optimal pen-testing algorithm earns at most OPT^U "
                 "(so that γ is also the standard approximation of the pen algorithm) and bullet 2 for every "
                 "product distribution (Alaei et al.'s Theorem 4) are argued, not encoded: a chain of definitions "
                 "and citations is not a checked argument; the per-instance chain is checked in GH-COR2-8")),
    ),
)


# ------------------------------------------------------------------ GH-DEF3
def _def3_constraint(d):
    return None if d["k"] < d["n"] else f"k < n needed (k = {d['k']}, n = {d['n']}): with k ≥ n every set is " \
                                        "feasible and the auction posts no price"


_TEXT = ("every value profile of every $n-tuple of 20 discrete distributions (supports ⊆ {0,1,2,3}); DA^V = the "
         "k-select clock (k = $k) over every ironed and raw virtual value")


def _def3_schema(cases, text=_TEXT) -> Schema:
    return Schema(IntKey("n", 2, min=2, max=3, local=True, help="agents, each from the 20 distributions"),
                  IntKey("k", 1, min=1, max=2, local=True, help="goods of the k-select clock (k < n)"),
                  text=text, cases=cases, constraint=_def3_constraint)


def posted_prices_part(transform=virtual_pricing) -> Part:
    return Part("every posted price non-decreasing and outside the ironed intervals", method=Method.ENUMERATION,
                role=Role.CROSS_CHECK, domain=_def3_schema(profile_cases),
                check=enumeration_check(
                    profile_points, _evaluation(posted_prices_outside_ironed_intervals, transform),
                    summary="on all {cases} profiles every price DA^U posts, at every stage, is non-decreasing and "
                            "sells a quantile θ with U(θ) = Ū(θ)",
                    violation="DA^U posts a bad price at {point}"),
                technique="every stage of every run; Ū by brute force over chords of (Q_j, U(Q_j))",
                assumes=("discrete reading of U (docs/gh-combinatorial.md): U(Q_j) is the consumer surplus of "
                         "price a_j, of price 0 at Q_m = 1",))


def allocation_part(transform=virtual_pricing) -> Part:
    return Part("same allocation as DA^V on ironed virtual values", method=Method.ENUMERATION,
                role=Role.CROSS_CHECK, domain=_def3_schema(profile_cases),
                check=enumeration_check(
                    profile_points, _evaluation(allocates_as_virtual_auction, transform),
                    summary="DA^U on the values and DA^V on the ironed virtual values have the same winners on all "
                            "{cases} profiles",
                    violation="DA^U and DA^V allocate differently at {point}"))


def consumer_surplus_part(transform=virtual_pricing) -> Part:
    return Part("E[consumer surplus] = E[ironed virtual surplus]", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=_def3_schema(tuple_cases, text="every $n-tuple of 20 discrete distributions (supports ⊆ "
                                                      "{0,1,2,3}); DA^V = the k-select clock (k = $k)"),
                check=enumeration_check(
                    tuple_points, _evaluation(consumer_surplus_is_ironed_virtual, transform),
                    summary="E[consumer surplus of DA^U] = E[ironed virtual surplus] exactly on all {cases} "
                            "distribution tuples",
                    violation="E[consumer surplus] ≠ E[ironed virtual surplus] at {point}"),
                technique="exact expectation by enumeration of the value profiles")


def price_map_definition_part(price_of=None) -> Part:
    """DA^U's price map against Definition 3's θ = sup{θ : ū(θ) ≥ v̂} (`price_of`: planted wrong in tests)."""
    prop = _evaluation(price_map_is_definition3) if price_of is None else _evaluation(price_map_is_definition3,
                                                                                       price_of)
    return Part("price map = Definition 3's sup{θ : ū(θ) ≥ v̂}", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(text="each of the 20 discrete distributions, every real virtual price v̂",
                              cases=lambda d: len(DEF3_DISTRIBUTIONS)),
                check=enumeration_check(
                    distribution_points, prop,
                    summary="v(θ(v̂)) equals Definition 3's price, ū by brute force over chords, for every real v̂ on "
                            "all {cases} distributions",
                    violation="the price map departs from Definition 3 at {point}"),
                technique="piecewise constant between hull slopes: slopes (the tie rule), midpoints and both ends "
                          "cover ℝ")


GH_DEF3 = Claim(
    id="GH-DEF3", title="Virtual pricing posts non-decreasing prices, outside ironed intervals",
    statement="Virtual-pricing transformation posts non-decreasing prices (is itself deferred-acceptance) and does "
              "not post prices inside an ironed interval.",
    source="GH (002), Definition 3 and observations 1 and 3",
    parts=(
        def3_route_part(),
        posted_prices_part(),
        allocation_part(),
        consumer_surplus_part(),
        Part("price map non-decreasing in the virtual price", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
             domain=Schema(text="each of the 20 discrete distributions, every real virtual price v̂",
                           cases=lambda d: len(DEF3_DISTRIBUTIONS)),
             check=enumeration_check(
                 distribution_points, _evaluation(price_map_non_decreasing),
                 summary="v̂ ↦ v(θ(v̂)) is non-decreasing on ℝ for all {cases} distributions",
                 violation="the price map decreases at {point}"),
             technique="piecewise constant between hull slopes: slopes, midpoints and both ends cover ℝ"),
        price_map_definition_part(),
    ),
)
