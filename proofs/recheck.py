"""`mechproof recheck DIR`: replay the certificates of `check --certificates DIR` with independent tools.

Every item of a certificate (proofs/certificates.py) gets one outcome:

* ``re-solved``     an SMT-LIB query: z3 (a fresh solver on the text) and cvc5 give the recorded answer
                    (at least one of them decided it, neither contradicted it);
* ``re-proved``     sympy decides the step again on its own: lhs − rhs simplifies to 0, sympy's limit is
                    the recorded value, a constant's sign from a rigorous mpmath.iv enclosure;
* ``spot-checked``  an inequality step sympy cannot decide alone, evaluated at sample points inside its
                    recorded ranges (evidence, not a proof: reported as such);
* ``replayed``      a witness: the claim's plain exact evaluation (its `replay`) still finds the violation
                    with the recorded values;
* ``recorded``      kept for the reader, not re-checkable by another tool (a bounded domain's description
                    and case count, a citation, an assumption, an enclosure of a Python function);
* ``unconfirmed``   could not be re-checked (a solver timed out, a function sympy cannot evaluate);
* ``disagrees``     re-checking contradicts the certificate.

A certificate as a whole disagrees when an item disagrees, when its verdict is inconsistent with its
items (a pass with a query whose answer is sat, a refutation without a witness, a bounded pass over
zero cases) or when its file's SHA-256 is not the manifest's.  Exit codes: 0 nothing disagrees, 1 a
disagreement or a tampered file, 64 a missing, incomplete or malformed directory.
"""
from __future__ import annotations

import hashlib
import json
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mechproof.mechanisms.errors import UsageError

from .certificates import FORMAT, MANIFEST, decode_value, parse_srepr
from .recheck_sympy import enclose_constant, recheck_chain, recheck_equal, recheck_limit, recheck_sign, srepr_ranges
from .report import EXIT_OK, EXIT_REFUTED

__all__ = ["recheck_folder", "recheck_certificate", "run_recheck", "OUTCOMES"]

OUTCOMES = ("re-solved", "re-proved", "spot-checked", "replayed", "recorded", "unconfirmed", "disagrees")
PASSING = ("proved", "verified", "certified", "tested")
MAX_FILE = 256 << 20
CVC5_CONFIRM = 1.0      # seconds cvc5 gets to confirm an answer z3 already re-derived


# ------------------------------------------------------------------ the folder
def _load_manifest(folder: Path) -> dict:
    if not folder.is_dir():
        raise UsageError(f"recheck: {folder} is not a directory (write one with `mechproof check --certificates "
                         f"{folder}`)")
    path = folder / MANIFEST
    if not path.is_file():
        raise UsageError(f"recheck: {folder} has no {MANIFEST}: not a certificate directory, or incomplete")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise UsageError(f"recheck: {path} is unreadable ({str(exc)[:100]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise UsageError(f"recheck: {path} is malformed (no list of files)")
    if data.get("format") != FORMAT:
        raise UsageError(f"recheck: {path} has certificate format {data.get('format')!r}; this mechproof reads "
                         f"format {FORMAT}")
    for entry in data["files"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str)):
            raise UsageError(f"recheck: {path} is malformed (a file entry without path and sha256)")
        rel = Path(entry["path"])
        if rel.is_absolute() or ".." in rel.parts:
            raise UsageError(f"recheck: {path} names a file outside the directory: {entry['path']}")
    missing = [e["path"] for e in data["files"] if not (folder / e["path"]).is_file()]
    if missing:
        raise UsageError(f"recheck: {folder} is incomplete: {len(missing)} certificate file"
                         f"{'' if len(missing) == 1 else 's'} of the manifest missing (first: {missing[0]})")
    return data


def recheck_folder(folder: Path, seconds: float = 10.0, modules: tuple[str, ...] = (),
                   progress=None) -> list[dict]:
    """One row per certificate: claim, part, status, outcome, counts, problems."""
    folder = Path(folder)
    manifest = _load_manifest(folder)
    listed = {e["path"]: e["sha256"] for e in manifest["files"]}
    rows = []
    for path in sorted(folder.rglob("*.json")):
        rel = path.relative_to(folder).as_posix()
        if rel != MANIFEST and rel not in listed:
            rows.append(_row_problem(rel, "a certificate file the manifest does not list"))
    registry = None
    for i, (rel, digest) in enumerate(sorted(listed.items()), 1):
        if progress:
            progress(f"[{i}/{len(listed)}] {rel}")
        path = folder / rel
        try:
            data = path.read_bytes() if path.stat().st_size <= MAX_FILE else b""
        except OSError as exc:              # removed or unreadable since the manifest was read
            rows.append(_row_problem(rel, f"cannot be read: {exc.strerror or exc}"))
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            rows.append(_row_problem(rel, "its SHA-256 is not the manifest's: the file was changed"))
            continue
        try:
            cert = json.loads(data.decode("utf-8"))
            if not isinstance(cert, dict) or not isinstance(cert.get("items"), list):
                raise ValueError("no items")
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            rows.append(_row_problem(rel, f"malformed certificate ({str(exc)[:80]})"))
            continue
        if registry is None and any(isinstance(it, dict) and it.get("kind") == "witness_values"
                                    for it in cert["items"]):
            registry = _registry(modules)
        rows.append(recheck_certificate(cert, seconds, registry, rel))
    if registry not in (None, False):
        registry.close()
    return rows


def _row_problem(rel: str, why: str) -> dict:  # a file-level problem: the certificate disagrees
    return {"file": rel, "claim": "?", "part": "?", "status": "?", "outcome": "disagrees",
            "counts": {"disagrees": 1}, "problems": [why]}


def _registry(modules: tuple[str, ...]):
    from .registry import load_registry
    try:                                # a user module that does not load: its witnesses stay unconfirmed
        return load_registry(list(modules))
    except Exception:
        return False


# ------------------------------------------------------------------ one certificate
def recheck_certificate(cert: dict, seconds: float = 10.0, registry: Any = None, rel: str = "") -> dict:
    verdict = cert.get("verdict") if isinstance(cert.get("verdict"), dict) else {}
    status = str(verdict.get("status", "?"))
    counts: dict[str, int] = {}
    problems: list[str] = []
    items = [it for it in cert["items"] if isinstance(it, dict)]
    values = next((it for it in items if it.get("kind") == "witness_values"), None)
    for it in items:
        kind = it.get("kind")
        try:
            with _time_limit(4 * seconds + 5):
                outcome, why = _recheck_item(it, seconds, cert, registry, values)
        except _ItemTimeout:             # sympy on a huge expression: not re-checked, never a hang
            outcome, why = "unconfirmed", f"re-checking took longer than {4 * seconds + 5:g} s"
        except Exception as exc:         # a malformed item: the certificate is not what was written
            outcome, why = "disagrees", f"malformed {kind} item ({type(exc).__name__}: {str(exc)[:80]})"
        if outcome is None:
            continue
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome in ("disagrees", "unconfirmed") and why:
            problems.append(f"{kind} {it.get('label', '')}: {why}".replace("  ", " "))
    problems += _consistency(status, items, verdict)
    if any(p.startswith("verdict:") for p in problems):
        counts["disagrees"] = counts.get("disagrees", 0) + 1
    outcome = ("disagrees" if counts.get("disagrees") else
               "agrees" if any(counts.get(k) for k in ("re-solved", "re-proved", "replayed", "spot-checked"))
               else "recorded only")
    return {"file": rel, "claim": str(cert.get("claim", "?")), "part": str(cert.get("part", "?")), "status": status,
            "outcome": outcome, "counts": counts, "problems": problems}


class _ItemTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """SIGALRM after `seconds` in the main thread (elsewhere no limit: solvers keep their own)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(signum, frame):
        raise _ItemTimeout()
    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _consistency(status: str, items: list[dict], verdict: dict) -> list[str]:
    """The verdict must be what its items show."""
    out = []
    answers = [it.get("expected") for it in items if it.get("kind") == "smtlib"]
    if status in PASSING and "sat" in answers:
        out.append(f"verdict: {status}, but a query it rests on is recorded sat (a counterexample exists)")
    if status == "refuted" and not any(it.get("kind") == "witness" for it in items):
        out.append("verdict: refuted without a witness")
    if status in ("verified", "tested"):
        cov = next((it for it in items if it.get("kind") == "coverage"), None)
        if cov is None:
            out.append(f"verdict: {status} without its coverage (domain and case count)")
        elif not str(cov.get("cases", "")).isdigit() or int(cov["cases"]) < 1 or cov.get("cases") != verdict.get("cases"):
            out.append(f"verdict: {status} over {cov.get('cases')!r} cases (the verdict says {verdict.get('cases')!r})")
    for it in items:
        if status in PASSING and it.get("kind") in ("equal", "sign", "limit", "holds") and it.get("ok") != "True":
            out.append(f"verdict: {status}, but step {it.get('label')!r} is recorded as {it.get('ok')}")
        if status in PASSING and it.get("kind") == "chain" and any(s.get("ok") != "True" for s in it.get("steps", [])):
            out.append(f"verdict: {status}, but a step of {it.get('label')!r} is recorded unchecked")
    return out


def _recheck_item(it: dict, seconds: float, cert: dict, registry: Any, values: dict | None) -> tuple[str | None, str]:
    kind = it.get("kind")
    if kind == "smtlib":
        return _recheck_smt(it["smtlib"], it["expected"], seconds)
    if kind == "equal":
        return recheck_equal(parse_srepr(it["lhs"]), parse_srepr(it["rhs"]), it.get("ok") == "True")
    if kind == "sign":
        return recheck_sign(parse_srepr(it["expr"]), it["sign"], srepr_ranges(it.get("ranges", [])), it.get("ok") == "True")
    if kind == "limit":
        return recheck_limit(it, seconds)
    if kind == "chain":
        return recheck_chain(it)
    if kind in ("holds", "claimed", "witness_values"):
        return None, ""                # checked with its chain / its witness
    if kind == "enclosure":
        return _recheck_enclosure(it, cert)
    if kind == "witness":
        if values is None:
            return "recorded", ""
        return _recheck_witness(cert, json.loads(values["values"]), registry)
    if kind in ("coverage", "cite", "assume"):
        return "recorded", ""
    if kind in ("dropped", "unrecordable"):
        return "unconfirmed", it.get("why", "")
    return "disagrees", f"unknown item kind {kind!r}"


# ------------------------------------------------------------------ SMT-LIB
def _recheck_smt(text: str, expected: str, seconds: float) -> tuple[str, str]:
    if expected not in ("sat", "unsat"):
        return "disagrees", f"recorded answer {expected!r} is neither sat nor unsat"
    answers = {"z3": _z3_answer(text, seconds)}
    from mechproof.smt.second_route import cvc5_answer
    # cvc5 is the second opinion: the full time when z3 did not decide, a short look when it agreed
    answers["cvc5"] = cvc5_answer(text, seconds if answers["z3"] != expected else min(seconds, CVC5_CONFIRM))[0]
    against = [k for k, a in answers.items() if a in ("sat", "unsat") and a != expected]
    if against:
        return "disagrees", f"{', '.join(against)} answer{'s' if len(against) > 1 else 's'} {answers[against[0]]}, " \
                            f"the certificate says {expected}"
    if any(a == expected for a in answers.values()):
        return "re-solved", ""
    return "unconfirmed", f"neither solver decided the query in {seconds:g} s"


def _z3_answer(text: str, seconds: float) -> str:
    import z3
    try:
        s = z3.Solver()
        s.set("timeout", max(1, int(seconds * 1000)))
        s.from_string(text)
        return str(s.check())
    except z3.Z3Exception:
        return "unknown"


# ------------------------------------------------------------------ enclosures, witnesses
def _recheck_enclosure(it: dict, cert: dict) -> tuple[str, str]:
    """The bound re-evaluated (50 digits) must lie in its recorded enclosure, and a certified max/min must
    be on the claimed side of it; the enclosure of f itself needs f's code (recorded)."""
    import mpmath
    import sympy as sp
    expr = parse_srepr(it["bound"])
    x = enclose_constant(expr)                 # rigorous where it can; else 50 digits
    with mpmath.workprec(400):
        lo_b, hi_b = ((mpmath.mpf(x._mpi_[0]), mpmath.mpf(x._mpi_[1])) if x is not None
                      else (mpmath.mpf(str(sp.N(expr, 50))),) * 2)
        lower, upper = mpmath.mpf(it["lower"]), mpmath.mpf(it["upper"])
    status = (cert.get("verdict") or {}).get("status")
    if status == "certified":
        ok = upper < lo_b if it.get("extremum") == "max" else -upper > hi_b
        if not ok:
            return "disagrees", f"the recorded enclosure [{lower}, {upper}] does not certify the bound {sp.N(expr, 15)}"
    return "recorded", ""


def _recheck_witness(cert: dict, pairs: list, registry: Any) -> tuple[str, str]:
    if not registry:
        return "unconfirmed", "the claim could not be loaded (pass its module with --module)"
    cid, name = str(cert.get("claim")), str(cert.get("part"))
    if cid not in registry.ids():
        return "unconfirmed", f"claim {cid} is not known here (pass its module with --module)"
    part = next((p for p in registry.get(cid).parts if p.name == name), None)
    if part is None or part.replay is None:
        return "unconfirmed", f"claim {cid} has no part {name!r} with a plain evaluation"
    point = {str(k): decode_value(v) for k, v in pairs}
    recorded = {str(k): str(v) for k, v in next(it for it in cert["items"] if it.get("kind") == "witness")["assignment"]}
    from .verdicts import exact_text
    if any(exact_text(v) != recorded.get(k) for k, v in point.items()):
        return "disagrees", "the witness's exact values are not its recorded assignment"
    try:
        ev = part.replay(point)
    except Exception as exc:
        return "unconfirmed", f"the plain evaluation raised {type(exc).__name__}: {str(exc)[:80]}"
    holds = getattr(ev, "holds", None)
    return {False: ("replayed", ""), True: ("disagrees", "plain evaluation finds the property holds at the witness")
            }.get(holds, ("unconfirmed", "plain evaluation could not decide the witness"))


# ------------------------------------------------------------------ the command
def add_recheck_parser(sub, positive_seconds) -> None:
    from argparse import RawDescriptionHelpFormatter
    _positive_seconds = positive_seconds
    rp = sub.add_parser("recheck", help="re-check certificates written by `check --certificates DIR`",
                        description="Re-check the certificates in DIR with independent tools: z3 and cvc5 re-solve "
                                    "every SMT-LIB query, sympy re-proves or spot-checks every proof step and "
                                    "re-evaluates every bound, and each witness is replayed by the claim's plain "
                                    "exact evaluation. Exit 0 when nothing disagrees, 1 on a disagreement or a "
                                    "file whose digest is not the manifest's, 64 for a missing or malformed "
                                    "directory. docs/certificates.md says what each item kind re-checks.",
                        formatter_class=RawDescriptionHelpFormatter)
    rp.add_argument("folder", metavar="DIR")
    rp.add_argument("--module", action="append", default=[], metavar="PATH",
                    help="the user modules of user claims whose witnesses are to be replayed")
    rp.add_argument("--seconds", type=_positive_seconds, default=10.0, metavar="S",
                    help="time per SMT-LIB query and solver (default 10)")
    rp.add_argument("--format", choices=("table", "json"), default="table")


def run_recheck(args, config) -> int:
    folder = Path(args.folder)
    t0 = time.monotonic()
    tty = sys.stderr.isatty()

    def progress(msg: str) -> None:
        if tty:
            sys.stderr.write("\r\033[K" + msg[:100])
            sys.stderr.flush()

    modules = tuple(config.modules) + tuple(args.module)
    rows = recheck_folder(folder, args.seconds, modules, progress)
    sys.stderr.write("\r\033[K" if tty else "")
    bad = [r for r in rows if r["outcome"] == "disagrees"]
    totals: dict[str, int] = {}
    for r in rows:
        for k, v in r["counts"].items():
            totals[k] = totals.get(k, 0) + v
    if args.format == "json":
        print(json.dumps({"certificates": rows, "totals": totals, "disagreements": len(bad)}, indent=2,
                         ensure_ascii=False))
    else:
        w = max([len(r["claim"]) for r in rows] + [5])
        print(f"{'claim'.ljust(w)}  {'part':<40}  {'status':<9}  {'recheck':<13}  items")
        for r in rows:
            counts = ", ".join(f"{v} {k}" for k, v in sorted(r["counts"].items(), key=lambda kv: OUTCOMES.index(kv[0])
                                                            if kv[0] in OUTCOMES else 99))
            print(f"{r['claim'].ljust(w)}  {r['part'][:40]:<40}  {r['status']:<9}  {r['outcome']:<13}  {counts}")
            for p in r["problems"][:3]:
                print(f"{'':{w}}    ! {p[:200]}")
    agreed = sum(r["outcome"] == "agrees" for r in rows)
    only = sum(r["outcome"] == "recorded only" for r in rows)
    summary = ", ".join(f"{totals[k]} {k}" for k in OUTCOMES if totals.get(k))
    print(f"{len(rows)} certificates: {agreed} agree, {only} recorded only, {len(bad)} disagree ({summary}) in "
          f"{time.monotonic() - t0:.1f}s — recheck: {'FAIL' if bad else 'ok'}",
          file=sys.stderr if args.format == "json" else sys.stdout)
    return EXIT_REFUTED if bad else EXIT_OK
