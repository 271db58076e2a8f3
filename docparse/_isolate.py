"""Running one plugin call in a forked process: a hard wall-clock budget, a memory limit,
and nothing the plugin does (``os._exit``, a loop catching every exception, writing to
file descriptor 1, exhausting memory) can end or hang the run.

Used by :func:`docparse.pipeline.run_plugin` with ``isolation="process"`` (the
configuration's ``isolation = "process"``, ``--isolation process``). The child is a
``fork`` of this process, so the plugin, its input and its context are there without
pickling; only the result comes back, pickled, through a pipe. A fork costs a few
milliseconds per plugin per document (see docs/plugins.md for figures). Where there is
no ``fork`` (Windows) the call runs inline, with the usual soft budget.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["ProcessFailure", "available", "call_in_process", "failure_reason"]

T = TypeVar("T")


class ProcessFailure(Exception):
    """The plugin call failed in its process: ``kind`` (``error``, ``timeout``) and the
    one-line ``reason`` of a :class:`docparse.pipeline.Failure`."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def failure_reason(exc: BaseException) -> str:
    """``failed: KeyError: 'x'``: the reason of a plugin that raised, on one line (the
    pipeline reports a plugin failing inline with the same words)."""
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return f"failed: {type(exc).__name__}" + (f": {detail}" if detail else "")


def available() -> bool:
    """Whether calls can run in a forked process here."""
    return hasattr(os, "fork")


def _child(fn: Callable[[], Any], write_fd: int, memory_mib: int, output_fd: int) -> None:
    """In the forked process: run ``fn`` and send back ``("ok", result)`` or ``("error",
    reason)``; never returns."""
    code = 0
    try:
        # what the plugin writes to stdout or stderr (even with os.write(1, ...)) goes to a
        # file the parent copies to its stderr, as whole lines
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        sys.stdout = sys.stderr
        if memory_mib:
            import resource

            limit = memory_mib * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            message: tuple[Any, ...] = ("ok", fn())
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, whatever it is
            kind = "memory" if isinstance(exc, MemoryError) else "error"
            message = (kind, failure_reason(exc))
        try:
            payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001
            payload = pickle.dumps(("error", f"returned a result that cannot be sent back ({type(exc).__name__})"))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    except BaseException:  # noqa: BLE001 - the parent reports a child that sent nothing
        code = 1
    finally:
        try:
            sys.stderr.flush()
        finally:
            os._exit(code)


def call_in_process(fn: Callable[[], T], budget: float | None, memory_mib: int = 0) -> T:
    """``fn()`` run in a forked child, killed after ``budget`` seconds (None or 0: no
    limit) and limited to ``memory_mib`` MiB of address space (0: none). Raises
    :class:`ProcessFailure` if it raised, ran over, or ended without a result."""
    if not available():  # pragma: no cover - Windows
        return fn()

    import tempfile

    output = tempfile.TemporaryFile()
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (coverage does not follow a fork)
        os.close(read_fd)
        _child(fn, write_fd, memory_mib, output.fileno())
    os.close(write_fd)
    try:
        return _result(pid, read_fd, budget, memory_mib)
    finally:
        _copy_output(output)


def _copy_output(output: Any) -> None:
    """What the plugin printed, to this process's stderr, ending with a line break."""
    with output:
        output.seek(0)
        text = output.read()
    if text:
        stream = getattr(sys.stderr, "buffer", None)
        if not text.endswith(b"\n"):
            text += b"\n"
        if stream is not None:
            sys.stderr.flush()
            stream.write(text)
            stream.flush()
        else:
            sys.stderr.write(text.decode("utf-8", "replace"))


def _result(pid: int, read_fd: int, budget: float | None, memory_mib: int) -> Any:
    """Read the child's result from ``read_fd`` within ``budget`` seconds (then kill it)."""
    import select
    import signal
    import time

    chunks: list[bytes] = []
    deadline = time.monotonic() + budget if budget and budget > 0 else None
    timed_out = False
    try:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([read_fd], [], [], wait)
            if not ready:
                timed_out = True
                break
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise ProcessFailure("timeout", f"took longer than its budget of {budget:g} s (its process was killed)")
    if not chunks:
        if os.WIFSIGNALED(status):
            how = f"was killed by signal {os.WTERMSIG(status)}"
            if memory_mib and os.WTERMSIG(status) in (signal.SIGKILL, signal.SIGSEGV):
                how += f" (over its memory limit of {memory_mib} MiB?)"
        else:
            how = f"exited with code {os.WEXITSTATUS(status)}"
        raise ProcessFailure("error", f"ended its process without a result (it {how})")
    try:
        message = pickle.loads(b"".join(chunks))
    except Exception as exc:  # noqa: BLE001
        raise ProcessFailure("error", f"sent back a result that cannot be read ({type(exc).__name__})") from None
    if message[0] == "ok":
        return message[1]
    if message[0] == "memory":
        raise ProcessFailure("error", f"{message[1]} (over its memory limit of {memory_mib} MiB)")
    raise ProcessFailure("error", message[1])
