"""Chinese line breaking for the PDF writer (W3C Requirements for Chinese Text Layout, basic rules).

reportlab's own CJK wrapping knows too few marks (not ``，`` ``；`` ``：`` ``”``) and never keeps an
opening mark off a line's end, so zhdoc breaks lines itself and hands reportlab finished lines.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

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
