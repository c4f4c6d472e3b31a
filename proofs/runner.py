"""Running claims: every part in its own forked process, under a hard time budget.

z3's and sympy's own time limits are not always honoured, so the runner does
not trust them: a part that overruns its budget is killed and reported as
`unknown` (never a pass).  A part that crashes is `error`.  Ctrl-C stops the
run and returns the partial results, the unfinished parts marked unknown.
"""
from __future__ import annotations

import multiprocessing as mp
import platform
import signal
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from multiprocessing.connection import wait
from typing import Any, Callable, Mapping, Sequence

from .claims import Claim, Part
from .context import CheckContext
from .domains import Domain, resolve_domains
from .kernel import admit, run_part_check
from .verdicts import ClaimResult, PartResult, Report, Verdict, error, unknown, with_dependencies

__all__ = ["RunEvent", "run_claims", "run_part_inline", "tool_versions"]


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


def run_part_inline(part: Part, budget: float = 60.0, domain: Domain | None = None,
                    claim_id: str = "", uses: tuple[str, ...] = ()) -> Verdict:
    """Run one part in this process (no kill on overrun) through the kernel; used by tests."""
    dom = domain if domain is not None else part.domain.default_domain()
    ctx = CheckContext.start(dom, budget, claim_id=claim_id, part=part.name, uses=uses)
    t0 = time.perf_counter()
    v = run_part_check(part, ctx)
    return v.timed(time.perf_counter() - t0, tool_versions())


def _child(part: Part, domain: Domain, budget: float, claim_id: str, uses: tuple[str, ...], conn) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # the parent handles Ctrl-C
    ctx = CheckContext.start(domain, budget, lambda msg: conn.send(("progress", str(msg))), claim_id, part.name,
                             uses)
    verdict = run_part_check(part, ctx)
    try:
        conn.send(("done", verdict))
    except Exception as exc:  # an unpicklable verdict (e.g. a user's exotic object inside)
        conn.send(("done", admit(part, domain, error(message=f"verdict could not be sent: {exc}"))))
    conn.close()


@dataclass
class _Running:
    index: int
    process: Any
    conn: Any
    started: float
    deadline: float


def run_claims(
    claims: Sequence[Claim],
    budget: float = 120.0,
    bounds: Mapping[str, Any] | None = None,
    jobs: int = 1,
    domains: Mapping[tuple[str, str], Domain] | None = None,
    skip_slow: bool = False,
    on_event: Callable[[RunEvent], None] = lambda e: None,
) -> Report:
    """Check every part of every claim; returns the Report (partial if interrupted).

    `domains` are the parts' resolved domains (`resolve_domains`); without them, `bounds` (KEY or
    CLAIM.KEY to raw values) are resolved here, before any check starts (a UsageError if invalid).
    A claim's `uses` are looked up among `claims`: one not checked in this run makes it unknown.
    """
    bounds = dict(bounds or {})
    if domains is None:
        domains = resolve_domains(claims, bounds)
    started_wall = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    t_start = time.perf_counter()
    tasks: list[tuple[Claim, Part]] = [(c, p) for c in claims for p in c.parts]
    verdicts: dict[int, Verdict] = {}
    tools = tool_versions()
    total = len(tasks)
    interrupted = False
    for i, (c, p) in enumerate(tasks):
        if skip_slow and p.slow:
            verdicts[i] = admit(p, domains[(c.id, p.name)], unknown(reason="slow part skipped (--skip-slow)"))

    ctx_mp = mp.get_context("fork")
    pending = [i for i in range(total) if i not in verdicts]
    running: dict[Any, _Running] = {}

    def finish(i: int, v: Verdict, seconds: float) -> None:
        verdicts[i] = v.timed(seconds, tools)
        c, p = tasks[i]
        on_event(RunEvent("done", c.id, p.name, verdict=verdicts[i], finished=len(verdicts), total=total))

    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                i = pending.pop(0)
                c, p = tasks[i]
                recv, send = ctx_mp.Pipe(duplex=False)
                proc = ctx_mp.Process(target=_child, args=(p, domains[(c.id, p.name)], budget, c.id, c.uses, send),
                                      daemon=True)
                now = time.monotonic()
                proc.start()
                send.close()
                running[recv] = _Running(i, proc, recv, now, now + budget)
                on_event(RunEvent("start", c.id, p.name, finished=len(verdicts), total=total))
            nearest = min(r.deadline for r in running.values())
            ready = wait(list(running), timeout=max(0.0, nearest - time.monotonic()) + 0.05)
            for conn in ready:
                r = running[conn]
                c, p = tasks[r.index]
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    r.process.join(1)
                    code = r.process.exitcode
                    finish(r.index, admit(p, domains[(c.id, p.name)],
                                          error(message=f"check process died (exit code {code})")),
                           time.monotonic() - r.started)
                    del running[conn]
                    continue
                if kind == "progress":
                    on_event(RunEvent("progress", c.id, p.name, message=payload, finished=len(verdicts), total=total))
                else:
                    finish(r.index, payload, time.monotonic() - r.started)
                    r.process.join(5)
                    conn.close()
                    del running[conn]
            now = time.monotonic()
            for conn, r in list(running.items()):
                if now >= r.deadline and conn not in ready:
                    c, p = tasks[r.index]
                    _kill(r.process)
                    finish(r.index, admit(p, domains[(c.id, p.name)],
                                          unknown(reason=f"timeout: budget of {budget:g}s exhausted")),
                           now - r.started)
                    conn.close()
                    del running[conn]
    except KeyboardInterrupt:
        interrupted = True
        for conn, r in running.items():
            _kill(r.process)
            c, p = tasks[r.index]
            verdicts[r.index] = admit(p, domains[(c.id, p.name)],
                                      unknown(reason="interrupted (Ctrl-C) before the check finished")) \
                .timed(time.monotonic() - r.started, tools)
        for i in pending:
            c, p = tasks[i]
            verdicts[i] = admit(p, domains[(c.id, p.name)],
                                unknown(reason="interrupted (Ctrl-C) before the check started"))

    results = []
    k = 0
    for c in claims:
        parts = []
        for p in c.parts:
            parts.append(PartResult(p.name, verdicts[k], p.role, p.reading))
            k += 1
        results.append(ClaimResult(c.id, c.title, c.paper, c.source, c.statement, tuple(parts), c.uses))
    overridden = sorted({(cid, k, d.values[k]) for (cid, _), d in domains.items() for k in d.overridden},
                        key=lambda t: (t[0], t[1]))
    settings = (("budget", f"{budget:g}"), ("jobs", str(jobs)), ("skip_slow", str(skip_slow)),
                *((f"bound.{cid}.{k}", _bound_text(v)) for cid, k, v in overridden))
    return Report(with_dependencies(results), started_wall, time.perf_counter() - t_start, tools, interrupted, settings)


def _bound_text(v: Any) -> str:
    if isinstance(v, (tuple, list)):
        return ",".join(str(x) for x in v)
    return str(v)


def _kill(proc) -> None:
    try:
        proc.kill()
    except Exception:
        pass
    proc.join(2)
