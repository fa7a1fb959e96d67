"""Time linear in the input (issue 20): each case that took minutes or hours, measured by the work done
(lines of Python executed, counted with ``sys.settrace``), not by the clock, at n and 10n: at most 12×.

Work done in C (copying a list, lxml's look-ups) is not counted; the cases below were all quadratic in
Python code. Each test also checks that the large input still converts as it should.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document as WordDocument
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from converter.document import Cell, Code, Document, Fix, PageBreak, Paragraph, Span, Table
from converter.options import Options
from converter.pipeline import process, render
from converter.readers import read, read_text
from converter.repair.edits import Edit, forward, forward_all
from converter.transform import convert_unit, repair_unit

STRONG = frozenset({"strong"})
RATIO = 12


class TooMuchWork(BaseException):  # (not an Exception: the code under test may catch those)
    pass


def work(run: Callable[[], object], limit: float = float("inf")) -> int:
    """Lines of Python that ``run()`` executes (calls and returns counted too); past ``limit``, stop."""
    count = 0

    def each_line(frame, event, arg):
        nonlocal count
        count += 1
        if count > limit:
            raise TooMuchWork
        return each_line

    sys.settrace(lambda frame, event, arg: each_line)
    try:
        run()
    finally:
        sys.settrace(None)
    return count


def assert_linear(case: Callable[[int], Callable[[], object]], n: int) -> None:
    """``case(size)`` makes the input and gives the work to count; at 10n it may cost at most 12× n's."""
    case(n)()  # once untimed: imports, fonts and caches loaded
    small = work(case(n))
    try:
        large = work(case(10 * n), limit=(RATIO + 1) * small)
    except TooMuchWork:
        pytest.fail(f"10× the input took over {RATIO + 1}× the work ({small:,} lines at n={n})")
    assert large <= RATIO * small, f"10× the input: {large / small:.1f}× the work"


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- repair and script conversion: every span boundary and fix moved in one sweep --------------------------


def bold_units(n: int) -> Paragraph:
    """``**发**,现`` n times, as the Markdown reader gives it: a bold span, then a plain one."""
    return Paragraph(tuple(span for _ in range(n) for span in (Span("发", STRONG), Span(",现"))), 1)


def test_the_repair_of_a_paragraph_of_many_spans_is_linear() -> None:
    assert_linear(lambda n: lambda: repair_unit(bold_units(n)), 300)
    repaired = repair_unit(bold_units(3000))
    assert [span.text for span in repaired.inlines[:4]] == ["发", "，现", "发", "，现"]  # the comma widened
    assert [span.style for span in repaired.inlines[:2]] == [STRONG, frozenset()]
    assert len(repaired.inlines) == 6000 and len(repaired.fixes) == 3000


def converted_units(n: int) -> Paragraph:
    """``发，现`` n times in spans (bold, plain), each widened comma a fix placed in this text (guessed: a
    fix that is not exact keeps its place in the output, for the reviewer)."""
    inlines = tuple(span for _ in range(n) for span in (Span("发", STRONG), Span("，现")))
    fixes = tuple(Fix("comma", 0, 0, ",", "，", "guessed", "", 3 * i + 1, 3 * i + 2) for i in range(n))
    return Paragraph(inlines, 1, fixes)


def test_the_script_conversion_of_a_paragraph_of_many_spans_and_fixes_is_linear() -> None:
    assert_linear(lambda n: lambda: convert_unit(converted_units(n), "traditional", "simplified"), 300)
    converted = convert_unit(converted_units(3000), "traditional", "simplified")
    assert [span.text for span in converted.inlines[-2:]] == ["發", "，現"]
    assert [span.style for span in converted.inlines[-2:]] == [STRONG, frozenset()]
    last = converted.fixes[-1]
    assert (last.out_start, last.out_end) == (3 * 3000 - 2, 3 * 3000 - 1)
    assert "".join(span.text for span in converted.inlines)[last.out_start] == "，"


def test_a_long_paragraph_whose_words_change_length_is_converted_in_linear_work() -> None:
    # (SequenceMatcher over the paragraph: 1,600 characters took 33 s; its cost grows with the cube)
    def case(n: int) -> Callable[[], object]:
        unit = Paragraph((Span("U盘好好好，内存也够。" * n),), 1)
        return lambda: convert_unit(unit, "taiwan", "simplified")

    assert_linear(case, 40)
    no_marks = convert_unit(Paragraph((Span("U盘好好好内存也够" * 400),), 1), "taiwan", "simplified")
    assert no_marks.text == "隨身碟好好好記憶體也夠" * 400  # (cut where converting each half gives the same)


def test_script_conversion_beside_many_code_spans_is_linear() -> None:
    def case(n: int) -> Callable[[], object]:
        unit = Paragraph(tuple(span for _ in range(n) for span in (Span("软件", frozenset({"code"})), Span("软件"))))
        return lambda: convert_unit(unit, "taiwan", "simplified")

    assert_linear(case, 200)
    unit = Paragraph((Span("软件", frozenset({"code"})), Span("软件")) * 2000)
    assert convert_unit(unit, "taiwan", "simplified").text == "软件軟體" * 2000  # code is never converted


def test_markdown_of_many_bold_spans_converts_in_linear_work() -> None:
    def case(n: int) -> Callable[[], object]:
        return lambda: process(read_text("**粗**,文" * n, "bold.md", fmt="markdown"), Options())

    assert_linear(case, 100)
    assert process(read_text("**粗**,文" * 1000, "bold.md", fmt="markdown"), Options()).text == "粗，文" * 1000 + "\n"


def word_paragraph(tmp_path: Path, runs: int) -> Path:
    document = WordDocument()
    paragraph = document.add_paragraph()
    for _ in range(runs // 2):
        paragraph.add_run("粗").bold = True
        paragraph.add_run(",文")
    path = tmp_path / f"runs-{runs}.docx"
    document.save(str(path))
    return path


def test_a_word_paragraph_of_many_runs_is_repaired_and_written_back_in_linear_work(tmp_path: Path) -> None:
    options = Options(formats=("docx",))
    paths = {n: word_paragraph(tmp_path, n) for n in (200, 2000)}
    assert_linear(lambda n: lambda: render(process(read(paths[n]), options), "docx", options), 200)
    written = tmp_path / "out.docx"
    written.write_bytes(render(process(read(paths[2000]), options), "docx", options))
    runs = WordDocument(str(written)).paragraphs[0].runs
    assert [(run.text, bool(run.bold)) for run in runs[:4]] == [("粗", True), ("，文", False)] * 2
    assert len(runs) == 2000


# --- page breaks ---------------------------------------------------------------------------------------------


def feeds(n: int) -> str:
    return "文字\n" + "\f" * n + "\n尾\n"


def test_page_breaks_are_numbered_in_linear_work() -> None:
    assert_linear(lambda n: lambda: read_text(feeds(n), "feeds.txt"), 500)
    document = read_text(feeds(5000), "feeds.txt")
    breaks = [block.line for block in document.blocks if isinstance(block, PageBreak)]
    assert document.title == "文字" and breaks == [1] * 5000  # each break's line: the title's, before it


@pytest.mark.parametrize("count", [11, 1000])
def test_a_run_of_page_breaks_is_one_new_page_in_the_pdf_and_the_docx(count: int) -> None:
    document = process(read_text(feeds(count), "feeds.txt"), Options())
    pdf = PdfReader(io.BytesIO(render(document, "pdf", Options())))
    assert len(pdf.pages) == 2  # (11 form feeds stopped reportlab: "More than 10 pages generated without content")
    assert "文字" in pdf.pages[0].extract_text() and "尾" in pdf.pages[1].extract_text()
    body = zipfile.ZipFile(io.BytesIO(render(document, "docx", Options()))).read("word/document.xml").decode()
    assert len(re.findall(r'<w:br w:type="page"/>', body)) == 1
    assert render(document, "txt", Options()).decode().count("\f") == count  # the text keeps every form feed


def test_many_page_breaks_are_written_in_linear_work() -> None:
    documents = {n: process(read_text(feeds(n), "feeds.txt"), Options()) for n in (300, 3000)}
    assert_linear(lambda n: lambda: [render(documents[n], fmt, Options()) for fmt in ("pdf", "docx")], 300)


# --- long paragraphs and lines in the PDF --------------------------------------------------------------------

SENTENCE = "这是一个很长的段落，用来测试排版是否随输入线性增长。"  # 26 characters; a page holds about 1,100


def test_a_paragraph_of_many_pages_is_laid_out_in_linear_work() -> None:
    documents = {n: Document(blocks=(Paragraph((Span(SENTENCE * n),)),)) for n in (150, 1500)}
    assert_linear(lambda n: lambda: render(documents[n], "pdf", Options()), 150)  # 3.5 pages, 35 pages
    text = pdf_text(render(documents[1500], "pdf", Options()))
    assert re.sub(r"\s|\d", "", text) == SENTENCE * 1500  # every character, once, in order (page numbers aside)


def test_a_rich_paragraph_of_many_pages_is_laid_out_in_linear_work() -> None:
    def paragraph(n: int) -> Document:
        return Document(blocks=(Paragraph((Span("粗体", STRONG), Span(SENTENCE * n))),))

    documents = {n: paragraph(n) for n in (150, 1500)}
    assert_linear(lambda n: lambda: render(documents[n], "pdf", Options()), 150)
    assert re.sub(r"\s|\d", "", pdf_text(render(documents[1500], "pdf", Options()))) == "粗体" + SENTENCE * 1500


def test_a_long_code_line_is_laid_out_in_linear_work() -> None:
    documents = {n: Document(blocks=(Code("a中" * n),)) for n in (3000, 30000)}
    assert_linear(lambda n: lambda: render(documents[n], "pdf", Options()), 3000)


# --- tables wider than the page ------------------------------------------------------------------------------


def wide_table(columns: int, rows: int = 3) -> Table:
    header = tuple(Cell((Span(f"列{i}"),)) for i in range(columns))
    body = tuple(tuple(Cell((Span(f"格{r}x{i}"),)) for i in range(columns)) for r in range(rows))
    return Table((header, *body), header=True)


@pytest.mark.parametrize("columns", [54, 150])
def test_a_table_wider_than_the_page_is_split_into_tables_of_some_columns(columns: int) -> None:
    pdf = render(Document(blocks=(wide_table(columns),)), "pdf", Options())  # (54 columns: negative availWidth)
    text = re.sub(r"\s", "", pdf_text(pdf))
    assert all(f"格{r}x{i}" in text for r in range(3) for i in range(columns))
    assert all(f"列{i}" in text for i in range(columns))
    assert text.count("格0x0") > 1  # the first column, the rows' labels, beside each group of columns


def test_a_wide_table_deep_in_quotes_converts() -> None:
    source = "".join("> " * 12 + line + "\n" for line in ("| " + " | ".join(["列"] * 60) + " |", "|---" * 60 + "|"))
    document = process(read_text(source, "quoted.md", fmt="markdown"), Options())
    assert re.sub(r"\s", "", pdf_text(render(document, "pdf", Options()))).count("列") >= 60


def test_quotes_nested_deep_leave_room_for_the_text() -> None:
    source = "> " * 19 + "这是很深的引用，" * 30 + "\n"  # (a quote 24 pt in at each level: less than a character left)
    pdf = PdfReader(io.BytesIO(render(process(read_text(source, "q.md", fmt="markdown"), Options()), "pdf", Options())))
    text = re.sub(r"\s", "", pdf.pages[0].extract_text())
    assert len(pdf.pages) == 1 and text.count("引用") == 30  # (main: 8 pages, a character a line)


# --- forward_all: the sweep gives what moving each position alone gives --------------------------------------


@st.composite
def edits_and_positions(draw) -> tuple[list[Edit], list[tuple[int, bool]]]:
    length = draw(st.integers(0, 30))
    edits, at = [], 0
    for _ in range(draw(st.integers(0, 12))):  # sorted, not overlapping; insertions may share a place
        at += draw(st.integers(0, 4))
        if at > length:
            break
        end = min(length, at + draw(st.integers(0, 3)))
        edits.append(Edit(at, end, draw(st.text("xy", min_size=0 if end > at else 1, max_size=3)), "k"))
        at = end
    positions = draw(st.lists(st.tuples(st.integers(0, length), st.booleans()), max_size=12))
    return edits, positions


@given(edits_and_positions())
def test_forward_all_places_each_position_as_forward_does(case: tuple[list[Edit], list[tuple[int, bool]]]) -> None:
    edits, positions = case
    assert forward_all(positions, edits) == [forward(at, before, edits) for at, before in positions]
