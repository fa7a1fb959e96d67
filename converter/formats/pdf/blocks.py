"""Flowables for the blocks of the document tree: verbatim text on a character grid, tables, quotes, images.

Verbatim blocks (code, shell, ASCII tables, preformatted) put every character in cells of half an em —
two for an East Asian Wide or Fullwidth character, drawn from the CJK face, one for any other, drawn
from the monospace face (Noto Sans Mono, sized so that its advance is one cell) — so the ``|`` of a
column has the same x on every line. A block wider than the box is first set smaller (down to
``GRID_MIN_SIZE``), then its longer lines wrap on the grid, each wrap marked by a hooked arrow in the
column kept for it; a long block splits across pages.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus import Image as ImageFlowable

from ...document import Cell, Code, Image, Quote
from ...writers import unreadable_image
from .layout import cells, column_widths, fit_scale, grid_rows, line_cells
from .text import Faces, RichText, drawable, rich

GRID_SIZE, GRID_MIN_SIZE = 12.0, 9.0  # the body's size (72 columns fit), and 96 columns
RUN_LABELS = re.compile(r"((.)\2*)", re.DOTALL)  # (run, its character) for each run of one repeated character
GRID_PADDING = 4.0
BOX_FILL = (0.95, 0.95, 0.95)
BOX_STROKE = (0.82, 0.82, 0.82)
CELL_SIZE, CELL_LEADING, CELL_PADDING = 10.5, 16.0, 4.0


@dataclass(frozen=True, slots=True, eq=False)
class Placement:
    """How a class of characters sits on the grid: face, cells, horizontal scale, offset in
    the cells, and the character spacing that puts the next one of a run in the next cells."""

    font: str  # "<font> <size> Tf"
    cells: int
    matrix: str  # "<scale> 0 0 1 " of the text matrix (the scale is the glyph's, not Tz)
    offset: float
    spacing: str
    origins: dict[int, str]  # column → the text matrix there, less its y


_ORIGINS: dict[tuple[str, float, float], dict[int, str]] = {}  # Placement.origins, shared for the process


class Grid:
    """The placement of every character drawn on the grid at one size in one PDF. Characters placed
    alike (same face, cells and glyph width) share a class; a run of one class is one string."""

    def __init__(self, faces: Faces, size: float, doc, bottom_up: bool) -> None:
        self.faces, self.size, self.doc = faces, size, doc
        self.cell = size / 2
        self.tf = f"{fp_str(size)} Tf"
        self.flip = "1" if bottom_up else "-1"
        self.known: set[str] = set()
        self.class_of: dict[int, str] = {}  # code point → its class's number as a character
        self.codes: dict[int, str] = {}  # code point → its code in its face's font, as PDF string text
        self.classes: list[Placement] = []
        self._numbers: dict[tuple, int] = {}
        self.rows: dict[tuple[str, tuple[str, str]], tuple[tuple[str, ...], tuple[str, str]]] = {}
        self.drawn: set[tuple[str, tuple[str, str]]] = set()

    def learn(self, row: str) -> None:
        """Place the characters of ``row`` not seen before (codes given in drawing order)."""
        if self.known.issuperset(row):
            return
        for char in dict.fromkeys(row):
            if char not in self.known:
                self.known.add(char)
                self._place(char)

    def _place(self, char: str) -> None:
        face = self.faces.pick(char, self.faces.mono)
        encoding = self.faces.encoding(face, self.doc)
        encoding.learn(char)
        room = cells(char) * self.cell
        size = self.faces.mono_size(self.size) if face is self.faces.mono else self.size
        glyph = face.widths.get(ord(char), face.default_width) * size / 1000
        scale = 1.0 if abs(glyph - room) < 1e-6 else fit_scale(glyph, room)  # monospace: as it is
        key = (face.name, cells(char), glyph)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self.classes)
            matrix, offset = f"{fp_str(scale)} 0 0 {self.flip} ", (room - glyph * scale) / 2
            origins = _ORIGINS.setdefault((matrix, offset, self.size), {})
            spacing = fp_str(room / scale - glyph)
            font = f"/{encoding.name} {fp_str(size)} Tf"
            self.classes.append(Placement(font, cells(char), matrix, offset, spacing, origins))
        self.class_of[ord(char)] = chr(number)
        self.codes[ord(char)] = encoding.escaped[ord(char)]


class Verbatim(Flowable):
    """Verbatim lines on a character grid in a light grey box."""

    def __init__(
        self,
        text: str,
        faces: Faces,
        rows: list[str] | None = None,
        size: float = 0.0,
        wrapped: list[bool] | None = None,
    ) -> None:
        super().__init__()
        self.text, self.faces = text, faces
        self.rows, self.size = rows, size
        self.wrapped = wrapped or []  # per row: does the line go on in the next row?
        self.fixed = rows is not None  # a piece of a split block keeps its rows and size
        self.available = 0.0
        self.spaceBefore = self.spaceAfter = 4.0

    @property
    def leading(self) -> float:
        return self.size * 1.45

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if not self.fixed and available_width != self.available:
            self.available = available_width
            inner = max(available_width - 2 * GRID_PADDING, GRID_MIN_SIZE * 4)
            widest = max(map(line_cells, self.text.split("\n")), default=1)
            self.size = max(GRID_MIN_SIZE, min(GRID_SIZE, 2 * inner / max(widest, 1)))
            limit = int(inner // (self.size / 2))
            if widest > limit:
                limit -= 1  # a column for the marks of wrapped lines
            self.wrapped = []
            self.rows = grid_rows(self.text, max(2, limit), self.wrapped)
        self.width = available_width
        return available_width, len(self.rows or ()) * self.leading + 2 * GRID_PADDING

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        rows, wrapped = self.rows or [], self.wrapped
        fit = int((available_height - 2 * GRID_PADDING) // self.leading)
        if fit <= 0 or fit >= len(rows):
            return []  # nothing fits, or (rounding aside) all would: no split to make
        return [
            Verbatim("", self.faces, rows[:fit], self.size, wrapped[:fit]),
            Verbatim("", self.faces, rows[fit:], self.size, wrapped[fit:]),
        ]

    def draw(self) -> None:
        canvas, rows, size = self.canv, self.rows or [], self.size
        height = len(rows) * self.leading + 2 * GRID_PADDING
        canvas.saveState()
        canvas.setFillColorRGB(*BOX_FILL)
        canvas.setStrokeColorRGB(*BOX_STROKE)
        canvas.setLineWidth(0.5)
        canvas.rect(0, 0, self.width, height, stroke=1, fill=1)
        canvas.restoreState()
        grid = self.faces.grids.get(size)
        if grid is None:
            grid = self.faces.grids[size] = Grid(self.faces, size, canvas._doc, canvas.bottomup)
        ops = ["BT", "0 Tc"]
        font, spacing = "", "0"
        for number, row in enumerate(rows):
            y = height - GRID_PADDING - (number + 1) * self.leading + self.leading * 0.3
            font, spacing = _draw_row(ops, grid, row, fp_str(y), (font, spacing))
        if spacing != "0":
            ops.append("0 Tc")  # the text state outlives the text object: leave it as found
        ops.append("ET")
        canvas._code.append(" ".join(ops))
        marks = [number for number, goes_on in enumerate(self.wrapped) if goes_on]
        if marks:
            _wrap_marks(canvas, marks, self.width - GRID_PADDING - grid.cell, height, self.leading, grid.cell)


def _wrap_marks(canvas, rows: list[int], x: float, height: float, leading: float, cell: float) -> None:
    """A hooked arrow (↩, drawn: it is no text to copy) in the cell at ``x`` of each row of ``rows``."""
    canvas.saveState()
    canvas.setStrokeColorRGB(0.45, 0.45, 0.45)
    canvas.setLineWidth(0.6)
    for number in rows:
        base = height - GRID_PADDING - (number + 1) * leading + leading * 0.3
        top, bottom, left, right = base + cell * 0.9, base + cell * 0.2, x + cell * 0.15, x + cell * 0.85
        path = canvas.beginPath()
        path.moveTo(right, top)
        path.lineTo(right, bottom)
        path.lineTo(left, bottom)
        path.moveTo(left + cell * 0.3, bottom + cell * 0.25)
        path.lineTo(left, bottom)
        path.lineTo(left + cell * 0.3, bottom - cell * 0.25)
        canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


def _draw_row(ops: list[str], grid: Grid, row: str, y: str, state: tuple[str, str]) -> tuple[str, str]:
    """Write the operators that draw ``row`` at baseline ``y``: each run of characters of one class is one
    string, placed by a text matrix (that also scales the glyphs to fill their cells) and spaced by Tc.
    ``state`` is the (font, character spacing) set before; returns the state left. A row drawn twice
    from the same state is drawn again from its operators kept with the baseline left out (kept from the
    second time: most rows are drawn once, and keeping theirs would hold a big document's code twice)."""
    key = (row, state)
    found = grid.rows.get(key)
    if found is None:
        found = _row_pieces(grid, row, state)
        if key in grid.drawn:
            grid.rows[key] = found
        else:
            grid.drawn.add(key)
    pieces, state = found
    if pieces:
        ops.append(y.join(pieces))
    return state


def _row_pieces(grid: Grid, row: str, state: tuple[str, str]) -> tuple[tuple[str, ...], tuple[str, str]]:
    """The operators of ``_draw_row`` joined in pieces for the baseline to go between, and the state left."""
    font, spacing = state
    grid.learn(row)
    labels, codes = row.translate(grid.class_of), row.translate(grid.codes)
    pairs = len(codes) == 2 * len(row)  # every code two characters long (no escapes): cut the codes, not the row
    classes, cell, column, start = grid.classes, grid.cell, 0, 0
    pieces, piece = [], ""
    for run, label in RUN_LABELS.findall(labels):
        place = classes[ord(label)]
        if place.font != font:
            font = place.font
            piece += f"{font} "
        origin = place.origins.get(column)
        if origin is None:  # formatting numbers costs more than finding them formatted
            origin = place.origins[column] = f"{place.matrix}{fp_str(GRID_PADDING + column * cell + place.offset)} "
        length = len(run)
        if length > 1 and place.spacing != spacing:
            spacing = place.spacing
            piece += f"{spacing} Tc "
        pieces.append(piece + origin)
        end = start + length
        piece = f" Tm ({codes[2 * start : 2 * end] if pairs else row[start:end].translate(grid.codes)}) Tj "
        column += length * place.cells
        start = end
    if pieces:
        pieces.append(piece[:-1])
    return tuple(pieces), (font, spacing)


def verbatim(block: Code, faces: Faces) -> Verbatim:
    lines = drawable(block.text.expandtabs(8)).rstrip("\n").split("\n")
    return Verbatim("\n".join(line.rstrip(" ") for line in lines), faces)


class Barred(Flowable):
    """A block of a quote: indented, with a bar on its left."""

    def __init__(self, inner: Flowable, indent: float) -> None:
        super().__init__()
        self.inner, self.indent = inner, indent
        self.keepWithNext = getattr(inner, "keepWithNext", 0)
        self.height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, self.height = self.inner.wrap(available_width - self.indent, available_height)
        self.width = available_width
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        pieces = self.inner.split(available_width - self.indent, available_height)
        return [Barred(piece, self.indent) for piece in pieces]

    def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.inner.getSpaceAfter()

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColorRGB(0.7, 0.7, 0.7)
        canvas.setLineWidth(2)
        x = self.indent * 0.4  # the bar spans the space around the block too: one bar for the whole quote
        canvas.line(x, -self.inner.getSpaceAfter(), x, self.height + self.inner.getSpaceBefore())
        canvas.restoreState()
        self.inner.drawOn(canvas, self.indent, 0)


def _has_tall_row(data: list[list[list[RichText]]], widths: list[float], height: float) -> bool:
    """Is a row taller than half a page? (reportlab splits such a row inside a table that repeats its
    header into endless header-only pieces, so such a table does not repeat its header.)"""
    for row in data:
        tallest = max(cell[0].wrap(w - 2 * CELL_PADDING, height)[1] for cell, w in zip(row, widths, strict=True))
        if tallest > height / 2:
            return True
    return False


MIN_COLUMN = 2 * CELL_SIZE + 2 * CELL_PADDING + 1  # a column's room for two Chinese characters a line


def tables(
    rows: tuple[tuple[Cell, ...], ...],
    header: bool,
    faces: Faces,
    width: float,
    height: float,
    borders: bool = True,
) -> list[Flowable]:
    """``table``, or for a table too wide for ``width`` (54 columns made cells of negative width), several
    tables of some of its columns each (see ``column_groups``)."""
    count = max((len(row) for row in rows), default=0)
    natural = [0.0] * count
    for number, row in enumerate(rows):
        for i, cell in enumerate(row):
            text = RichText(rich(cell.inlines, faces, CELL_SIZE, header and number == 0), CELL_SIZE, CELL_LEADING)
            natural[i] = max(natural[i], text.natural_width())
    needs = [min(longest + 2 * CELL_PADDING + 1, MIN_COLUMN) for longest in natural]
    made: list[Flowable | None] = []
    for group in column_groups(needs, width):
        part = tuple(tuple(row[i] if i < len(row) else Cell(()) for i in group) for row in rows)
        made.append(table(part, header, faces, width, height, borders))
    return [flowable for flowable in made if flowable]


def column_groups(needs: list[float], width: float) -> list[list[int]]:
    """The columns in groups that fit ``width`` side by side, column ``i`` taking ``needs[i]`` at least.
    Each group after the first starts with column 0 again (the rows' labels) where it leaves room.

    >>> column_groups([10, 10, 10], 40)
    [[0, 1, 2]]
    >>> column_groups([10, 10, 10, 10, 10], 30), column_groups([10, 10, 10], 15)
    ([[0, 1, 2], [0, 3, 4]], [[0], [1], [2]])
    """
    if sum(needs) <= width:
        return [list(range(len(needs)))]
    label = [0] if needs and 3 * max(needs) <= width else []
    count = len(_groups(needs, width, label))
    # as many groups, filled more evenly: each but the last holds more than its share, so no more are made
    labels = sum(needs[i] for i in label)
    return _groups(needs, min(width, labels + (sum(needs) - labels) / count + max(needs)), label)


def _groups(needs: list[float], width: float, label: list[int]) -> list[list[int]]:
    groups: list[list[int]] = [[]]
    used = 0.0
    for i, need in enumerate(needs):
        if groups[-1] and used + need > width:
            groups.append(list(label))
            used = sum(needs[j] for j in label)
        groups[-1].append(i)
        used += need
    return groups


def table(
    rows: tuple[tuple[Cell, ...], ...], header: bool, faces: Faces, width: float, height: float, borders: bool = True
) -> Table | None:
    """A table: columns sized by their content within ``width``, cells broken by the Chinese rules; a
    header row is bold and repeated on each page (``height``: the page's text height). A layout table
    (``borders`` False: a Word tip box) has no grid, and no column empty in every row (an icon's)."""
    if not borders:
        rows = _without_empty_columns(rows)
    count = max((len(row) for row in rows), default=0)
    if not count:
        return None
    data = []
    for number, row in enumerate(rows):
        bold = header and number == 0
        padded = [*row, *[Cell(())] * (count - len(row))]
        # a list per cell: reportlab splits a row taller than a page only for cells that are lists
        texts = [rich(cell.inlines, faces, CELL_SIZE, bold) for cell in padded]
        data.append([[RichText(text, CELL_SIZE, CELL_LEADING)] for text in texts])
    natural = [max(row[i][0].natural_width() for row in data) + 2 * CELL_PADDING + 1 for i in range(count)]
    minimum = [min(natural[i], 4 * CELL_SIZE + 2 * CELL_PADDING) for i in range(count)]
    style = [
        ("FONTNAME", (0, 0), (-1, -1), faces.body.name),  # reportlab sets the cell font: not Helvetica
        *([("GRID", (0, 0), (-1, -1), 0.5, (0.45, 0.45, 0.45))] if borders else []),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), (0.92, 0.92, 0.92)))
    widths = column_widths(natural, minimum, width)
    flowable = Table(
        data,
        colWidths=widths,
        repeatRows=1 if header and len(data) > 1 and not _has_tall_row(data, widths, height) else 0,
        style=TableStyle(style),
        hAlign="LEFT",
        splitInRow=1,
    )
    flowable.spaceBefore = flowable.spaceAfter = 6.0
    return flowable


def _without_empty_columns(rows: tuple[tuple[Cell, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
    """The rows less the columns whose cells hold no text in any row."""
    count = max((len(row) for row in rows), default=0)
    filled = {i for row in rows for i, cell in enumerate(row) if "".join(s.text for s in cell.inlines).strip()}
    kept = [i for i in range(count) if i in filled]
    return tuple(tuple(row[i] for i in kept if i < len(row)) for row in rows)


class LinkedImage(ImageFlowable):
    """An image that is a link (a badge: the alt text carries the link around the image)."""

    url = ""

    def draw(self) -> None:
        super().draw()
        self.canv.linkURL(self.url, (0, 0, self.drawWidth, self.drawHeight), relative=1)


class Badges(Flowable):
    """Linked images side by side (a README's badges, as GitHub shows them), wrapping into more rows
    when they are wider than the text; each keeps its link."""

    GAP = 4.0

    def __init__(self, first: LinkedImage) -> None:
        super().__init__()
        self.pictures = [first]
        self.rows: list[list[tuple[LinkedImage, float]]] = []
        self.spaceBefore = self.spaceAfter = 6.0

    def add(self, picture: LinkedImage) -> None:
        self.pictures.append(picture)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.rows, row, x = [], [], 0.0
        for picture in self.pictures:
            if row and x + picture.drawWidth > available_width:
                self.rows.append(row)
                row, x = [], 0.0
            row.append((picture, x))
            x += picture.drawWidth + self.GAP
        self.rows.append(row)
        self.width = available_width
        self.height = sum(self._tallest(row) for row in self.rows) + self.GAP * (len(self.rows) - 1)
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """The rows that fit, and the rest (a wall of badges taller than a page)."""
        self.wrap(available_width, available_height)
        used, count = 0.0, 0
        for row in self.rows:
            if used + self._tallest(row) > available_height:
                break
            used += self._tallest(row) + self.GAP
            count += 1
        if count == 0 or count == len(self.rows):
            return []
        pieces = []
        for rows in (self.rows[:count], self.rows[count:]):
            piece = Badges(rows[0][0][0])
            piece.pictures = [picture for row in rows for picture, _ in row]
            pieces.append(piece)
        return pieces

    @staticmethod
    def _tallest(row: list[tuple[LinkedImage, float]]) -> float:
        return max(picture.drawHeight for picture, _ in row)

    def draw(self) -> None:
        top = self.height
        for row in self.rows:
            tallest = self._tallest(row)
            for picture, x in row:  # each centred on the row's middle
                picture.drawOn(self.canv, x, top - tallest + (tallest - picture.drawHeight) / 2)
            top -= tallest + self.GAP


def image(block: Image, width: float, height: float) -> Flowable | None:
    """The embedded image scaled down to fit ``width`` × ``height``; None if its data cannot be read."""
    if not block.data:
        return None
    try:
        reader = ImageReader(io.BytesIO(block.data))
        pixels_wide, pixels_high = reader.getSize()
        reader.getRGBData()  # decode now: bad data must fail here, not while the page is drawn
        scale = min(1.0, width / pixels_wide, height / pixels_high)
        link = block.inlines[0].url if block.inlines else ""
        kind = LinkedImage if link else ImageFlowable
        picture = kind(io.BytesIO(block.data), pixels_wide * scale, pixels_high * scale)
        picture.url = link
    except Exception:  # noqa: BLE001 (PIL and reportlab raise many kinds for bad data)
        return None
    picture.hAlign = "CENTER"
    picture.spaceBefore = picture.spaceAfter = 6.0
    return picture


def image_warnings(blocks: tuple) -> list[str]:
    """A warning for each image whose data cannot be read (its alt text stands in)."""
    found = []
    for block in blocks:
        if isinstance(block, Quote):
            found += image_warnings(block.blocks)
        elif isinstance(block, Image) and block.data and image(block, 100.0, 100.0) is None:
            found.append(unreadable_image(block))
    return found
