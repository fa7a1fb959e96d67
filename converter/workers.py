"""Set-up of a pool worker process: SIGTERM unwinds like Ctrl-C, and the worker ends when its parent does.

A pool worker whose parent was killed (``kill -9``, a crash) would otherwise wait for work forever: the
pool's queue stays open in the other workers. On Linux the kernel sends SIGTERM when the parent dies
(``PR_SET_PDEATHSIG``); elsewhere, where that cannot be set, or when the worker's parent is a fork
server rather than the pool's process, a thread checks every second.
On that SIGTERM the worker removes the files it was staging and exits at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from functools import partial

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0


def init(parent: int) -> None:
    """Pool initializer; ``parent`` is the process id of the process that made the pool."""
    gone = partial(_gone, parent, os.getppid())  # (the pool's process, or the fork server it started)
    signal.signal(signal.SIGTERM, lambda signum, frame: _on_sigterm(gone))
    if not _death_signal() or os.getppid() != parent:  # (a fork server outlives the pool's process)
        threading.Thread(target=_watch, args=(gone,), daemon=True, name="zhdoc-parent-watch").start()
    if gone():  # the parent died before the signal was asked for
        _leave()


def _gone(parent: int, watched: int) -> bool:
    """Whether the process that made the pool is gone: this worker's own parent changed (the pool's
    process or its fork server died), or that process no longer exists."""
    if os.getppid() != watched:
        return True
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists (another user's process cannot be signalled, but is there)
        pass
    return False


def _on_sigterm(gone: Callable[[], bool]) -> None:
    if gone():
        _leave()
    raise KeyboardInterrupt  # a SIGTERM sent to the worker itself: unwind, removing staged files


def _leave() -> None:
    from .pipeline import remove_staged

    remove_staged()
    os._exit(1)


def _death_signal() -> bool:
    """Ask Linux for SIGTERM when the parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    return False


def _watch(gone: Callable[[], bool]) -> None:
    while not gone():
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
