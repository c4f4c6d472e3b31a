"""Shared pieces of the CMZ (paper 000) claim tables: the global bound keys, domain texts, and
the adapters from the model's plain properties (None | dict of observed values | str reason) to
the kernel's `Evaluation` and `Query`.  Not a claim module (private: the registry skips it)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import sympy as sp

from mechproof import Evaluation, IntKey, Query, RationalKey, compare_exact
from mechproof.mechanisms.cmz_model import DEFAULT_DELTAS, bid_ladder

__all__ = ["n_key", "B_key", "delta_key", "grid", "ladder", "evaluation", "holds_by", "as_queries",
           "same_number", "DEFAULT_DELTAS", "SECOND_PRICE_TIES", "F_AT_ZERO", "NSTAR_SMALLEST", "MF_PAYMENTS"]

# hypotheses the verdicts depend on (docs/cmz.md, "Readings chosen"), shown with each verdict
SECOND_PRICE_TIES = ("second price breaks ties uniformly at random among the highest bids and charges the "
                     "second-highest bid (the top bid on a tie); with all bids 0 the good is still allocated, price 0")
F_AT_ZERO = "f^(δ)(0) = 0 at the all-zero profile, where Eq. (E.7) is 0/0 (the paper does not define it there)"
NSTAR_SMALLEST = "n* is the smallest index satisfying Def. E.2's condition (the OCR reads 'laset')"
MF_PAYMENTS = ("M_f's payments are v_i·f_i(v) − ∫_0^{v_i} f_i(z⊔v_−i) dz over real z, computed exactly "
               "(q + Σ c_p ln p)")


def n_key(default=(2, 3)):
    return IntKey("n", default, min=2, max=12, many=True, help="numbers of players, a grid (n=2,3 or n=2..4)")


def B_key(default=16):
    return IntKey("B", default, min=1, max=10_000, help="bids and true values are integers in {0..B}")


def delta_key(default=DEFAULT_DELTAS):
    return RationalKey("delta", default, lo=0, hi=1, lo_open=True, hi_open=True, many=True,
                       help="inaccuracy δ, a grid of rationals in (0, 1)")


def grid(values: Iterable[Any]) -> str:
    """{2, 3} / {1/10, 1/4}: a set of exact values as domain text."""
    return "{" + ", ".join(str(v) for v in values) + "}"


def ladder(B: int) -> str:
    """The B values a laddered check runs (2, 4, 8, …, B), as domain text."""
    return grid(bid_ladder(B))


def evaluation(found) -> Evaluation:
    """A model property's answer as an Evaluation: None holds, a dict is the violation's
    observed values, a string is why the point could not be decided."""
    if found is None:
        return Evaluation.of(True)
    if isinstance(found, str):
        return Evaluation.of(None, note=found)
    return Evaluation.of(False, found)


def holds_by(prop: Callable[[dict], Any]) -> Callable[[dict], Evaluation]:
    return lambda point: evaluation(prop(point))


def as_queries(pairs: Iterable[tuple[str, Callable]]) -> list[Query]:
    return [Query(label, build) for label, build in pairs]


def same_number(a, b) -> Evaluation:
    """a = b for exact numbers with logarithms: sympy's log expansion first, else a certified sign."""
    if sp.expand(sp.expand_log(sp.simplify(sp.sympify(a) - sp.sympify(b)), force=True)) == 0:
        return Evaluation.of(True)
    return compare_exact(a, "=", b, {"line sweep": a, "sympy integral": b})
