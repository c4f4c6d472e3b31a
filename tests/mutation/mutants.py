"""The mutants: realistic bugs as data rows, one file per area (tests/mutation/harness.py applies them)."""
from .harness import Mutant
from .mutants_bck import MUTANTS as BCK
from .mutants_cmz import MUTANTS as CMZ
from .mutants_engines import MUTANTS as ENGINES
from .mutants_gh import MUTANTS as GH
from .mutants_hunt import MUTANTS as HUNT

MUTANTS: tuple[Mutant, ...] = CMZ + BCK + GH + ENGINES + HUNT

__all__ = ["MUTANTS", "Mutant"]
