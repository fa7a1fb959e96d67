"""reportlab's parse of a TrueType face, kept between processes.

Parsing a 13 MB CJK face (cmap, advance widths, metrics, glyph offsets) takes reportlab longer than all
the rest of a one-file conversion's font work. What its ``extractInfo`` found is stored with marshal
under the user's cache folder and loads in a tenth of the time; the file itself is still read by
reportlab (memory-mapped) for the table directory and the glyphs of each subset.

A cache file is used only when it was made from the same file (path, size, modification time, face
index) by the same reportlab and cache format; anything else, or any error reading it, parses the face
again. Writing is best effort: a cache folder that cannot be written only costs the parse.
"""

from __future__ import annotations

import marshal
import os
import tempfile
import zlib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

FORMAT = 1  # bump when what is stored changes
LAZY = ("glyphToChar", "hmetrics", "glyphPos")  # read only by subsetting (and reportlab's shaping): loaded on use
NOT_STORED = ("_pos", "_pdfScale")  # the file cursor, and a function (rebuilt from unitsPerEm)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "zhdoc" / "fonts"


class CachedFace(TTFontFace):
    """reportlab's TTFontFace; its ``extractInfo`` restores a stored parse when there is one and records
    what it parsed otherwise (in ``extracted``, for storing)."""

    def __init__(self, source: Any, index: int, stored: dict[str, Any] | None) -> None:
        self._stored = stored
        super().__init__(source, subfontIndex=index)

    def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802, N803 (reportlab's names)
        stored = vars(self).pop("_stored")
        if stored is None:
            before = dict(vars(self))
            super().extractInfo(charInfo)
            self.extracted = {
                key: value
                for key, value in vars(self).items()
                if key not in NOT_STORED and (key not in before or before[key] is not value)
            }
            return
        eager, names, self._lazy = stored["eager"], stored["names"], dict(stored["lazy"])
        vars(self).update(eager)
        vars(self).update({key: TTFNameBytes(eager[key]) for key in names})  # stored as their UTF-8 bytes
        scale = 1000 / self.unitsPerEm
        self._pdfScale = (lambda x: x) if self.unitsPerEm == 1000 else (lambda x: x * scale)

    def __getattr__(self, name: str) -> Any:  # only for attributes not set: the lazy ones of a stored parse
        lazy = vars(self).get("_lazy")
        if lazy and name in lazy:
            value = marshal.loads(lazy.pop(name))
            setattr(self, name, value)
            return value
        raise AttributeError(name)


class CachedFont(TTFont):
    """reportlab's TTFont around a CachedFace (its own ``__init__`` always parses with TTFontFace)."""

    def __init__(self, name: str, face: CachedFace) -> None:
        self.fontName = name
        self.face = face
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, pattern) for pattern in rl_config.unShapedFontGlob)


def load_font(name: str, source: Any, path: Path, index: int = 0) -> CachedFont:
    """The face in ``source`` (a file object reportlab reads, of ``path``) as a reportlab font."""
    file = _cache_file(path, index)
    key = _key(path, index)
    stored = _read(file, key)
    face = CachedFace(source, index, stored)
    if stored is None:
        _write(file, key, vars(face).pop("extracted"))
    return CachedFont(name, face)


def _key(path: Path, index: int) -> tuple:
    stat = path.stat()
    return FORMAT, reportlab.Version, str(path.resolve()), stat.st_size, stat.st_mtime_ns, index


def _cache_file(path: Path, index: int) -> Path:
    return cache_dir() / f"{path.stem}-{index}-{zlib.crc32(str(path.resolve()).encode()):08x}.marshal"


def _read(file: Path, key: tuple) -> dict[str, Any] | None:
    try:
        found_key, stored = marshal.loads(file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return stored if found_key == key else None


def _write(file: Path, key: tuple, extracted: dict[str, Any]) -> None:
    try:
        stored = {
            "eager": {name: value for name, value in extracted.items() if name not in LAZY},
            "names": [name for name, value in extracted.items() if isinstance(value, TTFNameBytes)],
            "lazy": {name: marshal.dumps(value) for name, value in extracted.items() if name in LAZY},
        }
        data = marshal.dumps((key, stored))
    except ValueError:  # a value marshal cannot store (not in reportlab's parse of any font seen so far)
        return
    temporary = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, file)
    except OSError:  # a folder we may not write: the next process parses again
        if temporary:
            Path(temporary).unlink(missing_ok=True)
