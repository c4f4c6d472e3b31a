"""One enumeration split over processes: the same verdict, count and witness as the serial run.

Shard j of k takes the points whose position in the documented order is ≡ j (mod k) (round robin:
every shard meets small and large cases alike) and scans them in order, stopping at its first
violation (or, under on_undecided="stop", its first undecided point).  The merge is deterministic:

* the earliest event (a violation, or a stopping undecided point) over all shards, by position, is
  the one the serial run meets first — its witness is reported, with the serial count (position + 1);
* otherwise every shard's count is summed (= the domain's size), and the worst value is the least
  one, the earliest position winning a tie (the serial run keeps the first of equal minima);
* a shard out of time makes the part unknown with what was covered (a violation found is still
  reported: it is real and replayed, but then only minimal among the points covered).

Shards are forked from the part's worker (they inherit its memory limit); a shard that raises
makes the check raise, so the kernel reports an error.
"""
from __future__ import annotations

import os
import pickle
import select
import struct
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

__all__ = ["ScanResult", "scan", "scan_sharded"]


@dataclass
class ScanResult:
    count: int = 0                                     # points evaluated by this scan
    violation: tuple | None = None                     # (position, point, observed)
    undecided: tuple | None = None                     # (position, text): the first undecided point
    stopped_undecided: bool = False                    # the scan stopped there (on_undecided="stop")
    worst: tuple | None = None                         # (value, position, point)
    timed_out: bool = False


def scan(points: Iterable[Mapping[str, Any]], decide: Callable[[Mapping[str, Any]], tuple], deadline: float,
         keep_going: bool, value: Callable | None, less: Callable[[Any, Any], bool], margin: float,
         shard: int = 0, shards: int = 1) -> ScanResult:
    """Scan the points at positions ≡ shard (mod shards); `decide(point)` → (ok, observed, note)."""
    out = ScanResult()
    for pos, point in enumerate(points):
        if pos % shards != shard:
            continue
        if deadline - time.monotonic() < margin:
            out.timed_out = True
            return out
        ok, observed, note = decide(point)
        out.count += 1
        if ok is None:
            if out.undecided is None:
                out.undecided = (pos, note)
            if not keep_going:
                out.stopped_undecided = True
                return out
            continue
        if not ok:
            out.violation = (pos, dict(point), observed)
            return out
        if value is not None:
            v = value(point)
            if v is not None and (out.worst is None or less(v, out.worst[0])):
                out.worst = (v, pos, dict(point))
    return out


def _write(fd: int, payload: bytes) -> None:
    data = struct.pack(">Q", len(payload)) + payload
    while data:
        n = os.write(fd, data)
        data = data[n:]


def scan_sharded(make_points: Callable[[], Iterable[Mapping[str, Any]]], decide: Callable, deadline: float,
                 keep_going: bool, value: Callable | None, less: Callable[[Any, Any], bool], margin: float,
                 shards: int) -> ScanResult:
    """`scan` in `shards` forked processes, merged as the module docstring says."""
    children: list[tuple[int, int]] = []
    try:
        for j in range(shards):
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:                                   # the shard
                os.close(r)
                try:
                    res = scan(make_points(), decide, deadline, keep_going, value, less, margin, j, shards)
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
    return _merge(results, less)


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


def _merge(results: list[ScanResult], less) -> ScanResult:
    out = ScanResult()
    events = []
    for res in results:
        if res.violation is not None:
            events.append((res.violation[0], "violation", res))
        if res.stopped_undecided:
            events.append((res.undecided[0], "undecided", res))
    out.timed_out = any(r.timed_out for r in results)
    undecided = [r.undecided for r in results if r.undecided is not None]
    out.undecided = min(undecided, key=lambda u: u[0]) if undecided else None
    if events:
        pos, kind, res = min(events, key=lambda e: e[0])
        out.count = pos + 1
        if kind == "violation":
            out.violation = res.violation
            if out.undecided is not None and out.undecided[0] > pos:
                out.undecided = None                     # the serial run never reached it
        else:
            out.stopped_undecided = True
        return out
    out.count = sum(r.count for r in results)
    for res in results:
        if res.worst is not None and (out.worst is None or less(res.worst[0], out.worst[0])
                                      or (not less(out.worst[0], res.worst[0]) and res.worst[1] < out.worst[1])):
            out.worst = res.worst
    return out
