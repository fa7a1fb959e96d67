"""Where each text node of a parsed page stands in its source, so that a changed text can be written
back into the source characters it came from and every other character stays as it was.

A page is parsed by lxml; its text nodes are *slots*: the ``text`` and the ``tail`` of each node, in
document order (``walk``). The source is cut into markup (tags, comments, declarations, CDATA, the
contents of script and style) and text, whose characters are decoded (entities, CR LF) each with its
source range (``scan``). Each slot's text is then found in the decoded text at a boundary after markup
(``locate``): a changed character is written over the source characters it was read from.
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

# Markup: comments, CDATA, declarations and processing instructions, raw-text elements with their
# contents, tags (attribute values may hold ">").
MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"
    r"|<(script|style|xmp|iframe|noembed|noframes|template)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*(?<!/)>.*?(?:</\1\s*>|\Z)"
    r"|</?[A-Za-z][^\s/>]*(?:[^\"'>]|\"[^\"]*\"|'[^']*')*>",
    re.S | re.I,
)
ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
SPECIAL = re.compile(r"[&\r]")  # the characters that may not stand for themselves
XML_ENTITIES = frozenset({"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
SKIPPED = frozenset({"script", "style", "noscript", "template", "xmp", "iframe", "noembed", "noframes"})
MAX_TRIES = 64  # places a slot's text is tried at before it is left unlocated (a page of one repeated word)


class Decoded(NamedTuple):
    """The text of a source as a parser reads it, with the source range of each character."""

    text: str
    starts: array  # source start of each character
    ends: array  # source end of each character
    boundaries: list[int]  # indexes in ``text`` where a text run begins (after markup), in order


@lru_cache(maxsize=4096)  # (called for every node many times over; a page has few distinct tags)
def local(tag: object) -> str:
    """The local name of an element's tag, lower case ("" for comments and processing instructions).

    >>> local("{http://www.w3.org/1999/xhtml}P"), local("svg")
    ('p', 'svg')
    """
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def walk(root: etree._Element) -> Iterator[tuple[etree._Element, bool]]:
    """Every slot of ``root`` in document order: (node, False) for its text, (node, True) for its tail.
    The tails of ``root`` itself are not in it. Iterative: a page may be nested deep."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node is not root:
                yield node, True
            continue
        if isinstance(node.tag, str):
            yield node, False
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))


def slots(root: etree._Element) -> list[tuple[etree._Element, bool]]:
    """The slots of ``root``, numbered by their place in this list (a span's identity)."""
    return list(walk(root))


def slot_text(node: etree._Element, tail: bool) -> str:
    return (node.tail if tail else node.text) or ""


def is_text_slot(node: etree._Element, tail: bool) -> bool:
    """Whether a slot holds page text: not a comment's or a processing instruction's content, nor
    what script, style and the like hold."""
    if not tail and not isinstance(node.tag, str):
        return False
    holder = node.getparent() if tail else node
    return holder is None or local(holder.tag) not in SKIPPED


def scan(source: str, xml: bool = False) -> Decoded:
    """The decoded text runs of ``source`` and where each character came from. In XML a named entity
    other than the five predefined is a node of its own (the parser does not resolve it): markup here.

    >>> d = scan("<p>a&amp;b</p>\\r\\n<!-- c -->d")
    >>> d.text, list(d.starts[1:3]), d.ends[1], sorted(d.boundaries)
    ('a&b\\nd', [4, 9], 9, [0, 3, 4])
    >>> scan('<script src="a"/>甲<style>p{}</style>乙').text
    '甲乙'
    >>> scan("a&nbsp;b&#20013;", xml=True).text, scan("a&nbsp;b").text
    ('ab中', 'a\\xa0b')
    """
    text: list[str] = []  # runs of characters
    starts: array = array("q")  # (arrays: a page's every character has two, 16 bytes, not 2 int objects)
    ends: array = array("q")
    boundaries: set[int] = set()
    at = 0
    for match in MARKUP.finditer(source):
        if match.start() > at:
            boundaries.add(len(starts))
            _decode_run(source, at, match.start(), text, starts, ends, xml, boundaries)
        at = match.end()
        if match.group(0).startswith("<![CDATA["):  # CDATA is text to a parser: found, never written
            boundaries.add(len(starts))
            body = match.group(0)[9:].removesuffix("]]>")
            text.extend(body)
            starts.extend([-1] * len(body))
            ends.extend([-1] * len(body))
    if at < len(source):
        boundaries.add(len(starts))
        _decode_run(source, at, len(source), text, starts, ends, xml, boundaries)
    return Decoded("".join(text), starts, ends, sorted(boundaries))


def _decode_run(
    source: str, start: int, end: int, text: list[str], starts: array, ends: array, xml: bool, boundaries: set
) -> None:
    at = start
    while at < end:
        plain = SPECIAL.search(source, at, end)
        stop = plain.start() if plain else end
        if stop > at:  # a run of characters that stand for themselves, taken whole
            text.append(source[at:stop])
            starts.extend(range(at, stop))
            ends.extend(range(at + 1, stop + 1))
            at = stop
            continue
        char = source[at]
        if char == "&":
            match = ENTITY.match(source, at, end)
            if match and xml and match.group(0)[1] != "#" and match.group(0) not in XML_ENTITIES:
                boundaries.add(len(starts) + 1)  # (text after an entity node is that node's tail)
                at = match.end()
                continue
            if match:
                value = html.unescape(match.group(0))
                if value != match.group(0):
                    for piece in value:
                        text.append(piece)
                        starts.append(at)
                        ends.append(match.end())
                    at = match.end()
                    continue
        step = 2 if char == "\r" and source.startswith("\n", at + 1) else 1
        text.append("\n" if char == "\r" else char)
        starts.append(at)
        ends.append(at + step)
        at += step


def locate(decoded: Decoded, texts: list[str]) -> list[int]:
    """Where each slot text starts in the decoded text (-1: not found), searched in order, each at a
    boundary after the previous one's end.

    >>> locate(scan("<p>甲</p><p>乙甲</p>"), ["甲", "乙甲", "丙"])
    [0, 1, -1]
    """
    found: list[int] = []
    at = 0
    for text in texts:
        place = _place(decoded, text, at) if text else -1
        found.append(place)
        if place >= 0:
            at = place + len(text)
    return found


def _place(decoded: Decoded, text: str, at: int) -> int:
    """The first boundary at or after ``at`` where ``text`` stands; a text of white space only is tried
    at the next boundary alone (white space between tags is often dropped by the parser)."""
    index = bisect_left(decoded.boundaries, at)
    if not text.strip():
        if index < len(decoded.boundaries) and decoded.text.startswith(text, decoded.boundaries[index]):
            return decoded.boundaries[index]
        return -1
    start = decoded.text.find(text, at)
    for _ in range(MAX_TRIES):
        if start < 0:
            return -1
        index = bisect_left(decoded.boundaries, start)
        if index < len(decoded.boundaries) and decoded.boundaries[index] == start:
            return start
        start = decoded.text.find(text, start + 1)
    return -1
