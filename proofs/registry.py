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
            stack.extend(self.get(cid).uses)
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


def builtin_modules() -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(papers.__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{papers.__name__}.{name}") for name in names]


def load_user_module(path: str | Path) -> ModuleType:
    """Import a user's claim file; any failure becomes a one-line UsageError."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"--module {path}: no such file")
    if p.suffix != ".py":
        raise UsageError(f"--module {path}: expected a Python file ending in .py")
    name = f"mechproof_user_{abs(hash(str(p.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, p)
    if spec is None or spec.loader is None:
        raise UsageError(f"--module {path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(p.resolve().parent))
    try:
        spec.loader.exec_module(module)
    except ClaimDeclarationError as exc:
        raise UsageError(f"--module {path}: malformed claim: {exc}") from None
    except UsageError as exc:
        raise UsageError(f"--module {path}: {exc}") from None
    except SyntaxError as exc:
        raise UsageError(f"--module {path}: syntax error at line {exc.lineno}: {exc.msg}") from None
    except Exception as exc:  # the user's module raised while importing
        raise UsageError(f"--module {path}: failed to import: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.pop(0)
    if not claims_in_module(module):
        raise UsageError(f"--module {path}: declares no Claim (define module-level mechproof.Claim objects)")
    return module


def load_registry(user_modules: list[str] | tuple[str, ...] = (), builtin: bool = True) -> Registry:
    """All claims: catalogue order for built-ins (placeholders where not encoded), then user claims."""
    declared: dict[str, tuple[Claim, str]] = {}

    def add(module: ModuleType, label: str) -> None:
        for claim in claims_in_module(module):
            if claim.id in declared:
                raise UsageError(f"claim {claim.id} is declared twice: in {declared[claim.id][1]} and in {label}")
            declared[claim.id] = (claim, label)

    if builtin:
        for m in builtin_modules():
            add(m, m.__name__)
    for path in user_modules:
        add(load_user_module(path), str(path))

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
    _check_dependencies(ordered, dict(origin))
    return Registry(tuple(ordered), frozenset(declared), tuple(origin))


def _check_dependencies(claims: list[Claim], origin: dict[str, str]) -> None:
    """Every `uses` names a known claim, and no claim depends on itself through others."""
    by_id = {c.id: c for c in claims}
    for c in claims:
        for dep in c.uses:
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
        for dep in by_id[cid].uses:
            visit(dep, path + (cid,))
        state[cid] = 2

    for c in claims:
        visit(c.id, ())
