"""EPUB in place, zhdoc beside epubhv, on real books: Debian's XHTML documentation made into EPUBs.

    python benchmarks/epub.py [--epubhv PATH]

Fetches two Debian packages of HTML documentation (apt-get download: the New Maintainers' Guide in
Traditional Chinese, the Debian Reference in Simplified), makes each an EPUB 2 (``epub_book.py``), then
converts each to the other script with zhdoc (in place, and with ``--vertical``) and with epubhv, and
measures for every output:

- epubcheck: messages the input did not have (by code, part and text; positions aside);
- content documents whose markup is identical to the input's apart from language tags (and the alt and
  title attributes, which are text);
- text nodes equal to OpenCC's conversion of the input's (outside pre, code and SVG);
- parts other than content documents kept byte for byte, and the zip's order;
- time (one run each, wall clock, this machine).

epubhv (PyPI) pins lxml 4.9.3 and installs opencc-python-reimplemented, whose ``opencc`` module replaces
OpenCC's: install it in a virtual environment of its own (``python -m venv /tmp/hv && /tmp/hv/bin/pip
install epubhv``) and pass its ``epubhv`` with ``--epubhv``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from io import BytesIO
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.epub_book import build  # noqa: E402
from converter.formats.epub.patch import patch  # noqa: E402
from converter.formats.html.source import MARKUP, is_text_slot, local, slot_text, slots  # noqa: E402
from converter.formats.html.splice import SHOWN  # noqa: E402
from converter.options import Options  # noqa: E402
from converter.pipeline import process  # noqa: E402
from converter.readers import read  # noqa: E402
from converter.script import convert, detect  # noqa: E402

DOCS = Path(__file__).resolve().parent / "docs" / "epub"
BOOKS = {  # package → (folder inside it, language, target script, epubhv's conversion)
    "maint-guide-zh-tw": ("usr/share/doc/maint-guide-zh-tw/html", "zh-TW", "simplified", "t2s"),
    "debian-reference-zh-cn": ("usr/share/debian-reference", "zh-CN", "traditional", "s2tw"),
}
CONTENT = (".html", ".xhtml", ".htm")


def fetch() -> dict[str, tuple[Path, str, str]]:
    """Each book made from its Debian package: path → (book, target, epubhv conversion)."""
    DOCS.mkdir(parents=True, exist_ok=True)
    books = {}
    for package, (folder, language, target, hv) in BOOKS.items():
        book = DOCS / f"{package}.epub"
        if not book.exists():
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run(["apt-get", "download", package], cwd=tmp, check=True, capture_output=True)
                deb = next(Path(tmp).glob("*.deb"))
                subprocess.run(["dpkg-deb", "-x", str(deb), tmp], check=True)
                pages = Path(tmp) / "pages"
                pages.mkdir()
                source = Path(tmp) / folder
                for page in source.glob(f"*{language.lower()}.html"):
                    shutil.copy(page, pages / page.name)
                for other in source.iterdir():
                    if other.is_dir():
                        shutil.copytree(other, pages / other.name)
                    elif other.suffix == ".css":
                        shutil.copy(other, pages / other.name)
                build(pages, book, language)
        books[package] = (book, target, hv)
    return books


def epubcheck(book: Path) -> set[tuple[str, str, str]]:
    run = subprocess.run(["java", "-jar", "/usr/bin/epubcheck", str(book)], capture_output=True, text=True)
    found = set()
    for line in (run.stdout + run.stderr).splitlines():
        match = re.match(r"(ERROR|WARNING|FATAL)\((\S+)\): (.*?\.epub/)?([^(:]*)(?:\(\d+,\d+\))?: (.*)", line)
        if match:
            found.add((match.group(2), match.group(4), match.group(5)))
    return found


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as book:
        return {info.filename: book.read(info) for info in book.infolist() if not info.is_dir()}


def markup(text: str) -> list[str]:
    tags = [SHOWN.sub(" alt=''", m.group(0)) for m in MARKUP.finditer(text)]
    return [re.sub(r"""(\s(?:xml:)?lang=)(["'])[^"']*\2""", r"\1''", tag) for tag in tags]


def _plain(node, tail: bool) -> bool:
    holder = node.getparent() if tail else node
    return not any(local(e.tag) in ("pre", "code", "svg", "script", "style") for e in [holder, *holder.iterancestors()])


def _texts(root) -> list[str]:
    """The text nodes outside code, white space runs made one space (a serializer that indents moves them)."""
    texts = [slot_text(n, t) for n, t in slots(root) if is_text_slot(n, t) and _plain(n, t)]
    return [" ".join(text.split()) for text in texts if text.strip()]


def text_nodes(before: bytes, after: bytes, target: str) -> tuple[int, int]:
    """(text nodes equal to OpenCC's conversion of the input's, text nodes) of one content document."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=True)
    old, new = etree.fromstring(before, parser), etree.fromstring(after, parser)
    if old is None or new is None:
        return 0, 0
    a, b = _texts(old), _texts(new)
    source = detect("".join(a))
    if len(a) != len(b):  # a serializer that moved text between nodes: compare what it has, in order
        expected = [convert(t, target, source) for t in a]
        return sum(x in b for x in expected), len(a)
    return sum(convert(x, target, source) == y for x, y in zip(a, b)), len(a)


def measure(name: str, original: Path, output: Path, target: str, seconds: float, before: set) -> dict:
    old, new = members(original.read_bytes()), members(output.read_bytes())
    contents = [n for n in old if n.endswith(CONTENT)]
    same_markup = sum(
        n in new and markup(old[n].decode("utf-8")) == markup(new[n].decode("utf-8", "replace")) for n in contents
    )
    equal = total = 0
    for n in contents:
        if n in new:
            e, t = text_nodes(old[n], new[n], target)
            equal, total = equal + e, total + t
    others = [n for n in old if not n.endswith(CONTENT + (".opf", ".ncx"))]
    kept = sum(old[n] == new.get(n) for n in others)
    after = epubcheck(output)
    opf = next(n for n in new if n.endswith(".opf"))
    title = re.search(r"<dc:title[^>]*>([^<]*)<", new[opf].decode("utf-8"))
    language = re.search(r"<dc:language[^>]*>([^<]*)<", new[opf].decode("utf-8"))
    return {
        "tool": name,
        "seconds": round(seconds, 2),
        "new epubcheck messages": len(after - before),
        "markup identical": f"{same_markup}/{len(contents)}",
        "text nodes as OpenCC": f"{equal}/{total} ({equal / max(total, 1):.1%})",
        "other parts byte for byte": f"{kept}/{len(others)}",
        "zip order kept": list(old) == [n for n in new if n in old],
        "title, language": f"{title.group(1) if title else ''}, {language.group(1) if language else ''}",
        "examples": sorted(after - before)[:3],
    }


def zhdoc(book: Path, target: str, out: Path, mode: str | None = None) -> float:
    options = Options(formats=("txt",), to=target, repair=False, writing_mode=mode)
    started = time.perf_counter()
    out.write_bytes(patch(process(read(book), options), options))
    return time.perf_counter() - started


def epubhv(command: str, book: Path, conversion: str, folder: Path) -> tuple[Path, float]:
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([command, "--convert", conversion, "-d", str(folder), str(book)], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    return next(folder.glob("*.epub")), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epubhv", default=shutil.which("epubhv"), help="epubhv's command (its own venv)")
    args = parser.parse_args()
    out = DOCS / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for package, (book, target, hv) in fetch().items():
        before = epubcheck(book)
        print(f"\n{package}: {book.stat().st_size // 1024} KB, epubcheck {len(before)} messages before; to {target}")
        for name, mode in (("zhdoc", None), ("zhdoc --vertical", "vertical")):
            path = out / f"{package}.{mode or 'zhdoc'}.epub"
            print(measure(name, book, path, target, zhdoc(book, target, path, mode), before))
        if args.epubhv:
            path, seconds = epubhv(args.epubhv, book, hv, out / f"{package}.epubhv")
            print(measure(f"epubhv --convert {hv}", book, path, target, seconds, before))


if __name__ == "__main__":
    main()
