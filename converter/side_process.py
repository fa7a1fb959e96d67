"""One call run in a forked child process while this process goes on, its result sent back through a pipe.

A lone file's conversion uses it to render the PDF (importing reportlab and laying out pages, the slowest
output) on a second core while this process renders the DOCX: the wait for one file is then about the
longer of the two rather than their sum. Where fork is unavailable, only one core is usable, or threads
are running (a forked child would inherit their locks), ``start`` returns None and the caller runs the
call itself.
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

T = TypeVar("T")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def start(call: Callable[[], T], crashed: ZhdocError) -> SideProcess[T] | None:
    """``call`` running in a forked child, or None where this process should run it itself; ``crashed``
    is raised if the child ends without a result (killed, or a crash inside a C library)."""
    threading = sys.modules.get("threading")
    if not hasattr(os, "fork") or usable_cores() < 2 or (threading and threading.active_count() > 1):
        return None
    return SideProcess(call, crashed)


class SideProcess(Generic[T]):
    def __init__(self, call: Callable[[], T], crashed: ZhdocError) -> None:
        self._crashed = crashed
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(read_end)
            _run_and_send(call, write_end)
        os.close(write_end)
        self._pipe = os.fdopen(read_end, "rb")
        self._done = False
        self._outcome: tuple[bool, T] | None = None

    def result(self) -> T:
        """Wait for the child; its return value, or its exception raised here (every time asked)."""
        if self._outcome is None:
            try:
                payload = self._pipe.read()
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
            self._pipe.close()
            os.waitpid(self.pid, 0)


def _run_and_send(call: Callable[[], object], write_end: int) -> None:
    try:
        try:
            outcome = (False, call())
        except BaseException as error:  # noqa: BLE001 (everything goes back to the parent, even Ctrl-C)
            outcome = (True, error)
        try:
            payload = pickle.dumps(outcome)
        except Exception as error:  # an exception that cannot be pickled: its text still goes back
            payload = pickle.dumps((True, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({error})")))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)  # no atexit handlers, no flushing of buffers the parent also holds
