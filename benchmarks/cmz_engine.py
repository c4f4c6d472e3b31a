"""Benchmark (not a test) of the exact engine on CMZ-SP-AT + CMZ-T4, in one run:

1. the engine vs a plain-definition enumerator written here (Fractions, direct definitions: every
   integer t ∈ K, every opponent profile, every alternative bid) vs z3 solving the same bounded
   question unaided (∃ K, s ∉ K ∀ s' ¬(s' dominates s on K)), on "UDed_i(K) ⊆ [min K, max K] for
   second price" at n = 3 — whole process (each route in a fresh interpreter), as ratios;
2. a scaling table of SP-AT + T4 (every δ of the default grid) over n and B: time, peak memory, the
   local growth exponent in B, and the issue's 60 s targets met or missed by how much;
3. the speedup of sharding T4 alone over 2 processes (by block: one (n, B, δ) per shard);
4. with --full, the default `mechproof check --no-cache` on one core (taskset -c 0).

Run: python benchmarks/cmz_engine.py [--quick] [--targets] [--full] [--z3-seconds S]
Timings depend on the machine and its load; they are printed, never asserted in tests.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

PY = sys.executable

ENGINE = """
import json, resource, sys, time
from mechproof.papers.cmz_undominated import CMZ_SP_AT, CMZ_T4
from mechproof.runner import run_part_inline
n, B, which, shards = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
out = {}
for claim, idx in ((CMZ_SP_AT, 1), (CMZ_T4, 0)):
    if which not in ("both", claim.id):
        continue
    part = claim.parts[idx]
    t = time.perf_counter()
    v = run_part_inline(part, 3600, domain=part.domain.resolve({"n": n, "B": B}), claim_id=claim.id,
                        uses=claim.uses, shards=shards)
    out[claim.id] = [v.status.value, v.cases, time.perf_counter() - t]
out["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""

# The plain-definition enumerator: second price with uniform ties, straight from the definitions.
PLAIN = """
import sys
from fractions import Fraction
from itertools import product
n, B = int(sys.argv[1]), int(sys.argv[2])

def utility(t, s, tau):
    top = max(tau)
    if s > top:
        return Fraction(t - top)
    if s == top:
        k = 1 + sum(1 for x in tau if x == top)
        return Fraction(t - top, k)
    return Fraction(0)

def dominates(s2, s, K, b):
    strict = False
    for tau in product(range(b + 1), repeat=n - 1):
        for t in K:
            d = utility(t, s2, tau) - utility(t, s, tau)
            if d < 0:
                return False
            strict = strict or d > 0
    return strict

ladder = sorted({b for b in (2, 4, 8) if b < B} | {B})      # the engine's bid ladder (cmz_model.bid_ladder)
cases = 0
for b in ladder:
    intervals = [(0, 0)] + [(lo, hi) for lo in range(1, b + 1) for hi in range(lo, b + 1)]
    for lo, hi in intervals:
        K = range(lo, hi + 1)
        cases += 1
        for s in range(b + 1):
            if lo <= s <= hi:
                continue
            if not any(dominates(s2, s, K, b) for s2 in range(b + 1) if s2 != s):
                raise SystemExit(f"undominated bid {s} outside K = [{lo}, {hi}] at B = {b}")
print(cases)
"""

# z3, unaided: one query per B of the ladder, the same question with the quantifiers left to z3.
Z3 = """
import sys
import z3
n, B = int(sys.argv[1]), int(sys.argv[2])
assert n == 3
def utility(t, s, x, y):
    top = z3.If(x >= y, x, y)
    k = 1 + z3.If(x == top, 1, 0) + z3.If(y == top, 1, 0)
    return z3.If(s > top, z3.ToReal(t - top), z3.If(s == top, z3.ToReal(t - top) / z3.ToReal(k), z3.RealVal(0)))
ladder = sorted({b for b in (2, 4, 8) if b < B} | {B})      # the engine's bid ladder (cmz_model.bid_ladder)
for b in ladder:
    lo, hi, s, s2, t, x, y = z3.Ints("lo hi s s2 t x y")
    inK = lambda v: z3.And(lo <= v, v <= hi)
    bid = lambda v: z3.And(0 <= v, v <= b)
    weak = z3.ForAll([t, x, y], z3.Implies(z3.And(inK(t), bid(x), bid(y)), utility(t, s2, x, y) >= utility(t, s, x, y)))
    strict = z3.Exists([t, x, y], z3.And(inK(t), bid(x), bid(y), utility(t, s2, x, y) > utility(t, s, x, y)))
    solver = z3.Solver()
    solver.add(z3.Or(z3.And(lo == 0, hi == 0), z3.And(1 <= lo, lo <= hi, hi <= b)), bid(s), z3.Not(inK(s)))
    solver.add(z3.ForAll([s2], z3.Implies(z3.And(bid(s2), s2 != s), z3.Not(z3.And(weak, strict)))))
    r = solver.check()
    if r != z3.unsat:
        raise SystemExit(f"z3 answered {r} at B = {b}")
print("unsat")
"""


def timed(code: str, args: list[str], limit: float) -> tuple[float | None, str]:
    """Whole-process wall time of `python -c code args` (None past `limit`), and its stdout."""
    t = time.perf_counter()
    try:
        out = subprocess.run([PY, "-c", code, *args], capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None, ""
    if out.returncode != 0:
        raise SystemExit(f"benchmark route failed: {(out.stderr or out.stdout).strip()[-300:]}")
    return time.perf_counter() - t, out.stdout.strip()


def fit_exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log t against log B."""
    pts = [(math.log(b), math.log(t)) for b, t in points if t and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def section_routes(quick: bool, z3_seconds: float, plain_seconds: float = 600.0) -> None:
    print("1. UDed_i(K) ⊆ [min K, max K], second price, n = 3 (B ladder 2, 4, 8, B): whole process, and the")
    print("   engine's check alone (its interpreter start and imports are ~0.8 s of the whole)")
    print(f"   {'B':>3} {'engine s':>9} {'(check s)':>9} {'plain s':>9} {'z3 s':>9} {'plain/engine':>13} "
          f"{'(check)':>8} {'z3/engine':>10}")
    plain_pts: list[tuple[int, float]] = []
    plain_dead = z3_dead = False
    for B in ((4, 8, 12) if quick else (4, 8, 12, 16, 20)):
        te, out = timed(ENGINE, ["3", str(B), "CMZ-SP-AT", "1"], 3600)
        tc = json.loads(out)["CMZ-SP-AT"][2]
        tp = None if plain_dead else timed(PLAIN, ["3", str(B)], plain_seconds)[0]
        tz = None if z3_dead else timed(Z3, ["3", str(B)], z3_seconds)[0]
        plain_dead, z3_dead = plain_dead or tp is None, z3_dead or tz is None
        if tp is not None:
            plain_pts.append((B, tp))
        cell = lambda x: f"{x:9.2f}" if x is not None else f"{'> limit':>9}"
        rp = f"×{tp / te:.1f}" if tp is not None else f"> ×{plain_seconds / te:.0f}"
        rc = f"×{tp / tc:.0f}" if tp is not None else "—"
        rz = f"×{tz / te:.1f}" if tz is not None else f"> ×{z3_seconds / te:.0f}"
        print(f"   {B:>3} {te:9.2f} {tc:9.2f} {cell(tp)} {cell(tz)} {rp:>13} {rc:>8} {rz:>10}")
    kp = fit_exponent(plain_pts)
    if kp:
        print(f"   growth of the plain enumerator in B: {kp:.2f} (target at B = 20: ≥ ×100 whole process)")


def engine_point(n: int, B: int, which: str = "both", shards: int = 1) -> dict:
    _, out = timed(ENGINE, [str(n), str(B), which, str(shards)], 3600)
    return json.loads(out)


def section_scaling(quick: bool, targets: bool) -> None:
    print("2. CMZ-SP-AT + CMZ-T4 (δ ∈ {1/10, 1/4, 1/3, 1/2, 2/3}), one process, serial")
    print(f"   {'n':>2} {'B':>3} {'SP-AT s':>8} {'T4 s':>8} {'total s':>8} {'peak MiB':>9} {'T4 cases':>9} "
          f"{'growth':>7} {'target (≤ 60 s on 2 cores)':>28}")
    grid = {3: (8, 16, 24) if quick else (8, 16, 32), 4: (6, 12) if quick else (8, 12, 16),
            6: (4, 6) if quick else (6, 8), 9: (3, 4) if quick else (4, 5)}
    goal = {3: 64, 4: 32, 6: 12, 9: 6}
    for n, Bs in grid.items():
        Bs = Bs + ((goal[n],) if targets else ())
        prev = None
        series = []
        for B in Bs:
            r = engine_point(n, B)
            sp, t4 = r["CMZ-SP-AT"][2], r["CMZ-T4"][2]
            total = sp + t4
            growth = f"{math.log(total / prev[1]) / math.log(B / prev[0]):.2f}" if prev else "—"
            mark = ""
            if B == goal[n]:                         # the targets are for 2 cores: 2 shards per part
                r2 = engine_point(n, B, "both", 2)
                t2 = r2["CMZ-SP-AT"][2] + r2["CMZ-T4"][2]
                mark = f"2 shards {t2:.0f} s: " + ("met" if t2 <= 60 else f"missed ×{t2 / 60:.2f}")
            print(f"   {n:>2} {B:>3} {sp:8.2f} {t4:8.2f} {total:8.2f} {r['maxrss_kib'] / 1024:9.0f} "
                  f"{r['CMZ-T4'][1]:>9} {growth:>7} {mark:>28}")
            prev = (B, total)
            series.append(prev)
        k = fit_exponent(series)
        if not targets and k:
            last_B, last_t = prev
            print(f"   {'':>2} {goal[n]:>3} target point not run (--targets): ~{last_t * (goal[n] / last_B) ** k:.0f} s "
                  f"by the fitted growth exponent {k:.2f}")
        elif k:
            print(f"   fitted growth exponent in B at n = {n}: {k:.2f}")


def section_sharding(quick: bool) -> None:
    n, B = 3, (16 if quick else 24)
    print(f"3. CMZ-T4 alone, n = {n}, B = {B}, sharded by block (one (n, B, δ) per shard)")
    one = engine_point(n, B, "CMZ-T4", 1)["CMZ-T4"]
    two = engine_point(n, B, "CMZ-T4", 2)["CMZ-T4"]
    same = one[:2] == two[:2]
    print(f"   1 process {one[2]:.2f} s, 2 shards {two[2]:.2f} s: ×{one[2] / two[2]:.2f} "
          f"(target ≥ ×1.8); same verdict and count: {same}")


def section_full() -> None:
    print("4. the default `mechproof check --no-cache` on one core")
    exe = shutil.which("mechproof") or os.path.join(os.path.dirname(PY), "mechproof")
    cmd = ([shutil.which("taskset"), "-c", "0"] if shutil.which("taskset") else []) + [
        exe, "check", "--no-cache", "--no-progress", "--state-dir", tempfile.mkdtemp()]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    last = (out.stdout.strip().splitlines() or ["?"])[-1]
    print(f"   {time.perf_counter() - t:.1f} s (target ≤ 120 s): {last}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small points only (a minute or two)")
    ap.add_argument("--targets", action="store_true", help="also run the issue's target points (slow)")
    ap.add_argument("--full", action="store_true", help="also time the default mechproof check on one core")
    ap.add_argument("--z3-seconds", type=float, default=120.0, help="time limit of the unaided z3 route per B")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    section_routes(args.quick, args.z3_seconds)
    section_scaling(args.quick, args.targets)
    section_sharding(args.quick)
    if args.full:
        section_full()


if __name__ == "__main__":
    main()
