"""The libraries a verdict is decided with must be the ones mechproof imported.

A claim module runs arbitrary code: at import (`--module`) or inside a check it may replace
`sympy.simplify` by `lambda e: 0`, and every identity of that process would then read proved.
`snapshot` records the functions and classes of the deciding libraries (module level, and the
methods of the classes in their core modules); `replaced` names every entry since replaced or
deleted.  A module that replaces one at import is a usage error; a check that replaces one while it
runs gets an `error` verdict instead of its own (`kernel.run_part_check`), and the originals are put
back.  Additions are ignored (a lazy import adds names), and a patch deeper than a module's or a
core class's attributes is not seen: the zygote still keeps every user module away from the
built-in claims.
"""
from __future__ import annotations

import sys
import types

__all__ = ["GUARDED", "snapshot", "remember", "remembered", "replaced", "restore", "describe"]

# the modules whose functions decide verdicts: the public namespaces, where a check looks a name up,
# and the internals those functions call (sympy's core, simplification and polynomials, z3's API)
GUARDED = frozenset({"sympy", "z3", "z3.z3", "mpmath", "fractions", "builtins", "math", "operator", "itertools",
                     "functools", "flint", "gmpy2", "cvc5", "mechproof"})
_GUARDED_PREFIXES = ("mechproof.", "sympy.core.", "sympy.simplify.", "sympy.polys.polytools", "sympy.polys.rings",
                     "sympy.polys.domains.", "sympy.functions.", "sympy.concrete.", "sympy.integrals.integrals",
                     "sympy.series.", "mpmath.ctx_", "mpmath.libmp.")
_CLASS_MODULES = ("sympy.core.", "sympy.simplify.", "sympy.functions.", "fractions", "z3.z3", "mechproof.",
                  "mpmath.ctx_")

Entry = tuple[str, ...]


def _methods(cls: type):
    for name, value in list(vars(cls).items()):
        if callable(value) or isinstance(value, (property, classmethod, staticmethod)):
            yield name, value


def snapshot() -> dict[Entry, object]:
    """(module, name) → the function or class bound there; (module, class, name) → a core class's method."""
    out: dict[Entry, object] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not (name in GUARDED or name.startswith(_GUARDED_PREFIXES)):
            continue
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        deep = name.startswith(_CLASS_MODULES)
        for attr, value in list(namespace.items()):
            if isinstance(value, type):
                out[(name, attr)] = value
                if deep and getattr(value, "__module__", None) == name:
                    for method, fn in _methods(value):
                        out[(name, attr, method)] = fn
            elif callable(value) and not isinstance(value, types.ModuleType):
                out[(name, attr)] = value
    return out


def _memory():
    cell: list[dict[Entry, object] | None] = [None]   # a closure, not a module global a claim could reset

    def remember(taken: dict[Entry, object]) -> None:
        """Keep the snapshot a worker forked from this process starts from (the runner takes one
        before it forks; a worker compares against it instead of taking its own)."""
        cell[0] = taken

    def remembered() -> dict[Entry, object] | None:
        return cell[0]
    return remember, remembered


remember, remembered = _memory()


def _current(entry: Entry) -> object:
    module = sys.modules.get(entry[0])
    if module is None:
        return _MISSING
    value = getattr(module, "__dict__", {}).get(entry[1], _MISSING)
    if len(entry) == 3:
        value = vars(value).get(entry[2], _MISSING) if isinstance(value, type) else _MISSING
    return value


_MISSING = object()


def replaced(before: dict[Entry, object]) -> list[Entry]:
    """The entries of `before` that are now bound to another object, or gone."""
    return [e for e, value in before.items() if _current(e) is not value]


def restore(before: dict[Entry, object], entries: list[Entry]) -> None:
    """Put the recorded objects back (best effort: a module or class that is gone stays gone)."""
    for entry in entries:
        module = sys.modules.get(entry[0])
        if module is None:
            continue
        try:
            if len(entry) == 2:
                setattr(module, entry[1], before[entry])
            else:
                owner = getattr(module, entry[1], None)
                if isinstance(owner, type):
                    setattr(owner, entry[2], before[entry])
        except (AttributeError, TypeError):
            continue


def describe(entries: list[Entry], limit: int = 3) -> str:
    """'sympy.simplify, fractions.Fraction.__eq__ and 2 more'."""
    names = [".".join(e) for e in entries]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
