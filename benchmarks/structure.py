"""How well the plain-text reader keeps the structure of a real manual (issue 9, "done when").

    python benchmarks/structure.py TEXT [--html HTML ...]

TEXT is a plain-text rendering of a document (e.g. the Debian Reference as shipped in
debian-reference-zh-cn, /usr/share/debian-reference/debian-reference.zh-cn.txt.gz, or an HTML chapter
dumped with ``w3m -dump -cols 80``). HTML is the source it was rendered from (files or folders of
``*.html``); without it only the measures that need no source are given. The text goes through what
``zhdoc clean TEXT`` does (read, repair, script kept) and the measures compare TEXT with the TXT output.

Where the ground truth comes from:

- table lines: every line of TEXT from a table's top border (``+---``/``┌──``) to the next blank line,
  whatever the lines between look like. A renderer draws
  HTML tables this way, so the borders find the tables without asking the reader.
- shell lines: with HTML, every line of every ``<pre>`` that is a line of TEXT (stripped), counted with
  its multiplicity; the prompt lines among them (``$ ``, ``# ``) are given too. Without HTML, the lines
  of TEXT that start with a ``$ ``/``# `` prompt.
- headings: the text of every ``<h1>``–``<h6>`` that is a line of TEXT (spaces aside), but the names
  of a title page (DocBook's ``<h3 class="author">``, ``othercredit``, ``editor``).
- contents lines: the ``<dt>`` entries of the contents lists (``div.toc``, ``div.list-of-*``) that are
  lines of TEXT (spaces aside).
- wrapped paragraphs: every ``<p>`` outside tables whose text (spaces aside) is exactly two or more whole
  consecutive lines of TEXT.
- characters lost: every non-space character of TEXT minus those of the output, as a multiset, with NFKC
  and full-width/ASCII marks folded (mark width aside), as the repository's before-stop check counts.

A line "comes out verbatim" when the output has it as a line (stripped of the indentation, counted with
multiplicity); a heading or contents line "stays a line of its own" when the output has a line equal to
it (spaces and mark width aside); a paragraph is "joined" when the output has it as one line (a list
marker in front allowed). The time to read (parse only) and to clean the whole text is printed too.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from converter.document import Heading  # noqa: E402
from converter.options import Options  # noqa: E402
from converter.pipeline import clean_source  # noqa: E402
from converter.readers import read  # noqa: E402

FOLD = str.maketrans("，。：；？！（）“”‘’、", ",.:;?!()\"\"'',")
PROMPT = re.compile(r"[$#] \S")
TOP = re.compile(r"\+-|┌─|┏━|╔═")
# DocBook draws a title page's names as <h3 class="author">: front matter, not headings (issue 21)
CREDITS = frozenset({"author", "othercredit", "editor", "corpauthor", "collab"})
MARKER = re.compile(r"^(?:[*\-•·+]|\d{1,3}[.)]|[（(]\d{1,3}[）)])\s*")


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(FOLD)


def key(text: str) -> str:
    """A line compared spaces and mark width aside."""
    return "".join(folded(text).split())


def char_count(text: str) -> Counter:
    return Counter(c for c in folded(text) if not c.isspace())


class Source(HTMLParser):
    """Headings, contents entries, <pre> lines and paragraphs of the HTML the text was rendered from."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.contents: list[str] = []
        self.pre: list[str] = []
        self.paragraphs: list[str] = []
        self.stack: list[tuple[str, str]] = []
        self.buffers: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs) -> None:
        self.stack.append((tag, dict(attrs).get("class") or ""))
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6", "pre", "p", "dt"}:
            self.buffers[tag] = []

    def handle_startendtag(self, tag: str, attrs) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        cls = ""
        while self.stack:
            opened, cls = self.stack.pop()
            if opened == tag:
                break
        text = "".join(self.buffers.pop(tag, [])) if tag in self.buffers else None
        if text is None:
            return
        if tag == "pre":
            self.pre += [line.rstrip() for line in text.split("\n") if line.strip()]
        elif tag == "dt" and self.inside_contents():
            self.contents.append(" ".join(text.split()))
        elif tag == "p" and not any(opened in {"table", "pre"} for opened, _ in self.stack):
            self.paragraphs.append(text)
        elif tag.startswith("h") and cls not in CREDITS:
            self.headings.append(" ".join(text.split()))

    def inside_contents(self) -> bool:
        return any(opened == "div" and ("toc" in cls or "list-of" in cls) for opened, cls in self.stack)

    def handle_data(self, data: str) -> None:
        for buffer in self.buffers.values():
            buffer.append(data)


def table_lines(lines: list[str]) -> list[str]:
    """Lines from a table's top border up to the next blank line (a renderer leaves one after a table)."""
    out, index = [], 0
    while index < len(lines):
        if TOP.match(lines[index].strip()):
            end = index
            while end < len(lines) and lines[end].strip():
                end += 1
            out += [line.strip() for line in lines[index:end]]
            index = end
        else:
            index += 1
    return out


def verbatim_share(expected: list[str], output: Counter) -> tuple[int, int]:
    wanted = Counter(expected)
    return sum(min(n, output[line]) for line, n in wanted.items()), sum(wanted.values())


def own_line_share(expected: list[str], input_keys: Counter, output_keys: Counter) -> tuple[int, int]:
    found = Counter(key(entry) for entry in expected if input_keys[key(entry)])
    found = Counter({k: min(n, input_keys[k]) for k, n in found.items()})
    return sum(min(n, output_keys[k]) for k, n in found.items()), sum(found.values())


def wrapped_paragraphs(paragraphs: list[str], lines: list[str]) -> list[str]:
    """The paragraphs that are two or more whole consecutive lines of the text (spaces aside)."""
    keys = [key(line) for line in lines]
    starts, joined, at = set(), [], 0
    ends = set()
    for k in keys:
        if k:
            starts.add(at)
        joined.append(k)
        at += len(k)
        if k:
            ends.add(at)
    whole = "".join(joined)
    out = []
    for paragraph in paragraphs:
        k = key(paragraph)
        if len(k) < 2:
            continue
        at = whole.find(k)
        if at in starts and at + len(k) in ends:
            first = next(i for i, n in enumerate(_offsets(joined)) if n == at)
            covered, total = 0, 0
            for line_key in joined[first:]:
                if total >= len(k):
                    break
                total += len(line_key)
                covered += bool(line_key)
            if covered >= 2 and total == len(k):
                out.append(k)
    return out


def _offsets(joined: list[str]):
    at = 0
    for k in joined:
        yield at
        at += len(k)


def html_sources(paths: list[str]) -> Source:
    source = Source()
    for name in paths:
        path = Path(name)
        for file in sorted(path.glob("*.html")) if path.is_dir() else [path]:
            source.feed(file.read_text(encoding="utf-8", errors="replace"))
    return source


def percent(done: int, total: int) -> str:
    return f"{100 * done / total:6.2f} % ({done}/{total})" if total else "   n/a"


def measure(text_path: Path, html: list[str]) -> list[str]:
    text = text_path.read_text(encoding="utf-8")
    start = time.perf_counter()
    read(text_path)
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    _, document = clean_source(text_path, Options())
    clean_seconds = time.perf_counter() - start
    output = document.text
    in_lines, out_lines = text.splitlines(), output.splitlines()
    out_stripped = Counter(line.strip() for line in out_lines)
    out_keys = Counter(key(line) for line in out_lines)
    out_keys.update(key(MARKER.sub("", line.strip())) for line in out_lines if MARKER.match(line.strip()))
    in_stripped = Counter(line.strip() for line in in_lines)
    in_keys = Counter(key(line) for line in in_lines)

    tables = table_lines(in_lines)
    report = [f"{text_path.name}: {len(text):,} characters, {len(in_lines):,} lines"]
    report.append(f"  read {read_seconds:.2f} s, read+repair {clean_seconds:.2f} s")
    report.append(f"  table lines verbatim:        {percent(*verbatim_share(tables, out_stripped))}")
    if html:
        source = html_sources(html)
        pre = [line.strip() for line in source.pre]
        pre = list((Counter(pre) & in_stripped).elements())
        prompts = [line for line in pre if PROMPT.match(line)]
        report.append(f"  shell/pre lines verbatim:    {percent(*verbatim_share(pre, out_stripped))}")
        report.append(f"    of which prompt lines:     {percent(*verbatim_share(prompts, out_stripped))}")
        both = verbatim_share(tables + pre, out_stripped)
        report.append(f"  table + shell lines:         {percent(*both)}")
        report.append(f"  headings on their own line:  {percent(*own_line_share(source.headings, in_keys, out_keys))}")
        report.append(f"  contents on their own line:  {percent(*own_line_share(source.contents, in_keys, out_keys))}")
        heading_keys = Counter(key(block.text) for block in document.blocks if isinstance(block, Heading))
        shown = [h for h in source.headings if in_keys[key(h)]]
        as_heading = sum(1 for h in shown if heading_keys[key(h)])
        report.append(f"  headings read as headings:   {percent(as_heading, len(shown))} (DOCX style, PDF outline)")
        wrapped = wrapped_paragraphs(source.paragraphs, in_lines)
        joined = sum(1 for k in wrapped if out_keys[k])
        report.append(f"  wrapped paragraphs joined:   {percent(joined, len(wrapped))}")
    else:
        prompts = [line.strip() for line in in_lines if PROMPT.match(line.strip())]
        report.append(f"  prompt lines verbatim:       {percent(*verbatim_share(prompts, out_stripped))}")
    lost = char_count(text) - char_count(output)
    total = sum(char_count(text).values())
    report.append(f"  characters lost:             {100 * sum(lost.values()) / total:.4f} % ({sum(lost.values())})")
    removed = sum(len(fix.before) for _, fix in document.fixes)
    report.append(f"    removed or changed by recorded fixes: {removed}; most lost: {lost.most_common(5)}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("text", type=Path)
    parser.add_argument("--html", nargs="*", default=[], help="HTML files or folders the text was rendered from")
    args = parser.parse_args()
    print("\n".join(measure(args.text, args.html)))


if __name__ == "__main__":
    main()
