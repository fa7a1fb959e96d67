"""A document tree rendered as Markdown (for inputs that were not Markdown): ATX headings, lists with their
markers and indentation, fenced code, GFM pipe tables, ``>`` quotes, ``---`` rules, images, links and
``**strong**``, ``*emphasis*``, ``~~strike~~``, `` `code` ``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...document import (
    Block,
    Code,
    Document,
    Heading,
    Html,
    Image,
    Inlines,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
)

ESCAPE = re.compile(r"([\\`*_\[\]<>~])")
LINE_START = re.compile(r"^([ \t]*)(\d*)(#{1,6}|[>+=-]|(?<=\d)[.)])(?=[ \t]|$)", re.M)
DELIMITERS = (("strong", "**", "strong"), ("emphasis", "*", "em"), ("strike", "~~", "del"))
ORDERED = re.compile(r"\d{1,9}[.)]")


def escape(text: str, table: bool = False) -> str:
    """Prose with the characters that Markdown would read as markup escaped.

    >>> escape("a*b_c [x]"), escape("甲|乙", table=True)
    ('a\\\\*b\\\\_c \\\\[x\\\\]', '甲\\\\|乙')
    """
    text = ESCAPE.sub(r"\\\1", text)
    if table:
        text = text.replace("|", "\\|")
    return text


def line_starts_escaped(text: str) -> str:
    r"""A paragraph or list item whose lines would start a heading, list or rule, escaped.

    >>> print(line_starts_escaped("1. 不是列表\\\n- 也不是\n## 也不是 2014. 年"))
    1\. 不是列表\
    \- 也不是
    \## 也不是 2014. 年
    """
    return LINE_START.sub(r"\1\2\\\3", text)


def _code_span(text: str) -> str:
    """Inline code fenced by a backtick run longer than any inside it."""
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _wrapped(text: str, styles: frozenset[str]) -> str:
    """Styled prose. Delimiter runs are not flanking next to punctuation, so such runs get HTML tags."""
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    edge = not (core[0].isalnum() and core[-1].isalnum())
    for style, mark, tag in DELIMITERS:
        if style in styles:
            core = f"<{tag}>{core}</{tag}>" if edge else f"{mark}{core}{mark}"
    return lead + core + trail


def inlines(spans: Inlines, table: bool = False) -> str:
    """Spans as Markdown; neighbouring spans with one link become one link.

    >>> inlines((Span("見"), Span("文件", frozenset({"strong"}), "http://a.cn"), Span("。")))
    '見[**文件**](http://a.cn)。'
    """
    out: list[str] = []
    index = 0
    while spans and spans[-1].text == "\n":  # a break at the end of a block is no break in Markdown
        spans = spans[:-1]
    while index < len(spans):
        url = spans[index].url
        group = [spans[index]]
        while url and index + len(group) < len(spans) and spans[index + len(group)].url == url:
            group.append(spans[index + len(group)])
        plain_text = "".join(span.text for span in group)
        if url and not any(span.style for span in group) and autolinked(plain_text, url):
            out.append(f"<{plain_text}>")  # (a URL in prose, as the text reader links it)
        else:
            out.append(_linked("".join(_span(span, table) for span in group), url))
        index += len(group)
    return "".join(out)


def autolinked(text: str, url: str) -> bool:
    """Can the link be written ``<text>``: its text is its absolute URL or e-mail address?

    >>> autolinked("https://a.cn/x", "https://a.cn/x"), autolinked("a@b.cn", "mailto:a@b.cn"), autolinked("文", "x")
    (True, True, False)
    """
    return (text == url and "://" in url or url == f"mailto:{text}") and not any(c in text for c in " <>\n")


def _linked(text: str, url: str) -> str:
    return f"[{text}](<{url}>)" if url and (" " in url or ")" in url) else f"[{text}]({url})" if url else text


def _span(span: Span, table: bool) -> str:
    if span.text == "\n":
        return "<br>" if table else "\\\n"
    if span.code:  # in a table, GFM splits cells at "|" even inside code, and takes "\|" back as "|"
        return _code_span(span.text.replace("|", "\\|") if table else span.text)
    text = escape(span.text, table).replace("\n", "<br>" if table else "\\\n")
    return _wrapped(text, span.style)


def _fence(text: str, language: str) -> list[str]:
    run = max((len(m) for m in re.findall(r"^\s*(`{3,})", text, re.M)), default=2)
    fence = "`" * max(3, run + 1)
    return [f"{fence}{language}", *text.split("\n"), fence]


def _table(table: Table) -> list[str]:
    width = max(len(row) for row in table.rows)
    rows = [[inlines(cell.inlines, table=True) for cell in row] + [""] * (width - len(row)) for row in table.rows]
    if not table.header:
        rows.insert(0, [""] * width)
    lines = [f"| {' | '.join(rows[0])} |", f"|{'|'.join(['---'] * width)}|"]
    return lines + [f"| {' | '.join(row)} |" for row in rows[1:]]


class Lists:
    """The content column of each open list level, so nested items and continuations line up."""

    def __init__(self) -> None:
        self.columns: list[int] = []

    def item(self, item: ListItem) -> list[str]:
        del self.columns[item.level + 1 :]
        indent = self.columns[item.level - 1] if 0 < item.level <= len(self.columns) else 0
        text = line_starts_escaped(inlines(item.inlines))
        if not item.marker:
            column = self.columns[item.level] if item.level < len(self.columns) else indent + 2
            return ["", " " * column + text]
        marker = item.marker if item.ordered and ORDERED.fullmatch(item.marker) else "-"
        if marker == "-" and item.marker not in ("•", "-", "*", "+", "·", "◦", "▪"):
            text = f"{escape(item.marker)} {text}"
        self.columns[item.level :] = [indent + len(marker) + 1]
        return [" " * indent + f"{marker} {text}"]


def block(block: Block, lists: Lists) -> list[str]:
    """One block as lines of Markdown."""
    if isinstance(block, Heading):  # one line: a break in a heading becomes a space
        text = inlines(tuple(replace(span, text=span.text.replace("\n", " ")) for span in block.inlines))
        return [f"{'#' * max(1, min(block.level, 6))} {text}"]
    if isinstance(block, Paragraph):
        return [line_starts_escaped(inlines(block.inlines))]
    if isinstance(block, ListItem):
        return lists.item(block)
    if isinstance(block, Code):
        return _fence(block.text, block.language)
    if isinstance(block, Table):
        return _table(block) if block.rows else []
    if isinstance(block, Rule):
        return ["---"]
    if isinstance(block, Image):  # the alt text's link is the link around the image (a badge's)
        if not block.src:
            return [inlines(block.inlines)]
        alt = inlines(tuple(replace(span, url="") for span in block.inlines))
        return [_linked(f"![{alt}]({block.src})", block.inlines[0].url if block.inlines else "")]
    if isinstance(block, Html):
        return block.text.split("\n")
    if isinstance(block, Quote):
        inner = blocks(block.blocks)
        return [f"> {line}" if line else ">" for line in inner]
    return []  # a page break has no Markdown


def blocks(tree: tuple[Block, ...]) -> list[str]:
    """Blocks separated by blank lines; items of one list stay together."""
    lines: list[str] = []
    lists = Lists()
    previous: Block | None = None
    for current in tree:
        if not isinstance(current, ListItem):
            lists = Lists()
        if lines and not (isinstance(previous, ListItem) and isinstance(current, ListItem) and current.marker):
            lines.append("")
        lines += block(current, lists)
        previous = current
    return lines


def render_tree(document: Document) -> str:
    """
    >>> from converter.document import spans
    >>> tree = (Heading(spans("一、總則"), 1), ListItem(spans("甲"), "1.", True), ListItem(spans("乙"), "•", level=1))
    >>> print(render_tree(Document(tree + (Code("$ ls | less", kind="shell"),))), end="")
    # 一、總則
    <BLANKLINE>
    1. 甲
       - 乙
    <BLANKLINE>
    ```
    $ ls | less
    ```
    """
    lines = [f"# {escape(document.title)}", ""] if document.title else []
    lines += blocks(document.blocks)
    return "\n".join(lines) + "\n" if lines else ""
