"""The Chinese interface: help and errors in the locale's language, complete catalogs, review comments in
the document's language, a JSON report with English fields for machines and translated ones for people."""

from __future__ import annotations

import json
import pickle

import docx
import pytest
from conftest import run_zhdoc

from converter import InputError, Options, convert_file, i18n
from converter.catalogs import problems

SIMPLIFIED = {"LANG": "zh_CN.UTF-8"}
DAMAGED = "第一段,,難點?;鶎狱h組織。\n第二段孤?zàn)砘[(lài)客。\n"  # a guessed and an unrecovered span (test_mojibake)


@pytest.fixture
def interface_language():
    before = i18n.current_language()
    yield i18n.set_language
    i18n.set_language(before)


def _stderr(*args: str, env: dict[str, str] | None = None) -> str:
    return run_zhdoc(*args, env=env).stderr.decode()


def test_every_message_has_a_chinese_translation_in_both_catalogs_and_the_mo_files_are_compiled() -> None:
    assert problems() == []


@pytest.mark.parametrize(
    ("env", "expected", "absent"),
    [
        (SIMPLIFIED, ["用法:", "修复受损的中文文本", "显示此帮助并退出。", "选项:", "命令:"], "Show this message"),
        ({"LANG": "zh_TW.UTF-8"}, ["用法:", "修復受損的中文文字", "顯示此說明並退出。", "選項:"], "Show this message"),
        (
            {"LANG": "C", "LC_ALL": "C"},
            ["Usage:", "Repair damaged Chinese text", "Show this message and exit."],
            "用法",
        ),
    ],
)
def test_help_is_in_the_language_of_the_locale(env, expected, absent) -> None:
    result = run_zhdoc("--help", env=env)
    out = result.stdout.decode()
    assert result.returncode == 0
    assert all(text in out for text in expected), out
    assert absent not in out


def test_lc_all_wins_over_lang_and_lang_option_wins_over_both() -> None:
    assert "Usage:" in run_zhdoc("--help", env={"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}).stdout.decode()
    assert "将文件和文件夹" in run_zhdoc("convert", "--help", env={"LC_MESSAGES": "zh_SG.UTF-8"}).stdout.decode()
    assert "將檔案和資料夾" in run_zhdoc("--lang", "zh-TW", "convert", "--help", env=SIMPLIFIED).stdout.decode()


def test_errors_are_in_chinese_under_a_chinese_locale(tmp_path) -> None:
    empty, binary, text = tmp_path / "empty.txt", tmp_path / "binary.txt", tmp_path / "ok.txt"
    empty.write_bytes(b"")
    binary.write_bytes(b"\x00\x01abc")
    text.write_text("你好\n", encoding="utf-8")
    out = tmp_path / "out"
    assert (
        _stderr("clean", tmp_path / "missing.txt", env=SIMPLIFIED)
        == f"zhdoc：错误：{tmp_path}/missing.txt：没有这个文件\n"
    )
    assert _stderr("clean", empty, env=SIMPLIFIED) == f"zhdoc：错误：{empty}：空文件\n"
    assert "二进制文件（含有 NUL 字节），不是文本" in _stderr("clean", binary, env=SIMPLIFIED)
    assert "未知的目标字形或 OpenCC 配置：'klingon'" in _stderr("clean", text, "--to", "klingon", env=SIMPLIFIED)
    bad_format = _stderr("convert", text, "-o", out, "-f", "odt", env=SIMPLIFIED)
    assert "错误：'-f' / '--formats' 的值无效：odt：请从 txt, docx, pdf, md, html, epub 中选择" in bad_format
    assert "用法:" in bad_format
    bad_font = _stderr("convert", text, "-o", out, "--font", tmp_path / "none.ttf", env=SIMPLIFIED)
    assert f"{tmp_path}/none.ttf：没有这个字体文件" in bad_font and "转换 0 个，跳过 0 个，失败 1 个" in bad_font


def test_the_same_errors_in_traditional_and_english(tmp_path) -> None:
    missing = tmp_path / "missing.txt"
    assert _stderr("clean", missing, env={"LANG": "zh_TW.UTF-8"}) == f"zhdoc：錯誤：{missing}：沒有這個檔案\n"
    assert _stderr("clean", missing) == f"zhdoc: error: {missing}: no such file\n"


def test_report_keeps_english_fields_and_adds_translated_messages(tmp_path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(DAMAGED, encoding="utf-8")
    report = tmp_path / "report.json"
    run_zhdoc(
        "convert",
        source,
        tmp_path / "missing.txt",
        "-o",
        tmp_path / "out",
        "-f",
        "txt",
        "--report",
        report,
        env=SIMPLIFIED,
    )
    files = {f["input"]: f for f in json.loads(report.read_text(encoding="utf-8"))["files"]}
    converted, failed = files[str(source)], files[str(tmp_path / "missing.txt")]
    assert converted["warnings"] == ["1 suspected mojibake span left as it was"]
    assert converted["messages"] == ["1 处疑似乱码保持原样"]
    assert failed["status"] == "failed" and failed["error"] == f"{tmp_path}/missing.txt: no such file or folder"
    assert failed["message"] == f"{tmp_path}/missing.txt：没有这个文件或文件夹"


@pytest.mark.parametrize(
    ("to", "guessed", "unrecovered"),
    [
        ("traditional", "推測：亂碼 '?;' 原為 '。'", "疑似 GBK 亂碼，保持原樣"),
        ("simplified", "推测：乱码 '?;' 原为 '。'", "疑似 GBK 乱码，保持原样"),
    ],
)
def test_review_comments_follow_the_documents_script_not_the_interface(
    tmp_path, interface_language, to, guessed, unrecovered
) -> None:
    interface_language("en")
    source = tmp_path / "in.txt"
    source.write_text(DAMAGED, encoding="utf-8")
    convert_file(source, tmp_path / "in", Options(formats=("docx",), to=to))
    comments = [c.text for c in docx.Document(tmp_path / "in.docx").comments]
    assert len(comments) == 2
    assert comments[0].startswith(guessed) and comments[1].startswith(unrecovered), comments


def test_library_errors_speak_the_interface_language_and_keep_an_english_message(interface_language) -> None:
    error = InputError("a.txt", "empty file")
    assert str(error) == "a.txt: empty file"
    interface_language("zh-TW")
    assert str(error) == "a.txt：空檔案" and error.message == "a.txt: empty file"
    copy = pickle.loads(pickle.dumps(error))  # as errors and messages travel from worker processes
    assert type(copy) is InputError and str(copy) == "a.txt：空檔案" and copy.path == "a.txt"


def test_a_message_without_a_translation_falls_back_to_english(interface_language) -> None:
    interface_language("zh-CN")
    assert i18n.localize(i18n.Text("{path}: a message added later", path="x")) == "x: a message added later"
    assert str(InputError("x", "plain problem text")) == "x：plain problem text"
