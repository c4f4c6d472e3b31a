"""Tightness of CMZ's bound claims on the grid {0..B}, by plain Fraction evaluation (CMZ-T1, T3, T5).

* CMZ-T3/T5's hard family.  With r = (1−δ)/(1+δ) = a/b in lowest terms and every j ≥ 1 with
  b | a·j + 1 (j ≡ −a⁻¹ mod b), m := (a·j + 1)/b: K_hi = [a·j, b·j] = int_δ((a+b)j/2) and
  K_lo = [a·m, b·m] = int_δ((a+b)m/2) share the two points a·j, a·j + 1 = b·m.  On the grid B = b·j
  its ratio min K_lo / max K_hi is a·m/(b·j) = r² + r/B (proved in proofs/papers/cmz_tightness.py).
* CMZ-T1's chain: c(δ) = ⌈(1−δ)/δ⌉ is the least a with [a, a+2] a δ-interval; for B ≥ c + 2 the
  paper's argument on the grid gives ε*(B) = 1/n + (1 − 1/n)·c/B.

Each row is checked against the engines the claims use (`hard_instance`, `t1_proof_bound`).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import ceil
from typing import Callable, Iterator, Sequence

from .cmz_model import ApproxValuation, is_delta_interval
from .cmz_tables import HardInstance, common_points, hard_instance

__all__ = ["reduced_ratio", "family_js", "family_instance", "family_ratio", "HardFamilyRows", "t1_chain_start",
           "T1FamilyRows"]


def reduced_ratio(delta: Fraction) -> tuple[int, int]:
    """(a, b) with a/b = (1−δ)/(1+δ) in lowest terms."""
    r = (1 - delta) / (1 + delta)
    return r.numerator, r.denominator


def family_js(delta: Fraction, B_max: int) -> list[int]:
    """Every j ≥ 1 with b | a·j + 1 and b·j ≤ B_max, smallest first."""
    a, b = reduced_ratio(delta)
    j0 = (-pow(a, -1, b)) % b or b
    return list(range(j0, B_max // b + 1, b))


def family_instance(delta: Fraction, j: int) -> HardInstance:
    """The family's instance for j (B = b·j): K_hi = [a·j, b·j], K_lo = [a·m, b·m], m = (a·j + 1)/b."""
    a, b = reduced_ratio(delta)
    if (a * j + 1) % b:
        raise ValueError(f"j = {j} is not in the family of δ = {delta} (b ∤ a·j + 1)")
    m = (a * j + 1) // b
    return HardInstance(b * j, delta, ApproxValuation(a * j, b * j), ApproxValuation(a * m, b * m))


def family_ratio(delta: Fraction, B: int) -> Fraction:
    """The closed form r² + r/B of the family's ratio."""
    r = (1 - delta) / (1 + delta)
    return r * r + r / B


@lru_cache(maxsize=8192)
def _hard(B: int, delta: Fraction) -> HardInstance | None:
    return hard_instance(B, delta)


@lru_cache(maxsize=1024)
def _t1(B: int, delta: Fraction):
    from .cmz_all_mechanisms import t1_proof_bound
    ratio = (t1_proof_bound(2, B, delta)[0] - Fraction(1, 2)) * 2      # min K^L / max K^H
    _, lo, hi = t1_proof_bound(2, B, delta)
    return ratio, lo, hi


def _instance_is_valid(inst: HardInstance) -> bool:
    """Both intervals are δ-intervals inside {0..B} sharing ≥ 2 integer points (the UIL hypothesis)."""
    hi, lo, d = inst.high, inst.low, inst.delta
    return (is_delta_interval(hi.a, hi.b, d) and is_delta_interval(lo.a, lo.b, d) and hi.b <= inst.B
            and lo.b <= inst.B and common_points(hi, lo) >= 2)


@dataclass(frozen=True)
class HardFamilyRows:
    """Per (δ, B): H(B), the least hard-instance ratio on {0..B} (the exact bound the argument gives),
    against the claimed bounded bound r² + slack(B) and the continuum bound r²; where B = b·j is in the
    family, the family instance (plain definitions) has ratio r² + r/B and H(B) ≤ it.
    `probabilistic`: the bound for n players is 1/n + (1 − 1/n)·ratio (CMZ-T5).  `continuum(δ, n)`
    replaces the claimed bound (planted bugs)."""

    probabilistic: bool = False
    slack: Callable[[int], Fraction] = lambda B: Fraction(4, B)
    continuum: Callable[[Fraction, int], Fraction] | None = None

    def _lift(self, ratio: Fraction, n: int) -> Fraction:
        return Fraction(1, n) + (1 - Fraction(1, n)) * ratio if self.probabilistic else ratio

    def bound(self, d: Fraction, n: int) -> Fraction:
        if self.continuum is not None:
            return self.continuum(d, n)
        r = (1 - d) / (1 + d)
        return self._lift(r * r, n)

    def points(self, B_max: int, deltas: Sequence[Fraction], ns: Sequence[int] = (2,)) -> Iterator[dict]:
        for d in deltas:
            family = set(family_js(d, B_max))
            a, b = reduced_ratio(d)
            for n in (ns if self.probabilistic else (2,)):
                for B in range(1, B_max + 1):
                    yield {"delta": d, "B": B, **({"n": n} if self.probabilistic else {}),
                           "family j": B // b if B % b == 0 and B // b in family else None}

    def row(self, p: dict) -> dict | None:
        """H(B), the claimed values and the family's ratio at a point (None: no hard instance)."""
        d, B, n = p["delta"], p["B"], p.get("n", 2)
        inst = _hard(B, d)
        if inst is None:
            return None
        H = self._lift(inst.ratio, n)
        out = {"H(B)": H, "bound": self.bound(d, n), "bounded claim": self.bound(d, n) + self._lift_slack(B, n)}
        if p["family j"] is not None:
            fam = family_instance(d, p["family j"])
            out.update({"family K_hi": fam.high, "family K_lo": fam.low, "family ratio": self._lift(fam.ratio, n),
                        "closed form": self._lift(family_ratio(d, B), n), "family valid": _instance_is_valid(fam)})
        return out

    def _lift_slack(self, B: int, n: int) -> Fraction:
        return (1 - Fraction(1, n)) * self.slack(B) if self.probabilistic else self.slack(B)

    def violation(self, p: dict) -> dict | str | None:
        """H(B) ≤ the bounded claim; H(B) ≥ the continuum bound (the guarantee CMZ-T2/T4 attains is
        never above what the hard instance allows); on family grids the instance is valid, its ratio
        is the closed form, and H(B) ≤ it."""
        row = self.row(p)
        if row is None:
            return None if self.bound(p["delta"], p.get("n", 2)) <= 1 else "no hard instance and a bound above 1"
        if row["H(B)"] > row["bounded claim"]:
            return {"why": "H(B) above the bounded claim", **row}
        if row["H(B)"] < row["bound"]:
            return {"why": "H(B) below the claimed bound: the bound would not be the optimum", **row}
        if "family ratio" in row:
            if not row["family valid"] or row["family ratio"] != row["closed form"] or row["H(B)"] > row["family ratio"]:
                return {"why": "the family instance is invalid or its ratio is not r² + r/B", **row}
        return None

    def gap(self, p: dict) -> Fraction | None:
        """H(B) − the claimed bound (≥ 0; 0 would be attained on the grid)."""
        row = self.row(p)
        return None if row is None else row["H(B)"] - row["bound"]

    def table(self, B_max: int, deltas: Sequence[Fraction], ns: Sequence[int] = (2,)) -> str:
        """Per δ (and n): H(B) − bound at every family grid and at B_max, as text."""
        lines = []
        for d in deltas:
            a, b = reduced_ratio(d)
            for n in (ns if self.probabilistic else (2,)):
                Bs = [b * j for j in family_js(d, B_max)][:4] + [B_max]
                cells = []
                for B in dict.fromkeys(Bs):
                    row = self.row({"delta": d, "B": B, "n": n, "family j": None})
                    if row is not None:
                        cells.append(f"B={B}: H−bound={row['H(B)'] - row['bound']}")
                lines.append(f"δ={d}" + (f", n={n}" if self.probabilistic else "") + f" (r = {a}/{b}, family "
                             f"B = {b}·j, j ≡ {family_js(d, b * b)[0]} mod {b}): " + "; ".join(cells) + " — slack, → 0 as r/B")
        return "\n".join(lines)


def t1_chain_start(delta: Fraction) -> int:
    """c(δ) = ⌈(1−δ)/δ⌉: the least a ≥ 1 with [a, a + 2] a δ-interval."""
    return max(1, ceil((1 - delta) / delta))


@dataclass(frozen=True)
class T1FamilyRows:
    """CMZ-T1 per (n, δ, B): the paper's argument on the grid, ε*(B) (`t1_proof_bound`, equal to the
    exact LP optimum on the LP part's grids), against the claimed 1/n; for B ≥ c + 2 it is the closed
    form 1/n + (1 − 1/n)·c/B.  `claimed(n)` replaces 1/n (planted bugs)."""

    claimed: Callable[[int], Fraction] = lambda n: Fraction(1, n)

    def points(self, B_max: int, deltas: Sequence[Fraction], ns: Sequence[int]) -> Iterator[dict]:
        for n in ns:
            for d in deltas:
                for B in range(1, B_max + 1):
                    yield {"n": n, "delta": d, "B": B}

    def violation(self, p: dict) -> dict | None:
        n, d, B = p["n"], p["delta"], p["B"]
        ratio, lo, hi = _t1(B, d)
        eps = Fraction(1, n) + (1 - Fraction(1, n)) * ratio
        c = t1_chain_start(d)
        seen = {"ε*(B)": eps, "claimed": self.claimed(n), "K^L": lo, "K^H": hi}
        if eps < self.claimed(n):
            return {"why": "the grid optimum is below the claimed bound (random assignment attains 1/n)", **seen}
        if B >= c + 2:
            closed = Fraction(1, n) + (1 - Fraction(1, n)) * Fraction(c, B)
            if eps != closed:
                return {"why": "ε*(B) is not 1/n + (1 − 1/n)·c/B", "closed form": closed, **seen}
        return None

    def gap(self, p: dict) -> Fraction:
        n = p["n"]
        return Fraction(1, n) + (1 - Fraction(1, n)) * _t1(p["B"], p["delta"])[0] - self.claimed(n)
