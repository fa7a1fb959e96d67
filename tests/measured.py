"""Run the zhdoc CLI in a process of its own and measure that process's peak memory.

The peak is the process's own high-water mark (``VmHWM`` in /proc, read as it exits): ``ru_maxrss`` of a
child counts the memory of the test process that forked it, so it says nothing about zhdoc itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

RUN = """
import atexit, runpy, sys
def peak():
    status = open("/proc/self/status").read()
    sys.stderr.write("\\n" + next(l for l in status.splitlines() if l.startswith("VmHWM:")) + "\\n")
atexit.register(peak)
sys.argv = ["zhdoc", *sys.argv[1:]]
runpy.run_module("converter", run_name="__main__")
"""


def zhdoc(*args: str) -> tuple[int, str, float]:
    """``zhdoc ARGS``: its exit code, its output (stdout then stderr) and its peak resident memory in MB."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to measure a process's peak memory")
    run = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, check=False)
    found = re.search(r"\nVmHWM:\s*(\d+) kB\n", run.stderr)
    assert found, run.stderr
    output = run.stdout + run.stderr[: found.start()] + run.stderr[found.end() :]
    return run.returncode, output, int(found.group(1)) / 1024
