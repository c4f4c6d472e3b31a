"""Pen testing (GH Definition 1)."""
from fractions import Fraction as F

import pytest

from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.feasibility import KSelect
from mechproof.mechanisms.pen_testing import Pens


def test_success_spends_ink_failure_empties():
    pens = Pens((F(3), F(1)), KSelect(2, 2))
    assert pens.test(0, 2) and pens.residual(0) == 1
    assert pens.test(0, 1) and pens.residual(0) == 0          # tie succeeds, leaves 0
    assert not pens.test(1, 2) and pens.residual(1) == 0
    assert pens.select({0, 1}) == 0


def test_select_must_be_feasible_and_inputs_exact():
    pens = Pens((F(3), F(1)), KSelect(2, 1))
    with pytest.raises(UsageError, match="not feasible"):
        pens.select({0, 1})
    with pytest.raises(UsageError, match="float"):
        pens.test(0, 0.5)
    with pytest.raises(UsageError, match="negative"):
        pens.test(0, -1)
    with pytest.raises(UsageError):
        Pens((F(-1),), KSelect(1, 1))
