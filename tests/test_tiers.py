"""Every claim below `proved` says why (Claim.why_not_proved), and the core shows it where it passes."""
import pytest

from mechproof import Claim, ClaimDeclarationError, Method, Part, Role, Status
from mechproof.registry import builtin_claims
from mechproof.report import render_below_proved, render_show
from mechproof.verdicts import ClaimResult, PartResult, Report, proved, verified


def _part(name, method, role=Role.CONJUNCT, **kw):
    return Part(name, method=method, domain="d", role=role, check=lambda ctx: proved(summary="x"), **kw)


def test_every_builtin_claim_below_proved_states_why_and_no_reason_is_stale():
    claims = builtin_claims()
    missing = [c.id for c in claims if c.ceiling.passes and c.ceiling is not Status.PROVED and not c.why_not_proved]
    stale = [c.id for c in claims if c.why_not_proved and c.ceiling is Status.PROVED]
    assert not missing, f"claims below proved without a stated reason: {missing}"
    assert not stale, f"claims whose methods reach proved but state why they are not: {stale}"
    # a reason is a sentence, not a placeholder
    assert all(len(c.why_not_proved.split()) >= 8 for c in claims if c.why_not_proved)


def test_ceiling_follows_the_roles():
    c = Claim(id="T-1", title="t", statement="s", source="src",
              parts=(_part("a", Method.IDENTITY), _part("b", Method.ENUMERATION, Role.CROSS_CHECK)))
    assert c.ceiling is Status.PROVED                      # a cross-check never lowers the tier
    c2 = Claim(id="T-2", title="t", statement="s", source="src",
               parts=(_part("a", Method.IDENTITY), _part("b", Method.INTERVAL)))
    assert c2.ceiling is Status.CERTIFIED                  # the weakest conjunct
    c3 = Claim(id="T-3", title="t", statement="s", source="src",
               parts=(_part("a", Method.ENUMERATION, Role.ROUTE), _part("b", Method.DERIVATION, Role.ROUTE)))
    assert c3.ceiling is Status.PROVED                     # the strongest route
    c4 = Claim(id="T-4", title="t", statement="s", source="src",
               parts=(_part("a", Method.ENUMERATION, Role.AS_PRINTED),
                      _part("b", Method.NONE, Role.READING, reading="r")))
    assert c4.ceiling is Status.UNKNOWN


def test_why_not_proved_must_be_text():
    with pytest.raises(ClaimDeclarationError):
        Claim(id="T-5", title="t", statement="s", source="src", parts=(_part("a", Method.ENUMERATION),),
              why_not_proved=3)
    c = Claim(id="T-6", title="t", statement="s", source="src", parts=(_part("a", Method.ENUMERATION),),
              why_not_proved="  a bounded   grid\n only ")
    assert c.why_not_proved == "a bounded grid only"


def _report():
    ok = PartResult("p", verified(cases=4, summary="all 4"))
    return Report((ClaimResult("A-1", "t", "A", "s", "st", (ok,), why_not_proved="only a finite grid is encoded"),
                   ClaimResult("A-2", "t", "A", "s", "st", (ok,)),
                   ClaimResult("A-3", "t", "A", "s", "st", (PartResult("q", proved(summary="x")),),
                               why_not_proved="not shown: it is proved")), "2026-01-01T00:00:00", 1.0)


def test_below_proved_section_lists_reasons_and_flags_a_missing_one():
    text = render_below_proved(_report(), 120)
    lines = text.splitlines()
    assert lines[0].startswith("below proved — why (2 claims")
    assert "A-1" in lines[1] and "only a finite grid is encoded" in lines[1]
    assert "A-2" in lines[2] and "no reason stated" in lines[2]
    assert "A-3" not in text                              # a proved claim needs no reason
    assert render_below_proved(Report((), "2026-01-01T00:00:00", 0.0)) == ""


def test_reason_survives_the_json_round_trip_and_shows_in_show():
    report = _report()
    again = Report.from_json(report.to_json())
    assert again == report and again.results[0].why_not_proved == "only a finite grid is encoded"
    claim = Claim(id="A-1", title="t", statement="s", source="src", parts=(_part("p", Method.ENUMERATION),),
                  why_not_proved="only a finite grid is encoded")
    shown = render_show(report.results[0], claim, "test")
    assert "at most verified by its methods; why not proved: only a finite grid is encoded" in shown


def test_check_prints_the_section(tmp_path, capsys):
    from mechproof.cli import main
    mod = tmp_path / "mine.py"
    mod.write_text(
        "from mechproof import Claim, Part, Method, Schema, IntKey, enumeration_check\n"
        "MINE = Claim(id='MINE-1', title='squares are non-negative', statement='n*n >= 0', source='me',\n"
        "    why_not_proved='a statement about integers checked on a range only',\n"
        "    parts=(Part('range', method=Method.ENUMERATION,\n"
        "        domain=Schema(IntKey('n', 5, min=1, max=50), cases=lambda d: 2 * d['n'] + 1),\n"
        "        check=enumeration_check(lambda d: ({'n': i} for i in range(-d['n'], d['n'] + 1)),\n"
        "                                lambda p: p['n'] * p['n'] >= 0, summary='n*n >= 0 on {cases} n')),))\n")
    assert main(["check", str(mod), "--no-progress"]) == 64        # a path is not a claim id
    assert "--module" in capsys.readouterr().err
    code = main(["check", "--module", str(mod), "--no-progress", "--no-cache", "--state-dir", str(tmp_path / "state")])
    out = capsys.readouterr().out
    assert code == 0
    assert "below proved — why (1 claim" in out and "checked on a range only" in out


def _result(cid, verdict, uses=(), role=Role.CONJUNCT):
    return ClaimResult(cid, "t", cid.split("-")[0], "s", "st", (PartResult("p", verdict, role),), uses)


def test_no_claim_is_stronger_than_a_claim_it_uses():
    from mechproof.verdicts import refuted, with_dependencies, Witness
    lemma = _result("L-1", verified(cases=3, summary="on a grid"))
    proof = _result("T-1", proved(summary="by L-1"), ("L-1",))
    corollary = _result("C-1", proved(summary="by T-1"), ("T-1",))
    adopted = _result("T-2", proved(summary="under L-1's convention"), ("L-1:convention",))
    false = _result("L-2", refuted(witness=Witness.of({"n": 1}), summary="no"))
    given = _result("T-3", proved(summary="by L-2"), ("L-2",))
    out = {r.claim_id: r for r in with_dependencies((lemma, proof, corollary, adopted, false, given))}
    assert out["T-1"].own_status is Status.PROVED and out["T-1"].status is Status.VERIFIED
    assert out["T-1"].conditional_text == "proved, resting on L-1 (verified)"
    assert out["T-1"].tier_reason == out["T-1"].conditional_text     # what table, show and HTML give as why
    from mechproof.html_report import render_html
    assert "why not proved: proved, resting on L-1 (verified)" in render_html(
        Report((out["T-1"],), "2026-01-01T00:00:00", 0.0), [], [])
    assert out["C-1"].status is Status.VERIFIED                       # down the tree
    assert out["C-1"].rests_on == (("T-1", "verified"),)
    assert out["T-2"].status is Status.PROVED and not out["T-2"].rests_on   # a convention caps nothing
    assert out["T-3"].status is Status.UNKNOWN                        # a use that does not pass: conditional
    assert "resting on" not in render_below_proved(Report((out["T-3"],), "2026-01-01T00:00:00", 0.0))
    text = render_below_proved(Report(tuple(out.values()), "2026-01-01T00:00:00", 0.0), 160)
    assert "proved, resting on L-1 (verified)" in text            # the reason is automatic
    again = Report.from_json(Report(tuple(out.values()), "2026-01-01T00:00:00", 1.0).to_json())
    assert {r.claim_id: r.status for r in again.results} == {r.claim_id: r.status for r in out.values()}


@pytest.mark.parametrize("status", ["refuted", "bogus"])
def test_a_stored_rests_on_must_name_a_passing_status(status):
    import json
    report = Report((ClaimResult("T-1", "t", "T", "s", "st", (PartResult("p", proved(summary="x")),), ("L-1",),
                                 rests_on=(("L-1", "verified"),)),), "2026-01-01T00:00:00", 1.0)
    data = json.loads(report.to_json())
    data["results"][0]["rests_on"] = [["L-1", status]]
    with pytest.raises(ValueError):
        Report.from_dict(data)


def test_use_kinds_are_checked():
    with pytest.raises(ClaimDeclarationError, match="convention"):
        Claim(id="T-7", title="t", statement="s", source="src", parts=(_part("a", Method.IDENTITY),),
              uses=("L-1:assumed",))
    c = Claim(id="T-8", title="t", statement="s", source="src", parts=(_part("a", Method.IDENTITY),),
              uses=("L-1:convention", "L-2:reading"))
    assert c.used_ids == ("L-1", "L-2")
