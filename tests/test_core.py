"""The data model: statuses, verdicts, claims, JSON round trip, registry, config."""
from fractions import Fraction

import pytest

from mechproof import Claim, ClaimDeclarationError, UsageError, Part, Status, Witness, as_rational, check_delta
from mechproof.config import load_config, parse_bound
from mechproof.registry import NOT_ENCODED, load_registry
from mechproof.runner import run_claims
from mechproof.verdicts import (ClaimResult, Evidence, PartResult, Report, Verdict, proved, refuted, unknown,
                                verified)


def _ok(ctx):
    return proved("test", "fine")


def test_only_four_statuses_pass():
    assert {s for s in Status if s.passes} == {Status.PROVED, Status.VERIFIED, Status.CERTIFIED, Status.TESTED}


def test_refuted_needs_a_witness():
    with pytest.raises(ValueError):
        Verdict(Status.REFUTED, "m", "d", "s")


def test_witness_refuses_floats():
    with pytest.raises(TypeError):
        Witness.of({"delta": 0.5})


def test_claim_status_is_weakest_part():
    parts = (PartResult("a", proved("m", "x")), PartResult("b", verified("m", "d", "x")),
             PartResult("c", unknown("m", "d", "why")))
    r = ClaimResult("X-1", "t", "X", "s", "st", parts)
    assert r.status is Status.UNKNOWN
    r2 = ClaimResult("X-1", "t", "X", "s", "st", parts[:2])
    assert r2.status is Status.VERIFIED
    w = Witness.of({"n": 2}, {"lhs": Fraction(1, 3)})
    r3 = ClaimResult("X-1", "t", "X", "s", "st", parts + (PartResult("d", refuted("m", "d", "no", w)),))
    assert r3.status is Status.REFUTED


def test_json_round_trip():
    w = Witness.of({"delta": Fraction(1, 2), "n": 2}, {"lhs": Fraction(5, 9)}, "direct evaluation")
    v = refuted("exact", "δ=1/2", "differs", w, (Evidence("z3", "sat", "(assert true)", (("conflicts", "3"),)),))
    report = Report((ClaimResult("X-1", "t", "X", "src", "st", (PartResult("p", v.timed(1.5, (("z3", "4"),))),)),),
                    "2026-01-01T00:00:00", 2.0, (("python", "3.11"),), False, (("budget", "10"),))
    again = Report.from_json(report.to_json())
    assert again == report
    assert again.results[0].status is Status.REFUTED
    assert '"status": "refuted"' in report.to_json()


@pytest.mark.parametrize("bad", [
    dict(id="bad id!", title="t", statement="s", source="src", parts=(Part("p", "m", "d", _ok),)),
    dict(id="X-1", title="t", statement="s", source="src", parts=()),
    dict(id="X-1", title="t", statement="", source="src", parts=(Part("p", "m", "d", _ok),)),
    dict(id="X-1", title="t", statement="s", source="src", parts=(Part("p", "m", "d", _ok), Part("p", "m", "d", _ok))),
    dict(id="X-1", title="t", statement="s", source="src", parts=("not a part",)),
])
def test_malformed_claims_are_rejected(bad):
    with pytest.raises(ClaimDeclarationError):
        Claim(**bad)


def test_part_check_must_be_callable():
    with pytest.raises(ClaimDeclarationError):
        Part("p", "m", "d", check="nope")


def test_exact_inputs():
    assert as_rational("1/4") == Fraction(1, 4)
    assert as_rational("0.25") == Fraction(1, 4)
    with pytest.raises(UsageError, match=r"float.*Fraction\('3/10'\)"):
        as_rational(0.3, "delta")
    for bad in (0, 1, Fraction(3, 2), -1):
        with pytest.raises(UsageError, match=r"outside \(0, 1\)"):
            check_delta(bad)
    assert check_delta(Fraction(1, 3)) == Fraction(1, 3)


def test_bounds_are_exact_and_validated():
    assert parse_bound("B=20") == ("B", 20)
    assert parse_bound("delta=1/4,0.5") == ("delta", (Fraction(1, 4), Fraction(1, 2)))
    assert parse_bound("CMZ-T4.delta=1/3") == ("CMZ-T4.delta", Fraction(1, 3))
    for bad in ("delta=1", "delta=0", "B=0", "B=1/2", "noequals", "delta=", "x=abc", "GH-L8.n_max=3,4",
                "CMZ-T4.delta=2"):
        with pytest.raises(UsageError):
            parse_bound(bad)


def test_config_refuses_floats_and_unknown_keys(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\n[tool.mechproof.bounds]\ndelta = [0.25]\n')
    with pytest.raises(UsageError, match=r'float.*"1/4"'):
        load_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\nbudgte = 3\n')
    with pytest.raises(UsageError, match="unknown key"):
        load_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\nbudget = -1\n')
    with pytest.raises(UsageError, match="budget"):
        load_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mechproof]\nclaims = ["CMZ-D"]\nbudget = 30\nexpect-refuted = ["CMZ-SLIDE"]\n'
        '[tool.mechproof.bounds]\nB = 8\ndelta = ["1/4", "1/2"]\n')
    cfg = load_config(tmp_path)
    assert cfg.claims == ("CMZ-D",) and cfg.budget == 30 and cfg.expect_refuted == {"CMZ-SLIDE"}
    assert cfg.bounds == {"B": 8, "delta": (Fraction(1, 4), Fraction(1, 2))}


def test_registry_lists_every_catalogue_id_and_marks_unencoded():
    from mechproof.catalog import CATALOG
    reg = load_registry()
    assert [c.id for c in reg.claims][: len(CATALOG)] == [e.id for e in CATALOG]
    for claim in reg.claims:
        if claim.id not in reg.encoded:
            report = run_claims([claim], budget=10)
            assert report.results[0].status is Status.UNKNOWN
            assert report.results[0].weakest.summary == NOT_ENCODED


def test_registry_select_globs_and_suggestions():
    reg = load_registry()
    assert {c.id for c in reg.select(["CMZ-E*"])} == {"CMZ-E1", "CMZ-E3", "CMZ-E5"}
    with pytest.raises(UsageError, match="did you mean.*GH-L8"):
        reg.select(["GH-L88"])


def test_duplicate_ids_are_an_error(tmp_path):
    mod = tmp_path / "dup.py"
    mod.write_text("from mechproof import Claim, Part, proved\n"
                   "A = Claim(id='CMZ-D', title='t', statement='s', source='x',"
                   " parts=(Part('p', 'm', 'd', lambda ctx: proved('m', 's')),))\n")
    with pytest.raises(UsageError, match="declared twice"):
        load_registry([str(mod)])


def test_bounds_scoped_to_a_claim_win():
    from mechproof.context import CheckContext
    ctx = CheckContext.start(10, {"B": 8, "CMZ-T4.B": 20}, claim_id="CMZ-T4")
    assert ctx.bound("B", 16) == 20
    other = CheckContext.start(10, {"B": 8, "CMZ-T4.B": 20}, claim_id="CMZ-T2")
    assert other.bound("B", 16) == 8 and other.bound("n", 3) == 3
