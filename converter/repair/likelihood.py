"""How likely a run of characters is in Chinese prose: character frequencies and two-character words.

Both tables come from jieba's dictionary (``converter/data``); Traditional characters are looked up
through their Simplified forms. The mojibake repair uses this to rank the characters it cannot
derive from the bytes alone, and to tell a decoded run from garbage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from ..cache import cached
from .chars import HAN_RE

DATA = Path(__file__).resolve().parent.parent / "data"
PUNCTUATION_COST = {"，": 0.3, "。": 0.3, "、": 1.0, "；": 3.0, "：": 3.0, "？": 3.0, "！": 3.0, "“": 2.5, "”": 2.5}
WORD_BONUS = 1.5  # a pair of neighbours that is a known word is this much cheaper


@cache
def _frequencies() -> tuple[dict[str, int], int]:
    return cached("charfreq", (DATA / "charfreq.tsv", Path(__file__)), _read_frequencies)


def _read_frequencies() -> tuple[dict[str, int], int]:
    table: dict[str, int] = {}
    for line in (DATA / "charfreq.tsv").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            char, count = line.split("\t")
            table[char] = int(count)
    return table, sum(table.values())


@cache
def _words() -> frozenset[str]:
    return frozenset((DATA / "words2.txt").read_text(encoding="utf-8").split())


@cache  # one character at a time, so bounded by the characters a batch sees
def simplified(text: str) -> str:
    """OpenCC's Simplified form of a character (cached)."""
    from ..script import to_simplified

    return to_simplified(text)


@cache
def cost(char: str) -> float:
    """-log10 of a character's frequency, roughly: 0.5 (的) … 7 (rare Han).

    >>> cost("的") < cost("高") < cost("咚") < cost("刭")
    True
    """
    if char in PUNCTUATION_COST:
        return PUNCTUATION_COST[char]
    if char.isascii():  # in Chinese text, an ASCII byte among Han characters is a sign of garbage
        return 6.0
    table, total = _frequencies()
    count = max(table.get(char, 0), table.get(simplified(char), 0))
    if count:
        return max(0.5, math.log10(total / count) - 1.0)
    return 7.0 if re.match(HAN_RE, char) else 5.0


def is_word(first: str, second: str) -> bool:
    """
    >>> is_word("滄", "海"), is_word("滄", "。")
    (True, False)
    """
    return bool(first and second) and simplified(first) + simplified(second) in _words()


def score(text: str, before: str = "", after: str = "") -> float:
    """Mean cost per character of ``text``, less a bonus for each word it forms with its neighbours."""
    return _score(text, before[-1:], after[:1])


@lru_cache(maxsize=1 << 13)  # bounded: a long batch sees endless candidate strings
def _score(text: str, before: str, after: str) -> float:
    if not text:
        return math.inf
    joined = before + text + after
    words = sum(is_word(a, b) for a, b in zip(joined, joined[1:]))
    return (sum(cost(c) for c in text) - WORD_BONUS * words) / len(text)


def rank(candidates: Iterable[str], before: str = "", after: str = "") -> list[str]:
    """Single characters, likeliest first between ``before`` and ``after``."""
    return sorted(candidates, key=lambda c: score(c, before, after))


def plausible(recovered: str, garbled: str, margin: float, before: str = "", after: str = "") -> bool:
    """Is the decoded text more like Chinese prose than the garbled text, by ``margin`` per character?

    >>> plausible("的高素質", "母咚刭|", 0.75), plausible("唬可", "？", 0.75), plausible("。拊膺呼蒼", "＾遭吆羯n", 0)
    (True, False, True)
    """
    return score(recovered, before, after) + margin < score(garbled, before, after)
