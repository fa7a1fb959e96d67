"""Spurious and doubled commas, half-width marks in Han context, and ASCII parentheses around Chinese."""

from __future__ import annotations

import re

from ..lazy_regex import lazy_compile
from .chars import CJK_CLOSE, CJK_LEFT, HAN, HAN_RE, LATIN_DIGIT
from .edits import Edit, edits_for

WIDE = {",": "，", ";": "；", "?": "？", "!": "！", ":": "：", ".": "。", "(": "（", ")": "）"}

# Before a full-width mark a comma is spurious whatever precedes it (ssh,， 192.168.0.1,。); before a
# folded ";" or "?" only in Chinese context (a,;b is code).
# (Both patterns start with the commas, the look-behind after them, so that a search jumps from comma to comma.)
_SPURIOUS = lazy_compile(rf",(?:,*(?=[，、。；？：！])|(?<={CJK_LEFT},),*(?=[;?]))")
# A doubled comma is one "，" after Chinese, or before Han whatever precedes it: NFS,,因此  below),,而
_DOUBLED = lazy_compile(rf",,(?:(?<={CJK_LEFT},,),*|,*(?= ?{HAN_RE}))")


def drop_spurious_commas(text: str) -> list[Edit]:
    """A run of ASCII commas right before another mark is dropped.

    >>> from converter.repair.edits import preview
    >>> preview(drop_spurious_commas, "工作,。書記,、深圳 ,;x 維護”,,； 登錄 ssh,，地址 192.168.0.1,。")
    '工作。書記、深圳 ,;x 維護”； 登錄 ssh，地址 192.168.0.1。'
    """
    return edits_for(_SPURIOUS, text, "spurious-comma", "")


def collapse_doubled_commas(text: str) -> list[Edit]:
    """A run of ASCII commas after Han text becomes one ``，``.

    >>> from converter.repair.edits import preview
    >>> preview(collapse_doubled_commas, "4月1日,,全省 a,,b 掛載 NFS,,因此 (see below),,而")
    '4月1日，全省 a,,b 掛載 NFS，因此 (see below)，而'
    """
    return edits_for(_DOUBLED, text, "doubled-comma", "，")


# Content, not a folded mark: an emoticon (:-) ;-P :) ) and a full stop being talked about (一個. (句點)).
_EMOTICON = r"(?![-^][()DPpO]|\)(?!\S))"
_STOPS = r"(?![.\w]|\s*\()"  # after a "."
_HALF = lazy_compile(
    # The first mark, then what may stand around it (a search jumps from mark to mark):
    rf"[,;:?!.](?:(?<={CJK_LEFT}[,;:?!])[,;:?!]*(?:\.{_STOPS})?{_EMOTICON}"  # after Han or a CJK mark; ;, or ?!
    rf"|(?<={CJK_LEFT}\.){_STOPS}{_EMOTICON}"  # a full stop after Han or a CJK mark
    rf"|(?<=[{LATIN_DIGIT}{CJK_CLOSE}][,;:?!])[,;:?!]*(?={HAN_RE}))"  # between Latin and Han: HTML5,至少
)


_WIDE_TABLE = str.maketrans(WIDE)
_SENTENCE_END = re.compile(rf"$|[\s{CJK_CLOSE}“‘「『\"']")  # what may follow a full stop


def _widen(m: re.Match[str]) -> str:
    marks = m.group()
    if marks.endswith(".") and not _SENTENCE_END.match(m.string, m.end(), m.end() + 1):
        return marks[:-1].translate(_WIDE_TABLE) + "."  # "." only ends a sentence before a space or quote
    return marks.translate(_WIDE_TABLE)


def widen_marks(text: str) -> list[Edit]:
    """Half-width ``, ; : ? ! .`` in Han context become full-width.

    >>> from converter.repair.edits import preview
    >>> preview(widen_marks, "維護”,打通;好嗎?!對:是.HTML5,至少 1,2 a.b 句子.")
    '維護”，打通；好嗎？！對：是.HTML5，至少 1,2 a.b 句子。'
    >>> preview(widen_marks, "!開頭 hello world.")
    '!開頭 hello world.'
    >>> preview(widen_marks, "以一個. (句點)結尾,笑臉:-) 或;-P 都行,如下:(一)")
    '以一個. (句點)結尾，笑臉:-) 或;-P 都行，如下：(一)'
    >>> preview(widen_marks, "文档更新; 代码优化, 性能提升. 下一句, --sections")
    '文档更新；代码优化，性能提升。下一句， --sections'
    """
    edits = edits_for(_HALF, text, "half-width-mark", _widen)
    if " " not in text:
        return edits
    # A full-width mark holds its own space: the one typed after the half-width mark goes with it, before
    # Chinese text.
    for index, edit in enumerate(edits):
        space = _SPACE_AFTER.match(text, edit.end) if edit.after[-1:] in FULL_MARKS else None
        if space:
            edits[index] = edit._replace(end=space.end())
    return edits


FULL_MARKS = "，；：？！。"
_SPACE_AFTER = lazy_compile(rf"[ \t]+(?=[{HAN}“‘「『（])")  # before Chinese: "-s 列表, --sections" keeps it


_PARENTHESES = re.compile("[()（）]")


def _pairs(text: str) -> list[tuple[int, int]]:
    """Matched ``(``/``（`` and ``)``/``）`` pairs, innermost first."""
    stack, found = [], []
    for m in _PARENTHESES.finditer(text):
        if m.group() in "(（":
            stack.append(m.start())
        elif stack:
            found.append((stack.pop(), m.start()))
    return found


# Han, CJK and full-width marks, Chinese quotes, or a half-width mark that the widening will turn full-width.
_CHINESE_CONTENT = lazy_compile(f"[{HAN}\u3000-\u303f\uff01-\uff5e“”‘’]|(?<={CJK_LEFT})[,;:?!]")
_CJK_LEFT = lazy_compile(CJK_LEFT)
_COMMAS_BEFORE_CHINESE = lazy_compile(rf",+[，、。；？：！]|,{{2,}} ?{HAN_RE}")
_OUTSIDE_OK = lazy_compile(rf"[{HAN}{CJK_CLOSE}，、。；：？！（“‘「『]")


def _touches_chinese(chars: str, left: int, right: int) -> bool:
    before = chars[left - 1] if left else ""
    after = chars[right + 1] if right + 1 < len(chars) else ""
    if before.isspace() or after.isspace() or before == "]":  # a space: chosen half-width; ]( a Markdown link
        return False
    # A half-width mark after Han (加,(…)) is widened later, so it already counts as Chinese.
    start = left
    while start > 0 and chars[start - 1] in ",;:?!":
        start -= 1
    folded_mark = start < left and start > 0 and _CJK_LEFT.match(chars[start - 1])
    folded_mark = folded_mark or (
        after != "" and after in ",;:?!" and chars[right] == "）"
    )  # （加）, : the mark follows a CJK mark
    # (2018-2020年),,加 and (2018-2020年),，: the commas go or become "，" whatever precedes them.
    folded_mark = folded_mark or bool(_COMMAS_BEFORE_CHINESE.match(chars, right + 1, right + 12))
    return bool(_OUTSIDE_OK.match(before) or _OUTSIDE_OK.match(after) or folded_mark)


def widen_parentheses(text: str) -> list[Edit]:
    """A pair of ASCII parentheses around Chinese, touching Chinese, becomes ``（）``: both sides or neither.

    A space on either side (``特性 (它們)``) means the writer chose half-width parentheses.

    >>> from converter.repair.edits import preview
    >>> preview(widen_parentheses, "黨委(黨組)要 縣(市、區)、(一)加強 阿里 (BABA.N) 計劃(2018-2020年)回顧")
    '黨委（黨組）要 縣（市、區）、（一）加強 阿里 (BABA.N) 計劃（2018-2020年）回顧'
    >>> preview(widen_parentheses, "框架 (如 React 等) 的，學名（拉丁)與 (英文）")
    '框架 (如 React 等) 的，學名（拉丁）與 （英文）'
    >>> preview(widen_parentheses, "f(x) 半個( 對於特性 (它們)，(-w 中文 w-) 見[說明](#錨點)。")
    'f(x) 半個( 對於特性 (它們)，(-w 中文 w-) 見[說明](#錨點)。'
    """
    if "(" not in text and ")" not in text:
        return []
    edits: list[Edit] = []
    chars = text  # updated as pairs are widened: "(一)(二)加" widens right to left
    pairs = _pairs(text)
    for left, right in pairs:  # a pair half one width, half the other (（拉丁)): the writer meant "（）"
        if (text[left] == "（") != (text[right] == "）"):
            at = right if text[left] == "（" else left
            chars = chars[:at] + WIDE[chars[at]] + chars[at + 1 :]
            edits.append(Edit(at, at + 1, chars[at], "parenthesis"))
    half = [(left, right) for left, right in pairs if text[left] + text[right] == "()"]
    pending = [pair for pair in half if _CHINESE_CONTENT.search(text, pair[0] + 1, pair[1])]
    changed = True
    while changed:
        changed = False
        for left, right in list(pending):
            if _touches_chinese(chars, left, right):
                pending.remove((left, right))
                changed = True
                for i in (left, right):
                    if chars[i] in "()":
                        # (a new string: a pair or two are widened in a paragraph, a list of its characters costs more)
                        chars = chars[:i] + WIDE[chars[i]] + chars[i + 1 :]
                        edits.append(Edit(i, i + 1, chars[i], "parenthesis"))
    return sorted(edits, key=lambda e: e.start)
