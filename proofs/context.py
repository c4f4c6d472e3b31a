"""What a check is given when it runs: its resolved domain, its time budget and a progress hook."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["CheckContext"]


def _no_progress(message: str) -> None:
    return None


@dataclass(frozen=True)
class CheckContext:
    """Passed to every `Part.check`.

    `domain` is the part's resolved `Domain` (its schema's defaults with the user's bounds applied,
    already validated): read values as `ctx.domain["B"]`.  `budget` is the part's wall-clock
    allowance in seconds; the runner kills a check that overruns it, but a long search should look
    at `remaining()` and stop early with `unknown(..., covered=...)` saying what it did cover.
    """

    domain: Any = None
    budget: float = 60.0
    deadline: float = field(default_factory=lambda: time.monotonic() + 60.0)
    report_progress: Callable[[str], None] = _no_progress
    claim_id: str = ""
    part: str = ""
    uses: tuple[str, ...] = ()          # the claims this claim declares it uses
    shards: int = 1                     # processes an enumeration may split over (proofs/shards.py)

    @classmethod
    def start(cls, domain: Any, budget: float, report_progress: Callable[[str], None] = _no_progress,
              claim_id: str = "", part: str = "", uses: tuple[str, ...] = (), shards: int = 1) -> "CheckContext":
        return cls(domain, budget, time.monotonic() + budget, report_progress, claim_id, part, tuple(uses),
                   max(1, int(shards)))

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def progress(self, message: str) -> None:
        self.report_progress(str(message))
