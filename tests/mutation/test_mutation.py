"""The mutation suite: realistic bugs planted in the source, each run through the real CLI.

`pytest -m mutation tests/mutation -s` runs every mutant of tests/mutation/mutants.py and prints the
kill rate (run by .ci/run); survivors must be explained in docs/mutation.md. The default suite runs
only the harness's own checks: a mutant that cannot be applied is refused, an obvious bug is killed,
an edit that changes nothing survives.
"""
from __future__ import annotations

import concurrent.futures
from pathlib import Path

import pytest

from .harness import ROOT, Mutant, apply, killed, outcome
from .mutants import MUTANTS

TARGET = 0.95


def test_every_mutant_applies_exactly_once(tmp_path):
    from .harness import _copy_tree
    _copy_tree(tmp_path)
    ids = [m.id for m in MUTANTS]
    assert len(ids) == len(set(ids)), "mutant ids must be unique"
    for m in MUTANTS:
        assert m.claims, f"{m.id}: name the claims that should notice"
        apply(m, tmp_path)          # raises if the text to mutate is missing or ambiguous


def test_the_harness_kills_a_bug_and_keeps_a_no_op():
    claims = ("CMZ-D",)
    base = outcome(claims)
    assert base["CMZ-D"] and all(status == "proved" for _, status, _ in base["CMZ-D"])
    bug = Mutant("harness-bug", "proofs/papers/cmz_closed_forms.py", "D_CLOSED_FORM = 4 * delta / (1 - delta) ** 2",
                 "D_CLOSED_FORM = 4 * delta / (1 - delta) ** 3", claims)
    assert killed(base, outcome(claims, bug))[0]
    no_op = Mutant("harness-no-op", "proofs/papers/cmz_closed_forms.py", "D_CLOSED_FORM = 4 * delta / (1 - delta) ** 2",
                   "D_CLOSED_FORM = 4 * delta / ((1 - delta) ** 2)", claims)
    assert not killed(base, outcome(claims, no_op))[0]


@pytest.mark.mutation
def test_mutation_kill_rate():
    groups: dict[tuple[str, ...], list[Mutant]] = {}
    for m in MUTANTS:
        groups.setdefault(m.claims, []).append(m)
    baselines = {claims: outcome(claims) for claims in groups}
    results: list[tuple[Mutant, bool, str]] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {pool.submit(outcome, m.claims, m): m for m in MUTANTS}
        for f in concurrent.futures.as_completed(futures):
            m = futures[f]
            k, how = killed(baselines[m.claims], f.result())
            results.append((m, k, how))
    results.sort(key=lambda r: r[0].id)
    survivors = [m for m, k, _ in results if not k]
    rate = 1 - len(survivors) / len(results)
    print(f"\nmutation suite: {len(results)} mutants, {len(results) - len(survivors)} killed, "
          f"{len(survivors)} survived — kill rate {rate:.1%}")
    by_kind: dict[str, list[int]] = {}
    for m, k, _ in results:
        by_kind.setdefault(m.kind or "other", [0, 0])[0 if k else 1] += 1
    for kind, (dead, alive) in sorted(by_kind.items()):
        print(f"  {kind}: {dead} killed, {alive} survived")
    for m, k, how in results:
        print(f"  {'killed  ' if k else 'SURVIVED'} {m.id}: {how}")
    explained = (ROOT / "docs" / "mutation.md").read_text(encoding="utf-8")
    unexplained = [m.id for m in survivors if f"`{m.id}`" not in explained]
    assert not unexplained, f"survivors not explained in docs/mutation.md: {unexplained}"
    assert len(results) >= 50 and rate >= TARGET
