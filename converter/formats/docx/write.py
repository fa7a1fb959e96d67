"""DOCX (python-docx): A4, a title, headings in the built-in Heading 1–6 styles, justified body with a
two-character first-line indent, lists with real numbering, code in a monospace CJK face, real tables,
hyperlinks, quotes, rules, page breaks and images; the East Asian font set through ``w:eastAsia`` and the
language tag of the script. Styles and numbering come from ``styles``, runs from ``inline``."""

from __future__ import annotations

import gc
import io
import zipfile
from dataclasses import replace
from functools import cache
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.package import Unmarshaller
from docx.opc.part import PartFactory
from docx.opc.pkgreader import PackageReader
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.paragraph import CT_P
from docx.package import Package
from docx.shared import Mm
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from ...anchors import fragment, heading_anchors
from ...document import (
    Block,
    Code,
    Document,
    Heading,
    Image,
    Inlines,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Table,
    units,
)
from ...document import spans as plain_spans
from ...fonts import FACES, face_for, register
from ...options import Options
from ...writers import unreadable_image
from .inline import Runs, hyperlink, xml_safe
from .lists import Numbering, shift
from .styles import (
    BODY_SIZE,
    BODY_STYLE,
    CODE_FACES,
    CODE_STYLE,
    LIST_STYLE,
    QUOTE_STYLE,
    TABLE_STYLE,
    clone,
    in_order,
    template,
)

TEXT_WIDTH = Mm(160)  # A4 less two 25 mm margins
QUOTE_TWIPS = 2 * BODY_SIZE * 20  # two characters: the Quote style's left indent, and a contents level's
TABLE_TAG = qn("w:tbl")
TABLE_PROPERTIES_AFTER_INDENT = {qn(f"w:{tag}") for tag in ("tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook")}
RULE = f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'


def render(document: Document, options: Options) -> bytes:
    if document.origin == "docx" and document.package:  # Word in, Word out: patch the original in place
        from .patch import patch

        return patch(document, options)
    language = document.language
    package = template(_family(document, options), language, CODE_FACES[face_for(language)])
    docx = _open(package)
    properties = docx.core_properties
    properties.title = xml_safe(document.title or (Path(document.source).stem if document.source else ""))
    properties.language = language
    properties.subject = xml_safe(Path(document.source).name if document.source else "")
    properties.author = properties.last_modified_by = "zhdoc"
    blocks = _Blocks(docx, STYLE_IDS.setdefault(package, {}))
    blocks.link_headings(document.blocks)
    if document.title:
        blocks.runs.add(blocks.paragraph("Title"), plain_spans(document.title), document.title_fixes)
    blocks.write(document.blocks)
    properties.comments = "made by zhdoc"
    data = _save(docx)
    del docx, properties, blocks
    gc.collect(1)  # python-docx's parts hold each other: without this, their XML trees pile up in a batch
    return data


def unreadable_images(blocks: tuple[Block, ...]) -> list[str]:
    """Warnings for embedded images python-docx cannot read (the DOCX shows their alt text instead)."""
    from docx.image.image import Image as Picture

    found = []
    for block in blocks:
        if isinstance(block, Quote):
            found += unreadable_images(block.blocks)
        elif isinstance(block, Image) and block.data is not None:
            try:
                Picture.from_blob(block.data)
            except Exception:  # any parse failure of foreign bytes
                found.append(unreadable_image(block))
    return found


# Style ids by template and style name: python-docx's lookup scans every style for each call.
STYLE_IDS: dict[bytes, dict[str, str | None]] = {}


class _Blocks:
    """Writes blocks in order, keeping the list numbering state between them."""

    def __init__(self, docx, style_ids: dict[str, str | None]) -> None:
        self.docx = docx
        self.style_ids = style_ids
        self.runs = Runs(docx, style_ids)
        self.numbering = Numbering(docx.part.numbering_part.element)
        self.prototypes: dict[str | None, CT_P] = {}
        self.section = docx.element.body.sectPr
        self.heading_number = -1  # of the heading being written, counting empty ones (as heading_anchors does)
        self.bookmark_names: set[str] = set()
        self.badges: DocxParagraph | None = None  # the paragraph of the linked images (badges) just written
        self._code_line = clone(self._prototype(CODE_STYLE))  # a code line: its w:t gets the text
        self._code_line.add_r().add_t(" ").set(qn("xml:space"), "preserve")

    def paragraph(self, style: str | None = None) -> DocxParagraph:
        """``add_paragraph(style=...)`` at the cost of one paragraph. python-docx scans every style for the
        style's id, every paragraph of the body for the section properties it inserts before, and a list
        of successor tags for each property it adds, on each call (a 10,000-paragraph manual took
        seconds); here each style's empty paragraph is made once and copied."""
        return self._place(clone(self._prototype(style)))

    def _prototype(self, style: str | None) -> CT_P:
        if style not in self.prototypes:
            p = self.prototypes[style] = self.docx.element.body._new_p()
            style_id = self._style_id(style, WD_STYLE_TYPE.PARAGRAPH) if style else None
            if style_id is not None:  # the default style is named by no w:pStyle
                p.style = style_id
        return self.prototypes[style]

    def _style_id(self, name: str, kind: WD_STYLE_TYPE) -> str | None:
        if name not in self.style_ids:
            self.style_ids[name] = self.docx.part.get_style_id(name, kind)
        return self.style_ids[name]

    def _place(self, p: CT_P) -> DocxParagraph:
        if self.section is not None:
            self.section.addprevious(p)
        else:
            self.docx.element.body.append(p)
        return DocxParagraph(p, self.docx._body)

    def link_headings(self, blocks: tuple[Block, ...]) -> None:
        """Give the headings that in-page links point at a bookmark each (``_Heading_2``, by the heading's
        number: Word wants a letter or ``_`` first, no hyphen, at most 40 characters; ``_`` hides it)."""
        linked = {fragment(span.url) for unit in units(blocks) for span in unit.inlines if span.url.startswith("#")}
        for number, anchor in enumerate(heading_anchors(blocks) if linked - {None} else []):
            if anchor in linked:
                self.runs.bookmarks.setdefault(anchor, f"_Heading_{number}")
        self.bookmark_names = set(self.runs.bookmarks.values())

    def write(self, blocks: tuple[Block, ...], depth: int = 0) -> None:
        """Write ``blocks``, inside ``depth`` quotes."""
        for index, block in enumerate(blocks):
            if isinstance(block, PageBreak) and index and isinstance(blocks[index - 1], PageBreak):
                continue  # a run of page breaks is one, as in the PDF (not a blank page per form feed)
            if not isinstance(block, ListItem):
                self.numbering.close()
            if isinstance(block, Heading):
                self.heading_number += 1
            if isinstance(block, (Heading, Paragraph)) and not block.text:
                continue  # an empty heading would show as a blank entry in the navigation pane
            if not _is_badge(block):
                self.badges = None
            if depth and not isinstance(block, Quote):
                written = self._body_length()
                self._write(block, depth)
                self._indent_quoted(written, depth)
            else:
                self._write(block, depth)

    def _write(self, block: Block, depth: int) -> None:
        if isinstance(block, Heading):
            paragraph = self.paragraph(f"Heading {min(max(block.level, 1), 6)}")
            self.runs.add(paragraph, block.inlines, block.fixes)
            if f"_Heading_{self.heading_number}" in self.bookmark_names:
                _bookmark(paragraph._p, f"_Heading_{self.heading_number}", self.heading_number)
        elif isinstance(block, Paragraph):
            paragraph = self.paragraph(QUOTE_STYLE if depth else BODY_STYLE)
            self.runs.add(paragraph, block.inlines, block.fixes)
            if block.level:  # a contents line under another
                shift(paragraph._p.get_or_add_pPr(), block.level * QUOTE_TWIPS)
        elif isinstance(block, ListItem):
            paragraph = self.paragraph(LIST_STYLE)
            lead = self.numbering.place(paragraph, block)
            if lead:
                paragraph.add_run(xml_safe(lead))
            self.runs.add(paragraph, block.inlines, block.fixes)
        elif isinstance(block, Code):
            self._code(block)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Quote):
            self.write(block.blocks, depth + 1)
        elif isinstance(block, Rule):
            in_order(self.paragraph()._p.get_or_add_pPr(), parse_xml(RULE))
        elif isinstance(block, PageBreak):
            self.paragraph().add_run().add_break(WD_BREAK.PAGE)  # (add_page_break scans the whole body)
        elif isinstance(block, Image):
            self._image(block)
        # Html: left out (the reader has warned)

    def _body_length(self) -> int:
        return len(self.docx.element.body) - (self.section is not None)

    def _indent_quoted(self, start: int, depth: int) -> None:
        """Indent what one block inside ``depth`` quotes wrote (the body's elements from ``start``) as far
        as the quoted text (the Quote style indents one level; a list item keeps its hanging indent)."""
        quote_style = self._style_id(QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        for element in self.docx.element.body[start : self._body_length()]:
            if element.tag == TABLE_TAG:
                indent = parse_xml(f'<w:tblInd {nsdecls("w")} w:w="{depth * QUOTE_TWIPS}" w:type="dxa"/>')
                later = [child for child in element.tblPr if child.tag in TABLE_PROPERTIES_AFTER_INDENT]
                if later:
                    later[0].addprevious(indent)
                else:
                    element.tblPr.append(indent)
            elif depth > 1 or element.style != quote_style:
                shift(element.get_or_add_pPr(), depth * QUOTE_TWIPS)

    def _code(self, block: Code) -> None:
        """One paragraph per line, spaces kept, tabs as tabs."""
        for line in xml_safe(block.text).split("\n"):
            if line and "\t" not in line and "\r" not in line:  # one w:t, as add_run would make, made directly
                p = clone(self._code_line)
                p[-1][-1].text = line
                self._place(p)
            elif line:
                run = self.paragraph(CODE_STYLE).add_run(line)
                for text in run._r.findall(qn("w:t")):
                    text.set(qn("xml:space"), "preserve")
            else:
                self.paragraph(CODE_STYLE)

    def _table(self, block: Table) -> None:
        columns = max((len(row) for row in block.rows), default=0)
        if not columns:
            return
        table = self.docx.add_table(rows=len(block.rows), cols=columns)
        table.style = TABLE_STYLE
        for index, (tr, row) in enumerate(zip(table._tbl.tr_lst, block.rows)):
            header = index == 0 and block.header
            if header:
                tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            for tc, cell in zip(tr.tc_lst, row):
                inlines = _styled(cell.inlines, "strong") if header else cell.inlines
                self.runs.add(_Cell(tc, table).paragraphs[0], inlines, cell.fixes)

    def _image(self, block: Image) -> None:
        if block.data is not None:
            joined = _is_badge(block) and self.badges is not None  # badges in a row share one line
            paragraph = self.badges if joined else self.paragraph()
            if joined:
                paragraph.add_run(" ")
            run = paragraph.add_run()
            try:
                shape = run.add_picture(io.BytesIO(block.data))
            except Exception:  # foreign bytes: unreadable_images has warned; the alt text stands in
                run._r.getparent().remove(run._r)
                if not joined:
                    paragraph._p.getparent().remove(paragraph._p)
            else:
                if _is_badge(block):
                    self.badges = paragraph
                if shape.width > TEXT_WIDTH:
                    shape.height, shape.width = int(shape.height * TEXT_WIDTH / shape.width), TEXT_WIDTH
                link = block.inlines[0].url if block.inlines else ""
                if link:  # a badge: the picture is the link
                    hyperlink(paragraph, xml_safe(link).strip(), self.runs.bookmarks).append(run._r)
                return
        if block.text:
            self.runs.add(self.paragraph(), _styled(block.inlines, "emphasis"), block.fixes)


def _is_badge(block: Block) -> bool:
    """A linked picture (a README's badge): set inline, beside the badges before it."""
    return isinstance(block, Image) and block.data is not None and bool(block.inlines and block.inlines[0].url)


def _bookmark(p: CT_P, name: str, number: int) -> None:
    """A bookmark around the paragraph's text (after its properties)."""
    start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{number}" w:name="{name}"/>')
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{number}"/>'))


def _styled(inlines: Inlines, style: str) -> Inlines:
    return tuple(replace(span, style=span.style | {style}) for span in inlines)


@cache
def _read(package: bytes) -> PackageReader:
    """The template's members and relationships as read from its zip (bytes, parsed anew by each ``_open``)."""
    return PackageReader.from_file(io.BytesIO(package))


def _open(package: bytes):
    """``docx.Document(io.BytesIO(package))`` (python-docx's ``OpcPackage.open``) without reading the zip again."""
    opened = Package()
    Unmarshaller.unmarshal(_read(package), opened, PartFactory)
    return opened.main_document_part.document


class _Zip:
    """python-docx's zip writer, with fixed time stamps (its own stamps each member with the current time,
    so that the same document gave different bytes)."""

    STAMP = (1980, 1, 1, 0, 0, 0)

    def __init__(self, out: io.BytesIO) -> None:
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        self.zip.writestr(zipfile.ZipInfo(pack_uri.membername, date_time=self.STAMP), blob, zipfile.ZIP_DEFLATED)


def _save(docx) -> bytes:
    """``docx.save`` (python-docx's ``OpcPackage.save``) into bytes with fixed time stamps."""
    package = docx.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _Zip(out)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.zip.close()
    return out.getvalue()


def _family(document: Document, options: Options) -> str:
    if options.font:
        return register(options.font, options.font_index).family
    return FACES[face_for(document.language)]
