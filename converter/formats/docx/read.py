"""Word (.docx) → a Document: one text unit per paragraph, one span per run with text.

Paragraphs are visited in the package's walk (``package``). Each span's ``source`` is
``(paragraph number, run number)`` in that walk, so the in-place writer (``patch.py``)
finds every run again. Field codes are never text; field results are. A paragraph in a code style is
a Code block (never repaired or converted); headers, footers, notes and comments come after the body
as paragraphs with that role.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from itertools import groupby

from lxml import etree

from ...anchors import heading_anchors
from ...document import Block, Cell, Code, Document, Heading, ListItem, Paragraph, Span, Table, units
from .package import MC, REL, Package, R, open_package, run_text, runs, w

BINARY = True
CODE_PARAGRAPH = re.compile(r"(?i)(preformatted text|html preformatted|source code|code|macro text|verbatim)\b")
CODE_CHARACTERS = re.compile(r"(?i)(source text|html code|html typewriter|html keyboard|verbatim char|code)\b")


def paragraph_texts(package: Package, number: int) -> list[str]:
    return [run_text(run) for run in runs(package.paragraphs[number])]


# --- styles and numbering -------------------------------------------------------------------------------


def _on(element: etree._Element | None) -> bool | None:
    if element is None:
        return None
    return element.get(w("val"), "true").lower() not in ("0", "false", "off", "none")


class Styles:
    """What the reader needs of styles.xml and numbering.xml: heading levels, character formatting, lists."""

    def __init__(self, package: Package) -> None:
        self.styles: dict[str, etree._Element] = {}
        styles_part = self._part(package, "styles")
        root = package.xml(styles_part) if styles_part else None
        for style in root.iter(w("style")) if root is not None else ():
            self.styles[style.get(w("styleId"), "")] = style
        numbering_part = self._part(package, "numbering")
        self.numbering = package.xml(numbering_part) if numbering_part else None
        self.counters: dict[tuple[str, int], int] = {}
        self.chains: dict[str, list[etree._Element]] = {}

    @staticmethod
    def _part(package: Package, kind: str) -> str:
        rels = package.relationships(package.main).values()
        return next((t for k, t, m in rels if k == REL + kind and t in package.members), "")

    def _chain(self, style_id: str) -> list[etree._Element]:
        """A style and those it is based on, nearest first (once per style: a chain may be thousands long)."""
        if style_id not in self.chains:
            self.chains[style_id] = self._walk_chain(style_id)
        return self.chains[style_id]

    def _walk_chain(self, style_id: str) -> list[etree._Element]:
        chain, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            based = style.find(w("basedOn"))
            style_id = based.get(w("val"), "") if based is not None else ""
        return chain

    def heading_level(self, paragraph: etree._Element) -> int:
        """1–6 for a heading (Heading 1–9, Title, or an outline level), 0 for body text."""
        ppr = paragraph.find(w("pPr"))
        style_id = _val(ppr, "pStyle")
        level = _outline(ppr)
        for style in self._chain(style_id):
            name = (_val(style, "name") or "").lower()
            if name == "title":
                return 1
            match = re.fullmatch(r"heading ([1-9])", name)
            if match:
                return min(int(match.group(1)), 6)
            level = level if level is not None else _outline(style.find(w("pPr")))
        return min(level + 1, 6) if level is not None and level < 9 else 0

    def contents_level(self, paragraph: etree._Element) -> int | None:
        """0, 1… for a line of a table of contents (styles ``toc 1``, ``toc 2``…), None for others."""
        for style in self._chain(_val(paragraph.find(w("pPr")), "pStyle")):
            match = re.fullmatch(r"toc ([1-9])", (_val(style, "name") or "").lower())
            if match:
                return int(match.group(1)) - 1
        return None

    def table_borders(self, table: etree._Element) -> bool:
        """Does the table draw a border: in its properties, its style's, or a cell's?"""
        tblpr = table.find(w("tblPr"))
        sources = [tblpr.find(w("tblBorders")) if tblpr is not None else None]
        sources += [style.find(f"{w('tblPr')}/{w('tblBorders')}") for style in self._chain(_val(tblpr, "tblStyle"))]
        sources += list(table.iter(w("tcBorders")))
        sides = [side for borders in sources if borders is not None for side in borders]
        return any(side.get(w("val"), "nil") not in ("nil", "none") for side in sides)

    def _named(self, style_id: str, names: re.Pattern[str]) -> bool:
        return any(names.match(_val(style, "name")) for style in self._chain(style_id))

    def is_code(self, paragraph: etree._Element) -> bool:
        """A paragraph in a code or preformatted style (never repaired or converted)."""
        return self._named(_val(paragraph.find(w("pPr")), "pStyle"), CODE_PARAGRAPH)

    def style(self, run: etree._Element) -> frozenset[str]:
        rpr = run.find(w("rPr"))
        chain = [rpr] + [s.find(w("rPr")) for s in self._chain(_val(rpr, "rStyle"))]
        found = {"code"} if self._named(_val(rpr, "rStyle"), CODE_CHARACTERS) else set()
        for name, tags in (("strong", ("b",)), ("emphasis", ("i",)), ("strike", ("strike", "dstrike"))):
            for props in chain:
                value = next(
                    (_on(props.find(w(t))) for t in tags if props is not None and props.find(w(t)) is not None), None
                )
                if value is not None:
                    if value:
                        found.add(name)
                    break
        return frozenset(found)

    def list_item(self, paragraph: etree._Element) -> tuple[str, bool, int] | None:
        """(marker, ordered, level) of a numbered or bulleted paragraph, None for others."""
        ppr = paragraph.find(w("pPr"))
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        if numpr is None:
            for style in self._chain(_val(ppr, "pStyle")):
                style_ppr = style.find(w("pPr"))
                numpr = style_ppr.find(w("numPr")) if style_ppr is not None else None
                if numpr is not None:
                    break
        num_id = _val(numpr, "numId")
        if not num_id or num_id == "0":
            return None
        level = int(_val(numpr, "ilvl") or 0)
        fmt = self._format(num_id, level)
        if fmt in ("bullet", "none"):
            return "•", False, level
        key = (num_id, level)
        self.counters[key] = self.counters.get(key, 0) + 1
        for (other, deeper), _ in list(self.counters.items()):
            if other == num_id and deeper > level:
                del self.counters[(other, deeper)]
        return f"{self.counters[key]}.", True, level

    @cache  # noqa: B019 (one Styles per document read)
    def _format(self, num_id: str, level: int) -> str:
        if self.numbering is None:
            return "bullet"
        num = next((n for n in self.numbering.iter(w("num")) if n.get(w("numId")) == num_id), None)
        abstract_id = _val(num, "abstractNumId")
        abstract = next(
            (a for a in self.numbering.iter(w("abstractNum")) if a.get(w("abstractNumId")) == abstract_id), None
        )
        if abstract is None:
            return "bullet"
        lvl = next((lv for lv in abstract.iter(w("lvl")) if lv.get(w("ilvl")) == str(level)), None)
        return _val(lvl, "numFmt") or "decimal"


def _val(parent: etree._Element | None, tag: str) -> str:
    child = parent.find(w(tag)) if parent is not None else None
    return child.get(w("val"), "") if child is not None else ""


def _outline(ppr: etree._Element | None) -> int | None:
    value = _val(ppr, "outlineLvl")
    return int(value) if value.isdigit() else None


# --- the walk -------------------------------------------------------------------------------------------


def unit_plan(package: Package) -> list[list[int]]:
    """The paragraph numbers of each text unit, in the order the reader makes the units."""
    return [numbers for numbers, kind in unit_shapes(package) if kind != "code"]


WRAPPERS = (w("sdt"), w("sdtContent"), w("customXml"), f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice")


def _children(element: etree._Element, *tags: str) -> list[etree._Element]:
    """The children of ``element`` with one of ``tags``, in order, looking through content controls."""
    found = []
    stack = [iter(element)]  # not recursive: content controls may nest two thousand deep
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in tags:
            found.append(child)
        elif child.tag in WRAPPERS:
            stack.append(iter(child))
    return found


def unit_shapes(package: Package) -> list[tuple[list[int], str]]:
    """Each block of text as (paragraph numbers, kind): kind is "body", "code" (a paragraph in a code
    style: never a text unit), "cell:<table>:<row>" or a role."""
    styles = Styles(package)
    number = {id(p): n for n, p in enumerate(package.paragraphs)}
    shapes: list[tuple[list[int], str]] = []
    body = package.xml(package.main).find(w("body"))
    tables = 0
    for child in _children(body, w("p"), w("tbl")) if body is not None else ():
        if child.tag == w("p"):
            for p in child.iter(w("p")):
                if id(p) in number and _has_text(p):
                    shapes.append(([number[id(p)]], "code" if styles.is_code(p) else "body"))
            continue
        for row_index, row in enumerate(_children(child, w("tr"))):
            for cell in _children(row, w("tc")):
                members = [number[id(p)] for p in cell.iter(w("p")) if id(p) in number]
                shapes.append((members, f"cell:{tables}:{row_index}"))
        tables += 1
    for name, role in package.parts[1:]:
        for n, part in enumerate(package.part_of):
            if part == name and _has_text(package.paragraphs[n]):
                shapes.append(([n], role))
    return shapes


def _has_text(paragraph: etree._Element) -> bool:
    return any(run_text(run) for run in runs(paragraph))


def _inlines(package: Package, styles: Styles, numbers: list[int]) -> tuple[Span, ...]:
    out: list[Span] = []
    for index, n in enumerate(numbers):
        if index:
            out.append(Span("\n", source=(n, -1)))
        links = package.relationships(package.part_of[n])
        for r, run in enumerate(runs(package.paragraphs[n])):
            text = run_text(run)
            if text:
                out.append(Span(text, styles.style(run), _url(run, links), (n, r)))
    return tuple(out)


def _url(run: etree._Element, links: dict[str, tuple[str, str, str]]) -> str:
    link = next(run.iterancestors(w("hyperlink")), None)
    if link is None:
        return ""
    target = links.get(link.get(f"{{{R}}}id", ""), ("", "", ""))[1]
    anchor = link.get(w("anchor"), "")
    return target + (f"#{anchor}" if anchor else "")


def parse(data: bytes, source: str = "", encoding: str = "", title: str | None = None) -> Document:
    """A .docx's bytes → Document; the package bytes are kept for the in-place writer."""
    package = open_package(data, source)
    styles = Styles(package)
    blocks: list[Block] = []
    body = package.xml(package.main).find(w("body"))
    tables = _children(body, w("tbl")) if body is not None else []  # in the order unit_shapes counts them
    for kind, grouped in groupby(unit_shapes(package), key=lambda shape: shape[1].rsplit(":", 1)[0]):
        group = list(grouped)
        line = group[0][0][0] + 1 if group[0][0] else 0  # a block's "line" is its paragraph number in the walk
        if kind == "code":
            lines = ["".join(paragraph_texts(package, numbers[0])) for numbers, _ in group]
            blocks.append(Code("\n".join(lines), kind="pre", line=line))
        elif kind.startswith("cell:"):
            rows = groupby(group, key=lambda shape: shape[1])
            cells = tuple(tuple(Cell(_inlines(package, styles, numbers)) for numbers, _ in row) for _, row in rows)
            table = tables[int(kind.split(":")[1])]
            blocks.append(Table(cells, header=False, line=line, borders=styles.table_borders(table)))
        else:
            blocks += [
                _block(package, styles, numbers[0], _inlines(package, styles, numbers), kind) for numbers, _ in group
            ]
    blocks = _contents_links(package, blocks)
    return Document(tuple(blocks), title or "", source, "", origin="docx", package=data)


def _contents_links(package: Package, blocks: list[Block]) -> list[Block]:
    """Links to a heading's bookmark (``#_Toc…``, a contents line's) point at the heading's anchor, as
    in-page links do in the other writers (``anchors.heading_anchors``)."""
    links = {span.url[1:] for block in blocks for span in getattr(block, "inlines", ()) if span.url[:1] == "#"}
    if not links:
        return blocks
    headings = [block for block in units(tuple(blocks)) if isinstance(block, Heading)]
    target: dict[str, str] = {}
    for heading, anchor in zip(headings, heading_anchors(tuple(blocks))):
        paragraph = package.paragraphs[heading.line - 1]
        for mark in paragraph.iter(w("bookmarkStart")):
            if mark.get(w("name")) in links:
                target[mark.get(w("name"))] = anchor
    if not target:
        return blocks
    return [_relinked(block, target) if isinstance(block, (Paragraph, ListItem)) else block for block in blocks]


def _relinked(block: Paragraph | ListItem, target: dict[str, str]) -> Paragraph | ListItem:
    inlines = tuple(
        replace(span, url=f"#{target[span.url[1:]]}") if span.url[1:] in target and span.url[:1] == "#" else span
        for span in block.inlines
    )
    return replace(block, inlines=inlines)


def _block(package: Package, styles: Styles, n: int, inlines: tuple[Span, ...], kind: str) -> Block:
    if kind != "body":
        return Paragraph(inlines, n + 1, role=kind)
    paragraph = package.paragraphs[n]
    depth = styles.contents_level(paragraph)
    if depth is not None:  # a table of contents: its lines keep their nesting
        return Paragraph(inlines, n + 1, role="contents", level=depth)
    level = styles.heading_level(paragraph)
    if level:
        return Heading(inlines, level, n + 1)
    item = styles.list_item(paragraph)
    if item:
        marker, ordered, depth = item
        return ListItem(inlines, marker, ordered, depth, n + 1)
    return Paragraph(inlines, n + 1)
