"""Worker processes that always stop on time: one forked process (and process group) per part.

A worker runs in its own process group, dies with its parent (PR_SET_PDEATHSIG on Linux), runs
under an address-space limit (RLIMIT_AS), and has its stdout and stderr captured to a file (never
the report stream).  It talks to the runner over a pipe in length-prefixed frames, each tagged
with the sender's pid: the runner accepts messages only from the worker it started, so a process
the check forked cannot speak for it.  `stop` kills the whole group — SIGTERM, a short grace,
then SIGKILL — and reaps without ever blocking for long.
"""
from __future__ import annotations

import ctypes
import errno
import os
import pickle
import resource
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Worker", "start_worker", "adopt", "part_body", "run_worker_body", "read_messages", "stop", "exit_text",
           "GRACE", "CAPTURE_LIMIT"]

GRACE = 0.5                  # seconds between SIGTERM and SIGKILL
CAPTURE_LIMIT = 8_000        # characters of a worker's captured output kept as evidence
_PR_SET_PDEATHSIG = 1
_HEADER = 8


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


@dataclass
class Worker:
    pid: int
    fd: int                          # read end of the message pipe (non-blocking)
    capture: Any                     # the temporary file holding the worker's stdout/stderr
    started: float
    deadline: float
    buffer: bytearray = field(default_factory=bytearray)
    eof: bool = False
    exit_status: int | None = None   # os.waitstatus once reaped
    foreign: bool = False            # forked by the zygote: it reaps; we only signal

    def output(self) -> str:
        """What the worker printed (the last CAPTURE_LIMIT characters)."""
        try:
            self.capture.seek(0, os.SEEK_END)
            size = self.capture.tell()
            self.capture.seek(max(0, size - 4 * CAPTURE_LIMIT))
            text = self.capture.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        return text[-CAPTURE_LIMIT:]


def _fork(body: Callable[[Callable[[Any], None]], None], pipe_w: int, capture_fd: int, memory: int | None,
          close_in_child: tuple[int, ...] = ()) -> int:
    """Fork a worker that calls `body(send)`, writing frames to `pipe_w` and its output to `capture_fd`."""
    pid = os.fork()
    if pid:
        return pid
    code = 0                                      # the worker from here on
    try:
        os.setpgid(0, 0)
        _die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)      # the runner handles Ctrl-C for everyone
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        for fd in close_in_child:
            os.close(fd)
        os.dup2(capture_fd, 1)
        os.dup2(capture_fd, 2)
        # whatever sys.stdout was in the parent (a terminal, a pipe, a test's capture), the check's
        # prints go to the capture file
        sys.stdout = open(1, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)
        sys.stderr = open(2, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)
        if memory:
            try:
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            except (ValueError, OSError):
                pass

        def send(message: Any) -> None:
            # the pid at send time: a process the check forked is not the worker, whatever it sends
            data = pickle.dumps((os.getpid(), message), protocol=pickle.HIGHEST_PROTOCOL)
            frame = len(data).to_bytes(_HEADER, "big") + data
            view = memoryview(frame)
            while view:
                n = os.write(pipe_w, view)
                view = view[n:]

        body(send)
    except BaseException:                          # nothing may escape a worker
        code = 1
    finally:
        os._exit(code)


def part_body(part, domain, budget: float, claim_id: str, uses: tuple[str, ...], shards: int = 1
              ) -> Callable[[Callable], None]:
    """What a worker does: run the part's check through the kernel and send the verdict."""
    def body(send: Callable[[Any], None]) -> None:
        from .context import CheckContext
        from .kernel import admit, run_part_check
        from .library_guard import remembered
        from .verdicts import error
        before = remembered()           # the runner's snapshot, taken just before it forked this worker

        ctx = CheckContext.start(domain, budget, lambda msg: send(("progress", str(msg))), claim_id, part.name, uses,
                                 shards)
        from . import certificates
        if certificates.enabled():
            from dataclasses import replace
            with certificates.collecting() as items:
                verdict = run_part_check(part, ctx, before)
            verdict = replace(verdict, certificate=tuple(items))
        else:
            verdict = run_part_check(part, ctx, before)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        try:
            send(("done", verdict))
        except Exception as exc:     # an unpicklable verdict (a user's exotic object inside)
            send(("done", admit(part, domain, error(message=f"the verdict could not be sent: {exc}"))))
    return body


def run_worker_body(part, domain, budget: float, claim_id: str, uses: tuple[str, ...], memory: int | None,
                    pipe_w: int, capture_fd: int, shards: int = 1) -> int:
    """Fork a part's worker onto descriptors made elsewhere (the zygote's case); its pid."""
    return _fork(part_body(part, domain, budget, claim_id, uses, shards), pipe_w, capture_fd, memory)


def start_worker(body: Callable[[Callable[[Any], None]], None], budget: float, memory: int | None) -> Worker:
    """Fork a worker that calls `body(send)`; `send(message)` delivers a picklable message."""
    r, w = os.pipe()
    capture = tempfile.TemporaryFile()
    pid = _fork(body, w, capture.fileno(), memory, close_in_child=(r,))
    return adopt(pid, r, w, capture, budget)


def adopt(pid: int, r: int, w: int, capture: Any, budget: float, foreign: bool = False) -> Worker:
    """The runner's handle on a forked worker (`foreign`: forked by the zygote, not by us)."""
    try:
        os.setpgid(pid, pid)                      # also done by the child: whichever runs first
    except OSError:
        pass
    os.close(w)
    os.set_blocking(r, False)
    now = time.monotonic()
    return Worker(pid, r, capture, now, now + budget, foreign=foreign)


def read_messages(worker: Worker) -> list[Any]:
    """Every complete message the worker itself sent so far (frames from other pids are dropped)."""
    while not worker.eof:
        try:
            chunk = os.read(worker.fd, 1 << 16)
        except BlockingIOError:
            break
        except OSError as exc:
            if exc.errno == errno.EINTR:
                continue
            worker.eof = True
            break
        if not chunk:
            worker.eof = True
            break
        worker.buffer.extend(chunk)
        if len(worker.buffer) > 256 << 20:       # a flood: stop reading; the deadline still applies
            break
    out = []
    buf = worker.buffer
    while len(buf) >= _HEADER:
        size = int.from_bytes(buf[:_HEADER], "big")
        if len(buf) < _HEADER + size:
            break
        data = bytes(buf[_HEADER:_HEADER + size])
        del buf[:_HEADER + size]
        try:
            sender, message = pickle.loads(data)
        except Exception:
            continue
        if sender == worker.pid:
            out.append(message)
    return out


def _reap(worker: Worker) -> bool:
    if worker.exit_status is not None:
        return True
    if worker.foreign:
        try:
            os.kill(worker.pid, 0)
        except ProcessLookupError:
            return True
        try:                                        # a zombie the zygote has not reaped yet is gone for us
            with open(f"/proc/{worker.pid}/stat", "rb") as f:
                return f.read().split(b") ", 1)[1][:1] == b"Z"
        except (OSError, IndexError):
            return False
    try:
        pid, status = os.waitpid(worker.pid, os.WNOHANG)
    except ChildProcessError:
        worker.exit_status = 0
        return True
    if pid == 0:
        return False
    worker.exit_status = status
    return True


def _signal_group(worker: Worker, sig: int) -> None:
    try:
        os.killpg(worker.pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(worker.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def stop(worker: Worker, grace: float = GRACE) -> None:
    """Kill the worker's whole process group (grandchildren too) and reap it; returns within ~grace + 1 s."""
    if not _reap(worker):
        _signal_group(worker, signal.SIGTERM)
        end = time.monotonic() + grace
        while time.monotonic() < end and not _reap(worker):
            time.sleep(0.01)
    _signal_group(worker, signal.SIGKILL)          # the group may outlive its leader
    end = time.monotonic() + 1.0
    while not _reap(worker) and time.monotonic() < end:
        time.sleep(0.01)
    try:
        os.close(worker.fd)
    except OSError:
        pass


def exit_text(status: int | None) -> str:
    """How a reaped worker ended, in words."""
    if status is None:
        return "exit status unknown"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"was killed by {name}"
    return f"exited with code {os.WEXITSTATUS(status)}"
