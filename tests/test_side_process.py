"""A lone file's PDF rendered in a forked process: the same outputs and warnings as in one process, the
child's errors and crashes reported for the file, and a child whose result is not wanted ended."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from functools import partial

import pytest

from converter import Options, convert_file, pipeline
from converter.errors import FontError, ZhdocError
from converter.side_process import start, usable_cores

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or usable_cores() < 2, reason="needs fork and two cores")

# An emoji no bundled font covers (a font warning) and an image neither writer can read (image warnings).
MARKDOWN = "# 標題\n\n正文,,有一個表情😀。\n\n![壞圖](broken.png)\n\n- 項目一\n- 項目二\n"
CRASHED = ZhdocError("crashed")


def _source(folder):
    folder.mkdir()
    (folder / "broken.png").write_bytes(b"\x89PNG not really")
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


def test_a_crash_in_the_side_process_fails_the_file_and_leaves_no_output(tmp_path, monkeypatch) -> None:
    source = _source(tmp_path / "in")
    monkeypatch.setattr(pipeline, "_checked_pdf", lambda document, options: os._exit(3))
    result = convert_file(source, tmp_path / "out" / "note", Options(), side_process=True)
    assert result.status == "failed"
    assert result.error == f"{source}: worker process crashed while converting this file"
    assert list((tmp_path / "out").iterdir()) == []


def test_an_error_in_the_child_is_raised_here_with_its_type_and_message() -> None:
    def fail() -> None:
        raise FontError("{path} has CFF outlines", path="x.otf")

    job = start(fail, CRASHED)
    assert job is not None
    with pytest.raises(FontError, match="x.otf has CFF outlines"):
        job.result()
    assert start(partial(pow, 6, 2), CRASHED).result() == 36


def test_stop_ends_a_child_whose_result_is_not_wanted() -> None:
    job = start(partial(time.sleep, 60), CRASHED)
    assert job is not None
    job.stop()
    with pytest.raises(ProcessLookupError):  # killed and reaped: no such process any more
        os.kill(job.pid, 0)
