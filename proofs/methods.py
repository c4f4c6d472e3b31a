"""How a part is checked (`Method`, with the strongest status it may yield) and what it contributes
to its claim (`Role`)."""
from __future__ import annotations

from enum import Enum

from .verdicts import Role, Status

__all__ = ["Method", "Role"]


class Method(Enum):
    """A part's method.  Its ceiling is the strongest status it may produce: a verdict above it is an
    error (exhaustive enumeration never yields `proved`, random search only `tested`)."""

    IDENTITY = ("sympy identity", Status.PROVED)                  # lhs − rhs simplifies to 0 symbolically
    DERIVATION = ("checked derivation", Status.PROVED)            # every step decided by sympy or a named rule
    SMT_PROOF = ("z3 unsat over all reals/integers", Status.PROVED)  # unbounded quantifier-free query unsat
    EXACT = ("exact evaluation", Status.PROVED)                   # a statement about finitely many exact numbers
    ENUMERATION = ("exhaustive enumeration", Status.VERIFIED)     # every case of a finite domain, exactly
    SMT = ("z3 over a bounded domain", Status.VERIFIED)           # unsat over a finite domain / table sizes
    LP = ("exact LP", Status.VERIFIED)                            # rational LP optimum with a certificate
    INTERVAL = ("rigorous interval arithmetic", Status.CERTIFIED)  # enclosures over a stated range
    RANDOM = ("random search (Hypothesis)", Status.TESTED)        # never a proof; the seed is recorded
    NONE = ("not encoded", Status.UNKNOWN)                        # external theorem or not yet encoded: never passes

    def __init__(self, label: str, ceiling: Status) -> None:
        self.label = label
        self.ceiling = ceiling

    def allows(self, status: Status) -> bool:
        """True when this method may produce `status` (every non-passing status is always allowed)."""
        if not status.passes:
            return True
        return self.ceiling.passes and status.strength <= self.ceiling.strength
