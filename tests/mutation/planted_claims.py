"""Claims with planted wrong constants, for mutants whose effect shows only on a refutation (e.g. the
merge of block shards: the serial count at the witness).  Loaded by the mutation suite with --module."""
from fractions import Fraction

from mechproof import Claim
from mechproof.mechanisms.cmz_mechanisms import f_delta
from mechproof.mechanisms.cmz_model import welfare_bound_f_delta
from mechproof.papers.cmz_undominated import welfare_part

PLANTED_T4_HIGH = Claim(
    id="PLANTED-T4-HIGH", title="M_f^(δ) with Theorem 4's bound raised by 1 % for n ≥ 3 (false)",
    statement="E[SW] ≥ c_n·((1−δ)²+4δ/n)/(1+δ)²·MSW, c_2 = 1, c_n = 1.01 for n ≥ 3 (a planted wrong constant: "
              "its first violation lies past the n = 2 blocks)", source="tests/mutation",
    parts=(welfare_part(lambda n, B, d: f_delta(n, B, d),
                        lambda d, n: welfare_bound_f_delta(d, n) * (Fraction(101, 100) if n >= 3 else 1),
                        "c_n·bound"),))


def _near_integer(n: int, B: int, d=None):
    """Each bidder with a positive bid wins w.p. 1/n and pays 1/n − 2^-71: for n = 2 the threshold
    x = 1 − 2^-70 has an int64 enclosure ending exactly at 1, so only the exact confirmation of the
    fast pair stage tells that 1 is not a tie point."""
    from fractions import Fraction as F

    from mechproof.mechanisms.cmz_mechanisms import Mechanism

    def alloc(v):
        return tuple(F(1, n) if b > 0 else F(0) for b in v)

    def pay(v):
        return tuple(F(1, n) - F(1, 2 ** 71) if b > 0 else F(0) for b in v)
    return Mechanism("near-integer thresholds", n, B, alloc, pay, symmetric=True)


def _engine_claim():
    from mechproof import Role
    from mechproof.papers.cmz_undominated import table_routes_part
    return Claim(id="ENGINE-NEAR-TIES", title="The fast pair stage on thresholds just below an integer",
                 statement="The int64 pair stage equals the exact route where enclosures touch an integer",
                 source="tests/mutation", parts=(table_routes_part(_near_integer, assumes=(), role=Role.CONJUNCT),))


ENGINE_NEAR_TIES = _engine_claim()
