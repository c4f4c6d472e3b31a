"""Benchmark (not a test): time of CMZ-SP-AT + CMZ-T4 at n = 3 and its growth in B, with ratios.

Run: python tests/benchmarks/cmz_bench.py [Bmax]
"""
import sys
import time

from mechproof.papers.cmz_undominated import CMZ_SP_AT, CMZ_T4
from mechproof.runner import run_part_inline


def run(B: int) -> tuple[float, str, str]:
    t = time.perf_counter()
    out = []
    for claim in (CMZ_SP_AT, CMZ_T4):
        part = claim.parts[0]
        v = run_part_inline(part, budget=600, domain=part.domain.resolve({"n": "3", "B": str(B)}),
                            claim_id=claim.id, uses=claim.uses)
        out.append(v.status.value)
    return time.perf_counter() - t, out[0], out[1]


def main() -> None:
    bmax = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    print("n = 3, δ ∈ {1/10, 1/4, 1/3, 1/2, 2/3}: CMZ-SP-AT + CMZ-T4")
    prev = None
    for B in [b for b in (4, 8, 12, 16, 20, 24) if b <= bmax]:
        secs, sa, sb = run(B)
        growth = f"  ×{secs / prev:.2f} over the previous B" if prev else ""
        print(f"B = {B:3d}: {secs:7.2f} s  (SP-AT {sa}, T4 {sb}){growth}")
        prev = secs


if __name__ == "__main__":
    main()
