"""CMZ closed forms: D(δ) (CMZ-D) and the slide's "k times better" ratios (CMZ-SLIDE).

Paper 000, Appendix E: D(δ) := ((1+δ)/(1−δ))² − 1, and the welfare bound of
Theorem 4, ((1−δ)² + 4δ/n)/(1+δ)², against second price's ((1−δ)/(1+δ))².
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from ..checks import identity_check, rational_points
from ..claims import Claim, Part
from ..verdicts import Evidence, Witness, proved, refuted

delta = sp.Symbol("delta", positive=True)
n = sp.Symbol("n", integer=True, positive=True)

D_DEFINITION = ((1 + delta) / (1 - delta)) ** 2 - 1
D_CLOSED_FORM = 4 * delta / (1 - delta) ** 2


def new_bound(d, m):
    """Theorem 4's guarantee ((1−δ)² + 4δ/n)/(1+δ)² (CMZ-T4)."""
    return ((1 - d) ** 2 + 4 * d / m) / (1 + d) ** 2


def second_price_bound(d):
    """Theorem 2's guarantee ((1−δ)/(1+δ))² (CMZ-T2)."""
    return ((1 - d) / (1 + d)) ** 2


_POINTS = rational_points({delta: (0, 1)})
_POINTS_N = rational_points({delta: (0, 1), n: [1, 2, 3, 4, 5]})


def d_closed_form_part(closed_form=D_CLOSED_FORM) -> Part:
    """CMZ-D (first identity): ((1+δ)/(1−δ))² − 1 = `closed_form`."""
    return Part("D(δ) = 4δ/(1−δ)²", method="sympy identity", domain="all δ ∈ (0,1)",
                check=identity_check(D_DEFINITION, closed_form, points=_POINTS, domain="all δ ∈ (0,1)"))


def d_ratio_part(closed_form=D_CLOSED_FORM) -> Part:
    """CMZ-D (second identity): ((1−δ)²+4δ/n)/(1+δ)² = (n+D)/(n(1+D)) with D = `closed_form`."""
    return Part("bound = (n+D)/(n(1+D))", method="sympy identity", domain="all δ ∈ (0,1), all n ≥ 1",
                check=identity_check(new_bound(delta, n), (n + closed_form) / (n * (1 + closed_form)),
                                     points=_POINTS_N, domain="all δ ∈ (0,1), all n ≥ 1"))


CMZ_D = Claim(
    id="CMZ-D", title="D(δ) = 4δ/(1−δ)² and the Theorem 4 bound equals (n+D)/(n(1+D))",
    statement="D(δ) = 4δ/(1−δ)², and ((1−δ)²+4δ/n)/(1+δ)² = (n+D)/(n(1+D)).",
    source="CMZ (000), Appendix E, definition of D(δ) and Theorem 4",
    parts=(d_closed_form_part(), d_ratio_part()),
)


def slide_ratio_part(d: Fraction, m: int, claimed: int) -> Part:
    """The slide's "`claimed` times better" at δ = d, n = m: exact ratio of the two bounds."""
    label = f"δ={d}, n={m}: {claimed}× better"

    def check(ctx):
        dd = sp.Rational(d.numerator, d.denominator)
        ratio = sp.nsimplify(sp.simplify(new_bound(dd, m) / second_price_bound(dd)))
        # independent route: 1 + D/n, with D from its definition
        other = 1 + D_DEFINITION.subs(delta, dd) / m
        ev = Evidence("sympy", f"exact ratio new/second-price = {ratio} (= 1 + D/n = {sp.nsimplify(other)})",
                      f"new bound {new_bound(dd, m)}; second price {second_price_bound(dd)}")
        if sp.simplify(ratio - other) != 0:
            raise AssertionError("the two exact routes to the ratio disagree")
        domain = f"δ = {d}, n = {m}"
        if ratio == claimed:
            return proved("exact rational arithmetic", f"holds exactly: ratio = {ratio}", (ev,), domain)
        nearest = int(sp.floor(ratio + sp.Rational(1, 2)))
        approx = f"{float(ratio):.4f}"  # display only; the verdict is decided on the exact value
        w = Witness.of({"delta": d, "n": m}, {"ratio": ratio, "claimed": claimed},
                       "exact ratio of ((1−δ)²+4δ/n)/(1+δ)² to ((1−δ)/(1+δ))², also computed as 1 + D/n")
        if nearest == claimed:
            return refuted("exact rational arithmetic", domain,
                           f"only approximately: exact ratio {ratio} ≈ {approx}, which rounds to {claimed}", w, (ev,))
        return refuted("exact rational arithmetic", domain, f"false: exact ratio {ratio} ≈ {approx}, not {claimed}",
                       w, (ev,))

    return Part(label, method="exact rational arithmetic", domain=f"δ = {d}, n = {m}", check=check)


SLIDE_POINTS = ((Fraction(1, 2), 2, 5), (Fraction(1, 2), 4, 3), (Fraction(1, 4), 2, 2))

CMZ_SLIDE = Claim(
    id="CMZ-SLIDE", title="Slide: new bound is 5×, 3×, 2× the second-price bound",
    statement="The new bound vs the second-price bound ((1−δ)/(1+δ))² is \"5 times better\" at δ=0.5, n=2; "
              "\"3 times better\" at δ=0.5, n=4; \"2 times better\" at δ=0.25, n=2.",
    source="CMZ (000), slides (comparison with second price)",
    parts=tuple(slide_ratio_part(d, m, k) for d, m, k in SLIDE_POINTS),
)
