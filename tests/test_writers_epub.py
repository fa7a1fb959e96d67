"""The EPUB writer: every book the tests write is checked by epubcheck (the W3C's validator, Debian package
``epubcheck``) and read back as a zip of XML documents."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import FIXTURES, SAMPLE
from fontmaker import CHARS, make_font
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image as Picture
from web_samples import CODE, GOOD_URLS, PNG, URLS, every_block

from converter import Options, convert_file
from converter.document import Document, Heading, paragraphs, spans, units
from converter.fonts import bundled_file
from converter.formats.epub import write as writer
from converter.pipeline import clean_source

EPUBCHECK = shutil.which("epubcheck")
JAVA = shutil.which("java")
README = FIXTURES / "markdown" / "readme.md"
MANUAL = FIXTURES / "structured" / "structured-manual.txt"
REPORT = FIXTURES / "docx" / "zh-report.docx"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "epub": "http://www.idpf.org/2007/ops",
}
PLAIN = Document(paragraphs("只有一段。"), source="/x/筆記.txt")
EMPTY = Document((Heading(spans("")),))
CFF_BOOK = Document((Heading(spans("測試")),) + paragraphs("中文字體測試。"), language="zh-TW")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCES = {
    "sample": (SAMPLE, Options(formats=("epub",))),
    "manual": (MANUAL, Options(formats=("epub",), embed_fonts=True)),
    "readme": (README, Options(formats=("epub",), to="taiwan")),
    "report": (REPORT, Options(formats=("epub",))),
}


def epubcheck(path: Path) -> list[str]:
    """epubcheck's fatal errors, errors and warnings for the book at ``path`` (its info lines aside)."""
    # C1 only and the serial collector: a third of the JVM's time for a run this short, same checks
    command = [JAVA or "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", EPUBCHECK or "", str(path)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    found = [line for line in (run.stdout + run.stderr).splitlines() if line.startswith(("FATAL", "ERROR", "WARNING"))]
    assert run.returncode == 0 or found, run.stdout + run.stderr
    assert "No errors or warnings detected" in run.stdout or found, run.stdout
    return found


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The fixtures and the every-block document as EPUBs (their trees, paths and epubcheck's findings)."""
    if not (EPUBCHECK and JAVA):
        pytest.skip("epubcheck is not installed (Debian package epubcheck; .ci/run installs it)")
    out = tmp_path_factory.mktemp("epub")
    found = {}
    for name, (source, options) in SOURCES.items():
        result = convert_file(source, out / name, options)
        assert result.status == "converted", result.error
        found[name] = (clean_source(source, options)[1], out / f"{name}.epub")
    for name, document, options in (
        ("every", every_block(), Options(embed_fonts=True)),
        ("plain", PLAIN, Options()),
        ("empty", EMPTY, Options()),
        ("cff", CFF_BOOK, Options(embed_fonts=True, font=str(make_font(out / "made.otf", cff=True)))),
    ):
        (out / f"{name}.epub").write_bytes(writer.render(document, options))
        found[name] = (document, out / f"{name}.epub")
    with ThreadPoolExecutor(2) as pool:  # each run is a JVM: two at a time on two cores
        checked = dict(zip(found, pool.map(epubcheck, [path for _, path in found.values()])))
    return {name: (document, path, checked[name]) for name, (document, path) in found.items()}


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def opf(book: dict[str, bytes]) -> etree._Element:
    return xml(book["OEBPS/content.opf"])


def spine(book: dict[str, bytes]) -> list[str]:
    package = opf(book)
    hrefs = {item.get("id"): item.get("href") for item in package.iterfind("opf:manifest/opf:item", NS)}
    return [hrefs[ref.get("idref")] for ref in package.iterfind("opf:spine/opf:itemref", NS)]


def nav_links(book: dict[str, bytes]) -> list[tuple[int, str, str]]:
    """(depth, label, href) of every entry of the nav document's contents."""
    nav = xml(book["OEBPS/nav.xhtml"]).find(".//x:nav", NS)
    assert nav.get(f"{{{NS['epub']}}}type") == "toc"
    return [(len(a.xpath("ancestor::x:ol", namespaces=NS)), a.text, a.get("href")) for a in nav.iterfind(".//x:a", NS)]


@pytest.mark.parametrize("name", [*SOURCES, "every", "plain", "empty", "cff"])
def test_epubcheck_finds_nothing(books, name) -> None:
    assert books[name][2] == []


def test_zip_layout_and_package_document(books) -> None:
    document, path, _ = books["sample"]
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and not first.extra
        assert archive.read(first) == b"application/epub+zip"
        assert path.read_bytes()[30:38] == b"mimetype"  # the name right after the first local header
    book = members(path)
    container = xml(book["META-INF/container.xml"])
    assert container.find(".//{*}rootfile").get("full-path") == "OEBPS/content.opf"
    package = opf(book)
    assert package.get("version") == "3.0" and package.get(XML_LANG) == "zh-TW" == document.language
    identifier = package.find("opf:metadata/dc:identifier", NS)
    assert identifier.get("id") == package.get("unique-identifier")
    assert re.fullmatch(
        r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", identifier.text
    )
    assert package.findtext("opf:metadata/dc:title", namespaces=NS) == writer.title_of(document)
    assert package.findtext("opf:metadata/dc:language", namespaces=NS) == "zh-TW"
    modified = package.find("opf:metadata/opf:meta[@property='dcterms:modified']", NS).text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified)
    hrefs = [item.get("href") for item in package.iterfind("opf:manifest/opf:item", NS)]
    assert sorted(f"OEBPS/{href}" for href in hrefs) == sorted(
        set(book) - {"mimetype", "META-INF/container.xml", "OEBPS/content.opf"}
    )
    ncx = xml(book["OEBPS/toc.ncx"])
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == identifier.text


def test_chapters_are_xhtml_with_language_tags(books) -> None:
    for name in ("sample", "readme", "report"):
        document, path, _ = books[name]
        book = members(path)
        for chapter in spine(book):
            root = xml(book[f"OEBPS/{chapter}"])
            assert root.tag == f"{{{NS['x']}}}html"
            assert root.get(XML_LANG) == root.get("lang") == document.language
            assert root.find("x:head/x:link", NS).get("href") == "style.css"


@pytest.mark.parametrize("name", ["manual", "readme", "report", "every"])
def test_every_top_heading_is_a_chapter_and_in_the_contents(books, name) -> None:
    document, path, _ = books[name]
    book = members(path)
    top = [b for b in document.blocks if isinstance(b, Heading) and b.text.strip()]
    level = min(heading.level for heading in top)
    chapters = spine(book)
    links = nav_links(book)
    labels = [label for _, label, _ in links]
    for heading in top:
        assert " ".join(heading.text.split()) in labels
    starts = [heading for heading in top if heading.level == level]
    opening = xml(book[f"OEBPS/{chapters[0]}"]).xpath("x:body/*[not(@class='title')]", namespaces=NS)[0]
    front = opening.tag != f"{{{NS['x']}}}h{level}"  # a part before the first heading: a chapter of its own
    assert len(chapters) == len(starts) + front
    for chapter in chapters:  # no empty page
        assert "".join(xml(book[f"OEBPS/{chapter}"]).find("x:body", NS).itertext()).strip()
    # each entry's target exists and is the heading it names
    for depth, label, href in links:
        file, _, anchor = unquote(href).partition("#")
        root = xml(book[f"OEBPS/{file}"])
        if anchor:
            target = root.xpath("//*[@id=$id]", id=anchor)
            assert len(target) == 1 and " ".join(target[0].xpath("string()").split()) == label
        if depth == 1 and anchor:
            assert target[0].tag == f"{{{NS['x']}}}h{level}"


def test_contents_nest_as_the_headings_do(books) -> None:
    book = members(books["every"][1])
    assert [(depth, label) for depth, label, _ in nav_links(book)] == [
        (1, "全部區塊"),  # the part before the first heading, by the book's title
        (1, "安裝"),
        (2, "1. 準備"),
        (1, "用法"),
        (1, "？"),
        (2, "第三層"),  # a heading two levels down nests once
        (2, "用法"),
    ]
    ncx = xml(book["OEBPS/toc.ncx"])
    points = ncx.findall(".//ncx:navPoint", NS)
    assert [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in points] == [
        label for _, label, _ in nav_links(book)
    ]
    assert [p.get("playOrder") for p in points] == [str(n) for n in range(1, len(points) + 1)]
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:depth']", NS).get("content") == "2"


def test_every_block_in_the_chapters(books) -> None:
    book = members(books["every"][1])
    chapters = [xml(book[f"OEBPS/{name}"]) for name in spine(book)]
    assert chapters[0].find("x:body/x:h1", NS).get("class") == "title"
    text = "".join("".join(chapter.find("x:body", NS).itertext()) for chapter in chapters)
    for unit in units(every_block().blocks):
        if not unit.text.startswith("<b>") and unit.text not in ("標誌", "WebP圖"):  # alt texts of images shown
            assert "".join(unit.text.split()) in "".join(text.split())
    assert "<b>不是標籤</b> & 控制字元" in text  # text, not markup; the control characters dropped
    usage = chapters[2]
    assert usage.find(".//x:pre/x:code", NS).text == CODE
    assert [th.text for th in usage.iterfind(".//x:thead/x:tr/x:th", NS)] == ["名稱", "說明"]
    image = usage.find(".//x:img", NS)
    assert image.get("alt") == "標誌" and book[f"OEBPS/{image.get('src')}"] == PNG
    items = {i.get("href"): i.get("media-type") for i in opf(book).iterfind("opf:manifest/opf:item", NS)}
    assert items[image.get("src")] == "image/png"
    pictures = [(href, kind) for href, kind in items.items() if kind.startswith("image/")]
    assert pictures == [("images/image-001.png", "image/png"), ("images/image-002.png", "image/png")]
    with Picture.open(io.BytesIO(book["OEBPS/images/image-002.png"])) as webp:  # WebP: a PNG for EPUB 3.2
        assert (webp.format, webp.size, webp.getpixel((0, 0))[0]) == ("PNG", (4, 3), 200)
    alts = [p.xpath("string()") for p in usage.iterfind(".//x:p[@class='image']", NS)]
    assert alts == ["遠端圖", "壞圖", "壞PNG"]  # not fetched, not an image, a PNG cut short
    assert usage.find(".//x:hr[@class='page-break']", NS) is not None


def test_links_inside_the_book_point_at_the_chapter(books) -> None:
    book = members(books["every"][1])
    first = xml(book["OEBPS/chapter-002.xhtml"])
    links = {a.xpath("string()"): a.get("href") for a in first.iterfind(".//x:a", NS)}
    assert unquote(links["下一章"]) == "chapter-003.xhtml#用法"
    assert links["官網"].startswith("https://xn--fsqu00a.tw/")
    assert "惡意" not in links and "旁邊" not in links  # javascript: and a file the book does not hold: text only
    assert "惡意旁邊" in first.xpath("string(//x:p[contains(., '惡意')])", namespaces=NS)


def test_what_shows_nothing_before_the_first_heading_makes_no_chapter(books) -> None:
    book = members(books["readme"][1])  # its HTML logo block: for Markdown output only
    assert [label for _, label, _ in nav_links(book)][:2] == ["漢字工具箱", "特性"]
    assert xml(book["OEBPS/chapter-001.xhtml"]).find("x:body/x:h1", NS).text == "漢字工具箱"


def test_links_epubcheck_would_refuse_keep_their_text_only(books) -> None:
    chapter = xml(members(books["every"][1])["OEBPS/chapter-003.xhtml"])
    paragraph = chapter.xpath("//x:p[contains(., '鏈0')]", namespaces=NS)[0]
    assert {int(a.text[1:]): a.get("href") for a in paragraph.iterfind("x:a", NS)} == GOOD_URLS
    assert paragraph.xpath("string()") == "".join(f"鏈{index}" for index in range(len(URLS)))


def test_images_of_markdown_become_items(books) -> None:
    book = members(books["readme"][1])
    package = opf(book)
    images = [i for i in package.iterfind("opf:manifest/opf:item", NS) if i.get("media-type").startswith("image/")]
    assert [(i.get("href"), i.get("media-type")) for i in images] == [("images/image-001.png", "image/png")]
    assert book["OEBPS/images/image-001.png"] == (FIXTURES / "markdown" / "images" / "logo.png").read_bytes()


def test_embedded_font_is_a_subset_covering_every_character(books) -> None:
    document, path, _ = books["manual"]
    book = members(path)
    items = {i.get("href"): i.get("media-type") for i in opf(book).iterfind("opf:manifest/opf:item", NS)}
    assert items["fonts/embedded.ttf"] == "font/ttf"
    css = book["OEBPS/style.css"].decode()
    assert css.startswith('@font-face { font-family: "zhdoc embedded"; src: url(fonts/embedded.ttf); }')
    assert 'font-family: "zhdoc embedded", "Noto Serif CJK SC"' in css
    font = TTFont(io.BytesIO(book["OEBPS/fonts/embedded.ttf"]))
    cmap = font.getBestCmap()
    used = {
        char
        for name in spine(book) + ["nav.xhtml"]
        for char in "".join(xml(book[f"OEBPS/{name}"]).itertext())
        if not char.isspace()
    }
    assert {char for char in used if ord(char) not in cmap} == set()
    assert len(cmap) < 2 * len(used) + 100  # a subset: the bundled face maps tens of thousands
    assert len(book["OEBPS/fonts/embedded.ttf"]) < bundled_file("SC").stat().st_size / 50
    assert "fonts/embedded.ttf" not in {i.get("href") for i in opf(members(books["sample"][1])).iter()}


def test_a_font_of_ones_own_is_embedded_as_it_is_made(books) -> None:
    """--font with CFF outlines: an OpenType subset (font/otf), only the characters used."""
    book = members(books["cff"][1])
    items = {i.get("href"): i.get("media-type") for i in opf(book).iterfind("opf:manifest/opf:item", NS)}
    assert items["fonts/embedded.otf"] == "font/otf" and book["OEBPS/fonts/embedded.otf"][:4] == b"OTTO"
    assert "url(fonts/embedded.otf)" in book["OEBPS/style.css"].decode()
    cmap = TTFont(io.BytesIO(book["OEBPS/fonts/embedded.otf"])).getBestCmap()
    assert {chr(code) for code in cmap} == set("測試中文字體。目錄") & set(CHARS)


def test_identifier_from_the_content_and_modified_from_source_date_epoch(monkeypatch) -> None:
    """(Books in memory, made as the "plain" book that epubcheck checks.)"""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one = Document(paragraphs("第一段。"), title="書", language="zh-TW")
    first, again = writer.render(one, Options()), writer.render(one, Options())
    assert first == again  # byte for byte: a reproducible build
    other = writer.render(one.evolve(blocks=paragraphs("第二段。")), Options())
    ids = [opf(members_of(data)).findtext("opf:metadata/dc:identifier", namespaces=NS) for data in (first, other)]
    assert ids[0] != ids[1]
    assert "2023-11-14T22:13:20Z" in members_of(first)["OEBPS/content.opf"].decode()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert writer.modified() != "2023-11-14T22:13:20Z"


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_document_without_headings_or_title_is_one_chapter(books) -> None:
    book = members(books["plain"][1])
    assert spine(book) == ["chapter-001.xhtml"]
    assert [(label, href) for _, label, href in nav_links(book)] == [("筆記", "chapter-001.xhtml")]
    empty = members(books["empty"][1])
    assert spine(empty) == ["chapter-001.xhtml"] and nav_links(empty)[0][1] == "未命名"
