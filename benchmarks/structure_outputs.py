"""Structure in the DOCX and PDF outputs of real documents (issue 9, "done when"), read back from the files.

    python benchmarks/structure_outputs.py FILE_OR_FOLDER... [--to traditional] [--out DIR]

Each input (plain text, Markdown or Word) is converted by ``convert_file`` to DOCX and PDF (and Markdown
for Markdown input). What the reader found in the document tree is the reference; the outputs are read
back with python-docx, pypdf and pdfminer.six:

- headings: tree headings, DOCX paragraphs in a Heading style, PDF outline entries;
- code lines: lines of code/shell/table blocks, and DOCX paragraphs in the Code style (monospace);
- tables: tree tables, DOCX tables;
- links: links in the tree (runs of spans with one URL), DOCX hyperlinks, PDF link annotations (/URI) —
  counted once per link, though a link that wraps gets one annotation per line;
- syntax left: Markdown or HTML syntax (``**``, a code fence, ``](``, ``<div``…) in the DOCX text outside
  code, beside the same count in the tree's prose (text the author wrote literally: not a leak); and in
  the PDF text, beside the count in the whole tree, code included;
- `|` columns: on up to 3 PDF pages that hold ASCII or box-drawing table lines, pairs of consecutive lines
  of one table (less than 16 pt apart) with the same number of `|` (or `│`) whose bars stand at the same x
  (within 0.5 pt).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from converter import Options  # noqa: E402
from converter.document import Code, Heading, Quote, Table, units  # noqa: E402
from converter.pipeline import process  # noqa: E402
from converter.readers import format_of, read  # noqa: E402

SYNTAX = re.compile(r"\*\*|```|\]\(|<(?:div|img|p|br|a|table|span)\b", re.I)


def blocks_of(blocks):
    for block in blocks:
        yield block
        if isinstance(block, Quote):
            yield from blocks_of(block.blocks)


def tree_counts(document) -> dict[str, int]:
    blocks = list(blocks_of(document.blocks))
    links = prose_syntax = 0
    for unit in units(document.blocks):
        previous = ""
        for span in unit.inlines:
            links += bool(span.url) and span.url != previous
            previous = span.url
            prose_syntax += 0 if span.code else len(SYNTAX.findall(span.text))
    return {
        "headings": sum(isinstance(b, Heading) for b in blocks),
        "code_lines": sum(len(b.text.split("\n")) for b in blocks if isinstance(b, Code)),
        "tables": sum(isinstance(b, Table) for b in blocks),
        "links": links,
        "prose_syntax": prose_syntax,
        "all_syntax": len(SYNTAX.findall(document.text)),
    }


def docx_counts(path: Path) -> dict[str, int]:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    styles = [p.style.name if p.style is not None else "" for p in document.paragraphs]
    paragraphs = [p for p in document.paragraphs if p.style is None or p.style.name != "Code"]
    paragraphs += [p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    text = "\n".join(r.text for p in paragraphs for r in p.runs if r.style is None or r.style.name != "Code Char")
    return {
        "headings": sum(s.startswith("Heading") for s in styles),
        "code_lines": sum(s == "Code" for s in styles),
        "tables": len(document.element.body.findall(".//" + qn("w:tbl"))),
        "links": len(document.element.body.findall(".//" + qn("w:hyperlink"))),
        "syntax": len(SYNTAX.findall(text)),
    }


def _outline_size(outline) -> int:
    return sum(_outline_size(item) if isinstance(item, list) else 1 for item in outline)


def pdf_counts(path: Path) -> dict[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    uris = 0
    table_pages = []
    text = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            uris += bool(action and "/URI" in action)
        page_text = page.extract_text() or ""
        text.append(page_text)
        if len(table_pages) < 3 and len(re.findall("[|│]", page_text)) >= 12:
            table_pages.append(number)
    aligned, pairs = bars_aligned(path, table_pages)
    return {
        "headings": _outline_size(reader.outline),
        "links": uris,
        "syntax": len(SYNTAX.findall("\n".join(text))),
        "bar_pairs": pairs,
        "bar_aligned": aligned,
        "pages": len(reader.pages),
    }


def bars_aligned(path: Path, pages: list[int]) -> tuple[int, int]:
    """Consecutive lines with the same number of `|` whose bars share their x positions."""
    if not pages:
        return 0, 0
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(item):
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__"):
            for child in item:
                yield from chars(child)

    aligned = pairs = 0
    for page in extract_pages(str(path), page_numbers=pages):
        lines: dict[float, list[float]] = defaultdict(list)
        for char in chars(page):
            if char.get_text() in "|│┃":
                lines[round(char.y0, 1)].append(char.x0)
        rows = sorted(lines.items(), reverse=True)
        for (top, upper), (bottom, lower) in zip(rows, rows[1:]):
            upper, lower = sorted(upper), sorted(lower)
            if len(upper) == len(lower) >= 2 and top - bottom < 16:  # neighbouring lines of one table
                pairs += 1
                aligned += all(abs(a - b) < 0.5 for a, b in zip(upper, lower))
    return aligned, pairs


def measure(source: Path, out: Path, to: str) -> dict[str, dict[str, int]]:
    markdown = format_of(source) == "markdown"
    formats = ("docx", "pdf", "md") if markdown else ("docx", "pdf")
    options = Options(formats=formats, to=to)
    document = process(read(source), options)
    from converter.pipeline import render

    found = {"tree": tree_counts(document)}
    for fmt in ("docx", "pdf"):
        path = out / f"{source.stem}.{fmt}"
        path.write_bytes(render(document, fmt, options))
        found[fmt] = (docx_counts if fmt == "docx" else pdf_counts)(path)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("--to", default="keep")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="zhdoc-structure-"))
    out.mkdir(parents=True, exist_ok=True)
    files = [f for p in args.inputs for f in (sorted(p.glob("*.*")) if p.is_dir() else [p]) if f.is_file()]
    total: dict[str, int] = defaultdict(int)
    header = f"{'file':42} {'heads tree/docx/pdf':>20} {'code/docx':>11} {'tables':>7} {'links tree/docx/pdf':>20}"
    print(header + f" {'syntax docx/prose pdf/all':>26} {'| aligned':>10}")
    for source in files:
        try:
            found = measure(source, out, args.to)
        except Exception as error:  # a benchmark reports and goes on
            print(f"{source.name[:42]:42} failed: {type(error).__name__}: {error}")
            continue
        tree, docx, pdf = found["tree"], found["docx"], found["pdf"]
        for name, value in [*(("tree_" + k, v) for k, v in tree.items()), *(("docx_" + k, v) for k, v in docx.items())]:
            total[name] += value
        for name, value in pdf.items():
            total["pdf_" + name] += value
        print(
            f"{source.name[:42]:42} {tree['headings']:>6}/{docx['headings']:>6}/{pdf['headings']:>6}"
            f" {tree['code_lines']:>5}/{docx['code_lines']:>5} {tree['tables']:>3}/{docx['tables']:>3}"
            f" {tree['links']:>6}/{docx['links']:>6}/{pdf['links']:>6}"
            f" {docx['syntax']:>6}/{tree['prose_syntax']:<6} {pdf['syntax']:>6}/{tree['all_syntax']:<6}"
            f" {pdf['bar_aligned']:>4}/{pdf['bar_pairs']:<5}"
        )

    def share(part: str, whole: str) -> str:
        return f"{100 * total[part] / total[whole]:.1f} %" if total[whole] else "n/a"

    print(f"\n{len(files)} files; outputs in {out}")
    print(f"headings with a Heading style in DOCX: {share('docx_headings', 'tree_headings')}")
    print(f"headings in the PDF outline: {share('pdf_headings', 'tree_headings')}")
    print(f"code lines in the Code style (monospace) in DOCX: {share('docx_code_lines', 'tree_code_lines')}")
    print(f"tables as DOCX tables: {share('docx_tables', 'tree_tables')}")
    print(f"links as DOCX hyperlinks: {share('docx_links', 'tree_links')}")
    print(f"links as PDF link annotations (wrapped links count once per line): {share('pdf_links', 'tree_links')}")
    print(
        f"Markdown/HTML syntax in DOCX text outside code: {total['docx_syntax']}"
        f" (written literally in the prose: {total['tree_prose_syntax']});"
        f" in PDF text: {total['pdf_syntax']} (in the whole tree, code included: {total['tree_all_syntax']})"
    )
    print(f"`|` columns aligned in the PDF: {total['pdf_bar_aligned']}/{total['pdf_bar_pairs']} line pairs")


if __name__ == "__main__":
    main()
