"""Script detection and conversion with the real OpenCC."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SAMPLE

from converter import Options, OptionsError, process_text
from converter.pipeline import process
from converter.readers import read
from converter.script import convert, detect, fix_zhe

EXPECTED_SIMPLIFIED = FIXTURES / "sample" / "gd-news-trad-pinyin.simplified.txt"


def test_sample_is_detected_as_traditional_despite_stray_simplified_characters() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert "并" in text and "愿" in text
    assert detect(text) == "traditional"


def test_sample_to_simplified_reads_as_the_original_article() -> None:
    document = process(read(SAMPLE), Options(to="simplified"))
    assert document.text == EXPECTED_SIMPLIFIED.read_text(encoding="utf-8")
    for word in ("关于", "干部", "最后", "并讲话", "党组织", "高素质"):
        assert word in document.text
    assert document.script == "simplified" and document.language == "zh-CN"


def test_badly_converted_traditional_goes_through_simplified_to_proper_traditional() -> None:
    document = process_text("總書記關于加強基層干部建設并講話", Options(to="traditional"))
    assert document.paragraphs == ("總書記關於加強基層幹部建設並講話",)
    assert document.language == "zh-TW"


@pytest.mark.parametrize(
    ("target", "expected", "language"),
    [("taiwan", "軟體", "zh-TW"), ("hongkong", "軟件", "zh-HK"), ("s2twp", "軟體", "zh-TW")],
)
def test_regional_targets_and_raw_configs(target: str, expected: str, language: str) -> None:
    document = process_text("这个软件很好用", Options(to=target))
    assert expected in document.paragraphs[0]
    assert document.language == language


def test_zhe_gap_is_closed_for_simplified_output() -> None:
    assert convert("他帶著孩子，看著名著《紅樓夢》，這很顯著。", "simplified", "traditional") == (
        "他带着孩子，看着名著《红楼梦》，这很显著。"
    )
    assert fix_zhe("著名作家著作等身") == "著名作家著作等身"


def test_unknown_target_is_a_clear_error() -> None:
    with pytest.raises(OptionsError, match="unknown script target"):
        process_text("中文", Options(to="klingon"))


def test_keep_does_not_convert() -> None:
    document = process_text("關于干部", Options())
    assert document.paragraphs == ("關于干部",)
    assert document.script in ("traditional", "mixed")
