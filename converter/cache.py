"""Tables zhdoc derives from its data files and its dependencies' (a font's parse, pypinyin's readings,
OpenCC's character table), kept between processes in the user's cache folder.

Building them is most of a one-file conversion's first-call work; marshal loads them several times faster.
An entry is used only when its key (the source files' path, size and modification time, the versions
that shaped the table) is the one stored with it; anything else, or any error reading it, builds the
table again. Writing is best effort: a cache folder that cannot be written only costs the build.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

FORMAT = 1  # bump when what any entry stores changes
T = TypeVar("T")


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/zhdoc, by default ~/.cache/zhdoc; None (nothing kept) where no absolute folder is known."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: ignored, as the XDG specification says
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "zhdoc") if os.path.isabs(base) else None


def file_key(path: Path) -> tuple[str, int, int]:
    """What identifies a source file's content, cheaply."""
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def load(name: str, key: tuple) -> Any | None:
    """The value stored under ``name`` with ``key``; None if there is none (or it is stale or broken)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        found_key, value = marshal.loads((folder / f"{name}.marshal").read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if found_key == (FORMAT, *key) else None


def store(name: str, key: tuple, value: Any) -> None:
    """Keep ``value`` (of types marshal writes) under ``name``, written atomically; no error if it cannot be."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        data = marshal.dumps(((FORMAT, *key), value))
    except ValueError:  # a type marshal cannot write
        return
    file = folder / f"{name}.marshal"
    temporary = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, file)
    except OSError:  # a folder we may not write: the next process builds again
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def cached(name: str, sources: tuple[Path, ...], build: Callable[[], T], *versions: object) -> T:
    """``build()``, or what it returned in an earlier process from the same ``sources`` (the data files
    and the module whose code derives the table from them) and ``versions`` (of the dependencies used)."""
    try:
        key = (*versions, *map(file_key, sources))
    except OSError:  # a source that is no file (a zipped install): nothing to key on
        return build()
    value = load(name, key)
    if value is None:
        value = build()
        store(name, key, value)
    return value
