"""Build the bundled TrueType faces from Debian's Noto Serif CJK (OpenType/CFF collections).

reportlab embeds only TrueType (glyf) outlines, so the CFF faces are trimmed with fontTools'
subsetter and their cubic outlines converted to quadratic ones (fontTools' otf2ttf recipe).
A one-off: it takes a few minutes per face.

    apt-get install fonts-noto-cjk && pip install fonttools
    python fonts/build.py            # writes fonts/NotoSerifCJK{SC,TC}-{Regular,Bold}.ttf
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
HERE = Path(__file__).resolve().parent
FACES = {"SC": 2, "TC": 3}  # index in the Noto Serif CJK collection
WEIGHTS = ("Regular", "Bold")
MAX_ERR = 1.0  # font units; cu2qu's default precision

UNICODE_RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 (·, ×, é …)
    (0x2000, 0x206F),  # general punctuation: “ ” ‘ ’ — … ‧
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed numbers ① …
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3100, 0x312F),  # bopomofo
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3200, 0x33FF),  # enclosed CJK, compatibility
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
]


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


def build(script: str, weight: str) -> Path:
    collection = TTCollection(SOURCE / f"NotoSerifCJK-{weight}.ttc")
    font = collection.fonts[FACES[script]]
    options = subset.Options()
    options.layout_features = ["vert", "vrt2", "kern", "palt", "halt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for lo, hi in UNICODE_RANGES for cp in range(lo, hi + 1)])
    subsetter.subset(font)
    cff_to_truetype(font)
    out = HERE / f"NotoSerifCJK{script}-{weight}.ttf"
    tmp = out.with_suffix(".tmp")
    font.save(tmp)
    tmp.replace(out)
    return out


def main() -> None:
    jobs = [(s, w) for s in FACES for w in WEIGHTS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        for out in pool.map(build, *zip(*jobs)):
            print(out.name, f"{out.stat().st_size / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
