"""Fonts: the bundled Noto Serif CJK faces, a user's TrueType file, coverage, registration once per process."""

from __future__ import annotations

import mmap
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass
from functools import cache, lru_cache
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
    from .formats.pdf.fonts import install

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


def faces_for(text: str, language: str, font: str | None = None, index: int = 0) -> tuple[Face, ...]:
    """(body, fallback, extras…) for ``text``; the fallback is only parsed when the body face lacks a
    character, an extra face (``extra_faces``) only for characters neither has."""
    body = body_face(language, font, index)
    wanted = {c for c in set(text) - INVISIBLE if ord(c) not in body.covers}
    if not wanted:
        return body, body
    fallback = fallback_face(language, font)
    return body, fallback, *extra_faces({c for c in wanted if ord(c) not in fallback.covers})


HANGUL_FILE, EMOJI_FILE = "NotoSerifCJKHangul-Regular.ttf", "NotoEmoji-Regular.ttf"
SYSTEM_FONTS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
SYSTEM_LIMIT = 400  # font files looked at, at most (a folder of thousands is not read through)


def _hangul(char: str) -> bool:
    return "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f" or "\ua960" <= char <= "\ud7ff"


def extra_faces(missing: set[str]) -> tuple[Face, ...]:
    """Faces for characters the CJK faces lack: the bundled Hangul face (Noto Serif CJK KR's syllables and
    jamo), the bundled monochrome Noto Emoji, then TrueType fonts found on the system, each only when it
    covers a character still missing.

    >>> extra_faces(set())
    ()
    """
    found: list[Face] = []
    for name, wanted in ((HANGUL_FILE, _hangul), (EMOJI_FILE, None)):
        if not missing or (wanted and not any(map(wanted, missing))):
            continue
        path = font_dir() / name
        if path.is_file():
            missing = _take(register(str(path)), missing, found)
    for path in system_fonts() if missing else ():
        if not _covers_any(path, missing):  # a look at the cmap, not a parse kept for good
            continue
        try:
            face = register(str(path))
        except FontError:
            continue
        missing = _take(face, missing, found)
        if not missing:
            break
    return tuple(found)


_COVERS: dict[Path, dict[str, bool]] = {}  # font file → what it was found to cover of the characters asked for


def _covers_any(path: Path, missing: set[str]) -> bool:
    """Whether the font file maps any of ``missing``. Each answer is kept: a batch whose documents lack the
    same few characters opens each system font's cmap once, not once per document (there may be hundreds
    of font files, more than ``_cmap`` keeps)."""
    known = _COVERS.setdefault(path, {})
    asked = [c for c in missing if c not in known]
    if asked:
        cmap = _cmap(path)
        known.update((c, ord(c) in cmap) for c in asked)
    return any(known[c] for c in missing)


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[int]:
    """The code points a TrueType file maps (nothing for a CFF font, which cannot be embedded, or a bad file)."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, lazy=True, fontNumber=0)
        if font.sfntVersion == "OTTO":
            return frozenset()
        return frozenset(font.getBestCmap() or ())
    except Exception:  # noqa: BLE001 (fontTools raises many kinds for a damaged file)
        return frozenset()


def _take(face: Face, missing: set[str], found: list[Face]) -> set[str]:
    """Keep ``face`` in ``found`` if it covers some of ``missing``; what is still missing."""
    left = {c for c in missing if ord(c) not in face.covers}
    if len(left) < len(missing):
        found.append(face)
    return left


@cache
def system_fonts() -> tuple[Path, ...]:
    """TrueType files in the usual font folders (``SYSTEM_FONTS``), ``SYSTEM_LIMIT`` at most."""
    found: list[Path] = []
    for folder in SYSTEM_FONTS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() == ".ttf" and path.is_file():
                found.append(path)
                if len(found) >= SYSTEM_LIMIT:
                    return tuple(found)
    return tuple(found)


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
