"""The members of a Word package, inflated within limits, and its XML parts parsed without DTDs.

The limits are those of every archive zhdoc reads (``converter.archive``).
OOXML parts never carry a DTD: a DOCTYPE (and so any entity declaration) is refused, as is any part that
is not well-formed XML; nothing is ever recovered.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ... import archive as archive_limits
from ...archive import check_declared, read_member
from ...errors import InputError
from ...i18n import Text

XML_SUFFIXES = (".xml", ".rels")
DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False, recover=False
)


def inflate(data: bytes, source: str) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """The members of a zip (infos in order, and bytes by name), each checked against the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        check_declared(infos, len(data), source)
        members: dict[str, bytes] = {}
        left = archive_limits.total_limit(len(data))
        for info in infos:
            members[info.filename] = read_member(archive, info, min(archive_limits.MAX_PART, left), source)
            left -= len(members[info.filename])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise InputError(source, "not a readable .docx (corrupt zip: {error})", error=str(error)) from None
    except RuntimeError:  # zipfile's word for a member encrypted with a zip password
        raise InputError(source, "encrypted (password-protected) Word document; remove the password first") from None
    return infos, members


def is_xml_part(name: str) -> bool:
    return name.lower().endswith(XML_SUFFIXES)


def parse_part(name: str, data: bytes, source: str) -> etree._Element:
    """One XML part parsed: entities never resolved, no DTD, no recovery; an error names the part."""
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as error:
        if any(mark in data for mark in DOCTYPE_MARKS):  # such as entity expansion stopped by libxml2
            raise InputError(source, Text("corrupt .docx: {part} declares a DTD", part=name)) from None
        problem = Text("{part} is not well-formed XML ({error})", part=name, error=str(error))
        if "Excessive depth" in str(error):  # libxml2's own limit, even with huge_tree
            problem = Text("{part} nests elements too deeply", part=name)
        raise InputError(source, Text("corrupt .docx: {problem}", problem=problem)) from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise InputError(source, Text("corrupt .docx: {part} declares a DTD", part=name))
    return root
