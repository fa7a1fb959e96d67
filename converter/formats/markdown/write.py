"""Markdown. A Markdown input comes back as the same file with only its prose changed: every text span the
reader anchored in the source is put back in place, repaired and converted; markup, code, URLs, HTML and
front matter stay byte for byte, except in-page links to a heading whose text changed (``#安装`` →
``#安裝``, see ``converter.anchors``). Any other input is rendered from its tree (see ``tree``).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ...document import Document, units
from ...options import Options
from .tree import render_tree

MARKUP = re.compile(r"([\\`*_\[\]<|~])")  # characters that, new in prose, could open or close markup
# Where an in-page link's target is written: [text](#a), [text](<#a>), [label]: #a (raw HTML stays as it was).
IN_PAGE_TARGET = re.compile(r"(\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)#([^\s)>\"']+)", re.MULTILINE)


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
    from .read import parser

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
    from .read import anchors

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


def relinked(text: str, document: Document) -> str:
    r"""``text`` (the source, its prose now patched) with each in-page link to a heading whose anchor
    changed pointing at the anchor now; if anything but link targets would change (a look-alike inside
    code), none is rewritten.

    >>> from converter.formats.markdown.read import parse
    >>> from converter.pipeline import process
    >>> source = "見[安裝](#安裝)與[用法][u]\n\n## 安裝\n\n## 用法 `#安裝`\n\n[u]: #用法\n"
    >>> doc = process(parse(source), Options(to="simplified"))
    >>> relinked(patched(doc), doc)
    '见[安装](#安装)与[用法][u]\n\n## 安装\n\n## 用法 `#安裝`\n\n[u]: #用法\n'
    """
    if "#" not in text or not IN_PAGE_TARGET.search(text):
        return text
    from ...anchors import fragment, moved_anchors, target
    from .read import parse

    moved = moved_anchors(parse(document.source_text, load_images=False).blocks, document.blocks)
    if not moved:
        return text
    code = _code_ranges(text)

    def relink(match: re.Match) -> str:
        now = moved.get(fragment("#" + match[2]) or "")
        if now is None or any(start <= match.start() < end for start, end in code):
            return match[0]
        return match[1] + "#" + target(match[2], now)

    text_now = IN_PAGE_TARGET.sub(relink, text)
    return text_now if _same_but_link_targets(text, text_now) else text


BACKTICKS = re.compile(r"(?<!`)`+(?!`)")


def _code_ranges(text: str) -> list[tuple[int, int]]:
    r"""Where code stands in a Markdown text: code blocks (whole lines) and code spans (a run of backticks
    to the next run of the same length).

    >>> _code_ranges("a `b` c\n\n    code\n\n``d`e``")
    [(9, 17), (2, 5), (19, 26)]
    """
    from .read import parser

    starts = [0, *(index + 1 for index, char in enumerate(text) if char == "\n"), len(text) + 1]
    ranges = [
        (starts[token.map[0]], starts[min(token.map[1], len(starts) - 1)] - 1)
        for token in parser().parse(text)
        if token.type in ("fence", "code_block") and token.map
    ]
    in_blocks = list(ranges)
    at = 0
    while run := BACKTICKS.search(text, at):
        if any(start <= run.start() < end for start, end in in_blocks):
            at = run.end()
            continue
        close = re.compile(rf"(?<!`){run[0]}(?!`)").search(text, run.end())
        if close is None:
            at = run.end()
            continue
        ranges.append((run.start(), close.end()))
        at = close.end()
    return ranges


def _same_but_link_targets(before: str, after: str) -> bool:
    if before == after:
        return True
    from .read import parser

    def contents(text: str) -> list[tuple]:
        tokens = parser().parse(text)
        flat = [child for token in tokens for child in [token, *(token.children or [])]]
        return [(t.type, "" if t.type == "inline" else t.content, _without_href(t.attrs)) for t in flat]

    return contents(before) == contents(after)


def _without_href(attrs: dict) -> dict:
    return {name: value for name, value in attrs.items() if name != "href"}


def render(document: Document, options: Options) -> bytes:
    """
    >>> from converter.formats.markdown.read import parse
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
        text = relinked(text, document)
        bom = "\ufeff" if document.encoding == "utf-8-sig" else ""  # the file as it was, BOM and all
        return (bom + text).encode("utf-8")
    return render_tree(document).encode("utf-8")
