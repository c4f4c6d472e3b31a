"""The mutants: realistic bugs as data rows, one file per area (tests/mutation/harness.py applies them)."""
from .harness import Mutant
from .mutants_engines import MUTANTS as ENGINES
from .mutants_hunt import MUTANTS as HUNT

MUTANTS: tuple[Mutant, ...] = ENGINES + HUNT

__all__ = ["MUTANTS", "Mutant"]
