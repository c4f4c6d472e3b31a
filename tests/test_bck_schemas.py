"""BCK declarations: typed local bounds (bad values are usage errors before anything runs), roles,
readings, hypotheses, dependencies, and replays that reject a bogus witness."""
from fractions import Fraction as F

import pytest

from mechproof import Role, Status, UsageError, Witness, claims_in_module, refuted
from mechproof.domains import resolve_domains
from mechproof.kernel import admit
from mechproof.papers import (
    bck_example1, bck_gamma, bck_inventory, bck_mechanisms, bck_random_variable_lemmas, bck_table, bck_utility_lemmas,
)
from mechproof.papers.bck_common import CONCAVE_U, INTEGER_GRID
from mechproof.runner import run_claims

MODULES = (bck_example1, bck_utility_lemmas, bck_random_variable_lemmas, bck_mechanisms, bck_gamma, bck_inventory,
           bck_table)
CLAIMS = {c.id: c for m in MODULES for c in claims_in_module(m) if c.id.startswith("BCK-")}


def test_all_fifteen_claims_are_declared():
    assert set(CLAIMS) == {"BCK-EX1", "BCK-L1", "BCK-L2", "BCK-L3", "BCK-L4", "BCK-L6", "BCK-L7", "BCK-L8",
                           "BCK-L14", "BCK-GAMMA", "BCK-T1", "BCK-T2", "BCK-T4", "BCK-L20", "BCK-TABLE"}


def test_every_key_is_local_and_every_bounded_domain_counts_its_cases():
    for claim in CLAIMS.values():
        for part in claim.parts:
            assert all(k.local for k in part.domain.keys), (claim.id, part.name)
            if part.domain.keys:
                assert part.domain.cases is not None, (claim.id, part.name)
                assert part.domain.default_domain().size >= 1


@pytest.mark.parametrize("bound", [
    "BCK-L1.B=0", "BCK-L1.B_L1=0", "BCK-GAMMA.k=0", "BCK-GAMMA.k_gamma=0", "BCK-L14.R=-5", "BCK-L14.R=0",
    "BCK-L2.n=0", "BCK-L2.n_B3=4", "BCK-L3.n=1", "BCK-L3.n_L3=3", "BCK-L3.n_bernoulli=1", "BCK-L7.n=0",
    "BCK-L8.n_L8=2", "BCK-T1.step=0", "BCK-T1.step=3/2", "BCK-T1.instances=6", "BCK-T2.eps=1/4",
    "BCK-T2.eps=1", "BCK-T4.instances=0", "BCK-L20.pi=0", "BCK-EX1.eps=1", "BCK-EX1.eps=0", "BCK-L6.k=0",
    "BCK-GAMMA.k_max=0", "BCK-L3.n=5/2",
])
def test_out_of_range_and_legacy_bounds_are_usage_errors_before_anything_runs(bound):
    key, value = bound.split("=")
    with pytest.raises(UsageError):
        resolve_domains(list(CLAIMS.values()), {key: value})
    with pytest.raises(UsageError):
        run_claims([CLAIMS[key.split(".")[0]]], budget=5, bounds={key: value})


def test_a_bare_key_does_not_reach_the_local_bck_bounds():
    with pytest.raises(UsageError, match="scoped"):
        resolve_domains([CLAIMS["BCK-L1"]], {"B": "2"})


def test_a_scoped_bound_renders_in_the_domain_text():
    doms = resolve_domains([CLAIMS["BCK-L14"]], {"BCK-L14.R": "3"})
    assert doms[("BCK-L14", CLAIMS["BCK-L14"].parts[1].name)].text.startswith("R ∈ {1..3}")


def test_roles_and_readings():
    roles = lambda cid: [p.role for p in CLAIMS[cid].parts]
    assert roles("BCK-EX1") == [Role.ROUTE, Role.CROSS_CHECK]
    assert roles("BCK-L1") == [Role.AS_PRINTED, Role.READING, Role.CROSS_CHECK, Role.CROSS_CHECK]
    assert "U(Y" in CLAIMS["BCK-L1"].parts[1].reading and CLAIMS["BCK-L1"].parts[1].method.name == "DERIVATION"
    assert CLAIMS["BCK-L1"].parts[2].reading == CLAIMS["BCK-L1"].parts[1].reading    # the z3 cross-check of it
    assert roles("BCK-L14") == [Role.ROUTE, Role.CROSS_CHECK, Role.CROSS_CHECK]
    assert roles("BCK-L2") == [Role.ROUTE, Role.CROSS_CHECK, Role.CROSS_CHECK]
    assert roles("BCK-L6") == [Role.ROUTE] + [Role.CROSS_CHECK] * 4
    gamma_roles = roles("BCK-GAMMA")
    assert gamma_roles.count(Role.AS_PRINTED) == 1 and gamma_roles.count(Role.READING) == 1
    cells = [p for p in CLAIMS["BCK-TABLE"].parts if p.role is Role.READING]
    assert len(cells) == 12 and all(p.reading.startswith("column") for p in cells)
    assert "interim IR" in CLAIMS["BCK-T4"].parts[0].reading
    assert "≤ 1" in CLAIMS["BCK-T2"].parts[0].reading


def test_dependencies_follow_the_proofs():
    uses = lambda cid: set(CLAIMS[cid].used_ids)
    assert {"BCK-L4", "BCK-L3"} <= uses("BCK-T1") and {"BCK-L3"} <= uses("BCK-L4")
    assert {"BCK-L3"} <= uses("BCK-L7") and {"BCK-L6", "BCK-L7"} <= uses("BCK-L8")
    assert {"BCK-L6", "BCK-L7", "BCK-L8", "BCK-GAMMA", "BCK-L14"} <= uses("BCK-T2")
    assert uses("BCK-T4") == {"BCK-GAMMA"}
    assert {"BCK-T1", "BCK-T2", "BCK-T4"} <= uses("BCK-TABLE")
    assert all(u in CLAIMS for c in CLAIMS.values() for u in c.used_ids)
    # the theorems rest on the lemmas as read, not as printed (both L1 and GAMMA are refuted as printed)
    assert {"BCK-L1:reading", "BCK-GAMMA:reading"} <= set(CLAIMS["BCK-T2"].uses)
    assert CLAIMS["BCK-T4"].uses == ("BCK-GAMMA:reading",)


def test_z3_parts_state_their_hypotheses():
    for cid in ("BCK-L1", "BCK-L2", "BCK-L14"):
        for part in CLAIMS[cid].parts:
            assert any(a.startswith(CONCAVE_U) for a in part.assumes)
            # the bounded parts rest on the integer grid; the derivations are over the reals and must not
            assert (INTEGER_GRID in part.assumes) is (part.method.name != "DERIVATION"), (cid, part.name)


def test_every_part_that_can_refute_has_a_replay():
    for claim in CLAIMS.values():
        for part in claim.parts:
            if part.method.name != "NONE":
                assert part.replay is not None, (claim.id, part.name)


def _bogus(part, point):
    dom = part.domain.default_domain()
    return admit(part, dom, refuted(witness=Witness.of(point), summary="planted bogus witness"))


@pytest.mark.parametrize("cid, index, point", [
    ("BCK-L14", 1, {"R": 2, "X": (F(1), F(0), F(0)), "U(0..R)": (F(0), F(1), F(2))}),
    ("BCK-L2", 1, {"n": 2, "B": 1, "k": 1, "property": "submodular", "x": (F(0), F(1)), "y": (F(1), F(0)),
                   "U(0..N)": (F(0), F(1), F(3))}),                       # a convex table: not a counterexample
    ("BCK-L1", 2, {"B": 1, "X": 0, "Y1": (F(1, 2), F(1, 2)), "Y2": (F(1), F(0)), "U(0..2B)": (F(0), F(1), F(3, 2))}),
    ("BCK-T4", 0, {"instance": "first", "index": 0, "k": 1}),
    ("BCK-GAMMA", 4, {"k": 1, "prob": (F(1, 4),)}),                       # k_exp reading holds there
])
def test_replay_rejects_a_bogus_witness(cid, index, point):
    v = _bogus(CLAIMS[cid].parts[index], point)
    assert v.status is Status.ERROR and "does not reproduce" in v.summary


def test_the_as_printed_witness_of_l1_reproduces_under_the_printed_replay():
    point = {"B": 1, "X": 0, "Y1": (F(1, 2), F(1, 2)), "Y2": (F(1), F(0)), "U(0..2B)": (F(0), F(1), F(3, 2))}
    v = _bogus(CLAIMS["BCK-L1"].parts[0], point)
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
