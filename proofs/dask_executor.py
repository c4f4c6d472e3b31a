"""One bounded check's shards on a Dask cluster (`mechproof check --executor dask [--scheduler ADDR]`).

A shard is data — claim id, part name, the resolved domain's values, the user modules, shard j of
k, the seconds left — and a Dask worker rebuilds the part from the registry (`run_shard`) and
runs the same `scan` a forked local shard runs; the part's worker merges the shards' results
exactly as for local shards (proofs/shards.py), so verdict, count and witness are the serial
run's.  Only parts that declare blocks (`enumeration_check(..., blocks=...)`) go to the cluster.

Without --scheduler a `LocalCluster` is started in a child process (`python -m
mechproof.dask_executor --local-cluster N`), which prints its address and stops when its stdin
closes, so no Dask thread ever lives in the process that forks the part workers.  The settings
reach the part workers through the environment variable MECHPROOF_DASK.  docs/scaling.md.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from mechproof.mechanisms.exact import UsageError

__all__ = ["DaskSettings", "ENV", "dask_settings", "start_dask", "run_shard", "scan_on_dask"]

ENV = "MECHPROOF_DASK"
CONNECT_SECONDS = 10.0


@dataclass(frozen=True)
class DaskSettings:
    scheduler: str                      # tcp://host:port
    threads: int                        # worker threads on the cluster: the shards per part
    modules: tuple[str, ...] = ()       # user modules the workers load to rebuild user claims


def dask_settings() -> DaskSettings | None:
    raw = os.environ.get(ENV)
    if not raw:
        return None
    try:
        d = json.loads(raw)
        return DaskSettings(str(d["scheduler"]), max(1, int(d["threads"])), tuple(map(str, d.get("modules", ()))))
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"{ENV} is not the JSON mechproof writes ({raw[:60]!r})") from None


def _require_distributed() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError("--executor dask needs dask.distributed: pip install 'mechproof[cluster]'") from None


def _ask(code: str, seconds: float) -> str:
    """Run `code` in a fresh interpreter (Dask's threads never enter this process); its stdout."""
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        raise UsageError(f"the Dask scheduler did not answer within {seconds:g}s") from None
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        raise UsageError(f"cannot reach the Dask scheduler: {last[:200]}")
    return out.stdout.strip()


def start_dask(scheduler: str | None, workers: int, modules: tuple[str, ...] = ()) -> tuple[DaskSettings, Any]:
    """Settings for a run, and a handle to stop what was started (None for a given scheduler).

    Exports them in MECHPROOF_DASK for the part workers forked afterwards."""
    _require_distributed()
    proc = None
    if scheduler is None:
        proc = subprocess.Popen([sys.executable, "-m", "mechproof.dask_executor", "--local-cluster", str(workers)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline().split()
        if len(line) != 2:
            stop_dask(proc)
            raise UsageError("the local Dask cluster did not start")
        scheduler, threads = line[0], int(line[1])
    else:
        if "://" not in scheduler:
            scheduler = "tcp://" + scheduler
        threads = int(_ask(f"from distributed import Client\nc = Client({scheduler!r}, timeout={CONNECT_SECONDS})\n"
                           "print(sum(c.nthreads().values()))\nc.close()", CONNECT_SECONDS + 10))
        if threads < 1:
            raise UsageError(f"the Dask cluster at {scheduler} has no workers")
    settings = DaskSettings(scheduler, threads, tuple(str(os.path.abspath(m)) for m in modules))
    os.environ[ENV] = json.dumps({"scheduler": settings.scheduler, "threads": settings.threads,
                                  "modules": list(settings.modules)})
    return settings, proc


def stop_dask(proc: Any) -> None:
    os.environ.pop(ENV, None)
    if proc is None:
        return
    try:
        proc.stdin.close()
        proc.wait(timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------- on a worker
_PARTS: dict = {}


def _part(claim_id: str, part_name: str, modules: tuple[str, ...]):
    key = (claim_id, part_name, modules)
    if key not in _PARTS:
        from .registry import load_registry
        registry = load_registry(list(modules))
        claim = next((c for c in registry.claims if c.id == claim_id), None)
        part = next((p for p in claim.parts if p.name == part_name), None) if claim else None
        if part is None or getattr(part.check, "scan_shard", None) is None:
            raise LookupError(f"no sharded part {claim_id} / {part_name!r} in the registry of this worker")
        _PARTS[key] = part
    return _PARTS[key]


def run_shard(spec: dict):
    """One shard, rebuilt from the registry: a ScanResult (proofs/shards.py)."""
    from .domains import Domain
    part = _part(spec["claim"], spec["part"], tuple(spec["modules"]))
    domain = Domain(part.domain, MappingProxyType(dict(spec["values"])), frozenset())
    return part.check.scan_shard(domain, spec["shard"], spec["shards"], time.monotonic() + spec["seconds"])


def scan_on_dask(settings: DaskSettings, ctx, shards: int):
    """The part's shards on the cluster, merged (a shard not back in time: timed out)."""
    from distributed import Client, wait

    from .searches import MARGIN, _less
    from .shards import ScanResult, merge
    seconds = ctx.remaining() - MARGIN / 2
    specs = [{"claim": ctx.claim_id, "part": ctx.part, "values": dict(ctx.domain.values),
              "modules": list(settings.modules), "shard": j, "shards": shards, "seconds": seconds}
             for j in range(shards)]
    with Client(settings.scheduler, timeout=CONNECT_SECONDS) as client:
        futures = [client.submit(run_shard, s, pure=False) for s in specs]
        wait(futures, timeout=max(1.0, ctx.remaining() - MARGIN / 4))
        results = []
        for f in futures:
            if f.status == "finished":
                results.append(f.result())
            elif f.status == "error":
                raise RuntimeError(f"a shard of the enumeration raised on the Dask cluster: {f.exception()!r}")
            else:
                f.cancel()
                results.append(ScanResult(timed_out=True))
    return merge(results, _less)


def _local_cluster(workers: int) -> None:
    from distributed import LocalCluster
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        print(cluster.scheduler_address, workers, flush=True)
        sys.stdin.read()                    # until the parent closes it (or dies)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--local-cluster":
        _local_cluster(max(1, int(sys.argv[2])))
