"""The mutants: realistic bugs as data rows, one file per area (tests/mutation/harness.py applies them)."""
from .harness import Mutant
from .mutants_engines import MUTANTS as ENGINES

MUTANTS: tuple[Mutant, ...] = ENGINES

__all__ = ["MUTANTS", "Mutant"]
