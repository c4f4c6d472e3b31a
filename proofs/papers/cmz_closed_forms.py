"""CMZ closed forms: D(δ) (CMZ-D), the slide's "k times better" ratios (CMZ-SLIDE) and Lemma E.1
(CMZ-E1) — sympy identities and exact evaluation.

Paper 000, Appendix E: D(δ) := ((1+δ)/(1−δ))² − 1; the welfare bound of Theorem 4,
((1−δ)² + 4δ/n)/(1+δ)², against second price's ((1−δ)/(1+δ))².
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from mechproof import (Assume, Cite, Claim, Equal, IntKey, Method, Part, Role, Schema, Sign, enumeration_check,
                       identity_check, rational_points, steps_check)
from mechproof.mechanisms.cmz_delta_good import lemma_e1_instances, lemma_e1_violation
from mechproof.mechanisms.cmz_model import welfare_bound_f_delta

from ._cmz_common import delta_key, grid, holds_by, n_key

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


# ---------------------------------------------------------------- CMZ-D
def d_closed_form_part(closed_form=D_CLOSED_FORM) -> Part:
    """CMZ-D (first identity): ((1+δ)/(1−δ))² − 1 = `closed_form`."""
    return Part("D(δ) = 4δ/(1−δ)²", method=Method.IDENTITY, domain="all δ ∈ (0, 1)",
                check=identity_check(D_DEFINITION, closed_form, points=_POINTS))


def d_ratio_part(closed_form=D_CLOSED_FORM) -> Part:
    """CMZ-D (second identity): ((1−δ)²+4δ/n)/(1+δ)² = (n+D)/(n(1+D)) with D = `closed_form`."""
    return Part("bound = (n+D)/(n(1+D))", method=Method.IDENTITY, domain="all δ ∈ (0, 1), all n ≥ 1",
                check=identity_check(new_bound(delta, n), (n + closed_form) / (n * (1 + closed_form)),
                                     points=_POINTS_N))


CMZ_D = Claim(
    id="CMZ-D", title="D(δ) = 4δ/(1−δ)² and the Theorem 4 bound equals (n+D)/(n(1+D))",
    statement="D(δ) = 4δ/(1−δ)², and ((1−δ)²+4δ/n)/(1+δ)² = (n+D)/(n(1+D)).",
    source="CMZ (000), Appendix E, definition of D(δ) and Theorem 4",
    parts=(d_closed_form_part(), d_ratio_part()),
)


# ---------------------------------------------------------------- CMZ-SLIDE
def slide_ratio_part(d: Fraction, m: int, claimed: int) -> Part:
    """The slide's "`claimed` times better" at δ = d, n = m: the exact ratio of the two bounds
    equals `claimed`.  The replay recomputes the ratio by the other route, 1 + D(δ)/n."""
    dd = sp.Rational(d.numerator, d.denominator)

    def other_route(point):
        return 1 + D_DEFINITION.subs(delta, dd) / m, sp.Integer(claimed)

    return Part(f"δ={d}, n={m}: {claimed}× better", method=Method.EXACT, domain=f"δ = {d}, n = {m}",
                technique="exact ratio of the two bounds; replayed as 1 + D(δ)/n",
                check=identity_check(lambda: new_bound(dd, m) / second_price_bound(dd), sp.Integer(claimed),
                                     recheck=other_route))


SLIDE_POINTS = ((Fraction(1, 2), 2, 5), (Fraction(1, 2), 4, 3), (Fraction(1, 4), 2, 2))

CMZ_SLIDE = Claim(
    id="CMZ-SLIDE", title="Slide: new bound is 5×, 3×, 2× the second-price bound",
    statement="The new bound vs the second-price bound ((1−δ)/(1+δ))² is \"5 times better\" at δ=0.5, n=2; "
              "\"3 times better\" at δ=0.5, n=4; \"2 times better\" at δ=0.25, n=2.",
    source="CMZ (000), slides (comparison with second price)",
    parts=tuple(slide_ratio_part(d, m, k) for d, m, k in SLIDE_POINTS),
)


# ---------------------------------------------------------------- CMZ-E1
def _e1_steps(bound=None):
    """Lemma E.1's proof as checked steps.  r = (1−δ)/(1+δ); i is the argmax of tv, p = f_i(σ),
    S_o = Σ_{j≠i} σ_j f_j(σ), G = S_o + σ_i p + D σ_i p − ((n+D)/n) σ_i ≥ 0 (δ-good at σ);
    E(t) = r·S_o + t·p − ε·t bounds E[SW] − ε·MSW below when tv_i = t."""
    m, dl = sp.symbols("n delta", positive=True)
    sig, p, So, G, x, a, b = sp.symbols("sigma_i p_i S_o G x a b", nonnegative=True)
    r = (1 - dl) / (1 + dl)
    D = 4 * dl / (1 - dl) ** 2
    eps = new_bound(dl, m) if bound is None else bound(m, dl)
    slack = So + sig * p + D * sig * p - (m + D) / m * sig

    def E(t):
        return r * So + t * p - eps * t
    unit = ((dl, 0, 1),)
    pts = [{m: 2, dl: sp.Rational(1, 2), sig: 1, p: sp.Rational(1, 2), So: 1},
           {m: 3, dl: sp.Rational(1, 3), sig: 2, p: sp.Rational(1, 4), So: 1}]
    return [
        Cite("every σ_j ∈ UDed_j(K_j) lies in K_j ⊆ int_δ(x_j) (DML)", "CMZ-DML"),
        Equal("two points of int_δ(x): tv = (1−δ)x + a, σ = (1+δ)x − b ⇒ tv − r·σ = a + r·b",
              (1 - dl) * x + a - r * ((1 + dl) * x - b), a + r * b),
        Sign("a + r·b ≥ 0, so tv_j ≥ r·σ_j for j ≠ i", a + r * b, ">=0", unit),
        Equal("σ = (1−δ)x + a, tv = (1+δ)x − b ⇒ σ − r·tv = a + r·b (≥ 0), so r·σ_i ≤ tv_i ≤ σ_i/r",
              (1 - dl) * x + a - r * ((1 + dl) * x - b), a + r * b),
        Assume("lower bound", "f ≥ 0 and tv_j ≥ r·σ_j give E[SW] − ε·MSW ≥ E(tv_i) = r·S_o + tv_i·p − ε·tv_i, "
                              "affine in tv_i ∈ [r·σ_i, σ_i/r]: non-negative at both ends is non-negative between"),
        Equal("1 + D = 1/r²", 1 + D, 1 / r ** 2, pts),
        Equal("E(σ_i/r) = r·G", E(sig / r), r * slack, pts),
        Equal("E(r·σ_i) = r·(G + D·S_o)/(1+D)", E(r * sig), r * (slack + D * So) / (1 + D), pts),
        Sign("r·G ≥ 0 (G ≥ 0 is δ-goodness, Eq. (E.1), at σ)", r * G, ">=0", unit),
        Sign("r·(G + D·S_o)/(1+D) ≥ 0", r * (G + D * So) / (1 + D), ">=0", unit),
    ]


def e1_proof_part(bound=None) -> Part:
    """CMZ-E1 by checked steps; `bound(n, δ)` (sympy) replaces ε (planted bugs)."""
    return Part("symbolic proof", method=Method.DERIVATION, role=Role.ROUTE,
                domain="all n ≥ 1, δ ∈ (0, 1), σ ≥ 0, every δ-good f (continuous model)",
                check=steps_check(lambda: _e1_steps(bound),
                                  summary="E[SW] − ε·MSW is ≥ a non-negative combination of the δ-good slack "
                                          "and S_o at both extreme tv_i"))


def e1_instances_part(bound=welfare_bound_f_delta) -> Part:
    """Small exact instances of Eq. (E.2); `bound(δ, n)` (Fractions) replaces ε (planted bugs)."""
    return Part(
        "small exact instances", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        domain=Schema(n_key(), delta_key(),
                      IntKey("bid_max", 4, min=1, local=True, help="bids σ_j ∈ {0..bid_max} (σ_1 ≥ 1)"),
                      IntKey("grid", 6, min=1, local=True, help="win probabilities on the grid 1/grid"),
                      text=lambda d: (f"n ∈ {grid(d['n'])}, δ ∈ {grid(d['delta'])}; σ = (x, y, …, y), "
                                      f"1 ≤ x ≤ {d['bid_max']}, 0 ≤ y ≤ {d['bid_max']}; f on the grid "
                                      f"1/{d['grid']}, δ-good at σ; tv_1 ∈ {{σ_1/r, r·σ_1}}, tv_j = r·σ_j")),
        technique="every δ-good instance on the grid, the extreme tv of the proof",
        check=enumeration_check(lambda d: lemma_e1_instances(d["n"], d["delta"], d["bid_max"], d["grid"]),
                                holds_by(lemma_e1_violation(bound)),
                                shell=lambda p: f"δ = {p['delta']}, n = {p['n']}",
                                summary="E[SW] ≥ ε·MSW at all {cases} instances",
                                violation="E[SW] < ε·MSW at {point}"))


CMZ_E1 = Claim(
    id="CMZ-E1", title="Lemma E.1: δ-good f gives ((1−δ)²+4δ/n)/(1+δ)²·MSW",
    statement="A δ-good f combined with CMZ-DML gives E[SW] ≥ ((1−δ)²+4δ/n)/(1+δ)²·MSW.",
    source="CMZ (000), Lemma E.1",
    uses=("CMZ-DML",),
    parts=(e1_proof_part(), e1_instances_part()),
)
