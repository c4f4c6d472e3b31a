"""Running one z3 query under a budget and keeping what happened as evidence.

A z3 `timeout` is not always honoured (some tactics ignore it), so every query
also gets a resource limit (`rlimit`) derived from its seconds, and callers pass
the seconds they really have left (`CheckContext.remaining()` minus a margin).
The outcome keeps z3's statistics and the SMT-LIB text of the query (capped,
with the SHA-256 of the full text) so that a verdict can show what was asked.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

__all__ = [
    "QueryOutcome", "RLIMIT_PER_SECOND", "SMT2_CAP", "budget_rlimit", "configure_budget",
    "run_check", "smt2_text", "statistics_pairs", "z3_fraction",
]

# z3 resource units per wall-clock second; generous so that the timeout, not the
# rlimit, normally stops a query (the rlimit is the backstop when it does not).
RLIMIT_PER_SECOND = 20_000_000
SMT2_CAP = 20_000  # characters of SMT-LIB text kept in an outcome


@dataclass(frozen=True)
class QueryOutcome:
    """The result of one `check()`: sat / unsat / unknown, with statistics and query text."""

    result: str                           # "sat", "unsat" or "unknown"
    reason: str                           # z3's reason_unknown for "unknown", else ""
    seconds: float
    stats: tuple[tuple[str, str], ...]    # z3 statistics, as text
    smt2: str                             # SMT-LIB text of the query (first SMT2_CAP chars)
    smt2_chars: int                       # length of the full text
    smt2_sha256: str                      # digest of the full text

    @property
    def decided(self) -> bool:
        return self.result in ("sat", "unsat")


def budget_rlimit(seconds: float) -> int:
    """The resource limit that backs up a wall-clock budget of `seconds`."""
    return max(1, int(max(seconds, 0.01) * RLIMIT_PER_SECOND))


def configure_budget(solver: Any, seconds: float, rlimit: int | None = None) -> None:
    """Set timeout (ms) and rlimit on a z3 Solver or Optimize."""
    ms = max(1, int(seconds * 1000))
    solver.set("timeout", ms)
    solver.set("rlimit", rlimit if rlimit is not None else budget_rlimit(seconds))


def smt2_text(solver: Any) -> str:
    """The SMT-LIB 2 text of the assertions (and objectives) of `solver`."""
    return solver.sexpr()


def statistics_pairs(solver: Any) -> tuple[tuple[str, str], ...]:
    """z3's statistics of the last check, as (key, value) text pairs."""
    try:
        st = solver.statistics()
    except z3.Z3Exception:  # pragma: no cover - no statistics before a check
        return ()
    pairs = []
    for key in st.keys():
        pairs.append((f"z3.{key}", str(st.get_key_value(key))))
    return tuple(pairs)


def run_check(solver: Any, seconds: float, rlimit: int | None = None,
              keep_query: bool = True) -> QueryOutcome:
    """`solver.check()` under the budget; the model, if any, stays on `solver`."""
    configure_budget(solver, seconds, rlimit)
    text = smt2_text(solver) if keep_query else ""
    started = time.monotonic()
    try:
        answer = solver.check()
        result = str(answer)
        reason = solver.reason_unknown() if answer == z3.unknown else ""
    except z3.Z3Exception as exc:  # resource exhaustion can surface as an exception
        result, reason = "unknown", f"z3 exception: {exc}"
    seconds_used = time.monotonic() - started
    digest = hashlib.sha256(text.encode()).hexdigest() if keep_query else ""
    return QueryOutcome(result, reason, seconds_used, statistics_pairs(solver),
                        text[:SMT2_CAP], len(text), digest)


def z3_fraction(value: Any) -> Fraction:
    """An exact Fraction from a z3 rational numeral (refuses algebraic numbers)."""
    if z3.is_rational_value(value):
        return Fraction(value.numerator_as_long(), value.denominator_as_long())
    if z3.is_int_value(value):
        return Fraction(value.as_long())
    raise ValueError(f"z3 value {value} is not a rational numeral")
