"""Repair and script conversion over the document tree: fixes across spans keep every kept character's format."""

from __future__ import annotations

from conftest import SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from converter import normalize
from converter.document import Code, Document, Paragraph, Span, plain
from converter.transform import convert_document, repair_document

BOLD = frozenset({"strong"})


def _styled_chars(inlines) -> list[tuple[str, frozenset]]:
    return [(c, span.style) for span in inlines for c in span.text]


def _split(text: str, cuts: list[int], bold: list[bool]) -> tuple[Span, ...]:
    points = sorted({c % (len(text) + 1) for c in cuts} | {0, len(text)})
    pieces = [text[a:b] for a, b in zip(points, points[1:])]
    return tuple(Span(p, BOLD if bold[i % len(bold)] else frozenset()) for i, p in enumerate(pieces) if p)


def test_a_fix_across_spans_keeps_the_format_of_what_stays() -> None:
    inlines = (Span("加強("), Span("qiáng)基層", BOLD), Span("工作,"), Span(",全省", BOLD))
    document = repair_document(Document((Paragraph(inlines),)))
    paragraph = document.blocks[0]
    assert plain(paragraph.inlines) == "加強基層工作，全省"
    assert [(s.text, s.style) for s in paragraph.inlines] == [
        ("加強", frozenset()),
        ("基層", BOLD),
        ("工作，", frozenset()),
        ("全省", BOLD),
    ]
    assert {f.kind for f in paragraph.fixes} == {"pinyin", "doubled-comma"}


def test_inline_code_and_code_blocks_are_never_touched() -> None:
    inlines = (Span("運行"), Span("ls -l,,", frozenset({"code"})), Span(",查看(kàn)"))
    blocks = (Paragraph(inlines), Code("$ echo 加強(qiáng),,好 | less"))
    document = convert_document(repair_document(Document(blocks)), "simplified")
    paragraph, code = document.blocks
    assert [s.text for s in paragraph.inlines] == ["运行", "ls -l,,", "，查看"]
    assert code == blocks[1]


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(0, 2000),
    cuts=st.lists(st.integers(0, 400), max_size=12),
    bold=st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_random_run_splits_give_the_same_text_as_clean(start: int, cuts: list[int], bold: list[bool]) -> None:
    """The sample's damage cut into random bold and plain runs: same text as the whole paragraph repaired,
    and every character that stays keeps its boldness."""
    text = SAMPLE.read_text(encoding="utf-8").replace("\n", "")[start : start + 300]
    inlines = _split(text, cuts, bold)
    repaired = repair_document(Document((Paragraph(inlines),))).blocks
    expected, fixes = normalize(text)
    got = repaired[0].inlines if repaired else ()
    assert plain(got) == expected
    # Characters outside every fix keep their style: walk both texts outside the fixed ranges.
    before = _styled_chars(inlines)
    after = _styled_chars(got)
    kept_in, kept_out, last, shift = [], [], 0, 0
    for fix in fixes:
        if fix.start < last:
            continue
        kept_in += before[last : fix.start]
        kept_out += after[last + shift : fix.start + shift]
        shift += len(fix.after) - (fix.end - fix.start)
        last = fix.end
    kept_in += before[last:]
    kept_out += after[last + shift :]
    assert kept_in == kept_out


def test_a_character_for_character_fix_keeps_each_character_in_its_span() -> None:
    """``个:`` + *``:1``*: the two colons are widened as one run, and each stays on its side of the emphasis."""
    italic = frozenset({"emphasis"})
    inlines = (Span("个:"), Span(":1", italic))
    repaired = repair_document(Document((Paragraph(inlines),))).blocks[0]
    assert [(s.text, s.style) for s in repaired.inlines] == [("个：", frozenset()), ("：1", italic)]
