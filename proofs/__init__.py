"""mechproof: check claims about mechanisms — proved, verified, certified, or refuted.

The facade a user imports (one import is enough for a claim module):

    from mechproof import Claim, Part, Method, Role, Schema, IntKey, enumeration_check, ...
"""
from mechproof.mechanisms.errors import ClaimDeclarationError, MechproofError, ModelError, UsageError
from mechproof.mechanisms.exact import as_rational, check_delta
from .claims import Claim, Part, claims_in_module
from .context import CheckContext
from .domains import ChoiceKey, Domain, IntKey, Key, RationalKey, Schema
from .methods import Method
from .verdicts import (
    ClaimResult, Evaluation, Evidence, PartResult, Report, Role, Status, Verdict, Witness,
    certified, error, exact_text, proved, refuted, tested, unknown, verified,
)
from .checks import (
    Check, Query, compare_exact, derivation_check, enumeration_check, extremum_check, identity_check,
    not_checked, random_check, rational_points, smt_check, steps_check,
)
from mechproof.symbolic.proof_steps import Assume, Cite, Equal, Holds, Limit, Sign
from mechproof.mechanisms.auctions import (Auction, all_pay, f_delta_auction, first_price, gsp, kth_price,
                                           myerson_payments, outcome, posted_price, random_assignment, second_price,
                                           vcg_unit_demand)
from mechproof.mechanisms.cmz_payments import LogLinear
from .hunting import PROPERTIES, Prior, Property, hunt_claim, hunt_part

__version__ = "0.2.0"

__all__ = [
    # declaring claims
    "Claim", "Part", "Method", "Role", "Schema", "Key", "IntKey", "RationalKey", "ChoiceKey", "Domain",
    "CheckContext", "claims_in_module",
    # check builders and proof steps
    "Check", "Query", "identity_check", "derivation_check", "steps_check", "enumeration_check", "smt_check",
    "random_check", "extremum_check", "not_checked", "compare_exact", "rational_points", "Equal", "Sign", "Limit", "Holds", "Cite", "Assume",
    # verdicts
    "Status", "Verdict", "Evidence", "Witness", "Evaluation", "PartResult", "ClaimResult", "Report",
    "proved", "verified", "certified", "tested", "refuted", "unknown", "error", "exact_text",
    # mechanisms and counterexample hunting (docs/hunting.md)
    "Auction", "outcome", "first_price", "second_price", "kth_price", "all_pay", "random_assignment", "posted_price",
    "vcg_unit_demand", "gsp", "myerson_payments", "f_delta_auction", "LogLinear", "Property", "PROPERTIES", "Prior", "hunt_claim", "hunt_part",
    # errors and exact inputs
    "MechproofError", "UsageError", "ClaimDeclarationError", "ModelError", "as_rational", "check_delta",
    "__version__",
]
