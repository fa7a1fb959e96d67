"""EPUB in, EPUB out: the same book with only its text changed (and, if asked, its writing mode).

Every content document of the spine is parsed again as the reader parsed it; each text node the tree
holds gets the text of its spans (repaired and converted), the text it does not hold (titles, the
navigation document, the NCX) is converted by OpenCC, never inside code or SVG. Only the characters that
changed are rewritten in each source (``html.splice``): entities, CDATA, SVG names, ids and hrefs stay as
they were. ``lang`` / ``xml:lang`` and ``dc:language`` are retagged; the package document's title,
creators, description and subjects converted. Every other part (CSS, fonts, images) is copied as it is,
in the same order, ``mimetype`` first and stored.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO

from lxml import etree

from ...document import Document
from ...errors import InputError
from ...options import Options
from ...script import convert, detect
from ..html.source import is_text_slot, local, slot_text, slots
from ..html.splice import patch_source, slot_changes
from .layout import css_path, link_stylesheet, package_layout, stylesheet
from .package import DC, Package, open_package
from .read import chapter_blocks, chapters

MIMETYPE = b"application/epub+zip"
CONVERTED_METADATA = frozenset({"title", "creator", "contributor", "description", "subject"})


def patch(document: Document, options: Options) -> bytes:
    """The original book with the document's text written into its content documents."""
    package = open_package(document.package, document.source)
    roots = chapters(package)
    original = tuple(b for index, root in enumerate(roots) for b in chapter_blocks(package, index, root, False))
    if len(list(_units(original))) != len(list(_units(document.blocks))):
        raise InputError(document.source, "the book changed shape between reading and writing")
    changes = slot_changes(original, document.blocks)
    other = _converter(roots, options.to)
    language = document.language if options.to != "keep" else ""
    mode = options.writing_mode
    css = css_path(package.opf)
    parts: dict[str, bytes] = {}
    for index, (name, root) in enumerate(zip(package.spine, roots)):
        text, codec = _text(package, name, root)
        patched, _, _ = patch_source(text, root, changes, index, other, language, xml=True)
        if mode:
            patched = link_stylesheet(patched, name, css)
        if patched != text:
            parts[name] = patched.encode(codec, errors="xmlcharrefreplace")
    for name in {package.nav, package.ncx} - {""} - set(package.spine):
        root = package.xml(name)
        text, codec = _text(package, name, root)
        patched, _, _ = patch_source(text, root, {}, -1, other, language, xml=True)
        if patched != text:
            parts[name] = patched.encode(codec, errors="xmlcharrefreplace")
    opf_text, codec = _text(package, package.opf, package.opf_tree)
    opf = _patch_metadata(opf_text, package.opf_tree, other, language)
    if mode:
        opf = package_layout(opf, mode)
        parts[css] = stylesheet(mode)
    if opf != opf_text:
        parts[package.opf] = opf.encode(codec, errors="xmlcharrefreplace")
    return write_book(package, parts) if parts else document.package


def _units(blocks):
    from ...document import units

    return units(blocks)


def _text(package: Package, name: str, root: etree._Element) -> tuple[str, str]:
    """A part's source text and its encoding (as its XML declaration says; UTF-8 by default)."""
    codec = root.getroottree().docinfo.encoding or "utf-8"
    data = package.read(name)
    if codec.lower() in ("utf-8", "utf8") and data.startswith(b"\xef\xbb\xbf"):
        codec = "utf-8-sig"  # (written back with its byte order mark)
    try:
        return data.decode(codec), codec
    except (LookupError, UnicodeDecodeError):
        raise InputError(package.source, "{part}: not valid {codec}", part=name, codec=codec) from None


def _converter(roots: list[etree._Element], target: str) -> Callable[[str], str] | None:
    if target == "keep":
        return None
    sample = "".join(slot_text(n, t) for root in roots[:20] for n, t in slots(root) if is_text_slot(n, t))
    source = detect(sample)
    return lambda text: convert(text, target, source)


def _patch_metadata(text: str, root: etree._Element, other: Callable[[str], str] | None, language: str) -> str:
    """The package document with its title, creators, description and subjects converted, its Chinese
    ``dc:language`` and ``xml:lang`` retagged."""
    changes: dict[tuple[int, int], tuple[str, str]] = {}
    for number, (node, tail) in enumerate(slots(root)):
        raw = slot_text(node, tail)
        if tail or not raw.strip() or not isinstance(node.tag, str) or not node.tag.startswith(f"{{{DC}}}"):
            continue
        name = local(node.tag)
        if name in CONVERTED_METADATA and other is not None:
            changes[(0, number)] = (raw, other(raw))
        elif name == "language" and language and raw.strip().lower().startswith("zh"):
            changes[(0, number)] = (raw, raw.replace(raw.strip(), language))
    patched, _, _ = patch_source(text, root, changes, 0, None, language, xml=True)
    return patched


def write_book(package: Package, parts: dict[str, bytes]) -> bytes:
    """The book's zip again: every part in its order, the changed ones replaced, new ones at the end;
    ``mimetype`` first and stored."""
    out = BytesIO()
    infos = package.zip.infolist()
    infos.sort(key=lambda info: info.filename != "mimetype")  # (stable: the others keep their order)
    with zipfile.ZipFile(out, "w") as book:
        if not any(info.filename == "mimetype" for info in infos):  # (a book read without one is written with one)
            book.writestr(zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0)), MIMETYPE)
        written: set[str] = set()
        for info in infos:
            if info.is_dir() or info.filename in written:  # (a name twice: the reader read its last, written once)
                continue
            written.add(info.filename)
            data = parts.pop(info.filename) if info.filename in parts else package.read(info.filename)
            book.writestr(_info(info), data)
        for name, data in parts.items():
            book.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _info(old: zipfile.ZipInfo) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(old.filename, date_time=old.date_time)
    info.compress_type = zipfile.ZIP_STORED if old.filename == "mimetype" else old.compress_type
    info.external_attr = old.external_attr
    info.comment = old.comment
    return info
