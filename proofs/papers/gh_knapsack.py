"""GH (paper 002), Appendix B: GH-L6 (Algorithm 1 is a 2-approximation; both alternatives are DA).

As printed, nothing keeps an item from being larger than the knapsack, and "pick agents in this
order until the knapsack is full" stops at the first item that does not fit: with an oversized
item early in the bang-per-buck order the greedy collects almost nothing while three small items
make OPT = 3 and Max = 1 (refuted, point-mass distributions).  The reading discards items larger
than the knapsack first, as the Appendix B DA clocks do; then the proof's pointwise G + M ≥ OPT
holds for both readings of "until full".  Points and properties: mechanisms/knapsack_properties.py;
z3 encoding: smt/knapsack_search.py.  Readings: docs/gh-combinatorial.md.
"""
from __future__ import annotations

from fractions import Fraction

from mechproof import (Claim, Evaluation, IntKey, Limit, Method, Part, Query, Role, Schema, Sign, enumeration_check,
                       smt_check, steps_check)
from mechproof.mechanisms.knapsack_properties import (algorithm1_holds, algorithm1_plain, clock_cases, clock_points,
                                                      clocks_allocate_as_algorithms, fast_route_matches_plain,
                                                      instance_cases, instance_points)
from mechproof.smt.knapsack_search import greedy_shortfall_query

READING = "items larger than the knapsack are discarded"
TIES = "ratio ties broken by the lower index (the order the Appendix B clock uses)"


def _box(items, size, value, capacity, text, cases) -> Schema:
    return Schema(IntKey("items", items, min=1, max=6, local=True, help="items: every n ≤ items"),
                  IntKey("size", size, min=1, max=10, local=True, help="sizes in 1..size"),
                  IntKey("value", value, min=1, max=10, local=True, help="values in 0..value"),
                  IntKey("capacity", capacity, min=1, max=12, local=True, help="capacities in 1..capacity"),
                  text=text, cases=cases)


def _property(**options):
    return (lambda p: algorithm1_holds(p, **options)), (lambda p: Evaluation.of(*algorithm1_plain(p, **options)))


def as_printed_part() -> Part:
    holds, plain = _property(discard_oversized=False, readings=("A",), combine="max", ratio=Fraction(2))
    return Part(
        "oversized items kept, greedy stops at the first misfit", method=Method.ENUMERATION,
        role=Role.AS_PRINTED,
        domain=_box(4, 4, 4, 4, "n ≤ $items items, sizes 1..$size, values 0..$value, capacity 1..$capacity "
                                "(items may exceed the capacity); point-mass distributions",
                    lambda d: instance_cases(d, False)),
        check=enumeration_check(
            lambda d: instance_points(d, False), holds, replay=plain,
            summary="2·max(greedy, Max) ≥ OPT on all {cases} instances",
            violation="Algorithm 1 gets less than OPT/2 at {point}: the greedy stops at an item that cannot fit"),
        technique="fewest items, then smallest largest entry, then lexicographic",
        assumes=(TIES, "Max = the most valuable item that fits alone (the only feasible reading of 'the agent with "
                       "the largest value')"))


def reading_enumeration_part(combine="sum", ratio=Fraction(1)) -> Part:
    holds, plain = _property(discard_oversized=True, combine=combine, ratio=ratio)
    return Part(
        "oversized items discarded, exhaustive", method=Method.ENUMERATION, role=Role.READING, reading=READING,
        domain=_box(4, 3, 3, 4, "n ≤ $items items, sizes 1..$size, values 0..$value, capacity 1..$capacity, every "
                                "size ≤ capacity; both readings of 'until the knapsack is full'",
                    lambda d: instance_cases(d, True)),
        check=enumeration_check(
            lambda d: instance_points(d, True), holds, replay=plain,
            summary="G + M ≥ OPT pointwise (so max(E[G], E[M]) ≥ E[OPT]/2 for every distribution) on all {cases} "
                    "instances",
            violation="ALG falls short at {point}"),
        technique="fewest items, then smallest largest entry, then lexicographic", assumes=(TIES,))


def _queries(combine, ratio):
    def queries(domain):
        for n in range(1, domain["items"] + 1):
            for reading in ("prefix", "fill"):
                yield Query(f"n={n}, reading {'A' if reading == 'prefix' else 'B'}",
                            lambda n=n, reading=reading: greedy_shortfall_query(
                                n, domain["size"], domain["value"], domain["capacity"], ratio, reading, combine))
    return queries


def reading_smt_part(combine="sum", ratio=Fraction(1)) -> Part:
    def replay(point):
        return Evaluation.of(*algorithm1_plain(point, discard_oversized=True, readings=(point["reading"],),
                                               combine=combine, ratio=ratio))
    return Part(
        "oversized items discarded, z3", method=Method.SMT, role=Role.READING, reading=READING,
        domain=_box(4, 8, 8, 10, "n ≤ $items items, sizes 1..$size, values 0..$value, capacity 1..$capacity, every "
                                 "size ≤ capacity, both readings, any order among equal ratios",
                    lambda d: 2 * d["items"]),
        check=smt_check(_queries(combine, ratio), replay=replay,
                        summary="no instance with ALG < OPT (ALG = greedy + Max): unsat in all {cases} queries"),
        technique="bounded integer arithmetic; models replayed by the plain algorithms")


def clocks_part() -> Part:
    return Part(
        "both alternatives are DA", method=Method.ENUMERATION, role=Role.READING, reading=READING,
        domain=_box(3, 3, 2, 4, "n ≤ $items items, sizes 1..$size, values 0..$value (the clocks' ladder), capacity "
                                "1..$capacity, every size ≤ capacity", clock_cases),
        check=enumeration_check(
            clock_points, lambda p: Evaluation.of(*clocks_allocate_as_algorithms(p)),
            summary="the bang-per-buck and single-best-item DA clocks allocate exactly as greedy (reading A) and "
                    "Max on all {cases} instances",
            violation="a DA clock and its algorithm differ at {point}"),
        assumes=(TIES,))


def fast_route_part(plain=None) -> Part:
    """The integer fast route of the enumeration parts against the plain Fraction algorithms, value by value
    (`plain`: planted wrong in tests)."""
    return Part(
        "fast route = plain algorithms", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        domain=_box(3, 2, 2, 3, "n ≤ $items items, sizes 1..$size, values 0..$value, capacity 1..$capacity (items may "
                                "exceed the capacity); OPT, Max and both greedy readings",
                    lambda d: instance_cases(d, False)),
        check=enumeration_check(
            lambda d: instance_points(d, False),
            lambda p: Evaluation.of(*fast_route_matches_plain(p, discard_oversized=False, plain=plain)),
            summary="OPT, Max and greedy (readings A and B) of the integer route equal the plain algorithms' on all "
                    "{cases} instances",
            violation="the fast route and the plain algorithms differ at {point}"),
        assumes=(TIES,))


# ------------------------------------------------------------------ tightness: the family m = 2, 3, …
def family_point(m: int) -> dict:
    """Capacity 2m; a small item (size 1, value m + 1: the best bang per buck) and two of size m, value m²:
    greedy takes the small item and one large one, the other no longer fits; Max = m²; OPT = 2m²."""
    return {"m": m, "sizes": (1, m, m), "values": (m + 1, m * m, m * m), "capacity": 2 * m}


def _family_closed_forms(point) -> tuple[bool, dict]:
    ok, observed = algorithm1_plain(point, discard_oversized=True, combine="max", ratio=Fraction(2))
    m = point["m"]
    want = {"OPT": 2 * m * m, "Max": m * m, "greedy_A": m * m + m + 1, "greedy_B": m * m + m + 1}
    same = all(observed[k] == v for k, v in want.items())
    return ok and same, {**observed, "closed forms": want} if not (ok and same) else observed


def _family_ratio(point) -> Fraction:
    _, observed = algorithm1_plain(point, discard_oversized=True, combine="max", ratio=Fraction(2))
    return max(observed["greedy_A"], observed["Max"]) / observed["OPT"]


def family_part() -> Part:
    return Part(
        "tightness: the family, exactly", method=Method.ENUMERATION, role=Role.CROSS_CHECK,
        domain=Schema(IntKey("tight_m", 40, min=2, max=10_000, local=True, help="family members m = 2..tight_m"),
                      text="capacity 2m, items (size 1, value m + 1), (m, m²), (m, m²), m = 2..$tight_m",
                      cases=lambda d: d["tight_m"] - 1),
        check=enumeration_check(
            lambda d: (family_point(m) for m in range(2, d["tight_m"] + 1)),
            lambda p: Evaluation.of(*_family_closed_forms(p)),
            value=_family_ratio, value_name="max(G, M)/OPT", target=Fraction(1, 2),
            summary="greedy = m² + m + 1, Max = m², OPT = 2m² by the plain algorithms at all {cases} members, so "
                    "max(G, M)/OPT = (m² + m + 1)/(2m²); least {worst} at {at} ({tightness})",
            violation="the family member {point} does not have the closed forms"),
        assumes=(TIES,))


def family_limit_steps(claimed=Fraction(1, 2)) -> list:
    import sympy as sp
    m = sp.Symbol("m", integer=True, positive=True)
    ratio = (m ** 2 + m + 1) / (2 * m ** 2)
    return [
        Sign("the claim holds along the family, with slack (m + 1)/(2m²) > 0", ratio - sp.Rational(1, 2), ">0"),
        Limit("m → ∞: max(G, M)/OPT = (m² + m + 1)/(2m²) tends to the claimed 1/2: the factor 2 cannot be improved",
              ratio, m, sp.oo, sp.Rational(claimed.numerator, claimed.denominator)),
    ]


def family_limit_part(claimed=Fraction(1, 2)) -> Part:
    return Part(
        "tightness: ratio in closed form, its limit", method=Method.DERIVATION, role=Role.CROSS_CHECK,
        domain="every m ≥ 1 (the closed form checked on members 2..tight_m by 'tightness: the family, exactly')",
        check=steps_check(lambda: family_limit_steps(claimed),
                          summary="(m² + m + 1)/(2m²) > 1/2 → 1/2: slack on every instance, approached at rate 1/(2m)"),
        technique="sympy sign and limit")


GH_L6 = Claim(
    id="GH-L6", title="Knapsack: better of bang-per-buck greedy and best single item ≥ OPT/2",
    statement="Appendix B knapsack: the better of bang-per-buck greedy and the single best item is ≥ OPT/2 "
              "(and both are deferred-acceptance).",
    source="GH (002), Appendix B, Algorithm 1 and Lemma 6",
    why_not_proved=('False as printed (an exact witness); the reading (oversized items discarded) is '
                    'decided pointwise on every instance of a bounded grid and by z3 on bounded sizes; the '
                    "textbook argument (greedy's prefix plus the first misfit cover OPT's fractional "
                    'relaxation) is not encoded as a derivation.'),
    parts=(as_printed_part(), reading_enumeration_part(), reading_smt_part(), clocks_part(), fast_route_part(),
           family_part(), family_limit_part()),
)
