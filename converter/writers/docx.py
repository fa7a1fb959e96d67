"""DOCX (python-docx): A4, a title heading, justified body with a two-character first-line indent,
the East Asian font set through ``w:eastAsia`` and the language tag of the script."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..document import Document
from ..fonts import FACES, face_for, register
from ..options import Options

BODY_SIZE = 12
BODY_STYLE = "Body Text"
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def render(document: Document, options: Options) -> bytes:
    docx = open_docx(io.BytesIO(_template(_family(document, options), document.language)))
    properties = docx.core_properties
    properties.title = document.title or (Path(document.source).stem if document.source else "")
    properties.language = document.language
    properties.subject = Path(document.source).name if document.source else ""
    properties.author = properties.last_modified_by = "zhdoc"
    if document.title:
        docx.add_paragraph(document.title, style="Title")
    for text in document.paragraphs:
        docx.add_paragraph(text, style=BODY_STYLE)
    properties.comments = "made by zhdoc"
    out = io.BytesIO()
    docx.save(out)
    return _fixed_timestamps(out.getvalue())


def _fixed_timestamps(package: bytes) -> bytes:
    """python-docx stamps each zip member with the current time; fixed stamps make the output reproducible."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(
                zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                source.read(member),
                zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def _family(document: Document, options: Options) -> str:
    if options.font:
        return register(options.font, options.font_index).family
    return FACES[face_for(document.language)]


@cache
def _template(family: str, language: str) -> bytes:
    """python-docx's default template with zhdoc's page and styles, prepared once per process."""
    docx = open_docx()
    section = docx.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(25)
    styles = docx.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults, family, language)
    for name in ("Normal", BODY_STYLE, "Title"):
        _set_fonts(styles[name].element.get_or_add_rPr(), family, language)
    body = styles[BODY_STYLE].paragraph_format
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.first_line_indent = Pt(2 * BODY_SIZE)
    body.line_spacing = 1.5
    body.space_before = body.space_after = Pt(0)
    indent = styles[BODY_STYLE].element.get_or_add_pPr().find(qn("w:ind"))
    indent.set(qn("w:firstLineChars"), "200")  # two characters, whatever the font size
    styles[BODY_STYLE].font.size = Pt(BODY_SIZE)
    title = styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.font.size, title.font.bold, title.font.color.rgb = Pt(20), True, RGBColor(0, 0, 0)
    _drop_title_border(title)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def _set_fonts(rpr, family: str, language: str) -> None:
    """Name the font for every script through ``w:rFonts`` (theme attributes removed, or they win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:val"), language)


def _drop_title_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
