"""Plain text: UTF-8, LF, title first, one block per line (code and tables verbatim), a trailing newline."""

from __future__ import annotations

from ..document import Document
from ..options import Options


def render(document: Document, options: Options) -> bytes:
    """
    >>> from converter.document import paragraphs
    >>> render(Document(paragraphs("第一段。", "第二段。"), title="標題"), Options()).decode()
    '標題\\n第一段。\\n第二段。\\n'
    """
    return document.text.encode("utf-8")
