"""The sympy half of `mechproof recheck` (proofs/recheck.py): proof steps re-decided by sympy alone.

An identity is re-proved when sympy reduces lhs − rhs to 0; a sign by a rigorous mpmath.iv enclosure (a
constant) or sympy's assumptions; a limit by sympy's `limit`; a chain step by re-reduction ('=') or,
for an inequality sympy cannot decide alone, by evaluation at sample points inside the ranges the
derivation declared ("spot-checked": evidence, not a proof).  Nothing of mechproof's derivation
engine is used.
"""
from __future__ import annotations

import random
from typing import Any

from .certificates import parse_srepr

__all__ = ["recheck_chain", "recheck_equal", "recheck_limit", "recheck_sign", "srepr_ranges"]

_SYM = {"=": "=", "<=": "≤", ">=": "≥"}


def srepr_ranges(raw: list) -> list[tuple[Any, Any, Any]]:
    return [(parse_srepr(s), parse_srepr(lo) if lo else None, parse_srepr(hi) if hi else None) for s, lo, hi in raw]


def _zero(expr) -> bool:
    import sympy as sp
    for fn in (lambda e: e, sp.expand, sp.cancel, sp.simplify, lambda e: sp.simplify(e.doit())):
        try:
            if fn(expr) == 0:
                return True
        except Exception:
            continue
    return False


def _sample_points(exprs, ranges, count: int = 6, seed: int = 0) -> tuple[list[dict], bool]:
    """Points for the free symbols of `exprs`: inside the recorded ranges, else by each symbol's
    assumptions; also whether every symbol was drawn from a recorded range (then a violation there is a
    disagreement; otherwise only a hint)."""
    import sympy as sp
    free = set().union(*(sp.sympify(e).free_symbols for e in exprs))
    ranged = {s for s, _, _ in ranges}
    rng = random.Random(seed)
    points = []
    for _ in range(count):
        point: dict = {}
        for s in sorted(free - ranged, key=str):       # unranged symbols first: ranges may depend on them
            point[s] = _by_assumptions(s, rng)
        pending = list(ranges)
        for _pass in range(len(ranges) + 1):            # a range whose bounds are known yet, in turn
            later = []
            for s, lo, hi in pending:
                lo_v = sp.sympify(lo).subs(point) if lo is not None else None
                hi_v = sp.sympify(hi).subs(point) if hi is not None else None
                if (lo_v is not None and not lo_v.is_number) or (hi_v is not None and not hi_v.is_number):
                    later.append((s, lo, hi))
                    continue
                a = lo_v if lo_v is not None else (hi_v - 4 if hi_v is not None and hi_v.is_finite else sp.Integer(-2))
                b = hi_v if hi_v is not None and hi_v.is_finite else a + 5
                if s.is_integer:
                    a_i, b_i = int(sp.ceiling(a)), int(sp.floor(b))
                    if a_i <= b_i:
                        point[s] = sp.Integer(rng.randint(a_i, min(b_i, a_i + 6)))
                else:
                    point[s] = a + (b - a) * sp.Rational(rng.randint(1, 99), 100)
            pending = later
            if not pending:
                break
        for s in sorted(free - set(point), key=str):   # a range that never resolved: by assumptions
            point[s] = _by_assumptions(s, rng)
        points.append(point)
    return points, free <= ranged


def _by_assumptions(s, rng):
    import sympy as sp
    if s.is_integer:
        lo_i = 1 if s.is_positive else (0 if s.is_nonnegative else -3)
        return sp.Integer(rng.randint(lo_i, lo_i + 5))
    if s.is_positive or s.is_nonnegative:
        return sp.Rational(rng.randint(1, 400), 100)
    return sp.Rational(rng.randint(-300, 300), 100)


def _value(expr, point, digits: int = 30):
    import sympy as sp
    v = sp.sympify(expr).subs(point)
    if v.has(sp.Integral, sp.Sum) or v.free_symbols:
        v = v.doit()
    if v.free_symbols or v.has(sp.zoo, sp.nan) or any(isinstance(a, sp.core.function.AppliedUndef)
                                                       for a in sp.preorder_traversal(v)):
        return None
    n = sp.N(v, digits)
    return n if n.is_real else None


def _spot(lhs, rhs, relation: str, ranges) -> tuple[str, str]:
    """lhs REL rhs at sample points: 'spot-checked', 'disagrees' (violated inside the ranges) or 'unconfirmed'."""
    points, inside = _sample_points((lhs, rhs), ranges)
    tested = 0
    for point in points:
        a, b = _value(lhs, point), _value(rhs, point)
        if a is None or b is None:
            continue
        tested += 1
        tol = 1e-20 * (1 + abs(a) + abs(b))
        bad = {"=": abs(a - b) > tol, "<=": a - b > tol, ">=": b - a > tol}[relation]
        if bad:
            where = ", ".join(f"{k}={v}" for k, v in point.items())
            if inside:
                return "disagrees", f"fails at {where} ({sym(relation)} violated: {a} vs {b})"
            return "unconfirmed", f"fails at {where}, a point outside any recorded range ({a} vs {b})"
    if tested == 0:
        return "unconfirmed", "no sample point could be evaluated"
    return "spot-checked", ""


def sym(relation: str) -> str:
    return _SYM.get(relation, relation)


def recheck_equal(lhs, rhs, recorded_true: bool) -> tuple[str, str]:
    if _zero(lhs - rhs):
        return ("re-proved", "") if recorded_true else ("disagrees", "sympy proves lhs = rhs, recorded false")
    if not recorded_true:
        return "unconfirmed", "a step recorded false is re-checked through the witness"
    outcome, why = _spot(lhs, rhs, "=", [])
    if outcome == "unconfirmed" and why.startswith("fails"):
        # an identity sympy cannot reduce and that fails at every sample: the certificate is wrong
        points, _ = _sample_points((lhs, rhs), [], count=3, seed=1)
        vals = [(_value(lhs, p), _value(rhs, p)) for p in points]
        if vals and all(a is not None and b is not None and abs(a - b) > 1e-15 * (1 + abs(a)) for a, b in vals):
            return "disagrees", f"lhs − rhs does not simplify to 0 and is non-zero at 3 sample points ({why})"
    return ("spot-checked", "") if outcome == "spot-checked" else (outcome, why)


_SIGN = {">0": lambda v: v > 0, ">=0": lambda v: v >= 0, "<0": lambda v: v < 0, "<=0": lambda v: v <= 0}


def recheck_sign(expr, sign: str, ranges, recorded_true: bool) -> tuple[str, str]:
    import sympy as sp
    if sign not in _SIGN:
        return "disagrees", f"unknown sign {sign!r}"
    if not expr.free_symbols:
        x = enclose_constant(expr)
        if x is not None and (x.a > 0 or x.b < 0):       # a rigorous enclosure away from 0 decides it
            holds = _SIGN[sign](1 if x.a > 0 else -1)
        elif _zero(expr):
            holds = _SIGN[sign](0)
        else:                                            # a function the enclosure does not know: sampled
            v = sp.N(expr, 50)
            if x is None and v.is_real and abs(v) > sp.Float(10) ** -40:
                ok = _SIGN[sign](v) == recorded_true
                return ("spot-checked", "") if ok else ("disagrees", f"the constant is {sp.N(v, 12)} (50 digits)")
            return "unconfirmed", "no enclosure of the constant away from 0 (mpmath.iv, 400 bits)"
        return ("re-proved", "") if holds == recorded_true else ("disagrees", f"the constant lies in {x}")
    if recorded_true:
        ask = {">0": "is_positive", ">=0": "is_nonnegative", "<0": "is_negative", "<=0": "is_nonpositive"}[sign]
        for form in (expr, sp.expand(expr), sp.factor(expr)):
            if getattr(form, ask) is True:          # sympy's assumptions alone (no ranges) decide it
                return "re-proved", ""
    rel = {">0": ">=", ">=0": ">=", "<0": "<=", "<=0": "<="}[sign]
    outcome, why = _spot(expr, sp.Integer(0), rel, ranges)
    if not recorded_true:
        return "unconfirmed", "a step recorded false is re-checked through the witness"
    return outcome, why


def enclose_constant(expr, prec: int = 400):
    """A rigorous mpmath.iv enclosure of a closed-form constant (rationals, +, ·, integer and rational
    powers, exp, log, sqrt, E, π, Euler's γ bounded by [0.5772156649, 0.5772156650]); None when the
    expression holds anything else.  Written here, apart from mechproof's own interval code."""
    import mpmath
    import sympy as sp
    iv = mpmath.iv
    saved, iv.prec = iv.prec, prec
    try:
        def ev(e):
            if e.is_Integer:
                return iv.mpf(int(e))
            if e.is_Rational:
                return iv.mpf(int(e.p)) / iv.mpf(int(e.q))
            if e is sp.E:
                return iv.e
            if e is sp.pi:
                return iv.pi
            if e is sp.EulerGamma:
                return iv.mpf(["0.5772156649", "0.5772156650"])
            if isinstance(e, sp.Add):
                out = iv.mpf(0)
                for a in e.args:
                    out = out + ev(a)
                return out
            if isinstance(e, sp.Mul):
                out = iv.mpf(1)
                for a in e.args:
                    out = out * ev(a)
                return out
            if isinstance(e, sp.Pow):
                base, k = ev(e.base), e.exp
                if k.is_Integer:
                    return base ** int(k)
                return iv.exp(ev(k) * iv.log(base)) if base.a > 0 else None
            if isinstance(e, sp.exp):
                return iv.exp(ev(e.args[0]))
            if isinstance(e, sp.log) and len(e.args) == 1:
                a = ev(e.args[0])
                return iv.log(a) if a.a > 0 else None
            raise ValueError(type(e).__name__)
        try:
            return ev(sp.sympify(expr))
        except (ValueError, TypeError, ZeroDivisionError, AttributeError):
            return None
    finally:
        iv.prec = saved


def recheck_limit(it: dict, seconds: float) -> tuple[str, str]:
    import sympy as sp
    expr, var, to, value = (parse_srepr(it[k]) for k in ("expr", "var", "to", "value"))
    try:
        got = sp.limit(expr, var, to)
    except Exception as exc:
        return "unconfirmed", f"sympy's limit raised {type(exc).__name__}"
    if got.has(sp.Limit) or got.has(sp.AccumBounds):
        return "unconfirmed", "sympy does not find the limit"
    same = _zero(got - value)
    if same == (it.get("ok") == "True"):
        return "re-proved", ""
    return "disagrees", f"sympy's limit is {got}, recorded {value} ({it.get('ok')})"


def recheck_chain(it: dict) -> tuple[str, str]:
    """start = e1 ≤ e2 …: each '=' step re-proved or spot-checked, each inequality spot-checked in the
    recorded ranges, and the relations chain to the recorded one."""
    import sympy as sp
    from sympy.core.function import AppliedUndef
    ranges = srepr_ranges(it.get("ranges", []))
    cur = parse_srepr(it["start"])
    worst, why_worst, chained = "re-proved", "", "="
    rank = {"re-proved": 0, "spot-checked": 1, "unconfirmed": 2, "disagrees": 3}
    for i, step in enumerate(it["steps"], 1):
        nxt = parse_srepr(step["expr"])
        rel = step["relation"]
        if rel not in ("=", "<=", ">="):
            return "disagrees", f"step {i}: relation {rel!r}"
        if rel == "=" and _zero(cur - nxt):
            outcome, why = "re-proved", ""
        elif any(isinstance(a, AppliedUndef) for e in (cur, nxt) for a in sp.preorder_traversal(e)):
            outcome, why = "unconfirmed", "an unknown function (a hypothesis of the rule) cannot be sampled"
        else:
            outcome, why = _spot(cur, nxt, rel, ranges)
        if rank[outcome] > rank[worst]:
            worst, why_worst = outcome, f"step {i} ({step.get('rule', '?')}): {why}"
        if chained == "=":
            chained = rel
        elif rel not in ("=", chained):
            return "disagrees", f"step {i}: {sym(chained)} then {sym(rel)} do not chain"
        cur = nxt
    if it.get("relation") not in (chained, None) and not (chained == "=" and it.get("relation") == "="):
        return "disagrees", f"the steps chain to {sym(chained)}, the certificate says {sym(it.get('relation'))}"
    return worst, why_worst


