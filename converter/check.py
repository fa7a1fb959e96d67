"""Lint: what the repair would change in each file, as FILE:LINE:COLUMN findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .batch import GLOB, plan
from .document import Document, Fix, unit_lines
from .errors import ZhdocError
from .i18n import _
from .options import Options
from .pipeline import process
from .readers import read_source
from .report import FileResult, Report
from .resources import NO_IMAGES


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    fix: Fix

    def __str__(self) -> str:
        fix = self.fix
        certainty = "" if fix.certainty == "exact" else f" [{fix.certainty}]"
        kept = _("{before!r} (left as it was)").format(before=fix.before)
        change = kept if fix.before == fix.after else f"{fix.before!r} → {fix.after!r}"
        return f"{self.path}:{self.line}:{self.column}: {fix.kind}{certainty}: {change}"


def findings(document: Document, path: str, source: str = "") -> list[Finding]:
    """One finding per fix, placed at the source line where its paragraph starts (1-based column)."""
    found = []
    lines = unit_lines(document.blocks)
    for index, fix in document.fixes:
        if index == -2:  # made while reading: positioned in the source text
            line = source.count("\n", 0, fix.start) + 1
            found.append(Finding(path, line, fix.start - source.rfind("\n", 0, fix.start), fix))
            continue
        line = document.title_line if index < 0 else lines[index] if index < len(lines) else 0
        found.append(Finding(path, line, fix.start + 1, fix))
    return found


def check_paths(
    paths: Iterable[str | Path], options: Options = Options(), glob: str = GLOB
) -> tuple[list[Finding], Report]:
    """Findings for every file under ``paths``; unreadable files are failures in the report."""
    jobs, problems = plan(paths, None, glob)
    report = Report(problems)
    found: list[Finding] = []
    for job in jobs:
        try:
            text, document = read_source(job.source, options.encoding, repair=options.repair, images=NO_IMAGES)
            document = process(document, options)
        except ZhdocError as error:
            report.add(FileResult.failed(job.source, error.message))
            continue
        report.add(FileResult(job.source, fixes=document.fix_counts(), status="checked"))
        found += findings(document, job.source, text)
    return found, report
