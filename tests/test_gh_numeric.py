"""GH certified numerics through the kernel: Fig. 1 over [1, ∞) and Lemma 4; planted constants are refuted
with exact, replayed witnesses."""
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from mechproof import Method, Part, Role, Status, UsageError, steps_check

from mechproof.papers import gh_numeric as g
from mechproof.runner import run_part_inline
from mechproof.symbolic.intervals import certified_sign


def run(p, claim=None, **bounds):
    return run_part_inline(p, 120, domain=p.domain.resolve(bounds), claim_id=claim.id if claim else "",
                           uses=claim.uses if claim else ())


def test_fig1_true_constants_certified():
    assert [p.role for p in g.GH_FIG1.parts] == [Role.CONJUNCT, Role.CROSS_CHECK, Role.CONJUNCT]
    for p in g.GH_FIG1.parts:
        v = run(p, g.GH_FIG1)
        assert v.status is Status.CERTIFIED and p.method is Method.INTERVAL
        assert any(e.kind == "derivation" for e in v.evidence)        # the proved tail's typed steps


def test_fig1_planted_22_refuted():
    """Planted: 2.2 in place of 2.27 (the true maximum is ≈ 2.26525 near x ≈ 2.13)."""
    v = run(g.fig1_upper_part("planted", sp.Rational(22, 10)))
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck
    y = sp.Rational(dict(v.witness.assignment)["y"])
    assert 0 < y < 4
    assert certified_sign(g.fig1a_sym(y) - sp.Rational(22, 10)) == 1


def test_fig1_planted_lower_refuted():
    """Planted: 1.38 in place of 1.36 (true minimum ≈ 1.37777)."""
    assert run(g.fig1_lower_part("planted", sp.Rational(138, 100))).status is Status.REFUTED


def test_fig1_tail_steps_are_decided_and_a_wrong_tail_is_not_certified():
    out = run(Part("tail", method=Method.DERIVATION, domain="tail",
                   check=steps_check(g.upper_tail_steps(g.UPPER_CONSTANT, g.LOWER_CONSTANT), summary="tail")))
    assert out.status is Status.PROVED
    # a claimed maximum below the tail's majorant (≈ 1.73 at y = 4) cannot be certified: the tail step fails
    v = run(g.fig1_upper_part("planted", sp.Rational(3, 2)))
    assert v.status is not Status.CERTIFIED


def test_fig1_tolerance_bound_schema():
    p = g.GH_FIG1.parts[0]
    assert run(p, g.GH_FIG1, tol_inv=1000).status is Status.CERTIFIED
    with pytest.raises(UsageError):
        p.domain.resolve({"tol_inv": "1"})


def l4_part(prefix):
    return next(p for p in g.GH_L4.parts if p.name.startswith(prefix))


def test_l4_true_and_planted_constant():
    assert run(l4_part("H_m ≥ 0.577"), g.GH_L4).status is Status.PROVED
    planted = Part("planted", method=Method.DERIVATION, domain="planted",
                   check=steps_check(g.harmonic_steps(sp.Rational(58, 100)), summary="x"))
    v = run(planted)                              # 0.58 > γ: the step γ − c > 0 fails
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"].startswith("γ − 29/50")
    scan = run(g.harmonic_scan_part(sp.Rational(58, 100)))
    assert scan.status is Status.REFUTED
    m = int(dict(scan.witness.assignment)["m"])
    H = sum(Fraction(1, i) for i in range(1, m + 1))
    assert mpmath.mpf(H.numerator) / H.denominator - mpmath.log(m) < mpmath.mpf("0.58")
    Hp = H - Fraction(1, m)                       # the least such m: m − 1 still satisfies the bound
    assert mpmath.mpf(Hp.numerator) / Hp.denominator - mpmath.log(m - 1) > mpmath.mpf("0.58")


def test_l4_scan_is_certified_and_instances_verified():
    scan = run(g.harmonic_scan_part(), g.GH_L4, m=300)
    assert scan.status is Status.CERTIFIED and scan.cases == 300
    inst = run(l4_part("ζ ≥ H_{n/k} on exact"), g.GH_L4, n=12)
    assert inst.status is Status.VERIFIED and inst.cases == sum(1 for n in range(1, 13) for k in range(1, n + 1)
                                                                if n % k == 0)
    with pytest.raises(UsageError):
        l4_part("ζ ≥ H_{n/k} on exact").domain.resolve({"n": "0"})


def test_l4_zeta_is_proved_for_every_k_and_a_planted_block_bound_is_not():
    v = run(g.zeta_part(), g.GH_L4)
    assert v.status is Status.PROVED
    assert any("Rényi" in a for a in v.assumes) and "uses GH-R3" in v.assumes
    # each term of the b-th block bounded by its largest, 1/((b−1)k + 1): false for r > 1, never proved
    planted = run(g.zeta_part(block_floor=lambda b, k: 1 / ((b - 1) * k + 1)), g.GH_L4)
    assert planted.status is Status.UNKNOWN and "n = mk" in planted.summary
    # without the declared dependency the citation of GH-R3 is refused
    assert run(g.zeta_part()).status is Status.UNKNOWN


def test_l4_renyi_means_cross_check_refutes_a_wrong_mean():
    v = run(g.renyi_part(), g.GH_L4, n_means=12)
    assert v.status is Status.VERIFIED and v.cases == 78
    # Rényi's mean with the spacing means 1/(j+1) instead of 1/j (an off-by-one) is refuted exactly
    wrong = lambda n, i: sum((Fraction(1, j + 1) for j in range(i, n + 1)), Fraction(0))
    bad = run(g.renyi_part(mean=wrong), g.GH_L4, n_means=12)
    assert bad.status is Status.REFUTED
    assert dict(bad.witness.assignment) == {"n": "1", "i": "1"}
    from mechproof.mechanisms.surplus_instances import exponential_order_mean_by_density as mean
    assert mean(3, 1) == Fraction(11, 6) and mean(3, 3) == Fraction(1, 3)
    with pytest.raises(ValueError):
        mean(3, 4)
