"""Build charfreq.tsv and words2.txt from jieba's word-frequency dictionary (MIT licence).

charfreq.tsv: how often each Han character occurs (word counts summed per character).
words2.txt: the two-character words seen at least WORD_MIN times, one per line.
A one-off; both are committed. The mojibake repair ranks candidate characters with them.

    pip download --no-deps jieba==0.42.1 && tar xzf jieba-0.42.1.tar.gz
    python converter/data/build_charfreq.py jieba-0.42.1/jieba/dict.txt
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

KEEP = 9000  # characters; the rest count as rare
WORD_MIN = 10  # occurrences for a two-character word to be kept


def main(dictionary: Path) -> None:
    counts: Counter[str] = Counter()
    words = []
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        for char in re.findall(r"[\u4e00-\u9fff]", word):
            counts[char] += int(freq)
        if re.fullmatch(r"[\u4e00-\u9fff]{2}", word) and int(freq) >= WORD_MIN:
            words.append(word)
    Path(__file__).with_name("words2.txt").write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    out = Path(__file__).with_name("charfreq.tsv")
    rows = [f"{char}\t{n}" for char, n in counts.most_common(KEEP)]
    out.write_text(
        "# Han character counts summed over jieba 0.42.1 dict.txt (MIT licence)\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    print(f"{out}: {len(rows)} characters", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
