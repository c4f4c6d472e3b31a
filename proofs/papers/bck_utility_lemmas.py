"""BCK (paper 001): lemmas about concave utilities, proved by checked steps and checked by z3 over every concave U.

BCK-L1 (Lemma 1, stochastic dominance and increments), BCK-L2 (Lemma 2, U_k symmetric,
monotone, submodular), BCK-L14 (Lemma 14, chord bound).  The general derivations (over the
reals, every law) are in bck_concave_routes.py: the routes of L2 and L14 and the proof of L1's
reading; the bounded parts below cross-check them.  In those, U is quantified as its table on the
integer grid (smt/concave_utilities.py), which covers every concave piecewise-linear U with
m ≤ N pieces at once; every z3 model is re-evaluated in Fractions by the lemma's definition
(mechanisms/bck_utility_cases.py) before it is reported.  Queries run smallest support first,
so the first counterexample is a minimal one.
"""
from __future__ import annotations

from functools import partial

from mechproof import (Claim, Evaluation, IntKey, Method, ModelError, Part, Query, Role, Schema, enumeration_check,
                       smt_check)
from mechproof.mechanisms.bck_utility_cases import (
    chord_bound, chord_ray_count, chord_ray_points, chord_ray_step, increment_comparison, increment_ray_count,
    increment_ray_points, increment_ray_step, k_sum_property, lattice_grid, lattice_ray_count, lattice_ray_points,
    lattice_ray_replay, lattice_ray_violation, lattice_sizes,
)
from mechproof.smt.concave_utilities import (
    K_SUM_PROPERTIES, chord_bound_solver, dominance_increment_solver, k_sum_lattice_solver,
)

from .bck_common import CONCAVE_U, INTEGER_GRID, TABLE_U
from .bck_concave_routes import L1_READING, l1_reading_part, l2_route_part, l14_route_part

__all__ = ["BCK_L1", "BCK_L2", "BCK_L14", "l1_part", "l2_part", "l14_part", "l1_rays_part"]


def _evaluation(result: tuple) -> Evaluation:
    holds, observed = result
    return Evaluation.of(holds, observed, "re-evaluated in Fractions from the z3 model")


def _ray_evaluation(result: tuple) -> Evaluation:
    """A ray case is built to satisfy the lemma's hypotheses: one that does not is a broken case
    generator (it would pass vacuously), a model error rather than a pass."""
    holds, observed = result
    if "hypothesis fails" in observed:
        raise ModelError(f"a ray case fails the lemma's hypothesis ({observed['hypothesis fails']}): the cases "
                         "are wrong, not the lemma")
    return _evaluation(result)


# ----------------------------------------------------------------------------- BCK-L2
L2_DOMAIN = Schema(
    IntKey("n", 4, min=1, local=True, help="vector length n ∈ {1..n}"),
    IntKey("B", 3, min=1, local=True, help="entries x_i, y_i ∈ {0..B}"),
    IntKey("nB", 9, min=1, local=True, help="only sizes with n·B ≤ nB"),
    text="x, y ∈ {0..B}ⁿ for n ≤ $n, B ≤ $B, n·B ≤ $nB; every k ≤ n; U any concave table on {0..k·B}",
    cases=lambda d: len(K_SUM_PROPERTIES) * sum(n for n, _ in lattice_sizes(d["n"], d["B"], d["nB"])))


def l2_part(shape: str = "concave", largest: bool = True, role: Role = Role.CROSS_CHECK) -> Part:
    """BCK-L2 by z3; `shape="convex"` or `largest=False` (k smallest entries) plant bugs in tests."""
    def queries(d):
        for n, B, k, prop in lattice_grid(d["n"], d["B"], d["nB"], K_SUM_PROPERTIES):
            yield Query(f"n={n}, B={B}, k={k}: {prop}", partial(k_sum_lattice_solver, n, B, k, prop, shape, largest))

    return Part("z3 over every concave U on integer vectors", method=Method.SMT, domain=L2_DOMAIN, role=role,
                check=smt_check(queries, replay=lambda p: _evaluation(k_sum_property(p, shape, largest)),
                                second_route=False,
                                summary="no violation of symmetry, monotonicity or lattice submodularity of U_k "
                                        "in {cases} z3 queries"),
                technique="one query per (n, B, k, property), smallest n·B first; cvc5 not asked (≈ 10 s, several "
                          "timeouts): the second route is the exact enumeration part",
                assumes=(CONCAVE_U, TABLE_U, INTEGER_GRID))


L2_RAYS_DOMAIN = Schema(
    *L2_DOMAIN.keys,
    text="x, y ∈ {0..B}ⁿ for n ≤ $n, B ≤ $B, n·B ≤ $nB; every k ≤ n; U = min(t, c), c ∈ {1..k·B}",
    cases=lambda d: lattice_ray_count(d["n"], d["B"], d["nB"], K_SUM_PROPERTIES))

L2_RAYS_PART = Part(
    "exact enumeration over the extreme rays min(t, c)", method=Method.ENUMERATION, domain=L2_RAYS_DOMAIN,
    role=Role.CROSS_CHECK,
    check=enumeration_check(lambda d: lattice_ray_points(d["n"], d["B"], d["nB"], K_SUM_PROPERTIES),
                            lambda p: _evaluation(lattice_ray_violation(p)),
                            replay=lambda p: _evaluation(lattice_ray_replay(p)),
                            summary="U_k symmetric, monotone and submodular for every ray and every pair x, y: "
                                    "{cases} (n, B, k, property, ray) cases, all pairs each"),
    technique="each property is linear in U, and the concave tables with U(0) = 0 are the non-negative "
              "combinations of min(t, c), c = 1..N; every pair x, y ∈ {0..B}ⁿ, exactly",
    assumes=(CONCAVE_U, INTEGER_GRID))


BCK_L2 = Claim(
    id="BCK-L2", title="U_k is symmetric, monotone and submodular",
    statement="For any concave U and any k, n, U_k(x) = U(sum of the k largest entries of x) is symmetric, "
              "monotone and lattice-submodular: U_k(x∨y) + U_k(x∧y) ≤ U_k(x) + U_k(y).",
    source="BCK (001), Lemma 2 (§3.1, proof in App. A)",
    parts=(l2_route_part(), l2_part(), L2_RAYS_PART),
)


# ----------------------------------------------------------------------------- BCK-L1
L1_DOMAIN = Schema(
    IntKey("B", 3, min=1, local=True, help="X, Y₁, Y₂ supported on {0..B}"),
    text="X, Y₁, Y₂ supported on {0..B}, B ≤ $B (X a point mass: both sides are linear in its law); "
         "U any concave table on {0..2B}",
    cases=lambda d: sum(B + 1 for B in range(1, d["B"] + 1)))


def l1_part(base: str, role: Role) -> Part:
    """BCK-L1 with the increment measured from U(X) (as printed) or from U(Y) (as Lemma 13 uses it)."""
    def queries(d):
        for B in range(1, d["B"] + 1):
            for x in range(B + 1):
                yield Query(f"B={B}, X={x}", partial(dominance_increment_solver, B, x, base))

    name = "as printed (increment from U(X))" if base == "X" else "increment from U(Y), as Lemma 13 uses it"
    return Part(name, method=Method.SMT, domain=L1_DOMAIN, role=role,
                reading="" if base == "X" else L1_READING,
                check=smt_check(queries, replay=lambda p: _evaluation(increment_comparison(p, base)), second_route=False,
                                summary="E[U(X+Y₁) − U(%s)] ≤ E[U(X+Y₂) − U(%s)] whenever Y₁ ⪰ Y₂: "
                                        "unsat in all {cases} queries" % ((base,) * 2)),
                technique="one query per (B, point mass X), smallest B first; cvc5 not asked (it times out on these "
                          "nonlinear queries): the second route is the exact enumeration part",
                assumes=(CONCAVE_U, TABLE_U, INTEGER_GRID))


def l1_rays_part(step=increment_ray_step) -> Part:
    """BCK-L1 (increment from U(Y)) over the extreme rays; `step` plants a broken case generator in tests."""
    return Part(
        "increment from U(Y): exact enumeration over the extreme rays min(t, c)", method=Method.ENUMERATION,
        role=Role.CROSS_CHECK,
        domain=Schema(*L1_DOMAIN.keys, text="B ≤ $B, X = x ∈ {0..B}, neighbouring point masses Y₁ = y + 1, "
                                             "Y₂ = y; U = min(t, c), c ∈ {1..2B}",
                      cases=lambda d: increment_ray_count(d["B"])),
        check=enumeration_check(lambda d: increment_ray_points(d["B"]), lambda p: _ray_evaluation(step(p, "Y")),
                                summary="U(x+y) − U(y) is non-increasing in y for every ray: {cases} cases"),
        technique="for a fixed U, E[f(Y₁)] ≤ E[f(Y₂)] for all Y₁ ⪰ Y₂ iff f is non-increasing; f is linear in U, "
                  "and the concave tables are the non-negative combinations of min(t, c)",
        assumes=(CONCAVE_U, INTEGER_GRID))


L1_RAYS_PART = l1_rays_part()


BCK_L1 = Claim(
    id="BCK-L1", title="Stochastic dominance lowers the concave increment",
    statement="If D₁ ⪰ D₂ and X, Y independent, non-negative: E[U(X+Y₁) − U(X)] ≤ E[U(X+Y₂) − U(X)] (as printed).",
    source="BCK (001), Lemma 1 (§2)",
    why_not_proved=('False as printed (an exact z3 witness); its reading is proved for every concave U and '
                    'every law. The as-printed part is a bounded search, which can refute but never prove.'),
    parts=(l1_part("X", Role.AS_PRINTED), l1_reading_part(), l1_part("Y", Role.CROSS_CHECK), L1_RAYS_PART),
)


# ----------------------------------------------------------------------------- BCK-L14
L14_DOMAIN = Schema(
    IntKey("R", 8, min=1, local=True, help="R ∈ {1..R}, X supported on {0..R}"),
    text="R ∈ {1..$R}, X any distribution on {0..R}, U any concave table on {0..R}",
    cases=lambda d: d["R"])


def l14_part(factor: str = "1-EX/R", anchored: bool = True, role: Role = Role.CROSS_CHECK) -> Part:
    """BCK-L14 by z3; `factor="EX/R"` or `anchored=False` (U(0) free) plant bugs in tests."""
    def queries(d):
        for R in range(1, d["R"] + 1):
            yield Query(f"R={R}", partial(chord_bound_solver, R, factor, anchored))

    return Part("z3 over every concave U, X on {0..R}", method=Method.SMT, domain=L14_DOMAIN, role=role,
                check=smt_check(queries, replay=lambda p: _evaluation(chord_bound(p, factor, anchored)), second_route=False,
                                summary="E[U(R−X)] ≥ (1 − E[X]/R)(U(R) − U(0)): unsat in all {cases} queries"),
                technique="one query per R; cvc5 not asked (it times out on these nonlinear queries for R ≥ 6): "
                          "the second route is the exact enumeration part",
                assumes=(CONCAVE_U + "; U(0) = 0 is needed: with U(0) free the bound fails (U ≡ −1)",
                         TABLE_U, INTEGER_GRID))


L14_RAYS_PART = Part(
    "exact enumeration over point masses and the extreme rays min(t, c)", method=Method.ENUMERATION,
    role=Role.CROSS_CHECK,
    domain=Schema(*L14_DOMAIN.keys, text="R ∈ {1..$R}, X = t ∈ {0..R}, U = min(·, c), c ∈ {1..R}",
                  cases=lambda d: chord_ray_count(d["R"])),
    check=enumeration_check(lambda d: chord_ray_points(d["R"]), lambda p: _ray_evaluation(chord_ray_step(p)),
                            summary="E[U(R−X)] ≥ (1 − E[X]/R)·U(R) at every point mass and ray: {cases} cases"),
    technique="both sides are linear in the law of X and in U (U(0) = 0): point masses and the rays "
              "min(t, c) of the cone of concave tables decide it",
    assumes=(CONCAVE_U, INTEGER_GRID))


BCK_L14 = Claim(
    id="BCK-L14", title="Chord bound for a concave utility",
    statement="For X ∈ [0,R]: E[U(R−X)] ≥ (1 − E[X]/R)·(U(R) − U(0)).",
    source="BCK (001), Lemma 14 (§4)",
    parts=(l14_route_part(), l14_part(), L14_RAYS_PART),
)
