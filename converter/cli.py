"""The ``zhdoc`` command: flags → Options → one library call → exit code."""

from __future__ import annotations

import difflib
import gc
import gettext
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from concurrent.futures import Executor

from .batch import GLOB
from .check import check_paths
from .errors import MissingDependency, OptionsError, ZhdocError
from .i18n import CHOICES, N_, Text, _, from_environment, localize, ngettext, set_language
from .options import DEFAULT_FORMATS, FORMATS, Options
from .pipeline import clean_source, cleaned_text
from .report import FileResult, escaped, one_line


def _language_asked(argv: list[str], environ: dict[str, str] | os._Environ) -> str:
    """``--lang`` from the command line, else the locale. Read before click parses the command line: the
    help texts are translated when the commands are built, at import."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return from_environment(environ)


def _translate_click() -> None:
    """click translates its own words ("Usage:", "Error: …") with gettext's global domain; point each click
    module at zhdoc's catalogs instead (their msgids are listed in ``extra_messages.py``)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("click") and getattr(module, "_", None) is gettext.gettext:
            module._ = _  # type: ignore[attr-defined]
        if name.startswith("click") and getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ngettext  # type: ignore[attr-defined]


# Importing this module sets the interface language of the process (the library's default is English).
set_language(_language_asked(sys.argv[1:], os.environ))
_translate_click()

SCRIPTS = _("keep, simplified, traditional, taiwan, hongkong, or an OpenCC config such as s2twp")
LANGUAGE_HELP = _("Language of messages: en, zh-CN or zh-TW (default: from LANG / LC_ALL / LC_MESSAGES).")


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        given = ", ".join(bad) or repr(value)
        raise click.BadParameter(_("{given}: choose from {choices}").format(given=given, choices=", ".join(FORMATS)))
    return formats


def common(command: Callable) -> Callable:
    """Options every command shares."""
    for option in reversed(
        [
            click.option(
                "--to",
                "to",
                default="keep",
                show_default=True,
                help=_("Script of the output: {scripts}.").format(scripts=SCRIPTS),
            ),
            click.option("--encoding", help=_("Input encoding (default: detected).")),
            click.option("--cjk-latin-spacing", is_flag=True, help=_("Put a space between Han and Latin text.")),
            click.option("--debug", is_flag=True, help=_("Show tracebacks of unexpected errors.")),
            _lang_option(),
        ]
    ):
        command = option(command)
    return command


def _lang_option() -> Callable:
    """``--lang`` is read before parsing (see ``_language_asked``); click only checks the value here."""
    return click.option(
        "--lang", type=click.Choice(list(CHOICES)), expose_value=False, is_eager=True, help=LANGUAGE_HELP
    )



class _InputPath(click.Path):
    """A path to read; an empty one (an unset shell variable) is refused rather than read as ".", which
    would convert the whole working folder."""

    def convert(self, value, param, ctx):
        if value == "":
            self.fail(_("an empty path (an unset variable?)"), param, ctx)
        return super().convert(value, param, ctx)


INPUT_PATH = _InputPath(path_type=Path)

def _help(summary: str, examples: str, footer: str = "") -> str:
    """A command's help: summary and footer translated, the example commands as they are."""
    heading = _("Examples:")
    text = f"{_(summary)}\n\n\b\n{heading}\n{examples}"
    return f"{text}\n\n{_(footer)}" if footer else text


MAIN_HELP = _help(
    N_("Repair damaged Chinese text and write clean TXT, DOCX and PDF."),
    """\
  zhdoc convert article.txt -o out/          # out/article.txt, .docx, .pdf
  zhdoc convert corpus/ -o out/ --to simplified -j 4 --report report.json
  zhdoc clean article.txt > clean.txt
  echo '你好,世界!' | zhdoc clean -
  zhdoc check corpus/*.txt                   # """
    + _("exit 1 if anything would change"),
)


@click.group(help=MAIN_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhdoc")
@_lang_option()
def main() -> None:
    """zhdoc's commands (the help shown is MAIN_HELP, in the interface language)."""


CONVERT_HELP = _help(
    N_("Convert files and folders (recursively) to TXT, DOCX and PDF."),
    """\
  zhdoc convert article.txt -o out/
  zhdoc convert corpus/ -o out/ -f pdf --to traditional
  zhdoc convert corpus/ -o out/ --report report.json -j 8
  zhdoc convert report.docx -o out/ -f docx --to traditional --track-changes
  zhdoc convert /shared/corpus -o /shared/out --scheduler tcp://scheduler:8786""",
    N_("Exit code: 0 when every file converted (or was up to date), 1 when any failed, 2 for usage errors."),
)


@main.command(help=CONVERT_HELP)
@click.argument("paths", nargs=-1, required=True, type=INPUT_PATH)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    metavar="PATH",
    default=Path("zhdoc-out"),
    show_default=True,
    help=_("Output folder; folders given as input are mirrored under it."),
)
@click.option(
    "-f",
    "--formats",
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    callback=_formats,
    help=_("Comma-separated output formats."),
)
@click.option(
    "--glob", default=GLOB, show_default=True, help=_("Which files to take from input folders (comma-separated).")
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default=_("all cores"),
    help=_("Worker processes; -j 1 runs in this process."),
)
@click.option(
    "--scheduler",
    envvar="ZHDOC_SCHEDULER",
    metavar="ADDRESS",
    help=_("Run on a dask.distributed cluster (needs zhdoc[dask] and a shared file system)."),
)
@click.option("--force", is_flag=True, help=_("Convert again even when the outputs are up to date."))
@click.option("--title", help=_("Title of the document (default: a short first line)."))
@click.option(
    "--font",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=_("TrueType font file for DOCX/PDF."),
)
@click.option("--font-index", type=int, default=0, help=_("Face index inside a .ttc font collection."))
@click.option("--no-repair", is_flag=True, help=_("Only convert the script and write; do not repair the text."))
@click.option(
    "--track-changes", is_flag=True, help=_("Word input: write every fix as a revision to accept or reject.")
)
@click.option(
    "--embed-fonts", is_flag=True, help=_("DOCX and EPUB output: embed the used subset of the bundled CJK face.")
)
@click.option("--whole-page", is_flag=True, help=_("HTML input: keep the whole page, navigation and footers too."))
@click.option(
    "--vertical", "writing_mode", flag_value="vertical", help=_("EPUB output: vertical text, pages right to left.")
)
@click.option("--horizontal", "writing_mode", flag_value="horizontal", help=_("EPUB output: horizontal text."))
@click.option(
    "--resources",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR",
    help=_("Another folder that Markdown images may be read from (besides each document's own)."),
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=_("Write a JSON report of every file here."),
)
@click.option("-q", "--quiet", is_flag=True, help=_("No progress bar and no summary."))
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
    resources,
    whole_page,
    writing_mode,
    report_path,
    quiet,
    to,
    encoding,
    cjk_latin_spacing,
    debug,
) -> None:
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
        resources=str(resources.absolute()) if resources else None,
        whole_page=whole_page,
        writing_mode=writing_mode,
    )
    from .batch import convert_paths

    one_file = len(paths) == 1 and paths[0].is_file()  # no pool to start: converted in this process
    side_process = one_file and jobs > 1  # its PDF made in a forked process, ready while this one reads
    if not scheduler:  # a cluster's workers import what they need themselves; a lone file's, after the fork
        _preload(() if side_process else options.formats)
    _stop_cleanly_on_sigterm()
    terminal = not quiet and sys.stderr.isatty()
    bar = _progress_bar() if terminal and not one_file else None  # (its thread would stop a fork)
    steps = _StageBar(len(options.formats)) if terminal and one_file else None  # a lone file's (a book's) steps
    try:
        with _guard(debug):
            executor = _executor(scheduler, 1 if one_file else jobs)
            progress = bar.update if bar else None
            report = convert_paths(
                paths,
                out,
                options,
                executor,
                glob,
                progress,
                side_process=side_process,
                report_path=report_path,
                stages=steps.update if steps else None,
            )
    except KeyboardInterrupt:
        click.echo(_("zhdoc: interrupted; finished outputs are kept, rerun to convert the rest"), err=True)
        sys.exit(130)
    finally:
        for shown in (bar, steps):
            if shown:
                shown.close()
    if not quiet or report.failed:
        failures = escaped("\n".join(one_line(localize(f.error)) for f in report.failed))
        click.echo(report.summary() if not quiet else failures, err=True)
    sys.exit(report.return_code)


CLEAN_HELP = _help(
    N_('Print the repaired text of PATH (or of standard input, "-").'),
    """\
  echo '你好,世界!' | zhdoc clean -          # 你好，世界！
  zhdoc clean article.txt --to simplified > clean.txt
  zhdoc clean article.txt --diff""",
)


@main.command(help=CLEAN_HELP)
@click.argument("path", default="-", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--diff", is_flag=True, help=_("Show a unified diff of what changed instead of the text."))
@common
def clean(path, diff, to, encoding, cjk_latin_spacing, debug) -> None:
    options = _options(debug, to=to, encoding=encoding, cjk_latin_spacing=cjk_latin_spacing, title="")
    with _guard(debug):
        text, document = clean_source(sys.stdin.buffer.read() if str(path) == "-" else path, options)
    cleaned = cleaned_text(document, options)
    if diff:
        name = escaped(str(path))
        lines = difflib.unified_diff(text.splitlines(True), cleaned.splitlines(True), name, f"{name} (repaired)")
        click.echo("".join(lines), nl=False)
    else:
        click.echo(cleaned, nl=False)


CHECK_HELP = _help(
    N_("List what the repair would change, as FILE:LINE:COLUMN lines; exit 1 if anything would."),
    """\
  zhdoc check article.txt
  zhdoc check corpus/ --glob '*.md'""",
)


@main.command(help=CHECK_HELP)
@click.argument("paths", nargs=-1, required=True, type=INPUT_PATH)
@click.option("--glob", default=GLOB, show_default=True, help=_("Which files to take from folders (comma-separated)."))
@common
def check(paths, glob, to, encoding, cjk_latin_spacing, debug) -> None:
    options = _options(debug, to=to, encoding=encoding, cjk_latin_spacing=cjk_latin_spacing)
    with _guard(debug):
        found, report = check_paths(paths, options, glob)
    for finding in found:
        click.echo(escaped(str(finding)))
    for failure in report.failed:
        click.echo(escaped(_("zhdoc: error: {error}").format(error=localize(failure.error))), err=True)
    changes = ngettext("{count} change", "{count} changes", len(found)).format(count=len(found))
    files = ngettext("{count} file", "{count} files", len(report.files)).format(count=len(report.files))
    click.echo(_("{changes} in {files}").format(changes=changes, files=files), err=True)
    sys.exit(1 if found or report.failed else 0)


def _options(debug: bool, **values: object) -> Options:
    try:
        return Options(debug=debug, **values)
    except ZhdocError as error:
        raise click.UsageError(str(error)) from None


class _guard:
    """Turn a ZhdocError into one line on stderr and exit code 1, 2 for an OptionsError found by the
    library (a traceback only with --debug)."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or self.debug or not isinstance(error, ZhdocError):
            return False
        click.echo(escaped(_("zhdoc: error: {error}").format(error=error)), err=True)
        sys.exit(2 if isinstance(error, OptionsError) else 1)


DASK_TIMEOUT = 10.0  # seconds to reach a dask scheduler


def _executor(scheduler: str | None, jobs: int) -> Callable[[], Executor] | Executor | None:
    if scheduler:
        return _dask_executor(scheduler, DASK_TIMEOUT)
    if jobs == 1:
        return None
    from concurrent.futures import ProcessPoolExecutor

    from .workers import init

    return lambda: ProcessPoolExecutor(max_workers=jobs, initializer=init, initargs=(os.getpid(),))


def _dask_executor(address: str, timeout: float) -> Executor:
    """A dask cluster's executor. The client is made in a thread given ``timeout`` (and a little) to
    answer: dask's own timeout does not cover a server that accepts the connection and never replies."""
    import threading

    try:
        from dask.distributed import Client
    except ImportError:
        raise click.ClickException(str(MissingDependency("--scheduler", "dask.distributed", "dask"))) from None
    made: dict[str, object] = {}

    def connect() -> None:
        try:
            made["client"] = Client(address, timeout=timeout)
        except Exception as error:  # noqa: BLE001 (reported below, in one line)
            made["error"] = error

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(timeout + 2)
    if "client" in made:
        return made["client"].get_executor()  # type: ignore[attr-defined]
    error = made.get("error") or Text("no answer within {seconds} s", seconds=round(timeout))
    message = Text("cannot use the dask scheduler at {address}: {error}", address=address, error=str(error))
    raise click.ClickException(message.localized())


def _preload(formats: tuple[str, ...]) -> None:
    """Import the writers once, before any worker is forked (the workers share them), and freeze what is
    loaded: it lives until exit, so the collector need not scan it again in every full collection (a
    tenth of a one-file conversion) and forked workers do not copy it by touching it."""
    from .writers import get_writer

    for fmt in formats:
        get_writer(fmt)
    gc.freeze()


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


class _StageBar:
    """A lone file's steps (read, repaired and converted, each format made) on a bar that shows only
    when they take more than half a second: a long book's progress. Made at the first step, after
    the side process is forked, and with no monitor thread."""

    def __init__(self, formats: int) -> None:
        self.total, self.bar, self.started = 2 + formats, None, time.time()

    def update(self, source: str, stage: str) -> None:
        if self.bar is None:
            from tqdm import tqdm

            tqdm.monitor_interval = 0
            name = escaped(Path(source).name)
            self.bar = tqdm(total=self.total, desc=name, unit="step", delay=0.5, dynamic_ncols=True, file=sys.stderr)
            self.bar.start_t = self.bar.last_print_t = self.started  # (reading was the first step's time)
        self.bar.set_postfix_str(stage, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
