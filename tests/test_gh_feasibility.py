"""Feasibility constraints (GH Definition 1's 𝒫): validation and behaviour."""
from fractions import Fraction as F

import pytest

from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.feasibility import (
    ExplicitFamily, GraphicMatroid, KSelect, Knapsack, OracleMatroid, PartitionMatroid, is_matroid_constraint,
    max_weight_feasible,
)


def test_matroids_are_matroids_and_knapsack_is_not():
    assert is_matroid_constraint(KSelect(4, 2))
    assert is_matroid_constraint(PartitionMatroid((0, 0, 1), (1, 1)))
    assert is_matroid_constraint(GraphicMatroid(((0, 1), (1, 2), (0, 2))))
    assert not is_matroid_constraint(Knapsack((2, 1, 1), 2))
    assert not GraphicMatroid(((0, 1), (1, 2), (0, 2))).is_feasible(frozenset({0, 1, 2}))


def test_oracle_matroid_validated():
    OracleMatroid(3, lambda s: len(s) <= 1)
    with pytest.raises(UsageError, match="not a matroid"):
        OracleMatroid(3, lambda s: s in (frozenset(), frozenset({0}), frozenset({1, 2}), frozenset({1}), frozenset({2})))


def test_explicit_family_must_be_downward_closed():
    with pytest.raises(UsageError, match="downward closed"):
        ExplicitFamily(2, frozenset({frozenset(), frozenset({0, 1})}))
    fam = ExplicitFamily.closure_of(3, [[0, 1], [2]])
    assert fam.is_feasible(frozenset({0})) and not fam.is_feasible(frozenset({0, 2}))


def test_bad_inputs():
    with pytest.raises(UsageError):
        Knapsack((1, 0), 2)
    with pytest.raises(UsageError, match="float"):
        Knapsack((0.5, 1), 2)
    with pytest.raises(UsageError):
        KSelect(2, 3)
    with pytest.raises(UsageError):
        KSelect(2, 1).is_feasible(frozenset({5}))


def test_max_weight():
    assert max_weight_feasible(Knapsack((1, 2, 2), 3), [F(1), F(3), F(3)])[0] == 4
