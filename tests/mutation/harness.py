"""Run a claim check against a mutated copy of mechproof's source, through the real CLI.

A mutant is a text edit of one source file (exactly one occurrence of `find` replaced). The harness
copies the four source folders into a temporary package layout (proofs/ → mechproof/, mechanisms/ →
mechproof/mechanisms/, …), applies the edit, and runs `mechproof check CLAIMS --format json` in a
fresh interpreter whose import path starts there. The mutant is *killed* when any part's status
(or a refutation's witness) differs from the run on the unmutated source, or the run fails
(a crash, exit 70, no report); it *survives* when every outcome is identical.
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
    """{claim id: [(part, status, witness), …]} of a run on the (mutated) source; {"!": why} on failure."""
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
        if proc.returncode not in (0, 1, 2) or not report.is_file():
            tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
            return {"!": f"exit {proc.returncode}: {tail[:200]}"}
        data = json.loads(report.read_text(encoding="utf-8"))
    return {r["claim_id"]: [(p["name"], p["verdict"]["status"],
                             None if p["verdict"]["witness"] is None else p["verdict"]["witness"]["assignment"])
                            for p in r["parts"]]
            for r in data["results"]}


def killed(baseline: dict, mutated: dict) -> tuple[bool, str]:
    """(killed?, how) comparing a mutant's outcome with the baseline's."""
    if "!" in mutated:
        return True, mutated["!"]
    for cid, parts in baseline.items():
        other = mutated.get(cid)
        if other != parts:
            changed = [f"{a[0]}: {a[1]} → {b[1]}" for a, b in zip(parts, other or []) if a != b]
            return True, f"{cid}: " + ("; ".join(changed[:2]) or "parts differ")
    return False, "every part's status and witness unchanged"
