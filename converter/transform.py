"""Repair and script conversion over a document tree: the one place that knows both the text and its spans.

Each text unit (heading, paragraph, list item, cell, alt text) is repaired and converted as one text,
with its inline code masked; the boundaries between its spans are carried through every edit, so a fix
that crosses a span keeps the formatting of every character that stays. Code blocks are never entered.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace
from difflib import SequenceMatcher
from itertools import accumulate, chain
from operator import countOf, itemgetter
from os.path import commonprefix
from urllib.parse import unquote

from .columns import realign
from .document import Block, Code, Document, Fix, Inlines, Quote, TextUnit, map_units, plain, units
from .i18n import Plural
from .repair import FIXERS, fixers_for, normalize, repair_text
from .repair.chars import MASK_OTHER
from .repair.edits import Edit, Fixer, apply, forward_all
from .repair.junk import remove_stray_bars, strip_indent
from .repair.protect import mask, merge
from .script import convert, detect, language

_CERTAINTY = itemgetter(5)  # Fix.certainty


def boundaries(inlines: Inlines) -> list[tuple[int, bool]]:
    """The position of each boundary between spans, and whether an insertion there must go right
    (the span on the left is code)."""
    marks, at = [], 0
    for left in inlines[:-1]:
        at += len(left.text)
        marks.append((at, left.code))
    return marks


def code_ranges(inlines: Inlines) -> list[tuple[int, int]]:
    """Where the text must stay as it is: inline code, and a link whose text is its own URL (an autolink)."""
    ranges, at = [], 0
    for span in inlines:
        if span.code or (span.url and unquote(span.url) in (span.text, f"mailto:{span.text}")):
            ranges.append((at, at + len(span.text)))
        at += len(span.text)
    return ranges


def recut(text: str, inlines: Inlines, marks: list[int]) -> Inlines:
    """Cut ``text`` at ``marks`` into spans formatted as ``inlines`` were; empty spans go.

    >>> from converter.document import Span
    >>> recut("加強基層", (Span("加強("), Span("qiáng)基層", frozenset({"strong"}))), [2])[1].text
    '基層'
    """
    cuts = [0, *marks, len(text)]
    pieces = (text[a:b] for a, b in zip(cuts, cuts[1:]))
    # (a span whose text stays is kept as it is: a copy costs 10 µs, and a paragraph may hold 400,000)
    out = [span if span.text == piece else replace(span, text=piece) for span, piece in zip(inlines, pieces)]
    return tuple(span for span in out if span.text)


def repair_unit(unit: TextUnit, fixers: tuple[Fixer, ...] = FIXERS) -> TextUnit:
    text = plain(unit.inlines)
    if not text.strip():
        return unit
    repaired = repair_text(text, fixers, code_ranges(unit.inlines), boundaries(unit.inlines))
    if not repaired.fixes:
        return unit
    inlines = recut(repaired.text, unit.inlines, repaired.marks)
    return replace(unit, inlines=inlines, fixes=unit.fixes + tuple(repaired.fixes))


def repair_document(document: Document, cjk_latin_spacing: bool = False) -> Document:
    """Repair the title and every text unit; code and preformatted blocks are left as they are."""
    title, title_fixes = normalize(document.title, cjk_latin_spacing) if document.title else ("", [])
    fixers = fixers_for(cjk_latin_spacing)
    if document.origin == "docx":  # Word indents by paragraph properties: a leading tab or space is meant
        fixers = tuple(fixer for fixer in fixers if fixer is not strip_indent)
    if document.origin == "markdown":  # a bar is table syntax there (a row without its delimiter row too)
        fixers = tuple(fixer for fixer in fixers if fixer is not remove_stray_bars)
    repaired = document.evolve(
        title=title,
        title_fixes=document.title_fixes + tuple(title_fixes),
        blocks=map_units(document.blocks, lambda unit: repair_unit(unit, fixers)),
    )
    fixes = chain(*(unit.fixes for unit in units(repaired.blocks)), repaired.source_fixes, repaired.title_fixes)
    unrecovered = countOf(map(_CERTAINTY, fixes), "unrecovered")  # (in C: a damaged page has hundreds of fixes)
    if unrecovered:
        note = Plural(
            "{count} suspected mojibake span left as it was",
            "{count} suspected mojibake spans left as they were",
            count=unrecovered,
        )
        repaired = repaired.evolve(warnings=(*repaired.warnings, note))
    return repaired


def _edits(before: str, after: str, again: Callable[[str], str] | None = None) -> list[Edit]:
    """The edits that turn ``before`` into ``after`` (a script conversion; rarely changes the length);
    ``again`` converts a piece of ``before`` as ``after`` was made (to cut a long text where it may be cut).

    >>> [(e.start, e.end, e.after) for e in _edits("U盘，内存。", "隨身碟，記憶體。")]
    [(0, 2, '隨身碟'), (3, 5, '記憶體')]
    """
    if len(before) == len(after):
        return _one_for_one(before, after, 0)
    # A conversion replaces Chinese words only: what lies between them (marks, spaces, masked code) stays,
    # and pairs the pieces of the two texts, each compared alone.
    kept = _KEPT.findall(before)
    if kept != _KEPT.findall(after):
        return _compared(before, after, 0, again)
    edits: list[Edit] = []
    at = 0
    for old, new, between in zip(_KEPT.split(before), _KEPT.split(after), [*kept, ""], strict=True):
        if old != new:
            edits += _compared(old, new, at, again)
        at += len(old) + len(between)
    return edits


# Runs of what a conversion leaves alone: spaces, marks and masked text (not Latin letters: "U盘" → "隨身碟").
_KEPT = re.compile(r"[\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\ue000-\ue0ff!-/:-@\[-`{-~]+")
# SequenceMatcher's cost grows with the cube of the length on repeated words (400 characters: 0.5 s); a
# longer piece is cut in two where converting each half gives the same text, and each half compared.
_COMPARED_AT_MOST = 64
_CUTS_TRIED = 16  # places tried in turn from the middle (a word may not be cut)


def _one_for_one(before: str, after: str, at: int) -> list[Edit]:
    return [Edit(at + i, at + i + 1, b, "script") for i, (a, b) in enumerate(zip(before, after)) if a != b]


def _compared(before: str, after: str, at: int, again: Callable[[str], str] | None) -> list[Edit]:
    """The edits from ``before`` to ``after``, placed at ``at``."""
    if len(before) <= _COMPARED_AT_MOST and len(after) <= _COMPARED_AT_MOST:
        opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        return [Edit(at + i1, at + i2, after[j1:j2], "script") for op, i1, i2, j1, j2 in opcodes if op != "equal"]
    if len(before) == len(after):
        return _one_for_one(before, after, at)
    middle = len(before) // 2
    for cut in range(middle, min(len(before), middle + _CUTS_TRIED)) if again else ():
        head = again(before[:cut])  # type: ignore[misc]
        if after.startswith(head) and again(before[cut:]) == after[len(head) :]:  # type: ignore[misc]
            left = _compared(before[:cut], head, at, again)
            return left + _compared(before[cut:], after[len(head) :], at + cut, again)
    # No place to cut: what differs between the common beginning and end, as one edit.
    head = len(commonprefix([before, after]))
    tail = len(commonprefix([before[head:][::-1], after[head:][::-1]]))
    return [Edit(at + head, at + len(before) - tail, after[head : len(after) - tail], "script")]


def script_edits(text: str, keep: list[tuple[int, int]], target: str, source: str) -> list[Edit]:
    """What converting ``text`` to ``target`` changes, never inside ``keep`` (code, unrecovered spans)."""
    masked = mask(text, merge(keep), MASK_OTHER)
    converted = convert(masked, target, source)
    keep = sorted(keep)
    starts = [start for start, _ in keep]
    reach = list(accumulate((end for _, end in keep), max))  # the furthest end among the first i+1
    edits = []
    # (an edit that overlaps a kept range is dropped: found by bisection)
    for e in _edits(masked, converted, lambda piece: convert(piece, target, source)):
        before = bisect_left(starts, e.end)  # the ranges that start before the edit ends
        if not before or reach[before - 1] <= e.start:
            edits.append(e)
    return edits


def _review_ranges(fixes: tuple[Fix, ...]) -> list[tuple[int, int]]:
    return [(f.out_start, f.out_end) for f in fixes if f.certainty == "unrecovered" and f.out_start >= 0]


def convert_unit(unit: TextUnit, target: str, source: str) -> TextUnit:
    text = plain(unit.inlines)
    edits = script_edits(text, code_ranges(unit.inlines) + _review_ranges(unit.fixes), target, source)
    if not edits:
        return unit
    marks = forward_all(boundaries(unit.inlines), edits)
    inlines = recut(apply(text, edits), unit.inlines, marks)
    return replace(unit, inlines=inlines, fixes=_moved(unit.fixes, edits))


def _moved(fixes: tuple[Fix, ...], edits: list[Edit]) -> tuple[Fix, ...]:
    """The fixes' places in the repaired text, after the script conversion (all moved in one sweep)."""
    placed = [index for index, fix in enumerate(fixes) if fix.out_start >= 0]
    if not placed:
        return fixes
    starts = forward_all([(fixes[index].out_start, True) for index in placed], edits)
    ends = forward_all([(fixes[index].out_end, False) for index in placed], edits)
    moved = list(fixes)
    for index, start, end in zip(placed, starts, ends):
        moved[index] = moved[index]._replace(out_start=start, out_end=end)
    return tuple(moved)


def convert_document(document: Document, target: str) -> Document:
    """Detect the document's script and convert every text unit to ``target`` (``keep`` only detects)."""
    detected = detect(document.text)
    if target == "keep":
        return document.evolve(script=detected, language=language(target, detected))
    title = convert(document.title, target, detected) if document.title else ""
    blocks = map_units(document.blocks, lambda unit: convert_unit(unit, target, detected))
    if document.origin == "text":
        blocks = convert_tables(blocks, target, detected)
    converted = document.evolve(title=title, blocks=blocks)
    return converted.evolve(script=detect(converted.text), language=language(target, detected))


def convert_tables(blocks: tuple[Block, ...], target: str, source: str) -> tuple[Block, ...]:
    """Tables and aligned columns read from plain text are converted with the document, every column edge
    kept in line (``columns.realign``); code, shell examples and their output stay as they are."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Quote):
            block = replace(block, blocks=convert_tables(block.blocks, target, source))
        elif isinstance(block, Code) and block.kind in ("table", "pre"):  # pre: aligned columns, not code
            text = realign(block.text, lambda cells: convert(cells, target, source), block.kind == "table")
            block = replace(block, text=text) if text != block.text else block
        out.append(block)
    return tuple(out)
