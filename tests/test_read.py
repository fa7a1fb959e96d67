"""Reading: encodings, line endings, paragraphs, titles and the errors for bad files."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SAMPLE

from converter import InputError, read
from converter.readers import decode

CLEAN = FIXTURES / "sample" / "gd-news-trad-pinyin.clean.txt"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("damaged.gb18030.txt", "gb18030"), ("damaged.utf-16.txt", "utf-16"), ("damaged.utf-8-bom.txt", "utf-8-sig")],
)
def test_damaged_sample_decodes_the_same_in_every_encoding(name: str, encoding: str) -> None:
    text, used = decode((FIXTURES / "encodings" / name).read_bytes())
    assert used == encoding
    assert text == SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "encoding"), [("clean.big5.txt", "big5hkscs"), ("clean.gb18030-crlf.txt", "gb18030")])
def test_clean_sample_decodes_the_same_in_big5_and_with_crlf(name: str, encoding: str) -> None:
    document = read(FIXTURES / "encodings" / name)
    assert document.encoding == encoding
    assert document.text == CLEAN.read_text(encoding="utf-8")


def test_forced_encoding_is_used() -> None:
    document = read(FIXTURES / "encodings" / "clean.big5.txt", encoding="big5")
    assert document.text == CLEAN.read_text(encoding="utf-8")


def test_forced_wrong_encoding_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="not valid utf-8"):
        read(FIXTURES / "encodings" / "damaged.gb18030.txt", encoding="utf-8")


def test_sample_keeps_its_six_paragraphs_and_has_no_title() -> None:
    document = read(SAMPLE)
    assert document.title == ""
    assert len(document.paragraphs) == 6
    assert [block.line for block in document.blocks] == [1, 2, 3, 4, 5, 6]


def test_short_first_line_is_the_title_and_title_option_overrides(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("廣東召開基層黨建會議\n\n會議在廣州召開。\n", encoding="utf-8")
    assert read(path).title == "廣東召開基層黨建會議"
    assert read(path).paragraphs == ("會議在廣州召開。",)
    assert read(path, title="另一個標題").paragraphs == ("廣東召開基層黨建會議", "會議在廣州召開。")


def test_hard_wrapped_lines_are_joined(tmp_path) -> None:
    path = tmp_path / "wrapped.txt"
    first, second = "省委書記李希出席會議並講話，省委副書記、省長馬興", "瑞主持會議，深圳市委書記王偉中出席了這次會議。"
    path.write_text(f"{first}\n{second}\n下一段。\n", encoding="utf-8")
    assert read(path).paragraphs == (first + second, "下一段。")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"  \r\n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        ("全省加強基層黨組織".encode()[:-1], "truncated"),
        ("全省加強基層黨組織建設工作會議在廣州召開".encode("gb18030")[:-1], "truncated"),
    ],
)
def test_bad_files_raise_one_line_errors_naming_the_file(tmp_path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_missing_file_and_folder_are_errors(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        read(tmp_path)


SHORT = ["中", "測試", "你好，世界！", "會議在廣州召開。"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(t, e) for t in SHORT for e in ("gb18030", "big5hkscs")] + [("关于加强基层党组织建设", "gb18030")],
)
def test_short_chinese_texts_are_told_apart(text: str, encoding: str) -> None:
    """A general detector takes short GB or Big5 lines for Korean or UTF-16; zhdoc must not."""
    assert decode(text.encode(encoding)) == (text, encoding)
