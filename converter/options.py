"""Frozen, picklable options shared by the CLI, the Python API and batch workers."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import OptionsError

FORMATS = ("txt", "docx", "pdf", "md", "html", "epub")
DEFAULT_FORMATS = ("txt", "docx", "pdf")


@dataclass(frozen=True, slots=True)
class Options:
    """What to do with each document. Every field has a sensible default."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    to: str = "keep"  # keep | simplified | traditional | taiwan | hongkong | an OpenCC config name
    encoding: str | None = None  # force an input encoding; None = detect
    title: str | None = None  # override the detected title ("" = no title)
    repair: bool = True
    cjk_latin_spacing: bool = False
    font: str | None = None  # a TrueType file for DOCX/PDF body text; None = bundled Noto Serif CJK
    font_index: int = 0  # face index inside a .ttc collection
    force: bool = False  # rewrite outputs that are newer than their input
    debug: bool = False  # let unexpected errors raise with their traceback
    track_changes: bool = False  # Word output from Word input: every fix as a revision to accept or reject
    embed_fonts: bool = False  # DOCX output: embed the used subset of the bundled face
    resources: str | None = None  # a folder images may come from besides each document's own (converter.resources)
    whole_page: bool = False  # HTML input: the whole page, not only its main content
    writing_mode: str | None = None  # EPUB output: None (as the book is), "vertical" or "horizontal"

    def __post_init__(self) -> None:
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            given = ", ".join(unknown) or "(none)"
            raise OptionsError("unknown format {given}: choose from {choices}", given=given, choices=", ".join(FORMATS))
        from .i18n import Text
        from .script import targets, valid_target

        if not valid_target(self.to):
            unknown = Text("unknown script target or OpenCC config: {config!r}", config=self.to)
            raise OptionsError(Text("{given}: choose from {choices}", given=unknown, choices=", ".join(targets())))
        if self.encoding is not None and not _text_encoding(self.encoding):
            raise OptionsError("unknown encoding {encoding!r}", encoding=self.encoding)
        if self.writing_mode not in (None, "vertical", "horizontal"):
            raise OptionsError("unknown writing mode {mode!r}: choose vertical or horizontal", mode=self.writing_mode)

    def evolve(self, **changes: object) -> Options:
        return replace(self, **changes)

    def fingerprint(self) -> str:
        """What changes the content of the outputs (used to decide whether an output is up to date)."""
        return repr(
            (self.to, self.encoding, self.title, self.repair, self.cjk_latin_spacing, self.font, self.font_index)
            + ((self.track_changes, self.embed_fonts) if self.track_changes or self.embed_fonts else ())
            + ((self.resources,) if self.resources else ())  # which images may be embedded
            + ((self.whole_page, self.writing_mode) if self.whole_page or self.writing_mode else ())
        )


def _text_encoding(name: str) -> bool:
    """A codec Python knows that decodes bytes to text (not base64 or rot13).

    >>> [_text_encoding(name) for name in ("GBK", "utf-32", "klingon", "base64")]
    [True, True, False, False]
    """
    try:
        b"a".decode(name)  # a LookupError also for codecs that are not text encodings
    except LookupError:
        return False
    except ValueError:  # a text codec that wants more bytes (utf-32)
        pass
    return True
