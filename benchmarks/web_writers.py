"""Time and size of the HTML and EPUB writers beside the DOCX writer, on the same trees (issue 23).

    python benchmarks/web_writers.py [--check]

Each input is read and repaired once; then each writer renders its tree three times and the best time
is kept (the machine is shared). ``--check`` runs epubcheck on every EPUB and prints its counts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter import Options  # noqa: E402
from converter.pipeline import clean_source, render  # noqa: E402

FIXTURES = ROOT / "fixtures"
INPUTS = [
    FIXTURES / "sample" / "gd-news-trad-pinyin.txt",
    FIXTURES / "structured" / "structured-manual.txt",
    FIXTURES / "markdown" / "readme.md",
    FIXTURES / "docx" / "zh-report.docx",
]
WRITERS = [("docx", Options()), ("html", Options()), ("epub", Options()), ("epub", Options(embed_fonts=True))]


def big_manual(folder: Path) -> Path:
    """The structured manual 200 times over (800 chapters, about 1 MB of text)."""
    text = (FIXTURES / "structured" / "structured-manual.txt").read_text(encoding="utf-8")
    body = text.split("\n", 1)[1]
    path = folder / "manual-x200.txt"
    path.write_text(text.split("\n", 1)[0] + "\n" + body * 200, encoding="utf-8")
    return path


def best(make, rounds: int = 3) -> tuple[float, bytes]:
    times, data = [], b""
    for _ in range(rounds):
        started = time.perf_counter()
        data = make()
        times.append(time.perf_counter() - started)
    return min(times), data


def epubcheck(data: bytes, folder: Path) -> str:
    path = folder / "book.epub"
    path.write_bytes(data)
    command = [
        "java",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-jar",
        shutil.which("epubcheck") or "",
        str(path),
    ]
    run = subprocess.run(command, capture_output=True, text=True)
    return next((line for line in run.stdout.splitlines() if line.startswith("Messages:")), run.stdout[-200:])


def main() -> None:
    check = "--check" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        inputs = INPUTS + [big_manual(Path(folder))]
        print("| input | writer | time (best of 3) | size |" + (" epubcheck |" if check else ""))
        print("|---|---|---|---|" + ("---|" if check else ""))
        for source in inputs:
            document = clean_source(source)[1]
            for fmt, options in WRITERS:
                seconds, data = best(lambda doc=document, fmt=fmt, options=options: render(doc, fmt, options))
                name = fmt + (" --embed-fonts" if options.embed_fonts else "")
                row = f"| {source.name} | {name} | {seconds * 1000:.1f} ms | {len(data) / 1024:.0f} KiB |"
                if check:
                    row += f" {epubcheck(data, Path(folder)) if fmt == 'epub' else ''} |"
                print(row, flush=True)


if __name__ == "__main__":
    main()
