"""Repair and script conversion over a document tree: the one place that knows both the text and its spans.

Each text unit (heading, paragraph, list item, cell, alt text) is repaired and converted as one text,
with its inline code masked; the boundaries between its spans are carried through every edit, so a fix
that crosses a span keeps the formatting of every character that stays. Code blocks are never entered.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from itertools import chain
from operator import countOf, itemgetter
from urllib.parse import unquote

from .columns import realign
from .document import Block, Code, Document, Fix, Inlines, Quote, TextUnit, map_units, plain, units
from .i18n import Plural
from .repair import FIXERS, fixers_for, normalize, repair_text
from .repair.chars import MASK_OTHER
from .repair.edits import Edit, Fixer, apply, forward
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
    out = [replace(span, text=text[a:b]) for span, a, b in zip(inlines, cuts, cuts[1:])]
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


def _edits(before: str, after: str) -> list[Edit]:
    """The edits that turn ``before`` into ``after`` (a script conversion; rarely changes the length)."""
    if len(before) == len(after):
        return [Edit(i, i + 1, b, "script") for i, (a, b) in enumerate(zip(before, after)) if a != b]
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    return [
        Edit(i1, i2, after[j1:j2], "script") for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    ]


def script_edits(text: str, keep: list[tuple[int, int]], target: str, source: str) -> list[Edit]:
    """What converting ``text`` to ``target`` changes, never inside ``keep`` (code, unrecovered spans)."""
    masked = mask(text, merge(keep), MASK_OTHER)
    converted = convert(masked, target, source)
    return [e for e in _edits(masked, converted) if not any(e.start < b and a < e.end for a, b in keep)]


def _review_ranges(fixes: tuple[Fix, ...]) -> list[tuple[int, int]]:
    return [(f.out_start, f.out_end) for f in fixes if f.certainty == "unrecovered" and f.out_start >= 0]


def convert_unit(unit: TextUnit, target: str, source: str) -> TextUnit:
    text = plain(unit.inlines)
    edits = script_edits(text, code_ranges(unit.inlines) + _review_ranges(unit.fixes), target, source)
    if not edits:
        return unit
    marks = [forward(at, before, edits) for at, before in boundaries(unit.inlines)]
    inlines = recut(apply(text, edits), unit.inlines, marks)
    fixes = tuple(_moved(fix, edits) for fix in unit.fixes)
    return replace(unit, inlines=inlines, fixes=fixes)


def _moved(fix: Fix, edits: list[Edit]) -> Fix:
    """A fix's place in the repaired text, after the script conversion."""
    if fix.out_start < 0:
        return fix
    return fix._replace(out_start=forward(fix.out_start, True, edits), out_end=forward(fix.out_end, False, edits))


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
