"""Convert the text inside ASCII/box-drawing tables and aligned columns, keeping every column edge lined up.

A line is cut into segments: bars (``|``, ``+`` at a border, box-drawing verticals and crossings), border
runs (``-----``), and cells. In aligned columns (no bars) a cell is a field with the gap of spaces after it.
A converted cell that grows takes the room from its own spaces (a field keeps two before the next one);
where they are too few, every line of the block widens at that column edge, so all bars and fields after
it move together. A cell that shrinks is padded with spaces. Widths are display widths (CJK = 2 cells).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import NamedTuple

from .formats.text.layout import GAP, has_han, width

HORIZONTAL = "-=─━═┄┅┈┉╌╍╴╶╸╺╼╾~"
BORDER = re.compile(rf"[{re.escape(HORIZONTAL)}:. ]*[{re.escape(HORIZONTAL)}][{re.escape(HORIZONTAL)}:. ]*")
MIN_GAP = 2  # spaces kept between two fields of aligned columns


class Segment(NamedTuple):
    text: str
    kind: str  # bar, border, cell
    start: int  # display column where it starts, in the line as read
    end: int  # display column after it
    room: int = 0  # spaces the cell must keep at its end (a field's gap before the next field)


def is_bar(line: str, at: int) -> bool:
    """Is the character at ``at`` a table bar? A ``+`` is one only at the line's edges or beside a border.

    >>> [is_bar("|g++ |", i) for i in (0, 2, 5)], is_bar("+--+", 3), is_bar("│甲│", 0)
    ([True, False, True], True, True)
    """
    char = line[at]
    if char == "|":
        return True
    if char == "+":
        beside = line[at - 1 : at] + line[at + 1 : at + 2]
        return at in (0, len(line) - 1) or any(c in HORIZONTAL for c in beside)
    return "\u2500" <= char <= "\u257f" and char not in HORIZONTAL


def table_segments(line: str) -> list[Segment]:
    """A table line cut into bars, border runs and cells.

    >>> [(s.text, s.kind, s.start) for s in table_segments("|软件 |+--+")]
    [('|', 'bar', 0), ('软件 ', 'cell', 1), ('|', 'bar', 6), ('+', 'bar', 7), ('--', 'border', 8), ('+', 'bar', 10)]
    """
    out: list[Segment] = []
    column, begin = 0, 0
    for at in BAR_CANDIDATE.finditer(line):
        at = at.start()
        if not is_bar(line, at):
            continue
        if begin < at:
            column = _piece(line[begin:at], column, out)
        out.append(Segment(line[at], "bar", column, column + 1))
        column, begin = column + 1, at + 1
    if begin < len(line):
        _piece(line[begin:], column, out)
    return out


BAR_CANDIDATE = re.compile("[|+\u2500-\u257f]")


def _piece(text: str, start: int, out: list[Segment]) -> int:
    end = start + width(text)
    out.append(Segment(text, "border" if BORDER.fullmatch(text) else "cell", start, end))
    return end


def column_segments(line: str) -> list[Segment]:
    """A line of aligned columns cut into its indent and fields, each field with the gap after it.

    >>> [(s.text, s.start, s.room) for s in column_segments("  apt-get 软件包   ->  apt 软件包")]
    [('  ', 0, 0), ('apt-get 软件包   ', 2, 2), ('->  ', 19, 2), ('apt 软件包', 23, 0)]
    """
    out: list[Segment] = []
    body = line.lstrip(" ")
    if len(body) < len(line):
        out.append(Segment(line[: len(line) - len(body)], "cell", 0, len(line) - len(body)))
    at, column = len(line) - len(body), len(line) - len(body)
    for match in GAP.finditer(line, at):
        end = match.end()
        field = width(line[at:end])
        out.append(Segment(line[at:end], "cell", column, column + field, MIN_GAP))
        column, at = column + field, end
    if at < len(line):
        out.append(Segment(line[at:], "cell", column, column + width(line[at:])))
    return out


def fit(before: str, after: str, room: int = 0) -> tuple[str, int]:
    """``after`` (the converted ``before``) in the width of ``before``: a wider text takes spaces from its
    end, then its start (keeping ``room`` at its end); a narrower one is padded at its end. Also the columns
    it still lacks.

    >>> fit(" U盘   ", " 隨身碟   "), fit("U盘 ", "隨身碟 "), fit("软件包  ", "軟體包裹  ", 2), fit("隨身碟 ", "U盘 ")
    ((' 隨身碟', 0), ('隨身碟', 2), ('軟體包裹  ', 2), ('U盘    ', 0))
    """
    extra = width(after) - width(before)
    if extra <= 0:
        return after + " " * -extra, 0
    body = after.rstrip(" ")
    trailing = len(after) - len(body)
    take = min(extra, max(0, trailing - room))
    after, extra = after[: len(after) - take], extra - take
    leading = len(after) - len(after.lstrip(" "))
    take = min(extra, leading)
    return after[take:], extra - take


def realign(text: str, convert: Callable[[str], str], table: bool) -> str:
    """``text`` (the lines of one table, or of aligned columns) with every cell converted and lined up.

    >>> print(realign("+-------+----+\\n|U盘    |甲  |\\n|U盘盘  |乙  |\\n+-------+----+", _demo, True))
    +--------+----+
    |隨身碟  |甲  |
    |隨身碟盘|乙  |
    +--------+----+
    """
    if not has_han(text):
        return text
    whole = convert(text)
    if same_widths(text, whole):  # (the usual case: character forms only, one for one)
        return whole
    lines = text.split("\n")
    rows = [table_segments(line) if table else column_segments(line) for line in lines]
    cells = [(r, i) for r, row in enumerate(rows) for i, s in enumerate(row) if s.kind == "cell" and has_han(s.text)]
    converted = _convert_all([rows[r][i].text for r, i in cells], convert)
    new: dict[tuple[int, int], tuple[str, int]] = {}
    demand: dict[int, int] = {}  # column edge (as read) → columns every line widens there
    for (r, i), after in zip(cells, converted):
        segment = rows[r][i]
        if after == segment.text:
            continue
        last = i == len(rows[r]) - 1
        fitted, short = fit(segment.text, after, 0 if last else segment.room)
        if last and not table:  # the last field of a line: nothing to keep in line after it
            fitted, short = after, 0
        new[r, i] = (fitted, short)
        if short:
            demand[segment.end] = max(demand.get(segment.end, 0), short)
    if not new:
        return text
    edges = sorted(demand)
    widening = Widening(edges, list(accumulate((demand[edge] for edge in edges), initial=0)))
    changed = {r for r, _ in new}
    return "\n".join(
        _rebuild(row, new, widening, r) if edges or r in changed else lines[r] for r, row in enumerate(rows)
    )


class Widening(NamedTuple):
    edges: list[int]  # column edges (as read) where every line widens, in order
    totals: list[int]  # totals[i]: the widening of the first i edges

    def within(self, start: int, end: int) -> int:
        """The columns every line widens at the edges in ``(start, end]``."""
        return self.totals[bisect_right(self.edges, end)] - self.totals[bisect_right(self.edges, start)]


def _rebuild(row: list[Segment], new: dict, widening: Widening, r: int) -> str:
    texts = []
    for i, segment in enumerate(row):
        fitted, short = new.get((r, i), (segment.text, 0))
        if segment.kind != "bar":
            # the segment holding the column just before an edge takes that edge's widening
            widen = widening.within(segment.start, segment.end) - short
            if widen > 0:
                fill = next((c for c in reversed(segment.text) if c in HORIZONTAL), " ")
                fitted += (fill if segment.kind == "border" else " ") * widen
        texts.append(fitted)
    return "".join(texts)


def same_widths(before: str, after: str) -> bool:
    """Did the conversion change only Han characters, each for one of the same width?

    >>> same_widths("|软件|", "|軟體|"), same_widths("|U盘|", "|隨身碟|"), same_widths("甲|", "甲｜")
    (True, False, False)
    """
    if len(before) != len(after):
        return False
    changed = [(a, b) for a, b in zip(before, after) if a != b] if before != after else []
    return all(HAN_CHAR.match(a) and HAN_CHAR.match(b) for a, b in changed)


HAN_CHAR = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _convert_all(texts: list[str], convert: Callable[[str], str]) -> list[str]:
    """Every cell converted in one call (one line each); one by one if the conversion moved a line break."""
    if not texts:
        return []
    if any("\n" in text for text in texts):
        return [convert(text) for text in texts]
    joined = convert("\n".join(texts)).split("\n")
    return joined if len(joined) == len(texts) else [convert(text) for text in texts]


def _demo(text: str) -> str:
    return text.replace("U盘", "隨身碟")

