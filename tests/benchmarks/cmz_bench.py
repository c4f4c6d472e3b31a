"""Benchmark (not a test): time of CMZ-SP-AT + CMZ-T4 at n=3, B=16 and growth in B.

Run: /tmp/venv/bin/python tests/benchmarks/cmz_bench.py [Bmax]
Target (issue 3): SP-AT + T4 at n=3, B=16 under 60 s on 2 cores.
"""
import sys
import time

from mechproof.context import CheckContext
import mechproof.papers.cmz_bounded as cb


def run(B: int) -> tuple[float, str, str]:
    bounds = {"n": (3,), "B": B}
    t = time.perf_counter()
    a = cb.CMZ_SP_AT.parts[0].check(CheckContext.start(budget=600, bounds=bounds))
    b = cb.CMZ_T4.parts[0].check(CheckContext.start(budget=600, bounds=bounds))
    return time.perf_counter() - t, a.status.value, b.status.value


def main() -> None:
    bmax = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    print("n=3, δ∈{1/10,1/4,1/3,1/2,2/3}: CMZ-SP-AT + CMZ-T4")
    prev = None
    for B in [b for b in (4, 8, 12, 16, 20, 24) if b <= bmax]:
        secs, sa, sb = run(B)
        growth = f"  ×{secs / prev:.2f}" if prev else ""
        print(f"B={B:3d}: {secs:7.2f} s  (SP-AT {sa}, T4 {sb}){growth}")
        prev = secs


if __name__ == "__main__":
    main()
