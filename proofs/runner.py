"""Running claims: every part in its own worker process, under a hard wall-clock deadline.

z3's and sympy's own time limits are not always honoured, so the runner does not trust them: a
part that overruns its budget is killed with its whole process group and reported `unknown`
(never a pass); progress messages never extend a deadline.  A part whose worker crashes is
`error`.  Ctrl-C, SIGTERM and SIGHUP stop the run: every worker is killed and the partial report
is returned, the unfinished parts marked unknown (an interrupted run never passes a gate).
"""
from __future__ import annotations

import os
import platform
import select
import signal
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Sequence

from .claims import Claim, Part
from .context import CheckContext
from .domains import Domain, resolve_domains
from .kernel import admit, run_part_check
from .library_guard import remember, snapshot
from .verdicts import ClaimResult, Evidence, PartResult, Report, Verdict, error, unknown, with_dependencies
from .workers import Worker, adopt, exit_text, part_body, read_messages, start_worker, stop

__all__ = ["RunEvent", "run_claims", "run_part_inline", "tool_versions", "default_memory"]

POLL = 0.2          # seconds: the longest the runner sleeps before looking at deadlines again


@dataclass(frozen=True)
class RunEvent:
    """Progress news for a display: a part started, said something, or finished."""

    kind: str                  # "start" | "progress" | "done"
    claim_id: str
    part: str
    message: str = ""
    verdict: Verdict | None = None
    finished: int = 0          # parts finished so far
    total: int = 0


def tool_versions() -> tuple[tuple[str, str], ...]:
    import mpmath
    import sympy
    import z3

    from . import __version__
    return (("mechproof", __version__), ("python", platform.python_version()),
            ("sympy", sympy.__version__), ("z3", z3.get_version_string()), ("mpmath", mpmath.__version__))


def default_memory(jobs: int = 1) -> int:
    """Bytes of address space per worker: half the machine's memory shared by the parallel parts, ≥ 2 GiB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 << 30
    return max(2 << 30, total // 2 // max(1, jobs))


def run_part_inline(part: Part, budget: float = 60.0, domain: Domain | None = None,
                    claim_id: str = "", uses: tuple[str, ...] = (), shards: int = 1) -> Verdict:
    """Run one part in this process (no kill on overrun) through the kernel; used by tests."""
    dom = domain if domain is not None else part.domain.default_domain()
    ctx = CheckContext.start(dom, budget, claim_id=claim_id, part=part.name, uses=uses, shards=shards)
    t0 = time.perf_counter()
    v = run_part_check(part, ctx)
    return v.timed(time.perf_counter() - t0, tool_versions())


class _Stop(Exception):
    """A signal asked the run to stop."""


def run_claims(
    claims: Sequence[Claim],
    budget: float = 120.0,
    bounds: Mapping[str, Any] | None = None,
    jobs: int = 1,
    domains: Mapping[tuple[str, str], Domain] | None = None,
    skip_slow: bool = False,
    on_event: Callable[[RunEvent], None] = lambda e: None,
    memory: int | None = None,
    zygote: Any = None,
    isolated: frozenset[str] = frozenset(),
    cache: Any = None,
    origins: Mapping[str, str] | None = None,
) -> Report:
    """Check every part of every claim; returns the Report (partial if interrupted).

    `domains` are the parts' resolved domains (`resolve_domains`); without them, `bounds` (KEY or
    CLAIM.KEY to raw values) are resolved here, before any check starts (a UsageError if invalid).
    A claim's `uses` are looked up among `claims`: one not checked in this run makes it unknown.
    `memory` is each worker's address-space limit in bytes (default: `default_memory(jobs)`).
    The claims in `isolated` (the built-in ones, when user modules are loaded) get their workers
    from `zygote`, a process that never imported a user module.
    A run with fewer parts than `jobs` splits each enumeration over jobs // parts processes
    (proofs/shards.py: the same verdict, count and witness as a serial run).
    `cache` (proofs/cache.py): a part whose key is in it is not run; its verdict is taken, marked
    cached; every new cacheable verdict is stored.  `origins` maps a claim id to its user module file.
    """
    bounds = dict(bounds or {})
    if domains is None:
        domains = resolve_domains(claims, bounds)
    memory = default_memory(jobs) if memory is None else memory
    started_wall = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    t_start = time.perf_counter()
    remember(snapshot())                # the state every worker forked below starts from (library_guard)
    tasks: list[tuple[Claim, Part]] = [(c, p) for c in claims for p in c.parts]
    verdicts: dict[int, Verdict] = {}
    tools = tool_versions()
    total = len(tasks)
    shards = max(1, jobs // max(1, total))

    def dom(i: int) -> Domain:
        c, p = tasks[i]
        return domains[(c.id, p.name)]

    keys: dict[int, str] = {}

    def finish(i: int, v: Verdict, seconds: float) -> None:
        verdicts[i] = v.timed(seconds, tools)
        c, p = tasks[i]
        if cache is not None and i in keys:
            cache.put(keys[i], verdicts[i])
        on_event(RunEvent("done", c.id, p.name, verdict=verdicts[i], finished=len(verdicts), total=total))

    for i, (c, p) in enumerate(tasks):
        if skip_slow and p.slow:
            verdicts[i] = admit(p, dom(i), unknown(reason="slow part skipped (--skip-slow)"))
        elif cache is not None:
            keys[i] = cache.key(c, p, dom(i), (origins or {}).get(c.id, ""))
            hit = cache.get(keys[i])
            if hit is not None:
                verdicts[i] = hit
                on_event(RunEvent("done", c.id, p.name, verdict=hit, finished=len(verdicts), total=total))
    pending = deque(i for i in range(total) if i not in verdicts)
    running: dict[int, tuple[int, Worker]] = {}          # fd -> (task index, worker)
    stopped_by = ""

    def on_signal(signum, frame):
        raise _Stop(signal.Signals(signum).name)

    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            handlers[sig] = signal.signal(sig, on_signal)
    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                i = pending[0]
                c, p = tasks[i]
                w = _launch(p, dom(i), budget, c, memory, zygote if c.id in isolated else None, shards)
                pending.popleft()
                running[w.fd] = (i, w)
                on_event(RunEvent("start", c.id, p.name, finished=len(verdicts), total=total))
            now = time.monotonic()
            nearest = min(w.deadline for _, w in running.values())
            try:
                ready, _, _ = select.select(list(running), [], [], min(POLL, max(0.0, nearest - now)))
            except InterruptedError:
                ready = []
            for fd in ready:
                i, w = running[fd]
                c, p = tasks[i]
                outcome = None
                for kind, payload in read_messages(w):
                    if kind == "progress":
                        on_event(RunEvent("progress", c.id, p.name, message=str(payload)[:200],
                                          finished=len(verdicts), total=total))
                    elif kind == "done" and outcome is None:
                        outcome = payload
                if outcome is not None or w.eof:
                    stop(w)
                    del running[fd]
                    finish(i, _settle(p, dom(i), w, outcome), time.monotonic() - w.started)
            now = time.monotonic()
            for fd, (i, w) in list(running.items()):
                if now >= w.deadline:
                    stop(w)
                    del running[fd]
                    c, p = tasks[i]
                    v = admit(p, dom(i), unknown(reason=f"timeout: budget of {budget:g}s exhausted",
                                                 evidence=_output_evidence(w)))
                    finish(i, v, now - w.started)
    except (KeyboardInterrupt, _Stop) as exc:
        stopped_by = "Ctrl-C" if isinstance(exc, KeyboardInterrupt) else str(exc)
    finally:
        for sig, old in handlers.items():
            signal.signal(sig, old)
        for fd, (i, w) in list(running.items()):
            stop(w)
            c, p = tasks[i]
            verdicts[i] = admit(p, dom(i), unknown(
                reason=f"interrupted ({stopped_by or 'stopped'}) before the check finished")) \
                .timed(time.monotonic() - w.started, tools)
        running.clear()
        for i in pending:
            c, p = tasks[i]
            verdicts[i] = admit(p, dom(i), unknown(
                reason=f"interrupted ({stopped_by or 'stopped'}) before the check started"))
    results = []
    k = 0
    for c in claims:
        parts = []
        for p in c.parts:
            parts.append(PartResult(p.name, verdicts[k], p.role, p.reading))
            k += 1
        results.append(ClaimResult(c.id, c.title, c.paper, c.source, c.statement, tuple(parts), c.uses,
                                   why_not_proved=c.why_not_proved))
    overridden = sorted({(cid, key, d.values[key]) for (cid, _), d in domains.items() for key in d.overridden},
                        key=lambda t: (t[0], t[1]))
    settings = (("budget", f"{budget:g}"), ("jobs", str(jobs)), ("skip_slow", str(skip_slow)),
                ("memory", f"{memory >> 20} MiB"),
                *((f"bound.{cid}.{key}", _bound_text(v)) for cid, key, v in overridden))
    if stopped_by:
        settings += (("stopped_by", stopped_by),)
    return Report(with_dependencies(results), started_wall, time.perf_counter() - t_start, tools,
                  bool(stopped_by), settings)


def _launch(part: Part, domain: Domain, budget: float, claim: Claim, memory: int, zygote: Any,
            shards: int = 1) -> Worker:
    if zygote is None:
        return start_worker(part_body(part, domain, budget, claim.id, claim.uses, shards), budget, memory)
    r, w = os.pipe()
    capture = tempfile.TemporaryFile()
    try:
        pid = zygote.spawn(claim.id, part.name, dict(domain.values), budget, claim.uses, memory, w,
                           capture.fileno(), shards)
    except RuntimeError as exc:             # the zygote is gone: say so for this part, never run it here
        os.close(r)
        os.close(w)
        body = lambda send, why=str(exc): send(("done", admit(part, domain, error(message=why))))
        return start_worker(body, budget, None)
    return adopt(pid, r, w, capture, budget, foreign=True)


def _output_evidence(w: Worker) -> tuple[Evidence, ...]:
    text = w.output()
    if not text.strip():
        return ()
    return (Evidence("output", f"the check printed {text.count(chr(10)) + 1} line(s)", text),)


def _settle(part: Part, domain: Domain, w: Worker, outcome: Any) -> Verdict:
    """The worker's verdict as the runner accepts it, with what it printed; a silent death is an error."""
    if isinstance(outcome, Verdict):
        return replace(outcome, evidence=outcome.evidence + _output_evidence(w)) if w.output().strip() else outcome
    if outcome is not None:
        return admit(part, domain, error(message=f"the worker sent {type(outcome).__name__}, not a verdict"))
    how = exit_text(w.exit_status)
    return admit(part, domain, error(message=f"check process died before reporting ({how})",
                                     evidence=_output_evidence(w)))


def _bound_text(v: Any) -> str:
    if isinstance(v, (tuple, list)):
        return ",".join(str(x) for x in v)
    return str(v)
