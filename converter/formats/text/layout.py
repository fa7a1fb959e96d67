"""What one line of plain text is, by its layout: a rule, a table row, a shell prompt, a heading, a list item.

Each test looks at one line only; how lines group into blocks is decided in ``text.py``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ...document import Inlines, Span
from ...lazy_regex import lazy_compile

FINAL = "。！？；：…」』”’）》】.!?;:"
FINAL_ENDS = tuple(FINAL)  # (str.endswith takes a tuple)
CLAUSE_ENDS = tuple(FINAL + "，、,")
CLOSING_WIDE = "。，、；：！？）」』”’》】〕〉…"
CLOSING = "。，、；：！？）」』”’》】〕〉…,.;:!?)]}"  # a line starting with one of these continues the line before
HEADING_MAX = 40  # characters

LABELS = frozenset(
    [
        "注意",
        "注",
        "提示",
        "警告",
        "小心",
        "重要",
        "注意事项",
        "提醒",
        "说明",
        "說明",
        "技巧",
        "Note",
        "Notes",
        "Tip",
        "Tips",
        "Warning",
        "Caution",
        "Important",
        "Hint",
    ]
)
CONTENTS_TITLES = frozenset(
    ["目录", "目錄", "目次", "内容", "Contents", "表格清单", "表格清單", "插图清单", "插圖清單", "范例清单", "範例清單"]
    + ["目 录", "目 錄", "Table of Contents", "List of Tables", "List of Figures", "List of Examples"]
)

# Runs of East Asian wide and full-width characters, and of the ambiguous marks a Chinese terminal shows wide
# (runs: a match for each character would cost as much again)
WIDE_RUN = lazy_compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd“”‘’…—※§]+"
)
CONTENTS_ENDS = ("目录", "目錄", "目次", "清单", "清單")
HAN = lazy_compile(r"[\u3400-\u9fff\uf900-\ufaff]")
RULE_MARKS = "-=*_~"
RULE = re.compile(r"([-=*_~])\1{2,}")
TABLE_START, TABLE_END = "+|┌├└│┏┣┗┃╔╠╚║╭╰╞╟", "+|┐┤┘│┓┫┛┃╗╣╝║╮╯╡╢"
PROMPT = re.compile(r"(?:[\w.-]+@[\w.-]+:\S*|[\w.-]+:~\S*)?(?:\$ \S|# [\x21-\x7e])")  # "# 标题" is no prompt
LEADER = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|\. \. \. )[ .…·]*\d+$")
NUMBERED = re.compile(r"(\d{1,3}(?:\.\d{1,3})+)\.?\s+\S")  # 1.2. / 1.2.3 (two or more numbers)
SINGLE = re.compile(r"\d{1,3}\.\s+\S")  # 1. (a heading or a list item)
CHINESE_NUMBER = "一二三四五六七八九十百零〇两兩"
CHAPTER = re.compile(rf"第\s*[0-9{CHINESE_NUMBER}]+\s*([篇部卷章节節回])")
HAN_ITEM = re.compile(rf"[{CHINESE_NUMBER}]+、")
HAN_PAREN = re.compile(rf"[（(][{CHINESE_NUMBER}]+[）)]")
ITEM = re.compile(r"([*\-•·+‣▪◦]|\d{1,3}[.)]|[（(]\d{1,3}[）)]|[a-z][.)]|[①-⑳])(\s*)(?=\S)")
ASCII_CODE = re.compile(r"[;{}()=<>\[\]$#/\\|&*\"'`]")
ENGLISH = re.compile(r"[\w\"'(]\S*(?: [\w\"'(/.-]\S*){5,}")  # six words or more, one space apart
GAP = re.compile(r"\S {2,}(?=\S)")
FRONT_MATTER_MAX = 120  # characters: a title page's line is short
SECTION_MAX = 80  # a numbered section line alone may be as long as a line
PROSE_ENDS = tuple("。，、；：,;:")
ADDRESS = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?:\s+[\w.-]+)*$", re.ASCII)  # an IPv4 address, host names
FRONT_MATTER = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+"  # an e-mail address
    r"|©|\([cC]\)\s*\d{4}|^(?:版权|版權|Copyright)\b"  # a copyright
    r"|^\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T]\d{1,2}:\d{2}"  # a date stamp (a changelog's "2024-01-15" is a heading)
    r"|^(?:版本|Version|Revision|修订|修訂)\s*\d+(?:\.\d+)+$",  # a version stamp (not "v1.2.0")
    re.IGNORECASE,
)


def width(text: str) -> int:
    """Display width: a wide (CJK) character takes two columns.

    >>> width("ab中文"), width("（全角）"), width("“引号”")
    (6, 8, 8)
    """
    return len(text) if text.isascii() else len(text) + sum(map(len, WIDE_RUN.findall(text)))


_new_tuple = tuple.__new__


class Line(NamedTuple):  # (a tuple is made in a fraction of a frozen dataclass's time: one per line of text)
    number: int  # 1-based line in the source
    raw: str  # tabs expanded, right spaces stripped
    text: str  # stripped
    indent: int
    width: int  # display width of the line, indentation included
    han: bool  # holds a Han character

    @classmethod
    def of(cls, number: int, raw: str) -> Line:
        raw = (raw.expandtabs(8) if "\t" in raw else raw).rstrip()
        text = raw.lstrip()
        # (tuple.__new__: the named tuple's own __new__ is Python code, and there is a Line for every line)
        if raw.isascii():
            return _new_tuple(cls, (number, raw, text, len(raw) - len(text), len(raw), False))
        return _new_tuple(cls, (number, raw, text, len(raw) - len(text), width(raw), has_han(text)))


def is_rule(text: str) -> bool:
    """A separator line: ``-----``, ``=====``, ``*****``.

    >>> is_rule("-----"), is_rule("--"), is_rule("-=-=")
    (True, False, False)
    """
    return text[:1] in RULE_MARKS and RULE.fullmatch(text) is not None  # (a test of the first mark is quicker)


def is_table(text: str) -> bool:
    """A row or border of an ASCII or box-drawing table.

    >>> is_table("|df   |coreutils|"), is_table("+----+----+"), is_table("│ 甲 │ 乙 │"), is_table("|grep x")
    (True, True, True, False)
    """
    return len(text) >= 2 and text[0] in TABLE_START and text[-1] in TABLE_END and not is_rule(text)


def is_prompt(text: str) -> bool:
    """A shell example: ``$ cmd``, ``# cmd``, ``user@host:~$ cmd``.

    >>> is_prompt("$ df -h"), is_prompt("# tar czf x /etc"), is_prompt("$5 元"), is_prompt("# 安装")
    (True, True, False, False)
    """
    return ("$ " in text or "# " in text) and PROMPT.match(text) is not None  # (what every prompt holds)


def is_label(text: str) -> bool:
    """An admonition label alone on a line.

    >>> is_label("注意"), is_label("Warning:"), is_label("注意安全。")
    (True, True, False)
    """
    return text.rstrip(":：") in LABELS


def is_contents_title(text: str) -> bool:
    """A contents list's title: 目录, 內容目錄, 附表目錄, 表格清单, Contents.

    >>> [is_contents_title(text) for text in ("目 录", "內容目錄", "附表目錄", "目标")]
    [True, True, True, False]
    """
    compact = text.replace(" ", "")
    return (
        text in CONTENTS_TITLES or compact in CONTENTS_TITLES or (len(compact) <= 6 and compact.endswith(CONTENTS_ENDS))
    )


def is_leader(text: str) -> bool:
    """A contents line with a dotted leader and a page number.

    >>> is_leader("第一章 总则……………… 12"), is_leader("1.1 范围 .......... 3"), is_leader("共 12")
    (True, True, False)
    """
    return text[-1:].isdecimal() and LEADER.search(text) is not None  # (a page number ends every leader)


def ends_final(text: str) -> bool:
    return text.endswith(CLAUSE_ENDS)


def heading_level(text: str) -> int:
    """The level of a line numbered as a heading (``1.2.3.``, ``第 1 章``, ``一、``, ``（一）``), 0 if none.

    >>> [heading_level(t) for t in ("1.2.3. 范围", "第 1 章 总则", "第二节 目的", "一、背景", "（一）要求", "1. 准备")]
    [3, 1, 2, 1, 2, 0]
    >>> heading_level("127.0.0.1 localhost")
    0
    """
    if len(text) > HEADING_MAX or ends_final(text) or ADDRESS.match(text):
        return 0
    if match := NUMBERED.match(text):
        return min(6, match.group(1).count(".") + 1)
    if match := CHAPTER.match(text):
        return 2 if match.group(1) in "节節回" else 1
    if HAN_ITEM.match(text):
        return 1
    if HAN_PAREN.match(text):
        return 2
    return 0


def section_level(text: str) -> int:
    """The level of a line numbered ``1.2.`` or more that stands alone (a blank line after it): it is a
    heading if long (up to a line's width), with symbols, or ending in a bracket or a question mark; only
    a sentence's inner or final mark (``。，；：``) says it is prose.

    >>> section_level("5.14. {package.,source/}lintian-overrides"), section_level("1.2.5. 一组用户的权限（组）")
    (2, 3)
    >>> section_level("2.7.11. 上传软件包的是谁?"), section_level("1.1 本规范适用于全省各单位。")
    (3, 0)
    >>> section_level("127.0.1.1 host_name"), section_level("1.2.3.4 路由器")
    (0, 4)
    """
    match = NUMBERED.match(text)
    if not match or len(text) > SECTION_MAX or text.endswith(PROSE_ENDS) or ADDRESS.match(text):
        return 0
    return min(6, match.group(1).count(".") + 1)


def front_matter(text: str) -> bool:
    """A title page's line: a credit with an e-mail address, a copyright, a date stamp, a version stamp.

    >>> [front_matter(t) for t in ("版權 © 2010 Craig Small", "2022-10-08 03:52:48 UTC", "版本 1.2.53")]
    [True, True, True]
    >>> front_matter("简体中文翻译 <happyaron.xu@gmail.com>"), front_matter("安装与配置")
    (True, False)
    """
    return len(text) <= FRONT_MATTER_MAX and FRONT_MATTER.search(text) is not None


def is_single_numbered(text: str) -> bool:
    """``1. 准备工作``: a heading at the left margin, a list item elsewhere."""
    return SINGLE.match(text) is not None and len(text) <= HEADING_MAX and not ends_final(text)


def kind(text: str) -> str:
    """What a line is on its own, the first that holds of ``rule``, ``table``, ``prompt``, ``label`` and
    ``item`` (a list item); "" for any other line, which may continue a paragraph.

    >>> [kind(text) for text in ("-----", "| a | b |", "$ ls", "注意", "* 甲", "正文。")]
    ['rule', 'table', 'prompt', 'label', 'item', '']
    """
    if is_rule(text):
        return "rule"
    if is_table(text):
        return "table"
    if is_prompt(text):
        return "prompt"
    if is_label(text):
        return "label"
    return "item" if list_marker(text) is not None else ""


def list_marker(text: str) -> tuple[str, str] | None:
    """The marker of a list item and the item's text.

    >>> list_marker("* 甲"), list_marker("（1）乙"), list_marker("2) c"), list_marker("-rw-r--r--")
    (('*', '甲'), ('（1）', '乙'), ('2)', 'c'), None)
    """
    match = ITEM.match(text)
    if match is None:
        if text[:1] in "①②③④⑤⑥⑦⑧⑨⑩" and len(text) > 1:
            return text[0], text[1:].lstrip()
        return None
    marker = match.group(1)
    if not match.group(2) and marker[-1] not in "）)":  # "1.5" or "-rw": no space after the marker
        return None
    return marker, text[match.end() :]


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


# (ASCII marks beside Han: damaged prose; not "...", which apt prints: 正在讀取軟件包列表... 完成)
SENTENCE = lazy_compile(r"[，。；！？、]|[\u3400-\u9fff](?:[,;!?]|\.(?!\.))|：$")  # (：at the end: an example follows)


def reads_as_prose(text: str, long: bool = False) -> bool:
    """A line of Chinese prose: much of it Han and Chinese marks, a sentence mark (or, for a ``long`` line,
    as wide as wrapped prose, mostly Chinese), no prompt, no gap of two spaces (no columns). It ends the
    output of a shell example that no blank line closed.

    >>> reads_as_prose("安裝完成後，重新啟動系統。"), reads_as_prose("全省加強基層工作,,會議召開.")
    (True, True)
    >>> reads_as_prose("總用量 12"), reads_as_prose("正在讀取軟件包列表... 完成"), reads_as_prose("對於 debuild 命令：")
    (False, False, True)
    >>> reads_as_prose("在按照這個 watch 文件執行時的網址會被", long=True)
    True
    >>> reads_as_prose("软件包  文档，说明"), reads_as_prose("E: 无法定位软件包 foo，bar baz qux quux")
    (False, False)
    """
    if "  " in text or not has_han(text) or is_prompt(text):
        return False
    share = len(CHINESE.findall(text)) / len(text.replace(" ", ""))  # Han, Chinese marks and quotes
    return share >= PROSE_SHARE if SENTENCE.search(text) else long and share >= LONG_PROSE_SHARE


CHINESE = lazy_compile("[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’]")
PROSE_SHARE = 0.4  # of a line's characters (spaces aside): Han, Chinese marks and quotes
LONG_PROSE_SHARE = 0.5


def looks_like_code(text: str) -> bool:
    """No Chinese and some code punctuation.

    >>> looks_like_code("for f in *.txt; do wc -l $f; done"), looks_like_code("使用下面的命令：")
    (True, False)
    """
    return not has_han(text) and ASCII_CODE.search(text) is not None


def column_gaps(raw: str) -> set[int]:
    """Columns where a field starts after a run of two or more spaces (inside the line).

    >>> sorted(column_gaps("ls    list  files"))
    [6, 12]
    """
    out: set[int] = set()
    text = raw.lstrip()
    if "  " not in text:  # (what every gap needs: quicker than the pattern's search)
        return out
    start = len(raw) - len(text)
    for match in GAP.finditer(text):
        out.add(width(raw[: start + match.end()]))
    return out


def starts_closing(text: str) -> bool:
    """A line starting with a Chinese closing mark, or holding only marks, continues the line before.

    >>> starts_closing("。虽然"), starts_closing(")."), starts_closing(". $PATH")
    (True, True, False)
    """
    return text[:1] in CLOSING_WIDE or (text[:1] in CLOSING and all(c in CLOSING for c in text))


_URL_CHAR = "[^\\s<>\"'\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
LINK = lazy_compile(rf"(?:https?|ftp)://{_URL_CHAR}+|\bwww\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/{_URL_CHAR}*)?")
DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")


def emails(text: str) -> list[tuple[int, int]]:
    """Where each e-mail address stands, found from its ``@`` (a pattern tried at every word boundary of
    ``a.a.a.…`` would take time quadratic in its length).

    >>> emails("寫信給 joy-mg@debian.org 或 a@b")
    [(4, 21)]
    """
    found = []
    for at in (i for i, char in enumerate(text) if char == "@"):
        start = at
        while start > 0 and text[start - 1] in LOCAL_PART:
            start -= 1
        domain = DOMAIN.match(text, at + 1)
        if start < at and domain:
            found.append((start, domain.end()))
    return found


def link_target(found: str) -> tuple[str, str]:
    """A link's text as written (a sentence's mark or a closing bracket after it left out) and its target.

    >>> link_target("https://a.cn/x)."), link_target("www.debian.org/doc,"), link_target("joy@debian.org")
    (('https://a.cn/x', 'https://a.cn/x'), ('www.debian.org/doc', 'http://www.debian.org/doc'), \
('joy@debian.org', 'mailto:joy@debian.org'))
    """
    text = found
    while text and (text[-1] in ".,;:!?'\"" or (text[-1] == ")" and text.count(")") > text.count("("))):
        text = text[:-1]
    if "://" in text:
        return text, text
    if text.startswith("www."):
        return text, f"http://{text}"
    return text, f"mailto:{text}"


def link_spans(text: str) -> Inlines:
    """The text as spans, each URL, ``www.`` address and e-mail address a link.

    >>> [(s.text, s.url) for s in link_spans("見 https://a.cn/x。或 www.b.org，寫信給 a@b.cn")]
    [('見 ', ''), ('https://a.cn/x', 'https://a.cn/x'), ('。或 ', ''), ('www.b.org', 'http://www.b.org'), \
('，寫信給 ', ''), ('a@b.cn', 'mailto:a@b.cn')]
    """
    if "://" not in text and "www." not in text and "@" not in text:
        return (Span(text),) if text else ()
    out: list[Span] = []
    at = 0
    found = [match.span() for match in LINK.finditer(text)] if "://" in text or "www." in text else []
    found += emails(text) if "@" in text else []
    for start, end in sorted(found):
        if start < at:  # an address inside a URL
            continue
        shown, url = link_target(text[start:end])
        if not shown or (url.startswith("mailto:") and "." not in shown.rsplit("@", 1)[-1]):
            continue
        if start > at:
            out.append(Span(text[at:start]))
        out.append(Span(shown, url=url))
        at = start + len(shown)
    if at < len(text):
        out.append(Span(text[at:]))
    return tuple(out)
