"""A web page (.html, .htm, .xhtml) → a Document: its main content as headings, paragraphs, lists,
tables, ``pre`` verbatim, links and local images; navigation, menus and footers left out (``content``)
unless the whole page is asked for.

Parsed by lxml's HTML parser (nothing is ever fetched; scripts, styles and templates are not text). Each
span's ``source`` is (0, slot number) of its text node, so the in-place writer (``patch.py``) finds it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from lxml import etree, html

from ...document import Document
from ...errors import InputError
from ...readers.decode import BOMS, CHINESE, SUPERSETS, decode
from ...readers.decode import _chinese as guess_chinese
from ...resources import ImageLoader, ImagePolicy, refused_images
from .blocks import Builder
from .content import MIN_TEXT, is_navigation, main_element
from .source import slots

BINARY = True
OPTIONS = ("whole_page", "images")  # reader options the pipeline passes on
TAG = re.compile(rb"<[^<>]*>")
# Python codecs a page may name that no browser reads a page in: UTF-7 and the escapes decode markup of their own
NOT_WEB = frozenset({"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"})
SNIFF = 4096  # bytes looked at for a declared charset
DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I
)


def sniff(data: bytes, encoding: str = "") -> tuple[str, str]:
    """The page's text and its encoding: forced, from a BOM, from ``<meta charset>`` (or http-equiv, or
    the XML declaration) when it decodes, else detected.

    >>> sniff('<meta charset="gb2312"><p>中文</p>'.encode("gb18030"))[1]
    'gb18030'
    """
    if encoding or any(data.startswith(bom) for bom, _ in BOMS):
        return decode(data, "", encoding or None)
    match = DECLARED.search(data[:SNIFF])
    if match:
        declared = (match.group(1) or match.group(2)).decode("ascii").lower()
        codec = SUPERSETS.get(declared.replace("-", "").replace("_", ""), declared)
        codec = SUPERSETS.get(declared, codec)
        if codec in CHINESE:  # GB18030 decodes almost any bytes: which Chinese encoding is told by reading
            return _chinese(data)
        if not data.isascii() and _is_utf8(data):  # Latin-1, UTF-16… declared over UTF-8 bytes: a wrong label
            return data.decode("utf-8"), "utf-8"
        try:
            if codecs.lookup(codec).name in NOT_WEB:
                raise LookupError(codec)
            return data.decode(codec), codec
        except (LookupError, UnicodeError):  # (punycode and "undefined" raise UnicodeError itself)
            pass  # a wrong declaration: detected instead
    return decode(data, "")


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (non-ASCII UTF-8 is almost never another encoding by chance).

    >>> _is_utf8("中".encode()), _is_utf8("中".encode("big5")), _is_utf8("é".encode("latin-1"))
    (True, False, False)
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _chinese(data: bytes) -> tuple[str, str]:
    """UTF-8 if it decodes, else GB18030 or Big5 by the likelier reading of the page's text, its tags
    taken out (no byte of a GBK or Big5 character is "<" or ">")."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    found = guess_chinese(TAG.sub(b" ", data))
    codec = found[1] if found else ""
    try:
        return (data.decode(codec), codec) if codec else decode(data, "")
    except UnicodeDecodeError:
        return decode(data, "")


def parse_tree(text: str) -> etree._Element:
    """The page's root element (HTML parser; comments kept, so that the text nodes stay as written).
    ``huge_tree``: a text node over 10 MB is read whole (the HTML parser expands no entity of a page's
    own). Where libxml2 still gives up (nested over 2,048 deep) it drops the rest of the page without
    raising: a ``TooDeep`` error then, never a page silently cut short."""
    parser = html.HTMLParser(encoding="utf-8", remove_comments=False, remove_pis=False, no_network=True, huge_tree=True)
    try:
        root = html.document_fromstring(text.lstrip("\ufeff").encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ValueError(str(error)) from None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise TooDeep()
    return root


class TooDeep(ValueError):
    """The page nests elements deeper than libxml2 reads."""


def parse(
    data: bytes,
    source: str = "",
    encoding: str = "",
    title: str | None = None,
    whole_page: bool = False,
    images: ImagePolicy = ImagePolicy(),
) -> Document:
    """A page's bytes → Document; the bytes are kept for the in-place writer. Local images are read as
    ``images`` allows (``converter.resources``: inside the page's folder, bounded, real images only)."""
    try:
        text, used = sniff(data, encoding)
    except InputError as error:
        raise InputError(source, error.problem) from None
    if not text.strip():
        raise InputError(source, "empty file")
    try:
        root = parse_tree(text)
    except TooDeep:
        raise InputError(source, "elements nested too deeply to read") from None
    except ValueError:
        raise InputError(source, "not an HTML page") from None
    base = Path(source).parent if source and not source.startswith("<") else None
    loader = ImageLoader(base, images).load if base and images.load else None
    builder, blocks = build(root, loader, whole_page)
    warnings = tuple(refused_images(reason, names) for reason, names in builder.refused_images.items())
    return Document(
        tuple(blocks), title or "", source, used, warnings=warnings, origin="html", package=data, source_text=text
    )


def build(
    root: etree._Element, images: Callable[[str], bytes | str] | None = None, whole_page: bool = False
) -> tuple[Builder, list]:
    """The builder and the blocks of a page: its main content, or (too little there) the whole page."""
    numbered = slots(root)
    if not whole_page:
        builder = Builder(numbered, 0, is_navigation, images)
        blocks = builder.blocks(main_element(root))
        if sum(len(line) for block in blocks for line in _texts(block)) >= MIN_TEXT:
            return builder, blocks
    builder = Builder(numbered, 0, lambda element: False, images)
    return builder, builder.blocks(main_element(root) if not whole_page else _body(root))


def _body(root: etree._Element) -> etree._Element:
    return next((e for e in root if isinstance(e.tag, str) and e.tag.lower().endswith("body")), root)


def _texts(block) -> list[str]:
    from ...document import block_lines

    return block_lines(block)
