"""The runner stops on time, never loses a result, and survives hostile checks, signals and configs.

Each test plants one of the failures seen on the old runner: a check that floods progress or
ignores SIGTERM, a forked grandchild, a signal to the parent, a hostile module, a corrupted or
concurrently written state file, output pollution, an internal crash.
"""
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mechproof import Claim, Evidence, Method, Part, Status, Verdict, proved
from mechproof.cli import main
from mechproof.runner import RunEvent, run_claims
from mechproof.state import load_state, save_state

HEADER = "from mechproof import Claim, Evidence, Method, Part, Status, Verdict, proved\n" \
         "OK = lambda c: proved(summary='ok', evidence=Evidence('identity', 'x'))\n"


def _ok(ctx):
    return proved(summary="ok", evidence=Evidence("identity", "x"))


def _claim(cid, check):
    return Claim(id=cid, title="t", statement="s", source="x",
                 parts=(Part("p", method=Method.IDENTITY, domain="d", check=check),))


def _module(tmp_path, body, name="m.py"):
    p = tmp_path / name
    p.write_text(HEADER + body)
    return str(p)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


# ------------------------------------------------------------------ deadlines nothing can defer
def _flood(ctx):
    while True:
        ctx.progress("still here")


def _stubborn(ctx):
    import threading
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=lambda: time.sleep(100)).start()        # a non-daemon thread
    time.sleep(100)


def test_progress_flood_and_ignored_sigterm_are_still_killed_on_time():
    t0 = time.monotonic()
    report = run_claims([_claim("R-1", _flood), _claim("R-2", _stubborn)], budget=1.0, jobs=2)
    assert time.monotonic() - t0 < 4
    assert all(r.status is Status.UNKNOWN and "timeout" in r.weakest.summary for r in report.results)


def test_a_forked_grandchild_is_killed_with_its_check(tmp_path):
    pidfile = tmp_path / "grandchild.pid"

    def forks(ctx):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        pidfile.write_text(str(pid))
        return _ok(ctx)

    run_claims([_claim("R-3", forks)], budget=10)
    pid = int(pidfile.read_text())
    for _ in range(50):
        if not _alive(pid):
            break
        time.sleep(0.05)
    assert not _alive(pid)


def test_only_the_worker_itself_may_report():
    def forked_copy_passes(ctx):
        if os.fork() == 0:
            return _ok(ctx)                   # the copy "passes" ...
        time.sleep(0.2)
        raise RuntimeError("the real check failed")   # ... the worker itself does not
    r = run_claims([_claim("R-4", forked_copy_passes)], budget=10).results[0]
    assert r.status is Status.ERROR and "real check failed" in r.weakest.summary


def test_ctrl_c_while_parts_start_gives_a_partial_report():
    def interrupt(event: RunEvent):
        if event.kind == "start" and event.claim_id == "R-7":
            raise KeyboardInterrupt
    claims = [_claim(f"R-{i}", _ok) for i in range(5, 12)]
    report = run_claims(claims, budget=10, jobs=4, on_event=interrupt)
    assert report.interrupted and len(report.results) == 7
    assert all(r.status in (Status.PROVED, Status.UNKNOWN) for r in report.results)


def test_memory_limit_is_unknown_with_the_limit_named():
    def hog(ctx):
        block = bytearray(3 << 30)
        return _ok(ctx) if block else None
    r = run_claims([_claim("R-12", hog)], budget=20, memory=1 << 30).results[0]
    assert r.status is Status.UNKNOWN and "memory limit" in r.weakest.summary


def test_a_malformed_verdict_is_an_error():
    r = run_claims([_claim("R-13", lambda ctx: Verdict(Status.PROVED, summary=3))], budget=10).results[0]
    assert r.status is Status.ERROR


# ------------------------------------------------------------------ the command line
def test_signals_to_the_parent_give_a_saved_partial_report(tmp_path):
    mod = _module(tmp_path, "import time\n"
                            "def slow(ctx):\n    time.sleep(60)\n"
                            "A = Claim(id='S-FAST', title='t', statement='s', source='x', "
                            "parts=(Part('p', method=Method.IDENTITY, domain='d', check=OK),))\n"
                            "B = Claim(id='S-SLOW', title='t', statement='s', source='x', "
                            "parts=(Part('p', method=Method.IDENTITY, domain='d', check=slow),))\n")
    for sig in (signal.SIGTERM, signal.SIGHUP):
        proc = subprocess.Popen([sys.executable, "-m", "mechproof.cli", "check", "--module", mod, "--no-progress",
                                 "--allow-unknown", "--state-dir", str(tmp_path / "state")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        time.sleep(3)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 2, (sig, out, err)
        assert "INTERRUPTED" in out and "S-FAST" in out and "Traceback" not in err
        stored, warning = load_state(tmp_path / "state")
        assert not warning and stored["S-SLOW"].status is Status.UNKNOWN
        assert stored["S-FAST"].status is Status.PROVED


@pytest.mark.parametrize("body, message", [
    ("import sys\nsys.exit(0)\n", "sys.exit(0)"),
    ("import os\nos._exit(0)\n", "ended the process while importing"),
    ("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
])
def test_modules_that_exit_at_import_are_usage_errors(tmp_path, capsys, body, message):
    assert main(["check", "--module", _module(tmp_path, body), "--no-progress"]) == 64
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_module_changing_sympy_beyond_the_guard_cannot_reach_the_built_in_claims(tmp_path, capsys, monkeypatch):
    import sympy
    from sympy.core.parameters import global_parameters
    # data, not a function: the library guard does not see it, the zygote keeps it from the built-ins;
    # monkeypatch puts it back for the tests after this one
    monkeypatch.setattr(global_parameters, "evaluate", global_parameters.evaluate)
    mod = _module(tmp_path, "from sympy.core.parameters import global_parameters\n"
                            "global_parameters.evaluate = False\n"
                            "A = Claim(id='S-PATCH', title='t', statement='s', source='x', "
                            "parts=(Part('p', method=Method.IDENTITY, domain='d', check=OK),))\n")
    assert main(["check", "GH-COR1", "S-PATCH", "--module", mod, "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "GH-COR1" in out and "✘ refuted" in out.split("GH-COR1", 1)[1].splitlines()[0]
    assert sympy.simplify.__module__ == "sympy.simplify.simplify"


@pytest.mark.parametrize("argv, message", [
    (["--output", "."], "is a directory"),
    (["--output", "/proc/none/x.json"], "does not exist"),
    (["--budget", "inf"], "budget"),
    (["--budget", "1e9"], "budget"),
    (["-j", "1000"], "must be between 1 and"),
    (["--memory", "10"], "below 256M"),
    (["--memory", "lots"], "not a memory size"),
])
def test_bad_options_are_one_line_usage_errors(tmp_path, capsys, argv, message):
    assert main(["check", "CMZ-D", "--no-progress"] + argv) == 64
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_check_output_never_pollutes_the_report_stream(tmp_path, capsys):
    mod = _module(tmp_path, "def noisy(ctx):\n    print('noise \\x1b[31m\\x07 <&>')\n"
                            "    return proved(summary='ok \\x1b[2J\\x00', evidence=Evidence('identity', 'x'))\n"
                            "A = Claim(id='S-NOISY', title='t', statement='s', source='x', "
                            "parts=(Part('p', method=Method.IDENTITY, domain='d', check=noisy),))\n")
    assert main(["check", "--module", mod, "--no-progress", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)                       # stdout is exactly the JSON report
    part = data["results"][0]["parts"][0]["verdict"]
    assert any("noise" in e["text"] for e in part["evidence"] if e["kind"] == "output")
    out = tmp_path / "r.xml"
    assert main(["check", "--module", mod, "--no-progress", "--format", "junit", "--output", str(out)]) == 0
    ET.parse(out)                                                    # control characters do not break XML
    assert "\x1b" not in capsys.readouterr().out


def test_concurrent_runs_keep_both_results(tmp_path):
    from mechproof.verdicts import ClaimResult, PartResult, Report

    def report(cid):
        v = proved(summary="ok", evidence=Evidence("identity", "x"))
        return Report((ClaimResult(cid, "t", "X", "s", "st", (PartResult("p", v),)),), "2026-01-01T00:00:00", 1.0)

    pids = []
    for i in range(6):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                for j in range(5):
                    save_state(tmp_path / "state", report(f"C-{i}-{j}"))
            except BaseException:
                code = 1
            os._exit(code)
        pids.append(pid)
    assert all(os.waitpid(p, 0)[1] == 0 for p in pids)
    stored, warning = load_state(tmp_path / "state")
    assert not warning and len(stored) == 30


def test_a_corrupted_state_file_is_set_aside(tmp_path, capsys):
    state = tmp_path / "state"
    state.mkdir()
    (state / "last.json").write_text('{"results": [{"claim_id": "X", "parts": [{"verdict": "proved"}]}')
    assert main(["check", "CMZ-D", "--no-progress", "--state-dir", str(state)]) == 0
    err = capsys.readouterr().err
    assert "unreadable" in err and "moved aside" in err and "Traceback" not in err
    assert load_state(state)[0]["CMZ-D"].status is Status.PROVED
    assert list(state.glob("last.json.corrupt-*"))


def test_an_internal_error_is_exit_70_with_a_crash_log(tmp_path, capsys, monkeypatch):
    import mechproof.cli as cli
    monkeypatch.setattr(cli, "render_summary", lambda *a: 1 / 0)
    assert main(["check", "CMZ-D", "--no-progress"]) == 70
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError" in err and len(err.strip().splitlines()) == 1
    logs = list((tmp_path / ".mechproof").glob("crash-*.log"))
    assert logs and "Traceback" in logs[0].read_text()
