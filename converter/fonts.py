"""Fonts: the bundled Noto Serif CJK faces, a user's TrueType file, coverage, registration once per process."""

from __future__ import annotations

import mmap
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import FontError
from .i18n import N_, Plural, Text

PACKAGE_FONTS = Path(__file__).resolve().parent / "fonts"  # inside an installed wheel
SOURCE_FONTS = Path(__file__).resolve().parent.parent / "fonts"  # in a source checkout
CFF = N_("{path}: CFF (PostScript) outlines cannot be embedded by reportlab; use a TrueType font")
FACES = {"SC": "Noto Serif CJK SC", "TC": "Noto Serif CJK TC"}
MONO_FILE = "NotoSansMono-Regular.ttf"  # the face of code: Latin, punctuation, arrows, box drawing


def font_dir() -> Path:
    return PACKAGE_FONTS if PACKAGE_FONTS.is_dir() else SOURCE_FONTS


def face_for(language: str) -> str:
    """SC for Simplified (zh-CN), TC for Traditional (zh-TW, zh-HK)."""
    return "SC" if language in ("zh-CN", "zh-SG", "zh-Hans") else "TC"


def bundled_file(face: str, bold: bool = False) -> Path:
    return _bundled(f"NotoSerifCJK{face}-{'Bold' if bold else 'Regular'}.ttf")


def _bundled(name: str) -> Path:
    path = font_dir() / name
    if not path.is_file():
        raise FontError(
            "bundled font {name} is missing from {folder}; reinstall zhdoc", name=path.name, folder=str(path.parent)
        )
    return path


@dataclass(frozen=True, slots=True)
class Face:
    """A registered reportlab font: its name, family name (for DOCX) and the code points it covers."""

    name: str
    family: str
    covers: Container[int]  # reportlab's own code point → glyph map: no copy
    widths: dict  # code point → advance in 1/1000 em
    default_width: float


class _Mapped:
    """A font file for reportlab to read as a memory map: it keeps the whole file for the life of the
    process, and a map makes resident only the pages read (tables, and the glyphs a batch draws),
    shared between the workers of a batch."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)

    def read(self) -> mmap.mmap:
        with open(self.name, "rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


@cache
def register(path: str, index: int = 0) -> Face:
    """Parse a TrueType file (or load its parse from the cache) once per process and register it with reportlab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from .font_cache import load_font

    file = Path(path)
    if not file.is_file():
        raise FontError("{path}: no such font file", path=str(path))
    with open(file, "rb") as handle:
        head = handle.read(4)
    if head == b"OTTO":
        raise FontError(CFF, path=str(path))
    name = f"zhdoc-{file.stem}-{index}"
    try:
        font = load_font(name, _Mapped(file), file, index)
    except TTFError as error:
        if "postscript" in str(error):
            raise FontError(CFF, path=str(path)) from None
        raise FontError("{path}: not a usable TrueType font ({error})", path=str(path), error=str(error)) from None
    except Exception as error:  # not a font at all
        raise FontError("{path}: not a usable TrueType font ({error})", path=str(path), error=str(error)) from None
    from .writers.pdf_fonts import install

    install(font.face)  # subsets from tables and glyphs read once per process
    pdfmetrics.registerFont(font)
    family = font.face.familyName
    family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    return Face(name, family, font.face.charToGlyph, font.face.charWidths, font.face.defaultWidth)


def body_face(language: str, font: str | None = None, index: int = 0) -> Face:
    """The user's font, or the bundled face for the script."""
    return register(font, index) if font else register(str(bundled_file(face_for(language))))


def bold_face(language: str, font: str | None = None, index: int = 0) -> Face:
    return register(font, index) if font else register(str(bundled_file(face_for(language), bold=True)))


def mono_face() -> Face:
    """The monospace face of code (ASCII and Latin; CJK in code comes from the CJK faces)."""
    return register(str(_bundled(MONO_FILE)))


def fallback_face(language: str, font: str | None = None) -> Face:
    """For characters the body face lacks: the bundled face of the script (for a user's font) or of
    the other script (for a bundled face)."""
    face = face_for(language)
    return register(str(bundled_file(face if font else ("TC" if face == "SC" else "SC"))))


def faces_for(text: str, language: str, font: str | None = None, index: int = 0) -> tuple[Face, Face]:
    """(body, fallback) for ``text``; the fallback is only parsed when the body face lacks a character."""
    body = body_face(language, font, index)
    if all(ord(c) in body.covers for c in set(text) if c not in "\n\r\t"):
        return body, body
    return body, fallback_face(language, font)


# Not drawn by themselves, so no font needs them: breaks, variation selectors, zero-width joiners and marks.
INVISIBLE = frozenset("\n\r\t\f\u200b\u200c\u200d\u200e\u200f\u2060\ufeff") | frozenset(map(chr, range(0xFE00, 0xFE10)))


def uncovered(text: str, *available: Face) -> Counter[str]:
    """Characters that no face covers, with their counts (invisible ones aside).

    >>> face = Face("f", "F", {ord("中")}, {}, 1000)
    >>> uncovered("中\\ufe0f😀\\n", face)
    Counter({'😀': 1})
    """
    missing = {c for c in set(text) - INVISIBLE if not any(ord(c) in f.covers for f in available)}
    return Counter(c for c in text if c in missing) if missing else Counter()


def describe_uncovered(counts: Counter[str]) -> Text:
    chars = ", ".join(f"{c} U+{ord(c):04X} ×{n}" for c, n in counts.most_common())
    count = sum(counts.values())
    return Plural(
        "no bundled font covers {count} character: {chars}",
        "no bundled font covers {count} characters: {chars}",
        count=count,
        chars=chars,
    )
