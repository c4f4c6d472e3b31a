"""Pen testing (GH Definition 1)."""
from fractions import Fraction as F

import pytest

from mechproof.mechanisms.errors import ModelError
from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.feasibility import KSelect
from mechproof.mechanisms.pen_testing import Pens


def test_success_spends_ink_failure_empties():
    pens = Pens((F(3), F(1)), KSelect(2, 2))
    assert pens.test(0, 2) and pens.residual(0) == 1
    assert pens.test(0, 1) and pens.residual(0) == 0          # tie succeeds, leaves 0
    assert not pens.test(1, 2) and pens.residual(1) == 0
    assert pens.select({0, 1}) == 0


def test_a_misbehaving_algorithm_is_a_model_error_bad_ink_a_usage_error():
    pens = Pens((F(3), F(1)), KSelect(2, 1))
    with pytest.raises(ModelError, match="not feasible"):
        pens.select({0, 1})
    with pytest.raises(ModelError, match="outside"):
        pens.select({5})
    with pytest.raises(ModelError, match="negative"):
        pens.test(0, -1)
    with pytest.raises(ModelError, match="not in 0..1"):
        pens.test(2, 1)
    with pytest.raises(UsageError, match="float"):
        pens.test(0, 0.5)
    with pytest.raises(UsageError):
        Pens((F(-1),), KSelect(1, 1))
