"""`[tool.mechproof]` in the user's pyproject.toml, and `--bound KEY=VALUE` parsing.

    [tool.mechproof]
    claims = ["CMZ-*", "GH-L8"]      # what `mechproof check` gates by default (default: all)
    modules = ["claims/my_claims.py"] # the user's own claim modules
    budget = 120                      # seconds per part
    jobs = 2                          # parts checked in parallel
    allow-unknown = false
    skip-slow = false
    expect-refuted = ["GH-ASSUME"]    # known findings: refuted passes, anything else fails
    [tool.mechproof.bounds]
    B = 16
    n = [2, 3]
    delta = ["1/10", "1/4", "1/2"]    # rationals as strings: floats are refused
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from .mechanisms.exact import InputError, check_delta, parse_rational

__all__ = ["Config", "load_config", "parse_bound", "normalise_bound"]

_KNOWN_KEYS = {"claims", "modules", "budget", "jobs", "allow-unknown", "skip-slow", "expect-refuted", "bounds"}


@dataclass(frozen=True)
class Config:
    claims: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    budget: float = 120.0
    jobs: int = 1
    allow_unknown: bool = False
    skip_slow: bool = False
    expect_refuted: frozenset[str] = frozenset()
    bounds: dict[str, Any] = field(default_factory=dict)
    path: str = ""                    # the pyproject.toml it came from, "" if none


def find_pyproject(start: Path) -> Path | None:
    for d in (start, *start.parents):
        p = d / "pyproject.toml"
        if p.is_file():
            return p
    return None


def load_config(start: Path | None = None) -> Config:
    path = find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("mechproof")
    if table is None:
        return Config(path=str(path))
    where = f"{path} [tool.mechproof]"
    unknown_keys = set(table) - _KNOWN_KEYS
    if unknown_keys:
        raise InputError(f"{where}: unknown key(s) {sorted(unknown_keys)}; known: {sorted(_KNOWN_KEYS)}")
    base = path.parent

    def strings(key: str) -> tuple[str, ...]:
        v = table.get(key, [])
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise InputError(f"{where}: {key} must be a list of strings")
        return tuple(v)

    budget = table.get("budget", 120)
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget <= 0:
        raise InputError(f"{where}: budget must be a positive number of seconds, got {budget!r}")
    jobs = table.get("jobs", 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InputError(f"{where}: jobs must be a positive integer, got {jobs!r}")
    bounds_table = table.get("bounds", {})
    if not isinstance(bounds_table, dict):
        raise InputError(f"{where}: bounds must be a table")
    bounds = {k: normalise_bound(k, v, where) for k, v in bounds_table.items()}
    return Config(
        claims=strings("claims"),
        modules=tuple(str((base / m)) for m in strings("modules")),
        budget=float(budget), jobs=jobs,
        allow_unknown=bool(table.get("allow-unknown", False)),
        skip_slow=bool(table.get("skip-slow", False)),
        expect_refuted=frozenset(strings("expect-refuted")),
        bounds=bounds, path=str(path))


def _exact(key: str, v: Any, where: str) -> int | Fraction:
    if isinstance(v, bool):
        raise InputError(f"{where}: bound {key} = {v!r} is not a number")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        raise InputError(f"{where}: bound {key} = {v!r} is a float; write it as a string rational, "
                         f"e.g. \"{Fraction(repr(v))}\"")
    if isinstance(v, str):
        f = parse_rational(v, f"bound {key}")
        return int(f) if f.denominator == 1 else f
    if isinstance(v, Fraction):
        return v
    raise InputError(f"{where}: bound {key} = {v!r} is not a rational number")


def normalise_bound(key: str, value: Any, where: str = "bound") -> Any:
    """Exact value(s) of a bound, validated for the keys mechproof knows (delta, n, B)."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise InputError(f"{where}: bound {key} is an empty list")
    exact = [_exact(key, v, where) for v in values]
    name = key.rsplit(".", 1)[-1]          # "CMZ-T4.B" is bound B scoped to claim CMZ-T4
    if name.lower() in ("delta", "δ"):
        exact = [check_delta(v, f"bound {key}") for v in exact]
    elif name in ("n", "B", "k", "m", "n_max", "k_max"):
        if name.endswith("_max") and len(exact) > 1:
            raise InputError(f"{where}: bound {key} takes a single positive integer, got {len(exact)} values")
        for v in exact:
            if not isinstance(v, int) or v < 1:
                raise InputError(f"{where}: bound {key} = {v} must be a positive integer")
    result = tuple(exact)
    return result if isinstance(value, (list, tuple)) or len(result) > 1 else result[0]


def parse_bound(text: str) -> tuple[str, Any]:
    """`KEY=V` or `KEY=V1,V2,…` from the command line, values exact."""
    if "=" not in text:
        raise InputError(f"--bound {text!r}: expected KEY=VALUE, e.g. --bound B=20 or --bound delta=1/4,1/2")
    key, _, raw = text.partition("=")
    key = key.strip()
    if not key:
        raise InputError(f"--bound {text!r}: empty key")
    parts = [p for p in raw.split(",")]
    if any(not p.strip() for p in parts):
        raise InputError(f"--bound {text!r}: empty value")
    vals = [p.strip() for p in parts]
    return key, normalise_bound(key, vals if len(vals) > 1 else vals[0], "--bound")
