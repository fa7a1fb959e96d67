"""A forked child process that gets ready while this process goes on, then runs one call sent to it and
sends back the result through a pipe.

A lone file's conversion uses it for the PDF: the child imports reportlab and loads a font while this
process reads and repairs the file; it then renders the PDF while this process renders the DOCX. The
wait for one file is about the longer of the two paths rather than their sum. Where fork is
unavailable, only one core is usable, or threads are running (a forked child would inherit their locks),
``start`` returns None and the caller does the work itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

from .errors import ZhdocError

try:
    from fcntl import F_SETPIPE_SZ, fcntl
except ImportError:  # not Linux: the pipe keeps its size
    F_SETPIPE_SZ = None

T = TypeVar("T")
PIPE_BYTES = 1 << 20  # room for a document sent before the child reads it (Linux's default limit)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def start(prepare: Callable[[], object], crashed: ZhdocError) -> SideProcess | None:
    """A child running ``prepare()`` and then waiting for a call, or None where this process should work
    alone; ``crashed`` is raised if the child ends without a result (killed, or a crash in a C library)."""
    threading = sys.modules.get("threading")
    if not hasattr(os, "fork") or usable_cores() < 2 or (threading and threading.active_count() > 1):
        return None
    return SideProcess(prepare, crashed)


class SideProcess(Generic[T]):
    def __init__(self, prepare: Callable[[], object], crashed: ZhdocError) -> None:
        self._crashed = crashed
        calls_in, calls_out = os.pipe()
        results_in, results_out = os.pipe()
        if F_SETPIPE_SZ is not None:
            with contextlib.suppress(OSError):
                fcntl(calls_out, F_SETPIPE_SZ, PIPE_BYTES)
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(calls_out)
            os.close(results_in)
            _serve(prepare, calls_in, results_out)
        os.close(calls_in)
        os.close(results_out)
        self._calls = os.fdopen(calls_out, "wb")
        self._results = os.fdopen(results_in, "rb")
        self._done = False
        self._outcome: tuple[bool, T] | None = None

    def submit(self, call: Callable[[], T]) -> None:
        """Send the one call the child is to run (``call`` and what it holds are pickled)."""
        try:
            self._calls.write(pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL))
            self._calls.close()
        except BrokenPipeError:  # the child is gone: result() says so
            pass

    def result(self) -> T:
        """Wait for the child; its return value, or its exception raised here (every time asked)."""
        if self._outcome is None:
            try:
                with contextlib.suppress(OSError):  # (a child gone before reading left the pipe broken)
                    self._calls.close()  # nothing sent: the child ends without a result
                payload = self._results.read()
            except BaseException:  # interrupted while waiting: the child's work is no longer wanted
                self.stop()
                raise
            self._reap()
            if not payload:
                raise self._crashed
            self._outcome = pickle.loads(payload)
        raised, value = self._outcome
        if raised:
            raise value
        return value

    def stop(self) -> None:
        """End the child if its result was not taken (this process failed or was interrupted first)."""
        if not self._done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        if not self._done:
            self._done = True
            with contextlib.suppress(OSError):
                self._calls.close()
            self._results.close()
            os.waitpid(self.pid, 0)


def _serve(prepare: Callable[[], object], calls: int, results: int) -> None:
    try:
        try:
            prepare()
            with os.fdopen(calls, "rb") as pipe:
                payload = pipe.read()
            if not payload:  # nothing was sent: the parent gave up
                return
            outcome = (False, pickle.loads(payload)())
        except BaseException as error:  # noqa: BLE001 (everything goes back to the parent, even Ctrl-C)
            outcome = (True, error)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an exception that cannot be pickled: its text still goes back
            data = pickle.dumps((True, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({error})")))
        with os.fdopen(results, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)  # no atexit handlers, no flushing of buffers the parent also holds
