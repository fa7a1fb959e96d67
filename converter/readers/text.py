"""Plain text → a Document: the encoding is already decoded; blocks are found by layout.

Only wrapped prose is joined. Headings, contents lines, list items and admonition labels keep their own
lines; tables, shell examples, indented code and aligned columns are kept verbatim as Code blocks; a
separator line is a Rule and a form feed a PageBreak. What one line is comes from ``layout.py``; this
module groups lines into blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from ..document import Block, Code, Document, Heading, ListItem, PageBreak, Paragraph, Rule, spans
from ..lazy_regex import lazy_compile
from . import layout
from .layout import Line, width

TITLE_MAX = 40
NEAR = 12  # a wrapped line reaches this close to the wrap width
CODE_ENDS = (";", "{", "}", "\\", "*/", "|")
SLACK = 3  # columns a wrapped line may stop short of the wrap width (line-start rules, long words)
LATIN_END = re.compile(r"[A-Za-z0-9,.;:!?)\]\"'%]$")
LATIN_START = re.compile(r"[A-Za-z0-9(\[\"'$/~<-]")
TOKEN = lazy_compile(r"[^\s\u3400-\u9fff\uf900-\ufaff]+")  # the next word: no break before a Han character


def split_lines(text: str) -> list[Line | None]:
    """The text's lines; ``None`` stands for a form feed (a page break).

    >>> [line and line.text for line in split_lines("a\\r\\n\\fb\\rc")]
    ['a', None, 'b', 'c']
    """
    out: list[Line | None] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        parts = raw.split("\f")
        for index, part in enumerate(parts):
            if index:
                out.append(None)
            if part.strip() or len(parts) == 1:
                out.append(Line.of(number, part))
    return out


def join(left: str, right: str) -> str:
    """Join a wrapped line: no space between Chinese, one between Latin words.

    >>> join("使用 less 或", "tail 命令"), join("the exact", "distribution"), join("查看它", "。")
    ('使用 less 或tail 命令', 'the exact distribution', '查看它。')
    """
    if LATIN_END.search(left) and LATIN_START.match(right):
        return f"{left} {right}"
    return left + right


class Layout:
    """What the whole text tells about its layout: blank-line paragraphs, wrap width, margins."""

    def __init__(self, lines: list[Line | None]) -> None:
        filled = [line for line in lines if line is not None and line.text]
        self.blank_mode = len(filled) > 1 and any(line is not None and not line.text for line in lines[:-1])
        prose = [line for line in filled if self._prose_like(line)] or filled
        widths = sorted(line.width for line in prose)
        self.wrap = widths[int(0.95 * (len(widths) - 1))] if widths else 0
        self.margin = min((line.indent for line in prose), default=0)
        self.chinese = sum(layout.has_han(line.text) for line in filled) >= 0.3 * len(filled)
        indents = Counter(line.indent for line in prose if layout.has_han(line.text))
        self.prose_indent = indents.most_common(1)[0][0] if indents else self.margin
        # texts without blank lines: a line is wrapped if it is as long as most lines (the older rule)
        lengths = [len(line.text) for line in filled]
        self.longest = max(lengths, default=0)
        long_lines = sum(n >= 0.8 * self.longest for n in lengths)
        self.wrapped = self.longest >= 20 and len(lengths) >= 3 and long_lines >= len(lengths) / 2

    @staticmethod
    def _prose_like(line: Line) -> bool:
        text = line.text
        return not (layout.is_table(text) or layout.is_rule(text) or layout.column_gaps(line.raw))

    def full(self, line: Line, following: Line) -> bool:
        """Was ``line`` broken because the next word did not fit?"""
        if not self.blank_mode:
            return self.wrapped and len(line.text) >= 0.8 * self.longest and not line.text.endswith(tuple(layout.FINAL))
        match = TOKEN.match(following.text)
        token = match.group() if match else following.text[0]
        space = 1 if LATIN_END.search(line.text) and LATIN_START.match(following.text) else 0
        latin = not layout.has_han(line.text)  # a Latin line far from the wrap width or ending as code does
        if latin and (not self.wrap - NEAR <= line.width <= self.wrap + 1 or line.text.endswith(CODE_ENDS)):
            return False
        return line.width + space + width(token) > self.wrap - SLACK


def structural(line: Line) -> bool:
    """A line that never continues a paragraph (it starts a block of its own)."""
    return _structural(line.text)


@lru_cache(maxsize=1 << 14)  # the windows of ``Reader.verbatim`` look at the same lines again and again
def _structural(text: str) -> bool:
    return (
        layout.is_table(text)
        or layout.is_rule(text)
        or layout.is_prompt(text)
        or layout.is_label(text)
        or layout.list_marker(text) is not None
    )


def numbered(text: str) -> bool:
    return bool(layout.NUMBERED.match(text) or layout.SINGLE.match(text) or layout.CHAPTER.match(text))


def dedent(lines: list[Line]) -> str:
    cut = min(line.indent for line in lines if line.text)
    return "\n".join(line.raw[cut:] for line in lines)


VERBATIM_WINDOW = 60  # lines looked at to tell preformatted text from prose


class Reader:
    def __init__(self, lines: list[Line | None]) -> None:
        self.lines = lines
        self.layout = Layout(lines)
        self.list_indents: list[int] = []
        self.gaps: dict[int, set[int]] = {}  # line number → column gaps

    def line(self, index: int) -> Line | None:
        """The line at ``index`` if it holds text (None for a blank line, a page break or the end)."""
        if 0 <= index < len(self.lines):
            line = self.lines[index]
            if line is not None and line.text:
                return line
        return None

    def run(self, start: int, keep, limit: int | None = None) -> int:
        """The index after the run of text lines from ``start`` for which ``keep(line)`` holds (at most
        up to ``limit``)."""
        end = start
        while (limit is None or end < limit) and (line := self.line(end)) is not None and keep(line):
            end += 1
        return end

    def blocks(self) -> Iterator[Block]:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if line is None:  # a page break: its line is the line before it (form feeds may follow each other)
                before = next((seen for seen in reversed(self.lines[:index]) if seen is not None), None)
                yield PageBreak(before.number if before else 1)
                index += 1
            elif not line.text:
                index += 1
            else:
                block, index = self.block(index, line)
                inside_list = self.list_indents and line.indent > self.list_indents[0]
                if not isinstance(block, ListItem) and not inside_list:
                    self.list_indents = []
                yield from block if isinstance(block, list) else [block]

    def block(self, index: int, line: Line) -> tuple[Block | list[Block], int]:
        text = line.text
        if layout.is_rule(text):
            return Rule(text, line.number), index + 1
        if layout.is_table(text):
            end = self.run(index, lambda other: layout.is_table(other.text))
            return self.code(index, end, "table"), end
        if layout.is_prompt(text):
            end = self.run(index + 1, lambda other: other.indent >= line.indent and not layout.is_rule(other.text))
            return self.code(index, end, "shell"), end
        if layout.is_label(text):
            return Paragraph(spans(text), line.number, role="label"), index + 1
        if layout.is_contents_title(text) and self.contents_follow(index + 1):
            return self.contents(index, line)
        if layout.is_leader(text):
            return Paragraph(spans(text), line.number, role="contents"), index + 1
        alone = self.line(index - 1) is None and self.line(index + 1) is None
        if level := layout.heading_level(text):
            return Heading(spans(text), level, line.number), index + 1
        if layout.is_single_numbered(text) and line.indent <= self.layout.margin and self.line(index + 1) is None:
            return Heading(spans(text), 1, line.number), index + 1
        if marker := layout.list_marker(text):
            return self.item(index, line, *marker)
        if alone and self.heading_like(line):
            return Heading(spans(text), 1, line.number), index + 1
        if kind := self.verbatim(index):
            end = self.run(index, lambda other: not structural(other))
            return self.code(index, end, kind), end
        return self.paragraph(index, line)

    def heading_like(self, line: Line) -> bool:
        """A short line between blank lines, at the left margin, without final punctuation."""
        text = line.text
        return (
            len(text) <= TITLE_MAX
            and line.indent <= self.layout.margin
            and not layout.ends_final(text)
            and (layout.has_han(text) or any(c.isalpha() for c in text))
            and not layout.looks_like_code(text)
        )

    def code(self, start: int, end: int, kind: str) -> Code:
        lines = [line for line in self.lines[start:end] if line is not None]
        return Code(dedent(lines), kind=kind, line=lines[0].number)

    def column_gaps(self, line: Line) -> set[int]:
        """``layout.column_gaps`` of a line, worked out once: the windows of neighbouring lines overlap."""
        found = self.gaps.get(line.number)
        if found is None:
            found = self.gaps[line.number] = layout.column_gaps(line.raw)
        return found

    def verbatim(self, index: int) -> str:
        """``pre``/``code`` if the lines from ``index`` are preformatted, else "".

        The first lines decide: a text with no blank lines is one long run, and looking at all of it
        from every line would take time quadratic in its length."""
        end = self.run(index, lambda other: not structural(other), limit=index + VERBATIM_WINDOW)
        lines = [line for line in self.lines[index:end] if line is not None]
        gapped = [self.column_gaps(line) for line in lines]
        latin = sum(not layout.has_han(line.text) for line in lines)
        shared = max((len(a & b) for a, b in zip(gapped, gapped[1:])), default=0)
        if shared >= 2 or (shared and latin >= 0.6 * len(lines)):
            return "pre"
        full = [self.layout.full(a, b) for a, b in zip(lines, lines[1:])]
        wrapped = sum(full) > len(full) / 2  # most lines of wrapped prose are full
        deeper = min(line.indent for line in lines) > self.layout.prose_indent
        code = latin == len(lines) and any(layout.looks_like_code(line.text) for line in lines)
        english = wrapped and all(layout.ENGLISH.fullmatch(line.text) for line in lines)
        if code and not english and (deeper or (self.layout.chinese and not wrapped)):
            return "code"  # indented deeper than the prose, or Latin code amid Chinese prose
        if len(lines) >= 2 and not wrapped and latin >= 0.6 * len(lines):
            return "pre"
        return ""

    def paragraph(self, index: int, line: Line) -> tuple[Paragraph, int]:
        text, last, end = line.text, line, index + 1
        while (following := self.line(end)) is not None:
            if not (layout.starts_closing(following.text) or self.continues(last, following, line.indent)):
                break
            text, last, end = join(text, following.text), following, end + 1
        return Paragraph(spans(text), line.number), end

    def continues(self, last: Line, following: Line, indent: int) -> bool:
        """Does ``following`` continue the wrapped prose line ``last`` (of a paragraph indented ``indent``)?"""
        if following.indent > max(indent, last.indent) + 1 or not self.layout.full(last, following):
            return False
        if structural(following):  # "(1)" or "-" may only look like a marker where a word was wrapped
            text = following.text
            marker = not (layout.is_table(text) or layout.is_rule(text) or layout.is_prompt(text))
            return marker and not layout.ends_final(last.text) and not layout.is_label(text)
        return True

    def item(self, index: int, line: Line, marker: str, body: str) -> tuple[ListItem, int]:
        while self.list_indents and self.list_indents[-1] > line.indent:
            self.list_indents.pop()
        if not self.list_indents or self.list_indents[-1] < line.indent:
            self.list_indents.append(line.indent)
        text, last, end = body, line, index + 1
        while (following := self.line(end)) is not None:
            closing = layout.starts_closing(following.text)
            if not closing and structural(following):
                break
            if not (closing or following.indent > line.indent or self.layout.full(last, following)):
                break
            text, last, end = join(text, following.text), following, end + 1
        ordered = marker[0].isdigit() or marker[-1] in ")）." or marker in "①②③④⑤⑥⑦⑧⑨⑩"
        return ListItem(spans(text), marker, ordered, len(self.list_indents) - 1, line.number), end

    def contents_like(self, index: int) -> bool:
        line = self.line(index)
        if line is None:
            return False
        text = line.text
        if layout.is_leader(text):
            return True
        if layout.is_table(text) or layout.is_rule(text) or layout.is_prompt(text) or layout.is_label(text):
            return False
        if numbered(text):
            return len(text) <= 80
        return len(text) <= 60 and not layout.ends_final(text)

    def contents_follow(self, index: int) -> bool:
        """Does a contents list start at the next text line (two contents lines in a row, or a leader)?"""
        while index < len(self.lines) and self.line(index) is None and self.lines[index] is not None:
            index += 1
        line = self.line(index)
        if line is None:
            return False
        return layout.is_leader(line.text) or (self.contents_like(index) and self.contents_like(index + 1))

    def contents(self, index: int, title: Line) -> tuple[list[Block], int]:
        blocks: list[Block] = [Heading(spans(title.text), 1, title.number)]
        index += 1
        while True:
            if self.line(index) is None:
                if not self.contents_follow(index):
                    return blocks, index
                while self.line(index) is None:
                    index += 1
            line, last = self.line(index), self.line(index - 1)
            if line is None or layout.is_contents_title(line.text):
                return blocks, index
            if last is not None and not numbered(line.text) and self.layout.full(last, line):
                entry = blocks[-1]  # a wrapped entry
                blocks[-1] = Paragraph(spans(join(entry.text, line.text)), entry.line, role="contents")
            elif self.contents_like(index):
                blocks.append(Paragraph(spans(line.text), line.number, role="contents"))
            else:
                return blocks, index
            index += 1


def find_title(blocks: list[Block]) -> tuple[str, list[Block]]:
    """A short first line without final punctuation is the title.

    >>> find_title([Heading(spans("廣東召開會議")), Paragraph(spans("正文。"))])[0]
    '廣東召開會議'
    >>> find_title([Paragraph(spans("正文。")), Paragraph(spans("下一段。"))])[0]
    ''
    """
    if len(blocks) > 1 and isinstance(blocks[0], (Heading, Paragraph)) and not getattr(blocks[0], "role", ""):
        first = blocks[0].text.strip()
        if first and len(first) <= TITLE_MAX and not layout.ends_final(first):
            return first, blocks[1:]
    return "", blocks


def parse(text: str, source: str = "", encoding: str = "utf-8", title: str | None = None) -> Document:
    """Text → Document (blocks, title); no repair yet.

    >>> document = parse("標題\\n\\n第一段第一行\\n接著第一段。\\n\\n  * 項目\\n\\n$ ls | wc -l\\n")
    >>> document.title, document.text.splitlines()
    ('標題', ['標題', '第一段第一行接著第一段。', '* 項目', '$ ls | wc -l'])
    """
    lines = split_lines(text)
    blocks = list(Reader(lines).blocks())
    first = next((line.number for line in lines if line is not None and line.text), 1)
    if title is None:
        title, body = find_title(blocks)
    else:
        body = blocks
    return Document(tuple(body), title, source, encoding, title_line=first, source_text=text)
