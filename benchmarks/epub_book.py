"""Make a real EPUB 2 out of a folder of Debian's XHTML documentation (what calibre or pandoc would make
of it, without either): every page a content document in the order the index links them, the style sheet
and images as they are, an NCX from the pages' titles.

    python benchmarks/epub_book.py /usr/share/doc/maint-guide-zh-tw/html book.epub --language zh-TW

(``benchmarks/epub.py`` fetches the Debian packages and calls this.)
"""

from __future__ import annotations

import argparse
import re
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

MEDIA = {".css": "text/css", ".png": "image/png", ".gif": "image/gif", ".jpg": "image/jpeg", ".svg": "image/svg+xml"}


def reading_order(folder: Path) -> list[Path]:
    pages = sorted(folder.glob("*.html"))
    index = next((p for p in pages if p.name.startswith("index")), pages[0])
    order = [index]
    for href in re.findall(r'href="([^"#:]+\.html)', index.read_text("utf-8")):
        page = folder / href
        if page.exists() and page not in order:
            order.append(page)
    return order + [p for p in pages if p not in order]


def title_of(page: Path) -> str:
    root = etree.parse(str(page), etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False))
    title = root.find(".//{*}title")
    return " ".join("".join(title.itertext()).split()) if title is not None else page.stem


def build(folder: Path, out: Path, language: str) -> None:
    pages = reading_order(folder)
    others = [p for p in sorted(folder.rglob("*")) if p.suffix.lower() in MEDIA and p.is_file()]
    uid = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, str(folder))}"
    titles = [title_of(p) for p in pages]
    items = [f'<item id="p{i}" href="{p.name}" media-type="application/xhtml+xml"/>' for i, p in enumerate(pages)]
    items += [
        f'<item id="r{i}" href="{p.relative_to(folder).as_posix()}" media-type="{MEDIA[p.suffix.lower()]}"/>'
        for i, p in enumerate(others)
    ]
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:identifier id="uid" opf:scheme="UUID">{uid}</dc:identifier>
    <dc:title>{escape(titles[0])}</dc:title>
    <dc:creator opf:role="aut">Debian</dc:creator>
    <dc:language>{language}</dc:language>
    <dc:subject>Debian</dc:subject>
  </metadata>
  <manifest>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    {chr(10).join("    " + i for i in items).strip()}
  </manifest>
  <spine toc="ncx">
{chr(10).join(f'    <itemref idref="p{i}"/>' for i in range(len(pages)))}
  </spine>
</package>
"""
    points = "\n".join(
        f'    <navPoint id="n{i}" playOrder="{i + 1}"><navLabel><text>{escape(t)}</text></navLabel>'
        f'<content src="{p.name}"/></navPoint>'
        for i, (p, t) in enumerate(zip(pages, titles))
    )
    ncx = f"""<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="{language}">
  <head><meta name="dtb:uid" content="{uid}"/><meta name="dtb:depth" content="1"/>
  <meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" content="0"/></head>
  <docTitle><text>{escape(titles[0])}</text></docTitle>
  <navMap>
{points}
  </navMap>
</ncx>
"""
    container = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", container)
        book.writestr("OEBPS/content.opf", opf)
        book.writestr("OEBPS/toc.ncx", ncx)
        for page in pages:
            book.writestr(f"OEBPS/{page.name}", page.read_bytes())
        for other in others:
            book.writestr(f"OEBPS/{other.relative_to(folder).as_posix()}", other.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--language", default="zh-CN")
    args = parser.parse_args()
    build(args.folder, args.out, args.language)


if __name__ == "__main__":
    main()
