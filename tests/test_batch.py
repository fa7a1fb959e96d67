"""Batch conversion of a real folder through real process pools (and a dask LocalCluster)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from corpus import make_corpus
from crash import die_on

from converter import Options, convert_file, convert_paths

FORMATS = ("txt", "docx", "pdf")


def _outputs(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converter", *map(str, args)], capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    good, bad = make_corpus(root / "in")
    return root, good, bad


@pytest.fixture(scope="module")
def first_run(corpus):
    root, good, bad = corpus
    out = root / "out"
    result = _run("convert", root / "in", "-o", out, "-j", "2", "--report", root / "report.json")
    return result, out, json.loads((root / "report.json").read_text(encoding="utf-8"))


def test_batch_converts_good_files_reports_bad_ones_and_exits_1(corpus, first_run) -> None:
    root, good, bad = corpus
    result, out, report = first_run
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "Traceback" not in err and "200 converted, 0 skipped, 3 failed" in err
    for path in bad:
        assert str(path) in err
    for path in good:
        stem = out / path.relative_to(root / "in").with_suffix("")
        for fmt in FORMATS:
            assert stem.with_suffix(f".{fmt}").stat().st_size > 0, stem
    assert report["totals"]["converted"] == 200 and report["totals"]["failed"] == 3
    records = {r["input"]: r for r in report["files"]}
    assert set(records) == {str(p) for p in good + bad}
    odd = records[str(root / "in" / "with space 名字.txt")]
    assert odd["status"] == "converted" and odd["fixes"]["pinyin"] > 0 and odd["seconds"] > 0
    assert {r["encoding"] for r in report["files"] if r["status"] == "converted"} == {
        "utf-8",
        "gb18030",
        "big5hkscs",
        "utf-16",
    }
    assert "binary" in records[str(root / "in" / "bad" / "binary.txt")]["error"]


def test_batch_outputs_are_byte_identical_to_single_conversions(corpus, first_run, tmp_path) -> None:
    root, good, _ = corpus
    _, out, _ = first_run
    for path in good:
        relative = path.relative_to(root / "in").with_suffix("")
        assert convert_file(path, tmp_path / relative).status == "converted"
    assert _outputs(tmp_path) == _outputs(out)


def test_inputs_are_not_modified_and_nothing_is_left_half_written(corpus, first_run) -> None:
    root, good, bad = corpus
    _, out, _ = first_run
    assert not list(out.rglob("*.part"))
    assert not list((root / "in").rglob("*.docx"))


def test_second_run_skips_everything_and_force_converts_again(corpus, first_run) -> None:
    root, _, _ = corpus
    _, out, _ = first_run
    again = _run("convert", root / "in", "-o", out, "-j", "2")
    assert "0 converted, 200 skipped, 3 failed" in again.stderr.decode()
    forced = _run("convert", root / "in", "-o", out, "-j", "2", "--force", "-f", "txt")
    assert "200 converted, 0 skipped, 3 failed" in forced.stderr.decode()


def test_changed_options_make_outputs_stale(tmp_path) -> None:
    source = tmp_path / "in" / "a.txt"
    source.parent.mkdir()
    source.write_text("關于加強基層干部建設。\n", encoding="utf-8")
    first = convert_paths([source.parent], tmp_path / "out", Options(formats=("txt",)))
    same = convert_paths([source.parent], tmp_path / "out", Options(formats=("txt",)))
    other = convert_paths([source.parent], tmp_path / "out", Options(formats=("txt",), to="simplified"))
    assert (first.count("converted"), same.count("skipped"), other.count("converted")) == (1, 1, 1)
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "关于加强基层干部建设。\n"


def test_interrupted_batch_leaves_no_partial_file_and_a_rerun_finishes(corpus, tmp_path) -> None:
    root, good, _ = corpus
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "converter", "convert", root / "in", "-o", out, "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.rglob("*.pdf"))) < 60:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    done = list(out.rglob("*.pdf"))
    assert 60 <= len(done) < 200
    assert not list(out.rglob("*.part"))
    for pdf in done:  # every file that exists is whole
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")
    rerun = _run("convert", root / "in", "-o", out, "-j", "2")
    summary = rerun.stderr.decode()
    converted = int(summary.split(" converted")[0].split()[-1])
    assert 0 < converted < 200 and "3 failed" in summary
    assert len(list(out.rglob("*.pdf"))) == 200


def test_a_crashing_worker_fails_only_its_file(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"f{i:02d}.txt").write_text(f"第{i}篇,,正文。\n", encoding="utf-8")
    pool = partial(ProcessPoolExecutor, max_workers=2, initializer=die_on, initargs=("f05.txt",))
    report = convert_paths([folder], tmp_path / "out", Options(formats=("txt",)), pool, chunk_size=4)
    failed = [f.input for f in report.failed]
    assert failed == [str(folder / "f05.txt")]
    assert "crashed" in report.failed[0].error
    assert report.count("converted") == 11 and report.return_code == 1


def test_symlinks_out_of_the_tree_are_not_followed_and_inputs_are_never_overwritten(tmp_path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("外面的文件。\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "inside.txt").write_text("裡面的文件。\n", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    report = convert_paths([folder], tmp_path / "out", Options(formats=("txt",)))
    assert [Path(f.input).name for f in report.files] == ["inside.txt"]
    same = convert_paths([folder], folder, Options(formats=("txt",), force=True))
    assert same.return_code == 1 and "holds this input folder" in same.failed[0].error
    single = convert_paths([folder / "inside.txt"], folder, Options(formats=("txt",), force=True))
    assert single.return_code == 1 and "would overwrite the input" in single.failed[0].error
    assert (folder / "inside.txt").read_text(encoding="utf-8") == "裡面的文件。\n"


def test_an_output_folder_inside_the_input_folder_is_not_read_back(tmp_path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("第一篇,,正文。\n", encoding="utf-8")
    options = Options(formats=("txt",))
    first = convert_paths([folder], folder / "out", options)
    second = convert_paths([folder], folder / "out", options.evolve(force=True))
    assert [Path(f.input).name for f in first.files] == [Path(f.input).name for f in second.files] == ["a.txt"]
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt")) == ["a.txt", "out/a.txt"]


def _without_root_override() -> list[str]:
    """As root, permissions only bite once the capabilities to override them are gone (setpriv)."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: an unreadable file cannot be made")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_unreadable_file_is_reported_and_the_rest_go_on(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("可讀的文件。\n", encoding="utf-8")
    secret = folder / "secret.txt"
    secret.write_text("不可讀。\n", encoding="utf-8")
    secret.chmod(0)
    command = [
        *_without_root_override(),
        sys.executable,
        "-m",
        "converter",
        "convert",
        str(folder),
        "-o",
        str(tmp_path / "out"),
        "-f",
        "txt",
        "-j",
        "2",
    ]
    result = subprocess.run(command, capture_output=True, timeout=120)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert f"{secret}: permission denied" in err and "1 converted, 0 skipped, 1 failed" in err, err
    assert (tmp_path / "out" / "ok.txt").read_text(encoding="utf-8") == "可讀的文件。\n"


def test_dask_local_cluster_gives_the_same_outputs(corpus, first_run, tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    root, _, _ = corpus
    _, out, report = first_run
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = convert_paths([root / "in"], tmp_path, Options(), client.get_executor())
    assert _outputs(tmp_path) == _outputs(out)
    assert result.count("converted") == 200 and result.count("failed") == 3
    assert {f.input: f.fixes for f in result.files} == {r["input"]: r["fixes"] for r in report["files"]}


def test_a_file_that_vanishes_mid_run_is_reported_and_the_rest_go_on(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text("正文,,內容。\n", encoding="utf-8")

    def delete_the_last(result, total) -> None:  # runs after the first file, before the last one
        (folder / "c.txt").unlink(missing_ok=True)

    report = convert_paths(
        [folder], tmp_path / "out", Options(formats=("txt",)), progress=delete_the_last, chunk_size=1
    )
    assert [(Path(f.input).name, f.status) for f in report.files] == [
        ("a.txt", "converted"),
        ("b.txt", "converted"),
        ("c.txt", "failed"),
    ]
    assert "no such file" in report.failed[0].error and report.return_code == 1
