"""BCK (paper 001) Example 1: unbounded gap between optimal DSIC and BIC for a risk-averse seller.

BCK-EX1.  Two buyers, two units, values 1 w.p. ε else 0, U(t) = min(t, ε).  Route: a list of
checked steps, symbolic in ε ∈ (0, 1).  Cross-check: at rational ε, the optimal DSIC mechanism by
exhaustive enumeration of deterministic price rules and the BIC mechanism replayed as a lottery
(mechanisms/bck_mechanism_cases.py).
"""
from __future__ import annotations

import sympy as sp

from mechproof import (Assume, Claim, Equal, Evaluation, Limit, Method, Part, RationalKey, Role, Schema, Sign,
                       enumeration_check, steps_check)
from mechproof.mechanisms.bck_mechanism_cases import example1_case, example1_points

__all__ = ["BCK_EX1", "example1_steps"]

eps = sp.Symbol("epsilon", positive=True)
EPS_RANGE = ((eps, 0, 1),)


def example1_steps(dsic_bound=2 * eps ** 2 - eps ** 3, bic_utility=eps):
    """The steps of Example 1; the arguments plant wrong values in tests."""
    pr = {0: 1 - eps, 1: eps}
    # U(min) for the revenue r ∈ {0, 1, 2} of posted price 1: min(r, ε) = ε for r ≥ 1 > ε
    posted = sum(pr[a] * pr[b] * (0 if a + b == 0 else eps) for a in (0, 1) for b in (0, 1))
    bic = sum(pr[a] * pr[b] * eps for a in (0, 1) for b in (0, 1))       # revenue ε + 1[v₂=1] − 1[v₂=1] = ε
    buyer1_payment = sum(pr[a] * pr[b] * (eps - b) for a in (0, 1) for b in (0, 1))
    return [
        Assume("DSIC mechanisms post prices",
               "a DSIC mechanism offers buyer i a price P_i(v₋ᵢ) and sells iff v_i ≥ P_i (BCK §2): at the profile "
               "(0, 0) its revenue is ≤ 0, so U(revenue) ≤ 0; at every other profile U(revenue) = min(revenue, ε) ≤ ε"),
        Equal("so every DSIC mechanism gets E[U] ≤ ε·Pr[some value is 1] = ε(1 − (1−ε)²) = 2ε² − ε³",
              eps * (1 - (1 - eps) ** 2), dsic_bound),
        Sign("… which is < 2ε² (the paper's bound)", 2 * eps ** 2 - dsic_bound, ">0", EPS_RANGE),
        Sign("posted price 1 earns r ∈ {1, 2} whenever a value is 1, and min(r, ε) = ε there since ε ≤ 1",
             1 - eps, ">=0", EPS_RANGE),
        Equal("posted price 1 to each buyer attains the bound: OPT_DSIC = 2ε² − ε³", posted, dsic_bound),
        Equal("the BIC mechanism's revenue is ε + 1[v₂ = 1] − 1[v₂ = 1] = ε in every profile: E[U] = ε",
              bic, bic_utility),
        Equal("buyer 1's expected payment ε − Pr[v₂ = 1] is 0 whatever he reports (truthful, risk-neutral, "
              "interim IR); buyer 2 faces a posted price (DSIC)", buyer1_payment, 0),
        Limit("the gap is unbounded: OPT_DSIC / E[U_BIC] → 0 as ε → 0+", dsic_bound / bic_utility, eps, 0, 0),
    ]


BCK_EX1 = Claim(
    id="BCK-EX1", title="Example 1: DSIC vs BIC gap is unbounded",
    statement="Two buyers, two units, each value 1 w.p. ε else 0, first buyer risk-neutral, U(t) = min(t, ε): every "
              "DSIC mechanism has expected utility ≤ 2ε²; the described BIC mechanism gets ε.",
    source="BCK (001), Example 1 (§1)",
    parts=(Part("symbolic in ε", method=Method.DERIVATION, role=Role.ROUTE, domain="all ε ∈ (0, 1)",
                check=steps_check(example1_steps, summary="OPT_DSIC = 2ε² − ε³ < 2ε², the BIC mechanism gets ε, "
                                                          "OPT_DSIC/BIC → 0")),
           Part("exhaustive DSIC and replayed BIC at rational ε", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
                domain=Schema(RationalKey("eps", ("1/10", "1/4", "1/3", "1/2"), lo=0, hi=1, lo_open=True,
                                          hi_open=True, many=True, local=True, help="ε ∈ (0, 1)"),
                              text="ε ∈ $eps; deterministic DSIC price rules with prices in {1, none}; the BIC "
                                   "mechanism as an ex-post lottery",
                              cases=lambda d: len(d["eps"])),
                check=enumeration_check(lambda d: example1_points(d["eps"]),
                                        lambda p: Evaluation.of(*example1_case(p)),
                                        summary="OPT_DSIC = 2ε² − ε³ < 2ε² and the BIC mechanism gets ε at all "
                                                "{cases} values of ε"))),
)
