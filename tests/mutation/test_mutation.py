"""The mutation suite: realistic bugs planted in the source, each run through the real CLI.

`pytest -m mutation tests/mutation -s` runs every mutant of tests/mutation/mutants.py and prints the
kill rate, at the gate level (a status or witness changed) and overall (gate or evidence), per kind and
per mutant (run by .ci/run); survivors must be explained in docs/mutation.md. The default suite runs
only the harness's own checks: every mutant applies exactly once and still parses, a mutant that
cannot be applied is refused, an obvious bug is killed, an edit that changes nothing survives, and the
two detection levels are told apart.
"""
from __future__ import annotations

import ast
import concurrent.futures

import pytest

from .harness import (CLAIM_ROW, ROOT, Mutant, _target_path, apply, baselines, detection, judge, killed, outcome,
                      split, stable)
from .mutants import MUTANTS

KINDS = {"wrong constant", "off-by-one", "tie rule", "missing term", "direction", "boundary", "certificate",
         "enclosure", "skipped case", "shrinker", "replay", "coverage"}

TARGET = 0.95


def test_every_mutant_applies_exactly_once_and_still_compiles():
    ids = [m.id for m in MUTANTS]
    assert len(ids) == len(set(ids)), "mutant ids must be unique"
    for m in MUTANTS:
        assert m.claims, f"{m.id}: name the claims that should notice"
        assert m.kind in KINDS, f"{m.id}: kind {m.kind!r} is not one of {sorted(KINDS)}"
        assert m.find != m.replace, f"{m.id}: the edit changes nothing"
        text = (ROOT / m.file).read_text(encoding="utf-8")
        assert text.count(m.find) == 1, f"{m.id}: {m.file} holds the text to mutate {text.count(m.find)} times"
        ast.parse(text.replace(m.find, m.replace), filename=m.file)      # a mutant is a bug, not a syntax error


def test_a_mutant_whose_text_is_missing_is_refused(tmp_path):
    from .harness import _copy_tree
    _copy_tree(tmp_path)
    ghost = Mutant("ghost", "mechanisms/cmz_mechanisms.py", "this text is nowhere", "x", ("CMZ-D",), "boundary")
    with pytest.raises(ValueError, match="0 times"):
        apply(ghost, tmp_path)
    assert (tmp_path / _target_path("mechanisms/cmz_mechanisms.py")).is_file()


def test_detection_levels_are_told_apart():
    part = ("p", "verified", None, (12, "holds in all 12 cases", (("cases", "12"),), ()))
    row = (CLAIM_ROW, "verified", None, None)
    base = {"X": [row, part]}
    assert detection(base, {"X": [row, part]}) == (None, "every part's verdict unchanged")
    assert detection(base, {"!": "exit 70: boom"})[0] == "gate"
    refuted_row = (CLAIM_ROW, "refuted", None, None)
    assert detection(base, {"X": [refuted_row, ("p", "refuted", {"b": "1"}, part[3])]})[0] == "gate"
    # a part changes but the claim does not (a cross-check beside a proof): seen in the table, not by the gate
    assert detection(base, {"X": [row, ("p", "unknown", None, part[3])]})[0] == "part"
    assert detection(base, {"X": [row, ("p", "verified", None, (11, "holds in all 11 cases", (), ()))]})[0] == "evidence"
    assert detection(base, {"X": []})[0] == "gate"
    witness = ("w", "refuted", {"b": "1"}, (3, "fails at b=1", (), ()))
    assert detection({"Y": [refuted_row, witness]}, {"Y": [refuted_row, ("w", "refuted", {"b": "2"}, witness[3])]})[0] \
        == "gate"
    # evidence that differs between two unmutated runs is never compared
    other = ("p", "verified", None, (12, "holds in all 12 cases (0.3 s)", (("cases", "12"),), ()))
    base = stable({"X": [part]}, {"X": [other]})
    assert base["X"][0][3] is None
    assert judge(base, {"X": [("p", "verified", None, (13, "anything", (), ()))]})[0] is None
    assert judge(base, {"X": [("p", "unknown", None, (13, "anything", (), ()))]})[0] == "part"
    # a union baseline: only the claims of the mutant's run are compared
    union = {"X": [part], "Y": [("q", "proved", None, (None, "ok", (), ()))]}
    assert judge(union, {"X": [part]})[0] is None
    assert judge(union, {"Z": [part]})[0] == "gate"
    assert split(("A", "--module", "m.py", "B", "--bound", "A.k=1")) == (("--module", "m.py", "--bound", "A.k=1"),
                                                                      ("A", "B"))


def test_the_harness_kills_a_bug_and_keeps_a_no_op():
    claims = ("CMZ-D",)
    base = outcome(claims)
    assert base["CMZ-D"] and all(p[1] == "proved" for p in base["CMZ-D"])
    bug = Mutant("harness-bug", "proofs/papers/cmz_closed_forms.py", "D_CLOSED_FORM = 4 * delta / (1 - delta) ** 2",
                 "D_CLOSED_FORM = 4 * delta / (1 - delta) ** 3", claims)
    assert killed(base, outcome(claims, bug))[0]
    no_op = Mutant("harness-no-op", "proofs/papers/cmz_closed_forms.py", "D_CLOSED_FORM = 4 * delta / (1 - delta) ** 2",
                   "D_CLOSED_FORM = 4 * delta / ((1 - delta) ** 2)", claims)
    assert not killed(base, outcome(claims, no_op))[0]


@pytest.mark.mutation
def test_mutation_kill_rate():
    base = baselines(MUTANTS)
    broken = {claims: b["!"] for claims, b in base.items() if "!" in b}
    assert not broken, f"the unmutated source fails: {broken}"
    results: list[tuple[Mutant, str | None, str]] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {pool.submit(outcome, m.claims, m): m for m in MUTANTS}
        for f in concurrent.futures.as_completed(futures):
            m = futures[f]
            level, how = judge(base[m.claims], f.result())
            results.append((m, level, how))
    results.sort(key=lambda r: r[0].id)
    total = len(results)
    counts = {level: sum(1 for _, lv, _ in results if lv == level) for level in ("gate", "part", "evidence")}
    survivors = [m for m, level, _ in results if level is None]
    rate = (total - len(survivors)) / total
    print(f"\nmutation suite: {total} mutants — {counts['gate']} killed by the gate (a claim's status or witness), "
          f"{counts['part']} by a part's status only, {counts['evidence']} by the evidence only, {len(survivors)} "
          f"survived: kill rate {rate:.1%} (gate {counts['gate'] / total:.1%})")
    by_kind: dict[str, list[int]] = {}
    for m, level, _ in results:
        by_kind.setdefault(m.kind, [0, 0, 0, 0])[("gate", "part", "evidence", None).index(level)] += 1
    for kind, (g, pt, e, alive) in sorted(by_kind.items()):
        print(f"  {kind}: {g} gate, {pt} part, {e} evidence, {alive} survived")
    for m, level, how in results:
        print(f"  {'SURVIVED' if level is None else 'killed  '} {m.id} ({level or '-'}): {how}")
    explained = (ROOT / "docs" / "mutation.md").read_text(encoding="utf-8")
    unexplained = [m.id for m in survivors if f"`{m.id}`" not in explained]
    assert not unexplained, f"survivors not explained in docs/mutation.md: {unexplained}"
    assert total >= 50, f"only {total} mutants (the suite needs ≥ 50)"
    assert rate >= TARGET, f"kill rate {rate:.1%} < {TARGET:.0%}"
