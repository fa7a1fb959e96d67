"""Markdown → a Document, with markdown-it-py (CommonMark, GFM tables and strikethrough, front matter).

Every text span of prose carries ``source``: its (start, end) in the source text, so that the Markdown
writer can put the repaired, converted prose back in place and leave every other byte as it was.
Front matter is not body text: it stays in ``source_text`` only, and is never converted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ..document import (
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
from .md_source import Locator

STYLE_TAGS = {"strong": "strong", "em": "emphasis", "s": "strike"}  # markdown-it token prefix → span style
HTML_STYLES = {
    "b": "strong",
    "strong": "strong",
    "i": "emphasis",
    "em": "emphasis",
    "code": "code",
    "kbd": "code",
    "tt": "code",
    "s": "strike",
    "del": "strike",
    "strike": "strike",
}
HTML_PLAIN = {"sup", "sub", "u", "ins", "mark", "small", "big", "abbr", "span", "font", "nobr", "ruby"}
HTML_HIDDEN = {"rt", "rp"}  # ruby annotations: shown above the text in a browser, not part of the prose
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*?)/?>", re.S)
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
BARE_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"'\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")
LATIN_END = re.compile(r"[A-Za-z0-9,.;:!?)\]'\"]$")
LATIN_START = re.compile(r"^[A-Za-z0-9(\['\"]")


def parser() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough; escapes and entities stay tokens of their own."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin).disable("text_join")


def soft_break(left: str, right: str) -> str:
    """What a soft line break becomes between two texts: nothing between Han, a space between Latin words.

    >>> soft_break("第一行", "第二行"), soft_break("wrapped", "line"), soft_break("中文", "English")
    ('', ' ', '')
    """
    return " " if LATIN_END.search(left) and LATIN_START.search(right) else ""


@dataclass
class Notes:
    """What the reader could not carry over, gathered into one warning each."""

    remote_images: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)
    html_blocks: int = 0
    html_tags: dict[str, int] = field(default_factory=dict)

    def warnings(self) -> tuple[str, ...]:
        out = []
        if self.remote_images:
            out.append(
                f"{len(self.remote_images)} remote image(s) not fetched, their alt text stands in"
                f" (first: {self.remote_images[0]})"
            )
        if self.missing_images:
            out.append(f"{len(self.missing_images)} local image(s) not embedded: {', '.join(self.missing_images[:3])}")
        if self.html_blocks:
            out.append(f"{self.html_blocks} raw HTML block(s) kept in Markdown output only, left out of TXT/DOCX/PDF")
        if self.html_tags:
            tags = ", ".join(f"<{tag}>" for tag in sorted(self.html_tags))
            out.append(f"{sum(self.html_tags.values())} inline HTML tag(s) left out of the text: {tags}")
        return tuple(out)


class Inline:
    """Turns the children of one inline token into spans (with source anchors) and images."""

    def __init__(self, locator: Locator, notes: Notes) -> None:
        self.locator = locator
        self.notes = notes
        self.styles: dict[str, int] = {}
        self.urls: list[str] = []
        self.hidden = 0

    def spans(self, tokens: list[Token]) -> list[Span | None]:
        """Spans in order; ``None`` marks a soft break (resolved by ``join``)."""
        out: list[Span | None] = []
        opened: list[int] = []
        for token in tokens:
            if token.type == "link_open":
                opened.append(len(out))
            if token.type == "link_close" and opened and self.locator.at_label():
                out[opened[-1] :] = unanchored(out[opened[-1] :])
            if token.type == "link_close" and opened:
                opened.pop()
            out.extend(self.token(token))
        return out

    def span(self, text: str, source: tuple[int, int] | None = None, extra: frozenset[str] = frozenset()) -> Span:
        style = frozenset(name for name, depth in self.styles.items() if depth > 0) | extra
        return Span(text, style, self.urls[-1] if self.urls else "", source)

    def token(self, token: Token) -> Iterator[Span | None]:
        kind, locator = token.type, self.locator
        if kind == "text":
            yield from self.text(token.content)
        elif kind == "text_special":
            locator.skip(token.markup)
            yield self.span(token.content)
        elif kind == "softbreak":
            yield None
        elif kind == "hardbreak":
            yield Span("\n")
        elif kind == "code_inline":
            locator.skip_code(token.markup)
            yield self.span(token.content, extra=frozenset({"code"}))
        elif kind.endswith("_open") and kind[: -len("_open")] in STYLE_TAGS:
            self._style(STYLE_TAGS[kind[: -len("_open")]], 1)
        elif kind.endswith("_close") and kind[: -len("_close")] in STYLE_TAGS:
            self._style(STYLE_TAGS[kind[: -len("_close")]], -1)
        elif kind == "link_open":
            self.urls.append(str(token.attrs.get("href", "")))
            if token.markup == "autolink":
                self.styles["autolink"] = 1
        elif kind == "link_close":
            if self.urls:
                self.urls.pop()
            if token.markup == "autolink":
                self.styles["autolink"] = 0
                locator.skip(">")
            else:
                locator.skip_link_tail()
        elif kind == "image":
            locator.skip("![")
            alt = self.spans(token.children or [])
            if locator.at_label():
                alt = unanchored(alt)
            locator.skip_link_tail()
            yield from alt
        elif kind == "html_inline":
            locator.skip(token.content)
            yield from self.html(token.content)

    def text(self, text: str) -> Iterator[Span]:
        """A text span anchored where it stands; in a table cell, ``\\|`` is read as ``|``: each side is
        anchored apart."""
        found = self.locator.find(text)
        if self.hidden:
            return
        if found and (not text.strip() or self.styles.get("autolink")):  # layout or a URL: the writer leaves it
            found = None
        if found and not self.urls and BARE_URL.search(text):
            yield from self.linked(text, found[0])
            return
        if found or "|" not in text:
            yield self.span(text, found)
            return
        for index, part in enumerate(text.split("|")):
            if index:
                self.locator.skip("\\|")
                yield self.span("|")
            if part:
                yield self.span(part, self.locator.find(part))

    def linked(self, text: str, start: int) -> Iterator[Span]:
        """Prose with bare URLs in it (GFM autolink literals): each URL a link, left as it stands."""
        at = 0
        for match in BARE_URL.finditer(text):
            url = match.group().rstrip(".,:;!?*_~'\"")
            if match.start() > at:
                yield self.span(text[at : match.start()], (start + at, start + match.start()))
            self.urls.append(url)
            yield self.span(url)
            self.urls.pop()
            at = match.start() + len(url)
        if at < len(text):
            yield self.span(text[at:], (start + at, start + len(text)))

    def _style(self, name: str, step: int) -> None:
        self.styles[name] = max(0, self.styles.get(name, 0) + step)

    def html(self, raw: str) -> Iterator[Span]:
        """A simple inline tag becomes a style; any other is left out of the text, with a warning."""
        match = HTML_TAG.fullmatch(raw.strip())
        if not match:
            if not raw.startswith("<!--"):
                self.notes.html_tags["?"] = self.notes.html_tags.get("?", 0) + 1
            return
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name == "br":
            yield Span("\n")
        elif name in HTML_HIDDEN:
            self.hidden = max(0, self.hidden + (-1 if closing else 1))
        elif name in HTML_STYLES:
            self._style(HTML_STYLES[name], -1 if closing else 1)
        elif name == "a":
            if closing:
                if self.urls:
                    self.urls.pop()
            else:
                href = HREF.search(match.group(3))
                self.urls.append(next((g for g in href.groups() if g is not None), "") if href else "")
        elif name not in HTML_PLAIN:
            self.notes.html_tags[name] = self.notes.html_tags.get(name, 0) + 1


def unanchored(items: list[Span | None]) -> list[Span | None]:
    """The same spans without source anchors: the Markdown writer will leave their text as it was."""
    return [Span(s.text, s.style, s.url) if s is not None else None for s in items]


def join(items: list[Span | None]) -> tuple[Span, ...]:
    """Resolve soft breaks and merge neighbours that share a style, a link and adjacent sources.

    >>> join([Span("第一行", source=(0, 3)), None, Span("第二行", source=(4, 7))])[1].text
    '第二行'
    >>> [s.text for s in join([Span("a", source=(0, 1)), Span("b", source=(1, 2)), None, Span("c")])]
    ['ab', ' ', 'c']
    """
    out: list[Span] = []
    for index, item in enumerate(items):
        if item is None:
            left = out[-1].text if out else ""
            right = next((s.text for s in items[index + 1 :] if s is not None and s.text), "")
            if left and right and soft_break(left, right):
                out.append(Span(" ", out[-1].style, out[-1].url))
            continue
        item = Span(item.text, item.style - {"autolink"}, item.url, item.source)
        if not item.text:
            continue
        last = out[-1] if out else None
        if (
            last
            and last.source
            and item.source
            and last.source[1] == item.source[0]
            and (last.style, last.url) == (item.style, item.url)
        ):
            out[-1] = Span(last.text + item.text, last.style, last.url, (last.source[0], item.source[1]))
        else:
            out.append(item)
    return tuple(out)


def _inline_images(children: list[Token]) -> list[Token] | None:
    """The images of a paragraph made of images only (badges, screenshots); None for any other paragraph."""
    images = []
    for token in children:
        if token.type == "image":
            images.append(token)
        elif token.type not in ("link_open", "link_close", "softbreak", "hardbreak", "text") or token.content.strip():
            return None
    return images or None


class Builder:
    """Walks markdown-it's block tokens and builds the document tree."""

    def __init__(self, text: str, base: Path | None, load_images: bool) -> None:
        self.locator = Locator(text)
        self.notes = Notes()
        self.base = base
        self.load_images = load_images

    def blocks(self, tokens: list[Token]) -> tuple[Block, ...]:
        out: list[Block] = []
        index = 0
        while index < len(tokens):
            index = self.block(tokens, index, out, lists=[])
        return tuple(out)

    def inlines(self, token: Token) -> tuple[Span, ...]:
        self.locator.enter(token.map)
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
            for image in images:
                out.append(self.image(image, line))
            return
        inlines = self.inlines(token)
        if self._open_item(out, lists, inlines):
            return
        if not inlines:  # nothing but HTML left out (a logo in <a><img></a>)
            pass
        elif lists:
            out.append(ListItem(inlines, "", lists[-1]["ordered"], len(lists) - 1, line))
        else:
            out.append(Paragraph(inlines, line))
        for child in token.children or []:
            if child.type == "image":
                self._image_data(str(child.attrs.get("src", "")))

    def image(self, token: Token, line: int) -> Image:
        inline = Inline(self.locator, self.notes)
        alt = join(list(inline.token(token)))
        src = str(token.attrs.get("src", ""))
        return Image(alt, src, self._image_data(src), line)

    def _image_data(self, src: str) -> bytes | None:
        if REMOTE.match(src) or not self.base:
            if REMOTE.match(src):
                self.notes.remote_images.append(src)
            return None
        if not self.load_images:
            return None
        path = self.base / unquote(src.split("#")[0].split("?")[0])
        try:
            data = path.read_bytes() if path.is_file() else None
        except OSError:
            data = None
        if data is None or not data.startswith(IMAGE_MAGIC):
            self.notes.missing_images.append(src)
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
    text: str, source: str = "", encoding: str = "utf-8", title: str | None = None, load_images: bool = True
) -> Document:
    """Markdown text → Document; no repair yet. ``title`` (if given) is the document's title; the body
    keeps its first heading either way.

    >>> doc = parse("# 標題\\n\\n第一行\\n第二行 **粗** [連結](http://a.cn)\\n")
    >>> [type(b).__name__ for b in doc.blocks], doc.blocks[1].text
    (['Heading', 'Paragraph'], '第一行第二行 粗 連結')
    >>> [(s.text, s.source) for s in doc.blocks[1].inlines][:2]
    [('第一行', (6, 9)), ('第二行 ', (10, 14))]
    """
    base = Path(source).parent if source and not source.startswith("<") else None
    builder = Builder(text, base, load_images)
    blocks = builder.blocks(parser().parse(text))
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
