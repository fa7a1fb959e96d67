"""Every block of the document tree in DOCX, read back with python-docx (and LibreOffice where installed)."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zlib

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import Options
from converter.document import (
    Cell,
    Code,
    Document,
    Fix,
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
    spans,
)
from converter.errors import ZhdocError
from converter.formats.docx import write as writer
from converter.pipeline import check_images

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
BOLD, ITALIC, STRIKE, CODE = (frozenset({s}) for s in ("strong", "emphasis", "strike", "code"))
URL = "https://www.debian.org/doc/"


def png(width: int = 40, height: int = 20) -> bytes:
    """A small valid RGB PNG, made here so no binary fixture is needed."""
    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


CODE_TEXT = "$ zcat /usr/share/doc/foo | sensible-pager\n$ dpkg -L package_name |grep bin\n  indented   spaced  中文"
TREE = Document(
    title="系统管理手册",
    language="zh-CN",
    blocks=(
        Heading(spans("第 1 章 安装"), 1),
        Paragraph(
            (
                Span("请先阅读"),
                Span("说明文件", BOLD),
                Span("，执行 "),
                Span("apt update", CODE),
                Span("。详见"),
                Span("官方网站", url=URL),
                Span("。"),
                Span("删除", STRIKE),
                Span("斜体", ITALIC),
            )
        ),
        Heading(spans("1.1 准备"), 2),
        Heading(spans("深层"), 6),
        ListItem(spans("第一项"), "*"),
        ListItem(spans("子项目"), "-", level=1),
        ListItem(spans("第一项的续行"), ""),
        ListItem(spans("第二项"), "•"),
        Paragraph(spans("然后：")),
        ListItem(spans("步骤三"), "3.", ordered=True),
        ListItem(spans("步骤四"), "4.", ordered=True),
        ListItem(spans("子步骤"), "1)", ordered=True, level=1),
        ListItem(spans("步骤五"), "5.", ordered=True),
        Paragraph(spans("再来：")),
        ListItem(spans("新列表"), "1.", ordered=True),
        ListItem(spans("括号编号"), "（1）", ordered=True),
        Code(CODE_TEXT, kind="shell"),
        Table(
            rows=(
                (Cell(spans("套件")), Cell(spans("说明"))),
                (Cell(spans("apt")), Cell((Span("套件管理", ITALIC),))),
                (Cell(spans("dpkg")), Cell(spans("低阶工具"))),
            )
        ),
        Quote((Paragraph(spans("引用的一段话。")),)),
        Rule(),
        Image(spans("示意图"), src="a.png", data=png()),
        Image(spans("坏图"), src="b.png", data=b"not an image"),
        Image(spans("远端图"), src="https://example.org/c.png"),
        Html("<div>原始HTML</div>"),
        PageBreak(),
        Paragraph((Span("第一行"), Span("\n"), Span("第二行"))),
    ),
)


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return writer.render(TREE, Options())


@pytest.fixture(scope="module")
def opened(rendered):
    return docx.Document(io.BytesIO(rendered))


def paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def test_headings_use_the_built_in_styles_with_east_asian_fonts(opened) -> None:
    styles = {p.text: p.style.name for p in opened.paragraphs}
    assert styles["系统管理手册"] == "Title"
    assert styles["第 1 章 安装"] == "Heading 1" and styles["1.1 准备"] == "Heading 2" and styles["深层"] == "Heading 6"
    sizes = []
    for level in range(1, 7):
        style = opened.styles[f"Heading {level}"]
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
        assert not any(fonts.get(qn(a)) for a in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"))
        assert style.paragraph_format.keep_with_next
        sizes.append(style.font.size.pt)
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > 12


def _num_pr(p) -> tuple[int, int] | None:
    num_pr = p._p.pPr.find(qn("w:numPr")) if p._p.pPr is not None else None
    if num_pr is None:
        return None
    return int(num_pr.find(qn("w:numId")).get(qn("w:val"))), int(num_pr.find(qn("w:ilvl")).get(qn("w:val")))


def test_lists_have_real_numbering(opened) -> None:
    numbering = opened.part.numbering_part.element
    abstracts = {
        a.get(qn("w:abstractNumId")): [lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in a.findall(qn("w:lvl"))]
        for a in numbering.findall(qn("w:abstractNum"))
    }
    assert sorted(abstracts.values()) == [["bullet"] * 9, ["decimal"] * 9]
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}

    def start(text: str) -> int:
        num_id, level = _num_pr(paragraph(opened, text))
        override = nums[str(num_id)].find(qn("w:lvlOverride"))
        assert int(override.get(qn("w:ilvl"))) == level
        return int(override.find(qn("w:startOverride")).get(qn("w:val")))

    bullet, sub = _num_pr(paragraph(opened, "第一项")), _num_pr(paragraph(opened, "子项目"))
    assert bullet[1] == 0 and sub == (bullet[0], 1) and _num_pr(paragraph(opened, "第二项")) == bullet
    assert start("步骤三") == 3 and start("子步骤") == 1 and start("新列表") == 1
    three, four, five = (_num_pr(paragraph(opened, t)) for t in ("步骤三", "步骤四", "步骤五"))
    assert three == four == five and three[1] == 0
    assert _num_pr(paragraph(opened, "新列表"))[0] != three[0]  # a list after a paragraph starts again
    sub_override = nums[str(_num_pr(paragraph(opened, "子步骤"))[0])].find(qn("w:lvlOverride"))
    assert sub_override.find(qn("w:lvl")).find(qn("w:lvlText")).get(qn("w:val")) == "%2)"
    assert {paragraph(opened, t).style.name for t in ("第一项", "步骤三")} == {"List Paragraph"}


def test_continuations_and_other_markers_are_indented_without_numbers(opened) -> None:
    continuation = paragraph(opened, "第一项的续行")
    assert _num_pr(continuation) is None and continuation.paragraph_format.left_indent > 0
    marked = paragraph(opened, "（1）\t括号编号")
    assert _num_pr(marked) is None
    indent = marked._p.pPr.find(qn("w:ind"))
    assert int(indent.get(qn("w:hanging"))) > 0 and int(indent.get(qn("w:left"))) >= int(indent.get(qn("w:hanging")))


def test_code_is_one_monospace_paragraph_per_line(opened) -> None:
    lines = [p for p in opened.paragraphs if p.style.name == "Code"]
    assert [p.text for p in lines] == CODE_TEXT.split("\n")
    style = opened.styles["Code"]
    fonts = style.element.rPr.find(qn("w:rFonts"))
    assert "Mono" in fonts.get(qn("w:ascii")) and "Mono" in fonts.get(qn("w:hAnsi")) and fonts.get(qn("w:eastAsia"))
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert style.paragraph_format.first_line_indent == 0
    assert style.element.pPr.find(qn("w:shd")) is not None
    assert style.font.size.pt < 12
    texts = lines[2]._p.findall(".//" + qn("w:t"))
    assert texts[0].get(qn("xml:space")) == "preserve"


def test_table_with_borders_and_a_header_row(opened) -> None:
    (table,) = opened.tables
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["套件", "说明"],
        ["apt", "套件管理"],
        ["dpkg", "低阶工具"],
    ]
    first, second = table.rows[0], table.rows[1]
    assert first._tr.trPr.find(qn("w:tblHeader")) is not None and second._tr.trPr is None
    assert all(run.bold for cell in first.cells for run in cell.paragraphs[0].runs)
    assert second.cells[1].paragraphs[0].runs[0].italic
    borders = opened.styles["Table Grid"].element.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    assert borders is not None and borders.find(qn("w:insideH")) is not None


def test_inline_formatting_and_hyperlinks(opened) -> None:
    prose = next(p for p in opened.paragraphs if p.text.startswith("请先阅读"))
    runs = {run.text: run for run in prose.runs}
    assert runs["说明文件"].bold and runs["斜体"].italic and runs["删除"].font.strike
    assert runs["apt update"].style.name == "Code Char"
    (link,) = prose._p.findall(qn("w:hyperlink"))
    relationship = opened.part.rels[link.get(qn("r:id"))]
    assert relationship.is_external and relationship.target_ref == URL
    assert "".join(t.text for t in link.iter(qn("w:t"))) == "官方网站"
    assert link.find(qn("w:r")).find(qn("w:rPr")).find(qn("w:rStyle")).get(qn("w:val")) == "Hyperlink"
    assert prose.text == "请先阅读说明文件，执行 apt update。详见官方网站。删除斜体"
    breaks = paragraph(opened, "第一行\n第二行")._p.findall(".//" + qn("w:br"))
    assert len(breaks) == 1 and breaks[0].get(qn("w:type")) is None


def test_quote_rule_page_break_images_and_no_html(opened) -> None:
    assert paragraph(opened, "引用的一段话。").style.name == "Quote"
    ruled = [p for p in opened.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None]
    assert (
        len(ruled) == 1 and ruled[0].text == "" and ruled[0]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    )
    page_breaks = [br for br in opened.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(page_breaks) == 1
    assert len(opened.inline_shapes) == 1 and opened.inline_shapes[0].width <= writer.TEXT_WIDTH
    for alt in ("坏图", "远端图"):
        assert all(run.italic for run in paragraph(opened, alt).runs)
    assert writer.unreadable_images(TREE.blocks) == ["image b.png cannot be read: its alt text stands in"]
    warned = check_images(TREE, Options(formats=("docx",))).warnings
    assert warned == ("image b.png cannot be read: its alt text stands in",)
    assert not any("HTML" in p.text for p in opened.paragraphs)


def test_lists_code_tables_and_quotes_inside_a_quote_are_indented_with_it() -> None:
    quoted = Quote(
        (
            Paragraph(spans("引用的第一段。")),
            ListItem(spans("下载源码"), "1.", ordered=True),
            ListItem(spans("子项目"), "-", level=1),
            ListItem(spans("自编号"), "（甲）"),
            Code("$ make install", kind="shell"),
            Table(rows=((Cell(spans("参数")), Cell(spans("说明"))),)),
            Quote((Paragraph(spans("嵌套引用。")), ListItem(spans("嵌套列表"), "*"))),
            Paragraph(spans("引用的最后一段。")),
        )
    )
    outside = ListItem(spans("引用外的项目"), "1.", ordered=True)
    document = Document(blocks=(outside, quoted, Paragraph(spans("正文。"))))
    opened = docx.Document(io.BytesIO(writer.render(document, Options())))
    quote = writer.QUOTE_TWIPS  # the Quote style's indent (480 twips: two 12 pt characters); twips are EMU / 635

    def left(text: str) -> int | None:
        indent = paragraph(opened, text).paragraph_format.left_indent
        return None if indent is None else indent // 635

    def hanging(text: str) -> int:
        return int(paragraph(opened, text)._p.pPr.find(qn("w:ind")).get(qn("w:hanging")))

    assert paragraph(opened, "引用的第一段。").style.name == "Quote" and left("引用的第一段。") is None  # as before
    assert left("引用外的项目") is None  # outside: the numbering level's indent (420 twips)
    assert (left("下载源码"), hanging("下载源码")) == (420 + quote, 420)  # level 0 of the numbering, moved
    assert (left("子项目"), hanging("子项目")) == (840 + quote, 420)
    assert left("（甲）\t自编号") == 840 + quote  # its own indent (marker + half a character), moved
    assert left("$ make install") == quote
    indent = opened.tables[0]._tbl.tblPr.find(qn("w:tblInd"))
    assert (indent.get(qn("w:w")), indent.get(qn("w:type"))) == (str(quote), "dxa")
    assert left("嵌套引用。") == 2 * quote and left("嵌套列表") == 420 + 2 * quote
    assert left("引用的最后一段。") is None and left("正文。") is None


def test_wide_image_is_scaled_to_the_text_width() -> None:
    document = Document(blocks=(Image(spans("宽图"), data=png(width=2000, height=100)),))
    (shape,) = docx.Document(io.BytesIO(writer.render(document, Options()))).inline_shapes
    assert shape.width == writer.TEXT_WIDTH and shape.height == writer.TEXT_WIDTH // 20


def test_review_marks_in_any_text_unit_and_bytes_are_reproducible() -> None:
    guessed = Fix("mojibake", 2, 4, "欢迎", "歡迎", "guessed", "one reading", out_start=2, out_end=4)
    left = Fix("mojibake", 0, 2, "浣犲", "浣犲", "unrecovered", "no reading", out_start=0, out_end=2)
    tree = Document(
        blocks=(
            Paragraph((Span("前文"), Span("歡迎", BOLD), Span("光臨")), fixes=(guessed,)),
            Table(rows=((Cell(spans("浣犲"), fixes=(left,)),),)),
        )
    )
    data = writer.render(tree, Options())
    assert data == writer.render(tree, Options())
    document = docx.Document(io.BytesIO(data))
    runs = document.paragraphs[0].runs
    assert [(r.text, r.bold, r.font.highlight_color) for r in runs if r.text] == [  # not the comment mark
        ("前文", None, None),
        ("歡迎", True, WD_COLOR_INDEX.BRIGHT_GREEN),
        ("光臨", None, None),
    ]
    cell_run = document.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    assert cell_run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert [c.text for c in document.comments] == [
        "推测：乱码 '欢迎' 原为 '歡迎'（one reading）。",  # in the document's language (zh-CN)
        "疑似 GBK 乱码，保持原样：'浣犲'。no reading。",
    ]


CONTROLS = "a\x00b\x08\x0b\x0c\x1b[1mc\x7f\ud800\udfff\ufffe\uffff\td\re\r\nf"


def test_controls_in_every_block_are_dropped_and_tabs_kept() -> None:
    tree = Document(title=CONTROLS, source="bad\udcff.txt", blocks=tuple(_every_block(CONTROLS)))
    document = docx.Document(io.BytesIO(writer.render(tree, Options())))
    assert document.paragraphs[0].text == "ab[1mc\x7f\td\ne\nf"
    assert document.core_properties.title == "ab[1mc\x7f\td\ne\nf"
    assert len(document.tables[0].rows[0].cells) == 2


def _every_block(text: str, data: bytes | None = None):
    inline = (Span(text), Span(text, BOLD), Span(text, CODE), Span(text, url=text or "x"), Span("\n"))
    yield Heading(inline, 2)
    yield Paragraph(inline)
    yield ListItem(inline, "1.", ordered=True)
    yield ListItem(inline, text)
    yield Code(text, kind="shell")
    yield Table(rows=((Cell(inline), Cell(spans(text))), (Cell(inline),)))
    yield Quote((Paragraph(inline), ListItem(inline, "-")))
    yield Rule(text)
    yield Image(inline, src=text, data=data)
    yield PageBreak()
    yield Html(text)


ANY_TEXT = st.text(
    st.one_of(
        st.characters(codec=None),  # everything, surrogates and controls included
        st.sampled_from(
            "\ud800\x00\x0c\x1b\t\r\n\u200b\u200e\u202e\u2066\ufe0f\U000e0100\U00020000\ue000\U0010fffd👩‍👩‍👧"
        ),
    ),
    max_size=30,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, title=ANY_TEXT, data=st.one_of(st.none(), st.binary(max_size=40)))
def test_any_text_in_any_block_writes_a_docx_that_opens(text: str, title: str, data: bytes | None) -> None:
    tree = Document(title=title, blocks=tuple(_every_block(text, data)))
    try:
        rendered = writer.render(tree, Options())
    except ZhdocError:
        return
    document = docx.Document(io.BytesIO(rendered))
    assert len(document.tables) == 1


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed: DOCX rendering not checked")
def test_libreoffice_reads_every_block(rendered, tmp_path) -> None:
    source = tmp_path / "tree.docx"
    source.write_bytes(rendered)
    profile = tmp_path / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "txt:Text"]
        + ["--outdir", tmp_path, source],
        check=True,
        capture_output=True,
        timeout=180,
    )
    lines = [line.strip() for line in (tmp_path / "tree.txt").read_text(encoding="utf-8-sig").splitlines()]
    for expected in (
        "系统管理手册",
        "第 1 章 安装",
        "请先阅读说明文件，执行 apt update。详见官方网站。删除斜体",
        "• 第一项",
        "◦ 子项目",
        "3. 步骤三",
        "4. 步骤四",
        "1) 子步骤",
        "5. 步骤五",
        "1. 新列表",
        "（1）\t括号编号",
        *[line.strip() for line in CODE_TEXT.split("\n")],
        "引用的一段话。",
        "坏图",
    ):
        assert expected in lines, expected
    for cell in ("套件", "说明", "apt", "低阶工具"):
        assert cell in lines
    assert "原始HTML" not in "".join(lines)
