"""A document with every block of the tree and hostile text, for the HTML and EPUB writer tests."""

from __future__ import annotations

import io

from conftest import FIXTURES
from PIL import Image as Picture

from converter.document import (
    Cell,
    Code,
    Document,
    Heading,
    Html,
    Image,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    spans,
)


def _webp() -> bytes:
    out = io.BytesIO()
    Picture.new("RGB", (4, 3), (200, 30, 30)).save(out, "WEBP")
    return out.getvalue()


PNG = (FIXTURES / "markdown" / "images" / "logo.png").read_bytes()
WEBP = _webp()
CODE = '<script>alert("x")</script> & a < b\n\n    縮排\t保留 &amp;'
# Links a browser or epubcheck would refuse, and a few good ones (their index → the href expected).
URLS = [
    "http://[abc",
    "http://a b.com/x",
    "https://",
    "mailto:",
    "http://例子.中国/%",
    "https://a.com/#f#g",
    "http://ex\u00e4mple..com",
    "http:x",
    "https:///path",
    "http://-a-.com/",
    "http://a.com:99999/",
    "mailto:a@例子.cn?subject=你好",
    "https://[::1]:8080/路",
    "data:text/html,<script>",
]
GOOD_URLS = {
    4: "http://xn--fsqu00a.xn--fiqs8s/%25",
    5: "https://a.com/#f%23g",
    11: "mailto:a@%E4%BE%8B%E5%AD%90.cn?subject=%E4%BD%A0%E5%A5%BD",
    12: "https://[::1]:8080/%E8%B7%AF",
}
HOSTILE = "<b>不是標籤</b> & \x00\x07控制\ufffe字元"


def every_block(language: str = "zh-TW") -> Document:
    strong, emphasis, code = frozenset({"strong"}), frozenset({"emphasis"}), frozenset({"code"})
    blocks = (
        Paragraph(spans("開頭的一段，在第一個標題之前。")),
        Heading(spans("安裝"), 1),
        Paragraph(
            (
                Span("見"),
                Span("下一章", strong, "#用法"),
                Span("與"),
                Span("官網", emphasis, "https://例子.tw/路徑 一"),
                Span("，執行 "),
                Span("pip install", code),
                Span("\n"),
                Span("第二行"),
                Span("惡意", url="javascript:alert(1)"),
                Span("旁邊", url="docs/旁邊.md"),
                Span("。"),
            )
        ),
        Heading(spans("1. 準備"), 2),
        ListItem(spans("第一項"), "•"),
        ListItem(spans("子項甲"), "-", level=1),
        ListItem(spans("孫項"), "•", level=3),
        ListItem(spans("子項乙"), "-", level=1),
        ListItem(spans("子項乙的第二段"), "", level=1),
        ListItem(spans("第二項"), "•"),
        ListItem(spans("第三步"), "3.", ordered=True),
        ListItem(spans("第五步"), "5.", ordered=True),
        ListItem(spans("甲、天干"), "（一）"),
        Heading(spans("用法"), 1),
        Paragraph(tuple(Span(f"鏈{index}", url=url) for index, url in enumerate(URLS))),
        Quote((Paragraph(spans("引文一段。")), ListItem(spans("引文裡的項"), "•"), Heading(spans("引文標題"), 3))),
        Code(CODE, language="python"),
        Code("$ ls | less", kind="shell"),
        Table(
            (
                (Cell(spans("名稱")), Cell(spans("說明"))),
                (Cell(spans("甲")), Cell((Span("一", strong), Span("\n"), Span("二")))),
                (Cell(spans("乙")),),
            )
        ),
        Rule(),
        Image(spans("標誌"), src="images/logo.png", data=PNG),
        Image(spans("遠端圖"), src="https://example.com/a.png"),
        Image(spans("壞圖"), src="bad.png", data=b"not an image"),
        Image(spans("壞PNG"), src="bad.png", data=PNG[:40] + b"junk"),
        Image(spans("WebP圖"), src="a.webp", data=WEBP),
        PageBreak(),
        Html("<div>raw</div>"),
        Heading(spans("？"), 1),
        Heading(spans(""), 1),
        Paragraph(spans(HOSTILE)),
        Heading(spans("第三層"), 3),
        Heading(spans("用法"), 2),
    )
    return Document(blocks, title="全部區塊", language=language, script="traditional")
