from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "sample" / "gd-news-trad-pinyin.txt"


# Property tests draw the same examples in every run, so that a known bug (a strict xfail) cannot turn
# a run red by chance; HYPOTHESIS_PROFILE=explore draws new ones (a random seed) to look for bugs.
settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
CACHE_HOME = tempfile.mkdtemp(prefix="zhdoc-test-cache-")


def pytest_configure(config) -> None:
    """The tests (and the command lines they run) keep zhdoc's font cache in a folder of their own, and
    date PDFs reproducibly (SOURCE_DATE_EPOCH: otherwise a PDF is dated now, and runs compared differ)."""
    os.environ["XDG_CACHE_HOME"] = CACHE_HOME
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")


def pytest_unconfigure(config) -> None:
    shutil.rmtree(CACHE_HOME, ignore_errors=True)


def run_zhdoc(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the real command line in a fresh interpreter, as a user would: in an English locale unless
    ``env`` sets LANG, LC_ALL or LC_MESSAGES."""
    environ = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "converter", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**environ, "LANG": "C.UTF-8", **(env or {})},
        timeout=300,
    )


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the pass rates of the peer punctuation cases and of OpenCC's cases, as the issues ask."""
    passed = [str(item) for item in terminalreporter.stats.get("passed", [])]
    if any("test_peer_cases" in item for item in passed):
        from test_peer_cases import pass_rates

        terminalreporter.section("peer punctuation cases (autocorrect + zhlint), zhdoc defaults")
        for line in pass_rates():
            terminalreporter.write_line(line)
    if any("test_opencc_cases" in item for item in passed):
        from test_opencc_cases import pass_rates as opencc_pass_rates

        terminalreporter.section("OpenCC's own cases: named targets against their config, raw configs")
        for line in opencc_pass_rates():
            terminalreporter.write_line(line)
