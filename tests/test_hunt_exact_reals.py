"""Mechanisms whose payments are exact reals (q + Σ c_p·ln p): CMZ's M_f^(δ) and M_f for a user's
allocation with c/z pieces, through the public API and `mechproof hunt` — true cases verified,
planted bugs refuted with replayed witnesses, bad declarations one line."""
from fractions import Fraction as F
from itertools import product

import pytest

from mechproof import Auction, LogLinear, Status, f_delta_auction, hunt_part, myerson_payments, outcome
from mechproof.cli import main
from mechproof.hunting import hunt_cases, PROPERTIES
from mechproof.mechanisms.cmz_mechanisms import f_delta as cmz_f_delta, f_delta_allocation
from mechproof.mechanisms.cmz_model import D_of_delta
from mechproof.mechanisms.errors import ClaimDeclarationError, ModelError, UsageError
from mechproof.runner import run_part_inline
from mechproof.valuation_properties import valuation_part

QUARTER = F(1, 4)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def run(part, **bounds):
    return run_part_inline(part, 60, domain=part.domain.resolve(bounds), claim_id="HUNT", uses=())


def test_loglinear_order_is_exact_beside_fractions():
    ln2 = LogLinear.log(2)
    assert F(693, 1000) < ln2 < F(694, 1000) and max(F(1, 2), ln2, F(3, 5)) == ln2
    assert sorted([1, ln2, 0]) == [0, ln2, 1] and not (ln2 < ln2) and ln2 <= ln2
    assert LogLinear.log(4) - 2 * ln2 == 0          # ln 4 = 2 ln 2 exactly, not approximately
    assert LogLinear.log(4) / 2 == ln2 and (ln2 + 1) / F(1, 2) == 2 * ln2 + 2


@pytest.mark.parametrize("n", [2, 3])
def test_public_f_delta_equals_the_papers_mechanism_on_the_grid(n):
    """The public Auction (allocation_integral per bid) and CMZ's M_f^(δ) (one sweep per line) are two
    routes to the same exact payments."""
    public, paper = f_delta_auction(QUARTER), cmz_f_delta(n, 4, QUARTER)
    for v in product(range(5), repeat=n):
        x, p = outcome(public, v)
        x2, p2 = paper.outcome(v)
        assert tuple(x) == tuple(x2) and tuple(p) == tuple(p2), v
    assert any(isinstance(q, LogLinear) for v in product(range(5), repeat=n) for q in outcome(public, v)[1])


def test_f_delta_at_rational_bids_has_log_payments():
    x, p = outcome(f_delta_auction(QUARTER), (F(7, 2), 2))
    assert x == (F(139, 224), F(37, 128)) and all(isinstance(q, LogLinear) for q in p)


@pytest.mark.parametrize("prop", ["dsic", "ex-post-ir", "no-positive-transfers", "monotone", "payment-identity"])
def test_f_delta_true_properties_verified(prop):
    v = run(hunt_part(f_delta_auction(QUARTER), prop, players=(2, 3), B=3))
    assert v.status is Status.VERIFIED and v.cases == hunt_cases(PROPERTIES[prop], (2, 3), 3)


def _half_payments(delta=QUARTER):
    """Planted: f^(δ)'s allocation with half of Myerson's payments (declared breakpoints)."""
    m = f_delta_auction(delta)
    return Auction("half payments", m.allocation, lambda b: [q * F(1, 2) for q in m.payment(b)],
                   breakpoints=m.breakpoints)


def test_planted_half_payments_refuted_by_dsic_and_payment_identity():
    for prop in ("dsic", "payment-identity"):
        v = run(hunt_part(_half_payments(), prop, players=(2,), B=3))
        assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck, prop


def test_payment_identity_reads_the_declared_pieces_not_the_midpoints():
    """Without breakpoints the identity is read at midpoints: f^(δ) is not constant between grid points,
    so its true payments differ from the midpoint sum — the declared a + c/z pieces are what make it hold."""
    m = f_delta_auction(QUARTER)
    no_breaks = Auction("f^(δ) without breakpoints", m.allocation, m.payment)
    assert run(hunt_part(no_breaks, "payment-identity", players=(2,), B=3)).status is Status.REFUTED
    assert run(hunt_part(m, "payment-identity", players=(2,), B=3)).status is Status.VERIFIED


def test_wrong_breakpoints_are_a_model_error_naming_the_profile():
    """Breakpoints that miss where f^(δ) changes form: a fitted a + c/z piece fails its third point."""
    D = D_of_delta(QUARTER)
    wrong = myerson_payments("f^(δ), breakpoints missing", lambda b: f_delta_allocation(b, QUARTER, D=D),
                             breakpoints=lambda i, b: ())
    with pytest.raises(ModelError, match=r"at bids \(2, 1\)|not of the form a \+ c/z"):
        for v in product(range(4), repeat=2):
            outcome(wrong, v)


def test_user_m_f_with_c_over_z_pieces_is_truthful():
    """A user's own monotone rule 1 − 1/z above 1 (two bidders, the other bid ignored): M_f by breakpoints."""
    def allocation(b):
        return [F(0) if z <= 1 else 1 - 1 / (2 * z) for z in b[:1]] + [F(0)] * (len(b) - 1)
    mine = myerson_payments("mine", allocation, breakpoints=lambda i, b: (1,))
    assert run(hunt_part(mine, "dsic", players=(2,), B=4)).status is Status.VERIFIED
    assert isinstance(outcome(mine, (3, 0))[1][0], LogLinear)


def test_f_delta_welfare_bound_at_n2_is_attained_and_a_higher_epsilon_refuted():
    bound = F(17, 25)                         # ((1−δ)² + 4δ/2)/(1+δ)² at δ = 1/4
    kw = dict(players=(2,), B=4, delta=(QUARTER,))
    assert run(valuation_part(f_delta_auction(QUARTER), "welfare-in-undominated", epsilon=bound, **kw)).status \
        is Status.VERIFIED
    v = run(valuation_part(f_delta_auction(QUARTER), "welfare-in-undominated", epsilon=bound + F(1, 100), **kw))
    assert v.status is Status.REFUTED and dict(v.witness.observed)["E[SW]"] == "17/25"


def test_bad_declarations_are_one_line():
    with pytest.raises(ClaimDeclarationError, match="breakpoints must be a function"):
        myerson_payments("x", lambda b: [0] * len(b), breakpoints=(1, 2))
    with pytest.raises(UsageError, match="outside"):
        f_delta_auction(2)


@pytest.mark.parametrize("target,message", [("f-delta", "f-delta needs its δ"), ("f-delta:2", "outside (0, 1)"),
                                            ("f-delta:abc", "f-delta")])
def test_cli_parametrised_builtin_bad_input(capsys, target, message):
    assert main(["hunt", target, "-p", "dsic", "--no-progress"]) == 64
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]


def test_cli_f_delta_hunt_refutes_a_too_high_guarantee_with_a_reproduce_line(capsys):
    code = main(["hunt", "f-delta:1/4", "-p", "welfare-in-undominated", "--bound", "delta=1/4", "--bound",
                 "epsilon=18/25", "--bound", "players=2", "--bound", "B=3", "--no-progress", "--no-cache"])
    out = capsys.readouterr().out
    assert code == 1 and "reproduce: mechproof hunt f-delta:1/4" in out and "K=((0, 0), (1, 1))" in out
