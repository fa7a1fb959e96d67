"""Opt-in: a space between Han and Latin letters or digits (``4 月``, ``iPhone 手機``)."""

from __future__ import annotations

from ..lazy_regex import lazy_compile
from .chars import HAN_RE
from .edits import Edit, edits_for

_BOUNDARY = lazy_compile(rf"(?<={HAN_RE})(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?={HAN_RE})")


def add_cjk_latin_spaces(text: str) -> list[Edit]:
    """Insert a space at each Han–Latin boundary (off by default).

    >>> from converter.repair.edits import preview
    >>> preview(add_cjk_latin_spaces, "使用iPhone手機,共3個")
    '使用 iPhone 手機,共 3 個'
    """
    return edits_for(_BOUNDARY, text, "cjk-latin-space", " ")
