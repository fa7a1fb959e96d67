"""Compressed marks and apostrophes drawn as narrow glyphs of their own (not a full-em glyph and a move
back): text extraction reads every line of the PDF whole, with poppler (``pdftotext``, what Evince and
Okular search with) as with pdfminer."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pdfminer.high_level import extract_text
from test_typeset import _lines, _text

from converter import Options, convert_file

PARAGRAPHS = [
    # a paragraph of a real manual where poppler broke the line after （网卡地址）
    "启用服务器上的 wake-on-lan，添加客户端到 `/etc/shutdown-at-night/clients`，每一行一个，第一个是 IP 地址，"
    "随后是 MAC 地址（网卡地址），分隔以空格；或者创建一个即时生成客户端列表的脚本 "
    "`/etc/shutdown-at-night/clients-generator`。",
    # the same with an opening mark after an opening mark (its blank half before the glyph compressed)
    "添加客户端到 `/etc/shutdown-at-night/clients`，每一行一个，第一个是 IP 地址，随后是 MAC 地址「『网卡地址』」，"
    "分隔以空格。",
    "".join(
        f"第{i}回他说（很好）。《书》（上）“对”，他说：「走吧。」又（《书》）完了，"
        f"{'LilyPond’s 排版' if i % 2 else '他说 don’t worry'}（真的）。"
        for i in range(12)
    ),
]
SOURCE = "# 标题\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
CANNOT_START = "，。、；：？！”’）》」』"
CANNOT_END = "“‘（《「『"


def _squashed(text: str) -> str:
    return "".join(text.replace("`", "").split())


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("narrow")
    source = folder / "doc.md"
    source.write_text(SOURCE, encoding="utf-8")
    result = convert_file(source, folder / "doc", Options(formats=("pdf",), to="simplified"))
    assert result.status == "converted", result.error
    return folder / "doc.pdf"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdftotext_reads_each_line_whole_across_compressed_marks_and_apostrophes(pdf) -> None:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.split("\n") if line.strip() and not line.strip().isdigit()]  # no page number
    assert any("MAC 地址（网卡地址），分隔以" in line for line in lines)  # was broken after ）
    assert any("MAC 地址「『网卡地址』」，分隔以" in line for line in lines)  # was broken after 「
    assert not [line for line in lines[1:] if line[0] in CANNOT_START]
    assert not [line for line in lines if line.rstrip()[-1] in CANNOT_END]
    # the second paragraph has no inline code (poppler makes blocks of its own of code on its grey): its
    # lines as poppler reads them are the lines drawn
    drawn = [_squashed(_text(line)) for line in _lines(pdf)]
    first = next(i for i, line in enumerate(drawn) if line.startswith("第0回"))
    ours = [_squashed(line) for line in lines]
    assert len(drawn) - first > 10
    assert ours[ours.index(drawn[first]) :] == drawn[first:]
    assert _squashed("".join(lines)) == _squashed("标题" + "".join(PARAGRAPHS)).replace(
        "clients-generator", "clientsgenerator"
    )
    assert "LilyPond’s" in out and "don’t worry" in out


def test_pdfminer_reads_the_same_text(pdf) -> None:
    text = "\n".join(line for line in extract_text(pdf).split("\n") if not line.strip().isdigit())
    assert _squashed(text) == _squashed("标题" + "".join(PARAGRAPHS))
    assert "LilyPond’s" in text and "don’t worry" in text


def test_a_run_after_a_compressed_mark_starts_where_the_mark_ends(tmp_path) -> None:
    """Bold text after ``）。`` or after ``（《书》``, text after a link that opens with a compressed mark: its
    first glyph starts at the end of the mark before it (a compression was counted twice in a run's width:
    the next run was drawn half an em over the mark)."""
    source = tmp_path / "doc.md"
    text = "他说（很好）。**粗体**字，还有（《书》**粗**字，又「[『书』](https://example.org)字。"
    source.write_text(f"# 标题\n\n{text}\n", encoding="utf-8")
    assert convert_file(source, tmp_path / "doc", Options(formats=("pdf",))).status == "converted"
    chars = [c for line in _lines(tmp_path / "doc.pdf") for c in line]
    assert "".join(c.get_text() for c in chars).endswith(
        text.replace("**", "").replace("(https://example.org)", "").replace("[", "").replace("]", "")
    )
    for before, after in (("。", "粗"), ("》", "粗"), ("』", "字")):  # after a link that opens with a compressed mark
        at = next(i for i, c in enumerate(chars) if c.get_text() == before and chars[i + 1].get_text() == after)
        assert abs(chars[at + 1].x0 - chars[at].x1) < 0.01, before
