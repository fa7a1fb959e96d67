"""Zip archives (Word packages, EPUB books) read within limits.

The limits are module constants (a test may lower them): no member inflates past ``MAX_PART``; all the
members together inflate to at most ``MAX_RATIO`` times the archive's size (never less than ``MIN_TOTAL``,
never more than ``MAX_TOTAL``); at most ``MAX_MEMBERS`` members. Each is checked against the sizes the zip
declares before anything is inflated (``check_declared``), then enforced while inflating (``read_member``),
so that a header that lies cannot inflate past them.
"""

from __future__ import annotations

import zipfile

from .errors import InputError
from .i18n import Text

MIB = 1024 * 1024
MAX_PART = 256 * MIB  # one member, inflated
MAX_RATIO = 100  # all members, inflated, against the archive's own size…
MIN_TOTAL = 64 * MIB  # …but a small file may always inflate to this much…
MAX_TOTAL = 2048 * MIB  # …and no file to more than this
MAX_MEMBERS = 20_000


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


def check_declared(infos: list[zipfile.ZipInfo], archive_size: int, source: str) -> None:
    """Refuse an archive whose declared sizes pass a limit, before anything is inflated."""
    if len(infos) > MAX_MEMBERS:
        raise InputError(source, "too large: more than {count} parts", count=MAX_MEMBERS)
    unsafe = next((info.filename for info in infos if unsafe_name(info.filename)), None)
    if unsafe is not None:  # never a part of a valid package; copied on, it would escape whoever unzips the output
        raise InputError(source, "a part named outside the archive: {part}", part=unsafe)
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


def unsafe_name(name: str) -> bool:
    """A member name that leads out of the folder it would be unzipped to: absolute, with a drive, a
    backslash, a NUL or a ``..`` segment.

    >>> [unsafe_name(n) for n in ("OEBPS/a.xhtml", "../x", "/etc/x", "word/../../x", "C:/x", "a\\\\b", "a..b")]
    [False, True, True, True, True, True, False]
    """
    if name.startswith("/") or "\\" in name or "\0" in name or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in name.split("/")


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, source: str) -> bytes:
    """One member, never inflating more than ``limit`` + 1 bytes (zipfile stops at the declared size too)."""
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(source, info.filename, limit)
    return data


def too_large(source: str, part: str, limit: int) -> InputError:
    problem = Text("too large: {part} inflates to more than {limit}", part=part, limit=size_text(limit))
    return InputError(source, problem)
