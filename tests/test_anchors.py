"""In-page links (a README's contents list) still reach their headings after the script conversion: in the
Markdown written back, and as bookmarks in the DOCX."""

from __future__ import annotations

import io
import struct

import docx
from conftest import FIXTURES
from docx.oxml.ns import qn

from converter import Options, process, render
from converter.anchors import fragment, heading_anchors
from converter.document import units
from converter.formats.markdown.read import parse

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


def test_pdf_links_go_to_the_page_of_their_heading() -> None:
    from pypdf import PdfReader

    pages = "".join(f"\n\n## 第{n}章 安装说明\n\n" + "正文。" * 400 for n in range(1, 4))
    source = (
        "# 目录\n\n- [第二章](#第2章-安装说明)\n- [第三章](#第3章-安装说明)\n- [网站](https://example.com/)" + pages
    )
    document = process(parse(source), Options(to="traditional"))
    reader = PdfReader(io.BytesIO(render(document, "pdf", Options())))
    numbers = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    found = []
    for annotation in reader.pages[0]["/Annots"]:
        annotation = annotation.get_object()
        if "/Dest" in annotation:
            page = numbers[annotation["/Dest"][0].idnum]
            found.append(
                ("go to", next(line for line in reader.pages[page].extract_text().split("\n") if "章" in line))
            )
        else:
            found.append(("uri", annotation["/A"]["/URI"]))
    assert found == [("go to", "第2章 安裝說明"), ("go to", "第3章 安裝說明"), ("uri", "https://example.com/")]


def test_a_linked_picture_is_a_link_in_docx_and_pdf(tmp_path) -> None:
    from pypdf import PdfReader

    from converter import read

    (tmp_path / "logo.png").write_bytes((FIXTURES / "markdown" / "images" / "logo.png").read_bytes())
    (tmp_path / "readme.md").write_text("# 标题\n\n[![标志](logo.png)](https://example.org/x)\n", encoding="utf-8")
    document = process(read(tmp_path / "readme.md"), Options())
    opened = docx.Document(io.BytesIO(render(document, "docx", Options())))
    (link,) = opened.element.body.iter(qn("w:hyperlink"))
    assert opened.part.rels[link.get(qn("r:id"))].target_ref == "https://example.org/x"
    assert list(link.iter(qn("w:drawing")))  # the picture itself is inside the link
    page = PdfReader(io.BytesIO(render(document, "pdf", Options()))).pages[0]
    (annotation,) = [a.get_object() for a in page["/Annots"]]
    assert annotation["/A"]["/URI"] == "https://example.org/x"
    left, bottom, right, top = (float(v) for v in annotation["/Rect"])
    logo = (FIXTURES / "markdown" / "images" / "logo.png").read_bytes()
    assert (round(right - left), round(top - bottom)) == struct.unpack(">II", logo[16:24])  # the picture's box
