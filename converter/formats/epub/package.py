"""An EPUB (2 or 3) opened safely: the zip read within the limits of every archive
(``converter.archive``), ``META-INF/container.xml`` → the package
document (OPF) → its manifest and spine. Every XML part is parsed as XML, never as HTML, with entities
left unresolved, no DTD loaded and no network; a DOCTYPE that declares entities of its own is refused.
DRM (``META-INF/encryption.xml`` covering more than fonts) is refused too.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import unquote

from lxml import etree

from ... import archive
from ...archive import check_declared, read_member
from ...errors import InputError

CONTAINER = "META-INF/container.xml"
ENCRYPTION = "META-INF/encryption.xml"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
FONT_TYPES = re.compile(r"(?i)\.(otf|ttf|woff2?|ttc)$")
CONTENT_TYPES = ("application/xhtml+xml", "text/html")


@dataclass(frozen=True)
class Item:
    id: str
    path: str  # inside the zip
    media_type: str
    properties: str = ""


@dataclass
class Package:
    """What the reader and the in-place writer need of a book."""

    zip: zipfile.ZipFile
    source: str
    opf: str  # the package document's path in the zip
    opf_tree: etree._Element
    items: dict[str, Item] = field(default_factory=dict)  # by id
    spine: list[str] = field(default_factory=list)  # content documents' paths, in reading order
    nav: str = ""  # EPUB 3 navigation document
    ncx: str = ""  # EPUB 2 table of contents
    missing: list[str] = field(default_factory=list)  # the spine's entries that name no part of the book

    def read(self, name: str) -> bytes:
        """A part's bytes, read no further than its declared size allows."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise InputError(self.source, "{part} is missing from the book", part=name) from None
        try:
            return read_member(self.zip, info, archive.MAX_PART, self.source)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
            raise InputError(self.source, "{part} is damaged and cannot be read", part=name) from None

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.read(name), self.source, name)


def parse_xml(data: bytes, source: str, name: str) -> etree._Element:
    """A part parsed as XML (entities unresolved, no DTD, no network); a one-line error naming the part."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InputError(source, "{part}: not well-formed XML ({error})", part=name, error=_first_line(error)) from None
    if root is None:
        raise InputError(source, "{part}: empty", part=name)
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise InputError(source, "{part}: a DOCTYPE declaring its own entities is not accepted", part=name)
    return root


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


def open_zip(data: bytes, source: str) -> zipfile.ZipFile:
    """The book's zip, its members checked against the caps before anything is read."""
    try:
        book = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(source, "not an EPUB (not a zip archive)") from None
    check_declared(book.infolist(), len(data), source)
    return book


def open_package(data: bytes, source: str) -> Package:
    book = open_zip(data, source)
    names = set(book.namelist())
    if CONTAINER not in names:
        raise InputError(source, "not an EPUB: {part} is missing", part=CONTAINER)
    probe = Package(book, source, "", etree.Element("x"))
    container = probe.xml(CONTAINER)
    rootfile = next((e for e in container.iter("{*}rootfile") if e.get("full-path")), None)
    opf = unquote(rootfile.get("full-path", "")) if rootfile is not None else ""
    if not opf or opf not in names:
        raise InputError(source, "the package document (OPF) named in {part} is missing", part=CONTAINER)
    if ENCRYPTION in names:
        _refuse_drm(probe, names)
    package = Package(book, source, opf, probe.xml(opf))
    _read_manifest(package, names)
    return package


def _refuse_drm(probe: Package, names: set[str]) -> None:
    """Font obfuscation is allowed; any other encrypted part is DRM."""
    for data in probe.xml(ENCRYPTION).iter("{*}EncryptedData"):
        method = data.find("{*}EncryptionMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        reference = data.find(".//{*}CipherReference")
        target = unquote(reference.get("URI", "")) if reference is not None else ""
        if algorithm not in FONT_OBFUSCATION or not FONT_TYPES.search(target.split("#")[0].split("?")[0]):
            raise InputError(probe.source, "encrypted (DRM): {part} cannot be read", part=target or ENCRYPTION)


def _read_manifest(package: Package, names: set[str]) -> None:
    root = package.opf_tree
    folder = posixpath.dirname(package.opf)
    for element in root.iter(f"{{{OPF}}}item"):
        href = element.get("href", "")
        if not href or ":" in href.split("/")[0]:  # a remote resource
            continue
        path = posixpath.normpath(posixpath.join(folder, unquote(href.split("#")[0])))
        item = Item(element.get("id", ""), path, element.get("media-type", ""), element.get("properties", ""))
        package.items[item.id] = item
        if "nav" in item.properties.split():
            package.nav = path
        if item.media_type == "application/x-dtbncx+xml":
            package.ncx = path
    spine = root.find(f"{{{OPF}}}spine")
    if spine is None:
        raise InputError(package.source, "{part}: no spine", part=package.opf)
    toc = spine.get("toc", "")
    if toc in package.items:
        package.ncx = package.items[toc].path
    for itemref in spine.iter(f"{{{OPF}}}itemref"):
        item = package.items.get(itemref.get("idref", ""))
        if item is None or item.path not in names:
            package.missing.append(item.path if item else itemref.get("idref", ""))
        elif item.media_type in CONTENT_TYPES and item.path in names and item.path not in package.spine:
            package.spine.append(item.path)


def metadata(package: Package, name: str) -> list[str]:
    """The texts of a Dublin Core element of the book (title, creator, language…)."""
    return [(e.text or "").strip() for e in package.opf_tree.iter(f"{{{DC}}}{name}")]
