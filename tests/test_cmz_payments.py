"""Exact M_f payments (CMZ-MF, CMZ-E5): log-linear numbers, pieces, integrals, the Riemann-sum trap."""
import random
from fractions import Fraction as F

import pytest
import sympy as sp

from mechproof.mechanisms.cmz_mechanisms import (f_delta, f_delta_allocation, f_delta_breakpoints, insert_bid, m_f,
                                                 second_price)
from mechproof.mechanisms.cmz_payments import (LogLinear, Piece, cumulative_integrals, exact_ceil, exact_floor,
                                               exact_sign, fit_inverse_pieces, grid_linear_pieces, integrate_pieces)
from mechproof.mechanisms.errors import ModelError, UsageError
from mechproof.symbolic.intervals import certified_sign


def test_exact_zero_and_sign():
    assert exact_sign(LogLinear.log(4) - LogLinear.log(2).scale(2)) == 0
    assert exact_sign(LogLinear.log(F(10, 7)) - LogLinear.log(10) + LogLinear.log(7)) == 0
    x = LogLinear.log(3) - F(10986122886681097, 10 ** 16)   # ln 3 = 1.09861228866810969…
    assert exact_sign(x) == -1
    y = LogLinear.log(3) - F(10986122886681096, 10 ** 16)
    assert exact_sign(y) == 1
    assert exact_floor(LogLinear.log(3).scale(1000)) == 1098
    assert exact_ceil(LogLinear.log(8)) == 3
    assert exact_floor(LogLinear.log(8).scale(F(1, 3)) - LogLinear.log(2)) == 0


def test_sign_agrees_with_certified_sign_route():
    rng = random.Random(3)
    for _ in range(60):
        x = LogLinear.rational(F(rng.randint(-50, 50), rng.randint(1, 9)))
        for _ in range(3):
            x = x + LogLinear.log(F(rng.randint(1, 30), rng.randint(1, 30))).scale(F(rng.randint(-9, 9), rng.randint(1, 5)))
        assert exact_sign(x) == certified_sign(x.sympy())


def test_f_delta_payment_by_hand():
    # δ=1/2 (D=8), others bid (4,3), own bid 1: z wins only above 7/10 where f = 10/24 − 7/(24z)
    mech = f_delta(3, 4, F(1, 2))
    f1, p1 = mech.line(0, (4, 3))[1]
    assert f1 == F(1, 8)
    assert p1 == LogLinear.log(F(10, 7)).scale(F(7, 24))


def test_pieces_match_pointwise_f_delta():
    rng = random.Random(1)
    for d in (F(1, 10), F(1, 3), F(2, 3)):
        D = 4 * d / (1 - d) ** 2
        for _ in range(15):
            tau = tuple(rng.randint(0, 9) for _ in range(2))
            f = lambda z: f_delta_allocation(insert_bid(0, z, tau), d)[0]
            pcs = fit_inverse_pieces(f_delta_breakpoints(tau, D), 9, f)
            for p in pcs:
                for k in range(1, 7):
                    z = p.lo + (p.hi - p.lo) * F(k, 7)
                    assert p.value(z) == f(z)


def test_sweep_matches_sympy_integration():
    d, n = F(1, 4), 2
    D = 4 * d / (1 - d) ** 2
    z = sp.Symbol("z", positive=True)
    mech = f_delta(n, 6, d)
    for tau in [(3,), (6,), (0,)]:
        line = mech.line(0, tau)
        for s in (2, 5, 6):
            # independent: integrate the explicit formula between breakpoints found by hand
            t = tau[0]
            # n=2: z wins alone when t(1+D) ≤ z; both win when z/(1+D) < t < z(1+D)
            expr = sp.Piecewise((0, z * (1 + sp.nsimplify(D)) <= t),
                                (sp.Rational(1, 2) * (2 + sp.nsimplify(D)) / (2 + sp.nsimplify(D)) * (z * (2 + sp.nsimplify(D)) - z - t) / (z * sp.nsimplify(D)),
                                 z < t * (1 + sp.nsimplify(D))),
                                (sp.Rational(1, 2) * (2 + sp.nsimplify(D)) / (1 + sp.nsimplify(D)), True))
            ref = sp.nsimplify(line[s][0]) * s - sp.integrate(expr, (z, 0, s))
            assert sp.simplify(sp.expand_log(ref - line[s][1].sympy(), force=True)) == 0


def test_m_f_of_step_rule_is_second_price():
    for n, B in ((2, 5), (3, 4)):
        sp_mech = second_price(n, B)

        def step(i, tau):
            m = max(tau)
            if m == 0:
                return [Piece(F(0), F(B), F(1))]
            if m >= B:
                return [Piece(F(0), F(B), F(0))]
            return [Piece(F(0), F(m), F(0)), Piece(F(m), F(B), F(1))]
        mf = m_f("step", n, B, sp_mech.allocation, step, True)
        for v in sp_mech.profiles():
            assert tuple(x if not isinstance(x, LogLinear) else x.q for x in mf.outcome(v)[1]) == sp_mech.outcome(v)[1]


def test_grid_linear_integral_is_trapezoid_and_riemann_trap_differs():
    vals = [F(0), F(1, 4), F(1, 2), F(1)]
    pcs = grid_linear_pieces(vals)
    G = cumulative_integrals(pcs, range(4))
    assert [g.q for g in G] == [0, F(1, 8), F(1, 2), F(5, 4)]
    assert all(g.is_rational() for g in G)
    riemann = [sum(vals[:s]) for s in range(4)]
    assert [g.q for g in G] != riemann          # a lower Riemann sum is a different mechanism


def test_piece_validation():
    with pytest.raises(UsageError):
        Piece(F(0), F(1), F(0), F(0), F(1))         # c/z at 0 diverges
    with pytest.raises(UsageError):
        Piece(F(1), F(1), F(0))
    with pytest.raises(UsageError):
        integrate_pieces([Piece(F(0), F(1), F(1))], 2)   # gap
    with pytest.raises(ModelError):
        fit_inverse_pieces([], 4, lambda z: z * z)        # not a + c/z: the allocation misbehaves
