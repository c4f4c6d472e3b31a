"""pytest plugin: a project's claims become pytest items, so CI gates with its own pytest run.

Enable with `pytest --mechproof` (or `mechproof = true` under [tool.pytest.ini_options]).
Which claims: `--mechproof-claims 'CMZ-*'` (repeatable), else `claims` of [tool.mechproof],
else every claim of the `--mechproof-module` files / `modules` of [tool.mechproof], else all.
A refuted claim fails with its witness; unknown fails too (skips with
`--mechproof-allow-unknown`); error fails.  `pytest --junitxml=…` gives JUnit XML for free.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from mechproof.mechanisms.errors import MechproofError, UsageError

from .config import MAX_BUDGET, load_config
from .domains import resolve_domains
from .registry import load_registry
from .runner import run_claims
from .verdicts import ClaimResult, Status, with_dependencies


def pytest_addoption(parser):
    group = parser.getgroup("mechproof", "mechproof proof gate")
    group.addoption("--mechproof", action="store_true", default=False,
                    help="collect mechproof claims as test items")
    group.addoption("--mechproof-claims", action="append", default=[], metavar="PATTERN",
                    help="claim ids or globs to collect (repeatable)")
    group.addoption("--mechproof-module", action="append", default=[], metavar="PATH",
                    help="a Python file declaring your own claims (repeatable)")
    group.addoption("--mechproof-budget", type=float, default=None, metavar="SECONDS",
                    help="wall-clock budget per claim part (default: [tool.mechproof] budget or 120)")
    group.addoption("--mechproof-allow-unknown", action="store_true", default=False,
                    help="skip (instead of fail) claims whose verdict is unknown")
    parser.addini("mechproof", type="bool", default=False, help="always collect mechproof claims")


def _enabled(config) -> bool:
    return bool(config.getoption("--mechproof") or config.getini("mechproof"))


class ClaimFailure(Exception):
    """A claim did not pass: refuted, unknown or error."""


class ClaimItem(pytest.Item):
    """One claim; all its parts are checked in forked processes under the budget."""

    def __init__(self, *, claim, budget, run, allow_unknown, expect_refuted, **kwargs):
        super().__init__(**kwargs)
        self.claim = claim
        self.budget = budget
        self.run = run
        self.allow_unknown = allow_unknown
        self.expect_refuted = expect_refuted
        self.result = None

    def runtest(self):
        self.result = r = self.run.result(self.claim)
        if self.claim.id in self.expect_refuted:
            if r.status is Status.REFUTED and all(p.verdict.passes or p.verdict.status is Status.REFUTED
                                                  for p in r.parts):
                return
            raise ClaimFailure(f"{self.claim.id} was expected to be refuted (a known finding) but is {r.status.value}")
        if r.status.passes:
            return
        if r.status is Status.UNKNOWN and self.allow_unknown:
            pytest.skip(f"{self.claim.id}: unknown — {r.weakest.summary}")
        raise ClaimFailure(self._describe())

    def _describe(self) -> str:
        r = self.result
        lines = [f"{r.claim_id}: {r.status.value} — {r.title}", f"  source: {r.source}"]
        if r.given:
            lines.append(f"  {r.conditional_text}")
        for p in r.parts:
            v = p.verdict
            lines.append(f"  {p.name} [{p.role.value}]: {v.status.value} ({v.method}; {v.domain}) — {v.summary}")
            if v.witness is not None:
                lines.append(f"    witness: {v.witness.describe()}")
                if v.witness.recheck:
                    lines.append(f"    re-checked: {v.witness.recheck}")
        return "\n".join(lines)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ClaimFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"mechproof claim {self.claim.id}"


def pytest_collection_modifyitems(session, config, items):
    if not _enabled(config):
        return
    try:
        cfg = load_config(Path(str(config.rootpath)))
        modules = list(cfg.modules) + [str(Path(m).resolve()) for m in config.getoption("--mechproof-module")]
        registry = load_registry(modules, isolate=True)
        config._mechproof_registry = registry
        patterns = config.getoption("--mechproof-claims") or list(cfg.claims)
        if patterns:
            claims = registry.select(patterns)
        elif modules:
            user = {cid for cid, origin in registry.origin if origin in set(modules)}
            claims = [c for c in registry.claims if c.id in user]
        else:
            claims = list(registry.claims)
        budget = config.getoption("--mechproof-budget")
        budget = cfg.budget if budget is None else budget
        if not math.isfinite(budget) or not 0 < budget <= MAX_BUDGET:
            raise UsageError(f"--mechproof-budget must be a number of seconds in (0, {MAX_BUDGET:g}], got {budget}")
        needed = registry.closure(claims)
        domains = resolve_domains(needed, cfg.bounds, known=registry.claims, quiet_keys=list(cfg.bounds),
                                  where=f"{cfg.path or 'pyproject.toml'} bounds")
    except MechproofError as exc:
        raise pytest.UsageError(f"mechproof: {exc}") from None
    allow_unknown = config.getoption("--mechproof-allow-unknown") or cfg.allow_unknown
    run = _SessionRun(registry, domains, budget)
    for claim in claims:
        items.append(ClaimItem.from_parent(session, name=claim.id, nodeid=f"mechproof::{claim.id}", claim=claim,
                                           budget=budget, run=run, allow_unknown=allow_unknown,
                                           expect_refuted=cfg.expect_refuted))


class _SessionRun:
    """Claims checked once per session; a claim's dependencies are checked before it (and reused)."""

    def __init__(self, registry, domains, budget: float) -> None:
        self.registry, self.domains, self.budget = registry, domains, budget
        self.results: dict[str, ClaimResult] = {}

    def result(self, claim) -> ClaimResult:
        missing = [c for c in self.registry.closure([claim]) if c.id not in self.results]
        if missing:
            report = run_claims(missing, budget=self.budget,
                                domains={k: v for k, v in self.domains.items() if k[0] in {c.id for c in missing}},
                                zygote=self.registry.zygote, isolated=self.registry.isolated)
            for r in report.results:
                self.results[r.claim_id] = r
        settled = {r.claim_id: r for r in with_dependencies(self.results.values())}
        return settled[claim.id]


def pytest_unconfigure(config):
    registry = getattr(config, "_mechproof_registry", None)
    if registry is not None:
        registry.close()
