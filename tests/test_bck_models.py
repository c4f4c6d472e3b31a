"""BCK models: utilities, random variables, merge/split, exact simplex, mechanisms on users' own inputs."""
from fractions import Fraction as F
import random

import pytest
import sympy as sp
import z3

from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.exact_simplex import solve_lp
from mechproof.mechanisms.bck_bic import (
    algorithm1, appendix_d_lp, optimal_bic, served_mass, tie_violations, verify_bic_lottery,
)
from mechproof.mechanisms.bck_posted_pricing import (
    best_deterministic_spm, covering_lp_offers, dsic_price_marginals, dsic_revenue_upper_bound, optimal_dsic,
    spm_expected_utility, spm_utility_by_simulation,
)
from mechproof.mechanisms.errors import ModelError
from mechproof.mechanisms.random_variables import (
    DiscreteRV, expected_top_k_utility, independent_joint, mass_at_values, merge, split,
    split_evenly, top_k_sum, two_point, utility_of_top_k, worst_case_joint,
)
from mechproof.mechanisms.seller_utilities import (
    PiecewiseLinearUtility, capped_linear, from_values_on_grid, linear_utility,
)
from mechproof.symbolic.bck_utilities import (
    SymbolicUtility, compare_values, exponential_utility, log_utility, sqrt_utility,
)


# --- utilities ------------------------------------------------------------------------------
def test_capped_linear_evaluates_exactly():
    U = capped_linear(F(3, 2))
    assert [U(F(x)) for x in (0, 1, F(3, 2), 5)] == [0, 1, F(3, 2), F(3, 2)]
    assert U(-1) == -1


def test_planted_convex_utility_is_rejected():
    with pytest.raises(UsageError, match="not concave"):
        PiecewiseLinearUtility((F(1),), (F(1), F(2)))
    with pytest.raises(UsageError, match="not concave"):
        from_values_on_grid([0, 1, 3])
    t = sp.Symbol("t", nonnegative=True)
    with pytest.raises(UsageError, match="not concave"):
        SymbolicUtility(t ** 2)


@pytest.mark.parametrize("bad, msg", [
    (lambda: PiecewiseLinearUtility((), (F(-1),)), "non-decreasing"),
    (lambda: from_values_on_grid([1, 2, 3]), "U\\(0\\) must be 0"),
    (lambda: from_values_on_grid([0, 1, 0]), "non-decreasing"),
    (lambda: SymbolicUtility(1 + sp.Symbol("t")), "U\\(0\\) must be 0"),
    (lambda: SymbolicUtility(-sp.Symbol("t")), "decreasing"),
    (lambda: capped_linear(0.5), "float"),
    (lambda: capped_linear(0), "positive"),
])
def test_bad_utilities_raise_input_error(bad, msg):
    with pytest.raises(UsageError, match=msg):
        bad()


def test_symbolic_utilities_compare_with_certified_precision():
    assert compare_values(sqrt_utility()(2), F(141421, 100000)) == 1
    assert compare_values(exponential_utility()(1), F(63, 100)) == 1
    assert compare_values(log_utility()(1), F(69315, 100000)) == -1
    # E[√X] vs √E[X] (Jensen) with exact sympy constants
    X = DiscreteRV.of({0: F(1, 2), 4: F(1, 2)})
    lhs = sum(p * sqrt_utility()(v) for v, p in X.atoms)
    assert compare_values(lhs, sqrt_utility()(X.mean)) == -1


# --- random variables -----------------------------------------------------------------------
def test_discrete_rv_validation():
    with pytest.raises(UsageError, match="sum to"):
        DiscreteRV.of({1: F(1, 2)})
    with pytest.raises(UsageError, match="negative"):
        DiscreteRV.of({1: F(3, 2), 0: F(-1, 2)})
    with pytest.raises(UsageError, match="float"):
        DiscreteRV.of({1: 0.5, 0: F(1, 2)})


def test_top_k_sums_the_largest_entries():
    assert top_k_sum([F(1), F(5), F(3)], 2) == 8
    assert utility_of_top_k(capped_linear(6), [F(1), F(5), F(3)], 2) == 6


def test_merge_requires_the_probability_condition():
    a, b = two_point(1, F(1, 2)), two_point(2, F(3, 4))
    with pytest.raises(UsageError, match="Pr\\[X1≠0\\]"):
        merge(a, b)
    y = merge(two_point(1, F(1, 4)), two_point(2, F(1, 2)))
    assert y.prob(1) == F(1, 4) and y.prob(2) == F(1, 2) and y.prob(0) == F(1, 4)


def test_split_checks_masses():
    x = DiscreteRV.of({0: F(1, 2), 1: F(1, 4), 2: F(1, 4)})
    pieces = split_evenly(x, 2)
    assert mass_at_values(pieces) == mass_at_values((x,))
    with pytest.raises(UsageError, match="split pieces"):
        split(x, (two_point(1, F(1, 4)),))


def test_independent_joint_has_the_marginals():
    rvs = (two_point(1, F(1, 3)), DiscreteRV.of({0: F(1, 2), 2: F(1, 4), 3: F(1, 4)}))
    assert independent_joint(rvs).marginals() == rvs


def test_worst_correlation_lp_on_disjoint_bernoullis():
    margs = tuple(two_point(1, F(1, 3)) for _ in range(3))
    U = capped_linear(1)
    val, joint = worst_case_joint(lambda x: utility_of_top_k(U, x, 3), margs)
    assert val == 1 and joint.marginals() == margs
    assert expected_top_k_utility(U, margs, 3) == 1 - F(8, 27)


# --- exact simplex --------------------------------------------------------------------------
def test_simplex_agrees_with_z3_optimize_on_random_lps():
    rnd = random.Random(7)
    for _ in range(60):
        n, m = rnd.randint(1, 4), rnd.randint(1, 3)
        c = [rnd.randint(-3, 3) for _ in range(n)]
        A = [[rnd.randint(-3, 3) for _ in range(n)] for _ in range(m)]
        b = [rnd.randint(-2, 5) for _ in range(m)]
        res = solve_lp(c, A, b)
        o = z3.Optimize()
        xs = [z3.Real(f"x{i}") for i in range(n)]
        o.add([x >= 0 for x in xs])
        o.add([z3.Sum([a * x for a, x in zip(row, xs)]) <= bb for row, bb in zip(A, b)])
        h = o.maximize(z3.Sum([a * x for a, x in zip(c, xs)]))
        if o.check() == z3.unsat:
            assert res.status == "infeasible"
        elif "oo" in str(o.upper(h)):
            assert res.status == "unbounded"
        else:
            assert res.status == "optimal" and res.value == F(str(o.upper(h)))


def test_simplex_answers_carry_replayed_certificates():
    from mechproof.mechanisms.exact_simplex import certificate_violations
    cons = [([F(1), F(1)], F(4), "ub"), ([F(1), F(3)], F(6), "ub")]
    res = solve_lp([3, 2], [r for r, _, _ in cons], [b for _, b, _ in cons])
    assert (res.status, res.value, res.x) == ("optimal", 12, (4, 0)) and certificate_violations([3, 2], cons, res) == []
    assert solve_lp([1], [[1]], [-1]).dual and solve_lp([1], [[-1]], [0]).ray == (1,)
    assert solve_lp([-1, -1], A_eq=[[1, 1]], b_eq=[2], maximize=False).value == -2


def _stops_after_one_pivot(rows, obj, basis, allowed):
    """Planted bug: the simplex stops after its first pivot (a sub-optimal vertex)."""
    from mechproof.mechanisms import exact_simplex
    e = next((j for j in range(allowed) if obj[j] > 0), None)
    if e is not None:
        i = min((i for i, row in enumerate(rows) if row[e] > 0), key=lambda i: rows[i][-1] / rows[i][e], default=None)
        if i is not None:
            exact_simplex._pivot(rows, obj, basis, i, e)
    return "optimal", None


def test_a_planted_sub_optimal_simplex_is_caught_by_its_certificate(monkeypatch):
    from mechproof.mechanisms import exact_simplex
    margs = tuple(two_point(1, F(1, 3)) for _ in range(3))
    f = lambda x: utility_of_top_k(capped_linear(1), x, 3)
    assert worst_case_joint(f, margs)[0] == 1
    monkeypatch.setattr(exact_simplex, "_run", _stops_after_one_pivot)
    with pytest.raises(ModelError, match="fails its certificate"):
        worst_case_joint(f, margs)
    with pytest.raises(ModelError, match="fails its certificate"):
        solve_lp([2, 3], [[1, 1], [1, 3]], [4, 6])           # one pivot reaches (4, 0): 8 < 9 at (3, 1)


def test_a_planted_wrong_answer_is_caught(monkeypatch):
    from mechproof.mechanisms import exact_simplex
    monkeypatch.setattr(exact_simplex, "_simplex", lambda cost, cons: exact_simplex.LPResult("infeasible", dual=(F(1),)))
    with pytest.raises(ModelError, match="Farkas"):
        solve_lp([1], [[1]], [1])


# --- mechanisms on a user's own distributions and utility -----------------------------------
def test_mechanisms_public_api_on_user_inputs():
    U = capped_linear(F(3, 2))
    vals = [DiscreteRV.of({1: F(1, 2), 2: F(1, 2)}), DiscreteRV.of({0: F(1, 3), 2: F(2, 3)})]
    opt, mechs = optimal_dsic(U, vals, 1)
    assert opt == F(4, 3)
    offers = dsic_price_marginals(mechs[0], vals)
    assert spm_expected_utility(U, vals, offers, 1) >= (1 - F(1, 2)) * opt
    assert covering_lp_offers(vals, [1, 2], 1, {F(2): F(2, 3)}) is not None
    assert covering_lp_offers(vals, [1, 2], 1, {F(2): F(2)}) is None      # more than k = 1 sales: infeasible


def test_appendix_d_lp_and_algorithm1_are_truthful_in_expectation():
    vals = [DiscreteRV.of({1: F(1, 2), 2: F(1, 2)})] * 2
    buyers = [PiecewiseLinearUtility((F(0),), (F(3), F(1)))] * 2
    rule = appendix_d_lp(vals, [0, 1, 2], buyers, 1)
    out = algorithm1(rule, vals, 1)
    assert tie_violations(rule, vals, buyers, out.reach) == []
    opt = optimal_bic(linear_utility(), vals, [0, 1, 2], buyers, 1, ex_post_ir=False)
    assert rule.value >= opt.value
    value, problems = verify_bic_lottery(linear_utility(), vals, buyers, 1, opt.lottery, ex_post_ir=False)
    assert problems == [] and value == opt.value


def test_dsic_lp_bound_matches_exhaustive_dsic_for_linear_seller():
    vals = (DiscreteRV.of({1: F(1, 2), 2: F(1, 2)}), DiscreteRV.of({0: F(1, 2), 2: F(1, 2)}))
    assert dsic_revenue_upper_bound(vals, 1) == optimal_dsic(linear_utility(), vals, 1)[0]


def test_bad_mechanism_inputs_raise():
    vals = [two_point(1, F(1, 2))]
    with pytest.raises(UsageError, match="k = 0"):
        optimal_dsic(linear_utility(), vals, 0)
    with pytest.raises(UsageError, match="offer probabilities"):
        spm_expected_utility(linear_utility(), vals, [((1, F(3, 2)),)], 1)
    with pytest.raises(UsageError, match="contain 0"):
        appendix_d_lp(vals, [1], [linear_utility()], 1)


# --- the plain definitions the replays use agree with the fast routes ---------------------------
def test_spm_simulation_agrees_with_the_revenue_variables_route():
    rnd = random.Random(3)
    U = capped_linear(F(5, 2))
    for _ in range(25):
        vals = [DiscreteRV.of({rnd.randint(0, 1): F(1, 2), rnd.randint(2, 3): F(1, 2)}) for _ in range(2)]
        offers = [((F(rnd.randint(1, 3)), F(rnd.randint(0, 2), 4)), (F(rnd.randint(1, 3)), F(1, 4))) for _ in range(2)]
        for k in (1, 2):
            assert spm_utility_by_simulation(U, vals, offers, k) == spm_expected_utility(U, vals, offers, k)


def test_best_spm_is_the_same_by_either_evaluation():
    vals = (DiscreteRV.of({1: F(2, 3), 3: F(1, 3)}), DiscreteRV.of({1: F(1, 2), 2: F(1, 4), 4: F(1, 4)}))
    U = capped_linear(3)
    assert best_deterministic_spm(U, vals, 1) == best_deterministic_spm(U, vals, 1, evaluate=spm_utility_by_simulation)


def test_served_mass_is_expected_min_of_demand_and_stock():
    from mechproof.mechanisms.bck_lemma_cases import served, served_by_definition
    for probs in [(F(1, 4),), (F(1, 2), F(1, 2), F(1, 4)), (F(3, 4), F(1, 4), F(1, 4), F(1, 4))]:
        for k in (1, 2):
            assert served({"prob": probs, "k": k}) == served_by_definition({"prob": probs, "k": k}) \
                == served_mass(probs, k)
    with pytest.raises(UsageError, match="prob_i"):
        served_mass((F(3, 2),), 1)


def test_model_errors_for_misbehaving_programs():
    with pytest.raises(UsageError):
        worst_case_joint(lambda x: F(0), ())
    from mechproof.mechanisms.bck_model import exceeds
    with pytest.raises(ModelError, match="no comparison"):
        exceeds(sp.sqrt(2), sp.Integer(1), U=capped_linear(1))
    assert exceeds(sp.sqrt(2), sp.Integer(1), U=sqrt_utility())
