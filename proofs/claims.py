"""Claims as data: the one way to declare an obligation.

Built-in claims (mechproof.papers.*) and a user's own module use exactly this:

    from mechproof import Claim, Part, Method, Schema, IntKey, identity_check

    MY_CLAIM = Claim(
        id="MY-1", title="...", statement="...", source="My paper, eq. (3)",
        parts=(Part("identity", method=Method.IDENTITY, domain="all x > 0",
                    check=identity_check(lhs, rhs, points=...)),),
    )

A part declares its typed domain (`Schema`, or a string for a fixed symbolic scope), its method
(`Method`: the strongest status it may yield), its role (`Role`), the hypotheses its verdict
depends on (`assumes`) and the plain evaluation that replays a witness (`replay`; the check
builders supply it).  A claim declares the claims its argument uses (`uses`).  Any module-level
`Claim` (or list/tuple of them) is collected.
"""
from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass
from types import ModuleType
from typing import Any, Callable

from mechproof.mechanisms.errors import ClaimDeclarationError

from .context import CheckContext
from .domains import Schema
from .methods import Method
from .verdicts import USE_KINDS, Evaluation, PartResult, Role, Status, Verdict, claim_status

__all__ = ["Claim", "Part", "ClaimDeclarationError", "claims_in_module", "CLAIM_ID_PATTERN"]

CLAIM_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*(-[A-Za-z0-9_.]+)*$")

Check = Callable[[CheckContext], Verdict]
Replay = Callable[[dict], Evaluation]


@dataclass(frozen=True)
class Part:
    """One checked part of a claim (CMZ-E3 has seven, CMZ-SLIDE three)."""

    name: str
    _: KW_ONLY
    method: Method              # how it is checked; its ceiling bounds the status
    check: Check                # CheckContext -> Verdict (a check builder, or your own function)
    domain: Any = None          # a Schema, or a string for a fixed (symbolic) scope
    role: Role = Role.CONJUNCT
    reading: str = ""           # for Role.READING: the convention or restriction adopted
    assumes: tuple[str, ...] = ()   # hypotheses the verdict depends on (shown with it)
    technique: str = ""         # detail shown after the method ("endpoint reduction")
    replay: Replay | None = None    # plain evaluation of one point: replays every witness
    slow: bool = False          # an exhaustive run CI may skip (`--skip-slow`)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ClaimDeclarationError(f"a part needs a non-empty name, got {self.name!r}")
        where = f"part {self.name!r}"
        if not isinstance(self.method, Method):
            raise ClaimDeclarationError(f"{where}: method must be a mechproof.Method (e.g. Method.ENUMERATION), "
                                        f"got {self.method!r}")
        if not callable(self.check):
            raise ClaimDeclarationError(f"{where}: check must be callable, got {self.check!r}")
        if self.domain is None:
            raise ClaimDeclarationError(f"{where}: declare its domain: a Schema of typed keys, or a string "
                                        "describing a fixed symbolic scope")
        if isinstance(self.domain, str):
            object.__setattr__(self, "domain", Schema.fixed(self.domain) if self.domain.strip() else None)
            if self.domain is None:
                raise ClaimDeclarationError(f"{where}: the domain text is empty")
        if not isinstance(self.domain, Schema):
            raise ClaimDeclarationError(f"{where}: domain must be a Schema or a string, got {self.domain!r}")
        if not isinstance(self.role, Role):
            raise ClaimDeclarationError(f"{where}: role must be a mechproof.Role, got {self.role!r}")
        if self.role is Role.READING and not (isinstance(self.reading, str) and self.reading.strip()):
            raise ClaimDeclarationError(f"{where}: a reading must say which reading it adopts (reading=...)")
        if isinstance(self.assumes, str):
            object.__setattr__(self, "assumes", (self.assumes,))
        if not all(isinstance(a, str) and a.strip() for a in self.assumes):
            raise ClaimDeclarationError(f"{where}: assumes must be a tuple of non-empty strings")
        object.__setattr__(self, "assumes", tuple(self.assumes))
        if self.replay is None and callable(getattr(self.check, "replay", None)):
            object.__setattr__(self, "replay", self.check.replay)
        if self.replay is not None and not callable(self.replay):
            raise ClaimDeclarationError(f"{where}: replay must be a function of one point")
        for attr in ("technique", "reading"):
            if not isinstance(getattr(self, attr), str):
                raise ClaimDeclarationError(f"{where}: {attr} must be a string")

    @property
    def method_text(self) -> str:
        """The method as shown: its label, and the technique when one is given."""
        return f"{self.method.label} ({self.technique})" if self.technique else self.method.label


@dataclass(frozen=True)
class Claim:
    """A formal claim: id (as in CLAIMS.md), statement, source, its checked parts and the claims it uses."""

    id: str
    title: str
    statement: str
    source: str                 # paper and equation/lemma, e.g. "CMZ (000) App. E, Lemma E.3"
    parts: tuple[Part, ...]
    paper: str = ""             # defaults to the id's prefix ("CMZ" for "CMZ-D")
    uses: tuple[str, ...] = ()  # ids of the claims its argument relies on ("ID:reading": under its readings;
    #                             "ID:convention": its readings adopted as a convention, which caps no tier)
    why_not_proved: str = ""    # why its strongest part is below `proved` (shown when it passes below proved)

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
        if all(p.role is Role.CROSS_CHECK for p in self.parts):
            raise ClaimDeclarationError(f"claim {self.id}: only cross-checks; at least one part must decide it")
        for attr in ("title", "statement", "source"):
            if not isinstance(getattr(self, attr), str) or not getattr(self, attr).strip():
                raise ClaimDeclarationError(f"claim {self.id}: {attr} must be a non-empty string")
        if not isinstance(self.why_not_proved, str):
            raise ClaimDeclarationError(f"claim {self.id}: why_not_proved must be a string")
        object.__setattr__(self, "why_not_proved", " ".join(self.why_not_proved.split()))
        uses = (self.uses,) if isinstance(self.uses, str) else tuple(self.uses)
        for u in uses:
            cid, colon, which = u.partition(":") if isinstance(u, str) else (u, "", "")
            if not isinstance(u, str) or not CLAIM_ID_PATTERN.match(cid) or (colon and which not in USE_KINDS):
                raise ClaimDeclarationError(f"claim {self.id}: uses {u!r}, which is not a claim id (or 'ID:reading' "
                                            "for the claim under its readings, 'ID:convention' for its readings "
                                            "adopted as a convention)")
            if cid == self.id:
                raise ClaimDeclarationError(f"claim {self.id}: a claim cannot use itself")
        object.__setattr__(self, "uses", tuple(dict.fromkeys(uses)))
        if not self.paper:
            object.__setattr__(self, "paper", self.id.split("-", 1)[0])

    @property
    def method(self) -> str:
        return " + ".join(dict.fromkeys(p.method_text for p in self.parts))

    @property
    def ceiling(self) -> Status:
        """The strongest status its parts' methods allow: `claim_status` over each part at its method's
        ceiling (`verified` for a claim whose weakest deciding part is an enumeration)."""
        return claim_status(PartResult(p.name, Verdict(p.method.ceiling), p.role) for p in self.parts)[0]

    @property
    def used_ids(self) -> tuple[str, ...]:
        """The ids of the claims it uses (without ':reading')."""
        return tuple(dict.fromkeys(u.partition(":")[0] for u in self.uses))


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
