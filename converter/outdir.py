"""The output folder of a run: one run at a time (a lock), what a killed run left behind, the state file.

The lock is ``OUT/.zhdoc.lock``, held with ``flock`` for the whole run (released by the system when the
process ends, however it ends); a second run on the same OUT stops at once with a one-line error. Where
``fcntl`` is missing (Windows) there is no lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError, ZhdocError
from .i18n import Text

LOCK = ".zhdoc.lock"
STATE = ".zhdoc-state.json"  # output → fingerprint of what made it, for skipping up-to-date outputs
# What ``pipeline.write_all`` leaves if killed: ".NAME.XXXXXXXX.part" (mkstemp) and ".NAME.xxxxxxxx.bak".
LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<random>[a-z0-9_]{8})\.(?P<kind>part|bak)")


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``OUT/.zhdoc.lock`` while the block runs; a ZhdocError if another run holds it."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    path = out / LOCK
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o666)
    except OSError as error:
        problem = Text(error.strerror or "unknown error")
        raise InputError(path, "cannot lock the output folder: {problem}", problem=problem) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ZhdocError(
                Text("{out}: another zhdoc run is writing to this folder; wait for it to end", out=str(out))
            ) from None
        except OSError:  # a file system without locks (some network mounts): run without
            yield
            return
        try:
            yield
        finally:  # (pool workers forked meanwhile share the descriptor: unlock, not just close)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_leftovers(outputs: Iterable[str | Path]) -> int:
    """Remove the temporary files a killed run left beside ``outputs`` (only those named after one of
    them); a previous output moved aside and never put back is put back. Returns how many were found."""
    wanted: dict[str, set[str]] = {}
    for output in map(Path, outputs):
        wanted.setdefault(str(output.parent), set()).add(output.name)
    found = 0
    for folder, names in wanted.items():
        try:
            entries = [entry.name for entry in os.scandir(folder)]
        except OSError:
            continue
        for entry in entries:
            match = LEFTOVER.fullmatch(entry)
            if not match or match["name"] not in names:
                continue
            found += 1
            leftover, output = os.path.join(folder, entry), os.path.join(folder, match["name"])
            with contextlib.suppress(OSError):
                if match["kind"] == "bak" and not os.path.lexists(output):
                    os.replace(leftover, output)
                else:
                    os.unlink(leftover)
    return found


def load_state(out: Path) -> tuple[dict[str, str], Text | None]:
    """The state file's entries, and a warning when it exists but is not one (then it is ignored and
    every file is converted again)."""
    path = out / STATE
    try:
        data = path.read_bytes()
    except OSError:
        return {}, None
    try:
        state = json.loads(data.decode("utf-8"))
    except ValueError:
        state = None
    if isinstance(state, dict) and all(isinstance(value, str) for value in state.values()):
        return state, None
    return {}, Text("{path}: not a zhdoc state file; ignored, every file is converted again", path=str(path))


def save_state(out: Path, state: dict[str, str]) -> None:
    """Written as ASCII with \\u escapes: a file name that is not UTF-8 (surrogate escapes) is kept exactly."""
    from .pipeline import atomic_write

    atomic_write(out / STATE, json.dumps(state, ensure_ascii=True, indent=0).encode("ascii"))
