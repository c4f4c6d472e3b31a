"""A clean process for the built-in claims: forked before any user module is imported.

A user's claim module runs arbitrary code at import (it may monkeypatch sympy, set globals, start
threads).  Built-in claims must not see any of it, so when user modules are loaded the runner forks
the built-in claims' workers from this *zygote*, a process forked right after the built-in claims
were imported and before the first user module.  The runner sends it a task (claim id, part name,
resolved domain values, budget) together with the two file descriptors the worker writes to (its
message pipe and its output capture); the zygote forks the worker and answers with its pid.  The
runner then reads, times and kills that worker exactly like one it forked itself.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import socket
from types import MappingProxyType
from typing import Any

from .workers import _die_with_parent, run_worker_body

__all__ = ["Zygote"]

_HEADER = 8


def _send(sock: socket.socket, obj: Any, fds: list[int] = ()) -> None:
    data = pickle.dumps(obj)
    frame = len(data).to_bytes(_HEADER, "big") + data
    if fds:
        socket.send_fds(sock, [frame], list(fds))
    else:
        sock.sendall(frame)


def _recv(sock: socket.socket, want_fds: int = 0) -> tuple[Any, list[int]]:
    fds: list[int] = []
    if want_fds:
        data, fds, _, _ = socket.recv_fds(sock, 1 << 16, want_fds)
    else:
        data = sock.recv(1 << 16)
    if not data:
        raise EOFError("the zygote's socket closed")
    buf = bytearray(data)
    while len(buf) < _HEADER:
        more = sock.recv(1 << 16)
        if not more:
            raise EOFError("the zygote's socket closed")
        buf.extend(more)
    size = int.from_bytes(buf[:_HEADER], "big")
    while len(buf) < _HEADER + size:
        more = sock.recv(1 << 16)
        if not more:
            raise EOFError("the zygote's socket closed")
        buf.extend(more)
    return pickle.loads(bytes(buf[_HEADER:_HEADER + size])), fds


class Zygote:
    """The built-in claims' clean worker factory (see the module docstring)."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid, self.sock, self.alive = pid, sock, True

    @classmethod
    def start(cls) -> "Zygote":
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                ours.close()
                _die_with_parent()
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                _serve(theirs)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        return cls(pid, ours)

    def spawn(self, claim_id: str, part: str, values: dict, budget: float, uses: tuple[str, ...],
              memory: int | None, pipe_w: int, capture_fd: int, shards: int = 1) -> int:
        """Fork the worker for one built-in part inside the zygote; its pid."""
        if not self.alive:
            raise RuntimeError("the built-in claims' worker process has stopped")
        try:
            _send(self.sock, ("spawn", claim_id, part, values, budget, uses, memory, shards), [pipe_w, capture_fd])
            reply, _ = _recv(self.sock)
        except (OSError, EOFError) as exc:
            self.alive = False
            raise RuntimeError(f"the built-in claims' worker process has stopped ({exc})") from None
        if isinstance(reply, str):
            raise RuntimeError(reply)
        return int(reply)

    def close(self) -> None:
        try:
            _send(self.sock, ("quit",))
        except OSError:
            pass
        self.sock.close()
        for _ in range(100):
            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                return
            select.select([], [], [], 0.01)
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _serve(sock: socket.socket) -> None:
    """The zygote's loop: fork a worker per request; reap finished workers."""
    from .registry import builtin_claims
    from .domains import Domain

    claims = {c.id: c for c in builtin_claims()}
    while True:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        ready, _, _ = select.select([sock], [], [], 0.05)
        if not ready:
            continue
        try:
            msg, fds = _recv(sock, 2)
        except (EOFError, OSError):
            return
        if msg[0] == "quit":
            return
        _, claim_id, part_name, values, budget, uses, memory, shards = msg
        pipe_w, capture_fd = fds
        claim = claims.get(claim_id)
        part = next((p for p in claim.parts if p.name == part_name), None) if claim else None
        if part is None:
            _send(sock, f"no built-in claim part {claim_id} / {part_name!r}")
        else:
            domain = Domain(part.domain, MappingProxyType(dict(values)), frozenset())
            pid = run_worker_body(part, domain, budget, claim_id, uses, memory, pipe_w, capture_fd, shards)
            _send(sock, pid)
        os.close(pipe_w)
        os.close(capture_fd)
