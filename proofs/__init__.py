"""mechproof: check claims about mechanisms — proved, verified, certified, or refuted.

The facade a user imports:

    from mechproof import Claim, Part, CheckContext, Witness, proved, refuted, ...
"""
from .claims import Claim, ClaimDeclarationError, Part, claims_in_module
from .context import CheckContext
from .mechanisms.exact import InputError, as_rational, check_delta
from .verdicts import (
    ClaimResult, Evidence, PartResult, Report, Status, Verdict, Witness,
    certified, error, exact_text, proved, refuted, tested, unknown, verified,
)

__version__ = "0.1.0"

__all__ = [
    "Claim", "Part", "ClaimDeclarationError", "claims_in_module", "CheckContext",
    "InputError", "as_rational", "check_delta",
    "Status", "Verdict", "Evidence", "Witness", "PartResult", "ClaimResult", "Report",
    "proved", "verified", "certified", "tested", "refuted", "unknown", "error", "exact_text",
    "__version__",
]
