"""Between the files of a batch a worker gives back what the last file left resident (converter/memory.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from converter import memory
from converter.fonts import bundled_file, register

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps")


def resident_kb(path: Path) -> int:
    """Resident kilobytes of this process's maps of ``path``."""
    total, inside = 0, False
    with open("/proc/self/smaps", encoding="utf-8") as smaps:
        for line in smaps:
            if "-" in line.split(" ", 1)[0]:  # a mapping's header line: address range, then the file
                inside = line.rstrip().endswith(str(path))
            elif inside and line.startswith("Rss:"):
                total += int(line.split()[1])
    return total


def test_release_drops_the_resident_pages_of_the_font_maps() -> None:
    path = bundled_file("SC")
    register(str(path))
    maps = memory._font_maps()
    assert maps, "the bundled face is read through a memory map"
    for data in maps:
        bytes(data)  # touch every page, as drawing many glyphs would
    assert resident_kb(path) > 5_000
    memory.release()
    assert resident_kb(path) < 500
    for data in maps:  # the pages are read again on use: the maps still hold the file
        assert data[:4] in (b"\x00\x01\x00\x00", b"true", b"ttcf")
