"""Inline spans as DOCX runs: bold, italic, strike, inline code, hyperlinks, line breaks, and the review
marks (highlight and comment) on guessed or unrecovered mojibake fixes. Every string is made XML-safe."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run

from ..document import Fix, Inlines, Span
from ..i18n import SIMPLIFIED, Text, document_language, localize
from .docx_styles import CODE_CHAR_STYLE, LINK_STYLE

REVIEW = {"unrecovered": WD_COLOR_INDEX.YELLOW, "guessed": WD_COLOR_INDEX.BRIGHT_GREEN}
URI_ESCAPES = {ord(char): f"%{ord(char):02X}" for char in ' <>"{}|\\^`\t\n'}
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


def add_inlines(docx, paragraph, inlines: Inlines, fixes: Sequence[Fix] = ()) -> None:
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
            run = _run(paragraph, text)
        else:
            if link is None or link[0] != url:
                link = (url, _hyperlink(paragraph, url))
            run = Run(OxmlElement("w:r"), paragraph)
            link[1].append(run._r)
            run.text = text
            run.style = LINK_STYLE
        _format(run, span)
        if fix is not None:
            run.font.highlight_color = REVIEW[fix.certainty]
            marked.setdefault(id(fix), (fix, []))[1].append(run)
    for fix, runs in marked.values():
        # The comment speaks the document's language (render sets it first), not the interface's.
        language = document_language(docx.core_properties.language or "")
        note = docx.add_comment(runs, text=xml_safe(comment(fix, language)), author="zhdoc", initials="zh")
        note._comment_elm.attrib.pop(qn("w:date"), None)  # the time of the run would make the bytes differ


def _run(paragraph, text: str) -> Run:
    """``paragraph.add_run(text)``; text with no tab or line break is put in its one ``w:t`` directly
    (python-docx's text setter clears the run with an XPath query, then reads the text a character at a time)."""
    if "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    r.add_t(text)
    return Run(r, paragraph)


def _format(run: Run, span: Span) -> None:
    if not span.style:
        return
    if span.code:
        run.style = CODE_CHAR_STYLE
        for t in run._r.findall(qn("w:t")):
            t.set(qn("xml:space"), "preserve")
    if "strong" in span.style:
        run.font.bold = True
    if "emphasis" in span.style:
        run.font.italic = True
    if "strike" in span.style:
        run.font.strike = True


def _hyperlink(paragraph, url: str):
    """A ``w:hyperlink`` (python-docx has no API for one): to an external relationship, or to an anchor."""
    element = OxmlElement("w:hyperlink")
    if url.startswith("#") and len(url) > 1:
        element.set(qn("w:anchor"), url[1:])
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
