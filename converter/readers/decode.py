"""Bytes → text: the encoding detected (strict UTF-8 first, BOMs, GB18030 vs Big5, then charset-normalizer)."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from ..errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Decode with the superset of what a detector names: a GB2312 guess may still hold GBK characters.
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}


MAX_INPUT_BYTES = 512 * 1024 * 1024  # an input larger than this is refused as too large, never read


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Opened without blocking and checked
    through the descriptor, so a FIFO, device or socket (even one put in the file's place after it was
    listed) is an error, never a wait or an endless read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None
    try:
        info = os.fstat(fd)
        _check_regular(info, path, limit)
        with open(fd, "rb", buffering=0, closefd=False) as file:
            data = _read_at_most(file, limit + 1, info.st_size + 1)  # (a file may grow after the fstat)
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(path, "too large: over {limit} MB", limit=limit // (1024 * 1024))
    return data


def _check_regular(info: os.stat_result, path: Path, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file (a device, pipe or socket)")
    if info.st_size > limit:
        raise InputError(path, "too large: over {limit} MB", limit=limit // (1024 * 1024))


def _read_at_most(file, most: int, expected: int) -> bytes:
    """Up to ``most`` bytes, in one read when the file has the size it had (a file may grow, and a file
    of /proc says 0): never a buffer of ``most`` bytes for a small file."""
    chunks: list[bytes] = []
    size = 0
    while size < most:
        chunk = file.read(min(most - size, max(expected - size, 1 << 16)))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def decode(data: bytes, name: object = "<input>", encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 is tried strictly first; other encodings are detected.

    >>> decode("中文".encode("gb18030") * 20)[1], decode(b"\\xef\\xbb\\xbfabc")
    ('gb18030', ('abc', 'utf-8-sig'))
    """
    if encoding:
        return _strict(data, SUPERSETS.get(_canonical(encoding), encoding), name), encoding
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _strict(data, codec, name), codec
    if not data.strip():
        raise InputError(name, "empty file")
    if b"\x00" in data:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and "end of data" in error.reason:
            raise InputError(name, "truncated: the file ends inside a UTF-8 character") from None
    chinese = _chinese(data)
    if chinese:
        return chinese
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return _truncated(data, name)
    codec = SUPERSETS.get(_canonical(best.encoding), best.encoding)
    return _strict(data, codec, name), codec


CHINESE = ("gb18030", "big5hkscs")
PROSE = 4.0  # mean likelihood cost per character under which a decode reads as Chinese prose


def _chinese(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5, whichever decodes strictly and reads likelier as Chinese.

    A general detector guesses Korean or UTF-16 for a short Chinese line; the character
    frequencies of the repair tell the two Chinese encodings apart even for a few characters.
    """
    from ..repair.likelihood import score

    decoded = []
    for codec in CHINESE:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        sample = "".join(c for c in text[:4000] if not c.isspace())
        decoded.append((score(sample), text, codec))
    if not decoded:
        return None
    likeliest, text, codec = min(decoded)
    return (text, codec) if likeliest < PROSE else None


def _truncated(data: bytes, name: object) -> tuple[str, str]:
    """When nothing decodes: a clear reason why."""
    for codec in CHINESE:
        try:
            data[:-1].decode(codec)
        except UnicodeDecodeError:
            continue
        raise InputError(name, "truncated: the file ends inside a {codec} character", codec=codec.upper())
    raise InputError(name, "cannot tell the encoding (not UTF-8, GB18030 or Big5); try --encoding")


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError("--encoding", "unknown encoding {encoding!r}", encoding=encoding) from None


def _strict(data: bytes, codec: str, name: object) -> str:
    try:
        return data.decode(codec)
    except LookupError:
        raise InputError(name, "unknown encoding {codec!r}", codec=codec) from None
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3:
            raise InputError(name, "not valid {codec}: ends inside a character", codec=codec) from None
        raise InputError(
            name, "not valid {codec}: bad bytes at offset {offset}", codec=codec, offset=error.start
        ) from None
