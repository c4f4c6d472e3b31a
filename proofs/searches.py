"""Search builders: exhaustive enumeration, z3 queries and random search, with coverage and replay.

The builder owns the loop, the budget, the case count and the witness; the caller gives the
points (in an order that makes the first violation the minimal one: smallest domain first, then
lexicographic — the order is documented where the points are generated), the property and its
plain evaluation.  Re-exported by `mechproof.checks`.
"""
from __future__ import annotations

import random as _random
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import sympy as sp

from mechproof.mechanisms.errors import ClaimDeclarationError
from mechproof.symbolic.intervals import certified_sign

from .context import CheckContext
from .verdicts import (Evaluation, Evidence, Verdict, Witness, certified, error, exact_text, proved, refuted, tested,
                       unknown, verified)

__all__ = ["Check", "Query", "enumeration_check", "smt_check", "random_check", "compare_exact", "not_checked",
           "MARGIN"]

MARGIN = 2.0            # seconds kept before the runner's hard kill, to report what was covered
_PROGRESS_EVERY = 2.0   # seconds between progress messages


class Check:
    """A built check: `check(ctx) -> Verdict`, with `replay(point) -> Evaluation` for its witnesses."""

    def __init__(self, run: Callable[[CheckContext], Verdict], replay: Callable[[dict], Evaluation] | None = None,
                 scan_shard: Callable | None = None):
        self._run = run
        self.replay = replay
        self.scan_shard = scan_shard        # enumerations: one shard's scan (proofs/shards.py)

    def __call__(self, ctx: CheckContext) -> Verdict:
        return self._run(ctx)


def not_checked(reason: str) -> Check:
    """A part that is not (yet) checked, or rests on an external theorem: always `unknown` with the
    reason (for `Method.NONE` parts).  Never a pass."""
    if not isinstance(reason, str) or not reason.strip():
        raise ClaimDeclarationError("not_checked needs the reason the part is not checked")
    return Check(lambda ctx: unknown(reason=reason))


def compare_exact(lhs: Any, relation: str, rhs: Any, observed: Mapping[str, Any] | None = None) -> Evaluation:
    """lhs REL rhs for exact numbers (Fractions, ints, sympy closed forms such as 1 − 1/e), decided by
    exact arithmetic or a certified interval sign; undecided (None) rather than guessed."""
    if relation not in ("=", "<=", ">=", "<", ">", "!="):
        raise ClaimDeclarationError(f"compare_exact: unknown relation {relation!r}")
    diff = sp.sympify(lhs) - sp.sympify(rhs) if not (_rational(lhs) and _rational(rhs)) else lhs - rhs
    if _rational(diff):
        s = (diff > 0) - (diff < 0)
    else:
        if sp.sympify(diff).has(sp.Float):
            return Evaluation.of(None, observed, "inexact Float: refused")
        s = certified_sign(diff)
    values = dict(observed) if observed is not None else {"lhs": lhs, "rhs": rhs}
    if s is None:
        return Evaluation.of(None, values, "certified sign undecided")
    ok = {"=": s == 0, "<=": s <= 0, ">=": s >= 0, "<": s < 0, ">": s > 0, "!=": s != 0}[relation]
    return Evaluation.of(ok, values)


def _rational(x: Any) -> bool:
    from fractions import Fraction
    return isinstance(x, (int, Fraction)) and not isinstance(x, bool)


def _fill(template: str, **values: str) -> str:
    """Fill {name} placeholders (and nothing else: math text keeps its braces, e.g. {0..B})."""
    for k, v in values.items():
        template = template.replace("{" + k + "}", v)
    return template


def _point_text(point: Mapping[str, Any]) -> str:
    try:
        return ", ".join(f"{k}={exact_text(v)}" for k, v in point.items())
    except TypeError:
        return ", ".join(f"{k}={v!r}" for k, v in point.items())


# ------------------------------------------------------------------ enumeration
def enumeration_check(points: Callable[[Any], Iterable[Mapping[str, Any]]],
                      holds: Callable[[Mapping[str, Any]], Any], *,
                      replay: Callable[[Mapping[str, Any]], Evaluation] | None = None,
                      summary: str = "the property holds at all {cases} cases",
                      violation: str = "the property fails at {point}",
                      value: Callable[[Mapping[str, Any]], Any] | None = None, value_name: str = "value",
                      target: Any = None, shell: Callable[[Mapping[str, Any]], str] | None = None,
                      certified_only: bool = False, on_undecided: str = "stop",
                      blocks: Callable[[Any], Sequence[Any]] | None = None,
                      block_weight: Callable[[Any], float] | None = None) -> Check:
    """Every point of a finite domain, exactly.

    `points(domain)` yields the points (dicts of exact values) in the documented order; the first
    violation found is the witness, so generate small domains first.  `holds(point)` decides the
    property (a bool or an Evaluation; fast routes welcome); `replay(point)` is the plain definition
    the core re-checks a witness with (default: `holds`).  `value(point)` is tracked for its worst
    (smallest) case, compared with `target` (tight when equal); it may return None to skip a point.  `shell(point)` names the part of the
    domain a point belongs to ("B = 4"): a run cut short by the budget reports the shells it finished.
    Summary templates may use {cases}, {worst}, {at}, {tightness}; violation templates {point}.
    `certified_only`: the cases are decided by certified interval signs (a `Method.INTERVAL` part),
    so a pass is `certified` rather than `verified`.  `on_undecided="continue"` keeps looking for a
    violation after an undecided point (the verdict is then a refutation, or unknown — never a pass).
    `blocks(domain)` (optional) splits the domain into blocks, in the documented order — data
    (ints, Fractions, tuples), e.g. one per (n, B, δ) — and then `points(domain, block)` yields one
    block's points.  A sharded run gives each block whole to one shard, heaviest first by
    `block_weight(block)` (default 1), so a block's tables are built once; a Dask run ships the
    blocks as data (proofs/shards.py, proofs/dask_executor.py).
    """
    if on_undecided not in ("stop", "continue"):
        raise ClaimDeclarationError("enumeration_check: on_undecided must be 'stop' or 'continue'")
    keep_going = on_undecided == "continue"
    def as_evaluation(r: Any) -> Evaluation:
        return r if isinstance(r, Evaluation) else Evaluation.of(bool(r))

    def plain(point: Mapping[str, Any]) -> Evaluation:
        return as_evaluation((replay or holds)(dict(point)))

    def decide(point: Mapping[str, Any]) -> tuple:
        """(holds?, what was observed at a violation, why it is undecided) — the one reading of `holds`."""
        r = holds(point)
        ok = r.holds if isinstance(r, Evaluation) else (None if r is None else bool(r))
        observed = dict(r.observed) if isinstance(r, Evaluation) and ok is False else None
        if ok is not None:
            return ok, observed, ""
        note = r.note if isinstance(r, Evaluation) else ""
        return ok, observed, f"undecided at {_point_text(point)}" + (f": {note}" if note else "")

    def all_points(domain: Any) -> Iterable[Mapping[str, Any]]:
        if blocks is None:
            return points(domain)
        return (p for b in blocks(domain) for p in points(domain, b))

    def shard_items(domain: Any, shard: int, shards: int) -> Iterable[tuple]:
        """(block, index, point) of shard `shard` of `shards` (proofs/shards.py)."""
        from .shards import assign_blocks, block_points, round_robin
        if blocks is None:
            return round_robin(points(domain), shard, shards)
        bl = list(blocks(domain))
        weights = [float(block_weight(b)) if block_weight else 1.0 for b in bl]
        return block_points(bl, lambda b: points(domain, b), assign_blocks(weights, shards)[shard])

    def scan_shard(domain: Any, shard: int, shards: int, deadline: float):
        """One shard's scan (a ScanResult), as a Dask worker runs it after rebuilding the part."""
        from .shards import scan
        return scan(shard_items(domain, shard, shards), decide, deadline, keep_going, value, _less, MARGIN)

    def run_sharded(ctx: CheckContext) -> Verdict | None:
        """The sharded run (Dask for a registry part with blocks under --executor dask, else forked
        processes); None when there are fewer than 2 shards to run (the serial loop runs)."""
        from .dask_executor import dask_settings, scan_on_dask
        from .shards import scan_sharded
        settings = dask_settings() if blocks is not None and ctx.claim_id else None
        k = settings.threads if settings is not None else ctx.shards
        if blocks is not None:
            k = min(k, len(list(blocks(ctx.domain))))
        if k < 2:
            return None
        if settings is not None:
            ctx.progress(f"{k} shards on the Dask cluster at {settings.scheduler}")
            res = scan_on_dask(settings, ctx, k)
        else:
            ctx.progress(f"sharded over {k} processes")
            res = scan_sharded(lambda j: shard_items(ctx.domain, j, k), decide, ctx.deadline, keep_going, value,
                               _less, MARGIN, k)
        if res.violation is not None:
            _, point, observed = res.violation
            w = Witness.of(point, observed, "first violation in the enumeration order"
                           + (" among the points covered before the budget ran out" if res.timed_out else ""))
            return refuted(witness=w, summary=_fill(violation, point=w.describe()),
                           evidence=(Evidence("enumeration", f"{res.count} cases examined before the violation",
                                              stats=(("cases", str(res.count)),)),))
        if res.stopped_undecided:
            return unknown(reason=res.undecided[1], covered=f"{res.count - 1} cases")
        if res.timed_out:
            return unknown(reason="time budget exhausted before the domain was covered", covered=f"{res.count} cases")
        if res.undecided is not None:
            return unknown(reason=f"{res.undecided[1]} (no violation elsewhere in the {res.count} cases)",
                           covered=f"{res.count} cases, some undecided")
        worst, worst_at = (res.worst[0], res.worst[2]) if res.worst is not None else (None, None)
        return _passed(res.count, worst, worst_at)

    def _passed(count, worst, worst_at) -> Verdict:
        tight = ""
        if worst is not None and target is not None:
            c = compare_exact(worst, "=", target).holds
            tight = "tight (attained)" if c else "slack"
        text = _fill(summary, cases=str(count), worst=exact_text(worst) if worst is not None else "—",
                     at=_point_text(worst_at) if worst_at else "—", tightness=tight)
        stats = [("cases", str(count))]
        if worst is not None:
            stats += [(f"worst {value_name}", exact_text(worst)), ("at", _point_text(worst_at))]
            if target is not None:
                stats += [("claimed", exact_text(target)), ("tightness", tight)]
        ev = (Evidence("enumeration", f"{count} cases, each decided " + ("by a certified interval sign" if
                       certified_only else "exactly"), stats=tuple(stats)),)
        if certified_only:
            return certified(cases=count, summary=text, evidence=ev)
        return verified(cases=count, summary=text, evidence=ev)

    def run(ctx: CheckContext) -> Verdict:
        if getattr(ctx, "shards", 1) > 1 or blocks is not None:
            v = run_sharded(ctx)
            if v is not None:
                return v
        count, worst, worst_at, first_undecided = 0, None, None, None
        current = finished = None
        next_note = time.monotonic() + _PROGRESS_EVERY
        for point in all_points(ctx.domain):
            if shell is not None:
                label = shell(point)
                if label != current:
                    finished, current = current, label
            now = time.monotonic()
            if ctx.deadline - now < MARGIN:
                return unknown(reason="time budget exhausted before the domain was covered",
                               covered=f"{count} cases" + (f"; finished through {finished}" if finished else ""))
            if count % 16 == 0:
                if now >= next_note:
                    ctx.progress(f"{count} cases" + (f", at {current}" if current else ""))
                    next_note = now + _PROGRESS_EVERY
            ok, observed, why = decide(point)
            count += 1
            if ok is None:
                if first_undecided is None:
                    first_undecided = why
                if not keep_going:
                    return unknown(reason=first_undecided, covered=f"{count - 1} cases")
                continue
            if not ok:
                w = Witness.of(dict(point), observed, "first violation in the enumeration order")
                return refuted(witness=w, summary=_fill(violation, point=w.describe()),
                               evidence=(Evidence("enumeration", f"{count} cases examined before the violation",
                                                  stats=(("cases", str(count)),)),))
            if value is not None:
                v = value(point)                    # None: the point has no value (e.g. a zero benchmark)
                if v is not None and (worst is None or compare_exact(v, "<", worst).holds):
                    worst, worst_at = v, dict(point)
        if first_undecided is not None:
            return unknown(reason=f"{first_undecided} (no violation elsewhere in the {count} cases)",
                           covered=f"{count} cases, some undecided")
        return _passed(count, worst, worst_at)

    return Check(run, plain, scan_shard)


def _less(a: Any, b: Any) -> bool:
    return bool(compare_exact(a, "<", b).holds)


# ------------------------------------------------------------------ z3
@dataclass(frozen=True)
class Query:
    """One z3 query: `build()` returns (solver, decode); decode(model) gives the exact point a sat
    answer refutes at (dict of exact values; raise ValueError when the model is not exact)."""

    label: str
    build: Callable[[], tuple[Any, Callable[[Any], dict]]]
    second_route: bool = True      # False: cvc5 is known not to decide this query in time (say why in the part)


def smt_check(queries: Callable[[Any], Iterable[Query]], *, replay: Callable[[Mapping[str, Any]], Evaluation],
              unbounded: bool = False, second_route: bool = True, second_route_seconds: float | None = None,
              summary: str = "unsat in all {cases} queries", evidence: tuple[Evidence, ...] = (),
              minimised: str = "") -> Check:
    """z3 searches for a counterexample, query by query, under the part's budget.

    sat: the model is decoded to an exact point and reported (the core replays it with `replay`).
    unsat in every query: verified over the bounded domain (proved when `unbounded`, i.e. the query
    quantifies over all reals/integers).  Each unsat is re-checked by cvc5 on the exported SMT-LIB
    where time allows (at most `second_route_seconds` per query, default twice z3's time and at least
    0.5 s); cvc5 answering sat is an error (the solvers disagree).  `evidence` is added to a pass
    (e.g. the reduction that makes the bounded queries cover the claim).  `minimised` says how decode
    makes the model's point minimal, when it does.
    """
    from mechproof.smt.queries import run_check, smt2_text
    from mechproof.smt.second_route import cvc5_answer

    from .certificates import active, record

    def run(ctx: CheckContext) -> Verdict:
        unsat, agreed, undecided, first_text = 0, 0, [], ""
        stats: list[tuple[str, str]] = []
        for q in queries(ctx.domain):
            if ctx.remaining() < MARGIN:
                return unknown(reason="time budget exhausted before every query was decided",
                               covered=f"{unsat} queries unsat")
            solver, decode = q.build()
            # the SMT-LIB text (costly for large queries) only where it is used: the first query's
            # evidence, a certificate, the second solver, a sat or undecided answer's evidence
            text = smt2_text(solver) if (not first_text or active() or (second_route and q.second_route)) else None
            out = run_check(solver, max(0.1, ctx.remaining() - MARGIN), keep_query=False)
            if text is None and out.result != "unsat":
                text = smt2_text(solver)
            if not first_text:
                first_text, stats = text[:20000], list(out.stats[:12])
            if out.result in ("sat", "unsat"):          # (text is None only when no certificate is collected)
                record("smtlib", label=q.label, smtlib=text, expected=out.result)
            if out.result == "sat":
                try:
                    point = decode(solver.model())
                except (ValueError, TypeError) as exc:
                    return unknown(reason=f"z3 found a model for {q.label} that is not exact: {exc}",
                                   covered=f"{unsat} queries unsat")
                w = Witness.of(point, None, f"z3 model of query {q.label}" + (f", {minimised}" if minimised else ""))
                found = f"z3 finds a counterexample ({minimised})" if minimised else f"{q.label}: z3 finds a counterexample"
                return refuted(witness=w, summary=f"{found}: {w.describe()}",
                               evidence=(Evidence("z3", f"sat: {q.label}", text[:20000], tuple(out.stats[:12])),))
            if out.result != "sat" and out.result != "unsat":
                return unknown(reason=f"z3 undecided on {q.label}: {out.reason or 'unknown'}",
                               covered=f"{unsat} queries unsat",
                               evidence=(Evidence("z3", f"unknown: {q.label}", text[:20000], tuple(out.stats[:12])),))
            unsat += 1
            if second_route and not q.second_route:
                undecided.append(f"{q.label} (no second route declared)")
            elif second_route:
                seconds = min(max(0.5, 2 * out.seconds) if second_route_seconds is None else second_route_seconds,
                              ctx.remaining() - MARGIN)
                answer, why = cvc5_answer(text, seconds) if seconds > 0.1 else ("unknown", "no time left")
                if answer == "sat":
                    return error(message=f"the solvers disagree on {q.label}: z3 says unsat, cvc5 says sat",
                                 evidence=(Evidence("z3", f"disputed query {q.label}", text[:20000]),))
                if answer == "unsat":
                    agreed += 1
                else:
                    undecided.append(f"{q.label} ({why})")
        note = (f"cvc5 confirms {agreed} of {unsat} unsat answers"
                + (f"; not re-checked: {', '.join(undecided[:3])}" + (" …" if len(undecided) > 3 else "")
                   if undecided else "")) if second_route else "no second solver"
        ev = (Evidence("z3", f"{unsat} queries unsat; {note}", first_text,
                       tuple(stats) + (("queries", str(unsat)), ("cvc5 agreed", str(agreed)))),) + tuple(evidence)
        text = _fill(summary, cases=str(unsat))
        if unbounded:
            return proved(summary=text, evidence=ev)
        return verified(cases=unsat, summary=text, evidence=ev)

    return Check(run, replay)


# ------------------------------------------------------------------ random search
def random_check(strategy: Any, holds: Callable[[Mapping[str, Any]], Any], *, examples: int = 100, seed: int = 0,
                 replay: Callable[[Mapping[str, Any]], Evaluation] | None = None,
                 summary: str = "no counterexample in {cases} random examples (seed {seed})") -> Check:
    """Hypothesis searches `strategy` (which draws dicts of exact values; or a function of the domain
    returning such a strategy) for a violation of `holds`.

    tested (never a proof) when none is found; otherwise the witness Hypothesis shrank to, which the
    core replays.  The seed is recorded in the verdict, so the run is reproducible.
    """
    def as_evaluation(r: Any) -> Evaluation:
        return r if isinstance(r, Evaluation) else Evaluation.of(None if r is None else bool(r))

    def run(ctx: CheckContext) -> Verdict:
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis.errors import NoSuchExample, Unsatisfiable

        count = [0]

        def violated(example: Any) -> bool:
            count[0] += 1
            return as_evaluation(holds(example)).holds is False

        opts = settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                        suppress_health_check=list(HealthCheck),
                        phases=[Phase.generate, Phase.shrink])
        from hypothesis.strategies import SearchStrategy
        drawn = strategy if isinstance(strategy, SearchStrategy) else strategy(ctx.domain)
        try:
            found = find(drawn, violated, settings=opts, random=_random.Random(seed))
        except (NoSuchExample, Unsatisfiable):
            return tested(cases=count[0], seed=seed, summary=_fill(summary, cases=str(count[0]), seed=str(seed)),
                          evidence=(Evidence("random", f"{count[0]} examples, seed {seed}",
                                             stats=(("examples", str(count[0])), ("seed", str(seed)))),))
        if not isinstance(found, Mapping):
            raise ClaimDeclarationError("random_check: the strategy must draw dicts of exact values")
        w = Witness.of(dict(found), None, f"Hypothesis (seed {seed}), shrunk")
        return refuted(witness=w, summary=f"counterexample found by random search: {w.describe()}")

    return Check(run, lambda point: as_evaluation((replay or holds)(dict(point))))
