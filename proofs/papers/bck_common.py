"""Shared pieces of the BCK (paper 001) claim tables: the claimed factors, the hypotheses stated
with the verdicts, `RatioBound`, the one "achieved ≥ factor·benchmark" property, and
`pinned_values`, the cross-check that a model reproduces values computed by hand."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import sympy as sp

from mechproof import Evaluation, Schema, compare_exact, enumeration_check

__all__ = ["ONE_MINUS_INV_E", "tightness_not_established", "gamma", "RatioBound", "CONCAVE_U", "INTEGER_GRID", "TABLE_U", "pinned_values",
           "pinned_domain"]

ONE_MINUS_INV_E = 1 - sp.exp(-1)

CONCAVE_U = "U non-decreasing, concave, U(0) = 0 (BCK §2)"
INTEGER_GRID = ("integer supports stand for rational instances: scaling values by a common denominator d "
                "keeps U(t/d) concave, non-decreasing with U(0) = 0 (docs/bck.md)")
TABLE_U = ("U quantified as its table on the integer grid: every concave non-decreasing U restricts to one, "
           "and each table is a concave piecewise-linear U with at most N pieces")


def gamma(k) -> sp.Expr:
    """γ(k) = 1 − kᵏ/(k!·eᵏ) (BCK §1 and Table 1, footnote c)."""
    k = sp.sympify(k)
    return 1 - k ** k / (sp.factorial(k) * sp.exp(k))


def _exact(x: Any) -> Any:
    return sp.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else x


_BRACKETS: dict = {}


def rational_bracket(f: Any) -> tuple[Fraction, Fraction] | None:
    """Fractions lo < f < hi, 10⁻⁴⁰ apart, each side established by `compare_exact` (cached); None if
    not established.  Lets a Fraction ratio be compared with a closed-form factor in Fractions."""
    if isinstance(f, (int, Fraction)):
        return Fraction(f), Fraction(f)
    f = sp.sympify(f)
    if f.is_Rational:
        return Fraction(int(f.p), int(f.q)), Fraction(int(f.p), int(f.q))
    if f not in _BRACKETS:
        guess = Fraction(str(sp.N(f, 60)))           # a candidate only: both sides are certified below
        lo, hi = guess - Fraction(1, 10 ** 40), guess + Fraction(1, 10 ** 40)
        ok = compare_exact(lo, "<", f).holds is True and compare_exact(hi, ">", f).holds is True
        _BRACKETS[f] = (lo, hi) if ok else None
    return _BRACKETS[f]


def _ratio(a: Any, b: Any) -> Any:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a / b
    return _exact(a) / _exact(b)


class RatioBound:
    """The property achieved ≥ factor·benchmark at a point, for `enumeration_check`.

    `measure(point)` returns (achieved, benchmark) or (achieved, benchmark, extra observed values),
    exact (Fractions or sympy closed forms), by the fast route; `replay(point)`, the same pair by
    the plain definitions, re-checks a witness.  `factor` is a constant or a function of the point;
    a point-dependent factor is reported as the normalised ratio achieved/(factor·benchmark) ≥ 1.
    `undecided_below` (a note): a ratio under the factor is reported undecided, not refuted (for a
    check whose shortfall is not a counterexample to the claim).  Benchmarks must be positive.  An
    extra value "fails" (a feasibility or truthfulness condition that broke) makes the point fail.
    """

    def __init__(self, measure: Callable[[Mapping], tuple], factor: Any, *,
                 replay: Callable[[Mapping], tuple] | None = None, names: tuple[str, str] = ("achieved", "benchmark"),
                 undecided_below: str = ""):
        self.measure, self.factor, self.plain = measure, factor, replay or measure
        self.names, self.undecided_below = names, undecided_below
        self._last: tuple[int, Any] | None = None

    def _factor(self, point: Mapping) -> Any:
        return self.factor(point) if callable(self.factor) else self.factor

    def _evaluate(self, point: Mapping, measured: tuple) -> tuple[Evaluation, Any]:
        a, b, *rest = measured
        extra = dict(rest[0]) if rest else {}
        if not compare_exact(b, ">", 0).holds:
            return Evaluation.of(None, {self.names[1]: b}, "the benchmark is not positive"), None
        f = self._factor(point)
        ratio = _ratio(a, b)
        value = ratio if not callable(self.factor) else _ratio(ratio, f)
        observed = lambda: {self.names[0]: a, self.names[1]: b, "ratio": ratio, "claimed factor": f, **extra}
        if "fails" in extra:                       # a structural condition broke (an LP, truthfulness)
            return Evaluation.of(False, observed(), str(extra["fails"])), value
        bracket = rational_bracket(f) if isinstance(ratio, Fraction) else None
        if bracket is not None and ratio >= bracket[1]:
            return Evaluation(True), value          # ratio ≥ hi > f: no sympy arithmetic needed
        if bracket is not None and ratio < bracket[0]:
            return Evaluation.of(False, observed()), value
        return compare_exact(_exact(a), ">=", _exact(f) * _exact(b), observed()), value

    def holds(self, point: Mapping) -> Evaluation:
        ev, value = self._evaluate(point, self.measure(point))
        self._last = (id(point), value)
        if ev.holds is False and self.undecided_below:
            return Evaluation(None, ev.observed, self.undecided_below)
        return ev

    def value(self, point: Mapping) -> Any:
        if self._last is not None and self._last[0] == id(point):
            return self._last[1]
        return self._evaluate(point, self.measure(point))[1]

    def replay(self, point: Mapping) -> Evaluation:
        return self._evaluate(point, self.plain(point))[0]

    def check(self, points: Callable, *, what: str, violation: str = ""):
        """The enumeration check: every point, the worst ratio reported against the claimed factor."""
        constant = not callable(self.factor)
        target = self.factor if constant else 1
        claimed = sp.sstr(self.factor) if constant else "1 (ratio ÷ claimed factor)"
        return enumeration_check(
            points, self.holds, replay=self.replay, value=self.value, target=target,
            value_name="ratio" if constant else "ratio ÷ claimed factor",
            summary=f"{what} in all {{cases}} cases; {{tightness}}: worst {'ratio' if constant else 'ratio ÷ factor'} "
                    f"{{worst}} vs claimed {claimed} at {{at}}",
            violation=violation or f"{what} fails at {{point}}")


def pinned_domain(rows: Sequence[tuple[str, Callable[[], Any], Any]], what: str) -> Schema:
    """The domain of a `pinned_values` part: its hand-computed instances, counted."""
    return Schema(text=f"{len(rows)} instances computed by hand: {what}", cases=lambda d: len(rows))


def pinned_values(rows: Sequence[tuple[str, Callable[[], Any], Any]], *, what: str):
    """The enumeration check that a model reproduces hand-computed values: each row (label, compute,
    value by hand) holds iff compute() equals the value exactly.  A ratio check is blind to a model
    that errs in the safe direction (a lower benchmark, a kinder adversary); these pins are not."""
    table = {label: (compute, expected) for label, compute, expected in rows}

    def holds(point: Mapping) -> Evaluation:
        compute, expected = table[point["instance"]]
        got = compute()
        return compare_exact(got, "=", expected, {"computed": got, "by hand": expected})

    return enumeration_check(lambda d: ({"instance": label} for label in table), holds,
                             summary=f"{what}: all {{cases}} hand-computed values reproduced exactly",
                             violation=f"{what}: a hand-computed value is not reproduced at {{point}}")


def tightness_not_established(reason: str) -> "Part":
    """A bound claim whose worst case on the checked instances is slack and for which no family
    approaching the bound is known: stated as an unknown cross-check with the reason (never a pass)."""
    from mechproof import Method, Part, Role, not_checked
    return Part("tightness: not established", method=Method.NONE, role=Role.CROSS_CHECK,
                domain="whether any instance approaches the bound",
                check=not_checked("tightness not established: " + reason))
