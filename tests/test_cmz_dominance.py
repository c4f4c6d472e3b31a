"""Undominated bids: the endpoint reduction against the brute-force definition (CMZ model)."""
import random
from dataclasses import replace
from fractions import Fraction as F

import pytest

from mechproof.mechanisms.cmz_dominance import (dominance_table, is_undominated_by_definition, undominated_bids,
                                                undominated_bids_by_definition)
from mechproof.mechanisms.cmz_mechanisms import Mechanism, f_delta, first_price, m_f_grid_linear, second_price
from mechproof.mechanisms.cmz_model import ApproxValuation, approx_intervals
from mechproof.mechanisms.exact import UsageError


def random_table_mechanism(seed: int, n: int = 2, B: int = 3) -> Mechanism:
    """A non-symmetric mechanism with random rational tables (allocations ≤ 1/n each)."""
    rng = random.Random(seed)
    table = {}
    for v in __import__("itertools").product(range(B + 1), repeat=n):
        f = tuple(F(rng.randint(0, 4), 4 * n) for _ in range(n))
        p = tuple(F(rng.randint(-2, 8), 4) * x for x in f)
        table[v] = (f, p)
    return Mechanism(f"random table {seed}", n, B, lambda v: table[v][0], lambda v: table[v][1])


def riemann_mechanism(n, B):
    """Planted trap: f = v_i/Σv with a LOWER RIEMANN SUM in place of ∫ (not the paper's M_f)."""
    def alloc(v):
        s = sum(v)
        return tuple(F(x, s) if s else F(1, len(v)) for x in v)

    def pay(v):
        out = []
        for i in range(len(v)):
            fi = lambda z: alloc(v[:i] + (z,) + v[i + 1:])[i]
            out.append(v[i] * fi(v[i]) - sum(fi(z) for z in range(v[i])))
        return tuple(out)
    return Mechanism("proportional with lower-Riemann payments", n, B, alloc, pay, symmetric=True)


MECHS = [
    lambda: second_price(2, 4), lambda: first_price(2, 4), lambda: f_delta(2, 4, F(1, 2)),
    lambda: riemann_mechanism(2, 4), lambda: random_table_mechanism(1), lambda: random_table_mechanism(2),
    lambda: second_price(3, 2),
]


@pytest.mark.parametrize("make", MECHS)
def test_endpoint_reduction_equals_definition(make):
    mech = make()
    for i in ([0] if mech.symmetric else range(mech.n)):
        tab = dominance_table(mech, i)
        for K in approx_intervals(mech.B):
            assert undominated_bids(mech, i, K, tab) == undominated_bids_by_definition(mech, i, K), (mech.name, i, K)


def test_symmetric_shortcut_equals_full_enumeration():
    for mech in (f_delta(3, 3, F(1, 3)), second_price(3, 3)):
        full = replace(mech, symmetric=False)
        t1, t2 = dominance_table(mech, 0), dominance_table(full, 0)
        for K in approx_intervals(3):
            assert t1.undominated(K) == t2.undominated(K)


def test_known_sets():
    sp_mech = second_price(2, 6)
    assert undominated_bids(sp_mech, 0, (2, 4)) == {2, 3, 4}
    assert undominated_bids(first_price(2, 6), 0, (3, 3)) == {1, 2}
    # the Riemann trap: bidding one below a point valuation is undominated
    assert 2 in undominated_bids(riemann_mechanism(2, 4), 0, (3, 3))
    # the paper's M_f (exact integral) of the same f does not have that defect
    mf = m_f_grid_linear("proportional", 2, 4, riemann_mechanism(2, 4).allocation, True)
    assert undominated_bids(mf, 0, (3, 3)) == {3}
    ok, by = is_undominated_by_definition(sp_mech, 0, ApproxValuation(2, 4), 5)
    assert not ok and by is not None


def test_bad_K():
    with pytest.raises(UsageError):
        undominated_bids(second_price(2, 3), 0, (2, 5))
    with pytest.raises(UsageError):
        undominated_bids(second_price(2, 3), 0, (3, 1))
    with pytest.raises(UsageError):
        dominance_table(second_price(2, 3), 2)


def near_tie_mechanism(seed: int, n: int = 2, B: int = 4, eps=F(1, 2 ** 41)) -> Mechanism:
    """Allocations and payments that differ by less than the fast route's 2^-30 grid (its exact
    fallback decides them), with integer thresholds (tie points) planted."""
    rng = random.Random(seed)
    table = {}
    for v in __import__("itertools").product(range(B + 1), repeat=n):
        f = tuple(F(rng.randint(0, 2), 4 * n) + rng.choice((0, eps, 2 * eps)) for _ in range(n))
        p = tuple(rng.choice((x * rng.randint(0, B), x * rng.randint(0, B) + eps, F(0))) for x in f)
        table[v] = (f, p)
    return Mechanism(f"near-tie table {seed}", n, B, lambda v: table[v][0], lambda v: table[v][1])


def huge_payment_mechanism(n=2, B=3) -> Mechanism:
    """Payments beyond the fast route's int64 bounds: it must decline (the reference decides)."""
    return Mechanism("huge payments", n, B, lambda v: (F(1, n),) * n,
                     lambda v: tuple(F(10 ** 20 * x + 1, 3) for x in v))


def dyadic_near_integer_mechanism() -> Mechanism:
    """A threshold x = 1 − 2^-70 whose int64 enclosure ends exactly at the integer 1: only the exact
    confirmation tells that 1 is not a tie point (planted for the fast route's tie rule)."""
    def f(b):
        return F(1, 2) if b > 0 else F(0)

    def p(b):
        return F(1, 2) - F(1, 2 ** 71) if b > 0 else F(0)
    return Mechanism("dyadic near-integer threshold", 2, 2, lambda v: (f(v[0]), f(v[1])), lambda v: (p(v[0]), p(v[1])))


FAST_CASES = MECHS + [
    dyadic_near_integer_mechanism,
    lambda: f_delta(3, 8, F(1, 10)), lambda: f_delta(2, 12, F(2, 3)), lambda: f_delta(3, 6, F(1, 4), D=F(3, 2)),
    lambda: f_delta(4, 4, F(1, 3)), lambda: second_price(3, 9), lambda: first_price(3, 7),
    lambda: random_table_mechanism(3, 3, 3), lambda: random_table_mechanism(4, 2, 5),
    lambda: near_tie_mechanism(1), lambda: near_tie_mechanism(2, 3, 3), lambda: near_tie_mechanism(3),
    lambda: huge_payment_mechanism(),
]


@pytest.mark.parametrize("make", FAST_CASES)
def test_fast_pair_stage_equals_the_reference(make):
    """The integer-vectorised pair ranges (cmz_dominance_fast) are the reference's, pair by pair."""
    mech = make()
    for i in ([0] if mech.symmetric else range(mech.n)):
        fast, exact = dominance_table(mech, i, "fast"), dominance_table(mech, i, "exact")
        assert fast.pairs == exact.pairs, (mech.name, i)


def test_fast_pair_stage_declines_beyond_int64_and_decides_near_ties_exactly(monkeypatch):
    import mechproof.mechanisms.cmz_dominance_fast as fast
    from mechproof.mechanisms.cmz_dominance import _lines
    assert fast.pair_ranges(_lines(huge_payment_mechanism(), 0), 3) is None
    cells = []
    exact_cell = fast._exact_cell
    monkeypatch.setattr(fast, "_exact_cell", lambda row, s, s2: cells.append((s, s2)) or exact_cell(row, s, s2))
    for seed in range(4, 8):
        mech = near_tie_mechanism(seed)
        for i in range(mech.n):
            assert fast.pair_ranges(_lines(mech, i), mech.B) == dominance_table(mech, i, "exact").pairs
    assert len(cells) > 20            # the near ties really went through the exact fallback


def test_the_table_cross_check_refutes_a_wrong_fast_stage(monkeypatch):
    """Planted bug: the fast pair stage loses one pair (as an off-by-one in its range would make it
    empty); the CMZ cross-check part refutes."""
    import mechproof.mechanisms.cmz_dominance_fast as fast
    from mechproof import Status
    from mechproof.papers.cmz_undominated import table_routes_part
    from mechproof.runner import run_part_inline
    part = table_routes_part()
    ok = run_part_inline(part, 60, domain=part.domain.resolve({"tab_B": "4"}))
    assert ok.status is Status.VERIFIED and ok.cases == 4          # (n, B) ∈ {2, 3} × {2, 4}
    original = fast.pair_ranges

    def wrong(rows, B):
        pairs = original(rows, B)
        if pairs:
            del pairs[min(pairs)]
        return pairs
    monkeypatch.setattr(fast, "pair_ranges", wrong)
    bad = run_part_inline(part, 60, domain=part.domain.resolve({"tab_B": "4"}))
    assert bad.status is Status.REFUTED and "differs" in bad.summary
