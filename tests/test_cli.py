"""The command line: list, check, show, formats, exit codes and bad input."""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mechproof.cli import main
from mechproof.verdicts import Report

HERE = Path(__file__).parent
EXAMPLE = HERE.parent / "examples" / "my_claims.py"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)        # no pyproject.toml here: defaults; state goes to tmp


def _module(tmp_path, body, name="claims.py"):
    p = tmp_path / name
    p.write_text("from mechproof import Claim, Evaluation, Evidence, Method, Part, Witness, proved, refuted, unknown, error\n"
                 "OK = lambda c: proved(summary='ok', evidence=Evidence('identity', 'trivially'))\n" + body)
    return str(p)


PASSING = "A = Claim(id='U-PASS', title='t', statement='s', source='x', parts=(Part('p', method=Method.IDENTITY, domain='d', check=OK),))\n"
REFUTED = ("B = Claim(id='U-BAD', title='t', statement='s', source='x', parts=(Part('p', method=Method.ENUMERATION, "
           "domain='d', check=lambda c: refuted(witness=Witness.of({'n': 2}), summary='no'), "
           "replay=lambda p: Evaluation.of(p['n'] != 2)),))\n")
UNKNOWN = ("C = Claim(id='U-UNK', title='t', statement='s', source='x', parts=(Part('p', method=Method.IDENTITY, "
           "domain='d', check=lambda c: unknown(reason='why')),))\n")
ERRORED = ("D = Claim(id='U-ERR', title='t', statement='s', source='x', parts=(Part('p', method=Method.IDENTITY, "
           "domain='d', check=lambda c: 1 / 0),))\n")


def test_exit_codes(tmp_path, capsys):
    assert main(["check", "--module", _module(tmp_path, PASSING), "--no-progress"]) == 0
    assert main(["check", "--module", _module(tmp_path, PASSING + REFUTED + UNKNOWN), "--no-progress"]) == 1
    assert main(["check", "--module", _module(tmp_path, PASSING + UNKNOWN), "--no-progress"]) == 2
    assert main(["check", "--module", _module(tmp_path, PASSING + UNKNOWN), "--no-progress", "--allow-unknown"]) == 0
    assert main(["check", "--module", _module(tmp_path, PASSING + ERRORED), "--no-progress", "--allow-unknown"]) == 2
    out = capsys.readouterr().out
    assert "U-BAD" in out and "n=2" in out and "gate: FAIL (refuted)" in out


MIXED = ("M = Claim(id='U-MIX', title='t', statement='s', source='x', parts=("
         "Part('as printed', method=Method.ENUMERATION, domain='d', role=Role.AS_PRINTED, "
         "check=lambda c: refuted(witness=Witness.of({'n': 2}), summary='no'), replay=lambda p: Evaluation.of(False)), "
         "Part('reading', method=Method.IDENTITY, domain='d', role=Role.READING, reading='n > 2', check=CHECK)))\n")


def test_expect_refuted_from_config(tmp_path, capsys):
    mod = _module(tmp_path, PASSING + REFUTED)
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\nexpect-refuted = ["U-BAD"]\n')
    assert main(["check", "--module", mod, "--no-progress"]) == 0
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\nexpect-refuted = ["U-PASS"]\n')
    assert main(["check", "--module", mod, "--no-progress"]) == 1
    # a known finding passes only while every other part passes: an unknown reading fails the gate
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\nexpect-refuted = ["U-MIX"]\n')
    good = _module(tmp_path, "from mechproof import Role\nCHECK = OK\n" + MIXED, "mixed.py")
    assert main(["check", "--module", good, "--no-progress"]) == 0
    assert "✘ as printed · ✔ reading: n > 2" in capsys.readouterr().out
    bad = _module(tmp_path, "from mechproof import Role\nCHECK = lambda c: unknown(reason='timeout')\n" + MIXED,
                  "mixed2.py")
    assert main(["check", "--module", bad, "--no-progress"]) == 2


def test_conditional_claims_do_not_pass_and_show_prints_the_tree(tmp_path, capsys):
    body = UNKNOWN + ("T = Claim(id='U-THM', title='t', statement='s', source='x', uses=('U-UNK',), "
                      "parts=(Part('p', method=Method.IDENTITY, domain='d', check=OK),))\n")
    mod = _module(tmp_path, body)
    assert main(["check", "U-THM", "--module", mod, "--no-progress"]) == 2
    out = capsys.readouterr().out
    assert "proved, given U-UNK (unknown)" in out and "U-UNK" in out.split("proved, given")[0]
    assert main(["show", "U-THM", "--module", mod]) == 0
    out = capsys.readouterr().out
    assert "uses:" in out and "└ U-UNK  ? unknown" in out


@pytest.mark.parametrize("body, message", [
    ("raise RuntimeError('oops')\n", "failed to import: RuntimeError: oops"),
    ("def broken(:\n", "syntax error"),
    ("X = Claim(id='bad id', title='t', statement='s', source='x', parts=())\n", "malformed claim"),
    ("x = 1\n", "declares no Claim"),
])
def test_malformed_user_module(tmp_path, body, message, capsys):
    assert main(["check", "--module", _module(tmp_path, body)]) == 64
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_float_in_user_mechanism_is_named(tmp_path, capsys):
    body = ("from mechproof import check_delta\ncheck_delta(0.3)\n")
    assert main(["check", "--module", _module(tmp_path, body)]) == 64
    assert "0.3 is a float" in capsys.readouterr().err


def test_json_output_round_trips(tmp_path, capsys):
    out = tmp_path / "r.json"
    code = main(["check", "CMZ-D", "CMZ-SLIDE", "--format", "json", "--output", str(out), "--no-progress"])
    assert code == 1                                   # the slide's "2 times better" is only approximate
    report = Report.from_json(out.read_text())
    assert Report.from_json(report.to_json()) == report
    assert [r.claim_id for r in report.results] == ["CMZ-D", "CMZ-SLIDE"]
    assert json.loads(out.read_text())["results"][1]["status"] == "refuted"


def test_junit_validates_against_schema(tmp_path):
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(HERE / "data" / "junit.xsd"))
    out = tmp_path / "r.xml"
    mod = _module(tmp_path, PASSING + REFUTED + UNKNOWN)
    main(["check", "--module", mod, "--format", "junit", "--output", str(out), "--no-progress"])
    schema.validate(str(out))
    root = ET.parse(out).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["U-BAD"].find("failure").get("type") == "refuted"
    assert cases["U-UNK"].find("failure").get("type") == "unknown"
    assert cases["U-PASS"].find("failure") is None
    assert not any(c.find("properties") is not None for c in cases.values())
    main(["check", "--module", mod, "--format", "junit", "--output", str(out), "--allow-unknown", "--no-progress"])
    schema.validate(str(out))
    assert ET.parse(out).getroot().find(".//testcase[@name='U-UNK']/skipped") is not None


def test_schema_rejects_properties_inside_testcase(tmp_path):
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(HERE / "data" / "junit.xsd"))
    bad = ('<testsuites><testsuite package="p" id="0" name="s" timestamp="2026-01-01T00:00:00" hostname="h" '
           'tests="1" failures="0" errors="0" time="1"><properties/><testcase name="a" classname="c" time="1">'
           '<properties/></testcase><system-out/><system-err/></testsuite></testsuites>')
    assert not schema.is_valid(bad)


def test_list_shows_every_catalogue_id(capsys):
    from mechproof.catalog import CATALOG
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for entry in CATALOG:
        assert entry.id in out
    assert main(["list", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["id"] for d in data} == {e.id for e in CATALOG}


def test_show_after_check(capsys):
    assert main(["show", "GH-L8"]) == 0
    assert "no verdict recorded yet" in capsys.readouterr().out
    main(["check", "CMZ-SLIDE", "--no-progress"])
    capsys.readouterr()
    assert main(["show", "CMZ-SLIDE"]) == 0
    out = capsys.readouterr().out
    assert "17/9" in out and "δ = 1/4, n = 2" in out and "source:" in out
    assert "replayed by the core" in out


def test_list_bounds_is_generated_from_the_schemas(capsys):
    assert main(["list", "--bounds", "CMZ-T4"]) == 0
    out = capsys.readouterr().out
    assert "B" in out and "delta" in out
    assert main(["list", "--bounds", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(r["scope"].endswith(r["key"]) for r in rows)


def test_a_corrupted_state_file_is_a_warning_not_a_traceback(tmp_path, capsys):
    state = tmp_path / ".mechproof"
    state.mkdir()
    for text in ('{"results": [{"claim_id": "CMZ-D", "parts": [{"verdict": {"status": 5}}]}]}', "[" * 50000, "\xff"):
        (state / "last.json").write_text(text)
        assert main(["show", "CMZ-D"]) == 0
        err = capsys.readouterr().err
        assert "unreadable" in err and "Traceback" not in err


def test_readme_example_module_runs(capsys):
    assert main(["check", "--module", str(EXAMPLE), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "MY-RATIO" in out and "MY-REVENUE" in out


def test_console_script_help():
    proc = subprocess.run([sys.executable, "-m", "mechproof.cli", "check", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "exit codes" in proc.stdout and "refuted" in proc.stdout


def test_a_known_finding_fails_the_gate_when_its_reading_is_refuted(tmp_path, capsys):
    """docs/readings.md: a finding passes only while its as-printed part is refuted and every other part
    passes — a reading that turns refuted must fail the gate, not hide behind the as-printed refutation."""
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\nexpect-refuted = ["U-MIX"]\n')
    body = ("from mechproof import Role\n"
            "M = Claim(id='U-MIX', title='t', statement='s', source='x', parts=("
            "Part('as printed', method=Method.ENUMERATION, domain='d', role=Role.AS_PRINTED, "
            "check=lambda c: refuted(witness=Witness.of({'n': 2}), summary='no'), replay=lambda p: Evaluation.of(False)), "
            "Part('reading', method=Method.ENUMERATION, domain='d', role=Role.READING, reading='n > 2', "
            "check=lambda c: refuted(witness=Witness.of({'n': 5}), summary='reading fails'), "
            "replay=lambda p: Evaluation.of(False))))\n")
    assert main(["check", "--module", _module(tmp_path, body, "mixed3.py"), "--no-progress"]) == 1
    assert "✘ reading" in capsys.readouterr().out


def test_a_refuted_cross_check_beside_an_undecided_claim_is_an_error():
    from mechproof.verdicts import PartResult, Role, Status, Verdict, Witness, claim_status
    unknown_part = PartResult("conjunct", Verdict(Status.UNKNOWN, summary="not encoded"), Role.CONJUNCT)
    refuted_check = PartResult("pin", Verdict(Status.REFUTED, summary="pin fails", witness=Witness.of({"x": 1})),
                               Role.CROSS_CHECK)
    status, note = claim_status([unknown_part, refuted_check])
    assert status is Status.ERROR and "disagree" in note


def test_the_progress_line_reads_the_claim_status_by_roles(tmp_path, capsys):
    """A proved route beside a verified cross-check: the claim is proved, and so says its progress line."""
    body = ("from mechproof import Role, verified\n"
            "E = Claim(id='U-ROUTE', title='t', statement='s', source='x', parts=("
            "Part('route', method=Method.IDENTITY, domain='d', role=Role.ROUTE, check=OK), "
            "Part('cc', method=Method.IDENTITY, domain='d', role=Role.CROSS_CHECK, "
            "check=lambda c: verified(cases=3, summary='3 cases')),))\n")
    assert main(["check", "--module", _module(tmp_path, body)]) == 0
    err = capsys.readouterr().err
    assert "[1/1] U-ROUTE      proved" in err, err
