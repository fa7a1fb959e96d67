"""DOCX (python-docx): A4, a title heading, justified body with a two-character first-line indent,
the East Asian font set through ``w:eastAsia`` and the language tag of the script."""

from __future__ import annotations

import gc
import io
import zipfile
from functools import cache
from pathlib import Path

from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..document import Document, Fix
from ..fonts import FACES, face_for, register
from ..options import Options

BODY_SIZE = 12
REVIEW = {"unrecovered": WD_COLOR_INDEX.YELLOW, "guessed": WD_COLOR_INDEX.BRIGHT_GREEN}
BODY_STYLE = "Body Text"
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def render(document: Document, options: Options) -> bytes:
    if document.origin == "docx" and document.package:  # Word in, Word out: patch the original in place
        from .patch_docx import patch

        return patch(document, options)
    docx = open_docx(io.BytesIO(_template(_family(document, options), document.language)))
    properties = docx.core_properties
    properties.title = document.title or (Path(document.source).stem if document.source else "")
    properties.language = document.language
    properties.subject = Path(document.source).name if document.source else ""
    properties.author = properties.last_modified_by = "zhdoc"
    if document.title:
        docx.add_paragraph(document.title, style="Title")
    review = _review_spans(document)
    for index, text in enumerate(document.paragraphs):
        if text:
            _add_paragraph(docx, text, review.get(index, []))
    properties.comments = "made by zhdoc"
    out = io.BytesIO()
    docx.save(out)
    del docx, properties
    gc.collect(1)  # python-docx's parts hold each other: without this, their XML trees pile up in a batch
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


def _review_spans(document: Document) -> dict[int, list[Fix]]:
    """Per paragraph, the fixes a reader should look at (guessed characters, spans left as they were)."""
    spans: dict[int, list[Fix]] = {}
    for index, fix in document.fixes:
        if index >= 0 and fix.certainty in REVIEW and 0 <= fix.out_start < fix.out_end:
            spans.setdefault(index, []).append(fix)
    return spans


def _add_paragraph(docx, text: str, review: list[Fix]) -> None:
    """A body paragraph; each span to review is highlighted and carries a comment saying why."""
    paragraph = docx.add_paragraph(style=BODY_STYLE)
    position = 0
    for fix in sorted(review, key=lambda f: f.out_start):
        if fix.out_start < position or fix.out_end > len(text):
            continue  # the script conversion moved the text: the report still has the span
        if fix.out_start > position:
            paragraph.add_run(text[position : fix.out_start])
        run = paragraph.add_run(text[fix.out_start : fix.out_end])
        run.font.highlight_color = REVIEW[fix.certainty]
        docx.add_comment(run, text=_comment(fix), author="zhdoc", initials="zh")
        position = fix.out_end
    if position < len(text):
        paragraph.add_run(text[position:])


def _comment(fix: Fix) -> str:
    if fix.certainty == "unrecovered":
        return f"Suspected GBK mojibake, left as it was: {fix.before!r}. {fix.note}."
    return f"Guessed: {fix.after!r} stands for the garbled {fix.before!r} ({fix.note})."


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
    _prune_styles(styles.element)
    for rels in (docx.part.rels, docx.part.package.rels):
        for rel_id, rel in list(rels.items()):
            # a 430 KB copy of the styles for Word 2010, and a thumbnail of an empty page
            if rel.reltype.endswith(("/stylesWithEffects", "/thumbnail")):
                rels.pop(rel_id)
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


KEEP_STYLES = {
    "Normal",
    "Title",
    "TitleChar",
    "BodyText",
    "BodyTextChar",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "CommentText",
    "CommentTextChar",
    "CommentReference",
    "CommentSubject",
    "BalloonText",
}


def _prune_styles(styles) -> None:
    """Keep the styles zhdoc uses: the template's 300 KB of others is parsed again for every document."""
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)


def _drop_title_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
