"""Plain text: UTF-8, LF, title first, one block per line (code and tables verbatim), a trailing newline.

A link keeps its target after its text, ``文字 <https://…>``, unless the text is the target itself (a URL
or an e-mail address in the prose) or the target is a place in the same document (``#…``).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

from ...document import Document, Inlines, Span, map_units
from ...options import Options


def render(document: Document, options: Options) -> bytes:
    """
    >>> from converter.document import Paragraph, paragraphs
    >>> render(Document(paragraphs("第一段。", "第二段。"), title="標題"), Options()).decode()
    '標題\\n第一段。\\n第二段。\\n'
    >>> linked = (Span("見"), Span("文檔", url="https://a.cn/doc"), Span("與 "), Span("https://b.cn", url="https://b.cn"))
    >>> render(Document(paragraphs() + (Paragraph(linked),)), Options()).decode()
    '見文檔 <https://a.cn/doc>與 https://b.cn\\n'
    """
    blocks = map_units(document.blocks, _with_targets)
    return document.evolve(blocks=blocks).text.encode("utf-8")


def _with_targets(unit):
    if not any(span.url for span in unit.inlines):
        return unit
    return replace(unit, inlines=with_targets(unit.inlines))


def with_targets(inlines: Inlines) -> Inlines:
    """The spans with `` <target>`` after each link whose text does not say its target."""
    out: list[Span] = []
    for index, span in enumerate(inlines):
        out.append(span)
        following = inlines[index + 1].url if index + 1 < len(inlines) else ""
        if span.url and following != span.url and _hidden(span.url, inlines, index):
            out.append(Span(f" <{span.url.removeprefix('mailto:')}>"))
    return tuple(out)


def _hidden(url: str, inlines: Inlines, last: int) -> bool:
    """Does the text of the link ending at ``last`` leave its target unsaid?"""
    if url.startswith("#"):
        return False
    first = last
    while first > 0 and inlines[first - 1].url == url:
        first -= 1
    text = "".join(span.text for span in inlines[first : last + 1]).strip()
    bare = unquote(url.removeprefix("mailto:"))
    return text not in (url, bare, bare.split("://", 1)[-1])
