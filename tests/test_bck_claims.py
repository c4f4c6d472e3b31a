"""BCK claim checks: true statements pass, planted bugs are refuted with exact witnesses."""
from fractions import Fraction as F

import pytest
import sympy as sp

from mechproof.context import CheckContext
from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.random_variables import DiscreteRV, mass_at_values
from mechproof.papers import (
    bck_example1, bck_inventory, bck_mechanisms, bck_random_variable_lemmas, bck_table, bck_utility_lemmas,
)
from mechproof.verdicts import Status


def ctx(budget=60, **bounds):
    return CheckContext.start(budget, bounds)


def assert_refuted(verdict):
    assert verdict.status is Status.REFUTED, verdict.summary
    assert verdict.witness is not None and verdict.witness.assignment
    return verdict


# --- BCK-L2: U_k submodular -------------------------------------------------------------------
def test_l2_verified_on_small_domain():
    v = bck_utility_lemmas.check_l2(ctx(n=3, n_B3=2, B=3))
    assert v.status is Status.VERIFIED, v.summary


def test_l2_planted_convex_utility_is_refuted():
    v = assert_refuted(bck_utility_lemmas.check_l2(ctx(n=2, n_B3=0, B=2), shape="convex"))
    assert "submodular" in v.summary and ("U concave", "False") in v.witness.assignment


def test_l2_planted_k_smallest_aggregator_is_refuted():
    v = assert_refuted(bck_utility_lemmas.check_l2(ctx(n=2, n_B3=0, B=2), largest=False))
    observed = dict(v.witness.observed)
    assert F(observed["U_k(x∨y)+U_k(x∧y)"]) > F(observed["U_k(x)+U_k(y)"])


# --- BCK-L1 -----------------------------------------------------------------------------------
def test_l1_as_printed_refuted_and_intended_reading_verified():
    printed = assert_refuted(bck_utility_lemmas.check_l1(ctx(B_L1=2), "X"))
    assert "Y1 ⪰ Y2" in dict(printed.witness.observed)
    assert bck_utility_lemmas.check_l1(ctx(B_L1=2), "Y").status is Status.VERIFIED


# --- BCK-L14 ----------------------------------------------------------------------------------
def test_l14_verified_and_planted_factor_refuted():
    assert bck_utility_lemmas.check_l14(ctx(R=5)).status is Status.VERIFIED
    v = assert_refuted(bck_utility_lemmas.check_l14(ctx(R=5), factor="EX/R"))
    obs = dict(v.witness.observed)
    assert F(obs["E[U(R−X)]"]) < F(obs["factor·(U(R)−U(0))"])


def test_l14_needs_u0_zero():
    assert_refuted(bck_utility_lemmas.check_l14(ctx(R=3), anchored=False))


# --- BCK-L3 / L6 ------------------------------------------------------------------------------
class ConvexUtility:
    """A planted non-concave 'utility' max(0, t − 1)."""

    def __call__(self, t):
        return max(F(0), F(t) - 1)

    def describe(self):
        return "max(0, t-1)"


def test_l3_planted_convex_utility_breaks_the_correlation_gap():
    assert_refuted(bck_random_variable_lemmas.check_l3(ctx(n_L3=2, n_tight=2), utilities=(ConvexUtility(),)))


def test_l6_true_merge_verified():
    assert bck_random_variable_lemmas.check_l6(ctx()).status is Status.VERIFIED


def _renormalising_merge(x1, x2):
    """Planted bug: ignores Pr[X1≠0]+Pr[X2≠0] ≤ 1 and rescales the masses to fit."""
    mass = mass_at_values((x1, x2))
    total = sum(mass.values(), F(0))
    scale = 1 / total if total > 1 else F(1)
    atoms = tuple((v, p * scale) for v, p in mass.items())
    return DiscreteRV(atoms + ((F(0), 1 - sum(p for _, p in atoms)),))


def _silently_rejecting_merge(x1, x2):
    """Planted bug: refuses legal pairs too."""
    raise UsageError("merge refused")


@pytest.mark.parametrize("bad_merge", [_renormalising_merge, _silently_rejecting_merge])
def test_l6_planted_merge_bugs_are_refuted(bad_merge):
    assert_refuted(bck_random_variable_lemmas.check_l6(ctx(), merge_op=bad_merge))


# --- γ(k): App. D inventory bound -------------------------------------------------------------
def test_inventory_bound_as_printed_is_refuted_with_a_minimal_witness():
    v = assert_refuted(bck_inventory.check_inventory_as_stated(ctx()))
    assert dict(v.witness.assignment)["k"] == "1"


def test_inventory_kexp_reading_verified():
    assert bck_inventory.check_inventory_kexp(ctx(n_gamma=4, k_tight=4)).status is Status.VERIFIED


def test_planted_gamma_without_e_power_is_refuted():
    bad = lambda k: 1 - sp.Integer(k) ** k / sp.factorial(k)
    v = assert_refuted(bck_inventory.check_inventory_kexp(ctx(n_gamma=3, k_tight=3), gamma_fn=bad))
    assert "Poisson" in v.summary


def test_t4_verified():
    assert bck_inventory.check_t4(ctx()).status is Status.VERIFIED


def test_t4_with_an_overclaimed_factor_is_refuted():
    assert_refuted(bck_inventory.check_t4(ctx(), gamma_fn=lambda k: sp.Integer(1)))


# --- EX1, L4, T2, L20, TABLE ------------------------------------------------------------------
def test_example1_is_proved_symbolically():
    v = bck_example1.check_ex1_symbolic(ctx())
    assert v.status is Status.PROVED and "2ε² − ε³" in v.summary


def test_t2_verified_and_overclaimed_factor_refuted():
    assert bck_mechanisms.check_t2(ctx()).status is Status.VERIFIED
    assert_refuted(bck_mechanisms.check_t2(ctx(), factor_fn=lambda k: sp.Integer(1)))


def test_l20_verified_and_overclaimed_factor_refuted():
    assert bck_mechanisms.check_l20(ctx(), factor=F(4, 27)).status is Status.VERIFIED
    assert_refuted(bck_mechanisms.check_l20(ctx(), factor=F(1, 2)))


def test_table_theorem4_dsic_cell_is_refuted_by_an_exact_instance():
    w = bck_table._theorem4_dsic_cell(ctx())
    obs = dict(w.observed)
    assert F(obs["upper bound on every DSIC mechanism"]) == F(15, 8)
    assert F(obs["OPT_BIC (ex-post IR, no positive transfers)"]) == F(277, 80)


def test_l4_and_t1_parts_pass():
    assert bck_mechanisms.check_l4(ctx()).status is Status.VERIFIED
    assert bck_mechanisms.check_t1_covering_lp(ctx()).status is Status.VERIFIED


def test_symbolic_utility_parts_pass():
    assert bck_random_variable_lemmas.check_l6_symbolic(ctx()).status is Status.VERIFIED


def test_table_theorem2_dsic_cell_is_refuted_by_an_exact_instance():
    w = bck_table._theorem2_dsic_cell(ctx())
    obs = dict(w.observed)
    assert F(obs["bound on DSIC/BIC"]) < F(2526, 10000)      # (1 − 1/e)³ ≈ 0.25258
