"""GBK one-byte-shift mojibake (SPEC §1.1): find the spans, undo the shift, report every one.

A mirror edited GBK bytes without respecting character boundaries: an ``(pinyin)`` annotation or a
``,`` spliced between the two bytes of a character turns that byte pair into ``?`` and leaves the
bytes after it decoding one byte out of step (``?shù)母咚刭|``) until an ASCII byte re-synchronises.
Re-encoding the garbled run and decoding it from the lost byte on gives the text back; the lost byte
itself comes from the splice (the annotated character straddled two characters), from the next
annotation, or, failing both, from ranking the candidates by how common they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .chars import HAN_RE
from .edits import Edit
from .pinyin import TONED, is_reading

FOLDED = {";": "；", "!": "！", ",": "，", ":": "：", "(": "（", ")": "）"}
COMMA_MARKS = "，、。；？,;?"  # the mirrors insert "," only before these
_FRAGMENT = re.compile(rf"\?([a-z{TONED}]{{1,6}}) ?\)")
_MARKER = re.compile(rf"\?(?=[a-z{TONED}]{{1,6}} ?\)|[{COMMA_MARKS}])")
# The character whose bytes the splice followed, possibly behind its own annotations: 當(dāng)?shù)
_PRECEDING = re.compile(rf"({HAN_RE})(?:\([a-z{TONED}]{{1,6}} ?\))*$")
MARGIN = 0.75  # mean cost per character the decoded text must beat the garbled text by


@cache
def gbk(char: str) -> bytes | None:
    """GBK bytes of a character; None for private-use characters (masked text) and the unencodable."""
    if "\ue000" <= char <= "\uf8ff":
        return None
    try:
        encoded = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return encoded


@cache
def decode_pair(lead: int, trail: int) -> str | None:
    try:
        char = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 and not "\ue000" <= char <= "\uf8ff" else None


PUNCTUATION_COST = {"，": 1.0, "。": 1.3, "、": 2.0, "；": 3.0, "：": 3.0, "？": 3.0, "！": 3.0, "“": 2.5, "”": 2.5}


@cache
def _frequencies() -> tuple[dict[str, int], int]:
    table: dict[str, int] = {}
    path = Path(__file__).resolve().parent.parent / "data" / "charfreq.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            char, count = line.split("\t")
            table[char] = int(count)
    return table, sum(table.values())


@cache
def cost(char: str) -> float:
    """How unlikely a character is in Chinese prose, -log10 of its frequency: 0.5 (的) … 7 (rare).

    >>> cost("的") < cost("高") < cost("咚") < cost("刭")
    True
    """
    if char in PUNCTUATION_COST:
        return PUNCTUATION_COST[char]
    if char.isascii():
        return 3.5
    from ..script import to_simplified

    table, total = _frequencies()
    count = max(table.get(char, 0), table.get(to_simplified(char), 0))
    if count:
        return max(0.5, math.log10(total / count) - 1.0)
    return 7.0 if re.match(HAN_RE, char) else 5.0


def plausible(recovered: str, garbled: str) -> bool:
    """Is the decoded text clearly more like Chinese prose than the garbled text it replaces?

    >>> plausible("的高素質", "母咚刭|"), plausible("唬可", "？")
    (True, False)
    """
    if not recovered or not garbled:
        return False
    return text_cost(recovered) / len(recovered) + MARGIN < text_cost(garbled) / len(garbled)


def text_cost(text: Iterable[str]) -> float:
    return sum(cost(c) for c in text)


def shifted_decode(lost: int, text: str, start: int) -> tuple[str, int, int | None] | None:
    """Decode ``text[start:]`` with ``lost`` put back in front, until the stream is in step again.

    Returns the recovered text, where the garbled run ends, and a lead byte still waiting for its
    trail (lost with an ASCII byte at the end of the run), or None when the bytes make no sense.

    >>> shifted_decode(0xB5, "母咚刭|(zhì)干部", 0)
    ('的高素質', 4, None)
    """
    buffer, out, j = [lost], [], start
    while j < len(text) and buffer:
        char = FOLDED.get(text[j], text[j])
        encoded = gbk(char)
        if encoded is None or char == "?" or (len(encoded) == 1 and encoded[0] < 0x40):
            break
        buffer.extend(encoded)
        j += 1
        while buffer and (buffer[0] < 0x80 or len(buffer) >= 2):
            if buffer[0] < 0x80:
                out.append(chr(buffer.pop(0)))
                continue
            decoded = decode_pair(buffer[0], buffer[1])
            if decoded is None:
                return None
            out.append(decoded)
            del buffer[:2]
    return "".join(out), j, (buffer[0] if buffer else None)


def _lead_candidates(first: int, syllable: str | None) -> list[str]:
    """Characters whose GBK code starts with ``first``: those read ``syllable``, or all, commonest first."""
    chars = [c for t in range(0x40, 0xFF) if (c := decode_pair(first, t))]
    if syllable is None:
        return sorted(chars, key=cost)
    read = [c for c in chars if is_reading(syllable, c, match_tone=True)]
    # The mirrors annotate only characters their Simplified→Traditional pass changed.
    converted = [c for c in read if _is_converted(c)]
    return converted or read


def _is_converted(char: str) -> bool:
    from ..script import to_simplified

    return to_simplified(char) != char


def _trail_candidates(second: int) -> list[str]:
    """Characters whose GBK code ends with ``second``, commonest first."""
    return sorted((c for lead in range(0x81, 0xFF) if (c := decode_pair(lead, second))), key=cost)


def _certainty(candidates: list[str]) -> str:
    return "exact" if len(candidates) == 1 else "guessed"


def _finish(text: str, end: int, pending: int | None) -> tuple[str, int, str, list[str]]:
    """Resolve a lead byte left waiting at the end of a garbled run: (char, new end, certainty, candidates)."""
    if pending is None:
        return "", end, "exact", []
    fragment = _FRAGMENT.match(text, end)
    if fragment:  # the swallowed ASCII byte was the "(" of this character's own annotation
        candidates = _lead_candidates(pending, fragment.group(1))
        if candidates:
            return candidates[0], fragment.end(), _certainty(candidates), candidates
    candidates = _lead_candidates(pending, None)
    swallowed = end + 1 if text.startswith("?", end) else end
    return (candidates[0] if candidates else "", swallowed, "guessed", candidates[:5])


def _after_splice(text: str, at: int) -> list[Edit]:
    """``當?shù)母咚刭|`` : an annotation spliced into a character; its reading names the lost byte."""
    fragment = _FRAGMENT.match(text, at)
    preceding = _PRECEDING.search(text, max(0, at - 40), at)
    previous = gbk(preceding.group(1)) if preceding else None
    if not fragment or not previous or len(previous) != 2:
        return []
    annotated = _lead_candidates(previous[1], fragment.group(1))
    readings = []  # (mean cost, recovered, end, certainty) for each annotated character that decodes to sense
    for char in annotated:
        decoded = shifted_decode(gbk(char)[1], text, fragment.end())
        if decoded is None:
            continue
        recovered, end, pending = decoded
        last, end, certainty, _ = _finish(text, end, pending)
        recovered += last
        if plausible(recovered, text[fragment.end() : end]):
            readings.append((text_cost(recovered) / len(recovered), recovered, end, certainty))
    if not readings:
        return []
    _, recovered, end, certainty = min(readings)
    if len(readings) > 1 and certainty == "exact":
        certainty = "inferred"
    note = f"annotation ({fragment.group(1)}) spliced into {'/'.join(annotated)}"
    return [Edit(at, end, recovered, "mojibake", certainty, note)]


def _after_comma(text: str, at: int) -> list[Edit]:
    """``點?;鶎狱h`` : a comma spliced before a mark whose bytes straddled two characters."""
    mark = FOLDED.get(text[at + 1], text[at + 1])
    if mark == "?":
        mark = "？"
    code = gbk(mark)
    if not code or len(code) != 2:
        return []
    decoded = shifted_decode(code[1], text, at + 2)
    if decoded is None or decoded[1] == at + 2:
        return []
    recovered, end, pending = decoded
    last, end, certainty, _ = _finish(text, end, pending)
    recovered += last
    if not plausible(recovered, text[at + 2 : end]):
        return []
    candidates = _trail_candidates(code[0])
    first = Edit(at, at + 2, candidates[0], "mojibake", "guessed", "lost byte; candidates " + "".join(candidates[:5]))
    return [first, Edit(at + 2, end, recovered, "mojibake", certainty, "decoded one byte later")]


def repair_gbk_shift(text: str) -> list[Edit]:
    """Find GBK-shift spans and put back what they garbled.

    >>> from converter.repair.edits import preview
    >>> preview(repair_gbk_shift, "擔(dān)當(dāng)?shù)母咚刭|(zhì)干部 官方?jīng)]有")
    '擔(dān)當(dāng)的高素質(zhì)干部 官方沒有'
    """
    edits: list[Edit] = []
    position = 0
    for marker in _MARKER.finditer(text):
        if marker.start() < position:
            continue
        at = marker.start()
        found = _after_splice(text, at) if text[at + 1] not in COMMA_MARKS else _after_comma(text, at)
        if not found:
            found = [
                Edit(
                    at,
                    _span_end(text, at),
                    text[at : _span_end(text, at)],
                    "mojibake",
                    "unrecovered",
                    "suspected GBK-shift span left as it was",
                )
            ]
        edits.extend(found)
        position = found[-1].end
    return edits


def _span_end(text: str, at: int) -> int:
    """The end of a suspected span that could not be decoded: the marker, its fragment or mark, and
    the garbled run after it up to the ASCII byte that re-synchronised the stream."""
    fragment = _FRAGMENT.match(text, at)
    end = fragment.end() if fragment else at + 2
    while end < len(text) and (text[end] in FOLDED or len(gbk(text[end]) or b"") == 2):
        end += 1
    if end < len(text) and 0x40 <= ord(text[end]) <= 0x7E:
        end += 1
    return end
