"""Reading: bytes → text (encoding detected) → a ``Document`` of paragraphs with a title."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .document import Document
from .errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Decode with the superset of what a detector names: a GB2312 guess may still hold GBK characters.
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}
FINAL = "。！？；：…」』”’）》】.!?;:"
TITLE_MAX = 40


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None


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
    from .repair.likelihood import score

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
        raise InputError(name, f"truncated: the file ends inside a {codec.upper()} character")
    raise InputError(name, "cannot tell the encoding (not UTF-8, GB18030 or Big5); try --encoding")


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError("--encoding", f"unknown encoding {encoding!r}") from None


def _strict(data: bytes, codec: str, name: object) -> str:
    try:
        return data.decode(codec)
    except LookupError:
        raise InputError(name, f"unknown encoding {codec!r}") from None
    except UnicodeDecodeError as error:
        where = "ends inside a character" if error.start >= len(data) - 3 else f"bad bytes at offset {error.start}"
        raise InputError(name, f"not valid {codec}: {where}") from None


def split_paragraphs(text: str) -> tuple[list[str], list[int]]:
    """Paragraphs and the 1-based line each starts on; hard-wrapped lines are joined again.

    With blank lines in the text, a paragraph is a block between them; otherwise a line is a
    paragraph unless it is as long as the text's wrap width and has no final punctuation.

    >>> split_paragraphs("標題\\r\\n\\r\\n第一段第一行\\r\\n接著第一段。\\r\\n\\r\\n第二段。")
    (['標題', '第一段第一行接著第一段。', '第二段。'], [1, 3, 6])
    >>> wrapped = "這一行在二十個字的地方被折斷在句子的中間，\\n下一行接上了這個句子的後半部分，一直到句號。"
    >>> wrapped += "\\n新段落。\\n新段落二。"
    >>> split_paragraphs(wrapped)[0]
    ['這一行在二十個字的地方被折斷在句子的中間，下一行接上了這個句子的後半部分，一直到句號。', '新段落。', '新段落二。']
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    filled = [len(line.strip()) for line in lines if line.strip()]
    blocks = len(filled) > 1 and any(not line.strip() for line in lines[:-1])
    width = max(filled, default=0)
    wrapped = width >= 20 and len(filled) >= 3 and sum(n >= 0.8 * width for n in filled) >= len(filled) / 2
    paragraphs: list[str] = []
    starts: list[int] = []
    joining = False
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if not line.strip():
            joining = False
            continue
        if joining:
            paragraphs[-1] = _join(paragraphs[-1], line.strip())
        else:
            paragraphs.append(line)
            starts.append(number)
        full = len(line.strip()) >= 0.8 * width and not line.endswith(tuple(FINAL))
        joining = blocks or (wrapped and full)
    return paragraphs, starts


def _join(left: str, right: str) -> str:
    """Join a wrapped line: no space between Chinese, one between Latin words."""
    if re.search(r"[A-Za-z0-9,.;:]$", left) and re.match(r"[A-Za-z0-9]", right):
        return f"{left} {right}"
    return left + right


def find_title(paragraphs: list[str]) -> tuple[str, list[str]]:
    """A short first line without final punctuation is the title.

    >>> find_title(["廣東召開會議", "正文。"]), find_title(["正文。", "下一段。"])
    (('廣東召開會議', ['正文。']), ('', ['正文。', '下一段。']))
    """
    if len(paragraphs) > 1:
        first = paragraphs[0].strip()
        if len(first) <= TITLE_MAX and not first.endswith(tuple(FINAL + "，、,")):
            return first, paragraphs[1:]
    return "", paragraphs


def read_text(text: str, source: str = "", encoding: str = "utf-8", title: str | None = None) -> Document:
    """Text → Document (paragraphs, title); no repair yet."""
    paragraphs, starts = split_paragraphs(text)
    title_line = starts[0] if starts else 1
    if title is None:
        found, body = find_title(paragraphs)
        if found:
            starts = starts[1:]
    else:
        found, body = title, paragraphs
    return Document(tuple(body), found, source, encoding, lines=tuple(starts), title_line=title_line)


def read_source(
    source: str | Path | bytes, encoding: str | None = None, title: str | None = None
) -> tuple[str, Document]:
    """The decoded text and its Document, from a file or from raw bytes (standard input)."""
    name = "<stdin>" if isinstance(source, bytes) else str(source)
    data = source if isinstance(source, bytes) else read_bytes(Path(source))
    text, used = decode(data, name, encoding)
    if not text.strip():
        raise InputError(name, "empty file")
    return text, read_text(text, name, used, title)


def read(path: str | Path, encoding: str | None = None, title: str | None = None) -> Document:
    """Read a text file into a Document. Raises ``InputError`` with a one-line message."""
    return read_source(Path(path), encoding, title)[1]
