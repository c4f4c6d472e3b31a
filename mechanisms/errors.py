"""mechproof's exceptions, one tree (re-exported by `mechproof`).

    MechproofError
    ├── UsageError             what the user asked is wrong: a bad bound, option or input value (exit 64)
    ├── ClaimDeclarationError  a malformed claim, part or domain schema (exit 64 for a user module)
    └── ModelError             a mechanism or model that misbehaves: probabilities outside [0, 1],
                               allocation above supply, a payment that is not exact

They live at the bottom of the import graph (mechanisms/) so that every folder can raise them.
"""
from __future__ import annotations

__all__ = ["MechproofError", "UsageError", "ClaimDeclarationError", "ModelError"]


class MechproofError(Exception):
    """The root of every error mechproof raises on purpose."""


class UsageError(MechproofError, ValueError):
    """Bad input from a user: names the offending value; the CLI prints one line and exits 64."""


class ClaimDeclarationError(MechproofError, ValueError):
    """A malformed declaration: bad id, no parts, a domain schema that does not make sense."""


class ModelError(MechproofError, ValueError):
    """A mechanism or model that misbehaves on a valid input (distinct from bad user input)."""
