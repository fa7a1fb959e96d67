"""The PDF writer, checked by reading the real PDF back (pdfminer.six, pypdf, and poppler where present)."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict

import docx
import pytest
from conftest import FIXTURES, SAMPLE
from fontmaker import make_font
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTTextContainer
from pypdf import PdfReader

from converter import FontError, Options, convert_file
from converter.writers.layout import CANNOT_END, CANNOT_START

CLEAN = FIXTURES / "sample" / "gd-news-trad-pinyin.clean.txt"


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "sample"
    result = convert_file(SAMPLE, out, Options(formats=("txt", "pdf")))
    assert result.status == "converted", result.error
    return out.with_suffix(".pdf"), out.with_suffix(".txt")


def _body_text(pdf) -> str:
    """Extracted text without line breaks and page numbers."""
    lines = extract_text(pdf).splitlines()
    return "".join(line for line in lines if line.strip() and not line.strip().isdigit())


def test_extracted_text_equals_the_txt_output(sample_pdf) -> None:
    pdf, txt = sample_pdf
    assert _body_text(pdf) == txt.read_text(encoding="utf-8").replace("\n", "")


def test_only_embedded_subset_fonts(sample_pdf) -> None:
    pdf, _ = sample_pdf
    fonts = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = "/FontFile2" in font["/FontDescriptor"]
    assert fonts and all(fonts.values()), fonts
    assert all("+" in name and "NotoSerifCJK" in name for name in fonts), fonts


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="pdffonts (poppler-utils) is not installed")
def test_pdffonts_lists_only_embedded_subsets(sample_pdf) -> None:
    pdf, _ = sample_pdf
    rows = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, _uni, _obj, _gen = row.split()
        assert "+" in name and emb == "yes" and sub == "yes", row


def test_metadata(sample_pdf) -> None:
    pdf, _ = sample_pdf
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "zh-TW"
    assert reader.metadata.title == "gd-news-trad-pinyin"
    assert reader.metadata.producer.startswith("zhdoc")
    assert len(reader.pages) == 2
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)


def test_simplified_output_uses_the_sc_face_and_zh_cn(tmp_path) -> None:
    result = convert_file(SAMPLE, tmp_path / "s", Options(formats=("pdf",), to="simplified"))
    reader = PdfReader(tmp_path / "s.pdf")
    names = {f.get_object()["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert result.status == "converted"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert all("NotoSerifCJKsc" in name for name in names), names


def _lines(pdf) -> list[str]:
    """The characters of each text line, in order, from their positions on the page."""
    lines = []
    for page in extract_pages(pdf):
        rows = defaultdict(list)
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    for char in line:
                        if isinstance(char, LTChar):
                            rows[round(char.y0)].append(char)
        for y in sorted(rows, reverse=True):
            lines.append("".join(c.get_text() for c in sorted(rows[y], key=lambda c: c.x0)))
    return lines


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(tmp_path) -> None:
    # Every mark right where greedy breaking would put it at a line's edge, many times over.
    sentence = "他說：“我們要堅持（長期）奮鬥，《綱要》提出了「新的」要求；是嗎？是的！”然後……繼續——前進、前進。"
    source = tmp_path / "long.txt"
    source.write_text("".join(sentence[i:] + sentence[:i] for i in range(len(sentence))) + "\n", encoding="utf-8")
    convert_file(source, tmp_path / "long", Options(formats=("pdf",)))
    lines = [line for line in _lines(tmp_path / "long.pdf") if not line.strip().isdigit()]
    assert len(lines) > 50
    for line in lines[:-1]:
        assert line[0] not in CANNOT_START, line
        assert line[-1] not in CANNOT_END, line
    forbidden_start = set("、，；：。？！”’）》」』】…")
    assert not [line for line in lines if line[0] in forbidden_start]


def test_markup_like_text_emoji_and_extension_b(tmp_path) -> None:
    source = tmp_path / "special.txt"
    text = "含有<b>粗體</b>、&amp;、R&D、表情😀和𠀋字。"
    source.write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out" / "special"
    result = convert_file(source, out, Options())
    assert result.status == "converted", result.error
    assert any("😀 U+1F600 ×1" in w and "𠀋 U+2000B ×1" in w for w in result.warnings), result.warnings
    assert out.with_suffix(".txt").read_text(encoding="utf-8") == text + "\n"
    paragraphs = [p.text for p in docx.Document(out.with_suffix(".docx")).paragraphs]
    assert paragraphs == [text]
    extracted = _body_text(out.with_suffix(".pdf"))
    assert extracted.replace("\x00", "") == text.replace("😀", "").replace("𠀋", "")


def test_user_truetype_font(tmp_path) -> None:
    font = make_font(tmp_path / "test.ttf")
    source = tmp_path / "a.txt"
    source.write_text("測試字體，中文。\n", encoding="utf-8")
    result = convert_file(source, tmp_path / "a", Options(formats=("pdf", "docx"), font=str(font)))
    assert result.status == "converted", result.error
    names = {
        f.get_object()["/BaseFont"] for f in PdfReader(tmp_path / "a.pdf").pages[0]["/Resources"]["/Font"].values()
    }
    assert any("ZhdocTest" in name or "Zhdoc" in name for name in names), names


def test_cff_font_is_refused_with_the_reason(tmp_path) -> None:
    font = make_font(tmp_path / "test.otf", cff=True)
    source = tmp_path / "a.txt"
    source.write_text("測試。\n", encoding="utf-8")
    result = convert_file(source, tmp_path / "a", Options(formats=("pdf",), font=str(font)))
    assert result.status == "failed"
    assert "CFF" in result.error and "TrueType" in result.error and str(font) in result.error
    with pytest.raises(FontError):
        from converter.fonts import register

        register(str(font))
