"""Writers, found by format name. Each module imports its heavy library only when it is used.

A writer module has ``render(document, options) -> bytes``; saving is the caller's job, so every
output is written atomically the same way.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ..document import Image
from ..errors import OptionsError
from ..i18n import Text

WRITERS = {
    "txt": "converter.formats.text.write",
    "docx": "converter.formats.docx.write",
    "pdf": "converter.formats.pdf.write",
    "md": "converter.formats.markdown.write",
    "html": "converter.formats.html.write",
    "epub": "converter.formats.epub.write",
}


def get_writer(fmt: str) -> ModuleType:
    """The writer module for ``fmt`` (txt, docx, pdf)."""
    try:
        return import_module(WRITERS[fmt])
    except KeyError:
        raise OptionsError(
            "unknown format {fmt!r}: choose from {choices}", fmt=fmt, choices=", ".join(WRITERS)
        ) from None


def unreadable_image(image: Image) -> Text:
    """The warning for an image whose data a writer cannot read (its alt text stands in)."""
    src = image.src or "(embedded)"
    if image.line:
        return Text("image {src} (line {line}) cannot be read: its alt text stands in", line=image.line, src=src)
    return Text("image {src} cannot be read: its alt text stands in", src=src)
