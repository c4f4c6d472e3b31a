"""Engine tests for the CMZ z3 work: exact LP wrapper, table mechanisms, and the z3 encoding
of dominance checked against plain Fraction evaluation."""
from __future__ import annotations

import random
from fractions import Fraction as F
from itertools import product

import pytest
import z3

from mechproof.mechanisms.cmz_model import ApproxValuation, delta_intervals
from mechproof.mechanisms.cmz_tables import (
    TableMechanism, all_intervals, dominates, dominates_pointwise, hard_instance,
    hard_instance_brute_force, overlap_components, undominated_strategies, worst_case_ratio,
    worst_case_ratio_pointwise,
)
from mechproof.mechanisms.errors import ModelError, UsageError
from mechproof.smt.linear_programs import (
    CertificateError, LinearProgramBuilder, check_dual_certificate, infeasibilities, solve_lp,
    solve_lp_certified,
)
from mechproof.smt.mechanism_tables import MechanismTables, rational
from mechproof.smt.queries import run_check


# --- exact LP -------------------------------------------------------------------
def _small_lp(maximize=True):
    b = LinearProgramBuilder()
    x, y = b.variable("x"), b.variable("y")
    b.constrain({x: 1, y: 1}, "<=", F(3, 2), "cap")
    b.constrain({x: 1}, ">=", 0, "x>=0")
    b.constrain({y: 1}, ">=", 0, "y>=0")
    b.constrain({x: 2, y: -1}, "<=", 1, "r")
    return b.program({x: 3, y: 2} if maximize else {x: 1, y: 1}, maximize=maximize)


def test_lp_optimum_is_exact_and_certified():
    lp = _small_lp()
    sol = solve_lp(lp, 10)
    assert sol.status == "optimal" and sol.value == F(23, 6)
    assert sol.values["x"] == F(5, 6) and sol.values["y"] == F(2, 3)
    assert infeasibilities(lp, sol.values) == []
    cert = solve_lp_certified(lp, 10)
    assert cert.status == "optimal" and cert.value == F(23, 6)
    assert check_dual_certificate(lp, cert.multipliers) == F(23, 6)


def test_lp_minimisation_certificate():
    cert = solve_lp_certified(_small_lp(maximize=False), 10)
    assert cert.status == "optimal" and cert.value == 0


def test_dual_certificate_rejects_wrong_signs_and_columns():
    lp = _small_lp()
    with pytest.raises(CertificateError):
        check_dual_certificate(lp, [F(-1), 0, 0, 0])          # <= row needs y >= 0
    with pytest.raises(CertificateError):
        check_dual_certificate(lp, [F(1), 0, 0, 0])           # Σ y a != c
    with pytest.raises(CertificateError):
        check_dual_certificate(lp, [F(1)])                    # wrong length


def test_lp_infeasible_and_unbounded():
    b = LinearProgramBuilder()
    z = b.variable("z")
    b.constrain({z: 1}, ">=", 0)
    assert solve_lp(b.program({z: 1}), 5).status == "unbounded"
    b.constrain({z: 1}, "<=", -1)
    assert solve_lp(b.program({z: 1}), 5).status == "infeasible"


def test_lp_refuses_floats_and_unknown_variables():
    b = LinearProgramBuilder()
    z = b.variable("z")
    with pytest.raises(UsageError):
        b.constrain({z: 0.5}, "<=", 1)
    with pytest.raises(UsageError):
        b.constrain({"w": 1}, "<=", 1)
    with pytest.raises(UsageError):
        b.constrain({z: 1}, "<", 1)


# --- table mechanisms -------------------------------------------------------------
def _random_mechanism(rng: random.Random, own: int, opp: int) -> TableMechanism:
    alloc, pay = {}, {}
    for s, t in product(range(own), range(opp)):
        x0 = F(rng.randint(0, 4), 4)
        x1 = F(rng.randint(0, 4 - int(x0 * 4)), 4)
        alloc[(s, t)] = (x0, x1)
        pay[(s, t)] = (F(rng.randint(-2, 8), 2), F(rng.randint(0, 4)))
    return TableMechanism((tuple(range(own)), tuple(range(opp))), alloc, pay)


def test_table_mechanism_rejects_bad_tables():
    strategies = ((0,), (0,))
    with pytest.raises(ModelError):   # planted: allocation sums above 1
        TableMechanism(strategies, {(0, 0): (F(2, 3), F(1, 2))}, {(0, 0): (F(0), F(0))})
    with pytest.raises(UsageError):
        TableMechanism(strategies, {(0, 0): (0.5, F(0))}, {(0, 0): (F(0), F(0))})
    with pytest.raises(UsageError):
        TableMechanism(strategies, {}, {})


def test_endpoint_reduction_matches_the_definition():
    """UDed by endpoints equals UDed by every integer t ∈ K (utility is linear in t)."""
    rng = random.Random(7)
    for _ in range(60):
        mech = _random_mechanism(rng, 3, 2)
        for K in all_intervals(5):
            for s, s2 in product(range(3), repeat=2):
                if s != s2:
                    assert dominates(mech, 0, K, s, s2) == dominates_pointwise(mech, 0, K, s, s2)
            assert undominated_strategies(mech, 0, K) == undominated_strategies(mech, 0, K, pointwise=True)
            assert undominated_strategies(mech, 0, K)  # finite strategy sets: never empty


def test_worst_case_ratio_matches_enumeration():
    rng = random.Random(3)
    ivs = delta_intervals(6, F(1, 2))
    for _ in range(300):
        K = [rng.choice(ivs) for _ in range(3)]
        a, b = rng.randint(0, 3), rng.randint(0, 3)
        x = (F(a, 6), F(b, 6), F(rng.randint(0, 6 - a - b), 6))
        fast, brute = worst_case_ratio(x, K), worst_case_ratio_pointwise(x, K)
        assert (fast is None) == (brute is None)
        if fast:
            assert fast[0] == brute[0]


@pytest.mark.parametrize("delta", [F(1, 10), F(1, 4), F(1, 2), F(2, 3)])
def test_hard_instance_fast_matches_brute_force(delta):
    for B in range(1, 13):
        fast, brute = hard_instance(B, delta), hard_instance_brute_force(B, delta)
        assert (fast is None) == (brute is None)
        if fast:
            assert fast.ratio == brute.ratio
            assert fast.high.is_delta(delta) and fast.low.is_delta(delta)
            assert min(fast.high.b, fast.low.b) - max(fast.high.a, fast.low.a) + 1 >= 2


def test_overlap_components_join_two_point_overlaps_only():
    comps = overlap_components([ApproxValuation(1, 2), ApproxValuation(2, 3), ApproxValuation(1, 3)])
    assert len(comps) == 1
    comps = overlap_components([ApproxValuation(1, 2), ApproxValuation(2, 3)])
    assert len(comps) == 2


# --- the z3 encoding against plain evaluation ---------------------------------------
def test_z3_undominated_matches_plain_evaluation():
    """Pin the z3 tables to a concrete mechanism: z3's UDed booleans must equal the Python sets."""
    rng = random.Random(11)
    for trial in range(8):
        mech = _random_mechanism(rng, 3, 2)
        tables = MechanismTables(mech.strategies, prefix=f"t{trial}")
        s = z3.Solver()
        s.add(tables.feasibility())
        for prof in mech.profiles():
            for i in range(2):
                s.add(tables.x[(i, prof)] == rational(mech.allocation[prof][i]))
                s.add(tables.p[(i, prof)] == rational(mech.payment[prof][i]))
        flags = {(K, st): tables.undominated(0, (K.a, K.b), st) for K in all_intervals(4) for st in range(3)}
        s.add(tables.definitions)
        assert run_check(s, 20, keep_query=False).result == "sat"
        model = s.model()
        for K in all_intervals(4):
            z3_set = {st for st in range(3) if z3.is_true(model.eval(flags[(K, st)], model_completion=True))}
            assert z3_set == set(undominated_strategies(mech, 0, K))
        alloc, pay = tables.extract(model)
        assert TableMechanism(mech.strategies, alloc, pay).allocation == mech.allocation


def test_deterministic_tables_have_at_most_one_winner():
    tables = MechanismTables([(0, 1), (0, 1)], deterministic=True, prefix="det")
    s = z3.Solver()
    s.add(tables.feasibility())
    s.add(tables.x[(0, (0, 0))] + tables.x[(1, (0, 0))] >= 2)
    assert run_check(s, 10, keep_query=False).result == "unsat"


def test_query_budget_rlimit_gives_unknown_not_a_verdict():
    """A query stopped by its resource limit reports unknown with z3's reason, and keeps its text."""
    xs = z3.Reals(" ".join(f"x{i}" for i in range(30)))
    s = z3.Solver()
    for i in range(29):
        s.add(z3.Or(xs[i] + xs[i + 1] > 3, xs[i] - xs[i + 1] < -2))
    s.add(z3.Sum(xs) < 0)
    out = run_check(s, 5, rlimit=1)
    assert out.result == "unknown" and not out.decided
    assert "limit" in out.reason
    assert out.smt2.startswith("(declare-fun") and len(out.smt2_sha256) == 64
    assert run_check(s, 5).result == "sat"
