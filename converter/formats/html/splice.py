"""Writing changed text back into a page's source: only the characters that changed are rewritten,
every other character (markup, entities, white space) stays as it was. Shared by the HTML and EPUB
in-place writers.

The text of each slot comes from the processed tree (``changes``: its spans, by identity), or, for text
the tree does not hold (navigation, the title), from ``convert`` (OpenCC), never inside code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from lxml import etree

from ...document import Block, units
from .blocks import project
from .source import MARKUP, Decoded, is_text_slot, local, locate, scan, slot_text, slots

VERBATIM = frozenset({"pre", "code", "kbd", "samp", "tt", "var", "script", "style", "textarea", "svg", "math"})
LANG = re.compile(r"""(\s(?:xml:)?lang\s*=\s*)(["'])(zh\b[^"']*|zh)\2""", re.I)

SHOWN = re.compile(r"""\s(?:alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
Edit = tuple[int, int, str]  # (start, end, replacement) in the source


def slot_changes(original: tuple[Block, ...], processed: tuple[Block, ...]) -> dict[tuple[int, int], tuple[str, str]]:
    """Each text node the tree holds: (its text as read, its text now), by the spans' identity."""
    old: dict[tuple[int, int], str] = {}
    new: dict[tuple[int, int], str] = {}
    for before, after in zip(units(original), units(processed)):
        for span in before.inlines:
            if span.source is not None:
                old[span.source] = old.get(span.source, "") + span.text
        for span in after.inlines:
            if span.source is not None:
                new[span.source] = new.get(span.source, "") + span.text
    return {key: (text, new.get(key, "")) for key, text in old.items()}


def opcodes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The changed ranges (i1, i2, j1, j2) from ``old`` to ``new``; character by character for texts of
    one length (a script conversion).

    >>> opcodes("關於這", "关於这"), opcodes("甲乙", "甲丙丁")
    ([(0, 1, 0, 1), (2, 3, 2, 3)], [(1, 2, 1, 3)])
    """
    if len(old) == len(new):
        return [(i, i + 1, i, i + 1) for i, (a, b) in enumerate(zip(old, new)) if a != b]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2, j1, j2) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def escape(text: str) -> str:
    """
    >>> escape("a<b & c>")
    'a&lt;b &amp; c&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _source_edits(decoded: Decoded, at: int, raw: str, shown: str, new: str) -> list[Edit] | None:
    """The source edits that turn a slot's ``shown`` text (a collapse of ``raw``, found at ``at`` in the
    decoded text) into ``new``; None where a change falls in CDATA (never rewritten)."""
    places = project(raw, shown)
    if not places:
        return None
    out: list[Edit] = []
    for i1, i2, j1, j2 in opcodes(shown, new):
        if i2 > i1:
            first, last = at + places[i1], at + places[i2 - 1]
            start, end = decoded.starts[first], decoded.ends[last]
        else:
            start = decoded.starts[at + places[i1]] if i1 < len(places) else decoded.ends[at + places[-1]]
            end = start
        if start < 0 or end < 0:
            return None
        out.append((start, end, escape(new[j1:j2])))
    return out


def _verbatim(node: etree._Element, tail: bool) -> bool:
    holder = node.getparent() if tail else node
    while holder is not None:
        if local(holder.tag) in VERBATIM:
            return True
        holder = holder.getparent()
    return False


def patch_source(
    text: str,
    root: etree._Element,
    changes: dict[tuple[int, int], tuple[str, str]],
    part: int = 0,
    convert: Callable[[str], str] | None = None,
    language: str = "",
    xml: bool = False,
) -> tuple[str, int, int]:
    """``text`` (a page's source, parsed as ``root``) with its slots' new text written in; the language
    tags retagged to ``language`` (when given). Returns (text, slots written, slots that could not be)."""
    decoded = scan(text, xml)
    numbered = slots(root)
    texts = [slot_text(node, tail) if is_text_slot(node, tail) else "" for node, tail in numbered]
    places = locate(decoded, texts)
    edits: list[Edit] = []
    written = missed = 0
    for number, ((node, tail), raw, at) in enumerate(zip(numbered, texts, places)):
        change = changes.get((part, number))
        if change is None:
            if convert is None or not raw.strip() or _verbatim(node, tail):
                continue
            change = (raw, convert(raw))
        shown, new = change
        if shown == new:
            continue
        found = _source_edits(decoded, at, raw, shown, new) if at >= 0 else None
        if found is None:
            missed += 1
            continue
        written += 1
        edits += found
    if language:
        edits += retag(text, language)
    if convert is not None:
        edits += attributes(text, convert)
    return apply(text, edits), written, missed


def retag(text: str, language: str) -> list[Edit]:
    """Edits setting every Chinese ``lang`` / ``xml:lang`` attribute of the start tags to ``language``.

    >>> retag('<html lang="zh-CN"><p xml:lang=\\'zh\\'>x</p><p lang="en">', "zh-TW")
    [(12, 17, 'zh-TW'), (32, 34, 'zh-TW')]
    """
    out: list[Edit] = []
    for tag in MARKUP.finditer(text):
        token = tag.group(0)
        if not token[1:2].isalpha():
            continue
        for match in LANG.finditer(token):
            if match.group(3) != language:
                out.append((tag.start() + match.start(3), tag.start() + match.end(3), language))
    return out


def attributes(text: str, convert: Callable[[str], str]) -> list[Edit]:
    """Edits converting the text of ``alt`` and ``title`` attributes (an image's description, a tooltip).

    >>> attributes('<img alt="简体" src="简.png">', lambda t: t.replace("简", "簡"))
    [(10, 12, '簡体')]
    """
    out: list[Edit] = []
    for tag in MARKUP.finditer(text):
        token = tag.group(0)
        if not token[1:2].isalpha():
            continue
        for match in SHOWN.finditer(token):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            start = tag.start() + (match.start(1) if match.group(1) is not None else match.start(2))
            new = convert(value)
            if new != value:
                out.append((start, start + len(value), new.replace('"', "&quot;").replace("'", "&#39;")))
    return out


def apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping edits applied (an edit overlapping an earlier one is dropped).

    >>> apply("abcdef", [(4, 5, "E"), (1, 2, "BB"), (3, 3, "-")])
    'aBBc-dEf'
    """
    out: list[str] = []
    at = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < at:
            continue
        out += [text[at:start], replacement]
        at = end
    out.append(text[at:])
    return "".join(out)
