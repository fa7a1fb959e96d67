"""Markdown → a Document, with markdown-it-py (CommonMark, GFM tables and strikethrough, front matter).

Every text span of prose carries ``source``: its (start, end) in the source text, so that the Markdown
writer can put the repaired, converted prose back in place and leave every other byte as it was.
Front matter is not body text: it stays in ``source_text`` only, and is never converted.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ...document import (
    Block,
    Cell,
    Code,
    Document,
    Heading,
    Html,
    Image,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    units,
)
from ...errors import InputError
from ...resources import ImageLoader, ImagePolicy
from .inline import Inline, Notes, join
from .source import Locator

REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


MAX_NESTING = 200  # markdown-it's own (20 in CommonMark mode) silently dropped the text of quotes nested deeper


@cache  # one per process: parsing keeps its state apart from the parser's rules
def parser() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough; escapes and entities stay tokens of their own."""
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    return md.enable(["table", "strikethrough"]).use(front_matter_plugin).disable("text_join")


def _inline_images(children: list[Token]) -> list[tuple[Token, str]] | None:
    """The images of a paragraph made of images only (badges, screenshots), each with the URL of the link
    around it ("" if none); None for any other paragraph."""
    images = []
    link = ""
    for token in children:
        if token.type == "image":
            images.append((token, link))
        elif token.type == "link_open":
            link = str(token.attrs.get("href", ""))
        elif token.type == "link_close":
            link = ""
        elif token.type not in ("softbreak", "hardbreak", "text") or token.content.strip():
            return None
    return images or None


class Builder:
    """Walks markdown-it's block tokens and builds the document tree."""

    def __init__(self, text: str, base: Path | None, images: ImagePolicy) -> None:
        self.locator = Locator(text)
        self.notes = Notes()
        self.images = ImageLoader(base, images) if base and images.load else None

    def blocks(self, tokens: list[Token]) -> tuple[Block, ...]:
        out: list[Block] = []
        index = 0
        while index < len(tokens):
            index = self.block(tokens, index, out, lists=[])
        return tuple(out)

    def inlines(self, token: Token) -> tuple[Span, ...]:
        """A block's inline content as spans; an image among text stands as its alt text."""
        self.locator.enter(token.map)
        for child in token.children or []:
            if child.type == "image" and REMOTE.match(src := str(child.attrs.get("src", ""))):
                self.notes.remote_images.append(src)  # (a local one is not read: only its alt text is shown)
        return join(Inline(self.locator, self.notes).spans(token.children or []))

    def block(self, tokens: list[Token], index: int, out: list[Block], lists: list[dict]) -> int:
        """Read the block at ``index`` into ``out``; return the index after it."""
        token = tokens[index]
        line = token.map[0] + 1 if token.map else 0
        kind = token.type
        if kind not in ("paragraph_open", "list_item_open"):
            self._open_item(out, lists)
        if kind == "heading_open":
            out.append(Heading(self.inlines(tokens[index + 1]), int(token.tag[1]), line))
            return index + 3
        if kind == "paragraph_open":
            self.paragraph(tokens[index + 1], line, out, lists)
            return index + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1)) if kind == "ordered_list_open" else 0
            lists.append({"ordered": kind == "ordered_list_open", "number": start, "marker": None})
            index += 1
            while tokens[index].type not in ("bullet_list_close", "ordered_list_close"):
                index = self.block(tokens, index, out, lists)
            lists.pop()
            return index + 1
        if kind == "list_item_open":
            current = lists[-1]
            if current["ordered"]:
                current["marker"] = f"{current['number']}{token.markup}"  # numbered as shown: start, start+1…
                current["number"] += 1
            else:
                current["marker"] = "•"
            current["line"] = line
            index += 1
            while tokens[index].type != "list_item_close":
                index = self.block(tokens, index, out, lists)
            self._open_item(out, lists)
            return index + 1
        if kind == "blockquote_open":
            inner: list[Block] = []
            index += 1
            while tokens[index].type != "blockquote_close":
                index = self.block(tokens, index, inner, lists=[])
            out.append(Quote(tuple(inner), line))
            return index + 1
        if kind == "table_open":
            return self.table(tokens, index, out)
        if kind in ("fence", "code_block"):
            language = token.info.split()[0] if token.info.strip() else ""
            out.append(Code(token.content.removesuffix("\n"), language, "code", line))
        elif kind == "hr":
            out.append(Rule("---", line))
        elif kind == "html_block":
            out.append(Html(token.content.removesuffix("\n"), line))
            if not re.fullmatch(r"\s*(<!--.*?-->\s*)*", token.content, re.S):
                self.notes.html_blocks += 1
        return index + 1

    def _open_item(self, out: list[Block], lists: list[dict], inlines: tuple[Span, ...] = ()) -> bool:
        """Emit the list item whose marker is still pending (with ``inlines``); False if none was."""
        if not lists or lists[-1]["marker"] is None:
            return False
        current = lists[-1]
        out.append(ListItem(inlines, current["marker"], current["ordered"], len(lists) - 1, current["line"]))
        current["marker"] = None
        return True

    def paragraph(self, token: Token, line: int, out: list[Block], lists: list[dict]) -> None:
        images = _inline_images(token.children or [])
        if images and not (lists and lists[-1]["marker"] is not None):
            self.locator.enter(token.map)
            for image, link in images:
                out.append(self.image(image, line, link))
            return
        inlines = self.inlines(token)
        if self._open_item(out, lists, inlines):
            return
        if lists and inlines:
            out.append(ListItem(inlines, "", lists[-1]["ordered"], len(lists) - 1, line))
        elif inlines:  # (no inlines: nothing but HTML left out, such as a logo in <a><img></a>)
            out.append(Paragraph(inlines, line))

    def image(self, token: Token, line: int, link: str = "") -> Image:
        """An image block; its alt text carries the URL of a link around the image (a badge's)."""
        inline = Inline(self.locator, self.notes)
        inline.urls = [link] if link else []
        alt = join(list(inline.token(token)))
        src = str(token.attrs.get("src", ""))
        return Image(alt, src, self._image_data(src), line)

    def _image_data(self, src: str) -> bytes | None:
        """The bytes of a local image within the boundary (``converter.resources``); None, noted, for any other."""
        if REMOTE.match(src):
            self.notes.remote_images.append(src)
            return None
        if self.images is None:
            return None
        data = self.images.load(src)
        if isinstance(data, str):
            self.notes.refused_images.setdefault(data, []).append(src)
            return None
        return data

    def table(self, tokens: list[Token], index: int, out: list[Block]) -> int:
        line = tokens[index].map[0] + 1 if tokens[index].map else 0
        rows: list[tuple[Cell, ...]] = []
        cells: list[Cell] = []
        header = False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                header = True
            elif token.type == "tr_open":
                cells = []
            elif token.type == "inline":
                cells.append(Cell(self.inlines(token)))
            elif token.type == "tr_close":
                rows.append(tuple(cells))
            index += 1
        out.append(Table(tuple(rows), header, line))
        return index + 1


def parse(
    text: str,
    source: str = "",
    encoding: str = "utf-8",
    title: str | None = None,
    load_images: bool = True,
    images: ImagePolicy | None = None,
) -> Document:
    """Markdown text → Document; no repair yet. ``title`` (if given) is the document's title; the body
    keeps its first heading either way. Local images are read as ``images`` allows (by default: from the
    document's own folder; none with ``load_images`` off).

    >>> doc = parse("# 標題\\n\\n第一行\\n第二行 **粗** [連結](http://a.cn)\\n")
    >>> [type(b).__name__ for b in doc.blocks], doc.blocks[1].text
    (['Heading', 'Paragraph'], '第一行第二行 粗 連結')
    >>> [(s.text, s.source) for s in doc.blocks[1].inlines][:2]
    [('第一行', (6, 9)), ('第二行 ', (10, 14))]
    """
    base = Path(source).parent if source and not source.startswith("<") else None
    builder = Builder(text, base, images if load_images and images else ImagePolicy(load_images))
    tokens = parser().parse(text)
    if any(token.level >= MAX_NESTING - 1 for token in tokens):  # markdown-it stopped there: text would be lost
        raise InputError(source, "elements nested too deeply to read")
    blocks = builder.blocks(tokens)
    return Document(
        blocks,
        title or "",
        source,
        encoding,
        warnings=builder.notes.warnings(),
        origin="markdown",
        source_text=text,
    )


def anchors(text: str) -> list[tuple[int, int]]:
    """The source range of every anchored text span of a Markdown text, in order."""
    document = parse(text, load_images=False)
    return sorted(span.source for unit in units(document.blocks) for span in unit.inlines if span.source)
