"""Embedded fonts: one Type0 font (two-byte Identity-H codes) per face and PDF, over one TrueType subset.

reportlab embeds a TrueType face as simple fonts of 256 characters each: a CJK document needs three or
four of them per face, and its text switches font every few characters (a switch and a string each
time). Here a face is one font: each character a two-byte CID given in drawing order
(``text.Encoding``), one subset with every glyph the document draws, its widths (W) and a ToUnicode
map. The subset is reportlab's ``TTFontFile.makeSubset`` (byte for byte: the tests compare them) built
from what is read once per process and face: the tables copied as they are, each glyph's bytes and its
components (for a composite glyph); reportlab's copies the whole ``glyf`` table (about 9 MB for a Noto
CJK face) for every subset. Font streams are compressed at ``FONT_LEVEL`` rather than zlib's default.
"""

from __future__ import annotations

import hashlib
import sys
import types
import zlib
from array import array
from itertools import accumulate
from struct import pack, unpack_from
from typing import NamedTuple

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    TTFontFace,
    TTFontMaker,
    _set_ushort,
)

FONT_LEVEL = 1  # zlib level of the embedded subsets: half the time of level 6, files 4 % larger (benchmarks/README.md)
COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")


class Flate:
    """reportlab's FlateDecode filter at a chosen level."""

    pdfname = "FlateDecode"

    def __init__(self, level: int) -> None:
        self.level = level

    def encode(self, text: bytes | str) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, self.level)

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


FONT_FILTER = Flate(FONT_LEVEL)


class Glyph(NamedTuple):
    data: bytes  # padded to a multiple of 4 bytes, as the subset's glyf table holds it
    components: tuple[int, ...]  # the glyphs a composite glyph is made of
    offsets: tuple[int, ...]  # where each component's index stands in ``data``
    metrics: tuple[int, int]  # advance and left side bearing


class Glyphs:
    """What a face's subsets read, read once: tables, and per glyph its bytes, components and metrics."""

    def __init__(self, face: TTFontFace) -> None:
        self.face = face
        tags = (*COPIED, "post", "hhea", "maxp", "head")
        self.tables = {tag: face.get_table(tag) for tag in tags if tag in face.table}
        self.glyf_start = face.get_table_pos("glyf")[0]
        self.data = memoryview(face._ttf_data)
        self.glyphs: dict[int, Glyph] = {}

    def glyph(self, index: int) -> Glyph:
        found = self.glyphs.get(index)
        if found is None:
            start = self.face.glyphPos[index]
            data = bytes(self.data[self.glyf_start + start : self.glyf_start + self.face.glyphPos[index + 1]])
            components = _components(data)
            offsets = tuple(_component_offsets(data)) if components else ()
            advance, bearing = self.face.hmetrics[index]
            padded = data + b"\0" * (-len(data) % 4)
            found = self.glyphs[index] = Glyph(padded, components, offsets, (int(advance), int(bearing)))
        return found


def _component_offsets(data: bytes) -> list[int]:
    """Where each component's glyph index stands in a composite glyph."""
    offsets, at, flags = [], 10, GF_MORE_COMPONENTS
    while flags & GF_MORE_COMPONENTS:
        flags = unpack_from(">H", data, at)[0]
        offsets.append(at + 2)
        at += 8 if flags & GF_ARG_1_AND_2_ARE_WORDS else 6
        if flags & GF_WE_HAVE_A_SCALE:
            at += 2
        elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
            at += 4
        elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
            at += 8
    return offsets


def _components(data: bytes) -> tuple[int, ...]:
    if len(data) <= 2 or unpack_from(">h", data)[0] >= 0:
        return ()
    return tuple(unpack_from(">H", data, at)[0] for at in _component_offsets(data))


def make_subset(face: TTFontFace, subset: list[int]) -> bytes:
    """reportlab's ``makeSubset``, reading through the face's ``Glyphs``."""
    return subset_glyphs(face, subset)[0]


def _renumbered(entry: Glyph, new_index: dict[int, int]) -> bytes:
    """A composite glyph's bytes with its components' indices in the subset."""
    patched = bytearray(entry.data)
    for at, component in zip(entry.offsets, entry.components):
        patched[at : at + 2] = pack(">H", new_index[component])
    return bytes(patched)


def subset_glyphs(face: TTFontFace, subset: list[int]) -> tuple[bytes, list[int]]:
    """``make_subset``, and the glyph in it of each code point of ``subset``."""
    glyphs: Glyphs = face._zhdoc_glyphs
    glyph_map = [0]  # new glyph index → old
    glyph_set = {0: 0}  # old → new
    code_to_glyph = {}
    char_to_glyph = face.charToGlyph
    for code in subset:
        original = char_to_glyph.get(code, 0)
        if original not in glyph_set:
            glyph_set[original] = len(glyph_map)
            glyph_map.append(original)
        code_to_glyph[code] = glyph_set[original]
    entries, glyph = [], glyphs.glyph
    while len(entries) < len(glyph_map):  # the glyphs composite glyphs are made of, in reportlab's order
        entry = glyph(glyph_map[len(entries)])
        entries.append(entry)
        for component in entry.components:
            if component not in glyph_set:
                glyph_set[component] = len(glyph_map)
                glyph_map.append(component)

    output = TTFontMaker()
    for tag in COPIED:
        if tag in glyphs.tables:
            output.add(tag, glyphs.tables[tag])
    output.add("post", b"\x00\x03\x00\x00" + glyphs.tables["post"][4:16] + b"\x00" * 16)
    count = len(glyph_map)
    hmtx = [value for entry in entries for value in entry.metrics]
    n = len(hmtx) - 2
    while n and hmtx[n] == hmtx[n - 2]:
        n -= 2
    n += 2
    hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
    output.add("hmtx", pack(f">{len(hmtx)}H", *hmtx))
    output.add("hhea", _set_ushort(glyphs.tables["hhea"], 34, n >> 1))
    output.add("maxp", _set_ushort(glyphs.tables["maxp"], 4, count))
    cmap = [0, 1, 1, 0, 0, 12, 6, 10 + len(subset) * 2, 0, 0, len(subset), *map(code_to_glyph.get, subset)]
    output.add("cmap", pack(f">{len(cmap)}H", *cmap))

    glyf = [entry.data if not entry.components else _renumbered(entry, glyph_set) for entry in entries]
    offsets = list(accumulate(map(len, glyf), initial=0))
    pos = offsets[-1]
    output.add("glyf", b"".join(glyf))
    long_offsets = (pos + 1) >> 1 > 0xFFFF
    if long_offsets:
        loca = pack(f">{len(offsets)}L", *offsets)
    else:
        loca = pack(f">{len(offsets)}H", *(offset >> 1 for offset in offsets))
    output.add("loca", loca)
    output.add("head", _set_ushort(glyphs.tables["head"], 50, int(long_offsets)))
    return output.makeStream(), [code_to_glyph[code] for code in subset]


class Raw(pdfdoc.PDFObject):
    """PDF text written as it is."""

    def __init__(self, text: str) -> None:
        self.text = text

    def format(self, document) -> bytes:
        return self.text.encode("latin-1")


def _stream(content: bytes | str, filters: list, **entries) -> pdfdoc.PDFStream:
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary(entries) if entries else None)
    stream.content = content
    stream.filters = filters
    return stream


_FORMATTED: dict[float, str] = {}  # a width → as PDF writes it (a face has few widths)


def _widths(cids: list[int], widths: list[float]) -> str:
    """A CIDFont's W array: ``first [w w …]`` for each run of consecutive CIDs.

    >>> _widths([0, 8224, 8225, 8227], [1000, 500, 250.5, 1000])
    '[0 [1000] 8224 [500 250.5] 8227 [1000]]'
    """
    out, previous, formatted = [], -2, _FORMATTED
    for cid, width in zip(cids, widths):
        text = formatted.get(width)
        if text is None:
            text = formatted[width] = fp_str(width)
        out.append(f"] {cid} [{text}" if cid != previous + 1 else f" {text}")
        previous = cid
    return "[" + "".join(out)[2:] + "]]"


def _utf16(point: int) -> str:
    """A code point as a ToUnicode CMap writes it: UTF-16BE in hex.

    >>> _utf16(0x4E2D), _utf16(0x2000B)
    ('4E2D', 'D840DC0B')
    """
    return f"{point:04X}" if point < 0x10000 else chr(point).encode("utf-16-be").hex().upper()


def to_unicode(cids: list[int], points: list[int]) -> str:
    """A ToUnicode CMap for two-byte codes."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for at in range(0, len(cids), 100):
        block = list(zip(cids[at : at + 100], points[at : at + 100]))
        lines += [f"{len(block)} beginbfchar", *(f"<{cid:04X}> <{_utf16(point)}>" for cid, point in block), "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def add_type0_font(
    face: TTFontFace, doc, name: str, number: int, cids: list[int], points: list[int], narrow: dict[int, float]
) -> None:
    """Embed one subset of ``face`` holding the glyphs of ``points`` (code points, ``cids[i]`` the CID of
    ``points[i]``; the first is .notdef) as a Type0 font (Identity-H) with the resource name ``name`` in
    every page; its subset tag is made from the subset's bytes (``number`` is kept for reportlab's
    callers). ``narrow``: index in ``points`` → the width of a narrow variant (a code point given twice:
    the same glyph, another advance)."""
    content, glyph_ids = subset_glyphs(face, points)
    base = f"{subset_tag(content)}+{face.name.decode()}{face.subfontNameX.decode()}"
    font_file = _stream(content, [FONT_FILTER] if doc.compression else [], Length1=len(content))
    gid_map = array("H", bytes(2 * (max(cids) + 1)))
    for cid, glyph in zip(cids, glyph_ids):
        gid_map[cid] = glyph
    if sys.byteorder == "little":
        gid_map.byteswap()  # PDF wants big-endian
    page_filters = [pdfdoc.PDFZCompress] if doc.compression else []
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(base),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": doc.Reference(font_file),
            "MissingWidth": face.defaultWidth,
        }
    )
    cid_font = pdfdoc.PDFDictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": pdfdoc.PDFName(base),
            "CIDSystemInfo": Raw("<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"),
            "FontDescriptor": doc.Reference(descriptor),
            "DW": face.defaultWidth,
            "W": Raw(_widths(cids, [narrow.get(i, face.getCharWidth(p)) for i, p in enumerate(points)])),
            "CIDToGIDMap": doc.Reference(_stream(gid_map.tobytes(), [FONT_FILTER] if doc.compression else [])),
        }
    )
    font = pdfdoc.PDFDictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": pdfdoc.PDFName(base),
            "Encoding": "/Identity-H",
            "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font)]),
            "ToUnicode": doc.Reference(_stream(to_unicode(cids[1:], points[1:]), page_filters)),  # not .notdef
        }
    )
    doc.idToObject["BasicFonts"].dict[name] = doc.Reference(font, name)


def ink_width(face: TTFontFace, code: int) -> float | None:
    """The width in thousandths of an em that holds the ink of ``code``'s glyph with its left side bearing
    on both sides (an apostrophe drawn on a full em: its ink only), or None for no glyph or no ink."""
    glyph = face.charToGlyph.get(code)
    if not glyph:
        return None
    data = face._zhdoc_glyphs.glyph(glyph).data
    if len(data) < 10:
        return None
    left, right = unpack_from(">h", data, 2)[0], unpack_from(">h", data, 6)[0]
    units = unpack_from(">H", face._zhdoc_glyphs.tables["head"], 18)[0]
    return round((left + right) * 1000 / units, 2) if 0 <= left < right and units else None


def subset_tag(content: bytes) -> str:
    """Six capitals from a digest of the subset: two PDFs merged keep apart subsets that differ (a tag by
    number, ``AAAAAA``, is the same in every PDF) and share those that are the same.

    >>> tag = subset_tag(b"glyphs")
    >>> len(tag), tag.isalpha() and tag.isupper(), tag == subset_tag(b"glyphs"), tag != subset_tag(b"glyph")
    (6, True, True, True)
    """
    digest = hashlib.sha256(content).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def install(face: TTFontFace) -> None:
    """Give one parsed face the cached subsetter (instance attributes: other fonts keep reportlab's)."""
    face._zhdoc_glyphs = Glyphs(face)
    face.makeSubset = types.MethodType(make_subset, face)
