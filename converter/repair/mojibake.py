"""GBK one-byte-shift mojibake (SPEC §1.1): find the spans, undo the shift, report every one.

A mirror edited GBK bytes without respecting character boundaries: an ``(pinyin)`` annotation or a
``,`` spliced between the two bytes of a character turns that byte pair into ``?`` and leaves the
bytes after it decoding one byte out of step (``?shù)母咚刭|``) until an ASCII byte re-synchronises.
Re-encoding the garbled run and decoding it from the lost byte on gives the text back; the lost byte
itself comes from the splice (the annotated character straddled two characters), from the next
annotation, or, failing both, from ranking the candidates (likelihood.py). Certainty: ``exact`` when
the bytes allow one answer, ``inferred`` when the text chose among several the bytes allow,
``guessed`` when a lost byte was ranked; a span that cannot be decoded is reported ``unrecovered``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..i18n import Text
from ..lazy_regex import lazy_compile
from .edits import Edit, preview
from .gbk import FOLDED, decode_bytes, decode_pair, garbled_run, gbk, shifted_decode, unfold, vanished_pair_decodes
from .likelihood import cost, plausible, rank, score, simplified
from .pinyin import TONED, is_reading
from .punctuation import widen_marks

COMMA_MARKS = "，、。；？,;?"  # the mirrors insert "," only before these
_SYLLABLE = rf"[a-z{TONED}]{{1,6}} ?\)"
_FRAGMENT = re.compile(rf"\?([a-z{TONED}]{{1,6}}) ?\)")
_ANNOTATION = re.compile(rf"\(([a-z{TONED}]{{1,6}}) ?\)")
# A lost pair's "?" follows the character before it (an indent may go later: ` ??基` must read as `??基`);
# a "?" opening a group or after a sigil is a regular expression ((?x) $?i *?), not a lost pair; a comma
# splice leaves one mark after its "?", not a run (属于???组), and a run of "?" is no marker but before
# an annotation fragment (每?zǒng)??cè)的).
# (The "?" first and the look-behinds after it, so that a search jumps from one "?" to the next.)
MARKER = re.compile(
    rf"\?(?:(?<=[^(\s$\\?*+^|\[{{]\?)(?={_SYLLABLE}|[{COMMA_MARKS}](?![?？]))"
    rf"|(?<=\?\?)(?={_SYLLABLE}))"
)
# A 4-byte GB18030 character read as two pairs: after Han, Latin (™ ²) or an annotation, before Han or a mark.
# Or a lost bullet (•) at the start of a line.
_OUTSIDE_GBK = lazy_compile(
    r"(?<=[\u3400-\u9fff)）])\?\?(?=[\u3400-\u9fff，。、；：])"
    r"|(?<=[A-Za-z0-9])\?\?(?=[\u3400-\u9fff，。、；：A-Za-z0-9])|^\?\?(?= )"  # not /dev/hd?? (a glob)
)
# The character whose bytes the splice followed, possibly behind its own annotations: 當(dāng)?shù)
# ("？" may be a widened "?", which is no such character: both must read alike, for idempotence)
_PRECEDING = lazy_compile(rf"([^\x00-\x7f？]|[;!,:])(?:\([a-z{TONED}]{{1,6}} ?\))*$")
_DEBRIS = re.compile(r"\?[?!]*")
GARBLED = 3.5  # mean cost per character from which a run reads as garbage
MARGIN = 0.75  # how much likelier per character a decode must be when nothing but a "?" points to it


@lru_cache(maxsize=1 << 12)  # a page annotates the same characters again and again
def _lead_candidates(first: int, syllable: str) -> tuple[str, ...]:
    """Characters whose GBK code starts with ``first`` and that read ``syllable``."""
    chars = [c for t in range(0x40, 0xFF) if (c := decode_pair(first, t))]
    read = [c for c in chars if is_reading(syllable, c, match_tone=True)]
    # The mirrors annotate only characters their Simplified→Traditional pass changed.
    converted = [c for c in read if simplified(c) != c]
    return tuple(converted or read)


def _decodes(lost: int, text: str, start: int, before: str) -> list[tuple[str, int, int | None, bool]]:
    """Decodes of the run at ``start`` with the lost byte put back: (text, end, pending, guessed).

    When the plain decode makes no sense, or contradicts the annotation right after the run (the
    page annotated the run's last character), the decodes that assume a pair of the run vanished
    are tried too (a "，" inside the run takes the next byte with it, most often).
    """
    plain = shifted_decode(lost, text, start)
    if plain and _fits(plain, text, start, before):
        return [(*plain, False)]
    vanished = vanished_pair_decodes(lost, text, start, score, cost, before)
    good = sorted((d for d in vanished if _fits(d, text, start, before)), key=lambda d: score(d[0], before))
    return ([(*plain, False)] if plain else []) + [(*d, True) for d in good[:1]]


def _fits(decoded: tuple[str, int, int | None], text: str, start: int, before: str) -> bool:
    recovered, end, pending = decoded
    if not recovered or not plausible(recovered, unfold(text[start:end]), 0.0, before):
        return False
    annotation = _ANNOTATION.match(text, end)
    return pending is not None or not annotation or is_reading(annotation.group(1), recovered[-1])


def _finish(text: str, end: int, pending: int | None, before: str) -> tuple[str, int, str]:
    """Resolve a lead byte left waiting at the end of a garbled run: (character, new end, certainty)."""
    if pending is None:
        return "", end, "exact"
    fragment = _FRAGMENT.match(text, end)
    if fragment:  # the swallowed ASCII byte was the "(" of this character's own annotation
        candidates = _lead_candidates(pending, fragment.group(1))
        if candidates:
            chosen = rank(candidates, before)[0]
            return chosen, fragment.end(), "exact" if len(candidates) == 1 else "inferred"
    candidates = [c for t in range(0x40, 0xFF) if (c := decode_pair(pending, t))]
    after = text[end + 1 : end + 2] if text.startswith("?", end) else ""
    swallowed = end + 1 if text.startswith("?", end) else end
    return (rank(candidates, before, after)[0] if candidates else ""), swallowed, "guessed"


def _after_splice(text: str, at: int) -> list[Edit]:
    """``當?shù)母咚刭|`` : an annotation spliced into a character; its reading names the lost byte."""
    fragment = _FRAGMENT.match(text, at)
    preceding = _PRECEDING.search(text, max(0, at - 40), at)
    previous = gbk(FOLDED.get(preceding.group(1), preceding.group(1))) if preceding else None
    if not fragment or not previous or len(previous) != 2:
        return []
    before = preceding.group(1)
    annotated = _lead_candidates(previous[1], fragment.group(1))
    readings = []  # (score, recovered, end, certainty) for each decode that makes sense
    for char in annotated:
        for recovered, end, pending, guessed in _decodes(gbk(char)[1], text, fragment.end(), before):
            last, end, certainty = _finish(text, end, pending, before + recovered)
            recovered += last
            if plausible(recovered, unfold(text[fragment.end() : end]), 0.0, before):
                # a decode of the bytes as they are beats one that assumes a vanished pair
                certainty = "guessed" if guessed else certainty
                readings.append((guessed, score(recovered, before), recovered, end, certainty))
    if not readings:
        return []
    best = min(readings)
    _, _, recovered, end, certainty = best
    if sum(r[0] == best[0] for r in readings) > 1 and certainty == "exact":
        certainty = "inferred"
    note = Text("annotation ({pinyin}) spliced into {chars}", pinyin=fragment.group(1), chars="/".join(annotated))
    return [Edit(at, end, recovered, "mojibake", certainty, note), *_after_lost_pair(text, end, before + recovered)]


def _after_comma(text: str, at: int) -> list[Edit]:
    """``點?;鶎狱h`` : a comma spliced before a mark whose bytes straddled two characters."""
    mark = FOLDED.get(text[at + 1], text[at + 1])
    code = gbk("？" if mark == "?" else mark)
    if not code or len(code) != 2:
        return []
    before = text[at - 1 : at]
    firsts = [c for lead in range(0x81, 0xFF) if (c := decode_pair(lead, code[0]))]
    best = None
    for recovered, end, pending, guessed in _decodes(code[1], text, at + 2, before):
        if _no_run(text, at + 2, end):
            continue
        first = rank(firsts, before, recovered)[0]
        last, end, certainty = _finish(text, end, pending, before + first + recovered)
        recovered += last
        candidate = (score(first + recovered, before), first, recovered, end, "guessed" if guessed else certainty)
        if plausible(recovered, unfold(text[at + 2 : end]), MARGIN, before) and (best is None or candidate < best):
            best = candidate
    if best is None:
        return []
    _, first, recovered, end, certainty = best
    ranked = "".join(rank(firsts, before, recovered)[:5])
    return [
        Edit(at, at + 2, first, "mojibake", "guessed", Text("lost byte; candidates {ranked}", ranked=ranked)),
        Edit(at + 2, end, recovered, "mojibake", certainty, Text("decoded one byte later")),
        *_after_lost_pair(text, end, before + first + recovered),
    ]


def _after_lost_pair(text: str, at: int, before: str) -> list[Edit]:
    """``每?zǒng)?ヅ浯蛴∥募`` : a span's last "?" was a pair lost with the lead byte of the next character,
    so the run after it is out of step too. Its first character is ranked among those the lost lead
    byte allows; the rest decodes from the bytes.
    """
    if not text.startswith("?", at - 1) or at >= len(text) or MARKER.match(text, at):
        return []
    data, end = garbled_run(text, at)
    if len(data) < 2 or data[0] < 0x40 or _no_run(text, at, end):
        return []
    rest = decode_bytes(data[1:])
    if rest is None or not (rest[0] or rest[1]):
        return []
    last, end, _ = _finish(text, end, rest[1], before + rest[0])
    firsts = [c for lead in range(0x81, 0xFF) if (c := decode_pair(lead, data[0]))]
    ranked = rank(firsts, before, rest[0] + last)
    recovered = ranked[0] + rest[0] + last
    if not plausible(recovered, unfold(text[at:end]), MARGIN, before):
        return []
    # The first character of the run is the lost lead byte's; the rest is the bytes read in step.
    candidates = Text("lost byte; candidates {ranked}", ranked="".join(ranked[:5]))
    edits = [Edit(at, at + 1, ranked[0], "mojibake", "guessed", candidates)]
    if end > at + 1 or rest[0] + last:
        edits.append(Edit(at + 1, end, rest[0] + last, "mojibake", "guessed", Text("decoded one byte later")))
    return edits + _after_lost_pair(text, end, before + recovered)


def repair_gbk_shift(text: str) -> list[Edit]:
    """Find GBK-shift spans and put back what they garbled.

    >>> from converter.repair.edits import preview
    >>> preview(repair_gbk_shift, "擔(dān)當(dāng)?shù)母咚刭|(zhì)干部 官方?jīng)]有 難點?;鶎狱h組織")
    '擔(dān)當(dāng)的高素質(zhì)干部 官方沒有 難點。基層黨組織'
    """
    if "?" not in text:  # every span starts at a "?"
        return []
    edits: list[Edit] = []
    position = 0
    for marker in MARKER.finditer(text):
        at = marker.start()
        if at < position:
            continue
        found = _after_splice(text, at) if text[at + 1] not in COMMA_MARKS else _after_comma(text, at)
        # An annotation fragment, or a full-width mark after an ASCII "?", is evidence enough: report it.
        if not found and (_FRAGMENT.match(text, at) or _garbled_after_mark(text, at)):
            end = _span_end(text, at)
            found = [
                Edit(at, end, text[at:end], "mojibake", "unrecovered", Text("suspected GBK-shift span left as it was"))
            ]
        edits.extend(found)
        position = found[-1].end if found else position
    for lost in _OUTSIDE_GBK.finditer(text) if "??" in text else ():
        if any(e.start < lost.end() and lost.start() < e.end for e in edits):
            continue
        if _in_title(text, lost.start()):  # 《感遇・其一》: the middle dot is the commonest such character
            edits.append(Edit(lost.start(), lost.end(), "・", "mojibake", "guessed", _LOST_IN_TITLE_NOTE))
        else:
            end = _lost_end(text, lost.start())
            edits.append(Edit(lost.start(), end, text[lost.start() : end], "mojibake", "unrecovered", _LOST_NOTE))
    return sorted(edits, key=lambda e: e.start)


_LOST_NOTE = Text("a character outside GBK was lost (read as two pairs)")
_LOST_IN_TITLE_NOTE = Text("{lost}; in a title: ・", lost=_LOST_NOTE)


def _lost_end(text: str, start: int) -> int:
    """The end of the report of a pair lost at ``start``: the pair's; or, where the run after it holds
    spurious commas before a mark that, once dropped (and the half-width marks after them widened), would let
    the next repair read the pair as a marker and decode the run with the mark (加??加,； → 加??加； → 加。开导樱花),
    the end of those commas, which the report then keeps (the repair must give the same text twice).

    >>> t = "加??加,；"
    >>> t[1 : _lost_end(t, 1)], "加??加強,；"[1 : _lost_end("加??加強,；", 1)]
    ('??加,', '??')
    """
    end = start + 2
    run_end = garbled_run(text, end)[1]
    commas = [m for m in _COMMAS_BEFORE_MARK.finditer(text, end) if m.start() < run_end]
    if not commas:
        return end
    kept, last = [text[:end]], end
    for m in commas:
        kept.append(text[last : m.start()])
        last = m.end()
    dropped = "".join(kept) + preview(widen_marks, text[last:])  # (the marks after them as the next repair reads them)
    return commas[-1].end() if MARKER.match(dropped, start) and _after_comma(dropped, start) else end


def _garbled_after_mark(text: str, at: int) -> bool:
    """``難點?；苕倘活`` : Chinese (behind annotations and spurious commas), "?", a full-width mark, and
    a run of improbable characters. A "?" before a mark at the end of a sentence is left alone."""
    if text[at + 1] not in "，、。；？" or not _PRECEDING.search(text[max(0, at - 40) : at].rstrip(",")):
        return False
    run = text[at + 2 : garbled_run(text, at + 2)[1]]
    return not _no_run(text, at + 2, at + 2 + len(run)) and score(unfold(run)) >= GARBLED


def _no_run(text: str, start: int, end: int) -> bool:
    """No garbled run at ``start``: nothing, or only the first letter of a Latin word (是嗎?;Web).

    >>> _no_run("?;Web", 2, 3), _no_run("?。E(jī)世", 2, 3), _no_run("?;鶎狱h", 2, 5)
    (True, False, False)
    """
    return text[start:end].isascii() and (end == start or bool(re.match(r"[A-Za-z0-9]", text[end : end + 1])))


def _in_title(text: str, at: int) -> bool:
    opened, closed = text.rfind("《", 0, at), text.rfind("》", 0, at)
    return opened > closed and 0 <= at - opened <= 20 and "》" in text[at : at + 20]


def _span_end(text: str, at: int) -> int:
    """The end of a suspected span that could not be decoded: the marker, its fragment or mark, and
    the garbled run after it, up to the ASCII byte that re-synchronised the stream or the first
    stretch that reads as prose again (the bytes may be in step long before an ASCII byte comes).

    Spurious commas right after the span stay in it: dropped, they would let the next run read the span
    with the mark after it and decode it differently (the repair must give the same text twice).

    >>> t = "?guī)劃圓滿收官,奮力譜寫"
    >>> t[: _span_end(t, 0)], "加?shù),；"[: _span_end("加?shù),；", 1)]
    ('?guī)', '加?shù),')
    """
    end = _garbled_end(text, at)
    commas = _COMMAS_BEFORE_MARK.match(text, end)
    return commas.end() if commas else end


_COMMAS_BEFORE_MARK = re.compile(rf",+(?=[{COMMA_MARKS}])")


def _garbled_end(text: str, at: int) -> int:
    fragment = _FRAGMENT.match(text, at)
    start = fragment.end() if fragment else at + 2
    end = garbled_run(text, start)[1]
    for j in range(start, end):
        if score(unfold(text[j : min(end, j + 3)])) < GARBLED:
            return j
    # A "?" right after the run (not the marker of a new span) is a pair lost with its neighbour: garbage
    # too, with the "?" and "!" after it (確?! is no question).
    debris = _DEBRIS.match(text, end)
    return debris.end() if debris and not MARKER.match(text, end) else end
