"""The ``zhdoc`` command: flags → Options → one library call → exit code."""

from __future__ import annotations

import difflib
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

import click

from .batch import GLOB
from .check import check_paths
from .errors import MissingDependency, ZhdocError
from .options import DEFAULT_FORMATS, FORMATS, Options
from .pipeline import clean_source
from .report import FileResult

SCRIPTS = "keep, simplified, traditional, taiwan, hongkong, or an OpenCC config such as s2twp"


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"{', '.join(bad) or value!r}: choose from {', '.join(FORMATS)}")
    return formats


def common(command: Callable) -> Callable:
    """Options every command shares."""
    for option in reversed(
        [
            click.option("--to", "to", default="keep", show_default=True, help=f"Script of the output: {SCRIPTS}."),
            click.option("--encoding", help="Input encoding (default: detected)."),
            click.option("--cjk-latin-spacing", is_flag=True, help="Put a space between Han and Latin text."),
            click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors."),
        ]
    ):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhdoc")
def main() -> None:
    """Repair damaged Chinese text and write clean TXT, DOCX and PDF.

    \b
    Examples:
      zhdoc convert article.txt -o out/          # out/article.txt, .docx, .pdf
      zhdoc convert corpus/ -o out/ --to simplified -j 4 --report report.json
      zhdoc clean article.txt > clean.txt
      echo '你好,世界!' | zhdoc clean -
      zhdoc check corpus/*.txt                   # exit 1 if anything would change
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    default=Path("zhdoc-out"),
    show_default=True,
    help="Output folder; folders given as input are mirrored under it.",
)
@click.option(
    "-f",
    "--formats",
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    callback=_formats,
    help="Comma-separated output formats.",
)
@click.option(
    "--glob", default=GLOB, show_default=True, help="Which files to take from input folders (comma-separated)."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="all cores",
    help="Worker processes; -j 1 runs in this process.",
)
@click.option(
    "--scheduler",
    envvar="ZHDOC_SCHEDULER",
    metavar="ADDRESS",
    help="Run on a dask.distributed cluster (needs zhdoc[dask] and a shared file system).",
)
@click.option("--force", is_flag=True, help="Convert again even when the outputs are up to date.")
@click.option("--title", help="Title of the document (default: a short first line).")
@click.option("--font", type=click.Path(dir_okay=False, path_type=Path), help="TrueType font file for DOCX/PDF.")
@click.option("--font-index", type=int, default=0, help="Face index inside a .ttc font collection.")
@click.option("--no-repair", is_flag=True, help="Only convert the script and write; do not repair the text.")
@click.option("--track-changes", is_flag=True, help="Word input: write every fix as a revision to accept or reject.")
@click.option("--embed-fonts", is_flag=True, help="DOCX output: embed the used subset of the bundled CJK face.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON report of every file here.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@common
def convert(
    paths,
    out,
    formats,
    glob,
    jobs,
    scheduler,
    force,
    title,
    font,
    font_index,
    no_repair,
    track_changes,
    embed_fonts,
    report_path,
    quiet,
    to,
    encoding,
    cjk_latin_spacing,
    debug,
) -> None:
    """Convert files and folders (recursively) to TXT, DOCX and PDF.

    \b
    Examples:
      zhdoc convert article.txt -o out/
      zhdoc convert corpus/ -o out/ -f pdf --to traditional
      zhdoc convert corpus/ -o out/ --report report.json -j 8
      zhdoc convert report.docx -o out/ -f docx --to traditional --track-changes
      zhdoc convert /shared/corpus -o /shared/out --scheduler tcp://scheduler:8786

    Exit code: 0 when every file converted (or was up to date), 1 when any failed, 2 for usage errors.
    """
    options = _options(
        debug,
        formats=formats,
        to=to,
        encoding=encoding,
        title=title,
        repair=not no_repair,
        cjk_latin_spacing=cjk_latin_spacing,
        font=str(font) if font else None,
        font_index=font_index,
        force=force,
        track_changes=track_changes,
        embed_fonts=embed_fonts,
    )
    from .batch import convert_paths

    _stop_cleanly_on_sigterm()
    bar = None if quiet or not sys.stderr.isatty() else _progress_bar()
    try:
        with _guard(debug):
            report = convert_paths(paths, out, options, _executor(scheduler, jobs), glob, bar.update if bar else None)
    except KeyboardInterrupt:
        click.echo("zhdoc: interrupted; finished outputs are kept, rerun to convert the rest", err=True)
        sys.exit(130)
    finally:
        if bar:
            bar.close()
    if report_path:
        from .pipeline import atomic_write

        atomic_write(report_path, report.to_json().encode("utf-8"))
    if not quiet or report.failed:
        click.echo(report.summary() if not quiet else "\n".join(f.error for f in report.failed), err=True)
    sys.exit(report.return_code)


@main.command()
@click.argument("path", default="-", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--diff", is_flag=True, help="Show a unified diff of what changed instead of the text.")
@common
def clean(path, diff, to, encoding, cjk_latin_spacing, debug) -> None:
    """Print the repaired text of PATH (or of standard input, "-").

    \b
    Examples:
      echo '你好,世界!' | zhdoc clean -          # 你好，世界！
      zhdoc clean article.txt --to simplified > clean.txt
      zhdoc clean article.txt --diff
    """
    options = _options(debug, to=to, encoding=encoding, cjk_latin_spacing=cjk_latin_spacing, title="")
    with _guard(debug):
        text, document = clean_source(sys.stdin.buffer.read() if str(path) == "-" else path, options)
    cleaned = document.text
    if diff:
        lines = difflib.unified_diff(text.splitlines(True), cleaned.splitlines(True), f"{path}", f"{path} (repaired)")
        click.echo("".join(lines), nl=False)
    else:
        click.echo(cleaned, nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--glob", default=GLOB, show_default=True, help="Which files to take from folders (comma-separated).")
@common
def check(paths, glob, to, encoding, cjk_latin_spacing, debug) -> None:
    """List what the repair would change, as FILE:LINE:COLUMN lines; exit 1 if anything would.

    \b
    Examples:
      zhdoc check article.txt
      zhdoc check corpus/ --glob '*.md'
    """
    options = _options(debug, to=to, encoding=encoding, cjk_latin_spacing=cjk_latin_spacing)
    with _guard(debug):
        found, report = check_paths(paths, options, glob)
    for finding in found:
        click.echo(str(finding))
    for failure in report.failed:
        click.echo(f"zhdoc: error: {failure.error}", err=True)
    click.echo(f"{len(found)} change(s) in {len(report.files)} file(s)", err=True)
    sys.exit(1 if found or report.failed else 0)


def _options(debug: bool, **values: object) -> Options:
    try:
        return Options(debug=debug, **values)
    except ZhdocError as error:
        raise click.UsageError(str(error)) from None


class _guard:
    """Turn a ZhdocError into one line on stderr and exit code 1 (a traceback only with --debug)."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or self.debug or not isinstance(error, ZhdocError):
            return False
        click.echo(f"zhdoc: error: {error}", err=True)
        sys.exit(1)


def _executor(scheduler: str | None, jobs: int) -> Callable[[], Executor] | Executor | None:
    if scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise click.ClickException(str(MissingDependency("--scheduler", "dask.distributed", "dask"))) from None
        try:
            return Client(scheduler, timeout=10).get_executor()
        except (OSError, TimeoutError, ValueError) as error:
            raise click.ClickException(f"cannot use the dask scheduler at {scheduler}: {error}") from None
    if jobs == 1:
        return None
    return lambda: ProcessPoolExecutor(max_workers=jobs, initializer=_stop_cleanly_on_sigterm)


def _stop_cleanly_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed and finished work is recorded."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _progress_bar():
    from tqdm import tqdm

    bar = tqdm(unit="file", dynamic_ncols=True, file=sys.stderr)

    class Bar:
        failed = 0

        def update(self, result: FileResult, total: int) -> None:
            bar.total = total
            if result.status == "failed":
                self.failed += 1
                bar.set_postfix(failed=self.failed)
            bar.update(1)

        def close(self) -> None:
            bar.close()

    return Bar()
