"""BCK (paper 001): lemmas about concave utilities checked by z3 over every concave U.

BCK-L1 (Lemma 1, stochastic dominance and increments), BCK-L2 (Lemma 2, U_k symmetric,
monotone, submodular), BCK-L14 (Lemma 14, chord bound).  U is quantified as a table on
the integer grid (smt/concave_utilities.py): this covers every concave piecewise-linear U
with m ≤ N pieces (N = largest argument), hence every concave U at integer arguments.
Every z3 model is replayed by plain exact evaluation before it is reported.
"""
from __future__ import annotations

from fractions import Fraction

from mechproof.claims import Claim, Part
from mechproof.mechanisms.random_variables import DiscreteRV, utility_of_top_k
from mechproof.mechanisms.seller_utilities import is_concave_sequence
from mechproof.smt.concave_utilities import chord_bound_query, dominance_increment_query, k_sum_lattice_query
from mechproof.verdicts import Evidence, Witness, refuted, unknown, verified

__all__ = ["BCK_L1", "BCK_L2", "BCK_L14", "check_l2", "check_l1", "check_l14"]


def _table(values):
    """U given by its values at 0, 1, …, N (plain evaluation for replay)."""
    def U(t):
        t = Fraction(t)
        if t.denominator != 1 or not 0 <= t < len(values):
            raise ValueError(f"table utility evaluated off its grid at {t}")
        return values[int(t)]
    return U


# ----------------------------------------------------------------------------- BCK-L2
def check_l2(ctx, shape: str = "concave", largest: bool = True):
    """BCK-L2 by z3 over every concave U and all x, y ∈ {0..B}^n; `shape`/`largest` plant bugs in tests."""
    n_max = ctx.bound("n", 4)
    B3_n = ctx.bound("n_B3", 3)
    cases = ([(n, 1) for n in range(1, n_max + 1)] + [(n, 2) for n in range(1, n_max + 1)]
             + [(n, 3) for n in range(1, B3_n + 1)])          # smallest first: minimal counterexamples
    Bmax = ctx.bound("B", 3)
    cases = [(n, B) for n, B in cases if B <= Bmax] + [(n, B) for n in range(1, n_max + 1)
                                                      for B in range(4, Bmax + 1)]
    queries = 0
    ev = []
    for n, B in cases:
        for k in range(1, n + 1):
            for prop in ("symmetric", "monotone", "submodular"):
                if ctx.remaining() < 10:
                    return unknown("z3 unsat", f"n≤{n_max}, B≤{Bmax}",
                                   f"budget exhausted after {queries} queries (at n={n}, B={B}, k={k})")
                out = k_sum_lattice_query(n, B, k, prop, shape=shape, largest=largest,
                                          timeout_ms=int(max(1, ctx.remaining() - 5) * 1000))
                queries += 1
                if out.holds is None:
                    return unknown("z3", f"n={n}, B={B}, k={k}", f"z3 returned unknown ({out.reason}) for {prop}")
                if out.holds is False:
                    return _replay_l2(out, n, B, k, prop, largest)
                if prop == "submodular" and k == min(2, n):
                    ev.append(Evidence("z3", f"n={n}, B={B}, k={k}: {prop} unsat", out.smtlib[:4000], out.stats))
    domain = (f"every concave non-decreasing U with U(0)=0 on the integer grid (= every concave PL U with "
              f"m ≤ k·B pieces, integer breakpoints); x, y ∈ {{0..B}}^n for (n, B) ∈ {cases}; all k ≤ n")
    return verified("z3 unsat", domain, f"no violation of symmetry, monotonicity or lattice submodularity "
                    f"of U_k in {queries} z3 queries", evidence=tuple(ev[:3]))


def _replay_l2(out, n, B, k, prop, largest):
    model = dict(out.model)
    x, y, table = model["x"], model["y"], model["U"]
    U = _table(table)

    def Uk(vec):
        if largest:
            return utility_of_top_k(U, vec, k)
        return U(sum(sorted(vec)[:k], Fraction(0)))     # the planted "k smallest" aggregator

    if prop == "submodular":
        hi = tuple(max(a, b) for a, b in zip(x, y))
        lo = tuple(min(a, b) for a, b in zip(x, y))
        lhs, rhs = Uk(hi) + Uk(lo), Uk(x) + Uk(y)
        bad = lhs > rhs
        obs = {"U_k(x∨y)+U_k(x∧y)": lhs, "U_k(x)+U_k(y)": rhs}
    elif prop == "monotone":
        bad = all(a <= b for a, b in zip(x, y)) and Uk(x) > Uk(y)
        obs = {"U_k(x)": Uk(x), "U_k(y)": Uk(y)}
    else:
        sw = [tuple(x[j] if j not in (0, i) else (x[i] if j == 0 else x[0]) for j in range(n)) for i in range(1, n)]
        bad = any(Uk(s) != Uk(x) for s in sw)
        obs = {"U_k(x)": Uk(x)}
    witness = Witness.of({"n": n, "B": B, "k": k, "x": x, "y": y, "U(0..N)": table,
                          "U concave": str(is_concave_sequence(table))}, obs,
                         recheck="plain exact evaluation of U_k on the z3 model")
    if not bad:
        return unknown("z3 model replay", f"n={n}, B={B}, k={k}",
                       f"z3 reported a {prop} violation that plain evaluation does not confirm: {witness.describe()}")
    return refuted("z3 sat + exact replay", f"n={n}, B={B}, k={k}",
                   f"U_k is not {prop}: {witness.describe()}", witness,
                   (Evidence("z3", f"{prop} violation model", out.smtlib[:4000], out.stats),))


BCK_L2 = Claim(
    id="BCK-L2", title="U_k is symmetric, monotone and submodular",
    statement="For any concave U and any k, n, U_k(x) = U(sum of the k largest entries of x) is symmetric, "
              "monotone and lattice-submodular: U_k(x∨y) + U_k(x∧y) ≤ U_k(x) + U_k(y).",
    source="BCK (001), Lemma 2 (§3.1, proof in App. A)",
    parts=(Part("z3 over all concave U on integer vectors", method="z3 unsat",
                domain="n ≤ 4 with B ≤ 2, n ≤ 3 with B = 3 (raise with --bound n_B3=4); every concave U "
                       "(m ≤ kB pieces)", check=check_l2),),
)


# ----------------------------------------------------------------------------- BCK-L1
def check_l1(ctx, base: str):
    """BCK-L1 with the increment measured from U(X) (as printed) or from U(Y) (as used in Lemma 13)."""
    Bmax = ctx.bound("B_L1", 3)
    for B in range(1, Bmax + 1):
        if ctx.remaining() < 10:
            return unknown("z3 unsat", f"B ≤ {B - 1}", "budget exhausted")
        out = dominance_increment_query(B, base, timeout_ms=int(max(1, ctx.remaining() - 5) * 1000))
        if out.holds is None:
            return unknown("z3", f"B = {B}", f"z3 unknown: {out.reason}")
        if out.holds is False:
            model = dict(out.model)
            x, q1, q2, table = model["x"], model["q1"], model["q2"], model["U"]
            U = _table(table)
            Y1 = DiscreteRV(tuple(enumerate(q1)))
            Y2 = DiscreteRV(tuple(enumerate(q2)))

            def side(Y):
                return sum((p * (U(x + y) - (U(x) if base == "X" else U(y))) for y, p in Y.atoms), Fraction(0))

            lhs, rhs = side(Y1), side(Y2)
            ok = Y1.dominates(Y2) and is_concave_sequence(table) and lhs > rhs
            w = Witness.of({"X": f"point mass {x}", "Y1": str(Y1), "Y2": str(Y2), "U(0..2B)": table},
                           {"LHS (Y1)": lhs, "RHS (Y2)": rhs, "Y1 ⪰ Y2": str(Y1.dominates(Y2))},
                           recheck="DiscreteRV dominance + plain exact expectation")
            if not ok:
                return unknown("z3 model replay", f"B = {B}", f"unconfirmed model {w.describe()}")
            return refuted("z3 sat + exact replay", f"supports in {{0..{B}}}",
                           f"E[U(X+Y1) − U({base})] > E[U(X+Y2) − U({base})] although Y1 ⪰ Y2: {w.describe()}", w,
                           (Evidence("z3", "model", out.smtlib[:3000], out.stats),))
    return verified("z3 unsat", f"X, Y1, Y2 supported on {{0..B}}, B ≤ {Bmax} (X a point mass: both sides are "
                    f"linear in the law of X); every concave non-decreasing U on {{0..2B}}",
                    f"E[U(X+Y1) − U(Y1)] ≤ E[U(X+Y2) − U(Y2)] whenever Y1 ⪰ Y2 (unsat for B ≤ {Bmax})",
                    (Evidence("note", "reading", "increment measured from the dominated/dominating variable Y, as "
                              "Lemma 13 uses it (Z_i = E[U(X+Y) − U(Y)], Y ~ D_{i−1})"),))


BCK_L1 = Claim(
    id="BCK-L1", title="Stochastic dominance lowers the concave increment",
    statement="If D₁ ⪰ D₂ and X, Y independent, non-negative: E[U(X+Y₁) − U(X)] ≤ E[U(X+Y₂) − U(X)] (as printed).",
    source="BCK (001), Lemma 1 (§2)",
    parts=(Part("as printed (increment from U(X))", method="z3 sat + exact replay", domain="supports in {0..3}",
                check=lambda ctx: check_l1(ctx, "X")),
           Part("intended reading (increment from U(Y))", method="z3 unsat",
                domain="supports in {0..3} (raise with --bound B_L1=4)",
                check=lambda ctx: check_l1(ctx, "Y")),),
)


# ----------------------------------------------------------------------------- BCK-L14
def check_l14(ctx, factor: str = "1-EX/R", anchored: bool = True):
    """BCK-L14 by z3 over every concave U and every X on {0..R}; `factor` plants the E[X]/R bug."""
    Rmax = ctx.bound("R", 8)
    for R in range(1, Rmax + 1):
        out = chord_bound_query(R, factor=factor, anchored=anchored,
                                timeout_ms=int(max(1, ctx.remaining() - 5) * 1000))
        if out.holds is None:
            return unknown("z3", f"R = {R}", f"z3 unknown: {out.reason}")
        if out.holds is False:
            model = dict(out.model)
            p, table = model["p"], model["U"]
            X = DiscreteRV(tuple(enumerate(p)))
            U = _table(table)
            lhs = sum((q * U(R - x) for x, q in X.atoms), Fraction(0))
            c = (1 - X.mean / R) if factor == "1-EX/R" else X.mean / R
            rhs = c * (U(R) - U(0))
            w = Witness.of({"R": R, "X": str(X), "U(0..R)": table, "factor": factor},
                           {"E[U(R−X)]": lhs, "factor·(U(R)−U(0))": rhs},
                           recheck="plain exact expectation")
            if not lhs < rhs:
                return unknown("z3 model replay", f"R = {R}", f"unconfirmed model {w.describe()}")
            return refuted("z3 sat + exact replay", f"R = {R}", f"E[U(R−X)] < {factor}·(U(R)−U(0)): {w.describe()}",
                           w, (Evidence("z3", "model", out.smtlib[:3000], out.stats),))
    return verified("z3 unsat", f"R ∈ {{1..{Rmax}}}, X any distribution on {{0..R}}, every concave non-decreasing U "
                    f"on {{0..R}} with U(0) = 0 (m ≤ R pieces)",
                    f"E[U(R−X)] ≥ (1 − E[X]/R)(U(R) − U(0)) for R ≤ {Rmax}",
                    (Evidence("note", "hypothesis U(0) = 0 is needed",
                              "with U(0) free the inequality fails (e.g. U ≡ −1): the lemma relies on BCK §2's U(0) = 0; "
                              "checked with U(0) = 0"),))


BCK_L14 = Claim(
    id="BCK-L14", title="Chord bound for a concave utility",
    statement="For X ∈ [0,R]: E[U(R−X)] ≥ (1 − E[X]/R)·(U(R) − U(0)).",
    source="BCK (001), Lemma 14 (§4)",
    parts=(Part("z3 over every concave U, X on {0..R}", method="z3 unsat", domain="R ≤ 8, U(0) = 0",
                check=check_l14),),
)
