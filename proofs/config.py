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

import math
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from mechproof.mechanisms.errors import UsageError

__all__ = ["Config", "load_config", "parse_bound"]

MAX_BUDGET = 86_400.0      # seconds per part: a day; more is a typo, not a budget
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
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    tool = data.get("tool", {})
    table = tool.get("mechproof") if isinstance(tool, dict) else None
    if table is None:
        return Config(path=str(path))
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.mechproof] must be a table, got {table!r}")
    where = f"{path} [tool.mechproof]"
    unknown_keys = set(table) - _KNOWN_KEYS
    if unknown_keys:
        raise UsageError(f"{where}: unknown key(s) {sorted(unknown_keys)}; known: {sorted(_KNOWN_KEYS)}")
    base = path.parent

    def strings(key: str) -> tuple[str, ...]:
        v = table.get(key, [])
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise UsageError(f"{where}: {key} must be a list of strings")
        return tuple(v)

    def flag(key: str) -> bool:
        v = table.get(key, False)
        if not isinstance(v, bool):
            raise UsageError(f"{where}: {key} must be true or false, got {v!r}")
        return v

    budget = table.get("budget", 120)
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not math.isfinite(budget) \
            or not 0 < budget <= MAX_BUDGET:
        raise UsageError(f"{where}: budget must be a number of seconds in (0, {MAX_BUDGET}], got {budget!r}")
    jobs = table.get("jobs", 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"{where}: jobs must be a positive integer, got {jobs!r}")
    bounds_table = table.get("bounds", {})
    if not isinstance(bounds_table, dict):
        raise UsageError(f"{where}: bounds must be a table")
    bounds = {str(k): _raw_bound(str(k), v, f"{where} bounds") for k, v in bounds_table.items()}
    return Config(
        claims=strings("claims"),
        modules=tuple(str((base / m)) for m in strings("modules")),
        budget=float(budget), jobs=jobs,
        allow_unknown=flag("allow-unknown"),
        skip_slow=flag("skip-slow"),
        expect_refuted=frozenset(strings("expect-refuted")),
        bounds=bounds, path=str(path))


def _raw_bound(key: str, v: Any, where: str) -> Any:
    """A TOML bound value as it will be checked against the claims' schemas (no float survives)."""
    if isinstance(v, list):
        return [_raw_bound(key, x, where) for x in v]
    if isinstance(v, bool) or not isinstance(v, (int, str, float)):
        raise UsageError(f"{where}: bound {key} = {v!r} is not a number, a rational string or a list of them")
    if isinstance(v, float):
        hint = f'"{Fraction(repr(v))}"' if v == v and v not in (float("inf"), float("-inf")) else "an exact rational"
        raise UsageError(f"{where}: bound {key} = {v!r} is a float; write it as a string rational, e.g. {hint}")
    return v


def parse_bound(text: str) -> tuple[str, str]:
    """`KEY=VALUE`, `CLAIM.KEY=VALUE` or `KEY=V1,V2,…` / `KEY=LO..HI` from the command line.

    The value stays text here: it is checked against the claims' domain schemas, before any check
    runs, by `mechproof.domains.resolve_domains`.
    """
    if "=" not in text:
        raise UsageError(f"--bound {text!r}: expected KEY=VALUE, e.g. --bound B=20 or --bound delta=1/4,1/2")
    key, _, raw = text.partition("=")
    key = key.strip()
    if not key:
        raise UsageError(f"--bound {text!r}: empty key")
    if not raw.strip() or any(not p.strip() for p in raw.split(",")):
        raise UsageError(f"--bound {text!r}: empty value")
    return key, raw.strip()
