"""The HTML writer: one standalone HTML5 page, parsed back by html5lib (strict: any parse error fails) and lxml."""

from __future__ import annotations

import base64
from urllib.parse import unquote

import html5lib
import lxml.html
import pytest
from conftest import FIXTURES, SAMPLE, run_zhdoc
from web_samples import CODE, GOOD_URLS, PNG, URLS, WEBP, every_block

from converter import Options, convert_file
from converter.document import Block, Code, Document, Heading, ListItem, Paragraph, Quote, Span, spans, units
from converter.formats.html import write as writer
from converter.pipeline import clean_source

README = FIXTURES / "markdown" / "readme.md"
MANUAL = FIXTURES / "structured" / "structured-manual.txt"
REPORT = FIXTURES / "docx" / "zh-report.docx"


def parse(page: bytes) -> lxml.html.HtmlElement:
    """The page, checked by html5lib's strict parser (a parse error raises), as an lxml tree."""
    html5lib.HTMLParser(strict=True).parse(page)
    return lxml.html.document_fromstring(page)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Each fixture as HTML through the real pipeline (its tree, and the page written)."""
    out = tmp_path_factory.mktemp("html")
    found = {}
    for source in (SAMPLE, MANUAL, README, REPORT):
        result = convert_file(source, out / source.stem, Options(formats=("html",)))
        assert result.status == "converted", result.error
        found[source.stem] = (clean_source(source)[1], (out / f"{source.stem}.html").read_bytes())
    return found


@pytest.mark.parametrize("name", ["gd-news-trad-pinyin", "structured-manual", "readme", "zh-report"])
def test_fixtures_are_well_formed_html5_with_every_text_unit(pages, name) -> None:
    document, page = pages[name]
    assert page.startswith(b"<!DOCTYPE html>\n")
    root = parse(page)
    assert root.get("lang") == document.language
    assert root.find("head/meta").get("charset") == "utf-8"
    assert root.findtext("head/title") == writer.title_of(document)
    text = "".join(root.find("body").text_content().split())  # a <br> has no text: compare without spaces
    alts = [img.get("alt") for img in root.iter("img")]
    for unit in units(document.blocks):
        assert "".join(unit.text.split()) in text or unit.text in alts
    pres = [pre.text_content() for pre in root.iter("pre")]
    assert pres == [block.text for block in document.blocks if isinstance(block, Code)]


def test_headings_keep_their_levels_and_get_ids(pages) -> None:
    document, page = pages["structured-manual"]
    root = parse(page)
    written = [(int(h.tag[1]), h.text_content(), h.get("id")) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    wanted = [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]
    title = [(1, document.title, None)] if document.title else []
    assert [(level, text) for level, text, _ in written] == [(1, t) for _, t, _ in title] + wanted
    ids = [id_ for _, _, id_ in written[len(title) :]]
    assert all(ids) and len(set(ids)) == len(ids)
    assert "h-1-准备工作" in ids  # its anchor starts with a digit: no valid id in XHTML without a letter before it


def test_language_follows_the_script(tmp_path) -> None:
    for to, language in (("simplified", "zh-CN"), ("taiwan", "zh-TW"), ("hongkong", "zh-HK")):
        result = convert_file(SAMPLE, tmp_path / to, Options(formats=("html",), to=to))
        assert result.status == "converted", result.error
        root = parse((tmp_path / f"{to}.html").read_bytes())
        assert root.get("lang") == language
        css = root.findtext("head/style")
        assert f"Noto Serif CJK {language[-2:].replace('CN', 'SC').replace('TW', 'TC')}" in css


def test_stylesheet_suits_chinese_text() -> None:
    css = writer.stylesheet("zh-TW")
    for rule in (
        "line-height: 1.8",
        "text-indent: 2em",
        "text-align: justify",
        "line-break: strict",
        "word-break: normal",
        "text-spacing-trim",
        "text-autospace",
        "border: 1px solid",
    ):
        assert rule in css
    body = css.split("body {", 1)[1].split("}", 1)[0]
    assert body.index('"Noto Serif CJK TC"') < body.index("PMingLiU") < body.index("serif;")
    code = css.split("code, pre {", 1)[1].split("}", 1)[0]
    assert code.rindex("monospace") > code.index('"Noto Sans Mono CJK TC"') > code.index("ui-monospace")


def test_every_block_is_rendered() -> None:
    root = parse(writer.render(every_block(), Options()))
    body = root.find("body")
    assert body[0].tag == "h1" and body[0].get("class") == "title" and body[0].text == "全部區塊"
    assert [h.text_content() for h in body.iter("h1", "h2", "h3")][1:] == [
        "安裝",
        "1. 準備",
        "用法",
        "引文標題",
        "？",
        "第三層",
        "用法",
    ]
    ids = {h.text_content(): h.get("id") for h in body.iter("h1", "h2")}
    assert ids["安裝"] == "安裝" and ids["1. 準備"] == "h-1-準備"
    # inline formatting and links
    first = body.xpath("//p[contains(., '下一章')]")[0]
    links = {a.text_content(): a.get("href") for a in first.iter("a")}
    assert unquote(links.pop("下一章")) == "#用法"  # lxml's serializer percent-escapes hrefs; browsers decode
    assert links == {
        "官網": "https://xn--fsqu00a.tw/%E8%B7%AF%E5%BE%91%20%E4%B8%80",
        "旁邊": "docs/%E6%97%81%E9%82%8A.md",
    }
    assert "惡意" in first.text_content()  # a javascript: link keeps its text, not its link
    assert first.find(".//a/strong").text == "下一章" and first.find(".//a/em").text == "官網"
    assert first.find("code").text == "pip install" and first.find("br") is not None
    # nested lists: a jump of two levels nests once; an item's second paragraph stays in it
    outer = body.find("ul")
    assert [li.text for li in outer.findall("li")] == ["第一項", "第二項"]
    inner = outer.find("li/ul")
    assert [li.text for li in inner.findall("li")] == ["子項甲", "子項乙"]
    assert inner.find("li/ul/li").text == "孫項"
    assert inner.findall("li")[1].find("p").text == "子項乙的第二段"
    ordered = body.find("ol")
    assert ordered.get("start") == "3" and [li.get("value") for li in ordered] == [None, "5"]
    marked = body.find("ul[@class='marked']/li")
    assert marked.find("span").text == "（一）" and marked.text_content() == "（一）甲、天干"
    # quote, code, table, rule, images, page break
    quote = body.find("blockquote")
    assert [child.tag for child in quote] == ["p", "ul", "h3"]
    assert body.find("pre/code[@class='language-python']").text == CODE
    assert body.find("pre[@class='shell']/code").text == "$ ls | less"
    table = body.find("table")
    assert [th.text for th in table.findall("thead/tr/th")] == ["名稱", "說明"]
    rows = table.findall("tbody/tr")
    assert rows[0][1].find("strong").text == "一" and rows[0][1].find("br") is not None and len(rows[1]) == 1
    assert body.find("hr") is not None and body.find("hr[@class='page-break']") is not None
    image = body.find("div[@class='image']/img")
    assert image.get("alt") == "標誌"
    assert image.get("src") == "data:image/png;base64," + base64.b64encode(PNG).decode()
    webp = body.findall("div[@class='image']/img")[1]
    assert webp.get("src") == "data:image/webp;base64," + base64.b64encode(WEBP).decode()
    alts = [p.text_content() for p in body.findall("p[@class='image']")]
    assert alts == ["遠端圖", "壞圖", "壞PNG"]  # not fetched, not an image, a PNG cut short
    assert "raw" not in body.text_content()  # a raw HTML block is left out


def test_links_a_browser_would_refuse_keep_their_text_only() -> None:
    root = parse(writer.render(every_block(), Options()))
    paragraph = root.xpath("//p[contains(., '鏈0')]")[0]
    links = {int(a.text[1:]): a.get("href") for a in paragraph.iter("a")}
    assert links == GOOD_URLS
    assert paragraph.text_content() == "".join(f"鏈{index}" for index in range(len(URLS)))


def test_text_is_escaped_and_xml_safe() -> None:
    page = writer.render(every_block(), Options())
    assert b"<b>" not in page and b"<script>" not in page
    assert "&lt;b&gt;不是標籤&lt;/b&gt; &amp; 控制字元".encode() in page
    assert not any(byte < 0x20 and byte not in b"\n\t" for byte in page)
    assert "\ufffe".encode() not in page


def test_deep_and_wide_documents(tmp_path) -> None:
    deep: Block = Paragraph(spans("很深的引文"))
    for _ in range(100):
        deep = Quote((deep,))
    items = tuple(ListItem(spans(f"第{i}項"), "•", level=i % 7) for i in range(3000))
    root = parse(writer.render(Document((deep, *items)), Options()))
    assert (
        len(root.findall(".//blockquote")) == 100
        and root.find("body/blockquote").text_content().strip() == "很深的引文"
    )
    assert len(root.findall(".//li")) == 3000 and len(root.find("body/ul").findall("li")) == 3000 // 7 + 1


def test_command_line_writes_html(tmp_path) -> None:
    run = run_zhdoc("convert", README, "-f", "html", "-o", tmp_path, "-j", "1")
    assert run.returncode == 0, run.stderr
    root = parse((tmp_path / "readme.html").read_bytes())
    logo = root.find(".//img")
    assert logo.get("src") == "data:image/png;base64," + base64.b64encode(PNG).decode()
    bad = run_zhdoc("convert", README, "-f", "htm", "-o", tmp_path)
    assert bad.returncode != 0 and b"html, epub" in bad.stderr


def test_neighbouring_spans_of_one_style_are_one_node(monkeypatch) -> None:
    """A paragraph of 50,000 plain spans is one text node, written once, not appended 50,000 times (each
    append copies the text so far: that took minutes); alternating styles give one element per run."""
    appends = []
    real = writer.add_text
    monkeypatch.setattr(writer, "add_text", lambda parent, text: appends.append(text) or real(parent, text))
    plain = tuple(Span("字") for _ in range(50_000))
    mixed = tuple(Span("甲", frozenset({"emphasis"}) if i % 2 else frozenset()) for i in range(1_000))
    root = parse(writer.render(Document((Paragraph(plain), Paragraph(mixed + (Span("乙", url="#x"),)))), Options()))
    assert len(appends) == 1 + 1_000 + 1
    first, second = root.findall("body/p")
    assert len(first) == 0 and first.text == "字" * 50_000
    assert [child.tag for child in second] == ["em"] * 500 + ["a"]
    assert second.text_content() == "甲" * 1_000 + "乙"
    trailing = parse(writer.render(Document((Paragraph((Span("尾"),) + (Span("\n"),) * 3),)), Options()))
    assert trailing.find("body/p").text == "尾" and len(trailing.find("body/p")) == 0  # no break at the end
