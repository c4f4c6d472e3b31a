"""z3 encodings of an UNKNOWN mechanism given by allocation/payment tables.

`MechanismTables` declares, for every strategy profile s of finite strategy
sets, real unknowns x_i(s) (win probability) and p_i(s) (expected payment), or
for a deterministic mechanism a Boolean "i wins at s" per player (at most one).
It builds, as z3 formulas, the dominance relation of one player w.r.t. an
integer value interval K = [a, b]:

    dom_K(better, worse)  ⇔  ∀τ, t ∈ {a, b}: u(t, better⊔τ) ≥ u(t, worse⊔τ)
                              ∧ ∃τ, t ∈ {a, b}: u(t, better⊔τ) > u(t, worse⊔τ)

(utility t·x − p is linear in t, so the endpoints are equivalent to all t ∈ K),
and "s is undominated w.r.t. K" as ¬∨_{s'≠s} dom_K(s', s), defined by Boolean
equivalences so that the encoding is exact in both directions.  Those
definitions are created lazily: assert `tables.definitions` AFTER building every
formula.  Nothing here knows a paper; `extract` turns a z3 model into plain
exact tables.
"""
from __future__ import annotations

import copy
from fractions import Fraction
from itertools import product
from typing import Any, Hashable, Mapping, Sequence

import z3

from .queries import z3_fraction

__all__ = ["MechanismTables", "rational"]

Profile = tuple[Hashable, ...]


def rational(value: Fraction | int) -> Any:
    """A z3 real numeral for an exact rational."""
    q = Fraction(value)
    return z3.RealVal(f"{q.numerator}/{q.denominator}")


def _connective(mk: Any, args: Sequence[Any], fallback: Any) -> Any:
    """z3.And / z3.Or of a list of Boolean terms, by z3's C API (the term z3.And(list) builds; the
    Python wrapper's coercions have nothing to do on Booleans).  Anything else goes to `fallback`."""
    if not args or not all(type(a) is z3.BoolRef for a in args):
        return fallback(list(args))
    ctx = args[0].ctx
    arr = (z3.Ast * len(args))(*(a.as_ast() for a in args))
    return z3.BoolRef(mk(ctx.ref(), len(args), arr), ctx)


def _and(args: Sequence[Any]) -> Any:
    return _connective(z3.Z3_mk_and, args, z3.And)


def _or(args: Sequence[Any]) -> Any:
    return _connective(z3.Z3_mk_or, args, z3.Or)


def _implies(a: Any, b: Any) -> Any:
    if type(a) is z3.BoolRef and type(b) is z3.BoolRef:
        return z3.BoolRef(z3.Z3_mk_implies(a.ctx.ref(), a.as_ast(), b.as_ast()), a.ctx)
    return z3.Implies(a, b)


class MechanismTables:
    """Unknown tables of a mechanism with the given strategy sets (one tuple per player)."""

    def __init__(self, strategies: Sequence[Sequence[Hashable]], deterministic: bool = False,
                 prefix: str = "m") -> None:
        self.strategies = tuple(tuple(s) for s in strategies)
        self.n = len(self.strategies)
        self.deterministic = deterministic
        self.prefix = prefix
        self.profiles: tuple[Profile, ...] = tuple(product(*self.strategies))
        self._index = {prof: k for k, prof in enumerate(self.profiles)}
        self.wins: dict[tuple[int, Profile], Any] = {}
        self.x: dict[tuple[int, Profile], Any] = {}
        self.p: dict[tuple[int, Profile], Any] = {}
        for prof in self.profiles:
            k = self._index[prof]
            for i in range(self.n):
                if deterministic:
                    w = z3.Bool(f"{prefix}_w{i}_{k}")
                    self.wins[(i, prof)] = w
                    self.x[(i, prof)] = z3.If(w, z3.RealVal(1), z3.RealVal(0))
                else:
                    self.x[(i, prof)] = z3.Real(f"{prefix}_x{i}_{k}")
                self.p[(i, prof)] = z3.Real(f"{prefix}_p{i}_{k}")
        self._dominance: dict[tuple, Any] = {}
        self._undominated: dict[tuple, Any] = {}
        self.definitions: list[Any] = []   # Boolean definitions; assert them with feasibility()
        self._built: dict[tuple, tuple[Any, Any]] = {}   # (kind, key) -> (Boolean, definition); shared by twins

    def twin(self) -> "MechanismTables":
        """The same unknowns with no definitions yet, for another query: formulas built before are
        reused (z3 terms are immutable), and each definition is appended in the order a fresh
        MechanismTables would append it, so the twin's query is the same formula, term for term."""
        other = copy.copy(self)
        other._dominance, other._undominated, other.definitions = {}, {}, []
        return other

    # --- the mechanism's own constraints ---------------------------------
    def feasibility(self) -> list[Any]:
        """0 ≤ x_i ≤ 1 and Σ_i x_i ≤ 1 at every profile (deterministic: at most one winner)."""
        cons = []
        for prof in self.profiles:
            if self.deterministic:     # at most one winner, pairwise (portable SMT-LIB: cvc5 reads it)
                ws = [self.wins[(i, prof)] for i in range(self.n)]
                cons.extend(z3.Not(z3.And(ws[i], ws[j])) for i in range(self.n) for j in range(i + 1, self.n))
            else:
                xs = [self.x[(i, prof)] for i in range(self.n)]
                cons.extend(x >= 0 for x in xs)
                cons.append(z3.Sum(xs) <= 1 if len(xs) > 1 else xs[0] <= 1)
        return cons

    # --- utilities and dominance ------------------------------------------
    def opponent_profiles(self, i: int) -> list[Profile]:
        return list(product(*(s for j, s in enumerate(self.strategies) if j != i)))

    @staticmethod
    def join(i: int, s: Hashable, tau: Sequence[Hashable]) -> Profile:
        return tuple(tau[:i]) + (s,) + tuple(tau[i:])

    def utility(self, i: int, t: Fraction | int, prof: Profile) -> Any:
        return rational(t) * self.x[(i, prof)] - self.p[(i, prof)]

    def dominates(self, i: int, K: tuple[int, int], better: Hashable, worse: Hashable) -> Any:
        """A Boolean: `better` dominates `worse` for player i w.r.t. K = (a, b)."""
        key = (i, K, better, worse)
        if key in self._dominance:
            return self._dominance[key]
        built = self._built.get(("dom",) + key)
        if built is None:
            a, b = K
            points = (a,) if a == b else (a, b)
            weak, strict = [], []
            for tau in self.opponent_profiles(i):
                for t in points:
                    w, st = self._comparison(i, better, worse, tau, t)
                    weak.append(w)
                    strict.append(st)
            var = z3.Bool(f"{self.prefix}_dom{i}_{a}_{b}_{self._label(i, better)}_{self._label(i, worse)}")
            built = self._built[("dom",) + key] = (var, var == _and([_and(weak), _or(strict)]))
        var, definition = built
        self.definitions.append(definition)
        self._dominance[key] = var
        return var

    def _comparison(self, i: int, better: Hashable, worse: Hashable, tau: Profile, t: int) -> tuple[Any, Any]:
        """(u_i(t, better⊔τ) − u_i(t, worse⊔τ) ≥ 0, … > 0): shared by every interval with endpoint t."""
        key = ("cmp", i, better, worse, tau, t)
        atoms = self._built.get(key)
        if atoms is None:
            pb, pw = self.join(i, better, tau), self.join(i, worse, tau)
            dx = self.x[(i, pb)] - self.x[(i, pw)]
            dp = self.p[(i, pb)] - self.p[(i, pw)]
            diff = rational(t) * dx - dp
            atoms = self._built[key] = (diff >= 0, diff > 0)
        return atoms

    def dominated(self, i: int, K: tuple[int, int], s: Hashable) -> Any:
        """A Boolean: some other strategy dominates s w.r.t. K."""
        others = [self.dominates(i, K, s2, s) for s2 in self.strategies[i] if s2 != s]
        return _or(others) if others else z3.BoolVal(False)

    def undominated(self, i: int, K: tuple[int, int], s: Hashable) -> Any:
        """A Boolean defined ⇔ s ∈ UDed_i(K)."""
        key = (i, K, s)
        if key not in self._undominated:
            built = self._built.get(("und",) + key)
            var = z3.Bool(f"{self.prefix}_und{i}_{K[0]}_{K[1]}_{self._label(i, s)}") if built is None else built[0]
            dominated = self.dominated(i, K, s)      # appends the dominance definitions it uses
            if built is None:
                built = self._built[("und",) + key] = (var, var == z3.Not(dominated))
            var, definition = built
            self.definitions.append(definition)
            self._undominated[key] = var
        return self._undominated[key]

    def _label(self, i: int, s: Hashable) -> int:
        return self.strategies[i].index(s)

    # --- reading a model back --------------------------------------------
    def extract(self, model: Any) -> tuple[dict[Profile, tuple[Fraction, ...]], dict[Profile, tuple[Fraction, ...]]]:
        """Exact allocation and payment tables of a z3 model (unconstrained entries read as 0)."""
        alloc, pay = {}, {}
        for prof in self.profiles:
            alloc[prof] = tuple(z3_fraction(model.eval(self.x[(i, prof)], model_completion=True))
                                for i in range(self.n))
            pay[prof] = tuple(z3_fraction(model.eval(self.p[(i, prof)], model_completion=True))
                              for i in range(self.n))
        return alloc, pay


# --- queries over all mechanisms ------------------------------------------------
def every_strategy_dominated(tables: MechanismTables, player: int,
                             intervals: Sequence[tuple[int, int]]) -> list[Any]:
    """Constraints: each strategy of `player` is dominated w.r.t. at least one of `intervals`
    (for two intervals K, K': UDed(K) ∩ UDed(K') = ∅, the negation of CMZ-UIL's conclusion)."""
    return [_or([tables.dominated(player, K, s) for K in intervals]) for s in tables.strategies[player]]


def guarantee_constraints(tables: MechanismTables, interval_profiles: Sequence[Sequence[tuple[int, int]]],
                          test_points: Mapping[tuple, Sequence[Sequence[int]]], target: Any,
                          strict: bool) -> list[Any]:
    """For every interval profile K and strategy profile σ with σ_i ∈ UDed_i(K_i) for all i:
    Σ_j tv_j x_j(σ) ≥ target·max(tv)  (> if `strict`) at each tv in test_points[K].

    `target` is an exact rational or a z3 real (for optimisation).  The
    test points must be the true-value profiles that decide the worst ratio
    (mechanisms.cmz_tables.welfare_test_points).  Each row is a Boolean defined in
    `tables.definitions` (assert them after this call), so the query text stays small.
    """
    exact = isinstance(target, (int, Fraction))
    rows: dict[tuple, Any] = {}     # (σ, tv) -> a Boolean defined ⇔ the welfare row, shared across profiles K

    def row(prof, tv):
        key = (prof, tuple(tv))
        if key not in rows:
            sw = z3.Sum([rational(tv[j]) * tables.x[(j, prof)] for j in range(tables.n)])
            bound = rational(Fraction(target) * max(tv)) if exact else rational(max(tv)) * target
            var = z3.Bool(f"{tables.prefix}_sw{len(rows)}")
            tables.definitions.append(var == (sw > bound if strict else sw >= bound))
            rows[key] = var
        return rows[key]

    cons = []
    for K in interval_profiles:
        K = tuple(tuple(k) for k in K)
        tvs = test_points[K]
        if not tvs:
            continue
        for prof in tables.profiles:
            und = _and([tables.undominated(i, K[i], prof[i]) for i in range(tables.n)])
            cons.append(_implies(und, _and([row(prof, tv) for tv in tvs])))
    return cons


def dominant_strategy_lp(types: Sequence[tuple[int, int]], n: int,
                         test_points: Mapping[tuple, Sequence[Sequence[int]]], max_value: int):
    """LP over direct mechanisms (each player reports a type K = (a, b) from `types`) in which
    truthful reporting is dominant; maximises ε with Σ_j tv_j x_j(K) ≥ ε·max tv at every
    test point (CMZ-T1).  Dominance is encoded with an envelope U_i(t | K_−i), t ∈ {0..max_value}:
    U(t) ≥ t·x(K') − p(K') for all K', and t·x(K) − p(K) ≥ U(t) at t ∈ {a, b} — equivalent to
    the pairwise conditions, which `mechanisms.cmz_tables.direct_truthfulness_violation`
    re-checks on the solution.  Returns (LinearProgram, names) with names[(kind, i, K)]."""
    from .linear_programs import LinearProgramBuilder

    types = tuple(tuple(k) for k in types)
    profiles = list(product(types, repeat=n))
    b = LinearProgramBuilder()
    eps = b.variable("eps")
    names: dict[tuple, str] = {}

    def tag(K: Sequence[tuple[int, int]]) -> str:
        return "_".join(f"{a}.{c}" for a, c in K)

    for K in profiles:
        for i in range(n):
            names[("x", i, K)] = b.variable(f"x{i}_{tag(K)}")
            names[("p", i, K)] = b.variable(f"p{i}_{tag(K)}")
            b.constrain({names[("x", i, K)]: 1}, ">=", 0, f"x{i}_{tag(K)}>=0")
        b.constrain({names[("x", i, K)]: 1 for i in range(n)}, "<=", 1, f"sum_x_{tag(K)}<=1")
        for tv in test_points[K]:
            coeffs: dict[str, Any] = {names[("x", j, K)]: tv[j] for j in range(n)}
            coeffs[eps] = -max(tv)
            b.constrain(coeffs, ">=", 0, f"welfare_{tag(K)}_at_{tv}")
    for i in range(n):
        for tau in product(types, repeat=n - 1):
            U = {t: b.variable(f"U{i}_{tag(tau)}_{t}") for t in range(max_value + 1)}
            for K in types:
                prof = tuple(tau[:i]) + (K,) + tuple(tau[i:])
                x, p = names[("x", i, prof)], names[("p", i, prof)]
                for t in range(max_value + 1):
                    b.constrain({U[t]: 1, x: -t, p: 1}, ">=", 0, f"envelope{i}_{tag(prof)}_t{t}")
                for t in sorted({K[0], K[1]}):
                    b.constrain({U[t]: 1, x: -t, p: 1}, "<=", 0, f"truthful{i}_{tag(prof)}_t{t}")
    return b.program({eps: 1}), names
