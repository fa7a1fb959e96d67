"""Markdown in (markdown-it-py) and Markdown out: the tree read, and the source patched with only its prose changed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import FIXTURES, run_zhdoc
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.document import (
    Cell,
    Code,
    Document,
    Heading,
    Image,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    units,
)
from converter.formats.markdown.read import parse, parser
from converter.formats.markdown.write import render
from converter.options import Options
from converter.pipeline import convert_file, process

README = FIXTURES / "markdown" / "readme.md"
TRADITIONAL = Options(formats=("md", "txt"), to="traditional")


def skeleton(text: str) -> list[tuple]:
    """Every markdown-it token with what must never change: type, markup, info, attributes, code, HTML.
    Prose text tokens count by type only."""
    out = []
    for token in parser().parse(text):
        kept = token.content if token.type in ("fence", "code_block", "html_block", "front_matter") else ""
        out.append((token.type, token.markup, token.info, tuple(sorted(token.attrs.items())), kept))
        for child in token.children or []:
            kept = child.content if child.type in ("code_inline", "html_inline", "text_special") else ""
            out.append((child.type, child.markup, tuple(sorted(child.attrs.items())), kept))
    return out


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[str, str, dict]:
    out = tmp_path_factory.mktemp("md")
    result = run_zhdoc(
        "convert", README, "-o", out, "-f", "md,txt", "--to", "traditional", "-q", "--report", out / "r.json"
    )
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))["files"][0]
    return (out / "readme.md").read_text(encoding="utf-8"), (out / "readme.txt").read_text(encoding="utf-8"), report


def test_cli_output_equals_the_expected_files(converted) -> None:
    md, txt, _ = converted
    assert md == (FIXTURES / "markdown" / "readme.traditional.md").read_text(encoding="utf-8")
    assert txt == (FIXTURES / "markdown" / "readme.traditional.txt").read_text(encoding="utf-8")


def test_only_prose_changes_at_the_token_level(converted) -> None:
    md, _, _ = converted
    source = README.read_text(encoding="utf-8")
    assert md != source
    assert skeleton(md) == skeleton(source)  # code, inline code, URLs, HTML, front matter, markup: identical


def test_front_matter_and_code_stay_byte_for_byte(converted) -> None:
    md, _, _ = converted
    assert md.startswith("---\ntitle: 汉字工具箱\ntags: [中文, 简体]\n---\n")
    assert "    # 缩进代码块也保持原样\n    const 汉字 = require('hanzi-box');\n" in md
    assert "<https://hanzi.example.com/文档>" in md and '"下载 UMD"' in md
    assert "# 漢字工具箱" not in md and "漢字工具箱\n==========" in md  # setext heading converted, kept setext


def test_txt_has_the_structure_and_no_markdown_syntax(converted) -> None:
    _, txt, _ = converted
    lines = txt.splitlines()
    assert "特性" in lines and "• 簡繁轉換：基於詞組，準確率高" in lines and "  • 子項：聲調可選 數字 符號" in lines
    assert "convert(text) | 簡體轉換為繁體 | string" in lines
    prose = "\n".join(line for line in lines if not line.startswith(("# ", "npm install", "node ")))
    for syntax in ("**", "](", "![", "```", "<b>", "<br>", "~~", "==="):
        assert syntax not in prose, syntax
    assert not any(line.startswith(("#", "|")) for line in prose.splitlines())


def test_warnings_for_remote_images_and_html_blocks(converted) -> None:
    _, _, report = converted
    warnings = " / ".join(report["warnings"])
    assert "2 remote images not fetched" in warnings and "img.shields.io" in warnings
    assert "1 raw HTML block kept" in warnings  # the comment block is not counted


def read_readme() -> Document:
    return parse(README.read_text(encoding="utf-8"), str(README))


def test_tree_of_the_readme() -> None:
    blocks = read_readme().blocks
    headings = [(b.level, b.text) for b in blocks if isinstance(b, Heading)]
    assert headings == [
        (1, "汉字工具箱"),
        (2, "特性"),
        (3, "安装"),
        (2, "用法说明"),
        (4, "第四级标题"),
        (5, "第五级标题"),
        (6, "第六级标题"),
    ]
    items = [(b.marker, b.level, b.ordered, b.text) for b in blocks if isinstance(b, ListItem)]
    assert items[0] == ("•", 0, False, "简繁转换：基于词组，准确率高")
    assert items[2] == ("•", 1, False, "子项：声调可选 数字 符号")
    assert items[5:] == [
        ("3.", 0, True, "第三步：安装依赖"),
        ("4.", 0, True, "第四步：运行示例"),
        ("", 0, True, "第四步的第二段，说明运行结果。"),
    ]
    codes = [b for b in blocks if isinstance(b, Code)]
    assert [c.language for c in codes] == ["bash", "bash", ""]
    assert codes[1].text == "npm install hanzi-box --save   # 安装到项目里"
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert table.header and [c.text for c in table.rows[2]] == ["strokes(char)", "查询笔画数|部首", "number"]
    assert table.rows[3][2].inlines[0].url == "https://example.com/pinyin"
    (quote,) = [b for b in blocks if isinstance(b, Quote)]
    assert isinstance(quote.blocks[0], Paragraph) and quote.blocks[0].text.endswith(
        "访问 https://hanzi.example.com/文档 查看完整文档。"
    )
    assert sum(isinstance(b, Rule) for b in blocks) == 1


def test_images_local_embedded_remote_not_fetched() -> None:
    images = [b for b in read_readme().blocks if isinstance(b, Image)]
    assert [(i.text, i.data is None) for i in images] == [("npm 版本", True), ("许可证", True), ("本地示意图", False)]
    assert images[2].data == (FIXTURES / "markdown" / "images" / "logo.png").read_bytes()


def test_a_link_around_an_image_is_kept_in_the_tree_and_in_markdown_docx_and_pdf() -> None:
    import io

    import docx
    from docx.oxml.ns import qn
    from pypdf import PdfReader

    from converter.formats.markdown.tree import render_tree
    from converter.pipeline import render as render_format

    source = "[![npm 版本](https://img.shields.io/npm/v/x.svg)](https://www.npmjs.com/package/x) ![截图](a.png)\n"
    badge, plain = parse(source, load_images=False).blocks
    assert isinstance(badge, Image) and [span.url for span in badge.inlines] == ["https://www.npmjs.com/package/x"]
    assert isinstance(plain, Image) and [span.url for span in plain.inlines] == [""]
    assert render_tree(Document((badge, plain))) == (
        "[![npm 版本](https://img.shields.io/npm/v/x.svg)](https://www.npmjs.com/package/x)\n\n![截图](a.png)\n"
    )
    document = process(parse(source, load_images=False), Options(to="traditional"))
    opened = docx.Document(io.BytesIO(render_format(document, "docx", Options())))
    (link,) = opened.element.body.iter(qn("w:hyperlink"))
    assert opened.part.rels[link.get(qn("r:id"))].target_ref == "https://www.npmjs.com/package/x"
    assert "".join(t.text for t in link.iter(qn("w:t"))) == "npm 版本"  # the alt text stands in for a remote badge
    pdf = PdfReader(io.BytesIO(render_format(document, "pdf", Options())))
    uris = [a.get_object()["/A"]["/URI"] for page in pdf.pages for a in page.get("/Annots", [])]
    assert uris == ["https://www.npmjs.com/package/x"]


def test_inlines_styles_links_breaks_and_html() -> None:
    doc = parse("甲**乙** *丙* ~~丁~~ `戊` [己](http://a.cn) <b>庚</b><kbd>K</kbd>辛<br>壬 <img src=x.png>癸\n")
    spans = doc.blocks[0].inlines
    styled = {s.text: s.style for s in spans}
    assert styled["乙"] == {"strong"} and styled["丙"] == {"emphasis"} and styled["丁"] == {"strike"}
    assert styled["戊"] == {"code"} and styled["庚"] == {"strong"} and styled["K"] == {"code"}
    assert [s.url for s in spans if s.text == "己"] == ["http://a.cn"]
    assert doc.blocks[0].text == "甲乙 丙 丁 戊 己 庚K辛\n壬 癸"
    assert any("<img>" in w for w in doc.warnings)


def test_ordered_items_are_numbered_as_shown() -> None:
    doc = parse("7) 甲\n7) 乙\n   - 丙\n")
    assert [(b.marker, b.level) for b in doc.blocks] == [("7)", 0), ("8)", 0), ("•", 1)]


def test_soft_breaks_join_like_wrapped_prose() -> None:
    doc = parse("第一行\n第二行\nwrapped\nline\n中文\nEnglish\n")
    assert doc.blocks[0].text == "第一行第二行wrapped line中文English"


def test_every_prose_span_is_anchored_where_it_stands() -> None:
    text = README.read_text(encoding="utf-8")
    spans = [s for unit in units(read_readme().blocks) for s in unit.inlines if not s.code and s.text.strip()]
    anchored = [s for s in spans if s.source]
    assert all(text[s.source[0] : s.source[1]] == s.text for s in anchored)
    unanchored = {s.text for s in spans if not s.source}
    assert unanchored == {"*", "©", "https://hanzi.example.com/文档", "https://hanzi.example.com/guide", "|"}


def test_round_trip_without_changes_is_byte_identical(tmp_path) -> None:
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(README.read_bytes().replace(b"\n", b"\r\n"))
    bom = tmp_path / "bom.md"
    bom.write_bytes(b"\xef\xbb\xbf" + README.read_bytes())
    controls = tmp_path / "controls.md"  # a stray backspace in a table cell (a real README has one)
    controls.write_text("|参数|说明|\n|-|-|\n|a| \b释放可刷新状态 \x1b[1m粗\x1b[0m|\n", encoding="utf-8")
    for source in (README, crlf, bom, controls):
        result = convert_file(source, tmp_path / "out", Options(formats=("md",), repair=False))
        assert not result.error, result.error
        assert (tmp_path / "out.md").read_bytes() == source.read_bytes()
    repaired = convert_file(controls, tmp_path / "out", Options(formats=("md",)))  # the repair removes them
    # (a lone backspace goes alone, issue 21: the space before it is no struck character)
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == "|参数|说明|\n|-|-|\n|a| 释放可刷新状态 粗|\n"
    assert sum(repaired.fixes.values()) == 3


def test_repair_across_spans_and_title_option() -> None:
    doc = process(parse("4月1日,,全省加强(qiáng)**基层**\n", title="标题"), Options(to="traditional"))
    assert doc.title == "標題"
    assert render(doc, Options()).decode() == "4月1日，全省加強**基層**\n"


def test_pieces_of_a_source_span_are_rejoined_and_a_span_gone_is_removed() -> None:
    doc = parse("甲乙丙 [丁](http://a.cn) 戊\n")
    first, link, last = doc.blocks[0].inlines
    split = (
        replace(first, text="甲"),
        replace(first, text="乙丙 ", style=frozenset({"strong"})),
        replace(link, text=""),
    )
    changed = doc.evolve(blocks=(replace(doc.blocks[0], inlines=(*split, last)),))
    assert render(changed, Options()).decode() == "甲乙丙 [](http://a.cn) 戊\n"


def test_markup_brought_in_by_a_repair_is_escaped() -> None:
    doc = parse("甲乙\n")
    (span,) = doc.blocks[0].inlines
    changed = doc.evolve(blocks=(replace(doc.blocks[0], inlines=(replace(span, text="甲*乙"),)),))
    assert render(changed, Options()).decode() == "甲*乙\n"  # a lone * opens nothing: no escape needed
    pair = doc.evolve(blocks=(replace(doc.blocks[0], inlines=(replace(span, text="*甲*乙"),)),))
    assert render(pair, Options()).decode() == "\\*甲\\*乙\n"


def test_bar_separators_between_links_survive() -> None:
    source = "[English](./README.en.md) | [在线试用](https://a.cn) | [更新日志](./log.md)\n"
    doc = process(parse(source), Options(to="traditional"))
    assert (
        render(doc, Options()).decode()
        == "[English](./README.en.md) | [在線試用](https://a.cn) | [更新日誌](./log.md)\n"
    )


def test_other_inputs_are_rendered_from_the_tree_and_read_back() -> None:
    tree = (
        Heading((Span("一、"), Span("\n"), Span("總則")), 2),
        Paragraph(
            (
                Span("見 "),
                Span("文件", frozenset({"strong"}), "http://a.cn"),
                Span("，用 "),
                Span("a|b", frozenset({"code"})),
            )
        ),
        ListItem((Span("甲 *星*"),), "1.", True),
        ListItem((Span("乙"),), "•", level=1),
        ListItem((Span("乙的續段"),), "", level=1),
        Code("$ ls | less\n```", kind="shell"),
        Table(((cell("名"), cell("值")), (cell("a|b"), Cell((Span("x|y", frozenset({"code"})),))))),
        Quote((Paragraph((Span("引文"),)),)),
        Rule(),
    )
    text = render(Document(tree, title="標題"), Options()).decode()
    back = parse(text).blocks
    assert [(b.level, b.text) for b in back if isinstance(b, Heading)] == [(1, "標題"), (2, "一、 總則")]
    assert back[2].text == "見 文件，用 a|b" and back[2].inlines[1].url == "http://a.cn"
    assert [(b.marker, b.level, b.text) for b in back if isinstance(b, ListItem)] == [
        ("1.", 0, "甲 *星*"),
        ("•", 1, "乙"),
        ("", 1, "乙的續段"),
    ]
    (code,) = [b for b in back if isinstance(b, Code)]
    assert code.text == "$ ls | less\n```"
    (table,) = [b for b in back if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == [["名", "值"], ["a|b", "x|y"]]
    assert any(isinstance(b, Quote) and b.blocks[0].text == "引文" for b in back)
    assert isinstance(back[-1], Rule)


def cell(text: str) -> Cell:
    return Cell((Span(text),))


def test_cli_renders_a_text_input_as_markdown(tmp_path) -> None:
    sample = FIXTURES / "sample" / "gd-news-trad-pinyin.txt"
    result = run_zhdoc("convert", sample, "-o", tmp_path, "-f", "md,txt", "-q")
    assert result.returncode == 0, result.stderr.decode()
    back = parse((tmp_path / "gd-news-trad-pinyin.md").read_text(encoding="utf-8"))
    txt = (tmp_path / "gd-news-trad-pinyin.txt").read_text(encoding="utf-8")
    assert back.text == txt and len(back.blocks) == txt.count("\n")


def test_reference_labels_are_left_so_links_still_find_their_definitions() -> None:
    source = "见[文档]与[说明][]和[简体][1]\n\n[文档]: http://a.cn\n[说明]: http://b.cn\n[1]: http://c.cn\n"
    doc = process(parse(source), Options(to="traditional"))
    assert doc.blocks[0].text == "見文檔與說明和簡體"  # the tree has it all converted
    out = render(doc, Options()).decode()
    assert out == source.replace("见", "見").replace("与", "與").replace("[简体]", "[簡體]")
    assert [s.url for s in doc.blocks[0].inlines if s.url] == ["http://a.cn", "http://b.cn", "http://c.cn"]


LETTERS = "汉语发后里干面书说这个们,.:()!?*_|～＊｜ abcXYZ12"
PROSE = st.text(alphabet=LETTERS, min_size=1, max_size=12).map(str.strip).filter(bool)
BLOCKS = (
    "# {0}",
    "## {0} {1}",
    "{0}\n---",
    "- {0}\n  - {1}",
    "3. {0}\n4. **{1}**",
    "> {0}\n> {1}",
    "| {0} | b |\n|---|---|\n| `{1}` | {0} |",
    "```\n{0}\n```",
    "[{0}](http://汉.cn/{1}) *{1}*",
    "{0}\n{1}  \n{0}",
    "<b>{0}</b> <span>{1}</span>",
    "\\*{0}\\* &amp; <https://a.cn/汉> ~~{1}~~",
    "![{0}](http://a.cn/x.png)",
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(BLOCKS), PROSE, PROSE), min_size=1, max_size=6))
def test_generated_markdown_keeps_its_markup_through_repair_and_conversion(parts) -> None:
    source = "\n\n".join(template.format(a, b) for template, a, b in parts) + "\n"
    out = render(process(parse(source), TRADITIONAL), Options()).decode()
    prose = ("text", "softbreak")  # a repair may take out all the prose of a line, and its break with it
    assert [t for t in skeleton(out) if t[0] not in prose] == [t for t in skeleton(source) if t[0] not in prose]


def test_a_bar_in_markdown_is_syntax_not_layout_junk() -> None:
    # A table row whose delimiter row is missing reads as a paragraph; its bars are still the author's
    # (a real README has such a row), not the layout junk of a mirrored page.
    source = "|[电话号码](x) |phone_location |给定一个电话号码||\n"
    document = process(parse(source), Options())
    assert render(document, Options()).decode() == source
    assert not [fix for unit in units(document.blocks) for fix in unit.fixes]


def test_quotes_nested_deep_keep_their_text_or_the_file_is_refused_in_one_line(tmp_path) -> None:
    """markdown-it stops at its nesting limit and drops what lies deeper: 100 levels are read whole, and
    a file nested past the limit is an error, never text silently lost."""
    deep = tmp_path / "deep.md"
    deep.write_text(">" * 100 + " 深處的文字，第一百層。\n", encoding="utf-8")
    result = convert_file(deep, tmp_path / "out" / "deep", Options(formats=("txt", "pdf")))
    assert result.status == "converted", result.error
    assert "深處的文字，第一百層。" in (tmp_path / "out" / "deep.txt").read_text(encoding="utf-8")
    deeper = tmp_path / "deeper.md"
    deeper.write_text(">" * 250 + " 第二百五十層。\n", encoding="utf-8")
    result = convert_file(deeper, tmp_path / "out" / "deeper", Options(formats=("txt",)))
    assert result.status == "failed" and "nested too deeply" in str(result.error) and "\n" not in str(result.error)
