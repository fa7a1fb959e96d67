"""Opt-in: a space between Han and Latin letters or digits (``4 月``, ``iPhone 手機``)."""

from __future__ import annotations

from .chars import HAN_RE
from .edits import substitute

add_cjk_latin_spaces = substitute(
    rf"(?<={HAN_RE})(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?={HAN_RE})", "cjk-latin-space", lambda m: " "
)
add_cjk_latin_spaces.__doc__ = """Insert a space at each Han–Latin boundary (off by default).

>>> from converter.repair.edits import preview
>>> preview(add_cjk_latin_spaces, "使用iPhone手機,共3個")
'使用 iPhone 手機,共 3 個'
"""
