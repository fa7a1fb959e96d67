"""The one value that flows through the pipeline: an immutable ``Document`` tree.

Blocks: ``Heading``, ``Paragraph``, ``ListItem``, ``Quote`` (holds blocks), ``Code`` (verbatim lines:
code, shell examples, ASCII tables, preformatted text), ``Table`` (rows of ``Cell``), ``Rule``, ``Image``,
``PageBreak`` and ``Html`` (a raw HTML block, kept for Markdown output only).

Inline content is flat, as runs are in a word processor: a tuple of ``Span`` (text with a style set:
``strong``, ``emphasis``, ``code``, ``strike``; a link has a ``url``); a line break is a span ``"\\n"``.
Every block that holds inline text (a *text unit*: heading, paragraph, list item, table cell, image alt
text) also holds the fixes the repair made to that text, positioned in the text as it was read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

Certainty = Literal["exact", "inferred", "guessed", "unrecovered"]


class Fix(NamedTuple):
    """One change to the text (or, with ``certainty="unrecovered"``, a span reported untouched).

    ``start``/``end`` index the text given to ``normalize`` (one text unit, or a whole text);
    ``out_start``/``out_end`` index the repaired text, for fixes whose certainty is not exact.

    A named tuple, not a frozen dataclass like the blocks: the repair makes one every few characters of a
    damaged page, and ``tuple.__new__(Fix, row)`` makes it in C, in a fifth of the time of the quickest
    class. (Change one with ``fix._replace(...)``.)
    """

    kind: str
    start: int
    end: int
    before: str
    after: str
    certainty: Certainty = "exact"
    note: str = ""
    out_start: int = -1  # where the fix stands in the repaired text (kept for fixes to review)
    out_end: int = -1

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "certainty": self.certainty,
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text with one formatting. ``source`` is its (start, end) in the source file,
    where a reader knows it (the Markdown writer patches the source there)."""

    text: str
    style: frozenset[str] = frozenset()  # strong, emphasis, code, strike
    url: str = ""  # a link's target
    source: tuple[int, int] | None = None

    @property
    def code(self) -> bool:
        return "code" in self.style


Inlines = tuple[Span, ...]


def spans(*texts: str) -> Inlines:
    """Plain spans, for building documents by hand.

    >>> spans("甲", "乙")
    (Span(text='甲', style=frozenset(), url='', source=None), Span(text='乙', style=frozenset(), url='', source=None))
    """
    return tuple(Span(t) for t in texts if t)


def plain(inlines: Inlines) -> str:
    return "".join(span.text for span in inlines)


class _HasInlines:
    """A text unit: its ``text`` is the plain text of its spans."""

    __slots__ = ()
    inlines: Inlines

    @property
    def text(self) -> str:
        return plain(self.inlines)


@dataclass(frozen=True, slots=True)
class Heading(_HasInlines):
    inlines: Inlines
    level: int = 1  # 1–6
    line: int = 0  # 1-based source line where the block starts (0: unknown)
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph(_HasInlines):
    inlines: Inlines
    line: int = 0
    fixes: tuple[Fix, ...] = ()
    role: str = ""  # "" prose; "contents" a line of a contents list; "label" an admonition label (注意)
    level: int = 0  # a contents line's depth, 0 the outermost (as its indent showed)


@dataclass(frozen=True, slots=True)
class ListItem(_HasInlines):
    """One item of a bulleted or numbered list; ``level`` 0 is the outermost.

    ``marker`` is the marker as written (``*``, ``•``, ``1.``, ``（1）``); "" continues the item before.
    """

    inlines: Inlines
    marker: str = "•"
    ordered: bool = False
    level: int = 0
    line: int = 0
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True, slots=True)
class Code:
    """Verbatim lines: never repaired, never converted. ``kind`` is code, shell, table or pre."""

    text: str
    language: str = ""
    kind: str = "code"
    line: int = 0


@dataclass(frozen=True, slots=True)
class Cell(_HasInlines):
    inlines: Inlines
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    header: bool = True  # the first row is a header row
    line: int = 0
    borders: bool = True  # False: a layout table (a Word table drawing no border), drawn without a grid


@dataclass(frozen=True, slots=True)
class Rule:
    """A thematic break; ``marker`` is the line as written (``----``), kept in plain text."""

    marker: str = "---"
    line: int = 0


@dataclass(frozen=True, slots=True)
class Image(_HasInlines):
    """An image: ``inlines`` is its alt text; ``data`` the bytes of a local image (None: not embedded)."""

    inlines: Inlines
    src: str = ""
    data: bytes | None = None
    line: int = 0
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True, slots=True)
class PageBreak:
    line: int = 0


@dataclass(frozen=True, slots=True)
class Html:
    """A raw HTML block: kept in Markdown output, left out of the others (with a warning)."""

    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]
    line: int = 0


Block = Heading | Paragraph | ListItem | Code | Table | Rule | Image | PageBreak | Html | Quote
TextUnit = Heading | Paragraph | ListItem | Cell | Image


@dataclass(frozen=True, slots=True)
class Document:
    """A title and a tree of blocks, with where they came from and what was done to them."""

    blocks: tuple[Block, ...] = ()
    title: str = ""
    source: str = ""
    encoding: str = "utf-8"
    script: str = "unknown"  # detected script of the text now: simplified, traditional, mixed, unknown
    language: str = "zh-CN"  # BCP 47 tag for the output documents
    title_line: int = 1
    title_fixes: tuple[Fix, ...] = ()
    source_fixes: tuple[Fix, ...] = ()  # made while reading (control characters), positioned in the source
    warnings: tuple[str, ...] = field(default=())
    origin: str = "text"  # the reader that made it: text, markdown, docx
    source_text: str = ""  # the decoded source, for writers that patch it (Markdown in, Markdown out)
    package: bytes = field(default=b"", repr=False)  # the original file, for writers that patch it (Word in, Word out)

    def evolve(self, **changes: object) -> Document:
        return replace(self, **changes)

    @property
    def text(self) -> str:
        """The document as plain text: title first, one block per line, code and tables verbatim."""
        lines = [self.title] if self.title else []
        lines += [text for block in self.blocks for text in block_lines(block)]
        return "\n".join(lines) + "\n" if lines else ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The plain text of each text unit, in order (the title aside)."""
        return tuple(unit.text for unit in units(self.blocks))

    @property
    def fixes(self) -> tuple[tuple[int, Fix], ...]:
        """Every fix with the index of its text unit (-1: the title, -2: made while reading the source)."""
        found = [(-2, fix) for fix in self.source_fixes] + [(-1, fix) for fix in self.title_fixes]
        found += [(index, fix) for index, unit in enumerate(units(self.blocks)) for fix in unit.fixes]
        return tuple(found)

    def fix_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, fix in self.fixes:
            counts[fix.kind] = counts.get(fix.kind, 0) + 1
        return counts


def units(blocks: tuple[Block, ...]) -> Iterator[TextUnit]:
    """Every text unit in reading order (headings, paragraphs, list items, table cells, alt texts)."""
    for block in blocks:
        if isinstance(block, Quote):
            yield from units(block.blocks)
        elif isinstance(block, Table):
            for row in block.rows:
                yield from row
        elif hasattr(block, "inlines"):
            yield block  # type: ignore[misc]


def unit_lines(blocks: tuple[Block, ...], title_line: int = 1) -> list[int]:
    """The source line of each text unit (a table cell has its table's line)."""
    lines = []
    for block in blocks:
        if isinstance(block, Quote):
            lines += unit_lines(block.blocks)
        elif isinstance(block, Table):
            lines += [block.line] * sum(len(row) for row in block.rows)
        elif hasattr(block, "inlines"):
            lines.append(block.line)
    return lines


def map_units(blocks: tuple[Block, ...], change) -> tuple[Block, ...]:
    """A new tree with ``change(unit)`` applied to every text unit (structure untouched)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Quote):
            out.append(replace(block, blocks=map_units(block.blocks, change)))
        elif isinstance(block, Table):
            out.append(replace(block, rows=tuple(tuple(change(cell) for cell in row) for row in block.rows)))
        elif hasattr(block, "inlines"):
            out.append(change(block))
        else:
            out.append(block)
    return tuple(out)


def block_lines(block: Block) -> list[str]:
    """A block as lines of plain text (what the TXT writer writes).

    >>> block_lines(ListItem(spans("子項"), "-", level=1)), block_lines(Code("$ ls |\\n  less"))
    (['  - 子項'], ['$ ls |', '  less'])
    >>> block_lines(Paragraph(spans("1.1 準備"), role="contents", level=1))
    ['  1.1 準備']
    """
    if isinstance(block, Paragraph) and block.level:
        return ["  " * block.level + block.text]
    if isinstance(block, (Heading, Paragraph)):
        return [block.text]
    if isinstance(block, ListItem):
        lead = "  " * block.level + (f"{block.marker} " if block.marker else "  ")
        return [lead + block.text]
    if isinstance(block, Code):
        return block.text.split("\n")
    if isinstance(block, Table):
        return [" | ".join(cell.text.replace("\n", " ") for cell in row) for row in block.rows]
    if isinstance(block, Rule):
        return [block.marker]
    if isinstance(block, Image):
        return [block.text] if block.text else []
    if isinstance(block, PageBreak):
        return ["\f"]
    if isinstance(block, Quote):
        return [f"> {line}" for child in block.blocks for line in block_lines(child)]
    return []  # Html: not plain text


def paragraphs(*texts: str) -> tuple[Block, ...]:
    """Plain paragraphs, for building documents by hand."""
    return tuple(Paragraph(spans(t)) for t in texts)


__all__ = [
    "Block",
    "Cell",
    "Certainty",
    "Code",
    "Document",
    "Fix",
    "Heading",
    "Html",
    "Image",
    "Inlines",
    "ListItem",
    "PageBreak",
    "Paragraph",
    "Quote",
    "Rule",
    "Span",
    "Table",
    "TextUnit",
    "block_lines",
    "map_units",
    "paragraphs",
    "plain",
    "spans",
    "unit_lines",
    "units",
]
