"""Linearity: the inputs of issue 20 that took minutes or hours, at 1× and 10× their size.

Each case is converted in a fresh process (read, repair and script conversion, then each writer in
turn), at 1× and at 10×; the table gives the seconds of each stage and the ratio of the totals. Time
linear in the input means a ratio near 10 (the target: at most 12, and the 10× case within 10 s).

    python benchmarks/linearity.py [--only NAME ...] [--formats txt,docx,pdf,md] [--timeout SECONDS] [--scales 1,10]

(``--formats`` defaults to zhdoc's own default, txt,docx,pdf.)
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # (after PYTHONPATH: PYTHONPATH=OTHER_TREE measures another version)


def _docx_runs(count: int) -> bytes:
    """A Word paragraph of ``count`` runs, bold and plain in turn ("粗" bold, ",文" plain)."""
    from docx import Document

    document = Document()
    paragraph = document.add_paragraph()
    for _ in range(count // 2):
        paragraph.add_run("粗").bold = True
        paragraph.add_run(",文")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _sentences(size: int) -> str:
    """``size`` bytes (UTF-8) of Chinese prose in one paragraph (no line break)."""
    sentence = "这是一个很长的段落，用来测试排版是否随输入线性增长。"  # 26 characters, 78 bytes
    return sentence * (size // len(sentence.encode()))


def _table(columns: int) -> str:
    head = "| " + " | ".join(f"列{i}" for i in range(columns)) + " |\n"
    rule = "|" + "---|" * columns + "\n"
    rows = "".join("| " + " | ".join(f"格{r}.{i}" for i in range(columns)) + " |\n" for r in range(20))
    return head + rule + rows


FEED = "\f"
# name → (file name, what 1× is, input of a given scale)
CASES: dict[str, tuple[str, str, Callable[[int], bytes]]] = {
    "markdown-bold": ("bold.md", "'**粗**,文' × 20,000 (200 KB)", lambda k: ("**粗**,文" * 20_000 * k).encode()),
    "docx-runs": ("runs.docx", "one Word paragraph of 20,000 runs", lambda k: _docx_runs(20_000 * k)),
    "form-feeds": ("feeds.txt", "100,000 form feeds (100 KB)", lambda k: f"文字\n{FEED * 100_000 * k}文字\n".encode()),
    "paragraph": ("paragraph.txt", "one paragraph of 1.4 MB", lambda k: _sentences(1_400_000 * k).encode()),
    "code-line": ("line.md", "one code line of 2 MB", lambda k: ("```\n" + "a中" * (500_000 * k) + "\n```\n").encode()),
    "wide-table": ("table.md", "a table of 60 columns × 20 rows", lambda k: _table(60 * k).encode()),
}


def one(name: str, scale: int, formats: list[str], folder: Path) -> dict[str, float]:
    """Seconds of each stage of converting case ``name`` at ``scale`` (in this process)."""
    from converter.options import Options
    from converter.pipeline import process, render
    from converter.readers import read

    file_name, _, make = CASES[name]
    source = folder / f"{scale}-{file_name}"
    source.write_bytes(make(scale))
    options = Options(formats=tuple(formats), debug=True)
    times: dict[str, float] = {}
    started = time.perf_counter()
    document = read(source)
    times["read"] = time.perf_counter() - started
    started = time.perf_counter()
    document = process(document, options)
    times["repair"] = time.perf_counter() - started
    for fmt in formats:
        started = time.perf_counter()
        render(document, fmt, options)
        times[fmt] = time.perf_counter() - started
    return times


def measure(name: str, scale: int, formats: list[str], timeout: float) -> dict[str, float] | None:
    """``one`` in a fresh process; None if it ran past ``timeout`` seconds or failed."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, __file__, "--one", name, str(scale), ",".join(formats), folder]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return None
    if done.returncode:
        print(f"{name} ×{scale}: failed\n{done.stderr.strip().splitlines()[-1] if done.stderr else ''}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(CASES), default=list(CASES))
    parser.add_argument("--formats", default="txt,docx,pdf")  # zhdoc's default; md patches Markdown in
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--scales", default="1,10", help="sizes to run, as multiples of the 1× input")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        name, scale, formats, folder = args.one
        print(json.dumps(one(name, int(scale), formats.split(","), Path(folder))))
        return
    formats = args.formats.split(",")
    stages = ["read", "repair", *formats]
    print(f"{'case (1× is)':58} {'scale':>5} " + " ".join(f"{s:>7}" for s in stages) + f" {'total':>7} {'ratio':>6}")
    for name in args.only:
        base = None
        for scale in map(int, args.scales.split(",")):
            times = measure(name, scale, formats, args.timeout)
            label = f"{name}: {CASES[name][1]}" if scale == 1 else ""
            if times is None:
                print(f"{label:58} {scale:>4}× (over {args.timeout:.0f} s or failed)")
                continue
            total = sum(times.values())
            ratio = f"{total / base:6.1f}" if base else ""
            base = base or total
            cells = " ".join(f"{times[s]:7.2f}" for s in stages)
            print(f"{label:58} {scale:>4}× {cells} {total:7.2f} {ratio}", flush=True)


if __name__ == "__main__":
    main()
