"""Cold start: one file converted by a fresh process, beside LibreOffice converting the same file.

    python benchmarks/cold_start.py [--runs 5]

zhdoc writes TXT, DOCX and PDF (and, separately, TXT only); LibreOffice writes the PDF. Each is run
``--runs`` times after one warm-up run (which fills the OS file cache, LibreOffice's profile, and
zhdoc's .pyc files and cache of parsed fonts and tables); the median wall time is printed. zhdoc runs
without PYTHONDONTWRITEBYTECODE, as on a user's machine, which writes .pyc files (with it set, every
process would compile zhdoc from source). Also checks that a TXT-only conversion imports neither
reportlab nor python-docx.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample" / "gd-news-trad-pinyin.txt"


USER_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def medians(commands: list[list[str]], runs: int) -> list[float]:
    """Median wall seconds of each command, run in turn (one run of each per round, so that a slower
    moment of a shared machine weighs on every command alike)."""
    for command in commands:  # warm-up
        subprocess.run(command, check=True, capture_output=True, env=USER_ENVIRONMENT)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, seen in zip(commands, times):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=USER_ENVIRONMENT)
            seen.append(time.perf_counter() - started)
    return [statistics.median(seen) for seen in times]


def heavy_imports_for_txt() -> list[str]:
    code = (
        "import sys\nfrom converter import Options, convert_file\n"
        f"convert_file({str(SAMPLE)!r}, {tempfile.mkdtemp()!r} + '/s', Options(formats=('txt',)))\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'docx', 'lxml'})))"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="zhdoc-cold-"))
    zhdoc = [sys.executable, "-m", "converter", "convert", str(SAMPLE), "-o", str(out / "z"), "-q", "--force"]
    names = ["zhdoc convert: repair + TXT + DOCX + PDF", "zhdoc convert -f txt: repair + TXT"]
    commands = [zhdoc, [*zhdoc, "-f", "txt"]]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        names.append("soffice --headless --convert-to pdf (no repair)")
        commands.append(
            [
                soffice,
                f"-env:UserInstallation=file://{out / 'lo-profile'}",
                "--headless",
                "--infilter=Text (encoded):UTF8,LF,,,",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out / "lo"),
                str(SAMPLE),
            ]
        )
    else:
        print("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui; peer skipped")
    rows = list(zip(names, medians(commands, args.runs)))
    print(f"cold start, one file ({SAMPLE.name}), median of {args.runs} runs")
    print(f"{'command':52} {'seconds':>8} {'vs zhdoc':>9}")
    for name, seconds in rows:
        print(f"{name:52} {seconds:8.2f} {seconds / rows[0][1]:8.1f}×")
    heavy = heavy_imports_for_txt()
    print(f"modules a TXT-only conversion loads of reportlab/python-docx/lxml: {', '.join(heavy) or 'none'}")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
