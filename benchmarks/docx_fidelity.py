"""Word in, Word out on real documents: structure, formatting and text kept, only the script changed.

    python benchmarks/docx_fidelity.py FOLDER... [--to simplified|traditional]

For every .docx under the folders: convert with repair off, then compare the output with the input
(paragraph count and styles, tables, cells, hyperlinks, run formatting, each paragraph's text against
OpenCC's conversion of the original). Prints one line per file and a summary.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from docx_checks import compare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--to", default="traditional")
    args = parser.parse_args()
    totals = {"files": 0, "paragraphs": 0, "format_kept": 0, "text_ok": 0, "structure_ok": 0}
    for folder in args.folders:
        for path in sorted(folder.rglob("*.docx")):
            result = compare(path.read_bytes(), args.to, path.name)
            totals["files"] += 1
            totals["paragraphs"] += result.paragraphs
            totals["format_kept"] += result.format_kept
            totals["text_ok"] += result.text_ok
            totals["structure_ok"] += result.structure_ok
            print(f"{path.name}: {result}")
    share = totals["format_kept"] / max(totals["paragraphs"], 1)
    print(f"{totals} formatting kept in {share:.2%} of paragraphs")


if __name__ == "__main__":
    main()
