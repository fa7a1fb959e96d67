"""PDF (reportlab): A4, embedded subset CJK fonts only, justified lines broken by Chinese rules."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from ..document import Document
from ..fonts import Face, bold_face, faces_for
from ..options import Options
from .layout import break_lines

BODY_SIZE, BODY_LEADING = 12, 21
TITLE_SIZE, TITLE_LEADING = 18, 28
MARGIN = 25 * mm


class ChineseParagraph(Flowable):
    """A paragraph of plain text, laid out by ``layout.break_lines`` and justified with character spacing.

    Text is drawn as text (never as markup), so ``<``, ``>`` and ``&`` need no escaping and come
    back out of the PDF as they went in.
    """

    def __init__(
        self,
        text: str,
        face: Face,
        fallback: Face,
        size: float,
        leading: float,
        indent: float = 0.0,
        centered: bool = False,
        justify_last: bool = False,
    ) -> None:
        super().__init__()
        self.text, self.face, self.fallback = text, face, fallback
        self.size, self.leading, self.indent = size, leading, indent
        self.centered, self.justify_last = centered, justify_last
        if fallback is face:  # one face for every character: no per-character choice to make
            scale, get, default = size / 1000, face.widths.get, face.default_width
            self.widths = [get(ord(c), default) * scale for c in text]
        else:
            self.widths = [self._width(c) for c in text]
        self.lines: list[tuple[int, int]] = []
        self.available = 0.0

    def _font(self, char: str) -> Face:
        code = ord(char)
        return self.face if code in self.face.covers or code not in self.fallback.covers else self.fallback

    def _width(self, char: str) -> float:
        face = self._font(char)
        return face.widths.get(ord(char), face.default_width) * self.size / 1000

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_width != self.available or not self.lines:
            self.available = available_width
            self.lines = break_lines(self.text, self.widths, available_width - self.indent, available_width)
        return available_width, len(self.lines) * self.leading

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fit = int(available_height // self.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        cut = self.lines[fit][0]
        head = ChineseParagraph(
            self.text[:cut],
            self.face,
            self.fallback,
            self.size,
            self.leading,
            self.indent,
            self.centered,
            justify_last=True,
        )
        tail = ChineseParagraph(
            self.text[cut:], self.face, self.fallback, self.size, self.leading, 0.0, self.centered, self.justify_last
        )
        return [head, tail]

    def draw(self) -> None:
        canvas = self.canv
        for number, (start, end) in enumerate(self.lines):
            line = self.text[start:end]
            used = sum(self.widths[start:end])
            x = self.indent if number == 0 else 0.0
            room = self.available - x - used
            last = number == len(self.lines) - 1
            spacing = 0.0
            if self.centered:
                x += room / 2
            elif (not last or self.justify_last) and len(line) > 1 and room > 0:
                spacing = room / (len(line) - 1)
            text = canvas.beginText(x, (len(self.lines) - number - 1) * self.leading + self.leading * 0.25)
            text.setCharSpace(spacing)
            for run, face in _runs(line, self._font, self.face, self.fallback):
                text.setFont(face.name, self.size)
                text.textOut(run)
            canvas.drawText(text)


def _runs(line: str, font_of, face: Face, fallback: Face) -> list[tuple[str, Face]]:
    """Split a line into runs drawn with the same face."""
    if fallback is face:
        return [(line, face)]
    runs: list[tuple[str, Face]] = []
    for char in line:
        face = font_of(char)
        if runs and runs[-1][1] is face:
            runs[-1] = (runs[-1][0] + char, face)
        else:
            runs.append((char, face))
    return runs


def render(document: Document, options: Options) -> bytes:
    body, fallback = faces_for(document.text, document.language, options.font, options.font_index)
    bold = bold_face(document.language, options.font, options.font_index) if document.title else body
    story: list[Flowable] = []
    if document.title:
        story += [
            ChineseParagraph(document.title, bold, fallback, TITLE_SIZE, TITLE_LEADING, centered=True),
            Spacer(1, BODY_LEADING),
        ]
    story += [
        ChineseParagraph(p, body, fallback, BODY_SIZE, BODY_LEADING, indent=2 * BODY_SIZE)
        for p in document.paragraphs
        if p
    ]

    def page_number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(body.name, 9)
        canvas.drawCentredString(A4[0] / 2, MARGIN / 2, str(doc.page))
        canvas.restoreState()

    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=document.title or _stem(document.source),
        subject=Path(document.source).name,
        creator="zhdoc",
        producer="zhdoc (reportlab)",
        lang=document.language,
        initialFontName=body.name,
        initialFontSize=BODY_SIZE,
        invariant=True,
        displayDocTitle=True,
    )
    a85, rl_config.useA85 = rl_config.useA85, 0  # binary streams: ASCII85 costs time and a quarter more bytes
    try:
        template.build(story, onFirstPage=page_number, onLaterPages=page_number)
    finally:
        rl_config.useA85 = a85
        _forget_documents(body, bold, fallback)
    return out.getvalue()


def _stem(source: str) -> str:
    return Path(source).stem if source else ""


def _forget_documents(*used: Face) -> None:
    """reportlab keeps per-document subset state in each font: drop it, or a long batch grows."""
    from reportlab.pdfbase import pdfmetrics

    for name in {face.name for face in used}:
        pdfmetrics.getFont(name).state.clear()
