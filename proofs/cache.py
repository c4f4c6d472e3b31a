"""The result cache: a part's verdict kept under a content hash of everything it depends on.

The key of a part is a SHA-256 over: mechproof's version and the digest of every source file of the
installed package (so any change to a mechanism, model or engine of mechproof re-runs everything),
the versions of the tools, the claim id, the part's name, method and role, its resolved domain
(values and text), and — for a claim from a user module — the text of that module file (a
one-character change to your mechanism re-runs its claims). Not covered: files your module imports
or reads; after changing those, use `--no-cache` or `mechproof cache clear`.

Only verdicts that do not depend on the budget are kept: proved, verified, certified, tested (its
seed is part of the verdict) and refuted (its witness replayed when it was found). Unknown and
error are always re-run. A hit is marked `cached` in the report and the table. A cache file that
cannot be read is ignored (and removed): the part is run again, never passed.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .verdicts import Status, Verdict, _verdict_dict, _verdict_from

__all__ = ["ResultCache", "package_digest", "CACHEABLE"]

CACHEABLE = (Status.PROVED, Status.VERIFIED, Status.CERTIFIED, Status.TESTED, Status.REFUTED)
FOLDER = "cache"


@lru_cache(maxsize=1)
def package_digest() -> str:
    """SHA-256 over the relative path and bytes of every .py file of the installed mechproof package."""
    import mechproof
    root = Path(mechproof.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        h.update(str(path.relative_to(root)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


class ResultCache:
    """Verdicts by key in STATE_DIR/cache/, one JSON file each (written atomically)."""

    def __init__(self, state_dir: Path | str, enabled: bool = True, tools: tuple = ()) -> None:
        self.folder = Path(state_dir) / FOLDER
        self.enabled = enabled
        self.tools = tools

    def key(self, claim: Any, part: Any, domain: Any, origin: str = "") -> str:
        from . import __version__
        user = _file_digest(origin) if origin and origin.endswith(".py") else ""
        values = sorted((k, repr(v)) for k, v in dict(domain.values).items()) if domain is not None else []
        payload = json.dumps([__version__, package_digest(), [list(t) for t in self.tools], claim.id, claim.source, part.name,
                              part.method.name, part.role.value, values, domain.text if domain is not None else "",
                              list(claim.uses), user], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    def get(self, key: str) -> Verdict | None:
        if not self.enabled:
            return None
        path = self.folder / f"{key}.json"
        if not path.is_file():
            return None
        try:
            verdict = _verdict_from(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            try:
                path.unlink()
            except OSError:
                pass
            return None
        if verdict.status not in CACHEABLE:
            return None
        return verdict.with_cached()

    def put(self, key: str, verdict: Verdict) -> None:
        if not self.enabled or verdict.status not in CACHEABLE or verdict.cached:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".json", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(_verdict_dict(verdict), f, ensure_ascii=False)
            os.replace(tmp, self.folder / f"{key}.json")
        except OSError:
            pass                      # a cache that cannot be written is only slower

    def clear(self) -> int:
        removed = 0
        if self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                try:
                    path.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed
