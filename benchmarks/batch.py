"""Batch of varied real documents to TXT+DOCX+PDF, beside LibreOffice headless and pandoc, in one run.

The documents (``--corpus real``, the default): the real Chinese manuals and READMEs that
``benchmarks/fetch_docs.py`` downloads into ``benchmarks/docs/{text,markdown}`` (not in the repo; run it
first), and the damaged fidelity corpora in ``fixtures/``, each once. The numbers in benchmarks/README.md
were measured on a larger local set (also man pages and w3m renderings: 113 documents, 3.9 MB).
``--corpus damaged --files 1000`` makes the earlier set: the sample article and damaged variants of the
fidelity corpus.

zhdoc repairs every file and writes all three formats with all cores. LibreOffice converts the same
files (read as UTF-8 text) to .docx, then to .pdf, one invocation each; pandoc converts each file to
.docx in its own process. Prints wall time, time per document and peak memory (largest process; for
zhdoc, per worker with its first and last readings, to show it stays flat), and the bytes of the PDFs.

    apt-get install libreoffice-writer-nogui pandoc   # the peers; a missing one is skipped
    python benchmarks/batch.py [--corpus real|damaged] [--files 1000] [--pandoc-files 1000] [--no-pandoc]
                               [--docs FOLDER ...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures" / "mojibake"))
import damage as model  # noqa: E402


def make_documents(folder: Path, count: int) -> None:
    """The sample article and variants of the clean corpus damaged with different seeds."""
    sample = (ROOT / "fixtures" / "sample" / "gd-news-trad-pinyin.txt").read_text(encoding="utf-8")
    cleans = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "mojibake" / "clean").glob("*.txt"))]
    table = model.char_table()
    for i in range(count):
        if i % 5 == 0:
            text = sample
        else:
            clean = cleans[i % len(cleans)]
            trad = model.mirror_convert(clean, table)
            rng = random.Random(i)
            data = model.annotate(model.gbk(trad), trad, table, rng, 0.7)
            text = model.site_decode(model.insert_commas(data, rng))
            text = text.translate(model.FOLD) if i % 2 else text
        (folder / f"doc{i:04d}.txt").write_text(text, encoding="utf-8")


REALDOCS = [ROOT / "benchmarks" / "docs" / "text", ROOT / "benchmarks" / "docs" / "markdown"]  # fetch_docs.py
FIDELITY = [ROOT / "fixtures" / "mojibake" / "damaged", ROOT / "fixtures" / "mojibake-tech" / "damaged"]


def copy_real_documents(folder: Path, docs: list[Path] | None = None) -> int:
    """Every .txt and .md file of the real documents (``docs``, or what fetch_docs.py downloaded) and
    the damaged corpora, once; returns the count."""
    count = 0
    for root in [*(docs or REALDOCS), *FIDELITY]:
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.suffix in (".txt", ".md") and path.is_file():
                shutil.copyfile(path, folder / f"{count:03d}-{path.name}")
                count += 1
    return count


def run(command: list[str], **kwargs) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of the largest process in the command's tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("real", "damaged"), default="real")
    parser.add_argument("--files", type=int, default=1000, help="documents of the damaged corpus")
    parser.add_argument("--no-pandoc", action="store_true", help="LibreOffice as the only peer")
    parser.add_argument("--pandoc-files", type=int, default=1000, help="pandoc runs one process per file")
    parser.add_argument("--no-peers", action="store_true", help="measure zhdoc alone")
    parser.add_argument(
        "--docs", type=Path, action="append", help="folder of real documents instead of benchmarks/docs (repeatable)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zhdoc-bench-"))
    source = work / "in"
    source.mkdir()
    if args.corpus == "real":
        args.files = copy_real_documents(source, args.docs)
    else:
        make_documents(source, args.files)
    size = sum(p.stat().st_size for p in source.iterdir()) / 1e6
    rows = []

    report = work / "report.json"
    seconds, peak = run(
        [
            sys.executable,
            "-m",
            "converter",
            "convert",
            str(source),
            "-o",
            str(work / "zhdoc"),
            "-q",
            "--report",
            str(report),
        ]
    )
    rows.append(("zhdoc: repair + TXT + DOCX + PDF, all cores", seconds, peak))
    files = json.loads(report.read_text(encoding="utf-8"))["files"]

    soffice = None if args.no_peers else shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        profile = f"-env:UserInstallation=file://{work / 'lo-profile'}"
        inputs = sorted(str(p) for p in source.iterdir())
        total, largest = 0.0, 0.0
        for fmt in ("docx", "pdf"):
            seconds, peak = run(
                [
                    soffice,
                    profile,
                    "--headless",
                    "--infilter=Text (encoded):UTF8,LF,,,",
                    "--convert-to",
                    fmt,
                    "--outdir",
                    str(work / "lo"),
                    *inputs,
                ]
            )
            rows.append((f"LibreOffice headless: TXT → {fmt.upper()} (no repair)", seconds, peak))
            total, largest = total + seconds, max(largest, peak)
        rows.append(("LibreOffice headless: DOCX + PDF together", total, largest))
    elif not args.no_peers:
        print("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui; peer skipped")

    pandoc = None if args.no_peers or args.no_pandoc else shutil.which("pandoc")
    if pandoc:
        subset = sorted(source.iterdir())[: args.pandoc_files]
        (work / "pandoc").mkdir()
        started, largest = time.perf_counter(), 0.0
        for path in subset:
            _, peak = run(
                [pandoc, "-f", "markdown", "-t", "docx", "-o", str(work / "pandoc" / f"{path.stem}.docx"), str(path)]
            )
            largest = max(largest, peak)
        seconds = (time.perf_counter() - started) * args.files / len(subset)
        label = "pandoc: TXT → DOCX, a process per file" + ("" if len(subset) == args.files else " (scaled)")
        rows.append((label, seconds, largest))
    elif not args.no_peers and not args.no_pandoc:
        print("pandoc is not installed: apt-get install pandoc; peer skipped")

    pdfs = sorted((work / "zhdoc").rglob("*.pdf"))
    print(f"\n{args.files} documents ({args.corpus}), {size:.1f} MB, {os.cpu_count()} cores")
    print(f"zhdoc's PDFs: {len(pdfs)} files, {sum(p.stat().st_size for p in pdfs) / 1e6:.2f} MB")
    print(f"{'run':52} {'wall s':>8} {'ms/doc':>7} {'peak MB':>8} {'zhdoc faster':>13}")
    for name, seconds, peak in rows:
        print(f"{name:52} {seconds:8.1f} {seconds / args.files * 1000:7.1f} {peak:8.0f} {seconds / rows[0][1]:12.1f}×")
    workers: dict[int, list[float]] = {}
    # files are handed out largest first (earlier versions: in name order)
    for record in sorted(files, key=lambda r: (-Path(r["input"]).stat().st_size, r["input"])):
        workers.setdefault(record["worker"], []).append(record["peak_rss_mb"])
    print("\nzhdoc peak memory per worker (MB), after 1, 25%, 50%, 75% and all of its files")
    for pid, readings in workers.items():
        marks = [readings[0], *(readings[len(readings) * q // 4 - 1] for q in (1, 2, 3, 4))]
        print(f"  worker {pid} ({len(readings)} files): " + " → ".join(f"{m:.0f}" for m in marks))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
