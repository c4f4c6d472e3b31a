"""GH-L6: false as printed (an oversized item stops the greedy), verified under the reading that
discards items larger than the knapsack; planted bugs (greedy without Max, wrong constants) refuted."""
from fractions import Fraction as F

import pytest

from mechproof import Method, Part, Role, Status, UsageError, Witness, refuted
from mechproof.domains import resolve_domains
from mechproof.mechanisms.knapsack_properties import algorithm1_holds, algorithm1_plain, instance_cases, instance_points
from mechproof.runner import run_part_inline
import mechproof.papers.gh_knapsack as gh

SMALL = {"items": 3, "size": 3, "value": 3, "capacity": 4}


def run(part, budget=120, **bounds):
    return run_part_inline(part, budget, domain=part.domain.resolve(bounds), claim_id="GH-L6", uses=gh.GH_L6.uses)


def test_as_printed_refuted_with_the_minimal_witness():
    part = gh.GH_L6.parts[0]
    assert part.role is Role.AS_PRINTED
    v = run(part)
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    assert dict(v.witness.assignment) == {"sizes": "(1, 4, 1, 1)", "capacity": "3", "values": "(1, 4, 1, 1)"}
    assert dict(v.witness.observed) == {"OPT": "3", "Max": "1", "greedy_A": "1"}


def test_the_brief_witness_also_fails_as_printed_and_passes_under_the_reading():
    point = {"sizes": (4, 1, 1, 1), "capacity": 3, "values": (4, 1, 1, 1)}
    ok, seen = algorithm1_plain(point, discard_oversized=False, readings=("A",), combine="max", ratio=F(2))
    assert not ok and seen["OPT"] == 3 and seen["greedy_A"] == 0 and seen["Max"] == 1
    assert algorithm1_plain(point, discard_oversized=True)[0] and algorithm1_holds(point, discard_oversized=True)


def test_readings_verified():
    for part in gh.GH_L6.parts[1:4]:
        assert part.role is Role.READING and part.reading == gh.READING
    assert run(gh.GH_L6.parts[1], **SMALL).status is Status.VERIFIED
    v = run(gh.GH_L6.parts[2], items=3, size=6, value=6, capacity=8)
    assert v.status is Status.VERIFIED and v.cases == 6
    assert run(gh.GH_L6.parts[3]).status is Status.VERIFIED


def test_greedy_without_max_refuted_with_a_two_item_instance():
    v = run(gh.reading_enumeration_part(combine="greedy", ratio=F(2)), **SMALL)
    assert v.status is Status.REFUTED
    a = dict(v.witness.assignment)
    assert a == {"sizes": "(1, 3)", "capacity": "3", "values": "(1, 3)"}


def test_wrong_constants_refuted_by_z3_and_replayed():
    v = run(gh.reading_smt_part(combine="max", ratio=F(3, 2)), items=3, size=6, value=6, capacity=8)
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    v = run(gh.reading_smt_part(combine="greedy", ratio=F(2)), items=3, size=6, value=6, capacity=8)
    assert v.status is Status.REFUTED
    obs = dict(v.witness.observed)
    greedy = F(obs["greedy_A"] if "greedy_A" in obs else obs["greedy_B"])
    assert 2 * greedy < F(obs["OPT"])


def test_fast_route_agrees_with_the_plain_definition():
    dom = {"items": 3, "size": 4, "value": 3, "capacity": 3}
    for fit in (False, True):
        points = list(instance_points(dom, fit))
        assert len(points) == instance_cases(dom, fit)
        for p in points[::7]:
            for opts in ({"combine": "sum"}, {"combine": "max", "ratio": F(2)}, {"combine": "greedy", "ratio": F(2)}):
                assert algorithm1_holds(p, discard_oversized=fit, **opts) == \
                    algorithm1_plain(p, discard_oversized=fit, **opts)[0]


def test_bogus_witness_rejected_and_schema_ranges():
    part = gh.GH_L6.parts[0]
    bogus = Part("bogus", method=Method.ENUMERATION, domain=part.domain, replay=part.replay,
                 check=lambda ctx: refuted(witness=Witness.of({"sizes": (1, 1), "capacity": 2, "values": (1, 1)}),
                                           summary="bogus"))
    v = run_part_inline(bogus, 30)
    assert v.status is Status.ERROR and "does not reproduce" in v.summary
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([gh.GH_L6], {"GH-L6.items": 0})
    with pytest.raises(UsageError, match="out of range"):
        resolve_domains([gh.GH_L6], {"GH-L6.capacity": 0})


def test_fast_route_pinned_by_the_plain_algorithms():
    """The integer route's OPT, Max and both greedy values = the plain Fraction algorithms'; plain algorithms that
    confuse the readings (reading B computed as A) are refuted at the first instance where they differ."""
    part = gh.GH_L6.parts[4]
    assert part.role is Role.CROSS_CHECK
    v = run(part)
    assert v.status is Status.VERIFIED and v.cases == part.domain.resolve({}).size

    def readings_confused(point, *, discard_oversized):
        ok, seen = algorithm1_plain(point, discard_oversized=discard_oversized)
        return ok, {**seen, "greedy_B": seen.get("greedy_A", 0)}

    v = run(gh.fast_route_part(readings_confused))
    assert v.status is Status.REFUTED
    obs = dict(v.witness.observed)
    assert obs["fast greedy_B"] != obs["plain greedy_B"]



# ------------------------------------------------------------------ tightness of the factor 2
def test_l6_family_has_its_closed_forms_and_approaches_one_half():
    from mechproof.papers import gh_knapsack as kn
    v = run_part_inline(kn.family_part(), 60, domain=kn.family_part().domain.resolve({}), claim_id="GH-L6", uses=())
    assert v.status is Status.VERIFIED and v.cases == 39 and "least 1641/3200 at m=40" in v.summary   # (m²+m+1)/(2m²)
    d = run_part_inline(kn.family_limit_part(), 60, claim_id="GH-L6", uses=())
    assert d.status is Status.PROVED, d.summary


def test_l6_family_refutes_a_planted_factor():
    from fractions import Fraction
    from mechproof.papers import gh_knapsack as kn
    assert run_part_inline(kn.family_limit_part(Fraction(2, 3)), 60, claim_id="GH-L6", uses=()).status \
        is Status.REFUTED
    assert kn._family_ratio(kn.family_point(2)) == Fraction(7, 8)
