"""Checks shared by the Word tests and the fidelity benchmark: convert a .docx in memory and compare
the output with the input, and accept or reject every tracked change over the XML."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from converter.document import Document
from converter.formats.docx.package import open_package, run_text, runs, w
from converter.formats.docx.read import Styles, parse, unit_shapes
from converter.formats.docx.write import render
from converter.options import Options
from converter.pipeline import process
from converter.script import convert, detect

MASK = "\ue000"  # a private-use character: OpenCC leaves it alone
IGNORED_PROPERTIES = (w("rFonts"), w("lang"))  # these follow the script on purpose


def convert_docx(data: bytes, options: Options, name: str = "in.docx") -> tuple[Document, bytes]:
    document = process(parse(data, name), options)
    return document, render(document, options)


def part_texts(data: bytes) -> list[list[str]]:
    """Every paragraph of every text part, in the reader's walk, as the texts of its runs."""
    package = open_package(data)
    return [[run_text(run) for run in runs(p)] for p in package.paragraphs]


def paragraph_texts(data: bytes) -> list[str]:
    return ["".join(texts) for texts in part_texts(data)]


def main_xml(data: bytes) -> etree._Element:
    package = open_package(data)
    return package.xml(package.main)


@dataclass
class Structure:
    paragraphs: int
    styles: list[str]
    tables: int
    cells: int
    links: int


def structure(data: bytes) -> Structure:
    body = main_xml(data)
    paragraphs = list(body.iter(w("p")))
    styles = []
    for p in paragraphs:
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        styles.append(style.get(w("val")) if style is not None else "")
    return Structure(
        len(paragraphs),
        styles,
        len(list(body.iter(w("tbl")))),
        len(list(body.iter(w("tc")))),
        len(list(body.iter(w("hyperlink")))),
    )


def run_formats(data: bytes) -> list[list[bytes]]:
    """Per paragraph (every part), the properties of each run with text, fonts and language aside."""
    out = []
    for p in open_package(data).paragraphs:
        formats = []
        for run in runs(p):
            if not run_text(run):
                continue
            rpr = deepcopy(run.find(w("rPr")))
            if rpr is not None:
                for child in [c for c in rpr if c.tag in IGNORED_PROPERTIES]:
                    rpr.remove(child)
            formats.append(etree.tostring(rpr) if rpr is not None else b"")
        out.append(formats)
    return out


@dataclass
class Comparison:
    paragraphs: int
    format_kept: int
    text_ok: int
    structure_ok: bool
    changed: int  # paragraphs whose text the conversion changed

    def __str__(self) -> str:
        return (
            f"{self.paragraphs} paragraphs, {self.changed} converted, formatting kept in {self.format_kept}, "
            f"text as OpenCC in {self.text_ok}, structure {'kept' if self.structure_ok else 'CHANGED'}"
        )


def compare(data: bytes, to: str, name: str = "in.docx") -> Comparison:
    """Convert with repair off; compare structure, run formatting and text with the input."""
    document, out = convert_docx(data, Options(to=to, repair=False, formats=("docx",)), name)
    before, after = paragraph_texts(data), paragraph_texts(out)
    source = detect(parse(data, name).text)
    package = open_package(data)
    code = {n for numbers, kind in unit_shapes(package) if kind == "code" for n in numbers}
    styles = Styles(package)
    expected = [
        text if n in code else _converted(package.paragraphs[n], styles, to, source) for n, text in enumerate(before)
    ]
    formats_before, formats_after = run_formats(data), run_formats(out)
    kept = sum(a == b for a, b in zip(formats_before, formats_after))
    return Comparison(
        len(before),
        kept if len(formats_before) == len(formats_after) else 0,
        sum(a == b for a, b in zip(after, expected)) if len(after) == len(expected) else 0,
        structure(data) == structure(out),
        sum(a != b for a, b in zip(before, after)),
    )


def _converted(paragraph: etree._Element, styles: Styles, to: str, source: str) -> str:
    """OpenCC's conversion of a paragraph's text, the runs in a code style left as they are."""
    kept: list[str] = []
    masked = ""
    for run in runs(paragraph):
        text = run_text(run)
        if "code" in styles.style(run):
            kept += list(text)
            masked += MASK * len(text)
        else:
            masked += text
    converted = convert(masked, to, source)
    pieces = iter(kept)
    return "".join(next(pieces) if char == MASK else char for char in converted)


# --- tracked changes, accepted or rejected over the XML -------------------------------------------------


def resolve(data: bytes, accept: bool, part: str = "") -> list[str]:
    """The text of every paragraph of the main document (or of ``part``) once every revision is accepted
    (or rejected)."""
    root = etree.fromstring(members(data)[part]) if part else deepcopy(main_xml(data))
    drop, keep = (w("del"), w("ins")) if accept else (w("ins"), w("del"))
    for element in list(root.iter(drop)):
        element.getparent().remove(element)
    for element in list(root.iter(keep)):
        parent, at = element.getparent(), element.getparent().index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(at + offset, child)
        parent.remove(element)
    for element in root.iter(w("delText")):
        element.tag = w("t")
    return ["".join(run_text(run) for run in runs(p)) for p in root.iter(w("p"))]


def deletion_groups(data: bytes) -> list[list[str]]:
    """Runs of adjacent deletions (w:del elements with nothing kept or inserted between them), each
    as the list of its w:del texts: one change cut by run boundaries is several adjacent w:del."""
    groups: list[list[str]] = []
    for p in main_xml(data).iter(w("p")):
        current: list[str] = []
        for element in p.iter(w("del"), w("ins"), w("r")):
            if element.tag == w("del"):
                current.append("".join(t.text or "" for t in element.iter(w("delText"))))
            elif element.tag == w("ins") or (not _inside_revision(element) and run_text(element)):
                groups += [current] if current else []
                current = []
        groups += [current] if current else []
    return groups


def own_deletions(groups: list[list[str]]) -> Counter[str]:
    """Every text that is one deletion or several adjacent ones (a contiguous slice of a group)."""
    found: Counter[str] = Counter()
    for group in groups:
        for start in range(len(group)):
            for end in range(start + 1, len(group) + 1):
                found["".join(group[start:end])] += 1
    return found


def _inside_revision(element: etree._Element) -> bool:
    return any(a.tag in (w("del"), w("ins")) for a in element.iterancestors())


def docx_with_runs(paragraphs: list[list[tuple[str, bool]]]) -> bytes:
    """A .docx made with python-docx: each paragraph a list of (run text, bold)."""
    import docx

    document = docx.Document()
    for runs_of in paragraphs:
        paragraph = document.add_paragraph()
        for text, bold in runs_of:
            paragraph.add_run(text).bold = bold or None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def bold_by_character(data: bytes) -> list[list[bool]]:
    """Per body paragraph, whether each character is bold (direct formatting)."""
    out = []
    for p in main_xml(data).iter(w("p")):
        flags: list[bool] = []
        for run in runs(p):
            b = run.find(f"{w('rPr')}/{w('b')}")
            flags += [b is not None and b.get(w("val"), "true") not in ("0", "false")] * len(run_text(run))
        out.append(flags)
    return out


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def sinicized(data: bytes, pool: str) -> bytes:
    """A copy of a .docx with the text of every w:t replaced by Chinese from ``pool`` (same lengths):
    Word's markup kept, Chinese text to convert."""
    package = open_package(data)
    at = 0
    changed = set()
    for n, paragraph in enumerate(package.paragraphs):
        for run in runs(paragraph):
            for t in run.iter(w("t")):
                length = len(t.text or "")
                t.text = (pool * 2)[at % len(pool) : at % len(pool) + length]
                at += length
                changed.add(package.part_of[n])
    from converter.formats.docx.package import write_package

    return write_package(package, changed)
