"""Checked derivations must reject wrong steps, missing hypotheses and unproved side conditions."""
import sympy as sp

from mechproof.symbolic.derivation import (Algebra, BetaIntegral, Derivation, Evaluate, InSummand,
                                           MonotoneIntegrandBound, NonIncreasing, Step, Substitute,
                                           prove_nonnegative, Facts)
from mechproof.papers import gh_exponential, gh_harmonic

t = sp.Symbol("t", positive=True)
k = sp.Symbol("k", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
x = sp.Symbol("x", real=True)


def test_algebra_step_three_valued():
    ok = Derivation((x + 1) ** 2, (Step(x ** 2 + 2 * x + 1, Algebra()),)).check()
    assert ok.ok is True and ok.relation == "="
    bad = Derivation((x + 1) ** 2, (Step(x ** 2 + 1, Algebra()),)).check()
    assert bad.ok is not True            # never assumed


def test_beta_rule_needs_its_side_conditions():
    good = sp.Integral(t ** (k - 1) * (1 - t) ** (n - k), (t, 0, 1))
    value = sp.gamma(k) * sp.gamma(n - k + 1) / sp.gamma(n + 1)
    d = Derivation(sp.Sum(good, (k, 2, n)), (Step(sp.Sum(value, (k, 2, n)), InSummand(BetaIntegral())),))
    assert d.check().ok is True
    # p = k − 3 > −1 fails at k = 2: the Beta integral diverges there
    diverging = sp.Integral(t ** (k - 3) * (1 - t) ** (n - k), (t, 0, 1))
    value2 = sp.gamma(k - 2) * sp.gamma(n - k + 1) / sp.gamma(n - 1)
    d2 = Derivation(sp.Sum(diverging, (k, 2, n)), (Step(sp.Sum(value2, (k, 2, n)), InSummand(BetaIntegral())),))
    assert d2.check().ok is not True
    # a wrong value
    d3 = Derivation(sp.Sum(good, (k, 2, n)), (Step(sp.Sum(value * 2, (k, 2, n)), InSummand(BetaIntegral())),))
    assert d3.check().ok is not True


def test_sympy_infinite_or_piecewise_evaluations_are_not_trusted():
    # sympy answers oo for ∫ g/t with symbolic n (g of GH-L8, whose integral is H_n − 1):
    # Evaluate refuses any evaluation containing oo/zoo/nan or an unresolved Piecewise
    d = Derivation(sp.Integral(1 / t, (t, 0, 1)), (Step(sp.oo, Evaluate()),)).check()
    assert d.ok is not True
    d2 = Derivation(sp.Sum(x ** k, (k, 0, n)), (Step((1 - x ** (n + 1)) / (1 - x), Evaluate()),)).check()
    assert d2.ok is not True        # sympy's answer is Piecewise in x = 1


def test_lemma1_needs_monotone_u():
    d = gh_exponential.lemma1_derivation()
    assert d.check().ok is True
    without = Derivation(d.start, d.steps, d.ranges, tuple(h for h in d.hypotheses if not isinstance(h, NonIncreasing)))
    assert without.check().ok is not True


def test_monotone_bound_direction_matters():
    u = sp.Function("u")
    q = sp.Symbol("q", positive=True)
    s = sp.Symbol("s", positive=True)
    tail = sp.Integral(u(s) / s, (s, q, 1))
    wrong_endpoint = Derivation(q * tail, (Step(q * u(1) * sp.Integral(1 / s, (s, q, 1)),
                                                Substitute(tail, u(1) * sp.Integral(1 / s, (s, q, 1)),
                                                           MonotoneIntegrandBound(u, "upper"))),),
                                ranges=((q, 0, 1),), hypotheses=(NonIncreasing.of(u),)).check()
    # bounding by u(1) gives ≥, not ≤: the chain shows q·tail ≥ …, which cannot prove an upper bound
    assert wrong_endpoint.ok is True and wrong_endpoint.relation == ">="


def test_nonnegativity_from_ranges():
    q = sp.Symbol("q", positive=True)
    assert prove_nonnegative(-sp.log(q), Facts(((q, 0, 1),))) is True
    assert prove_nonnegative(-sp.log(q)) is not True       # needs q ≤ 1


def test_lemma8_integrals_each_step_checked():
    out = gh_harmonic.integral_derivation(2, n - 1).check()
    assert out.ok is True and len(out.steps) == 5
    wrong = gh_harmonic.integral_derivation(2, n).check()   # the paper-typo-shaped "n"
    assert wrong.ok is not True


def test_proof_steps_are_decided_not_asserted():
    from mechproof.symbolic.proof_steps import Assume, Cite, Equal, Limit, Sign, check_steps
    q = sp.Symbol("q", positive=True)
    ok = check_steps([Sign("−ln q ≥ 0 on (0, 1]", -sp.log(q), ">=0", ranges=((q, 0, 1),)),
                      Limit("q ln q → 0", q * sp.log(q), q, 0, 0), Cite("a lemma", "GH-L8"),
                      Assume("hypothesis", "u non-increasing")])
    assert ok.ok is True and ok.citations == ("GH-L8",) and ok.assumptions == ("hypothesis: u non-increasing",)
    # without the range the sign is undecided, never assumed
    assert check_steps([Sign("−ln q ≥ 0", -sp.log(q), ">=0")]).ok is None
    # a false identity is refuted at an exact point; a false constant sign is refuted outright
    bad = check_steps([Equal("wrong", (q + 1) ** 2, q ** 2 + 1, [{q: sp.Rational(1, 2)}])])
    assert bad.ok is False and dict(bad.failed.point) == {"q": sp.Rational(1, 2)}
    assert check_steps([Sign("ln 7 > 2", sp.log(7) - 2, ">0")]).ok is False


def test_compare_decides_the_sign_of_the_difference_from_the_ranges():
    from mechproof.symbolic.derivation import Compare, Facts
    b, r, kk = sp.symbols("b r kk", integer=True, positive=True)
    facts = Facts(((r, 1, kk), (b, 2, None)))
    assert Compare(">=").check(1 / ((b - 1) * kk + r), 1 / (b * kk), facts).ok is True
    assert Compare("<=").check(1 / (b * kk), 1 / ((b - 1) * kk + r), facts).ok is True
    # the larger bound 1/((b−1)k + 1) holds only at r = 1: never proved
    assert Compare(">=").check(1 / ((b - 1) * kk + r), 1 / ((b - 1) * kk + 1), facts).ok is not True
    assert Compare(">=").check(sp.Integer(1), sp.Integer(2), Facts()).ok is False
    assert Compare("=").check(x, x, Facts()).ok is None


def test_harmonic_block_is_the_definition_and_nothing_else():
    from mechproof.symbolic.derivation import Facts, HarmonicBlock
    a, c, r = sp.symbols("a c r", integer=True, nonnegative=True)
    H = sp.harmonic
    block = sp.Sum(1 / (a + r), (r, 1, c))
    assert HarmonicBlock().check(H(a + c) - H(a), block, Facts()).ok is True
    assert HarmonicBlock().check(block, H(a + c) - H(a), Facts()).ok is True          # either way round
    assert HarmonicBlock().check(H(a + c + 1) - H(a), block, Facts()).ok is False     # one term too many
    assert HarmonicBlock().check(H(a + c) - H(a), sp.Sum(1 / (a + r + 1), (r, 1, c)), Facts()).ok is False
    assert HarmonicBlock().check(H(a + c) - H(a), sp.Sum(1 / (a + r), (r, 0, c - 1)), Facts()).ok is False
    real = sp.Symbol("y", real=True)                                  # a must be a non-negative integer
    assert HarmonicBlock().check(H(real + c) - H(real), sp.Sum(1 / (real + r), (r, 1, c)), Facts()).ok is None


def test_termwise_reaches_into_a_double_sum_by_its_outer_index():
    from mechproof.symbolic.derivation import Compare
    b, r, kk, m = sp.symbols("b r kk m", integer=True, positive=True)
    inner = sp.Sum(sp.Sum(1 / ((b - 1) * kk + r), (r, 1, kk)), (b, 2, m))
    lower = sp.Sum(sp.Sum(1 / (b * kk), (r, 1, kk)), (b, 2, m))
    d = Derivation(inner, (Step(lower, InSummand(InSummand(Compare(">=")))),), ranges=((kk, 1, None),)).check()
    assert d.ok is True and d.relation == ">="
    other = sp.Sum(sp.Sum(1 / (b * kk), (r, 1, kk)), (b, 1, m))          # another outer range: refused
    assert Derivation(inner, (Step(other, InSummand(InSummand(Compare(">=")))),)).check().ok is False
