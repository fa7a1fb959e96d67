"""Find what no fixer may touch: URLs, e-mail addresses, numbers, paths, English runs, markup."""

from __future__ import annotations

import re

from ..lazy_regex import lazy_compile
from .chars import HAN, MASK_LATIN, MASK_OTHER

_PROTECTED = lazy_compile(
    "|".join(
        [
            # A URL; a comma or full stop at its end belongs to the sentence (see http://a.cn/x,。).
            r"(?:https?|ftp)://[^\s<>\"'" + HAN + r"\u3000-\u303f\uff00-\uffef]+(?<![,.;:!?])",
            r"www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/[^\s" + HAN + r"\u3000-\u303f\uff00-\uffef]*)?",
            r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",  # e-mail
            r"(?:[A-Za-z]:\\|\.{1,2}/|~/|/)(?:[A-Za-z0-9_.\-]+[/\\])+[A-Za-z0-9_.\-]*",  # path
            r"\b[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)+\b",  # file name, domain, version: a.txt, 1.2.3
            r"\d+(?:[.,:/]\d+)+",  # 1,000  3.14  12:30  2020/01/02
            r"&#?[A-Za-z0-9]+;",  # HTML entity
            # An English run: two or more Latin words joined by spaces and ASCII punctuation.
            r"[A-Za-z][A-Za-z'\-]*(?:[,;:!?.]?[ ]+[A-Za-z][A-Za-z'\-]*)+[.!?]*",
        ]
    )
)


_ASCII = re.compile(r"[!-~]+(?:[ \t]+[!-~]+)*")
# A sign that an ASCII stretch may hold something protected: [0-9@/\\&], a letter before [.:] and a letter
# or a slash, or a letter before spaces and a letter. (One class first, so that a search skips Han quickly.)
_MAYBE = re.compile(r"[0-9@/\\&A-Za-z](?:(?<=[0-9@/\\&])|(?<=[A-Za-z])(?:[.:][A-Za-z/]|[,;:!?.]?[ \t]+[A-Za-z]))")
# What every pattern above needs somewhere, looked for first (``_MAYBE`` alone stops at every letter of a
# pinyin fragment and every lone number, 4月1日): [@/\\&] (a URL, path, e-mail or entity), a dot between name
# characters (a file name, domain or version), [,:] between digits (a number), or a space after a letter or
# [-',;:!?.] and before a letter (an English run). It starts with a separator, rarer than letters.
_NEEDED = re.compile(
    r"[@/\\&.,:\t ](?:(?<=[@/\\&])|(?<=[A-Za-z0-9_\-]\.)(?=[A-Za-z0-9_\-])|(?<=[0-9][,:])(?=[0-9])"
    r"|(?<=[A-Za-z'\-,;:!?.][\t ])[\t ]*[A-Za-z])"
)
_NOT_ASCII = re.compile(r"[^!-~ \t]")  # searched in the reversed text: where a stretch begins
_MATH = re.compile(r"\$[^$\n]+\$")  # inline math
_MASKS = re.compile(f"[{MASK_LATIN}{MASK_OTHER}]+")


def spans(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges of ``text`` that fixers must leave alone.

    >>> t = "見 https://a.cn/x?y=1,2 與1,000元,見 http://a.cn/b,。Stay hungry, stay foolish."
    >>> [t[a:b] for a, b in spans(t)]
    ['https://a.cn/x?y=1,2', '1,000', 'http://a.cn/b', 'Stay hungry, stay foolish.']
    """
    found = []
    # Everything protected is ASCII but inline math, so the big pattern only runs over ASCII stretches, and
    # only over those with a sign of something to protect (a pinyin fragment such as "(qi" cannot be).
    end, backwards = 0, ""
    while sign := _NEEDED.search(text, end):
        backwards = backwards or text[::-1]
        before = _NOT_ASCII.search(backwards, len(text) - sign.start())
        stretch = _ASCII.search(text, len(text) - before.start() if before else 0)
        if _MAYBE.search(text, stretch.start(), stretch.end()):
            found += [(m.start(), m.end()) for m in _PROTECTED.finditer(text, stretch.start(), stretch.end())]
        end = stretch.end()
    if "$" in text:
        found += [(m.start(), m.end()) for m in _MATH.finditer(text)]
    if MASK_LATIN in text or MASK_OTHER in text:
        found += [(m.start(), m.end()) for m in _MASKS.finditer(text)]
    return merge(found) if found else found


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def mask(text: str, ranges: list[tuple[int, int]], placeholder: str = MASK_LATIN) -> str:
    """Write a placeholder over each range, keeping every position where it was."""
    if not ranges:
        return text
    parts, last = [], 0
    for start, end in ranges:
        parts += [text[last:start], placeholder * (end - start)]
        last = end
    parts.append(text[last:])
    return "".join(parts)
