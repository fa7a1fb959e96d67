"""An EPUB → a Document: every content document of the spine, in reading order, read as the HTML
reader reads a page (``formats.html.blocks``), but parsed as XML. Each span's ``source`` is (chapter,
slot): the chapter's place among the spine's content documents, the text node's in the chapter; the
in-place writer (``patch.py``) finds every text node again. Images come from the book itself.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote

from lxml import etree

from ...document import Block, Document
from ...errors import InputError
from ...i18n import Plural, Text
from ...resources import MISSING, ImagePolicy, image_problem
from ..html.blocks import Builder
from ..html.source import local, slots
from .package import Package, metadata, open_package

BINARY = True
OPTIONS = ("images",)  # reader options the pipeline passes on


def body(root: etree._Element) -> etree._Element:
    return next((e for e in root if isinstance(e.tag, str) and local(e.tag) == "body"), root)


def chapter_blocks(package: Package, index: int, root: etree._Element, load_images: bool = True) -> list[Block]:
    """The blocks of one content document (its body; nothing left out as navigation)."""
    builder = Builder(slots(root), index, images=_images(package, package.spine[index]) if load_images else None)
    return builder.blocks(body(root))


def chapters(package: Package) -> list[etree._Element]:
    return [package.xml(name) for name in package.spine]


def _images(package: Package, chapter: str) -> Callable[[str], bytes | str]:
    """The book's own images (inside the archive, within its caps), kept only if they decode as images."""

    def load(src: str) -> bytes | str:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(chapter), unquote(src.split("#")[0])))
        try:
            data = package.read(path)
        except InputError:  # a missing, oversized or damaged image: its alt text stands in
            return MISSING
        return image_problem(data) or data

    return load


def parse(
    data: bytes, source: str = "", encoding: str = "", title: str | None = None, images: ImagePolicy = ImagePolicy()
) -> Document:
    """An EPUB's bytes → Document; the bytes are kept for the in-place writer. The book's images are read
    only when ``images`` says an output embeds them."""
    package = open_package(data, source)
    blocks: list[Block] = []
    for index, root in enumerate(chapters(package)):
        blocks += chapter_blocks(package, index, root, images.load)
    book_title = title if title is not None else next(iter(metadata(package, "title")), "")
    warnings = (missing_parts(package.missing),) if package.missing else ()
    return Document(tuple(blocks), book_title, source, "utf-8", origin="epub", package=data, warnings=warnings)


def missing_parts(names: list[str]) -> Text:
    """The warning for the spine's entries that name no part of the book (their chapters are left out)."""
    return Plural(
        "{count} chapter of the spine is missing from the book, left out: {names}",
        "{count} chapters of the spine are missing from the book, left out: {names}",
        count=len(names),
        names=", ".join(names[:3]),
    )
