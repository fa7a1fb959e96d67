"""Markup remnants, injected invisibles, stray bars and folded indents."""

from __future__ import annotations

import re

from ..lazy_regex import lazy_compile
from .chars import CJK_LEFT, HAN
from .edits import Edit, edits_for

_MARKUP = re.compile(r"<image>.*?</image>|!\[[^\]\n]*\]\([^)\n]*\)(?:\s*\|)?|\?/[Pp]>|</?[Pp]>|</?br\s*/?>")
INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{INVISIBLES}]+")


def remove_markup(text: str) -> list[Edit]:
    """Remnants of the page's markup: inline images, paragraph tags (other tags stay).

    >>> from converter.repair.edits import preview
    >>> preview(remove_markup, "文字<image>data:image/png;base64,AAA</image>。![]() |圖 段落?/P>下 <b>粗</b>")
    '文字。圖 段落下 <b>粗</b>'
    """
    if "<" not in text and "![" not in text and "?/" not in text:  # (a search for each is quicker than the pattern's)
        return []
    return edits_for(_MARKUP, text, "markup", "")


def remove_invisible(text: str) -> list[Edit]:
    """Zero-width characters and soft hyphens injected into the text.

    >>> from converter.repair.edits import preview
    >>> preview(remove_invisible, "加\u200b強")
    '加強'
    """
    if not any(char in text for char in INVISIBLES):  # (quicker than the pattern's search)
        return []
    return edits_for(_INVISIBLE, text, "invisible", "")


# A bar is content (a pipeline, a table, "用 | 分隔"); a page's layout left one only at a paragraph's edge
# next to Chinese (| 會議召開。) and after a sentence, before the next one (召開。 | 全省).
_BAR = lazy_compile(
    rf"^\s*\|[ \u3000]?(?=[{HAN}“「])|(?:(?<=[{HAN}。！？”」])|(?<={CJK_LEFT}[.?!]))[ \u3000]?\|\s*$"
    rf"|(?:(?<=[。！？”」])|(?<={CJK_LEFT}[.?!]))(?:[ \u3000]*\|)+[ \u3000]*(?=[{HAN}“「])"
)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def remove_stray_bars(text: str) -> list[Edit]:
    """A ``|`` left from a page's layout, at a paragraph's edge or between two sentences; the rest stay.

    >>> from converter.repair.edits import preview
    >>> preview(remove_stray_bars, "| 會議召開。 | 全省 |基層 a|b 刭|干。"), preview(remove_stray_bars, "全文完。 |")
    ('會議召開。全省 |基層 a|b 刭|干。', '全文完。')
    >>> preview(remove_stray_bars, "| 8 位整數（補碼） | `double` |")
    '| 8 位整數（補碼） | `double` |'
    >>> preview(remove_stray_bars, "命令用 | 分隔,用| 分隔")
    '命令用 | 分隔,用| 分隔'
    >>> preview(remove_stray_bars, "||     邏輯或 (OR)")
    '||     邏輯或 (OR)'
    """
    if "|" not in text:
        return []
    edits = []
    for line in re.finditer(r"[^\n]+", text):
        if _TABLE_ROW.match(line.group()):
            continue
        for m in _BAR.finditer(line.group()):
            edits.append(Edit(line.start() + m.start(), line.start() + m.end(), "", "stray-bar"))
    return edits


def strip_indent(text: str) -> list[Edit]:
    """Leading indents (ASCII spaces, a folded U+3000) and trailing spaces of each line.

    >>> from converter.repair.edits import preview
    >>> preview(strip_indent, "  會議召開。\\n\u3000\u3000第二段 ")
    '會議召開。\\n第二段'
    """
    if text[:1] not in _BLANKS and text[-1:] not in _BLANKS and not _INNER_EDGE.search(text):
        return []
    return [Edit(m.start(), m.end(), "", "indent") for m in _EDGES.finditer(text)]


_BLANKS = (" ", "\t", "\u3000")
_EDGES = re.compile(r"(?m)^[ \t\u3000]+|[ \t\u3000]+$")
# A blank at either side of a line break (a search for "\n" is quicker than one of _EDGES).
_INNER_EDGE = re.compile("\n(?:(?=[ \t\u3000])|(?<=[ \t\u3000]\n))")


_TERMINAL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # ANSI/VT100 control sequence: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # operating system command (window titles, hyperlinks)
    r"|\x1b[@-Z\\-_]?"  # other escapes, or a lone ESC
    # overstrike as man renders it: x\bx bold, _\bx or x\b_ underline; the struck character goes (a lone
    # backspace falls to the control class below and goes alone: "组件\b" keeps its 件)
    r"|([^\n\x08])\x08(?=\1)|_\x08(?=[^\n\x08])|(?<=[^\n\x08])\x08_"
    r"|[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]"  # other C0 and C1 controls, DEL (tab, LF, form feed, CR stay)
)
# Every match above holds one of these (ESC, backspace or another control): a search for the class alone
# is many times quicker than the pattern's, which tries an overstrike at every character.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")


def remove_terminal_junk(text: str) -> list[Edit]:
    """Escape sequences, backspace overstrike and control characters from terminal captures and man pages.

    >>> from converter.repair.edits import preview
    >>> preview(remove_terminal_junk, "\\x1b[01;31m錯誤\\x1b[0m: N\\x08NA\\x08AM\\x08ME\\x08E _\\x08x\\x07\\tend\\f")
    '錯誤: NAME x\\tend\\x0c'
    >>> preview(remove_terminal_junk, "组件\\x08 y\\x08_ 甲\\x08乙 _\\x08X\\x08X")
    '组件 y 甲乙 X'
    """
    if not _CONTROL.search(text):
        return []
    return edits_for(_TERMINAL, text, "control", "")
