"""The pen-testing environment of GH (paper 002), Definition 1.

Pens 0..n−1 hold hidden ink levels v_i; the residual ink u_i starts at v_i.  A
test (i, θ) with θ ≥ 0 succeeds iff u_i ≥ θ (then u_i ← u_i − θ) and otherwise
fails and empties the pen (u_i ← 0).  The algorithm sees only the binary
outcomes and finally selects a feasible set P, earning Σ_{i∈P} u_i.

Bad ink levels are a `UsageError`; an algorithm that tests with θ < 0, names a pen that does not
exist or selects an infeasible set misbehaves: `ModelError`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Sequence

from .errors import ModelError
from .exact import UsageError, as_rational
from .feasibility import Feasibility

__all__ = ["PenTest", "Pens"]


@dataclass(frozen=True)
class PenTest:
    """One test (i, θ) and its observed outcome."""

    pen: int
    theta: Fraction
    succeeded: bool


@dataclass
class Pens:
    """Pens with hidden ink (Definition 1).  Mutable: tests spend ink.

    Only `test`, `select` and the public log are meant for an algorithm; the
    hidden levels are read by checks through `residual` after the run.
    """

    ink: Sequence[Fraction]
    constraint: Feasibility
    log: list[PenTest] = field(default_factory=list)

    def __post_init__(self) -> None:
        levels = [as_rational(v, f"ink[{i}]") for i, v in enumerate(self.ink)]
        for i, v in enumerate(levels):
            if v < 0:
                raise UsageError(f"ink[{i}] = {v} is negative")
        if len(levels) != self.constraint.n:
            raise UsageError(f"{len(levels)} pens but the constraint is on {self.constraint.n}")
        self.ink = tuple(levels)
        self._residual = list(levels)

    @property
    def n(self) -> int:
        return len(self.ink)

    def test(self, pen: int, theta: object) -> bool:
        """Write with `pen` for time θ: success iff residual ≥ θ (ink spent), else the pen is emptied."""
        th = as_rational(theta, "θ")
        if th < 0:
            raise ModelError(f"θ = {th} is negative")
        if isinstance(pen, bool) or not isinstance(pen, int) or not 0 <= pen < self.n:
            raise ModelError(f"pen {pen!r} is not in 0..{self.n - 1}")
        ok = self._residual[pen] >= th
        self._residual[pen] = self._residual[pen] - th if ok else Fraction(0)
        self.log.append(PenTest(pen, th, ok))
        return ok

    def select(self, chosen: Iterable[int]) -> Fraction:
        """Output a feasible set; returns the total residual ink in it (the algorithm's payoff)."""
        s = frozenset(chosen)
        if any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < self.n for i in s):
            raise ModelError(f"selected set {sorted(s, key=repr)} names pens outside 0..{self.n - 1}")
        if not self.constraint.is_feasible(s):
            raise ModelError(f"selected set {sorted(s)} is not feasible")
        return sum((self._residual[i] for i in s), Fraction(0))

    def residual(self, pen: int) -> Fraction:
        """The hidden residual ink of a pen (for checks, not for algorithms)."""
        return self._residual[pen]
