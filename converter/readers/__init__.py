"""Readers, found by file suffix: plain text (the default), Markdown and Word. Each builds a Document.

A reader module has ``parse(content, source, encoding, title) -> Document``; ``content`` is the decoded
text, or the file's bytes for a reader with ``BINARY = True``. Reading the bytes and decoding them is
done here, once, for every reader.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

from ..document import Document, Fix
from ..errors import InputError, OptionsError
from ..repair.edits import apply
from ..repair.junk import remove_terminal_junk
from ..resources import ImagePolicy
from .decode import decode, read_bytes

READERS = {
    "text": "converter.formats.text.read",
    "markdown": "converter.formats.markdown.read",
    "docx": "converter.formats.docx.read",
    "html": "converter.formats.html.read",
    "epub": "converter.formats.epub.read",
}
# Anything else is read as text; a Word 97 .doc goes to the Word reader, which says to convert it first.
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".docx": "docx", ".doc": "docx"}
SUFFIXES |= {".html": "html", ".htm": "html", ".xhtml": "html", ".epub": "epub"}


def format_of(name: str | Path) -> str:
    """The reader for a file name: ``markdown``, ``docx`` or ``text``.

    >>> format_of("說明.md"), format_of("a.DOCX"), format_of("notes.txt")
    ('markdown', 'docx', 'text')
    """
    return SUFFIXES.get(Path(name).suffix.lower(), "text")


def get_reader(fmt: str) -> ModuleType:
    try:
        return import_module(READERS[fmt])
    except KeyError:
        raise OptionsError(
            "unknown input format {fmt!r}: choose from {choices}", fmt=fmt, choices=", ".join(READERS)
        ) from None


def read_text(
    text: str,
    source: str = "",
    encoding: str = "utf-8",
    title: str | None = None,
    fmt: str = "text",
    repair: bool = True,
    images: ImagePolicy | None = None,
) -> Document:
    """A decoded text → Document; no repair yet but the terminal junk's removal (not with ``repair`` off:
    then the text is read as it is). ``images``: which local images a Markdown reader may read (by
    default those in the document's own folder)."""
    readable, removed = without_terminal_junk(text) if repair else (text, ())
    extra = {"images": images} if images is not None and fmt == "markdown" else {}
    return get_reader(fmt).parse(readable, source, encoding, title, **extra).evolve(source_fixes=removed)


def without_terminal_junk(text: str) -> tuple[str, tuple[Fix, ...]]:
    """Escape sequences, overstrike and control characters go before the layout is read: they would
    hide headings and tables. Each removal is a fix positioned in the decoded source."""
    edits = remove_terminal_junk(text)
    fixes = tuple(Fix(e.kind, e.start, e.end, text[e.start : e.end], "") for e in edits)
    return (apply(text, edits), fixes) if edits else (text, ())


def read_source(
    source: str | Path | bytes,
    encoding: str | None = None,
    title: str | None = None,
    fmt: str | None = None,
    repair: bool = True,
    images: ImagePolicy | None = None,
    whole_page: bool = False,
) -> tuple[str, Document]:
    """The text as read and its Document, from a file or from raw bytes (standard input, read as ``fmt``).
    ``whole_page``: a web page's navigation too (for the readers whose OPTIONS name it)."""
    name = "<stdin>" if isinstance(source, bytes) else str(source)
    data = source if isinstance(source, bytes) else read_bytes(Path(source))
    fmt = fmt or ("text" if isinstance(source, bytes) else format_of(source))
    reader = get_reader(fmt)
    if getattr(reader, "BINARY", False):
        given = {"whole_page": whole_page, "images": images}
        extra = {name: given[name] for name in getattr(reader, "OPTIONS", ()) if given[name] is not None}
        document = reader.parse(data, name, encoding or "", title, **extra)
        return document.text, document
    text, used = decode(data, name, encoding)
    if not text.strip():
        raise InputError(name, "empty file")
    return text, read_text(text, name, used, title, fmt, repair, images)


def read(
    path: str | Path,
    encoding: str | None = None,
    title: str | None = None,
    repair: bool = True,
    images: ImagePolicy | None = None,
    whole_page: bool = False,
) -> Document:
    """Read a file into a Document. Raises ``InputError`` with a one-line message."""
    return read_source(Path(path), encoding, title, repair=repair, images=images, whole_page=whole_page)[1]


__all__ = ["decode", "format_of", "get_reader", "read", "read_source", "read_text"]
