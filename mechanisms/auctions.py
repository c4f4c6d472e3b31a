"""Your own mechanism, and the classic ones, as exact allocation and payment rules.

An `Auction` maps a bid profile (a tuple of exact rationals, one per player) to an allocation and
a payment per player.  A player's allocation is the probability of winning (single item, or one of
`supply` identical units, each player wanting at most one), or the click rate of the slot won
(position auctions: `slots` lists the slots' rates, highest first).  Utilities are quasi-linear:
player i with value v_i gets v_i·x_i − p_i, all in exact Fractions.  Randomised mechanisms give
allocation probabilities and expected payments.

    from fractions import Fraction
    from mechproof import Auction

    def allocation(bids):                      # highest bid wins, ties to the lowest index
        top = max(range(len(bids)), key=lambda i: (bids[i], -i))
        return [1 if i == top else 0 for i in range(len(bids))]

    def payment(bids):                         # pays its own bid
        x = allocation(bids)
        return [bids[i] * x[i] for i in range(len(bids))]

    MY_FIRST_PRICE = Auction("my first price", allocation, payment)

`Auction.table(name, {bids: (allocation, payment)})` declares one by its table.  Built-ins:
`second_price()`, `first_price()`, `kth_price(k)`, `all_pay()`, `random_assignment()`,
`posted_price(p)`, `vcg_unit_demand(units)`, `gsp(slots)`, `myerson_payments(name, allocation)`
(the payments of Myerson's identity for your monotone allocation rule).  Ties: `tie="lowest-index"`
(the default) or `tie="uniform"` (split equally).

`outcome(auction, bids)` evaluates a profile and validates it: exact numbers (a float is a
`ModelError` naming the profile), one entry per player, allocations in [0, 1] (unit demand) and
within supply — unless asked not to, for the feasibility property that reports those as findings.
"""
from __future__ import annotations

import signal
import threading
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping, Sequence

from .errors import ClaimDeclarationError, ModelError, UsageError
from .cmz_payments import LogLinear, fit_inverse_pieces, integrate_pieces
from .exact import as_rational

__all__ = ["Auction", "outcome", "evaluator", "exact_number", "second_price", "first_price", "kth_price", "all_pay",
           "random_assignment", "posted_price", "vcg_unit_demand", "gsp", "myerson_payments", "f_delta_auction",
           "allocation_integral", "exact_payment", "TIE_RULES", "PARAMETRISED_AUCTIONS",
           "BUILTIN_AUCTIONS"]

TIE_RULES = ("lowest-index", "uniform")
Bids = tuple[Fraction, ...]


@dataclass(frozen=True)
class Auction:
    """A mechanism: `allocation(bids)` and `payment(bids)`, each a sequence with one exact rational
    per player.  `supply`: identical units (1: a single item); `slots`: the click rates of the slots
    of a position auction, highest first (then an allocation is the rate of the slot won)."""

    name: str
    allocation: Callable[[Bids], Sequence[Any]]
    payment: Callable[[Bids], Sequence[Any]]
    supply: int = 1
    slots: tuple[Fraction, ...] | None = None
    description: str = ""
    source: str = field(default="", compare=False)     # the text that defines it (for the result cache)
    # where z ↦ x_i(z, b₋ᵢ) may change form (player i, bids) → points z; between two of them the
    # allocation is a + c/z, so ∫ x_i dz is exact (payment-identity, myerson_payments); None: the
    # allocation is constant between the points of the bid grid
    breakpoints: Callable[[int, Bids], Iterable[Any]] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ClaimDeclarationError("Auction: give the mechanism a name")
        if self.breakpoints is not None and not callable(self.breakpoints):
            raise ClaimDeclarationError(f"Auction {self.name!r}: breakpoints must be a function (player, bids) → points")
        for what in ("allocation", "payment"):
            if not callable(getattr(self, what)):
                raise ClaimDeclarationError(f"Auction {self.name!r}: {what} must be a function of the bid profile")
        if isinstance(self.supply, bool) or not isinstance(self.supply, int) or self.supply < 1:
            raise ClaimDeclarationError(f"Auction {self.name!r}: supply must be a positive integer, got "
                                        f"{self.supply!r}")
        if self.slots is not None:
            rates = tuple(exact_number(r, f"Auction {self.name!r}: slot rate") for r in self.slots)
            if not rates or any(r < 0 or r > 1 for r in rates) or list(rates) != sorted(rates, reverse=True):
                raise ClaimDeclarationError(f"Auction {self.name!r}: slots must be click rates in [0, 1], "
                                            "highest first")
            object.__setattr__(self, "slots", rates)

    @staticmethod
    def table(name: str, rows: Mapping[tuple, tuple[Sequence[Any], Sequence[Any]]], **kw: Any) -> "Auction":
        """A mechanism given by its table: {bid profile: (allocation, payment)}.  A profile outside the
        table is a `ModelError` (so a search over a larger grid says which profile is missing)."""
        table = {tuple(exact_number(b, f"Auction {name!r}: table bid") for b in k): v for k, v in rows.items()}

        def look(bids: Bids, which: int) -> Sequence[Any]:
            try:
                return table[tuple(bids)][which]
            except KeyError:
                raise ModelError(f"{name}: the table has no row for bids {_text(bids)}") from None
        return Auction(name, lambda b: look(b, 0), lambda b: look(b, 1), **kw)

    def welfare_optimum(self, values: Bids) -> Fraction:
        """The largest Σ v_i·x_i any feasible allocation reaches: the top `supply` values (unit demand),
        or the values matched to the slots in order."""
        ranked = sorted(values, reverse=True)
        if self.slots is not None:
            return sum((r * v for r, v in zip(self.slots, ranked)), Fraction(0))
        return sum((max(v, Fraction(0)) for v in ranked[: self.supply]), Fraction(0))


def _text(bids: Sequence[Any]) -> str:
    return "(" + ", ".join(str(b) for b in bids) + ")"


def exact_number(value: Any, what: str) -> Fraction:
    """`value` as a Fraction (exact.as_rational's rules); a float, a string or a non-number is a
    ModelError naming `what` — a mechanism misbehaving, not a user's input."""
    if isinstance(value, str):
        raise ModelError(f"{what} is the string {value!r}, not a number")
    try:
        return as_rational(value, what)
    except UsageError as exc:
        raise ModelError(str(exc).split(" (or the string")[0]) from None


def exact_payment(value: Any, what: str) -> Any:
    """A payment: an exact rational (exact_number's rules) or an exact real q + Σ c_p·ln p (`LogLinear`,
    the payments of Myerson's identity for an allocation with c/z pieces); a LogLinear without
    logarithms is its rational."""
    if isinstance(value, LogLinear):
        return value if value.logs else value.q
    return exact_number(value, what)


def allocation_integral(allocation_of: Callable[[Bids], Sequence[Any]], i: int, bids: Bids, *,
                        step: Any = 1, breakpoints: Callable[[int, Bids], Iterable[Any]] | None = None) -> Any:
    """∫₀^{b_i} x_i(z, b₋ᵢ) dz, exactly, with `allocation_of(bids)` giving the exact allocation.

    With `breakpoints`, x_i(·, b₋ᵢ) is a + c/z between consecutive points (fitted at two interior
    points, checked at a third: a ModelError where it is not) and the integral is a `LogLinear`;
    without, x_i is constant between the points of the bid grid of spacing `step` and is read at the
    midpoint of each grid interval (or of the part of it below b_i)."""
    b = bids[i]
    if b <= 0:
        return Fraction(0)

    def at(z: Fraction) -> Fraction:
        return allocation_of(bids[:i] + (z,) + bids[i + 1:])[i]
    if breakpoints is not None:
        try:
            pieces = fit_inverse_pieces(breakpoints(i, bids), b, at)
        except ModelError as exc:
            raise ModelError(f"x_{i}(z, b₋ᵢ) at bids {_text(bids)}: {exc}") from None
        return exact_payment(integrate_pieces(pieces, b), "the integral")
    h = Fraction(step)
    area, z0 = Fraction(0), Fraction(0)
    while z0 < b:                              # [z0, z1]: a grid interval, or the last part of one
        z1 = min(b, (z0 // h + 1) * h)
        area += (z1 - z0) * at((z0 + z1) / 2)
        z0 = z1
    return area


PROFILE_SECONDS = 10      # one evaluation of a mechanism taking longer than this is reported as hanging there


class _Hang(Exception):
    pass


def _call(fn: Callable, bids: Bids):
    """fn(bids), interrupted after PROFILE_SECONDS where a timer signal is available (the main thread of
    a worker process), so that a mechanism hanging on one profile is reported with that profile."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return fn(bids)

    def ring(signum, frame):
        raise _Hang()
    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, PROFILE_SECONDS)
    try:
        return fn(bids)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def outcome(auction: Auction, bids: Sequence[Any], validate: bool = True) -> tuple[Bids, Bids]:
    """(allocation, payment) at `bids`, exact, checked; any misbehaviour is a ModelError naming the profile
    (raising, hanging for more than PROFILE_SECONDS, a float, the wrong length, an infeasible allocation)."""
    bids = tuple(Fraction(b) for b in bids)
    n = len(bids)
    result = []
    for what in ("allocation", "payment"):
        try:
            raw = _call(getattr(auction, what), bids)
        except _Hang:
            raise ModelError(f"{auction.name}: {what} did not answer within {PROFILE_SECONDS} s at bids "
                             f"{_text(bids)} (it hangs there)") from None
        except ModelError as exc:
            raise ModelError(f"{auction.name}: {what} at bids {_text(bids)}: {exc}") from None
        except Exception as exc:
            raise ModelError(f"{auction.name}: {what} raised {type(exc).__name__}: {exc} at bids {_text(bids)}") \
                from None
        try:
            values = tuple(raw)
        except TypeError:
            raise ModelError(f"{auction.name}: {what} at bids {_text(bids)} is {raw!r}, not a sequence") from None
        if len(values) != n:
            raise ModelError(f"{auction.name}: {what} at bids {_text(bids)} has {len(values)} entries for {n} players")
        number = exact_number if what == "allocation" else exact_payment
        result.append(tuple(number(v, f"{auction.name}: {what} of player {i} at bids {_text(bids)}")
                            for i, v in enumerate(values)))
    x, p = result
    if validate:
        problem = infeasibility(auction, x)
        if problem:
            raise ModelError(f"{auction.name}: at bids {_text(bids)} {problem}")
    return x, p


def evaluator(auction: Auction, validate: bool = True, memo: bool = True) -> Callable[[Bids], tuple[Bids, Bids]]:
    """`bids ↦ outcome(auction, bids, validate)`, memoised when `memo` (a search's fast route; the
    replay of a witness uses memo=False, recomputing from the mechanism)."""
    cache: dict = {}

    def evaluate(bids):
        if memo and bids in cache:
            return cache[bids]
        out = outcome(auction, bids, validate=validate)
        if memo:
            if len(cache) > 200_000:
                cache.clear()
            cache[bids] = out
        return out
    return evaluate


def infeasibility(auction: Auction, x: Bids) -> str:
    """Why allocation `x` is infeasible for `auction`, or ''."""
    for i, xi in enumerate(x):
        if xi < 0 or xi > 1:
            return f"player {i}'s allocation {xi} is outside [0, 1]"
    if auction.slots is not None:
        rates = auction.slots
        ranked = sorted(x, reverse=True)
        # a randomisation over slot assignments: the k largest rates received ≤ the k best slots
        for k in range(1, len(x) + 1):
            if sum(ranked[:k], Fraction(0)) > sum(rates[:k], Fraction(0)):
                return f"the {k} largest click rates sum to {sum(ranked[:k], Fraction(0))} > the {k} best slots' " \
                       f"{sum(rates[:k], Fraction(0))}"
        return ""
    total = sum(x, Fraction(0))
    if total > auction.supply:
        return f"the allocations sum to {total} > supply {auction.supply}"
    return ""


# ------------------------------------------------------------------ built-ins
def _check_tie(tie: str) -> None:
    if tie not in TIE_RULES:
        raise ClaimDeclarationError(f"tie rule {tie!r} is not one of {', '.join(TIE_RULES)}")


def _winners(bids: Bids, units: int, tie: str) -> list[Fraction]:
    """Win probabilities of the `units` highest bids (ties: lowest index, or uniform among the tied)."""
    n = len(bids)
    order = sorted(range(n), key=lambda i: (-bids[i], i))
    x = [Fraction(0)] * n
    units = min(units, n)
    if units == 0:
        return x
    if tie == "lowest-index":
        for i in order[:units]:
            x[i] = Fraction(1)
        return x
    cutoff = bids[order[units - 1]]
    above = [i for i in range(n) if bids[i] > cutoff]
    tied = [i for i in range(n) if bids[i] == cutoff]
    for i in above:
        x[i] = Fraction(1)
    for i in tied:
        x[i] = Fraction(units - len(above), len(tied))
    return x


def _kth_highest(values: Sequence[Fraction], k: int) -> Fraction:
    ranked = sorted(values, reverse=True)
    return ranked[k - 1] if len(ranked) >= k else Fraction(0)


def kth_price(k: int = 2, tie: str = "lowest-index") -> Auction:
    """Single item to the highest bid, who pays the k-th highest bid (k = 1 first price, k = 2 second price)."""
    _check_tie(tie)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ClaimDeclarationError(f"kth_price: k must be a positive integer, got {k!r}")

    def payment(bids: Bids) -> list[Fraction]:
        price = _kth_highest(bids, k)
        return [price * xi for xi in _winners(bids, 1, tie)]
    names = {1: "first price", 2: "second price"}
    return Auction(names.get(k, f"{k}-th price") + ("" if tie == "lowest-index" else f" ({tie} ties)"),
                   lambda b: _winners(b, 1, tie), payment,
                   description=f"highest bid wins (ties: {tie}), pays the {k}-th highest bid")


def second_price(tie: str = "lowest-index") -> Auction:
    """Vickrey: the highest bid wins and pays the second-highest bid."""
    return kth_price(2, tie)


def first_price(tie: str = "lowest-index") -> Auction:
    """The highest bid wins and pays its bid."""
    return kth_price(1, tie)


def all_pay(tie: str = "lowest-index") -> Auction:
    """The highest bid wins; every player pays its own bid."""
    _check_tie(tie)
    return Auction("all-pay" + ("" if tie == "lowest-index" else f" ({tie} ties)"), lambda b: _winners(b, 1, tie),
                   lambda b: list(b), description=f"highest bid wins (ties: {tie}), everyone pays its bid")


def random_assignment() -> Auction:
    """The item goes to a uniformly random player, for free (ignores the bids)."""
    return Auction("random assignment", lambda b: [Fraction(1, len(b))] * len(b), lambda b: [Fraction(0)] * len(b),
                   description="uniformly random winner, no payment")


def posted_price(price: Any, tie: str = "lowest-index") -> Auction:
    """A price p: among the players bidding ≥ p, one wins (ties: lowest index or uniform) and pays p."""
    _check_tie(tie)
    p = exact_number(price, "posted_price: the price")

    def allocation(bids: Bids) -> list[Fraction]:
        takers = [i for i, b in enumerate(bids) if b >= p]
        x = [Fraction(0)] * len(bids)
        if takers:
            if tie == "lowest-index":
                x[takers[0]] = Fraction(1)
            else:
                for i in takers:
                    x[i] = Fraction(1, len(takers))
        return x
    return Auction(f"posted price {p}", allocation, lambda b: [p * xi for xi in allocation(b)],
                   description=f"sells at price {p} to a player bidding ≥ {p} (ties: {tie})")


def vcg_unit_demand(units: int = 2, tie: str = "lowest-index") -> Auction:
    """`units` identical units, unit demand: the highest bids win one each and pay the (units+1)-th bid."""
    _check_tie(tie)
    if isinstance(units, bool) or not isinstance(units, int) or units < 1:
        raise ClaimDeclarationError(f"vcg_unit_demand: units must be a positive integer, got {units!r}")

    def payment(bids: Bids) -> list[Fraction]:
        price = _kth_highest(bids, units + 1)
        return [price * xi for xi in _winners(bids, units, tie)]
    return Auction(f"VCG, {units} units", lambda b: _winners(b, units, tie), payment, supply=units,
                   description=f"{units} highest bids win a unit each, pay the ({units}+1)-th bid (ties: {tie})")


def gsp(slots: Sequence[Any]) -> Auction:
    """Generalised second price: slot j to the j-th highest bid (ties: lowest index), who pays the
    (j+1)-th highest bid per click (expected payment rate_j × that bid)."""
    rates = tuple(exact_number(r, "gsp: a slot's click rate") for r in slots)

    def ranked(bids: Bids) -> list[int]:
        return sorted(range(len(bids)), key=lambda i: (-bids[i], i))

    def allocation(bids: Bids) -> list[Fraction]:
        x = [Fraction(0)] * len(bids)
        for j, i in enumerate(ranked(bids)[: len(rates)]):
            x[i] = rates[j]
        return x

    def payment(bids: Bids) -> list[Fraction]:
        order = ranked(bids)
        p = [Fraction(0)] * len(bids)
        for j, i in enumerate(order[: len(rates)]):
            nxt = bids[order[j + 1]] if j + 1 < len(order) else Fraction(0)
            p[i] = rates[j] * nxt
        return p
    return Auction(f"GSP, slots {', '.join(str(r) for r in rates)}", allocation, payment, slots=rates,
                   description="slot j to the j-th highest bid, paying the next bid per click")


def myerson_payments(name: str, allocation: Callable[[Bids], Sequence[Any]], step: Any = 1,
                     breakpoints: Callable[[int, Bids], Iterable[Any]] | None = None) -> Auction:
    """The mechanism of your allocation rule with Myerson's payments p_i(b) = b_i·x_i(b) − ∫₀^{b_i} x_i(z, b₋ᵢ) dz
    (CMZ's M_f), the integral taken exactly (`allocation_integral`): for an allocation constant between
    the points of the bid grid of spacing `step`, or, with `breakpoints(i, bids)` — the points z where
    x_i(·, b₋ᵢ) may change form — for one that is a + c/z between them (payments then are exact reals
    q + Σ c_p·ln p).  For a monotone rule this is the truthful mechanism of that rule (p_i(0, b₋ᵢ) = 0)."""
    h = exact_number(step, "myerson_payments: step")
    if h <= 0:
        raise ClaimDeclarationError("myerson_payments: step must be positive")
    if breakpoints is not None and not callable(breakpoints):
        raise ClaimDeclarationError("myerson_payments: breakpoints must be a function (player, bids) → points")

    def allocation_of(bids: Bids) -> list[Fraction]:
        return [exact_number(v, f"{name}: allocation") for v in allocation(bids)]

    def payment(bids: Bids) -> list[Any]:
        x = allocation_of(bids)
        return [b * x[i] - allocation_integral(allocation_of, i, bids, step=h, breakpoints=breakpoints)
                for i, b in enumerate(bids)]
    form = f"grid step {h}" if breakpoints is None else "a + c/z between breakpoints"
    return Auction(name, allocation, payment, breakpoints=breakpoints,
                   description=f"{name} with Myerson's payments ({form})")


def f_delta_auction(delta: Any) -> Auction:
    """CMZ's M_{f^(δ)} (Def. E.2, Thm 4): f^(δ) of Eq. (E.7) (f = 0 at the all-zero profile) with
    Myerson's payments, exact (log-linear: f^(δ) is a + c/z between the breakpoints of Lemma E.5)."""
    from .cmz_mechanisms import D_of_delta, check_delta, f_delta_allocation, f_delta_breakpoints
    d = check_delta(exact_number(delta, "f_delta_auction: δ"))
    D = D_of_delta(d)
    m = myerson_payments(f"M_f^(δ) (δ={d})", lambda b: f_delta_allocation(b, d, D=D),
                         breakpoints=lambda i, b: f_delta_breakpoints(b[:i] + b[i + 1:], D))
    return replace(m, description=f"CMZ's M_f^(δ), δ = {d}: f^(δ) of Eq. (E.7) with Myerson's payments (exact, "
                                  "log-linear)")


BUILTIN_AUCTIONS: dict[str, Callable[[], Auction]] = {
    "second-price": second_price, "first-price": first_price, "all-pay": all_pay,
    "random-assignment": random_assignment, "third-price": lambda: kth_price(3),
    "vcg-2-units": lambda: vcg_unit_demand(2), "gsp-2-slots": lambda: gsp((Fraction(1), Fraction(1, 2))),
    "posted-price-1": lambda: posted_price(1),
    "second-price-uniform": lambda: second_price("uniform"), "first-price-uniform": lambda: first_price("uniform"),
}

# built-ins with a parameter, named NAME:VALUE on the command line (f-delta:1/4)
PARAMETRISED_AUCTIONS: dict[str, tuple[Callable[[Any], Auction], str]] = {"f-delta": (f_delta_auction, "δ")}
