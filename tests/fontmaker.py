"""Tiny real fonts made with fontTools' FontBuilder, for the --font tests (TrueType and CFF outlines)."""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

CHARS = "測試字體中文，。"


def _box(pen) -> None:
    pen.moveTo((100, 0))
    pen.lineTo((100, 800))
    pen.lineTo((900, 800))
    pen.lineTo((900, 0))
    pen.closePath()


def make_font(path: Path, cff: bool = False) -> Path:
    names = [".notdef", *(f"uni{ord(c):04X}" for c in CHARS)]
    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in CHARS})
    if cff:
        strings = {}
        for name in names:
            pen = T2CharStringPen(1000, None)
            _box(pen)
            strings[name] = pen.getCharString()
        builder.setupCFF("ZhdocTestCFF", {"FullName": "Zhdoc Test CFF"}, strings, {})
    else:
        glyphs = {}
        for name in names:
            pen = TTGlyphPen(None)
            _box(pen)
            glyphs[name] = pen.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (1000, 100) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    family = "Zhdoc Test CFF" if cff else "Zhdoc Test"
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path
