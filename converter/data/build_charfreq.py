"""Build charfreq.tsv: how often each Han character occurs, from jieba's word-frequency dictionary.

A one-off; the table is committed. The mojibake repair ranks candidate characters with it.

    pip download --no-deps jieba==0.42.1 && tar xzf jieba-0.42.1.tar.gz
    python converter/data/build_charfreq.py jieba-0.42.1/jieba/dict.txt
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

KEEP = 9000  # characters; the rest count as rare


def main(dictionary: Path) -> None:
    counts: Counter[str] = Counter()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        for char in re.findall(r"[\u4e00-\u9fff]", word):
            counts[char] += int(freq)
    out = Path(__file__).with_name("charfreq.tsv")
    rows = [f"{char}\t{n}" for char, n in counts.most_common(KEEP)]
    out.write_text(
        "# Han character counts summed over jieba 0.42.1 dict.txt (MIT licence)\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    print(f"{out}: {len(rows)} characters", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
