"""Embedded fonts: the cached subsetter builds reportlab's subsets byte for byte; a face is one Type0 font."""

from __future__ import annotations

import io

import pytest
from conftest import SAMPLE
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.ttfonts import TTFontFile

from converter.document import Code, Document, Paragraph, spans
from converter.fonts import body_face, bundled_file, register
from converter.formats.pdf import write as pdf
from converter.formats.pdf.fonts import make_subset
from converter.formats.pdf.text import NOTDEF, cid
from converter.options import Options

TEXT = SAMPLE.read_text(encoding="utf-8")


def _subsets(text: str) -> list[list[int]]:
    codes = list(dict.fromkeys(ord(c) for c in text))
    return [codes[i : i + 256] for i in range(0, len(codes), 256)]


@pytest.mark.parametrize("bold", [False, True])
def test_subsets_are_reportlabs(bold: bool) -> None:
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(register(str(bundled_file("TC", bold))).name).face
    text = "".join(map(chr, range(32, 127))) + TEXT + "\u0000\U0010fffd①½ﬁ"  # ASCII, Han, missing, ligature
    for subset in _subsets(text):
        assert make_subset(face, subset) == TTFontFile.makeSubset(face, subset)
    assert face.makeSubset(_subsets(TEXT)[0]) == TTFontFile.makeSubset(face, _subsets(TEXT)[0])


def test_the_face_registered_is_the_one_given_the_subsetter() -> None:
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(body_face("zh-TW").name).face
    assert face.makeSubset.__func__ is make_subset


def test_cids_are_unique_and_the_first_need_no_escape() -> None:
    cids = [cid(index) for index in range(0x10000)]
    assert len(set(cids)) == len(cids) and cids[0] == NOTDEF
    first = [escapePDF(code.to_bytes(2, "big")) for code in cids[1 : 92 * 92 + 1]]  # both bytes printable
    assert all(len(text) == 2 and text.isprintable() and not set(text) & set("()\\") for text in first)


def test_more_characters_than_plain_two_byte_codes_come_back_out() -> None:
    """Past 8,464 characters of a face, codes need escapes in PDF strings: in a paragraph and on the grid."""
    from pypdf import PdfReader

    face = body_face("zh-TW")
    han = [chr(code) for code in range(0x4E00, 0xA000) if code in face.covers][:8600]
    text = "".join(han)
    code = "\n".join(text[i : i + 30] for i in range(8400, 8600, 30)) + "\n(a)\\b"
    document = Document((Paragraph(spans(text)), Code(code)), language="zh-TW")
    reader = PdfReader(io.BytesIO(pdf.render(document, Options())))
    extracted = "".join(page.extract_text() for page in reader.pages)
    assert text in "".join(c for c in extracted if not c.isspace() and not c.isdigit())
    assert "(a)\\b" in extracted
    fonts = {f.get_object()["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert len([font for font in fonts if "NotoSerifCJK" in font]) == 1, fonts  # beside the code's monospace face
