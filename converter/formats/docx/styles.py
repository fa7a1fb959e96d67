"""The DOCX template: python-docx's default document with zhdoc's page, styles and list numbering,
pruned to what zhdoc uses and prepared once per process."""

from __future__ import annotations

import html
import io
from functools import cache

from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ...fonts import face_for

BODY_SIZE = 12
CODE_SIZE = 10
BODY_STYLE = "Body Text"
LIST_STYLE = "List Paragraph"
CODE_STYLE = "Code"
CODE_CHAR_STYLE = "Code Char"
QUOTE_STYLE = "Quote"
LINK_STYLE = "Hyperlink"
TABLE_STYLE = "Table Grid"
HEADING_SIZES = {1: 18, 2: 16, 3: 14, 4: 13, 5: 12, 6: 12}
CODE_FACES = {"SC": "Noto Sans Mono CJK SC", "TC": "Noto Sans Mono CJK TC"}
SHADING = "F2F2F2"
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# numbering: one abstract numbering for bullets, one for decimal numbers; w:num 1 is every bulleted list
BULLET_ABSTRACT, DECIMAL_ABSTRACT, BULLET_NUM = 1, 2, 1
LEVELS = range(9)
INDENT_STEP = 420  # twips: 21 pt, a bit under two characters of 12 pt
BULLET_GLYPHS = ("•", "◦", "▪")


@cache
def template(family: str, language: str, code_face: str) -> bytes:
    """python-docx's default template with zhdoc's page, styles and numbering."""
    docx = open_docx()
    section = docx.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(25)
    styles = docx.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, family, language)
    _body_styles(styles, family, language)
    _heading_styles(styles, family, language)
    _list_and_quote_styles(styles, family, language)
    _code_styles(styles, code_face, language)
    _link_style(styles)
    _comment_styles(styles, family, language)
    _prune_styles(styles.element)
    _numbering(docx.part.numbering_part.element)
    _settings(docx.settings.element, language)
    _font_table(docx.part, family, code_face, language)
    for rels in (docx.part.rels, docx.part.package.rels):
        for rel_id, rel in list(rels.items()):
            # a 430 KB copy of the styles for Word 2010, and a thumbnail of an empty page
            if rel.reltype.endswith(("/stylesWithEffects", "/thumbnail")):
                rels.pop(rel_id)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


LATIN_LANGUAGE = "en-US"  # the language of Latin text in a Chinese document (LibreOffice writes the same)


def set_fonts(rpr, family: str, language: str, east_asian: str = "") -> None:
    """Name the font for every script through ``w:rFonts`` (theme attributes removed, or they win), and
    the languages: East Asian text ``language``, Latin text ``LATIN_LANGUAGE`` (tagged Chinese, Latin
    words would be broken anywhere by LibreOffice, as Han text is)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), family)
    fonts.set(qn("w:eastAsia"), east_asian or family)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:val"), LATIN_LANGUAGE)


def _body_styles(styles, family: str, language: str) -> None:
    for name in ("Normal", BODY_STYLE, "Title"):
        set_fonts(styles[name].element.get_or_add_rPr(), family, language)
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
    _drop(title.element.get_or_add_pPr(), "w:pBdr")


def _heading_styles(styles, family: str, language: str) -> None:
    """Built-in Heading 1–6 (navigation and outlines know them), in the body face, black, sized by level."""
    for level, size in HEADING_SIZES.items():
        style = styles[f"Heading {level}"]
        rpr = style.element.get_or_add_rPr()
        set_fonts(rpr, family, language)
        style.font.size, style.font.bold, style.font.italic = Pt(size), True, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        paragraph = style.paragraph_format
        paragraph.keep_with_next = True
        paragraph.space_before, paragraph.space_after = Pt(size * 0.8), Pt(size * 0.4)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _list_and_quote_styles(styles, family: str, language: str) -> None:
    items = styles[LIST_STYLE]
    _drop(items.element.get_or_add_pPr(), "w:ind")  # the numbering level (or the item) sets the indent
    _drop(items.element.get_or_add_pPr(), "w:contextualSpacing")
    items.font.size = Pt(BODY_SIZE)
    items.paragraph_format.line_spacing = 1.5
    items.paragraph_format.space_before = items.paragraph_format.space_after = Pt(0)
    items.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    set_fonts(items.element.get_or_add_rPr(), family, language)
    quote = styles[QUOTE_STYLE]
    ppr = quote.element.get_or_add_pPr()
    for tag in ("w:ind", "w:jc", "w:spacing"):
        _drop(ppr, tag)
    quote.paragraph_format.left_indent = Pt(2 * BODY_SIZE)
    quote.paragraph_format.line_spacing = 1.5
    quote.paragraph_format.space_before = quote.paragraph_format.space_after = Pt(0)
    in_order(ppr, _border("left", size=18, color="BFBFBF", space=8))
    quote.font.size, quote.font.italic = Pt(BODY_SIZE), False  # set off by indent and bar: a CJK face has no italic
    quote.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    set_fonts(quote.element.get_or_add_rPr(), family, language)


def _code_styles(styles, face: str, language: str) -> None:
    """A paragraph style for verbatim lines and a character style for inline code, in a monospace CJK face."""
    code = styles.add_style(CODE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    code.base_style = styles["Normal"]
    code.font.size = Pt(CODE_SIZE)
    fmt = code.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.left_indent = fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    ppr = code.element.get_or_add_pPr()
    ppr.find(qn("w:ind")).set(qn("w:firstLineChars"), "0")
    in_order(ppr, _shading())
    set_fonts(code.element.get_or_add_rPr(), face, language)
    inline = styles.add_style(CODE_CHAR_STYLE, WD_STYLE_TYPE.CHARACTER)
    inline.base_style = styles["Default Paragraph Font"]
    rpr = inline.element.get_or_add_rPr()
    set_fonts(rpr, face, language)
    rpr.insert_element_before(_shading(), *RUN_AFTER_SHADING)


def _link_style(styles) -> None:
    link = styles.add_style(LINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    link.base_style = styles["Default Paragraph Font"]
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True


def _comment_styles(styles, family: str, language: str) -> None:
    """The styles python-docx's ``add_comment`` names (review comments) and its template lacks."""
    text = styles.add_style("annotation text", WD_STYLE_TYPE.PARAGRAPH)
    text.element.set(qn("w:styleId"), "CommentText")
    text.base_style = styles["Normal"]
    text.font.size = Pt(10)
    set_fonts(text.element.get_or_add_rPr(), family, language)
    reference = styles.add_style("annotation reference", WD_STYLE_TYPE.CHARACTER)
    reference.element.set(qn("w:styleId"), "CommentReference")
    reference.base_style = styles["Default Paragraph Font"]
    reference.font.size = Pt(8)


def _settings(settings, language: str) -> None:
    """A justified line ended by a line break is not stretched (Word and LibreOffice both read this)."""
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
    theme_language = settings.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:eastAsia"), language)


def _font_table(part, family: str, code_face: str, language: str) -> None:
    """Describe zhdoc's faces in the font table (Chinese charset; the code face fixed-pitch), so that
    Word picks a like substitute where a face is not installed."""
    table = next(rel.target_part for rel in part.rels.values() if rel.reltype.endswith("/fontTable"))
    fonts = etree.fromstring(table.blob)
    charset = "86" if face_for(language) == "SC" else "88"  # GB2312 or Big5
    for name, kind, pitch in ((family, "roman", "variable"), (code_face, "modern", "fixed")):
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{html.escape(name)}"><w:charset w:val="{charset}"/>'
            f'<w:family w:val="{kind}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
        fonts.append(font)
    table._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


# w:pPr children in schema order (Word refuses a document whose elements are out of order)
PARAGRAPH_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
RUN_AFTER_SHADING = ("w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish")


PARAGRAPH_RANK = {qn(tag): rank for rank, tag in enumerate(PARAGRAPH_ORDER)}


def in_order(ppr, element) -> None:
    """Insert a ``w:pPr`` child where the schema puts it: before the first child that comes later in the
    schema (python-docx's ``insert_element_before`` looks for each later tag in turn, ~30 searches)."""
    rank = PARAGRAPH_RANK[element.tag]
    for child in ppr:
        if PARAGRAPH_RANK.get(child.tag, -1) > rank:
            child.addprevious(element)
            return
    ppr.append(element)


def clone(element):
    """A copy of ``element`` with its subtree (lxml's copy is deep; ``copy.deepcopy`` only adds a memo per call)."""
    return element.__copy__()


def _shading():
    return parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{SHADING}"/>')


def _border(side: str, size: int, color: str, space: int):
    return parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/></w:pBdr>'
    )


def _drop(parent, tag: str) -> None:
    found = parent.find(qn(tag))
    if found is not None:
        parent.remove(found)


KEEP_STYLES = {
    "Normal",
    "Title",
    "TitleChar",
    "BodyText",
    "BodyTextChar",
    "DefaultParagraphFont",
    "TableNormal",
    "TableGrid",
    "NoList",
    "ListParagraph",
    "Quote",
    "Code",
    "CodeChar",
    "Hyperlink",
    "CommentText",
    "CommentTextChar",
    "CommentReference",
    "CommentSubject",
    "BalloonText",
    *(f"Heading{level}" for level in HEADING_SIZES),
}


def _prune_styles(styles) -> None:
    """Keep the styles zhdoc uses: the template's 300 KB of others is parsed again for every document."""
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
    for style in styles.findall(qn("w:style")):
        for tag in ("w:link", "w:next", "w:basedOn"):  # references to styles now gone
            reference = style.find(qn(tag))
            if reference is not None and reference.get(qn("w:val")) not in KEEP_STYLES:
                style.remove(reference)


def level_xml(level: int, bullet: bool, start: int = 1, delimiter: str = ".") -> str:
    """One ``w:lvl``: a bullet glyph or a decimal number, with a hanging indent that grows by level."""
    if bullet:
        kind, text = "bullet", BULLET_GLYPHS[level % len(BULLET_GLYPHS)]
    else:
        kind, text = "decimal", f"%{level + 1}{delimiter}"
    left = INDENT_STEP * (level + 1)
    return (
        f'<w:lvl {nsdecls("w")} w:ilvl="{level}"><w:start w:val="{start}"/><w:numFmt w:val="{kind}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{INDENT_STEP}"/></w:pPr></w:lvl>'
    )


def _numbering(numbering) -> None:
    """Replace the template's numbering with zhdoc's two abstract numberings and the bullet list's w:num."""
    for child in list(numbering):
        numbering.remove(child)
    for abstract, bullet in ((BULLET_ABSTRACT, True), (DECIMAL_ABSTRACT, False)):
        levels = "".join(level_xml(level, bullet).replace(f" {nsdecls('w')}", "") for level in LEVELS)
        numbering.append(
            parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract}">'
                f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
            )
        )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{BULLET_NUM}"><w:abstractNumId w:val="{BULLET_ABSTRACT}"/></w:num>')
    )
