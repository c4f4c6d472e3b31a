"""One enumeration sharded over processes gives the serial verdict: status, case count, summary
(worst value, where, tightness) and witness — for passes, refutations, undecided points and raising
checks."""
from fractions import Fraction as F

import pytest

from mechproof import (Claim, Evaluation, IntKey, Method, Part, Schema, Status, enumeration_check, first_price,
                       hunt_part, random_assignment, second_price)
from mechproof.runner import run_claims, run_part_inline


def both(part, shards, **bounds):
    dom = part.domain.resolve(bounds)
    serial = run_part_inline(part, 120, domain=dom, claim_id="X", uses=())
    sharded = run_part_inline(part, 120, domain=dom, claim_id="X", uses=(), shards=shards)
    return serial, sharded


def same(a, b):
    assert (a.status, a.cases, a.summary, a.covered) == (b.status, b.cases, b.summary, b.covered)
    assert (a.witness is None) == (b.witness is None)
    if a.witness is not None:
        assert a.witness.assignment == b.witness.assignment and a.witness.observed == b.witness.observed
    assert [e.stats for e in a.evidence] == [e.stats for e in b.evidence]


def planted_holds(fails_at=None, undecided_at=(), raises_at=None):
    """The property of the test parts: fails at point i = fails_at, undecided at undecided_at, raises
    at raises_at, holds elsewhere."""
    def holds(p):
        if p["i"] == raises_at:
            raise ZeroDivisionError("boom")
        if p["i"] in undecided_at:
            return Evaluation.of(None, note="cannot tell")
        return Evaluation.of(p["i"] != fails_at, {"i": p["i"]})
    return holds


def counting_part(fails_at=None, undecided_at=(), on_undecided="stop", raises_at=None):
    def pts(d):
        for i in range(d["m"]):
            yield {"i": i}

    holds = planted_holds(fails_at, undecided_at, raises_at)
    return Part("count", method=Method.ENUMERATION,
                domain=Schema(IntKey("m", 50, min=1, max=10_000, local=True), text="i < $m", cases=lambda d: d["m"]),
                check=enumeration_check(pts, holds, value=lambda p: F(abs(p["i"] - 20) + 1, 1), value_name="dist",
                                        target=1, on_undecided=on_undecided,
                                        summary="ok at {cases}; least {worst} at {at} ({tightness})"))


@pytest.mark.parametrize("shards", [2, 3])
@pytest.mark.parametrize("kwargs", [{}, {"fails_at": 37}, {"fails_at": 0}, {"undecided_at": (11, 30)},
                                    {"undecided_at": (30,), "fails_at": 12},
                                    {"undecided_at": (11,), "fails_at": 40},
                                    {"undecided_at": (11, 30), "on_undecided": "continue"},
                                    {"undecided_at": (11,), "on_undecided": "continue", "fails_at": 40}],
                         ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "pass")
def test_sharded_enumeration_equals_serial(kwargs, shards):
    same(*both(counting_part(**kwargs), shards))


@pytest.mark.parametrize("part", [hunt_part(first_price(), "dsic", (2, 3), 4), hunt_part(second_price(), "dsic", (2, 3), 4),
                                  hunt_part(random_assignment(), "efficient", (2, 3), 4),
                                  hunt_part(second_price(), "monotone", (2, 3), 4)], ids=lambda p: p.name)
def test_sharded_hunts_equal_serial(part):
    serial, sharded = both(part, 2)
    same(serial, sharded)
    assert serial.status in (Status.VERIFIED, Status.REFUTED)


def test_a_raising_shard_is_an_error():
    _, sharded = both(counting_part(raises_at=33), 2)
    assert sharded.status is Status.ERROR and "ZeroDivisionError" in str(sharded.evidence) + sharded.summary


def test_a_built_in_part_with_tightness_sharded():
    import mechproof.papers.gh_posted_prices as gh
    part = gh.GH_L5.parts[4]                        # step 2 on a grid: worst value and tightness
    same(*both(part, 2, epsilon="1/4"))


def test_jobs_shard_a_single_part_through_the_runner():
    part = counting_part(fails_at=41)
    claim = Claim(id="X-SHARD", title="t", statement="s", source="x", parts=(part,))
    one = run_claims([claim], budget=60, jobs=1).results[0].parts[0].verdict
    two = run_claims([claim], budget=60, jobs=2).results[0].parts[0].verdict
    same(one, two)
    assert two.status is Status.REFUTED and dict(two.witness.assignment) == {"i": "41"}


def blocked_part(fails_at=None, undecided_at=(), on_undecided="stop", raises_at=None, sizes=(7, 30, 3, 12, 1)):
    """Blocks of uneven sizes and weights (so the heaviest-first assignment reorders them)."""
    starts = [sum(sizes[:b]) for b in range(len(sizes))]

    def pts(d, block):
        b, size = block
        for i in range(size):
            yield {"b": b, "i": starts[b] + i}

    holds = planted_holds(fails_at, undecided_at, raises_at)
    return Part("blocks", method=Method.ENUMERATION,
                domain=Schema(text="blocks", cases=lambda d: sum(sizes)),
                check=enumeration_check(pts, holds, blocks=lambda d: list(enumerate(sizes)),
                                        block_weight=lambda blk: blk[1] % 5 + 1,
                                        value=lambda p: F(abs(p["i"] - 20) + 1, 1), value_name="dist", target=1,
                                        on_undecided=on_undecided,
                                        summary="ok at {cases}; least {worst} at {at} ({tightness})"))


@pytest.mark.parametrize("shards", [2, 3, 8])
@pytest.mark.parametrize("kwargs", [{}, {"fails_at": 37}, {"fails_at": 0}, {"fails_at": 52}, {"undecided_at": (11, 30)},
                                    {"undecided_at": (40,), "fails_at": 12},
                                    {"undecided_at": (11,), "fails_at": 40},
                                    {"undecided_at": (11, 30), "on_undecided": "continue"},
                                    {"undecided_at": (11,), "on_undecided": "continue", "fails_at": 40}],
                         ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "pass")
def test_block_sharded_enumeration_equals_serial(kwargs, shards):
    serial, sharded = both(blocked_part(**kwargs), shards)
    same(serial, sharded)
    if "fails_at" in kwargs and not kwargs.get("undecided_at", (99,))[0] < kwargs["fails_at"]:
        assert serial.status is Status.REFUTED
        assert dict(serial.evidence[0].stats)["cases"] == str(kwargs["fails_at"] + 1)


def test_assign_blocks_is_heaviest_first_and_deterministic():
    from mechproof.shards import assign_blocks
    assert assign_blocks([1, 5, 5, 5, 5, 5, 1], 2) == [[1, 3, 5], [0, 2, 4, 6]]
    assert assign_blocks([3], 4) == [[0], [], [], []]


def planted_t4(bound):
    """CMZ-T4's welfare part with another bound (a wrong constant is refuted at the same point sharded)."""
    from mechproof.mechanisms.cmz_mechanisms import f_delta
    from mechproof.papers.cmz_undominated import welfare_part
    return welfare_part(lambda n, B, d: f_delta(n, B, d), bound, "planted")


@pytest.mark.parametrize("bound", ["paper", "too high"])
def test_cmz_t4_sharded_by_block_equals_serial(bound):
    from mechproof.mechanisms.cmz_model import welfare_bound_f_delta
    from mechproof.papers.cmz_undominated import CMZ_T4
    part = CMZ_T4.parts[0] if bound == "paper" else planted_t4(lambda d, n: welfare_bound_f_delta(d, n) * F(101, 100))
    serial, sharded = both(part, 2, n="2,3", B="6", delta="1/4,1/2")
    same(serial, sharded)
    assert serial.status is (Status.VERIFIED if bound == "paper" else Status.REFUTED)
