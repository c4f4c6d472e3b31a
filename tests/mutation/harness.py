"""Run a claim check against a mutated copy of mechproof's source, through the real CLI.

A mutant is a text edit of one source file (exactly one occurrence of `find` replaced). The harness
copies the four source folders into a temporary package layout (proofs/ → mechproof/, mechanisms/ →
mechproof/mechanisms/, …), applies the edit, and runs `mechproof check CLAIMS --format json` in a
fresh interpreter whose import path starts there, and compares the report part by part with the run
on the unmutated source. Two levels of detection:

* **gate** — a claim's status or a refutation's witness changed, a known finding broke (a refuted
  claim no longer passes as `expect-refuted`: a reading or cross-check beside its as-printed
  refutation turned refuted), a refused input is accepted (or the reverse), or the run failed (a
  crash, exit 70, no report, a timeout): `mechproof check` as a CI gate notices;
* **part** — a part's status changed but no claim's did (e.g. a cross-check beside a proof turned
  unknown): the report's table shows it, the gate does not;
* **evidence** — only the verdict's deterministic evidence changed: its case count, summary (worst
  value, where it is reached, tightness), non-timing statistics, or the text of a derivation's steps.
  A reader of the report (or `mechproof show`) notices; the gate does not.

A mutant is *killed* when detected at any level and *survives* when every part's verdict is
identical. The suite reports the rates. Timings and solver statistics (z3.*) are never compared.

`python -m tests.mutation.harness [ID …]` runs the named mutants (all without arguments) and prints
one line each: useful while writing mutants.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = {"proofs": "mechproof", "mechanisms": "mechproof/mechanisms", "smt": "mechproof/smt",
          "symbolic": "mechproof/symbolic"}


@dataclass(frozen=True)
class Mutant:
    """One realistic bug: replace `find` (exactly one occurrence) by `replace` in `file`."""

    id: str
    file: str            # path from the repository root, e.g. "mechanisms/cmz_mechanisms.py"
    find: str
    replace: str
    claims: tuple[str, ...]   # the claims whose checks should notice
    kind: str = ""       # wrong constant, off-by-one, tie rule, missing term, direction, certificate, …


def _copy_tree(dest: Path) -> None:
    for src, target in LAYOUT.items():
        shutil.copytree(ROOT / src, dest / target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)


def _target_path(file: str) -> str:
    top, _, rest = file.partition("/")
    return f"{LAYOUT[top]}/{rest}"


def apply(m: Mutant, dest: Path) -> None:
    path = dest / _target_path(m.file)
    text = path.read_text(encoding="utf-8")
    count = text.count(m.find)
    if count != 1:
        raise ValueError(f"mutant {m.id}: {m.file} contains the text to mutate {count} times (need exactly 1)")
    path.write_text(text.replace(m.find, m.replace), encoding="utf-8")


_RUN = ("import sys; sys.path.insert(0, sys.argv[1]); import mechproof; "
        "assert mechproof.__file__.startswith(sys.argv[1]), mechproof.__file__; "
        "from mechproof.cli import main; sys.exit(main(sys.argv[2:]))")


def outcome(claims: tuple[str, ...], mutant: Mutant | None = None, budget: float = 60,
            timeout: float = 600) -> dict:
    """{claim id: [(part, status, witness, evidence), …]} of a run on the (mutated) source; {"!": why} on
    failure. `evidence` is the verdict's deterministic content (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="mechproof-mutant-") as tmp:
        dest = Path(tmp) / "src"
        _copy_tree(dest)
        if mutant is not None:
            apply(mutant, dest)
        report = Path(tmp) / "report.json"
        argv = ["check", *claims, "--format", "json", "--output", str(report), "--no-progress",
                "--budget", str(budget), "--state-dir", str(Path(tmp) / "state")]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        try:
            proc = subprocess.run([sys.executable, "-c", _RUN, str(dest), *argv], capture_output=True, text=True,
                                  timeout=timeout, cwd=tmp, env=env)
        except subprocess.TimeoutExpired:
            return {"!": f"the run did not finish within {timeout:g}s"}
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        if proc.returncode == 64 and not report.is_file():
            return {"usage": tail[:300]}            # refused input: the one line is the outcome
        if proc.returncode not in (0, 1, 2) or not report.is_file():
            return {"!": f"exit {proc.returncode}: {tail[:200]}"}
        text = report.read_text(encoding="utf-8")
        data = json.loads(text)
    gate = _gate_rows(text)
    return {r["claim_id"]: [(CLAIM_ROW, gate.get(r["claim_id"], r["status"]), None, None)] +
                           [(p["name"], p["verdict"]["status"],
                             None if p["verdict"]["witness"] is None else p["verdict"]["witness"]["assignment"],
                             _evidence(p["verdict"]))
                            for p in r["parts"]]
            for r in data["results"]}


CLAIM_ROW = "(the claim)"        # the first row of a claim's outcome: its gate status


def _gate_rows(text: str) -> dict[str, str]:
    """Each claim's gate status; a refuted claim also says whether it still passes as a known finding
    (`expect-refuted`: refuted where the finding is, every other part passing), the gate a CI with
    the papers' findings runs — judged by the unmutated mechproof of this process."""
    from dataclasses import replace

    from mechproof.report import gate_exit_code
    from mechproof.verdicts import Report, Status
    report = Report.from_json(text)
    out = {}
    for r in report.results:
        if r.status is Status.REFUTED:
            intact = gate_exit_code(replace(report, results=(r,), interrupted=False),
                                    expect_refuted=frozenset({r.claim_id})) == 0
            out[r.claim_id] = "refuted (the finding intact)" if intact else "refuted (the finding broken)"
        else:
            out[r.claim_id] = r.status.value
    return out


_TIMING = ("time", "seconds", "memory", "allocs", "rlimit", "z3.", "cvc5.")


def _evidence(verdict: dict) -> tuple:
    stats = tuple((k, v) for e in verdict.get("evidence", ()) for k, v in e.get("stats", ())
                  if not any(t in k for t in _TIMING))
    steps = tuple(e.get("text", "") for e in verdict.get("evidence", ()) if e.get("kind") == "derivation")
    return (verdict.get("cases"), verdict.get("summary"), stats, steps)


def detection(baseline: dict, mutated: dict) -> tuple[str | None, str]:
    """("gate" | "part" | "evidence" | None, how) comparing a mutant's outcome with the baseline's."""
    if "!" in mutated:
        return "gate", mutated["!"]
    if "usage" in baseline or "usage" in mutated:
        if baseline.get("usage") == mutated.get("usage"):
            return None, "the same input refused with the same line"
        was, now = (f"refused ({x['usage']})" if "usage" in x else "accepted" for x in (baseline, mutated))
        return "gate", f"input {was} → {now}"[:300]
    found: dict[str, str] = {}
    for cid, parts in baseline.items():
        other = mutated.get(cid)
        if other is None or len(other) != len(parts):
            return "gate", f"{cid}: the parts differ"
        for a, b in zip(parts, other):
            if a[0] == CLAIM_ROW:
                if a[1] != b[1]:
                    found.setdefault("gate", f"{cid}: {a[1]} → {b[1]}")
                continue
            if a[2] != b[2] and a[1] == b[1] == "refuted":
                found.setdefault("gate", f"{cid} / {a[0]}: the witness changed")
            elif a[1] != b[1]:
                found.setdefault("part", f"{cid} / {a[0]}: {a[1]} → {b[1]}")
            elif a[2] != b[2]:
                found.setdefault("part", f"{cid} / {a[0]}: the witness changed")
            elif a[3] != b[3] and a[3] is not None:
                field = next(n for n, x, y in zip(("cases", "summary", "statistics", "steps"), a[3], b[3]) if x != y)
                shown = f": {b[3][1]}"[:160] if field == "summary" else ""
                found.setdefault("evidence", f"{cid} / {a[0]}: {field} changed{shown}")
    for level in ("gate", "part", "evidence"):
        if level in found:
            return level, found[level]
    return None, "every part's verdict unchanged"


def killed(baseline: dict, mutated: dict) -> tuple[bool, str]:
    """(killed?, how): killed at either detection level."""
    level, how = detection(baseline, mutated)
    return level is not None, how if level is None else f"[{level}] {how}"


def stable(first: dict, second: dict) -> dict:
    """The baseline with evidence that differs between two unmutated runs blanked (never compared)."""
    if "usage" in first or "!" in first:
        return first
    out = {}
    for cid, parts in first.items():
        again = dict((p[0], p) for p in second.get(cid, ()))
        out[cid] = [p if again.get(p[0]) == p else (*p[:3], None) for p in parts]
    return out


def _compare_blanked(baseline: dict, mutated: dict) -> dict:
    """Copy evidence from the mutated run where the baseline blanked it (unstable: not compared)."""
    if "!" in mutated or "usage" in mutated or "usage" in baseline:
        return mutated
    out = dict(mutated)
    for cid, parts in baseline.items():
        if cid in out and len(out[cid]) == len(parts):
            out[cid] = [b if a[3] is not None else (*b[:3], None) for a, b in zip(parts, out[cid])]
    return out


def judge(baseline: dict, mutated: dict) -> tuple[str | None, str]:
    """Compare a mutant's run with the baseline, on the claims the mutant's run reports (a union
    baseline holds more)."""
    if "usage" not in baseline and "!" not in baseline and "!" not in mutated and "usage" not in mutated:
        missing = [cid for cid in mutated if cid not in baseline]
        if missing:
            return "gate", f"claims not in the baseline run: {', '.join(missing)}"
        baseline = {cid: parts for cid, parts in baseline.items() if cid in mutated}
    return detection(baseline, _compare_blanked(baseline, mutated))


def split(claims: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(options, claim ids) of a mutant's argument list: options are --module/--bound/--jobs and their values."""
    options, ids, it = [], [], iter(claims)
    for a in it:
        if a in ("--module", "--bound", "--jobs"):
            options += [a, next(it)]
        else:
            ids.append(a)
    return tuple(options), tuple(ids)


def baselines(mutants, runner=None) -> dict[tuple[str, ...], dict]:
    """The unmutated outcome for every mutant's claims: one run per option set over the union of
    the ids (a --bound option set, which may be refused, runs with the mutant's own ids), run twice
    and compared (`stable`).  {mutant claims tuple: baseline}."""
    import concurrent.futures
    groups: dict[tuple[str, ...], set[str]] = {}
    for m in mutants:
        options, ids = split(m.claims)
        key = options if "--bound" not in options else m.claims
        groups.setdefault(key, set()).update(ids)
    args = {key: (key if "--bound" in key else key + tuple(sorted(ids))) for key, ids in groups.items()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runs = {key: (pool.submit(outcome, a), pool.submit(outcome, a)) for key, a in args.items()}
        stable_runs = {key: stable(f.result(), g.result()) for key, (f, g) in runs.items()}
    out = {}
    for m in mutants:
        options, _ = split(m.claims)
        out[m.claims] = stable_runs[options if "--bound" not in options else m.claims]
    return out


def main(argv: list[str]) -> int:
    from .mutants import MUTANTS
    chosen = [m for m in MUTANTS if not argv or m.id in argv]
    unknown = set(argv) - {m.id for m in MUTANTS}
    if unknown:
        print(f"no such mutant: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    base = baselines(chosen)
    for m in chosen:
        level, how = judge(base[m.claims], outcome(m.claims, m))
        print(f"{'SURVIVED' if level is None else 'killed  '} {m.id} ({level or '-'}): {how}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
