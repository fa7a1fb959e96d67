"""The plain-text reader keeps structure: only wrapped prose is joined, everything else keeps its lines."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from conftest import FIXTURES, run_zhdoc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import Options, process_text
from converter.document import Code, Heading, ListItem, PageBreak, Paragraph, Rule
from converter.formats.text.read import parse

MANUAL = FIXTURES / "structured" / "structured-manual.txt"
FOLD = str.maketrans("，。：；？！（）“”‘’、", ",.:;?!()\"\"'',")


def characters(text: str) -> Counter:
    """Non-space characters, NFKC and full-width/ASCII marks folded (as the before-stop check counts)."""
    return Counter(c for c in unicodedata.normalize("NFKC", text).translate(FOLD) if not c.isspace())


def kinds(text: str) -> list[tuple[str, str]]:
    return [(type(block).__name__, block_text(block)) for block in parse(text).blocks]


def block_text(block) -> str:
    if isinstance(block, Code):
        return f"{block.kind}:{block.text}"
    if isinstance(block, Rule):
        return block.marker
    if isinstance(block, PageBreak):
        return ""
    if isinstance(block, Paragraph) and block.role:
        return f"{block.role}:{block.text}"
    return block.text


def test_structured_manual_comes_out_as_checked_by_eye_and_loses_nothing() -> None:
    result = run_zhdoc("clean", MANUAL)
    assert result.returncode == 0, result.stderr.decode()
    output = result.stdout.decode()
    assert output == (FIXTURES / "structured" / "structured-manual.expected.txt").read_text(encoding="utf-8")
    assert not characters(MANUAL.read_text(encoding="utf-8")) - characters(output)


def test_manual_blocks_have_their_kinds_and_levels() -> None:
    document = parse(MANUAL.read_text(encoding="utf-8"))
    assert document.title == "系统维护手册"
    contents = [(b.text, b.level) for b in document.blocks if isinstance(b, Paragraph) and b.role == "contents"]
    assert contents == [
        ("1. 准备工作", 0),
        ("1.1. 检查磁盘空间", 1),
        ("1.2. 备份配置文件", 1),
        ("2. 常用命令", 0),
        ("3. 附录", 0),
    ]
    headings = [(b.text, b.level) for b in document.blocks if isinstance(b, Heading)]
    assert ("1.1. 检查磁盘空间", 2) in headings and ("1. 准备工作", 1) in headings
    codes = [(b.kind, b.text.count("\n") + 1) for b in document.blocks if isinstance(b, Code)]
    assert codes == [("shell", 2), ("shell", 2), ("table", 12)]
    assert [b.marker for b in document.blocks if isinstance(b, Rule)] == ["-" * 69]
    items = [b for b in document.blocks if isinstance(b, ListItem)]
    assert [b.marker for b in items] == ["*"] * 3 and items[2].text.endswith("以便出错时恢复")
    assert any(isinstance(b, Paragraph) and b.role == "label" and b.text == "注意" for b in document.blocks)


def test_wrapped_prose_is_joined_without_space_between_han_and_with_one_between_latin_words() -> None:
    han = "这一行在二十多个字的地方被折断在句子的中间，下一行接上"
    text = f"题目\n\n{han}\n了这个句子。\n\nThe programs included with the Debian system are free and\nopen software.\n"
    text += "第二段的最后一行很长很长很长很长很长很长很长很长很长很长很长\n。\n"
    assert kinds(text)[:3] == [
        ("Paragraph", han + "了这个句子。"),
        ("Paragraph", "The programs included with the Debian system are free and open software."),
        ("Paragraph", "第二段的最后一行很长很长很长很长很长很长很长很长很长很长很长。"),
    ]


def test_headings_by_numbering_and_kind() -> None:
    text = "\n\n".join(["第 1 章 总则", "第二节 目的", "一、背景", "（一）要求", "1.2.3 范围", "序言", "正文。"])
    headings = [(b.text, b.level) for b in parse(text, title="").blocks if isinstance(b, Heading)]
    assert headings == [
        ("第 1 章 总则", 1),
        ("第二节 目的", 2),
        ("一、背景", 1),
        ("（一）要求", 2),
        ("1.2.3 范围", 3),
        ("序言", 1),
    ]


def test_list_items_nest_by_indentation_and_continuations_join_their_item() -> None:
    text = (
        "清单：\n\n  * 第一项\n\n      + 子项，很长的\n        续行\n\n  * 第二项\n  1. 编号\n  （2）括号\n  ① 圆圈\n"
    )
    items = [(b.marker, b.level, b.text, b.ordered) for b in parse(text).blocks if isinstance(b, ListItem)]
    assert items == [
        ("*", 0, "第一项", False),
        ("+", 1, "子项，很长的续行", False),
        ("*", 0, "第二项", False),
        ("1.", 0, "编号", True),
        ("（2）", 0, "括号", True),
        ("①", 0, "圆圈", True),
    ]
    assert parse(text).text.splitlines()[2] == "  + 子项，很长的续行"


def test_tables_shell_code_and_aligned_columns_are_verbatim_less_their_common_indent() -> None:
    box = "    ┌──┬──┐\n    │甲│乙│\n    └──┴──┘"
    shell = "    $ ls -l | less\n    total 0\n      -rw-r--r-- x"
    code = '        for f in *.txt; do\n            wc -l "$f"\n        done'
    columns = "    名称    大小    日期\n    a.txt   12      1月\n    b.txt   3       2月"
    text = f"说明的文字。\n\n{box}\n\n{shell}\n\n{code}\n\n{columns}\n\n后面的文字。\n"
    assert kinds(text)[1:5] == [
        ("Code", "table:┌──┬──┐\n│甲│乙│\n└──┴──┘"),
        ("Code", "shell:$ ls -l | less\ntotal 0\n  -rw-r--r-- x"),
        ("Code", 'code:for f in *.txt; do\n    wc -l "$f"\ndone'),
        ("Code", "pre:名称    大小    日期\na.txt   12      1月\nb.txt   3       2月"),
    ]


def test_rules_labels_leaders_and_page_breaks() -> None:
    text = "前文。\n\n=====\n\n提示\n\n第一章 总则……………… 12\n第二章 附则……………… 30\n\f后文。\n"
    assert kinds(text) == [
        ("Paragraph", "前文。"),
        ("Rule", "====="),
        ("Paragraph", "label:提示"),
        ("Paragraph", "contents:第一章 总则……………… 12"),
        ("Paragraph", "contents:第二章 附则……………… 30"),
        ("PageBreak", ""),
        ("Paragraph", "后文。"),
    ]


HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你能"
LATIN_WORDS = st.lists(st.sampled_from(["apt-get", "install", "the", "vim", "Debian", "1.2"]), min_size=1).map(" ".join)
PINYIN = {"中": "zhōng", "国": "guó", "会": "huì", "为": "wèi", "对": "duì"}


@st.composite
def damaged_prose(draw) -> str:
    """Chinese prose with mirror-page damage: `,,` before a mark, `(pinyin)` after the right character."""
    words = draw(st.lists(st.text(alphabet=HAN, min_size=2, max_size=12) | LATIN_WORDS, min_size=1, max_size=6))
    out = ""
    for word in words:
        out += "".join(f"{c}({PINYIN[c]})" if c in PINYIN and draw(st.booleans()) else c for c in word)
        out += draw(st.sampled_from([",,", "", "，", ",", " "])) + draw(st.sampled_from(["，", "。", "、", ""]))
    return out


LATIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_./|$#=", min_size=1, max_size=10)


@st.composite
def structured_text(draw) -> str:
    blocks = []
    for kind in draw(
        st.lists(st.sampled_from(["prose", "heading", "table", "shell", "code", "list", "rule"]), max_size=8)
    ):
        if kind == "prose":
            prose = draw(damaged_prose())
            width = draw(st.integers(8, 30))
            blocks.append("\n".join("    " + prose[i : i + width] for i in range(0, len(prose), width)))
        elif kind == "heading":
            blocks.append(
                draw(st.sampled_from(["1.2. ", "第 3 章 ", "一、", "（二）", ""]))
                + draw(st.text(HAN, min_size=1, max_size=8))
            )
        elif kind == "table":
            cells = draw(st.lists(st.text(HAN + "abc |", min_size=1, max_size=6), min_size=1, max_size=4))
            blocks.append("    +------+\n" + "\n".join(f"    |{c}|" for c in cells) + "\n    +------+")
        elif kind == "shell":
            blocks.append("\n".join(f"    $ {draw(LATIN)} | {draw(LATIN)}" for _ in range(draw(st.integers(1, 3)))))
        elif kind == "code":
            blocks.append("\n".join(f"        {draw(LATIN)}({draw(LATIN)});" for _ in range(draw(st.integers(1, 3)))))
        elif kind == "list":
            items = draw(st.lists(damaged_prose(), min_size=1, max_size=3))
            blocks.append(
                "\n".join(f"  {draw(st.sampled_from(['*', '-', '•', '1.', '（1）']))} {item}" for item in items)
            )
        else:
            blocks.append(draw(st.sampled_from(["-----", "=====", "*****"])))
    return "\n\n".join(blocks) + "\n"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured_text())
def test_no_character_is_lost_except_by_a_recorded_fix(text: str) -> None:
    document = process_text(text, Options())
    removed = Counter()
    added = Counter()
    for _, fix in document.fixes:
        removed += characters(fix.before)
        added += characters(fix.after)
    before, after = characters(text), characters(document.text)
    assert before - after <= removed, (before - after, document.fixes)
    assert after - before <= added


def test_contents_levels_show_in_docx_and_pdf() -> None:
    import io

    import docx
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextLine

    from converter import Options, render
    from converter.formats.docx.write import QUOTE_TWIPS

    document = parse(MANUAL.read_text(encoding="utf-8"))
    opened = docx.Document(io.BytesIO(render(document, "docx", Options())))
    indents: dict[str, object] = {}
    for paragraph in opened.paragraphs:  # the contents line, not the heading of the same text further on
        indents.setdefault(paragraph.text, paragraph.paragraph_format.left_indent)
    assert indents["1. 准备工作"] is None and indents["1.1. 检查磁盘空间"] == QUOTE_TWIPS * 635  # EMU
    lines: list[tuple[float, str, float]] = []  # (top, text, left) of each line of page 1
    for page in extract_pages(io.BytesIO(render(document, "pdf", Options())), maxpages=1):
        stack = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                lines.append((item.y1, item.get_text().strip(), item.x0))
            elif hasattr(item, "__iter__"):
                stack.extend(item)
    lefts: dict[str, float] = {}
    for _, text, left in sorted(lines, reverse=True):  # from the top: the contents come before the headings
        lefts.setdefault(text, left)
    assert lefts["1.1. 检查磁盘空间"] - lefts["2. 常用命令"] == pytest.approx(24, abs=0.5)  # two 12 pt characters
