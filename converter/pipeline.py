"""read → normalise → convert script → write, for one document or one file."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .anchors import relink
from .document import Document
from .errors import InputError, OutputError, ZhdocError
from .i18n import Text
from .options import Options
from .readers import read, read_source, read_text
from .report import FileResult
from .resources import NO_IMAGES, image_policy
from .transform import convert_document, repair_document
from .writers import get_writer

if TYPE_CHECKING:
    from .side_process import SideProcess


def process(document: Document, options: Options) -> Document:
    """Repair (unless ``options.repair`` is off) and convert the script of a read document; in-page links
    follow their headings' changed text."""
    repaired = repair_document(document, options.cjk_latin_spacing) if options.repair else document
    return relink(document, convert_document(repaired, options.to))


def process_text(text: str, options: Options = Options(), source: str = "") -> Document:
    return process(read_text(text, source, title=options.title, repair=options.repair), options)


def clean_source(source: str | Path | bytes, options: Options = Options()) -> tuple[str, Document]:
    """The text as read and the repaired document, from a file or from raw bytes (standard input)."""
    text, document = read_source(
        source, options.encoding, options.title, repair=options.repair, images=NO_IMAGES, whole_page=options.whole_page
    )
    return text, process(document, options)


def cleaned_text(document: Document, options: Options = Options()) -> str:
    """What ``zhdoc clean`` prints: a Markdown file stays Markdown (only its prose changed); anything
    else is the plain text."""
    if document.origin == "markdown":
        return render(document, "md", options).decode("utf-8")
    return document.text


def check_fonts(document: Document, options: Options) -> Document:
    """Warn about characters that no font of the PDF/DOCX output covers (reportlab would drop them silently)."""
    return with_warnings(document, font_warnings(document, options))


def font_warnings(document: Document, options: Options) -> list[str]:
    if not {"pdf", "docx"} & set(options.formats):
        return []
    from .fonts import describe_uncovered, faces_for, uncovered

    missing = uncovered(document.text, *faces_for(document.text, document.language, options.font, options.font_index))
    return [describe_uncovered(missing)] if missing else []


def check_images(document: Document, options: Options) -> Document:
    """Warn about embedded images that the DOCX or PDF writer cannot read (their alt text stands in)."""
    return with_warnings(document, image_warnings(document, options.formats))


def image_warnings(document: Document, formats: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    if "docx" in formats:
        from .formats.docx.write import unreadable_images

        found += unreadable_images(document.blocks)
    if "pdf" in formats:
        from .formats.pdf import write as pdf

        found += pdf.image_warnings(document)
    return found


def with_warnings(document: Document, found: list[str]) -> Document:
    """``document`` with the warnings in ``found`` that it does not have yet."""
    new = [warning for index, warning in enumerate(found) if warning not in found[:index]]
    new = [warning for warning in new if warning not in document.warnings]
    return document.evolve(warnings=(*document.warnings, *new)) if new else document


def render(document: Document, fmt: str, options: Options) -> bytes:
    data = get_writer(fmt).render(document, options)
    if fmt == "docx" and options.embed_fonts and document.origin != "docx":  # Word in: the patcher embeds
        from .fonts import bundled_file, face_for
        from .formats.docx.embed import embed_fonts

        face = options.font or bundled_file(face_for(document.language))
        data = embed_fonts(data, document.text, face, options.font_index)
    return data


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()  # what open() would give a new file; mkstemp's 0600 would hide outputs from others


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: a reader never sees half a file."""
    write_all({path: data})


def write_all(outputs: Mapping[Path, bytes | Callable[[], bytes]]) -> None:
    """Write every output or none: all go to temporary files first, then each is renamed into place.
    An output there already (from a previous run) is first kept aside under a second name (a hard link
    where the file system allows one), so that on any failure (or an exception from making an output)
    the temporary files and the outputs renamed so far are removed and the previous ones put back: the
    file's previous set of outputs stays whole until the new set is. An OutputError says whether any
    previous output was kept (``error.kept``). An output given as a function is made only when its turn
    comes and staged at once, so that only one is held in memory."""
    staged: dict[Path, str] = {}
    kept: dict[Path, str] = {}  # output → its previous version's second name
    placed: list[Path] = []
    try:
        for path, data in outputs.items():
            _stage(path, data() if callable(data) else data, staged)
        for path, temporary in staged.items():
            try:
                _keep_previous(path, kept)
                os.replace(temporary, path)
            except OSError as error:
                raise OutputError(path, error.strerror or str(error)) from None
            placed.append(path)
    except BaseException as error:
        STAGED.difference_update(staged.values())
        for path in [*staged.values(), *placed]:
            with contextlib.suppress(OSError):
                Path(path).unlink(missing_ok=True)
        restored = _restore(kept)
        if isinstance(error, OutputError):
            error.kept = restored
        raise
    STAGED.difference_update(staged.values())
    for backup in kept.values():
        with contextlib.suppress(OSError):
            os.unlink(backup)


def _keep_previous(path: Path, kept: dict[Path, str]) -> None:
    """A second name for the file at ``path`` (not for a folder in its way: the rename fails on it)."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            return
    except FileNotFoundError:
        return
    backup = f"{path.parent}{os.sep}.{path.name}.{secrets.token_hex(4)}.bak"
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:  # no hard links here: the previous output is moved aside instead
        os.replace(path, backup)
    kept[path] = backup


def _restore(kept: dict[Path, str]) -> bool:
    """Put every previous output back; True if there was one and all are back."""
    back = True
    for path, backup in kept.items():
        try:
            os.replace(backup, path)
        except OSError:
            back = False
    return bool(kept) and back


STAGED: set[str] = set()  # this process's temporary files, for a worker to remove when its parent dies


def remove_staged() -> None:
    for temporary in list(STAGED):
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _stage(path: Path, data: bytes, staged: dict[Path, str]) -> None:
    """``data`` in a new temporary file beside ``path``, recorded in ``staged`` as soon as it exists."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, staged[path] = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        STAGED.add(staged[path])
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(staged[path], FILE_MODE)
    except OSError as error:
        raise OutputError(path, error.strerror or str(error)) from None


def output_paths(source: Path, target_stem: Path, formats: tuple[str, ...]) -> dict[str, Path]:
    """``target_stem`` with each format's suffix; an output may never be its own input."""
    paths = {fmt: target_stem.with_name(f"{target_stem.name}.{fmt}") for fmt in formats}
    for path in paths.values():
        if os.path.realpath(path) == os.path.realpath(source):
            raise InputError(
                source, "output {path} would overwrite the input; choose another output folder", path=str(path)
            )
    return paths


def convert_file(
    source: str | Path,
    target_stem: str | Path,
    options: Options = Options(),
    *,
    side_process: bool = False,
    stages: Callable[[str], None] | None = None,
) -> FileResult:
    """Convert one file to every format in ``options.formats``; errors come back in the result.

    With ``side_process``, a forked process makes the PDF while this one makes the other formats (see
    ``converter.side_process``): worth it for a lone file on a machine with two cores. ``stages`` is told
    each step done (``"read"``, ``"processed"``, then each format as it is made): a progress bar's feed."""
    started = time.perf_counter()
    source = Path(source)
    side = _pdf_side_process(source, options) if side_process else None
    try:
        paths = output_paths(source, Path(target_stem), options.formats)
        before = input_stamp(source)
        images = image_policy(options.formats, options.resources)
        document = read(source, options.encoding, options.title, options.repair, images, options.whole_page)
        stamp = before if input_stamp(source) == before else ""  # changed while read: never "up to date"
        tell = stages or (lambda stage: None)
        tell("read")
        document = process(document, options)
        tell("processed")
        document = _write_outputs(document, paths, options, side, tell)
        result = result_for(document, source, list(paths.values()), time.perf_counter() - started)
        result.stamp = stamp
        return result
    except OutputError as error:
        where = {"source": str(source), "error": error.message}
        if getattr(error, "kept", False):
            message = Text("{source}: {error}; nothing changed: the previous outputs of this file are kept", **where)
        else:
            message = Text("{source}: {error}; no output written for this file", **where)
        return FileResult.failed(str(source), message, time.perf_counter() - started)
    except ZhdocError as error:
        return FileResult.failed(str(source), error.message, time.perf_counter() - started)
    except Exception as error:  # a bug: reported per file so that the batch goes on
        if options.debug:
            raise
        problem = f"{type(error).__name__}: {error}"
        message = Text("{source}: internal error ({problem}); rerun with --debug", source=str(source), problem=problem)
        return FileResult.failed(str(source), message, time.perf_counter() - started)
    finally:
        if side:
            side.stop()


def input_stamp(path: str | Path) -> str:
    """Size and modification time of a file ("" when it cannot be read): an up-to-date output was made
    from an input with the same stamp."""
    try:
        info = os.stat(path)
    except OSError:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}"


def _pdf_side_process(source: Path, options: Options) -> SideProcess | None:
    """A forked process that imports the PDF writer and loads the font while this one reads and repairs
    (None where that is not worth it or not possible; not with --debug, whose tracebacks come from here)."""
    if "pdf" not in options.formats or len(options.formats) < 2 or options.debug:
        return None
    from . import side_process

    crashed = ZhdocError(Text("{path}: worker process crashed while converting this file", path=str(source)))
    return side_process.start(partial(_prepare_pdf, options), crashed)


def _prepare_pdf(options: Options) -> None:
    from .fonts import body_face
    from .script import language

    get_writer("pdf")
    if options.to != "keep" or options.font:  # else the script, and so the face, is known only after reading
        body_face(language(options.to, "simplified"), options.font, options.font_index)


def _write_outputs(
    document: Document,
    paths: dict[str, Path],
    options: Options,
    side: SideProcess | None,
    tell: Callable[[str], None] = lambda stage: None,
) -> Document:
    """Check, render and write every output (all or none); the document with the checks' warnings.
    With a side process, it makes the PDF and checks the fonts (reportlab is loaded there only). ``tell``
    hears each format's name as it is made."""
    if side is None:
        document = check_images(check_fonts(document, options), options)
    else:
        side.submit(partial(_checked_pdf, document, options))
    here = tuple(fmt for fmt in paths if not (side and fmt == "pdf"))
    # One format at a time, each staged before the next is rendered; a file gets all its outputs or none.
    outputs: dict[Path, Callable[[], bytes]] = {
        paths[fmt]: partial(_made, fmt, partial(render, document, fmt, options), tell) for fmt in here
    }
    if side:  # last: the other formats are rendered meanwhile
        outputs[paths["pdf"]] = partial(_made, "pdf", lambda: side.result()[0], tell)
    write_all(outputs)
    if side is None:
        return document
    _, fonts, pdf_images = side.result()
    return with_warnings(document, [*fonts, *image_warnings(document, here), *pdf_images])


def _made(fmt: str, make: Callable[[], bytes], tell: Callable[[str], None]) -> bytes:
    data = make()
    tell(fmt)
    return data


def _checked_pdf(document: Document, options: Options) -> tuple[bytes, list[str], list[str]]:
    """The PDF, the warnings about fonts and those about its images (the side process's work)."""
    return render(document, "pdf", options), font_warnings(document, options), image_warnings(document, ("pdf",))


def peak_rss_mb() -> float:
    """This process's peak resident memory (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def result_for(document: Document, source: Path, outputs: list[Path], seconds: float) -> FileResult:
    spans = [{"paragraph": index, **fix.to_dict()} for index, fix in document.fixes if fix.kind == "mojibake"]
    return FileResult(
        worker=os.getpid(),
        peak_rss_mb=peak_rss_mb(),
        input=str(source),
        outputs=[str(p) for p in outputs],
        encoding=document.encoding,
        script=document.script,
        fixes=document.fix_counts(),
        spans=spans,
        warnings=list(document.warnings),
        seconds=round(seconds, 4),
    )
