"""What a check is given when it runs: its time budget, bounds and a progress hook."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

__all__ = ["CheckContext"]


def _no_progress(message: str) -> None:
    return None


@dataclass(frozen=True)
class CheckContext:
    """Passed to every `Part.check`.

    `budget` is the part's wall-clock allowance in seconds; the runner kills a
    check that overruns it (so a check need not police itself, but a long
    search should look at `remaining()` and stop early with `unknown`).
    `bounds` are the user's overrides from `[tool.mechproof.bounds]` or
    `--bound KEY=VALUE` (values are exact: int, Fraction or tuples of them).
    """

    budget: float = 60.0
    deadline: float = field(default_factory=lambda: time.monotonic() + 60.0)
    bounds: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    report_progress: Callable[[str], None] = _no_progress
    claim_id: str = ""          # the claim being checked: bounds may be scoped to it

    @classmethod
    def start(cls, budget: float, bounds: Mapping[str, Any] | None = None,
              report_progress: Callable[[str], None] = _no_progress, claim_id: str = "") -> "CheckContext":
        return cls(budget, time.monotonic() + budget, MappingProxyType(dict(bounds or {})), report_progress,
                   claim_id)

    def bound(self, key: str, default: Any) -> Any:
        """The user's value for bound `key` (e.g. "B", "n", "delta"), else `default`.

        A bound scoped to this claim (`--bound CMZ-T4.B=20`) wins over a global one (`--bound B=20`).
        """
        scoped = f"{self.claim_id}.{key}"
        if self.claim_id and scoped in self.bounds:
            return self.bounds[scoped]
        return self.bounds.get(key, default)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def progress(self, message: str) -> None:
        self.report_progress(message)
