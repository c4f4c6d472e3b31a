"""Concrete CMZ mechanisms: second price, f^(δ) (Def. E.2), M_f, feasibility."""
from fractions import Fraction as F

import pytest

from mechproof.mechanisms.cmz_mechanisms import (f_delta, f_delta_allocation, f_delta_winners, feasibility_violation,
                                                 allocation_mechanism, insert_bid, random_assignment, second_price)
from mechproof.mechanisms.cmz_model import D_of_delta
from mechproof.mechanisms.errors import ModelError, UsageError


def test_second_price_ties_and_zero():
    m = second_price(3, 5)
    assert m.outcome((5, 3, 1)) == ((1, 0, 0), (3, 0, 0))
    assert m.outcome((4, 4, 1)) == ((F(1, 2), F(1, 2), 0), (2, 2, 0))
    assert m.outcome((0, 0, 0)) == ((F(1, 3),) * 3, (0, 0, 0))
    assert feasibility_violation(m) is None


def test_f_delta_hand_values():
    d = F(1, 2)          # D = 8
    assert D_of_delta(d) == 8
    # (5,3,2): n*=3, f_1 = (1/3)(11/11)(5·11 − 10)/(5·8) = 3/8
    assert f_delta_allocation((5, 3, 2), d) == (F(3, 8), F(23, 72), F(1, 4))
    # clear winner: (10,1,1): n*=1, f_1 = (1/3)(11/9)(10·9 − 10)/(80) = 11/27
    assert f_delta_allocation((10, 1, 1), d) == (F(11, 27), 0, 0)
    # ties: equal bids share equally, n* = n
    assert f_delta_allocation((4, 4), d) == (F(1, 2), F(1, 2))   # (n+D)/(n(2+D)) = 10/20
    assert f_delta_allocation((0, 0, 0), d) == (0, 0, 0)          # documented convention
    assert f_delta_allocation((3, 0), d)[1] == 0


def test_f_delta_symmetric_extension():
    d = F(1, 3)
    v = (2, 7, 7, 1)
    f = f_delta_allocation(v, d)
    assert f[1] == f[2]
    assert f_delta_allocation((7, 2, 1, 7), d) == (f[1], f[0], f[3], f[2])


def test_f_delta_planted_variants_differ():
    d = F(1, 2)
    assert f_delta_winners((5, 3, 2), 8, "largest")[0] == 3
    v = (10, 1, 1)
    bad = f_delta_allocation(v, d, nstar_rule="largest")
    assert min(bad) < 0                      # negative "probability"
    assert f_delta_allocation(v, d, D=2 * d / (1 - d) ** 2) != f_delta_allocation(v, d)


def test_random_assignment_and_infeasible():
    assert random_assignment(2, 3).outcome((0, 3)) == ((F(1, 2), F(1, 2)), (0, 0))
    top2 = allocation_mechanism("top-two both win", 3, 3,
                                lambda v: tuple(F(1) if sorted(v, reverse=True).index(x) < 2 else F(0) for x in v))
    v, f = feasibility_violation(top2)
    assert sum(f) > 1
    with pytest.raises(ModelError, match="sub-probability"):     # evaluating it is a model error
        top2.outcome(v)


def test_input_errors():
    with pytest.raises(UsageError):
        second_price(1, 4)
    with pytest.raises(UsageError):
        second_price(2, 4).outcome((1, 2, 3))
    with pytest.raises(UsageError):
        f_delta_allocation((1, -1), F(1, 2))
    with pytest.raises(UsageError):
        f_delta_allocation((1, 0.5), F(1, 2))
    with pytest.raises(UsageError):
        f_delta(2, 4, 0.5)
    assert insert_bid(1, 9, (1, 2)) == (1, 9, 2)


def test_integer_fast_path_equals_rational_route():
    """Two routes for f^(δ): integer arithmetic on grid bids vs the general Fraction path."""
    from itertools import product
    for d in (F(1, 10), F(1, 3), F(2, 3)):
        for rule in ("smallest", "largest"):
            for v in product(range(6), repeat=3):
                assert f_delta_allocation(v, d, nstar_rule=rule) == f_delta_allocation(tuple(map(F, v)), d, nstar_rule=rule)


def test_second_price_closed_form_line_equals_the_outcomes():
    """The closed-form line of second price (used by the dominance tables) is the outcome at every s⊔τ."""
    from itertools import product

    from mechproof.mechanisms.cmz_mechanisms import _sp_allocation, _sp_payment, insert_bid, second_price
    for n in (2, 3, 4):
        for B in (1, 3, 5):
            mech = second_price(n, B)
            for i in range(n):
                for tau in product(range(B + 1), repeat=n - 1):
                    expected = [(_sp_allocation(insert_bid(i, s, tau))[i], _sp_payment(insert_bid(i, s, tau))[i])
                                for s in range(B + 1)]
                    assert mech.line(i, tau) == expected, (n, B, i, tau)
