"""Flattened ruby: ``加強(qiáng)`` → ``加強``, only where the syllable is a reading of the character."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from ..cache import cached
from ..lazy_regex import lazy_compile
from .chars import HAN_RE
from .edits import Edit
from .gbk import decode_pair

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
INJECTED = "\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200b-\u200d"  # emoji and invisibles some sites inject
_LETTER = f"[a-zA-Z{TONED}{INJECTED}]"
# A ``(syllable)`` (group 2), and the Han character before it (group 1), if there is one.
ANNOTATION = lazy_compile(rf"\((?:(?<=({HAN_RE})\())?({_LETTER}{{1,8}}) ?\)")
_HAN = lazy_compile(HAN_RE)
_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0304\u030c"))
_INJECTED_RE = re.compile(f"[{INJECTED}]")
_new_tuple = tuple.__new__  # (an Edit made without its Python __new__: see edits.new_edit)


@cache
def toneless(syllable: str) -> str:
    """Lower-case, no tone marks, ``v``/``ve`` spelled ``ü``.

    >>> toneless("Qiáng"), toneless("lve"), toneless("lüè"), toneless("y🎐i")
    ('qiang', 'lüe', 'lüe', 'yi')
    """
    s = _INJECTED_RE.sub("", syllable.lower())
    s = unicodedata.normalize("NFC", unicodedata.normalize("NFD", s).translate(_TONE_MARKS))
    return s.replace("v", "ü")


@cache
def _tables() -> tuple[dict[int, str], frozenset[str]]:
    """pypinyin's character readings, read from its data file (importing the package would also load its
    phrase dictionary and segmenter, three times the cost of a one-file conversion's repair), and every
    toneless syllable in them (about 400); both kept in zhdoc's cache."""
    spec = importlib.util.find_spec("pypinyin")
    data = Path(spec.submodule_search_locations[0]) / "pinyin_dict.json" if spec else None
    if data is None or not data.is_file():
        from pypinyin.pinyin_dict import pinyin_dict

        return pinyin_dict, _syllables(pinyin_dict)
    return cached("pinyin", (data, Path(__file__)), lambda: _build(data))


def _build(data: Path) -> tuple[dict[int, str], frozenset[str]]:
    by_code = json.loads(data.read_text(encoding="utf-8"))
    dictionary = dict(zip(map(int, by_code), by_code.values()))
    return dictionary, _syllables(dictionary)


def _syllables(dictionary: dict[int, str]) -> frozenset[str]:
    """The toneless forms of the 1,500 distinct toned readings."""
    return frozenset(map(toneless, set(",".join(dictionary.values()).split(","))))


def _dictionary() -> dict[int, str]:
    return _tables()[0]


def syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows (about 400)."""
    return _tables()[1]


@cache
def readings(char: str, toned: bool = False) -> frozenset[str]:
    """Readings of a character; a Traditional form not in pypinyin uses its Simplified one.

    >>> sorted(readings("會")), sorted(readings("攄", toned=True))
    (['hui', 'kuai', 'kuo'], ['lù', 'shū'])
    """
    found = _dictionary().get(ord(char))
    if found is None:
        from ..script import to_simplified

        simple = to_simplified(char)
        found = _dictionary().get(ord(simple), "") if simple != char else ""
    spell = _spelling if toned else toneless
    return frozenset(spell(r) for r in found.split(",") if r)


def _spelling(syllable: str) -> str:
    """Lower case, ``v`` spelled ``ü``, tone marks kept."""
    return unicodedata.normalize("NFC", _INJECTED_RE.sub("", syllable.lower()).replace("v", "ü"))


@cache
def is_reading(syllable: str, char: str, match_tone: bool = False) -> bool:
    """Is ``syllable`` a reading of ``char``? With ``match_tone``, a toned syllable must match its tone too.

    >>> is_reading("shù", "攄"), is_reading("shù", "攄", match_tone=True), is_reading("shu", "數", True)
    (True, False, True)
    """
    s = toneless(syllable)
    if s not in syllables() or s not in readings(char):
        return False
    return not match_tone or s == _spelling(syllable) or _spelling(syllable) in readings(char, toned=True)


def _straddled(before: str, letter: str) -> str:
    """The character spelled by the last GBK byte of ``before`` and the ASCII ``letter`` ("" if none)."""
    if not "\x40" <= letter <= "\x7e" or not _HAN.match(before):
        return ""
    try:
        code = before.encode("gbk")
    except UnicodeEncodeError:
        return ""
    return decode_pair(code[-1], ord(letter)) or "" if len(code) == 2 else ""


def remove_annotations(text: str) -> list[Edit]:
    """Drop ``(syllable)`` right after a Han character when it is a reading of that character.

    >>> from converter.repair.edits import preview
    >>> preview(remove_annotations, "加強(qiáng)基層,的(de)(de)(de)事,方案(a),(long),計劃(2018-2020年)")
    '加強基層,的事,方案(a),(long),計劃(2018-2020年)'
    >>> preview(remove_annotations, "會(huì )議 略(lve) 一(y🎐i) (擴(kuò)大)")
    '會議 略 一 (擴大)'

    The mirrors annotated GBK bytes, so a character's annotation may follow a Latin letter whose byte,
    with the last byte of the character before, spells that character (查L: b2 e9 4c, and e9 4c is 長):

    >>> preview(remove_annotations, "檢查L(zhǎng)inux 內核 的L(a)")
    '檢查Linux 內核 的L(a)'
    """
    edits: list[Edit] = []  # one for each run of annotations to remove
    removed_end = -1  # where the last run removed ends
    chain_end, char, removing, straddled = -1, "", False, False  # a chain of annotations: 的(de)(de)(de)
    for m in ANNOTATION.finditer(text):
        start, end = m.span()
        han, syllable = m.groups()
        if start != chain_end:  # a new chain: it must follow a Han character
            if han:
                char, removing, straddled = han, True, False
            else:  # the evidence is thinner: the tone must match too
                straddled = start >= 2
                char = _straddled(text[start - 2], text[start - 1]) if straddled else ""
                removing = bool(char)
        chain_end = end
        if removing and is_reading(syllable, char, straddled):
            if start == removed_end:  # right after the run removed last: one edit for both
                start = edits.pop()[0]
            edits.append(_new_tuple(Edit, (start, end, "", "pinyin", "exact", "")))
            removed_end = end
        else:
            removing = False  # an annotation that is no reading ends the chain
    return edits
