"""In-page links (``[安装](#安装)``): each heading's anchor as GitHub makes it, and links kept pointing at
their heading when the repair or the script conversion changes the heading's text (``#安装`` → ``#安裝``).
The writers turn the anchors into DOCX bookmarks and PDF destinations."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from urllib.parse import quote, unquote

from .document import Block, Document, Heading, Span, TextUnit, map_units, units


def slug(text: str) -> str:
    """GitHub's anchor for a heading's text: lower case; letters, marks, numbers, ``_``, ``-`` and spaces
    kept, everything else (punctuation, symbols, other spaces) dropped; spaces become ``-``.

    >>> slug("安装 Install (Linux)"), slug("第 1 章：概述"), slug("C++ 與 Node.js　指南")
    ('安装-install-linux', '第-1-章概述', 'c-與-nodejs指南')
    """
    kept = (char for char in text.lower() if char in " -" or unicodedata.category(char)[0] in "LMN" or char == "_")
    return "".join(kept).replace(" ", "-")


def heading_anchors(blocks: tuple[Block, ...]) -> list[str]:
    """The anchor of every heading in reading order; a repeated one gets ``-1``, ``-2``… as on GitHub.

    >>> from converter.document import spans
    >>> heading_anchors((Heading(spans("安装")), Heading(spans("用法")), Heading(spans("安装"))))
    ['安装', '用法', '安装-1']
    """
    seen: set[str] = set()
    out = []
    for unit in units(blocks):
        if isinstance(unit, Heading):
            base = anchor = slug(unit.text)
            count = 0
            while anchor in seen:
                count += 1
                anchor = f"{base}-{count}"
            seen.add(anchor)
            out.append(anchor)
    return out


GITHUB_PREFIX = "user-content-"  # GitHub's ids for a README's anchors: links may name it


def fragment(url: str) -> str | None:
    """The heading anchor an in-page link asks for (percent-escapes decoded, lower case), else None.

    >>> fragment("#%E5%AE%89%E8%A3%85"), fragment("#user-content-Usage"), fragment("https://a.cn/#b")
    ('安装', 'usage', None)
    """
    if not url.startswith("#") or len(url) == 1:
        return None
    wanted = unquote(url[1:]).lower()
    return wanted.removeprefix(GITHUB_PREFIX) or wanted


def target(written: str, anchor: str) -> str:
    """``anchor`` written as the link ``written`` was (without its ``#``): percent-escaped or not, with
    GitHub's prefix or not.

    >>> target("user-content-%E5%AE%89%E8%A3%85", "安裝"), target("安装", "安裝")
    ('user-content-%E5%AE%89%E8%A3%9D', '安裝')
    """
    prefix = GITHUB_PREFIX if written.lower().startswith(GITHUB_PREFIX) else ""
    return prefix + (quote(anchor) if written != unquote(written) else anchor)


def moved_anchors(before: tuple[Block, ...], after: tuple[Block, ...]) -> dict[str, str]:
    """Anchor as read → anchor now, for the headings whose anchor the repair or the conversion changed."""
    old, new = heading_anchors(before), heading_anchors(after)
    if len(old) != len(new):  # not the same headings: nothing can be matched safely
        return {}
    return {o: n for o, n in zip(old, new) if o != n}


def relink(before: Document, after: Document) -> Document:
    """``after`` with every in-page link to a heading of ``before`` pointing at that heading's anchor now
    (written the way the link wrote it: percent-escaped or not)."""
    if not any(span.url.startswith("#") for unit in units(after.blocks) for span in unit.inlines):
        return after
    moved = moved_anchors(before.blocks, after.blocks)
    if not moved:
        return after

    def relinked(span: Span) -> Span:
        now = moved.get(fragment(span.url) or "")
        return span if now is None else replace(span, url="#" + target(span.url[1:], now))

    def change(unit: TextUnit) -> TextUnit:
        if not any(span.url.startswith("#") for span in unit.inlines):
            return unit
        return replace(unit, inlines=tuple(relinked(span) for span in unit.inlines))

    return after.evolve(blocks=map_units(after.blocks, change))
