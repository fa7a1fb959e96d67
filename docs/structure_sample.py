"""Render docs/structure-sample.png: one PDF page with a heading, a list, code, an ASCII table and a table.

    python docs/structure_sample.py     # needs pdftoppm (poppler-utils)
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from converter.document import Cell, Code, Document, Heading, ListItem, Paragraph, Quote, Span, Table, spans
from converter.formats.pdf import write as pdf
from converter.options import Options

STRONG, EMPHASIS, CODE = frozenset({"strong"}), frozenset({"emphasis"}), frozenset({"code"})


def sample() -> Document:
    rows = (
        (Cell(spans("套件")), Cell(spans("用途")), Cell(spans("授權"))),
        (Cell(spans("zhdoc")), Cell(spans("修復受損的中文文本，轉換簡繁，輸出 TXT、DOCX 與 PDF。")), Cell(spans("MIT"))),  # noqa: E501
        (Cell(spans("OpenCC")), Cell(spans("簡繁轉換，詞彙級別。")), Cell(spans("Apache-2.0"))),
    )
    return Document(
        title="系統管理手冊（節選）",
        language="zh-TW",
        blocks=(
            Heading(spans("第 3 章 套件管理"), 1),
            Paragraph(
                (
                    Span("Debian 的套件由 "),
                    Span("dpkg", CODE),
                    Span(" 安裝，"),
                    Span("apt", STRONG),
                    Span(" 處理相依關係；詳見"),
                    Span("官方手冊", url="https://www.debian.org/doc/"),
                    Span("。"),
                    Span("注意", EMPHASIS),
                    Span("：不要混用不同發行版的套件來源，否則升級時可能出現難以解決的衝突。"),
                )
            ),
            Heading(spans("3.1 常用指令"), 2),
            ListItem(spans("查詢已安裝的套件："), "1.", True),
            ListItem(spans("列出套件安裝的檔案，配合管線篩選，輸出可能很長。"), "•", False, 1),
            ListItem(spans("查看說明文件。"), "（2）", True),
            Code(
                "$ dpkg -L package_name | grep bin\n"
                "$ zcat /usr/share/doc/apt/changelog.gz | sensible-pager\n"
                "# apt-get install 中文套件",
                kind="shell",
            ),
            Heading(spans("3.2 套件一覽"), 2),
            Code(
                "+----------+--------------+--------+\n"
                "| 名稱     | 說明         | 大小   |\n"
                "+----------+--------------+--------+\n"
                "| apt      | 套件管理工具 | 1.4 MB |\n"
                "| dpkg     | 底層安裝程式 | 6.6 MB |\n"
                "| 中文字型 | fonts-noto   | 90 MB  |\n"
                "+----------+--------------+--------+",
                kind="table",
            ),
            Table(rows),
            Quote((Paragraph(spans("引用：好的工具讓人專注於內容，而不是格式。")),)),
        ),
    )


def main() -> None:
    out = Path(__file__).resolve().parent / "structure-sample"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.pdf"
        path.write_bytes(pdf.render(sample(), Options()))
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", path, out], check=True)


if __name__ == "__main__":
    main()
