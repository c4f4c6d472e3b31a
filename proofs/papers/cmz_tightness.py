"""CMZ (paper 000): tightness of the bound claims CMZ-T1, CMZ-T3 and CMZ-T5.

For each: (a) per grid {0..B} the exact bound the paper's argument gives there (H(B), ε*(B)) against
the claimed bound — always slack on a grid — and (b) an explicit family of instances whose ratio
is a closed form in B, proved by checked steps, with its limit as B → ∞ equal to the claimed bound.
The bound is attained in the limit by the mechanism the paper names (second price, CMZ-T2;
M_{f^(δ)}, CMZ-T4; random assignment, exactly, CMZ-T1), so it is the exact supremum.

The claimed bound is a parameter of every factory: a planted wrong constant runs through the
same steps and fails at the limit step (tests/test_cmz_tightness.py).  Points and plain
evaluation: mechanisms/cmz_tightness.py.  Not a claim module (claims: cmz_all_mechanisms.py).
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import sympy as sp

from mechproof import Cite, Equal, Evidence, IntKey, Limit, Method, Part, Role, Schema, Sign, Status, \
    enumeration_check, steps_check
from mechproof.mechanisms.cmz_tightness import HardFamilyRows, T1FamilyRows

from ._cmz_common import delta_key, grid, holds_by, n_key

__all__ = ["hard_family_steps", "hard_family_part", "hard_grid_part", "t1_family_steps", "t1_family_part",
           "t1_grid_tightness_part", "second_price_limit", "f_delta_limit", "dominant_limit"]

dl = sp.Symbol("delta", positive=True)
B = sp.Symbol("B", positive=True)
n = sp.Symbol("n", integer=True, positive=True)


def second_price_limit(d):
    """CMZ-T3's bound ((1−δ)/(1+δ))²."""
    return ((1 - d) / (1 + d)) ** 2


def f_delta_limit(d, m):
    """CMZ-T5's bound ((1−δ)² + 4δ/n)/(1+δ)²."""
    return ((1 - d) ** 2 + 4 * d / m) / (1 + d) ** 2


def dominant_limit(m):
    """CMZ-T1's bound 1/n."""
    return 1 / m


# ---------------------------------------------------------------- CMZ-T3 / T5: the hard family
def hard_family_steps(probabilistic: bool = False, claimed=None, slack=lambda BB: 4 / BB) -> list:
    """The family K_hi = [a·j, b·j], K_lo = [a·m, b·m] (a/b = r in lowest terms, b·m = a·j + 1): valid
    for every j ≥ 1, ratio r² + r/B on B = b·j, within the bounded claim, limit = the claimed bound.
    `claimed` (sympy in δ, and n if probabilistic) is the bound under test (a planted constant)."""
    a, j, e = sp.symbols("a j e", integer=True, positive=True)     # b = a + e (r < 1)
    j1, e1 = sp.symbols("j' e'", integer=True, nonnegative=True)   # j = 1 + j', e = 1 + e'
    b = a + e
    m = (a * j + 1) / b                                             # an integer on the family (b | a·j + 1)
    r = (1 - dl) / (1 + dl)
    d_of = (b - a) / (b + a)
    x, y = (a + b) * j / 2, (a + b) * m / 2
    ratio = (a * m) / (b * j)
    if probabilistic:
        lift = lambda v: 1 / n + (1 - 1 / n) * v              # noqa: E731 — the unlucky player wins w.p. ≤ 1/n
        goal = f_delta_limit(dl, n) if claimed is None else claimed(dl, n)
        bounded = lift(r ** 2) + (1 - 1 / n) * slack(B)
    else:
        lift = lambda v: v                                    # noqa: E731
        goal = second_price_limit(dl) if claimed is None else claimed(dl)
        bounded = r ** 2 + slack(B)
    family = lift(r ** 2 + r / B)
    pts = [{a: 1, e: 2, j: 2}, {a: 3, e: 2, j: 3}]
    unit = ((dl, 0, 1),)
    steps = [
        Equal("δ = (b−a)/(b+a) gives r = (1−δ)/(1+δ) = a/b", ((1 - dl) / (1 + dl)).subs(dl, d_of), a / b, pts),
        Equal("K_hi = [a·j, b·j] = int_δ(x), x = (a+b)j/2: (1−δ)x = a·j", ((1 - dl) * x).subs(dl, d_of), a * j, pts),
        Equal("… and (1+δ)x = b·j (= B, the grid's top)", ((1 + dl) * x).subs(dl, d_of), b * j, pts),
        Equal("K_lo = [a·m, b·m] = int_δ(y), y = (a+b)m/2, m = (a·j+1)/b: (1−δ)y = a·m",
              ((1 - dl) * y).subs(dl, d_of), a * m, pts),
        Equal("… and (1+δ)y = b·m = a·j + 1", ((1 + dl) * y).subs(dl, d_of), a * j + 1, pts),
        Sign("two common points a·j < a·j + 1 ≤ b·j: b·j − (a·j + 1) = e·j − 1 ≥ 0 (e, j ≥ 1; e = 1 + e', "
             "j = 1 + j')", (b * j - (a * j + 1)).subs({e: 1 + e1, j: 1 + j1}), ">=0"),
        Sign("… and a·m ≤ a·j: a·j − a·m = a·(b·j − a·j − 1)/b ≥ 0, so K_hi ∩ K_lo ⊇ {a·j, a·j + 1} (UIL applies)",
             (a * j - a * m).subs({e: 1 + e1, j: 1 + j1}), ">=0"),
        Cite("UIL: one strategy undominated for K_hi and for K_lo; the player who then wins w.p. ≤ "
             + ("1/n has tv = max K_hi, the others tv = min K_lo" if probabilistic else
                "0 (a loser) has tv = max K_hi, the winner tv = min K_lo")
             + ": no mechanism guarantees more than " + ("1/n + (1 − 1/n)·" if probabilistic else "")
             + "min K_lo / max K_hi on {0..B}", "CMZ-UIL"),
        Equal("the family's ratio on B = b·j: min K_lo / max K_hi = a·m/(b·j) = r² + r/B",
              ratio, (a / b) ** 2 + (a / b) / (b * j), pts),
        Sign("within the bounded claim: " + ("1/n + (1 − 1/n)·(r² + r/B)" if probabilistic else "r² + r/B")
             + " ≤ the claim's bounded bound (r < 4)", bounded - family, ">=0", unit + ((B, 1, None),),
             points=[{dl: sp.Rational(1, 2), B: 6, n: 2}, {dl: sp.Rational(1, 10), B: 66, n: 3}]),
        Sign("never attained on a grid: the family exceeds the limit by " + ("(1 − 1/n)·r/B" if probabilistic
             else "r/B") + " = (a/b)/(b·j)" + ("·(1 − 1/n) ≥ 0 (> 0 for n ≥ 2)" if probabilistic else " > 0"),
             sp.simplify(lift(ratio) - lift((a / b) ** 2)), ">0" if not probabilistic else ">=0",
             points=[{a: 1, e: 2, j: 2, n: 2}]),
        Limit("B → ∞ along the family: the ratio tends to the claimed bound", family, B, sp.oo, goal),
    ]
    for at in ({dl: sp.Rational(1, 2), n: 2}, {dl: sp.Rational(1, 10), n: 3}):
        shown = ", ".join(f"{k} = {v}" for k, v in at.items() if probabilistic or k is dl)
        steps.append(Limit(f"… the same limit at {shown} (exact constants)", family.subs(at), B, sp.oo,
                           sp.sympify(goal).subs(at)))
    if probabilistic:
        steps.insert(-1, Equal("the claimed bound is 1/n + (1 − 1/n)·((1−δ)/(1+δ))²", goal, lift(r ** 2),
                               [{dl: sp.Rational(1, 2), n: 2}, {dl: sp.Rational(1, 4), n: 3}]))
        steps.append(Cite("attained in the limit: M_{f^(δ)} δ-implements ((1−δ)²+4δ/n)/(1+δ)² on every grid "
                          "(so best guarantee on {0..B} ∈ [bound, bound + (1 − 1/n)·r/B] along the family)", "CMZ-T4"))
    else:
        steps.append(Cite("attained in the limit: second price δ-implements ((1−δ)/(1+δ))² on every grid (so the "
                          "best deterministic guarantee on {0..B} ∈ [r², r² + r/B] along the family)", "CMZ-T2"))
    return steps


def hard_family_part(probabilistic: bool = False, claimed=None) -> Part:
    what = "((1−δ)²+4δ/n)/(1+δ)²" if probabilistic else "((1−δ)/(1+δ))²"
    return Part(
        "tightness: hard family, ratio in closed form", method=Method.DERIVATION, role=Role.CROSS_CHECK,
        technique="explicit δ-intervals K_hi = [a·j, b·j], K_lo = [a·m, b·m]; sympy identities, signs, limit",
        domain="every δ ∈ (0, 1) rational (r = a/b in lowest terms), every j ≥ 1 with b | a·j + 1, grid B = b·j"
               + (", every n ≥ 1" if probabilistic else ""),
        check=steps_check(lambda: hard_family_steps(probabilistic, claimed),
                          summary=f"along the family the bound on {{0..B}} is "
                                  + ("1/n + (1 − 1/n)·(r² + r/B)" if probabilistic else "r² + r/B")
                                  + f" → {what} (slack on every grid, approached at rate r/B; attained in the limit)"))


def _with_table(check, table):
    """Append the per-grid table (text) to a passing enumeration verdict."""
    def run(ctx):
        v = check(ctx)
        if v.status is not Status.VERIFIED:
            return v
        return replace(v, evidence=v.evidence + (Evidence("tightness", "H(B) − bound per grid", table(ctx.domain)),))
    run_check = type(check)(run, check.replay)
    return run_check


def hard_grid_part(probabilistic: bool = False, continuum=None) -> Part:
    """(a): per (δ, B[, n]) the least hard-instance bound H(B) (O(B) search) against the claimed bound:
    H(B) ∈ [bound, bound + 4/B·(…)], and on the family grids H(B) ≤ the family's r² + r/B."""
    c = HardFamilyRows(probabilistic, continuum=continuum)
    keys = (IntKey("tight_B", 400, min=1, local=True, help="grids B = 1..tight_B"), delta_key()) + \
        ((n_key((2, 3, 4)),) if probabilistic else ())
    ns = (lambda d: d["n"]) if probabilistic else (lambda d: (2,))
    return Part(
        "tightness per grid", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        technique="exact H(B) per grid vs the claimed bound; family instances replayed by the definitions",
        domain=Schema(*keys,
                      text=lambda d: f"B ∈ {{1..{d['tight_B']}}}, δ ∈ {grid(d['delta'])}"
                                     + (f", n ∈ {grid(d['n'])}" if probabilistic else "")
                                     + "; the least ratio over all δ-interval pairs sharing ≥ 2 points",
                      cases=lambda d: d["tight_B"] * len(d["delta"]) * len(ns(d))),
        check=_with_table(
            enumeration_check(lambda d: c.points(d["tight_B"], d["delta"], ns(d)), holds_by(c.violation),
                              value=c.gap, value_name="H(B) − bound", target=0,
                              shell=lambda p: f"δ = {p['delta']}",
                              summary="bound ≤ H(B) ≤ bounded claim at all {cases} grids, the family's instances "
                                      "valid with ratio r² + r/B; least H(B) − bound = {worst} at {at} ({tightness}: "
                                      "never attained on a grid, → 0 along the family)",
                              violation="H(B) contradicts the claimed bound at {point}"),
            lambda d: c.table(d["tight_B"], d["delta"], ns(d))))


# ---------------------------------------------------------------- CMZ-T1
def t1_family_steps(claimed=None) -> list:
    """ε*(B) = 1/n + (1 − 1/n)·c/B on {0..B} (B ≥ c + 2, c = ⌈(1−δ)/δ⌉): it is ≥ the claim and tends to it."""
    c = sp.Symbol("c", integer=True, positive=True)
    goal = dominant_limit(n) if claimed is None else claimed(n)
    eps = 1 / n + (1 - 1 / n) * c / B
    return [
        Sign("ε*(B) − claimed = (1 − 1/n)·c/B ≥ 0: on a grid the best DS guarantee is at least the claimed 1/n "
             "(slack: random assignment attains 1/n exactly, part 'random assignment achieves 1/n')", eps - goal,
             ">=0", ((B, 1, None),), points=[{n: 2, c: 1, B: 10 ** 6}, {n: 3, c: 9, B: 10 ** 6}]),
        Limit("B → ∞: ε*(B) tends to the claimed bound", eps, B, sp.oo, goal),
    ] + [Limit(f"… the same limit at n = {k}, c = 1 (exact constants)", eps.subs({n: k, c: 1}), B, sp.oo,
               sp.sympify(goal).subs(n, k)) for k in (2, 3)]


def t1_family_part(claimed=None) -> Part:
    return Part(
        "tightness: ε*(B) in closed form, its limit", method=Method.DERIVATION, role=Role.CROSS_CHECK,
        technique="sympy sign, limit and identity on the grid optimum's closed form (closed form: 'tightness per "
                  "grid')",
        domain="every n ≥ 1, every c ≥ 1, every B ≥ 1",
        check=steps_check(lambda: t1_family_steps(claimed),
                          summary="1/n + (1 − 1/n)·c/B ≥ 1/n, → 1/n as B → ∞ (slack on every grid, rate c/B)"))


def t1_grid_tightness_part(claimed=lambda m: Fraction(1, m)) -> Part:
    c = T1FamilyRows(claimed)
    return Part(
        "tightness per grid", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        technique="the paper's argument on the grid (equal to the LP optimum on the LP part's grids) vs the closed form",
        domain=Schema(IntKey("tight_B", 30, min=1, local=True, help="grids B = 1..tight_B (the argument is O(B⁴))"),
                      delta_key(), n_key((2, 3, 4)),
                      text=lambda d: f"B ∈ {{1..{d['tight_B']}}}, δ ∈ {grid(d['delta'])}, n ∈ {grid(d['n'])}; "
                                     "components of δ-intervals sharing ≥ 2 points",
                      cases=lambda d: d["tight_B"] * len(d["delta"]) * len(d["n"])),
        check=enumeration_check(lambda d: c.points(d["tight_B"], d["delta"], d["n"]), holds_by(c.violation),
                                value=c.gap, value_name="ε*(B) − 1/n", target=0,
                                shell=lambda p: f"n = {p['n']}, δ = {p['delta']}",
                                summary="ε*(B) ≥ 1/n at all {cases} grids and ε*(B) = 1/n + (1 − 1/n)·⌈(1−δ)/δ⌉/B "
                                        "for B ≥ ⌈(1−δ)/δ⌉ + 2; least ε*(B) − 1/n = {worst} at {at} ({tightness}; "
                                        "random assignment attains 1/n exactly)",
                                violation="the grid optimum contradicts the claimed bound at {point}"))
