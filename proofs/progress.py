"""Progress of a run on stderr: a live line on a terminal, one plain line per finished claim in logs."""
from __future__ import annotations

import sys
import time

from .runner import RunEvent
from .verdicts import PartResult, Role, claim_status

__all__ = ["Progress"]


class Progress:
    """Progress on stderr: a live line on a terminal, one line per finished claim otherwise."""

    def __init__(self, enabled: bool, claims) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.parts_left = {c.id: len(c.parts) for c in claims}
        self.roles = {(c.id, part.name): part.role for c in claims for part in c.parts}
        self.finished: dict[str, list[PartResult]] = {}
        self.done_claims = 0
        self.n_claims = len(claims)
        self.t0 = time.monotonic()

    def __call__(self, e: RunEvent) -> None:
        if not self.enabled:
            return
        if e.kind == "done" and e.verdict is not None:
            # the claim's own status by its parts' roles (a failing cross-check beside a proved route
            # does not make a proved claim read "verified"), the same rule as the final table
            role = self.roles.get((e.claim_id, e.part), Role.CONJUNCT)
            self.finished.setdefault(e.claim_id, []).append(PartResult(e.part, e.verdict, role))
            self.parts_left[e.claim_id] -= 1
            if self.parts_left[e.claim_id] == 0:
                self.done_claims += 1
                status = claim_status(self.finished[e.claim_id])[0]
                line = (f"[{self.done_claims}/{self.n_claims}] {e.claim_id:<12} "
                        f"{status.value:<9} {time.monotonic() - self.t0:7.1f}s")
                self._emit(line, final=True)
        elif e.kind in ("start", "progress") and self.tty:
            msg = f" — {e.message}" if e.message else ""
            self._emit(f"{self.bar()} {self.done_claims}/{self.n_claims} · {e.claim_id} · {e.part}{msg}"[:118],
                       final=False)

    def bar(self, width: int = 20) -> str:
        """A bar of the claims finished, for the live line on a terminal."""
        full = width * self.done_claims // max(1, self.n_claims)
        return "█" * full + "░" * (width - full)

    def _emit(self, line: str, final: bool) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K" + line + ("\n" if final else ""))
        elif final:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
