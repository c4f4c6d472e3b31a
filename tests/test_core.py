"""The data model: statuses, verdicts, claims, JSON round trip, registry, config."""
from fractions import Fraction

import pytest

from mechproof import (Claim, ClaimDeclarationError, Evidence, Method, Part, Role, Status, UsageError, Witness,
                       as_rational, check_delta)
from mechproof.config import load_config, parse_bound
from mechproof.registry import NOT_ENCODED, load_registry
from mechproof.runner import run_claims
from mechproof.verdicts import ClaimResult, PartResult, Report, Verdict, proved, refuted, unknown, verified


def _ok(ctx):
    return proved(summary="fine", evidence=Evidence("identity", "x"))


def _part(name="p", check=_ok, **kw):
    return Part(name, method=kw.pop("method", Method.IDENTITY), domain=kw.pop("domain", "d"), check=check, **kw)


def test_only_four_statuses_pass():
    assert {s for s in Status if s.passes} == {Status.PROVED, Status.VERIFIED, Status.CERTIFIED, Status.TESTED}


def test_refuted_needs_a_witness_and_constructors_take_keywords_only():
    with pytest.raises(ValueError):
        Verdict(Status.REFUTED, "m", "d", "s")
    with pytest.raises(TypeError):
        verified("m", "d", "s")                    # the old positional form is gone
    with pytest.raises(TypeError):
        proved("m", "trust me")


def test_witness_refuses_floats():
    with pytest.raises(TypeError):
        Witness.of({"delta": 0.5})


def test_claim_status_is_weakest_conjunct():
    parts = (PartResult("a", proved(summary="x")), PartResult("b", verified(cases=1, summary="x")),
             PartResult("c", unknown(reason="why")))
    r = ClaimResult("X-1", "t", "X", "s", "st", parts)
    assert r.status is Status.UNKNOWN
    r2 = ClaimResult("X-1", "t", "X", "s", "st", parts[:2])
    assert r2.status is Status.VERIFIED
    w = Witness.of({"n": 2}, {"lhs": Fraction(1, 3)})
    r3 = ClaimResult("X-1", "t", "X", "s", "st", parts + (PartResult("d", refuted(witness=w, summary="no")),))
    assert r3.status is Status.REFUTED


def test_json_round_trip():
    w = Witness.of({"delta": Fraction(1, 2), "n": 2}, {"lhs": Fraction(5, 9)}, "direct evaluation")
    v = refuted(witness=w, summary="differs", evidence=(Evidence("z3", "sat", "(assert true)", (("conflicts", "3"),)),))
    v2 = verified(cases=12, summary="all")
    report = Report((ClaimResult("X-1", "t", "X", "src", "st",
                                 (PartResult("p", v.timed(1.5, (("z3", "4"),)), Role.AS_PRINTED),
                                  PartResult("q", v2, Role.READING, "the intended form")), ("X-0",),
                                 (("X-0", "unknown"),)),),
                    "2026-01-01T00:00:00", 2.0, (("python", "3.11"),), False, (("budget", "10"),))
    again = Report.from_json(report.to_json())
    assert again == report
    assert again.results[0].status is Status.REFUTED
    assert again.results[0].parts[1].reading == "the intended form"
    assert '"status": "refuted"' in report.to_json()


@pytest.mark.parametrize("text", ['[]', '{"results": "x"}', '{"results": [{"claim_id": 1}]}', '[' * 100000, 'nul',
                                  '{"results": [], "started": "s", "seconds": "x"}'])
def test_malformed_reports_are_value_errors(text):
    with pytest.raises(ValueError):
        Report.from_json(text)


@pytest.mark.parametrize("bad", [
    dict(id="bad id!", title="t", statement="s", source="src", parts=(_part(),)),
    dict(id="X-1", title="t", statement="s", source="src", parts=()),
    dict(id="X-1", title="t", statement="", source="src", parts=(_part(),)),
    dict(id="X-1", title="t", statement="s", source="src", parts=(_part(), _part())),
    dict(id="X-1", title="t", statement="s", source="src", parts=("not a part",)),
    dict(id="X-1", title="t", statement="s", source="src", parts=(_part(),), uses=("X-1",)),
    dict(id="X-1", title="t", statement="s", source="src", parts=(_part(),), uses=("not an id!",)),
])
def test_malformed_claims_are_rejected(bad):
    with pytest.raises(ClaimDeclarationError):
        Claim(**bad)


@pytest.mark.parametrize("kw", [dict(check="nope"), dict(method="sympy identity"), dict(domain=""),
                                dict(domain=None), dict(role="route"), dict(assumes=("",))])
def test_malformed_parts_are_rejected(kw):
    with pytest.raises(ClaimDeclarationError):
        _part(**kw)


def test_exact_inputs():
    assert as_rational("1/4") == Fraction(1, 4)
    assert as_rational("0.25") == Fraction(1, 4)
    with pytest.raises(UsageError, match=r"float.*Fraction\('3/10'\)"):
        as_rational(0.3, "delta")
    for bad in (0, 1, Fraction(3, 2), -1):
        with pytest.raises(UsageError, match=r"outside \(0, 1\)"):
            check_delta(bad)
    assert check_delta(Fraction(1, 3)) == Fraction(1, 3)


def test_bound_parsing_keeps_text_for_the_schemas():
    assert parse_bound("B=20") == ("B", "20")
    assert parse_bound("CMZ-T4.delta=1/4,0.5") == ("CMZ-T4.delta", "1/4,0.5")
    for bad in ("noequals", "delta=", "=3", "B=1,,2"):
        with pytest.raises(UsageError):
            parse_bound(bad)


@pytest.mark.parametrize("body, message", [
    ('[tool.mechproof.bounds]\ndelta = [0.25]\n', r'float.*"1/4"'),
    ('[tool.mechproof]\nbudgte = 3\n', "unknown key"),
    ('[tool.mechproof]\nbudget = -1\n', "budget"),
    ('[tool.mechproof]\nbudget = nan\n', "budget"),
    ('[tool.mechproof]\nbudget = inf\n', "budget"),
    ('[tool.mechproof]\nallow-unknown = "false"\n', "true or false"),
    ('[tool.mechproof]\nskip-slow = 1\n', "true or false"),
    ('[tool]\nmechproof = 5\n', "must be a table"),
    ('[tool.mechproof.bounds]\nB = true\n', "not a number"),
])
def test_config_refuses_bad_values(tmp_path, body, message):
    (tmp_path / "pyproject.toml").write_text(body)
    with pytest.raises(UsageError, match=message):
        load_config(tmp_path)


def test_config_refuses_non_utf8(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.mechproof]\nclaims = [\"\xff\"]\n")
    with pytest.raises(UsageError, match="UTF-8"):
        load_config(tmp_path)


def test_config_reads_its_keys(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mechproof]\nclaims = ["CMZ-D"]\nbudget = 30\nexpect-refuted = ["CMZ-SLIDE"]\nallow-unknown = true\n'
        '[tool.mechproof.bounds]\nB = 8\ndelta = ["1/4", "1/2"]\n')
    cfg = load_config(tmp_path)
    assert cfg.claims == ("CMZ-D",) and cfg.budget == 30 and cfg.expect_refuted == {"CMZ-SLIDE"}
    assert cfg.allow_unknown is True
    assert cfg.bounds == {"B": 8, "delta": ["1/4", "1/2"]}


def test_registry_lists_every_catalogue_id_and_marks_unencoded():
    from mechproof.catalog import CATALOG
    reg = load_registry()
    assert [c.id for c in reg.claims][: len(CATALOG)] == [e.id for e in CATALOG]
    for claim in reg.claims:
        if claim.id not in reg.encoded:
            report = run_claims([claim], budget=10)
            assert report.results[0].status is Status.UNKNOWN
            assert report.results[0].weakest.summary == NOT_ENCODED


def test_registry_select_globs_suggestions_and_closure():
    reg = load_registry()
    assert {c.id for c in reg.select(["CMZ-E*"])} == {"CMZ-E1", "CMZ-E3", "CMZ-E5"}
    with pytest.raises(UsageError, match="did you mean.*GH-L8"):
        reg.select(["GH-L88"])
    for claim in reg.claims:
        closure = {c.id for c in reg.closure([claim])}
        assert claim.id in closure and set(claim.used_ids) <= closure


def _module(tmp_path, body):
    mod = tmp_path / "m.py"
    mod.write_text("from mechproof import Claim, Evidence, Method, Part, proved\n"
                   "OK = lambda ctx: proved(summary='s', evidence=Evidence('identity', 'x'))\n" + body)
    return str(mod)


def test_duplicate_ids_unknown_and_cyclic_dependencies_are_errors(tmp_path):
    part = "parts=(Part('p', method=Method.IDENTITY, domain='d', check=OK),)"
    with pytest.raises(UsageError, match="declared twice"):
        load_registry([_module(tmp_path, f"A = Claim(id='CMZ-D', title='t', statement='s', source='x', {part})\n")])
    with pytest.raises(UsageError, match="not a known claim.*did you mean U-A"):
        load_registry([_module(tmp_path, f"A = Claim(id='U-A', title='t', statement='s', source='x', {part})\n"
                                         f"B = Claim(id='U-B', title='t', statement='s', source='x', uses=('U-AA',), {part})\n")])
    with pytest.raises(UsageError, match="cycle: U-A → U-B → U-A"):
        load_registry([_module(tmp_path, f"A = Claim(id='U-A', title='t', statement='s', source='x', uses=('U-B',), {part})\n"
                                         f"B = Claim(id='U-B', title='t', statement='s', source='x', uses=('U-A',), {part})\n")])
