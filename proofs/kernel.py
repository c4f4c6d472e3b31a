"""The trusted kernel: what every verdict goes through before anyone sees it.

`run_part_check` runs one part's check on its resolved domain and hands the result to `admit`,
which — whatever the check claims — enforces:

* the method's ceiling (exhaustive enumeration never yields `proved`, random search only `tested`);
* coverage: a bounded pass names how many cases it examined, never zero, and exactly the domain's
  size when the schema declares it; a random pass records its seed;
* evidence: a proof or certificate with no evidence is not a pass;
* replay: every refutation's witness is re-evaluated by the part's plain evaluation (`Part.replay`);
  a witness that does not reproduce, or a part that cannot replay one, is an `error`, loudly;
* the libraries: a check that replaced a function of sympy, z3, fractions, … while it ran
  (`library_guard`) is an `error`;
* provenance: the method text, the domain text (rendered from the resolved domain) and the
  hypotheses the part states are stamped here, never taken from the check.
"""
from __future__ import annotations

import traceback
from dataclasses import replace

from .certificates import record_witness_values
from .claims import Part
from .context import CheckContext
from .domains import Domain
from .library_guard import describe as _describe_patches, replaced as _replaced, restore as _restore
from .library_guard import snapshot as _snapshot
from .verdicts import Evaluation, Evidence, Status, Verdict, Witness, error, unknown

__all__ = ["admit", "run_part_check", "replay_witness"]


def _trace(exc: BaseException) -> Evidence:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=8))
    return Evidence("traceback", "the check raised an exception", tb)


def run_part_check(part: Part, ctx: CheckContext, before: dict | None = None) -> Verdict:
    """Run `part.check(ctx)` and admit its verdict; an exception is an error verdict, and so is a check
    that replaced a function of the libraries the verdict is decided with (`library_guard`; `before`:
    the snapshot the process started from, taken now when not given)."""
    before = _snapshot() if before is None else before
    verdict = _run_check(part, ctx)
    patched = _replaced(before)
    if patched:
        _restore(before, patched)
        return admit(part, ctx.domain, error(message=f"the check replaced {_describe_patches(patched)} while it "
                                                     "ran: its verdict is not evidence"))
    return verdict


def _run_check(part: Part, ctx: CheckContext) -> Verdict:
    try:
        verdict = part.check(ctx)
    except MemoryError:
        return admit(part, ctx.domain, unknown(reason="memory limit reached: the check ran out of address space "
                                                      "(raise it with --memory)"))
    except RecursionError as exc:
        return admit(part, ctx.domain, error(message=f"check raised RecursionError: {exc}"))
    except Exception as exc:
        return admit(part, ctx.domain, error(message=f"check raised {type(exc).__name__}: {exc}",
                                             evidence=(_trace(exc),)))
    return admit(part, ctx.domain, verdict)


def replay_witness(part: Part, witness: Witness) -> tuple[Witness | None, str]:
    """(the replayed witness, "") when plain evaluation confirms it, else (None, why not)."""
    if part.replay is None:
        return None, "the part declares no plain evaluation (replay) to re-check a witness"
    point = witness.point
    if witness.assignment and not point:
        return None, "the witness carries no exact values to replay (build it with Witness.of)"
    try:
        ev = part.replay(point)
    except Exception as exc:
        return None, f"replaying the witness raised {type(exc).__name__}: {exc}"
    if not isinstance(ev, Evaluation):
        return None, f"the replay returned {type(ev).__name__}, not an Evaluation"
    if ev.holds is True:
        return None, (f"the witness does not reproduce: plain evaluation finds the property holds at "
                      f"{witness.describe()}" + (f" ({', '.join(f'{k}={v}' for k, v in ev.observed)})"
                                                 if ev.observed else ""))
    if ev.holds is None:
        return None, f"plain evaluation could not decide the witness{': ' + ev.note if ev.note else ''}"
    how = "replayed by the core: plain exact evaluation" + (f" ({ev.note})" if ev.note else "")
    if witness.recheck:
        how += f"; found by: {witness.recheck}"
    return Witness(witness.assignment, ev.observed or witness.observed, how), ""


def _stamp(part: Part, domain: Domain | None, v: Verdict) -> Verdict:
    text = domain.text if domain is not None else part.domain.default_domain().text
    assumes = tuple(dict.fromkeys(part.assumes + tuple(v.assumes)))
    witness = v.witness
    if witness is not None and witness.values:
        witness = Witness(witness.assignment, witness.observed, witness.recheck)
    return replace(v, method=part.method_text, domain=text, assumes=assumes, witness=witness)


def admit(part: Part, domain: Domain | None, verdict: object) -> Verdict:
    """The verdict as the core lets it stand: checked, replayed, stamped (see the module docstring)."""
    if not isinstance(verdict, Verdict):
        return _stamp(part, domain, error(message=f"check returned {type(verdict).__name__}, not a Verdict"))
    v = verdict
    s = v.status

    def reject(message: str) -> Verdict:
        return _stamp(part, domain, error(message=message, evidence=v.evidence))

    if not part.method.allows(s):
        return reject(f"method '{part.method.label}' cannot establish {s.value} "
                      f"(its strongest status is {part.method.ceiling.value}); the check claimed: {v.summary}")
    if s in (Status.VERIFIED, Status.TESTED) or (s is Status.CERTIFIED and v.cases is not None):
        if isinstance(v.cases, bool) or not isinstance(v.cases, int):
            return reject(f"a {s.value} verdict must say how many cases it examined (cases=…)")
        if v.cases < 1:
            return reject(f"a pass over {v.cases} cases checks nothing: {v.summary}")
        size = domain.size if domain is not None else None
        if size is not None and v.cases != size:
            return reject(f"the check examined {v.cases} cases but the domain {domain.text} has {size}")
    if s is Status.TESTED and (isinstance(v.seed, bool) or not isinstance(v.seed, int)):
        return reject("a random search must record the seed that reproduces it (seed=…)")
    if s in (Status.PROVED, Status.CERTIFIED) and not any(e.kind != "note" for e in v.evidence):
        return reject(f"a {s.value} verdict with no evidence is not a pass: {v.summary or '(no summary)'}")
    if s.passes and not v.summary.strip():
        return reject(f"a {s.value} verdict must say what it established (summary=…)")
    if s is Status.REFUTED:
        replayed, why = replay_witness(part, v.witness)
        if replayed is None:
            return _stamp(part, domain, error(
                message=f"refutation rejected: {why}",
                evidence=v.evidence + (Evidence("witness", "the rejected witness", v.witness.describe()),)))
        record_witness_values(v.witness.point)
        v = replace(v, witness=replayed)
    return _stamp(part, domain, v)
