"""Verdicts: what a check found, as frozen, JSON-serialisable data.

A check returns one of `proved`, `verified`, `certified`, `tested`, `refuted`, `unknown`,
`error` (keyword arguments only).  The core, not the check, stamps the part's method, the domain
text rendered from the resolved domain and the hypotheses the part states; it rejects a pass over
zero cases and replays every witness before a refutation is reported (`mechproof.kernel`).

Only PROVED, VERIFIED, CERTIFIED and TESTED pass a gate; UNKNOWN and ERROR never do.  A claim's
status follows its parts' roles (`claim_status`) and then the claims it uses (`ClaimResult.given`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Iterable, Mapping

__all__ = [
    "Status", "Role", "Evidence", "Witness", "Evaluation", "Verdict", "PartResult", "ClaimResult", "Report",
    "exact_text", "claim_status", "proved", "verified", "certified", "tested", "refuted", "unknown", "error",
]


class Status(Enum):
    PROVED = "proved"        # symbolic proof for every parameter value; each step checked
    VERIFIED = "verified"    # exhaustive enumeration or z3 unsat over the stated finite domain
    CERTIFIED = "certified"  # rigorous interval arithmetic over the stated range
    TESTED = "tested"        # randomised search found no counterexample; never a proof
    REFUTED = "refuted"      # an exact counterexample, replayed by plain evaluation
    UNKNOWN = "unknown"      # timeout, resource limit, undecided step, not encoded: never a pass
    ERROR = "error"          # the check itself failed, or its evidence did not hold up: never a pass

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


class Role(Enum):
    """What a part's verdict contributes to its claim's status (`claim_status`)."""

    CONJUNCT = "conjunct"          # the claim needs every conjunct: the weakest decides
    ROUTE = "route"                # a complete argument on its own: the claim takes its strongest passing route
    CROSS_CHECK = "cross-check"    # corroboration: never lowers the tier; a refutation beside a pass is an error
    AS_PRINTED = "as-printed"      # the statement exactly as the paper prints it (shown beside its reading)
    READING = "reading"            # the statement under a stated reading (Part.reading says which)


Pairs = tuple[tuple[str, str], ...]
USE_KINDS = ("reading", "convention")     # "ID:reading", "ID:convention" in Claim.uses (`with_dependencies`)


def _inexact(value: Any) -> bool:
    if isinstance(value, (float, complex)):
        return True
    atoms = getattr(value, "atoms", None)
    if callable(atoms) and type(value).__module__.startswith("sympy"):
        import sympy
        try:
            return bool(value.atoms(sympy.Float))
        except TypeError:
            return False
    return False


def exact_text(value: Any) -> str:
    """Exact text of a value: Fractions as 'p/q', sympy objects as sympy prints them.

    Floats (Python or sympy `Float`) are refused: a witness or an observed value must be exact.
    """
    if _inexact(value):
        raise TypeError(f"inexact number {value!r} in a verdict; use Fraction or an exact sympy value")
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(exact_text(v) for v in value) + ")"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(exact_text(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{exact_text(k)}: {exact_text(v)}" for k, v in value.items()) + "}"
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
    """An exact counterexample: the point (as exact text and, until replayed, as the values
    themselves) and what plain evaluation of it gave."""

    assignment: Pairs       # the inputs, exact: (("delta", "1/2"), ("n", "2"))
    observed: Pairs = ()    # exact values from plain evaluation: (("lhs", "5"), ("rhs", "3"))
    recheck: str = ""       # how the witness was re-checked
    values: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, point: Mapping[str, Any], observed: Mapping[str, Any] | None = None,
           recheck: str = "") -> "Witness":
        """The witness at `point` (exact values only: floats are refused)."""
        items = tuple((str(k), v) for k, v in (point.items() if isinstance(point, Mapping) else point))
        return cls(_pairs(items), _pairs(observed), recheck, items)

    @property
    def point(self) -> dict[str, Any]:
        """The exact values of the point (available in the process that found the witness)."""
        return dict(self.values)

    def describe(self) -> str:
        inputs = ", ".join(f"{k}={v}" for k, v in self.assignment) or "(no free parameters)"
        seen = ", ".join(f"{k}={v}" for k, v in self.observed)
        return inputs + (f" ⇒ {seen}" if seen else "")


@dataclass(frozen=True)
class Evaluation:
    """A property evaluated at one point by plain exact evaluation: does it hold, and the values
    that decide it.  `holds` is None when the evaluation could not decide."""

    holds: bool | None
    observed: Pairs = ()
    note: str = ""

    @classmethod
    def of(cls, holds: bool | None, observed: Mapping[str, Any] | None = None, note: str = "") -> "Evaluation":
        if holds is not None and not isinstance(holds, bool):
            holds = bool(holds)
        return cls(holds, _pairs(observed), note)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one part of a claim."""

    status: Status
    method: str = ""                    # stamped by the core from the part's Method
    domain: str = ""                    # stamped by the core from the resolved domain
    summary: str = ""
    evidence: tuple[Evidence, ...] = ()
    witness: Witness | None = None
    seconds: float = 0.0
    tools: Pairs = ()
    cases: int | None = None            # cases examined by a bounded check
    covered: str = ""                   # what an unfinished check did cover ("B ≤ 8 of 16")
    assumes: tuple[str, ...] = ()       # hypotheses the verdict depends on
    seed: int | None = None             # the seed of a random search
    cached: bool = False                # taken from the result cache (proofs/cache.py), not run now
    # items for `check --certificates` (proofs/certificates.py); never saved in the state file
    certificate: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.status, Status):
            raise TypeError(f"Verdict.status must be a Status, not {self.status!r}")
        if self.status is Status.REFUTED and not isinstance(self.witness, Witness):
            raise ValueError("a refuted verdict needs an exact Witness")
        if not isinstance(self.summary, str):
            raise TypeError(f"a verdict's summary must be a string, not {type(self.summary).__name__}")
        if not isinstance(self.evidence, tuple) or not all(isinstance(e, Evidence) for e in self.evidence):
            raise TypeError("a verdict's evidence must be a tuple of Evidence")

    @property
    def passes(self) -> bool:
        return self.status.passes

    def timed(self, seconds: float, tools: Pairs = ()) -> "Verdict":
        return replace(self, seconds=seconds, tools=tools or self.tools)

    def with_cached(self) -> "Verdict":
        """The verdict as a cache hit: marked, and taking no time now."""
        return replace(self, cached=True, seconds=0.0)


def _ev(evidence) -> tuple[Evidence, ...]:
    if isinstance(evidence, Evidence):
        return (evidence,)
    return tuple(evidence)


def proved(*, summary: str, evidence=(), assumes: tuple[str, ...] = ()) -> Verdict:
    """Every parameter value, by a symbolic argument whose steps are in `evidence` (and the stated
    hypotheses `assumes`, shown with the verdict)."""
    return Verdict(Status.PROVED, summary=summary, evidence=_ev(evidence), assumes=tuple(assumes))


def verified(*, cases: int, summary: str, evidence=()) -> Verdict:
    """Every one of `cases` cases of the part's finite domain was checked exactly."""
    return Verdict(Status.VERIFIED, summary=summary, evidence=_ev(evidence), cases=cases)


def certified(*, summary: str, evidence=(), cases: int | None = None) -> Verdict:
    """Rigorous enclosures over the part's range (`cases`: boxes or points examined, if counted)."""
    return Verdict(Status.CERTIFIED, summary=summary, evidence=_ev(evidence), cases=cases)


def tested(*, cases: int, seed: int | None, summary: str, evidence=()) -> Verdict:
    """A random search of `cases` examples from `seed` found nothing: never a proof."""
    return Verdict(Status.TESTED, summary=summary, evidence=_ev(evidence), cases=cases, seed=seed)


tested.__test__ = False     # a verdict constructor, not a test: pytest must not collect it where imported


def refuted(*, witness: Witness, summary: str, evidence=()) -> Verdict:
    """An exact counterexample; the core replays it before it is reported."""
    return Verdict(Status.REFUTED, summary=summary, evidence=_ev(evidence), witness=witness)


def unknown(*, reason: str, evidence=(), covered: str = "") -> Verdict:
    """Undecided: a timeout, a limit, an undecided step, not encoded.  `covered` says what was done."""
    return Verdict(Status.UNKNOWN, summary=reason, evidence=_ev(evidence), covered=covered)


def error(*, message: str, evidence=()) -> Verdict:
    """The check failed, or its evidence did not hold up."""
    return Verdict(Status.ERROR, summary=message, evidence=_ev(evidence))


# ------------------------------------------------------------------ claims
@dataclass(frozen=True)
class PartResult:
    name: str
    verdict: Verdict
    role: Role = Role.CONJUNCT
    reading: str = ""           # for a reading: the convention or restriction it adopts


def claim_status(parts: Iterable[PartResult]) -> tuple[Status, str]:
    """A claim's own status from its parts' roles, and a note when roles disagree.

    Conjuncts, as-printed parts and readings all count (the weakest decides).  Routes count as one:
    their strongest pass, else their weakest failure; a route refuted beside a passing one is an
    error.  Cross-checks never lower the tier, but a refuted cross-check beside a passing or an
    undecided claim is an error (the two disagree), and so is a crashed one.
    """
    parts = list(parts)
    counted = [p.verdict.status for p in parts if p.role in (Role.CONJUNCT, Role.AS_PRINTED, Role.READING)]
    routes = [p for p in parts if p.role is Role.ROUTE]
    note = ""
    if routes:
        passing = [p.verdict.status for p in routes if p.verdict.passes]
        refuting = [p for p in routes if p.verdict.status is Status.REFUTED]
        if passing and refuting:
            counted.append(Status.ERROR)
            note = (f"routes disagree: {refuting[0].name!r} is refuted while another route passes")
        elif passing:
            counted.append(max(passing, key=lambda s: s.strength))
        else:
            counted.append(min((p.verdict.status for p in routes), key=lambda s: s.strength))
    if not counted:
        return Status.ERROR, "no part decides the claim (only cross-checks)"
    status = min(counted, key=lambda s: s.strength)
    for p in parts:
        if p.role is not Role.CROSS_CHECK:
            continue
        if p.verdict.status is Status.ERROR:
            status, note = Status.ERROR, f"cross-check {p.name!r} failed: {p.verdict.summary}"
        elif p.verdict.status is Status.REFUTED and (status.passes or status is Status.UNKNOWN):
            status, note = Status.ERROR, (f"cross-check {p.name!r} is refuted while the claim is "
                                          f"{status.value}: the two disagree")
    return status, note


@dataclass(frozen=True)
class ClaimResult:
    """All part verdicts of one claim, the claims it uses, and those of them that did not pass."""

    claim_id: str
    title: str
    paper: str
    source: str
    statement: str
    parts: tuple[PartResult, ...]
    uses: tuple[str, ...] = ()
    given: Pairs = ()           # (claim id, status) of each used claim that did not pass
    why_not_proved: str = ""    # the claim's stated reason for a tier below proved (Claim.why_not_proved)
    rests_on: Pairs = ()        # (claim id, status) of each used claim that passes, but below proved

    @property
    def below_proved(self) -> bool:
        """True when it passes, but below `proved` (verified, certified or tested)."""
        return self.status.passes and self.status is not Status.PROVED

    @property
    def tier_reason(self) -> str:
        """Why it is below proved: the reason it states, else the claims it rests on; "" when neither."""
        return self.why_not_proved or (self.conditional_text if self.rests_on else "")

    @property
    def own_status(self) -> Status:
        """The status the claim's own parts establish (by their roles)."""
        return claim_status(self.parts)[0]

    @property
    def note(self) -> str:
        return claim_status(self.parts)[1]

    @property
    def status(self) -> Status:
        """The gate status: the own status, or unknown when a claim it uses did not pass; a claim is
        never stronger than the claims it uses (proved from a verified lemma reads verified)."""
        return self._with_uses(self.own_status)

    def _with_uses(self, own: Status) -> Status:
        if own.passes and self.given:
            return Status.UNKNOWN
        if own.passes and self.rests_on:
            return min([own, *(Status(s) for _, s in self.rests_on)], key=lambda s: s.strength)
        return own

    def status_as_used(self, reading: bool = False) -> Status:
        """The status a claim that uses this one relies on: the whole claim, or (`reading`) the claim
        under its readings, its as-printed parts set aside ("GH-T6:reading" in `uses`)."""
        if not reading:
            return self.status
        kept = [p for p in self.parts if p.role is not Role.AS_PRINTED] or list(self.parts)
        return self._with_uses(claim_status(kept)[0])

    @property
    def conditional_text(self) -> str:
        """'proved, given GH-T6 (unknown)' for a claim whose own proof rests on a non-passing claim;
        'proved, resting on CMZ-DML (verified)' for one whose proof uses a claim below proved."""
        if self.given:
            return f"{self.own_status.value}, given " + ", ".join(f"{c} ({s})" for c, s in self.given)
        if self.rests_on and self.status is not self.own_status:
            return f"{self.own_status.value}, resting on " + ", ".join(f"{c} ({s})" for c, s in self.rests_on)
        return ""

    @property
    def weakest(self) -> Verdict:
        decisive = [p for p in self.parts if p.role is not Role.CROSS_CHECK] or list(self.parts)
        return min((p.verdict for p in decisive), key=lambda v: v.status.strength)

    @property
    def seconds(self) -> float:
        return sum(p.verdict.seconds for p in self.parts)


def with_dependencies(results: Iterable[ClaimResult]) -> tuple[ClaimResult, ...]:
    """Fill `given` from the results of the claims each one uses (in dependency order)."""
    results = list(results)
    by_id = {r.claim_id: r for r in results}
    done: dict[str, ClaimResult] = {}

    def settle(r: ClaimResult, stack: tuple[str, ...] = ()) -> ClaimResult:
        if r.claim_id in done:
            return done[r.claim_id]
        given, rests_on = [], []
        for dep in r.uses:
            cid, _, which = dep.partition(":")
            if cid in stack:
                given.append((dep, "cyclic"))
                continue
            d = by_id.get(cid)
            if d is None:
                given.append((dep, "not checked"))
                continue
            d = settle(d, stack + (r.claim_id,))
            status = d.status_as_used(reading=which in USE_KINDS)
            if not status.passes:
                given.append((dep, status.value))
            elif status is not Status.PROVED and which != "convention":   # a convention is adopted, not used
                rests_on.append((dep, status.value))
        out = replace(r, given=tuple(given), rests_on=tuple(rests_on))
        done[r.claim_id] = out
        return out

    return tuple(settle(r) for r in results)


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
        return {
            "results": [_claim_dict(r) for r in self.results],
            "started": self.started, "seconds": self.seconds, "tools": [list(p) for p in self.tools],
            "interrupted": self.interrupted, "settings": [list(p) for p in self.settings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Report":
        """The report from `to_dict` output; malformed data raises ValueError."""
        try:
            results = tuple(_claim_from(r) for r in data["results"])
            return cls(results, str(data["started"]), float(data["seconds"]), _tuplify(data.get("tools", ())),
                       bool(data.get("interrupted", False)), _tuplify(data.get("settings", ())))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed report: {type(exc).__name__}: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> "Report":
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValueError("malformed report: nested too deeply") from None
        if not isinstance(data, dict):
            raise ValueError("malformed report: not a JSON object")
        return cls.from_dict(data)


def _verdict_dict(v: Verdict) -> dict:
    d = {"status": v.status.value, "method": v.method, "domain": v.domain, "summary": v.summary,
         "evidence": [{"kind": e.kind, "summary": e.summary, "text": e.text, "stats": [list(p) for p in e.stats]}
                      for e in v.evidence],
         "witness": None if v.witness is None else {
             "assignment": [list(p) for p in v.witness.assignment], "observed": [list(p) for p in v.witness.observed],
             "recheck": v.witness.recheck},
         "seconds": v.seconds, "tools": [list(p) for p in v.tools], "cases": v.cases, "covered": v.covered,
         "assumes": list(v.assumes), "seed": v.seed, "cached": v.cached}
    return d


def _claim_dict(r: ClaimResult) -> dict:
    return {"claim_id": r.claim_id, "title": r.title, "paper": r.paper, "source": r.source,
            "statement": r.statement, "status": r.status.value, "own_status": r.own_status.value,
            "uses": list(r.uses), "given": [list(p) for p in r.given], "why_not_proved": r.why_not_proved,
            "rests_on": [list(p) for p in r.rests_on],
            "parts": [{"name": p.name, "role": p.role.value, "reading": p.reading, "verdict": _verdict_dict(p.verdict)}
                      for p in r.parts]}


def _verdict_from(d: Mapping[str, Any]) -> Verdict:
    w = d.get("witness")
    cases = d.get("cases")
    seed = d.get("seed")
    return Verdict(
        status=Status(d["status"]), method=str(d["method"]), domain=str(d["domain"]), summary=str(d["summary"]),
        evidence=tuple(Evidence(str(e["kind"]), str(e["summary"]), str(e.get("text", "")),
                                _tuplify(e.get("stats", ()))) for e in d.get("evidence", ())),
        witness=None if w is None else Witness(_tuplify(w["assignment"]), _tuplify(w.get("observed", ())),
                                               str(w.get("recheck", ""))),
        seconds=float(d.get("seconds", 0.0)), tools=_tuplify(d.get("tools", ())),
        cases=None if cases is None else int(cases), covered=str(d.get("covered", "")),
        assumes=tuple(str(a) for a in d.get("assumes", ())), seed=None if seed is None else int(seed),
        cached=bool(d.get("cached", False)))


def _claim_from(r: Mapping[str, Any]) -> ClaimResult:
    return ClaimResult(
        str(r["claim_id"]), str(r["title"]), str(r["paper"]), str(r["source"]), str(r["statement"]),
        tuple(PartResult(str(p["name"]), _verdict_from(p["verdict"]), Role(p.get("role", "conjunct")),
                         str(p.get("reading", ""))) for p in r["parts"]),
        tuple(str(u) for u in r.get("uses", ())), _tuplify(r.get("given", ())), str(r.get("why_not_proved", "")),
        _rests_on(r.get("rests_on", ())))


def _rests_on(pairs: Iterable[Iterable[Any]]) -> Pairs:
    """The stored rests-on pairs; each status must be a passing one (a corrupted state file is refused)."""
    out = _tuplify(pairs)
    for cid, status in out:
        if not Status(status).passes:
            raise ValueError(f"malformed report: {cid} rests on a {status} claim")
    return out


def _tuplify(pairs: Iterable[Iterable[Any]]) -> Pairs:
    out = []
    for pair in pairs:
        a, b = pair
        out.append((str(a), str(b)))
    return tuple(out)
