"""GH value distributions and quantile curves (paper 002 §2.1): exact curves, ironing, bad input."""
from fractions import Fraction as F
import itertools

import pytest
import sympy as sp

from mechproof.mechanisms.distributions import DiscreteDistribution, SymbolicDistribution
from mechproof.mechanisms.exact import UsageError
from mechproof.mechanisms.quantile_curves import (
    PiecewiseLinear, consumer_surplus, consumer_surplus_envelope, inverse_demand, ironed_consumer_surplus,
    ironed_surplus_curve, ironing_violation, surplus_curve, symbolic_curves, symbolic_ironed,
    upper_concave_hull, virtual_price_quantile,
)

D = DiscreteDistribution.of({3: F(1, 4), 1: F(1, 2), 0: F(1, 4)})


def test_discrete_validation():
    with pytest.raises(UsageError):
        DiscreteDistribution.of([1, 2], [0.5, 0.5])
    with pytest.raises(UsageError):
        DiscreteDistribution.of([1, 2], [F(1, 2), F(1, 3)])
    with pytest.raises(UsageError):
        DiscreteDistribution.of([-1, 2], [F(1, 2), F(1, 2)])
    with pytest.raises(UsageError):
        DiscreteDistribution.of([], [])
    d = DiscreteDistribution.of([1, 1, 2], [F(1, 4), F(1, 4), F(1, 2)])
    assert d.values == (2, 1) and d.probabilities == (F(1, 2), F(1, 2))


def test_curves_match_direct_pricing():
    """U(Q_j) is the consumer surplus of the price a_{j+1} sold to values > a_{j+1} (direct evaluation)."""
    V = surplus_curve(D)
    assert V.points == ((0, 0), (F(1, 4), F(3, 4)), (F(3, 4), F(5, 4)), (1, F(5, 4)))
    for price in D.values + (F(0),):
        q = D.prob_above(price)
        direct = sum((v - price) * p for v, p in D.items() if v > price)
        assert consumer_surplus(D, q) == direct
        assert V(q) == sum(v * p for v, p in D.items() if v > price)
    assert inverse_demand(D, 1) == 0 and inverse_demand(D, 0) == 3


def test_ironing_is_least_concave_majorant_on_random_distributions():
    vals = [0, 1, 2, 3, 5]
    probs = [F(1, 6), F(1, 3), F(1, 2)]
    for k in (1, 2, 3):
        for vs in itertools.combinations(vals, k):
            for ps in itertools.product(probs, repeat=k - 1):
                if sum(ps) >= 1:
                    continue
                d = DiscreteDistribution.of(list(vs), list(ps) + [1 - sum(ps)])
                hull = ironed_consumer_surplus(d)
                assert ironing_violation(consumer_surplus_envelope(d), hull) is None
                assert hull.is_concave()
                # Ū ≥ U at every breakpoint and in the middle of every step
                bs = d.quantile_breaks()
                for a, b in zip(bs, bs[1:]):
                    for x in (a, (a + b) / 2):
                        assert hull(x) >= consumer_surplus(d, x)
                S = ironed_surplus_curve(d)
                for x in bs:
                    assert S(x) >= hull(x)          # surplus ≥ consumer surplus


def test_planted_nonconcave_ironing_is_caught():
    """Planted bug: 'ironing' that returns U's own points (a non-concave curve)."""
    env = consumer_surplus_envelope(D)
    d2 = DiscreteDistribution.of({4: F(1, 2), 3: F(1, 4), 0: F(1, 4)})
    env2 = consumer_surplus_envelope(d2)
    raw = PiecewiseLinear(tuple(env2))
    bad = ironing_violation(env2, raw)
    assert bad is not None and bad.kind == "not concave"
    assert len(bad.points) == 3
    # a majorant that is concave but not least
    loose = PiecewiseLinear(((F(0), F(0)), (F(1, 2), F(3, 2)), (F(1), F(5, 4))))
    bad = ironing_violation(env, loose)
    assert bad is not None and bad.kind in ("not minimal", "below U")
    # a curve below U
    low = PiecewiseLinear(((F(0), F(0)), (F(1), F(1))))
    assert ironing_violation(env, low).kind == "below U"


def test_upper_hull_drops_collinear_points():
    assert upper_concave_hull([(0, 0), (F(1, 2), F(1, 2)), (1, 1)]) == ((0, 0), (1, 1))


def test_virtual_price_quantile_is_a_vertex():
    hull = ironed_consumer_surplus(D)
    xs = {x for x, _ in hull.points}
    for t in (F(0), F(1), F(3, 2), F(2), F(5)):
        assert virtual_price_quantile(D, t) in xs
    assert virtual_price_quantile(D, 5) == 0
    assert virtual_price_quantile(D, 0) == 1


def test_symbolic_exponential_and_uniform():
    q = sp.Symbol("q", positive=True)
    e = symbolic_curves(SymbolicDistribution.exponential())
    assert sp.simplify(e.U - e.q) == 0 and e.V1 == 1
    assert symbolic_ironed(SymbolicDistribution.exponential()).pieces[0][2] == e.q
    u = SymbolicDistribution.uniform()
    c = symbolic_curves(u)
    assert sp.simplify(c.U - c.q ** 2 / 2) == 0
    assert sp.simplify(symbolic_ironed(u).pieces[0][2] - c.q / 2) == 0
    with pytest.raises(UsageError):
        SymbolicDistribution.uniform(2, 1)
    with pytest.raises(UsageError):
        SymbolicDistribution.from_inverse_demand(0.5 - q, q)


def test_symbolic_from_cdf():
    x = sp.Symbol("x", positive=True)
    d = SymbolicDistribution.from_cdf(1 - sp.exp(-2 * x), x)
    assert sp.simplify(d.inverse_demand + sp.log(d.q) / 2) == 0


def test_families_are_small_first_and_round_trip_as_points():
    from mechproof.mechanisms.distributions import discrete_family, lattice_family
    fam = list(discrete_family(range(3), 2, [F(1, 2)]))
    sizes = [d.size for d in fam]
    assert sizes == sorted(sizes) and fam[0] == DiscreteDistribution.of([0], [1])
    lat = list(lattice_family(2, 2, 3))
    assert DiscreteDistribution.of([0], [1]) not in lat and all(3 * p == int(3 * p) for d in lat for p in d.probabilities)
    for d in fam + lat:
        assert DiscreteDistribution.from_point(d.as_point()) == d
    with pytest.raises(UsageError):
        list(lattice_family(0, 2, 3))
    with pytest.raises(UsageError):
        list(discrete_family([1], 0, [F(1, 2)]))


def test_surplus_instances_fast_and_plain_routes_agree():
    from mechproof.mechanisms import surplus_instances as si
    for d in (D, DiscreteDistribution.of({2: F(1, 3), 1: F(2, 3)})):
        for q in si.eq2_quantiles(d):
            assert si.eq2_rhs(d, q) == surplus_curve(d)(q) == si.surplus_by_definition(d, q)
            assert sp.simplify(si.eq2_rhs_by_integration(d, q) - si.eq2_rhs(d, q)) == 0
        for n in (1, 2, 3):
            assert si.expected_max(d, n) == si.expected_max_by_profiles(d, n)
            assert si.best_posted_consumer_surplus(d, n) == si.best_posted_consumer_surplus_by_profiles(d, n)
    for n, k in ((6, 2), (5, 5), (4, 1)):
        assert si.exponential_top_k(n, k) == si.exponential_top_k_by_counts(n, k)
