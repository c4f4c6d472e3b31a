"""Shrinker quality: planted bugs whose smallest counterexample in the documented order is known by
hand; the reported witness is exactly that one (exhaustive search, and random search followed by
the search of the witness's box)."""
import json
from fractions import Fraction as F

import pytest

from mechproof import Auction, Status, hunt_part
from mechproof.cli import main
from mechproof.runner import run_part_inline


def run(part, **bounds):
    return run_part_inline(part, 60, domain=part.domain.resolve(bounds), claim_id="HUNT", uses=())


def highest(bids):
    top = max(range(len(bids)), key=lambda i: (bids[i], -i))
    return [1 if i == top else 0 for i in range(len(bids))]


def runner_up(bids):
    return sorted(bids)[-2] if len(bids) > 1 else 0


# 1. Vickrey that lets a tied winner pay 0. B = 1 has no gain (every tie there is at 0 or at the top
#    value, where the winner's utility does not change); at B = 2 the first point in the order is
#    bids (1, 2): player 0 (value 1, losing) bids 2, ties, wins and pays 0: utility 1 > 0.
def _free_ties(bids):
    x = highest(bids)
    tied = sorted(bids)[-1] == runner_up(bids)
    return [0 if tied else runner_up(bids) * xi for xi in x]


FREE_TIES = Auction("Vickrey, ties free", highest, _free_ties)

# 2. A bid of exactly 2 never wins: the first raise that loses is player 0 at bids (0, 0) raising to 2.
def _two_loses(bids):
    eligible = [b if b != 2 else F(-1) for b in bids]
    return highest(eligible)


TWO_LOSES = Auction("a bid of 2 never wins", _two_loses, lambda b: [0] * len(b))

# 3. Vickrey charging one too much with three or more players: two players are fine, and the first
#    three-player point is bids (0, 0, 0), player 0 (the winner), paying 1: utility −1.
OVERCHARGE = Auction("Vickrey + 1 from 3 players", highest,
                     lambda b: [(runner_up(b) + (1 if len(b) >= 3 else 0)) * x for x in highest(b)])


@pytest.mark.parametrize("auction,prop,expected", [
    (FREE_TIES, "dsic", {"players": "2", "B": "2", "bids": "(1, 2)", "player": "0", "deviation": "2"}),
    (TWO_LOSES, "monotone", {"players": "2", "B": "2", "bids": "(0, 0)", "player": "0", "deviation": "2"}),
    (OVERCHARGE, "ex-post-ir", {"players": "3", "B": "0", "bids": "(0, 0, 0)", "player": "0"}),
])
def test_exhaustive_search_reports_the_hand_computed_minimal_witness(auction, prop, expected):
    v = run(hunt_part(auction, prop, players=(2, 3), B=8), B=8)
    assert v.status is Status.REFUTED
    got = dict(v.witness.assignment)
    assert {k: got[k] for k in expected} == expected


def test_random_search_then_box_search_reports_the_same_minimal_witness(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    mod = tmp_path / "planted.py"
    mod.write_text("from mechproof import Auction\n"
                   "def highest(b):\n    top = max(range(len(b)), key=lambda i: (b[i], -i))\n"
                   "    return [1 if i == top else 0 for i in range(len(b))]\n"
                   "def pay(b):\n    s = sorted(b)\n    return [0 if s[-1] == s[-2] else s[-2] * x for x in highest(b)]\n"
                   "FREE_TIES = Auction('Vickrey, ties free', highest, pay)\n")
    code = main(["hunt", f"{mod}:FREE_TIES", "-p", "dsic", "--search", "random", "--bound", "players=2",
                 "--bound", "B=30", "--examples", "3000", "--seed", "1", "--no-progress", "--format", "json"])
    assert code == 1
    hunt = json.loads(capsys.readouterr().out)["hunts"][0]
    verdict = hunt["report"]["results"][0]["parts"][0]["verdict"]
    w = dict(verdict["witness"]["assignment"])
    # the box of the random witness contains (1, 2): the box search returns the minimal point
    assert (w["bids"], w["player"], w["deviation"]) == ("(1, 2)", "0", "2"), hunt["notes"]
