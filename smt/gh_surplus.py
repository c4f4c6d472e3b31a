"""z3 encoding for GH-T5 (paper 002, Theorem 5): a distribution with ≤ m atoms and V(q) > K·Ū(q).

Values are scale-free (a_1 = 1 > a_2 > … > a_m ≥ 0; V/Ū is invariant under scaling), probabilities
any positive reals summing to 1.  V(q) is linear on the segment of quantile breaks containing q;
Ū(q) ≥ every chord through two envelope points (Q_j, U(Q_j)) around q, so V > K·(every chord) is
necessary for V > K·Ū.  With a rational K ≤ 1 − ln q, unsat proves V(q) ≤ (1 − ln q)·Ū(q) for every
such distribution at this q.  A sat model decodes to an exact distribution (`z3_fraction`).
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any, Callable

import z3

from .queries import z3_fraction

__all__ = ["log_ratio_counterexample_query"]


def log_ratio_counterexample_query(q: Fraction, atoms: int, K: Fraction) -> tuple[z3.Solver, Callable[[Any], dict]]:
    """(solver, decode): sat iff some ≤ `atoms`-atom distribution has V(q) > K·(every chord of U's
    envelope around q); decode(model) = {"values": …, "probabilities": …, "q": q}, exact."""
    m = atoms
    s = z3.Solver()
    a = [z3.RealVal(1)] + [z3.Real(f"a{i}") for i in range(2, m + 1)]
    p = [z3.Real(f"p{i}") for i in range(1, m + 1)]
    for i in range(1, m):
        s.add(a[i] < a[i - 1], a[i] >= 0)
    s.add(*[pi > 0 for pi in p], sum(p) == 1)
    Q, Vb = [z3.RealVal(0)], [z3.RealVal(0)]
    for i in range(m):
        Q.append(Q[-1] + p[i])
        Vb.append(Vb[-1] + a[i] * p[i])
    qv = z3.RealVal(str(q))
    Vq = z3.Real("Vq")       # V(q) on the segment Q_{i} ≤ q ≤ Q_{i+1}
    s.add(z3.Or(*[z3.And(Q[i] <= qv, qv <= Q[i + 1], Vq == Vb[i] + a[i] * (qv - Q[i])) for i in range(m)]))
    env = [(Q[i], Vb[i] - a[i] * Q[i]) for i in range(m)] + [(z3.RealVal(1), Vb[m])]
    Kz = z3.RealVal(str(K))
    for (x0, c0), (x1, c1) in itertools.combinations(env, 2):
        s.add(z3.Implies(z3.And(x0 <= qv, qv <= x1, x0 < x1),
                         Vq * (x1 - x0) > Kz * (c0 * (x1 - x0) + (c1 - c0) * (qv - x0))))
    for (x0, c0) in env:
        s.add(z3.Implies(x0 == qv, Vq > Kz * c0))

    def decode(model) -> dict:
        vals = [Fraction(1)] + [z3_fraction(model.eval(x, model_completion=True)) for x in a[1:]]
        probs = [z3_fraction(model.eval(x, model_completion=True)) for x in p]
        return {"values": tuple(vals), "probabilities": tuple(probs), "q": q}

    return s, decode
