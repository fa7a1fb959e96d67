"""Chinese line breaking and justification for the PDF writer (W3C Requirements for Chinese Text Layout,
CLREQ, and UAX #14 for Latin text inside it).

reportlab's own CJK wrapping knows too few marks (not ``，`` ``；`` ``：`` ``”``) and never keeps an
opening mark off a line's end, so zhdoc breaks lines itself and hands reportlab finished lines.

Each character has a kind (``kinds``): ``w`` a character of a Latin word (letters, digits, Latin
punctuation, anything not East Asian wide), ``s`` a space, ``c`` any other (Han, kana, full-width marks).
A line may end between two ``c``, between ``c`` and ``w``, after a space, and inside a word only after a
hyphen or a slash between letters (``well-|known``, ``/usr/|share``, never ``2021-2023`` or ``1/2``);
the marks of ``CANNOT_START`` and ``CANNOT_END`` move. Justification puts its stretch where a line may
break (between ``c``, between ``c`` and ``w``, after a space), never between the letters of a word.
Adjacent full-width marks are compressed (``squeeze``) as CLREQ sets them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from unicodedata import east_asian_width

OPENING = "（《「『【〔〈〖［｛“‘"
CLOSING = "）》」』】〕〉〗］｝”’"
STOPS = "，。、；：？！．"  # at the corner in Simplified, centred in Traditional
CANNOT_START = frozenset("、，；：。？！．”’）》」』】〕〉〗］｝…‥·・%‰℃,.;:?!)]}")
CANNOT_END = frozenset("“‘（《「『【〔〈〖［｛([{")
INSEPARABLE = frozenset("…—")  # …… and —— are one mark each
CJK_MARKS = "“”‘’…—·"  # East Asian ambiguous width, but marks of Chinese text (drawn full width by the CJK face)
MOST_STRETCH = 0.09  # ems between two characters at most: text extraction reads a tenth of an em as a space
EMERGENCY = frozenset("/-._?&=#,;:")  # where a word wider than a line is cut, if it must be


class _Kinds(dict):
    """Character → its kind, filled as read (``str.translate`` reads it)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char == " ":
            kind = "s"
        elif char in CJK_MARKS or (char >= "\u1100" and east_asian_width(char) in ("W", "F")):
            kind = "c"
        else:
            kind = "w"
        self[code] = kind
        return kind


_KINDS = _Kinds()


def kinds(text: str) -> str:
    """The kind of each character of ``text``.

    >>> kinds("中文 ab，“x”"), kinds("don’t")
    ('ccswwccwc', 'wwwww')
    """
    found = text.translate(_KINDS)
    if "’" not in text:
        return found
    kinds_of = list(found)
    for match in IN_WORD.finditer(text):  # no stretch, nor break, at an apostrophe between letters
        kinds_of[match.start()] = "w"
    return "".join(kinds_of)


_QUOTES = re.compile(r"\"|(?<![^\W_])'|'(?![^\W_])")  # a ' with a letter on both sides is an apostrophe


def closing_quotes(text: str) -> frozenset[int]:
    """Positions of the ASCII quotes that close: the quotes of each kind pair up in order (an apostrophe,
    between letters, is no quote).

    >>> sorted(closing_quotes('a "b" c "d" it\\'s \\'e\\''))
    [4, 10, 19]
    """
    if '"' not in text and "'" not in text:
        return frozenset()
    seen = {'"': 0, "'": 0}
    found = []
    for match in _QUOTES.finditer(text):
        quote = match[0]
        seen[quote] += 1
        if seen[quote] % 2 == 0:
            found.append(match.start())
    return frozenset(found)


class Breaks:
    """Where a line of one paragraph may end (``allowed(i)``: between ``text[i - 1]`` and ``text[i]``)."""

    def __init__(self, text: str) -> None:
        self.text, self.kinds = text, kinds(text)
        self._closing: frozenset[int] | None = None
        self._closing_order: list[int] | None = None  # the closing quotes in order, for ``part``

    @property
    def closing(self) -> frozenset[int]:
        if self._closing is None:
            self._closing = closing_quotes(self.text)
        return self._closing

    def part(self, start: int, end: int) -> Breaks:
        """The break opportunities of ``text[start:end]`` as they are in the whole (quotes paired in it)."""
        piece = Breaks.__new__(Breaks)
        piece.text, piece.kinds = self.text[start:end], self.kinds[start:end]
        closing = self.closing
        if closing and self._closing_order is None:
            self._closing_order = sorted(closing)
        order = self._closing_order or []
        piece._closing = frozenset(i - start for i in order[bisect_left(order, start) : bisect_left(order, end)])
        piece._closing_order = None
        return piece

    def quote(self, i: int) -> str:
        """``"o"`` for an opening ASCII quote at ``i``, ``"c"`` for a closing one, else ``""``."""
        if self.text[i] not in "\"'":
            return ""
        if i in self.closing:
            return "c"
        return "o" if _QUOTES.match(self.text, i) else ""

    def allowed(self, i: int) -> bool:
        text, kinds = self.text, self.kinds
        before, after = text[i - 1], text[i]
        if after in CANNOT_START or before in CANNOT_END or kinds[i] == "s":
            return False
        if before == after and before in INSEPARABLE:
            return False
        if (after in "\"'" and self.quote(i) == "c") or (before in "\"'" and self.quote(i - 1) == "o"):
            return False
        if kinds[i - 1] == "w" and kinds[i] == "w":  # after a hyphen between letters, or a path's slash
            return before in "-/" and i >= 2 and text[i - 2].isalpha() and after.isalpha()
        return not (before == "’" and i >= 2 and kinds[i - 2] == "w" and kinds[i] == "w")  # don’t

    def before(self, i: int, start: int) -> int:
        """The boundary before ``i`` (after ``start``) to look at next: inside a word, the last place after
        a hyphen, a slash, a space or a Han character (no break is allowed between two other letters)."""
        kinds, text = self.kinds, self.text
        if kinds[i - 1] != "w" or kinds[i] != "w":
            return i - 1
        found = max(text.rfind("-", start, i - 1), text.rfind("/", start, i - 1))
        found = max(found, kinds.rfind("s", start, i - 1), kinds.rfind("c", start, i - 1))
        return max(found + 1, start + 1)

    def emergency(self, i: int) -> bool:
        """A cut inside a word that cannot fit a line: after a URL's or path's separators."""
        return self.text[i - 1] in EMERGENCY and self.text[i] not in CANNOT_START


def can_break(text: str, i: int) -> bool:
    """May a line end between ``text[i - 1]`` and ``text[i]``?

    >>> can_break("中，文", 1), can_break("中“文", 2), can_break("ab", 1), can_break("a b", 2), can_break("……", 1)
    (False, False, False, True, False)
    >>> can_break("dh_make", 3), can_break("2021-2023", 5), can_break("well-known", 5), can_break('中"a"中', 3)
    (False, False, True, False)
    >>> can_break("/usr/share", 5), can_break("/usr", 1), can_break("1/2", 2)
    (True, False, False)
    """
    return Breaks(text).allowed(i)


def break_lines(
    text: str, widths: list[float], first: float, rest: float, breaks: Breaks | None = None
) -> list[tuple[int, int]]:
    """Greedy line breaking: (start, end) of each line; ``first``/``rest`` are the line widths available.

    When the greedy break is forbidden, characters move down to the next line until it is allowed; a
    word wider than the line is cut after a separator (``/`` ``.`` …), else where the line is full.
    Spaces at a line's end hang in the margin (they are not counted against its width).

    >>> break_lines("一二三，四五", [1] * 6, 3, 3)
    [(0, 2), (2, 5), (5, 6)]
    >>> break_lines("ab cd ef", [1] * 8, 5, 5)
    [(0, 6), (6, 8)]
    """
    sums = [0.0, *accumulate(widths)]
    breaks = breaks or Breaks(text)
    lines, start, available = [], 0, first
    while start < len(text):
        end = bisect_right(sums, sums[start] + available + 1e-6) - 1
        while end < len(text) and text[end] == " ":  # spaces hang
            end += 1
        end = max(end, start + 1)
        if end >= len(text):
            lines.append((start, len(text)))
            break
        cut = end
        while cut > start + 1 and not breaks.allowed(cut):
            cut = breaks.before(cut, start)
        if not breaks.allowed(cut):
            cut = end
            while cut > start + 1 and not breaks.emergency(cut):
                cut -= 1
            if not breaks.emergency(cut):
                cut = end  # nothing better in this line: break where it is full
        lines.append((start, cut))
        start, available = cut, rest
    return lines


def break_paragraph(text: str, widths: list[float], first: float, rest: float) -> list[tuple[int, int, bool]]:
    """``break_lines`` for a text with forced line breaks (``\\n``): (start, end, forced) of each line.

    The ``\\n`` itself belongs to no line; a forced line is not justified.

    >>> break_paragraph("一二\\n三四五", [1] * 6, 2, 2)
    [(0, 2, True), (3, 5, False), (5, 6, False)]
    """
    lines: list[tuple[int, int, bool]] = []
    start, available = 0, first
    while True:
        end = text.find("\n", start)
        forced = end >= 0
        end = end if forced else len(text)
        if end > start:
            pieces = break_lines(text[start:end], widths[start:end], available, rest)
            lines += [(start + a, start + b, False) for a, b in pieces]
        else:
            lines.append((start, start, False))
        if not forced:
            return lines
        lines[-1] = (lines[-1][0], lines[-1][1], True)
        start, available = end + 1, rest


_PAIRS = re.compile(f"[{CLOSING}{STOPS}](?=[{OPENING}{CLOSING}{STOPS}])|(?<=[{OPENING}])[{OPENING}]")
_TRADITIONAL = re.compile(f"[{CLOSING}](?=[{OPENING}{CLOSING}{STOPS}])|(?<=[{OPENING}{STOPS}])[{OPENING}]")


def squeeze(text: str, widths: list[float], traditional: bool = False) -> dict[int, float]:
    """Compress adjacent full-width marks as CLREQ sets them; returns boundary → the move there (negative),
    after narrowing the compressed marks' ``widths``. A closing mark followed by a mark loses the blank
    half after its glyph, an opening mark after a mark the blank half before its glyph. In Traditional
    text the stops (``，。、：；？！``) are centred in their em, a quarter blank each side: they keep their
    width (as Taiwan and Hong Kong set them), and an opening mark after one loses its blank half.

    >>> widths = [10.0] * 5
    >>> squeeze("）。「『中", widths), widths
    ({1: -5.0, 2: -5.0, 3: -5.0}, [5.0, 5.0, 10.0, 5.0, 10.0])
    >>> widths = [10.0] * 3
    >>> squeeze("）。（", widths, traditional=True), widths
    ({1: -5.0, 2: -5.0}, [5.0, 10.0, 5.0])
    """
    moves: dict[int, float] = {}
    if len(text) < 2:
        return moves
    pattern = _TRADITIONAL if traditional else _PAIRS
    for match in pattern.finditer(text):
        i = match.start()
        width = widths[i]
        if width <= 0:
            continue
        half = width / 2
        widths[i] = width - half
        boundary = i if text[i] in OPENING and i > 0 and text[i - 1] in OPENING + STOPS else i + 1
        moves[boundary] = moves.get(boundary, 0.0) - half
    return moves


def blank_before(text: str, i: int, moves: dict[int, float], traditional: bool) -> float:
    """The move at ``i`` by which ``squeeze`` took the blank half before ``text[i]``'s glyph (an opening
    mark after an opening mark, or in Traditional after a stop); 0 when that move is another mark's.

    >>> blank_before("（《书", 1, {1: -5.0}, False), blank_before("）（", 1, {1: -5.0}, False)
    (-5.0, 0.0)
    """
    move = moves.get(i)
    if move is None or i == 0 or text[i] not in OPENING:
        return 0.0
    return move if text[i - 1] in (OPENING + STOPS if traditional else OPENING) else 0.0


IN_WORD = re.compile(r"(?<=[A-Za-z0-9])’(?=[A-Za-z])")  # an apostrophe: part of its word


def moves_within(moves: dict[int, float], keys: list[int], start: int, end: int) -> dict[int, float]:
    """The ``moves`` at boundaries ``start`` to ``end`` (both included), shifted to start at 0, found by
    bisection in ``keys`` (the boundaries in order, as ``squeeze`` makes them): cutting a long paragraph
    into many pieces costs each piece its own length, not the whole's.

    >>> moves = {1: -5.0, 4: -5.0, 9: -2.0}
    >>> moves_within(moves, list(moves), 4, 9), moves_within({}, [], 0, 3)
    ({0: -5.0, 5: -2.0}, {})
    """
    return {k - start: moves[k] for k in keys[bisect_left(keys, start) : bisect_right(keys, end)]}


def end_blank(text: str, end: int, widths: list[float], moves: dict[int, float], traditional: bool) -> float:
    """The blank after a line's last glyph that may hang past the margin (CLREQ: a closing mark at a line's
    end is set half width, its ink flush with the text's edge): half of a closing bracket or quote, or in
    Simplified text of a stop (``，。``: at the corner); 0 for a centred stop or a mark already compressed.

    >>> end_blank("中，", 2, [10.0, 10.0], {}, False), end_blank("中，", 2, [10.0, 10.0], {}, True)
    (5.0, 0.0)
    """
    last = text[end - 1]
    if end in moves or (last not in CLOSING and (traditional or last not in STOPS)):
        return 0.0
    return widths[end - 1] / 2


def justify(
    kinds: str,
    start: int,
    end: int,
    room: float,
    moves: dict[int, float] | None = None,
    keys: list[int] | None = None,
    most: float = float("inf"),
) -> tuple[float, list[tuple[int, float]], float]:
    """How to set ``kinds[start:end]`` (a line) ``room`` wider than its characters: (the character spacing
    Tc, the extra moves [(boundary, move)] before a character on top of it, the move before the first
    character). The stretch is shared by the boundaries where a line may break: between two ``c``, a ``c``
    and a ``w``, after a space; not between the letters of a word. ``moves`` are the compressions
    (``squeeze``), ``keys`` their boundaries in order. A boundary that is not a space takes at most ``most``
    (a wider gap would read as a space to text extraction): the rest goes to the spaces, or is left at the
    line's end. With no room to share, or nowhere to put it, no stretch.

    >>> justify("cccc", 0, 4, 3.0)
    (1.0, [], 0.0)
    >>> justify("cwwc", 0, 4, 2.0)
    (1.0, [(2, -1.0)], 0.0)
    >>> justify("wwsww", 0, 5, 2.0)
    (0.0, [(3, 2.0)], 0.0)
    >>> justify("cccc", 0, 4, 3.0, {2: -0.5}, [2])
    (1.0, [(2, -0.5)], 0.0)
    >>> justify("cccsw", 0, 5, 3.0, most=0.5)
    (0.5, [(3, -0.5), (4, 1.5)], 0.0)
    """
    inside: list[int] = []
    if moves:
        keys = keys if keys is not None else sorted(moves)
        inside = keys[bisect_right(keys, start) : bisect_left(keys, end)]
    line = kinds[start:end]
    lead = moves.get(start, 0.0) if moves else 0.0
    count = end - start - 1
    if "w" not in line and "s" not in line:  # Chinese only: every boundary stretches
        spacing = min(room / count, most) if room > 0 and count > 0 else 0.0
        return spacing, [(k, moves[k]) for k in inside] if moves else [], lead
    words = line.count("w") - line.count("cw") - line.count("sw") - (line[0] == "w")  # letters after a letter
    slots = count - words - line.count("s") + (line[0] == "s")  # boundaries that stretch
    share = room / slots if room > 0 and slots else 0.0
    extra: list[tuple[int, float]]
    if share > most:  # the spaces take what the other boundaries cannot
        spaces = [start + m.start() for m in _AFTER_SPACE.finditer(line, 1)]
        rest = (room - most * (slots - len(spaces))) / len(spaces) if spaces else most
        spacing = most if 2 * slots > count else 0.0
        extra = [(k, rest - spacing) for k in spaces]
        if spacing:
            extra += [(start + m.start(), -spacing) for m in _FIXED.finditer(line, 1)]
        if not spacing:
            extra += [(start + m.start(), most) for m in _SLOT.finditer(line, 1) if kinds[start + m.start() - 1] != "s"]
        extra.sort()
    elif 2 * slots > count:
        spacing, extra = share, [(start + m.start(), -share) for m in _FIXED.finditer(line, 1)] if share else []
    else:
        spacing, extra = 0.0, [(start + m.start(), share) for m in _SLOT.finditer(line, 1)] if share else []
    if inside:
        merged = dict(extra)
        for k in inside:
            merged[k] = merged.get(k, 0.0) + moves[k]
        extra = sorted(merged.items())
    return spacing, extra, lead


_FIXED = re.compile("(?=s)|(?<=w)(?=w)")  # before a space, inside a word
_SLOT = re.compile("(?=c)|(?<=[cs])(?=w)")
_AFTER_SPACE = re.compile("(?<=s)(?=[cw])")


def cells(char: str) -> int:
    """Grid cells of a character in verbatim text: two for East Asian Wide and Fullwidth, else one.

    >>> cells("中"), cells("a"), cells("｜"), cells("─")
    (2, 1, 2, 1)
    """
    if char < "\u1100":
        return 1
    return 2 if east_asian_width(char) in ("W", "F") else 1


class _Cells(dict):
    """Character → ``cells(character)``, filled as read (a table look-up costs less than the call)."""

    def __missing__(self, char: str) -> int:
        found = self[char] = cells(char)
        return found


_CELLS = _Cells()


def line_cells(line: str) -> int:
    """Grid cells of a line of verbatim text.

    >>> line_cells("a中b"), line_cells("abc"), line_cells("")
    (4, 3, 0)
    """
    if not line or max(line) < "\u1100":
        return len(line)
    return sum(map(_CELLS.__getitem__, line))


def grid_rows(text: str, limit: int, wrapped: list[bool] | None = None) -> list[str]:
    """Verbatim lines as rows of at most ``limit`` cells, each row's first character in column 0 (a
    character's column is the sum of the cells before it). A tab moves on to the next multiple of 8
    columns (as spaces), or ends the row where that reaches the limit. A row does not open with a
    closing mark (``。`` moves down with the character before it). ``wrapped``, when given, gets for
    each row whether its line goes on in the next row.

    >>> grid_rows("a中b\\tc", 3)
    ['a中', 'b', 'c']
    >>> grid_rows("|中|\\n\\nabcde", 2)
    ['|', '中', '|', '', 'ab', 'cd', 'e']
    >>> grid_rows("a\\tb", 20)
    ['a       b']
    >>> flags = []
    >>> grid_rows("一二三。\\nabc", 6, flags), flags
    (['一二', '三。', 'abc'], [True, False, False])
    """
    rows: list[str] = []
    flags = wrapped if wrapped is not None else []
    width_of = _CELLS.__getitem__
    for line in text.split("\n"):
        if not line or (max(line) < "\u1100" and "\t" not in line):  # one cell a character: cut every limit
            pieces = [line[i : i + limit] for i in range(0, len(line), limit)] or [""]
            rows += pieces
            flags += [True] * (len(pieces) - 1) + [False]
            continue
        if "\t" not in line and sum(map(width_of, line)) <= limit:
            rows.append(line)
            flags.append(False)
            continue
        row: list[str] = []
        column = line_column = 0
        for char in line:
            if char == "\t":
                stop = 8 - line_column % 8
                line_column += stop
                column += stop
                if column >= limit:
                    rows.append("".join(row))
                    flags.append(True)
                    row, column = [], 0
                else:
                    row.append(" " * stop)
                continue
            width = width_of(char)
            if column + width > limit and column > 0:
                carried = []
                if char in CANNOT_START and len(row) > 1 and not row[-1].isspace():
                    carried = [row.pop()]
                rows.append("".join(row))
                flags.append(True)
                row, column = carried, sum(map(width_of, carried))
            row.append(char)
            column += width
            line_column += width
        rows.append("".join(row))
        flags.append(False)
    return rows


def column_widths(natural: list[float], minimum: list[float], available: float) -> list[float]:
    """Table column widths: natural widths if they fit; else the columns that need more than their
    share are narrowed (never below their minimum where possible) until the table fits.

    >>> column_widths([10, 20], [5, 5], 100)
    [10, 20]
    >>> column_widths([10, 200, 100], [5, 20, 20], 100)
    [10, 60.0, 30.0]
    """
    if sum(natural) <= available:
        return list(natural)
    widths, wide = list(natural), list(range(len(natural)))
    while wide:
        room = available - sum(widths[i] for i in range(len(widths)) if i not in wide)
        narrow = [i for i in wide if natural[i] <= room / len(wide)]
        if not narrow:
            total = sum(natural[i] for i in wide)
            for i in wide:
                widths[i] = max(room * natural[i] / total, min(minimum[i], room / len(wide)))
            break
        wide = [i for i in wide if i not in narrow]
    scale = available / sum(widths)
    return [w * scale for w in widths] if scale < 1 else widths


def fit_scale(glyph: float, room: float) -> float:
    """Horizontal scale of a glyph drawn in grid cells ``room`` wide: it fills 90–95 % of them, so text
    extraction sees no gap between neighbours (and inserts no space), while a wide glyph is narrowed.

    >>> fit_scale(10.0, 5.0), fit_scale(3.0, 6.0), fit_scale(0.0, 6.0)
    (0.475, 1.8, 1.0)
    """
    if glyph <= 0:
        return 1.0
    if glyph > room * 0.95:
        return room * 0.95 / glyph
    return max(1.0, room * 0.9 / glyph)
