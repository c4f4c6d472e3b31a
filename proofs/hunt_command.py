"""`mechproof hunt`: search one mechanism for minimal exact counterexamples to properties.

Each property becomes an ordinary claim with one part (proofs/hunting.py), run by the same runner
and kernel as `mechproof check`: budgets, worker isolation, case counts and witness replay are
theirs.  This module resolves the mechanism and the properties, chooses the search, and prints
the result with a one-line command that reproduces a counterexample.
"""
from __future__ import annotations

import json
from fractions import Fraction
import re
import textwrap
from dataclasses import dataclass
import sys
from pathlib import Path
from typing import Any

from mechproof.mechanisms.auctions import BUILTIN_AUCTIONS, PARAMETRISED_AUCTIONS, Auction
from mechproof.mechanisms.errors import UsageError
from mechproof.mechanisms.exact import as_rational

from .cache import ResultCache
from .claims import Claim
from .config import parse_bound
from .domains import resolve_domains
from .hunting import (MINIMAL_ORDER, PRIOR_ORDER, PRIOR_PROPERTIES, PROPERTIES, Prior, Property, hunt_cases,
                      hunt_part, prior_part, random_hunt_part)
from .valuation_properties import VALUATION_PROPERTIES
from .report import EXIT_OK, EXIT_USAGE, gate_exit_code, render_table
from .runner import default_memory, run_claims, tool_versions
from .verdicts import Status

__all__ = ["run_hunt", "resolve_mechanism", "POINTS_PER_SECOND"]

POINTS_PER_SECOND = 10_000      # a conservative rate for the size estimate (points of plain Python evaluation)
DEFAULT_BOUNDS = {"players": (2, 3), "B": 6}
_KEYS = ("players", "B", "step", "delta", "epsilon")


HUNT_DESCRIPTION = """\
Search a mechanism — yours or a built-in — for a counterexample to a property, exactly.

The bid domain is typed: players n (a grid), bids k·step for k = 0..B.  Points are searched in the
minimal order: fewest players, then the smallest grid B (the largest bid index in the point), then
the bid profile lexicographically, then the player, then the deviation.  So the counterexample
reported is the minimal one; the core replays it with the property's plain definition, and a
one-line command reproduces it.  With no counterexample the verdict says what was covered:
verified (every point of the stated domain; bounded, never a proof) or tested (random search,
seed recorded).  Where the rules can be read symbolically (comparisons and exact arithmetic: the
built-ins and most mechanisms written as functions), z3 then searches every rational bid profile
for each number of players (HUNT-…-Z3), finding what lies between or beyond the grid points, on
the coarsest grid that holds it.

exit codes: 0 no counterexample, 1 counterexample, 2 unknown (budget) or error (the mechanism
raised or misbehaved, the profile named), 64 usage error."""

HUNT_EPILOG = """\
examples:
  mechproof hunt --list-properties
  mechproof hunt first-price --property dsic
  mechproof hunt second-price -p dsic -p ex-post-ir --bound players=2..3 --bound B=8
  mechproof hunt examples/my_auctions.py:MY_AUCTION --property monotone --property payment-identity
  mechproof hunt vcg-2-units -p efficient --search random --bound B=1000 --seed 7
  mechproof hunt second-price -p dsic --search smt --bound players=2..4"""


def add_hunt_parser(sub, positive_seconds) -> None:
    """The `hunt` subcommand's options (called by proofs/cli.py's parser)."""
    import argparse
    hp = sub.add_parser("hunt", help="search a mechanism for a minimal exact counterexample to a property",
                        description=HUNT_DESCRIPTION, epilog=HUNT_EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    hp.add_argument("target", nargs="?", metavar="MECHANISM",
                    help="PATH.py:NAME (a mechproof.Auction in your module) or a built-in name (--list-mechanisms)")
    hp.add_argument("--property", "-p", action="append", default=[], metavar="P",
                    help="a property of the library (--list-properties) or NAME of a mechproof.Property in your "
                         "module (repeatable)")
    hp.add_argument("--bound", action="append", default=[], metavar="KEY=VALUE",
                    help="players=2,3 (or 2..4), B=6 (bids k·step, k = 0..B), step=1/2")
    hp.add_argument("--prior", metavar="T:P,…",
                    help="an IID prior for bic and interim-ir: type:probability pairs, e.g. 0:1/4,1:1/2,2:1/4")
    hp.add_argument("--search", choices=("auto", "exhaustive", "random", "smt"), default="auto",
                    help="exhaustive in the minimal order; random (Hypothesis, then the witness's box exhaustively); "
                         "smt: z3 over every rational bid profile (the rules read symbolically); auto (default): "
                         "exhaustive when the estimate fits the budget, else random, then smt where the mechanism can "
                         "be read symbolically")
    hp.add_argument("--budget", type=positive_seconds, metavar="SECONDS",
                    help="wall-clock budget per property (default 120); an exhaustive search cut short is unknown, "
                         "with what it covered")
    hp.add_argument("--seed", type=int, default=0, metavar="N", help="Hypothesis seed for --search random (default 0)")
    hp.add_argument("--examples", type=int, default=2000, metavar="N",
                    help="random points for --search random (default 2000)")
    hp.add_argument("--format", choices=("table", "json"), default="table")
    hp.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
    hp.add_argument("--state-dir", default=".mechproof", metavar="DIR", help="where the result cache is kept")
    hp.add_argument("--no-cache", action="store_true", help="search again even if the cache has the result")
    hp.add_argument("--list-properties", action="store_true", help="the property library, with each definition")
    hp.add_argument("--list-mechanisms", action="store_true", help="the built-in mechanisms")



def _list_properties() -> str:
    rows = []
    for p in PROPERTIES.values():
        rows.append(f"{p.name:<22} {p.title}")
        rows += [" " * 23 + line for line in textwrap.wrap(p.definition, 90)]
        rows += [" " * 23 + "assumes: " + a for a in p.assumes]
    rows.append("")
    rows.append("under an IID prior (--prior 0:1/4,1:1/2,2:1/4; no bid grid):")
    for name, (title, definition) in PRIOR_PROPERTIES.items():
        rows.append(f"{name:<22} {title}")
        rows += [" " * 23 + line for line in textwrap.wrap(definition, 90)]
    rows.append("")
    rows.append("for approximate valuations (CMZ's bounded model: integer bids {0..B}, K = [a, b] δ-approximate):")
    for name, (title, definition, needs_delta) in VALUATION_PROPERTIES.items():
        rows.append(f"{name:<24} {title}" + ("  (needs --bound delta=…)" if needs_delta else ""))
        rows += [" " * 25 + line for line in textwrap.wrap(definition, 90)]
    rows.append("")
    rows.append("your own: NAME of a mechproof.Property in your module (Property.custom(name, predicate)), e.g.")
    rows.append("  mechproof hunt my_auctions.py:MINE --property my_auctions.py:NO_WASTE")
    rows.append("")
    rows.append(f"points are searched in the minimal order: {MINIMAL_ORDER}.")
    return "\n".join(rows)


def _list_mechanisms() -> str:
    rows = []
    for name, make in BUILTIN_AUCTIONS.items():
        a = make()
        rows.append(f"{name:<22} {a.description or a.name}")
    for name, (make, what) in PARAMETRISED_AUCTIONS.items():
        rows.append(f"{name + ':' + what:<22} {make(Fraction(1, 4)).description} (e.g. {name}:1/4)")
    rows.append("")
    rows.append("your own: PATH.py:NAME, NAME a mechproof.Auction (allocation and payment functions of the bid profile, "
                "or Auction.table); see docs/hunting.md")
    return "\n".join(rows)


def _load(path: str):
    from .registry import _exec_user_module, _probe_import
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{path}: no such file")
    if p.suffix != ".py":
        raise UsageError(f"{path}: expected a Python file ending in .py")
    try:
        _probe_import(p, path)
        return _exec_user_module(p, path)
    except UsageError as exc:
        raise UsageError(str(exc).replace("--module ", "", 1)) from None


_modules: dict[str, Any] = {}


def _module(path: str):
    if path not in _modules:
        _modules[path] = _load(path)
    return _modules[path]


def _object(spec: str, kind: type, what: str):
    path, colon, name = spec.rpartition(":")
    if not colon or not path or not name:
        return None
    module = _module(path)
    if not hasattr(module, name):
        have = sorted(k for k, v in vars(module).items() if isinstance(v, kind))
        raise UsageError(f"{path} has no {name}" + (f" (its {what}s: {', '.join(have)})" if have else
                                                    f" and declares no {what}"))
    obj = getattr(module, name)
    if not isinstance(obj, kind):
        raise UsageError(f"{name} in {path} is a {type(obj).__name__}, not a {what} (declare it with mechproof."
                         f"{kind.__name__})")
    return obj


def resolve_mechanism(target: str) -> Auction:
    if target in BUILTIN_AUCTIONS:
        return BUILTIN_AUCTIONS[target]()
    name, colon, arg = target.partition(":")
    if name in PARAMETRISED_AUCTIONS:
        make, what = PARAMETRISED_AUCTIONS[name]
        if not colon or not arg:
            raise UsageError(f"{name} needs its {what}: {name}:1/4 (mechproof hunt --list-mechanisms)")
        return make(as_rational(arg, f"{name}: {what}"))
    found = _object(target, Auction, "mechanism")
    if found is None:
        import difflib
        close = difflib.get_close_matches(target, list(BUILTIN_AUCTIONS), n=1)
        raise UsageError(f"{target!r} is neither a built-in mechanism" + (f" (did you mean {close[0]}?)" if close else "")
                         + " nor PATH.py:NAME (mechproof hunt --list-mechanisms)")
    return found


def _property(spec: str) -> Property | str:
    if spec in PRIOR_PROPERTIES or spec in VALUATION_PROPERTIES:
        return spec
    if spec in PROPERTIES:
        return PROPERTIES[spec]
    found = _object(spec, Property, "property") if ":" in spec else None
    if found is None:
        from .hunting import property_named
        return property_named(spec)           # raises the usage error with a suggestion
    return found


def _bounds(texts: list[str]) -> dict[str, Any]:
    bounds: dict[str, Any] = dict(DEFAULT_BOUNDS)
    for text in texts:
        k, v = parse_bound(text)
        if k not in _KEYS:
            raise UsageError(f"--bound {text}: unknown key {k!r}; hunt reads {', '.join(_KEYS)}")
        bounds[k] = v
    return bounds


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper() or "PROPERTY"


def _claim(prop: Property, part, target: str) -> Claim:
    return Claim(id=f"HUNT-{_slug(prop.name)}", title=part.name, statement=prop.definition,
                 source=f"mechproof hunt {target}", parts=(part,))


@dataclass(frozen=True)
class _Session:
    """What every search of one `hunt` invocation shares: the mechanism's spec, budget, cache, progress."""

    target: str
    budget: float
    cache: ResultCache
    progress_cls: Any
    progress_on: bool

    @property
    def origin(self) -> str:
        """The user module whose text keys the cache ('' for a built-in mechanism)."""
        return "" if self.target in BUILTIN_AUCTIONS else self.target.rpartition(":")[0]

    def run(self, claim: Claim, bounds: dict):
        read = {k.name for p in claim.parts for k in p.domain.keys}
        bounds = {k: v for k, v in bounds.items() if k in read}        # each property reads its own keys
        domains = resolve_domains([claim], bounds, quiet_keys=list(bounds))
        progress = self.progress_cls(self.progress_on, [claim])
        report = run_claims([claim], budget=self.budget, domains=domains, jobs=1, on_event=progress,
                            memory=default_memory(1), cache=self.cache, origins={claim.id: self.origin})
        progress.close()
        return report


def _result_lines(v, order: str, reproduce: str, coverage: str) -> list[str]:
    """A verdict's lines under the table: the counterexample (replayed, its order, how to reproduce it),
    or what a pass covered (`coverage` says at which tier), or why it is undecided."""
    if v.status is Status.REFUTED:
        return [f"counterexample: {v.witness.describe()}", f"  replayed: {v.witness.recheck}",
                f"  minimal in the order: {order}" if order else
                "  (random search, Hypothesis-shrunk: not guaranteed minimal)", f"  reproduce: {reproduce}"]
    if v.status is Status.VERIFIED:
        return [f"no counterexample: all {v.cases:,} points of {v.domain} ({coverage})"]
    if v.status is Status.TESTED:
        return [f"no counterexample in {v.cases:,} random points (seed {v.seed}) of {v.domain}: tested, never a proof"]
    return [f"{v.status.value}: {v.summary}" + (f" (covered: {v.covered})" if v.covered else "")]


def _smt_hunt(auction: Auction, prop: Property, bounds: dict, session: _Session, args, quiet: bool):
    """z3 over every rational profile (proofs/symbolic_hunt.py).  `quiet` (after a passing grid search
    under --search auto): a property or mechanism z3 cannot take is one note, not an unknown."""
    from .symbolic_hunt import SMT_ORDER, SMT_PROPERTIES, smt_hunt_part, symbolic_reason
    if prop.name not in SMT_PROPERTIES:
        if quiet:
            return None
        raise UsageError(f"--search smt: property {prop.name} has no z3 encoding (it has for "
                         f"{', '.join(SMT_PROPERTIES)}); use --search exhaustive")
    part = smt_hunt_part(auction, prop)          # the bounds (players, step) are applied when resolved
    claim = Claim(id=f"HUNT-{_slug(prop.name)}-Z3", title=part.name, statement=prop.definition,
                  source=f"mechproof hunt {args.target}", parts=(part,))
    smt_bounds = {k: v for k, v in bounds.items() if k in ("players", "step")}
    try:
        resolved = resolve_domains([claim], smt_bounds, quiet_keys=list(smt_bounds))[(claim.id, part.name)]
    except UsageError as exc:
        if not quiet:
            raise
        print(f"mechproof: note: z3 over every rational profile not attempted for {prop.name}: {exc}", file=sys.stderr)
        return None
    if quiet:
        why = symbolic_reason(auction, min(resolved["players"]))
        if why:
            print(f"mechproof: note: z3 over every rational profile not attempted for {prop.name}: the rules cannot "
                  f"be read symbolically ({why})", file=sys.stderr)
            return None
    report = session.run(claim, smt_bounds)
    v = report.results[0].parts[0].verdict
    reproduce = _reproduce(args.target, prop, dict(v.witness.assignment)) if v.witness else ""
    if v.status.passes:
        lines = [f"no counterexample at any rational bid profile: {v.domain} (verified by z3: every profile, for "
                 "these numbers of players only)"]
    else:
        lines = _result_lines(v, SMT_ORDER, reproduce, "")
    return prop, "smt", report, lines


def _reproduce(target: str, prop: Property, witness: dict) -> str:
    prop_arg = prop.name if prop.name in PROPERTIES else "PATH.py:NAME"
    parts = [f"mechproof hunt {target} --property {prop_arg} --bound players={witness['players']} "
             f"--bound B={witness['B']}"]
    if str(witness.get("step", "1")) != "1":
        parts.append(f"--bound step={witness['step']}")
    return " ".join(parts)


def run_hunt(args, config, progress_cls, width: int) -> int:
    if args.list_properties:
        print(_list_properties())
        return EXIT_OK
    if args.list_mechanisms:
        print(_list_mechanisms())
        return EXIT_OK
    if not args.target:
        raise UsageError("hunt needs a mechanism: PATH.py:NAME or a built-in name (mechproof hunt --list-mechanisms)")
    if not args.property:
        raise UsageError("hunt needs at least one --property (mechproof hunt --list-properties)")
    if not 1 <= args.examples <= 1_000_000:
        raise UsageError(f"--examples {args.examples}: must be between 1 and 1000000")
    auction = resolve_mechanism(args.target)
    props = [_property(p) for p in args.property]
    prior = Prior.parse(args.prior) if args.prior else None
    for p in props:
        if p in VALUATION_PROPERTIES:
            continue
        if isinstance(p, str) and prior is None:
            raise UsageError(f"property {p} needs a prior: --prior type:probability,… (e.g. --prior 0:1/4,1:1/2,2:1/4)")
    if prior is not None and not any(p in PRIOR_PROPERTIES for p in props if isinstance(p, str)):
        raise UsageError("--prior is read only by bic and interim-ir")
    bounds = _bounds(args.bound)
    if "delta" in bounds and not any(VALUATION_PROPERTIES.get(p, ("", "", False))[2] for p in props
                                     if isinstance(p, str)):
        raise UsageError("--bound delta=… is read only by uded-in-K and welfare-in-undominated")
    if "epsilon" in bounds and "welfare-in-undominated" not in props:
        raise UsageError("--bound epsilon=… is read only by welfare-in-undominated")
    read = set()
    for p in props:
        read |= ({"players"} if p in PRIOR_PROPERTIES else {"players", "B", "delta", "epsilon"}
                 if p in VALUATION_PROPERTIES else {"players", "B", "step"})
    unread = [parse_bound(t)[0] for t in args.bound if parse_bound(t)[0] not in read]
    if unread:
        raise UsageError(f"--bound {unread[0]}=… is read by none of the properties asked for "
                         f"({', '.join(p if isinstance(p, str) else p.name for p in props)})")
    budget = args.budget if args.budget is not None else config.budget
    session = _Session(args.target, budget, ResultCache(Path(args.state_dir), enabled=not args.no_cache,
                                                        tools=tool_versions()), progress_cls, not args.no_progress)
    worst = EXIT_OK
    outputs = []
    for prop in props:
        if isinstance(prop, str):
            hunt = _valuation_hunt if prop in VALUATION_PROPERTIES else _prior_hunt
            outputs.append(hunt(auction, prop, prior, bounds, session, args))
            worst = max(worst, gate_exit_code(outputs[-1][2]))
            if outputs[-1][2].interrupted:           # Ctrl-C or a signal: stop, report what ran
                break
            continue
        probe = _claim(prop, random_hunt_part(auction, prop, players=DEFAULT_BOUNDS["players"],
                                              B=DEFAULT_BOUNDS["B"]), args.target)   # the user's bounds: resolved
        grid = {k: v for k, v in bounds.items() if k in ("players", "B", "step")}
        resolved = resolve_domains([probe], grid, quiet_keys=list(grid))[(probe.id, probe.parts[0].name)]
        size = hunt_cases(prop, resolved["players"], resolved["B"])
        estimate = size / POINTS_PER_SECOND
        search = args.search
        if search == "auto":
            search = "exhaustive" if estimate <= budget else "random"
        if search == "exhaustive" and estimate > budget:
            raise UsageError(f"property {prop.name}: the domain {resolved.text} has {size:,} points, an estimated "
                             f"{estimate:,.0f}s at ~{POINTS_PER_SECOND:,} points/s, over the budget of {budget:g}s: "
                             "lower B or players, raise --budget, or use --search random")
        part = hunt_part(auction, prop, players=resolved["players"], B=resolved["B"], step=resolved["step"])
        claim = _claim(prop, part, args.target)
        lines: list[str] = []
        if search == "random":
            rpart = random_hunt_part(auction, prop, players=resolved["players"], B=resolved["B"],
                                     step=resolved["step"], examples=args.examples, seed=args.seed)
            rclaim = _claim(prop, rpart, args.target)
            report = session.run(rclaim, bounds)
            v = report.results[0].parts[0].verdict
            lines.append(f"random search ({args.examples} points, seed {args.seed}): {v.status.value} — {v.summary}")
            if v.status is Status.REFUTED and not report.interrupted:
                w = dict(v.witness.assignment)
                box = dict(bounds, players=(int(w["players"]),), B=int(w["B"]))
                box_estimate = hunt_part(auction, prop, players=box["players"], B=box["B"], step=box.get("step", 1))
                box = {k: v for k, v in box.items() if k in ("players", "B", "step")}
                size_box = resolve_domains([_claim(prop, box_estimate, args.target)], box,
                                           quiet_keys=list(box))[(claim.id, box_estimate.name)].size or 0
                if size_box / POINTS_PER_SECOND <= budget:
                    lines.append(f"shrinking: every point of its box (n = {w['players']}, B = {w['B']}) in the minimal "
                                 "order")
                    part = box_estimate
                    claim = _claim(prop, part, args.target)
                    report = session.run(claim, box)
                else:
                    lines.append(f"its box (n = {w['players']}, B = {w['B']}) has {size_box:,} points: too many to "
                                 "search for the minimal witness within the budget; the Hypothesis-shrunk one stands")
        elif search != "smt":
            report = session.run(claim, bounds)
        if search != "smt":
            v = report.results[0].parts[0].verdict
            reproduce = _reproduce(args.target, prop, dict(v.witness.assignment)) if v.witness else ""
            lines += _result_lines(v, MINIMAL_ORDER if v.method.startswith("exhaustive") else "", reproduce,
                                   "verified: bounded, not a proof for other grids")
            code = gate_exit_code(report)
            worst = max(worst, code) if code != EXIT_USAGE else worst
            outputs.append((prop, search, report, lines))
            if report.interrupted:                   # Ctrl-C or a signal: stop, report what ran
                break
            if v.status.passes and args.search == "auto":
                extra = _smt_hunt(auction, prop, bounds, session, args, quiet=True)
                if extra:
                    outputs.append(extra)
                    worst = max(worst, gate_exit_code(extra[2]))
            continue
        extra = _smt_hunt(auction, prop, bounds, session, args, quiet=False)
        outputs.append(extra)
        worst = max(worst, gate_exit_code(extra[2]))
        if extra[2].interrupted:
            break
    result = {"mechanism": auction.name, "target": args.target,
              "hunts": [{"property": p if isinstance(p, str) else p.name, "search": s, "notes": ls,
                         "report": json.loads(r.to_json())} for p, s, r, ls in outputs]}
    _save_last_hunt(Path(args.state_dir), result)
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for prop, search, report, lines in outputs:
            print(render_table(report, width))
            for line in lines:
                print(line)
            print()
    return worst


def _save_last_hunt(state_dir: Path, result: dict) -> None:
    """The last hunt's result as STATE_DIR/last-hunt.json, for `mechproof report --html` (best effort)."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        tmp = state_dir / ".last-hunt.json.tmp"
        tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        tmp.replace(state_dir / "last-hunt.json")
    except OSError as exc:
        print(f"mechproof: warning: could not keep the hunt's result in {state_dir}: {exc.strerror or exc}",
              file=sys.stderr)


def _prior_hunt(auction: Auction, name: str, prior: Prior, bounds: dict, session: _Session, args):
    part = prior_part(auction, name, prior, DEFAULT_BOUNDS["players"])      # the user's players: resolved
    claim = Claim(id=f"HUNT-{_slug(name)}", title=part.name, statement=PRIOR_PROPERTIES[name][1],
                  source=f"mechproof hunt {args.target}", parts=(part,))
    report = session.run(claim, {"players": bounds["players"]})
    v = report.results[0].parts[0].verdict
    reproduce = (f"mechproof hunt {args.target} --property {name} --prior {args.prior} "
                 f"--bound players={dict(v.witness.assignment)['players']}") if v.witness else ""
    return name, "exhaustive", report, _result_lines(
        v, PRIOR_ORDER, reproduce, "verified: this prior and these numbers of players only")


def _valuation_hunt(auction: Auction, name: str, prior: Prior | None, bounds: dict, session: _Session, args):
    from .valuation_properties import VALUATION_ORDER, valuation_part
    title, definition, needs_delta = VALUATION_PROPERTIES[name]
    if needs_delta and "delta" not in bounds:
        raise UsageError(f"property {name} needs δ: --bound delta=1/4 (or a grid, delta=1/10,1/4): K ranges over "
                         "δ-approximate valuations")
    if name == "welfare-in-undominated" and "epsilon" not in bounds:
        raise UsageError(f"property {name} needs the guarantee: --bound epsilon=9/25 (((1−δ)/(1+δ))² at δ = 1/4)")
    part = valuation_part(auction, name, delta=Fraction(1, 4),      # placeholders: the user's δ (and ε, which
                          epsilon=Fraction(1, 2))                   # the checks above require) apply when resolved
    claim = Claim(id=f"HUNT-{_slug(name)}", title=part.name, statement=definition,
                  source=f"mechproof hunt {args.target}", parts=(part,))
    report = session.run(claim, bounds)
    v = report.results[0].parts[0].verdict
    reproduce = ""
    if v.witness:
        w = dict(v.witness.assignment)
        reproduce = (f"mechproof hunt {args.target} --property {name} --bound players={w['players']} "
                     f"--bound B={w['B']}" + "".join(f" --bound {k}={w[k]}" for k in ("delta", "epsilon") if k in w))
    return name, "exhaustive", report, _result_lines(v, VALUATION_ORDER, reproduce, "verified: bounded")
