"""z3 over every rational bid profile (proofs/symbolic_hunt.py, smt/symbolic_execution.py): the rules
read symbolically, true properties verified for every profile, false ones refuted with the same
minimal witness the grid gives, off-grid bugs the grid misses found on their coarsest grid, and
what z3 cannot read reported unknown with why — never a pass."""
from fractions import Fraction as F

import pytest
import z3

from mechproof import (Auction, Status, all_pay, first_price, hunt_part, kth_price, myerson_payments, posted_price,
                       random_assignment, second_price, vcg_unit_demand)
from mechproof.cli import main
from mechproof.runner import run_part_inline
from mechproof.smt.symbolic_execution import Unsupported, explore
from mechproof import symbolic_hunt
from mechproof.symbolic_hunt import smt_hunt_part


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def run(part, **bounds):
    return run_part_inline(part, 60, domain=part.domain.resolve(bounds), claim_id="HUNT", uses=())


def highest(bids):
    top = max(range(len(bids)), key=lambda i: (bids[i], -i))
    return [1 if i == top else 0 for i in range(len(bids))]


def surcharged(lo, hi, extra=F(1, 2)):
    """Second price, but a winning bid strictly inside (lo, hi) pays `extra` more (a planted off-grid bug)."""
    def payment(bids):
        second = sorted(bids)[-2]
        return [(second + (extra if lo < bids[i] < hi else 0)) * x for i, x in enumerate(highest(bids))]
    return Auction(f"second price, surcharge on ({lo}, {hi})", highest, payment)


# ------------------------------------------------------------------ the symbolic reading
def test_second_price_reads_as_one_path_per_weak_order_of_the_bids():
    for n, fubini in ((2, 3), (3, 13)):
        b = [z3.Real(f"b{j}") for j in range(n)]
        assert len(explore(second_price().allocation, b, [v >= 0 for v in b])) == fubini


def test_unreadable_rules_raise_unsupported_with_why():
    b = [z3.Real("b0"), z3.Real("b1")]
    with pytest.raises(Unsupported, match="dict key"):
        explore(lambda bids: {bids[0]: 1}[bids[0]], b)
    with pytest.raises(Unsupported, match="//"):
        explore(lambda bids: [bids[0] // 2, 0], b)
    with pytest.raises(Unsupported, match="float"):
        explore(lambda bids: [0.5, 0], b)


# ------------------------------------------------------------------ true and false, two routes
TRUE = [(second_price(), "dsic"), (second_price("uniform"), "dsic"), (vcg_unit_demand(2), "dsic"),
        (posted_price(1), "dsic"), (random_assignment(), "dsic"), (first_price(), "monotone"),
        (vcg_unit_demand(2), "efficient"), (all_pay(), "no-positive-transfers"), (first_price(), "ex-post-ir"),
        (random_assignment(), "budget-balance"), (second_price(), "weak-budget-balance"), (second_price(), "feasible")]
FALSE = [(first_price(), "dsic"), (all_pay(), "dsic"), (all_pay(), "ex-post-ir"), (kth_price(3), "dsic"),
         (random_assignment(), "efficient"), (posted_price(1), "efficient"), (second_price(), "budget-balance")]


@pytest.mark.parametrize("auction,prop", TRUE, ids=lambda x: getattr(x, "name", x))
def test_true_properties_verified_at_every_rational_profile(auction, prop):
    v = run(smt_hunt_part(auction, prop, players=(2, 3)))
    per_player = prop in ("dsic", "monotone", "ex-post-ir", "no-positive-transfers")
    assert v.status is Status.VERIFIED and v.cases == (5 if per_player else 2)
    assert "every bid profile in ℚ≥0ⁿ" in v.domain


@pytest.mark.parametrize("auction,prop", FALSE, ids=lambda x: getattr(x, "name", x))
def test_false_properties_give_the_grids_minimal_witness(auction, prop):
    """Two routes to the minimal witness: the exhaustive grid search in its order, and z3's model
    made minimal by integer queries; they must be the same point."""
    grid = run(hunt_part(auction, prop, players=(2, 3), B=4))
    smt = run(smt_hunt_part(auction, prop, players=(2, 3)))
    assert grid.status is Status.REFUTED and smt.status is Status.REFUTED
    assert dict(smt.witness.assignment) == dict(grid.witness.assignment)
    assert "replayed by the core" in smt.witness.recheck


# ------------------------------------------------------------------ beyond the grid
def test_an_off_grid_bug_the_grid_misses_is_found_on_its_coarsest_grid():
    odd = surcharged(5, 6)
    assert run(hunt_part(odd, "dsic", players=(2, 3), B=8)).status is Status.VERIFIED
    v = run(smt_hunt_part(odd, "dsic", players=(2, 3)))
    assert v.status is Status.REFUTED
    assert dict(v.witness.assignment) == {"players": "2", "B": "11", "step": "1/2", "bids": "(0, 11/2)",
                                          "player": "1", "deviation": "1/2"}


def test_the_coarsest_grid_is_the_smallest_denominator():
    """Bids strictly inside (1/3, 1/2) first exist on the grid of fifths (2/5): at (0, 2/5) player 1 wins,
    pays 0 + 1/2 > 2/5."""
    v = run(smt_hunt_part(surcharged(F(1, 3), F(1, 2)), "ex-post-ir", players=(2,)))
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["step"] == "1/5"
    assert dict(v.witness.assignment)["bids"] == "(0, 2/5)" and dict(v.witness.assignment)["player"] == "1"


def test_a_mechanism_raising_off_the_grid_is_an_error_naming_the_profile():
    def allocation(bids):
        if bids[0] > 100:
            raise ValueError("no bids above 100")
        return highest(bids)
    mech = Auction("refuses big bids", allocation, lambda b: [0] * len(b))
    assert run(hunt_part(mech, "monotone", players=(2,), B=6)).status is Status.VERIFIED
    v = run(smt_hunt_part(mech, "monotone", players=(2,)))
    assert v.status is Status.ERROR and "no bids above 100" in v.summary and "at bids (" in v.summary


def test_an_infeasible_allocation_off_the_grid_is_an_error_and_refutes_feasible():
    def allocation(bids):
        return [2 if 7 < b < 8 else x for b, x in zip(bids, highest(bids))]
    mech = Auction("doubles inside (7, 8)", allocation, lambda b: [0] * len(b))
    v = run(smt_hunt_part(mech, "dsic", players=(2,)))
    assert v.status is Status.ERROR and "outside [0, 1]" in v.summary
    f = run(smt_hunt_part(mech, "feasible", players=(2,)))
    assert f.status is Status.REFUTED and dict(f.witness.assignment)["step"] == "1/2"


# ------------------------------------------------------------------ never a pass without a reading
def test_a_table_and_myerson_payments_are_unknown_with_the_reason():
    table = Auction.table("t", {(0, 0): ((1, 0), (0, 0)), (0, 1): ((0, 1), (0, 0)),
                                (1, 0): ((1, 0), (0, 0)), (1, 1): ((1, 0), (0, 0))})
    v = run(smt_hunt_part(table, "dsic", players=(2,)))
    assert v.status is Status.UNKNOWN and "dict key" in v.summary
    m = run(smt_hunt_part(myerson_payments("m", highest), "dsic", players=(2,)))
    assert m.status is Status.UNKNOWN and "cannot be read symbolically" in m.summary


def test_too_many_paths_is_unknown(monkeypatch):
    monkeypatch.setattr("mechproof.smt.symbolic_execution.MAX_PATHS", 5)
    v = run(smt_hunt_part(second_price(), "dsic", players=(3,)))
    assert v.status is Status.UNKNOWN and "more than 5 paths" in v.summary


def test_a_witness_that_does_not_reproduce_is_never_a_refutation(monkeypatch):
    """A planted minimiser returning a point where the property holds: the core's replay refuses it."""
    monkeypatch.setattr(symbolic_hunt, "_minimal_point",
                        lambda form, formulas, shape, step: {"players": 2, "B": 0, "step": F(1), "bids": (F(0), F(0)),
                                                             "player": 0, "deviation": F(0)})
    v = run(smt_hunt_part(first_price(), "dsic", players=(2,)))
    assert v.status is not Status.REFUTED and not v.status.passes


# ------------------------------------------------------------------ the command line
def test_cli_auto_adds_z3_after_a_passing_grid_and_finds_the_off_grid_bug(tmp_path, capsys):
    module = tmp_path / "odd.py"
    module.write_text("from fractions import Fraction\nfrom mechproof import Auction\n\n"
                      "def allocation(bids):\n    top = max(range(len(bids)), key=lambda i: (bids[i], -i))\n"
                      "    return [1 if i == top else 0 for i in range(len(bids))]\n\n"
                      "def payment(bids):\n    second = sorted(bids)[-2]\n"
                      "    return [(second + (Fraction(1, 2) if 5 < b < 6 else 0)) * x "
                      "for b, x in zip(bids, allocation(bids))]\n\n"
                      "ODD = Auction('odd', allocation, payment)\n")
    code = main(["hunt", f"{module}:ODD", "-p", "dsic", "--no-progress", "--no-cache"])
    out = capsys.readouterr().out
    assert code == 1 and "HUNT-DSIC-Z3" in out and "bids=(0, 11/2)" in out
    assert "--bound B=11 --bound step=1/2" in out


def test_cli_smt_for_a_property_without_encoding_is_a_usage_error(capsys):
    assert main(["hunt", "second-price", "-p", "payment-identity", "--search", "smt", "--no-progress"]) == 64
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no z3 encoding" in err[0]


def test_cli_auto_notes_an_unreadable_mechanism_and_keeps_the_grids_verdict(capsys):
    assert main(["hunt", "f-delta:1/4", "-p", "monotone", "--bound", "B=3", "--no-progress", "--no-cache"]) == 0
    captured = capsys.readouterr()
    assert "not attempted" in captured.err and "HUNT-MONOTONE-Z3" not in captured.out


# ------------------------------------------------------------------ hostile rules: the reading is checked
def _first_price_payment(bids):
    return [b * x for b, x in zip(bids, highest(bids))]


@pytest.mark.parametrize("style", ["except Exception", "bare except"])
def test_a_rule_that_swallows_the_unsupported_signal_is_unknown_not_a_pass(style):
    """Second price except one table row (at bids (1, 0) the winner pays its bid: not truthful). Read
    symbolically the lookup fails; were that swallowed, the reading would be 'second price everywhere'
    (truthful). The signal is not an Exception, and a run in which it was raised is void even when a
    bare except catches it: unknown, never a pass."""
    rows = {(F(1), F(0)): [F(1), F(0)]}

    def payment(bids):
        second = [sorted(bids)[-2] * x for x in highest(bids)]
        if style == "except Exception":
            try:
                return rows[tuple(bids)]
            except Exception:
                return second
        try:
            return rows[tuple(bids)]
        except:  # noqa: E722 — the point of the test
            return second
    mech = Auction("second price but one row", highest, payment)
    assert run(hunt_part(mech, "dsic", players=(2,), B=2)).status is Status.REFUTED
    v = run(smt_hunt_part(mech, "dsic", players=(2,)))
    assert v.status is Status.UNKNOWN and "dict key" in v.summary
    if style == "bare except":
        assert "caught by the function itself" in v.summary


def test_a_rule_that_tells_symbolic_bids_apart_is_caught_by_the_point_check():
    """isinstance on a bid: the symbolic run takes the other branch than plain evaluation; each path is
    evaluated at one exact point of it beside plain evaluation, and the disagreement is unknown."""
    def payment(bids):
        if all(isinstance(b, F) for b in bids):
            return _first_price_payment(bids)
        return [0] * len(bids)
    v = run(smt_hunt_part(Auction("pays only when it sees Fractions", highest, payment), "dsic", players=(2,)))
    assert v.status is Status.UNKNOWN and "disagrees with plain evaluation" in v.summary
