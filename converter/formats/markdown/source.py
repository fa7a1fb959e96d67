"""Where each inline token of a Markdown file stands in its source text.

markdown-it gives blocks a line map only. A ``Locator`` walks the inline tokens of each block in order with
one cursor that only moves forward, finds each text verbatim and skips the markup between (code spans,
inline HTML, link destinations), so every text span can be tied to its exact characters in the source.
A text that is not found verbatim (an entity, an escape) gets no anchor: the Markdown writer leaves it.
"""

from __future__ import annotations

import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what markdown-it normalises to "\n"


def line_starts(text: str) -> list[int]:
    """The offset where each line starts (one more entry: the end of the text).

    >>> line_starts("a\\r\\nbc\\nd")
    [0, 3, 6, 7]
    """
    return [0, *(match.end() for match in LINE_BREAK.finditer(text)), len(text)]


def skip_link_tail(text: str, at: int, end: int) -> int:
    """The offset after a link's ``](destination "title")``, ``][label]`` or ``]``, from ``at``
    (just after the link text); ``at`` itself when the tail is not where it should be.

    >>> s = '[甲](http://a.cn/(x) "題)") 乙'
    >>> s[skip_link_tail(s, 2, len(s)):]
    ' 乙'
    >>> s = "[甲][ref]乙"
    >>> s[skip_link_tail(s, 2, len(s)):]
    '乙'
    """
    close = text.find("]", at, end)
    if close < 0:
        return at
    after = close + 1
    if text.startswith("[", after):
        label_end = text.find("]", after, end)
        return label_end + 1 if label_end >= 0 else after
    if not text.startswith("(", after):
        return after
    return _after_destination(text, after + 1, end) or after


def is_label(text: str, at: int, end: int) -> bool:
    """Whether the link whose text ends at ``at`` is a shortcut or collapsed reference (``[文字]``,
    ``[文字][]``): its text is also the label that finds its definition, so it must not change.

    >>> is_label("[文檔] 與", 3, 7), is_label("[文檔][]", 3, 7), is_label("[文檔][1]", 3, 8), is_label("[文](u)", 2, 6)
    (True, True, False, False)
    """
    close = text.find("]", at, end)
    if close < 0:
        return False
    after = close + 1
    return not text.startswith("(", after) and (not text.startswith("[", after) or text.startswith("[]", after))


def _after_destination(text: str, at: int, end: int) -> int | None:
    """The offset after the ``)`` closing an inline link whose ``(`` is just before ``at``."""
    depth, quote = 0, ""
    index = at
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "<" and index == at:
            close = text.find(">", index, end)
            if close < 0:
                return None
            index = close
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index + 1
            depth -= 1
        index += 1
    return None


def has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


class Locator:
    """Finds tokens of one source text in order; ``cursor`` is where the last one found ends."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)
        self.cursor = 0
        self.end = len(text)

    def enter(self, line_map: list[int] | None) -> None:
        """Start a block (its markdown-it ``map``: first line, line after the last)."""
        if not line_map:
            return
        first, after = line_map
        self.cursor = max(self.cursor, self.starts[min(first, len(self.starts) - 1)])
        self.end = self.starts[min(after, len(self.starts) - 1)]

    def find(self, piece: str) -> tuple[int, int] | None:
        """Where ``piece`` stands next; only markup may lie between the cursor and it (else: not found)."""
        if not piece:
            return None
        found = self.text.find(piece, self.cursor, self.end)
        if found < 0 or (found > self.cursor and has_letters(self.text[self.cursor : found])):
            return None
        self.cursor = found + len(piece)
        return found, self.cursor

    def skip(self, piece: str) -> None:
        """Move past ``piece`` (markup: raw HTML, an escape, an entity) if it is found."""
        found = self.text.find(piece, self.cursor, self.end) if piece else -1
        if found >= 0:
            self.cursor = found + len(piece)

    def skip_code(self, fence: str) -> None:
        """Move past an inline code span opened and closed by ``fence`` (a run of backticks)."""
        run = re.compile(rf"(?<!`){re.escape(fence)}(?!`)")
        opening = run.search(self.text, self.cursor, self.end)
        if not opening:
            return
        closing = run.search(self.text, opening.end(), self.end)
        self.cursor = closing.end() if closing else opening.end()

    def at_label(self) -> bool:
        return is_label(self.text, self.cursor, self.end)

    def skip_link_tail(self) -> None:
        self.cursor = skip_link_tail(self.text, self.cursor, self.end)
