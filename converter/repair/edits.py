"""Edits: what a fixer proposes, relative to the text it was given. Fixers never build text."""

from __future__ import annotations

import re
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
    edits = []
    for m in regex.finditer(text):
        after = replace if isinstance(replace, str) else replace(m)
        if after is not None and after != m.group():
            start, end = m.span()
            edits.append(_new_tuple(Edit, (start, end, after, kind, "exact", "")))  # (new_edit, inlined)
    return edits


class Origins:
    """Where each position of a text that edits change step by step stood in the text first given.

    Every step's edits are composed into one table per way of reading a position (a range's start, or its
    end) when a position is first asked for, so a fix is placed with one look-up however many steps came
    before it. A position inside a replacement maps to where the replaced text starts; read as a range's
    end, any but the replacement's first position maps to where it ends.

    >>> origins = Origins(8)
    >>> origins.add([Edit(1, 3, "X", "k"), Edit(5, 5, "++", "k")])
    >>> origins.back([0, 1, 2, 4, 5, 7]), origins.back([2, 5], end=True)
    ([0, 1, 3, 5, 5, 6], [3, 5])
    >>> origins.add([Edit(0, 2, "", "k")])  # the second step removes "aX"
    >>> origins.back([0, 1, 3, 5]), origins.back([0, 3], end=True)
    ([3, 4, 5, 6], [3, 5])
    """

    def __init__(self, length: int) -> None:
        self._size = length + 1  # the tables' length: a position for each character, and the end
        self._starts: Sequence[int] = _identity(self._size)  # for each position of the current text
        self._ends = self._starts  # (the same table until a replacement is longer than one)
        self._pending: list[Sequence[Edit]] = []  # steps not yet composed into the tables
        self.steps = 0

    def add(self, edits: Sequence[Edit]) -> None:
        """Record a step: ``edits`` (sorted, not overlapping) applied to the current text."""
        self._pending.append(edits)
        self.steps += 1

    def tables(self) -> tuple[Sequence[int], Sequence[int]]:
        """For each position of the current text, where it stood in the first text: read as a range's start,
        and read as its end."""
        for edits in self._pending:
            starts, longer = _composed(self._starts, self._size, edits, False)
            if longer or self._ends is not self._starts:
                self._ends = _composed(self._ends, self._size, edits, True)[0]
            else:
                self._ends = starts
            self._starts, self._size = starts, len(starts)
        self._pending.clear()
        return self._starts, self._ends

    def back(self, positions: Iterable[int], end: bool = False) -> list[int]:
        """Where ``positions`` of the current text stood in the first text (read as ends with ``end``)."""
        return list(map(self.tables()[end].__getitem__, positions))


_POSITIONS: list[int] = []  # 0, 1, 2 ... made once: a table copies them, quicker than making each number


def _identity(size: int) -> Sequence[int]:
    """0, 1, 2 ... up to ``size`` at least: the numbers made once for a text of up to 65,536 characters
    (most text units), a range for a longer one."""
    if size > 1 << 16:
        return range(size)
    if len(_POSITIONS) < size:
        _POSITIONS.extend(range(len(_POSITIONS), max(size, 1024)))
    return _POSITIONS


def _composed(table: Sequence[int], size: int, edits: Sequence[Edit], end: bool) -> tuple[list[int], bool]:
    """``table`` (for each position of a text; its first ``size`` items) for the text after ``edits``, and
    whether a replacement is longer than one character (then a range's end maps elsewhere than its start)."""
    if len(edits) * size <= _IN_PLACE_AT_MOST and isinstance(table, list):
        return _composed_in_place(table, size, edits, end)
    out: list[int] = []
    last = 0
    longer = False
    for start, stop, after, _, _, _ in edits:
        out += table[last:start]  # the unchanged text before the edit
        if after:  # where the replacement stands: its start, or as an end, its end after its first position
            out.append(table[start])
            if len(after) > 1:
                out += [table[stop] if end else table[start]] * (len(after) - 1)
                longer = True
        last = stop
    out += table[last:size]
    return out, longer


# A copy changed in place, the last edit first, moves the rest of the table at each edit; cheaper than building
# it piece by piece, for a paragraph (most of a damaged page's edits remove or replace by one character).
_IN_PLACE_AT_MOST = 1 << 20


def _composed_in_place(table: list[int], size: int, edits: Sequence[Edit], end: bool) -> tuple[list[int], bool]:
    out = table[:size]
    longer = False
    for start, stop, after, _, _, _ in reversed(edits):
        if not after:
            del out[start:stop]
        elif len(after) == 1 and stop > start:
            if stop > start + 1:  # (the replacement's position keeps the replaced text's first)
                del out[start + 1 : stop]
        else:
            out[start:stop] = [table[start]] + [table[stop] if end else table[start]] * (len(after) - 1)
            longer = longer or len(after) > 1
    return out, longer


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


def forward_all(positions: Sequence[tuple[int, bool]], edits: Sequence[Edit]) -> list[int]:
    """``forward(position, insert_before, edits)`` for each ``(position, insert_before)``, in one sweep of
    the positions in order beside the edits: O(positions + edits), not their product (a paragraph of
    20,000 runs has 20,000 boundaries, and a damaged one as many edits).

    >>> e = [Edit(1, 3, "X", "k"), Edit(5, 5, "++", "k"), Edit(7, 9, "：：", "k")]
    >>> forward_all([(0, False), (2, False), (3, False), (5, False), (6, False), (8, False), (5, True)], e)
    [0, 2, 2, 6, 7, 9, 4]
    """
    out = [0] * len(positions)
    order = sorted(range(len(positions)), key=positions.__getitem__)  # (marks come sorted: a linear sort)
    count = len(edits)
    i = delta = 0  # edits[:i] end before the position (or at it, and are not insertions): ``delta`` theirs
    last, at, inserted = -1, 0, 0
    for index in order:
        position, insert_before = positions[index]
        if position != last:  # (many marks at one place look at its insertions once)
            while i < count:
                start, end, after = edits[i][:3]
                if end > position or (end == position and start == end):
                    break
                delta += len(after) - (end - start)
                i += 1
            at, inserted, last = i, 0, position
            while at < count and edits[at].start == edits[at].end == position:
                inserted += len(edits[at].after)
                at += 1
        if at < count and edits[at].start < position:  # (then no insertion at the position: ``at == i``)
            start, end, after = edits[at][:3]
            out[index] = start + delta + (position - start if len(after) == end - start else len(after))
        else:
            out[index] = position + delta + (0 if insert_before else inserted)
    return out
