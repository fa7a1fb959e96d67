"""Script conversion: how much of a clean Taiwan Traditional text `--to traditional` changes.

The texts are the Traditional Chinese (Taiwan) translations installed with the system's packages
(/usr/share/locale/zh_TW/LC_MESSAGES/*.mo, written by hand by Taiwanese translators): only the translated
strings are read. Per catalogue it prints the share of characters changed by zhdoc's `traditional`, by
OpenCC's s2tw applied directly, and by the round trip through Simplified (t2s then s2tw); then the totals,
with and without the iso_* catalogues (lists of transliterated names rather than prose), and the
characters zhdoc changed.

    python benchmarks/script_fidelity.py [FILE.mo ...]
"""

from __future__ import annotations

import struct
import sys
from collections import Counter
from pathlib import Path

from converter.script import convert, converter, detect

CATALOGUES = Path("/usr/share/locale/zh_TW/LC_MESSAGES")


def translations(path: Path) -> str:
    """The msgstr texts of a GNU .mo file, one per line (the header left out)."""
    data = path.read_bytes()
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    count, originals, translated = struct.unpack(order + "3I", data[8:20])
    texts = []
    for index in range(count):
        original_length, _ = struct.unpack(order + "2I", data[originals + 8 * index : originals + 8 * index + 8])
        length, offset = struct.unpack(order + "2I", data[translated + 8 * index : translated + 8 * index + 8])
        if original_length:
            texts.extend(data[offset : offset + length].decode("utf-8").split("\0"))
    return "\n".join(texts)


def changed(before: str, after: str) -> int:
    return sum(a != b for a, b in zip(before, after)) + abs(len(before) - len(after))


def main(paths: list[Path]) -> None:
    totals = {"all": Counter(), "without iso_*": Counter()}
    changes = Counter()
    print(f"{'catalogue':28} {'chars':>8} {'zhdoc':>8} {'s2tw':>8} {'t2s→s2tw':>9}")
    for path in paths:
        text = translations(path)
        zhdoc = convert(text, "traditional", detect(text))
        counts = {
            "zhdoc": changed(text, zhdoc),
            "s2tw": changed(text, converter("s2tw").convert(text)),
            "round trip": changed(text, converter("s2tw").convert(converter("t2s").convert(text))),
        }
        for name, total in totals.items():
            if name == "all" or not path.stem.startswith("iso_"):
                total.update(counts, chars=len(text))
        changes.update((a, b) for a, b in zip(text, zhdoc) if a != b)
        print(f"{path.stem:28} {len(text):8} {_shares(counts, len(text))}")
    for name, total in totals.items():
        print(f"{name:28} {total['chars']:8} {_shares(total, total['chars'])}")
    print("zhdoc changed:", ", ".join(f"{a}→{b} {n}" for (a, b), n in changes.most_common()))


def _shares(counts: dict[str, int], chars: int) -> str:
    return " ".join(f"{100 * counts[k] / max(chars, 1):7.4f}%" for k in ("zhdoc", "s2tw", "round trip"))


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or sorted(CATALOGUES.glob("*.mo")))
