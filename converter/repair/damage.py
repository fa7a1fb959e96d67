"""Find first: where in a text could any fixer act? A text with no such place is returned as it is.

Each fixer has a trigger: a pattern that matches wherever the fixer might propose an edit (or report
a span), and possibly elsewhere. A trigger must never miss: it is looser than its fixer, and it is
matched on the unmasked text, since masking protected spans (with private-use placeholders that no
trigger's context needs) only takes matches away. Fixers see the text only after earlier fixers
changed it, which needs a trigger of its own first, so one scan of the text as given is enough.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from . import junk, mojibake, pinyin, punctuation, spacing
from .chars import HAN
from .edits import Fixer
from .pinyin import TONED

_NON_ASCII = r"[^\x00-\x7f]"
# Each trigger is written from the character where it starts: (those characters, as the inside of a regex
# class; what must stand around it, as a pattern matched right after it, whose look-behinds see it too).
# All triggers then make one pattern that starts with one class, which a search jumps along quickly.
TRIGGERS: dict[Fixer, tuple[str, str]] = {
    junk.remove_invisible: (junk.INVISIBLES, ""),
    junk.remove_markup: ("<!?", r"(?<=<)|(?<=!)\[|(?<=\?)/[Pp]>"),
    # a marker "?" before a pinyin fragment or a mark (this takes in "??", a character outside GBK); not
    # the marker's own pattern, whose look-behind a masked character may satisfy where the text did not
    mojibake.repair_gbk_shift: ("?", rf"(?=[a-z{TONED}]{{1,6}} ?\)|[{mojibake.COMMA_MARKS}])"),
    # an annotation after Han, or after Han and an ASCII letter whose byte completed a GBK pair (查L(zhǎng))
    pinyin.remove_annotations: ("(", rf"(?<=[{HAN}]\()|(?<=[{HAN}][\x40-\x7e]\()"),
    junk.strip_indent: (" \t\u3000", r"(?<=^.)|$"),
    # half-width marks and commas after non-ASCII text, or before it (HTML5,至少)
    punctuation.drop_spurious_commas: (",", rf"(?<={_NON_ASCII},)|(?={_NON_ASCII})"),
    punctuation.collapse_doubled_commas: (",", rf"(?<={_NON_ASCII},)|(?= ?{_NON_ASCII})"),
    punctuation.widen_marks: (",;:?!.", rf"(?<={_NON_ASCII}[,;:?!.])|(?<=[,;:?!])(?={_NON_ASCII})"),
    spacing.add_cjk_latin_spaces: ("A-Za-z0-9%", rf"(?<=[{HAN}][A-Za-z0-9])|(?=[{HAN}])"),
}
# Triggers looked for only when the text has one of the characters first named: a pair of parentheses
# touching non-ASCII text (behind half-width marks that will be widened: 加,(…)) or marks after it can
# only change if an ASCII one is somewhere ("(中文）中" pairs "(" with "）"); a bar's trigger cannot be
# written from the bar on (the spaces before it may be any).
GATED: dict[Fixer, tuple[str, str]] = {
    punctuation.widen_parentheses: ("()", rf"{_NON_ASCII}[,;:?!]*[(（]|[)）]{_NON_ASCII}|[)）][,;:?!]"),
    # a bar at a line's edge, or after Han or a sentence's end (the spaces may be any)
    junk.remove_stray_bars: ("|", rf"(?m)^\s*\||\|\s*$|[{HAN}。！？”」?!.]\s*\|"),
}


def trigger(fixer: Fixer) -> str:
    """A fixer's trigger as one pattern (to be compiled with ``re.MULTILINE``)."""
    if fixer in GATED:
        return GATED[fixer][1]
    starts, around = TRIGGERS[fixer]
    return f"[{starts}](?:{around})"


class Scanner(NamedTuple):
    pattern: re.Pattern[str]
    gated: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def scanner(fixers: tuple[Fixer, ...]) -> Scanner | None:
    """One pattern for all ``fixers`` (and one per gated trigger); None when a fixer has no trigger."""
    if any(fixer not in TRIGGERS and fixer not in GATED for fixer in fixers):
        return None
    ungated = [TRIGGERS[fixer] for fixer in dict.fromkeys(fixers) if fixer in TRIGGERS]
    starts = "".join(dict.fromkeys(starts for starts, _ in ungated))
    around = "|".join(f"(?<=[{starts}])(?:{around})" for starts, around in ungated)
    pattern = re.compile(f"[{starts}](?:{around})" if ungated else "(?!)", re.MULTILINE)
    gated = tuple((GATED[f][0], re.compile(GATED[f][1])) for f in dict.fromkeys(fixers) if f in GATED)
    return Scanner(pattern, gated)


def may_change(text: str, fixers: tuple[Fixer, ...]) -> bool:
    """Could any of ``fixers`` change or report anything in ``text``?

    >>> from converter.repair import FIXERS
    >>> may_change("執行 `apt-get install zhdoc` 即可。", FIXERS), may_change("加強(qiáng)", FIXERS)
    (False, True)
    """
    found = scanner(fixers)
    if found is None or found.pattern.search(text):
        return True
    return any(any(c in text for c in needles) and pattern.search(text) for needles, pattern in found.gated)
