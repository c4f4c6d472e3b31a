"""CMZ bound schemas, roles and the kernel's replay: the shared keys n / B / delta reach every
bounded CMZ claim, claim-local keys do not, bad values are usage errors before anything runs, the
declared case counts are what the checks enumerate, and a bogus witness is rejected."""
from __future__ import annotations

import re
from fractions import Fraction as F
from pathlib import Path

import pytest

from mechproof import Method, Part, Role, Status, UsageError, Witness, refuted
from mechproof.domains import resolve_domains
from mechproof.mechanisms.cmz_model import ApproxValuation, bid_ladder
from mechproof.runner import run_part_inline
from mechproof.papers import cmz_all_mechanisms, cmz_closed_forms, cmz_f_delta, cmz_undominated

MODULES = (cmz_closed_forms, cmz_undominated, cmz_f_delta, cmz_all_mechanisms)
CLAIMS = [c for m in MODULES for c in (getattr(m, name) for name in dir(m) if name.startswith("CMZ_"))
          if hasattr(c, "parts")]
BY_ID = {c.id: c for c in CLAIMS}
SHARED = ("CMZ-SP-AT", "CMZ-T2", "CMZ-F", "CMZ-E3", "CMZ-MF", "CMZ-DML", "CMZ-T4", "CMZ-E5")


def keys(claim_id: str) -> set[str]:
    return {k.name for p in BY_ID[claim_id].parts for k in p.domain.keys}


def test_all_fifteen_claims_are_declared():
    assert sorted(BY_ID) == sorted(["CMZ-D", "CMZ-SLIDE", "CMZ-T1", "CMZ-UIL", "CMZ-SP-AT", "CMZ-T2", "CMZ-T3",
                                    "CMZ-MF", "CMZ-DML", "CMZ-E1", "CMZ-F", "CMZ-E3", "CMZ-T4", "CMZ-T5", "CMZ-E5"])


def test_declared_keys_per_claim():
    library = {"lib_players", "lib_B", "lib_delta"}          # the cross-check through the hunting library
    # second price does not read δ (the library asks it); tab_B: the fast-vs-exact table cross-check
    assert keys("CMZ-SP-AT") == {"n", "B", "def_B", "tab_B"} | library
    for cid in ("CMZ-F", "CMZ-E3"):
        assert keys(cid) == {"n", "B", "delta"}
    assert keys("CMZ-DML") == {"n", "B", "delta", "tables_B"} | library  # tables_B: z3 over every rule on the grid
    for cid in ("CMZ-T2", "CMZ-T4"):                           # def_B: the brute-force cross-check's bids
        assert keys(cid) - library - {"lib_epsilon"} == {"n", "B", "delta", "def_B"} | ({"tab_B"} if cid == "CMZ-T4" else set())
    assert keys("CMZ-MF") == {"n", "B", "delta", "lib_players", "lib_B", "lib_step"}   # dsic through the library
    assert keys("CMZ-E5") == {"n", "B", "delta", "B3", "ln_primes"}
    assert keys("CMZ-UIL") == {"B", "cvc5_B"}
    assert keys("CMZ-T1") == {"B2", "B3", "delta", "lp_B", "tight_B", "n"}     # tight_B, n: the tightness part
    assert keys("CMZ-T3") == {"B_max", "delta", "B", "m", "tight_B"}
    assert keys("CMZ-D") == keys("CMZ-SLIDE") == set()
    for c in CLAIMS:
        for p in c.parts:
            for k in p.domain.keys:
                own_B = k.name == "B" and c.id in ("CMZ-UIL", "CMZ-T3", "CMZ-T5")   # z3 sizes, not the bid bound
                assert k.local == (k.name not in ("n", "B", "delta") or own_B), (c.id, p.name, k.name)


def test_a_global_B_widens_every_shared_claim_but_no_local_key():
    doms = resolve_domains(CLAIMS, {"B": 20, "n": "2..3", "delta": "1/3"})
    for cid in SHARED:
        for p in BY_ID[cid].parts:
            if p.method is Method.DERIVATION:                       # a general route: no bounds to widen
                assert p.role is Role.ROUTE and not p.domain.names
                continue
            fixed = {"def_B", "ln_primes", "lib_B", "tab_B", "tables_B"} & set(p.domain.names)   # fixed small sizes
            if fixed:                       # cross-checks, and the z3 search over every rule (its own size)
                assert (p.role is Role.CROSS_CHECK or fixed == {"tables_B"}) and "B" not in p.domain.names
                assert all(doms[(cid, p.name)][k] == next(x.default for x in p.domain.keys if x.name == k)
                           for k in fixed)
                continue
            assert doms[(cid, p.name)]["B"] == 20 and doms[(cid, p.name)]["n"] in ((2, 3), (2, 3))
    assert doms[("CMZ-UIL", "all mechanisms, bids {0..B}")]["B"] == 4        # local: untouched
    assert doms[("CMZ-T3", "every deterministic mechanism (bounded)")]["B"] == 4
    assert doms[("CMZ-T2", "welfare bound")]["delta"] == (F(1, 3),)
    scoped = resolve_domains(CLAIMS, {"CMZ-UIL.B": 3, "CMZ-T1.lp_B": 3})
    assert scoped[("CMZ-UIL", "all mechanisms, bids {0..B}")]["B"] == 3
    assert scoped[("CMZ-T1", "best DS guarantee on the grid")]["lp_B"] == 3


@pytest.mark.parametrize("bounds, message", [
    ({"n": 1}, "out of range"), ({"n": "1..3"}, "out of range"), ({"B": 0}, "out of range"),
    ({"delta": 1}, "out of range"), ({"delta": "0"}, "out of range"), ({"delta": 0.5}, "float"),
    ({"B": "3/2"}, "fraction"), ({"CMZ-UIL.B": 0}, "out of range"), ({"CMZ-T3.m": 0}, "out of range"),
    ({"CMZ-T1.lp_B": 1}, "out of range"), ({"uil_B": 4}, "unknown bound key"), ({"lp_B": 4}, "only when scoped"),
])
def test_bad_bounds_are_usage_errors_before_anything_runs(bounds, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        resolve_domains(CLAIMS, bounds)


def test_n_grid_syntax():
    part = BY_ID["CMZ-SP-AT"].parts[1]
    assert part.domain.resolve({"n": "2,3"})["n"] == part.domain.resolve({"n": "2..3"})["n"] == (2, 3)


def test_domain_texts_say_what_is_enumerated():
    dom = BY_ID["CMZ-T2"].parts[1].domain.default_domain()
    assert "B ∈ {2, 4, 8, 16}" in dom.text and "δ ∈ {1/10, 1/4, 1/3, 1/2, 2/3}" in dom.text
    assert bid_ladder(16) == (2, 4, 8, 16) and bid_ladder(3) == (2, 3) and bid_ladder(1) == (1,)
    assert "v ≠ 0" in BY_ID["CMZ-E3"].parts[1].domain.default_domain().text


@pytest.mark.parametrize("cid, part, bounds", [
    ("CMZ-SP-AT", 1, {"n": (2, 3), "B": 5}),
    ("CMZ-F", 0, {"n": (2, 3), "B": 4, "delta": (F(1, 2),)}),
    ("CMZ-E3", 4, {"n": (2, 3), "B": 4, "delta": (F(1, 2),)}),
    ("CMZ-E3", 5, {"n": (2, 3), "B": 5, "delta": (F(1, 2),)}),
    ("CMZ-MF", 1, {"n": (2,), "B": 3, "delta": (F(1, 2),)}),
    ("CMZ-DML", 0, {"n": (2,), "B": 3, "delta": (F(1, 2),)}),
    ("CMZ-E5", 0, {"n": (2, 3), "B": 2, "delta": (F(1, 2),)}),
    ("CMZ-T1", 0, {"B2": 2, "B3": 1}),
    ("CMZ-T5", 0, {"B_max": 20}),
    ("CMZ-UIL", 3, {}),
])
def test_declared_case_counts_are_what_the_checks_enumerate(cid, part, bounds):
    p = BY_ID[cid].parts[part]
    dom = p.domain.resolve(bounds)
    v = run_part_inline(p, 120, domain=dom, claim_id=cid, uses=BY_ID[cid].uses)
    assert v.status in (Status.VERIFIED, Status.PROVED), v.summary
    assert v.cases == dom.size


def test_roles_and_readings():
    e3 = BY_ID["CMZ-E3"].parts
    assert [p.role for p in e3].count(Role.READING) == 1 and e3[1].role is Role.READING
    assert not any(p.role is Role.AS_PRINTED for c in CLAIMS for p in c.parts)   # nothing refuted off-model
    assert [p.role for p in BY_ID["CMZ-E1"].parts] == [Role.ROUTE, Role.CROSS_CHECK]
    assert BY_ID["CMZ-T1"].parts[1].role is Role.READING and "grid" in BY_ID["CMZ-T1"].parts[1].reading
    assert all(p.role is Role.CROSS_CHECK for p in BY_ID["CMZ-T3"].parts[2:])
    assert "uniformly at random" in BY_ID["CMZ-SP-AT"].parts[1].assumes[0]
    assert "uniformly at random" in BY_ID["CMZ-T2"].parts[1].assumes[0]
    assert any("finite" in a for a in BY_ID["CMZ-UIL"].parts[2].assumes)


def test_uses():
    assert BY_ID["CMZ-T2"].uses == ("CMZ-SP-AT",)
    assert set(BY_ID["CMZ-T4"].uses) == {"CMZ-E1", "CMZ-E3", "CMZ-DML", "CMZ-MF"}
    assert BY_ID["CMZ-E1"].uses == ("CMZ-DML",)
    # T2 / T4 attain the T3 / T5 bounds in the limit (the tightness parts cite them)
    assert BY_ID["CMZ-T3"].uses == ("CMZ-UIL", "CMZ-T2") and BY_ID["CMZ-T5"].uses == ("CMZ-UIL", "CMZ-T4")


def test_a_bogus_witness_is_rejected_by_the_replay():
    """A check that claims UDed([1,2]) ⊄ [1,2] for second price (false) is not believed: the
    core replays the point by the plain definition and reports an error."""
    honest = BY_ID["CMZ-SP-AT"].parts[1]
    liar = Part("UDed ⊆ K (lying check)", method=Method.ENUMERATION, domain=honest.domain, replay=honest.replay,
                check=lambda ctx: refuted(witness=Witness.of({"n": 2, "B": 4, "player": 1, "K": ApproxValuation(1, 2)}),
                                          summary="bid 3 is undominated (not true)"))
    v = run_part_inline(liar, 30)
    assert v.status is Status.ERROR and "does not reproduce" in v.summary


def test_a_budget_exhausted_run_says_what_it_covered():
    from mechproof.searches import MARGIN
    p = BY_ID["CMZ-T4"].parts[0]
    v = run_part_inline(p, MARGIN + 1.0, claim_id="CMZ-T4")
    assert v.status is Status.UNKNOWN and "budget" in v.summary
    assert re.match(r"\d+ cases(; finished through B = \d+)?$", v.covered), v.covered


def test_paper_modules_hold_no_z3_and_no_verdict_constructor():
    here = Path(cmz_undominated.__file__).parent
    for path in sorted(here.glob("*cmz*.py")):
        text = path.read_text()
        assert not re.search(r"^\s*(import z3|from z3)", text, re.M), path
        assert not re.search(r"(?<![\w.])(proved|verified|certified|tested|refuted|unknown|error)\(", text), path
