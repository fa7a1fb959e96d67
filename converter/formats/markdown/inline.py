"""The inline tokens of one Markdown block → flat spans, each text anchored where it stands in the source.

Styles come from markdown-it's emphasis, strong, strikethrough and code tokens, and from simple inline HTML
tags (``<b>``, ``<i>``, ``<code>``, ``<kbd>``, ``<del>``, ``<a href>``, ``<br>``); other tags are left out
of the text, with a warning. Soft breaks join like wrapped prose; bare URLs become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it.token import Token

from ...document import Span
from ...i18n import Plural
from ...lazy_regex import lazy_compile
from ...resources import refused_images
from .source import Locator

STYLE_TAGS = {"strong": "strong", "em": "emphasis", "s": "strike"}  # markdown-it token prefix → span style
STYLE_STEPS = {  # markdown-it token type → (span style, step in its depth)
    **{f"{tag}_open": (style, 1) for tag, style in STYLE_TAGS.items()},
    **{f"{tag}_close": (style, -1) for tag, style in STYLE_TAGS.items()},
}
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
# Every HTML element a README may use: any other "tag" (<string>, <T>, <package>) is text that reads as a tag
HTML_ELEMENTS = frozenset(
    {
        "a", "abbr", "address", "area", "article", "aside", "audio", "b", "base", "bdi", "bdo", "big", "blockquote",
        "body", "br", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist",
        "dd", "del", "details", "dfn", "dialog", "div", "dl", "dt", "em", "embed", "fieldset", "figcaption",
        "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i",
        "iframe", "img", "input", "ins", "kbd", "label", "legend", "li", "link", "main", "map", "mark", "meta",
        "meter", "nav", "nobr", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture",
        "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script", "section", "select", "small", "source",
        "span", "strike", "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td", "template",
        "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
        "path", "g",
    }
)
HTML_HIDDEN = {"rt", "rp"}  # ruby annotations: shown above the text in a browser, not part of the prose
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*?)/?>", re.S)
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
BARE_URL = lazy_compile(r"(?:https?|ftp)://[^\s<>\"'\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
LATIN_END = re.compile(r"[A-Za-z0-9,.;:!?)\]'\"]$")
LATIN_START = re.compile(r"^[A-Za-z0-9(\['\"]")


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
    refused_images: dict[str, list[str]] = field(default_factory=dict)  # reason → local images not embedded
    html_blocks: int = 0
    html_tags: dict[str, int] = field(default_factory=dict)

    def warnings(self) -> tuple[str, ...]:
        out = []
        if self.remote_images:
            out.append(
                Plural(
                    "{count} remote image not fetched, its alt text stands in ({first})",
                    "{count} remote images not fetched, their alt text stands in (first: {first})",
                    count=len(self.remote_images),
                    first=self.remote_images[0],
                )
            )
        out += [refused_images(reason, names) for reason, names in self.refused_images.items()]
        if self.html_blocks:
            out.append(
                Plural(
                    "{count} raw HTML block kept in Markdown output only, left out of TXT/DOCX/PDF",
                    "{count} raw HTML blocks kept in Markdown output only, left out of TXT/DOCX/PDF",
                    count=self.html_blocks,
                )
            )
        if self.html_tags:
            out.append(
                Plural(
                    "{count} inline HTML tag left out of the text: {tags}",
                    "{count} inline HTML tags left out of the text: {tags}",
                    count=sum(self.html_tags.values()),
                    tags=", ".join(f"<{tag}>" for tag in sorted(self.html_tags)),
                )
            )
        return tuple(out)



class Inline:
    """Turns the children of one inline token into spans with source anchors (an image: its alt text)."""

    def __init__(self, locator: Locator, notes: Notes) -> None:
        self.locator = locator
        self.notes = notes
        self.styles: dict[str, int] = {}
        self.style: frozenset[str] = frozenset()  # the styles whose depth is above 0
        self.urls: list[str] = []
        self.hidden = 0  # inside <rt>/<rp>
        self.autolink = False  # inside <https://…>: the text is the URL

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
        return Span(text, self.style | extra if extra else self.style, self.urls[-1] if self.urls else "", source)

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
        elif kind in STYLE_STEPS:
            self._style(*STYLE_STEPS[kind])
        elif kind == "link_open":
            self.urls.append(str(token.attrs.get("href", "")))
            self.autolink = token.markup == "autolink"
        elif kind == "link_close":
            if self.urls:
                self.urls.pop()
            if self.autolink:
                self.autolink = False
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
        if found and (not text.strip() or self.autolink):  # layout or a URL: the writer leaves it
            found = None
        if found and not self.urls and "://" in text and BARE_URL.search(text):  # (what every bare URL holds)
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
        self.style = frozenset(name for name, depth in self.styles.items() if depth > 0)

    def html(self, raw: str) -> Iterator[Span]:
        """A simple inline tag becomes a style; any other is left out of the text, with a warning."""
        match = HTML_TAG.fullmatch(raw.strip())
        if not match:
            if not raw.startswith("<!--"):
                self.notes.html_tags["?"] = self.notes.html_tags.get("?", 0) + 1
            return
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in HTML_ELEMENTS and not match.group(3).strip():  # <string>: text, left as written
            yield Span(raw, self.style, self.urls[-1] if self.urls else "")
        elif name == "br":
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
