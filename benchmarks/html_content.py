"""Main content of real pages: zhdoc's HTML reader beside trafilatura and readability-lxml.

    python benchmarks/html_content.py PAGE.html ...     # each extractor that can be imported is measured

For every page: its headings kept as headings (h1–h6 of the output with the same text, white space
aside), its ``pre`` kept verbatim, and the navigation words of these pages (前一頁 下一頁 起始頁 首页
分享到 相关文章 版权所有 …) left in the output though the page has them. trafilatura and readability-lxml
need lxml_html_clean and versions of their own: run them from a venv of their own
(``python -m venv /tmp/ev && /tmp/ev/bin/pip install trafilatura readability-lxml``); zhdoc with the
project's venv (PYTHONPATH at the work tree).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from lxml import html

NAV = ("前一頁", "下一頁", "起始頁", "上一页", "下一页", "起始页", "首页", "新闻中心", "分享到", "相关文章")
NAV += ("版权所有", "熱門文章", "轉載")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def norm(text: str) -> str:
    return " ".join(text.split())


def truth(data: bytes) -> tuple[list[str], list[str], str]:
    root = html.fromstring(data)
    heads = [norm("".join(h.itertext())) for h in root.iter(*HEADINGS)]
    pres = ["".join(p.itertext()).removeprefix("\n").rstrip("\n") for p in root.iter("pre")]
    return heads, pres, "".join(root.itertext())


def from_html(out: str) -> tuple[list[str], list[str], str]:
    root = html.fromstring(out) if out.strip() else html.fromstring("<div/>")
    heads = [norm("".join(h.itertext())) for h in root.iter(*HEADINGS)]
    pres = ["".join(p.itertext()).removeprefix("\n").rstrip("\n") for p in root.iter("pre", "code")]
    return heads, pres, "".join(root.itertext())


def zhdoc(data: bytes, name: str) -> tuple[list[str], list[str], str]:
    from converter.document import Code, Heading, Quote
    from converter.formats.html.read import parse

    def flat(blocks):
        for block in blocks:
            yield from flat(block.blocks) if isinstance(block, Quote) else [block]

    document = parse(data, name)
    blocks = list(flat(document.blocks))
    heads = [norm(b.text) for b in blocks if isinstance(b, Heading)]
    return heads, [b.text for b in blocks if isinstance(b, Code)], document.text


def extractors() -> dict:
    found = {}
    try:
        import converter  # noqa: F401

        found["zhdoc"] = zhdoc
    except ImportError:
        pass
    try:
        import trafilatura

        found["trafilatura"] = lambda data, name: from_html(
            trafilatura.extract(
                data,
                output_format="html",
                include_formatting=True,
                include_tables=True,
                include_links=True,
                favor_recall=True,
            )
            or ""
        )
    except ImportError:
        pass
    try:
        from readability import Document

        found["readability-lxml"] = lambda data, name: from_html(Document(data).summary(html_partial=True))
    except ImportError:
        pass
    return found


def main() -> None:
    pages = [Path(p) for p in sys.argv[1:]]
    for name, extract in extractors().items():
        total_h = total_p = kept_h = kept_p = nav = 0
        seconds = 0.0
        for page in pages:
            data = page.read_bytes()
            heads, pres, text = truth(data)
            started = time.perf_counter()
            got_h, got_p, got_text = extract(data, str(page))
            seconds += time.perf_counter() - started
            total_h, total_p = total_h + len(heads), total_p + len(pres)
            kept_h += sum(h in got_h for h in heads)
            kept_p += sum(p in got_p for p in pres)
            nav += sum(word in got_text and word in text for word in NAV)
        print(
            f"{name}: {len(pages)} pages, headings {kept_h}/{total_h} ({kept_h / max(total_h, 1):.0%}), "
            f"pre verbatim {kept_p}/{total_p}, navigation words left {nav}, {seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
