"""Find first, fix where damage is: the skim gives what running every fixer everywhere gives."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.document import map_units, plain
from converter.readers import read_text
from converter.repair import FIXERS, OPTIONAL_FIXERS, fixers_for, repair_everywhere, repair_text
from converter.repair.chars import MASK_LATIN
from converter.repair.damage import may_change, trigger
from converter.repair.protect import mask, spans
from converter.transform import boundaries, code_ranges

CLEAN = list("加強基層黨組織的會議書記縣市區工作安裝設定") + list("，。、；：？！“”（）《》…—") + [
    "apt-get install",
    " ",
    "`ls -l`",
    "a",
    "1",
    "\n",
    "https://a.cn/x?y=1",
    "e.g.",
    "(x)",
    "|",
    "$x$",
    "「引」",
    "Stay hungry, stay",
]
DAMAGE = list(",,;?!:.()|<[\t") + [
    "(qiáng)",
    "(de)",
    "?shù)",
    "??",
    "<image>x</image>",
    "![a](b)",
    "?/P>",
    "擔當?shù)母咚刭|(zhì)",
    "難點?;鶎狱h",
    "\u3000",
    "\u200b",
    "\u00ad",
    " \n",
    "\n ",
    " | ",
    MASK_LATIN,
]
# Mostly clean text with some damage here and there, so that both paths are taken often.
PIECES = st.one_of(st.sampled_from(CLEAN), st.sampled_from(CLEAN), st.sampled_from(CLEAN), st.sampled_from(DAMAGE))
TEXTS = st.lists(PIECES, max_size=30).map("".join)
ALL_FIXERS = (*FIXERS, *OPTIONAL_FIXERS.values())


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_a_fixer_acts_only_where_its_trigger_matches(text: str) -> None:
    masked = mask(text, spans(text), MASK_LATIN)
    for fixer in ALL_FIXERS:
        if fixer(text) or fixer(masked):
            assert re.search(trigger(fixer), text, re.MULTILINE), (fixer.__name__, text)


@settings(max_examples=500, deadline=None)
@given(TEXTS, st.booleans())
def test_skimming_gives_the_full_repair(text: str, spacing: bool) -> None:
    fixers = fixers_for(spacing)
    assert repair_text(text, fixers) == repair_everywhere(text, fixers)
    if not may_change(text, fixers):
        assert repair_everywhere(text, fixers) == (text, [], [])


def _units(name: str, fmt: str = "text") -> list:
    path = FIXTURES / name
    document = read_text(path.read_text(encoding="utf-8"), str(path), fmt=fmt)
    units = []

    def keep(unit):
        units.append(unit)
        return unit

    map_units(document.blocks, keep)
    return [(plain(u.inlines), code_ranges(u.inlines), boundaries(u.inlines)) for u in units]


CORPORA = [
    *(str(p.relative_to(FIXTURES)) for p in sorted(FIXTURES.glob("mojibake*/*/*.txt"))),
    "sample/gd-news-trad-pinyin.txt",
    "structured/structured-manual.txt",
]


@pytest.mark.parametrize("name", [*CORPORA, "markdown/readme.md"])
def test_skimming_gives_the_full_repair_on_the_corpora(name: str) -> None:
    units = _units(name, "markdown" if name.endswith(".md") else "text")
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    assert lines  # (a page may be read as code blocks only: no text units)
    for text, pinned, marks in units:
        assert repair_text(text, FIXERS, pinned, marks) == repair_everywhere(text, FIXERS, pinned, marks)
    for line in lines:
        assert repair_text(line, FIXERS) == repair_everywhere(line, FIXERS)


def test_the_sample_is_damaged_and_clean_prose_is_skipped() -> None:
    assert may_change(SAMPLE.read_text(encoding="utf-8"), FIXERS)
    assert not may_change("執行 `apt-get install zhdoc` 即可（需要 root 權限）。見 https://a.cn/x?y=1 。", FIXERS)
