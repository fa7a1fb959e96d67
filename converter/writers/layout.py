"""Chinese line breaking for the PDF writer (W3C Requirements for Chinese Text Layout, basic rules).

reportlab's own CJK wrapping knows too few marks (not ``，`` ``；`` ``：`` ``”``) and never keeps an
opening mark off a line's end, so zhdoc breaks lines itself and hands reportlab finished lines.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from unicodedata import east_asian_width

CANNOT_START = frozenset("、，；：。？！”’）》」』】〕〉…‥·・%‰℃,.;:?!)]}")
CANNOT_END = frozenset("“‘（《「『【〔〈([{")
INSEPARABLE = frozenset("…—")  # …… and —— are one mark each


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def can_break(text: str, i: int) -> bool:
    """May a line end between ``text[i - 1]`` and ``text[i]``?

    >>> can_break("中，文", 1), can_break("中“文", 2), can_break("ab", 1), can_break("a b", 2), can_break("……", 1)
    (False, False, False, True, False)
    """
    before, after = text[i - 1], text[i]
    if after in CANNOT_START or before in CANNOT_END or after == " ":
        return False
    if before == after and before in INSEPARABLE:
        return False
    return not (_latin(before) and _latin(after))


def break_lines(text: str, widths: list[float], first: float, rest: float) -> list[tuple[int, int]]:
    """Greedy line breaking: (start, end) of each line; ``first``/``rest`` are the line widths available.

    When the greedy break is forbidden, characters move down to the next line until it is allowed.

    >>> break_lines("一二三，四五", [1] * 6, 3, 3)
    [(0, 2), (2, 5), (5, 6)]
    """
    sums = [0.0, *accumulate(widths)]
    lines, start, available = [], 0, first
    while start < len(text):
        end = bisect_right(sums, sums[start] + available + 1e-6) - 1
        end = max(end, start + 1)
        if end >= len(text):
            lines.append((start, len(text)))
            break
        cut = end
        while cut > start + 1 and not can_break(text, cut):
            cut -= 1
        if not can_break(text, cut):
            cut = end  # nothing better in this line: break where it is full
        lines.append((start, cut))
        start, available = cut, rest
    return lines


def break_paragraph(text: str, widths: list[float], first: float, rest: float) -> list[tuple[int, int, bool]]:
    """``break_lines`` for a text with forced line breaks (``\\n``): (start, end, forced) of each line.

    The ``\\n`` itself belongs to no line; a forced line is not justified.

    >>> break_paragraph("一二\\n三四五", [1] * 6, 2, 2)
    [(0, 2, True), (3, 5, False), (5, 6, False)]
    """
    lines: list[tuple[int, int, bool]] = []
    start, available = 0, first
    while True:
        end = text.find("\n", start)
        forced = end >= 0
        end = end if forced else len(text)
        if end > start:
            pieces = break_lines(text[start:end], widths[start:end], available, rest)
            lines += [(start + a, start + b, False) for a, b in pieces]
        else:
            lines.append((start, start, False))
        if not forced:
            return lines
        lines[-1] = (lines[-1][0], lines[-1][1], True)
        start, available = end + 1, rest


def cells(char: str) -> int:
    """Grid cells of a character in verbatim text: two for East Asian Wide and Fullwidth, else one.

    >>> cells("中"), cells("a"), cells("｜"), cells("─")
    (2, 1, 2, 1)
    """
    if char < "\u1100":
        return 1
    return 2 if east_asian_width(char) in ("W", "F") else 1


class _Cells(dict):
    """Character → ``cells(character)``, filled as read (a table look-up costs less than the call)."""

    def __missing__(self, char: str) -> int:
        found = self[char] = cells(char)
        return found


_CELLS = _Cells()


def line_cells(line: str) -> int:
    """Grid cells of a line of verbatim text.

    >>> line_cells("a中b"), line_cells("abc"), line_cells("")
    (4, 3, 0)
    """
    if not line or max(line) < "\u1100":
        return len(line)
    return sum(map(_CELLS.__getitem__, line))


def grid_rows(text: str, limit: int) -> list[str]:
    """Verbatim lines as rows of at most ``limit`` cells, each row's first character in column 0 (a
    character's column is the sum of the cells before it). A tab moves on to the next multiple of 8
    columns (as spaces), or ends the row where that reaches the limit.

    >>> grid_rows("a中b\\tc", 3)
    ['a中', 'b', 'c']
    >>> grid_rows("|中|\\n\\nabcde", 2)
    ['|', '中', '|', '', 'ab', 'cd', 'e']
    >>> grid_rows("a\\tb", 20)
    ['a       b']
    """
    rows: list[str] = []
    width_of = _CELLS.__getitem__
    for line in text.split("\n"):
        if not line or (max(line) < "\u1100" and "\t" not in line):  # one cell a character: cut every limit
            rows += [line[i : i + limit] for i in range(0, len(line), limit)] or [""]
            continue
        if "\t" not in line and sum(map(width_of, line)) <= limit:
            rows.append(line)
            continue
        row: list[str] = []
        column = line_column = 0
        for char in line:
            if char == "\t":
                stop = 8 - line_column % 8
                line_column += stop
                column += stop
                if column >= limit:
                    rows.append("".join(row))
                    row, column = [], 0
                else:
                    row.append(" " * stop)
                continue
            width = width_of(char)
            if column + width > limit and column > 0:
                rows.append("".join(row))
                row, column = [], 0
            row.append(char)
            column += width
            line_column += width
        rows.append("".join(row))
    return rows


def column_widths(natural: list[float], minimum: list[float], available: float) -> list[float]:
    """Table column widths: natural widths if they fit; else the columns that need more than their
    share are narrowed (never below their minimum where possible) until the table fits.

    >>> column_widths([10, 20], [5, 5], 100)
    [10, 20]
    >>> column_widths([10, 200, 100], [5, 20, 20], 100)
    [10, 60.0, 30.0]
    """
    if sum(natural) <= available:
        return list(natural)
    widths, wide = list(natural), list(range(len(natural)))
    while wide:
        room = available - sum(widths[i] for i in range(len(widths)) if i not in wide)
        narrow = [i for i in wide if natural[i] <= room / len(wide)]
        if not narrow:
            total = sum(natural[i] for i in wide)
            for i in wide:
                widths[i] = max(room * natural[i] / total, min(minimum[i], room / len(wide)))
            break
        wide = [i for i in wide if i not in narrow]
    scale = available / sum(widths)
    return [w * scale for w in widths] if scale < 1 else widths


def fit_scale(glyph: float, room: float) -> float:
    """Horizontal scale of a glyph drawn in grid cells ``room`` wide: it fills 90–95 % of them, so text
    extraction sees no gap between neighbours (and inserts no space), while a wide glyph is narrowed.

    >>> fit_scale(10.0, 5.0), fit_scale(3.0, 6.0), fit_scale(0.0, 6.0)
    (0.475, 1.8, 1.0)
    """
    if glyph <= 0:
        return 1.0
    if glyph > room * 0.95:
        return room * 0.95 / glyph
    return max(1.0, room * 0.9 / glyph)
