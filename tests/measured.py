"""Run the zhdoc CLI in a process of its own and measure that process's peak memory (its own rusage,
from wait4: RUSAGE_CHILDREN would mix in every child the test session ever waited for)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile


def zhdoc(*args: str) -> tuple[int, str, float]:
    """``zhdoc ARGS``: its exit code, its output (stdout then stderr) and its peak resident memory in MB."""
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen([sys.executable, "-m", "converter", *args], stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)  # (so that Popen does not wait again)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return process.returncode, output, usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
