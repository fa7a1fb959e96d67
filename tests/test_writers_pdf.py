"""The PDF writer, checked by reading the real PDF back (pdfminer.six, pypdf, and poppler where present)."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections import defaultdict

import docx
import pytest
from conftest import FIXTURES, SAMPLE
from fontmaker import make_font
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTTextContainer
from pypdf import PdfReader

from converter import FontError, Options, convert_file
from converter.document import (
    Cell,
    Code,
    Document,
    Heading,
    Html,
    Image,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    paragraphs,
    spans,
)
from converter.errors import ZhdocError
from converter.formats.pdf import write as pdf_writer
from converter.formats.pdf.layout import CANNOT_END, CANNOT_START

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


def _embedded(font) -> bool:
    """Is this font a Type0 font (two-byte Identity-H codes, a ToUnicode map) over an embedded TrueType subset?"""
    (descendant,) = font["/DescendantFonts"]
    descendant = descendant.get_object()
    return (
        font["/Subtype"] == "/Type0"
        and font["/Encoding"] == "/Identity-H"
        and "/ToUnicode" in font
        and descendant["/Subtype"] == "/CIDFontType2"
        and "/FontFile2" in descendant["/FontDescriptor"]
    )


def test_only_embedded_subset_fonts(sample_pdf) -> None:
    pdf, _ = sample_pdf
    fonts = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = _embedded(font)
    assert fonts and all(fonts.values()), fonts
    assert len(fonts) == 1, fonts  # one font for the face, whatever the number of characters
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
    assert any("𠀋 U+2000B ×1" in w and "😀" not in w for w in result.warnings), result.warnings  # emoji: Noto Emoji
    assert out.with_suffix(".txt").read_text(encoding="utf-8") == text + "\n"
    paragraphs = [p.text for p in docx.Document(out.with_suffix(".docx")).paragraphs]
    assert paragraphs == [text]
    extracted = _body_text(out.with_suffix(".pdf"))
    assert extracted.replace("(cid:0)", "") == text.replace("𠀋", "")  # .notdef: no Unicode in ToUnicode


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


# --- Structure: every block of a tree built by hand, read back from the real PDF ---------------------------

STRONG, EMPHASIS, CODE = frozenset({"strong"}), frozenset({"emphasis"}), frozenset({"code"})
MARKS = "他說：“我們要堅持（長期）奮鬥，《綱要》提出了「新的」要求；是嗎？是的！”然後……繼續——前進、前進。"
ASCII_TABLE = """+--------+------------+------+
| 名稱   | value      | 備註 |
+--------+------------+------+
| 中文字 | abc        | x    |
| ab     | 測試一下下 | 全角 |
| ｜全角 | a|b        |      |
+--------+------------+------+"""


def _structured() -> Document:
    table_rows = (
        (Cell(spans("名稱")), Cell(spans("說明"))),
        (Cell(spans("zhdoc")), Cell(spans("修復中文文本並轉換為 TXT、DOCX 與 PDF。"))),
        (Cell(spans("OpenCC")), Cell(spans("簡繁轉換"))),
    )
    return Document(
        title="結構",
        language="zh-TW",
        blocks=(
            Heading(spans("第一章 概述"), 1),
            Paragraph(
                (
                    Span("含有"),
                    Span("粗體字", STRONG),
                    Span("與"),
                    Span("強調字", EMPHASIS),
                    Span("及"),
                    Span("ls | less", CODE),
                    Span("和"),
                    Span("鏈接", url="https://example.com/a"),
                    Span("。"),
                )
            ),
            Heading(spans("1.1 清單"), 2),
            ListItem(spans("第一項內容。"), "1.", True),
            ListItem(spans("子項目。"), "*", False, 1),
            ListItem(spans("第二項內容。"), "（2）", True),
            Heading(spans("1.1.1 程式碼"), 3),
            Code("$ zcat foo.gz | sensible-pager\n# apt-get install 套件", kind="shell"),
            Code(ASCII_TABLE, kind="table"),
            Heading(spans("1.2 表格"), 2),
            Table(table_rows),
            Quote((Paragraph(spans("引用的段落。")),)),
            Rule(),
            Paragraph((Span("第一行"), Span("\n"), Span("第二行")), role="contents"),
            Paragraph(spans("注意"), role="label"),
            Html("<div>不該出現</div>"),
            PageBreak(),
            Image(spans("圖片說明文字"), "missing.png"),
        ),
    )


@pytest.fixture(scope="module")
def structured_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("structure") / "structure.pdf"
    path.write_bytes(pdf_writer.render(_structured(), Options()))
    return path


def _chars(pdf, page_number: int | None = None) -> list[list[LTChar]]:
    """Characters per page, in drawing order."""
    pages = []
    for number, page in enumerate(extract_pages(pdf)):
        if page_number is not None and number != page_number:
            continue
        pages.append(list(_collect(page)))
    return pages


def _collect(item):
    if isinstance(item, LTChar):
        yield item
    elif hasattr(item, "__iter__"):
        for child in item:
            yield from _collect(child)


def test_every_block_is_in_the_text(structured_pdf) -> None:
    text = extract_text(structured_pdf)
    lines = text.splitlines()
    for expected in ("第一章 概述", "1.1 清單", "1.1.1 程式碼", "1.2 表格", "引用的段落。", "注意", "圖片說明文字"):
        assert expected in lines, expected
    assert "含有粗體字與強調字及ls | less和鏈接。" in lines
    assert "1. 第一項內容。" in lines and "• 子項目。" in lines and "（2） 第二項內容。" in lines
    assert "$ zcat foo.gz | sensible-pager" in lines and "# apt-get install 套件" in lines
    for line in ASCII_TABLE.splitlines():
        assert line.rstrip() in lines, line
    for cell in ("名稱", "說明", "zhdoc", "修復中文文本並轉換為 TXT、DOCX 與 PDF。", "OpenCC", "簡繁轉換"):
        assert cell in text, cell
    assert "第一行" in lines and "第二行" in lines  # the forced line break
    assert "不該出現" not in text  # raw HTML is left out
    assert len(PdfReader(structured_pdf).pages) == 2  # the page break


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    entries = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((item.title, depth))

    walk(reader.outline, 0)
    return entries


def test_outline_holds_every_heading_with_its_level(structured_pdf) -> None:
    reader = PdfReader(structured_pdf)
    assert _outline(reader) == [("第一章 概述", 0), ("1.1 清單", 1), ("1.1.1 程式碼", 2), ("1.2 表格", 1)]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_outline_nests_when_a_level_is_skipped() -> None:
    levels = (2, 1, 3, 4, 2, 6, 1)
    blocks = tuple(Heading(spans(f"標題{i}"), level) for i, level in enumerate(levels))
    reader = PdfReader(io.BytesIO(pdf_writer.render(Document(blocks), Options())))
    assert [depth for _, depth in _outline(reader)] == [0, 0, 1, 2, 1, 2, 0]
    assert [title for title, _ in _outline(reader)] == [f"標題{i}" for i in range(len(levels))]


def test_links_are_clickable_on_every_line_they_cover(structured_pdf) -> None:
    long_link = Span("這是一個很長的鏈接文字，" * 8, url="https://example.org/long")
    data = pdf_writer.render(Document((Paragraph((Span("前文"), long_link)),)), Options())
    for pdf, url, at_least in ((structured_pdf, "https://example.com/a", 1), (io.BytesIO(data), long_link.url, 3)):
        annotations = [a.get_object() for page in PdfReader(pdf).pages for a in page.get("/Annots", [])]
        uris = [a["/A"]["/URI"] for a in annotations if a.get("/Subtype") == "/Link"]
        assert uris.count(url) >= at_least, uris


def test_ascii_table_columns_line_up(structured_pdf) -> None:
    chars = _chars(structured_pdf, 0)[0]
    rows = defaultdict(list)
    for char in chars:
        if char.get_text() == "|" and "Mono" in char.fontname:  # the table is set on the grid in the code face
            rows[round(char.y0, 1)].append(char.x0)
    bars = [sorted(xs) for _, xs in sorted(rows.items(), reverse=True) if len(xs) >= 4]  # the shell line has one
    assert [len(line) for line in bars] == [4, 4, 4, 5], bars  # "a|b" adds a bar inside a cell
    columns = bars[0]
    for line in bars[:3]:
        assert line == columns, bars  # the same x, to the last digit pdfminer gives
    a_b = bars[3]
    assert a_b[:2] == columns[:2] and a_b[3:] == columns[2:], bars  # after "｜全角", two cells wide
    assert columns[1] < a_b[2] < columns[2]


def test_strong_is_bold_and_emphasis_slanted(structured_pdf) -> None:
    chars = _chars(structured_pdf, 0)[0]
    by_text = {}
    for char in chars:
        by_text.setdefault(char.get_text(), char)
    assert "Bold" in by_text["粗"].fontname and "Bold" not in by_text["含"].fontname
    assert by_text["強"].matrix[2] > 0.1 and by_text["含"].matrix[2] == 0  # skewed, not upright
    assert "Bold" in by_text["說"].fontname and "Bold" not in by_text["修"].fontname  # the table's header row
    after_code = [by_text[c] for c in "和鏈接。"]  # the grid's horizontal scale must not leak into them
    assert [round(c.width, 1) for c in after_code] == [12.0] * 4, after_code


def _heading_pages(data: bytes, heading: str) -> tuple[int, int]:
    """The page of the heading and of the first line after it."""
    pages = [extract_text(io.BytesIO(data), page_numbers=[n]) for n in range(len(PdfReader(io.BytesIO(data)).pages))]
    found = [n for n, text in enumerate(pages) if heading in text][0]
    following = [n for n, text in enumerate(pages) if "之後的段落" in text][0]
    return found, following


def test_a_heading_is_kept_with_the_next_block() -> None:
    for filler in range(28, 36):  # one of these puts the heading on the last line of page 1
        blocks = (
            *paragraphs(*[f"第{i}段。" for i in range(filler)]),
            Heading(spans("要保持的標題"), 2),
            Paragraph(spans("之後的段落，" * 30)),
        )
        data = pdf_writer.render(Document(blocks), Options())
        heading_page, next_page = _heading_pages(data, "要保持的標題")
        assert heading_page == next_page, filler


def _cell_lines(pdf, left: float) -> list[str]:
    """Text lines made of the characters right of ``left`` (the marker or table edge excluded)."""
    rows = defaultdict(list)
    for page, chars in enumerate(_chars(pdf)):
        for char in chars:
            if char.x0 > left and not char.get_text().isdigit():
                rows[(page, -round(char.y0))].append(char)
    return ["".join(c.get_text() for c in sorted(rows[key], key=lambda c: c.x0)) for key in sorted(rows)]


def test_list_items_and_table_cells_follow_the_line_breaking_rules(tmp_path) -> None:
    text = "".join(MARKS[i:] + MARKS[:i] for i in range(0, len(MARKS), 3))
    for block in (ListItem(spans(text), "•", level=1), Table(((Cell(spans("標題")),), (Cell(spans(text)),)))):
        data = pdf_writer.render(Document((block,)), Options())
        left = 110 if isinstance(block, ListItem) else 80  # the text starts at 125 and 81
        lines = [line for line in _cell_lines(io.BytesIO(data), left) if line not in ("標題",)]
        assert len(lines) > 5, lines
        assert "".join(lines) == text
        for line in lines[:-1]:
            assert line[0] not in CANNOT_START and line[-1] not in CANNOT_END, line
        assert lines[-1][0] not in CANNOT_START


def test_list_items_hang_and_continuations_align() -> None:
    items = (
        ListItem(spans("第一項的文字很長，" * 6), "1.", True),
        ListItem(spans("續行沒有記號。"), "", True),
        ListItem(spans("子項。"), "-", False, 1),
    )
    chars = _chars(io.BytesIO(pdf_writer.render(Document(items), Options())), 0)[0]
    starts = defaultdict(list)
    for char in chars:
        if char.get_text() != "•":  # the bullet is drawn larger, off the baseline
            starts[round(char.y0)].append(char)
    lines = [sorted(starts[y], key=lambda c: c.x0) for y in sorted(starts, reverse=True)]
    first, wrapped, continuation, sub = lines[:4]
    assert first[0].get_text() == "1" and first[2].get_text() == "第"
    text_x = first[2].x0
    assert wrapped[0].x0 == pytest.approx(text_x, abs=0.5)  # the hanging indent
    assert continuation[0].get_text() == "續" and continuation[0].x0 == pytest.approx(text_x, abs=0.5)
    bullet = [char for char in chars if char.get_text() == "•"]
    assert len(bullet) == 1 and first[0].x0 < bullet[0].x0 <= text_x < sub[0].x0, bullet  # under its parent's text


def test_table_header_repeats_on_a_new_page() -> None:
    body = [(Cell(spans(f"第{i}列")), Cell(spans("內容"))) for i in range(80)]
    rows = ((Cell(spans("欄一")), Cell(spans("欄二"))), *body)
    data = pdf_writer.render(Document((Table(rows),)), Options())
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    for number in range(len(reader.pages)):
        text = extract_text(io.BytesIO(data), page_numbers=[number])
        assert "欄一" in text and "欄二" in text, number


def test_long_code_splits_across_pages_and_long_lines_wrap_on_the_grid() -> None:
    code = "\n".join(f"{i:04d} " + "中" * 90 for i in range(70))  # 185 cells a line: wider than the box
    data = pdf_writer.render(Document((Code(code),)), Options())
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    lines = extract_text(io.BytesIO(data)).splitlines()
    assert sum(line.count("中") for line in lines) == 70 * 90
    first, wrapped = lines[0], lines[1]  # the line wrapped at the box width (9 pt: 96 cells, one for the mark)
    assert first.startswith("0000 中") and 40 < len(first) < 60 and wrapped == "中" * (95 - len(first))


def test_images_are_embedded_and_bad_data_gives_the_alt_text() -> None:
    from PIL import Image as PILImage

    png = io.BytesIO()
    PILImage.new("RGB", (1200, 300), (200, 30, 30)).save(png, format="PNG")
    blocks = (Image(spans("好圖"), "a.png", png.getvalue()), Image(spans("壞圖"), "b.png", b"\x89PNG not really"))
    document = Document(blocks)
    data = pdf_writer.render(document, Options())
    page = PdfReader(io.BytesIO(data)).pages[0]
    images = [x for x in page["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1 and images[0].get_object()["/Width"] == 1200
    text = extract_text(io.BytesIO(data))
    assert "壞圖" in text and "好圖" not in text
    assert pdf_writer.image_warnings(document) == ["image b.png cannot be read: its alt text stands in"]


ODD_TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x85\u200b\u200d\u200e\u202e\u2066\ufe0f\U000e0100"),
        st.sampled_from("\ud800\udfff\ufffe\uffff\U0010ffff"),  # lone surrogates: the Python API can hand them over
        st.sampled_from("\u0301\u0300\u20dd中文，。「」😀👨‍👩‍👧\U00020000\U0002a6d6\ue000\U000f0000|+-─│"),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(ODD_TEXT, min_size=11, max_size=11), st.sampled_from(["zh-CN", "zh-TW"]))
def test_any_text_in_any_block_gives_a_pdf(texts, language) -> None:
    a, b, c, d, e, f, g, h, i, j, k = texts
    blocks = (
        Heading(spans(a), 1),
        Heading(spans(b), 3),
        Paragraph((Span(c), Span(d, STRONG), Span(e, EMPHASIS), Span(f, CODE), Span(g, url=h or "x"), Span("\n"))),
        Paragraph(spans(i), role="label"),
        ListItem(spans(j), marker=k, ordered=True, level=2),
        Code(a + "\n" + k, kind="table"),
        Table(((Cell(spans(b)), Cell(spans(c))), (Cell(spans(d)),))),
        Quote((Paragraph(spans(e)), Code(f))),
        Rule(g),
        Image(spans(h), src=i, data=j.encode("utf-8", "surrogatepass")),
        Html(k),
        PageBreak(),
    )
    document = Document(blocks, title=k, source=a, language=language)
    try:
        data = pdf_writer.render(document, Options())
    except ZhdocError:
        return
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    assert len(_outline(reader)) == 2
    fonts = {font.get_object()["/BaseFont"] for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert all("+" in name for name in fonts), fonts  # embedded subsets only, whatever the text


def test_a_table_row_taller_than_a_page_splits_inside_the_row() -> None:
    rows = ((Cell(spans("甲")), Cell(spans("乙"))), (Cell(spans("短")), Cell(spans("很長的儲存格內容，" * 600))))
    data = pdf_writer.render(Document((Table(rows),)), Options())
    assert 3 <= len(PdfReader(io.BytesIO(data)).pages) <= 5
    assert _body_text(io.BytesIO(data)).count("很長的儲存格內容") == 600  # page numbers left out: one may fall mid-line


def test_structured_pdf_has_only_embedded_subset_fonts_and_indents_quotes(structured_pdf) -> None:
    fonts = {}
    for page in PdfReader(structured_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = _embedded(font)
    assert all(fonts.values()) and all("+" in name for name in fonts), fonts
    assert {name.split("+")[1].split("-")[0] for name in fonts} == {"NotoSerifCJKtc", "NotoSansMono"}, fonts
    assert any("Bold" in name for name in fonts) and any("Regular" in name for name in fonts), fonts
    first = {char.get_text(): char.x0 for char in reversed(_chars(structured_pdf, 0)[0])}
    assert first["引"] == pytest.approx(first["含"] + 24, abs=0.5)  # a quote's paragraph: 2 em further in


def test_box_drawing_pinyin_greek_and_roman_numerals_are_drawn(tmp_path) -> None:
    """Characters of technical Chinese text beyond Han and ASCII are in the bundled faces, not dropped."""
    from converter.document import Code, Document, Paragraph, spans
    from converter.pipeline import check_fonts, render

    table = "┌──┬──┐\n│甲│乙│\n└──┴──┘"
    prose = Paragraph(spans("拼音 lǜ nǚ ā，希臘字母 α β λ，第Ⅱ章，溫度 25℃，☆ □ ✓。"))
    document = Document((prose, Code(table, kind="table")))
    options = Options(formats=("pdf",))
    assert check_fonts(document, options).warnings == ()
    text = extract_text(io.BytesIO(render(document, "pdf", options)))
    for char in "ǜǚāαλⅡ℃☆□✓┌─┬│└┴":
        assert char in text, char
