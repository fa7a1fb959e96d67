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


PROSE = ("text", "text_special", "softbreak")


def markup(text: str) -> list[tuple]:
    """What a Markdown text is made of, its prose aside: every other token's type, markup and attributes."""
    from ..readers.markdown import parser

    out = []
    for token in parser().parse(text):
        out.append((token.type, token.markup, token.info, token.attrs))
        out += [(child.type, child.markup, child.attrs) for child in token.children or [] if child.type not in PROSE]
    return out


def emptied_line(source: str, start: int, end: int) -> tuple[int, int]:
    r"""What to take out when the text at ``start:end`` is gone: its whole line (newline before it and
    quote marks included) when nothing else stands on it, since a blank line would end the paragraph.

    >>> s = "甲\n> .\n乙"
    >>> s[:emptied_line(s, 4, 5)[0]] + s[emptied_line(s, 4, 5)[1]:], emptied_line("甲 . 乙", 2, 3)
    ('甲\n乙', (2, 3))
    """
    line_start = source.rfind("\n", 0, start) + 1
    line_end = len(source) if (newline := source.find("\n", end)) < 0 else newline
    if line_start == 0 or source[line_start:start].strip(" \t>") or source[end:line_end].strip(" \t\r"):
        return start, end
    return line_start - 1 - (source[line_start - 2 : line_start] == "\r\n"), line_end


def patched(document: Document, escape: bool = True, restore: bool = False) -> str:
    """The source text with each anchored span replaced by its text now (pieces rejoined; gone: "");
    with ``escape``, markup characters the repair brought in are escaped; with ``restore``, a span that is
    gone is left as it was."""
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
        after = "".join(now.get((start, end), [])) or (before if restore else "")
        if not after:
            start, end = max(at, emptied_line(source, start, end)[0]), emptied_line(source, start, end)[1]
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
        source = markup(document.source_text)
        text = patched(document, escape=False)
        if markup(text) != source:  # the repair brought in markup: escape what it brought
            text = patched(document)
        if markup(text) != source:  # a text gone left a bare marker: keep such texts
            text = patched(document, restore=True)
        bom = "\ufeff" if document.encoding == "utf-8-sig" else ""  # the file as it was, BOM and all
        return (bom + text).encode("utf-8")
    return render_tree(document).encode("utf-8")
