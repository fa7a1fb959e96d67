"""Markdown. A Markdown input comes back as the same file with only its prose changed: every text span the
reader anchored in the source is put back in place, repaired and converted; markup, code, URLs, HTML and
front matter stay byte for byte. Any other input is rendered from its tree (see ``md_tree``).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..document import Document, units
from ..options import Options
from .md_tree import render_tree

MARKUP = re.compile(r"([\\`*_\[\]<|~])")  # characters that, new in prose, could open or close markup


def escaped(before: str, after: str) -> str:
    """``after`` with a backslash before each markup character that the edit from ``before`` brought in.

    >>> escaped("甲,乙", "甲，乙"), escaped("a|b", "a|b"), escaped("星號", "星*號")
    ('甲，乙', 'a|b', '星\\\\*號')
    """
    if not MARKUP.search(after) or all(after.count(c) <= before.count(c) for c in set(MARKUP.findall(after))):
        return after
    out = []
    for op, _, _, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        piece = after[j1:j2]
        out.append(piece if op == "equal" else MARKUP.sub(r"\\\1", piece))
    return "".join(out)


def markup(text: str) -> list[tuple]:
    """What a Markdown text is made of, its prose aside: every token's type, markup and attributes."""
    from ..readers.markdown import parser

    out = []
    for token in parser().parse(text):
        out.append((token.type, token.markup, token.info, token.attrs))
        out += [(child.type, child.markup, child.attrs) for child in token.children or []]
    return out


def patched(document: Document, escape: bool = True) -> str:
    """The source text with each anchored span replaced by its text now (pieces rejoined; gone: "");
    with ``escape``, markup characters the repair brought in are escaped."""
    from ..readers.markdown import anchors

    source = document.source_text
    now: dict[tuple[int, int], list[str]] = {}
    for unit in units(document.blocks):
        for span in unit.inlines:
            if span.source:
                now.setdefault(span.source, []).append(span.text)
    out, at = [], 0
    for start, end in anchors(source):
        before = source[start:end]
        after = "".join(now.get((start, end), []))
        out += [source[at:start], escaped(before, after) if escape else after]
        at = end
    out.append(source[at:])
    return "".join(out)


def render(document: Document, options: Options) -> bytes:
    """
    >>> from converter.readers.markdown import parse
    >>> from converter.pipeline import process
    >>> doc = process(parse("# 汉字\\n\\n见 `汉字` 与 [汉字](http://汉字.cn)\\n"), Options(to="traditional"))
    >>> render(doc, Options()).decode()
    '# 漢字\\n\\n見 `汉字` 與 [漢字](http://汉字.cn)\\n'
    """
    if document.origin == "markdown" and document.source_text:
        text = patched(document, escape=False)
        if markup(text) != markup(document.source_text):  # a repair brought in markup: escape what it brought
            text = patched(document)
        bom = "\ufeff" if document.encoding == "utf-8-sig" else ""  # the file as it was, BOM and all
        return (bom + text).encode("utf-8")
    return render_tree(document).encode("utf-8")
