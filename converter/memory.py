"""Giving memory back between the files of a batch, so that a worker's peak is that of its largest file.

Without it a worker kept the high-water mark of a long manual (freed objects stay in the allocator's
arenas) and then grew on top of it as later files registered more faces and drew more glyphs: the
pages of the memory-mapped font files that reportlab read stay resident in the worker until the map is
told they are not needed (they are read again from the page cache on use).
"""

from __future__ import annotations

import gc
import mmap
import sys
from functools import cache

LARGE_INPUT = 100_000  # bytes of input after which a full garbage collection pays (it takes ~0.1 s in a worker)


def release(collect: bool = False) -> None:
    """Return freed heap to the system and drop the resident pages of the fonts' file maps;
    ``collect`` first runs a full garbage collection (worth it after a large document)."""
    if collect:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    for data in _font_maps():
        data.madvise(mmap.MADV_DONTNEED)


@cache
def _malloc_trim():
    """glibc's ``malloc_trim`` (None elsewhere: other allocators give memory back by themselves or not at all)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _font_maps() -> list[mmap.mmap]:
    """The memory maps of the font files registered with reportlab (none before a PDF or font check needed one)."""
    pdfmetrics = sys.modules.get("reportlab.pdfbase.pdfmetrics")
    if pdfmetrics is None or not hasattr(mmap, "MADV_DONTNEED"):
        return []
    found = []
    for name in pdfmetrics.getRegisteredFontNames():
        data = getattr(getattr(pdfmetrics.getFont(name), "face", None), "_ttf_data", None)
        if isinstance(data, mmap.mmap):
            found.append(data)
    return found
