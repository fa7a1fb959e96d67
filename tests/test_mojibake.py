"""GBK-shift mojibake: the SPEC's examples, the generated corpus (fidelity), and clean text (no false spans)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES
from rapidfuzz.distance import Levenshtein

from converter import Options, convert_file, normalize
from converter.repair.mojibake import repair_gbk_shift

CORPUS = FIXTURES / "mojibake"
TECH = FIXTURES / "mojibake-tech"
sys.path.insert(0, str(CORPUS))
from damage import FOLD  # noqa: E402  (the mirrors' folding table, from the copied damage model)
from measure import unmatched  # noqa: E402


def _mojibake(text: str):
    return [f for f in normalize(text)[1] if f.kind == "mojibake"]


def test_sample_span_is_recovered_exactly() -> None:
    fixes = _mojibake("努力造就一支忠誠干凈擔(dān)當(dāng)?shù)母咚刭|(zhì)干部隊伍")
    assert [(f.before, f.after, f.certainty) for f in fixes] == [("?shù)母咚刭|", "的高素質", "exact")]
    assert "spliced into 數" in fixes[0].note


def test_annotation_spliced_before_an_ascii_trail_byte() -> None:
    assert normalize("官方?jīng)]有")[0] == "官方沒有"
    assert [f.certainty for f in _mojibake("官方?jīng)]有")] == ["exact"]


def test_comma_splice_guesses_the_lost_character_and_decodes_the_rest_exactly() -> None:
    text, fixes = normalize("難點?;鶎狱h組織")
    assert text == "難點。基層黨組織"
    assert [(f.after, f.certainty) for f in fixes] == [("。", "guessed"), ("基層黨", "exact")]
    assert "candidates 。" in fixes[0].note


def test_undecodable_span_is_kept_and_reported() -> None:
    source = "孤?zàn)砘[(lài)客"
    text, fixes = normalize(source)
    assert "?zàn)砘[" in text
    assert [(f.before, f.certainty) for f in fixes if f.kind == "mojibake"] == [("?zàn)砘[", "unrecovered")]


def test_unrecovered_span_ends_where_the_garbling_ends() -> None:
    """The bytes are in step again after the annotation: the clean clause after it is no part of the span."""
    text, fixes = normalize("全年?guī)劃圓滿收官,奮力譜寫中國式現代化湖南篇章。")
    assert text == "全年?guī)劃圓滿收官，奮力譜寫中國式現代化湖南篇章。"
    assert [(f.before, f.certainty) for f in fixes if f.kind == "mojibake"] == [("?guī)", "unrecovered")]


def test_nothing_is_widened_inside_an_unrecovered_span() -> None:
    """The "?!" after a garbled run is debris of the lost pair, not a question: it stays inside the span."""
    text, fixes = normalize("孤?zàn)砘[?!客")
    assert text == "孤?zàn)砘[?!客"
    assert [(f.before, f.certainty) for f in fixes] == [("?zàn)砘[?!", "unrecovered")]


def test_unrecovered_spans_are_placed_in_the_repaired_text() -> None:
    """out_start/out_end point at each span as it stands in the output, after the fixes before it."""
    text, fixes = normalize("第一段,,孤?zàn)砘[(lài)客,。全年?guī)劃圓滿收官,奮力")
    spans = [f for f in fixes if f.certainty == "unrecovered"]
    assert [text[f.out_start : f.out_end] for f in spans] == ["?zàn)砘[", "?guī)"]


def test_a_character_outside_gbk_is_reported_and_left_as_it_is() -> None:
    """`??` is what the mirrors' decoder made of ™ ² € …: never widened to ？？, whatever stands before it."""
    for source in ("產品名 Linux??系統", "版本號??。", "面積是 10??，約"):
        text, fixes = normalize(source)
        assert "??" in text and "？" not in text, source
        assert [(f.before, f.certainty) for f in fixes if f.kind == "mojibake"] == [("??", "unrecovered")], source


def test_runs_after_a_lost_pair_are_decoded() -> None:
    """每?zǒng)?… : the annotation of 總 was spliced into 每個, and its "?" took the lead byte of the next
    character with it; the rest of the run decodes one byte later (from the technical corpus)."""
    text, fixes = normalize("對(duì)每?zǒng)?鎸?shí)用戶(hù)ID的,")
    assert text == "對每個真實用戶ID的，"
    assert {f.certainty for f in fixes if f.kind == "mojibake"} == {"guessed"}


def test_clean_text_next_to_latin_is_not_repaired() -> None:
    sources = ("老師在 Web 上講課?;老師在 Web", "這與指定 (?x) 嵌入選項相同", "q/($?i)d.*D/);", "屬于???組<group>")
    folded = ("真的嗎?;Web 老師在講課", "是嗎?，Web 老師", "好?。Web 老師在", "/dev/hd??  標準分頁設備")
    for source in sources + folded:
        assert _mojibake(source) == [], source
    assert normalize("真的嗎?;Web 老師在講課")[0] == "真的嗎？；Web 老師在講課"


def _documents(corpus=CORPUS):
    for damaged in sorted((corpus / "damaged").glob("*.txt")):
        gold = corpus / "gold" / f"{damaged.name.split('.')[0]}.txt"
        yield damaged.stem, damaged.read_text(encoding="utf-8"), gold.read_text(encoding="utf-8")


def _repair(text: str) -> str:
    return "\n".join(normalize(line)[0] for line in text.split("\n"))


def test_corpus_character_error_rate_after_repair(capsys) -> None:
    rates, edits, chars = [], 0, 0
    for _, damaged, gold in _documents():
        distance = Levenshtein.distance(_repair(damaged), gold)
        rates.append(distance / len(gold))
        edits, chars = edits + distance, chars + len(gold)
    with capsys.disabled():
        print(
            f"\nmojibake corpus: {len(rates)} documents, {chars} characters; CER after repair: "
            f"mean {sum(rates) / len(rates):.3%}, pooled {edits / chars:.3%}"
        )
    assert len(rates) == 16
    assert sum(rates) / len(rates) < 0.002


def test_every_span_in_the_corpus_is_detected() -> None:
    """In the full-width copies every ASCII "?" comes from the damage: each must be in a reported fix."""
    markers = missed = 0
    for name, damaged, _ in _documents():
        if "fold" in name:
            continue
        for line in damaged.split("\n"):
            covered = [(f.start, f.end) for f in normalize(line)[1] if f.kind == "mojibake"]
            for m in re.finditer(r"\?", line):
                markers += 1
                missed += not any(start <= m.start() < end for start, end in covered)
    assert markers > 50 and missed == 0, f"{missed} of {markers} mojibake markers not reported"


def test_most_garbled_characters_are_recovered() -> None:
    from converter.repair import FIXERS, run

    without = tuple(f for f in FIXERS if f is not repair_gbk_shift)
    garbled = recovered = 0
    for _, damaged, gold in _documents():
        baseline = "\n".join(run(line, without)[0] for line in damaged.split("\n"))
        lost = unmatched(gold, baseline)
        garbled += len(lost)
        recovered += len(lost - unmatched(gold, _repair(damaged)))
    assert garbled > 100 and recovered / garbled >= 0.7, (recovered, garbled)


WIDTH = str.maketrans("，；：？！（）。", ",;:?!().")  # a mark's width aside: the man pages mix both
# ... and the space typed after a half-width mark before Chinese, which a full-width mark holds (issue 21)
MARK_SPACE = re.compile(r"([,;:?!.])[ \t]+(?=[\u3400-\u9fff“‘「『(])")


def aside(text: str) -> str:
    """``text`` with a mark's width, and the space a full-width mark holds, aside."""
    return MARK_SPACE.sub(r"\1", text.translate(WIDTH))



def test_technical_corpus_character_error_rate_after_repair(capsys) -> None:
    """Man pages write many marks half-width beside Han, which the repair widens: compared width aside."""
    rates = []
    for _, damaged, gold in _documents(TECH):
        rates.append(Levenshtein.distance(aside(_repair(damaged)), aside(gold)) / len(gold))
    with capsys.disabled():
        mean = sum(rates) / len(rates)
        print(f"\ntechnical corpus: {len(rates)} documents; CER after repair, width aside: mean {mean:.3%}")
    assert len(rates) == 40
    assert sum(rates) / len(rates) <= 0.0015


def test_undamaged_technical_text_is_left_alone() -> None:
    """At most 0.05 % of the characters change (a mark's width aside); no Han or | is deleted or replaced."""
    chars = changed = 0
    for path in sorted((TECH / "clean").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            repaired, fixes = normalize(line)
            chars += len(line)
            changed += Levenshtein.distance(aside(repaired), aside(line))
            assert not [f for f in fixes if f.kind == "mojibake"], line
            kept = [re.findall(r"[\u3400-\u9fff|]", text) for text in (line, repaired)]
            assert kept[0] == kept[1], line
    assert chars > 25_000 and changed / chars <= 0.0005


def _false_spans(text: str) -> list[str]:
    return [line[e.start : e.end] for line in text.splitlines() for e in repair_gbk_shift(line)]


def test_no_spans_in_the_clean_corpus_folded_or_not() -> None:
    for path in [*(CORPUS / "clean").glob("*.txt"), *(CORPUS / "gold").glob("*.txt"), *(TECH / "clean").glob("*.txt")]:
        text = path.read_text(encoding="utf-8")
        assert _false_spans(text) == [] and _false_spans(text.translate(FOLD)) == [], path


FORTUNES = Path("/usr/share/games/fortunes")


@pytest.mark.skipif(
    not (FORTUNES / "chinese.u8").exists(), reason="fortunes-zh is not installed (apt-get install fortunes-zh)"
)
def test_no_spans_in_a_large_clean_text() -> None:
    text = "".join((FORTUNES / f"{name}.u8").read_text(encoding="utf-8") for name in ("chinese", "tang300", "song100"))
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) >= 100_000
    assert _false_spans(text) == []
    assert _false_spans(text.translate(FOLD)) == []


def test_review_spans_are_highlighted_with_a_comment_in_docx_and_listed_in_the_report(tmp_path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("第一段,,難點?;鶎狱h組織。\n第二段孤?zàn)砘[(lài)客。\n", encoding="utf-8")
    result = convert_file(source, tmp_path / "out" / "in", Options(formats=("txt", "docx")))
    assert (tmp_path / "out" / "in.txt").read_text(
        encoding="utf-8"
    ) == "第一段，難點。基層黨組織。\n第二段孤?zàn)砘[(lài)客。\n"
    document = docx.Document(tmp_path / "out" / "in.docx")
    marked = [
        (r.text, str(r.font.highlight_color)) for p in document.paragraphs for r in p.runs if r.font.highlight_color
    ]
    assert marked == [("。", "BRIGHT_GREEN (4)"), ("?zàn)砘[", "YELLOW (7)")]
    comments = [c.text for c in document.comments]
    assert len(comments) == 2 and "推測" in comments[0] and "保持原樣" in comments[1]  # the document is Traditional
    spans = {(s["before"], s["certainty"]) for s in result.spans}
    assert ("?;", "guessed") in spans and ("?zàn)砘[", "unrecovered") in spans
    assert any("candidates" in s["note"] for s in result.spans)
