"""EPUB in (chapters in spine order → the tree), EPUB in place (text converted, the rest kept), vertical
and horizontal text, bad books refused with one line; every EPUB written is checked by epubcheck."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
import warnings
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from converter import archive
from converter.document import Code, Heading, Image, ListItem, Quote, Table
from converter.errors import InputError
from converter.formats.epub.patch import patch
from converter.formats.epub.read import parse
from converter.formats.html.source import MARKUP, is_text_slot, local, slot_text, slots
from converter.formats.html.splice import SHOWN
from converter.options import Options
from converter.pipeline import convert_file, process
from converter.readers import read
from converter.script import convert, detect

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "epub"
SIMPLIFIED = FIXTURES / "simplified3.epub"
TRADITIONAL = FIXTURES / "traditional2.epub"
EPUBCHECK = Path("/usr/bin/epubcheck")


def epubcheck(data: bytes, tmp_path: Path) -> list[str]:
    """epubcheck's errors and warnings for a book (the test is skipped where it is not installed)."""
    if not shutil.which("java") or not EPUBCHECK.exists():
        pytest.skip("epubcheck (Debian package epubcheck, with java) is not installed")
    book = tmp_path / "checked.epub"
    book.write_bytes(data)
    run = subprocess.run(["java", "-jar", str(EPUBCHECK), str(book)], capture_output=True, text=True, timeout=300)
    return [line for line in (run.stdout + run.stderr).splitlines() if re.match(r"(ERROR|WARNING|FATAL)", line)]


def patched(path: Path, **options: object) -> bytes:
    chosen = Options(formats=("txt",), **options)
    return patch(process(read(path), chosen), chosen)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as book:
        return {info.filename: book.read(info) for info in book.infolist()}


def markup(text: str) -> list[str]:
    """The tags of a source as written, without the values of lang, alt and title (text and tags)."""
    tags = [SHOWN.sub(" alt=''", m.group(0)) for m in MARKUP.finditer(text)]
    return [re.sub(r"""(\s(?:xml:)?lang=)(["'])[^"']*\2""", r"\1''", tag) for tag in tags]


def flat(blocks):
    for block in blocks:
        yield from flat(block.blocks) if isinstance(block, Quote) else [block]


# --- reading -------------------------------------------------------------------------------------------


def test_an_epub3_is_read_chapter_by_chapter_in_spine_order():
    document = read(SIMPLIFIED)
    assert document.title == "山村来信" and document.origin == "epub"
    blocks = list(flat(document.blocks))
    assert [(b.text, b.level) for b in blocks if isinstance(b, Heading)] == [
        ("第一章\u3000学校后面的山", 1),
        ("第二章\u3000图书角", 2),
    ]
    assert [b.text for b in blocks if isinstance(b, Code)] == ["上课铃    八点\n放学铃    四点半"]
    assert "孩子们下课后总爱往山上跑，回来时口袋里装满了野果。" in document.text
    assert "“先把作业写完。”大家笑着答应，中午又跑了。 R&D" in document.text  # references and entities read
    assert [b.text for b in blocks if isinstance(b, ListItem)] == ["童话书十二本", "科学画册三本"]
    assert [[c.text for c in row] for b in blocks if isinstance(b, Table) for row in b.rows][1] == ["三年级", "四十次"]
    image = next(b for b in blocks if isinstance(b, Image))
    assert image.text == "学校的照片" and image.data and image.data.startswith(b"\x89PNG")  # from the book
    assert "远山" not in document.text  # SVG text is drawing, not prose


def test_an_epub2_with_the_xhtml_doctype_and_cdata_is_read():
    document = read(TRADITIONAL)
    assert document.title == "海邊的燈塔"
    assert [b.text for b in document.blocks if isinstance(b, Heading)] == ["一、冬天", "二、春天"]
    assert "這裡不是正文" not in document.text  # (the style's CDATA)
    assert [b.blocks[0].text for b in document.blocks if isinstance(b, Quote)] == ["「燈不能滅。」這是他師傅說過的話。"]


def test_epub_to_text_and_markdown_through_the_tree(tmp_path: Path):
    result = convert_file(SIMPLIFIED, tmp_path / "book", Options(formats=("txt", "md"), to="traditional"))
    assert not result.error
    text = (tmp_path / "book.txt").read_text("utf-8")
    assert text.index("學校後面的山") < text.index("圖書角") < text.index("後來，書架上的書越來越多。")
    assert "# 第一章\u3000學校後面的山" in (tmp_path / "book.md").read_text("utf-8")


# --- bad books -----------------------------------------------------------------------------------------


def rebuilt(source: Path, change: dict[str, bytes | None]) -> bytes:
    """A copy of a book with parts replaced, added or (None) removed."""
    out = BytesIO()
    parts = members(source.read_bytes())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in {**parts, **change}.items():
            if data is not None:
                book.writestr(name, data)
    return out.getvalue()


ENCRYPTED = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
  <enc:EncryptionMethod Algorithm="{algorithm}"/>
  <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData></encryption>"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"META-INF/container.xml": None}, "not an EPUB: META-INF/container.xml is missing"),
        ({"OEBPS/content.opf": None}, "the package document (OPF) named in META-INF/container.xml is missing"),
        (
            {"OEBPS/text/ch1.xhtml": b"<html><body><p>\xe6\x9c\xaa\xe9\x97\xad\xe5\x90\x88</body></html>"},
            "OEBPS/text/ch1.xhtml: not well-formed XML",
        ),
        (
            {
                "META-INF/encryption.xml": ENCRYPTED.format(
                    algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="OEBPS/text/ch1.xhtml"
                ).encode()
            },
            "encrypted (DRM): OEBPS/text/ch1.xhtml cannot be read",
        ),
        (  # "font obfuscation" claimed over a content document: a fragment does not make it a font
            {
                "META-INF/encryption.xml": ENCRYPTED.format(
                    algorithm="http://www.idpf.org/2008/embedding", uri="OEBPS/text/ch1.xhtml#.ttf"
                ).encode()
            },
            "encrypted (DRM): OEBPS/text/ch1.xhtml#.ttf cannot be read",
        ),
        (
            {
                "OEBPS/text/ch2.xhtml": b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaa">]>'
                b"<html><body>&a;</body></html>"
            },
            "OEBPS/text/ch2.xhtml: a DOCTYPE declaring its own entities is not accepted",
        ),
        ({"../../escaped.css": b"p {}"}, "a part named outside the archive: ../../escaped.css"),
    ],
)
def test_bad_books_are_refused_with_one_line_naming_the_part(change: dict, message: str):
    with pytest.raises(InputError) as caught:
        parse(rebuilt(SIMPLIFIED, change), "book.epub")
    assert str(caught.value).startswith(f"book.epub: {message}") and "\n" not in str(caught.value)


def test_a_spine_naming_parts_not_in_the_book_says_which_chapters_are_left_out():
    opf = members(SIMPLIFIED.read_bytes())["OEBPS/content.opf"].replace(
        b'<itemref idref="c2"/>', b'<itemref idref="c2"/><itemref idref="gone"/><itemref idref="c9"/>'
    )
    ch9 = b'<item id="c9" href="text/ch9.xhtml" media-type="application/xhtml+xml"/>'
    opf = opf.replace(b'<item id="c2"', ch9 + b'<item id="c2"')
    book = parse(rebuilt(SIMPLIFIED, {"OEBPS/content.opf": opf}), "book.epub")
    assert "第一章　学校后面的山" in book.text and "后来，书架上的书越来越多。" in book.text  # those there are read
    assert [str(w) for w in book.warnings] == [
        "2 chapters of the spine are missing from the book, left out: gone, OEBPS/text/ch9.xhtml"
    ]
    assert parse(SIMPLIFIED.read_bytes(), "book.epub").warnings == ()


def test_a_book_without_its_mimetype_is_written_back_with_one_first_and_stored(tmp_path: Path):
    source = tmp_path / "book.epub"
    source.write_bytes(rebuilt(SIMPLIFIED, {"mimetype": None}))
    with zipfile.ZipFile(BytesIO(patched(source, to="traditional"))) as book:
        first = book.infolist()[0]
        assert (first.filename, first.compress_type, book.read(first)) == ("mimetype", 0, b"application/epub+zip")
        assert "學校後面的山" in book.read("OEBPS/text/ch1.xhtml").decode()


def test_a_part_stored_twice_is_written_once_converted(tmp_path: Path):
    parts = members(SIMPLIFIED.read_bytes())
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as book, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (zipfile warns of the duplicate name it is told to write)
        for name, data in parts.items():
            book.writestr(name, data)
        book.writestr("OEBPS/text/ch1.xhtml", parts["OEBPS/text/ch1.xhtml"])
    source = tmp_path / "book.epub"
    source.write_bytes(out.getvalue())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        written = patched(source, to="traditional")
    with zipfile.ZipFile(BytesIO(written)) as book:
        names = book.namelist()
        assert names.count("OEBPS/text/ch1.xhtml") == 1 and len(names) == len(parts)
        assert "學校後面的山" in book.read("OEBPS/text/ch1.xhtml").decode()


def test_font_obfuscation_is_not_drm():
    font = ENCRYPTED.format(algorithm="http://www.idpf.org/2008/embedding", uri="OEBPS/fonts/a.otf").encode()
    assert parse(rebuilt(SIMPLIFIED, {"META-INF/encryption.xml": font}), "book.epub").title == "山村来信"


def test_not_a_zip_and_a_zip_bomb_are_refused(monkeypatch):
    with pytest.raises(InputError, match="not an EPUB"):
        parse(b"PK\x03\x04 not really", "a.epub")
    monkeypatch.setattr(archive, "MAX_PART", 4 * 1024 * 1024)  # (the limits of every archive, lowered)
    bomb = rebuilt(SIMPLIFIED, {"OEBPS/text/ch1.xhtml": b"\x00" * (archive.MAX_PART + 1)})
    assert len(bomb) < archive.MAX_PART // 100  # (what is checked is the size the zip declares, before reading)
    with pytest.raises(InputError, match="too large: OEBPS/text/ch1.xhtml inflates to more than 4 MB"):
        parse(bomb, "a.epub")


# --- in place ------------------------------------------------------------------------------------------


def _content_files(data: bytes) -> dict[str, str]:
    return {n: d.decode("utf-8") for n, d in members(data).items() if n.endswith((".xhtml", ".html", ".ncx"))}


@pytest.mark.parametrize(("book", "target"), [(SIMPLIFIED, "traditional"), (TRADITIONAL, "simplified")])
def test_in_place_text_converted_markup_and_other_parts_as_they_were(book: Path, target: str, tmp_path: Path):
    before = book.read_bytes()
    after = patched(book, to=target, repair=False)
    assert epubcheck(after, tmp_path) == []
    old, new = members(before), members(after)
    assert list(old) == list(new)  # same parts, same order
    with zipfile.ZipFile(BytesIO(after)) as out:
        first = out.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    for name in old:
        if not name.endswith((".xhtml", ".html", ".ncx", ".opf")):
            assert old[name] == new[name], name  # CSS, images, container: byte for byte
    texts = [(a, b) for name, a in _content_files(before).items() for b in [_content_files(after)[name]]]
    for a, b in texts:
        assert markup(a) == markup(b)
    pairs = []
    for name in _content_files(before):
        from lxml import etree

        roots = [etree.fromstring(d[name]) for d in (old, new)]
        pairs += [
            (slot_text(*x), slot_text(*y))
            for x, y in zip(slots(roots[0]), slots(roots[1]))
            if is_text_slot(*x) and slot_text(*x).strip() and not _in_svg_or_pre(*x)
        ]
    source = detect("".join(a for a, _ in pairs))
    equal = sum(convert(a, target, source) == b for a, b in pairs)
    assert len(pairs) > 10 and equal / len(pairs) >= 0.98


def _in_svg_or_pre(node, tail: bool) -> bool:
    holder = node.getparent() if tail else node
    return any(local(e.tag) in ("svg", "pre") for e in [holder, *holder.iterancestors()])


def test_in_place_keeps_entities_cdata_svg_names_ids_and_converts_the_metadata():
    out = members(patched(SIMPLIFIED, to="traditional"))
    chapter = out["OEBPS/text/ch1.xhtml"].decode()
    for kept in (
        "&#x201C;先把作業寫完。&#x201D;",
        "&#x4E2D;午",
        "R&amp;D",
        'viewBox="0 0 100 20"',
        "<linearGradient",
        '<text x="5" y="15">远山</text>',
        '<h1 id="h1">',
        'href="ch2.xhtml#books"',
        "<pre>上课铃    八点",
    ):
        assert kept in chapter, kept
    opf = out["OEBPS/content.opf"].decode()
    for converted in (
        "<dc:title>山村來信</dc:title>",
        "<dc:language>zh-TW</dc:language>",
        "<dc:creator>林小云</dc:creator>",
        "<dc:description>一本關於鄉村學校和讀書的小書。</dc:description>",
        "<dc:subject>鄉村教育</dc:subject>",
        'xml:lang="zh-TW"',
    ):
        assert converted in opf, converted
    assert "<text>第一章\u3000學校後面的山</text>" in out["OEBPS/toc.ncx"].decode()
    assert "<h1>目錄</h1>" in out["OEBPS/nav.xhtml"].decode() and 'lang="zh-TW"' in out["OEBPS/nav.xhtml"].decode()
    epub2 = members(patched(TRADITIONAL, to="simplified"))["OEBPS/chapter1.html"].decode()
    assert "<![CDATA[\np { margin: 0; } /* 這裡不是正文 */\n]]>" in epub2 and "xhtml11.dtd" in epub2
    assert "冬天的海风很大，灯塔里只有老陈一个人。" in epub2 and 'xml:lang="zh-CN"' in epub2


def test_nothing_to_change_gives_the_same_book():
    assert patched(TRADITIONAL, to="keep") == TRADITIONAL.read_bytes()


def test_vertical_then_horizontal(tmp_path: Path):
    vertical = patched(SIMPLIFIED, to="traditional", writing_mode="vertical")
    assert epubcheck(vertical, tmp_path) == []
    parts = members(vertical)
    css = parts["OEBPS/zhdoc-writing-mode.css"].decode()
    for form in ("-epub-writing-mode: vertical-rl", "-webkit-writing-mode: vertical-rl", "writing-mode: vertical-rl"):
        assert form in css
    assert "body * {" in css  # the book's own rules (style.css forces horizontal-tb on body) overridden
    opf = parts["OEBPS/content.opf"].decode()
    assert (
        'page-progression-direction="rtl"' in opf and '<meta name="primary-writing-mode" content="vertical-rl"/>' in opf
    )
    for name in ("OEBPS/text/ch1.xhtml", "OEBPS/text/ch2.xhtml"):
        assert parts[name].decode().count('href="../zhdoc-writing-mode.css"') == 1
    again = tmp_path / "vertical.epub"
    again.write_bytes(vertical)
    horizontal = patched(again, to="keep", writing_mode="horizontal")
    assert epubcheck(horizontal, tmp_path) == []
    parts = members(horizontal)
    assert "writing-mode: horizontal-tb !important" in parts["OEBPS/zhdoc-writing-mode.css"].decode()
    opf = parts["OEBPS/content.opf"].decode()
    assert 'page-progression-direction="ltr"' in opf and 'content="horizontal-lr"' in opf and "vertical-rl" not in opf
    assert (
        opf.count("zhdoc-writing-mode.css") == 1 and parts["OEBPS/text/ch1.xhtml"].decode().count("zhdoc-writing") == 1
    )


def test_epub2_vertical_is_valid(tmp_path: Path):
    assert epubcheck(patched(TRADITIONAL, to="keep", writing_mode="vertical"), tmp_path) == []


# --- a real book ---------------------------------------------------------------------------------------


def debian_book(tmp_path: Path) -> Path:
    """The two Debian pages of fixtures/html/debian packed as an EPUB 2 by benchmarks/epub_book.py."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("epub_book", FIXTURES.parent.parent / "benchmarks" / "epub_book.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in (FIXTURES.parent / "html" / "debian").glob("*.html"):
        shutil.copy(page, pages / page.name)
    book = tmp_path / "maint-guide.epub"
    module.build(pages, book, "zh-TW")
    return book


def _codes(messages: list[str]) -> list[str]:
    """epubcheck's messages without their positions (an edit may move a column)."""
    return sorted(re.sub(r"\(\d+,\d+\)", "", line.split("/", 1)[-1] if "/" in line else line) for line in messages)


def test_a_real_book_to_simplified_and_vertical_nothing_new_for_epubcheck(tmp_path: Path):
    book = debian_book(tmp_path)
    before = epubcheck(book.read_bytes(), tmp_path)
    assert before  # (the pages link to chapters left out of this book, and use width on th: the input's own)
    for mode in (None, "vertical"):
        after = patched(book, to="simplified", writing_mode=mode)
        assert set(_codes(epubcheck(after, tmp_path))) <= set(_codes(before)), mode
    text = read(book).text
    converted = members(patched(book, to="simplified", repair=False))
    assert "檢查" in text and all("檢查" not in converted[n].decode() for n in converted if n.endswith(".html"))
    assert "<dc:language>zh-CN</dc:language>" in converted["OEBPS/content.opf"].decode()


def test_a_damaged_part_is_one_line():
    data = bytearray(SIMPLIFIED.read_bytes())
    with zipfile.ZipFile(BytesIO(bytes(data))) as book:
        info = book.getinfo("OEBPS/text/ch1.xhtml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + 40] = b"\xff" * 40  # the compressed stream broken, the sizes as they were
    with pytest.raises(InputError, match="OEBPS/text/ch1.xhtml is damaged and cannot be read"):
        parse(bytes(data), "book.epub")


def test_a_chapter_with_a_byte_order_mark_keeps_it(tmp_path: Path):
    chapter = members(SIMPLIFIED.read_bytes())["OEBPS/text/ch2.xhtml"]
    path = tmp_path / "bom.epub"
    path.write_bytes(rebuilt(SIMPLIFIED, {"OEBPS/text/ch2.xhtml": b"\xef\xbb\xbf" + chapter}))
    out = members(patched(path, to="traditional"))["OEBPS/text/ch2.xhtml"]
    assert out.startswith(b"\xef\xbb\xbf<?xml") and "圖書角".encode() in out


# --- progress -----------------------------------------------------------------------------------------


def test_each_step_of_a_book_is_told_as_it_is_done(tmp_path):
    steps: list[str] = []
    options = Options(formats=("txt", "epub"), to="traditional")
    result = convert_file(SIMPLIFIED, tmp_path / "out" / "book", options, stages=steps.append)
    assert result.status == "converted", result.error
    assert steps == ["read", "processed", "txt", "epub"]


def test_a_lone_book_shows_its_progress_on_a_terminal(tmp_path):
    """On a terminal, a lone file's steps are a progress bar (shown once they take half a second: a book
    repeated to some length here); without a terminal, nothing but the summary."""
    chapter = members(SIMPLIFIED.read_bytes())["OEBPS/text/ch1.xhtml"]
    body = chapter.split(b"<body>", 1)[1].split(b"</body>", 1)[0]
    book = tmp_path / "long.epub"
    book.write_bytes(rebuilt(SIMPLIFIED, {"OEBPS/text/ch1.xhtml": chapter.replace(body, body * 3000)}))
    command = [sys.executable, "-m", "converter", "convert", str(book), "-o", str(tmp_path / "out"), "-f", "epub,pdf"]
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 columns wide
    environment = {**os.environ, "LANG": "C.UTF-8"}
    done = subprocess.run(command, stderr=follower, stdout=subprocess.DEVNULL, timeout=300, env=environment)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert "long.epub" in text and "step" in text and "4/4" in text, text
    quiet = subprocess.run(command + ["--force"], capture_output=True, timeout=300)
    assert b"step" not in quiet.stderr and b"1 converted" in quiet.stderr
