"""HTML or XHTML elements → the document's blocks (shared by the HTML and EPUB readers).

Each span is one text node (a *slot*, see ``source``): ``Span.source`` is (part, slot number), so the
in-place writers find the node again. White space is collapsed as a browser shows it, and a line break
in the source between two Han characters is nothing (CSS Text's rule for Chinese); ``display`` can be
undone by ``project`` for the writers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from lxml import etree

from ...document import Block, Cell, Code, Heading, Image, ListItem, Paragraph, Quote, Rule, Span, Table
from .source import is_text_slot, local, slot_text, walk

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
CONTAINERS = frozenset(
    [
        "html",
        "body",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "form",
        "fieldset",
        "center",
        "hgroup",
        "dl",
        "dd",
        "menu",
        "search",
    ]
)
BLOCKS = CONTAINERS | frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dt",
        "table",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "blockquote",
        "pre",
        "hr",
        "img",
    ]
)
STYLES = {"strong": "strong", "b": "strong", "em": "emphasis", "i": "emphasis", "cite": "emphasis"}
STYLES |= {"code": "code", "kbd": "code", "samp": "code", "tt": "code", "var": "code"}
STYLES |= {"s": "strike", "del": "strike", "strike": "strike"}
WHITE = " \t\n\r\f"
MAX_DEPTH = 100  # nested deeper than this, a block's content is read as one paragraph (no recursion)


def display(spans: list[Span]) -> list[Span]:
    """Spans as shown: white space runs collapsed to one space (to nothing at a line break between two
    Han characters or CJK punctuation, and at either end); line break spans ("\\n") kept.

    >>> [s.text for s in display([Span(" 第一行\\n  "), Span("第二行 and\\n"), Span("more\\n中文  ")])]
    ['第一行', '第二行 and ', 'more 中文']
    """
    texts: list[list[str]] = [[] for _ in spans]  # (lists: += on a str held in a list copies it, n² for a long span)
    pending: tuple[int, bool] | None = None  # (span holding the white space, whether it held a newline)
    last = ""
    for index, span in enumerate(spans):
        if span.text == "\n" and span.source is None:  # <br>
            texts[index], pending, last = ["\n"], None, "\n"
            continue
        for char in span.text:
            if char in WHITE:
                held = pending[1] if pending else False
                pending = (pending[0] if pending else index, held or char in "\n\r")
                continue
            if pending and last and last != "\n":
                texts[pending[0]].append("" if pending[1] and _wide(last) and _wide(char) else " ")
            pending = None
            texts[index].append(char)
            last = char
    joined = ["".join(text) for text in texts]
    return [replace(span, text=text) for span, text in zip(spans, joined) if text]


def _is_cell(element: etree._Element) -> bool:
    """A cell of a row: a td or th, or (a malformed page) any other element with text standing in a row.

    >>> from lxml import html
    >>> row = next(html.fromstring("<table><tr><td></td><div>乙</div><span> </span></tr></table>").iter("tr"))
    >>> [_is_cell(e) for e in row]
    [True, True, False]
    """
    return local(element.tag) in ("td", "th") or bool("".join(element.itertext()).strip())


def _in_row(element: etree._Element) -> bool:
    """A td or th, or another element with text standing in a row."""
    if not isinstance(element.tag, str):
        return False
    parent = element.getparent()
    in_row = parent is not None and local(parent.tag) == "tr"
    return local(element.tag) in ("td", "th") or (in_row and _is_cell(element))


WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


def _wide(char: str) -> bool:
    """A Han character or CJK punctuation: a line break between two of them shows as nothing.

    >>> _wide("中"), _wide("。"), _wide("a")
    (True, True, False)
    """
    return bool(WIDE.match(char))


def project(raw: str, shown: str) -> list[int] | None:
    """For each character of ``shown`` (a slot's text as ``display`` made it), its index in ``raw``;
    None if ``shown`` is not a collapse of ``raw``.

    >>> project("  甲\\n 乙 b", "甲乙 b")
    [2, 5, 6, 7]
    """
    out: list[int] = []
    at = 0
    for char in shown:
        while at < len(raw) and raw[at] != char and not (char == " " and raw[at] in WHITE):
            if raw[at] not in WHITE:
                return None
            at += 1
        if at == len(raw):
            return None
        out.append(at)
        at += 1
    return out


class Builder:
    """Builds blocks from the elements of one part (a page, a chapter); ``skip`` says which elements
    are left out (navigation, unless the whole page is kept)."""

    def __init__(
        self,
        slots: list[tuple[etree._Element, bool]],
        part: int = 0,
        skip: Callable[[etree._Element], bool] = lambda element: False,
        images: Callable[[str], bytes | str] | None = None,
    ) -> None:
        self.number = {slot: index for index, slot in enumerate(slots)}
        self.part = part
        self.skip = skip
        self.images = images  # an image's bytes, or the reason it is not read (None: images are not read)
        self.refused_images: dict[str, list[str]] = {}  # reason → images not read
        self._left_out: dict[etree._Element, bool] = {}

    def left_out(self, element: etree._Element) -> bool:
        """Whether an element is not content (remembered: asked for every text node under it)."""
        found = self._left_out.get(element)
        if found is None:
            found = not isinstance(element.tag, str) or local(element.tag) in DROPPED or self.skip(element)
            self._left_out[element] = found
        return found

    # --- blocks -----------------------------------------------------------------------------------------

    def blocks(self, element: etree._Element, depth: int = 0) -> list[Block]:
        """The blocks of a container's content: its block children, and its loose inline content as
        paragraphs between them."""
        out: list[Block] = []
        pending: list[Span] = []
        if depth > MAX_DEPTH:
            return self._paragraph(self.inlines(element), out)
        pending += self._slot(element, False, frozenset(), "")
        for child in element:
            if isinstance(child.tag, str) and not self.left_out(child) and local(child.tag) in BLOCKS:
                self._paragraph(pending, out)
                pending = []
                out += self.block(child, depth + 1)
            elif isinstance(child.tag, str) and not self.left_out(child):
                pending += self.inlines(child, include_text=True)
            pending += self._slot(child, True, frozenset(), "")
        return self._paragraph(pending, out)

    def block(self, element: etree._Element, depth: int) -> list[Block]:
        name = local(element.tag)
        line = element.sourceline or 0
        if name in HEADINGS:
            inlines = self._shown(self.inlines(element))
            return [Heading(inlines, HEADINGS[name], line)] if inlines else []
        if name in ("p", "dt", "caption", "summary", "figcaption"):
            images = [e for e in element.iter("img", "{*}img") if not self._hidden(e, element)]
            if images and not "".join(element.itertext()).strip():  # a paragraph of images only
                return [self.image(image) for image in images]
            return self._paragraph(self.inlines(element), [])
        if name == "pre":
            return [Code(_verbatim(element), kind="pre", line=line)]
        if name in ("ul", "ol", "menu"):
            return self.list(element, 0, depth)
        if name == "li":
            return self.list_item(element, "•", False, 0, depth)
        if name in ("table", "thead", "tbody", "tfoot", "tr"):
            return self.layout(element, depth) if _is_layout(element) else self.table(element)
        if name == "blockquote":
            inner = tuple(self.blocks(element, depth + 1))
            return [Quote(inner, line)] if inner else []
        if name == "hr":
            return [Rule("---", line)]
        if name == "img":
            return [self.image(element)]
        return self.blocks(element, depth)

    def _paragraph(self, raw: list[Span], out: list[Block]) -> list[Block]:
        inlines = self._shown(raw)
        if inlines:
            out.append(Paragraph(inlines))
        return out

    @staticmethod
    def _shown(raw: list[Span]) -> tuple[Span, ...]:
        shown = display(raw)
        while shown and shown[-1].text == "\n":  # a trailing <br>
            shown.pop()
        while shown and shown[0].text == "\n":
            shown.pop(0)
        return tuple(shown)

    def list(self, element: etree._Element, level: int, depth: int) -> list[Block]:
        ordered = local(element.tag) == "ol"
        out: list[Block] = []
        number = _start(element)
        for child in element:
            if not isinstance(child.tag, str) or self.left_out(child):
                continue
            if local(child.tag) == "li":
                marker = f"{number}." if ordered else "•"
                number += 1
                out += self.list_item(child, marker, ordered, level, depth + 1)
            elif local(child.tag) in ("ul", "ol"):
                out += self.list(child, level + 1, depth + 1)
            else:
                out += self.block(child, depth + 1) if local(child.tag) in BLOCKS else []
        return out

    def list_item(self, element: etree._Element, marker: str, ordered: bool, level: int, depth: int) -> list[Block]:
        """An item: its text (and that of its paragraphs) as list items, nested lists one level deeper,
        other blocks as they are."""
        out: list[Block] = []
        pending = self._slot(element, False, frozenset(), "")
        line = element.sourceline or 0

        def flush() -> None:
            nonlocal pending, marker
            inlines = self._shown(pending)
            if inlines:
                out.append(ListItem(inlines, marker, ordered, level, line))
                marker = ""
            pending = []

        for child in element:
            name = local(child.tag)
            if isinstance(child.tag, str) and not self.left_out(child):
                if name in ("ul", "ol", "menu"):
                    flush()
                    out += self.list(child, level + 1, depth + 1)
                elif name in ("p", "div") and depth < MAX_DEPTH and not _has_blocks(child):
                    flush()
                    pending = self.inlines(child)
                    flush()
                elif name in BLOCKS and depth < MAX_DEPTH:
                    flush()
                    out += self.block(child, depth + 1)
                else:
                    pending += self.inlines(child, include_text=True)
            pending += self._slot(child, True, frozenset(), "")
        flush()
        return out

    def table(self, element: etree._Element) -> list[Block]:
        rows: list[tuple[Cell, ...]] = []
        header = False
        for row in element.iter("{*}tr", "tr"):
            if self._outside(row, element):
                continue
            cells = [c for c in row if isinstance(c.tag, str) and _is_cell(c)]
            if not rows:
                header = bool(cells) and all(local(c.tag) == "th" for c in cells)
            if cells:
                rows.append(tuple(Cell(self._shown(self.inlines(c, blocks_break=True))) for c in cells))
        return [Table(tuple(rows), header, element.sourceline or 0)] if rows else []

    def layout(self, element: etree._Element, depth: int) -> list[Block]:
        """A table used for layout (a note beside its icon): the blocks of each cell in turn."""
        out: list[Block] = []
        for cell in element.iter():
            if _in_row(cell) and not self._outside(cell, element):
                out += self.blocks(cell, depth + 1)
        return out

    def _outside(self, row: etree._Element, table: etree._Element) -> bool:
        """A row of a nested table, or inside an element left out."""
        for ancestor in row.iterancestors():
            if ancestor is table:
                return False
            if self.left_out(ancestor) or local(ancestor.tag) == "table":
                return True
        return True

    def image(self, element: etree._Element) -> Image:
        alt = element.get("alt", "").strip()
        src = element.get("src", "")
        return Image((Span(alt),) if alt else (), src, self._image_data(src), element.sourceline or 0)

    def _image_data(self, src: str) -> bytes | None:
        """The bytes of a local image, as ``images`` gives them (never a remote one: nothing is fetched)."""
        if self.images is None or not src or ":" in src.split("/")[0] or src.startswith("//"):
            return None
        found = self.images(src)
        if isinstance(found, str):
            self.refused_images.setdefault(found, []).append(src)
            return None
        return found

    # --- inline content ---------------------------------------------------------------------------------

    def inlines(self, element: etree._Element, include_text: bool = True, blocks_break: bool = False) -> list[Span]:
        """The spans of an element's content, in order (an iterative walk: styles from the ancestors)."""
        out: list[Span] = []
        for node, tail in walk(element):
            holder = node.getparent() if tail else node
            if not tail and isinstance(node.tag, str):
                name = local(node.tag)
                if name == "br" or (blocks_break and out and name in BLOCKS):
                    out.append(Span("\n"))
            if not include_text and node is element and not tail:
                continue
            if not is_text_slot(node, tail) or (tail and node is element):
                continue
            if self._hidden(holder, element):
                continue
            out += self._slot(node, tail, *self._style(holder, element))
        return out

    def _hidden(self, holder: etree._Element, top: etree._Element) -> bool:
        node: etree._Element | None = holder
        while node is not None:
            if node is not top and self.left_out(node):
                return True
            if node is top:
                return False
            node = node.getparent()
        return False

    @staticmethod
    def _style(holder: etree._Element, top: etree._Element) -> tuple[frozenset[str], str]:
        styles: set[str] = set()
        url = ""
        node: etree._Element | None = holder
        while node is not None:
            name = local(node.tag)
            if name in STYLES:
                styles.add(STYLES[name])
            if name == "a" and not url:
                url = node.get("href", "")
            if node is top:
                break
            node = node.getparent()
        return frozenset(styles), url

    def _slot(self, node: etree._Element, tail: bool, style: frozenset[str], url: str) -> list[Span]:
        text = slot_text(node, tail)
        if not text or not is_text_slot(node, tail):
            return []
        return [Span(text, style, url, (self.part, self.number[(node, tail)]))]


DROPPED = frozenset(
    [
        "head",
        "title",
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "button",
        "select",
        "input",
        "textarea",
        "option",
        "datalist",
        "canvas",
        "audio",
        "video",
        "map",
        "area",
        "link",
        "meta",
        "base",
    ]
)


def _verbatim(element: etree._Element) -> str:
    """A ``pre``'s text as written: one newline right after the tag is not part of it (HTML's rule)."""
    text = "".join(element.itertext())
    return text.removeprefix("\r\n").removeprefix("\n").rstrip("\n")


LAYOUT = frozenset(
    ["p", "div", "img", "pre", "ul", "ol", "dl", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"]
)


def _is_layout(table: etree._Element) -> bool:
    """A table whose cells hold blocks (paragraphs, code, lists, headings, images): not a table of data."""
    return any(isinstance(e.tag, str) and local(e.tag) in LAYOUT for e in table.iterdescendants())


def _has_blocks(element: etree._Element) -> bool:
    return any(isinstance(d.tag, str) and local(d.tag) in BLOCKS for d in element.iterdescendants())


def _start(element: etree._Element) -> int:
    value = element.get("start", "1").strip()
    return int(value) if value.isdigit() and len(value) < 9 else 1
