"""`mechproof hunt` and the property library: real outcomes on built-in and planted mechanisms,
minimal replayed witnesses, the reproduce line, and bad input (one line, the documented exit code)."""
import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from mechproof import (Auction, PROPERTIES, Status, all_pay, first_price, gsp, hunt_claim, hunt_part, myerson_payments,
                       outcome, posted_price, random_assignment, second_price, vcg_unit_demand)
from mechproof.cli import main
from mechproof.hunting import hunt_cases, random_hunt_part
from mechproof.mechanisms.errors import ClaimDeclarationError, ModelError
from mechproof.runner import run_part_inline

EXAMPLE = Path(__file__).parent.parent / "examples" / "my_auctions.py"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def run(part, budget=60, **bounds):
    return run_part_inline(part, budget, domain=part.domain.resolve(bounds), claim_id="HUNT", uses=())


def witness(v):
    return dict(v.witness.assignment)


# ------------------------------------------------------------------ the library on the built-ins
TRUE = [(second_price(), "dsic"), (second_price("uniform"), "dsic"), (vcg_unit_demand(2), "dsic"),
        (posted_price(1), "dsic"), (random_assignment(), "dsic"), (first_price(), "monotone"),
        (second_price(), "payment-identity"), (vcg_unit_demand(2), "efficient"), (all_pay(), "no-positive-transfers"),
        (gsp((1, F(1, 2))), "feasible"), (first_price(), "ex-post-ir"), (random_assignment(), "budget-balance")]
FALSE = [(first_price(), "dsic"), (all_pay(), "dsic"), (gsp((1, F(1, 2))), "dsic"), (all_pay(), "ex-post-ir"),
         (first_price(), "payment-identity"), (random_assignment(), "efficient"), (posted_price(1), "efficient"),
         (second_price(), "budget-balance")]


@pytest.mark.parametrize("auction,prop", TRUE, ids=lambda x: getattr(x, "name", x))
def test_true_properties_verified_over_the_whole_counted_domain(auction, prop):
    v = run(hunt_part(auction, prop, players=(2, 3), B=3))
    assert v.status is Status.VERIFIED and v.cases == hunt_cases(PROPERTIES[prop], (2, 3), 3)


@pytest.mark.parametrize("auction,prop", FALSE, ids=lambda x: getattr(x, "name", x))
def test_false_properties_refuted_with_a_replayed_witness(auction, prop):
    v = run(hunt_part(auction, prop, players=(2, 3), B=3))
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck


def test_first_price_dsic_reports_the_smallest_witness_of_the_documented_order():
    """n = 2, B = 1: at bids (1, 0) player 0 pays 1 for utility 0; bidding 0 ties and wins free (lowest index)."""
    v = run(hunt_part(first_price(), "dsic", players=(2, 3), B=10))
    assert witness(v) == {"players": "2", "B": "1", "step": "1", "bids": "(1, 0)", "player": "0", "deviation": "0"}
    obs = dict(v.witness.observed)
    assert obs["utility truthful"] == "0" and obs["utility deviating"] == "1"


def test_counts_match_an_independent_enumeration():
    from mechproof.hunting import _points
    for prop in PROPERTIES.values():
        pts = list(_points(prop, {"players": (1, 2, 3), "B": 3, "step": F(1)}))
        assert len(pts) == hunt_cases(prop, (1, 2, 3), 3)
        keys = [(p["players"], p["B"], p["bids"], p.get("player", -1), p.get("deviation", -1)) for p in pts]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)     # the minimal order, each point once


def test_a_rational_grid_and_myerson_payments():
    reserve = myerson_payments("reserve 3/2", lambda b: [1 if (bi >= F(3, 2) and bi == max(b) and b.index(bi) == i)
                                                         else 0 for i, bi in enumerate(b)], step=F(1, 2))
    assert run(hunt_part(reserve, "dsic", players=(2,), B=6, step=F(1, 2)), B=6, step="1/2").status is Status.VERIFIED
    assert outcome(reserve, (F(2), F(1))) == ((1, 0), (F(3, 2), 0))


def test_random_search_is_tested_with_its_seed_and_finds_a_planted_bug():
    v = run(random_hunt_part(second_price(), "dsic", players=(2, 3), B=50, examples=200, seed=3), B=50)
    assert v.status is Status.TESTED and v.seed == 3 and v.cases >= 200
    v = run(random_hunt_part(first_price(), "dsic", players=(2, 3), B=50, examples=500, seed=3), B=50)
    assert v.status is Status.REFUTED and "replayed by the core" in v.witness.recheck


def test_custom_property_and_table_mechanism():
    from mechproof import Property
    table = Auction.table("two-bid table", {(0, 0): ((1, 0), (0, 0)), (0, 1): ((0, 1), (0, 1)),
                                            (1, 0): ((1, 0), (1, 0)), (1, 1): ((1, 0), (1, 0))})
    no_free_lunch = Property.custom("winner pays", lambda a, b: all(p > 0 or x == 0 or sum(b) == 0
                                                                    for x, p in zip(*outcome(a, b))))
    assert run(hunt_part(table, no_free_lunch, B=1), B=1).status is Status.VERIFIED
    v = run(hunt_part(table, "ex-post-ir", players=(3,), B=1), B=1)
    assert v.status is Status.ERROR and "no row for bids (0, 0, 0)" in v.summary   # outside its table: named, never a pass


# ------------------------------------------------------------------ misbehaving mechanisms
def test_infeasible_allocation_is_a_model_error_naming_the_profile_and_a_feasibility_finding():
    greedy = Auction("everyone wins", lambda b: [1] * len(b), lambda b: [0] * len(b))
    v = run(hunt_part(greedy, "dsic", B=1), B=1)
    assert v.status is Status.ERROR and "sum to 2 > supply 1" in v.summary and "bids (0, 0)" in v.summary
    v = run(hunt_part(greedy, "feasible", B=1), B=1)
    assert v.status is Status.REFUTED and witness(v)["bids"] == "(0, 0)"


def test_float_and_crash_are_errors_with_the_profile():
    floaty = Auction("floaty", lambda b: [0.5] * len(b), lambda b: [0] * len(b))
    v = run(hunt_part(floaty, "monotone", B=1), B=1)
    assert v.status is Status.ERROR and "= 0.5 is a float" in v.summary and "Fraction('1/2')" in v.summary
    assert "at bids (0, 0)" in v.summary

    def crash(b):
        if b == (1, 1):
            raise ZeroDivisionError("boom")
        return [1, 0]
    v = run(hunt_part(Auction("crashy", crash, lambda b: [0, 0]), "ex-post-ir", B=1), B=1)
    assert v.status is Status.ERROR and "raised ZeroDivisionError: boom at bids (1, 1)" in v.summary


def test_declarations_refused():
    with pytest.raises(ClaimDeclarationError):
        Auction("", lambda b: b, lambda b: b)
    with pytest.raises(ClaimDeclarationError):
        second_price(tie="random")
    with pytest.raises(ClaimDeclarationError, match="not a mechanism"):
        hunt_part("second price", "dsic")
    with pytest.raises(ModelError, match="float"):
        posted_price(0.5)


# ------------------------------------------------------------------ the command line
def test_cli_first_price_counterexample_and_reproduce_line(capsys):
    assert main(["hunt", "first-price", "--property", "dsic", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "counterexample: players=2, B=1, step=1, bids=(1, 0), player=0, deviation=0" in out
    assert "reproduce: mechproof hunt first-price --property dsic --bound players=2 --bound B=1" in out
    assert main(["hunt", "first-price", "--property", "dsic", "--bound", "players=2", "--bound", "B=1",
                 "--no-progress"]) == 1
    assert "bids=(1, 0), player=0, deviation=0" in capsys.readouterr().out      # the line reproduces it


def test_cli_no_counterexample_states_the_coverage(capsys):
    assert main(["hunt", "second-price", "-p", "dsic", "-p", "ex-post-ir", "--bound", "B=4", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert f"all {hunt_cases(PROPERTIES['dsic'], (2, 3), 4):,} points" in out and "verified: bounded" in out


def test_cli_random_search_then_the_box_gives_the_minimal_witness(capsys):
    code = main(["hunt", "first-price", "-p", "dsic", "--search", "random", "--bound", "B=40", "--examples", "300",
                 "--no-progress", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    hunt = data["hunts"][0]
    assert any(n.startswith("shrinking: every point of its box") for n in hunt["notes"])
    part = hunt["report"]["results"][0]["parts"][0]["verdict"]
    assert part["status"] == "refuted" and part["method"].startswith("exhaustive")
    w = dict(part["witness"]["assignment"])
    assert w["players"] == "2" and w["bids"] == "(1, 0)" and w["deviation"] == "0"


def test_cli_user_module(capsys):
    assert main(["hunt", f"{EXAMPLE}:PAY_YOUR_BID", "-p", "dsic", "--no-progress"]) == 1
    assert "bids=(1, 0), player=0, deviation=0" in capsys.readouterr().out
    assert main(["hunt", f"{EXAMPLE}:RESERVE", "-p", "dsic", "-p", "monotone", "-p", "payment-identity",
                 "--no-progress"]) == 0
    assert main(["check", "--module", str(EXAMPLE), "--no-progress"]) == 1


@pytest.mark.parametrize("argv,message", [
    (["hunt", "no/such/file.py:X", "-p", "dsic"], "no such file"),
    (["hunt", "first-price"], "needs at least one --property"),
    (["hunt", "-p", "dsic"], "needs a mechanism"),
    (["hunt", "first-prize", "-p", "dsic"], "did you mean first-price"),
    (["hunt", "first-price", "-p", "dsci"], "did you mean dsic"),
    (["hunt", "first-price", "-p", "dsic", "--bound", "eps=1/2"], "unknown key 'eps'"),
    (["hunt", "first-price", "-p", "dsic", "--bound", "B=-1"], "out of range"),
    (["hunt", "first-price", "-p", "dsic", "--bound", "step=0"], "out of range"),
    (["hunt", "first-price", "-p", "dsic", "--bound", "B=abc"], "B = 'abc' is not a rational"),
    (["hunt", "first-price", "-p", "dsic", "--bound", "players=9"], "players = 9 is out of range"),
    (["hunt", "first-price", "-p", "dsic", "--search", "smt", "--bound", "players=5"], "players = 5 is out of range"),
    (["hunt", "second-price", "-p", "uded-in-K", "--bound", "delta=2"], "delta = 2 is out of range"),
    (["hunt", "second-price", "-p", "welfare-in-undominated", "--bound", "delta=1/4", "--bound", "epsilon=3"],
     "epsilon = 3 is out of range"),
    (["hunt", "first-price", "-p", "bic", "--prior", "0:1/2,1:1/2", "--bound", "players=0"],
     "players = 0 is out of range"),
    (["hunt", "first-price", "-p", "dsic", "--examples", "0"], "--examples 0"),
    (["hunt", "first-price", "-p", "dsic", "--bound", "B=5000", "--search", "exhaustive"], "estimated"),
    (["hunt", "first-price", "-p", "dsic", "--bound", "B=60", "--search", "exhaustive"], "estimated"),
    (["hunt", f"{EXAMPLE}:highest_wins", "-p", "dsic"], "not a mechanism"),
    (["hunt", f"{EXAMPLE}:NOPE", "-p", "dsic"], "its mechanisms: LOWEST, PAY_YOUR_BID, RESERVE, SURCHARGE, VICKREY"),
])
def test_cli_bad_input_one_line_exit_64(argv, message, capsys):
    assert main(argv) == 64
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_cli_hanging_mechanism_stops_on_time(tmp_path, capsys):
    mod = tmp_path / "hang.py"
    mod.write_text("from mechproof import Auction\n"
                   "def slow(b):\n    while b == (1, 1):\n        pass\n    return [1, 0]\n"
                   "HANG = Auction('hangs at (1, 1)', slow, lambda b: [0, 0])\n")
    assert main(["hunt", f"{mod}:HANG", "-p", "ex-post-ir", "--bound", "players=2", "--bound", "B=1", "--budget", "3",
                 "--no-progress"]) == 2
    out = capsys.readouterr().out
    assert "unknown" in out


def test_cli_lists_teach_the_library(capsys):
    assert main(["hunt", "--list-properties"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in PROPERTIES) and "minimal order" in out
    assert main(["hunt", "--list-mechanisms"]) == 0
    assert "first-price" in capsys.readouterr().out


def test_example_claims_through_hunt_claim():
    import importlib.util
    spec = importlib.util.spec_from_file_location("my_auctions_example", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    outcomes = {c.id: run(c.parts[0], B=6).status for c in (mod.VICKREY_DSIC, mod.PAY_YOUR_BID_DSIC,
                                                            mod.RESERVE_MONOTONE, mod.LOWEST_MONOTONE)}
    outcomes.update({c.id: run(c.parts[0]).status for c in (mod.VICKREY_DSIC_EVERYWHERE,
                                                            mod.SURCHARGE_DSIC_EVERYWHERE)})
    assert outcomes == {"MY-VICKREY-DSIC": Status.VERIFIED, "MY-PAY-YOUR-BID-DSIC": Status.REFUTED,
                        "MY-RESERVE-MONOTONE": Status.VERIFIED, "MY-LOWEST-MONOTONE": Status.REFUTED,
                        "MY-VICKREY-DSIC-EVERYWHERE": Status.VERIFIED, "MY-SURCHARGE-DSIC-EVERYWHERE": Status.REFUTED}
    # the grid {0..6} has no bid in (5, 6): the surcharge passes it
    assert run(hunt_part(mod.SURCHARGE, "dsic", players=(2, 3), B=6)).status is Status.VERIFIED
    assert isinstance(hunt_claim("X-1", second_price(), "dsic").parts[0].domain.keys[0].name, str)


# ------------------------------------------------------------------ user modules: one mechanism
def test_show_a_user_claim_from_the_stored_verdict_without_its_module(capsys):
    assert main(["check", "--module", str(EXAMPLE), "MY-PAY-YOUR-BID-DSIC", "--no-progress"]) == 1
    capsys.readouterr()
    assert main(["show", "MY-PAY-YOUR-BID-DSIC"]) == 0
    out = capsys.readouterr().out
    assert "last verdict: refuted" in out and "bids = (1, 0), player = 0, deviation = 0" in out
    assert "a module not loaded now" in out
    assert main(["show", "MY-NEVER-CHECKED"]) == 64


def test_pyproject_modules_behave_like_module(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text(f'[tool.mechproof]\nmodules = ["{EXAMPLE}"]\n')
    assert main(["check", "--no-progress", "--format", "json"]) == 1
    ids = {r["claim_id"] for r in json.loads(capsys.readouterr().out)["results"]}
    assert ids == {"MY-VICKREY-DSIC", "MY-PAY-YOUR-BID-DSIC", "MY-RESERVE-MONOTONE", "MY-LOWEST-MONOTONE",
                   "MY-RESERVE-PAYMENT-IDENTITY", "MY-PAY-YOUR-BID-PAYMENT-IDENTITY", "MY-SECOND-PRICE-UDED",
                   "MY-VICKREY-UDED", "MY-VICKREY-DSIC-EVERYWHERE", "MY-SURCHARGE-DSIC-EVERYWHERE"}  # just the module's


# ------------------------------------------------------------------ under a finite prior
def test_bic_and_interim_ir_under_a_prior():
    from mechproof import Prior
    from mechproof.hunting import prior_part
    prior = Prior((0, 1, 2), (F(1, 4), F(1, 2), F(1, 4)))
    # first price: type 1 wins ties (lowest index) and pays 1 for utility 0; reporting 0 wins only
    # against a 0 (probability 1/4), free: interim utility 1/4 > 0
    v = run(prior_part(first_price(), "bic", prior, (2, 3)))
    assert v.status is Status.REFUTED
    assert witness(v) == {"players": "2", "player": "0", "type": "1", "report": "0"}
    assert dict(v.witness.observed) == {"interim utility truthful": "0", "interim utility reporting": "1/4"}
    v = run(prior_part(second_price(), "bic", prior, (2, 3)))
    assert v.status is Status.VERIFIED and v.cases == 2 * 3 * 2 + 3 * 3 * 2
    v = run(prior_part(all_pay(), "interim-ir", prior, (2,)))
    assert v.status is Status.REFUTED and dict(v.witness.observed)["interim utility"] == "-1/4"
    with pytest.raises(ClaimDeclarationError, match="sum to 1"):
        Prior((0, 1), (F(1, 2), F(1, 3)))
    with pytest.raises(ClaimDeclarationError, match="needs a prior"):
        hunt_claim("X-BIC", first_price(), "bic")
    assert hunt_claim("X-BIC", second_price(), "bic", prior=prior).parts[0].method.name == "ENUMERATION"


@pytest.mark.parametrize("argv,message", [
    (["hunt", "first-price", "-p", "bic"], "needs a prior"),
    (["hunt", "first-price", "-p", "bic", "--prior", "0:1/2,1:1/3"], "sum to 1"),
    (["hunt", "first-price", "-p", "bic", "--prior", "0-1/2"], "type:probability"),
    (["hunt", "first-price", "-p", "dsic", "--prior", "0:1"], "read only by bic and interim-ir"),
    (["hunt", "first-price", "-p", "bic", "--prior", "0:1", "--bound", "B=3"], "read by none of the properties"),
    (["hunt", "second-price", "-p", "uded-in-K", "--bound", "delta=1/4", "--bound", "step=1/2"],
     "read by none of the properties"),
])
def test_cli_prior_bad_input(argv, message, capsys):
    assert main(argv) == 64
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_cli_bic_counterexample_and_reproduce_line(capsys):
    assert main(["hunt", "first-price", "-p", "bic", "--prior", "0:1/4,1:1/2,2:1/4", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "counterexample: players=2, player=0, type=1, report=0" in out
    assert "reproduce: mechproof hunt first-price --property bic --prior 0:1/4,1:1/2,2:1/4 --bound players=2" in out


# ------------------------------------------------------------------ approximate valuations (CMZ's model)
def test_uded_in_k_and_distinguishable_monotonicity():
    from mechproof.valuation_properties import approximate_valuations, valuation_part
    v = run(valuation_part(second_price("uniform"), "uded-in-K", (2, 3), 4, ("1/4", "1/2")))
    assert v.status is Status.VERIFIED
    assert v.cases == sum(n * len(approximate_valuations(g, F(d))) for n in (2, 3) for g in range(1, 5)
                          for d in (F(1, 4), F(1, 2)))
    # ties to the lowest index: at B = 1, K = [1, 1], bid 0 earns what bid 1 earns against every τ
    v = run(valuation_part(second_price(), "uded-in-K", (2, 3), 4, "1/4"))
    assert v.status is Status.REFUTED
    assert witness(v) == {"players": "2", "B": "1", "delta": "1/4", "player": "0", "K": "(1, 1)"}
    assert dict(v.witness.observed)["undominated outside K"] == "(0)"
    # first price: bidding your value is dominated (it never earns anything), 0 is undominated outside K
    assert run(valuation_part(first_price("uniform"), "uded-in-K", (2,), 3, "1/4")).status is Status.REFUTED
    assert run(valuation_part(second_price("uniform"), "distinguishably-monotone", (2, 3), 4)).status is Status.VERIFIED
    v = run(valuation_part(random_assignment(), "distinguishably-monotone", (2,), 3))
    assert v.status is Status.REFUTED and witness(v) == {"players": "2", "B": "1", "player": "0", "v": "0", "v2": "1"}
    with pytest.raises(ClaimDeclarationError, match="needs δ"):
        valuation_part(second_price(), "uded-in-K")
    assert approximate_valuations(2, F(1, 4)) == [(0, 0), (1, 1), (2, 2)]
    assert (1, 2) in approximate_valuations(2, F(1, 2))          # (1 − 1/2)·2 ≤ (1 + 1/2)·1


def test_cli_uded_needs_delta_and_reproduces(capsys):
    assert main(["hunt", "second-price", "-p", "uded-in-K"]) == 64
    assert "needs δ" in capsys.readouterr().err
    assert main(["hunt", "second-price", "-p", "dsic", "--bound", "delta=1/4"]) == 64
    assert "read only by uded-in-K" in capsys.readouterr().err
    assert main(["hunt", "second-price", "-p", "uded-in-K", "--bound", "delta=1/4", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert ("reproduce: mechproof hunt second-price --property uded-in-K --bound players=2 --bound B=1 "
            "--bound delta=1/4") in out


def test_welfare_in_undominated_strategies():
    from mechproof.valuation_properties import valuation_part
    # second price (uniform ties) δ-implements ((1−δ)/(1+δ))²·MSW (CMZ-T2): 9/25 at δ = 1/4
    v = run(valuation_part(second_price("uniform"), "welfare-in-undominated", (2, 3), 4, "1/4", "9/25"))
    assert v.status is Status.VERIFIED
    # random assignment earns MSW/n: at n = 3 the value-1 player wins w.p. 1/3 < 1/2
    v = run(valuation_part(random_assignment(), "welfare-in-undominated", (2, 3), 4, "1/4", "1/2"))
    assert v.status is Status.REFUTED
    assert witness(v)["players"] == "3" and witness(v)["K"] == "((0, 0), (0, 0), (1, 1))"
    assert dict(v.witness.observed)["E[SW]"] == "1/3"
    with pytest.raises(ClaimDeclarationError, match="needs the guarantee"):
        valuation_part(second_price(), "welfare-in-undominated", delta="1/4")
    assert main(["hunt", "second-price", "-p", "welfare-in-undominated", "--bound", "delta=1/4"]) == 64


def test_a_mechanism_hanging_on_one_profile_is_reported_with_that_profile(monkeypatch):
    import mechproof.mechanisms.auctions as auctions
    monkeypatch.setattr(auctions, "PROFILE_SECONDS", 1)

    def slow(b):
        while b == (1, 1):
            pass
        return [1, 0]
    v = run(hunt_part(Auction("hangs at (1, 1)", slow, lambda b: [0, 0]), "ex-post-ir", players=(2,), B=1), budget=30)
    assert v.status is Status.ERROR and "did not answer within 1 s at bids (1, 1)" in v.summary


def test_sigterm_stops_the_hunt_after_the_running_property(tmp_path):
    """A signal mid-search: the running property is unknown (interrupted), the next is not started,
    exit 2, no worker left behind."""
    import os
    import signal
    import subprocess
    import sys
    import time
    mod = tmp_path / "slow.py"
    mod.write_text("from mechproof import Auction\ndef spin(b):\n    while True:\n        pass\n"
                   "SLOW = Auction('spins', spin, lambda b: [0] * len(b))\n")
    proc = subprocess.Popen([sys.executable, "-m", "mechproof.cli", "hunt", f"{mod}:SLOW", "-p", "dsic", "-p", "monotone",
                             "--no-progress", "--no-cache", "--budget", "60"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(5)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2, err
    assert out.count("HUNT-") == 1 and "interrupted (SIGTERM)" in out and "Traceback" not in err
    time.sleep(0.5)
    try:
        os.killpg(proc.pid, 0)
        left = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
    except ProcessLookupError:
        left = []
    assert not left, f"processes left behind: {left}"
