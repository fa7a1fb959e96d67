"""The one value that flows through the pipeline: an immutable ``Document``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Certainty = Literal["exact", "inferred", "guessed", "unrecovered"]


@dataclass(frozen=True, slots=True)
class Fix:
    """One change to the text (or, with ``certainty="unrecovered"``, a span reported untouched).

    ``start``/``end`` index the text given to ``normalize`` (one paragraph, or the whole text);
    ``out_start``/``out_end`` index the repaired text, for fixes whose certainty is not exact.
    """

    kind: str
    start: int
    end: int
    before: str
    after: str
    certainty: Certainty = "exact"
    note: str = ""
    out_start: int = -1  # where the fix stands in the repaired text (kept for fixes to review)
    out_end: int = -1

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "certainty": self.certainty,
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True, slots=True)
class Document:
    """A title and paragraphs, with where they came from and what was done to them.

    ``fixes`` holds, per paragraph index (title = -1), the fixes made to that paragraph. A paragraph
    the repair emptied (all junk) stays in ``paragraphs`` as "" so that the indexes hold; writers skip it.
    """

    paragraphs: tuple[str, ...]
    title: str = ""
    source: str = ""
    encoding: str = "utf-8"
    script: str = "unknown"  # detected script of the text now: simplified, traditional, mixed, unknown
    language: str = "zh-CN"  # BCP 47 tag for the output documents
    lines: tuple[int, ...] = ()  # 1-based source line where each paragraph starts
    title_line: int = 1
    fixes: tuple[tuple[int, Fix], ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def evolve(self, **changes: object) -> Document:
        return replace(self, **changes)

    @property
    def text(self) -> str:
        """The document as plain text: title first, one paragraph per line."""
        lines = ([self.title] if self.title else []) + [p for p in self.paragraphs if p]
        return "\n".join(lines) + "\n" if lines else ""

    def fix_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, fix in self.fixes:
            counts[fix.kind] = counts.get(fix.kind, 0) + 1
        return counts
