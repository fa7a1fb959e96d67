"""HTML (lxml): any document tree as one standalone HTML5 page, UTF-8, with ``lang`` from the document's
script and a small CSS suited to Chinese text (a CJK font stack by script, 1.8 line height, two-character
first-line indent, justified, strict line breaking); images embedded as ``data:`` URIs.

The block → element rendering (``Renderer``) and the stylesheet (``stylesheet``) are shared with the EPUB
writer, which serializes the same elements as XHTML: every element made here is valid in both.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import ip_address
from itertools import groupby
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from lxml import etree

from ...anchors import fragment, heading_anchors
from ...document import (
    Block,
    Code,
    Document,
    Heading,
    Image,
    Inlines,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    units,
)
from ...options import Options

Element = etree._Element
Href = Callable[[str], "str | None"]  # a link's URL as written → the href to write (None: no link, text kept)
ImageSource = Callable[[Image], "str | None"]  # an image → its src (None: its alt text stands in)

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
ORDERED = re.compile(r"(\d{1,9})[.)]")
BULLETS = ("•", "-", "*", "+", "·", "◦", "▪", "‧")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto", "ftp", "tel")
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"
HOST = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")
LANGUAGE_CLASS = re.compile(r"[^\w+#-]+")
IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)

SERIF = {
    "SC": '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", STSong, SimSun, serif',
    "TC": '"Noto Serif CJK TC", "Source Han Serif TC", "Songti TC", PMingLiU, MingLiU, serif',
    "HK": '"Noto Serif CJK HK", "Source Han Serif HC", "Noto Serif CJK TC", "Songti TC", MingLiU_HKSCS, serif',
}
SANS = {
    "SC": '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
    "TC": '"Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif',
    "HK": '"Noto Sans CJK HK", "Source Han Sans HC", "PingFang HK", "Microsoft JhengHei", sans-serif',
}
MONO = 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", "Noto Sans Mono CJK {face}", monospace'


def render(document: Document, options: Options) -> bytes:
    if document.origin == "html" and document.package:  # HTML in, HTML out: the same page, its text changed
        from .patch import patch  # type: ignore[import-not-found]

        return patch(document, options)
    return page(document).encode("utf-8")


def page(document: Document) -> str:
    """The document as one standalone HTML5 page."""
    root = etree.Element("html", lang=document.language)
    root.text = "\n"
    head = block_element(root, "head")
    block_element(head, "meta", charset="utf-8")
    block_element(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    block_element(head, "meta", name="generator", content="zhdoc")
    block_element(head, "title").text = title_of(document)
    block_element(head, "style").text = "\n" + stylesheet(document.language)
    body = block_element(root, "body")
    body.text = "\n"
    targets = heading_ids(document.blocks)
    renderer = Renderer(page_href(dict(targets)), data_uri, [id_ for _, id_ in targets])
    if document.title:
        block_element(body, "h1", {"class": "title"}).text = text_of(document.title)
    renderer.blocks(body, document.blocks)
    return "<!DOCTYPE html>\n" + etree.tostring(root, method="html", encoding="unicode") + "\n"


def title_of(document: Document) -> str:
    r"""The title to name the page or book by, on one line: the document's, else its file's name, else its
    first heading, else 未命名 ("untitled").

    >>> title_of(Document(title=" \x00 ", source="/書/筆記.txt")), title_of(Document())
    ('筆記', '未命名')
    """
    headings = (unit.text for unit in units(document.blocks) if isinstance(unit, Heading))
    for candidate in (document.title, Path(document.source).stem if document.source else "", *headings):
        title = " ".join(text_of(candidate).split())
        if title:
            return title
    return "未命名"


def face_of(language: str) -> str:
    """SC, TC or HK: the CJK face family a language tag asks for.

    >>> face_of("zh-CN"), face_of("zh-TW"), face_of("zh-HK"), face_of("zh-Hant")
    ('SC', 'TC', 'HK', 'TC')
    """
    if language in ("zh-CN", "zh-SG", "zh-Hans"):
        return "SC"
    return "HK" if language in ("zh-HK", "zh-MO") else "TC"


def stylesheet(language: str, book: bool = False, embedded: str = "") -> str:
    """The CSS of a page (``book``: of an EPUB, where long code lines wrap instead of scrolling);
    ``embedded`` names an embedded face to put first."""
    face = face_of(language)
    first = f'"{embedded}", ' if embedded else ""
    serif, sans, mono = first + SERIF[face], SANS[face], MONO.format(face=face)
    if embedded:  # the embedded subset covers every character: a reader with no CJK face still shows them
        sans, mono = (
            sans.replace(", sans-serif", f', "{embedded}", sans-serif'),
            mono.replace(", monospace", f', "{embedded}", monospace'),
        )
    width = "" if book else "  max-width: 42em;\n  margin: 0 auto;\n  padding: 1em 1.5em;\n"
    pre = "pre-wrap" if book else "pre"
    return f"""html {{ line-height: 1.8; }}
body {{
  font-family: {serif};
{width}  text-align: justify;
  line-break: strict;
  word-break: normal;
  overflow-wrap: break-word;
  text-spacing-trim: space-first;
  text-autospace: normal;
  hanging-punctuation: allow-end;
}}
h1, h2, h3, h4, h5, h6 {{ font-family: {sans}; line-height: 1.4; text-align: left; margin: 1.2em 0 0.6em; }}
h1 {{ font-size: 1.6em; }} h2 {{ font-size: 1.4em; }} h3 {{ font-size: 1.2em; }}
h4 {{ font-size: 1.1em; }} h5, h6 {{ font-size: 1em; }}
h1.title {{ text-align: center; font-size: 1.8em; }}
p {{ margin: 0 0 0.4em; text-indent: 2em; }}
li p, td p, blockquote p, p.contents, p.label, p.image {{ text-indent: 0; }}
p.label {{ font-weight: bold; }}
p.level-1 {{ padding-left: 2em; }} p.level-2 {{ padding-left: 4em; }} p.level-3 {{ padding-left: 6em; }}
p.level-4 {{ padding-left: 8em; }} p.level-5 {{ padding-left: 10em; }}
ul.marked {{ list-style: none; padding-left: 1em; }}
span.marker {{ margin-right: 0.5em; }}
blockquote {{ margin: 1em 0; padding: 0 1em; border-left: 0.25em solid #ccc; color: #444; }}
code, pre {{ font-family: {mono}; font-size: 0.9em; }}
pre {{ white-space: {pre}; overflow-x: auto; line-height: 1.5; text-align: left; background: #f6f6f6; padding: 0.6em; }}
table {{ border-collapse: collapse; margin: 0.8em 0; }}
th, td {{ border: 1px solid #999; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
th {{ background: #eee; }}
img {{ max-width: 100%; height: auto; }}
div.image {{ text-align: center; margin: 0.8em 0; }}
hr.page-break {{ border: 0; margin: 0; page-break-after: always; break-after: page; }}
a {{ color: #1a5fb4; }}
"""


def text_of(text: str) -> str:
    r"""``text`` without what XML 1.0 (and so XHTML) cannot hold; a CR ends a line.

    >>> text_of("a\x0cb\x1b[1mc\ud800\r\nd")
    'ab[1mc\nd'
    """
    return NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def block_element(parent: Element, tag: str, attrib: dict[str, str] | None = None, **extra: str) -> Element:
    """A child element on a line of its own (whitespace between blocks; never inside running text)."""
    element = etree.SubElement(parent, tag, attrib or {}, **extra)
    element.tail = "\n"
    return element


def add_text(parent: Element, text: str) -> None:
    """Append ``text`` after what ``parent`` holds so far."""
    text = text_of(text)
    if not text:
        return
    try:
        last = parent[-1]  # not len(parent): lxml counts the children one by one, each time
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def is_xml_id(name: str) -> bool:
    """Whether ``name`` can be an element id in XHTML as well as in HTML (an XML name without colons).

    >>> is_xml_id("安装-install"), is_xml_id("1-概述"), is_xml_id(""), is_xml_id("①-a")
    (True, False, False, False)
    """
    if not name or not unicodedata.category(name[0]).startswith("L"):
        return False
    return all(char in "-_" or unicodedata.category(char) in ("Lu", "Ll", "Lo", "Lt", "Lm", "Nd") for char in name)


def heading_ids(blocks: tuple[Block, ...]) -> list[tuple[str, str]]:
    """Each heading's anchor (as GitHub makes it, what in-page links name) and its element id: the anchor
    itself where it is a valid id (``h-`` before it where that makes one), else ``h-N`` by the heading's number.

    >>> from converter.document import spans
    >>> heading_ids((Heading(spans("安装")), Heading(spans("1. 用法")), Heading(spans("？"))))
    [('安装', '安装'), ('1-用法', 'h-1-用法'), ('', 'h-2')]
    """
    ids: list[tuple[str, str]] = []
    taken: set[str] = set()
    for number, anchor in enumerate(heading_anchors(blocks)):
        name = anchor if is_xml_id(anchor) else f"h-{anchor}" if anchor and is_xml_id(f"h-{anchor}") else f"h-{number}"
        while name in taken:
            name += "-"
        taken.add(name)
        ids.append((anchor, name))
    return ids


def safe_url(url: str, relative: bool = True) -> str | None:
    """A link's URL as an href, percent-escaped where it must be; None (the text stays, unlinked) for a
    scheme that could run code (``javascript:``), an absolute URL with no valid host (or a ``mailto:`` with
    no address), or, without ``relative``, a relative link.

    >>> safe_url("https://例.cn/a b?q=中#x#y"), safe_url("javascript:alert(1)"), safe_url("a%zz.md", False)
    ('https://xn--fsq.cn/a%20b?q=%E4%B8%AD#x%23y', None, None)
    >>> [safe_url(u) for u in ("http://[::1", "https://", "http://a b.cn", "http://a..cn", "http://a.cn:99999")]
    [None, None, None, None, None]
    """
    url = text_of(url).strip()
    scheme = SCHEME.match(url)
    if not url or not (scheme or relative):
        return None
    if scheme:
        if scheme.group(1).lower() not in SAFE_SCHEMES:
            return None
        try:
            parts = urlsplit(url)
            port = parts.port  # (raises for a port out of range)
        except ValueError:  # an unclosed IPv6 bracket, a bad port
            return None
        if scheme.group(1).lower() in ("mailto", "tel"):
            if not parts.path.strip():
                return None
        else:
            host = _valid_host(parts.hostname or "")
            if host is None:
                return None
            if not parts.netloc.isascii():
                user = parts.netloc.rpartition("@")[0]
                netloc = (user + "@" if user else "") + host + (f":{port}" if port is not None else "")
                url = urlunsplit(parts._replace(netloc=netloc))
    base, hash_, part = BAD_PERCENT.sub("%25", url).partition("#")
    return quote(base, safe=URL_SAFE) + hash_ + quote(part, safe=URL_SAFE.replace("#", ""))


def _valid_host(host: str) -> str | None:
    """A host name in IDNA form (``例.cn`` → ``xn--fsq.cn``), or an IP address; None if it is neither."""
    try:
        ip_address(host)
        return f"[{host}]" if ":" in host else host
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host if HOST.fullmatch(host) else None


def page_href(ids: dict[str, str]) -> Href:
    """Links of a single page: in-page links to a heading point at its id."""

    def href(url: str) -> str | None:
        anchor = fragment(url)
        if anchor is not None and anchor in ids:
            return "#" + ids[anchor]
        return safe_url(url)

    return href


def image_type(data: bytes) -> tuple[str, str] | None:
    """The media type and file extension of a PNG, JPEG, GIF or WebP image; None for anything else.

    >>> image_type(b"\\x89PNG\\r\\n\\x1a\\n..."), image_type(b"RIFF\\0\\0\\0\\0WEBPVP8 "), image_type(b"<svg")
    (('image/png', 'png'), ('image/webp', 'webp'), None)
    """
    for magic, media_type, extension in IMAGE_TYPES:
        if data.startswith(magic):
            return media_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def readable(data: bytes) -> bool:
    """Whether Pillow reads ``data`` as a sound image (a reader shows a broken one as a hole; epubcheck
    calls it an error)."""
    from PIL import Image as Picture

    try:
        with Picture.open(io.BytesIO(data)) as picture:
            picture.verify()
    except Exception:  # any failure to parse foreign bytes
        return False
    return True


def data_uri(image: Image) -> str | None:
    """An embedded image as a ``data:`` URI (None: not embedded, or not an image a browser shows)."""
    known = image_type(image.data) if image.data else None
    if not known or image.data is None or not readable(image.data):
        return None
    return f"data:{known[0]};base64,{base64.b64encode(image.data).decode('ascii')}"


@dataclass
class _Open:
    """An open list: its level, kind (ol, ul, marked), element, last item and the next number expected."""

    level: int
    kind: str
    element: Element
    item: Element | None = None
    number: int = 1


@dataclass
class Renderer:
    """Renders blocks as HTML elements (no namespace: the EPUB writer serializes them as XHTML)."""

    href: Href
    image_src: ImageSource
    ids: list[str]  # every heading's id in reading order, quoted ones too (from ``heading_ids``)
    heading: int = 0  # headings rendered so far

    def blocks(self, parent: Element, blocks: tuple[Block, ...]) -> None:
        lists: list[_Open] = []
        for block in blocks:
            if isinstance(block, ListItem):
                self._item(parent, block, lists)
                continue
            lists.clear()
            self.block(parent, block)

    def block(self, parent: Element, block: Block) -> None:
        if isinstance(block, Heading):
            number, self.heading = self.heading, self.heading + 1
            if block.text.strip():
                level = min(max(block.level, 1), 6)
                self.inlines(block_element(parent, f"h{level}", id=self.ids[number]), block.inlines)
        elif isinstance(block, Paragraph):
            if block.text.strip():
                self.inlines(block_element(parent, "p", _paragraph_class(block)), block.inlines)
        elif isinstance(block, Code):
            pre = block_element(parent, "pre", {"class": block.kind} if block.kind != "code" else {})
            language = LANGUAGE_CLASS.sub("", block.language)
            code = etree.SubElement(pre, "code", {"class": f"language-{language}"} if language else {})
            code.text = text_of(block.text)
        elif isinstance(block, Table):
            self._table(parent, block)
        elif isinstance(block, Quote):
            self.blocks(block_element(parent, "blockquote"), block.blocks)
        elif isinstance(block, Rule):
            block_element(parent, "hr")
        elif isinstance(block, PageBreak):
            block_element(parent, "hr", {"class": "page-break"})
        elif isinstance(block, Image):
            self._image(parent, block)
        # Html: a raw block is kept in Markdown output only (the reader has warned)

    def inlines(self, parent: Element, inlines: Inlines) -> None:
        """Spans in ``parent``; neighbouring spans with one link become one link."""
        length = len(inlines)
        while length and inlines[length - 1].text == "\n":  # a break at the end of a block shows nothing
            length -= 1
        index = 0
        while index < length:
            url = inlines[index].url
            end = index + 1
            while end < length and inlines[end].url == url:
                end += 1
            target = self.href(url) if url else None
            holder = etree.SubElement(parent, "a", href=target) if target is not None else parent
            for style, run in groupby(inlines[index:end], key=lambda span: span.style):  # one element per run
                _span(holder, Span("".join(span.text for span in run), style))
            index = end

    def _item(self, parent: Element, item: ListItem, lists: list[_Open]) -> None:
        while lists and lists[-1].level > item.level:
            lists.pop()
        if not item.marker:  # continues the item before
            if lists and lists[-1].item is not None:
                self.inlines(block_element(lists[-1].item, "p"), item.inlines)
            elif item.text.strip():
                self.inlines(block_element(parent, "p"), item.inlines)
            return
        number = ORDERED.fullmatch(item.marker) if item.ordered else None
        kind = "ol" if number else "ul" if item.marker in BULLETS else "marked"
        if lists and lists[-1].level == item.level and lists[-1].kind != kind:
            lists.pop()  # another kind of list at the same level: a new list beside it
        if not lists or lists[-1].level < item.level:
            holder = lists[-1].item if lists and lists[-1].item is not None else parent
            marked = {"class": "marked"} if kind == "marked" else {}
            element = block_element(holder, "ol" if kind == "ol" else "ul", marked)
            lists.append(_Open(item.level, kind, element, number=int(number.group(1)) if number else 1))
            if number and lists[-1].number != 1:
                element.set("start", str(lists[-1].number))
        current = lists[-1]
        li = current.item = block_element(current.element, "li")
        if number:
            if int(number.group(1)) != current.number:
                li.set("value", number.group(1))
            current.number = int(number.group(1)) + 1
        elif kind == "marked":
            marker = etree.SubElement(li, "span", {"class": "marker"})
            marker.text = text_of(item.marker)
        self.inlines(li, item.inlines)

    def _table(self, parent: Element, table: Table) -> None:
        if not table.rows:
            return
        element = block_element(parent, "table")
        rows = list(table.rows)
        if table.header:
            head = block_element(block_element(element, "thead"), "tr")
            for cell in rows.pop(0):
                self.inlines(_cell(head, "th"), cell.inlines)
        if rows:
            body = block_element(element, "tbody")
            for row in rows:
                tr = block_element(body, "tr")
                for cell in row:
                    self.inlines(_cell(tr, "td"), cell.inlines)

    def _image(self, parent: Element, image: Image) -> None:
        src = self.image_src(image)
        if src is None:
            if image.text.strip():
                self.inlines(etree.SubElement(block_element(parent, "p", {"class": "image"}), "em"), image.inlines)
            return
        holder = block_element(parent, "div", {"class": "image"})
        link = self.href(image.inlines[0].url) if image.inlines and image.inlines[0].url else None
        if link is not None:  # a badge: the picture is the link
            holder = etree.SubElement(holder, "a", href=link)
        etree.SubElement(holder, "img", src=src, alt=text_of(image.text))


def _paragraph_class(paragraph: Paragraph) -> dict[str, str]:
    names = [paragraph.role] if paragraph.role else []
    if paragraph.level:
        names.append(f"level-{min(paragraph.level, 5)}")
    return {"class": " ".join(names)} if names else {}


def _cell(row: Element, tag: str) -> Element:
    cell = etree.SubElement(row, tag)
    cell.text = ""  # <td></td>, never <td/>, in XHTML too
    return cell


def _span(parent: Element, span: Span) -> None:
    holder = parent
    for style, tag in (("strike", "del"), ("emphasis", "em"), ("strong", "strong"), ("code", "code")):
        if style in span.style:
            holder = etree.SubElement(holder, tag)
    for index, line in enumerate(span.text.split("\n")):
        if index:
            etree.SubElement(holder, "br")
        add_text(holder, line)
