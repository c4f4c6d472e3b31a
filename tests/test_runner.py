"""The runner: budgets are enforced by killing, crashes are errors, Ctrl-C gives a partial report."""
import os
import time

from mechproof import Claim, Evidence, Method, Part, Status, proved
from mechproof.runner import run_claims


def _ok(ctx):
    return proved(summary="ok", evidence=Evidence("identity", "trivially"))


def _claim(cid, check, slow=False):
    return Claim(id=cid, title="t", statement="s", source="test",
                 parts=(Part("p", method=Method.IDENTITY, domain="d", check=check, slow=slow),))


def _sleepy(ctx):
    time.sleep(30)
    return _ok(ctx)


def _ignores_everything(ctx):
    while True:  # a solver that ignores its own timeout
        pass


def _raises(ctx):
    raise ZeroDivisionError("boom")


def _dies(ctx):
    os._exit(3)


def _not_a_verdict(ctx):
    return True


def test_overrun_is_killed_and_unknown():
    t0 = time.monotonic()
    report = run_claims([_claim("T-1", _sleepy), _claim("T-2", _ignores_everything)], budget=0.5, jobs=2)
    assert time.monotonic() - t0 < 10
    for r in report.results:
        assert r.status is Status.UNKNOWN and "timeout" in r.weakest.summary


def test_crashes_are_errors_never_passes():
    report = run_claims([_claim("T-3", _raises), _claim("T-4", _dies), _claim("T-5", _not_a_verdict)], budget=10)
    assert [r.status for r in report.results] == [Status.ERROR] * 3
    assert "ZeroDivisionError" in report.results[0].weakest.summary
    assert "died" in report.results[1].weakest.summary


def test_progress_and_the_domain_comes_from_the_part():
    seen = []

    def chatty(ctx):
        ctx.progress("half way")
        return _ok(ctx)

    report = run_claims([_claim("T-6", chatty)], budget=10, on_event=seen.append)
    assert report.results[0].status is Status.PROVED
    assert report.results[0].weakest.domain == "d"          # rendered from the Part's domain
    assert report.results[0].weakest.method == "sympy identity"
    assert any(e.kind == "progress" and e.message == "half way" for e in seen)


def test_ctrl_c_gives_partial_report():
    def interrupt(event):
        if event.kind == "done":
            raise KeyboardInterrupt

    claims = [_claim("T-7", _ok), _claim("T-8", _sleepy), _claim("T-9", _sleepy)]
    report = run_claims(claims, budget=20, on_event=interrupt)
    assert report.interrupted
    assert [r.status for r in report.results][1:] == [Status.UNKNOWN, Status.UNKNOWN]
    assert all("interrupted" in r.weakest.summary for r in report.results[1:])


def test_skip_slow():
    report = run_claims([_claim("T-10", _ok, slow=True)], budget=10, skip_slow=True)
    assert report.results[0].status is Status.UNKNOWN
