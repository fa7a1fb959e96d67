"""Which files a run reads and which outputs each one gets, decided before anything is written.

The rules (also in the README):

* An input folder is walked for the ``--glob`` patterns, which are relative to it: an absolute pattern
  or one with ``..`` is an OptionsError. Nothing found outside the folder is taken (symlinks resolved),
  nor anything hidden, nor anything under the output folder.
* A file named twice (``in`` and ``in/a.txt``, ``in/../in/a.txt``) is taken once, as first named.
* Outputs mirror the input folders under OUT: ``in/sub/a.md`` → ``OUT/sub/a.txt``, ``a.docx``, ``a.pdf``.
* Two or more inputs that would share outputs (``a.md`` and ``a.txt`` in one folder, or two inputs
  of the same name given on the command line) each keep their whole name instead: ``a.md.txt``,
  ``a.txt.txt``. An input that would still share them with an earlier one is refused ("same output as").
* An output that would land on an input of the run (paths resolved: ``in/../in/a.txt`` and symlinks
  count) refuses that file with a one-line error; the other files go on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import InputError, OptionsError
from .i18n import Text
from .options import FORMATS
from .report import FileResult

CASELESS = sys.platform in ("darwin", "win32")
# What a folder gives by default: every format a reader takes.
GLOB = "*.txt,*.md,*.markdown,*.docx,*.doc,*.html,*.htm,*.xhtml,*.epub"


@dataclass(frozen=True, slots=True)
class Job:
    source: str
    target_stem: str  # output path without the format suffix
    folder: str = ""  # the input folder (resolved) the file was found in: it must still be inside when read


def patterns(glob: str) -> list[str]:
    """The comma-separated patterns of ``--glob``, each relative to an input folder.

    >>> patterns("*.txt, sub/*.md")
    ['*.txt', 'sub/*.md']
    >>> for bad in ("/etc/*", "../*.txt", "a/../../*"):
    ...     try:
    ...         patterns(bad)
    ...     except OptionsError:
    ...         print("refused", bad)
    refused /etc/*
    refused ../*.txt
    refused a/../../*
    """
    found = [pattern.strip() for pattern in glob.split(",") if pattern.strip()]
    for pattern in found:
        windows = PureWindowsPath(pattern)
        if pattern.startswith(("/", "\\")) or windows.drive or ".." in PurePosixPath(pattern.replace("\\", "/")).parts:
            raise OptionsError(
                "--glob {pattern!r}: a pattern is relative to each input folder (no absolute path, no '..')",
                pattern=pattern,
            )
    return found


def identities(path: str | Path, real_folder: Callable[[str], str] = os.path.realpath) -> set[str]:
    """The names a file goes by: its path with the folder resolved, and its path fully resolved (a
    symlink's target). Two paths that share one name the same file. (``real_folder``: a cached
    ``os.path.realpath`` while planning: the folders repeat.)

    >>> identities("/tmp/../tmp/x") == {os.path.realpath("/tmp/x"), os.path.join(os.path.realpath("/tmp"), "x")}
    True
    """
    folder, name = os.path.split(os.path.abspath(path))
    beside = os.path.join(real_folder(folder), name)
    return {_fold(beside), _fold(os.path.realpath(beside) if os.path.islink(beside) else beside)}


def _fold(name: str | Path) -> str:
    """A name as the file system compares it: without case on macOS and Windows (whose usual file
    systems ignore it), as it is elsewhere."""
    return str(name).casefold() if CASELESS else str(name)


def plan(
    paths: Iterable[str | Path],
    out_dir: str | Path | None,
    glob: str = GLOB,
    formats: tuple[str, ...] = FORMATS,
    reserved: Iterable[str | Path] = (),
) -> tuple[list[Job], list[FileResult]]:
    """Every input file with the stem of its outputs under ``out_dir`` (``None``: no outputs, as for
    ``zhdoc check``), by the rules of this module; ``formats`` are those whose outputs are checked
    against the inputs, ``reserved`` other files the run writes (its state file). Returns the jobs and
    the failures found while planning (missing paths, clashing outputs, outputs landing on inputs)."""
    globs, reserved = patterns(glob), list(reserved)
    out = None if out_dir is None else Path(out_dir)
    pairs, problems, folders = _inputs(map(Path, paths), globs, out)
    if out is None:
        return [Job(str(s), str(s.with_suffix("")), folders.get(s, "")) for s, _ in pairs], problems
    real = cache(os.path.realpath)
    inputs: dict[str, str] = {name: str(source) for source, _ in pairs for name in identities(source, real)}
    jobs: list[Job] = []
    for source, stem, other in _stems(pairs, out):
        if other is not None:
            message = Text("{path}: same output as {other}; skipped", path=str(source), other=other)
            problems.append(FileResult.failed(str(source), message))
            continue
        landing = [(str(o), inputs[n]) for o in _outputs(stem, formats) for n in identities(o, real) if n in inputs]
        landing += [(str(r), str(source)) for r in reserved if identities(r, real) & identities(source, real)]
        if landing:
            output, victim = landing[0]
            error = InputError(
                source, "output {path} would overwrite the input {input}; choose another output folder",
                path=output, input=victim,
            )
            problems.append(FileResult.failed(str(source), error.message))
            continue
        jobs.append(Job(str(source), str(stem), folders.get(source, "")))
    return jobs, problems


def _inputs(
    given: Iterable[Path], globs: list[str], out: Path | None
) -> tuple[list[tuple[Path, Path]], list[FileResult], dict[Path, str]]:
    """(file, its path relative to the output folder) for every input; the paths that give none; the
    folder each file found in a folder was found in."""
    pairs: list[tuple[Path, Path]] = []
    problems: list[FileResult] = []
    folders: dict[Path, str] = {}
    for path in given:
        if path.is_dir() and out is not None and path.resolve().is_relative_to(out.resolve()):
            message = Text(
                "{path}: the output folder {out} holds this input folder; choose one outside it",
                path=str(path),
                out=str(out),
            )
            problems.append(FileResult.failed(str(path), message))
        elif path.is_dir():
            found = list(_walk(path, globs, skip=out))
            pairs += ((f, f.relative_to(path)) for f in found)
            folders.update(dict.fromkeys(found, str(path.resolve())))
        elif path.is_file():
            pairs.append((path, Path(path.name)))
        elif path.exists():
            message = Text("{path}: not a regular file (a device, pipe or socket)", path=str(path))
            problems.append(FileResult.failed(str(path), message))
        else:
            problems.append(FileResult.failed(str(path), Text("{path}: no such file or folder", path=str(path))))
    return _once(pairs), problems, folders


def _once(pairs: list[tuple[Path, Path]]) -> list[tuple[Path, Path]]:
    """Each file once, as first given (``convert in in/a.txt`` names ``in/a.txt`` twice); a symlink is
    a file of its own name."""
    seen: set[str] = set()
    kept = []
    for source, relative in pairs:
        folder, base = os.path.split(os.path.abspath(source))
        name = _fold(os.path.join(os.path.realpath(folder), base))
        if name not in seen:
            seen.add(name)
            kept.append((source, relative))
    return kept


def _stems(pairs: list[tuple[Path, Path]], out: Path) -> Iterator[tuple[Path, Path, str | None]]:
    """(input, output stem, the earlier input it clashes with or None): an input whose stem another
    input shares keeps its whole name (``a.md`` → ``a.md``, so ``a.md.txt``).

    >>> pairs = [(Path(n), Path(n)) for n in ("a.md", "a.txt", "b.txt", "a.md.txt")]
    >>> [(str(stem), other) for _, stem, other in _stems(pairs, Path("o"))]
    [('o/a.md', None), ('o/a.txt', None), ('o/b', None), ('o/a.md', 'a.md')]
    """
    natural = [out / relative.with_suffix("") for _, relative in pairs]
    count: dict[str, int] = {}
    for stem in natural:
        count[_fold(stem)] = count.get(_fold(stem), 0) + 1
    taken: dict[str, str] = {}
    for (source, relative), stem in zip(pairs, natural):
        if count[_fold(stem)] > 1:
            stem = out / relative
        if _fold(stem) in taken:
            yield source, stem, taken[_fold(stem)]
            continue
        taken[_fold(stem)] = str(source)
        yield source, stem, None


def _outputs(stem: Path, formats: tuple[str, ...]) -> list[Path]:
    return [stem.with_name(f"{stem.name}.{fmt}") for fmt in formats]


def _walk(root: Path, globs: list[str], skip: Path | None) -> Iterator[Path]:
    """Files under ``root`` matching a pattern of ``globs``: not hidden, not leaving the tree (symlinks
    resolved), not under ``skip`` (an output folder inside an input folder must not become input on the
    next run)."""
    top = root.resolve()
    skipped = skip.resolve() if skip is not None else None
    found = {path for pattern in globs for path in root.rglob(pattern)}
    for path in sorted(found):
        if not path.is_file():
            continue
        real = path.resolve()
        if not real.is_relative_to(top) or (skipped is not None and real.is_relative_to(skipped)):
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        yield path
