"""Batch conversion: plan (input → outputs), skip what is up to date, run through an Executor.

The executor is passed in (black's style), so a process pool, a thread pool or a dask cluster's
``Client.get_executor()`` all run the same batch. Files travel in chunks: a cluster task costs a few
milliseconds to schedule, and each worker keeps its fonts and OpenCC converters between files.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from . import memory
from .errors import InputError
from .i18n import Text
from .options import Options
from .pipeline import atomic_write, convert_file
from .report import FileResult, Report

STATE = ".zhdoc-state.json"  # output → options fingerprint, for skipping up-to-date outputs
SAVE_EVERY = 2.0  # seconds between saves of the state during a run
if TYPE_CHECKING:  # (imported where a pool is used: a one-file run needs no multiprocessing)
    from concurrent.futures import Executor, Future
ExecutorSource: TypeAlias = "Executor | Callable[[], Executor] | None"


@dataclass(frozen=True, slots=True)
class Job:
    source: str
    target_stem: str  # output path without the format suffix


GLOB = "*.txt,*.md,*.markdown,*.docx,*.doc"  # what a folder gives by default: every format a reader takes


def plan(
    paths: Iterable[str | Path], out_dir: str | Path | None, glob: str = GLOB
) -> tuple[list[Job], list[FileResult]]:
    """Every input file with the stem of its outputs under ``out_dir``, mirroring folders
    (``None``: no outputs, as for ``zhdoc check``).

    Folders are walked recursively; a symlink that leads out of its folder is not followed, and
    nothing under ``out_dir`` is taken as input.
    Returns the jobs and the failures found while planning (missing paths, clashing outputs).
    """
    if out_dir is None:
        files = [f for given in map(Path, paths) for f in (_walk(given, glob, None) if given.is_dir() else [given])]
        missing = [f for f in files if not f.is_file()]
        problems = [FileResult.failed(str(f), Text("{path}: no such file or folder", path=str(f))) for f in missing]
        return [Job(str(f), str(f.with_suffix(""))) for f in files if f not in missing], problems
    out = Path(out_dir)
    jobs: list[Job] = []
    problems: list[FileResult] = []
    seen: dict[Path, str] = {}
    for given in map(Path, paths):
        if given.is_dir() and given.resolve().is_relative_to(out.resolve()):
            message = Text(
                "{path}: the output folder {out} holds this input folder; choose one outside it",
                path=str(given),
                out=str(out),
            )
            problems.append(FileResult.failed(str(given), message))
            continue
        if given.is_dir():
            pairs = ((f, f.relative_to(given)) for f in _walk(given, glob, skip=out))
        elif given.is_file():
            pairs = iter([(given, Path(given.name))])
        else:
            problems.append(FileResult.failed(str(given), Text("{path}: no such file or folder", path=str(given))))
            continue
        for source, relative in pairs:
            stem = out / relative.with_suffix("")
            if stem in seen:
                message = Text("{path}: same output as {other}; skipped", path=str(source), other=seen[stem])
                problems.append(FileResult.failed(str(source), message))
                continue
            seen[stem] = str(source)
            jobs.append(Job(str(source), str(stem)))
    return jobs, problems


def _walk(root: Path, glob: str, skip: Path | None) -> Iterator[Path]:
    """Files under ``root`` matching ``glob`` (patterns separated by commas): not hidden, not leaving the
    tree, not under ``skip`` (an output folder inside an input folder must not become input on the next run)."""
    top = root.resolve()
    found = {path for pattern in glob.split(",") if pattern.strip() for path in root.rglob(pattern.strip())}
    for path in sorted(found):
        if not path.is_file() or (skip is not None and path.resolve().is_relative_to(skip.resolve())):
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(top):
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        yield path


def up_to_date(job: Job, options: Options, state: dict[str, str], out: Path) -> bool:
    """All outputs exist, are newer than the input and were made with the same options."""
    try:
        made = os.stat(job.source).st_mtime
        for output in _outputs(job, options):
            if state.get(_key(output, out)) != options.fingerprint() or os.stat(output).st_mtime < made:
                return False
    except OSError:
        return False
    return True


def convert_chunk(jobs: list[Job], options: Options, side_process: bool = False) -> list[FileResult]:
    """The unit of work sent to a worker: a few files, converted one after another, each followed by
    giving back what it freed (so that the worker's peak is that of its largest file, not a sum)."""
    results = []
    for job in jobs:
        results.append(convert_file(job.source, job.target_stem, options, side_process=side_process))
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
) -> Report:
    """Convert files and folders into ``out_dir``; returns a Report whose ``return_code`` says how it went.

    ``progress(result, total)`` is called as each file finishes. ``executor`` is an Executor, a
    function that makes one (so a pool whose worker crashed can be replaced), or None to run here.
    With ``side_process`` and no executor, a lone file to convert renders its PDF in a forked process
    meanwhile (``convert_file``).
    """
    out = Path(out_dir)
    jobs, problems = plan(paths, out, glob)
    report = Report()
    total = len(jobs) + len(problems)

    def record(result: FileResult) -> None:
        report.add(result)
        if progress:
            progress(result, total)

    for problem in problems:
        record(problem)
    state = _load_state(out)
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
    try:
        lone = side_process and executor is None and len(todo) == 1
        results = convert_chunk(todo, options, side_process=True) if lone else _run(chunks, options, executor)
        for result in results:
            record(result)
            if result.status == "converted":
                for output in result.outputs:
                    state[_key(output, out)] = options.fingerprint()
            if time.monotonic() - saved > SAVE_EVERY:  # so that a killed run loses little
                _save_state(out, state)
                saved = time.monotonic()
    finally:
        if report.count("converted"):
            _save_state(out, state)
    return report


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


def _run(chunks: list[list[Job]], options: Options, source: ExecutorSource) -> Iterator[FileResult]:
    if source is None:
        for chunk in chunks:
            yield from convert_chunk(chunk, options)
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


def _load_state(out: Path) -> dict[str, str]:
    try:
        return json.loads((out / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(out: Path, state: dict[str, str]) -> None:
    try:
        atomic_write(out / STATE, json.dumps(state, ensure_ascii=False, indent=0).encode("utf-8"))
    except OSError as error:
        raise InputError(
            out, "cannot write {name}: {problem}", name=STATE, problem=Text(error.strerror or "unknown error")
        ) from None
