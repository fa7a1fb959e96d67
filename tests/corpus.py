"""A batch test folder made by the tests: nested folders, four encodings, odd names and bad files."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE

ENCODINGS = ("utf-8", "gb18030", "big5hkscs", "utf-16")
BAD = {
    "bad/binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    "bad/empty.txt": b"",
    "bad/truncated.txt": "全省加強基層黨組織建設".encode()[:-1],
}
ODD_NAMES = ("with space 名字.txt", "-leading-dash.txt", "中文目錄/文章 一.txt")


def sentences() -> list[str]:
    """Short damaged paragraphs cut from the sample article (Big5 cannot encode its mojibake span)."""
    text = SAMPLE.read_text(encoding="utf-8").replace("\n", "")
    parts = [p + "。" for p in text.split("。") if p and "刭" not in p]
    return [p for p in parts if len(p) > 30]


def make_corpus(root: Path, count: int = 200) -> tuple[list[Path], list[Path]]:
    """Write ``count`` good files (plus the odd names) and the bad ones; return (good, bad) paths."""
    pieces = sentences()
    good = []
    names = [f"part{i % 4}/sub{i % 3}/doc{i:03d}.txt" for i in range(count - len(ODD_NAMES))] + list(ODD_NAMES)
    for i, name in enumerate(names):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        body = pieces[i % len(pieces)] + pieces[(i * 7 + 3) % len(pieces)]
        text = f"第{i}號文件\n\n{body}\n"
        path.write_bytes(text.encode(ENCODINGS[i % len(ENCODINGS)]))
        good.append(path)
    bad = []
    for name, content in BAD.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        bad.append(path)
    return good, bad
