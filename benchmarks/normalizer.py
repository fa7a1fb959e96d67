"""Normaliser throughput beside autocorrect-py, in one run, on two corpora:

- clean real Chinese documentation (the Debian manuals and Chinese Markdown READMEs that
  ``benchmarks/fetch_docs.py`` downloads into ``benchmarks/docs``, not in the repo; ``--docs`` takes other
  folders), each file read once and the set repeated to several MB;
- the damaged sample article repeated to about 4 MB (as that many documents).

zhdoc runs the path the CLI uses: each document is read (``readers.read_text``), then repaired unit by
unit (``transform.repair_document``); reading is timed apart. It also runs ``normalize`` per line, as
earlier measurements did. autocorrect-py formats each document's whole text (Markdown as Markdown).
The two do different repairs (autocorrect spaces and widens marks; zhdoc also removes pinyin, drops
spurious commas, decodes mojibake and records every fix); the point is the cost per byte.

    pip install -e '.[bench]' && python benchmarks/normalizer.py [--docs FOLDER ...] [--copies 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from converter.readers import read_text
from converter.repair import normalize
from converter.transform import repair_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample" / "gd-news-trad-pinyin.txt"
REALDOCS = [ROOT / "benchmarks" / "docs" / "text", ROOT / "benchmarks" / "docs" / "markdown"]  # fetch_docs.py
TARGET = 4_000_000  # bytes of the damaged sample


ROUNDS = 3


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def best_in_turn(functions: dict[str, Callable[[], object]], rounds: int = ROUNDS) -> dict[str, float]:
    """The best time of each function over ``rounds`` rounds, each round running every function once in
    turn: a slower moment of a shared machine then weighs on zhdoc and its peer alike (one tool timed
    after the other moved their ratio by up to 2× between runs)."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(rounds):
        for label, function in functions.items():
            best[label] = min(best[label], timed(function))
    return best


def clean_corpus(folders: list[Path], copies: int) -> list[tuple[str, str]]:
    """(format, text) of every .txt and .md file under ``folders``, the list repeated ``copies`` times."""
    docs = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".txt", ".md") and path.is_file():
                docs.append(("markdown" if path.suffix == ".md" else "text", path.read_text(encoding="utf-8")))
    return docs * copies


def damaged_corpus() -> list[tuple[str, str]]:
    """The article as many documents: one document of 4 MB would measure the text reader's layout analysis."""
    article = SAMPLE.read_text(encoding="utf-8") + "\n"
    return [("text", article)] * (TARGET // len(article.encode()) + 1)


def measure(name: str, docs: list[tuple[str, str]]) -> None:
    size = sum(len(text.encode()) for _, text in docs) / 1e6
    documents = [read_text(text, fmt=fmt) for fmt, text in docs]
    lines = [line for _, text in docs for line in text.split("\n")]
    reading = timed(lambda: [read_text(t, fmt=f) for f, t in docs])
    functions: dict[str, Callable[[], object]] = {
        "zhdoc repair_document (per unit, as the CLI)": lambda: [repair_document(d) for d in documents],
        "zhdoc normalize (per line)": lambda: [normalize(line) for line in lines],
    }
    try:
        import autocorrect_py
    except ImportError:
        print("autocorrect-py is not installed (pip install autocorrect-py): peer skipped")
    else:

        def autocorrect() -> None:
            for fmt, text in docs:
                autocorrect_py.format_for(text, "md") if fmt == "markdown" else autocorrect_py.format(text)

        functions["autocorrect-py format (whole documents)"] = autocorrect
    rows = list(best_in_turn(functions).items())
    rows.insert(1, ("zhdoc reading the documents (not repair; once)", reading))
    print(f"\n{name}: {len(docs)} documents, {size:.1f} MB, best of {ROUNDS} rounds (the tools in turn)")
    print(f"{'tool':48} {'seconds':>8} {'MB/s':>7} {'zhdoc repair is':>16}")
    for label, seconds in rows:
        print(f"{label:48} {seconds:8.3f} {size / seconds:7.2f} {seconds / rows[0][1]:15.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, nargs="*", default=REALDOCS, help="folders of clean .txt/.md")
    parser.add_argument("--copies", type=int, default=3, help="times the clean set is repeated")
    args = parser.parse_args()
    for line in SAMPLE.read_text(encoding="utf-8").split("\n"):  # load pypinyin's readings and the tables first
        normalize(line)
    folders = [folder for folder in args.docs if folder.is_dir()]
    if folders:
        measure("clean real documentation", clean_corpus(folders, args.copies))
    else:
        print(f"no folder of clean documents found ({', '.join(map(str, args.docs))}): clean corpus skipped")
    measure("the damaged sample repeated", damaged_corpus())


if __name__ == "__main__":
    main()
