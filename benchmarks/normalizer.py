"""Normaliser throughput on the sample article repeated to about 4 MB, beside autocorrect-py.

The two do different repairs (autocorrect spaces and widens marks; zhdoc also removes pinyin, drops
spurious commas, decodes mojibake and records every fix); the point is the cost per byte.

    pip install -e '.[bench]' && python benchmarks/normalizer.py
"""

from __future__ import annotations

import time
from pathlib import Path

from converter.repair import normalize

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample" / "gd-news-trad-pinyin.txt"
TARGET = 4_000_000  # bytes


def timed(function, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    article = SAMPLE.read_text(encoding="utf-8") + "\n"
    text = article * (TARGET // len(article.encode()) + 1)
    size = len(text.encode()) / 1e6
    lines = text.split("\n")
    for line in article.split("\n"):  # load pypinyin's readings and the frequency tables first
        normalize(line)
    rows = [("zhdoc normalize (per line, fixes recorded)", timed(lambda: [normalize(line) for line in lines]))]
    try:
        import autocorrect_py
    except ImportError:
        print("autocorrect-py is not installed (pip install autocorrect-py): peer skipped")
    else:
        rows.append(("autocorrect-py format (whole text)", timed(lambda: autocorrect_py.format(text))))
    print(f"normaliser throughput on {size:.1f} MB (the sample article repeated), best of 3")
    print(f"{'tool':46} {'seconds':>8} {'MB/s':>7} {'speed vs zhdoc':>15}")
    for name, seconds in rows:
        print(f"{name:46} {seconds:8.3f} {size / seconds:7.2f} {rows[0][1] / seconds:14.2f}×")


if __name__ == "__main__":
    main()
