"""Models and mechanisms of the three papers, in exact rational arithmetic.

Nothing here knows about claims or verdicts (see mechproof.proofs for those).
"""
from .exact import UsageError, as_rational, check_delta, parse_rational

__all__ = ["UsageError", "as_rational", "check_delta", "parse_rational"]
