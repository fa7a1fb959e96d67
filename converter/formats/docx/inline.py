"""Inline spans as DOCX runs: bold, italic, strike, inline code, hyperlinks, line breaks, and the review
marks (highlight and comment) on guessed or unrecovered mojibake fixes. Every string is made XML-safe."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.run import CT_R
from docx.text.run import Run
from lxml.etree import SubElement

from ...anchors import fragment
from ...document import Fix, Inlines, Span
from ...i18n import SIMPLIFIED, Text, document_language, localize
from .styles import CODE_CHAR_STYLE, LINK_STYLE, clone

REVIEW = {"unrecovered": WD_COLOR_INDEX.YELLOW, "guessed": WD_COLOR_INDEX.BRIGHT_GREEN}
URI_ESCAPES = {ord(char): f"%{ord(char):02X}" for char in ' <>"{}|\\^`\t\n'}
R, T, XML_SPACE = qn("w:r"), qn("w:t"), qn("xml:space")
FORMATS = frozenset({"strong", "emphasis", "strike"})
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without what XML 1.0 cannot hold (C0 controls but tab, newline and CR; lone surrogates;
    U+FFFE and U+FFFF). A CR ends a line like a newline.

    >>> xml_safe("a\\x0cb\\x1b[1mc\\ud800\\ufffe\\td\\r\\ne\\rf")
    'ab[1mc\\td\\ne\\nf'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return NOT_XML.sub("", text)


def review_fixes(fixes: Sequence[Fix], length: int) -> list[Fix]:
    """The fixes a reader should look at, in order, that lie within the unit's current text and do not overlap."""
    chosen: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: f.out_start):
        fits = fix.certainty in REVIEW and 0 <= fix.out_start < fix.out_end <= length
        if fits and (not chosen or fix.out_start >= chosen[-1].out_end):
            chosen.append(fix)
    return chosen


def pieces(inlines: Inlines, review: list[Fix]) -> Iterator[tuple[Span, str, Fix | None]]:
    """Each span's text cut at the edges of the review fixes, with the fix covering each piece (or None)."""
    cuts = sorted({edge for fix in review for edge in (fix.out_start, fix.out_end)})
    position = 0
    for span in inlines:
        end = position + len(span.text)
        edges = [position, *(cut for cut in cuts if position < cut < end), end]
        for start, stop in zip(edges, edges[1:]):
            if stop > start:
                covering = next((f for f in review if f.out_start <= start and stop <= f.out_end), None)
                yield span, span.text[start - position : stop - position], covering
        position = end


class Runs:
    """Writes inline spans as the runs of one document. The run properties (``w:rPr``) of each mix of
    character style, bold, italic, strike and review mark are made once with python-docx and copied:
    its setters look the style up among all styles and place each property by scanning for its
    successors, for every run."""

    def __init__(self, docx, style_ids: dict[str, str | None]) -> None:
        self.docx = docx
        self.style_ids = style_ids  # character style name → id, shared by the documents of one template
        self.properties: dict[tuple, CT_RPr | None] = {}
        self.bookmarks: dict[str, str] = {}  # heading anchor (#…) → the name of its bookmark in this document

    def add(self, paragraph, inlines: Inlines, fixes: Sequence[Fix] = ()) -> None:
        """Write ``inlines`` into ``paragraph`` as runs; each fix to review is highlighted and carries a comment."""
        review = review_fixes(fixes, sum(len(span.text) for span in inlines))
        marked: dict[int, tuple[Fix, list[Run]]] = {}  # the runs of each fix to review
        link: tuple[str, object] | None = None  # the open hyperlink: its URL and element
        for span, text, fix in pieces(inlines, review):
            text = xml_safe(text)
            if not text:
                continue
            url = xml_safe(span.url).strip()
            if not url:
                link = None
                r = _run(paragraph._p, text)
            else:
                if link is None or link[0] != url:
                    link = (url, hyperlink(paragraph, url, self.bookmarks))
                r = _run(link[1], text)
            properties = self._properties(bool(url), span.style, fix.certainty if fix else None)
            if properties is not None:
                r.insert(0, clone(properties))
            if span.code:
                for t in r.iterchildren(T):
                    t.set(XML_SPACE, "preserve")
            if fix is not None:
                marked.setdefault(id(fix), (fix, []))[1].append(Run(r, paragraph))
        for fix, runs in marked.values():
            # The comment speaks the document's language (render sets it first), not the interface's.
            language = document_language(self.docx.core_properties.language or "")
            note = self.docx.add_comment(runs, text=xml_safe(comment(fix, language)), author="zhdoc", initials="zh")
            note._comment_elm.attrib.pop(qn("w:date"), None)  # the time of the run would make the bytes differ

    def _properties(self, linked: bool, style: frozenset[str], certainty: str | None) -> CT_RPr | None:
        """The ``w:rPr`` of a run, as python-docx's setters make it (None: the run has none)."""
        key = (linked, style, certainty)
        if key not in self.properties:
            self.properties[key] = self._make_properties(linked, style, certainty)
        return self.properties[key]

    def _make_properties(self, linked: bool, style: frozenset[str], certainty: str | None) -> CT_RPr | None:
        name = CODE_CHAR_STYLE if "code" in style else LINK_STYLE if linked else None
        if name is None and not style & FORMATS and certainty is None:
            return None
        run = Run(OxmlElement("w:r"), None)
        if name is not None:
            if name not in self.style_ids:
                self.style_ids[name] = self.docx.part.get_style_id(name, WD_STYLE_TYPE.CHARACTER)
            run._r.style = self.style_ids[name]
        if "strong" in style:
            run.font.bold = True
        if "emphasis" in style:
            run.font.italic = True
        if "strike" in style:
            run.font.strike = True
        if certainty is not None:
            run.font.highlight_color = REVIEW[certainty]
        return run._r.rPr


def _run(parent, text: str) -> CT_R:
    """A new last run of ``parent`` holding ``text``, as python-docx's ``add_run(text)`` makes it; text with
    no tab or line break is put in its one ``w:t`` directly (python-docx's text setter clears the run with
    an XPath query, then reads the text a character at a time)."""
    r = SubElement(parent, R)
    if "\t" in text or "\n" in text:
        r.text = text
        return r
    t = SubElement(r, T)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(XML_SPACE, "preserve")
    return r


def hyperlink(paragraph, url: str, bookmarks: dict[str, str]):
    """A ``w:hyperlink`` (python-docx has no API for one): to an external relationship, or to an anchor
    (a heading's bookmark where the link names a heading)."""
    element = OxmlElement("w:hyperlink")
    if url.startswith("#") and len(url) > 1:
        element.set(qn("w:anchor"), bookmarks.get(fragment(url) or "", url[1:]))
    else:
        element.set(qn("r:id"), paragraph.part.relate_to(uri(url), RT.HYPERLINK, is_external=True))
    paragraph._p.append(element)
    return element


def uri(url: str) -> str:
    """The URL with the ASCII characters a URI may not hold percent-encoded (Word refuses such targets);
    other characters stay as written.

    >>> uri("https://example.org/a b?q=<中文>|x")
    'https://example.org/a%20b?q=%3C中文%3E%7Cx'
    """
    return url.translate(URI_ESCAPES)


def comment(fix: Fix, language: str = SIMPLIFIED) -> str:
    """The review comment in ``language`` (a catalog: zh_CN or zh_TW; see ``i18n.document_language``)."""
    if fix.certainty == "unrecovered":
        text = Text("Suspected GBK mojibake, left as it was: {before!r}. {note}.", before=fix.before, note=fix.note)
    else:
        text = Text(
            "Guessed: {after!r} stands for the garbled {before!r} ({note}).",
            after=fix.after,
            before=fix.before,
            note=fix.note,
        )
    return localize(text, language)
