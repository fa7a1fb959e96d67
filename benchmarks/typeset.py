"""Typesetting a Chinese reader accepts (issue 22), measured on the PDFs zhdoc writes, read back with pdfminer.

For each document: Latin words of prose (not code) whose letters are spread apart (a gap of more than
0.3 pt between two letters of a word), lines that open with a closing mark (``CANNOT_START``, or a
closing ASCII quote), lines that end with an opening one, adjacent mark pairs compressed (the second mark starts
less than three quarters of an em after the first: ``）。`` ``》（`` ``”，`` ``。」`` …; in Traditional
text the centred stops are counted apart, as they are not compressed), the share of the ASCII code
characters (code blocks and inline code of the document tree) drawn in a monospace face, the characters
no font covers, lines and pages, and the time to write the PDF.

    python benchmarks/fetch_docs.py                 # once: the real documents
    python benchmarks/typeset.py [--docs FILE ...] [--typst] [--repeat 3]

``--typst`` sets the same paragraphs with typst (``pip install typst``) and measures its PDF alike.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from converter import Options, convert_file
from converter.document import Code

ROOT = Path(__file__).resolve().parent.parent
OPENING = "（《「『【〔〈〖［｛“‘"
CLOSING = "）》」』】〕〉〗］｝”’"
STOPS = "，。、；：？！．"
CANNOT_START = frozenset("、，；：。？！．”’）》」』】〕〉〗］｝…‥·・%‰℃,.;:?!)]}")
CANNOT_END = frozenset("“‘（《「『【〔〈〖［｛([{")

DOCS = ROOT / "benchmarks" / "docs"
DEFAULT = [
    ROOT / "fixtures" / "sample" / "gd-news-trad-pinyin.txt",
    DOCS / "text" / "maint-guide.zh-tw.txt",
    DOCS / "text" / "maint-guide.zh-cn.txt",
    DOCS / "markdown" / "opencc-js.README-zh-TW.md",
    DOCS / "markdown" / "pinyin-pro.README.md",
]
WORD = re.compile(r"[A-Za-z0-9]")


def page_lines(pdf: Path, code: bool = False) -> list[list]:
    """The characters of each text line (pdfminer LTChar, grouped by baseline), in reading order, page after
    page; the characters of code blocks (inside a box taller than a line) only if ``code``."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTRect

    lines = []
    for page in extract_pages(pdf, laparams=LAParams()):
        rows: dict[int, list] = defaultdict(list)
        chars, boxes, stack = [], [], list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar):
                chars.append(item)
            elif isinstance(item, LTRect) and item.height > 20:
                boxes.append(item)
            elif hasattr(item, "__iter__"):
                stack.extend(item)
        for char in chars:
            middle = ((char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2)
            inside = any(b.x0 <= middle[0] <= b.x1 and b.y0 <= middle[1] <= b.y1 for b in boxes)
            if code or not inside:
                rows[round(char.matrix[5])].append(char)
        for y in sorted(rows, reverse=True):
            lines.append(sorted(rows[y], key=lambda c: c.x0))
    return lines


def letter_spaced(lines: list[list]) -> tuple[int, int]:
    """(Latin words with a letter gap over 0.3 pt, Latin words of two letters or more)."""
    spread = words = 0
    for line in lines:
        run: list = []
        for char in [*line, None]:
            if char is not None and WORD.fullmatch(char.get_text()) and _prose(char):
                if run and char.x0 - run[-1].x1 > 3:  # far apart: another word (a column, a cell)
                    spread, words = _count(run, spread, words)
                    run = []
                run.append(char)
                continue
            spread, words = _count(run, spread, words)
            run = []
    return spread, words


def _count(run: list, spread: int, words: int) -> tuple[int, int]:
    if len(run) < 2:
        return spread, words
    gaps = [b.x0 - a.x1 for a, b in zip(run, run[1:])]
    return spread + (max(gaps) > 0.3), words + 1


def _prose(char) -> bool:
    """Is it text set in lines (not code: a monospace face, or a glyph scaled into grid cells, or the
    grid's smaller size)?"""
    a, _, _, d, _, _ = char.matrix
    return not _mono(char) and abs(a - d) < 0.01 and char.size >= 10


def _mono(char) -> bool:
    return "Mono" in char.fontname


def edges(lines: list[list]) -> tuple[int, int, int]:
    """(continuation lines opening with a closing mark, lines ending with an opening mark, lines) among
    the lines of prose; a continuation line follows a line that reaches the right margin (a block that
    starts with ``.`` or ``)`` is no fault). ASCII quotes pair up within a paragraph (its lines joined)."""
    starts = ends = 0
    prose = [line for line in lines if line and _prose(line[0]) and line[-1].get_text().strip()]
    prose = [line for line in prose if not "".join(c.get_text() for c in line).strip().isdigit()]
    right = max((line[-1].x1 for line in prose), default=0.0)
    paragraph: list[str] = []  # the text of the paragraph's lines so far
    for previous, line in zip([None, *prose], prose):
        text = "".join(c.get_text() for c in line)
        continued = previous is not None and previous[-1].x1 > right - 13
        paragraph = [*paragraph, text] if continued else [text]
        before = "".join(paragraph[:-1])
        closing_quote = text[0] in "\"'" and (len(before) + 0) in _closing(before + text)
        starts += continued and (text[0] in CANNOT_START or closing_quote)
        ends += text.rstrip()[-1] in CANNOT_END and line[-1].x1 > right - 13
    return starts, ends, len(prose)


_QUOTES = re.compile(r"\"|(?<![^\W_])'|'(?![^\W_])")  # as layout.closing_quotes: ' between letters is none


def _closing(text: str) -> set[int]:
    seen = {'"': 0, "'": 0}
    found = set()
    for match in _QUOTES.finditer(text):
        seen[match[0]] += 1
        if seen[match[0]] % 2 == 0:
            found.add(match.start())
    return found


def pairs(lines: list[list], traditional: bool) -> tuple[int, int]:
    """(adjacent mark pairs compressed, pairs) among those CLREQ compresses (``layout.squeeze``); in
    Traditional text a centred stop is followed by a quarter em of blank: only a stop before an opening
    mark is a pair to compress (the opening mark's blank half)."""
    compressed = total = 0
    for line in lines:
        for a, b in zip(line, line[1:]):
            first, second = a.get_text(), b.get_text()
            if traditional and first in STOPS:
                marked = second in OPENING
            else:
                marked = (first in CLOSING + STOPS and second in OPENING + CLOSING + STOPS) or (
                    first in OPENING and second in OPENING
                )
            if not marked or not _prose(a):
                continue
            total += 1
            compressed += b.x0 - a.x0 < 0.75 * a.size
    return compressed, total


def _processed(source: Path):
    """The document as zhdoc writes it: read, repaired and converted (Options' defaults)."""
    from converter.options import Options as Settings
    from converter.pipeline import process
    from converter.readers import read

    return process(read(source), Settings())


def mono_share(lines: list[list], source: Path) -> tuple[int, int]:
    """(ASCII code characters drawn in a monospace face, ASCII code characters in the document tree)."""
    document = _processed(source)
    expected = 0
    for block in _blocks(document.blocks):
        if isinstance(block, Code):
            expected += sum(1 for c in block.text if c.isascii() and c.isprintable() and c != " ")
        for span in getattr(block, "inlines", ()) or ():
            if "code" in span.style:
                expected += sum(1 for c in span.text if c.isascii() and c.isprintable() and c != " ")
    drawn = sum(1 for line in lines for c in line if _mono(c) and c.get_text().isascii() and c.get_text() != " ")
    return drawn, expected


def _blocks(blocks):
    for block in blocks:
        yield block
        inner = getattr(block, "blocks", None)
        if inner:
            yield from _blocks(inner)
        for row in getattr(block, "rows", ()) or ():
            yield from row


def measure(source: Path, out: Path, repeat: int = 1) -> dict:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = convert_file(source, out / _name(source), Options(formats=("pdf",)))
        best = min(best, time.perf_counter() - started)
    pdf = out / f"{_name(source)}.pdf"
    lines = page_lines(pdf)
    code_lines = page_lines(pdf, code=True)
    traditional = "cjktc" in "".join(c.fontname for line in lines[:50] for c in line).lower()
    missing = sum(int(n) for w in result.warnings for n in re.findall(r"×(\d+)", str(w)))
    return {
        "spread": letter_spaced(lines),
        "edges": edges(lines),
        "pairs": pairs(lines, traditional),
        "mono": mono_share(code_lines, source),
        "missing": missing,
        "seconds": best,
    }


def _name(source: Path) -> str:
    return source.name.replace(".", "_")


def typst_measure(source: Path, out: Path) -> dict | None:
    """The document's paragraphs set by typst (justified, zh), measured alike; None without typst."""
    try:
        import typst
    except ImportError:
        return None
    document = _processed(source)
    traditional = "TW" in document.language or "HK" in document.language
    region = "tw" if traditional else "cn"
    paragraphs = [getattr(b, "text", "") for b in _blocks(document.blocks) if not isinstance(b, Code)]
    body = "\n\n".join(_typst_escape(p) for p in paragraphs if p.strip())
    font = "Noto Serif CJK TC" if traditional else "Noto Serif CJK SC"
    markup = (
        f'#set page(paper: "a4", margin: 25mm)\n#set text(lang: "zh", region: "{region}", size: 12pt, '
        f'font: "{font}")\n#set par(justify: true, leading: 9pt)\n{body}\n'
    )
    typ = out / f"{_name(source)}.typ"
    typ.write_text(markup, encoding="utf-8")
    pdf = out / f"{_name(source)}.typst.pdf"
    started = time.perf_counter()
    pdf.write_bytes(typst.compile(str(typ), font_paths=[str(ROOT / "fonts")]))
    seconds = time.perf_counter() - started
    lines = page_lines(pdf)
    return {
        "spread": letter_spaced(lines),
        "edges": edges(lines),
        "pairs": pairs(lines, traditional),
        "seconds": seconds,
    }


def _typst_escape(text: str) -> str:
    return re.sub(r"([\\#\[\]*_`$<>@=\-+/~\"'])", r"\\\1", text.replace("\n", " "))


def _ratio(pair: tuple[int, int]) -> str:
    done, total = pair
    return f"{done}/{total}" + (f" ({100 * done / total:.0f} %)" if total else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--typst", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for source in args.docs:
            if not source.is_file():
                print(f"{source}: missing (run benchmarks/fetch_docs.py)", file=sys.stderr)
                continue
            found = measure(source, out, args.repeat)
            starts, ends, lines = found["edges"]
            print(
                f"{source.name}: letter-spaced words {_ratio(found['spread'])}; lines opening with a closing mark"
                f" {starts}, ending with an opening mark {ends}, of {lines}; pairs compressed"
                f" {_ratio(found['pairs'])}; ASCII code in mono {_ratio(found['mono'])}; missing glyphs"
                f" {found['missing']}; PDF {found['seconds']:.2f} s"
            )
            for key in ("spread", "pairs", "mono"):
                totals[key][0] += found[key][0]
                totals[key][1] += found[key][1]
            totals["starts"][0] += starts
            totals["missing"][0] += found["missing"]
            totals["seconds"][0] += found["seconds"]
            if args.typst:
                other = typst_measure(source, out)
                if other is None:
                    print("  typst: not installed (pip install typst)")
                else:
                    starts, ends, lines = other["edges"]
                    print(
                        f"  typst: letter-spaced words {_ratio(other['spread'])}; lines opening with a closing"
                        f" mark {starts}, ending with an opening mark {ends}, of {lines}; pairs compressed"
                        f" {_ratio(other['pairs'])}; {other['seconds']:.2f} s"
                    )
    print(
        f"total: letter-spaced words {_ratio(tuple(totals['spread']))}; lines opening with a closing mark"
        f" {totals['starts'][0]}; pairs compressed {_ratio(tuple(totals['pairs']))}; ASCII code in mono"
        f" {_ratio(tuple(totals['mono']))}; missing glyphs {totals['missing'][0]}; PDF {totals['seconds'][0]:.2f} s"
    )


if __name__ == "__main__":
    main()
