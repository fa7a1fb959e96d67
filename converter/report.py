"""Per-file records, totals, JSON and the exit code of a run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


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
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    worker: int = 0  # process id of the worker that converted it
    peak_rss_mb: float = 0.0  # that worker's peak resident memory so far

    @classmethod
    def failed(cls, path: str, error: str, seconds: float = 0.0) -> FileResult:
        return cls(input=path, status="failed", error=error, seconds=seconds)


@dataclass(slots=True)
class Report:
    """All file results of a run; knows the exit code (0 all good, 1 something failed)."""

    files: list[FileResult] = field(default_factory=list)

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
        body = {"totals": self.totals(), "files": [asdict(f) for f in sorted(self.files, key=lambda f: f.input)]}
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"

    def summary(self) -> str:
        """A short human summary, the failed files listed one per line."""
        t = self.totals()
        lines = [f"{f.input}: warning: {w}" for f in sorted(self.files, key=lambda f: f.input) for w in f.warnings]
        lines.append(f"{t['converted']} converted, {t['skipped']} skipped, {t['failed']} failed")
        lines += [f"  failed: {f.error}" for f in self.failed]
        return "\n".join(lines)
