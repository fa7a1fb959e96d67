"""PDF (reportlab): A4, embedded subset CJK fonts only, justified lines broken by Chinese rules.

Every block of the tree is drawn: headings sized by level, kept with the next block and listed in the
outline; paragraphs; lists with a hanging indent; verbatim blocks on a character grid; tables; quotes;
rules; page breaks; images. Plain paragraphs take a fast path (``ChineseParagraph``: one run per face);
text with formatting is laid out by ``text.RichText``.
"""

from __future__ import annotations

import copy
import io
import zlib
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import HRFlowable, PageBreakIfNotEmpty

from ...anchors import heading_anchors
from ...document import Block, Code, Document, Heading, Image, ListItem, Paragraph, Quote, Rule, Table
from ...document import PageBreak as PageBreakBlock
from ...fonts import Face, bold_face, face_for, faces_for
from ...options import Options
from .blocks import Badges, Barred, LinkedImage, image, tables, verbatim
from .blocks import image_warnings as _image_warnings
from .layout import MOST_STRETCH, Breaks, break_lines, end_blank, justify, kinds, moves_within, squeeze
from .text import Faces, RichText, drawable, narrow_apostrophes, narrow_line, pick_face, rich, text_origin

BODY_SIZE, BODY_LEADING = 12, 21
TITLE_SIZE, TITLE_LEADING = 18, 28
MARGIN = 25 * mm
TEXT_WIDTH, TEXT_HEIGHT = A4[0] - 2 * MARGIN - 12, A4[1] - 2 * MARGIN - 12  # the frame pads 6 pt a side
HEADING_SIZES = {1: 17.0, 2: 15.5, 3: 14.0, 4: 13.0, 5: 12.0, 6: 12.0}
QUOTE_INDENT = 2 * BODY_SIZE
PAGE_LEVEL = 3  # zlib level of page contents: half the time of level 6, 77 real documents' PDFs 4 % larger


class ChineseParagraph(Flowable):
    """A paragraph of plain text, laid out by ``layout.break_lines`` and justified with character spacing.

    Text is drawn as text (never as markup), so ``<``, ``>`` and ``&`` need no escaping and come
    back out of the PDF as they went in.
    """

    def __init__(
        self,
        text: str,
        faces: Faces,
        face: Face,
        size: float,
        leading: float,
        indent: float = 0.0,
        centered: bool = False,
        justify_last: bool = False,
        laid: tuple[list[float], dict[int, float], Breaks | None] | None = None,
    ) -> None:
        super().__init__()
        self.text, self.faces, self.face, self.fallback = text, faces, face, faces.fallback
        self.order = (face, faces.fallback, *faces.extras)
        self.size, self.leading, self.indent = size, leading, indent
        self.centered, self.justify_last = centered, justify_last
        if laid is None:
            self.widths = list(map(faces.widths(face, size).__getitem__, text))
            self.moves = squeeze(text, self.widths, faces.traditional)  # CLREQ: adjacent marks compressed
            narrow_apostrophes(text, self.widths, size, lambda i: self._font(text[i]))
            self.breaks: Breaks | None = None
        else:  # a piece of a split paragraph: widths, compressions and break opportunities as in the whole
            self.widths, self.moves, self.breaks = laid
        self.move_keys: list[int] | None = None
        self.lines: list[tuple[int, int]] = []
        self.available = 0.0

    def _piece(self, start: int, end: int | None, indent: float, justify_last: bool) -> ChineseParagraph:
        """The paragraph's ``text[start:end]``, with its widths and compressions as they were in the whole."""
        stop = len(self.text) if end is None else end
        if self.move_keys is None:
            self.move_keys = list(self.moves)  # (in order: squeeze makes them so, and a piece keeps the order)
        moves = moves_within(self.moves, self.move_keys, start, stop)
        breaks = self.breaks.part(start, stop) if self.breaks else None
        laid = (self.widths[start:stop], moves, breaks)
        text = self.text[start:stop]
        return ChineseParagraph(
            text, self.faces, self.face, self.size, self.leading, indent, self.centered, justify_last, laid
        )

    def _font(self, char: str) -> Face:
        return pick_face(char, self.order)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_width != self.available or not self.lines:
            self.available = available_width
            self.breaks = self.breaks or Breaks(self.text)
            self.lines = break_lines(
                self.text, self.widths, available_width - self.indent, available_width, self.breaks
            )
        return available_width, len(self.lines) * self.leading

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fit = int(available_height // self.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        cut = self.lines[fit][0]
        head = self._piece(0, cut, self.indent, justify_last=True)
        tail = self._piece(cut, None, 0.0, self.justify_last)
        return [head, tail]

    def draw(self) -> None:
        canvas, tf = self.canv, f"{fp_str(self.size)} Tf"
        single = len(self.order) == 2 and self.fallback is self.face
        if single:  # one face: the whole text's codes given at once (in the order the lines would give them)
            encoding = self.faces.encoding(self.face, canvas._doc)
            encoding.learn(self.text)
            switch, codes = f"/{encoding.name} {tf}", encoding.escaped
        lines, count, numbers = [], len(self.lines), _Numbers(self.size)
        kinds_of, moves = (self.breaks.kinds if self.breaks else kinds(self.text)), self.moves
        text = self.text

        def face_of(i: int) -> Face:
            return self._font(text[i])

        keys = sorted(moves)
        for number, (start, end) in enumerate(self.lines):
            x = self.indent if number == 0 else 0.0
            shown_end = end
            while shown_end > start + 1 and self.text[shown_end - 1] == " ":  # spaces hang in the margin
                shown_end -= 1
            room = self.available - x - sum(self.widths[start:shown_end])
            stretch = not self.centered and (number < count - 1 or self.justify_last)
            if stretch:
                room += end_blank(self.text, shown_end, self.widths, moves, self.faces.traditional)
            if self.centered:
                x += room / 2
            spacing, extra, lead = justify(
                kinds_of, start, shown_end, room if stretch else 0.0, moves, keys, self.size * MOST_STRETCH
            )
            x += lead
            y = (count - number - 1) * self.leading + self.leading * 0.25
            head = f"BT {text_origin(canvas, x, y)} Tm {fp_str(spacing)} Tc"
            laid = (self.size, moves, self.faces.traditional)
            line, drawn = narrow_line((self.text, start, end), self.widths, laid, extra, face_of)
            if single and drawn is not extra:  # narrow variants: stand-ins to learn
                encoding.learn(line)
            extra = drawn
            if single and not extra:
                lines.append(f"{head} {switch} ({line.translate(codes)}) Tj ET")
                continue
            if single:  # one face, its codes known: the moves between pieces of one TJ
                pieces = _pieces(line, 0, end - start, [(k - start, move) for k, move in extra], codes, numbers)
                lines.append(f"{head} {switch} [{pieces}] TJ ET")
                continue
            ops, at = [head], start
            for run, face in _runs(self.text[start:end], self._font, single):
                run_moves = [(k - at, move) for k, move in extra if at < k <= at + len(run)]
                shown = line[at - start : at - start + len(run)]
                ops.append(self.faces.encoding(face, canvas._doc).show_moved(shown, tf, self.size, run_moves))
                at += len(run)
            ops.append("ET")
            lines.append(" ".join(ops))
        if lines:
            canvas._code.append("\n".join(lines))


class _Numbers(dict):
    """A move in points → the TJ number that makes it at one font size (``-move`` in thousandths of an em)."""

    def __init__(self, size: float) -> None:
        super().__init__()
        self.size = size

    def __missing__(self, move: float) -> str:
        found = self[move] = fp_str(-move * 1000 / self.size)
        return found


def _pieces(text: str, start: int, end: int, extra: list[tuple[int, float]], codes: dict, numbers: _Numbers) -> str:
    """The operands of a TJ that shows ``text[start:end]`` with ``extra`` moves (boundary, points)."""
    out, at = [], start
    for boundary, move in extra:
        out.append(f"({text[at:boundary].translate(codes)}) {numbers[move]}")
        at = boundary
    out.append(f"({text[at:end].translate(codes)})")
    return " ".join(out)


def _runs(line: str, font_of, single: bool) -> list[tuple[str, Face]]:
    """Split a line into runs drawn with the same face (``single``: there is one)."""
    if single:
        return [(line, font_of(line[0]))]
    runs: list[tuple[str, Face]] = []
    for char in line:
        face = font_of(char)
        if runs and runs[-1][1] is face:
            runs[-1] = (runs[-1][0] + char, face)
        else:
            runs.append((char, face))
    return runs


class Outline:
    """Outline levels for headings: one deeper than the enclosing heading at most, so a skipped
    level (a level-3 heading under a level-1 one) still nests properly."""

    def __init__(self) -> None:
        self.open: list[int] = []  # heading levels of the enclosing headings
        self.count = 0

    def entry(self, heading: Heading) -> tuple[str, int, str]:
        while self.open and self.open[-1] >= heading.level:
            self.open.pop()
        depth = len(self.open)
        self.open.append(heading.level)
        self.count += 1
        title = " ".join(drawable(heading.text).split()) or "—"
        return title, depth, f"h{self.count}"


def _badge(block: Block) -> bool:
    """A linked picture: a README's badge."""
    return isinstance(block, Image) and bool(block.data) and bool(block.inlines and block.inlines[0].url)


PIECE_LINES = 64  # lines of a piece of a long paragraph: about two pages of body text


def in_pieces(flowable: Flowable, width: float) -> list[Flowable]:
    """A paragraph of more than ``PIECE_LINES`` lines at ``width`` as pieces of whole lines, each its own
    flowable, broken into lines once, here. reportlab splits a paragraph at a page's end and lays out what
    is left again, at each page: a paragraph of 1.4 MB took 46 s, and ten times the text 42 times as long.
    A shorter paragraph, and anything else, is left as it is (its lines, made here, are kept for the page)."""
    if not isinstance(flowable, ChineseParagraph | RichText):
        return [flowable]
    flowable.wrap(width, TEXT_HEIGHT)
    lines = flowable.lines
    if len(lines) <= PIECE_LINES:
        return [flowable]
    cuts = range(0, len(lines), PIECE_LINES)
    if isinstance(flowable, ChineseParagraph):
        return [_plain_piece(flowable, at, min(at + PIECE_LINES, len(lines))) for at in cuts]
    return [_rich_piece(flowable, at, min(at + PIECE_LINES, len(lines))) for at in cuts]


def _plain_piece(whole: ChineseParagraph, first: int, last: int) -> ChineseParagraph:
    """Lines ``first`` to ``last`` of ``whole`` (as ``ChineseParagraph.split`` cuts it: every piece but the
    last justified to its end, the first line's indent in the first only)."""
    start = whole.lines[first][0]
    end = whole.lines[last][0] if last < len(whole.lines) else None
    return whole._piece(start, end, whole.indent if first == 0 else 0.0, whole.justify_last if end is None else True)


def _rich_piece(whole: RichText, first: int, last: int) -> RichText:
    """Lines ``first`` to ``last`` of ``whole``, as ``RichText.split`` cuts it."""
    start, end, forced = whole.lines[first][0], whole.lines[last - 1][1], whole.lines[last - 1][2]
    final = last == len(whole.lines)
    changes = {} if first == 0 else {"indent": 0.0, "marker": None, "outline": None}
    justify_last = whole.justify_last if final else not forced
    piece = whole.copy(whole.content.cut(start, end), justify_last=justify_last, **changes)
    if first == 0:
        piece.spaceBefore = getattr(whole, "spaceBefore", 0.0)
    if final:
        piece.spaceAfter, piece.keepWithNext = getattr(whole, "spaceAfter", 0.0), getattr(whole, "keepWithNext", 0)
    return piece


def _one_break_a_run(story: list[Flowable]) -> list[Flowable]:
    """``story`` with a page break right after another left out: 100,000 form feeds in a row make one new
    page (reportlab stops with a LayoutError after ten empty pages)."""
    kept: list[Flowable] = []
    for flowable in story:
        if not (isinstance(flowable, PageBreak) and kept and isinstance(kept[-1], PageBreak)):
            kept.append(flowable)
    return kept


def quote_indent(width: float) -> float:
    """How far a quote inside ``width`` is indented: less once half the page's width is used up, none
    once three quarters are (quotes nested 19 deep left less room than one character).

    >>> quote_indent(TEXT_WIDTH), quote_indent(TEXT_WIDTH / 2), quote_indent(TEXT_WIDTH / 4)
    (24, 4.0, 0.0)
    """
    if width - QUOTE_INDENT >= TEXT_WIDTH / 2:
        return QUOTE_INDENT
    return 4.0 if width - 4.0 >= TEXT_WIDTH / 4 else 0.0


def _is_plain(block: Paragraph) -> bool:
    return all(not span.style and not span.url and "\n" not in span.text for span in block.inlines)


class Story:
    """Turns blocks into flowables."""

    def __init__(self, faces: Faces) -> None:
        self.faces, self.outline = faces, Outline()

    def blocks(self, blocks: tuple[Block, ...], width: float = TEXT_WIDTH) -> list[Flowable]:
        out: list[Flowable] = []
        for index, block in enumerate(blocks):
            if isinstance(block, PageBreakBlock) and index and isinstance(blocks[index - 1], PageBreakBlock):
                continue  # (a run of breaks makes one new page: see ``_one_break_a_run``)
            made = self.block(block, width)
            if _badge(block) and made and isinstance(made[0], LinkedImage):  # badges in a row share one line
                if out and isinstance(out[-1], Badges):
                    out[-1].add(made[0])
                    continue
                made = [Badges(made[0])]
            out += [piece for flowable in made for piece in in_pieces(flowable, width)]
        return out

    def block(self, block: Block, width: float) -> list[Flowable]:
        faces = self.faces
        if isinstance(block, Paragraph):
            indent = 2 * BODY_SIZE * (block.level if block.role in ("contents", "label") else 1)
            if block.role != "label" and _is_plain(block):
                text = drawable(block.text)
                paragraph = ChineseParagraph(text, faces, faces.body, BODY_SIZE, BODY_LEADING, indent)
                return [paragraph] if text else []
            content = rich(block.inlines, faces, BODY_SIZE, bold=block.role == "label")
            return [RichText(content, BODY_SIZE, BODY_LEADING, indent)] if content.text else []
        if isinstance(block, Heading):
            size = HEADING_SIZES.get(block.level, BODY_SIZE)
            flowable = RichText(rich(block.inlines, faces, size, bold=True), size, size * 1.5)
            flowable.outline = self.outline.entry(block)
            flowable.keepWithNext = 1
            flowable.spaceBefore, flowable.spaceAfter = size * 0.7, size * 0.3
            return [flowable]
        if isinstance(block, ListItem):
            return [self.list_item(block)]
        if isinstance(block, Code):
            return [verbatim(block, faces)] if block.text.strip("\n") else []
        if isinstance(block, Table):
            return tables(block.rows, block.header, faces, width, TEXT_HEIGHT, block.borders)
        if isinstance(block, Quote):
            indent = quote_indent(width)
            return [
                flowable if isinstance(flowable, PageBreak) else Barred(flowable, indent)
                for flowable in self.blocks(block.blocks, width - indent)
            ]
        if isinstance(block, Rule):
            return [HRFlowable(width="100%", thickness=0.6, color=(0.5, 0.5, 0.5), spaceBefore=6, spaceAfter=6)]
        if isinstance(block, PageBreakBlock):
            return [PageBreakIfNotEmpty()]  # a run of breaks: one new page, not a LayoutError
        if isinstance(block, Image):
            picture = image(block, width, TEXT_HEIGHT * 0.9)
            if picture:
                return [picture]
            content = rich(block.inlines, faces, BODY_SIZE)
            return [RichText(content, BODY_SIZE, BODY_LEADING)] if content.text else []
        return []  # Html: raw HTML is left out of the PDF

    def list_item(self, item: ListItem) -> RichText:
        """Text at a hanging indent; the marker (a bullet, or the number as written) in the hanging part."""
        faces, start = self.faces, max(0, min(item.level, 8)) * 2 * BODY_SIZE
        marker = drawable(item.marker if item.ordered else "•").replace("\n", " ") if item.marker else ""
        face = faces.pick(marker[0], faces.body) if marker else faces.body
        marker_width = sum(face.widths.get(ord(c), face.default_width) for c in marker) * BODY_SIZE / 1000
        hang = min(max(2 * BODY_SIZE, marker_width + BODY_SIZE / 2), TEXT_WIDTH / 3)  # a long marker may overlap
        content = rich(item.inlines, faces, BODY_SIZE)
        drawn = (marker, face, start) if marker else None
        return RichText(content, BODY_SIZE, BODY_LEADING, left=start + hang, marker=drawn)


def image_warnings(document: Document) -> list[str]:
    """Warnings for images the PDF cannot embed (for the pipeline to report)."""
    return _image_warnings(document.blocks)


def render(document: Document, options: Options) -> bytes:
    body, fallback, *extras = faces_for(document.text, document.language, options.font, options.font_index)
    faces = Faces(
        body, fallback, lambda: bold_face(document.language, options.font, options.font_index), extras=tuple(extras)
    )
    faces.traditional = face_for(document.language) == "TC"
    # The Outline names the n-th heading's destination "hn": an in-page link to its anchor jumps there.
    faces.destinations = {anchor: f"h{n}" for n, anchor in enumerate(heading_anchors(document.blocks), 1)}
    story: list[Flowable] = []
    if document.title:
        title = ChineseParagraph(drawable(document.title), faces, faces.bold, TITLE_SIZE, TITLE_LEADING, centered=True)
        story += [*in_pieces(title, TEXT_WIDTH), Spacer(1, BODY_LEADING)]
    story += _one_break_a_run(Story(faces).blocks(document.blocks))
    story = story or [Spacer(1, BODY_LEADING)]  # an empty document is still one (empty) page

    def first_page(canvas, doc) -> None:
        canvas._doc.ensureMinPdfVersion("transparency")  # PDF 1.4: /Lang and /DisplayDocTitle are 1.4's
        page_number(canvas, doc)

    def page_number(canvas, doc) -> None:
        number = str(doc.page)
        canvas.saveState()
        width = canvas.stringWidth(number, body.name, 9)
        faces.encoding(body, canvas._doc).draw(canvas, A4[0] / 2 - 0.5 * width, MARGIN / 2, 9, number)
        canvas.restoreState()

    out = io.BytesIO()
    template = _Template(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_metadata(document.title or _stem(document.source)),
        subject=_metadata(Path(document.source).name),
        creator="zhdoc",
        producer="zhdoc (reportlab)",
        lang=document.language,
        initialFontName=body.name,
        initialFontSize=BODY_SIZE,
        invariant=False,  # dates: SOURCE_DATE_EPOCH when set (reproducible builds), else now
        displayDocTitle=True,
    )
    a85, rl_config.useA85 = rl_config.useA85, 0  # binary streams: ASCII85 costs time and a quarter more bytes
    flate, pdfdoc.PDFZCompress = pdfdoc.PDFZCompress, PAGE_FILTER
    try:
        template.build(story, onFirstPage=first_page, onLaterPages=page_number)
    finally:
        rl_config.useA85, pdfdoc.PDFZCompress = a85, flate
        _forget_documents(*faces.used())
    return out.getvalue()


class _Frame(Frame):
    """reportlab's frame, copied shallow: a table wrapping its cells deep-copies the current frame (to
    catch content the cells generate, which zhdoc's never do), and a deep copy costs more than the wrap."""

    def __deepcopy__(self, memo: dict) -> _Frame:
        return copy.copy(self)


class _Template(SimpleDocTemplate):
    """``SimpleDocTemplate`` with a ``_Frame``."""

    def build(self, flowables: list[Flowable], onFirstPage, onLaterPages) -> None:  # noqa: N803 (reportlab's names)
        self._calc()
        frame = _Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="normal")
        self.addPageTemplates(
            [
                PageTemplate(id="First", frames=frame, onPage=onFirstPage, pagesize=self.pagesize),
                PageTemplate(id="Later", frames=frame, onPage=onLaterPages, pagesize=self.pagesize),
            ]
        )
        BaseDocTemplate.build(self, flowables)


class PageFlate(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's FlateDecode filter at ``PAGE_LEVEL`` (page contents and ToUnicode maps)."""

    def encode(self, text: bytes | str) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, PAGE_LEVEL)


PAGE_FILTER = PageFlate()


def _metadata(text: str) -> str:
    """A metadata string reportlab can encode.

    >>> _metadata("a\\nb\\ud800")
    'a b\\ufffd'
    """
    return drawable(text).replace("\n", " ")


def _stem(source: str) -> str:
    return Path(source).stem if source else ""


def _forget_documents(*used: Face) -> None:
    """reportlab keeps per-document subset state in each font: drop it, or a long batch grows."""
    from reportlab.pdfbase import pdfmetrics

    for name in {face.name for face in used}:
        pdfmetrics.getFont(name).state.clear()
