"""The result cache: unchanged work is skipped, a one-character change to a mechanism re-runs it,
only budget-independent verdicts are kept, and a damaged cache is never a pass."""
import json
import shutil
from pathlib import Path

import pytest

from mechproof.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "my_auctions.py"


@pytest.fixture
def module(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "my_auctions.py"
    shutil.copy(EXAMPLE, target)
    return target


def check(capsys, *argv):
    code = main(["check", *argv, "--no-progress", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    cached = {r["claim_id"]: all(p["verdict"]["cached"] for p in r["parts"]) for r in data["results"]}
    statuses = {r["claim_id"]: r["status"] for r in data["results"]}
    return code, cached, statuses


def test_unchanged_work_is_skipped_and_a_one_character_change_reruns_it(module, capsys):
    code, cached, first = check(capsys, "--module", str(module))
    assert code == 1 and not any(cached.values()) and len(first) == 10
    code, cached, again = check(capsys, "--module", str(module))
    assert code == 1 and all(cached.values()) and again == first           # the same verdicts, from the cache
    # one character of a mechanism: the reserve becomes 3
    text = module.read_text()
    assert text.count("b >= 2 else 0") == 1
    module.write_text(text.replace("b >= 2 else 0", "b >= 3 else 0"))
    code, cached, changed = check(capsys, "--module", str(module))
    assert not any(cached.values()) and changed == first                   # re-run (and still right)
    code, cached, _ = check(capsys, "--module", str(module), "--bound", "B=5")
    z3_claims = {"MY-VICKREY-DSIC-EVERYWHERE", "MY-SURCHARGE-DSIC-EVERYWHERE"}   # they read no B
    assert not any(v for k, v in cached.items() if k not in z3_claims)      # another domain, another key
    assert all(cached[k] for k in z3_claims)                               # their domain is unchanged
    code, cached, _ = check(capsys, "--module", str(module), "--no-cache")
    assert not any(cached.values())


def test_the_table_shows_hits_and_cache_clear_empties_it(module, capsys):
    assert main(["check", "--module", str(module), "--no-progress"]) == 1
    capsys.readouterr()
    assert main(["check", "--module", str(module), "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "cached" in out and "10 of 10 parts from the cache" in out
    assert main(["cache", "clear"]) == 0
    assert "removed 10 cached verdicts" in capsys.readouterr().out
    _, cached, _ = check(capsys, "--module", str(module))
    assert not any(cached.values())


def test_a_damaged_cache_entry_is_ignored_and_rerun(module, capsys):
    check(capsys, "--module", str(module))
    entries = sorted(Path(".mechproof/cache").glob("*.json"))
    assert len(entries) == 10
    for e in entries:
        e.write_text("{ not json")
    code, cached, statuses = check(capsys, "--module", str(module))
    assert code == 1 and not any(cached.values()) and list(statuses.values()).count("verified") == 5
    # a cached entry rewritten to claim an unknown is not taken either
    for e in sorted(Path(".mechproof/cache").glob("*.json")):
        data = json.loads(e.read_text())
        data["status"] = "unknown"
        e.write_text(json.dumps(data))
    _, cached, _ = check(capsys, "--module", str(module))
    assert not any(cached.values())


def test_unknown_and_error_are_never_cached(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    mod = tmp_path / "u.py"
    mod.write_text("from mechproof import Claim, Method, Part, unknown\n"
                   "U = Claim(id='U-UNK', title='t', statement='s', source='x', parts=(Part('p', method=Method.IDENTITY,"
                   " domain='d', check=lambda c: unknown(reason='why')),))\n")
    for _ in range(2):
        _, cached, statuses = check(capsys, "--module", str(mod))
        assert statuses == {"U-UNK": "unknown"} and cached == {"U-UNK": False}
    assert not list(Path(".mechproof/cache").glob("*.json"))


def test_hunt_uses_the_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["hunt", "second-price", "-p", "dsic", "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["hunt", "second-price", "-p", "dsic", "--no-progress"]) == 0
    assert "cached" in capsys.readouterr().out
