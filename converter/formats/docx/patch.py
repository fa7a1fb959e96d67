"""Word in, Word out: the original package with only its text repaired and converted.

The package is walked again as the reader walked it; each run whose text changed gets the text of the
spans whose ``source`` is that run (a run with none left goes). Characters that stay keep their run,
so their formatting; every part zhdoc does not rewrite is copied byte for byte, in the same order.
With ``track_changes`` every change is a Word revision (``w:del`` / ``w:ins``, author zhdoc) in the run
that held it, and each span left as suspected mojibake gets a comment.
"""

from __future__ import annotations

import os
import time
from bisect import bisect_left, bisect_right
from copy import deepcopy
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lxml import etree

from ...document import Document, Fix, TextUnit, units
from ...errors import InputError
from ...options import Options
from .fonts import retag, script_of_language
from .package import MC, REL, Package, W, is_text, open_package, register_part, run_text, runs, w, write_package
from .read import unit_plan

AUTHOR = "zhdoc"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENT_TEXT = {  # by the output script: for a span left as it was, and for characters guessed
    ("simplified", "unrecovered"): "疑似乱码，保持原样：{before}",
    ("traditional", "unrecovered"): "疑似亂碼，保持原樣：{before}",
    ("simplified", "guessed"): "疑似乱码，推测为“{after}”（原文：{before}）",
    ("traditional", "guessed"): "疑似亂碼，推測為「{after}」（原文：{before}）",
}


@dataclass
class Revisions:
    """What a tracked change needs: a fresh id for each revision and one date for the whole run."""

    next_id: int
    date: str
    comments: list[tuple[int, Fix]] = field(default_factory=list)

    def take(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def mark(self, tag: str) -> etree._Element:
        element = etree.Element(w(tag))
        element.set(w("id"), self.take())
        element.set(w("author"), AUTHOR)
        element.set(w("date"), self.date)
        return element


def patch(document: Document, options: Options) -> bytes:
    """The original package with the document's text written into its runs."""
    package = open_package(document.package, document.source)
    plans = unit_plan(package)
    texts = list(units(document.blocks))
    if len(plans) != len(texts):
        raise InputError(document.source, "the Word document changed shape between reading and writing")
    changed: set[str] = set()
    revisions = Revisions(_max_id(package), _date()) if options.track_changes else None
    for numbers, unit in zip(plans, texts):
        changed |= _patch_unit(package, numbers, unit, revisions)
    for name in changed & {part for part, _ in package.parts}:
        _sync_fallbacks(package.trees[name], revisions)
    if revisions and revisions.comments:
        changed |= _add_comments(package, revisions, script_of_language(document.language))
    if options.to != "keep":
        changed |= retag(package, document.language)
    patched = write_package(package, changed) if changed else document.package
    if options.embed_fonts:
        from ...fonts import bundled_file, face_for
        from .embed import embed_fonts

        face = options.font or bundled_file(face_for(document.language))
        patched = embed_fonts(patched, document.text, face, options.font_index, east_asian=True)
    return patched


def _date() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


def _max_id(package: Package) -> int:
    found = 0
    for name, _ in package.parts:
        for value in package.xml(name).xpath("//@w:id", namespaces={"w": W}):
            if value.lstrip("-").isdigit():
                found = max(found, int(value))
    return found


def _patch_unit(package: Package, numbers: list[int], unit: TextUnit, revisions: Revisions | None) -> set[str]:
    """Write one text unit back into its paragraphs' runs; the names of the parts changed."""
    new: dict[tuple[int, int], str] = {}
    for span in unit.inlines:
        if span.source is not None:
            new[span.source] = new.get(span.source, "") + span.text
    layout: list[tuple[int, int, int, etree._Element, str]] = []  # (paragraph, run, offset in unit, run, text)
    at = 0
    for index, n in enumerate(numbers):
        at += 1 if index else 0
        for r, run in enumerate(runs(package.paragraphs[n])):
            old = run_text(run)
            if old:
                layout.append((n, r, at, run, old))
                at += len(old)
    review = [f for f in unit.fixes if f.certainty in ("unrecovered", "guessed")] if revisions else []
    changed = set()
    if review and package.part_of[numbers[0]] == package.main:
        _mark_for_comment(layout, review, revisions)
        changed.add(package.main)
    cuts = sorted({p for fix in unit.fixes for p in (fix.start, fix.end)})
    deleted = sorted({(fix.start, fix.end) for fix in unit.fixes if not fix.after})
    _move_joined_text(new, layout)
    for n, r, offset, run, old in layout:
        text = new.get((n, r), "")
        if text == old:
            continue
        changed.add(package.part_of[n])
        # (looked up by bisection: a paragraph of 20,000 runs has as many fixes, each run only its own)
        end = offset + len(old)
        local_cuts = {c - offset for c in cuts[bisect_right(cuts, offset) : bisect_left(cuts, end)]}
        inside = deleted[bisect_left(deleted, (offset,)) : bisect_right(deleted, (end, end))]
        local_deleted = {(a - offset, b - offset) for a, b in inside if b <= end}
        if revisions and not _inside_revision(run):
            revise_run(run, old, text, local_cuts, local_deleted, revisions)
        else:
            set_run_text(run, text)
    return changed


def _move_joined_text(new: dict[tuple[int, int], str], layout: list) -> None:
    """Text that an edit left in the line break joining two paragraphs of a cell goes to the first run
    of the paragraph after it (the break itself is the paragraph boundary, kept as it is)."""
    firsts: dict[int, int] = {}
    for p, run_number, *_ in layout:
        firsts.setdefault(p, run_number)
    for (n, r), text in list(new.items()):
        extra = text.replace("\n", "", 1) if r == -1 else ""
        first = firsts.get(n)
        if extra and first is not None:
            new[(n, first)] = extra + new.get((n, first), "")


def _inside_revision(run: etree._Element) -> bool:
    return any(a.tag in (w("ins"), w("del"), w("moveTo")) for a in run.iterancestors())


def _sync_fallbacks(root: etree._Element, revisions: Revisions | None) -> None:
    """A text box is written twice (DrawingML, and a VML fallback for old readers): the fallback's
    text becomes a copy of the converted one, with fresh revision ids."""
    for alternate in root.iter(f"{{{MC}}}AlternateContent"):
        choice, fallback = alternate.find(f"{{{MC}}}Choice"), alternate.find(f"{{{MC}}}Fallback")
        if choice is None or fallback is None:
            continue
        boxes, copies = list(choice.iter(w("txbxContent"))), list(fallback.iter(w("txbxContent")))
        if len(boxes) != len(copies):
            continue
        for box, copy in zip(boxes, copies):
            copy[:] = [deepcopy(child) for child in box]
            for element in copy.iter(w("ins"), w("del")):
                if revisions:
                    element.set(w("id"), revisions.take())


# --- one run's text -----------------------------------------------------------------------------------


def text_elements(text: str, deleted: bool = False) -> list[etree._Element]:
    """``text`` as run content: w:t (or w:delText), w:tab for a tab, w:br for a line break."""
    out = []
    for piece in _pieces(text):
        if piece == "\t":
            out.append(etree.Element(w("tab")))
        elif piece == "\n":
            out.append(etree.Element(w("br")))
        else:
            element = etree.Element(w("delText" if deleted else "t"))
            element.text = piece
            element.set(XML_SPACE, "preserve")
            out.append(element)
    return out


def _pieces(text: str) -> list[str]:
    """
    >>> _pieces("a\\tb\\n")
    ['a', '\\t', 'b', '\\n']
    """
    out, current = [], ""
    for char in text:
        if char in "\t\n":
            out += [current, char] if current else [char]
            current = ""
        else:
            current += char
    return out + ([current] if current else [])


def set_run_text(run: etree._Element, text: str) -> None:
    """Replace the text of a run, keeping its properties and any non-text content; an emptied run goes."""
    children = [child for child in run if isinstance(child.tag, str)]
    text_children = [child for child in children if is_text(child)]
    place = run.index(text_children[0]) if text_children else len(run)
    for child in text_children:
        run.remove(child)
    for offset, element in enumerate(text_elements(text)):
        run.insert(place + offset, element)
    others = [c for c in run if isinstance(c.tag, str) and c.tag != w("rPr")]
    if not others and run.getparent() is not None:
        run.getparent().remove(run)


def segments(old: str, new: str, cuts: set[int], deleted: set[tuple[int, int]]) -> list[tuple[str, str]]:
    """``old`` → ``new`` as (old piece, new piece) pairs, equal pieces included; a change is cut at
    every fix boundary in ``cuts``, so each deletion a fix made is a piece of its own.

    >>> segments("強(qiáng)基", "强基", {1, 8}, {(1, 8)})
    [('強', '强'), ('(qiáng)', ''), ('基', '基')]
    """
    out: list[tuple[str, str]] = []
    ordered = sorted(cuts)
    for op, i1, i2, j1, j2 in _opcodes(old, new):
        if op == "equal":
            out.append((old[i1:i2], new[j1:j2]))
            continue
        bounds = [i1, *ordered[bisect_right(ordered, i1) : bisect_left(ordered, i2)], i2]
        pieces = [(a, b) for a, b in zip(bounds, bounds[1:])]
        kept = [p for p in pieces if p not in deleted] or pieces[-1:]
        for piece in pieces:
            out.append((old[piece[0] : piece[1]], new[j1:j2] if piece == kept[0] else ""))
    return [pair for pair in out if pair != ("", "")]


def _opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes; for texts of one length (a script conversion), character by character.

    >>> _opcodes("關於這", "关於这")
    [('replace', 0, 1, 0, 1), ('equal', 1, 2, 1, 2), ('replace', 2, 3, 2, 3)]
    """
    if len(old) != len(new):
        return SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    out: list[tuple[str, int, int, int, int]] = []
    for index, (a, b) in enumerate(zip(old, new)):
        op = "equal" if a == b else "replace"
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1], index + 1, out[-1][3], index + 1)
        else:
            out.append((op, index, index + 1, index, index + 1))
    return out


def revise_run(
    run: etree._Element, old: str, new: str, cuts: set[int], deleted: set[tuple[int, int]], revisions: Revisions
) -> None:
    """Replace a run by runs of the same formatting: kept text, and each change as w:del + w:ins."""
    rpr = run.find(w("rPr"))
    made: list[etree._Element] = []
    for before, after in segments(old, new, cuts, deleted):
        if before == after:
            made.append(_run_like(rpr, text_elements(before)))
            continue
        if before:
            wrapper = revisions.mark("del")
            wrapper.append(_run_like(rpr, text_elements(before, deleted=True)))
            made.append(wrapper)
        if after:
            wrapper = revisions.mark("ins")
            wrapper.append(_run_like(rpr, text_elements(after)))
            made.append(wrapper)
    parent = run.getparent()
    text_children = [child for child in run if is_text(child)]
    others = [c for c in run if isinstance(c.tag, str) and c.tag != w("rPr") and not is_text(c)]
    place = parent.index(run)
    if others:  # a run holding more than text (a drawing, a field character): it stays, without its text
        first_text = run.index(text_children[0])
        place += 0 if first_text < run.index(others[0]) else 1
        for child in text_children:
            run.remove(child)
    else:
        parent.remove(run)
    for offset, element in enumerate(made):
        parent.insert(place + offset, element)


def _run_like(rpr: etree._Element | None, content: list[etree._Element]) -> etree._Element:
    run = etree.Element(w("r"))
    if rpr is not None:
        run.append(deepcopy(rpr))
    run.extend(content)
    return run


# --- comments on spans left as they were ---------------------------------------------------------------


def _mark_for_comment(layout, review, revisions: Revisions) -> None:
    """Put a comment range around the runs holding each unrecovered span; the comment is written later."""
    starts = [at for _, _, at, _, _ in layout]
    ends = [at + len(old) for _, _, at, _, old in layout]  # (runs follow each other: both sorted)
    for fix in review:
        inside = layout[bisect_right(ends, fix.start) : bisect_left(starts, fix.end)]
        covering = [(run, at) for _, _, at, run, _ in inside]
        if not covering:
            continue
        number = revisions.take()
        first, last = covering[0][0], covering[-1][0]
        start = etree.Element(w("commentRangeStart"))
        start.set(w("id"), number)
        first.addprevious(start)
        end = etree.Element(w("commentRangeEnd"))
        end.set(w("id"), number)
        reference = etree.Element(w("r"))
        etree.SubElement(reference, w("commentReference")).set(w("id"), number)
        last.addnext(end)
        end.addnext(reference)
        revisions.comments.append((int(number), fix))


def _add_comments(package: Package, revisions: Revisions, script: str) -> set[str]:
    name = next((t for k, t, m in package.relationships(package.main).values() if k == REL + "comments"), "")
    root = package.xml(name) if name else None
    changed = set()
    if root is None:
        name = "word/comments.xml"
        root = etree.Element(w("comments"), nsmap={"w": W})
        package.trees[name] = root
        changed = register_part(package, name, REL + "comments", COMMENTS_TYPE)
    changed.add(name)
    for number, fix in revisions.comments:
        comment = etree.SubElement(root, w("comment"))
        for key, value in (("id", str(number)), ("author", AUTHOR), ("date", revisions.date), ("initials", "zh")):
            comment.set(w(key), value)
        run = etree.SubElement(etree.SubElement(comment, w("p")), w("r"))
        run.extend(text_elements(COMMENT_TEXT[script, fix.certainty].format(before=fix.before, after=fix.after)))
    return changed
