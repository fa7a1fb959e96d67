"""EPUB 3 from any document tree: chapters split at the top heading level in use, XHTML content documents
rendered by the HTML writer's ``Renderer`` (one rendering of the blocks for both), a nav document and an
NCX (for EPUB 2 readers) nested by the headings, the HTML writer's stylesheet, embedded images as items of
the manifest and, with ``--embed-fonts``, the bundled face cut down to the characters used.

The zip holds ``mimetype`` first and stored, then ``META-INF/container.xml`` and ``OEBPS/``. Its identifier
is a UUID derived from the content (the same document gives the same book); ``dcterms:modified`` is taken
from ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds), else the current time.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape

from lxml import etree

from ...anchors import fragment
from ...document import Block, Document, Heading, Html, Image, ListItem, PageBreak, Paragraph, Quote, units
from ...options import Options
from ..html.write import Renderer, heading_ids, image_type, readable, safe_url, stylesheet, text_of, title_of

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
STAMP = (1980, 1, 1, 0, 0, 0)  # zip time stamps: the same document gives the same members
EMBEDDED = "zhdoc embedded"
CORE_IMAGES = ("image/png", "image/jpeg", "image/gif")
CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def render(document: Document, options: Options) -> bytes:
    if document.origin == "epub" and document.package:  # EPUB in, EPUB out: the book patched in place
        from .patch import patch  # type: ignore[import-not-found]

        return patch(document, options)
    return Book(document, options).pack()


@dataclass
class Entry:
    """A line of the table of contents: its label, its target and the entries under it."""

    label: str
    href: str
    children: list[Entry] = field(default_factory=list)


@dataclass
class Chapter:
    name: str  # file name inside OEBPS/
    title: str
    blocks: tuple[Block, ...]
    headings: list[tuple[int, str, str]]  # (level, label, element id) of its top-level headings
    opens: bool = True  # it starts with a heading (not: the part before the first heading)


def split(blocks: tuple[Block, ...]) -> list[tuple[Block, ...]]:
    """The blocks cut before each heading of the top level in use (the highest level of a non-empty heading
    outside quotes); what comes before the first one is a part of its own if it shows anything.

    >>> from converter.document import Html, paragraphs, spans
    >>> chapters = (Heading(spans("甲"), 2), Heading(spans("乙"), 3), Heading(spans("丙"), 2))
    >>> [len(part) for part in split(paragraphs("序") + chapters + paragraphs("丁"))]
    [1, 2, 2]
    >>> [len(part) for part in split((Html("<p>logo</p>"), *paragraphs("")) + chapters)]
    [4, 1]
    """
    top = min((b.level for b in blocks if isinstance(b, Heading) and b.text.strip()), default=0)
    parts: list[list[Block]] = [[]]
    for block in blocks:
        if isinstance(block, Heading) and block.level == top and block.text.strip() and parts[-1]:
            parts.append([])
        parts[-1].append(block)
    if len(parts) > 1 and not any(map(shows, parts[0])):  # no empty first page
        lead = parts.pop(0)
        parts[0][:0] = lead
    return [tuple(part) for part in parts if part]


def shows(block: Block) -> bool:
    """Whether a block shows anything in a chapter (a raw HTML block, an empty paragraph or a page break
    does not)."""
    if isinstance(block, (Html, PageBreak)):
        return False
    if isinstance(block, Image):
        return bool(block.text.strip() or block.data)
    return bool(block.text.strip()) if isinstance(block, (Heading, Paragraph, ListItem)) else True


def chapters(document: Document, ids: list[str]) -> list[Chapter]:
    """The chapters and, for each, its top-level headings with the ids the renderer will give them
    (``ids``: every heading's id in reading order, quoted ones included)."""
    out: list[Chapter] = []
    number = 0  # headings seen so far, in the order the renderer numbers them
    for index, part in enumerate(split(document.blocks) or [()]):
        headings = []
        for block in part:
            if isinstance(block, Heading):
                if block.text.strip():
                    headings.append((block.level, label(block.text), ids[number]))
                number += 1
            elif isinstance(block, Quote):
                number += sum(isinstance(unit, Heading) for unit in units(block.blocks))
        first = next(filter(shows, part), None)
        opens = isinstance(first, Heading)  # with a heading of its own (else: the part before the first)
        title = label(first.text) if isinstance(first, Heading) else title_of(document)
        out.append(Chapter(f"chapter-{index + 1:03d}.xhtml", title, part, headings, opens))
    return out


def label(text: str) -> str:
    """A heading's text on one line, for the contents and a page's title."""
    return " ".join(text_of(text).split())


def nest(flat: list[tuple[int, Entry]]) -> list[Entry]:
    """Entries with their levels as a tree: each goes under the last entry of a higher level.

    >>> tree = nest([(1, Entry("一", "a")), (3, Entry("甲", "b")), (2, Entry("乙", "c")), (1, Entry("二", "d"))])
    >>> [(e.label, [c.label for c in e.children]) for e in tree]
    [('一', ['甲', '乙']), ('二', [])]
    """
    root: list[Entry] = []
    stack: list[tuple[int, list[Entry]]] = [(0, root)]
    for level, entry in flat:
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        stack[-1][1].append(entry)
        stack.append((level, entry.children))
    return root


class Images:
    """Embedded images as manifest items (each distinct image once); others get their alt text."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[str, str, bytes]] = {}  # digest → (file name, media type, data)

    def __call__(self, image: Image) -> str | None:
        known = image_type(image.data) if image.data else None
        if known is None or image.data is None or not readable(image.data):
            return None
        digest = hashlib.sha256(image.data).hexdigest()
        if digest not in self.items:
            data = image.data
            if known[0] not in CORE_IMAGES:  # WebP is no core media type of EPUB 3.2: its readers get a PNG
                try:
                    data, known = _png(data), ("image/png", "png")
                except Exception:  # any failure to decode foreign bytes: the alt text stands in
                    return None
            self.items[digest] = (f"images/image-{len(self.items) + 1:03d}.{known[1]}", known[0], data)
        return self.items[digest][0]


def _png(data: bytes) -> bytes:
    from PIL import Image as Picture

    out = io.BytesIO()
    with Picture.open(io.BytesIO(data)) as picture:
        picture.save(out, "PNG")
    return out.getvalue()


class Book:
    """One document as the members of an EPUB 3."""

    def __init__(self, document: Document, options: Options) -> None:
        self.document = document
        self.options = options
        self.language = document.language
        self.title = title_of(document)
        self.images = Images()
        targets = heading_ids(document.blocks)  # (one pass: heading_anchors is slow on repeated headings)
        ids = [id_ for _, id_ in targets]
        self.chapters = chapters(document, ids)
        where = {id_: chapter.name for chapter in self.chapters for _, _, id_ in chapter.headings}
        self.targets = {anchor: f"{where[id_]}#{id_}" for anchor, id_ in targets if id_ in where}
        self.renderer = Renderer(self.href, self.images, ids)

    def href(self, url: str) -> str | None:
        """In-book links go to their heading's chapter; a link to a file beside the input is dropped (the
        book does not hold it), and so is one to a heading that is not there."""
        if url.startswith("#"):
            anchor = fragment(url)
            return self.targets.get(anchor) if anchor is not None else None
        return safe_url(url, relative=False)

    def pack(self) -> bytes:
        members: dict[str, bytes] = {}
        used: set[str] = set()  # the characters shown, for the font's subset
        for index, chapter in enumerate(self.chapters):
            body = etree.Element("body")
            body.text = "\n"
            if index == 0 and self.document.title.strip():
                heading = etree.SubElement(body, "h1", {"class": "title"})
                heading.text, heading.tail = text_of(self.document.title), "\n"
            self.renderer.blocks(body, chapter.blocks)
            used.update(*body.itertext())
            members[chapter.name] = self.xhtml(chapter.title, etree.tostring(body, encoding="unicode"))
        contents = "目录" if self.language in ("zh-CN", "zh-SG", "zh-Hans") else "目錄"
        font = self.font("".join(used) + self.title + contents)
        members["style.css"] = (font[2] if font else "").encode() + stylesheet(
            self.language, book=True, embedded=EMBEDDED if font else ""
        ).encode("utf-8")
        if font:
            members[font[0]] = font[1]
        for name, _, data in self.images.items.values():
            members[name] = data
        identifier = f"urn:uuid:{_identifier(members, self.title, self.language)}"
        toc = self.toc()
        members["nav.xhtml"] = self.xhtml(contents, _nav(toc, contents))
        members["toc.ncx"] = _ncx(toc, identifier, self.title, self.language)
        members["content.opf"] = self.opf(identifier, font[0] if font else "")
        return _zip(members)

    def toc(self) -> list[Entry]:
        """The contents: every heading outside quotes; a part before the first heading is listed by the
        book's title."""
        top = min((level for chapter in self.chapters for level, _, _ in chapter.headings), default=1)
        flat: list[tuple[int, Entry]] = []
        for chapter in self.chapters:
            if not chapter.opens:
                flat.append((top, Entry(chapter.title, chapter.name)))
            flat += [(level, Entry(text, f"{chapter.name}#{id_}")) for level, text, id_ in chapter.headings]
        return nest(flat)

    def xhtml(self, title: str, body: str) -> bytes:
        language = escape(self.language)
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="{XHTML}" xmlns:epub="{OPS}" xml:lang="{language}" lang="{language}">\n'
            f'<head>\n<meta charset="utf-8"/>\n<title>{escape(title)}</title>\n'
            '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
            f"{body}\n</html>\n"
        ).encode()

    def font(self, text: str) -> tuple[str, bytes, str] | None:
        """With ``--embed-fonts``: the face's subset for ``text`` (file name, bytes, its @font-face rule)."""
        if not self.options.embed_fonts:
            return None
        from ...fonts import bundled_file, face_for
        from ..docx.embed import subset

        face = self.options.font or bundled_file(face_for(self.language))
        data, _ = subset(face, text, self.options.font_index)
        name = "fonts/embedded." + ("otf" if data[:4] == b"OTTO" else "ttf")
        return name, data, f'@font-face {{ font-family: "{EMBEDDED}"; src: url({name}); }}\n'

    def opf(self, identifier: str, font: str) -> bytes:
        root = etree.Element(f"{{{OPF}}}package", nsmap={None: OPF})
        root.set("version", "3.0")
        root.set("unique-identifier", "book-id")
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.language)
        metadata = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})
        _sub(metadata, f"{{{DC}}}identifier", identifier, id="book-id")
        _sub(metadata, f"{{{DC}}}title", self.title)
        _sub(metadata, f"{{{DC}}}language", self.language)
        _sub(metadata, f"{{{OPF}}}meta", modified(), property="dcterms:modified")
        manifest = etree.SubElement(root, f"{{{OPF}}}manifest")
        _sub(manifest, f"{{{OPF}}}item", id="nav", href="nav.xhtml", properties="nav", **{"media-type": XHTML_TYPE})
        _sub(manifest, f"{{{OPF}}}item", id="ncx", href="toc.ncx", **{"media-type": "application/x-dtbncx+xml"})
        _sub(manifest, f"{{{OPF}}}item", id="css", href="style.css", **{"media-type": "text/css"})
        for index, chapter in enumerate(self.chapters):
            _sub(manifest, f"{{{OPF}}}item", id=f"c{index + 1}", href=chapter.name, **{"media-type": XHTML_TYPE})
        for index, (name, media_type, _) in enumerate(self.images.items.values()):
            _sub(manifest, f"{{{OPF}}}item", id=f"img{index + 1}", href=name, **{"media-type": media_type})
        if font:
            font_type = "font/otf" if font.endswith(".otf") else "font/ttf"
            _sub(manifest, f"{{{OPF}}}item", id="font", href=font, **{"media-type": font_type})
        spine = etree.SubElement(root, f"{{{OPF}}}spine", toc="ncx")
        for index in range(len(self.chapters)):
            _sub(spine, f"{{{OPF}}}itemref", idref=f"c{index + 1}")
        return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


XHTML_TYPE = "application/xhtml+xml"


def modified(environ: Mapping[str, str] = os.environ) -> str:
    """``dcterms:modified``: SOURCE_DATE_EPOCH when it is set (and a number), else now, in UTC.

    >>> modified({"SOURCE_DATE_EPOCH": "1700000000"})
    '2023-11-14T22:13:20Z'
    """
    try:
        moment = datetime.fromtimestamp(int(environ.get("SOURCE_DATE_EPOCH", "")), timezone.utc)
    except (ValueError, OverflowError, OSError):
        moment = datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _identifier(members: dict[str, bytes], title: str, language: str) -> uuid.UUID:
    """A UUID from the content: the same book gets the same identifier, another book another."""
    digest = hashlib.sha256(f"{title}\0{language}".encode())
    for name in sorted(members):
        digest.update(name.encode() + b"\0" + hashlib.sha256(members[name]).digest())
    return uuid.uuid5(uuid.NAMESPACE_URL, "zhdoc:" + digest.hexdigest())


def _sub(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    if text:
        element.text = text_of(text)
    return element


def _nav(toc: list[Entry], heading: str) -> str:
    """The body of the nav document: an ``ol`` of links nested as the headings are."""

    def items(entries: list[Entry], parent: etree._Element) -> None:
        ol = etree.SubElement(parent, "ol")
        for entry in entries:
            li = etree.SubElement(ol, "li")
            link = etree.SubElement(li, "a", href=entry.href)
            link.text = entry.label
            if entry.children:
                items(entry.children, li)

    holder = etree.Element("div")
    if toc:
        items(toc, holder)
    lists = "".join(etree.tostring(child, encoding="unicode") for child in holder)
    return f'<body>\n<nav epub:type="toc" id="toc">\n<h1>{escape(heading)}</h1>\n{lists}\n</nav>\n</body>'


def _ncx(toc: list[Entry], identifier: str, title: str, language: str) -> bytes:
    root = etree.Element(f"{{{NCX}}}ncx", nsmap={None: NCX}, version="2005-1")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    head = etree.SubElement(root, f"{{{NCX}}}head")
    depth = _depth(toc)
    meta = (("uid", identifier), ("depth", str(max(depth, 1))), ("totalPageCount", "0"), ("maxPageNumber", "0"))
    for name, content in meta:
        etree.SubElement(head, f"{{{NCX}}}meta", name=f"dtb:{name}", content=content)
    _sub(etree.SubElement(root, f"{{{NCX}}}docTitle"), f"{{{NCX}}}text", title)
    order = 0

    def points(entries: list[Entry], parent: etree._Element) -> None:
        nonlocal order
        for entry in entries:
            order += 1
            point = etree.SubElement(parent, f"{{{NCX}}}navPoint", id=f"np-{order}", playOrder=str(order))
            _sub(etree.SubElement(point, f"{{{NCX}}}navLabel"), f"{{{NCX}}}text", entry.label)
            etree.SubElement(point, f"{{{NCX}}}content", src=entry.href)
            points(entry.children, point)

    points(toc, etree.SubElement(root, f"{{{NCX}}}navMap"))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _depth(entries: list[Entry]) -> int:
    return max((1 + _depth(entry.children) for entry in entries), default=0)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, method in [
            ("mimetype", b"application/epub+zip", zipfile.ZIP_STORED),
            ("META-INF/container.xml", CONTAINER, zipfile.ZIP_DEFLATED),
            *((f"OEBPS/{name}", data, zipfile.ZIP_DEFLATED) for name, data in members.items()),
        ]:
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()
