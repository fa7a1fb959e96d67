"""Script detection and conversion with the real OpenCC."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SAMPLE, run_zhdoc

from converter import Options, OptionsError, normalize, process_text
from converter.pipeline import process
from converter.readers import read
from converter.script import TRADITIONAL_TOO, _each_character, _script_characters, characters, convert, detect, fix_zhe

EXPECTED_SIMPLIFIED = FIXTURES / "sample" / "gd-news-trad-pinyin.simplified.txt"
CLEAN_TRADITIONAL = FIXTURES / "traditional" / "coreutils-zh_TW.txt"
# What a reader of Traditional must not find in the sample converted to Traditional: OpenCC's standard forms
# rare in print, and the leftovers of a careless conversion.
NOT_TRADITIONAL_PRINT = ("爲", "羣", "衆", "裏", "啓")
LEFTOVERS = ("關于", "干部", "最后", "扎實", "聯系", "松綁")


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


def test_a_clean_taiwan_text_is_left_as_written() -> None:
    text = CLEAN_TRADITIONAL.read_text(encoding="utf-8")
    converted = convert(text, "traditional", detect(text))
    changed = sum(a != b for a, b in zip(text, converted)) + abs(len(text) - len(converted))
    assert detect(text) == "traditional"
    assert changed / len(text) <= 0.0001, [(a, b) for a, b in zip(text, converted) if a != b]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("他彆強，擡頭看汙染的河，貍貓和小丑都在。", "他彆強，擡頭看汙染的河，貍貓和小丑都在。"),  # deliberate forms
        ("狸猫 狸貓 貍貓，抬头 擡头 抬頭 擡頭", "狸貓 狸貓 貍貓，抬頭 擡頭 抬頭 擡頭"),  # mixed on purpose
        ("硬體平台占用，了解分布，回歸與抵觸", "硬體平台占用，了解分布，回歸與抵觸"),  # forms Taiwan print accepts
        ("爲羣衆裏啓", "為群眾裡啟"),  # OpenCC's standard forms → Taiwan's
    ],
)
def test_traditional_keeps_the_forms_written_in_taiwan_standard(written: str, expected: str) -> None:
    assert convert(written, "traditional", detect(written)) == expected


@pytest.mark.parametrize(
    ("leftover", "fixed"),
    [("關于", "關於"), ("干部", "幹部"), ("扎實", "紮實"), ("聯系", "聯繫"), ("松綁", "鬆綁"), ("干凈", "乾淨")],
)
def test_careless_leftovers_in_traditional_text_are_fixed_by_phrase(leftover: str, fixed: str) -> None:
    text = f"總書記強調，要{leftover}，這是會議的重點。"
    assert convert(text, "traditional", "traditional") == text.replace(leftover, fixed)


def test_sample_to_traditional_has_taiwan_forms_and_no_leftovers() -> None:
    repaired = normalize(SAMPLE.read_text(encoding="utf-8"))[0]
    converted = convert(repaired, "traditional", detect(repaired))
    assert len(converted) == len(repaired)
    for word in (*NOT_TRADITIONAL_PRINT, *LEFTOVERS):
        assert word not in converted, word
    for kept in ("為", "群眾", "廣州", "習近平", "關於", "幹部", "最後", "紮實", "聯繫", "鬆綁"):
        assert kept in converted, kept


def test_cli_clean_to_traditional() -> None:
    result = run_zhdoc("clean", SAMPLE, "--to", "traditional")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert "總書記關於加強基層黨組織建設" in out
    for word in (*NOT_TRADITIONAL_PRINT, *LEFTOVERS):
        assert word not in out, word


@pytest.mark.parametrize("target", ["traditional", "taiwan", "hongkong", "simplified"])
def test_lines_and_placeholders_come_back_in_place(target: str) -> None:
    text = "總書記關于\ue000干部\n最后一公里\ue001扎實推進\n\ue000"
    converted = convert(text, target, "traditional")
    assert [len(line) for line in converted.split("\n")] == [len(line) for line in text.split("\n")]
    assert [i for i, c in enumerate(converted) if c in "\ue000\ue001\n"] == [
        i for i, c in enumerate(text) if c in "\ue000\ue001\n"
    ]


def test_simplified_target_converts_even_a_text_detected_as_simplified() -> None:
    assert convert("他的稽覈工作", "simplified", "simplified") == "他的稽核工作"


def test_traditional_too_matches_opencc() -> None:
    traditional_only, simplified_forms = _script_characters()
    s2t_alone = dict(zip(characters(), _each_character("s2t")))
    kept = {c for c in simplified_forms - traditional_only if c in s2t_alone and s2t_alone[c] == c}
    assert kept == TRADITIONAL_TOO
