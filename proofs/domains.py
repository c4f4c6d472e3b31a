"""Typed domain schemas: what a part ranges over, declared as data and resolved before any check runs.

A part declares its domain once, as a `Schema` of typed keys and a text template:

    Schema(IntKey("n", (2, 3), min=2, many=True, help="players"),
           IntKey("B", 16, min=1, help="bids and values in {0..B}"),
           RationalKey("delta", DEFAULT_DELTAS, lo=0, hi=1, lo_open=True, hi_open=True, many=True),
           text="n ∈ $n, bids/values in {0..$B}, δ ∈ $delta")

`--bound KEY=VALUE`, `--bound CLAIM.KEY=VALUE` and `[tool.mechproof.bounds]` are checked against
the schemas of the claims before anything runs (`resolve_domains`): an unknown key, a value out of
range, a fraction where an integer is needed or an empty domain is a `UsageError` (exit 64).  The
check then reads `ctx.domain["B"]`, and the verdict's domain text is rendered from the resolved
values, so no domain is ever typed twice.  A keyless schema (`Part(domain="all δ ∈ (0, 1)")`)
describes a symbolic scope that no bound can change.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from fractions import Fraction
from string import Template
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Sequence

from mechproof.mechanisms.errors import ClaimDeclarationError, UsageError
from mechproof.mechanisms.exact import parse_rational

__all__ = [
    "Key", "IntKey", "RationalKey", "ChoiceKey", "Schema", "Domain", "resolve_domains",
    "render_value", "MAX_GRID_VALUES", "MAX_CASES",
]

KEY_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
MAX_GRID_VALUES = 10_000      # a grid key (`n=2..4`) accepts at most this many values
MAX_CASES = 10 ** 8           # an enumerated domain larger than this cannot be covered within any budget


def render_value(value: Any) -> str:
    """A resolved value as domain text: 16, 1/4, {2, 3}."""
    if isinstance(value, tuple):
        return "{" + ", ".join(render_value(v) for v in value) + "}"
    return str(value)


@dataclass(frozen=True)
class Key:
    """One typed bound of a domain.  Build it with `IntKey`, `RationalKey` or `ChoiceKey`."""

    name: str
    kind: str                          # "int" | "rational" | "choice"
    default: Any                       # a value, or a tuple of values for a grid key
    lo: Any = None                     # smallest allowed value (exclusive when lo_open)
    hi: Any = None                     # largest allowed value (exclusive when hi_open)
    lo_open: bool = False
    hi_open: bool = False
    many: bool = False                 # a grid: a finite set of values (n=2,3 or n=2..4)
    local: bool = False                # only settable scoped to its claim (CLAIM.KEY), never by KEY alone
    choices: tuple[str, ...] = ()
    help: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not KEY_NAME.match(self.name):
            raise ClaimDeclarationError(f"bound key {self.name!r}: use letters, digits and underscores")
        if self.kind not in ("int", "rational", "choice"):
            raise ClaimDeclarationError(f"bound key {self.name}: unknown kind {self.kind!r}")
        if self.kind == "choice" and not self.choices:
            raise ClaimDeclarationError(f"bound key {self.name}: a choice key needs its choices")
        try:
            object.__setattr__(self, "default", self.coerce(self.default, "its declared default"))
        except UsageError as exc:
            raise ClaimDeclarationError(f"bound key {self.name}: the default is invalid: {exc}") from None

    # ------------------------------------------------------------- values
    def range_text(self) -> str:
        """The allowed range in words: 'an integer ≥ 2', 'a rational in (0, 1)'."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        noun = "an integer" if self.kind == "int" else "a rational"
        if self.lo is not None and self.hi is not None:
            lb, rb = ("(" if self.lo_open else "["), (")" if self.hi_open else "]")
            return f"{noun} in {lb}{self.lo}, {self.hi}{rb}"
        if self.lo is not None:
            return f"{noun} {'>' if self.lo_open else '≥'} {self.lo}"
        if self.hi is not None:
            return f"{noun} {'<' if self.hi_open else '≤'} {self.hi}"
        return noun

    def _one(self, raw: Any, where: str) -> Any:
        label = f"{where}: {self.name} = {raw!r}" if not isinstance(raw, str) else f"{where}: {self.name} = {raw}"
        if self.kind == "choice":
            if not isinstance(raw, str) or raw not in self.choices:
                raise UsageError(f"{label} is not {self.range_text()}")
            return raw
        if isinstance(raw, bool):
            raise UsageError(f"{label} is a bool, not a number")
        if isinstance(raw, float):
            raise UsageError(f"{label} is a float; write it exactly, e.g. \"{Fraction(repr(raw))}\"")
        if isinstance(raw, str):
            value = parse_rational(raw, f"{where}: {self.name}")
        elif isinstance(raw, (int, Fraction)):
            value = Fraction(raw)
        else:
            raise UsageError(f"{label} is not a number")
        if self.kind == "int":
            if value.denominator != 1:
                raise UsageError(f"{label} is a fraction; {self.name} needs {self.range_text()}")
            value = int(value)
        ok = True
        if self.lo is not None:
            ok &= value > self.lo if self.lo_open else value >= self.lo
        if self.hi is not None:
            ok &= value < self.hi if self.hi_open else value <= self.hi
        if not ok:
            shown = value if not isinstance(raw, str) else raw
            raise UsageError(f"{where}: {self.name} = {shown} is out of range: {self.name} must be "
                             f"{self.range_text()}" + (f" ({self.help})" if self.help else ""))
        return value

    def coerce(self, raw: Any, where: str = "bound") -> Any:
        """The exact, validated value of `raw` (a grid key gives a sorted tuple without repeats)."""
        if isinstance(raw, (list, tuple)):
            items = list(raw)
        elif isinstance(raw, str) and "," in raw:
            items = [x.strip() for x in raw.split(",")]
        else:
            items = [raw]
        expanded: list[Any] = []
        for item in items:
            if isinstance(item, str) and ".." in item and self.kind == "int":
                expanded.extend(self._int_range(item, where))
            else:
                expanded.append(item)
        if not expanded or any(isinstance(x, str) and not x.strip() for x in expanded):
            raise UsageError(f"{where}: {self.name} has an empty value: the domain would be empty")
        if not self.many and len(expanded) != 1:
            raise UsageError(f"{where}: {self.name} takes a single value, got {len(expanded)}")
        values = [self._one(x, where) for x in expanded]
        if not self.many:
            return values[0]
        out = tuple(sorted(set(values)))
        if len(out) > MAX_GRID_VALUES:
            raise UsageError(f"{where}: {self.name} has {len(out)} values; at most {MAX_GRID_VALUES}")
        return out

    def _int_range(self, text: str, where: str) -> list[int]:
        a, _, b = text.partition("..")
        lo, hi = self._one(a.strip(), where), self._one(b.strip(), where)
        if hi < lo:
            raise UsageError(f"{where}: {self.name} = {text} is an empty range")
        if hi - lo + 1 > MAX_GRID_VALUES:
            raise UsageError(f"{where}: {self.name} = {text} has {hi - lo + 1} values; at most {MAX_GRID_VALUES}")
        return list(range(lo, hi + 1))


DEFAULT_INT_MAX = 1_000_000    # an integer key without a declared max: no bounded check gets further


def IntKey(name: str, default: Any, *, min: int | None = None, max: int | None = None, many: bool = False,
           local: bool = False, help: str = "") -> Key:
    """An integer bound (a grid of integers when `many`), min ≤ value ≤ max (max defaults to 10⁶)."""
    return Key(name, "int", default, lo=min, hi=DEFAULT_INT_MAX if max is None else max, many=many, local=local,
               help=help)


def RationalKey(name: str, default: Any, *, lo: Any = None, hi: Any = None, lo_open: bool = False,
                hi_open: bool = False, many: bool = False, local: bool = False, help: str = "") -> Key:
    """An exact rational bound (a grid when `many`); floats are refused, '1/4' and '0.25' are exact."""
    return Key(name, "rational", default, lo=None if lo is None else Fraction(lo),
               hi=None if hi is None else Fraction(hi), lo_open=lo_open, hi_open=hi_open, many=many,
               local=local, help=help)


def ChoiceKey(name: str, default: Any, choices: Sequence[str], *, many: bool = False, local: bool = False,
              help: str = "") -> Key:
    """One (or, when `many`, several) of a fixed list of named options."""
    return Key(name, "choice", default, choices=tuple(choices), many=many, local=local, help=help)


@dataclass(frozen=True, init=False)
class Schema:
    """A part's domain: typed keys, the text template of what is covered, and optionally its size.

    `text` is a `string.Template` over the key names ("bids in {0..$B}") or a function of the
    resolved `Domain`.  `cases(domain)` is the number of cases an exhaustive check must examine
    (the core then insists the check reports exactly that many).  `constraint(domain)` returns a
    message when values that are each valid do not fit together (k > n), else None.
    """

    keys: tuple[Key, ...]
    text: Any
    cases: Callable[["Domain"], int] | None
    constraint: Callable[["Domain"], str | None] | None

    def __init__(self, *keys: Key, text: Any = "", cases: Callable[["Domain"], int] | None = None,
                 constraint: Callable[["Domain"], str | None] | None = None) -> None:
        if len(keys) == 1 and isinstance(keys[0], (list, tuple)):
            keys = tuple(keys[0])
        for k in keys:
            if not isinstance(k, Key):
                raise ClaimDeclarationError(f"a Schema takes Key objects (IntKey, RationalKey, ...), got {k!r}")
        names = [k.name for k in keys]
        if len(set(names)) != len(names):
            raise ClaimDeclarationError(f"a Schema's key names must be unique, got {names}")
        if not (isinstance(text, str) or callable(text)):
            raise ClaimDeclarationError("a Schema's text is a template string or a function of the domain")
        if not keys and not (isinstance(text, str) and text.strip()):
            raise ClaimDeclarationError("a keyless domain needs a text saying what it covers")
        if isinstance(text, str):
            try:
                Template(text).substitute({n: "" for n in names})
            except (KeyError, ValueError) as exc:
                raise ClaimDeclarationError(f"domain text {text!r} names no declared key: {exc}") from None
        for fn, what in ((cases, "cases"), (constraint, "constraint")):
            if fn is not None and not callable(fn):
                raise ClaimDeclarationError(f"a Schema's {what} must be a function of the domain")
        object.__setattr__(self, "keys", tuple(keys))
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "cases", cases)
        object.__setattr__(self, "constraint", constraint)

    @classmethod
    def fixed(cls, text: str) -> "Schema":
        """A domain no bound changes (a symbolic scope such as 'all δ ∈ (0, 1)')."""
        return cls(text=text)

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def default_domain(self) -> "Domain":
        return self.resolve({}, "declared defaults")

    def resolve(self, raw: Mapping[str, Any], where: str = "bound") -> "Domain":
        """The domain with the given raw values (name -> raw value) over the defaults."""
        values: dict[str, Any] = {}
        for k in self.keys:
            values[k.name] = k.coerce(raw[k.name], where) if k.name in raw else k.default
        dom = Domain(self, MappingProxyType(values), frozenset(n for n in raw if n in self.names))
        if self.constraint is not None:
            problem = self.constraint(dom)
            if problem:
                raise UsageError(f"{where}: {problem}")
        if self.cases is not None:
            size = self.cases(dom)
            if not isinstance(size, int) or size < 1:
                raise UsageError(f"{where}: the domain {dom.text} is empty ({size} cases)")
            if size > MAX_CASES:
                raise UsageError(f"{where}: the domain {dom.text} has {size:,} cases, more than the {MAX_CASES:,} "
                                 "an exhaustive check can cover in any budget; narrow it")
        return dom


@dataclass(frozen=True)
class Domain:
    """A resolved domain: exact values per key, readable as `dom["B"]` or `dom.B`."""

    schema: Schema
    values: Mapping[str, Any]
    overridden: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise ClaimDeclarationError(
                f"the check reads bound {name!r}, which its part does not declare "
                f"(declared: {', '.join(self.values) or 'none'})") from None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("schema", "values", "overridden"):
            raise AttributeError(name)
        return self[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @property
    def text(self) -> str:
        t = self.schema.text
        if callable(t):
            return str(t(self))
        return Template(t).substitute({k: render_value(v) for k, v in self.values.items()})

    @property
    def size(self) -> int | None:
        """The number of cases an exhaustive check must examine, when the schema declares it."""
        return None if self.schema.cases is None else self.schema.cases(self)

    def settings(self) -> tuple[tuple[str, str], ...]:
        return tuple((k, render_value(v)) for k, v in self.values.items())


# ------------------------------------------------------------------ resolution against the claims
def _suggest(word: str, options: Iterable[str]) -> str:
    options = sorted(set(options))
    close = difflib.get_close_matches(word, options, n=3, cutoff=0.5)
    if not close:
        close = [o for o in options if o.lower() == word.lower()]
    return f"; did you mean {', '.join(close)}?" if close else ""


def _split_scope(key: str, claim_ids: Sequence[str]) -> tuple[str | None, str]:
    """'CMZ-T4.B' -> ('CMZ-T4', 'B'); 'B' -> (None, 'B').  Claim ids may contain dots: longest match wins."""
    if "." not in key:
        return None, key
    for i in range(len(key) - 1, 0, -1):
        if key[i] == "." and key[:i] in claim_ids:
            return key[:i], key[i + 1:]
    scope, _, name = key.rpartition(".")
    return scope, name


def resolve_domains(selected: Sequence[Any], bounds: Mapping[str, Any], *, known: Sequence[Any] = (),
                    where: str = "--bound", quiet_keys: Iterable[str] = ()) -> dict[tuple[str, str], Domain]:
    """Each selected claim part's resolved Domain, keyed by (claim id, part name).

    `bounds` maps KEY or CLAIM.KEY to a raw value.  A scoped key must name a known claim (`known`,
    default the selected ones) and one of its keys; a global key must be read by a selected claim
    (keys listed in `quiet_keys`, e.g. from pyproject, need only be read by some known claim).  A
    scoped value wins over a global one.  Every failure is a one-line UsageError.
    """
    known = list(known) or list(selected)
    by_id = {c.id: c for c in known}
    for c in selected:
        by_id.setdefault(c.id, c)
    ids = list(by_id)
    quiet = set(quiet_keys)
    scoped: dict[str, dict[str, Any]] = {}
    global_raw: dict[str, Any] = {}

    def claim_keys(c) -> dict[str, Key]:
        out: dict[str, Key] = {}
        for p in c.parts:
            for k in p.domain.keys:
                out.setdefault(k.name, k)
        return out

    for key, raw in bounds.items():
        if not isinstance(key, str) or not key.strip():
            raise UsageError(f"{where}: empty bound key")
        scope, name = _split_scope(key.strip(), ids)
        if scope is not None:
            if scope not in by_id:
                raise UsageError(f"{where}: {key}: unknown claim id {scope!r}{_suggest(scope, ids)}")
            keys = claim_keys(by_id[scope])
            if name not in keys:
                listing = ", ".join(sorted(keys)) if keys else "none (its parts have fixed domains)"
                raise UsageError(f"{where}: {key}: claim {scope} has no bound {name!r}{_suggest(name, keys)} "
                                 f"(its bounds: {listing})")
            scoped.setdefault(scope, {})[name] = raw
            continue
        pool = known if key in quiet else selected
        readers = [c for c in pool if any(k.name == name and not k.local for k in claim_keys(c).values())]
        if not readers:
            scoped_in = [c.id for c in pool if name in claim_keys(c)]
            if scoped_in:
                raise UsageError(f"{where}: bound {name!r} of {', '.join(scoped_in[:4])} is set only when scoped: "
                                 f"write {scoped_in[0]}.{name}=…")
            local_in = [c.id for c in known if name in claim_keys(c)]
            if local_in:
                raise UsageError(f"{where}: bound {name!r} is read by {', '.join(local_in[:4])}"
                                 + ("" if key in quiet else "; none of the selected claims reads it"))
            every = {k for c in known for k in claim_keys(c)}
            raise UsageError(f"{where}: unknown bound key {name!r}{_suggest(name, every)}; "
                             "`mechproof list --bounds` lists every claim's keys")
        global_raw[name] = raw

    selected_ids = {c.id for c in selected}
    for cid, mine in scoped.items():       # a scoped value for a claim not run now is still checked
        if cid not in selected_ids:
            for p in by_id[cid].parts:
                raw = {k.name: mine[k.name] for k in p.domain.keys if k.name in mine}
                if raw:
                    p.domain.resolve(raw, f"{where} ({cid}, part {p.name!r})")
    domains: dict[tuple[str, str], Domain] = {}
    for c in selected:
        mine = scoped.get(c.id, {})
        for p in c.parts:
            raw = {}
            for k in p.domain.keys:
                if k.name in mine:
                    raw[k.name] = mine[k.name]
                elif k.name in global_raw and not k.local:
                    raw[k.name] = global_raw[k.name]
            domains[(c.id, p.name)] = p.domain.resolve(raw, f"{where} ({c.id}, part {p.name!r})")
    return domains
