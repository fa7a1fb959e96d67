"""The members of a Word package, inflated within limits, and its XML parts parsed without DTDs.

Limits (module constants, so that a test can lower them): no member inflates past ``MAX_PART``; all the
members together inflate to at most ``MAX_RATIO`` times the archive's size (never less than ``MIN_TOTAL``,
never more than ``MAX_TOTAL``). Each is checked against the sizes the zip declares before anything is
inflated, then enforced while inflating, so that a header that lies cannot inflate past them.
OOXML parts never carry a DTD: a DOCTYPE (and so any entity declaration) is refused, as is any part that
is not well-formed XML; nothing is ever recovered.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ...errors import InputError
from ...i18n import Text

MIB = 1024 * 1024
MAX_PART = 256 * MIB  # one member, inflated
MAX_RATIO = 100  # all members, inflated, against the archive's own size…
MIN_TOTAL = 64 * MIB  # …but a small file may always inflate to this much…
MAX_TOTAL = 2048 * MIB  # …and no file to more than this
XML_SUFFIXES = (".xml", ".rels")
DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False, recover=False
)


def size_text(size: int) -> str:
    """A byte count for a message.

    >>> size_text(300 * MIB), size_text(1536), size_text(2 * 1024 * MIB)
    ('300 MB', '1.5 KB', '2048 MB')
    """
    if size >= MIB:
        return f"{size / MIB:.0f} MB"
    return f"{size / 1024:.1f} KB"


def total_limit(archive_size: int) -> int:
    """How much all the members of an archive of ``archive_size`` bytes may inflate to.

    >>> total_limit(10_000) == MIN_TOTAL, total_limit(2 * MIB) // MIB, total_limit(100 * MIB) // MIB
    (True, 200, 2048)
    """
    return min(MAX_TOTAL, max(MIN_TOTAL, MAX_RATIO * archive_size))


def inflate(data: bytes, source: str) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """The members of a zip (infos in order, and bytes by name), each checked against the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        check_declared(infos, len(data), source)
        members: dict[str, bytes] = {}
        left = total_limit(len(data))
        for info in infos:
            members[info.filename] = _bounded(archive, info, min(MAX_PART, left), source)
            left -= len(members[info.filename])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise InputError(source, "not a readable .docx (corrupt zip: {error})", error=str(error)) from None
    except RuntimeError:  # zipfile's word for a member encrypted with a zip password
        raise InputError(source, "encrypted (password-protected) Word document; remove the password first") from None
    return infos, members


def check_declared(infos: list[zipfile.ZipInfo], archive_size: int, source: str) -> None:
    """Refuse an archive whose declared sizes pass a limit, before anything is inflated."""
    for info in infos:
        if info.file_size > MAX_PART:
            raise too_large(source, info.filename, MAX_PART)
    declared, limit = sum(info.file_size for info in infos), total_limit(archive_size)
    if declared > limit:
        raise InputError(
            source,
            Text(
                "too large: its parts inflate to {size} in all (the limit for a file of this size is {limit})",
                size=size_text(declared),
                limit=size_text(limit),
            ),
        )


def _bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, source: str) -> bytes:
    """One member, never inflating more than ``limit`` + 1 bytes (zipfile stops at the declared size too)."""
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(source, info.filename, limit)
    return data


def too_large(source: str, part: str, limit: int) -> InputError:
    problem = Text("too large: {part} inflates to more than {limit}", part=part, limit=size_text(limit))
    return InputError(source, problem)


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
