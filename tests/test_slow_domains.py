"""Larger domains than the default run, through claim-scoped bounds (run with `pytest -m slow`)."""
import pytest

from mechproof.registry import load_registry
from mechproof.runner import run_claims
from mechproof.verdicts import Status

pytestmark = pytest.mark.slow


def _run(ids, bounds, budget=600):
    reg = load_registry()
    return {r.claim_id: r for r in run_claims(reg.select(ids), budget=budget, bounds=bounds, jobs=2).results}


def test_gh_l8_exact_to_n_80_and_gamma_to_k_400():
    out = _run(["GH-L8", "BCK-GAMMA"], {"GH-L8.n_max": 80, "BCK-GAMMA.k_max": 400})
    part = dict((p.name, p.verdict) for p in out["GH-L8"].parts)["n ≤ 30 exactly"]
    assert part.status is Status.VERIFIED and part.domain.startswith("n = 1..80")
    stirling = out["BCK-GAMMA"].parts[1].verdict
    assert stirling.status is Status.PROVED and "k ≤ 400" in stirling.summary


def test_cmz_second_price_and_t4_at_b_20():
    out = _run(["CMZ-SP-AT", "CMZ-T4"], {"B": 20})
    assert out["CMZ-SP-AT"].status is Status.PROVED and out["CMZ-T4"].status is Status.VERIFIED
    for cid in ("CMZ-SP-AT", "CMZ-T4"):
        bounded = [p.verdict for p in out[cid].parts if p.verdict.status is Status.VERIFIED and "20" in p.verdict.domain]
        assert bounded, f"{cid}: no part covered B = 20"       # the bounded parts (cross-checks for SP-AT) at B = 20


def test_cmz_uil_on_bids_0_to_5():
    out = _run(["CMZ-UIL"], {"CMZ-UIL.B": 5}, budget=900)
    assert out["CMZ-UIL"].status is Status.PROVED                          # the route; the tables are cross-checks
    assert all(p.verdict.passes for p in out["CMZ-UIL"].parts)
