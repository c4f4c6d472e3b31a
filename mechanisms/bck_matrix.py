"""Order-oblivious posted pricing on a matrix of buyers (BCK, paper 001, App. E, Lemma 20).

`soft_opm_utility`: every accepting buyer pays (feasible only in expectation);
`partial_opm_utility`: rows in a given order, inside a row an adversary who knows every price
and value picks the order minimising the seller's utility; a buyer is served if he accepts and
neither his row nor his column has been served.  Exact, by enumeration of the realisations.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Callable, Sequence

from .bck_model import check_offer, sale_probability
from .exact import UsageError

__all__ = ["soft_opm_utility", "partial_opm_utility"]

def _sale_table(values, offers):
    """Per matrix cell: ((price, Pr[offered p and v ≥ p]), …) and the no-sale probability."""
    table = []
    for row_v, row_o in zip(values, offers):
        cells = []
        for v, offer in zip(row_v, row_o):
            sales = [(p, q * sale_probability(v, p)) for p, q in check_offer(offer)]
            sales = [(p, s) for p, s in sales if s != 0]
            cells.append((tuple(sales), 1 - sum((s for _, s in sales), Fraction(0))))
        table.append(cells)
    return table


def _realisations(table):
    cells = [(r, c, cell) for r, row in enumerate(table) for c, cell in enumerate(row)]
    choices = [[(None, none)] + list(sales) for (_, _, (sales, none)) in cells]
    for combo in itertools.product(*choices):
        prob = Fraction(1)
        for _, q in combo:
            prob *= q
        if prob == 0:
            continue
        yield {(r, c): p for (r, c, _), (p, _) in zip(cells, combo) if p is not None}, prob


def soft_opm_utility(U: Callable, values, offers) -> Fraction:
    """E[U(total revenue)] of a soft-OPM on an n×m matrix: every accepting buyer pays (BCK App. E)."""
    table = _sale_table(values, offers)
    return sum((prob * U(sum(sales.values(), Fraction(0))) for sales, prob in _realisations(table)), Fraction(0))


def partial_opm_utility(U: Callable, values, offers, row_order: Sequence[int]) -> Fraction:
    """E[U] of the partial-OPM (BCK App. E): rows in `row_order`, inside a row an adversary who knows
    all prices and values picks the order minimising the seller's utility; a buyer is served
    if he accepts and neither his row nor his column has been served."""
    table = _sale_table(values, offers)
    n, m = len(table), len(table[0])
    if sorted(row_order) != list(range(n)):
        raise UsageError(f"row order {row_order} is not a permutation of the {n} rows")
    total = Fraction(0)
    for sales, prob in _realisations(table):
        served_sets = set()         # the buyers each order serves; orders often serve the same ones
        for orders in itertools.product(*(itertools.permutations(range(m)) for _ in range(n))):
            used_rows, used_cols, served = set(), set(), []
            for pos_r, r in enumerate(row_order):
                for c in orders[pos_r]:
                    if (r, c) in sales and r not in used_rows and c not in used_cols:
                        used_rows.add(r)
                        used_cols.add(c)
                        served.append((r, c))
            served_sets.add(tuple(sorted(served)))
        revenues = {sum((sales[cell] for cell in served), Fraction(0)) for served in served_sets}
        total += prob * min(U(rev) for rev in revenues)
    return total


