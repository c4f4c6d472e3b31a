"""Named analytic rules of checked derivations: each checks that a step is an instance of a textbook
fact and proves the fact's side conditions (exponents > −1, a non-negative coefficient, a stated
monotonicity hypothesis) from the declared ranges.  Used through `symbolic/derivation.py`.

Trusted: the textbook statements (Euler's Beta integral, the binomial theorem, swapping a finite
sum and an integral, bounding a monotone integrand, equal derivatives and a boundary value, the
definition of the harmonic numbers).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .derivation import Hypothesis, NonIncreasing, StepCheck, _zero, prove_nonnegative, prove_positive

__all__ = ["BetaIntegral", "BinomialTail", "SumIntegralSwap", "MonotoneIntegrandBound", "EqualDerivatives",
           "HarmonicBlock"]


@dataclass(frozen=True)
class BetaIntegral:
    """∫_0^1 c·t^p (1−t)^q dt = c·Γ(p+1)Γ(q+1)/Γ(p+q+2), for p > −1 and q > −1 (Euler's Beta integral)."""

    name: str = "Beta integral"

    def check(self, old, new, facts) -> StepCheck:
        parsed = _beta_form(old)
        if parsed is None:
            return StepCheck(False, "=", "old is not ∫_0^1 c·t^p(1−t)^q dt")
        t, c, p, q = parsed
        inner = facts.with_range(t, 0, 1)
        side_p, side_q = prove_positive(p + 1, inner), prove_positive(q + 1, inner)
        if not (side_p and side_q):
            return StepCheck(None, "=", f"side conditions p = {p} > −1: {side_p}, q = {q} > −1: {side_q}")
        value = c * sp.gamma(p + 1) * sp.gamma(q + 1) / sp.gamma(p + q + 2)
        z = _zero(value - new)
        return StepCheck(z, "=", f"p = {p} > −1 and q = {q} > −1 proved; value {value}")


def _beta_form(expr):
    if not isinstance(expr, sp.Integral) or len(expr.limits) != 1 or len(expr.limits[0]) != 3:
        return None
    t, a, b = expr.limits[0]
    if a != 0 or b != 1:
        return None
    f = sp.powsimp(sp.expand_power_base(expr.function, force=False))
    c, p, q = sp.Integer(1), sp.Integer(0), sp.Integer(0)
    for factor in sp.Mul.make_args(f):
        base, ex = factor.as_base_exp()
        if base == t:
            p += ex
        elif _zero(base - (1 - t)):
            q += ex
        elif _zero(base - (t - 1)):
            return None
        elif factor.has(t):
            return None
        else:
            c *= factor
    return t, c, p, q


@dataclass(frozen=True)
class BinomialTail:
    """1 − Σ_{j<m} C(n,j) x^j (1−x)^(n−j) = Σ_{k=m}^{n} C(n,k) x^k (1−x)^(n−k) for integers n ≥ m−1 ≥ 0
    (the binomial theorem Σ_{k=0}^n C(n,k) x^k (1−x)^(n−k) = 1)."""

    x: sp.Symbol
    n: sp.Symbol
    m: int
    name: str = "binomial theorem (tail)"

    def check(self, old, new, facts) -> StepCheck:
        x, n, m = self.x, self.n, self.m
        head = 1 - sum(sp.binomial(n, j) * x**j * (1 - x) ** (n - j) for j in range(m))
        if not isinstance(new, sp.Sum) or len(new.limits) != 1:
            return StepCheck(False, "=", "new is not a single Sum")
        k, lo, hi = new.limits[0]
        shape = _zero(new.function - sp.binomial(n, k) * x**k * (1 - x) ** (n - k))
        if not (shape and lo == m and hi == n):
            return StepCheck(False, "=", f"new is not Σ_{{k={m}}}^{{n}} C(n,k) x^k (1−x)^(n−k)")
        side = n.is_integer and prove_nonnegative(n - (m - 1), facts)
        if not side:
            return StepCheck(None, "=", f"side condition n ≥ {m - 1} (integer) not proved")
        z = _zero(sp.expand(old - head))
        return StepCheck(z, "=", f"old ≡ 1 − (first {m} binomial terms); n ≥ {m - 1} integer proved")


@dataclass(frozen=True)
class SumIntegralSwap:
    """∫ c·Σ_{k=lo}^{hi} f dt = Σ_{k=lo}^{hi} ∫ c·f dt for a finite sum whose terms are integrable
    (integrability proved by the Beta shape t^p(1−t)^q with p, q > −1)."""

    name: str = "finite sum/integral swap"

    def check(self, old, new, facts) -> StepCheck:
        if not isinstance(old, sp.Integral) or not isinstance(new, sp.Sum):
            return StepCheck(False, "=", "old must be an Integral and new a Sum")
        sums = [s for s in sp.preorder_traversal(old.function) if isinstance(s, sp.Sum)]
        if len(sums) != 1:
            return StepCheck(None, "=", "the integrand must contain exactly one Sum")
        s = sums[0]
        (k, lo, hi), = s.limits
        if any(v.has(sp.oo) or v.has(-sp.oo) for v in (lo, hi)):
            return StepCheck(False, "=", "the sum is infinite: swapping needs a convergence argument")
        w = sp.Dummy("w")
        coeff = sp.simplify(old.function.subs(s, w) / w)
        if coeff.has(w) or coeff.has(k):
            return StepCheck(None, "=", "the integrand is not c·Σ with c free of the summation index")
        if new.limits != s.limits or not isinstance(new.function, sp.Integral) \
                or new.function.limits != old.limits:
            return StepCheck(False, "=", "new is not Σ ∫ with the same limits")
        if not _zero(new.function.function - coeff * s.function):
            return StepCheck(False, "=", "new's integrand is not c·(summand)")
        term = new.function
        parsed = _beta_form(term)
        inner = facts.with_range(k, lo, hi)
        if parsed is None:
            return StepCheck(None, "=", "term integrability not established (not of Beta shape)")
        t, _, p, q = parsed
        inner = inner.with_range(t, 0, 1)
        if not (prove_positive(p + 1, inner) and prove_positive(q + 1, inner)):
            return StepCheck(None, "=", f"term integrability: exponents p = {p}, q = {q} not proved > −1")
        return StepCheck(True, "=", f"finite sum k = {lo}..{hi}; each term integrable (p = {p}, q = {q} > −1)")


@dataclass(frozen=True)
class MonotoneIntegrandBound:
    """For non-increasing u and c ≥ 0 on [a, b] (a ≤ b):
    endpoint 'lower': ∫_a^b c(t)u(t)dt ≤ u(a)·∫_a^b c(t)dt;  'upper': ∫_a^b c(t)u(t)dt ≥ u(b)·∫_a^b c(t)dt."""

    func: sp.Function
    endpoint: str = "lower"
    name: str = "monotone integrand bound"

    def check(self, old, new, facts) -> StepCheck:
        rel = "<=" if self.endpoint == "lower" else ">="
        hyp = facts.has(NonIncreasing, func=self.func)
        if hyp is None:
            return StepCheck(None, rel, f"needs the hypothesis that {self.func} is non-increasing")
        if not isinstance(old, sp.Integral) or len(old.limits) != 1 or len(old.limits[0]) != 3:
            return StepCheck(False, rel, "old is not a definite integral")
        t, a, b = old.limits[0]
        apps = {e for e in sp.preorder_traversal(old.function) if isinstance(e, sp.core.function.AppliedUndef)
                and e.func == self.func}
        if apps != {self.func(t)}:
            return StepCheck(False, rel, f"the integrand must involve {self.func} only as {self.func}({t})")
        w = sp.Dummy("w")
        c = sp.simplify(old.function.subs(self.func(t), w) / w)
        if c.has(w):
            return StepCheck(None, rel, "the integrand is not linear in u(t)")
        inner = facts.with_range(t, a, b)
        if not prove_nonnegative(b - a, facts):
            return StepCheck(None, rel, f"side condition {a} ≤ {b} not proved")
        if not prove_nonnegative(c, inner):
            return StepCheck(None, rel, f"side condition c(t) = {c} ≥ 0 on [{a}, {b}] not proved")
        at = a if self.endpoint == "lower" else b
        expected = self.func(at) * sp.Integral(c, (t, a, b))
        z = _zero(expected - new) or _zero(expected.doit() - new.doit())
        return StepCheck(z, rel, f"{hyp.text}; c(t) = {c} ≥ 0 on [{a}, {b}]; u(t) replaced by u({at})")


@dataclass(frozen=True)
class EqualDerivatives:
    """F(x) = G(x) on [x0, x1] because d/dx(F − G) ≡ 0 (sympy, Leibniz rule for variable limits)
    and F − G → 0 as x → x0⁺ (argued by the stated `boundary` hypothesis, listed as used)."""

    var: sp.Symbol
    boundary: Hypothesis
    substitutions: tuple[tuple[sp.Expr, sp.Expr], ...] = ()   # definitions used after differentiating
    name: str = "equal derivatives and boundary value"

    def check(self, prev, nxt, facts):
        d = sp.diff(prev - nxt, self.var)
        for a, b in self.substitutions:
            d = d.subs(a, b)
        z = _zero(d)
        if self.boundary not in facts.hypotheses:
            return StepCheck(None, "=", f"boundary hypothesis not declared: {self.boundary.text}")
        return StepCheck(z, "=", f"d/d{self.var}(prev − next) ≡ 0: {z}; boundary: {self.boundary.text}")


@dataclass(frozen=True)
class HarmonicBlock:
    """H_(a+c) − H_a = Σ_(r=1..c) 1/(a + r) for integers a, c ≥ 0 (the definition of H_m), either way round:
    one side is harmonic(a + c) − harmonic(a), the other a sum over r = 1..c whose summand is 1/(a + r)."""

    name: str = "harmonic block (definition of H_m)"

    def check(self, prev, nxt, facts) -> StepCheck:
        summed, block = (prev, nxt) if isinstance(prev, sp.Sum) else (nxt, prev)
        if not isinstance(summed, sp.Sum) or len(summed.limits) != 1:
            return StepCheck(False, "=", "one side must be a single sum over r = 1..c")
        (r, lo, c), = summed.limits
        terms = sp.Add.make_args(sp.expand(block))
        plus = [t for t in terms if isinstance(t, sp.harmonic) and len(t.args) == 1]
        minus = [-t for t in terms if isinstance(-t, sp.harmonic) and len((-t).args) == 1]
        if len(plus) != 1 or len(minus) != 1 or len(terms) != 2 or lo != 1:
            return StepCheck(False, "=", "the other side must be harmonic(a + c) − harmonic(a), the sum from r = 1")
        top, a = plus[0].args[0], minus[0].args[0]
        if not _zero(top - a - c):
            return StepCheck(False, "=", f"harmonic({top}) − harmonic({a}) is not a block of {c} terms")
        if not _zero(summed.function - 1 / (a + r)):
            return StepCheck(False, "=", f"the summand {summed.function} is not 1/({a} + {r})")
        for side, what in ((a, "a"), (c, "c")):
            if not (sp.sympify(side).is_integer and prove_nonnegative(side, facts)):
                return StepCheck(None, "=", f"side condition: {what} = {side} is not proved a non-negative integer")
        return StepCheck(True, "=", f"H_({top}) − H_({a}) = Σ_(r=1..{c}) 1/({a} + r); {a}, {c} ≥ 0 integers")
