"""Claims as data: the one way to declare an obligation.

Built-in claims (mechproof.papers.*) and a user's own module use exactly this:

    from mechproof import Claim, Part, identity_check

    MY_CLAIM = Claim(
        id="MY-1", title="...", statement="...", source="My paper, eq. (3)",
        parts=(Part("identity", method="sympy identity", domain="all x > 0",
                    check=identity_check(lhs, rhs, ...)),),
    )

Any module-level `Claim` (or list/tuple of them) is collected.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType
from typing import Callable

from .context import CheckContext
from .verdicts import Verdict

__all__ = ["Claim", "Part", "ClaimDeclarationError", "claims_in_module", "CLAIM_ID_PATTERN"]

CLAIM_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*(-[A-Za-z0-9_.]+)*$")


class ClaimDeclarationError(ValueError):
    """A malformed claim declaration (bad id, no parts, a check that is not callable)."""


Check = Callable[[CheckContext], Verdict]


@dataclass(frozen=True)
class Part:
    """One independently checked part of a claim (CMZ-E3 has seven, CMZ-SLIDE three)."""

    name: str
    method: str                 # e.g. "sympy identity", "z3 unsat", "exhaustive enumeration"
    domain: str                 # the domain the check is declared to cover by default
    check: Check                # CheckContext -> Verdict
    slow: bool = False          # an exhaustive run CI may skip (`--skip-slow`)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ClaimDeclarationError(f"a part needs a non-empty name, got {self.name!r}")
        if not callable(self.check):
            raise ClaimDeclarationError(f"part {self.name!r}: check must be callable, got {self.check!r}")
        for attr in ("method", "domain"):
            if not isinstance(getattr(self, attr), str):
                raise ClaimDeclarationError(f"part {self.name!r}: {attr} must be a string")


@dataclass(frozen=True)
class Claim:
    """A formal claim: id (as in CLAIMS.md), statement, source and its checked parts."""

    id: str
    title: str
    statement: str
    source: str                 # paper and equation/lemma, e.g. "CMZ (000) App. E, Lemma E.3"
    parts: tuple[Part, ...]
    paper: str = ""             # defaults to the id's prefix ("CMZ" for "CMZ-D")

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not CLAIM_ID_PATTERN.match(self.id):
            raise ClaimDeclarationError(
                f"claim id {self.id!r} is malformed: use letters, digits and dashes, like 'MY-LEMMA-2'")
        if isinstance(self.parts, Part):
            object.__setattr__(self, "parts", (self.parts,))
        if not isinstance(self.parts, tuple):
            try:
                object.__setattr__(self, "parts", tuple(self.parts))
            except TypeError:
                raise ClaimDeclarationError(f"claim {self.id}: parts must be a tuple of Part") from None
        if not self.parts:
            raise ClaimDeclarationError(f"claim {self.id}: needs at least one Part")
        for p in self.parts:
            if not isinstance(p, Part):
                raise ClaimDeclarationError(f"claim {self.id}: {p!r} is not a Part")
        names = [p.name for p in self.parts]
        if len(set(names)) != len(names):
            raise ClaimDeclarationError(f"claim {self.id}: part names must be unique, got {names}")
        for attr in ("title", "statement", "source"):
            if not isinstance(getattr(self, attr), str) or not getattr(self, attr).strip():
                raise ClaimDeclarationError(f"claim {self.id}: {attr} must be a non-empty string")
        if not self.paper:
            object.__setattr__(self, "paper", self.id.split("-", 1)[0])

    @property
    def method(self) -> str:
        return " + ".join(dict.fromkeys(p.method for p in self.parts))


def claims_in_module(module: ModuleType) -> list[Claim]:
    """Every Claim at module level (directly, or inside a list/tuple), in definition order."""
    found: list[Claim] = []
    for value in vars(module).values():
        if isinstance(value, Claim):
            found.append(value)
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Claim) for v in value):
            found.extend(value)
    unique: dict[int, Claim] = {}
    for c in found:
        unique.setdefault(id(c), c)
    return list(unique.values())
