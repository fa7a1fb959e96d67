"""Writers, found by format name. Each module imports its heavy library only when it is used.

A writer module has ``render(document, options) -> bytes``; saving is the caller's job, so every
output is written atomically the same way.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ..errors import OptionsError

WRITERS = {
    "txt": "converter.writers.txt",
    "docx": "converter.writers.docx",
    "pdf": "converter.writers.pdf",
    "md": "converter.writers.md",
}


def get_writer(fmt: str) -> ModuleType:
    """The writer module for ``fmt`` (txt, docx, pdf)."""
    try:
        return import_module(WRITERS[fmt])
    except KeyError:
        raise OptionsError(
            "unknown format {fmt!r}: choose from {choices}", fmt=fmt, choices=", ".join(WRITERS)
        ) from None
