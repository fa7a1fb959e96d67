"""Any text converts (issue 15): terminal junk is removed with a record, a file gets all its outputs or none,
and arbitrary Unicode through the repair and every writer raises nothing but ZhdocError."""

from __future__ import annotations

import io
import os
import re

import docx
import pytest
from conftest import FIXTURES, run_zhdoc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from converter import Options, ZhdocError, convert_file, process_text, render
from converter.document import Cell, Code, Document, Heading, ListItem, Paragraph, Quote, Span, Table

COLOURED_LOG = (
    "構建日誌\n\n"
    "\x1b[1;32m[通過]\x1b[0m 測試一：讀取配置文件\n"
    "\x1b[1;31m[失敗]\x1b[0m 測試二：連接數據庫\x1b[K\n"
    "\x1b]0;終端標題\x07完成。\n"
)
MAN_PAGE = (
    "名稱\n\n    l\bls\bs - 列出目錄內容\n\n"
    "概述\n\n    l\bls\bs [_\bo_\bp_\bt_\bi_\bo_\bn]... [_\bf_\bi_\bl_\be]...\n"
)


def test_escape_sequences_and_overstrike_are_removed_with_a_record() -> None:
    document = process_text(COLOURED_LOG + "\n" + MAN_PAGE)
    text = document.text
    assert "\x1b" not in text and "\x08" not in text and "\x07" not in text
    assert "[通過] 測試一：讀取配置文件" in text and "[失敗] 測試二：連接數據庫" in text
    assert "ls - 列出目錄內容" in text and "ls [option]... [file]..." in text
    removed = [fix for index, fix in document.fixes if index == -2]
    assert {fix.kind for fix in removed} == {"control"}
    assert "".join(fix.before for fix in removed).count("\x1b") == 6
    assert document.fix_counts()["control"] == len(removed)


def test_a_file_gets_all_its_outputs_or_none(tmp_path) -> None:
    source = tmp_path / "log.txt"
    source.write_text(COLOURED_LOG, encoding="utf-8")
    out = tmp_path / "out"
    (out / "log.pdf").mkdir(parents=True)  # the PDF cannot be written where a folder stands
    result = convert_file(source, out / "log", Options())
    assert result.status == "failed"
    assert result.error == f"{source}: cannot write {out / 'log.pdf'}: Is a directory; no output written for this file"
    assert sorted(p.name for p in out.iterdir()) == ["log.pdf"]  # no TXT or DOCX left behind, no .part files
    assert not list((out / "log.pdf").iterdir())


def test_outputs_made_one_at_a_time_are_all_written_or_none(tmp_path) -> None:
    from converter.pipeline import write_all

    made: list[str] = []

    def make(name: str) -> bytes:
        assert len(list(tmp_path.glob(".*.part"))) == len(made)  # the outputs made before are staged already
        made.append(name)
        return name.encode()

    def broken() -> bytes:
        raise ZhdocError("cannot render")

    (tmp_path / "b.txt").write_text("old", encoding="utf-8")
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    with pytest.raises(ZhdocError):
        write_all({a: lambda: make("a"), b: lambda: make("b"), tmp_path / "c": broken})
    assert made == ["a", "b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]  # nothing staged is left; b.txt untouched
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "old"
    made.clear()
    write_all({a: lambda: make("a"), b: b"B"})
    assert (a.read_bytes(), b.read_bytes(), made) == (b"a", b"B", ["a"])


ANY = st.text(
    st.characters(blacklist_categories=("Cs",))
    | st.sampled_from("\x00\x08\x0b\x0c\x1b\x7f\u200e\u202e\ufe0f\U00020000"),
    max_size=40,
)


def _tree(texts: list[str]) -> Document:
    a, b, c, d = texts
    return Document(
        (
            Heading((Span(a),), 2),
            Paragraph((Span(b), Span(c, frozenset({"strong"})), Span(d, url="https://example.org/"))),
            ListItem((Span(c),), "1.", ordered=True),
            Code(a + "\n" + d),
            Table(((Cell((Span(b),)), Cell((Span(c),))),)),
            Quote((Paragraph((Span(d),)),)),
        ),
        title=a[:10],
    )


# A few hundred examples in CI; ZHDOC_FUZZ=100000 runs a long fuzz locally (see benchmarks/README.md).
FAST = int(os.environ.get("ZHDOC_FUZZ", 300))
SLOW = max(60, FAST // 20)  # DOCX and PDF cost tens of milliseconds an example


def _render_all(texts: list[str], formats: tuple[str, ...]) -> None:
    options = Options(formats=formats)
    for document in (process_text("\n".join(texts), options), _tree(texts)):
        for fmt in formats:
            try:
                data = render(document, fmt, options)
            except ZhdocError:
                continue
            if fmt == "docx":
                docx.Document(io.BytesIO(data))
            elif fmt == "pdf":
                assert len(PdfReader(io.BytesIO(data)).pages) >= 1
            else:
                data.decode("utf-8")


@settings(max_examples=FAST, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANY, min_size=4, max_size=4))
def test_arbitrary_text_through_the_repair_and_the_text_writers(texts: list[str]) -> None:
    _render_all(texts, ("txt", "md"))


@settings(max_examples=SLOW, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANY, min_size=4, max_size=4))
def test_arbitrary_text_through_the_docx_and_pdf_writers(texts: list[str]) -> None:
    _render_all(texts, ("docx", "pdf"))


TERMINAL = FIXTURES / "terminal"


@pytest.mark.parametrize("name", ["man-overstrike.txt", "coloured-log.txt"])
def test_terminal_captures_convert_clean_with_page_breaks(tmp_path, name: str) -> None:
    source = TERMINAL / name
    result = run_zhdoc("convert", source, "-o", tmp_path, "-f", "txt,docx,pdf,md", "-q")
    assert result.returncode == 0, result.stderr.decode()
    stem = tmp_path / source.stem
    txt = stem.with_suffix(".txt").read_text(encoding="utf-8")
    word = docx.Document(stem.with_suffix(".docx"))
    word_text = "\n".join(p.text for p in word.paragraphs)
    pdf_text = extract_text(stem.with_suffix(".pdf"))
    markdown = stem.with_suffix(".md").read_text(encoding="utf-8")
    for text in (txt, word_text, pdf_text, markdown):
        assert not re.search("[\x1b\x07\x08]", text)
    assert txt.count("\f") == 1
    page_breaks = word.element.body.xpath('.//w:br[@w:type="page"]')
    assert len(page_breaks) == 1
    assert len(PdfReader(stem.with_suffix(".pdf")).pages) == 2
    if name.startswith("man"):
        assert "zhls [选项]... [文件]..." in txt and "名称" in pdf_text and "-cftuvSUX" in word_text
    else:
        assert "[失败] 测试二：连接数据库" in txt and "磁盘空间不足，请清理缓存。" in txt
