"""Finding claims: the built-in ones, a user's module, and the CLAIMS.md catalogue.

Built-in claims and user claims are collected the same way: every module-level
`Claim` of a module.  Catalogue ids with no encoded claim become placeholder
claims whose single part reports `unknown: not yet encoded`.
"""
from __future__ import annotations

import difflib
import fnmatch
import importlib
import importlib.util
import pkgutil
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import mechproof.papers as papers
from .library_guard import describe as _describe_patches, replaced as _replaced, restore as _restore
from .library_guard import remember as _remember, snapshot as _snapshot
from .catalog import CATALOG, CatalogEntry
from mechproof.mechanisms.errors import ClaimDeclarationError, UsageError

from .claims import Claim, Part, claims_in_module
from .methods import Method
from .verdicts import unknown

__all__ = ["Registry", "load_registry", "load_user_module", "NOT_ENCODED"]

NOT_ENCODED = "not yet encoded"


@dataclass(frozen=True)
class Registry:
    """Every known claim, in catalogue order then user order; `encoded` marks real checks."""

    claims: tuple[Claim, ...]
    encoded: frozenset[str]
    origin: tuple[tuple[str, str], ...]       # claim id -> module it came from
    zygote: object = None                     # a process forked before any user module was imported
    isolated: frozenset[str] = frozenset()    # built-in claims whose workers come from the zygote

    def close(self) -> None:
        """Stop the zygote, if there is one."""
        if self.zygote is not None:
            self.zygote.close()

    def ids(self) -> list[str]:
        return [c.id for c in self.claims]

    def get(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise UsageError(_unknown_id_message(claim_id, self.ids()))

    def closure(self, claims: list[Claim] | tuple[Claim, ...]) -> list[Claim]:
        """`claims` and every claim they use, transitively, in registry order."""
        want: set[str] = set()
        stack = [c.id for c in claims]
        while stack:
            cid = stack.pop()
            if cid in want:
                continue
            want.add(cid)
            stack.extend(self.get(cid).used_ids)
        return [c for c in self.claims if c.id in want]

    def select(self, patterns: list[str] | tuple[str, ...]) -> list[Claim]:
        """Claims whose id matches any pattern (exact ids or shell globs like 'CMZ-*')."""
        if not patterns:
            return list(self.claims)
        chosen: dict[str, Claim] = {}
        ids = self.ids()
        for pat in patterns:
            hits = [c for c in self.claims if fnmatch.fnmatchcase(c.id, pat) or c.id == pat]
            if not hits:
                hits = [c for c in self.claims if fnmatch.fnmatchcase(c.id.upper(), pat.upper())]
            if not hits:
                raise UsageError(_unknown_id_message(pat, ids))
            for c in hits:
                chosen.setdefault(c.id, c)
        return [c for c in self.claims if c.id in chosen]


def _unknown_id_message(text: str, ids: list[str]) -> str:
    close = difflib.get_close_matches(text.upper(), ids, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `mechproof list` shows every id"
    if text.endswith(".py") or "/" in text:
        hint = f"; a module of your own claims is given with --module {text}"
    return f"unknown claim id {text!r}{hint}"


def _placeholder(entry: CatalogEntry) -> Claim:
    def not_encoded(ctx):
        return unknown(reason=NOT_ENCODED)

    return Claim(id=entry.id, title=_title_from(entry.statement), statement=entry.statement,
                 source=f"{entry.paper} (see shared/CLAIMS.md)",
                 parts=(Part("claim", method=Method.NONE, domain="the claim as stated", check=not_encoded),),
                 paper=entry.paper)


def _title_from(statement: str, width: int = 72) -> str:
    first = statement.split(". ")[0]
    return first if len(first) <= width else first[: width - 1] + "…"


def builtin_claims() -> list[Claim]:
    """Every claim the built-in paper modules declare (not the catalogue placeholders)."""
    return [c for m in builtin_modules() for c in claims_in_module(m)]


def builtin_modules() -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(papers.__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{papers.__name__}.{name}") for name in names]


IMPORT_TIMEOUT = 60.0      # seconds a user module may take to import (in the probe)


def _exec_user_module(p: Path, path: str | Path) -> ModuleType:
    """Import a user's file; one that replaces a function of the deciding libraries is refused
    (`library_guard`), and the originals are put back."""
    before = _snapshot()
    module = _import_user_module(p, path)
    patched = _replaced(before)
    if patched:
        _restore(before, patched)
        raise UsageError(f"--module {path}: replaces {_describe_patches(patched)} at import; user code "
                         "must not patch the libraries mechproof decides with")
    return module


def _import_user_module(p: Path, path: str | Path) -> ModuleType:
    name = f"mechproof_user_{abs(hash(str(p.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, p)
    if spec is None or spec.loader is None:
        raise UsageError(f"--module {path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(p.resolve().parent))
    try:
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
    except ClaimDeclarationError as exc:
        raise UsageError(f"--module {path}: malformed claim: {exc}") from None
    except UsageError as exc:
        raise UsageError(f"--module {path}: {exc}") from None
    except SyntaxError as exc:
        raise UsageError(f"--module {path}: syntax error at line {exc.lineno}: {exc.msg}") from None
    except SystemExit as exc:
        raise UsageError(f"--module {path}: calls sys.exit({exc.code!r}) while importing") from None
    except KeyboardInterrupt:
        raise UsageError(f"--module {path}: raised KeyboardInterrupt while importing") from None
    except BaseException as exc:  # the user's module raised while importing
        raise UsageError(f"--module {path}: failed to import: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.pop(0)
    return module


def _probe_import(p: Path, path: str | Path) -> None:
    """Import the module once in a throw-away process first: one that ends the process (os._exit),
    hangs or crashes the interpreter at import is a usage error here, not a silent exit of mechproof."""
    from .workers import read_messages, start_worker, stop

    def body(send):
        try:
            _exec_user_module(p, path)
        except UsageError as exc:
            send(("error", str(exc)))
            return
        send(("ok", ""))

    w = start_worker(body, IMPORT_TIMEOUT, None)
    try:
        import select
        import time
        while time.monotonic() < w.deadline:
            select.select([w.fd], [], [], 0.1)
            for kind, text in read_messages(w):
                if kind == "error":
                    raise UsageError(text)
                return
            if w.eof:
                break
        else:
            raise UsageError(f"--module {path}: did not finish importing within {IMPORT_TIMEOUT:g}s")
    finally:
        stop(w)
    from .workers import exit_text
    raise UsageError(f"--module {path}: ended the process while importing ({exit_text(w.exit_status)})")


def load_user_module(path: str | Path) -> ModuleType:
    """Import a user's claim file; any failure (raising, exiting, hanging at import) is a one-line UsageError."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"--module {path}: no such file")
    if p.suffix != ".py":
        raise UsageError(f"--module {path}: expected a Python file ending in .py")
    _probe_import(p, path)
    module = _exec_user_module(p, path)
    if not claims_in_module(module):
        raise UsageError(f"--module {path}: declares no Claim (define module-level mechproof.Claim objects)")
    return module


def load_registry(user_modules: list[str] | tuple[str, ...] = (), builtin: bool = True,
                  isolate: bool = False) -> Registry:
    """All claims: catalogue order for built-ins (placeholders where not encoded), then user claims.

    `isolate`: when user modules are loaded, fork a zygote first, so that the built-in claims run
    in processes no user module's import-time side effects can reach (`mechproof.zygote`).
    """
    declared: dict[str, tuple[Claim, str]] = {}

    def add(module: ModuleType, label: str) -> None:
        for claim in claims_in_module(module):
            if claim.id in declared:
                raise UsageError(f"claim {claim.id} is declared twice: in {declared[claim.id][1]} and in {label}")
            declared[claim.id] = (claim, label)

    if builtin:
        for m in builtin_modules():
            add(m, m.__name__)
    builtin_ids = frozenset(declared)
    zygote = None
    if isolate and user_modules and builtin_ids:
        from .zygote import Zygote
        _remember(_snapshot())          # the zygote's workers start from this state
        zygote = Zygote.start()
    try:
        for path in user_modules:
            add(load_user_module(path), str(path))
    except BaseException:
        if zygote is not None:
            zygote.close()
        raise

    ordered: list[Claim] = []
    origin: list[tuple[str, str]] = []
    catalog_ids = set()
    if builtin:
        for entry in CATALOG:
            catalog_ids.add(entry.id)
            if entry.id in declared:
                claim, label = declared[entry.id]
            else:
                claim, label = _placeholder(entry), "catalogue"
            ordered.append(claim)
            origin.append((claim.id, label))
    for cid, (claim, label) in declared.items():
        if cid not in catalog_ids:
            ordered.append(claim)
            origin.append((cid, label))
    try:
        _check_dependencies(ordered, dict(origin))
    except BaseException:
        if zygote is not None:
            zygote.close()
        raise
    return Registry(tuple(ordered), frozenset(declared), tuple(origin), zygote,
                    builtin_ids if zygote is not None else frozenset())


def _check_dependencies(claims: list[Claim], origin: dict[str, str]) -> None:
    """Every `uses` names a known claim, and no claim depends on itself through others."""
    by_id = {c.id: c for c in claims}
    for c in claims:
        for dep in c.used_ids:
            if dep not in by_id:
                close = difflib.get_close_matches(dep, list(by_id), n=2, cutoff=0.6)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise UsageError(f"{origin.get(c.id, '?')}: claim {c.id} uses {dep!r}, which is not a known claim{hint}")
    state: dict[str, int] = {}

    def visit(cid: str, path: tuple[str, ...]) -> None:
        if state.get(cid) == 2:
            return
        if state.get(cid) == 1:
            cycle = " → ".join(path[path.index(cid):] + (cid,))
            raise UsageError(f"{origin.get(cid, '?')}: claims depend on each other in a cycle: {cycle}")
        state[cid] = 1
        for dep in by_id[cid].used_ids:
            visit(dep, path + (cid,))
        state[cid] = 2

    for c in claims:
        visit(c.id, ())
