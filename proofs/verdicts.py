"""Verdicts: what a check found, as frozen, JSON-serialisable data.

A verdict carries its status, the method used, the domain actually covered,
a one-line summary, the full evidence, an exact witness when refuted, the wall
time and the tool versions.  Only PROVED, VERIFIED, CERTIFIED and TESTED pass
a gate; UNKNOWN and ERROR never do.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from enum import Enum
from fractions import Fraction
from typing import Any, Iterable, Mapping

__all__ = [
    "Status", "Evidence", "Witness", "Verdict", "PartResult", "ClaimResult", "Report",
    "exact_text", "proved", "verified", "certified", "tested", "refuted", "unknown", "error",
]


class Status(Enum):
    PROVED = "proved"        # symbolic proof for every parameter value; each step checked
    VERIFIED = "verified"    # exhaustive enumeration or z3 unsat over the stated finite domain
    CERTIFIED = "certified"  # rigorous interval arithmetic over the stated range
    TESTED = "tested"        # randomised search found no counterexample; never a proof
    REFUTED = "refuted"      # an exact counterexample, re-checked by direct evaluation
    UNKNOWN = "unknown"      # timeout, resource limit, undecided step, not encoded: never a pass
    ERROR = "error"          # the check itself failed (exception, crash): never a pass

    @property
    def passes(self) -> bool:
        """True for the four statuses that may pass a gate."""
        return self in _PASSING

    @property
    def strength(self) -> int:
        """Order used to pick a claim's weakest part (higher = stronger)."""
        return _STRENGTH[self]


_PASSING = frozenset({Status.PROVED, Status.VERIFIED, Status.CERTIFIED, Status.TESTED})
_STRENGTH = {
    Status.REFUTED: 0, Status.ERROR: 1, Status.UNKNOWN: 2, Status.TESTED: 3,
    Status.CERTIFIED: 4, Status.VERIFIED: 5, Status.PROVED: 6,
}

Pairs = tuple[tuple[str, str], ...]


def exact_text(value: Any) -> str:
    """Exact text of a value: Fractions as 'p/q', sympy objects as sympy prints them.

    Floats are refused: a witness or an observed value must be exact.
    """
    if isinstance(value, float):
        raise TypeError(f"inexact float {value!r} in a verdict; use Fraction or sympy")
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(exact_text(v) for v in value) + ")"
    return str(value)


def _pairs(mapping: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> Pairs:
    if mapping is None:
        return ()
    items = mapping.items() if isinstance(mapping, Mapping) else mapping
    return tuple((str(k), exact_text(v)) for k, v in items)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: sympy steps, a z3 query and its statistics, an enclosure."""

    kind: str               # "sympy", "derivation", "z3", "interval", "enumeration", "note", ...
    summary: str            # one line
    text: str = ""          # full text: the steps, the SMT-LIB query, the enclosures
    stats: Pairs = ()       # e.g. (("z3.conflicts", "12"), ("cases", "4096"))


@dataclass(frozen=True)
class Witness:
    """An exact counterexample and what direct evaluation of it gave."""

    assignment: Pairs       # the inputs, exact: (("delta", "1/2"), ("n", "2"))
    observed: Pairs = ()    # exact values from plain evaluation: (("lhs", "5"), ("rhs", "3"))
    recheck: str = ""       # how the witness was re-checked

    @classmethod
    def of(cls, assignment: Mapping[str, Any], observed: Mapping[str, Any] | None = None,
           recheck: str = "") -> "Witness":
        return cls(_pairs(assignment), _pairs(observed), recheck)

    def describe(self) -> str:
        inputs = ", ".join(f"{k}={v}" for k, v in self.assignment) or "(no free parameters)"
        seen = ", ".join(f"{k}={v}" for k, v in self.observed)
        return inputs + (f" ⇒ {seen}" if seen else "")


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one part of a claim."""

    status: Status
    method: str
    domain: str
    summary: str
    evidence: tuple[Evidence, ...] = ()
    witness: Witness | None = None
    seconds: float = 0.0
    tools: Pairs = ()

    def __post_init__(self) -> None:
        if not isinstance(self.status, Status):
            raise TypeError(f"Verdict.status must be a Status, not {self.status!r}")
        if self.status is Status.REFUTED and self.witness is None:
            raise ValueError("a refuted verdict needs an exact witness")

    @property
    def passes(self) -> bool:
        return self.status.passes

    def timed(self, seconds: float, tools: Pairs = ()) -> "Verdict":
        return replace(self, seconds=seconds, tools=tools or self.tools)


def _verdict(status: Status, method: str, domain: str, summary: str, evidence=(), witness=None) -> Verdict:
    return Verdict(status, method, domain, summary, tuple(evidence), witness)


def proved(method: str, summary: str, evidence=(), domain: str = "") -> Verdict:
    return _verdict(Status.PROVED, method, domain, summary, evidence)


def verified(method: str, domain: str, summary: str, evidence=()) -> Verdict:
    return _verdict(Status.VERIFIED, method, domain, summary, evidence)


def certified(method: str, domain: str, summary: str, evidence=()) -> Verdict:
    return _verdict(Status.CERTIFIED, method, domain, summary, evidence)


def tested(method: str, domain: str, summary: str, evidence=()) -> Verdict:
    return _verdict(Status.TESTED, method, domain, summary, evidence)


def refuted(method: str, domain: str, summary: str, witness: Witness, evidence=()) -> Verdict:
    return _verdict(Status.REFUTED, method, domain, summary, evidence, witness)


def unknown(method: str, domain: str, reason: str, evidence=()) -> Verdict:
    return _verdict(Status.UNKNOWN, method, domain, reason, evidence)


def error(method: str, domain: str, message: str, evidence=()) -> Verdict:
    return _verdict(Status.ERROR, method, domain, message, evidence)


@dataclass(frozen=True)
class PartResult:
    name: str
    verdict: Verdict


@dataclass(frozen=True)
class ClaimResult:
    """All part verdicts of one claim; the claim's status is its weakest part's."""

    claim_id: str
    title: str
    paper: str
    source: str
    statement: str
    parts: tuple[PartResult, ...]

    @property
    def weakest(self) -> Verdict:
        return min((p.verdict for p in self.parts), key=lambda v: v.status.strength)

    @property
    def status(self) -> Status:
        return self.weakest.status

    @property
    def seconds(self) -> float:
        return sum(p.verdict.seconds for p in self.parts)


@dataclass(frozen=True)
class Report:
    """One run of `mechproof check`: every claim result plus run metadata."""

    results: tuple[ClaimResult, ...]
    started: str                       # ISO 8601, seconds, no timezone (UTC)
    seconds: float
    tools: Pairs = ()
    interrupted: bool = False
    settings: Pairs = ()               # budget, bounds, ... as used

    def counts(self) -> dict[Status, int]:
        out = {s: 0 for s in Status}
        for r in self.results:
            out[r.status] += 1
        return out

    # --- JSON round trip -------------------------------------------------
    def to_dict(self) -> dict:
        data = _encode(asdict(self))
        for entry, result in zip(data["results"], self.results):
            entry["status"] = result.status.value  # derived; ignored by from_dict
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Report":
        def verdict(d: Mapping[str, Any]) -> Verdict:
            w = d.get("witness")
            return Verdict(
                status=Status(d["status"]), method=d["method"], domain=d["domain"],
                summary=d["summary"],
                evidence=tuple(Evidence(e["kind"], e["summary"], e.get("text", ""), _tuplify(e.get("stats", ())))
                               for e in d.get("evidence", ())),
                witness=None if w is None else Witness(_tuplify(w["assignment"]), _tuplify(w.get("observed", ())),
                                                       w.get("recheck", "")),
                seconds=float(d.get("seconds", 0.0)), tools=_tuplify(d.get("tools", ())),
            )

        results = tuple(
            ClaimResult(r["claim_id"], r["title"], r["paper"], r["source"], r["statement"],
                        tuple(PartResult(p["name"], verdict(p["verdict"])) for p in r["parts"]))
            for r in data["results"]
        )
        return cls(results, data["started"], float(data["seconds"]), _tuplify(data.get("tools", ())),
                   bool(data.get("interrupted", False)), _tuplify(data.get("settings", ())))

    @classmethod
    def from_json(cls, text: str) -> "Report":
        return cls.from_dict(json.loads(text))


def _tuplify(pairs: Iterable[Iterable[str]]) -> Pairs:
    return tuple((str(a), str(b)) for a, b in pairs)


def _encode(obj: Any) -> Any:
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, dict):
        return {k: _encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode(v) for v in obj]
    if isinstance(obj, Fraction):
        return str(obj)
    return obj
