"""Build the bundled TrueType faces from Debian's Noto Serif CJK (OpenType/CFF collections) and Noto Sans Mono.

reportlab embeds only TrueType (glyf) outlines, so the CFF faces are trimmed with fontTools'
subsetter and their cubic outlines converted to quadratic ones (fontTools' otf2ttf recipe).
A one-off: it takes a few minutes per face. Noto Sans Mono (the face of code) is TrueType already:
it is only trimmed, to Latin, punctuation, arrows and box drawing (``MONO_RANGES``).

    apt-get install fonts-noto-cjk fonts-noto-mono && pip install fonttools
    python fonts/build.py [FOLDER]   # writes NotoSerifCJK{SC,TC}-{Regular,Bold}.ttf to fonts/ or FOLDER
    python fonts/build.py --mono [FOLDER]   # writes NotoSansMono-Regular.ttf only
    python fonts/build.py --hangul [FOLDER]   # NotoSerifCJKHangul-Regular.ttf: Hangul from Noto Serif CJK KR
    pip download manimgx-fonts --no-deps && unzip manimgx_fonts-*.whl   # Noto Emoji's outline font (OFL)
    python fonts/build.py --emoji manimgx_fonts/NotoEmoji[wght].ttf [FOLDER]   # NotoEmoji-Regular.ttf
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto")
MONO_SOURCE = Path("/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf")
HERE = Path(__file__).resolve().parent
FACES = {"SC": 2, "TC": 3}  # index in the Noto Serif CJK collection
HANGUL_INDEX = 1  # Noto Serif CJK KR
HANGUL_RANGES = [
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3130, 0x318F),  # compatibility Jamo
    (0xA960, 0xA97F),  # Jamo Extended-A
    (0xAC00, 0xD7AF),  # Hangul syllables (those of KS X 1001 only: ``_hangul_points``): 한국어
    (0xD7B0, 0xD7FF),  # Jamo Extended-B
]
EMOJI_SOURCE = Path("NotoEmoji[wght].ttf")  # Noto Emoji, the outline (monochrome) font: pip download manimgx-fonts
EMOJI_RANGES = [
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2139),
    (0x2194, 0x21AA),
    (0x231A, 0x23FF),
    (0x24C2, 0x24C2),
    (0x25AA, 0x27BF),  # geometric shapes, miscellaneous symbols, dingbats: ✅ ✨ ❤ ⭐
    (0x2934, 0x2935),
    (0x2B05, 0x2B55),
    (0x3030, 0x303D),
    (0x3297, 0x3299),
    (0x1F000, 0x1FAFF),  # emoji proper: 😀 🚀 📦 🎉
]
WEIGHTS = ("Regular", "Bold")
MAX_ERR = 1.0  # font units; cu2qu's default precision

UNICODE_RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 (·, ×, é …)
    (0x0100, 0x024F),  # Latin Extended-A and -B: pinyin with tones (ā ǎ ǘ ǚ)
    (0x02B0, 0x02FF),  # spacing modifiers: bopomofo tones ˇ ˊ ˋ
    (0x0300, 0x036F),  # combining diacritics
    (0x0370, 0x03FF),  # Greek (α β λ in technical text)
    (0x0400, 0x04FF),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional: ḿ
    (0x2000, 0x206F),  # general punctuation: “ ” ‘ ’ — … ‧
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency: €
    (0x2100, 0x218F),  # letterlike symbols and number forms: ℃ ™ № Ⅱ
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x23FF),  # mathematical operators, technical symbols
    (0x2460, 0x24FF),  # enclosed numbers ① …
    (0x2500, 0x257F),  # box drawing: tables drawn with ┌─┬─┐ │
    (0x2580, 0x27BF),  # block elements, geometric shapes (□ ■ ○), symbols (☆ ★), dingbats (✓)
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3200, 0x33FF),  # enclosed CJK, compatibility
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A (rare characters in names)
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
]


MONO_RANGES = [
    (0x0020, 0x007E),  # ASCII: code
    (0x00A0, 0x017F),  # Latin-1 and Extended-A
    (0x2000, 0x206F),  # general punctuation
    (0x2190, 0x21FF),  # arrows
    (0x2500, 0x259F),  # box drawing and block elements: trees and tables drawn in code
    (0xFFFD, 0xFFFD),  # the replacement character
]


def _hangul_points() -> list[int]:
    """The code points of ``HANGUL_RANGES``, of the syllables only the 2,350 of KS X 1001 (EUC-KR): what
    Korean text uses (the face is 1.4 MB, not the 6.9 MB of all 11,172 syllables)."""
    points = []
    for lo, hi in HANGUL_RANGES:
        for point in range(lo, hi + 1):
            if not 0xAC00 <= point <= 0xD7A3 or _in_ks_x_1001(chr(point)):
                points.append(point)
    return points


def _in_ks_x_1001(char: str) -> bool:
    """Is the syllable one of KS X 1001's? (Python's EUC-KR writes the others as 8-byte jamo sequences.)"""
    try:
        return len(char.encode("euc_kr")) == 2
    except UnicodeEncodeError:
        return False


def _quadratic_glyphs(font: TTFont) -> dict:
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    return glyphs


def cff_to_truetype(font: TTFont) -> None:
    """fontTools' otf2ttf snippet: replace the CFF table by glyf/loca."""
    order = font.getGlyphOrder()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = _quadratic_glyphs(font)
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID-keyed names are useless and large
    font.sfntVersion = "\x00\x01\x00\x00"


def _trimmed(font: TTFont, unicodes: list[int], features: list[str]) -> TTFont:
    """``font`` cut down to ``unicodes`` (and the layout ``features`` named), without hinting."""
    options = subset.Options()
    options.layout_features = features
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def _save(font: TTFont, out: Path) -> Path:
    """Written beside ``out`` first, then renamed: an interrupted build leaves no half font."""
    tmp = out.with_suffix(".tmp")
    font.save(tmp)
    tmp.replace(out)
    return out


def _points(ranges) -> list[int]:
    return [cp for lo, hi in ranges for cp in range(lo, hi + 1)]


def build(script: str, weight: str, folder: Path = HERE) -> Path:
    hangul = script == "Hangul"
    index = HANGUL_INDEX if hangul else FACES[script]
    font = TTCollection(SOURCE / f"NotoSerifCJK-{weight}.ttc").fonts[index]
    unicodes = _hangul_points() if hangul else _points(UNICODE_RANGES)
    font = _trimmed(font, unicodes, ["vert", "vrt2", "kern", "palt", "halt"])
    cff_to_truetype(font)
    return _save(font, folder / f"NotoSerifCJK{script}-{weight}.ttf")


def build_mono(folder: Path = HERE, source: Path = MONO_SOURCE) -> Path:
    """Noto Sans Mono trimmed to ``MONO_RANGES``, without hinting."""
    return _save(_trimmed(TTFont(source), _points(MONO_RANGES), []), folder / "NotoSansMono-Regular.ttf")


def build_emoji(folder: Path = HERE, source: Path = EMOJI_SOURCE) -> Path:
    """Noto Emoji (monochrome outlines) at its regular weight, trimmed to ``EMOJI_RANGES``: the face for
    emoji no CJK face has. A variable font: its default instance is kept (reportlab reads no variations)."""
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(TTFont(source), {"wght": 400})
    return _save(_trimmed(font, _points(EMOJI_RANGES), []), folder / "NotoEmoji-Regular.ttf")


def main() -> None:
    """``build.py [FOLDER]``: the CJK faces; ``--mono``, ``--hangul``, ``--emoji SOURCE``: one face only."""
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--emoji" in sys.argv:
        source, *rest = arguments
        out = build_emoji(Path(rest[0]) if rest else HERE, Path(source))
        print(out.name, f"{out.stat().st_size / 1e3:.0f} kB", file=sys.stderr)
        return
    folder = Path(arguments[0]) if arguments else HERE  # default: fonts/ itself
    if "--mono" in sys.argv or "--hangul" in sys.argv:
        out = build_mono(folder) if "--mono" in sys.argv else build("Hangul", "Regular", folder)
        print(out.name, f"{out.stat().st_size / 1e3:.0f} kB", file=sys.stderr)
        return
    jobs = [(s, w, folder) for s in FACES for w in WEIGHTS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        for out in pool.map(build, *zip(*jobs)):
            print(out.name, f"{out.stat().st_size / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
