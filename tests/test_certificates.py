"""Certificates (`check --certificates DIR`) and `mechproof recheck DIR`: written, replayed by independent
tools, and failing when a certificate is tampered with; bad directories get one line and exit 64."""
import hashlib
import json
from pathlib import Path

import pytest

from mechproof.certificates import MANIFEST, parse_srepr
from mechproof.cli import main

MODULE = '''
from fractions import Fraction
import sympy as sp
import z3
from mechproof import (Claim, Equal, Evaluation, IntKey, Limit, Method, Part, Query, Schema, Sign,
                       enumeration_check, smt_check, steps_check)

x = sp.Symbol("x", positive=True)
n = sp.Symbol("n", integer=True, positive=True)

def steps():
    return [Equal("square", (x + 1) ** 2, x ** 2 + 2 * x + 1),
            Sign("positive", x ** 2 + 1, ">0"),
            Sign("e > 2", sp.E - 2, ">0"),
            Limit("1/n", 1 / n, n, sp.oo, 0)]

def queries(domain):
    def build():
        s = z3.Solver()
        a = z3.Int("a")
        s.add(a >= 0, a <= domain["B"], a * a == 2)
        return s, lambda m: {"a": m[a].as_long()}
    yield Query("no integer square root of 2", build)

def points(domain):
    for b in range(domain["B"] + 1):
        yield {"b": b}

def small(point):
    return Evaluation.of(point["b"] < 3, {"b": point["b"]})

CERT = Claim(id="U-CERT", title="certificate test", statement="s", source="test",
             parts=(Part("steps", method=Method.DERIVATION, domain="all x > 0",
                         check=steps_check(steps, summary="four facts")),
                    Part("smt", method=Method.SMT,
                         domain=Schema(IntKey("B", 5, min=0, local=True), text="a in {0..$B}"),
                         check=smt_check(queries, replay=lambda p: Evaluation.of(p["a"] ** 2 != 2))),
                    Part("enumerate", method=Method.ENUMERATION,
                         domain=Schema(IntKey("B", 2, min=0, local=True), text="b in {0..$B}",
                                       cases=lambda d: d["B"] + 1),
                         check=enumeration_check(points, small))))

BAD = Claim(id="U-CERT-BAD", title="refuted", statement="s", source="test",
            parts=(Part("enumerate", method=Method.ENUMERATION,
                        domain=Schema(IntKey("B", 5, min=0, local=True), text="b in {0..$B}",
                                      cases=lambda d: d["B"] + 1),
                        check=enumeration_check(points, small)),))
'''


@pytest.fixture(scope="module")
def certified_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("cert")
    mod = root / "cert_claims.py"
    mod.write_text(MODULE)
    folder = root / "certs"
    code = main(["check", "--module", str(mod), "--no-progress", "--state-dir", str(root / "state"),
                 "--certificates", str(folder)])
    return root, mod, folder, code


def _copy(src: Path, dest: Path) -> Path:
    import shutil
    shutil.copytree(src, dest)
    return dest


def _certificate(folder: Path, claim: str, part: str) -> Path:
    for path in folder.rglob("*.json"):
        if path.name != MANIFEST:
            data = json.loads(path.read_text())
            if data["claim"] == claim and data["part"] == part:
                return path
    raise AssertionError(f"no certificate for {claim} / {part}")


def _refresh_manifest(folder: Path, path: Path) -> None:
    """A careful tamperer also fixes the digest: the replay must still catch the change."""
    manifest = json.loads((folder / MANIFEST).read_text())
    rel = path.relative_to(folder).as_posix()
    for entry in manifest["files"]:
        if entry["path"] == rel:
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / MANIFEST).write_text(json.dumps(manifest))


def test_certificates_are_written_with_the_items_each_engine_recorded(certified_run):
    _, _, folder, code = certified_run
    assert code == 1                                   # U-CERT-BAD is refuted
    kinds = {}
    for part in ("steps", "smt", "enumerate"):
        cert = json.loads(_certificate(folder, "U-CERT", part).read_text())
        kinds[part] = [i["kind"] for i in cert["items"]]
    assert kinds["steps"].count("equal") == 1 and kinds["steps"].count("sign") == 2 and "limit" in kinds["steps"]
    assert kinds["smt"] == ["smtlib", "coverage"]
    assert kinds["enumerate"] == ["coverage"]
    bad = json.loads(_certificate(folder, "U-CERT-BAD", "enumerate").read_text())
    assert [i["kind"] for i in bad["items"]] == ["witness_values", "witness"]
    assert bad["verdict"]["status"] == "refuted"


def test_recheck_agrees_with_an_untouched_directory(certified_run, capsys):
    _, mod, folder, _ = certified_run
    assert main(["recheck", str(folder), "--module", str(mod), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    by_part = {(r["claim"], r["part"]): r for r in out["certificates"]}
    assert by_part[("U-CERT", "steps")]["counts"].get("re-proved") == 4
    assert by_part[("U-CERT", "smt")]["counts"].get("re-solved") == 1
    assert by_part[("U-CERT-BAD", "enumerate")]["counts"].get("replayed") == 1
    assert out["disagreements"] == 0


@pytest.mark.parametrize("tamper, expected", [
    ("smt answer", "disagrees"),
    ("false identity", "fails"),
    ("wrong limit", "limit"),
    ("witness moved", "holds at the witness"),
    ("fewer cases", "cases"),
    ("digest only", "SHA-256"),
])
def test_recheck_fails_on_a_tampered_certificate(certified_run, tmp_path, capsys, tamper, expected):
    _, mod, folder, _ = certified_run
    folder = _copy(folder, tmp_path / "certs")
    part = {"smt answer": ("U-CERT", "smt"), "false identity": ("U-CERT", "steps"),
            "wrong limit": ("U-CERT", "steps"), "witness moved": ("U-CERT-BAD", "enumerate"),
            "fewer cases": ("U-CERT", "enumerate"), "digest only": ("U-CERT", "steps")}[tamper]
    path = _certificate(folder, *part)
    cert = json.loads(path.read_text())
    for item in cert["items"]:
        if tamper == "smt answer" and item["kind"] == "smtlib":
            item["smtlib"] = item["smtlib"].replace("(= (* a a) 2)", "(= (* a a) 4)")
        if tamper == "false identity" and item["kind"] == "equal":
            item["rhs"] = item["rhs"].replace("Integer(2)", "Integer(3)")
        if tamper == "wrong limit" and item["kind"] == "limit":
            item["value"] = "Integer(1)"
        if tamper == "witness moved" and item["kind"] == "witness_values":
            item["values"] = json.dumps([["b", {"int": "1"}]])
        if tamper == "witness moved" and item["kind"] == "witness":
            item["assignment"] = [["b", "1"]]
        if tamper == "fewer cases" and item["kind"] == "coverage":
            item["cases"] = "0"
    if tamper == "digest only":
        cert["verdict"]["summary"] += " (edited)"
    path.write_text(json.dumps(cert))
    if tamper != "digest only":
        _refresh_manifest(folder, path)
    assert main(["recheck", str(folder), "--module", str(mod)]) == 1
    out = capsys.readouterr().out
    assert "recheck: FAIL" in out and expected in out, out


def test_a_bad_certificate_directory_gets_one_line_and_exit_64(certified_run, tmp_path, capsys):
    _, _, folder, _ = certified_run
    assert main(["recheck", str(tmp_path / "absent")]) == 64
    assert "not a directory" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["recheck", str(empty)]) == 64
    assert "manifest.json" in capsys.readouterr().err
    broken = _copy(folder, tmp_path / "broken")
    next(p for p in broken.rglob("*.json") if p.name != MANIFEST).unlink()
    assert main(["recheck", str(broken)]) == 64
    assert "incomplete" in capsys.readouterr().err
    (broken / MANIFEST).write_text("{not json")
    assert main(["recheck", str(broken)]) == 64
    assert "unreadable" in capsys.readouterr().err
    escape = _copy(folder, tmp_path / "escape")
    m = json.loads((escape / MANIFEST).read_text())
    m["files"][0]["path"] = "../../etc/passwd"
    (escape / MANIFEST).write_text(json.dumps(m))
    assert main(["recheck", str(escape)]) == 64
    assert "outside the directory" in capsys.readouterr().err


def test_check_refuses_an_unusable_certificate_directory(tmp_path, capsys):
    afile = tmp_path / "file"
    afile.write_text("x")
    assert main(["check", "CMZ-D", "--no-progress", "--certificates", str(afile)]) == 64
    assert "is a file" in capsys.readouterr().err
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    assert main(["check", "CMZ-D", "--no-progress", "--certificates", str(busy)]) == 64
    assert "other files" in capsys.readouterr().err
    assert (busy / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("text", [
    "Symbol('x').subs(1, 2)", "__import__('os')", "sympify('1')", "Poly('x')", "Integer(1) + Integer(2)",
    "Function('u')('import os')", "Float('nan(); 1')",
])
def test_srepr_text_from_a_certificate_is_parsed_never_executed(text):
    with pytest.raises(ValueError):
        parse_srepr(text)


def test_recording_a_certificate_never_changes_a_verdict(tmp_path, capsys):
    """A certified claim (branch and bound) and a proved one: the same statuses with and without
    certificates, and recheck agrees with what was written."""
    ids = ["GH-FIG1", "CMZ-D"]
    assert main(["check", *ids, "--no-progress", "--no-cache", "--state-dir", str(tmp_path / "a"),
                 "--format", "json", "-o", str(tmp_path / "plain.json")]) == 0
    assert main(["check", *ids, "--no-progress", "--state-dir", str(tmp_path / "b"), "--format", "json",
                 "-o", str(tmp_path / "cert.json"), "--certificates", str(tmp_path / "certs")]) == 0
    plain, cert = (json.loads((tmp_path / f).read_text()) for f in ("plain.json", "cert.json"))
    status = lambda rep: {(r["claim_id"], p["name"]): p["verdict"]["status"] for r in rep["results"] for p in r["parts"]}
    assert status(plain) == status(cert)
    capsys.readouterr()
    assert main(["recheck", str(tmp_path / "certs")]) == 0
    assert "0 disagree" in capsys.readouterr().out
    # a certified maximum whose recorded enclosure is moved above its bound is refused
    certs = tmp_path / "certs"
    for path in certs.rglob("*.json"):
        if path.name != MANIFEST and '"enclosure"' in path.read_text():
            cert = json.loads(path.read_text())
            item = next(i for i in cert["items"] if i["kind"] == "enclosure")
            if cert["verdict"]["status"] == "certified" and item["extremum"] == "max":
                item["upper"] = "1000"
                path.write_text(json.dumps(cert))
                _refresh_manifest(certs, path)
                break
    else:
        raise AssertionError("no certified maximum among the certificates")
    assert main(["recheck", str(certs)]) == 1
    assert "does not certify the bound" in capsys.readouterr().out


def test_a_certificate_item_that_would_take_forever_is_unconfirmed_not_a_hang(certified_run, tmp_path, capsys,
                                                                            monkeypatch):
    import time as _time
    from mechproof import recheck
    _, mod, folder, _ = certified_run
    folder = _copy(folder, tmp_path / "certs")

    def forever(*args, **kwargs):
        while True:
            _time.sleep(0.05)
    monkeypatch.setattr(recheck, "recheck_equal", forever)
    t = _time.monotonic()
    assert main(["recheck", str(folder), "--module", str(mod), "--seconds", "0.1"]) == 0
    assert _time.monotonic() - t < 30
    assert "took longer than" in capsys.readouterr().out
