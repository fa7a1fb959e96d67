"""Per-file records, totals, JSON and the exit code of a run."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from .i18n import Text, _, localize


@dataclass(slots=True)
class FileResult:
    """What happened to one input file."""

    input: str
    outputs: list[str] = field(default_factory=list)
    status: str = "converted"  # converted | skipped | failed | checked (zhdoc check)
    encoding: str = ""
    script: str = ""
    fixes: dict[str, int] = field(default_factory=dict)
    spans: list[dict] = field(default_factory=list)  # mojibake spans: position, before, after, certainty
    warnings: list[str] = field(default_factory=list)  # English; each a Text, localized for people
    error: str = ""  # English; a Text, localized for people
    seconds: float = 0.0
    worker: int = 0  # process id of the worker that converted it
    peak_rss_mb: float = 0.0  # that worker's peak resident memory so far
    stamp: str = ""  # the input's size and time as it was read (for the state file; not in the report)

    @classmethod
    def failed(cls, path: str, error: str, seconds: float = 0.0) -> FileResult:
        return cls(input=path, status="failed", error=error, seconds=seconds)


@dataclass(slots=True)
class Report:
    """All file results of a run; knows the exit code (0 all good, 1 something failed)."""

    files: list[FileResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the run, not one file (a state file not understood)

    def add(self, result: FileResult) -> None:
        self.files.append(result)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def return_code(self) -> int:
        return 1 if self.failed else 0

    def totals(self) -> dict:
        fixes: dict[str, int] = {}
        for f in self.files:
            for kind, n in f.fixes.items():
                fixes[kind] = fixes.get(kind, 0) + n
        return {
            "files": len(self.files),
            "converted": self.count("converted"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "fixes": dict(sorted(fixes.items())),
            "seconds": round(sum(f.seconds for f in self.files), 3),
        }

    def to_json(self) -> str:
        """Stable English keys and values for machines; ``message`` and ``messages`` say the error and the
        warnings in the interface language, for people."""
        files = [_for_people(f) for f in sorted(self.files, key=lambda f: f.input)]
        body = {"totals": self.totals(), "warnings": [localize(w) for w in self.warnings], "files": files}
        return json.dumps(_escaped_all(body), ensure_ascii=False, indent=2) + "\n"

    def summary(self) -> str:
        """A short human summary, the failed files listed one per line."""
        t = self.totals()
        warning = _("{path}: warning: {warning}")
        files = sorted(self.files, key=lambda f: f.input)
        lines = [_("zhdoc: warning: {warning}").format(warning=localize(w)) for w in self.warnings]
        lines += [warning.format(path=f.input, warning=localize(w)) for f in files for w in f.warnings]
        counts = Text("{converted} converted, {skipped} skipped, {failed} failed", **t)
        lines.append(counts.localized())
        lines += [_("  failed: {error}").format(error=localize(f.error)) for f in self.failed]
        return escaped("\n".join(one_line(line) for line in lines))


CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    r"""``text`` with its control characters written as ``\n``, ``\x1b``…: a file name holding a newline
    or a terminal escape cannot start a line of its own or recolour the terminal.

    >>> print(one_line("a\nfailed: b.txt\x1b[31m"))
    a\nfailed: b.txt\x1b[31m
    """
    return CONTROLS.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def escaped(text: str) -> str:
    r"""``text`` with the undecodable bytes of a file name (surrogate escapes) written as ``\xNN``, so
    that it can be printed and stored as UTF-8.

    >>> escaped("\udcff\udcfe.txt"), escaped("說明.txt")
    ('\\xff\\xfe.txt', '說明.txt')
    """
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that no file name gave
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _escaped_all(value: object) -> object:
    if isinstance(value, str):
        return escaped(value)
    if isinstance(value, dict):
        return {escaped(str(k)): _escaped_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped_all(v) for v in value]
    return value


def _for_people(result: FileResult) -> dict:
    record = asdict(result)
    del record["stamp"]
    record["message"] = localize(result.error)
    record["messages"] = [localize(w) for w in result.warnings]
    return record
