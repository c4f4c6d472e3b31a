"""The mutants: realistic bugs as data rows (tests/mutation/harness.py applies them)."""
from .harness import Mutant

MUTANTS: tuple[Mutant, ...] = ()
