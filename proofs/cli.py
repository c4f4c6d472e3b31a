"""The `mechproof` command line: list, check, show, hunt."""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

from mechproof.mechanisms.errors import MechproofError, UsageError

from .config import MAX_BUDGET, Config, load_config, parse_bound
from .domains import render_value, resolve_domains
from .registry import NOT_ENCODED, Registry, load_registry
from .report import (EXIT_INTERNAL, EXIT_OK, EXIT_UNKNOWN, EXIT_USAGE, gate_exit_code, render_below_proved,
                     render_junit, render_show, render_summary, render_table)
from .progress import Progress as _Progress
from .runner import default_memory, run_claims
from .state import load_state, save_state
from .verdicts import ClaimResult, Report


DESCRIPTION = """\
mechproof checks formal claims about mechanisms — the lemmas of three papers on
approximate valuations (CMZ), a risk-averse seller (BCK) and pen testing (GH),
and any claim you declare yourself — and reports a verdict for each:

  proved     symbolic proof for every parameter value, each step checked
  verified   exhaustive or z3-unsat over a stated finite domain
  certified  rigorous interval arithmetic over a stated range
  tested     randomised search found nothing (never a proof)
  refuted    an exact counterexample, re-checked by direct evaluation
  unknown    timeout, unsupported or not yet encoded (never a pass)
  error      the check itself crashed (never a pass)

exit codes:
  0   every selected claim passed (proved / verified / certified / tested)
  1   something was refuted
  2   something unknown or errored (unknown passes with --allow-unknown)
  64  usage error: bad option, bad bound, unknown claim id, malformed module
"""

EPILOG = """\
examples:
  mechproof list                       every claim id, paper, method, encoded or not
  mechproof check                      check every claim (the CI gate)
  mechproof check 'CMZ-*' GH-L8        globs and ids
  mechproof check --bound B=20 --bound delta=1/4,1/2 CMZ-T4
  mechproof check --bound GH-L8.n_max=80 -j 2  widen one claim's domain, check all
  mechproof check --module my_claims.py        your own claims (see README)
  mechproof check --format junit --output mechproof.xml
  mechproof show GH-L8                 statement, source, last verdict with evidence
  mechproof hunt first-price --property dsic   hunt a counterexample on a mechanism

configuration: [tool.mechproof] in pyproject.toml (claims, modules, budget, jobs,
allow-unknown, skip-slow, expect-refuted, [tool.mechproof.bounds]); options given
on the command line win.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 64, one line, no traceback
        print(f"mechproof: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _positive_seconds(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"budget {text!r} is not a number of seconds") from None
    if not math.isfinite(v) or v <= 0 or v > MAX_BUDGET:
        raise argparse.ArgumentTypeError(f"budget must be > 0 seconds and at most {MAX_BUDGET:g}, got {text}")
    return v


MAX_JOBS = max(64, 2 * (os.cpu_count() or 1))


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not 1 <= v <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_JOBS}, got {v}")
    return v


def _memory(text: str) -> int:
    """'4G', '512M', '1.5G' or bytes -> bytes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", text, re.I)
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a memory size (e.g. 4G, 512M)")
    scale = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}[m.group(2).upper()]
    v = int(float(m.group(1)) * scale)
    if v < 256 << 20:
        raise argparse.ArgumentTypeError(f"memory limit {text} is below 256M: the checker itself needs more")
    return v


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mechproof", description=DESCRIPTION, epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"mechproof {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    lp = sub.add_parser("list", help="list every claim id with its paper, method and whether it is encoded",
                        description="List every claim: id, paper, method, encoded or not, title.")
    lp.add_argument("ids", nargs="*", metavar="ID", help="ids or globs to list (default: all)")
    lp.add_argument("--module", action="append", default=[], metavar="PATH", help="also load claims from PATH")
    lp.add_argument("--bounds", action="store_true",
                    help="list every bound key each claim's parts read: default, allowed range, scope")
    lp.add_argument("--format", choices=("table", "json", "markdown"), default="table",
                    help="markdown: the bound table of docs/bounds.md (with --bounds)")

    cp = sub.add_parser("check", help="check claims and report verdicts (the CI gate)",
                        description="Check claims and report a verdict for each.\n\n" + DESCRIPTION.split("\n\n", 1)[1],
                        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    cp.add_argument("ids", nargs="*", metavar="ID", help="claim ids or globs such as 'CMZ-*' (default: all, or "
                    "the [tool.mechproof] claims list, or just the --module claims)")
    cp.add_argument("--module", action="append", default=[], metavar="PATH",
                    help="load your own claims from a Python file (repeatable)")
    cp.add_argument("--budget", type=_positive_seconds, metavar="SECONDS",
                    help="wall-clock budget per claim part; overruns are killed → unknown (default 120)")
    cp.add_argument("--jobs", "-j", type=_positive_int, metavar="N", help="parts checked in parallel (default 1)")
    cp.add_argument("--memory", type=_memory, metavar="SIZE",
                    help="address-space limit per part, e.g. 4G (default: half the machine's memory shared by "
                         "the parallel parts); a part that hits it is unknown")
    cp.add_argument("--bound", action="append", default=[], metavar="KEY=VALUE",
                    help="override a domain bound, exact values: B=20, n=2,3, delta=1/4,1/2; scope it to one "
                         "claim with a prefix: CMZ-T4.B=20 (repeatable; every key: docs/bounds.md)")
    cp.add_argument("--format", choices=("table", "json", "junit"), default="table")
    cp.add_argument("--output", "-o", metavar="FILE",
                    help="write the --format output to FILE (the table still goes to stdout)")
    cp.add_argument("--allow-unknown", action="store_true", default=None,
                    help="let unknown verdicts pass the gate (errors and refutations still fail)")
    cp.add_argument("--skip-slow", action="store_true", default=None, help="skip parts marked slow (they are reported as unknown)")
    cp.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
    cp.add_argument("--state-dir", default=".mechproof", metavar="DIR",
                    help="where the last verdicts are kept for `mechproof show`, and the result cache "
                         "(default .mechproof)")
    cp.add_argument("--no-cache", action="store_true",
                    help="run every part, ignoring the result cache (a part unchanged since its last pass or "
                         "refutation is otherwise taken from it, marked cached)")

    cp.add_argument("--certificates", metavar="DIR",
                    help="write, per part verdict, what a third party needs to re-check it (SMT-LIB queries "
                         "with their answers, proof steps as sympy text, enclosures, witnesses, coverage) to "
                         "DIR; re-check them with `mechproof recheck DIR` (implies --no-cache)")

    cp.add_argument("--executor", choices=("local", "dask"), default="local",
                    help="where a bounded check's shards run: forked processes here (local), or a Dask cluster "
                         "(dask; a LocalCluster of --jobs workers unless --scheduler is given; docs/scaling.md)")
    cp.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                    "(with --executor dask; the workers need mechproof and your modules at the same paths)")

    from .recheck import add_recheck_parser
    add_recheck_parser(sub, _positive_seconds)
    from .html_report import add_report_parser
    add_report_parser(sub)

    sp = sub.add_parser("show", help="statement, source, method and last verdict of one claim",
                        description="Show a claim's statement, source and parts, and its last recorded verdict "
                                    "with full evidence and witness (from `mechproof check`).")
    sp.add_argument("id", metavar="ID")
    sp.add_argument("--module", action="append", default=[], metavar="PATH")
    sp.add_argument("--run", action="store_true", help="check the claim now instead of showing the stored verdict")
    sp.add_argument("--budget", type=_positive_seconds, metavar="SECONDS")
    sp.add_argument("--state-dir", default=".mechproof", metavar="DIR")

    from .hunt_command import add_hunt_parser
    add_hunt_parser(sub, _positive_seconds)

    kp = sub.add_parser("cache", help="the result cache: clear it",
                        description="The result cache keeps each part's verdict (proved, verified, certified, "
                                    "tested, refuted) under a hash of mechproof's source, the tools, the claim, the "
                                    "part, its resolved domain and the user module's text; `check` and `hunt` re-run "
                                    "only what changed.")
    kp.add_argument("action", choices=("clear",))
    kp.add_argument("--state-dir", default=".mechproof", metavar="DIR")
    return p




def _version() -> str:
    from . import __version__
    return __version__


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `mechproof list | head`: the reader left; not an error of ours
        try:
            sys.stderr.close()
        except OSError:
            pass
        return EXIT_OK
    except KeyboardInterrupt:
        print("mechproof: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:            # argparse: --help, --version, a usage error (exit 64)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
    except BaseException as exc:         # a bug of ours: one line, the traceback in a log file
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    for folder in (Path(".mechproof"), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / f"crash-{stamp}-{os.getpid()}.log"
            log.write_text(text, encoding="utf-8")
            where = f"details in {log}"
            break
        except OSError:
            continue
    else:
        where = "no log could be written"
    print(f"mechproof: internal error: {type(exc).__name__}: {str(exc)[:200]} ({where}; please report it)",
          file=sys.stderr)
    return EXIT_INTERNAL


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        config = load_config()
        if args.command == "list":
            return _cmd_list(args, config)
        if args.command == "check":
            return _cmd_check(args, config)
        if args.command == "hunt":
            from .hunt_command import run_hunt
            return run_hunt(args, config, _Progress, _width())
        if args.command == "report":
            from .html_report import run_report
            return run_report(args)
        if args.command == "recheck":
            from .recheck import run_recheck
            return run_recheck(args, config)
        if args.command == "cache":
            from .cache import ResultCache
            removed = ResultCache(Path(args.state_dir)).clear()
            print(f"removed {removed} cached verdict{'' if removed == 1 else 's'} from {Path(args.state_dir) / 'cache'}")
            return EXIT_OK
        return _cmd_show(args, config)
    except MechproofError as exc:          # UsageError, ClaimDeclarationError: one line, exit 64
        print(f"mechproof: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _registry(args, config: Config, isolate: bool = False) -> tuple[Registry, list[str]]:
    modules = list(config.modules) + list(args.module)
    return load_registry(modules, isolate=isolate), modules


def _bound_rows(claims) -> list[dict]:
    """One row per (claim, key): where it is read, its default, range, scope and meaning."""
    rows = []
    for c in claims:
        seen: dict[str, dict] = {}
        for p in c.parts:
            for k in p.domain.keys:
                row = seen.get(k.name)
                if row is None:
                    row = seen[k.name] = {"claim": c.id, "key": k.name, "parts": [],
                                          "default": render_value(k.default), "range": k.range_text(),
                                          "grid": k.many, "kind": k.kind,
                                          "scope": f"{c.id}.{k.name}" if k.local else k.name,
                                          "help": k.help}
                row["parts"].append(p.name)
        rows.extend(seen.values())
    return rows


def bounds_markdown(claims) -> str:
    """The table of docs/bounds.md, generated from the schemas."""
    lines = ["| claim | set with | default | allowed | meaning | parts |", "| --- | --- | --- | --- | --- | --- |"]
    for r in _bound_rows(claims):
        allowed = r["range"] + ((" (a grid: `a,b` or `lo..hi`)" if r["kind"] == "int" else " (a grid: `a,b`)")
                                if r["grid"] else "")
        lines.append(f"| {r['claim']} | `--bound {r['scope']}=…` | {r['default']} | {allowed} | {r['help']} | "
                     f"{', '.join(r['parts'])} |")
    return "\n".join(lines) + "\n"


def _cmd_list(args, config: Config) -> int:
    registry, _ = _registry(args, config)
    claims = registry.select(args.ids)
    if args.bounds:
        rows = _bound_rows(claims)
        if args.format == "json":
            print(json.dumps(rows, indent=2, ensure_ascii=False))
        elif args.format == "markdown":
            print(bounds_markdown(claims), end="")
        else:
            if not rows:
                print("the selected claims read no bounds (their domains are fixed)")
                return EXIT_OK
            print(f"{'claim':<12}  {'set with':<26}  {'default':<22}  {'allowed':<34}  meaning")
            for r in rows:
                allowed = r["range"] + (", grid" if r["grid"] else "")
                print(f"{r['claim']:<12}  {r['scope']:<26}  {_clip_text(r['default'], 22):<22}  "
                      f"{_clip_text(allowed, 34):<34}  {r['help']}")
            print(f"\n{len(rows)} keys; a key without a claim prefix reaches every selected claim that reads it")
        return EXIT_OK
    if args.format == "json":
        print(json.dumps([{"id": c.id, "paper": c.paper, "title": c.title, "method": c.method,
                           "encoded": c.id in registry.encoded, "parts": [p.name for p in c.parts]}
                          for c in claims], indent=2, ensure_ascii=False))
        return EXIT_OK
    w = max(len(c.id) for c in claims)
    print(f"{'claim'.ljust(w)}  paper  {'encoded':<15}  {'method':<34}  title")
    for c in claims:
        enc = "yes" if c.id in registry.encoded else NOT_ENCODED
        method = c.method if c.id in registry.encoded else "—"
        print(f"{c.id.ljust(w)}  {c.paper:<5}  {enc:<15}  {method[:34]:<34}  {c.title}")
    n_enc = sum(c.id in registry.encoded for c in claims)
    print(f"\n{len(claims)} claims, {n_enc} encoded, {len(claims) - n_enc} not yet encoded")
    return EXIT_OK


def resolve_run_domains(registry: Registry, claims, config: Config, cli_bounds: list[str]):
    """Every part's domain, from the schemas, [tool.mechproof.bounds] and --bound (which wins).

    A pyproject key need only be read by some known claim; a --bound key by a selected one.
    """
    bounds: dict[str, object] = dict(config.bounds)
    from_cli: set[str] = set()
    for text in cli_bounds:
        k, v = parse_bound(text)
        bounds[k] = v
        from_cli.add(k)
    quiet = [k for k in bounds if k not in from_cli]
    return resolve_domains(claims, bounds, known=registry.claims, quiet_keys=quiet,
                           where="--bound" if from_cli else f"{config.path or 'pyproject.toml'} bounds")


def _cmd_check(args, config: Config) -> int:
    if args.certificates:
        from .certificates import ENV, check_certificate_folder
        check_certificate_folder(args.certificates)
        os.environ[ENV] = "1"              # before any worker (or the zygote) is forked
        args.no_cache = True               # a cached verdict has no certificate items
    dask = None
    if args.executor == "dask":                # before any worker (or the zygote) is forked
        from .dask_executor import start_dask
        _, dask = start_dask(args.scheduler, args.jobs or os.cpu_count() or 1,
                             tuple(config.modules) + tuple(args.module))
    elif args.scheduler:
        raise UsageError("--scheduler needs --executor dask")
    try:
        registry, modules = _registry(args, config, isolate=True)
        try:
            return _check(args, config, registry, modules)
        finally:
            registry.close()
    finally:
        if args.executor == "dask":
            from .dask_executor import stop_dask
            stop_dask(dask)


def _check(args, config: Config, registry: Registry, modules: list[str] | None = None) -> int:
    """`modules` are the user modules, from --module and from [tool.mechproof] modules alike: with no
    ids (and no configured claims list) just their claims are checked."""
    patterns = list(args.ids) or list(config.claims)
    modules = list(args.module) if modules is None else modules
    if patterns:
        claims = registry.select(patterns)
    elif modules:
        user = {cid for cid, origin in registry.origin if origin in {str(m) for m in modules}}
        claims = [c for c in registry.claims if c.id in user]
    else:
        claims = list(registry.claims)
    claims = registry.closure(claims)          # the claims they use are checked in the same run
    domains = resolve_run_domains(registry, claims, config, args.bound)
    budget = args.budget if args.budget is not None else config.budget
    jobs = args.jobs if args.jobs is not None else config.jobs
    allow_unknown = args.allow_unknown if args.allow_unknown is not None else config.allow_unknown
    skip_slow = args.skip_slow if args.skip_slow is not None else config.skip_slow
    if args.output:
        _check_writable(args.output)

    progress = _Progress(not args.no_progress, claims)
    from .cache import ResultCache
    from .runner import tool_versions
    cache = ResultCache(Path(args.state_dir), enabled=not args.no_cache, tools=tool_versions())
    origins = {cid: origin for cid, origin in registry.origin if origin.endswith(".py")}
    report = run_claims(claims, budget=budget, domains=domains, jobs=jobs, skip_slow=skip_slow, on_event=progress,
                        memory=args.memory or default_memory(jobs), zygote=registry.zygote,
                        isolated=registry.isolated, cache=cache, origins=origins)
    progress.close()
    code = gate_exit_code(report, allow_unknown, config.expect_refuted)
    _save_state(Path(args.state_dir), report)
    if getattr(args, "certificates", None):
        from .certificates import write_certificate_folder
        code = max(code, write_certificate_folder(args.certificates, report, origins))

    table = lambda: "\n".join(t for t in (render_table(report, _width()), render_below_proved(report, _width())) if t)
    rendered = {"table": table, "json": report.to_json,
                "junit": lambda: render_junit(report, allow_unknown)}[args.format]()
    summary = render_summary(report, code)
    if args.output:
        try:
            Path(args.output).write_text(rendered if rendered.endswith("\n") else rendered + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"mechproof: error: --output {args.output}: {exc.strerror or exc}", file=sys.stderr)
            code = max(code, EXIT_UNKNOWN)
        print(table())
        print(summary)
        print(f"{args.format} report written to {args.output}")
    elif args.format == "table":
        print(rendered)
        print(summary)
    else:
        print(rendered)
        print(summary, file=sys.stderr)
    return code


def _check_writable(output: str) -> None:
    """--output must be a writable file path, checked before the run starts."""
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"--output {output}: is a directory; give a file name")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise UsageError(f"--output {output}: directory {folder} does not exist")
    if target.exists() and not os.access(target, os.W_OK):
        raise UsageError(f"--output {output}: not writable")
    if not target.exists() and not os.access(folder, os.W_OK):
        raise UsageError(f"--output {output}: directory {folder} is not writable")


def _clip_text(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _width() -> int:
    """The table width: $COLUMNS, else the terminal's, else 160 (logs); at least 100."""
    return max(100, shutil.get_terminal_size(fallback=(160, 24)).columns)


def _save_state(state_dir: Path, report: Report) -> None:
    warning = save_state(state_dir, report)
    if warning:
        print(f"mechproof: warning: {warning}", file=sys.stderr)


def _cmd_show(args, config: Config) -> int:
    registry, _ = _registry(args, config)
    wanted = args.id.strip()
    if wanted not in registry.ids() and not args.run:
        stored, warning = load_state(Path(args.state_dir))
        if wanted in stored:                       # a user claim checked earlier, its module not loaded now
            from types import SimpleNamespace
            r = stored[wanted]
            stand_in = SimpleNamespace(id=r.claim_id, title=r.title, statement=r.statement, source=r.source,
                                       method="(as recorded)", parts=(), uses=r.uses, ceiling=None)
            print(render_show(r, stand_in, "a module not loaded now (pass --module PATH for its declaration, "
                                           "or --run to check it again)", stored, {r.claim_id: r.uses}))
            return EXIT_OK
    claim = registry.get(wanted)
    origin = dict(registry.origin).get(claim.id, "?")
    result = None
    stored: dict[str, ClaimResult] = {}
    if args.run:
        claims = registry.closure([claim])
        domains = resolve_run_domains(registry, claims, config, [])
        report = run_claims(claims, budget=args.budget or config.budget, domains=domains)
        _save_state(Path(args.state_dir), report)
        stored = {r.claim_id: r for r in report.results}
    else:
        stored, warning = load_state(Path(args.state_dir))
        if warning:
            print(f"mechproof: warning: {warning}; run `mechproof check` again", file=sys.stderr)
    result = stored.get(claim.id)
    uses = {c.id: c.uses for c in registry.claims}
    print(render_show(result, claim, origin, stored, uses))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
