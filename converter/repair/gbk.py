"""Byte-level GBK: encoding characters, decoding pairs, and decoding a run one byte out of step."""

from __future__ import annotations

from functools import cache, lru_cache

FOLDED = {";": "；", "!": "！", ",": "，", ":": "："}  # not "(": it opens the annotations
# Where a garbled run ends whatever the bytes say: "?" is a pair swallowed with an ASCII byte, and the
# others are widened by later repairs, so stopping at both forms keeps the repair idempotent.
STOPS = frozenset("?？()（）")
SHORTLIST = 4  # candidates per lost byte ranked in context; the rest are too rare to matter


def unfold(text: str) -> str:
    """Full-width marks back in place of their folded ASCII forms, as the GBK bytes had them."""
    return "".join(FOLDED.get(c, c) for c in text)


@cache
def gbk(char: str) -> bytes | None:
    """GBK bytes of a character; None for private-use characters (masked text) and the unencodable."""
    if "\ue000" <= char <= "\uf8ff":
        return None
    try:
        return char.encode("gbk")
    except UnicodeEncodeError:
        return None


@cache
def decode_pair(lead: int, trail: int) -> str | None:
    try:
        char = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 and not "\ue000" <= char <= "\uf8ff" else None


def garbled_run(text: str, start: int) -> tuple[list[int], int]:
    """The bytes of the garbled run at ``start`` (folded marks unfolded) and where it ends.

    The run is in step again after an ASCII byte that stood as a trail byte (0x40–0x7E); it ends
    before a STOPS character or anything that is not GBK.
    """
    data: list[int] = []
    j = start
    while j < len(text):
        char = FOLDED.get(text[j], text[j])
        encoded = gbk(char)
        if encoded is None or char in STOPS or (len(encoded) == 1 and encoded[0] < 0x40):
            break
        data.extend(encoded)
        j += 1
        if len(encoded) == 1:  # an ASCII trail byte: the stream is in step after it
            break
    return data, j


def decode_bytes(data: list[int]) -> tuple[str, int | None] | None:
    """Decode pairs (ASCII bytes alone); returns the text and a lead byte left over, or None if invalid."""
    out, i = [], 0
    while i < len(data):
        if data[i] < 0x80:
            out.append(chr(data[i]))
            i += 1
            continue
        if i + 1 == len(data):
            return "".join(out), data[i]
        char = decode_pair(data[i], data[i + 1])
        if char is None:
            return None
        out.append(char)
        i += 2
    return "".join(out), None


def shifted_decode(lost: int, text: str, start: int) -> tuple[str, int, int | None] | None:
    """Decode the garbled run at ``start`` with the ``lost`` byte put back in front.

    Returns the recovered text, where the run ends, and a lead byte still waiting for its trail (lost
    with an ASCII byte at the end of the run), or None when the bytes make no sense.

    >>> shifted_decode(0xB5, "母咚刭|(zhì)干部", 0)
    ('的高素質', 4, None)
    """
    data, end = garbled_run(text, start)
    decoded = decode_bytes([lost, *data])
    return None if decoded is None else (decoded[0], end, decoded[1])


@cache
def vanishing() -> dict[int, list[int]]:
    """Byte pairs that decode to the private-use area, by first byte: the mirrors dropped them.

    "，" is A3 AC and AC leads such a pair, so a "，" inside a garbled run nearly always takes the
    next byte with it. Only second bytes that can also lead a character matter here.
    """
    pairs: dict[int, list[int]] = {}
    for first in range(0x81, 0xFF):
        for second in range(0x81, 0xFF):
            try:
                char = bytes((first, second)).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if len(char) == 1 and "\ue000" <= char <= "\uf8ff":
                pairs.setdefault(first, []).append(second)
    return pairs


def vanished_pair_decodes(
    lost: int, text: str, start: int, score, cost, before: str = ""
) -> list[tuple[str, int, int | None]]:
    """Decodes of the run at ``start`` assuming one shifted pair of it vanished.

    A vanished pair (t, l) took the trail byte t of one character and the lead byte l of the next;
    the two characters are chosen among those the bytes allow: a shortlist by ``cost``, then
    ``score(text, before)`` (lower is likelier) in context.
    """
    data, end = garbled_run(text, start)
    stream = [lost, *data]
    found = []
    for cut in range(1, len(stream), 2):  # the boundaries between the shifted pairs
        head = decode_bytes(stream[: cut - 1])
        tail = decode_bytes(stream[cut + 1 :])
        if head is None or head[1] is not None or tail is None:
            continue
        left = before + head[0]
        options = []
        for trail in vanishing():
            first = decode_pair(stream[cut - 1], trail)
            seconds = _shortlist(trail, stream[cut], cost) if first else ()
            if seconds:
                second = min(seconds, key=lambda c, first=first: score(c, left + first))
                options.append((score(first + second, left), first + second))
        if options:
            found.append((head[0] + min(options)[1] + tail[0], end, tail[1]))
    return found


@lru_cache(maxsize=1 << 12)
def _shortlist(trail: int, trail_after: int, cost) -> tuple[str, ...]:
    """The commonest characters whose lead byte vanished with ``trail`` and whose trail is ``trail_after``."""
    chars = [c for lead in vanishing()[trail] if (c := decode_pair(lead, trail_after))]
    return tuple(sorted(chars, key=cost)[:SHORTLIST])
