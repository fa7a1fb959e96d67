"""In-page links (a README's contents list) still reach their headings after the script conversion: in the
Markdown written back, and as bookmarks in the DOCX."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from converter import Options, process, render
from converter.anchors import fragment, heading_anchors
from converter.document import units
from converter.readers.markdown import parse

README = """\
# 工具说明

- [安装说明](#安装说明)
- [用法：命令行](#%E7%94%A8%E6%B3%95%E5%91%BD%E4%BB%A4%E8%A1%8C)
- [再次安装说明](#安装说明-1)
- [参考][ref]
- [外部链接](https://example.com/#安装说明)

## 安装说明

运行 `[不是链接](#安装说明)` 即可。

## 用法：命令行

## 安装说明

[ref]: #安装说明
"""

EXPECTED = """\
# 工具說明

- [安裝說明](#安裝說明)
- [用法：命令行](#%E7%94%A8%E6%B3%95%E5%91%BD%E4%BB%A4%E8%A1%8C)
- [再次安裝說明](#安裝說明-1)
- [參考][ref]
- [外部鏈接](https://example.com/#安装说明)

## 安裝說明

運行 `[不是链接](#安装说明)` 即可。

## 用法：命令行

## 安裝說明

[ref]: #安裝說明
"""


def test_markdown_links_follow_their_converted_headings_and_code_stays() -> None:
    document = process(parse(README), Options(to="traditional"))
    written = render(document, "md", Options()).decode()
    assert written == EXPECTED


def test_every_in_page_link_of_the_written_readme_reaches_a_heading() -> None:
    written = render(process(parse(README), Options(to="traditional")), "md", Options()).decode()
    again = parse(written)
    anchors = set(heading_anchors(again.blocks))
    links = [span.url for unit in units(again.blocks) for span in unit.inlines if span.url.startswith("#")]
    assert len(links) == 4 and all(fragment(url) in anchors for url in links)


def test_docx_links_jump_to_bookmarks_on_their_headings() -> None:
    document = process(parse(README), Options(to="traditional"))
    opened = docx.Document(io.BytesIO(render(document, "docx", Options())))
    body = opened.element.body
    marked = {start.get(qn("w:name")): start.getparent() for start in body.iter(qn("w:bookmarkStart"))}
    links = {_text(link): link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink")) if link.get(qn("w:anchor"))}
    assert {text: _text(marked[name]) for text, name in links.items()} == {
        "安裝說明": "安裝說明",
        "用法：命令行": "用法：命令行",
        "再次安裝說明": "安裝說明",
        "參考": "安裝說明",
    }
    assert marked[links["安裝說明"]] is not marked[links["再次安裝說明"]]  # the second heading of that name
    assert all(
        paragraph.style.name.startswith("Heading") for paragraph in opened.paragraphs if paragraph._p in marked.values()
    )


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def test_no_bookmark_without_in_page_links() -> None:
    document = process(parse("# 标题\n\n见[网站](https://example.com)。\n"), Options())
    opened = docx.Document(io.BytesIO(render(document, "docx", Options())))
    assert not list(opened.element.body.iter(qn("w:bookmarkStart")))
