"""Rich text for the PDF writer: inline spans (bold, slanted emphasis, code cells, links, line breaks)
laid out by ``layout.break_paragraph`` and justified by ``layout.justify`` (the stretch where a line may
break, never between the letters of a word; adjacent marks compressed by ``layout.squeeze``).

Emphasis is drawn slanted (a 12° skew of the same face): CJK faces have no italic, and a skew is what
Chinese typesetting uses for it. Inline code sits on a grid over a light background: a character of the
monospace face in one cell of half an em (the face sized so that its advance is the cell), a wide one
from the CJK face in two.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.platypus import Flowable

from ...anchors import fragment
from ...document import Inlines
from ...fonts import Face, mono_face
from .layout import (
    CLOSING,
    IN_WORD,
    MOST_STRETCH,
    OPENING,
    STOPS,
    blank_before,
    break_paragraph,
    cells,
    end_blank,
    fit_scale,
    justify,
    kinds,
    moves_within,
    squeeze,
)

SLANT = 0.21  # tan 12°
CODE_BACKGROUND = (0.93, 0.93, 0.93)
LINK_COLOUR = (0.05, 0.25, 0.6)
_UNDRAWABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def drawable(text: str) -> str:
    """Text reportlab can draw: tabs become spaces, other controls go (check_fonts reports nothing for
    them: they are not text), lone surrogates become U+FFFD.

    >>> drawable("a\\tb\\x1b[1mc\\ud800")
    'a b[1mc\\ufffd'
    """
    if not _UNDRAWABLE.search(text):
        return text
    return _UNDRAWABLE.sub(lambda m: " " if m[0] == "\t" else "\ufffd" if m[0] >= "\ud800" else "", text)


NOTDEF = 0  # the CID of every character the face lacks: its .notdef glyph


_PLAIN = [byte for byte in range(32, 127) if byte not in b"()\\"]  # bytes written as they are in a PDF string
PLAIN_CIDS = [NOTDEF, *((high << 8) | low for high in _PLAIN for low in _PLAIN)]  # the CIDs given first
_PLAIN_TEXTS = [escapePDF(cid.to_bytes(2, "big")) for cid in PLAIN_CIDS]


@lru_cache(maxsize=1)
def _other_cids() -> list[int]:
    """The CIDs given after ``PLAIN_CIDS`` (a face with more than 8,464 characters in one PDF)."""
    plain = set(PLAIN_CIDS)
    return [cid for cid in range(1, 0x10000) if cid not in plain]


def cid(index: int) -> int:
    """The CID given to a face's ``index``-th character in a PDF (index 0: .notdef): first those whose two
    bytes are both printable and need no escape (a character costs two bytes of a page's text), then the rest.

    >>> cid(0), cid(1), cid(2), hex(cid(92 * 92)), hex(cid(92 * 92 + 1))
    (0, 8224, 8225, '0x7e7e', '0x1')
    """
    return PLAIN_CIDS[index] if index < len(PLAIN_CIDS) else _other_cids()[index - len(PLAIN_CIDS)]


def _cid_text(index: int) -> str:
    """``cid(index)`` as PDF string text."""
    return _PLAIN_TEXTS[index] if index < len(PLAIN_CIDS) else escapePDF(cid(index).to_bytes(2, "big"))


_VARIANTS: dict[tuple[str, float], str] = {}  # (character, width) → the private character that draws it so
_VARIANT_OF: dict[str, tuple[str, float]] = {}
_FIRST_VARIANT = 0xD800  # lone surrogates: never in drawn text (``drawable`` replaces them)


def variant(char: str, units: float) -> str | None:
    """A stand-in for ``char`` drawn with an advance of ``units`` thousandths of an em (a mark compressed
    to half its em, an apostrophe to its ink): the encodings give it a CID of its own, the same glyph
    with that width in W, and ``char`` in ToUnicode. A narrow glyph, not a glyph and a move back: text
    extraction (poppler) breaks a line where a glyph starts inside the one before it. None when the
    stand-ins (2,048) are all taken: the caller keeps its move.

    >>> a = variant("）", 500.0)
    >>> a == variant("）", 500.0) != variant("。", 500.0), drawable(a) == a
    (True, False)
    """
    key = (char, round(units, 2))
    found = _VARIANTS.get(key)
    if found is None:
        if len(_VARIANTS) >= 0x800:
            return None
        found = _VARIANTS[key] = chr(_FIRST_VARIANT + len(_VARIANTS))
        _VARIANT_OF[found] = key
    return found


@lru_cache(maxsize=64)
def _apostrophe(name: str) -> float | None:
    """The ink width of the face ``name``'s ’ (thousandths of an em) if narrower than its advance."""
    from reportlab.pdfbase import pdfmetrics

    from .fonts import ink_width

    face = pdfmetrics.getFont(name).face
    ink = ink_width(face, 0x2019) if hasattr(face, "_zhdoc_glyphs") else None
    return ink if ink is not None and ink < face.getCharWidth(0x2019) - 1 else None


def narrow_apostrophes(text: str, widths: list[float], size: float, face_of: Callable[[int], Face]) -> None:
    """Set an apostrophe between letters (``don’t``) to its ink: the CJK face draws it on a full em."""
    if "’" not in text:
        return
    for match in IN_WORD.finditer(text):
        i = match.start()
        ink = _apostrophe(face_of(i).name)
        if ink is not None:
            widths[i] = ink * size / 1000


def narrow_line(
    line: tuple[str, int, int],
    widths: list[float],
    laid: tuple[float, dict[int, float], bool],
    extra: list[tuple[int, float]],
    face_of: Callable[[int], Face],
    parted: Callable[[int], bool] | None = None,
) -> tuple[str, list[tuple[int, float]]]:
    """``text[start:end]`` (``line``) with marks drawn as narrow ``variant`` glyphs instead of a full-em
    glyph and a move back: each ``squeeze`` move goes from ``extra`` (``laid`` is the font size, the squeeze
    moves, Traditional) into the advance of the glyph before it. A closing mark (or a Simplified stop) that
    lost its blank half after the glyph is drawn on its half; before an opening mark that lost its blank
    half before the glyph, the mark before it (an opening mark, or a Traditional stop) is drawn narrower by
    that half (its ink sticks out of its box, under the blank of the next). The glyph boxes then follow
    each other as text extraction (poppler) wants them, the ink where it was. Not where ``parted(k)`` (the
    glyphs each side of boundary ``k`` are drawn in different text runs): the move stays. An apostrophe
    between letters (``narrow_apostrophes``) is drawn on its ink."""
    text, start, end = line
    size, moves, traditional = laid
    marks = CLOSING if traditional else CLOSING + STOPS
    before_opening = OPENING + STOPS if traditional else OPENING
    narrowed: dict[int, str] = {}
    adjusted: dict[int, float] = {}

    def full(i: int) -> float:
        face = face_of(i)
        return face.widths.get(ord(text[i]), face.default_width) * size / 1000

    for boundary, _ in extra if moves else ():
        move, i = moves.get(boundary), boundary - 1
        if move is None:
            continue
        if text[i] in marks:  # the blank after the glyph: the mark on its half
            advance = widths[i] if widths[i] < full(i) else None
        elif text[boundary] in OPENING and text[i] in before_opening and not (parted and parted(boundary)):
            advance = full(i) + move if widths[boundary] < full(boundary) else None
        else:
            continue
        stand_in = variant(text[i], advance * 1000 / size) if advance and advance > 0 else None
        if stand_in is not None:
            narrowed[i] = stand_in
            adjusted[boundary] = -move
    if "’" in text[start:end]:
        for match in IN_WORD.finditer(text, start, end):
            i = match.start()
            if widths[i] < full(i):
                stand_in = variant("’", widths[i] * 1000 / size)
                if stand_in is not None:
                    narrowed[i] = stand_in
    if not narrowed:
        return text[start:end], extra
    chars = list(text[start:end])
    for i, stand_in in narrowed.items():
        chars[i - start] = stand_in
    kept = [(k, move + adjusted.get(k, 0.0)) for k, move in extra]
    kept = [(k, move) for k, move in kept if abs(move) > 1e-9]
    return "".join(chars), kept


class Encoding:
    """One face's codes in one PDF: a two-byte CID for each character, given in the order characters are
    first drawn, drawn through one Type0 font (Identity-H) that embeds the glyphs the document uses.
    Text is encoded by ``str.translate``. As reportlab did, a no-break space is drawn as a space and a
    character the face lacks as its .notdef glyph (CID 0)."""

    def __init__(self, face: Face, doc) -> None:
        from reportlab.pdfbase import pdfmetrics

        self.face, self.font, self.doc = face, pdfmetrics.getFont(face.name), doc
        self.known: set[str] = set()
        self.escaped: dict[int, str] = {}  # code point → its CID as PDF string text
        self.points: list[int] = [NOTDEF]  # code points in the order given CIDs
        self.narrow: dict[int, float] = {}  # index in points → the width of a narrow variant (``variant``)
        self.name = ""  # the font's resource name, given when a first character is drawn
        self._switches: dict[str, str] = {}  # per "<size> Tf": the font switch and the string's start

    def learn(self, text: str) -> None:
        """Give CIDs to the characters of ``text`` not seen before."""
        if self.known.issuperset(text):
            return
        if not self.name:
            self._register()
        covers, escaped, points = self.font.face.charToGlyph, self.escaped, self.points
        for char in dict.fromkeys(text):
            if char in self.known:
                continue
            self.known.add(char)
            code = ord(char)
            if code == 0xA0:
                self.learn(" ")
                escaped[code] = escaped[32]
            elif char in _VARIANT_OF:
                base, units = _VARIANT_OF[char]
                if ord(base) in covers:
                    self.narrow[len(points)] = units
                    escaped[code] = _cid_text(len(points))
                    points.append(ord(base))
                else:
                    escaped[code] = _PLAIN_TEXTS[NOTDEF]
            elif code not in covers:
                escaped[code] = _PLAIN_TEXTS[NOTDEF]
            else:
                escaped[code] = _cid_text(len(points))
                points.append(code)

    def _register(self) -> None:
        doc = self.doc
        self.number = len(doc.fontMapping)
        self.name = f"F{self.number + 1}"
        doc.fontMapping[f"{self.face.name} (Type0)"] = f"/{self.name}"
        doc.delayedFonts.append(self)

    def addObjects(self, doc) -> None:  # noqa: N802 (reportlab's name: called when the PDF is written)
        from .fonts import add_type0_font

        cids = list(map(cid, range(len(self.points))))
        add_type0_font(self.font.face, doc, self.name, self.number, cids, self.points, self.narrow)

    def show(self, text: str, size: str, font_set: bool = False) -> str:
        """The operator that draws ``text``, after the font switch (``size`` is ``"<size> Tf"``) unless the
        font is already set."""
        self.learn(text)
        codes = text.translate(self.escaped)
        if font_set:
            return f"({codes}) Tj"
        switch = self._switches.get(size)
        if switch is None:
            switch = self._switches[size] = f"/{self.name} {size} ("
        return f"{switch}{codes}) Tj"

    def show_moved(
        self, text: str, size: str, points: float, moves: list[tuple[int, float]], font_set: bool = False
    ) -> str:
        """``show``, moving the pen by ``move`` points before the character at each ``offset`` of ``moves``
        (an offset of ``len(text)``: after the last one) at font size ``points``: one TJ."""
        if not moves:
            return self.show(text, size, font_set)
        self.learn(text)
        parts, at, escaped, formatted = [], 0, self.escaped, {}
        for offset, move in moves:
            number = formatted.get(move)
            if number is None:
                number = formatted[move] = fp_str(-move * 1000 / points)
            parts.append(f"({text[at:offset].translate(escaped)}) {number}")
            at = offset
        if at < len(text):
            parts.append(f"({text[at:].translate(escaped)})")
        shown = f"[{' '.join(parts)}] TJ"
        return shown if font_set else f"/{self.name} {size} {shown}"

    def draw(self, canvas, x: float, y: float, size: float, text: str) -> None:
        """``text`` at (x, y) in a text object of its own (what ``canvas.drawString`` drew)."""
        canvas._code.append(f"BT {text_origin(canvas, x, y)} Tm {self.show(text, f'{fp_str(size)} Tf')} ET")


class Memo(dict):
    """A table that fills itself: key → ``make(key)``, made once."""

    def __init__(self, make: Callable[[str], object]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> object:
        value = self[key] = self.make(key)
        return value


class Widths(dict):
    """Character → advance at one size, in a face or (for what only it has) the fallback; filled as read."""

    def __init__(self, face: Face, fallback: Face, size: float, extras: tuple[Face, ...] = ()) -> None:
        super().__init__()
        self.face, self.fallback, self.size, self.extras = face, fallback, size, extras

    def __missing__(self, char: str) -> float:
        code = ord(char)
        if self.fallback is self.face and not self.extras:  # the same arithmetic as before the cache, to the bit
            width = self[char] = self.face.widths.get(code, self.face.default_width) * (self.size / 1000)
            return width
        face = pick_face(char, (self.face, self.fallback, *self.extras))
        width = self[char] = face.widths.get(code, face.default_width) * self.size / 1000
        return width


def text_origin(canvas, x: float, y: float) -> str:
    """The text matrix that puts text at (x, y), as reportlab's ``setTextOrigin`` writes it."""
    return _matrix(1, 0, 0, 1 if canvas.bottomup else -1, x, y)


@lru_cache(maxsize=4096)
def _matrix(*numbers: float) -> str:
    """Numbers as reportlab writes them (lines of a page repeat their positions: formatting costs more)."""
    return fp_str(*numbers)


_SHARED: dict[tuple, dict] = {}  # tables that depend on the faces only, for the process
_LOOKS: dict[tuple, Look] = {}  # looks without a link, for the process (one object per look)


class Faces:
    """The faces of one document: body, bold, a fallback for characters the body lacks, and extra faces
    for what neither has (Hangul, emoji, a system font: ``fonts.faces_for``).

    The bold face is parsed only when a document uses it (a TrueType face costs time and ~20 MB).
    """

    def __init__(
        self,
        body: Face,
        fallback: Face,
        load_bold: Callable[[], Face],
        load_mono: Callable[[], Face] = mono_face,
        extras: tuple[Face, ...] = (),
    ) -> None:
        self.body, self.fallback, self._load_bold, self._load_mono = body, fallback, load_bold, load_mono
        self.extras = extras
        self._names = (body.name, fallback.name, *(face.name for face in extras))  # what shared tables depend on
        self._bold: Face | None = None
        self._mono: Face | None = None
        self._encodings: dict[str, Encoding] = {}
        self._memos: dict[tuple, Memo] = {}
        self._looks: dict[tuple, Look] = {}
        self.grids: dict[float, object] = {}  # blocks.Grid per font size
        self.destinations: dict[str, str] = {}  # a heading's anchor (in-page link) → its destination's name
        self.traditional = False  # marks centred (Traditional) or at the corner (Simplified): see layout.squeeze

    def widths(self, face: Face, size: float) -> Widths:
        """Advances at ``size`` of characters drawn in ``face`` (or the fallback where only it has them)."""
        key = ("paragraph", face.name, size, *self._names[1:])
        found = _SHARED.get(key)
        if found is None:
            found = _SHARED[key] = Widths(face, self.fallback, size, self.extras)
        return found

    def encoding(self, face: Face, doc) -> Encoding:
        """``face``'s codes in the PDF being built (one ``Faces`` per document)."""
        found = self._encodings.get(face.name)
        if found is None:
            found = self._encodings[face.name] = Encoding(face, doc)
        return found

    @property
    def bold(self) -> Face:
        if self._bold is None:
            self._bold = self._load_bold()
        return self._bold

    @property
    def mono(self) -> Face:
        if self._mono is None:
            self._mono = self._load_mono()
        return self._mono

    def mono_size(self, size: float) -> float:
        """The size of the monospace face in code at ``size``: its advance one cell, half an em of the CJK
        face (a wide character, from the CJK face at ``size``, takes two cells: exactly its em)."""
        mono = self.mono
        return size * 500 / mono.widths.get(ord("0"), mono.default_width)

    def used(self) -> tuple[Face, ...]:
        return (self.body, self.fallback, *self.extras) + tuple(face for face in (self._bold, self._mono) if face)

    def memo(self, key: tuple, make: Callable[[str], object]) -> Memo:
        """A table character → ``make(character)`` named by ``key`` (and the faces), filled as read and
        kept for the process: it depends on the faces only."""
        key = (*key, *self._names)
        found = _SHARED.get(key)
        if found is None:
            found = _SHARED[key] = Memo(make)
        return found

    def looks(self, primary: Face, style: tuple[bool, bool, str, bool]) -> Memo:
        """Character → its look in a span of ``style`` (emphasis, code, url, strike); one object per look.
        Kept for the process, except for links (a batch would keep every URL)."""
        key = ("look", primary.name, style, *self._names)
        tables, looks = (self._memos, self._looks) if style[2] else (_SHARED, _LOOKS)
        found = tables.get(key)
        if found is not None:
            return found
        order = (primary, self.body, self.fallback, *self.extras)  # not self: a table kept for the process
        # must not keep the PDF

        def look(char: str) -> Look:
            face = pick_face(char, order)
            found = looks.get((face.name, *style))
            if found is None:
                found = looks[(face.name, *style)] = Look(face, *style)
            return found

        found = tables[key] = Memo(look)
        return found

    def pick(self, char: str, primary: Face) -> Face:
        return pick_face(char, (primary, self.body, self.fallback, *self.extras))


def pick_face(char: str, order: tuple[Face, ...]) -> Face:
    """The first face of ``order`` (primary, body, fallback, extras) that has ``char``; else the primary."""
    code = ord(char)
    for face in order:
        if code in face.covers:
            return face
    return order[0]


@dataclass(frozen=True, slots=True)
class Look:
    """How a run of characters is drawn."""

    face: Face
    slant: bool = False
    code: bool = False
    url: str = ""
    strike: bool = False


@dataclass(slots=True)
class Rich:
    """Text with one width and one look per character."""

    text: str = ""
    widths: list[float] = field(default_factory=list)
    looks: list[Look] = field(default_factory=list)
    faces: Faces | None = None
    moves: dict[int, float] = field(default_factory=dict)  # boundary → move of compressed marks (layout.squeeze)
    keys: list[int] | None = None  # the moves' boundaries in order, made when first cut

    def cut(self, start: int, end: int | None = None) -> Rich:
        text = self.text[start:end]
        if self.keys is None:
            self.keys = list(self.moves)  # (in order: squeeze makes them so, and a cut keeps the order)
        moves = moves_within(self.moves, self.keys, start, start + len(text))
        return Rich(text, self.widths[start:end], self.looks[start:end], self.faces, moves)


def rigid_code(kinds_of: str, looks: list[Look]) -> str:
    """``kinds_of`` with inline code's characters as letters of one word, for justification: code keeps
    its cells (no stretch between its characters, nor at its spaces), though a line may still break at
    its spaces (the breaks are found on the text's own kinds)."""
    if not any(look.code for look in looks):
        return kinds_of
    return "".join("w" if look.code else kind for kind, look in zip(kinds_of, looks, strict=True))


def rich(inlines: Inlines, faces: Faces, size: float, bold: bool = False) -> Rich:
    """Lay out inline spans as characters with their widths and looks. Code is set in the monospace face,
    each character in one cell (a wide one, from the CJK face, in two)."""
    out, texts = Rich(faces=faces), []
    for span in inlines:
        text = drawable(span.text)
        code = "code" in span.style
        primary = faces.mono if code else faces.bold if bold or "strong" in span.style else faces.body
        style = ("emphasis" in span.style, code, span.url, "strike" in span.style)
        out.looks += map(faces.looks(primary, style).__getitem__, text)
        order = (primary, faces.body, faces.fallback, *faces.extras)
        widths = faces.memo(("width", primary.name, size, code), _width_of(order, size, code))
        out.widths += map(widths.__getitem__, text)
        texts.append(text if not code else "\0" * len(text))  # code is not compressed
    masked = "".join(texts)
    out.moves = squeeze(masked, out.widths, faces.traditional)
    narrow_apostrophes(masked, out.widths, size, lambda i: out.looks[i].face)
    out.text = "".join(drawable(span.text) for span in inlines) if "\0" in masked else masked
    return out


def _width_of(order: tuple[Face, ...], size: float, code: bool) -> Callable[[str], float]:
    """A character's advance: in ``order``'s first face that has it, or its cells of half an em (code)."""

    def width(char: str) -> float:
        if char == "\n":
            return 0.0
        if code:
            return cells(char) * size / 2
        face = pick_face(char, order)
        return face.widths.get(ord(char), face.default_width) * size / 1000

    return width


class RichText(Flowable):
    """Inline spans in lines: first-line ``indent``, a ``left`` margin, an optional hanging ``marker``."""

    def __init__(
        self,
        content: Rich,
        size: float,
        leading: float,
        indent: float = 0.0,
        left: float = 0.0,
        marker: tuple[str, Face, float] | None = None,
        justify_last: bool = False,
        outline: tuple[str, int, str] | None = None,
    ) -> None:
        super().__init__()
        self.content, self.size, self.leading = content, size, leading
        self.indent, self.left, self.marker, self.justify_last = indent, left, marker, justify_last
        self.outline = outline  # (title, level, key) of a heading's bookmark
        self.lines: list[tuple[int, int, bool]] = []
        self.available = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_width != self.available or not self.lines:
            self.available = available_width
            room = available_width - self.left
            self.lines = break_paragraph(self.content.text, self.content.widths, room - self.indent, room)
        return available_width, len(self.lines) * self.leading

    def natural_width(self) -> float:
        """The width of the longest forced line (for sizing table columns)."""
        widths, longest, run = self.content.widths, 0.0, 0.0
        for char, width in zip(self.content.text, widths, strict=True):
            run = 0.0 if char == "\n" else run + width
            longest = max(longest, run)
        return longest + self.left + self.indent

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fit = int(available_height // self.leading)
        if fit <= 0 or fit >= len(self.lines):
            return []  # nothing fits, or (rounding aside) all would: no split to make
        cut = self.lines[fit][0]
        head = self.copy(self.content.cut(0, cut), justify_last=not self.lines[fit - 1][2])
        tail = self.copy(self.content.cut(cut), indent=0.0, marker=None, outline=None, justify_last=self.justify_last)
        head.spaceBefore = getattr(self, "spaceBefore", 0.0)
        tail.spaceAfter, tail.keepWithNext = getattr(self, "spaceAfter", 0.0), getattr(self, "keepWithNext", 0)
        return [head, tail]

    def copy(self, content: Rich, **changes) -> RichText:
        settings = {"indent": self.indent, "left": self.left, "marker": self.marker, "outline": self.outline}
        settings.update(changes)
        return RichText(content, self.size, self.leading, **settings)

    def draw(self) -> None:
        canvas, widths = self.canv, self.content.widths
        top = (len(self.lines) - 1) * self.leading + self.leading * 0.25
        if self.outline:
            title, level, key = self.outline
            canvas.bookmarkHorizontal(key, 0, top + self.size)
            canvas.addOutlineEntry(title, key, level, closed=False)
            canvas.showOutline()
        if self.marker:
            marker, face, x = self.marker
            encoding = self.content.faces.encoding(face, canvas._doc)
            if marker == "•":  # the CJK face's bullet is a small dot: draw it larger, at the same height
                encoding.draw(canvas, x, top - self.size * 0.2, self.size * 1.6, marker)
            else:
                encoding.draw(canvas, x, top, self.size, marker)
        looks, text, moves = self.content.looks, self.content.text, self.content.moves
        changes = [i for i in range(1, len(looks)) if looks[i] is not looks[i - 1]]  # where a new look starts
        kinds_of, keys = rigid_code(kinds(text), looks), sorted(moves)
        for number, (start, end, forced) in enumerate(self.lines):
            if start == end:
                continue
            x = self.left + (self.indent if number == 0 else 0.0)
            shown_end = end
            while shown_end > start + 1 and text[shown_end - 1] == " ":  # spaces hang in the margin
                shown_end -= 1
            room = self.available - x - sum(widths[start:shown_end])
            last = forced or number == len(self.lines) - 1
            if not last or self.justify_last:
                room += end_blank(text, shown_end, widths, moves, self.content.faces.traditional)
            stretch = (not last or self.justify_last) and room > 0
            spacing, extra, lead = justify(
                kinds_of, start, shown_end, room if stretch else 0.0, moves, keys, self.size * MOST_STRETCH
            )
            y = (len(self.lines) - number - 1) * self.leading + self.leading * 0.25
            laid = (self.size, moves, self.content.faces.traditional)
            line, extra = narrow_line(
                (text, start, end), widths, laid, extra, lambda i: looks[i].face, lambda k: looks[k] is not looks[k - 1]
            )
            self._draw_line(start, end, x + lead, y, (spacing, extra, line), changes)

    def _draw_line(self, start: int, end: int, x: float, y: float, setting: tuple, changes: list[int]) -> None:
        """Draw ``text[start:end]`` from (x, y): ``setting`` is ``layout.justify``'s (spacing, extra moves)."""
        canvas, text, widths, looks = self.canv, self.content.text, self.content.widths, self.content.looks
        spacing, extra, line = setting
        faces, tf, tc = self.content.faces, f"{fp_str(self.size)} Tf", f"{fp_str(spacing)} Tc"
        i = start
        for j in (*changes[bisect_right(changes, start) : bisect_left(changes, end)], end):
            look = looks[i]
            run_moves = [(k - i, move) for k, move in extra if i < k <= j]
            trailing = run_moves[-1][1] if run_moves and run_moves[-1][0] == j - i else 0.0
            run_width = sum(widths[i:j]) + spacing * (j - i) + sum(move for _, move in run_moves)
            run_width -= blank_before(text, i, self.content.moves, faces.traditional)  # its glyph is drawn full
            drawn = run_width - spacing - trailing  # the run's own extent, without the space after it
            if look.code:
                canvas.setFillColorRGB(*CODE_BACKGROUND)
                canvas.rect(x, y - self.size * 0.25, drawn, self.size * 1.15, stroke=0, fill=1)
                canvas.setFillColorRGB(*(LINK_COLOUR if look.url else (0, 0, 0)))
                encoding = faces.encoding(look.face, canvas._doc)
                size = faces.mono_size(self.size) if look.face is faces.mono else self.size
                _draw_cells(canvas, encoding, look.face, text[i:j], widths[i:j], (x, y, spacing, size), run_moves)
            else:
                if look.url:
                    canvas.setFillColorRGB(*LINK_COLOUR)
                flip = 1 if canvas.bottomup else -1
                matrix = _matrix(1, 0, flip * SLANT if look.slant else 0, flip, x, y)
                run = line[i - start : j - start]
                shown = faces.encoding(look.face, canvas._doc).show_moved(run, tf, self.size, run_moves)
                canvas._code.append(f"BT {matrix} Tm {tc} {shown} ET")
                if look.url:
                    canvas.setFillColorRGB(0, 0, 0)
            if look.strike:
                canvas.line(x, y + self.size * 0.3, x + drawn, y + self.size * 0.3)
            if look.url:
                box = (x, y - self.size * 0.25, x + drawn, y + self.size * 0.9)
                destination = faces.destinations.get(fragment(look.url) or "")
                if destination:
                    canvas.linkRect("", destination, box, relative=1)
                else:
                    canvas.linkURL(look.url, box, relative=1)
            x += run_width
            i = j


def _draw_cells(
    canvas, encoding: Encoding, face: Face, chars: str, widths: list[float], at: tuple, moves: list[tuple[int, float]]
) -> None:
    """Each character centred in its grid cells, narrowed if its glyph is wider than them (the text
    matrix scales it); ``at`` is (x, baseline, spacing after each cell, font size), ``moves`` the extra
    moves before a character (offset in ``chars``, points)."""
    x, y, spacing, size = at
    ops, flip, tf, font_set = ["BT"], 1 if canvas.bottomup else -1, f"{fp_str(size)} Tf", False
    before = dict(moves)
    for offset, (char, width) in enumerate(zip(chars, widths, strict=True)):
        x += before.get(offset, 0.0)
        if char != " ":
            glyph = face.widths.get(ord(char), face.default_width) * size / 1000
            scale = 1.0 if abs(glyph - width) < 1e-6 else fit_scale(glyph, width)  # monospace: as it is
            ops.append(f"{fp_str(scale, 0, 0, flip, x + (width - glyph * scale) / 2, y)} Tm")
            ops.append(encoding.show(char, tf, font_set))
            font_set = True
        x += width + spacing
    ops.append("ET")
    canvas._code.append(" ".join(ops))
