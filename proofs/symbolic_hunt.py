"""z3 over every rational bid profile: a property of the library on a mechanism read symbolically.

The mechanism's allocation and payment rules are executed with symbolic bids (smt/
symbolic_execution.py) into their exact piecewise form; for rules written with comparisons and
exact arithmetic (the auctions of mechanisms/auctions.py, most users' own) each piece is linear and
z3 decides the property for **every** profile of rationals ≥ 0 at once, for each number of players —
beyond any grid.  One query per (n, player) — per n for properties of a profile.

* unsat everywhere: `verified` on "n ∈ {…}, every bid profile in ℚ≥0ⁿ" (bounded in n only; each
  unsat re-checked by cvc5 where time allows).
* sat: the witness is made minimal in the documented order, extended off the grid
  (SMT_ORDER): fewest players, then the coarsest grid — bids in (step/q)·ℕ for the smallest
  q ≤ MAX_DENOMINATOR —, then the smallest B on it (the largest bid index), then the bid profile
  lexicographically, then the player, then the deviation; each step a z3 query over integer bid
  indices.  The core replays it with the property's plain definition.
* a rule z3 cannot read (a table, `//`, hashing a bid, too many branches, c/z pieces with logarithmic
  payments): `unknown` with why — the grid search stands alone then.

Every evaluation the grid search validates is validated here too: before the property, z3 is asked
for a profile with an infeasible allocation (outside [0, 1], above supply); one found is the error
the plain evaluation gives there, naming the profile.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from mechproof.mechanisms.auctions import Auction, _text, evaluator, outcome
from mechproof.mechanisms.errors import ClaimDeclarationError, ModelError

from .claims import Part
from .domains import IntKey, RationalKey, Schema
from .methods import Method
from .searches import Check, Query, smt_check
from .verdicts import error, unknown

__all__ = ["SMT_PROPERTIES", "SMT_ORDER", "MAX_DENOMINATOR", "smt_hunt_part", "symbolic_reason"]

SMT_PROPERTIES = ("dsic", "ex-post-ir", "no-positive-transfers", "monotone", "feasible", "efficient",
                  "weak-budget-balance", "budget-balance")
MAX_DENOMINATOR = 64
SMT_ORDER = ("fewest players, then the coarsest grid (bids in (step/q)·ℕ, the smallest q ≤ 64), then the smallest "
             "B on it (the largest bid index in the point), then the bid profile lexicographically, then the player, "
             "then the deviation")
EXPLORE_SECONDS = 20.0
READING = ("the rules treat a bid only as a number (no type tests, no state between calls): they are read "
           "symbolically, and each path is evaluated at one exact, generic point of it beside plain evaluation")


def _z3():
    import z3
    return z3


class _Form:
    """The mechanism's piecewise form for n players: x_j, p_j (and the welfare optimum) as z3 terms."""

    def __init__(self, auction: Auction, n: int, need_optimum: bool):
        from mechproof.smt.symbolic_execution import explore, piecewise
        z3 = _z3()
        self.n = n
        self.b = [z3.Real(f"b{j}") for j in range(n)]
        self.d = z3.Real("d")
        self.base = [v >= 0 for v in self.b] + [self.d >= 0]
        nonneg = [v >= 0 for v in self.b]
        self.alloc_paths = explore(auction.allocation, self.b, nonneg, EXPLORE_SECONDS)
        self.pay_paths = explore(auction.payment, self.b, nonneg, EXPLORE_SECONDS)
        self.x = [piecewise(self.alloc_paths, j) for j in range(n)]
        self.p = [piecewise(self.pay_paths, j) for j in range(n)]
        self.opt = piecewise(explore(lambda bids: (auction.welfare_optimum(bids),), self.b, nonneg, EXPLORE_SECONDS),
                             0) if need_optimum else None

    def disagreement(self, auction: Auction) -> str:
        """Each path of each rule evaluated at one exact point of it, beside plain evaluation there: ''
        when every path agrees, else where it does not (the symbolic reading is then not trusted)."""
        from mechproof.smt.symbolic_execution import path_point, value_at
        nonneg = [v >= 0 for v in self.b]
        for what, paths in (("allocation", self.alloc_paths), ("payment", self.pay_paths)):
            for path in paths:
                point = path_point(path, self.b, nonneg)
                if point is None:
                    return f"no exact point on one path of the {what}"
                plain = outcome(auction, point, validate=False)[0 if what == "allocation" else 1]
                read = [value_at(t, self.b, point) for t in path.values]
                if len(plain) != len(read) or any(r is None or r != q for r, q in zip(read, plain)):
                    return (f"the symbolic reading of the {what} disagrees with plain evaluation at bids "
                            f"{_text(point)} (read {_text(read)}, evaluated {_text(plain)})")
        return ""

    def deviated(self, term, i: int):
        return _z3().substitute(term, (self.b[i], self.d))

    def utility(self, i: int, value, at_deviation: bool):
        from mechproof.smt.symbolic_execution import scaled
        x, p = self.x[i], self.p[i]
        if at_deviation:
            x, p = self.deviated(x, i), self.deviated(p, i)
        return scaled(x, value) - p

    def infeasible(self, supply: int):
        z3 = _z3()
        out = [z3.Or(t < 0, t > 1) for t in self.x]
        return z3.Or(*out, z3.Sum(*self.x) > supply)


def _violation(name: str, form: _Form, i: int | None, supply: int):
    """The negated property at (b, d) for player i (None: a property of the profile)."""
    z3 = _z3()
    b, d = form.b, form.d
    if name == "dsic":
        return z3.And(d != b[i], form.utility(i, b[i], False) < form.utility(i, b[i], True))
    if name == "ex-post-ir":
        return form.utility(i, b[i], False) < 0
    if name == "no-positive-transfers":
        return form.p[i] < 0
    if name == "monotone":
        return z3.And(d > b[i], form.deviated(form.x[i], i) < form.x[i])
    if name == "feasible":
        return form.infeasible(supply)
    if name == "efficient":
        from mechproof.smt.symbolic_execution import scaled
        return z3.Sum(*[scaled(form.x[j], b[j]) for j in range(form.n)]) != form.opt
    if name == "weak-budget-balance":
        return z3.Sum(*form.p) < 0
    if name == "budget-balance":
        return z3.Sum(*form.p) != 0
    raise KeyError(name)


def _minimal_point(form: _Form, formulas: Mapping[Any, Any], shape: str, step: Fraction) -> dict:
    """The minimal violating point in SMT_ORDER among the players' formulas (each sat over the reals)."""
    z3 = _z3()
    uses_d = shape in ("deviation", "raise")        # a point with another bid d for the player
    for q in range(1, MAX_DENOMINATOR + 1):
        h = step / q
        hz = z3.RealVal(f"{h.numerator}/{h.denominator}")
        k = [z3.Int(f"k{j}") for j in range(form.n)]
        kd = z3.Int("kd")
        grid = [v == z3.ToReal(kj) * hz for v, kj in zip(form.b, k)] + [kj >= 0 for kj in k]
        grid += [form.d == z3.ToReal(kd) * hz, kd >= 0] if uses_d else [form.d == 0]
        found = {}
        for i, f in formulas.items():
            s = z3.Solver()
            s.set("timeout", 10_000)
            s.add(*form.base, *grid, f)
            if s.check() == z3.sat:
                found[i] = s
        if not found:
            continue
        best = None
        for i, s in found.items():
            idx = k + ([kd] if uses_d else [])
            m = s.model()
            top = max(m.eval(v, model_completion=True).as_long() for v in idx)
            lo, hi = 0, top                      # the smallest B: every index ≤ B
            while lo < hi:
                mid = (lo + hi) // 2
                if s.check(*[v <= mid for v in idx]) == z3.sat:
                    hi = mid
                else:
                    lo = mid + 1
            fixed = [v <= lo for v in idx] + [z3.Or(*[v == lo for v in idx])]
            values = []
            for v in idx:                        # then lexicographically: bids, then the deviation
                a, c = 0, lo
                while a < c:
                    mid = (a + c) // 2
                    if s.check(*fixed, v <= mid) == z3.sat:
                        c = mid
                    else:
                        a = mid + 1
                fixed.append(v == a)
                values.append(a)
            key = (lo, tuple(values[:form.n]), i if i is not None else -1, tuple(values[form.n:]))
            if best is None or key < best[0]:
                best = (key, values)
        (top, bids, i, dev), values = best
        point = {"players": form.n, "B": top, "step": h, "bids": tuple(kj * h for kj in bids)}
        if i != -1:
            point["player"] = i
        if uses_d:
            point["deviation"] = dev[0] * h
        return point
    raise ValueError(f"no counterexample on grids of denominator ≤ {MAX_DENOMINATOR} although z3 finds one over "
                     "the reals")


def _read(auction: Auction, n: int, need_optimum: bool) -> tuple[_Form | None, str, str]:
    """(form, why it cannot be read, the mechanism's own error) for n players: a path on which the
    symbolic run raised is reproduced at a concrete profile of it — an error plain evaluation gives
    there is the mechanism's, any other is an artefact of the symbolic reading (unsupported)."""
    from mechproof.smt.symbolic_execution import Path, RaisesOnPath, Unsupported, path_point
    z3 = _z3()
    if auction.slots is not None:
        return None, "a position auction (its feasibility by click-rate ranks is searched on the grid only)", ""
    try:
        form = _Form(auction, n, need_optimum)
    except Unsupported as exc:
        return None, str(exc), ""
    except RaisesOnPath as exc:
        b = [z3.Real(f"b{j}") for j in range(n)]
        bids = path_point(Path(tuple(exc.condition), ()), b, [v >= 0 for v in b])
        if bids is None:
            return None, f"the symbolic run raised {exc}", ""
        try:
            outcome(auction, bids)
        except ModelError as err:
            return None, "", str(err)
        return None, f"the symbolic run raised {exc} where plain evaluation at bids {_text(bids)} does not", ""
    try:
        why = form.disagreement(auction)
    except ModelError as err:            # the mechanism misbehaving at a path's point (raising, a float, …)
        return None, "", str(err)
    return (None, why, "") if why else (form, "", "")


def symbolic_reason(auction: Auction, n: int = 2) -> str:
    """'' when the z3 search can run for n players (the rules read symbolically, or the mechanism's
    own error found off the grid, which the search then reports), else why not."""
    return _read(auction, n, need_optimum=False)[1]


def smt_hunt_part(auction: Auction, prop: Any, players=(2, 3), step: Any = 1) -> Part:
    """z3 over every rational bid profile ≥ 0 of `prop` (a Property of SMT_PROPERTIES) on `auction`."""
    from .hunting import property_named
    prop = property_named(prop)
    if prop.name not in SMT_PROPERTIES:
        raise ClaimDeclarationError(f"smt_hunt_part: property {prop.name} has no z3 encoding (it has for "
                                    f"{', '.join(SMT_PROPERTIES)})")
    shape = prop.shape                 # the property's points: "profile", "player", "deviation" or "raise"

    def plain(point):
        return prop.holds(auction, point, evaluator(auction, prop.validate, memo=False))

    def run(ctx):
        from mechproof.smt.symbolic_execution import model_point
        z3 = _z3()
        forms = {}
        for n in ctx.domain["players"]:
            form, why, own_error = _read(auction, n, need_optimum=prop.name == "efficient")
            if own_error:
                return error(message=own_error)
            if form is None:
                return unknown(reason=f"z3 search: the mechanism cannot be read symbolically for n = {n}: {why}")
            forms[n] = form
            if prop.validate:                     # the validation the grid applies to every evaluation
                s = z3.Solver()
                s.set("timeout", max(1, int(max(0.1, ctx.remaining() - 2) * 1000)))
                s.add(*form.base, form.infeasible(auction.supply))
                r = s.check()
                if r == z3.sat:
                    bids = model_point(s.model(), form.b)
                    if bids is None:
                        return unknown(reason=f"z3 finds an infeasible allocation for n = {n} only at an "
                                              "irrational profile")
                    try:
                        outcome(auction, bids)
                    except ModelError as err:
                        return error(message=str(err))
                    return error(message=f"z3 finds an infeasible allocation at bids {bids} that plain evaluation "
                                         "does not reproduce (the symbolic reading is wrong)")
                if r != z3.unsat:
                    return unknown(reason=f"z3 undecided on the feasibility of the allocations for n = {n}")

        def queries(domain):
            for n in domain["players"]:
                form = forms[n]
                who = list(range(n)) if shape != "profile" else [None]
                formulas = {i: _violation(prop.name, form, i, auction.supply) for i in who}
                for i in who:
                    def build(form=form, i=i, formulas=formulas):
                        s = z3.Solver()
                        s.add(*form.base, formulas[i])
                        return s, lambda model: _minimal_point(form, formulas, shape, Fraction(domain["step"]))
                    yield Query(f"n = {n}" + ("" if i is None else f", player {i}"), build)

        paths = ", ".join(f"n = {n}: {len(f.alloc_paths)} + {len(f.pay_paths)} paths" for n, f in forms.items())
        inner = smt_check(queries, replay=plain, minimised="made minimal in the order over every player",
                          summary=f"{prop.title} at every rational bid profile: unsat in all {{cases}} queries "
                                  f"(allocation + payment rules read symbolically, {paths})")
        return inner(ctx)

    schema = Schema(IntKey("players", tuple(players), min=1, max=4, many=True, help="numbers of players (fewest first)"),
                    RationalKey("step", step, lo=0, lo_open=True,
                                help="the grid a witness is placed on first (bids in (step/q)·ℕ)"),
                    text=lambda d: f"n ∈ {{{', '.join(map(str, d['players']))}}} players, every bid profile in ℚ≥0ⁿ",
                    cases=lambda d: sum(1 if shape == "profile" else n for n in d["players"]))
    return Part(f"{prop.title}: {auction.name} (z3, every rational profile)", method=Method.SMT, domain=schema,
                check=Check(run, plain),
                technique="the rules executed symbolically into their piecewise form; z3 over the reals, one query "
                          f"per (n, player); witnesses minimal in the order: {SMT_ORDER}; replayed by the property's "
                          "plain definition",
                assumes=prop.assumes + (READING,))
