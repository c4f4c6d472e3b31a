"""CMZ (paper 000), the mechanism f^(δ) of Definition E.2: well defined (CMZ-F), Lemma E.3's
seven properties (CMZ-E3) and its prices (CMZ-E5, Lemma E.5).

Claim tables only: points and properties are in mechanisms/cmz_f_delta_properties.py and
mechanisms/cmz_price_routes.py.  Part factories take the allocation rule, so planted variants
(another D, the largest n*, a shrunken index set) run through the same parts.  Readings: docs/cmz.md.
"""
from __future__ import annotations

import sympy as sp

from mechproof import Claim, Evaluation, IntKey, Method, Part, Role, Schema, compare_exact, enumeration_check
from mechproof.mechanisms.cmz_f_delta_properties import (DistinguishablePairs, MonotoneLines, count_profiles,
                                                         definition_two_routes, delta_good, f_delta_rule,
                                                         nstar_defined, nstar_unique, profile_points,
                                                         valid_probabilities, winner_inequality)
from mechproof.mechanisms.cmz_price_routes import PriceRoutes, log_enclosure_points, log_enclosure_values

from ._cmz_common import (DEFAULT_DELTAS, F_AT_ZERO, MF_PAYMENTS, NSTAR_SMALLEST, B_key, delta_key, grid,
                          holds_by, ladder, n_key, same_number)

F_DELTA = f_delta_rule()
ZERO_READING = ("at the all-zero profile Eq. (E.7) is 0/0 and f^(δ) = 0 (the convention of CMZ-F and E3 (4), "
                "(7)): nobody wins there, so (2) speaks of the profiles v ≠ 0")


def _profiles_text(nonzero: bool = False):
    return lambda d: (f"n ∈ {grid(d['n'])}, δ ∈ {grid(d['delta'])}; every sorted v ∈ {{0..{d['B']}}}^n"
                      + (", v ≠ 0" if nonzero else "") + " (f^(δ) symmetric)")


def profile_part(name: str, prop, what: str, role=Role.CONJUNCT, reading: str = "", nonzero: bool = False,
                 assumes=()) -> Part:
    """A property of f^(δ) at every sorted bid profile (smallest top bid first)."""
    return Part(
        name, method=Method.ENUMERATION, role=role, reading=reading, assumes=assumes,
        domain=Schema(n_key(), B_key(), delta_key(), text=_profiles_text(nonzero),
                      cases=lambda d: count_profiles(d["n"], d["B"], d["delta"], nonzero)),
        check=enumeration_check(lambda d: profile_points(d["n"], d["B"], d["delta"], nonzero), holds_by(prop),
                                shell=lambda p: f"n = {p['n']}, δ = {p['delta']}",
                                summary=f"{what}: holds at all {{cases}} profiles",
                                violation=f"{what} fails at {{point}}"))


def monotone_part(rule=F_DELTA) -> Part:
    c = MonotoneLines(rule)
    return Part(
        "(5) monotone", method=Method.ENUMERATION, technique="exact pieces a + c/z of each line in real z",
        domain=Schema(n_key(), B_key(), delta_key(),
                      text=lambda d: f"n ∈ {grid(d['n'])}, δ ∈ {grid(d['delta'])}; f_1(z⊔τ) for real z ∈ "
                                     f"[0, {d['B']}] and every sorted τ ∈ {{0..{d['B']}}}^(n−1)",
                      cases=lambda d: c.count(d["n"], d["B"], d["delta"])),
        assumes=(NSTAR_SMALLEST, F_AT_ZERO),
        check=enumeration_check(lambda d: c.points(d["n"], d["B"], d["delta"]), holds_by(c.violation),
                                replay=holds_by(c.violation_by_evaluation),
                                shell=lambda p: f"n = {p['n']}, δ = {p['delta']}",
                                summary="f_1(z⊔τ) is non-decreasing in real z on all {cases} lines",
                                violation="f_1(z⊔τ) decreases at {point}"))


def distinguishable_part(rule=F_DELTA) -> Part:
    c = DistinguishablePairs(rule)
    return Part(
        "(6) distinguishably monotone", method=Method.ENUMERATION, technique="exact log-linear integrals",
        domain=Schema(n_key(), B_key(), delta_key(),
                      text=lambda d: f"n ∈ {grid(d['n'])}, B ∈ {ladder(d['B'])}, δ ∈ {grid(d['delta'])}; every "
                                     "v_i < v'_i in {0..B}, witnesses v_−i searched over {0..B}^(n−1)",
                      cases=lambda d: c.count(d["n"], d["B"], d["delta"])),
        assumes=(NSTAR_SMALLEST, F_AT_ZERO, MF_PAYMENTS),
        check=enumeration_check(lambda d: c.points(d["n"], d["B"], d["delta"]), holds_by(c.violation),
                                replay=holds_by(c.violation_by_definition),
                                shell=lambda p: f"B = {p['B']}, n = {p['n']}",
                                summary="a v_−i with a positive integral exists for all {cases} pairs",
                                violation="no v_−i gives a positive integral at {point}"))


CMZ_F = Claim(
    id="CMZ-F", title="The mechanism f^(δ) is well defined",
    statement="f^(δ) of Def. E.2: smallest n* with v_i ≤ S/(n*+D) for i > n*; winners get "
              "(1/n)((n+D)/(n*+D))(v_i(n*+D) − S)/(v_i D); symmetric extension; zero bids and ties decided.",
    source="CMZ (000), Definition E.2, Eq. (E.7); slides '100m view'",
    why_not_proved=('A definition of an algorithm: the check is that two independent implementations '
                    "(Definition E.2's least n* and the slide's two-sided threshold) agree and are "
                    'permutation-equivariant on every bid profile of the grid; the agreement of two '
                    'programs on all real bids is not encoded symbolically.'),
    parts=(profile_part("definition, two routes", definition_two_routes(F_DELTA),
                        "Def. E.2's n* = the slide's unique two-sided threshold (v ≠ 0), no tie straddles it, "
                        "f permutation-equivariant", assumes=(NSTAR_SMALLEST, F_AT_ZERO)),))


def e3_parts(rule=F_DELTA, **planted) -> tuple[Part, ...]:
    """Lemma E.3's seven parts for `rule`; `planted` may replace (1)'s index set or winners."""
    return (
        profile_part("(1) n* well defined", nstar_defined(rule, **planted),
                     "the set of k satisfying Def. E.2's condition (every i > k) is non-empty and f^(δ) uses its "
                     "smallest element"),
        profile_part("(2) winner inequality", winner_inequality(rule), "v_i > S/(n*+D) for every winner",
                     role=Role.READING, reading=ZERO_READING, nonzero=True, assumes=(NSTAR_SMALLEST,)),
        profile_part("(3) n* unique", nstar_unique(rule), "at most one k satisfies the two-sided threshold"),
        profile_part("(4) valid probabilities", valid_probabilities(rule),
                     "f_i ∈ [0,1] and Σf ≤ ((n+D)/n)(n*/(n*+D)) ≤ 1", assumes=(NSTAR_SMALLEST, F_AT_ZERO)),
        monotone_part(rule),
        distinguishable_part(rule),
        profile_part("(7) δ-good", delta_good(rule), "Σ_j f_j v_j + D f_i v_i ≥ (1/n) v_i (n+D) for every i",
                     assumes=(NSTAR_SMALLEST, F_AT_ZERO)),
    )


CMZ_E3 = Claim(
    id="CMZ-E3", title="Lemma E.3: properties of f^(δ)",
    statement="(1) n* well defined; (2) v_i > S/(n*+D) for i ≤ n*; (3) n* unique; (4) f_i ∈ [0,1], "
              "Σf_i ≤ ((n+D)/n)(n*/(n*+D)) ≤ 1; (5) monotone; (6) distinguishably monotone; (7) δ-good.",
    source="CMZ (000), Lemma E.3",
    why_not_proved=('Seven properties of the piecewise-rational f^(δ) for every n, δ and bid profile, each '
                    "decided exactly on every profile of the grid; the paper's algebra per region of sorted "
                    'bids (the regions move with n*) is not encoded as derivations.'),
    parts=e3_parts())


# ---------------------------------------------------------------- CMZ-E5
def prices_part(routes: PriceRoutes | None = None, B3: int = 3) -> Part:
    c = routes or PriceRoutes()
    return Part(
        "exact prices, two routes", method=Method.ENUMERATION,
        technique="line sweep over ≤ 3n − 1 pieces a + c/z vs sympy's integral of Def. E.2",
        domain=Schema(n_key(), B_key(5), delta_key((DEFAULT_DELTAS[0], DEFAULT_DELTAS[3])),
                      IntKey("B3", B3, min=1, local=True, help="bids ≤ min(B, B3) when n ≥ 3 (sympy is slow)"),
                      text=lambda d: f"δ ∈ {grid(d['delta'])}, n ∈ {grid(d['n'])}; own bid and sorted τ in "
                                     f"{{0..{d['B']}}} for n = 2, in {{0..{min(d['B'], d['B3'])}}} for n ≥ 3",
                      cases=lambda d: c.count(d["n"], d["B"], d["delta"], d["B3"])),
        assumes=(NSTAR_SMALLEST, F_AT_ZERO, MF_PAYMENTS),
        check=enumeration_check(lambda d: c.points(d["n"], d["B"], d["delta"], d["B3"]),
                                lambda p: same_number(*c.prices(p)),
                                shell=lambda p: f"δ = {p['delta']}, n = {p['n']}",
                                summary="the two routes give the same exact price (q + Σ c_p ln p) at all {cases} "
                                        "points",
                                violation="the line-sweep price differs from sympy's integral at {point}"))


def log_enclosure_holds(point: dict, values=log_enclosure_values) -> Evaluation:
    """L ≤ 2^prec·ln p ≤ U (certified signs against sympy's ln p) and U − L ≤ 2."""
    L, x, U = values(point)
    seen = {"L": L, "U": U, "2^prec·ln p": x}
    for ev in (compare_exact(L, "<=", x, seen), compare_exact(U, ">=", x, seen)):
        if ev.holds is not True:
            return ev
    return Evaluation.of(U - L <= 2, seen)


def log_enclosure_part(values=log_enclosure_values) -> Part:
    """Cross-check of the exact signs the prices (and every dominance decision on them) rest on: the
    integer enclosures of ln p are rigorous and tight."""
    return Part(
        "ln p enclosures", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        technique="ln_bounds against sympy's ln p, certified signs",
        domain=Schema(IntKey("ln_primes", 97, min=2, local=True, help="primes p ≤ ln_primes"),
                      text=lambda d: f"every prime p ≤ {d['ln_primes']}, precisions 2^64, 2^128, 2^256",
                      cases=lambda d: 3 * len(list(sp.primerange(2, d["ln_primes"] + 1)))),
        check=enumeration_check(lambda d: log_enclosure_points(d["ln_primes"]),
                                lambda p: log_enclosure_holds(p, values),
                                summary="L ≤ 2^prec·ln p ≤ U and U − L ≤ 2 at all {cases} (p, prec)",
                                violation="the enclosure of ln p is wrong or too wide at {point}"))


CMZ_E5 = Claim(
    id="CMZ-E5", title="f^(δ) and its prices are efficiently computable",
    statement="f^(δ) and its expected prices are efficiently computable (line sweep over the pieces).",
    source="CMZ (000), Lemma E.5",
    why_not_proved=("Efficient computability is an algorithmic statement with no symbolic form; the check "
                    "is that the line-sweep prices equal the definition's prices exactly at every grid "
                    'point, with certified ln p enclosures.'),
    uses=("CMZ-E3",),
    parts=(prices_part(), log_enclosure_part()))
