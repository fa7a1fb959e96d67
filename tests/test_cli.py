"""The command line, run as a real process the way a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, SAMPLE, run_zhdoc

CLEAN = FIXTURES / "sample" / "gd-news-trad-pinyin.clean.txt"


def test_clean_from_stdin() -> None:
    result = run_zhdoc("clean", "-", stdin="你好,世界!\n".encode())
    assert result.returncode == 0
    assert result.stdout.decode() == "你好，世界！\n"


def test_clean_detects_the_encoding_of_stdin() -> None:
    result = run_zhdoc("clean", "-", stdin=SAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    assert result.stdout.decode() == CLEAN.read_text(encoding="utf-8")


def test_clean_diff_shows_the_changes() -> None:
    result = run_zhdoc("clean", SAMPLE, "--diff")
    assert result.returncode == 0
    out = result.stdout.decode()
    assert out.startswith("---") and "-4月1日,,全省加強(qiáng)" in out and "+4月1日，全省加強基層" in out


def test_check_lists_problems_with_line_and_column_and_exits_1() -> None:
    result = run_zhdoc("check", SAMPLE)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert f"{SAMPLE}:1:5: doubled-comma: ',,' → '，'" in lines
    assert any(":3:" in line and "mojibake: '?shù)母咚刭|' → '的高素質'" in line for line in lines)


def test_check_exits_0_on_clean_text() -> None:
    result = run_zhdoc("check", CLEAN)
    assert result.returncode == 0, result.stdout.decode()
    assert result.stdout == b""


def test_convert_writes_txt_equal_to_the_expected_output(tmp_path) -> None:
    result = run_zhdoc("convert", SAMPLE, "-o", tmp_path, "-f", "txt", "-q", "--report", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "gd-news-trad-pinyin.txt").read_text(encoding="utf-8") == CLEAN.read_text(encoding="utf-8")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["totals"]["converted"] == 1
    assert report["files"][0]["fixes"]["pinyin"] > 300


def test_convert_to_simplified(tmp_path) -> None:
    result = run_zhdoc("convert", SAMPLE, "-o", tmp_path, "-f", "txt", "--to", "simplified", "-q")
    assert result.returncode == 0
    expected = FIXTURES / "sample" / "gd-news-trad-pinyin.simplified.txt"
    assert (tmp_path / "gd-news-trad-pinyin.txt").read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"\x00\x01\x02binary\x00", "binary file"), (b"", "empty file"), ("中文字".encode()[:-1], "truncated")],
)
def test_bad_input_gives_one_line_and_exit_1(tmp_path, content: bytes, problem: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    for args in (("clean", bad), ("check", bad), ("convert", bad, "-o", tmp_path / "out", "-f", "txt")):
        result = run_zhdoc(*args)
        err = result.stderr.decode()
        assert result.returncode == 1, args
        assert "Traceback" not in err and str(bad) in err and problem in err, err


def test_debug_shows_the_traceback(tmp_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run_zhdoc("clean", bad, "--debug")
    assert result.returncode == 1 and "Traceback" in result.stderr.decode()


def test_usage_errors_exit_2(tmp_path) -> None:
    assert run_zhdoc("convert", SAMPLE, "-f", "odt").returncode == 2
    assert run_zhdoc("frobnicate").returncode == 2
    result = run_zhdoc("convert", SAMPLE, "-o", tmp_path, "-f", "txt", "--to", "klingon")
    err = result.stderr.decode()
    assert result.returncode == 2 and "unknown script target or OpenCC config: 'klingon'" in err, err
    assert "keep, simplified, traditional, taiwan, hongkong" in err and "s2twp" in err and "t2s" in err
    assert not list(tmp_path.iterdir())  # refused before any work


def test_help_shows_examples() -> None:
    for command in ((), ("convert",), ("clean",), ("check",)):
        out = run_zhdoc(*command, "--help").stdout.decode()
        assert "Examples:" in out and "zhdoc " in out


def test_missing_dask_extra_gives_the_install_hint(tmp_path) -> None:
    block = "import sys; sys.modules['distributed'] = sys.modules['dask'] = sys.modules['dask.distributed'] = None"
    code = f"{block}; from converter.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "convert", SAMPLE, "-o", tmp_path, "--scheduler", "tcp://127.0.0.1:1"],
        capture_output=True,
        timeout=60,
    )
    err = result.stderr.decode()
    assert result.returncode == 1 and "pip install 'zhdoc[dask]'" in err and "Traceback" not in err, err


def test_warnings_are_shown_in_the_summary(tmp_path) -> None:
    source = tmp_path / "rare.txt"
    source.write_text("罕用字𠀋。\n", encoding="utf-8")  # Extension B: in no bundled face (emoji are, in Noto Emoji)
    result = run_zhdoc("convert", source, "-o", tmp_path / "out")
    assert result.returncode == 0
    assert f"{source}: warning: no bundled font covers 1 character: 𠀋 U+2000B ×1" in result.stderr.decode()


def test_check_walks_a_folder_under_the_current_one_and_reads_every_format(tmp_path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("你好,世界", encoding="utf-8")
    (tmp_path / "notes" / "a.md").write_text("# 標題\n\n你好,世界\n\n`a,b`\n", encoding="utf-8")
    result = run_zhdoc("check", "notes", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.decode().splitlines() == [
        "notes/a.md:3:3: half-width-mark: ',' → '，'",
        "notes/a.txt:1:3: half-width-mark: ',' → '，'",
    ]


def test_clean_of_a_markdown_file_prints_markdown(tmp_path) -> None:
    source = tmp_path / "說明.md"
    source.write_text("# 關於\n\n加強(qiáng)基層,,見 `ls,,-l` 與 [文檔](https://a.cn/文檔)。\n", encoding="utf-8")
    result = run_zhdoc("clean", source, "--to", "simplified")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "# 关于\n\n加强基层，见 `ls,,-l` 与 [文档](https://a.cn/文檔)。\n"


def test_an_empty_path_is_refused_not_read_as_the_working_folder(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("正文。\n", encoding="utf-8")
    result = run_zhdoc("convert", "", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "an empty path (an unset variable?)" in result.stderr.decode()
    assert not (tmp_path / "out").exists()
