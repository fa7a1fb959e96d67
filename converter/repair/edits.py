"""Edits: what a fixer proposes, relative to the text it was given. Fixers never build text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ..document import Certainty


class Edit(NamedTuple):
    """Replace ``text[start:end]`` by ``after``. ``after == text[start:end]`` reports a span untouched.

    A named tuple, not a frozen dataclass: a damaged page yields an edit every few characters, and a
    tuple is made in a tenth of the time.
    """

    start: int
    end: int
    after: str
    kind: str
    certainty: Certainty = "exact"
    note: str = ""


Fixer = Callable[[str], list[Edit]]
_new_tuple = tuple.__new__


def new_edit(start: int, end: int, after: str, kind: str) -> Edit:
    """``Edit(start, end, after, kind)`` in half the time (the named tuple's ``__new__`` is Python code),
    for fixers that make an edit every few characters of a damaged page."""
    return _new_tuple(Edit, (start, end, after, kind, "exact", ""))


def apply(text: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits.

    >>> apply("ab,,cd", [Edit(2, 4, "，", "doubled-comma")])
    'ab，cd'
    """
    parts, last = [], 0
    for start, end, after, _, _, _ in edits:
        parts.append(text[last:start])
        parts.append(after)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def preview(fixer: Fixer, text: str) -> str:
    """The text after one fixer: handy in doctests."""
    return apply(text, fixer(text))


def edits_for(
    regex: re.Pattern[str], text: str, kind: str, replace: str | Callable[[re.Match[str]], str | None]
) -> list[Edit]:
    """An edit for every match of ``regex`` for which ``replace`` (a string, or a function of the match)
    gives a different string."""
    if isinstance(replace, str):
        return [new_edit(*m.span(), replace, kind) for m in regex.finditer(text) if m.group() != replace]
    edits = []
    for m in regex.finditer(text):
        after = replace(m)
        if after is not None and after != m.group():
            edits.append(new_edit(*m.span(), after, kind))
    return edits


class PositionMap:
    """Maps positions in the text after some edits back to the text before them."""

    def __init__(self, edits: Iterable[Edit]) -> None:
        out_starts: list[int] = []
        rows: list[tuple[int, int, int]] = []  # (out_start, out_end, in_start, in_end) minus out_start
        delta, same = 0, True
        for start, end, after, _, _, _ in edits:
            out_starts.append(start + delta)
            rows.append((start + delta + len(after), start, end))
            delta += len(after) - (end - start)
            same = same and end - start == len(after) == 1
        self._out_starts, self._rows = out_starts, rows
        self.same = same  # every edit replaces one character by one: every position maps to itself

    def back(self, pos: int, end: bool = False) -> int:
        i = bisect_right(self._out_starts, pos) - 1
        if i < 0:
            return pos
        out_end, in_start, in_end = self._rows[i]
        if pos >= out_end:  # after this edit: shift by its length change
            return in_end + (pos - out_end)
        return in_end if end and pos > self._out_starts[i] else in_start

    def back_all(self, positions: list[int], end: bool = False) -> list[int]:
        """``back`` for many positions at once.

        >>> m = PositionMap([Edit(1, 3, "X", "k"), Edit(5, 5, "++", "k")])
        >>> m.back_all([0, 1, 2, 4, 5, 7]), m.back_all([2, 5], end=True)
        ([0, 1, 3, 5, 5, 6], [3, 5])
        """
        if self.same:
            return positions
        out_starts, rows, found = self._out_starts, self._rows, []
        first = out_starts[0]  # (a map without edits is the same)
        add = found.append
        for pos in positions:
            if pos < first:  # before every edit
                add(pos)
                continue
            i = bisect_right(out_starts, pos) - 1
            out_end, in_start, in_end = rows[i]
            if pos >= out_end:
                add(in_end + (pos - out_end))
            else:
                add(in_end if end and pos > out_starts[i] else in_start)
        return found


def forward(position: int, insert_before: bool, edits: Sequence[Edit]) -> int:
    """Where ``position`` of a text stands after sorted ``edits``: an edit that covers it keeps its
    replacement on the left, but one that replaces character for character (``::`` → ``：：``) keeps each
    character on its side; an insertion at it goes left, or right with ``insert_before``.

    >>> e = [Edit(1, 3, "X", "k"), Edit(5, 5, "++", "k"), Edit(7, 9, "：：", "k")]
    >>> [forward(p, False, e) for p in (0, 2, 3, 5, 6, 8)], forward(5, True, e)
    ([0, 2, 2, 6, 7, 9], 4)
    """
    delta = 0
    for e in edits:
        if e.start == e.end == position:
            delta += 0 if insert_before else len(e.after)
        elif e.end <= position:
            delta += len(e.after) - (e.end - e.start)
        elif e.start < position:
            inside = position - e.start if len(e.after) == e.end - e.start else len(e.after)
            return e.start + delta + inside
        else:
            break
    return position + delta
