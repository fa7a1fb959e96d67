"""The normaliser: one ordered list of pure fixers, applied with protected spans masked.

Each fixer takes text and returns edits; this module applies them, keeps protected text out of
their reach and maps every edit back to a position in the caller's text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple, TypeVar

from ..document import Fix
from . import junk, mojibake, pinyin, punctuation, spacing
from .chars import MASK_LATIN, MASK_OTHER
from .damage import may_change
from .edits import Edit, Fixer, Origins, forward_all
from .protect import mask, merge, spans

T = TypeVar("T")
ROUNDS = 3  # passes over the fixers at most; a second one only where a mojibake marker is left
FIXERS: tuple[Fixer, ...] = (
    junk.remove_invisible,
    junk.remove_markup,
    mojibake.repair_gbk_shift,  # before anything reads "?" or ";" as punctuation
    pinyin.remove_annotations,
    junk.remove_stray_bars,
    junk.strip_indent,
    punctuation.widen_parentheses,  # first, so that "）" counts as Chinese context for the marks
    punctuation.drop_spurious_commas,
    punctuation.collapse_doubled_commas,
    punctuation.widen_marks,
)
# Fixers whose changes can make or break a protected span (the others only touch Chinese context).
RESCAN = frozenset({junk.remove_invisible, junk.remove_markup, mojibake.repair_gbk_shift, junk.remove_stray_bars})
OPTIONAL_FIXERS: dict[str, Fixer] = {"cjk_latin_spacing": spacing.add_cjk_latin_spaces}


def normalize(text: str, cjk_latin_spacing: bool = False) -> tuple[str, list[Fix]]:
    """Repair ``text``; return the repaired text and every fix, positioned in ``text``.

    >>> normalize("4月1日,,全省加強(qiáng)基層工作,。")[0]
    '4月1日，全省加強基層工作。'
    """
    return run(text, fixers_for(cjk_latin_spacing))


def fixers_for(cjk_latin_spacing: bool = False) -> tuple[Fixer, ...]:
    return FIXERS + ((OPTIONAL_FIXERS["cjk_latin_spacing"],) if cjk_latin_spacing else ())


def run(text: str, fixers: tuple[Fixer, ...]) -> tuple[str, list[Fix]]:
    """Apply ``fixers`` in order, protected text masked, every edit mapped back into ``text``.

    Fixes that need a reader's eye (certainty other than exact) also get their place in the result.
    """
    repaired = repair_text(text, fixers)
    return repaired.text, repaired.fixes


class Repaired(NamedTuple):
    text: str
    fixes: list[Fix]
    marks: list[int]  # the caller's marks, moved to where they stand in the repaired text


def repair_text(
    text: str,
    fixers: tuple[Fixer, ...] = FIXERS,
    pinned: Sequence[tuple[int, int]] = (),
    marks: Sequence[tuple[int, bool]] = (),
) -> Repaired:
    """``run`` for a text unit of a document: ``pinned`` ranges (inline code) are never touched, and
    each mark ``(position, insert_before)`` — a boundary between two inline spans — is carried
    through every edit, so the caller can cut the repaired text into its spans again.

    An edit across a mark goes to the span where it starts; an insertion at a mark goes to the span
    on its left unless ``insert_before`` (the left span is code).

    >>> repaired = repair_text("加強(qiáng)基層", marks=[(5, False)])  # spans "加強(qi" and "áng)基層"
    >>> repaired.text, repaired.marks
    ('加強基層', [2])
    """
    if not may_change(text, fixers):  # most units of clean text: no place any fixer could act
        return Repaired(text, [], [at for at, _ in marks])
    return repair_everywhere(text, fixers, pinned, marks)


def repair_everywhere(
    text: str,
    fixers: tuple[Fixer, ...] = FIXERS,
    pinned: Sequence[tuple[int, int]] = (),
    marks: Sequence[tuple[int, bool]] = (),
) -> Repaired:
    """``repair_text`` without the skim: every fixer runs over the whole text."""
    fixed = [(start, end, MASK_LATIN) for start, end in pinned]
    protected = sorted(fixed + [(start, end, MASK_LATIN) for start, end in spans(text)])
    positions = list(marks)
    length = len(text)
    origins = Origins(length)  # where each position of the current text stood in the caller's text
    fixes: list[Fix] = []
    review: list[tuple[int, int, int]] = []  # (start, end, index into fixes) in the current text
    for _ in range(ROUNDS):
        steps_before = origins.steps
        for fixer in fixers:
            edits = _untouched(fixer(_masked(text, protected)), protected) if protected else fixer(text)
            if not edits:
                continue
            unsure: list[tuple[int, Edit]] = []  # (index into fixes, edit) of each fix that is not exact
            changed, repaired = _record(text, edits, origins.tables(), fixes, unsure)
            review = _shift(review, changed)
            moved = _shift([(here, here, 0) for _, (here, *_) in unsure], changed) if unsure else []
            for (at, _, _), (index, (here, until, after, _, certainty, _)) in zip(moved, unsure):
                review.append((at, at + len(after), index))
                if certainty == "unrecovered":  # later fixers must leave a reported span alone
                    protected.append((here, until, MASK_OTHER))
            if changed:
                text = repaired
                origins.add(changed)
                positions = list(zip(forward_all(positions, changed), (before for _, before in positions)))
                fixed = _shift(fixed, changed)
            protected = _shift(protected, changed)
            if fixer in RESCAN and changed:  # a removed tag may join a URL to what follows: look again
                kept = [r for r in protected if r[2] == MASK_OTHER]
                protected = kept + fixed + [(start, end, MASK_LATIN) for start, end in spans(text)]
            protected.sort()
        # A change can make a place for another fix (a widened mark completes a mojibake signature, a
        # removed bar leaves a mark at the end): look again while some fixer's trigger still matches, so
        # that repairing the result changes nothing.
        if origins.steps == steps_before or not may_change(text, fixers):
            break
    for start, end, index in review:
        fixes[index] = fixes[index]._replace(out_start=start, out_end=end)
    return Repaired(text, _in_place_order(fixes), [at for at, _ in positions])


def _record(
    text: str, edits: list[Edit], origins: tuple[Sequence[int], Sequence[int]], fixes: list[Fix], unsure: list
) -> tuple[list[Edit], str]:
    """Add a fix for each edit to ``fixes``, placed in the caller's text by ``origins`` (the tables of
    ``Origins.tables``), and each fix that is not exact to ``unsure``; return the edits that change the text,
    and the text they make (``apply``'s, made in the same loop)."""
    starts, ends = origins
    changed = []
    parts, last = [], 0
    for edit in edits:  # (one loop for all, as a damaged page yields an edit every few characters)
        here, until, after, kind, certainty, note = edit
        before = text[here:until]
        fixes.append(_new_tuple(Fix, (kind, starts[here], ends[until], before, after, certainty, note, -1, -1)))
        if before != after:
            changed.append(edit)
            parts.append(text[last:here])
            if after:
                parts.append(after)
            last = until
        if certainty != "exact":
            unsure.append((len(fixes) - 1, edit))
    parts.append(text[last:])
    return changed, "".join(parts)


# A Fix from its fields, made in C: the named tuple's __new__ is Python code. (Called directly: through
# functools.partial it takes half as long again.)
_new_tuple = tuple.__new__
_START, _END = itemgetter(1), itemgetter(2)


def _in_place_order(fixes: list[Fix]) -> list[Fix]:
    """``fixes`` sorted by (start, end), kept in the order made where equal.

    (By end, then by start: a sort is stable, and one by a number, not a pair, needs no pair made per fix.)
    """
    fixes.sort(key=_END)
    fixes.sort(key=_START)
    return fixes


def _masked(text: str, protected: list[tuple[int, int, str]]) -> str:
    for placeholder in (MASK_LATIN, MASK_OTHER):
        # (merged: inline code may also be protected text, a.txt; two ranges over it would lengthen the text)
        text = mask(text, merge([(s, e) for s, e, p in protected if p == placeholder]), placeholder)
    return text


def _untouched(edits: list[Edit], protected: list[tuple[int, int, str]]) -> list[Edit]:
    """The edits that touch no protected range (``protected`` sorted)."""
    starts = [start for start, _, _ in protected]
    reach = list(accumulate((end for _, end, _ in protected), max))  # the furthest end among the first i+1
    kept = []
    for e in edits:
        before = bisect_left(starts, e.end)  # the ranges that start before the edit ends
        if not before or reach[before - 1] <= e.start:
            kept.append(e)
    return kept


def _shift(protected: list[tuple[int, int, T]], edits: list[Edit]) -> list[tuple[int, int, T]]:
    """Move ranges past the edits made before them (edits never overlap them)."""
    if not protected:  # (most often: the caller's own empty list serves)
        return protected
    if len(protected) < 4:  # (most often none: a table of the edits would cost more)
        return [(s + _delta(edits, s), e + _delta(edits, s), p) for s, e, p in protected]
    ends = [e.end for e in edits]  # sorted, as the edits are
    deltas = list(accumulate((len(e.after) - (e.end - e.start) for e in edits), initial=0))
    out = []
    for start, end, placeholder in protected:
        delta = deltas[bisect_right(ends, start)]  # the edits that end at or before the range starts
        out.append((start + delta, end + delta, placeholder))
    return out


def _delta(edits: list[Edit], at: int) -> int:
    return sum(len(e.after) - (e.end - e.start) for e in edits if e.end <= at)
