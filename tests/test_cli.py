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
    p.write_text("from mechproof import Claim, Part, Witness, proved, refuted, unknown, error\n" + body)
    return str(p)


PASSING = "A = Claim(id='U-PASS', title='t', statement='s', source='x', parts=(Part('p','m','d', lambda c: proved('m','ok')),))\n"
REFUTED = ("B = Claim(id='U-BAD', title='t', statement='s', source='x', parts=(Part('p','m','d', "
           "lambda c: refuted('m','d','no', Witness.of({'n': 2}))),))\n")
UNKNOWN = "C = Claim(id='U-UNK', title='t', statement='s', source='x', parts=(Part('p','m','d', lambda c: unknown('m','d','why')),))\n"


def test_exit_codes(tmp_path, capsys):
    assert main(["check", "--module", _module(tmp_path, PASSING), "--no-progress"]) == 0
    assert main(["check", "--module", _module(tmp_path, PASSING + REFUTED + UNKNOWN), "--no-progress"]) == 1
    assert main(["check", "--module", _module(tmp_path, PASSING + UNKNOWN), "--no-progress"]) == 2
    assert main(["check", "--module", _module(tmp_path, PASSING + UNKNOWN), "--no-progress", "--allow-unknown"]) == 0
    out = capsys.readouterr().out
    assert "U-BAD" in out and "n=2" in out and "gate: FAIL (refuted)" in out


def test_expect_refuted_from_config(tmp_path):
    mod = _module(tmp_path, PASSING + REFUTED)
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\nexpect-refuted = ["U-BAD"]\n')
    assert main(["check", "--module", mod, "--no-progress"]) == 0
    (tmp_path / "pyproject.toml").write_text('[tool.mechproof]\nexpect-refuted = ["U-PASS"]\n')
    assert main(["check", "--module", mod, "--no-progress"]) == 1


@pytest.mark.parametrize("argv, message", [
    (["check", "CMZ-X"], "unknown claim id 'CMZ-X'; did you mean"),
    (["check", "--budget", "0", "CMZ-D"], "budget must be > 0"),
    (["check", "--budget", "-3", "CMZ-D"], "budget must be > 0"),
    (["check", "--bound", "delta=1", "CMZ-D"], "outside (0, 1)"),
    (["check", "--bound", "delta=3/2", "CMZ-D"], "outside (0, 1)"),
    (["check", "--bound", "B=abc", "CMZ-D"], "not a rational number"),
    (["check", "--module", "missing.py"], "no such file"),
    (["show", "NOPE-1"], "unknown claim id"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_exits_64_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(argv))
    assert exc.value.code == 64
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


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
    assert "17/9" in out and "witness: delta = 1/4, n = 2" in out and "source:" in out


def test_readme_example_module_runs(capsys):
    assert main(["check", "--module", str(EXAMPLE), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "MY-RATIO" in out and "MY-REVENUE" in out


def test_console_script_help():
    proc = subprocess.run([sys.executable, "-m", "mechproof.cli", "check", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "exit codes" in proc.stdout and "refuted" in proc.stdout
