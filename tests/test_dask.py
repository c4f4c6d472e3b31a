"""A bounded check's shards on a Dask LocalCluster give the serial verdict, count and witness;
bad scheduler settings are one line and exit 64."""

import pytest

from mechproof import Status
from tests.test_shards import same        # the same comparison as for local shards

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    from mechproof.dask_executor import start_dask, stop_dask
    settings, proc = start_dask(None, 2)
    yield settings
    stop_dask(proc)


def run(part, claim_id, bounds, dask):
    """The part inline; with `dask`, assert that its shards really went to the cluster."""
    import os

    import mechproof.dask_executor as de
    from mechproof.runner import run_part_inline
    saved = os.environ.pop(de.ENV, None) if not dask else None
    calls = []
    original = de.scan_on_dask

    def counted(settings, ctx, shards):
        calls.append(shards)
        return original(settings, ctx, shards)
    de.scan_on_dask = counted
    try:
        v = run_part_inline(part, 120, domain=part.domain.resolve(bounds), claim_id=claim_id, uses=())
    finally:
        de.scan_on_dask = original
        if saved is not None:
            os.environ[de.ENV] = saved
    assert calls == ([2] if dask else [])
    return v


@pytest.mark.parametrize("claim_id", ["CMZ-T4", "CMZ-SP-AT"])
def test_dask_shards_equal_the_serial_run(cluster, claim_id):
    from mechproof.registry import builtin_claims
    claim = next(c for c in builtin_claims() if c.id == claim_id)
    part = next(p for p in claim.parts if p.check.scan_shard is not None and p.name in ("welfare bound", "UDed ⊆ K"))
    bounds = {"n": "2,3", "B": "6", "delta": "1/4,1/2"} if claim_id == "CMZ-T4" else {"n": "2,3", "B": "8"}
    serial, on_dask = run(part, claim_id, bounds, False), run(part, claim_id, bounds, True)
    same(serial, on_dask)
    assert serial.status is Status.VERIFIED and serial.cases > 100


def test_dask_refutes_a_planted_bug_like_the_serial_run(cluster, tmp_path, monkeypatch):
    """A user claim (rebuilt on the workers from its module file) with a wrong constant."""
    import json
    import os

    from mechproof.dask_executor import ENV
    from mechproof.registry import load_registry
    mod = tmp_path / "planted_t4.py"
    mod.write_text(
        "from fractions import Fraction\n"
        "from mechproof import Claim\n"
        "from mechproof.mechanisms.cmz_mechanisms import f_delta\n"
        "from mechproof.mechanisms.cmz_model import welfare_bound_f_delta\n"
        "from mechproof.papers.cmz_undominated import welfare_part\n"
        "PLANTED = Claim(id='MY-T4-HIGH', title='t', statement='s', source='test', parts=(welfare_part(\n"
        "    lambda n, B, d: f_delta(n, B, d), lambda d, n: welfare_bound_f_delta(d, n) * Fraction(101, 100),\n"
        "    'planted'),))\n")
    settings = json.loads(os.environ[ENV])
    monkeypatch.setenv(ENV, json.dumps(dict(settings, modules=[str(mod)])))
    claim = next(c for c in load_registry([str(mod)], builtin=False).claims if c.id == "MY-T4-HIGH")
    bounds = {"n": "2,3", "B": "6", "delta": "1/4,1/2"}
    serial, on_dask = run(claim.parts[0], claim.id, bounds, False), run(claim.parts[0], claim.id, bounds, True)
    same(serial, on_dask)
    assert serial.status is Status.REFUTED and serial.witness is not None


def test_dask_cli_errors_are_one_line(capsys):
    from mechproof.cli import main
    assert main(["check", "CMZ-T4", "--scheduler", "tcp://127.0.0.1:9"]) == 64
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--executor dask" in err[0]
    assert main(["check", "CMZ-T4", "--executor", "dask", "--scheduler", "127.0.0.1:9", "--no-progress"]) == 64
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Dask scheduler" in err[0]
