"""One enumeration split over processes (or a Dask cluster): the same verdict, count and witness
as the serial run.

A point's position is (block, index): its block in the part's list of blocks (one block when the
part declares none) and its index in that block's documented order.  A shard scans the points it
is given in that order and stops at its first violation (or, under on_undecided="stop", its first
undecided point).  Two ways to split:

* round robin (a part without blocks): shard j of k takes the points at indices ≡ j (mod k), so
  every shard meets small and large cases alike — but every shard walks the whole point list;
* by block (a part that declares `blocks`, e.g. one per (n, B, δ)): each block goes whole to one
  shard, longest first (LPT by the part's block weight), so a block's tables are built once.
  Blocks are data: a shard can be rebuilt from the registry on another machine (proofs/dask_executor.py).

The merge is deterministic:

* the earliest event (a violation, or a stopping undecided point) over all shards, by position, is
  the one the serial run meets first — its witness is reported, with the serial count: the points
  of every earlier block (each finished, by whichever shard had it) plus index + 1;
* otherwise every shard's count is summed (= the domain's size), and the worst value is the least
  one, the earliest position winning a tie (the serial run keeps the first of equal minima);
* a shard out of time makes the part unknown with what was covered (a violation found is still
  reported: it is real and replayed, but then only minimal among the points covered).

Local shards are forked from the part's worker (they inherit its memory limit); a shard that
raises makes the check raise, so the kernel reports an error.
"""
from __future__ import annotations

import os
import pickle
import select
import struct
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

__all__ = ["ScanResult", "scan", "scan_sharded", "round_robin", "assign_blocks", "block_points", "merge"]

Position = tuple[int, int]          # (block, index in the block)


@dataclass
class ScanResult:
    counts: dict = field(default_factory=dict)         # block -> points evaluated in it by this scan
    violation: tuple | None = None                     # (position, point, observed)
    undecided: tuple | None = None                     # (position, text): the first undecided point
    stopped_undecided: bool = False                    # the scan stopped there (on_undecided="stop")
    worst: tuple | None = None                         # (value, position, point)
    timed_out: bool = False
    count: int = 0                                     # points evaluated (merged: the serial count)


def round_robin(points: Iterable[Mapping[str, Any]], shard: int, shards: int) -> Iterator[tuple]:
    """(0, index, point) for the points at indices ≡ shard (mod shards)."""
    for i, point in enumerate(points):
        if i % shards == shard:
            yield 0, i, point


def assign_blocks(weights: Sequence[float], shards: int) -> list[list[int]]:
    """Block indices per shard: heaviest block first to the least loaded shard (ties: lowest
    index), each shard's blocks in ascending order.  Deterministic."""
    loads = [0.0] * shards
    out: list[list[int]] = [[] for _ in range(shards)]
    for b in sorted(range(len(weights)), key=lambda b: (-weights[b], b)):
        j = min(range(shards), key=lambda j: (loads[j], j))
        loads[j] += weights[b]
        out[j].append(b)
    return [sorted(x) for x in out]


def block_points(blocks: Sequence[Any], points_of: Callable[[Any], Iterable[Mapping[str, Any]]],
                 indices: Iterable[int]) -> Iterator[tuple]:
    """(block, index, point) for the given blocks, in block order."""
    for b in sorted(indices):
        for i, point in enumerate(points_of(blocks[b])):
            yield b, i, point


def scan(items: Iterable[tuple], decide: Callable[[Mapping[str, Any]], tuple], deadline: float,
         keep_going: bool, value: Callable | None, less: Callable[[Any, Any], bool], margin: float) -> ScanResult:
    """Scan (block, index, point) items in order; `decide(point)` → (ok, observed, note)."""
    out = ScanResult()
    for b, i, point in items:
        if deadline - time.monotonic() < margin:
            out.timed_out = True
            break
        pos = (b, i)
        ok, observed, note = decide(point)
        out.counts[b] = out.counts.get(b, 0) + 1
        if ok is None:
            if out.undecided is None:
                out.undecided = (pos, note)
            if not keep_going:
                out.stopped_undecided = True
                break
            continue
        if not ok:
            out.violation = (pos, dict(point), observed)
            break
        if value is not None:
            v = value(point)
            if v is not None and (out.worst is None or less(v, out.worst[0])):
                out.worst = (v, pos, dict(point))
    out.count = sum(out.counts.values())
    return out


def _write(fd: int, payload: bytes) -> None:
    data = struct.pack(">Q", len(payload)) + payload
    while data:
        n = os.write(fd, data)
        data = data[n:]


def scan_sharded(make_items: Callable[[int], Iterable[tuple]], decide: Callable, deadline: float,
                 keep_going: bool, value: Callable | None, less: Callable[[Any, Any], bool], margin: float,
                 shards: int) -> ScanResult:
    """`scan(make_items(j), …)` for j < shards in forked processes, merged as the module docstring says."""
    children: list[tuple[int, int]] = []
    try:
        for j in range(shards):
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:                                   # the shard
                os.close(r)
                try:
                    res = scan(make_items(j), decide, deadline, keep_going, value, less, margin)
                    payload = pickle.dumps(("ok", res))
                except BaseException:
                    payload = pickle.dumps(("error", traceback.format_exc(limit=6)))
                try:
                    _write(w, payload)
                finally:
                    os._exit(0)
            os.close(w)
            children.append((pid, r))
        results = [_collect(pid, r, deadline) for pid, r in children]
    finally:
        for pid, r in children:
            try:
                os.close(r)
            except OSError:
                pass
            try:
                os.kill(pid, 9)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
    return merge(results, less)


def _collect(pid: int, r: int, deadline: float) -> ScanResult:
    buf = b""
    while True:
        wait = max(0.05, deadline - time.monotonic() + 1.0)
        ready, _, _ = select.select([r], [], [], wait)
        if not ready:
            return ScanResult(timed_out=True)
        chunk = os.read(r, 1 << 20)
        if not chunk:
            break
        buf += chunk
    if len(buf) < 8:
        raise RuntimeError("a shard of the enumeration died before reporting")
    kind, payload = pickle.loads(buf[8:8 + struct.unpack(">Q", buf[:8])[0]])
    if kind == "error":
        raise RuntimeError(f"a shard of the enumeration raised:\n{payload}")
    return payload


def merge(results: Sequence[ScanResult], less) -> ScanResult:
    """The serial scan's result from the shards' (module docstring)."""
    out = ScanResult()
    events = []
    for res in results:
        if res.violation is not None:
            events.append((res.violation[0], "violation", res))
        if res.stopped_undecided:
            events.append((res.undecided[0], "undecided", res))
    out.timed_out = any(r.timed_out for r in results)
    for res in results:
        for b, c in res.counts.items():
            out.counts[b] = out.counts.get(b, 0) + c
    undecided = [r.undecided for r in results if r.undecided is not None]
    out.undecided = min(undecided, key=lambda u: u[0]) if undecided else None
    if events:
        pos, kind, res = min(events, key=lambda e: e[0])
        out.count = sum(c for b, c in out.counts.items() if b < pos[0]) + pos[1] + 1
        if kind == "violation":
            out.violation = res.violation
            if out.undecided is not None and out.undecided[0] > pos:
                out.undecided = None                     # the serial run never reached it
        else:
            out.stopped_undecided = True
        return out
    out.count = sum(out.counts.values())
    for res in results:
        if res.worst is not None and (out.worst is None or less(res.worst[0], out.worst[0])
                                      or (not less(out.worst[0], res.worst[0]) and res.worst[1] < out.worst[1])):
            out.worst = res.worst
    return out
