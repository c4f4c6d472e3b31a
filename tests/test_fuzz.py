"""Fuzzing the command line, the config and hostile claim modules (Hypothesis).

Whatever is thrown at it, mechproof must: exit with a documented code (0, 1, 2, 64, 70), say a usage
error in one line without a traceback, never pass a check that did not complete, leave no process
behind, and stop within the budget (plus a little).  The short profile runs in the default suite;
`pytest -m fuzz_long tests/test_fuzz.py -s` runs the long one and prints its figures (recorded in
docs/reliability.md).
"""
from __future__ import annotations

import collections
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mechproof.cli import main

EXIT_CODES = {0, 1, 2, 64, 70}
SHORT = settings(max_examples=12, deadline=None, database=None, derandomize=True,
                 suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))
FIGURES: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

# check bodies: (source, completes with a pass?)
BEHAVIOURS = {
    "pass": ("return proved(summary='ok', evidence=Evidence('identity', 'x'))", True),
    "raise": ("raise RuntimeError('boom')", False),
    "hang": ("import time\n    time.sleep(60)", False),
    "spin": ("while True:\n        ctx.progress('tick')", False),
    "exit": ("import sys\n    sys.exit(0)", False),
    "os_exit": ("import os\n    os._exit(0)", False),
    "fork_pass": ("import os\n    if os.fork() == 0:\n        return proved(summary='ok', evidence=Evidence('identity', 'x'))\n"
                  "    raise RuntimeError('the real check failed')", False),
    "print": ("print('noise'); print('\\x1b[31m\\x00'); return proved(summary='ok', evidence=Evidence('identity', 'x'))",
              True),
    "allocate": ("x = bytearray(64 << 30)\n    return proved(summary='ok', evidence=Evidence('identity', 'x'))", False),
    "not_a_verdict": ("return 42", False),
    "zero_cases": ("return verified(cases=0, summary='nothing')", False),
    "no_evidence": ("return proved(summary='trust me')", False),
    "bogus_witness": ("return refuted(witness=Witness.of({'n': 1}), summary='no')", False),
    "bad_summary": ("return Verdict(Status.PROVED, summary=3)", False),
    "sigterm_self": ("import os, signal\n    os.kill(os.getppid(), 0)\n    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                     "    import time\n    time.sleep(60)", False),
}
IMPORT_EFFECTS = {
    "none": "", "print": "print('importing')\n", "raise": "raise ValueError('at import')\n",
    "exit": "import sys\nsys.exit(0)\n", "os_exit": "import os\nos._exit(0)\n",
    "keyboard": "raise KeyboardInterrupt\n",
}
HEADER = ("from mechproof import Claim, Evidence, Evaluation, Method, Part, Status, Verdict, Witness, proved, refuted, "
          "verified\n")


def _module(tmp_path: Path, behaviours: list[str], effect: str) -> Path:
    lines = [HEADER, IMPORT_EFFECTS[effect]]
    for i, b in enumerate(behaviours):
        lines.append(f"def check_{i}(ctx):\n    {BEHAVIOURS[b][0]}\n")
        lines.append(f"C{i} = Claim(id='F-{i}', title='t', statement='s', source='fuzz', parts=(Part('p', "
                     f"method=Method.ENUMERATION if '{b}' in ('zero_cases', 'bogus_witness') else Method.IDENTITY, "
                     f"domain='d', check=check_{i}, replay=lambda p: Evaluation.of(True)),))\n")
    path = tmp_path / f"fuzz_{abs(hash((tuple(behaviours), effect)))}.py"
    path.write_text("".join(lines))
    return path


def _descendants() -> set[int]:
    me, out = os.getpid(), set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me and fields[0] != b"Z":
            out.add(int(entry))
    return out


def _run(argv, capsys):
    before = _descendants()
    t0 = time.monotonic()
    code = main(argv)
    elapsed = time.monotonic() - t0
    captured = capsys.readouterr()
    time.sleep(0.05)
    left = _descendants() - before
    return code, captured, elapsed, left


def _hostile_module_case(tmp_path, capsys, behaviours, effect, budget=1.0, profile="short"):
    path = _module(tmp_path, behaviours, effect)
    code, out, elapsed, left = _run(["check", "--module", str(path), "--no-progress", "--budget", str(budget),
                                     "--memory", "2G", "--state-dir", str(tmp_path / "state")], capsys)
    FIGURES[profile][f"exit {code}"] += 1
    assert code in EXIT_CODES
    assert "Traceback" not in out.err and "Traceback" not in out.out
    assert not left, f"processes left behind: {left}"
    if effect in ("raise", "exit", "os_exit", "keyboard"):
        assert code == 64 and len(out.err.strip().splitlines()) == 1
        return
    all_pass = all(BEHAVIOURS[b][1] for b in behaviours)
    assert (code == 0) == all_pass, f"{behaviours}: exit {code}\n{out.out}"
    assert elapsed < budget * len(behaviours) + 8, f"took {elapsed:.1f}s"
    if "print" in behaviours:
        assert "noise" not in out.out.split("claim")[0]        # check output never precedes the report


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


behaviour_lists = st.lists(st.sampled_from(sorted(BEHAVIOURS)), min_size=1, max_size=3)


EFFECTS = st.sampled_from(["none"] * 5 + sorted(IMPORT_EFFECTS))   # mostly modules that import cleanly


@settings(SHORT, max_examples=20)
@given(behaviours=behaviour_lists, effect=EFFECTS)
def test_hostile_claim_modules(tmp_path_factory, capsys, behaviours, effect):
    _hostile_module_case(tmp_path_factory.mktemp("fz"), capsys, behaviours, effect)


OPTION = st.one_of(
    st.tuples(st.just("--budget"), st.sampled_from(["0", "-1", "nan", "inf", "1e9", "abc", "0.5", "1e-300"])),
    st.tuples(st.just("--jobs"), st.sampled_from(["0", "-3", "1000", "x", "2"])),
    st.tuples(st.just("--bound"), st.text(alphabet="abBnkδ.=,/-0123456789CMZ", max_size=14)),
    st.tuples(st.just("--bound"), st.sampled_from(["B=0", "n=1", "delta=1", "B=1/2", "CMZ-T4.B=-1", "GH-L8.n_max=0",
                                                   "BCK-L1.B=0", "x=1", "B=", "=3", "B=10..1"])),
    st.tuples(st.just("--format"), st.sampled_from(["xml", "json", "junit", ""])),
    st.tuples(st.just("--output"), st.sampled_from([".", "/", "/proc/x/y.json", "out.json"])),
    st.tuples(st.just("--memory"), st.sampled_from(["1", "4G", "x", "100M"])),
)


@SHORT
@given(options=st.lists(OPTION, max_size=3), ids=st.lists(st.sampled_from(["CMZ-D", "GH-L8", "cmz-d", "NOPE", "CMZ-SLID*"]),
                                                          max_size=2))
def test_command_line_options(capsys, options, ids):
    argv = ["check", "--no-progress", "--budget", "20"] + [x for o in options for x in o] + ids
    if not ids:
        argv.append("CMZ-D")
    code, out, _, left = _run(argv, capsys)
    FIGURES["short"][f"cli exit {code}"] += 1
    assert code in EXIT_CODES and "Traceback" not in out.err
    assert not left
    if code == 64:
        assert len(out.err.strip().splitlines()) == 1


CONFIG_VALUES = st.sampled_from(['5', '"x"', 'nan', 'inf', '-1', 'true', '"false"', '[]', '[1.5]', '{}', '["CMZ-D"]',
                                 '[[1]]', '1e400', '"1/2"'])
CONFIG_KEYS = st.sampled_from(["budget", "jobs", "allow-unknown", "skip-slow", "claims", "modules", "expect-refuted",
                               "bounds", "typo"])


@SHORT
@given(entries=st.lists(st.tuples(CONFIG_KEYS, CONFIG_VALUES), max_size=3),
       raw=st.sampled_from(["", "[tool]\nmechproof = 5\n", "[tool.mechproof\n", "\xff\xfe"]))
def test_configs(tmp_path_factory, capsys, monkeypatch, entries, raw):
    folder = tmp_path_factory.mktemp("cfg")
    monkeypatch.chdir(folder)
    body = raw if raw else "[tool.mechproof]\n" + "".join(f"{k} = {v}\n" for k, v in dict(entries).items())
    (folder / "pyproject.toml").write_bytes(body.encode("utf-8", "surrogateescape"))
    code, out, _, _ = _run(["check", "CMZ-D", "--no-progress", "--budget", "20"], capsys)
    FIGURES["short"][f"config exit {code}"] += 1
    assert code in EXIT_CODES and "Traceback" not in out.err


@pytest.mark.fuzz_long
@LONG
@given(behaviours=st.lists(st.sampled_from(sorted(BEHAVIOURS)), min_size=1, max_size=4), effect=EFFECTS)
def test_long_hostile_modules(tmp_path_factory, capsys, behaviours, effect):
    FIGURES["long"]["inputs"] += 1
    for b in behaviours:
        FIGURES["long behaviours"][b] += 1
    _hostile_module_case(tmp_path_factory.mktemp("fzl"), capsys, behaviours, effect, budget=0.5, profile="long")


def teardown_module(module):
    for profile, counts in FIGURES.items():
        if profile.startswith("long") or os.environ.get("MECHPROOF_FUZZ_FIGURES"):
            print(f"\n{profile}: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
