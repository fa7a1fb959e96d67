"""The boundary for files a document refers to (a Markdown image): what may be read, and how much.

A local image is read only for an output that embeds images (DOCX, PDF); only from inside the
document's own folder or a folder named by ``Options.resources`` (symbolic links resolved first); only a
regular file of at most ``MAX_BYTES``; and kept only if Pillow reads it as a PNG, JPEG, GIF or BMP of at
most ``MAX_PIXELS``. Anything else is a reason, and the image's alt text stands in.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .i18n import Plural, Text

MAX_BYTES = 20 * 1024 * 1024
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024  # all the images of one document
MAX_PIXELS = 50_000_000  # width × height; a larger image is refused before it is decoded (a pixel bomb)
FORMATS = ("PNG", "JPEG", "GIF", "BMP")
EMBEDDING = ("docx", "pdf", "html", "epub")  # the output formats that embed images
OUTSIDE, MISSING, TOO_LARGE, NOT_IMAGE, OVER_BUDGET = "outside", "missing", "too large", "not an image", "budget"


@dataclass(frozen=True, slots=True)
class ImagePolicy:
    """Whether a reader reads local images at all, and from which folders besides the document's own."""

    load: bool = True
    roots: tuple[str, ...] = ()


NO_IMAGES = ImagePolicy(load=False)


def image_policy(formats: tuple[str, ...], resources: str | None = None) -> ImagePolicy:
    """The policy for a run writing ``formats``: images are read only when one of them embeds images.

    >>> image_policy(("txt", "md")).load, image_policy(("txt", "pdf"), "/srv/img")
    (False, ImagePolicy(load=True, roots=('/srv/img',)))
    """
    return ImagePolicy(any(fmt in EMBEDDING for fmt in formats), (resources,) if resources else ())


class ImageLoader:
    """The local images of one document: each ``src`` read once (a hundred references to one file hold
    one copy), and no more than ``MAX_DOCUMENT_BYTES`` in all."""

    def __init__(self, base: Path, policy: ImagePolicy) -> None:
        self.base, self.policy = base, policy
        self.seen: dict[str, bytes | str] = {}
        self.used = 0

    def load(self, src: str) -> bytes | str:
        """The image's bytes, or the reason it is not read (those of ``read_image``, or ``OVER_BUDGET``)."""
        if src not in self.seen:
            found = read_image(src, self.base, self.policy)
            if isinstance(found, bytes) and self.used + len(found) > MAX_DOCUMENT_BYTES:
                found = OVER_BUDGET
            self.used += len(found) if isinstance(found, bytes) else 0
            self.seen[src] = found
        return self.seen[src]


def local_path(src: str, base: Path) -> Path:
    """The file an image's URL names, next to the document (query and fragment cut, %-escapes decoded).

    >>> local_path("img/a%20b.png?x=1#top", Path("/d")).as_posix(), local_path("..%2F..%2Fs.gif", Path("/d/e"))
    ('/d/img/a b.png', PosixPath('/d/e/../../s.gif'))
    """
    return base / unquote(src.split("#")[0].split("?")[0])


def inside(path: Path, roots: list[Path]) -> bool:
    """Whether ``path`` (resolved: no symbolic link, no ``..``) is in one of ``roots`` (resolved too)."""
    return any(path == root or path.is_relative_to(root) for root in roots)


def read_image(src: str, base: Path, policy: ImagePolicy) -> bytes | str:
    """The bytes of the local image ``src`` of a document in folder ``base``, or the reason it is not read:
    ``OUTSIDE``, ``MISSING``, ``TOO_LARGE`` or ``NOT_IMAGE``."""
    try:
        path = local_path(src, base).resolve()
        roots = [Path(root).resolve() for root in (base, *policy.roots)]
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a symbolic link loop
        return MISSING
    if not inside(path, roots):
        return OUTSIDE
    data = _read_bounded(path)
    if isinstance(data, str):
        return data
    return image_problem(data) or data


def _read_bounded(path: Path) -> bytes | str:
    """A regular file's bytes, at most ``MAX_BYTES``; opened without following a link or blocking on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return MISSING
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return MISSING
        if info.st_size > MAX_BYTES:
            return TOO_LARGE
        chunks, size = [], 0
        while size <= MAX_BYTES and (chunk := os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return MISSING
    finally:
        os.close(fd)
    return TOO_LARGE if size > MAX_BYTES else b"".join(chunks)


def image_problem(data: bytes) -> str | None:
    """None if Pillow decodes ``data`` as a PNG, JPEG, GIF or BMP of at most ``MAX_PIXELS`` (counted before
    any pixel is decoded); else the reason (``NOT_IMAGE`` or ``TOO_LARGE``). A text after a valid header
    does not decode: every pixel is read.

    >>> image_problem(b"GIF89a\\x01\\x00\\x01\\x00 private"), image_problem(b"BM" + bytes(60))
    ('not an image', 'not an image')
    >>> image_problem(b"GIF89a private, not an image")  # says it is 28704 × 26994
    'too large'
    """
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as picture:
                width, height = picture.size
                if width * height > MAX_PIXELS:
                    return TOO_LARGE
                picture.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return TOO_LARGE
    except Exception:  # Pillow raises many kinds (SyntaxError, OSError, struct.error…) for bad data
        return NOT_IMAGE
    return None if width and height else NOT_IMAGE


def refused_images(reason: str, names: list[str]) -> Text:
    """The warning for the local images not embedded for one reason."""
    shown = ", ".join(names[:3])
    if reason == OUTSIDE:
        return Plural(
            "{count} image outside the document's folder not read, its alt text stands in: {names}",
            "{count} images outside the document's folder not read, their alt text stands in: {names}",
            count=len(names),
            names=shown,
        )
    if reason == MISSING:
        return Plural(
            "{count} local image not found, its alt text stands in: {names}",
            "{count} local images not found, their alt text stands in: {names}",
            count=len(names),
            names=shown,
        )
    if reason == OVER_BUDGET:
        return Plural(
            "{count} image past the document's limit of {size} MB of images, its alt text stands in: {names}",
            "{count} images past the document's limit of {size} MB of images, their alt text stands in: {names}",
            count=len(names),
            size=MAX_DOCUMENT_BYTES // (1024 * 1024),
            names=shown,
        )
    if reason == TOO_LARGE:
        return Plural(
            "{count} image over {size} MB or {pixels} megapixels not embedded, its alt text stands in: {names}",
            "{count} images over {size} MB or {pixels} megapixels not embedded, their alt text stands in: {names}",
            count=len(names),
            size=MAX_BYTES // (1024 * 1024),
            pixels=MAX_PIXELS // 1_000_000,
            names=shown,
        )
    return Plural(
        "{count} local file not a PNG, JPEG, GIF or BMP image, its alt text stands in: {names}",
        "{count} local files not PNG, JPEG, GIF or BMP images, their alt text stands in: {names}",
        count=len(names),
        names=shown,
    )
