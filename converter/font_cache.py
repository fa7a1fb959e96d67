"""reportlab's parse of a TrueType face, kept between processes (see cache.py).

Parsing a 13 MB CJK face (cmap, advance widths, metrics, glyph offsets) takes reportlab longer than all
the rest of a one-file conversion's font work; what its ``extractInfo`` found loads from the cache in a
tenth of the time. The file itself is still read by reportlab (memory-mapped) for the table directory
and the glyphs of each subset. The key is the file (path, size, modification time), the face index and
reportlab's version.
"""

from __future__ import annotations

import marshal
import zlib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from . import cache

LAZY = ("glyphToChar", "hmetrics", "glyphPos")  # read only by subsetting (and reportlab's shaping): loaded on use
NOT_STORED = ("_pos", "_pdfScale")  # the file cursor, and a function (rebuilt from unitsPerEm)


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
    entry = f"fonts/{path.stem}-{index}-{zlib.crc32(str(path.resolve()).encode()):08x}"
    key = (reportlab.Version, *cache.file_key(path), index)
    stored = cache.load(entry, key)
    face = CachedFace(source, index, stored)
    if stored is None:
        _store(entry, key, vars(face).pop("extracted"))
    return CachedFont(name, face)


def _store(entry: str, key: tuple, extracted: dict[str, Any]) -> None:
    try:
        lazy = {attribute: marshal.dumps(extracted[attribute]) for attribute in LAZY}
    except (KeyError, ValueError):  # not parsed, or a type marshal cannot write: not cached
        return
    eager = {attribute: value for attribute, value in extracted.items() if attribute not in LAZY}
    names = [attribute for attribute, value in eager.items() if isinstance(value, TTFNameBytes)]
    cache.store(entry, key, {"eager": eager, "names": names, "lazy": lazy})
