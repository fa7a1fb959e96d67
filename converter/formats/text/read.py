"""Plain text → a Document: the encoding is already decoded; blocks are found by layout.

Only wrapped prose is joined. Headings, contents lines, list items and admonition labels keep their own
lines; tables, shell examples, indented code and aligned columns are kept verbatim as Code blocks; a
separator line is a Rule and a form feed a PageBreak. What one line is comes from ``layout.py``; this
module groups lines into blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace

from ...document import Block, Code, Document, Heading, ListItem, PageBreak, Paragraph, Rule, spans
from ...lazy_regex import lazy_compile
from . import layout
from .layout import Line, link_spans, width

TITLE_MAX = 40
NEAR = 12  # a wrapped line reaches this close to the wrap width
WRAPPED_MIN = 40  # a text wrapped narrower than this is no wrapped prose (to tell a long line by)
CODE_ENDS = (";", "{", "}", "\\", "*/", "|")
SLACK = 3  # columns a wrapped line may stop short of the wrap width (line-start rules, long words)
LATIN_END = re.compile(r"[A-Za-z0-9,.;:!?)\]\"'%©®™]$")
LATIN_START = re.compile(r"[A-Za-z0-9(\[\"'$/~<-]")
LINK_START = re.compile(r"(?:https?://|www\.)\S")
TOKEN = lazy_compile(r"[^\s\u3400-\u9fff\uf900-\ufaff]+")  # the next word: no break before a Han character


def split_lines(text: str) -> list[Line | None]:
    """The text's lines; ``None`` stands for a form feed (a page break).

    >>> [line and line.text for line in split_lines("a\\r\\n\\fb\\rc")]
    ['a', None, 'b', 'c']
    """
    rows = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "\f" not in text:
        return [Line.of(number, raw) for number, raw in enumerate(rows, 1)]
    out: list[Line | None] = []
    for number, raw in enumerate(rows, 1):
        parts = raw.split("\f")
        for index, part in enumerate(parts):
            if index:
                out.append(None)
            if part.strip() or len(parts) == 1:
                out.append(Line.of(number, part))
    return out


def join(left: str, right: str, spaced: bool = False) -> str:
    """Join a wrapped line: no space between Chinese, one between Latin words; between Han and Latin,
    one if the document ``spaced`` them (``Debian 系統``).

    >>> join("使用 less 或", "tail 命令"), join("the exact", "distribution"), join("查看它", "。")
    ('使用 less 或tail 命令', 'the exact distribution', '查看它。')
    >>> join("運行", "Debian 系統", spaced=True), join("copyright ©", "1997 Jaldhar"), join("運行", "Debian")
    ('運行 Debian 系統', 'copyright © 1997 Jaldhar', '運行Debian')
    """
    if latin_end(left) and LATIN_START.match(right):
        return f"{left} {right}"
    ends, starts = left[-1:], right[:1]
    han_latin = HAN_START.match(ends) and LATIN_WORD.match(starts)
    if spaced and (han_latin or LATIN_WORD.match(ends) and HAN_START.match(starts)):
        return f"{left} {right}"
    return left + right


HAN_START = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]")
# Han and a Latin letter or digit side by side, with a space between them and without
SPACED_PAIR = lazy_compile(r"[\u3400-\u9fff\uf900-\ufaff] [A-Za-z0-9]|[A-Za-z0-9] [\u3400-\u9fff\uf900-\ufaff]")
CLOSE_PAIR = lazy_compile(r"[\u3400-\u9fff\uf900-\ufaff][A-Za-z0-9]|[A-Za-z0-9][\u3400-\u9fff\uf900-\ufaff]")


def spaces_han_and_latin(lines: list[Line | None]) -> bool:
    """Does the text mostly write a space between Han and a Latin word (``運行 Debian 系統``)?

    >>> spaces_han_and_latin([Line.of(1, "運行 Debian 系統，安裝 vim 與 git。")])
    True
    """
    text = "\n".join([line.text for line in lines if line is not None and line.han])[:HABIT_SAMPLE]
    return len(SPACED_PAIR.findall(text)) > 2 * len(CLOSE_PAIR.findall(text))


HABIT_SAMPLE = 100_000  # characters of Han lines enough to know a text's habit


def latin_end(text: str) -> bool:
    """Does ``text`` end with a Latin letter, digit or mark? Only its end is searched: a paragraph is
    joined line by line (two characters, as ``$`` also matches before a final newline)."""
    return LATIN_END.search(text[-2:]) is not None


def prose_like(line: Line) -> bool:
    """A line that may be wrapped prose: no table row, rule or aligned columns."""
    text = line.text
    return not (layout.is_table(text) or layout.is_rule(text) or layout.column_gaps(line.raw))


class Layout:
    """What the whole text tells about its layout: blank-line paragraphs, wrap width, margins."""

    def __init__(self, lines: list[Line | None]) -> None:
        filled = [line for line in lines if line is not None and line.text]
        self.blank_mode = len(filled) > 1 and any(line is not None and not line.text for line in lines[:-1])
        prose = [line for line in filled if prose_like(line)] or filled
        widths = sorted([line.width for line in prose])
        self.wrap = widths[int(0.95 * (len(widths) - 1))] if widths else 0
        self.margin = min([line.indent for line in prose], default=0)
        self.chinese = len([line for line in filled if line.han]) >= 0.3 * len(filled)
        indents = Counter([line.indent for line in prose if line.han])
        self.prose_indent = indents.most_common(1)[0][0] if indents else self.margin
        # texts without blank lines: a line is wrapped if it is as long as most lines (the older rule)
        lengths = [len(line.text) for line in filled]
        self.longest = max(lengths, default=0)
        long_lines = len([n for n in lengths if n >= 0.8 * self.longest])
        self.wrapped = self.longest >= 20 and len(lengths) >= 3 and long_lines >= len(lengths) / 2
        self.spaced = spaces_han_and_latin(lines)  # the text's habit between Han and Latin words

    def full(self, line: Line, following: Line) -> bool:
        """Was ``line`` broken because the next word did not fit?"""
        if not self.blank_mode:
            return self.wrapped and len(line.text) >= 0.8 * self.longest and not line.text.endswith(layout.FINAL_ENDS)
        match = TOKEN.match(following.text)
        token = match.group() if match else following.text[0]
        latin = not line.han  # a Latin line far from the wrap width or ending as code does
        near = NEAR if not LINK_START.match(token) else max(NEAR, width(token) + 1)  # (a long URL moved down)
        if latin and (not self.wrap - near <= line.width <= self.wrap + 1 or line.text.endswith(CODE_ENDS)):
            return False
        space = 1 if latin_end(line.text) and LATIN_START.match(following.text) else 0
        return line.width + space + width(token) > self.wrap - SLACK


def numbered(text: str) -> bool:
    return bool(layout.NUMBERED.match(text) or layout.SINGLE.match(text) or layout.CHAPTER.match(text))


def dedent(lines: list[Line]) -> str:
    cut = min(line.indent for line in lines if line.text)
    return "\n".join(line.raw[cut:] for line in lines)


VERBATIM_WINDOW = 60  # lines looked at to tell preformatted text from prose


class Reader:
    def __init__(self, lines: list[Line | None]) -> None:
        self.lines = lines
        self.text_lines = [line if line is not None and line.text else None for line in lines]
        self.layout = Layout(lines)
        self.list_indents: list[int] = []
        self.gaps: dict[int, set[int]] = {}  # line number → column gaps
        # Worked out once for each line, when first needed (the windows of ``verbatim`` overlap):
        self.kinds: list[str | None] = [None] * len(lines)  # ``layout.kind`` of a text line
        self.prose_ends = [-1] * len(lines)  # see ``prose_end``

    def line(self, index: int) -> Line | None:
        """The line at ``index`` if it holds text (None for a blank line, a page break or the end)."""
        return self.text_lines[index] if 0 <= index < len(self.text_lines) else None

    def run(self, start: int, keep: Callable[[int], bool]) -> int:
        """The index after the run of text lines from ``start`` whose index ``keep`` holds for."""
        end = start
        while self.line(end) is not None and keep(end):
            end += 1
        return end

    def kind(self, index: int) -> str:
        """``layout.kind`` of the text line at ``index``: "" for a line that may continue a paragraph."""
        found = self.kinds[index]
        if found is None:
            found = self.kinds[index] = layout.kind(self.lines[index].text)  # type: ignore[union-attr]
        return found

    def prose_end(self, index: int) -> int:
        """The index after the run of text lines from ``index`` that may all continue a paragraph."""
        end = self.prose_ends[index]
        if end < 0:
            end = index
            while self.line(end) is not None and not self.kind(end):
                end += 1
            self.prose_ends[index:end] = [end] * (end - index)
        return end

    def shell_goes_on(self, index: int, indent: int) -> bool:
        """Does the text line at ``index`` go on a shell example whose prompt is indented ``indent``?"""
        line = self.lines[index]
        if line is None or line.indent < indent or layout.is_rule(line.text):
            return False
        long = self.layout.wrap >= WRAPPED_MIN and line.width >= self.layout.wrap - NEAR
        return not layout.reads_as_prose(line.text, long)

    def number_before(self, index: int) -> int:
        """The number of the last line before ``index`` (1 if none). Each answer is kept, so that a run of
        page breaks (100,000 form feeds) is looked back over once, not once per break."""
        known: dict[int, int] = vars(self).setdefault("numbers_before", {})  # (kept here: no other use)
        at = index - 1
        while at >= 0 and self.lines[at] is None and at not in known:
            at -= 1
        number = 1 if at < 0 else known[at] if self.lines[at] is None else self.lines[at].number  # type: ignore[union-attr]
        known[index] = number
        return number

    def blocks(self) -> Iterator[Block]:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if line is None:  # a page break: its line is the line before it (form feeds may follow each other)
                yield PageBreak(self.number_before(index))
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
        text, kind = line.text, self.kind(index)
        if kind == "rule":
            return Rule(text, line.number), index + 1
        if kind == "table":
            end = self.run(index, lambda at: layout.is_table(self.lines[at].text))  # type: ignore[union-attr]
            return self.code(index, end, "table"), end
        if kind == "prompt":
            end = self.run(index + 1, lambda at: self.shell_goes_on(at, line.indent))
            return self.code(index, end, "shell"), end
        if kind == "label":
            return Paragraph(spans(text), line.number, role="label"), index + 1
        if layout.is_contents_title(text) and self.contents_follow(index + 1):
            return self.contents(index, line)
        if layout.is_leader(text):
            return Paragraph(spans(text), line.number, role="contents"), index + 1
        alone = self.line(index - 1) is None and self.line(index + 1) is None
        if level := layout.heading_level(text) or (self.line(index + 1) is None and layout.section_level(text)):
            return Heading(link_spans(text), level, line.number), index + 1
        if layout.is_single_numbered(text) and line.indent <= self.layout.margin and self.line(index + 1) is None:
            return Heading(link_spans(text), 1, line.number), index + 1
        if kind == "item":
            return self.item(index, line, *layout.list_marker(text))  # type: ignore[misc]
        if alone and self.heading_like(line) and not self.credit(index):
            return Heading(link_spans(text), 1, line.number), index + 1
        if verbatim := self.verbatim(index):
            end = self.prose_end(index)
            return self.code(index, end, verbatim), end
        return self.paragraph(index, line)

    def heading_like(self, line: Line) -> bool:
        """A short line between blank lines, at the left margin, without final punctuation."""
        text = line.text
        return (
            len(text) <= TITLE_MAX
            and line.indent <= self.layout.margin
            and not layout.ends_final(text)
            and (line.han or any(c.isalpha() for c in text))
            and not layout.looks_like_code(text)
            and not layout.ADDRESS.match(text)
        )

    def credit(self, index: int) -> bool:
        """Is the line at ``index`` on a title page: a copyright, date or version stamp, a credit with an
        e-mail address, or a name whose credit follows (``Aron Xu`` before ``翻译 <a@b.org>``)?"""
        if layout.front_matter(self.lines[index].text):  # type: ignore[union-attr]
            return True
        following = index + 1
        while following < len(self.lines) and self.lines[following] is not None and self.line(following) is None:
            following += 1
        after = self.line(following)  # a credit: short, no sentence ("請寄信至 a@b.cn。" follows a heading)
        return (
            after is not None
            and "@" in after.text
            and len(after.text) <= TITLE_MAX + 20
            and not layout.ends_final(after.text)
            and layout.front_matter(after.text)
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
        end = min(self.prose_end(index), index + VERBATIM_WINDOW)
        lines = [line for line in self.lines[index:end] if line is not None]
        if lines and lines[0].han and layout.reads_as_prose(lines[0].text):  # (URLs may follow: still prose)
            return ""
        gapped = [self.column_gaps(line) for line in lines]
        latin = len([line for line in lines if not line.han])
        shared = max((len(a & b) for a, b in zip(gapped, gapped[1:])), default=0)
        if shared >= 2 or (shared and latin >= 0.6 * len(lines)):
            return "pre"
        if latin < 0.6 * len(lines):  # neither all Latin (code) nor mostly Latin (pre)
            return ""
        full = [self.layout.full(a, b) for a, b in zip(lines, lines[1:])]
        wrapped = sum(full) > len(full) / 2  # most lines of wrapped prose are full
        deeper = min(line.indent for line in lines) > self.layout.prose_indent
        code = latin == len(lines) and any(layout.looks_like_code(line.text) for line in lines)
        # (the last line of a wrapped paragraph may be short: "tutorial document.")
        english = wrapped and all(layout.ENGLISH.fullmatch(line.text) for line in lines[:-1] or lines)
        if code and not english and (deeper or (self.layout.chinese and not wrapped)):
            return "code"  # indented deeper than the prose, or Latin code amid Chinese prose
        if len(lines) >= 2 and not wrapped and latin >= 0.6 * len(lines):
            return "pre"
        return ""

    def paragraph(self, index: int, line: Line) -> tuple[Paragraph, int]:
        text, last, end = line.text, line, index + 1
        while (following := self.line(end)) is not None:
            if not (layout.starts_closing(following.text) or self.continues(last, end, line.indent)):
                break
            text, last, end = join(text, following.text, self.layout.spaced), following, end + 1
        return Paragraph(link_spans(text), line.number), end

    def continues(self, last: Line, index: int, indent: int) -> bool:
        """Does the line at ``index`` continue the wrapped prose line ``last`` (of a paragraph indented
        ``indent``)?"""
        following = self.lines[index]
        assert following is not None
        if following.indent > max(indent, last.indent) + 1 or not self.layout.full(last, following):
            return False
        if kind := self.kind(index):  # "(1)" or "-" may only look like a marker where a word was wrapped
            return kind == "item" and not layout.ends_final(last.text)
        return True

    def item(self, index: int, line: Line, marker: str, body: str) -> tuple[ListItem, int]:
        while self.list_indents and self.list_indents[-1] > line.indent:
            self.list_indents.pop()
        if not self.list_indents or self.list_indents[-1] < line.indent:
            self.list_indents.append(line.indent)
        text, last, end = body, line, index + 1
        while (following := self.line(end)) is not None:
            closing = layout.starts_closing(following.text)
            if not closing and self.kind(end):
                break
            if not (closing or following.indent > line.indent or self.layout.full(last, following)):
                break
            text, last, end = join(text, following.text, self.layout.spaced), following, end + 1
        ordered = marker[0].isdigit() or marker[-1] in ")）." or marker in "①②③④⑤⑥⑦⑧⑨⑩"
        return ListItem(link_spans(text), marker, ordered, len(self.list_indents) - 1, line.number), end

    def contents_like(self, index: int) -> bool:
        line = self.line(index)
        if line is None:
            return False
        text = line.text
        if layout.is_leader(text):
            return True
        if self.kind(index) in ("rule", "table", "prompt", "label"):
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
        """The contents list under ``title``: its title a heading, then one paragraph per entry, each at
        the level its indent shows among the list's indents (a wrapped entry joined)."""
        entries, end = self.contents_entries(index + 1)
        levels = {indent: level for level, indent in enumerate(sorted({indent for _, indent in entries}))}
        heading: list[Block] = [Heading(spans(title.text), 1, title.number)]
        return heading + [replace(entry, level=min(levels[indent], 5)) for entry, indent in entries], end

    def contents_entries(self, index: int) -> tuple[list[tuple[Paragraph, int]], int]:
        """The entries from ``index`` on, each with its indent; and where the list ends."""
        entries: list[tuple[Paragraph, int]] = []
        while True:
            if self.line(index) is None:
                if not self.contents_follow(index):
                    return entries, index
                while self.line(index) is None:
                    index += 1
            line, last = self.line(index), self.line(index - 1)
            if line is None or layout.is_contents_title(line.text):
                return entries, index
            if entries and last is not None and not numbered(line.text) and self.layout.full(last, line):
                entry, indent = entries[-1]  # a wrapped entry
                entries[-1] = (replace(entry, inlines=spans(join(entry.text, line.text, self.layout.spaced))), indent)
            elif self.contents_like(index):
                entries.append((Paragraph(spans(line.text), line.number, role="contents"), line.indent))
            else:
                return entries, index
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
