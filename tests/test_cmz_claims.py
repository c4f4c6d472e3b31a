"""CMZ bounded claims (SP-AT, T2, T4, MF, DML, F, E3, E5): true cases pass, planted bugs are
refuted through the kernel (so every witness is replayed by the plain definition), with exact,
minimal witnesses, by exactly the same part factories as the declared claims."""
from fractions import Fraction as F

from mechproof import Status
from mechproof.mechanisms.cmz_f_delta_properties import f_delta_rule, feasible, grid_linear_rule
from mechproof.mechanisms.cmz_mechanisms import (Mechanism, _sp_allocation, _sp_payment, f_delta, f_delta_winners,
                                                 first_price, m_f_grid_linear, second_price)
from mechproof.mechanisms.cmz_model import welfare_bound_f_delta, welfare_bound_second_price
from mechproof.mechanisms.cmz_price_routes import PriceRoutes
from mechproof.mechanisms.cmz_undominated import MechanismExample
from mechproof.runner import run_part_inline
import mechproof.papers.cmz_f_delta as fd
import mechproof.papers.cmz_undominated as ud
from tests.test_cmz_dominance import riemann_mechanism

SMALL = {"n": (2, 3), "B": 5, "delta": (F(1, 4), F(1, 2))}
TINY = {"n": (2,), "B": 4, "delta": (F(1, 2),)}


def run(part, claim=None, **bounds):
    """One part through the kernel on the domain `bounds` (resolved against its schema)."""
    names = part.domain.names
    dom = part.domain.resolve({k: v for k, v in bounds.items() if k in names})
    return run_part_inline(part, 120, domain=dom, claim_id=claim.id if claim else "",
                           uses=claim.uses if claim else ())


def refuted(v):
    assert v.status is Status.REFUTED, (v.status, v.summary)
    assert v.witness is not None and v.witness.assignment
    assert v.witness.recheck.startswith("replayed by the core")
    return dict(v.witness.assignment), dict(v.witness.observed)


# ---------------------------------------------------------------- true cases
def test_true_cases_pass_on_small_domains():
    assert run(ud.CMZ_SP_AT.parts[1], ud.CMZ_SP_AT, **SMALL).status is Status.VERIFIED
    t2 = run(ud.CMZ_T2.parts[1], ud.CMZ_T2, **SMALL)
    assert t2.status is Status.VERIFIED and "slack" in t2.summary
    t4 = run(ud.CMZ_T4.parts[0], ud.CMZ_T4, **SMALL)
    assert t4.status is Status.VERIFIED and "tight" in t4.summary          # the Theorem 4 bound is attained
    assert run(ud.CMZ_MF.parts[1], ud.CMZ_MF, n=(2,), B=4, delta=(F(1, 2),)).status is Status.VERIFIED
    for p in ud.CMZ_DML.parts:
        assert run(p, ud.CMZ_DML, **TINY).status is Status.VERIFIED
    assert run(fd.CMZ_F.parts[0], fd.CMZ_F, **SMALL).status is Status.VERIFIED
    assert run(fd.CMZ_E5.parts[0], fd.CMZ_E5, n=(2,), B=3, delta=(F(1, 2),)).status is Status.VERIFIED


def test_e3_every_part_passes_and_2_is_a_reading_that_skips_v_0():
    verdicts = {p.name: run(p, fd.CMZ_E3, **SMALL) for p in fd.CMZ_E3.parts}
    assert all(v.status is Status.VERIFIED for v in verdicts.values()), \
        {k: (v.status, v.summary) for k, v in verdicts.items()}
    two = next(p for p in fd.CMZ_E3.parts if p.name.startswith("(2)"))
    assert two.role.value == "reading" and "0/0" in two.reading
    assert "v ≠ 0" in verdicts[two.name].domain
    one = verdicts["(1) n* well defined"]
    assert verdicts[two.name].cases == one.cases - 2 * 2          # v = 0 excluded for each n and δ


def test_the_excluded_zero_profile_is_not_a_counterexample():
    """Eq. (E.7) is 0/0 at v = 0: the inequality of (2) fails there, and the reading never visits it."""
    from mechproof.mechanisms.cmz_f_delta_properties import winner_inequality
    prop = winner_inequality(fd.F_DELTA)
    assert prop({"n": 2, "delta": F(1, 10), "v": (0, 0)}) is not None
    assert run(fd.e3_parts()[1], fd.CMZ_E3, n=(2,), B=3, delta=(F(1, 10),)).status is Status.VERIFIED


# ---------------------------------------------------------------- planted bugs
def test_planted_first_price_as_second_price():
    part = ud.undominated_within_K_part(lambda n, B, d: first_price(n, B), assumes=())
    point, seen = refuted(run(part, **SMALL))
    K = [int(x) for x in point["K"].strip("[]").split(",")]
    assert point["n"] == "2" and point["B"] == "2" and int(seen["bid"]) < K[0]     # smallest bid range first
    mf = ud.truthfulness_part([MechanismExample("first price", lambda n, B, d: first_price(n, B))])
    _, seen = refuted(run(mf, n=(2,), B=4, delta=(F(1, 2),)))
    assert F(seen["u(bid)"]) > F(seen["u(truth)"])


def test_fixed_priority_tie_breaking_breaks_sp_at():
    """Reading check (docs/cmz.md): with lowest-index tie-breaking, point valuations K = {b} admit
    the undominated bids b ± 1, so the uniform tie rule the part assumes matters."""
    def alloc(v):
        w = min(range(len(v)), key=lambda j: (-v[j], j))
        return tuple(F(1) if j == w else F(0) for j in range(len(v)))

    def pay(v):
        w = min(range(len(v)), key=lambda j: (-v[j], j))
        return tuple(F(max(x for j, x in enumerate(v) if j != w)) if j == w else F(0) for j in range(len(v)))
    part = ud.undominated_within_K_part(lambda n, B, d: Mechanism("second price, lowest index wins ties", n, B,
                                                                  alloc, pay, False), symmetric=False, assumes=())
    point, seen = refuted(run(part, **TINY))
    K = [int(x) for x in point["K"].strip("[]").split(",")]
    assert K[0] == K[1] and abs(int(seen["bid"]) - K[0]) == 1


def test_lower_riemann_sum_trap_is_caught():
    part = ud.undominated_within_K_part(lambda n, B, d: riemann_mechanism(n, B), assumes=())
    point, seen = refuted(run(part, **TINY))
    K = [int(x) for x in point["K"].strip("[]").split(",")]
    assert K[0] == K[1] and int(seen["bid"]) == K[0] - 1


def test_planted_linear_bound_for_second_price():
    part = ud.welfare_part(lambda n, B, d: second_price(n, B), lambda d, n: (1 - d) / (1 + d), "(1−δ)/(1+δ)")
    point, seen = refuted(run(part, n=(2,), B=8, delta=(F(1, 2),)))
    assert F(1, 9) <= F(seen["E[SW]/MSW"]) < F(1, 3)
    assert F(seen["E[SW]"]) == F(seen["E[SW]/MSW"]) * int(seen["MSW"])


def test_planted_wrong_welfare_constant_for_t4():
    """Planted: the Theorem 4 bound with 4δ/n replaced by 5δ/n (too strong)."""
    wrong = lambda d, n: ((1 - d) ** 2 + 5 * d / n) / (1 + d) ** 2
    part = ud.welfare_part(lambda n, B, d: f_delta(n, B, d), wrong, "((1−δ)²+5δ/n)/(1+δ)²")
    point, seen = refuted(run(part, **SMALL))
    assert point["B"] == "2" and F(seen["E[SW]/MSW"]) < F(seen["bound"])
    assert F(seen["E[SW]/MSW"]) >= welfare_bound_f_delta(F(point["delta"]), int(point["n"]))


def test_an_infeasible_mechanism_is_a_model_error_not_a_counterexample():
    def two_winners(v):
        order = sorted(range(len(v)), key=lambda j: -v[j])
        return tuple(F(1) if j in order[:2] else F(0) for j in range(len(v)))
    part = ud.welfare_part(lambda n, B, d: Mechanism("top two both win", n, B, two_winners, _sp_payment, True),
                           lambda d, n: welfare_bound_second_price(d), "sq")
    v = run(part, **TINY)
    assert v.status is Status.ERROR and "ModelError" in v.summary and "sub-probability" in v.summary
    rule = grid_linear_rule("top two", two_winners)
    point, seen = refuted(run(fd.profile_part("feasible", feasible(rule), "a single good"), **TINY))
    assert F(seen["sum"]) > 1


def test_planted_largest_nstar():
    rule = f_delta_rule(nstar_rule="largest")
    point, seen = refuted(run(fd.profile_part("(4)", fd.valid_probabilities(rule), "valid"), **SMALL))
    assert "f" in seen and point["n"] == "2"
    # M_f of that rule hands out probabilities outside [0, 1]: the mechanism misbehaves (ModelError)
    t4 = ud.welfare_part(lambda n, B, d: f_delta(n, B, d, nstar_rule="largest"),
                         lambda d, n: welfare_bound_f_delta(d, n), "t4")
    v = run(t4, n=(2,), B=5, delta=(F(1, 4),))
    assert v.status is Status.ERROR and "ModelError" in v.summary


def test_planted_D_replaced_by_2delta():
    rule = f_delta_rule(D_override=lambda d: 2 * d / (1 - d) ** 2)
    point, seen = refuted(run(fd.profile_part("(7)", fd.delta_good(rule), "δ-good"), **SMALL))
    assert point["n"] == "2" and F(seen["Σf_j v_j + D f_i v_i"]) < F(seen["(1/n) v_i (n+D)"])


def test_e3_1_checks_the_definition_and_refutes_planted_n_star():
    """(1) evaluates the n* condition for every k by the definition: an implementation using the
    largest such k, or an index set missing k = n, is refuted at the smallest profile."""
    largest = fd.e3_parts(winners=lambda v, D: f_delta_winners(v, D, "largest"))[0]
    point, seen = refuted(run(largest, **SMALL))
    assert point == {"n": "2", "delta": "1/4", "v": "(0, 0)"}
    assert seen == {"smallest index satisfying the condition": "1", "n* used by f^(δ)": "2"}
    no_n = fd.e3_parts(indices=lambda n: range(1, n))[0]
    point, seen = refuted(run(no_n, **SMALL))
    assert point["v"] == "(1, 1)"


def _non_monotone(v):
    """Planted: the highest bidder wins unless it bids more than 2 above the rest (then nobody wins)."""
    top = max(v)
    rest = sorted(v)[-2] if len(v) > 1 else 0
    if top > rest + 2:
        return (F(0),) * len(v)
    return _sp_allocation(v)


def test_planted_non_monotone_f():
    rule = grid_linear_rule("non-monotone", _non_monotone)
    point, seen = refuted(run(fd.monotone_part(rule), **TINY))
    assert F(seen["f_1(z')"]) < F(seen["f_1(z)"]) and F(seen["z"]) < F(seen["z'"])
    mech = lambda n, B, d: m_f_grid_linear("non-monotone", n, B, _non_monotone, True)
    _, seen = refuted(run(ud.truthfulness_part([MechanismExample("non-monotone", mech)]), **TINY))
    # the DML declines (a hypothesis fails) rather than passing or refuting the lemma
    dml = run(ud.dml_part("non-monotone", rule, mech, per_delta=False, n=(2,), B=4))
    assert dml.status is Status.UNKNOWN and "hypothesis 'f monotone' fails" in dml.summary


def test_planted_sweep_payment_is_caught_by_the_sympy_route():
    """E5 compares the two routes exactly: a sweep price off by ln(2)/1000 is refuted."""
    from mechproof.mechanisms.cmz_payments import LogLinear

    class OffByALog(PriceRoutes):
        def prices(self, p):
            sweep, ref = super().prices(p)
            return (sweep + LogLinear.log(2).scale(F(1, 1000)).sympy() if p["bid"] == 2 else sweep), ref
    point, seen = refuted(run(fd.prices_part(OffByALog()), n=(2,), B=3, delta=(F(1, 2),)))
    assert point["bid"] == "2" and point["tau"] == "(0)"


# ---------------------------------------------------------------- cross-checks of the fast routes
def test_undominated_sets_cross_check_passes_and_catches_a_threshold_rounded_down(monkeypatch):
    """SP-AT's 'UDed ⊆ K' cannot see a too small UDed; the cross-check compares the sets themselves."""
    from dataclasses import replace
    import mechproof.mechanisms.cmz_undominated as cu
    assert run(ud.undominated_sets_part(), ud.CMZ_SP_AT, def_B=4).status is Status.VERIFIED
    real = cu.dominance_table

    def rounded_down(mech, i=0):        # planted: the weak range starts one value too low (⌊x⌋ for ⌈x⌉)
        t = real(mech, i)
        return replace(t, pairs={k: replace(r, lo=r.lo - 1) for k, r in t.pairs.items()})
    monkeypatch.setattr(cu, "dominance_table", rounded_down)
    point, seen = refuted(run(ud.undominated_sets_part(), def_B=4))
    assert point["B"] == "2" and seen["UDed(K) by the table"] != seen["UDed(K) by the definition"]


def test_least_ratio_cross_check_pins_the_fast_route_the_intervals_and_the_t4_bound(monkeypatch):
    from mechproof.mechanisms.cmz_model import is_delta_interval
    import mechproof.mechanisms.cmz_welfare as cw
    sp_part = ud.CMZ_T2.parts[2]
    t4_part = ud.CMZ_T4.parts[1]
    assert run(sp_part, ud.CMZ_T2, delta=(F(1, 4), F(1, 2)), def_B=3).status is Status.VERIFIED
    assert run(t4_part, ud.CMZ_T4, delta=(F(1, 4), F(1, 2)), def_B=3).status is Status.VERIFIED
    # planted: Theorem 4's 4δ/n weakened to 3δ/n — the welfare part passes, the bound is no longer attained
    weak = lambda d, n: ((1 - d) ** 2 + 3 * d / n) / (1 + d) ** 2
    assert run(ud.welfare_part(lambda n, B, d: f_delta(n, B, d), weak, "weak"), n=(2,), B=4,
               delta=(F(1, 2),)).status is Status.VERIFIED
    point, seen = refuted(run(ud.worst_ratio_part(lambda n, B, d: f_delta(n, B, d), tight=weak),
                              delta=(F(1, 2),), def_B=4))
    assert F(seen["least E[SW]/MSW (definitions)"]) == F(5, 9) and F(seen["the bound it attains"]) < F(5, 9)
    # planted: boundary δ-intervals dropped ((1−δ)b < (1+δ)a) — the interval sets differ
    monkeypatch.setattr(cw, "delta_intervals", lambda B, d: [K for K in cw.WorstRatioByDefinition.intervals(B, d)
                                                             if (1 - d) * K.b < (1 + d) * K.a or K.b == 0])
    point, seen = refuted(run(sp_part, delta=(F(1, 3),), def_B=4))
    assert "[2,4]" in seen["δ-intervals by the definition"] and "[2,4]" not in seen["δ-intervals of the model"]
    assert is_delta_interval(2, 4, F(1, 3))
    # planted: the fast route takes the smallest max K_i instead of the largest (too optimistic tv_i)
    monkeypatch.undo()
    real_block = cw.WelfareGuarantee._block

    def low_top(self, n, B, d):
        mech, ext = real_block(self, n, B, d)
        lowered = {}
        for i, (lo, hi) in ext.items():
            lowered[i] = (lo, {s: (lo[s][0], lo[s][1]) if s in lo else hi[s] for s in hi})
        return mech, lowered
    monkeypatch.setattr(cw.WelfareGuarantee, "_block", low_top)
    point, seen = refuted(run(sp_part, delta=(F(1, 2),), def_B=4))
    assert F(seen["least E[SW]/MSW (fast route)"]) > F(seen["least E[SW]/MSW (definitions)"])


def test_log_enclosure_cross_check_passes_and_refutes_an_upper_end_rounded_down():
    import sympy
    from mechproof.mechanisms.cmz_price_routes import log_enclosure_values
    assert run(fd.log_enclosure_part(), fd.CMZ_E5, ln_primes=30).status is Status.VERIFIED

    def floored(p):                        # planted: U = ⌊2^prec·ln p⌋ (upper end rounded the wrong way)
        L, x, U = log_enclosure_values(p)
        return L, x, sympy.floor(x)
    point, seen = refuted(run(fd.log_enclosure_part(floored), ln_primes=30))
    assert point == {"p": "2", "prec": "64"}


def test_sp_at_and_t2_through_the_hunting_library_and_a_planted_tie_rule():
    """The claims re-asked through `mechproof hunt`'s properties on the public Auction second price: they
    hold with uniform ties and fail with ties to the lowest index (bid 0 undominated for K = [1, 1])."""
    from fractions import Fraction as F

    from mechproof import Status, second_price
    from mechproof.papers.cmz_undominated import CMZ_SP_AT, CMZ_T2, library_part
    from mechproof.runner import run_part_inline

    def run(part):
        return run_part_inline(part, 120, domain=part.domain.resolve({}), claim_id="CMZ-SP-AT", uses=())
    sp_at = next(p for p in CMZ_SP_AT.parts if "hunting library" in p.name)
    t2 = next(p for p in CMZ_T2.parts if "hunting library" in p.name)
    assert run(sp_at).status is Status.VERIFIED and run(t2).status is Status.VERIFIED
    v = run(library_part("uded-in-K", auction=second_price(), players=(2,), B=2, delta=(F(1, 4),)))
    assert v.status is Status.REFUTED and dict(v.witness.assignment)["K"] == "(1, 1)"


def test_dml_over_every_monotone_rule_on_the_grid():
    """CMZ-DML's z3 part: verified over every table with the hypotheses; without distinguishable
    monotonicity (a planted false lemma) z3 finds a rule — replayed by the plain definition — that
    leaves a bid outside K undominated."""
    from mechproof.mechanisms.cmz_dml_tables import F_KEY, as_table, dml_table_violation, hypotheses_violation
    from mechproof.papers.cmz_undominated import dml_tables_part
    true_part, false_part = dml_tables_part(), dml_tables_part(require_dm=False)
    ok = run_part_inline(true_part, 120, domain=true_part.domain.resolve({"tables_B": "2"}), claim_id="CMZ-DML")
    assert ok.status is Status.VERIFIED and ok.cases == 7
    bad = run_part_inline(false_part, 120, domain=false_part.domain.resolve({"tables_B": "2"}), claim_id="X")
    assert bad.status is Status.REFUTED and "bid outside K" in dict(bad.witness.observed)   # replayed by the core
    # the rule that does it is monotone but not distinguishably monotone: the replay under the true
    # lemma's hypotheses refuses it
    flat = {"B": 2, "K": (0, 0), "bid": 1, F_KEY: ((0, 0, 0),) * 3}
    assert hypotheses_violation(as_table(flat[F_KEY]), 2, require_dm=False) is None
    assert hypotheses_violation(as_table(flat[F_KEY]), 2, require_dm=True) is not None
    assert dml_table_violation(flat, require_dm=True) is None and dml_table_violation(flat, require_dm=False)
    decreasing = dict(flat, **{F_KEY: ((1, 0, 0),) * 3})
    assert dml_table_violation(decreasing, require_dm=False) is None
