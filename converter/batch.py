"""Batch conversion: plan (input → outputs), skip what is up to date, run through an Executor.

The executor is passed in (black's style), so a process pool, a thread pool or a dask cluster's
``Client.get_executor()`` all run the same batch. Files travel in chunks: a cluster task costs a few
milliseconds to schedule, and each worker keeps its fonts and OpenCC converters between files.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from . import memory
from .errors import OptionsError
from .i18n import Text
from .options import Options
from .outdir import LOCK, STATE, load_state, locked, remove_leftovers, save_state
from .pipeline import atomic_write, convert_file, input_stamp
from .plan import GLOB, Job, identities, plan
from .readers import format_of
from .report import FileResult, Report

SAVE_EVERY = 2.0  # seconds between saves of the state during a run
if TYPE_CHECKING:  # (imported where a pool is used: a one-file run needs no multiprocessing)
    from concurrent.futures import Executor, Future
ExecutorSource: TypeAlias = "Executor | Callable[[], Executor] | None"
__all__ = ["GLOB", "Job", "convert_folder", "convert_paths", "plan", "up_to_date"]


def fingerprint(options: Options) -> str:
    """What an output depends on besides its input: the options that change it, zhdoc's version and
    the font file (path, size and time)."""
    from . import __version__

    font = f"{options.font}:{input_stamp(options.font)}" if options.font else ""
    return f"{options.fingerprint()}|{__version__}|{font}"


def up_to_date(job: Job, options: Options, state: dict[str, str], out: Path) -> bool:
    """All outputs exist and were made with the same options, version and font from an input of the
    same size and time as now (taken when it was read)."""
    stamp = input_stamp(job.source)
    expected = f"{fingerprint(options)}|{stamp}"
    return bool(stamp) and all(
        state.get(_key(output, out)) == expected and os.path.isfile(output) for output in _outputs(job, options)
    )


def convert_chunk(
    jobs: list[Job],
    options: Options,
    side_process: bool = False,
    stages: Callable[[str, str], None] | None = None,
) -> list[FileResult]:
    """The unit of work sent to a worker: a few files, converted one after another, each followed by
    giving back what it freed (so that the worker's peak is that of its largest file, not a sum)."""
    results = []
    for job in jobs:
        if job.folder and not Path(os.path.realpath(job.source)).is_relative_to(job.folder):
            message = Text("{path}: leads out of its folder (a symlink); skipped", path=job.source)
            results.append(FileResult.failed(job.source, message))
            continue
        tell = partial(stages, job.source) if stages else None
        results.append(convert_file(job.source, job.target_stem, options, side_process=side_process, stages=tell))
        memory.release(collect=_size(job.source) > memory.LARGE_INPUT)
    return results


def convert_paths(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    options: Options = Options(),
    executor: ExecutorSource = None,
    glob: str = GLOB,
    progress: Callable[[FileResult, int], None] | None = None,
    chunk_size: int | None = None,
    side_process: bool = False,
    report_path: str | Path | None = None,
    stages: Callable[[str, str], None] | None = None,
) -> Report:
    """Convert files and folders into ``out_dir``; returns a Report whose ``return_code`` says how it went.

    Every output is planned first (``converter.plan``: no output over an input). An OptionsError, before
    any work, for a ``--glob`` leaving the folders, ``track_changes`` without Word input, or a
    ``report_path`` that is an input or output of the run or cannot be written; a ZhdocError when
    another run holds the output folder's lock. ``progress(result, total)`` is called as each file
    finishes. ``executor`` is an Executor, a function that makes one (so a pool whose worker crashed can
    be replaced), or None to run here. With ``side_process`` and no executor, a lone file to convert
    renders its PDF in a forked process meanwhile (``convert_file``). The JSON report is written to
    ``report_path`` at the end. ``stages(source, stage)`` hears each step of each file converted in this
    process (``convert_file``'s ``stages``): a progress bar for a lone book.
    """
    out = Path(out_dir)
    paths = list(paths)
    jobs, problems = plan(paths, out, glob, options.formats, reserved=[out / STATE])
    _check_track_changes(jobs, options)
    if report_path is not None:
        check_report_path(Path(report_path), [*paths, *(j.source for j in jobs)], _run_outputs(jobs, options, out))
    report = Report()
    with locked(out):
        remove_leftovers([*(o for job in jobs for o in _outputs(job, options)), out / STATE])
        _convert(jobs, problems, out, options, report, executor, progress, chunk_size, side_process, stages)
    if report_path is not None:
        atomic_write(Path(report_path), report.to_json().encode("utf-8"))
    return report


def _convert(
    jobs: list[Job],
    problems: list[FileResult],
    out: Path,
    options: Options,
    report: Report,
    executor: ExecutorSource,
    progress: Callable[[FileResult, int], None] | None,
    chunk_size: int | None,
    side_process: bool,
    stages: Callable[[str, str], None] | None = None,
) -> None:
    """The run itself, under the output folder's lock: skip what is up to date, convert the rest,
    record each result in ``report`` and the state file."""
    total = len(jobs) + len(problems)

    def record(result: FileResult) -> None:
        report.add(result)
        if progress:
            progress(result, total)

    for problem in problems:
        record(problem)
    state, warning = load_state(out)
    if warning:
        report.warnings.append(warning)
    todo = []
    for job in jobs:
        if not options.force and up_to_date(job, options, state, out):
            record(FileResult(job.source, _outputs(job, options), status="skipped"))
        else:
            todo.append(job)
    # Small chunks: a process pool hands them out in well under a millisecond, a dask cluster in a few
    # milliseconds, against tens of milliseconds of work per file; small ones also mean less to redo
    # after an interruption.
    size = chunk_size or max(1, min(8, len(todo) // 32))
    chunks = _chunks(todo, size)
    saved = time.monotonic()
    made = fingerprint(options)
    try:
        lone = side_process and executor is None and len(todo) == 1
        if lone:
            results = convert_chunk(todo, options, side_process=True, stages=stages)
        else:
            results = _run(chunks, options, executor, stages)
        for result in results:
            record(result)
            if result.status == "converted":
                for output in result.outputs:
                    if result.stamp:
                        state[_key(output, out)] = f"{made}|{result.stamp}"
                    else:  # the input changed while it was read: converted again next time
                        state.pop(_key(output, out), None)
            if time.monotonic() - saved > SAVE_EVERY:  # so that a killed run loses little
                save_state(out, state)
                saved = time.monotonic()
    finally:
        if report.count("converted"):
            save_state(out, state)


def _check_track_changes(jobs: list[Job], options: Options) -> None:
    if options.track_changes and jobs and not any(format_of(job.source) == "docx" for job in jobs):
        raise OptionsError("--track-changes: no input of this run is a Word file (.docx)")


def check_report_path(path: Path, inputs: Iterable[str | Path], outputs: Iterable[str | Path]) -> None:
    """An OptionsError unless the JSON report can be written at ``path`` (its folder is made) without
    replacing an input or an output of the run."""
    names = identities(path)
    if any(names & identities(given) for given in inputs):
        raise OptionsError("--report {path}: this is an input of the run; choose another file", path=str(path))
    if any(names & identities(output) for output in outputs):
        raise OptionsError("--report {path}: this is an output of the run; choose another file", path=str(path))
    if path.is_dir():
        raise OptionsError("--report {path}: is a folder, not a file", path=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        problem = Text(error.strerror or str(error))
        raise OptionsError("--report {path}: cannot write: {problem}", path=str(path), problem=problem) from None


def _run_outputs(jobs: list[Job], options: Options, out: Path) -> list[str | Path]:
    return [*(o for job in jobs for o in _outputs(job, options)), out / STATE, out / LOCK]


def convert_folder(
    src: str | Path, dst: str | Path, options: Options = Options(), executor: ExecutorSource = None
) -> Report:
    """Convert every text, Markdown and Word file under ``src`` into the same tree under ``dst``."""
    return convert_paths([src], dst, options, executor)


CHUNK_BYTES = 64_000  # a chunk stops growing at this much input: a long manual travels alone


def _chunks(jobs: list[Job], size: int) -> list[list[Job]]:
    """Largest files first, so that no worker is left with a long manual while the others are idle;
    at most ``size`` files or about CHUNK_BYTES of input per chunk.

    >>> [len(c) for c in _chunks([Job(__file__, "a")] * 3, 2)]
    [2, 1]
    """
    sizes = {job.source: _size(job.source) for job in jobs}
    chunks: list[list[Job]] = []
    for job in sorted(jobs, key=lambda job: -sizes[job.source]):
        last = chunks[-1] if chunks else None
        if last and len(last) < size and sum(sizes[j.source] for j in last) + sizes[job.source] <= CHUNK_BYTES:
            last.append(job)
        else:
            chunks.append([job])
    return chunks


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def _run(
    chunks: list[list[Job]], options: Options, source: ExecutorSource, stages: Callable[[str, str], None] | None = None
) -> Iterator[FileResult]:
    if source is None:
        for chunk in chunks:
            yield from convert_chunk(chunk, options, stages=stages)
        return
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    executor = source() if callable(source) else source
    pending: list[list[Job]] = []
    try:
        futures: dict[Future, list[Job]] = {executor.submit(convert_chunk, c, options): c for c in chunks}
        for future in as_completed(futures):
            try:
                yield from future.result()
            except BrokenProcessPool:
                pending.append(futures[future])
            except Exception as error:  # a worker raised something unexpected: the chunk fails, the batch goes on
                yield from (
                    FileResult.failed(j.source, Text("{path}: {kind}: {error}", path=j.source, kind=kind, error=error))
                    for j in futures[future]
                    for kind in [type(error).__name__]
                )
    finally:
        if callable(source):
            executor.shutdown(wait=not pending, cancel_futures=True)
    if pending:
        yield from _isolate([job for chunk in pending for job in chunk], options, source)


def _isolate(jobs: list[Job], options: Options, source: ExecutorSource) -> Iterator[FileResult]:
    """After a worker crashed, run the unfinished files one per task in fresh pools to find the culprit."""
    if not callable(source):
        for job in jobs:
            yield FileResult.failed(job.source, Text("{path}: worker process crashed", path=job.source))
        return
    from concurrent.futures.process import BrokenProcessPool

    for job in jobs:
        executor = source()
        try:
            yield from executor.submit(convert_chunk, [job], options).result()
        except BrokenProcessPool:
            message = Text("{path}: worker process crashed while converting this file", path=job.source)
            yield FileResult.failed(job.source, message)
        finally:
            executor.shutdown(wait=True)


def _outputs(job: Job, options: Options) -> list[str]:
    return [f"{job.target_stem}.{fmt}" for fmt in options.formats]


def _key(output: str, out: Path) -> str:
    return Path(os.path.relpath(output, out)).as_posix()
