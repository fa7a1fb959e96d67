"""Spurious and doubled commas, half-width marks in Han context, and ASCII parentheses around Chinese."""

from __future__ import annotations

import re

from .chars import CJK_CLOSE, CJK_LEFT, HAN, HAN_RE, LATIN_DIGIT
from .edits import Edit, substitute

WIDE = {",": "，", ";": "；", "?": "？", "!": "！", ":": "：", ".": "。", "(": "（", ")": "）"}

drop_spurious_commas = substitute(rf"(?<={CJK_LEFT}),+(?=[，、。；？;?])", "spurious-comma", lambda m: "")
drop_spurious_commas.__doc__ = """A run of ASCII commas right before another mark is dropped.

>>> from converter.repair.edits import preview
>>> preview(drop_spurious_commas, "工作,。書記,、深圳 ,;x 維護”,,；")
'工作。書記、深圳 ,;x 維護”；'
"""

collapse_doubled_commas = substitute(rf"(?<={CJK_LEFT}),{{2,}}", "doubled-comma", lambda m: "，")
collapse_doubled_commas.__doc__ = """A run of ASCII commas after Han text becomes one ``，``.

>>> from converter.repair.edits import preview
>>> preview(collapse_doubled_commas, "4月1日,,全省 a,,b")
'4月1日，全省 a,,b'
"""

_HALF = re.compile(
    rf"(?<={CJK_LEFT})(?:[,;:]|[?!]+|\.(?![.\w]))"  # after Han or a CJK mark
    rf"|(?<=[{LATIN_DIGIT}{CJK_CLOSE}])(?:[,;:]|[?!]+)(?={HAN_RE})"  # between Latin and Han: 5,至少
)


def _widen(m: re.Match[str]) -> str | None:
    if m.group() == "." and not re.match(rf"$|[\s{HAN}{CJK_CLOSE}“‘「『\"']", m.string[m.end() : m.end() + 1]):
        return None
    return "".join(WIDE[c] for c in m.group())


widen_marks = substitute(_HALF, "half-width-mark", _widen)
widen_marks.__doc__ = """Half-width ``, ; : ? ! .`` in Han context become full-width.

>>> from converter.repair.edits import preview
>>> preview(widen_marks, "維護”,打通;好嗎?!對:是.HTML5,至少 1,2 a.b 句子.")
'維護”，打通；好嗎？！對：是.HTML5，至少 1,2 a.b 句子。'
>>> preview(widen_marks, "!開頭 hello world.")
'!開頭 hello world.'
"""


def _pairs(text: str) -> list[tuple[int, int]]:
    """Matched ``(``/``（`` and ``)``/``）`` pairs, innermost first."""
    stack, found = [], []
    for i, c in enumerate(text):
        if c in "(（":
            stack.append(i)
        elif c in ")）" and stack:
            found.append((stack.pop(), i))
    return found


_HAN_CHAR = re.compile(HAN_RE)
_OUTSIDE_OK = re.compile(rf"[{HAN}{CJK_CLOSE}，、。；：？！（“‘「『]")


def widen_parentheses(text: str) -> list[Edit]:
    """A pair of ASCII parentheses around Chinese, touching Chinese, becomes ``（）``: both sides or neither.

    A space on either side (``特性 (它們)``) means the writer chose half-width parentheses.

    >>> from converter.repair.edits import preview
    >>> preview(widen_parentheses, "黨委(黨組)要 縣(市、區)、(一)加強 阿里 (BABA.N) 計劃(2018-2020年)回顧")
    '黨委（黨組）要 縣（市、區）、（一）加強 阿里 (BABA.N) 計劃（2018-2020年）回顧'
    >>> preview(widen_parentheses, "框架 (如 React 等) 的")
    '框架 (如 React 等) 的'
    >>> preview(widen_parentheses, "f(x) 半個( 對於特性 (它們)，(-w 中文 w-) 見[說明](#錨點)。")
    'f(x) 半個( 對於特性 (它們)，(-w 中文 w-) 見[說明](#錨點)。'
    """
    edits = []
    for left, right in _pairs(text):
        if text[left] == "（" and text[right] == "）":
            continue
        if not _HAN_CHAR.search(text, left + 1, right):
            continue
        before = text[left - 1] if left else ""
        after = text[right + 1] if right + 1 < len(text) else ""
        chinese_outside = bool(_OUTSIDE_OK.match(before) or _OUTSIDE_OK.match(after))
        if not chinese_outside or before.isspace() or after.isspace() or before == "]":  # ]( is a Markdown link
            continue
        for i in (left, right):
            if text[i] in "()":
                edits.append(Edit(i, i + 1, WIDE[text[i]], "parenthesis"))
    return sorted(edits, key=lambda e: e.start)
