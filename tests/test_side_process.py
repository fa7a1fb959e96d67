"""A lone file's PDF rendered in a forked process: the same outputs and warnings as in one process, the
child's errors and crashes reported for the file, and a child whose result is not wanted ended."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from converter import Options, convert_file
from converter.side_process import usable_cores

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or usable_cores() < 2, reason="needs fork and two cores")

# A character no bundled font covers (a font warning) and an image the DOCX writer cannot read (a JPEG without
# its JFIF segment: Pillow and the PDF writer read it, python-docx does not).
MARKDOWN = "# 標題\n\n正文,,有一個罕用字𠀋。\n\n![壞圖](broken.png)\n\n- 項目一\n- 項目二\n"


def _jpeg_without_jfif() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    data = out.getvalue()
    assert data[2:4] == b"\xff\xe0"  # the JFIF segment, left out below
    return data[:2] + data[4 + int.from_bytes(data[4:6], "big") :]


def _source(folder):
    folder.mkdir()
    (folder / "broken.png").write_bytes(_jpeg_without_jfif())
    source = folder / "note.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    return source


def test_the_outputs_and_warnings_equal_those_made_in_one_process(tmp_path) -> None:
    source = _source(tmp_path / "in")
    serial = convert_file(source, tmp_path / "serial" / "note", Options())
    code = (
        "import json, sys\nfrom converter import Options, convert_file\n"
        f"r = convert_file({str(source)!r}, {str(tmp_path / 'side' / 'note')!r}, Options(), side_process=True)\n"
        "print(json.dumps([r.status, r.warnings, 'reportlab' in sys.modules]))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    status, warnings, reportlab_here = json.loads(run.stdout)
    assert not reportlab_here  # the PDF and the font check were made in the child
    assert status == serial.status == "converted"
    assert warnings == serial.warnings
    assert [w.split(":")[0] for w in warnings] == [
        "no bundled font covers 1 character",
        "image broken.png (line 5) cannot be read",
    ]
    for name in ("note.txt", "note.docx", "note.pdf"):
        assert (tmp_path / "side" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()


def _in_fresh_process(code: str) -> str:
    """Run ``code`` in a new interpreter: this one may have threads running (a fork is then refused)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout


def test_a_crash_in_the_side_process_fails_the_file_and_leaves_no_output(tmp_path) -> None:
    source = _source(tmp_path / "in")
    code = f"""
import os
from converter import Options, convert_file, pipeline
def die(document, options):
    os._exit(3)

pipeline._checked_pdf = die
result = convert_file({str(source)!r}, {str(tmp_path / "out" / "note")!r}, Options(), side_process=True)
print(result.status, result.error, sep="\\n")
"""
    status, error = _in_fresh_process(code).splitlines()
    assert status == "failed"
    assert error == f"{source}: worker process crashed while converting this file"
    assert list((tmp_path / "out").iterdir()) == []


def test_the_child_prepares_then_runs_the_call_sent_and_its_errors_come_back() -> None:
    code = """
import os, time
from functools import partial
from converter.errors import FontError, ZhdocError
from converter.side_process import start

def ready():
    global prepared
    prepared = "prepared in the child"

def what_was_prepared():
    return prepared

def fail():
    raise FontError("{path} has CFF outlines", path="x.otf")

def run(call):
    job = start(ready, ZhdocError("ended without a result"))
    if call:
        job.submit(call)
    try:
        print(job.result())
    except ZhdocError as error:
        print(type(error).__name__, error)

run(what_was_prepared)
print("prepared" in globals())
run(partial(pow, 6, 2))
run(fail)
run(None)
job = start(partial(os._exit, 3), ZhdocError("ended without a result"))  # gone while getting ready
time.sleep(0.2)
job.submit(partial(bytes, 100_000))
try:
    job.result()
except ZhdocError as error:
    print(error)
"""
    assert _in_fresh_process(code).splitlines() == [
        "prepared in the child",
        "False",  # not here
        "36",
        "FontError x.otf has CFF outlines",
        "ZhdocError ended without a result",  # nothing was sent
        "ended without a result",
    ]


def test_stop_ends_a_child_whose_result_is_not_wanted() -> None:
    code = """
import os, time
from functools import partial
from converter.errors import ZhdocError
from converter.side_process import start

job = start(partial(time.sleep, 60), ZhdocError("crashed"))  # still getting ready
job.stop()
try:
    os.kill(job.pid, 0)
except ProcessLookupError:
    print("gone")
"""
    assert _in_fresh_process(code).strip() == "gone"  # killed and reaped: no such process any more


def test_no_fork_while_threads_run() -> None:
    code = """
import threading, time
from converter.errors import ZhdocError
from converter.side_process import start

threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
print(start(time.time, ZhdocError("crashed")))
"""
    assert _in_fresh_process(code).strip() == "None"
