"""Plain text → a Document: the encoding is already decoded; blocks are found by layout."""

from __future__ import annotations

import re

from ..document import Document, Paragraph, spans

FINAL = "。！？；：…」』”’）》】.!?;:"
TITLE_MAX = 40


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


def parse(text: str, source: str = "", encoding: str = "utf-8", title: str | None = None) -> Document:
    """Text → Document (blocks, title); no repair yet."""
    paragraphs, starts = split_paragraphs(text)
    title_line = starts[0] if starts else 1
    if title is None:
        found, body = find_title(paragraphs)
        if found:
            starts = starts[1:]
    else:
        found, body = title, paragraphs
    blocks = tuple(Paragraph(spans(p), line) for p, line in zip(body, starts))
    return Document(blocks, found, source, encoding, title_line=title_line, source_text=text)
