"""Certificates: what a third party needs to re-check a verdict without trusting mechproof's engines.

`mechproof check --certificates DIR` writes one JSON file per part verdict, DIR/<claim>/<part>.json,
and DIR/manifest.json (the SHA-256 of every file, the mechproof version and source digest, the tool
versions).  A certificate holds the verdict (status, tier, method, domain, case count, summary) and
the items the engines recorded while the part ran:

* ``smtlib``      every z3 query decided (full SMT-LIB 2 text) with the answer it must get;
* ``equal`` / ``sign`` / ``limit``    the steps of a checked proof, as sympy `srepr` text;
* ``chain``       a checked derivation: start, every step's expression, rule and relation, the ranges;
* ``enclosure``   a certified extremum: the enclosure, the bound, the boxes and the precision;
* ``witness``     an exact counterexample with the values plain evaluation gave;
* ``coverage``    a bounded verdict's domain and case count;
* ``cite`` / ``assume``   what a proof rests on (recorded, never re-checked: a citation is checked
  as its own claim, an assumption is shown).

`mechproof recheck DIR` (proofs/recheck.py) replays the items with independent tools.  Recording is
off unless the run asks for it (the environment variable below is set by the CLI before any worker
is forked, so workers forked from the zygote see it too); it never changes a verdict.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from mechproof.mechanisms.errors import UsageError

__all__ = ["ENV", "FORMAT", "MANIFEST", "active", "collecting", "enabled", "record", "record_chain", "record_steps",
           "write_certificates", "part_file_name",
           "check_certificate_folder", "write_certificate_folder"]

ENV = "MECHPROOF_CERTIFICATES"
FORMAT = 1
MANIFEST = "manifest.json"
MAX_ITEMS = 2000                 # per part; beyond it the certificate says how many were not kept
MAX_ITEM_CHARS = 4 << 20         # per item (an SMT-LIB query larger than this is kept as its digest only)

_items: list[dict] | None = None
_dropped = 0


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


@contextmanager
def collecting() -> Iterator[list[dict]]:
    """Collect the items recorded while the body runs (in this process)."""
    global _items, _dropped
    _items, _dropped = [], 0
    try:
        yield _items
    finally:
        if _dropped:
            _items.append({"kind": "dropped", "count": str(_dropped),
                           "why": f"more than {MAX_ITEMS} items or an item over {MAX_ITEM_CHARS} characters"})
        _items = None


def active() -> bool:
    """A certificate is being collected (callers may skip building what only `record` would keep)."""
    return _items is not None


def record(kind: str, **fields: Any) -> None:
    """Keep one item (strings only) when a certificate is being collected; otherwise do nothing."""
    global _dropped
    if _items is None:
        return
    item = {"kind": kind, **{k: _text(v) for k, v in fields.items()}}
    if len(_items) >= MAX_ITEMS or sum(len(v) for v in item.values() if isinstance(v, str)) > MAX_ITEM_CHARS:
        _dropped += 1
        return
    _items.append(item)


def _text(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _text(v) for k, v in value.items()}
    return value if isinstance(value, str) else str(value)


def _srepr(expr: Any) -> str:
    import sympy as sp
    return sp.srepr(sp.sympify(expr))


def _ranges(ranges: Iterable) -> list:
    return [[_srepr(s), "" if lo is None else _srepr(lo), "" if hi is None else _srepr(hi)] for s, lo, hi in ranges]


def record_chain(derivation: Any, outcome: Any, label: str = "derivation") -> None:
    """A checked derivation (symbolic/derivation.py): start, then each step with its rule and relation."""
    if _items is None:
        return
    try:
        steps = [{"expr": _srepr(s.expr), "rule": o.rule, "relation": o.relation, "ok": str(o.ok)}
                 for s, o in zip(derivation.steps, outcome.steps)]
        record("chain", label=label, start=_srepr(derivation.start), steps=steps, relation=outcome.relation,
               ranges=_ranges(derivation.ranges), hypotheses=[h.text for h in derivation.hypotheses])
    except Exception as exc:      # an expression sympy cannot print: say so, never fail the check
        record("unrecordable", label=label, why=f"{type(exc).__name__}: {str(exc)[:200]}")


def record_steps(steps: Iterable[Any], outcome: Any) -> None:
    """The typed steps of a proof (symbolic/proof_steps.py) with the engine's decision of each."""
    if _items is None:
        return
    from mechproof.symbolic.proof_steps import Assume, Cite, Equal, Holds, Limit, Sign
    decided = {r.label: r for r in outcome.results}
    for step in steps:
        label = getattr(step, "label", "?")
        ok = str(decided[label].ok) if label in decided else "None"
        try:
            if isinstance(step, Equal):
                record("equal", label=label, lhs=_srepr(step.lhs), rhs=_srepr(step.rhs), ok=ok)
            elif isinstance(step, Sign):
                record("sign", label=label, expr=_srepr(step.expr), sign=step.sign, ranges=_ranges(step.ranges), ok=ok)
            elif isinstance(step, Limit):
                record("limit", label=label, expr=_srepr(step.expr), var=_srepr(step.var), to=_srepr(step.to),
                       value=_srepr(step.value), ok=ok)
            elif isinstance(step, Holds):
                out = step.derivation.check()
                record_chain(step.derivation, out, label=label)
                record("holds", label=label, relation=step.relation, end=_srepr(step.end), ok=ok)
            elif isinstance(step, Cite):
                record("cite", label=label, claim=step.claim_id)
            elif isinstance(step, Assume):
                record("assume", label=label, text=step.text)
        except Exception as exc:
            record("unrecordable", label=label, why=f"{type(exc).__name__}: {str(exc)[:200]}")


# ---------------------------------------------------------------- exact values of a witness
def encode_value(value: Any) -> Any:
    """A tagged JSON form of an exact value (int, Fraction, str, bool, None, tuples, lists, dicts,
    sympy objects); raises TypeError for anything else."""
    from fractions import Fraction
    if isinstance(value, bool) or value is None:
        return {"b": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, Fraction):
        return {"q": f"{value.numerator}/{value.denominator}"}
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, (tuple, list)):
        return {"t" if isinstance(value, tuple) else "l": [encode_value(v) for v in value]}
    if isinstance(value, dict):
        return {"d": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    if type(value).__module__.startswith("sympy"):
        return {"sympy": _srepr(value)}
    raise TypeError(f"{type(value).__name__} has no certificate encoding")


def decode_value(data: Any) -> Any:
    """The value of `encode_value`'s output; raises ValueError on anything malformed."""
    from fractions import Fraction
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError(f"not an encoded value: {str(data)[:80]}")
    (tag, v), = data.items()
    if tag == "b" and (v is None or isinstance(v, bool)):
        return v
    if tag == "int" and isinstance(v, str):
        return int(v)
    if tag == "q" and isinstance(v, str):
        return Fraction(v)
    if tag == "s" and isinstance(v, str):
        return v
    if tag in ("t", "l") and isinstance(v, list):
        items = [decode_value(x) for x in v]
        return tuple(items) if tag == "t" else items
    if tag == "d" and isinstance(v, list):
        return {decode_value(k): decode_value(x) for k, x in v}
    if tag == "sympy" and isinstance(v, str):
        return parse_srepr(v)
    raise ValueError(f"not an encoded value: {str(data)[:80]}")


_NUMBER_TEXT = re.compile(r"^[0-9eE.+\-]{1,400}$")
_NAMING = frozenset({"Symbol", "Dummy", "Function", "Wild"})       # a string there is a name, never parsed
_NUMERIC = frozenset({"Float", "Integer"})


def _srepr_names() -> dict[str, Any]:
    import sympy as sp
    names = {}
    for k in dir(sp):
        obj = getattr(sp, k)
        if k.startswith("_"):
            continue
        if (isinstance(obj, type) and issubclass(obj, sp.Basic)) or isinstance(obj, sp.Basic):
            names[k] = obj
    return names


def parse_srepr(text: str) -> Any:
    """A sympy expression from its `srepr` text.  The text is parsed, not trusted: only calls of
    sympy classes by name, sympy constants, numbers, keyword flags and plain symbol names are
    allowed (no attribute access, no operators, no other strings), then evaluated without builtins."""
    import ast
    if not isinstance(text, str) or len(text) > MAX_ITEM_CHARS:
        raise ValueError("not sympy srepr text")
    names = _srepr_names()
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ValueError("not sympy srepr text (unparsable)") from None
    allowed_strings: set[int] = set()          # the string constants in a naming or numeric position
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if node.func.id in _NAMING or (node.func.id in _NUMERIC and _NUMBER_TEXT.match(first.value)):
                    allowed_strings.add(id(first))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.Tuple, ast.List, ast.Load, ast.keyword, ast.USub)):
            continue
        if isinstance(node, ast.Call) and (isinstance(node.func, ast.Name) or (   # Function('u')(q)
                isinstance(node.func, ast.Call) and isinstance(node.func.func, ast.Name)
                and node.func.func.id == "Function")):
            continue
        if isinstance(node, ast.Name) and node.id in names:
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            continue
        if isinstance(node, ast.Constant) and (isinstance(node.value, (int, bool)) or node.value is None or
                                               (isinstance(node.value, str) and id(node) in allowed_strings)):
            continue
        raise ValueError(f"not sympy srepr text (a {type(node).__name__} is not allowed)")
    try:
        return eval(compile(tree, "<certificate>", "eval"), {"__builtins__": {}}, names)  # noqa: S307 - checked above
    except Exception as exc:
        raise ValueError(f"not sympy srepr text ({type(exc).__name__})") from None


def record_witness_values(point: dict) -> None:
    """The witness's exact values, so that `recheck` replays it by plain evaluation."""
    if _items is None:
        return
    try:
        record("witness_values", values=json.dumps([[str(k), encode_value(v)] for k, v in point.items()]))
    except (TypeError, ValueError) as exc:
        record("unrecordable", label="witness values", why=str(exc)[:200])


# ---------------------------------------------------------------- writing DIR
def part_file_name(claim_id: str, part: str) -> str:
    """A stable, safe relative file name for one part's certificate."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-")[:60] or "part"
    digest = hashlib.sha256(f"{claim_id}\0{part}".encode()).hexdigest()[:8]
    safe_claim = re.sub(r"[^A-Za-z0-9._-]+", "-", claim_id).strip("-.") or "claim"
    return f"{safe_claim}/{slug}-{digest}.json"


def _source_digest(origin: str) -> str:
    from .cache import package_digest
    if origin and origin.endswith(".py"):
        try:
            return "sha256:" + hashlib.sha256(Path(origin).read_bytes()).hexdigest()
        except OSError:
            return "unreadable"
    return "mechproof:" + package_digest()


def certificate_of(result: Any, part: Any, origin: str) -> dict:
    """The certificate of one part of a ClaimResult."""
    v = part.verdict
    items = list(getattr(v, "certificate", ()) or ())
    if v.cases is not None:
        items.append({"kind": "coverage", "domain": v.domain, "cases": str(v.cases), "covered": v.covered})
    if v.witness is not None:
        items.append({"kind": "witness", "assignment": [list(p) for p in v.witness.assignment],
                      "observed": [list(p) for p in v.witness.observed], "recheck": v.witness.recheck})
    return {"format": FORMAT, "claim": result.claim_id, "part": part.name, "role": part.role.value,
            "reading": part.reading, "claim_source": result.source, "statement": result.statement,
            "origin": origin or "mechproof (built in)", "source_digest": _source_digest(origin),
            "verdict": {"status": v.status.value, "method": v.method, "domain": v.domain, "summary": v.summary,
                        "cases": None if v.cases is None else str(v.cases), "assumes": list(v.assumes),
                        "seed": None if v.seed is None else str(v.seed)},
            "items": items}


def write_certificates(report: Any, folder: Path, origins: dict[str, str]) -> tuple[int, int]:
    """Write every part's certificate and the manifest; (files, items).  Raises OSError."""
    from . import __version__
    from .cache import package_digest
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    n_items = 0
    for r in report.results:
        for p in r.parts:
            cert = certificate_of(r, p, origins.get(r.claim_id, ""))
            n_items += len(cert["items"])
            name = part_file_name(r.claim_id, p.name)
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps(cert, indent=1, ensure_ascii=False).encode("utf-8")
            path.write_bytes(data)
            files[name] = hashlib.sha256(data).hexdigest()
    manifest = {"format": FORMAT, "mechproof": __version__, "mechproof_source": package_digest(),
                "tools": [list(t) for t in report.tools], "started": report.started,
                "files": [{"path": k, "sha256": v} for k, v in sorted(files.items())]}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return len(files), n_items


# ---------------------------------------------------------------- the CLI's two steps
def check_certificate_folder(folder: str) -> None:
    """--certificates must name a writable directory (made if absent), checked before the run starts."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise UsageError(f"--certificates {folder}: is a file, not a directory")
    existing = target if target.exists() else next((q for q in target.resolve().parents if q.exists()), None)
    if existing is None or not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--certificates {folder}: {existing or folder} is not writable")
    if target.is_dir() and any(target.iterdir()) and not (target / "manifest.json").is_file():
        raise UsageError(f"--certificates {folder}: the directory holds other files; give an empty or new one")


def write_certificate_folder(folder: str, report: Any, origins: dict[str, str]) -> int:
    target = Path(folder)
    try:
        if (target / "manifest.json").is_file():          # an earlier set: replaced as a whole
            for child in target.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        files, items = write_certificates(report, target, origins)
    except OSError as exc:
        print(f"mechproof: error: --certificates {folder}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"certificates: {files} files, {items} items written to {folder} (re-check: mechproof recheck {folder})",
          file=sys.stderr)
    return 0
