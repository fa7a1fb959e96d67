"""A batch run with hostile inputs and folders: no input overwritten, nothing read from outside, no hang,
the previous outputs kept until the new ones are whole, one run at a time per output folder."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, run_zhdoc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import Options, OptionsError, ZhdocError, convert_paths
from converter.plan import identities, plan

ROOT = Path(__file__).resolve().parent.parent
TXT = ("txt",)


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _lines(result: subprocess.CompletedProcess) -> list[str]:
    return result.stderr.decode().strip().splitlines()


# 1. No output over any input


def test_a_markdown_and_a_text_file_of_one_name_into_their_own_folder_leave_the_text_file_alone(tmp_path) -> None:
    (tmp_path / "in" / "doc").mkdir(parents=True)
    (tmp_path / "in" / "doc" / "a.md").write_bytes("# 圖\n".encode())
    original = "原文，不可改。\n".encode()
    (tmp_path / "in" / "doc" / "a.txt").write_bytes(original)
    result = run_zhdoc("convert", "in/doc/a.md", "in/doc/a.txt", "-o", "in/doc", "-f", "txt", cwd=tmp_path)
    assert (tmp_path / "in" / "doc" / "a.txt").read_bytes() == original
    # The rule: two inputs that would share outputs each keep their whole name.
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "in" / "doc" / "a.md.txt").read_text(encoding="utf-8") == "圖\n"
    assert (tmp_path / "in" / "doc" / "a.txt.txt").read_bytes() == original


def test_an_output_on_an_input_is_refused_for_that_file_however_the_path_is_written(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.txt": "甲,,文。\n", "b.txt": "乙文。\n"})
    (tmp_path / "link").symlink_to(tmp_path / "in")
    before = {p.name: p.read_bytes() for p in (tmp_path / "in").glob("*.txt")}
    for out in (tmp_path / "in" / ".." / "in", tmp_path / "link"):
        result = run_zhdoc("convert", tmp_path / "in" / "a.txt", tmp_path / "in" / "b.txt", "-o", out, "-f", "txt")
        lines = _lines(result)
        assert result.returncode == 1 and "0 converted, 0 skipped, 2 failed" in lines, lines
        assert sum("would overwrite the input" in line for line in lines) == 2
    assert {p.name: p.read_bytes() for p in (tmp_path / "in").glob("*.txt")} == before


def test_an_input_of_one_folder_is_never_overwritten_by_a_file_of_another(tmp_path) -> None:
    _tree(tmp_path, {"d1/x.txt": "第一份,,文件。\n", "d2/x.txt": "第二份文件。\n"})
    original = (tmp_path / "d2" / "x.txt").read_bytes()
    report = convert_paths([tmp_path / "d1", tmp_path / "d2" / "x.txt"], tmp_path / "d2", Options(formats=TXT))
    assert (tmp_path / "d2" / "x.txt").read_bytes() == original
    assert (tmp_path / "d2" / "x.txt.txt").read_text(encoding="utf-8") == "第一份，文件。\n"
    assert [(Path(f.input).parent.name, f.status) for f in report.files] == [("d2", "failed"), ("d1", "converted")]
    assert "same output as" in report.failed[0].error


def test_files_of_one_stem_in_a_folder_each_get_their_own_outputs(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.md": "# 標題\n", "a.txt": "正文,,一。\n", "b.txt": "正文二。\n"})
    report = convert_paths([tmp_path / "in"], tmp_path / "out", Options(formats=("txt", "md")))
    assert report.return_code == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert names == ["a.md.md", "a.md.txt", "a.txt.md", "a.txt.txt", "b.md", "b.txt"]
    assert (tmp_path / "out" / "a.txt.txt").read_text(encoding="utf-8") == "正文，一。\n"


FILES = st.lists(
    st.tuples(st.sampled_from(["", "s/", "s/t/", "u/"]), st.sampled_from(["a", "b", "a.md", "a.txt", "é"])),
    min_size=1,
    max_size=8,
    unique=True,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=FILES,
    suffixes=st.lists(st.sampled_from([".txt", ".md", ".markdown", ".docx"]), min_size=8, max_size=8),
    out=st.sampled_from(["", "s", "s/t", "o", "s/../s"]),
    formats=st.sampled_from([("txt",), ("md",), ("txt", "md", "docx", "pdf")]),
    as_folder=st.booleans(),
)
def test_planned_outputs_never_land_on_an_input_nor_on_each_other(
    tmp_path_factory, files, suffixes, out, formats, as_folder
) -> None:
    root = tmp_path_factory.mktemp("plan")
    made = []
    for (folder, stem), suffix in zip(files, suffixes):
        path = root / f"{folder}{stem}{suffix}"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("文。\n", encoding="utf-8")
            made.append(path)
    given_paths = [root / "s", root / "u", *made[:1]] if as_folder else made
    jobs, problems = plan(given_paths, root / out, formats=formats)
    planned = [job.source for job in jobs] + [p.input for p in problems]
    assert len(planned) == len(set(planned))
    inputs = {name for path in planned if Path(path).is_file() for name in identities(path)}
    outputs = [f"{job.target_stem}.{fmt}" for job in jobs for fmt in formats]
    assert len(set(outputs)) == len(outputs)
    assert not any(identities(o) & inputs for o in outputs)
    if not as_folder:
        assert sorted(planned) == sorted(map(str, made))


# 2. --report checked before any work


def _without_root_override() -> list[str]:
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: an unwritable folder cannot be made")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_a_report_path_that_cannot_be_used_is_a_usage_error_before_any_work(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.txt": "正文。\n"})
    source = tmp_path / "in" / "a.txt"
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    out = tmp_path / "out"
    for report in (source, tmp_path / "in" / ".." / "in" / "a.txt", tmp_path / "in", source / "r.json"):
        result = run_zhdoc("convert", tmp_path / "in", "-o", out, "-f", "txt", "--report", report)
        assert result.returncode == 2 and len(_lines(result)) in (1, 4), result.stderr.decode()  # (4: click's usage)
    command = [*_without_root_override(), sys.executable, "-m", "converter", "convert", str(tmp_path / "in")]
    command += ["-o", str(out), "-f", "txt", "--report", str(locked / "r.json")]
    result = subprocess.run(command, capture_output=True, timeout=120)
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "Permission denied" in lines[0], lines
    assert not out.exists() and source.read_bytes() == "正文。\n".encode()
    assert run_zhdoc("convert", source, "-o", out, "-f", "txt", "--report", tmp_path / "new" / "r.json").returncode == 0
    assert json.loads((tmp_path / "new" / "r.json").read_text(encoding="utf-8"))["totals"]["converted"] == 1


def test_a_report_on_an_output_of_the_run_is_refused(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.txt": "正文。\n"})
    with pytest.raises(OptionsError, match="output of the run"):
        convert_paths([tmp_path / "in"], tmp_path / "out", Options(formats=TXT), report_path=tmp_path / "out" / "a.txt")
    assert not (tmp_path / "out").exists()


# 3. Non-UTF-8 file names, 4. a state file of any shape


def test_a_file_name_that_is_not_utf8_is_converted_and_escaped_in_messages_state_and_report(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("正文。\n", encoding="utf-8")
    with open(os.fsencode(folder) + b"/\xff\xfe.txt", "wb") as file:
        file.write("名字不是UTF-8,,的文件。\n".encode())
    with open(os.fsencode(folder) + b"/\xfa.txt", "wb") as file:
        file.write(b"")  # fails: its error message names it
    args = ("convert", folder, "-o", tmp_path / "out", "-f", "txt,docx", "--report", tmp_path / "r.json", "-j", "2")
    first = run_zhdoc(*args)
    err = first.stderr.decode()
    assert first.returncode == 1 and "2 converted, 0 skipped, 1 failed" in err and "Traceback" not in err, err
    assert "\\xfa.txt: empty file" in err
    assert (tmp_path / "out" / os.fsdecode(b"\xff\xfe.txt")).read_text(encoding="utf-8") == "名字不是UTF-8，的文件。\n"
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert sorted(Path(f["input"]).name for f in report["files"]) == ["\\xfa.txt", "\\xff\\xfe.txt", "good.txt"]
    state = json.loads((tmp_path / "out" / ".zhdoc-state.json").read_text(encoding="utf-8"))
    assert os.fsdecode(b"\xff\xfe.txt") in state
    again = run_zhdoc(*args)
    assert again.returncode == 1 and "0 converted, 2 skipped, 1 failed" in again.stderr.decode()
    found = run_zhdoc("check", folder)
    assert found.returncode == 1 and "\\xff\\xfe.txt:1:" in found.stdout.decode(), found.stderr.decode()
    diff = run_zhdoc("clean", "--diff", os.fsdecode(os.fsencode(folder) + b"/\xff\xfe.txt"))
    assert diff.returncode == 0 and "\\xff\\xfe.txt (repaired)" in diff.stdout.decode(), diff.stderr.decode()


@pytest.mark.parametrize("quiet", [(), ("-q",)])
def test_a_file_name_with_a_newline_or_a_terminal_escape_stays_on_its_one_line(tmp_path, quiet: tuple) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\nfailed: fake.txt").write_bytes(b"\x00binary")
    (folder / "red\x1b[31m.txt").write_bytes(b"")
    done = run_zhdoc("convert", folder, "-o", tmp_path / "out", "-f", "txt", *quiet)
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 1 and "\x1b" not in done.stderr.decode(), lines
    assert [line for line in lines if "fake.txt" in line] == [
        ("  failed: " if not quiet else "")
        + f"{folder}/evil\\nfailed: fake.txt: binary file (contains NUL bytes), not text"
    ]
    assert not any(line.startswith("failed: fake.txt") for line in lines)
    assert any(line.endswith("red\\x1b[31m.txt: empty file") for line in lines), lines


@pytest.mark.parametrize("content", [b"[]", b"null", b"42", b"\x00\xffgarbage{", b'{"a.txt": 1}', b'"text"'])
def test_a_state_file_of_any_shape_is_ignored_with_a_warning(tmp_path, content: bytes) -> None:
    _tree(tmp_path / "in", {"a.txt": "正文,,一。\n"})
    out = tmp_path / "out"
    out.mkdir()
    (out / ".zhdoc-state.json").write_bytes(content)
    report = convert_paths([tmp_path / "in"], out, Options(formats=TXT))
    assert report.count("converted") == 1 and report.return_code == 0
    assert len(report.warnings) == 1 and "not a zhdoc state file" in report.warnings[0]
    again = convert_paths([tmp_path / "in"], out, Options(formats=TXT))
    assert again.count("skipped") == 1 and again.warnings == []


def test_the_state_warning_is_shown_in_one_line(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.txt": "正文。\n"})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".zhdoc-state.json").write_text("[]", encoding="utf-8")
    result = run_zhdoc("convert", tmp_path / "in", "-o", tmp_path / "out", "-f", "txt")
    assert result.returncode == 0 and "not a zhdoc state file; ignored" in _lines(result)[0]


# 5. Data safety


def test_a_failed_rename_keeps_the_previous_outputs_of_the_file(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.txt": "第一版,,內容。\n"})
    out = tmp_path / "out"
    options = Options(formats=("txt", "docx", "md"))
    assert convert_paths([tmp_path / "in"], out, options).return_code == 0
    previous = {name: (out / name).read_bytes() for name in ("a.txt", "a.docx")}
    (out / "a.md").unlink()
    (out / "a.md").mkdir()  # a folder in the way of one output (as a PDF open in a viewer on Windows)
    (out / "a.md" / "keep").write_text("x", encoding="utf-8")
    (tmp_path / "in" / "a.txt").write_text("第二版內容。\n", encoding="utf-8")
    report = convert_paths([tmp_path / "in"], out, options)
    assert report.return_code == 1
    assert "the previous outputs of this file are kept" in report.failed[0].error
    assert {name: (out / name).read_bytes() for name in ("a.txt", "a.docx")} == previous
    assert sorted(p.name for p in out.iterdir()) == [".zhdoc-state.json", ".zhdoc.lock", "a.docx", "a.md", "a.txt"]


def test_a_second_run_on_the_same_output_folder_stops_with_one_line(tmp_path) -> None:
    fcntl = pytest.importorskip("fcntl")
    _tree(tmp_path / "in", {"a.txt": "正文。\n"})
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".zhdoc.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another run holds it
        result = run_zhdoc("convert", tmp_path / "in", "-o", out, "-f", "txt")
        with pytest.raises(ZhdocError, match="another zhdoc run is writing to this folder"):
            convert_paths([tmp_path / "in"], out, Options(formats=TXT))
    lines = _lines(result)
    assert result.returncode == 1 and len(lines) == 1 and "another zhdoc run" in lines[0], lines
    assert not (out / "a.txt").exists()
    assert convert_paths([tmp_path / "in"], out, Options(formats=TXT)).count("converted") == 1  # released


def test_files_left_by_a_killed_run_are_removed_at_the_start_of_the_next(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.txt": "正文。\n", "sub/b.txt": "另一篇。\n"})
    out = tmp_path / "out"
    _tree(out, {".a.txt.x1y2z3w4.part": "half", "sub/.b.docx.abcd_123.part": "half", "sub/.b.txt.0123abcd.bak": "old"})
    _tree(out, {"sub/b.txt": "舊輸出\n", ".notes.txt.abcdefgh.part": "not ours", ".a.txt.toolong12.part.keep": "no"})
    report = convert_paths([tmp_path / "in"], out, Options(formats=("txt", "docx")))
    assert report.count("converted") == 2
    hidden = sorted(p.relative_to(out).as_posix() for p in out.rglob(".*"))
    assert hidden == [".a.txt.toolong12.part.keep", ".notes.txt.abcdefgh.part", ".zhdoc-state.json", ".zhdoc.lock"]


def test_inputs_that_are_not_regular_files_are_errors_never_a_wait(tmp_path) -> None:
    result = run_zhdoc("clean", "/dev/zero")
    assert result.returncode == 1, result.stderr.decode()
    assert _lines(result) == ["zhdoc: error: /dev/zero: not a regular file (a device, pipe or socket)"]
    _tree(tmp_path / "in", {"a.txt": "甲。\n", "b.txt": "乙。\n", "c.txt": "丙。\n"})
    script = f"""
        import os, sys
        from converter import Options, convert_paths
        def swap(result, total):  # after a.txt: b.txt becomes a FIFO that nobody writes to
            if result.input.endswith("a.txt"):
                os.unlink({str(tmp_path / "in" / "b.txt")!r})
                os.mkfifo({str(tmp_path / "in" / "b.txt")!r})
        report = convert_paths([{str(tmp_path / "in")!r}], {str(tmp_path / "out")!r}, Options(formats=("txt",)),
                               progress=swap, chunk_size=1)
        print([(os.path.basename(f.input), f.status, f.error) for f in report.files])
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == str(
        [("a.txt", "converted", ""), ("b.txt", "failed", f"{tmp_path / 'in' / 'b.txt'}: not a regular file (a device,"
                                                          " pipe or socket)"), ("c.txt", "converted", "")]
    )


def test_a_file_swapped_for_a_symlink_out_of_its_folder_after_planning_is_not_read(tmp_path) -> None:
    _tree(tmp_path, {"in/a.txt": "甲。\n", "in/b.txt": "乙。\n", "secret.txt": "外面的秘密。\n"})

    def swap(result, total) -> None:  # after a.txt, before b.txt
        if result.input.endswith("a.txt"):
            (tmp_path / "in" / "b.txt").unlink()
            (tmp_path / "in" / "b.txt").symlink_to(tmp_path / "secret.txt")

    report = convert_paths([tmp_path / "in"], tmp_path / "out", Options(formats=TXT), progress=swap, chunk_size=1)
    assert [(Path(f.input).name, f.status) for f in report.files] == [("a.txt", "converted"), ("b.txt", "failed")]
    assert "leads out of its folder" in report.failed[0].error
    assert not (tmp_path / "out" / "b.txt").exists()


def test_an_input_over_the_size_limit_is_too_large_and_not_read(tmp_path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as file:
        file.truncate(512 * 1024 * 1024 + 1)  # sparse: no disk used
    result = run_zhdoc("convert", huge, "-o", tmp_path / "out", "-f", "txt")
    assert result.returncode == 1 and f"{huge}: too large: over 512 MB" in result.stderr.decode()


def test_an_input_restored_with_an_older_time_or_a_changed_font_is_converted_again(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.txt": "第一版,,內容。\n"})
    source, out = tmp_path / "in" / "a.txt", tmp_path / "out"
    font = tmp_path / "font.ttf"
    shutil.copy(ROOT / "fonts" / "NotoSerifCJKSC-Regular.ttf", font)
    options = Options(formats=TXT, font=str(font))
    assert convert_paths([source.parent], out, options).count("converted") == 1
    assert convert_paths([source.parent], out, options).count("skipped") == 1
    old = source.stat().st_mtime - 3600
    source.write_text("第二版內容,,更長。\n", encoding="utf-8")
    os.utime(source, (old, old))  # (as a backup restored with its own time: older than the output)
    assert convert_paths([source.parent], out, options).count("converted") == 1
    assert (out / "a.txt").read_text(encoding="utf-8") == "第二版內容，更長。\n"
    os.utime(font, (time.time() + 60, time.time() + 60))
    assert convert_paths([source.parent], out, options).count("converted") == 1


WORKERS = """
    import multiprocessing, os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from converter.workers import init

    if __name__ == "__main__":
        context = multiprocessing.get_context(sys.argv[1])
        pool = ProcessPoolExecutor(2, context, initializer=init, initargs=(os.getpid(),))
        pool.submit(time.sleep, 600)  # one worker busy
        pool.submit(os.getpid).result()  # the other idle, waiting for work
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("start", ["fork", "forkserver", "spawn"])
def test_pool_workers_exit_when_their_parent_is_killed(tmp_path, start: str) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(WORKERS), start],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        start_new_session=True,  # (so that what multiprocessing itself leaves, a fork server, is ended after)
    )
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2
    parent.kill()  # SIGKILL: no cleanup of its own
    parent.wait()
    try:
        deadline = time.monotonic() + 60  # (a bound on the wait, not a measure: they go within a second)
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)


def test_a_dask_scheduler_that_never_answers_gives_one_line(tmp_path) -> None:
    pytest.importorskip("distributed")
    _tree(tmp_path / "in", {"a.txt": "正文。\n"})
    with socket.socket() as silent:  # accepts connections (the kernel does), never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        command = [sys.executable, "-m", "converter", "convert", str(tmp_path / "in"), "-o", str(tmp_path / "out")]
        result = subprocess.run([*command, "--scheduler", address], capture_output=True, timeout=120, cwd=ROOT)
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, lines
    assert f"cannot use the dask scheduler at {address}" in lines[0]


# 6. --glob stays in the folder, 7. usage errors


def test_a_glob_leaving_the_folder_is_a_usage_error(tmp_path) -> None:
    _tree(tmp_path, {"in/a.txt": "正文。\n", "secret.txt": "秘密。\n"})
    for pattern in ("/etc/*", "../*.txt", "*.md,sub/../../*.txt"):
        for command in (("convert", "in", "-o", "out", "-f", "txt"), ("check", "in")):
            result = run_zhdoc(*command, "--glob", pattern, cwd=tmp_path)
            lines = _lines(result)
            assert result.returncode == 2 and len(lines) == 1 and "--glob" in lines[0], (pattern, lines)
    assert not (tmp_path / "out").exists()
    with pytest.raises(OptionsError):
        convert_paths([tmp_path / "in"], tmp_path / "out", Options(formats=TXT), glob="/etc/*")


def test_unknown_encoding_and_track_changes_without_word_input_are_usage_errors(tmp_path) -> None:
    _tree(tmp_path / "in", {"a.txt": "正文。\n"})
    for flags in (("--encoding", "foo"), ("--encoding", "base64"), ("--track-changes",)):
        result = run_zhdoc("convert", tmp_path / "in", "-o", tmp_path / "out", "-f", "txt", *flags)
        assert result.returncode == 2, (flags, result.stderr.decode())
    assert run_zhdoc("clean", tmp_path / "in" / "a.txt", "--encoding", "foo").returncode == 2
    assert not (tmp_path / "out").exists()
    for values in ({"encoding": "foo"}, {"to": "klingon"}):
        with pytest.raises(OptionsError):
            Options(**values)
    assert Options(to="s2twp").to == "s2twp" and Options(encoding="GB2312").encoding == "GB2312"
    with pytest.raises(OptionsError, match="track-changes"):
        convert_paths([tmp_path / "in"], tmp_path / "out", Options(formats=TXT, track_changes=True))
    word = FIXTURES / "docx" / "comments-rich-para.docx"
    shutil.copy(word, tmp_path / "in" / "w.docx")
    report = convert_paths([tmp_path / "in"], tmp_path / "out", Options(formats=("docx",), track_changes=True))
    assert report.count("converted") == 2


# 8. Dependencies


def test_libraries_used_through_private_names_are_bounded_below_their_next_major() -> None:
    from importlib.metadata import version

    from packaging.requirements import Requirement

    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {r.name: r for r in map(Requirement, project["dependencies"])}
    for name, floor, ceiling in (("python-docx", "1.2", "2"), ("reportlab", "4.0", "6")):
        specifier = declared[name].specifier
        assert version(name) in specifier and floor in specifier and ceiling not in specifier, (name, specifier)
    assert "1.1.2" not in declared["python-docx"].specifier  # Document.add_comment is new in 1.2
