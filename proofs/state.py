"""The state file `.mechproof/last.json`: every claim's last verdict, for `mechproof show`.

Written atomically (a temporary file in the same directory, then rename) under an exclusive lock,
and merged with whatever another run wrote in the meantime, so two runs finishing together both
keep their results.  A corrupted file is moved aside (`last.json.corrupt-<time>`) with a one-line
warning; it never crashes a run.
"""
from __future__ import annotations

import fcntl
import os
import tempfile
import time
from pathlib import Path

from .verdicts import ClaimResult, Report

__all__ = ["STATE_FILE", "load_state", "save_state"]

STATE_FILE = "last.json"
MAX_STATE_BYTES = 64 << 20


def _read(path: Path) -> tuple[dict[str, ClaimResult], str]:
    """(results by claim id, a warning or "")."""
    if not path.is_file():
        return {}, ""
    try:
        if path.stat().st_size > MAX_STATE_BYTES:
            raise ValueError(f"larger than {MAX_STATE_BYTES >> 20} MiB")
        text = path.read_text(encoding="utf-8")
        return {r.claim_id: r for r in Report.from_json(text).results}, ""
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError, MemoryError) as exc:
        return {}, f"{path} is unreadable ({str(exc)[:120]})"
    except OSError as exc:
        return {}, f"{path} cannot be read: {exc.strerror or exc}"


def load_state(state_dir: Path) -> tuple[dict[str, ClaimResult], str]:
    """The stored results and a warning ("" if none); never raises."""
    return _read(Path(state_dir) / STATE_FILE)


def save_state(state_dir: Path, report: Report) -> str:
    """Merge this run's results into DIR/last.json; returns a warning ("" on success), never raises."""
    state_dir = Path(state_dir)
    path = state_dir / STATE_FILE
    warning = ""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        with open(state_dir / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            old, problem = _read(path)
            if problem:
                aside = path.with_name(f"{STATE_FILE}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
                try:
                    os.replace(path, aside)
                    warning = f"{problem}; moved aside to {aside.name}"
                except OSError:
                    warning = problem
            for r in report.results:
                old[r.claim_id] = r
            merged = Report(tuple(old.values()), report.started, report.seconds, report.tools, report.interrupted,
                            report.settings)
            fd, tmp = tempfile.mkstemp(prefix=".last-", suffix=".json", dir=state_dir)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(merged.to_json())
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
    except OSError as exc:
        return f"could not save verdicts to {state_dir}: {exc.strerror or exc}"
    return warning
