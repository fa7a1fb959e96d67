"""The punctuation cases of two public CJK linters (autocorrect, zhlint), as a yardstick.

Every ``keep`` case and every width case that needs no CJK–Latin spacing must pass, or be listed in
DEVIATIONS with the reason zhdoc answers differently. The pass rate per category is printed.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from conftest import FIXTURES

from converter import normalize

with open(FIXTURES / "peer-cases" / "cjk-punctuation-cases.tsv", encoding="utf-8", newline="") as handle:
    ROWS = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _unescape(field: str) -> str:
    return field.replace("\\n", "\n").replace("\\t", "\t")


# input → why zhdoc's answer differs from the linter's expected output
DEVIATIONS = {
    "中文;中文": "autocorrect keeps ';' on purpose; in zhdoc's input a ';' between Han is a folded '；' (SPEC §1)",
    "でもっと多くのことができるようになります.そんな新機能の数々をさっそく体験してみましょう.": (
        "Japanese kana are not Han: zhdoc repairs Chinese text only"
    ),
    "中文1\\nhello world。\\n中文2": "zhdoc never narrows a full-width mark: it repairs, it does not restyle",
    "你'好',再见.": "straight ASCII quotes are left as they are (pairing them is guesswork in damaged text)",
    '你"好",再见.': "straight ASCII quotes are left as they are",
    "\"你'好'\",再见.": "straight ASCII quotes are left as they are",
    "使用 `||` 时，title 会先转化为布尔值判断，为 true 时返回 title，false 返回 'title'": (
        "straight ASCII quotes are left as they are"
    ),
}


def _must_pass(row: dict) -> bool:
    category = row["category"]
    width = category.startswith("width") and row["expected_also_needs_cjk_latin_spacing"] == "no"
    return category == "keep" or width


@pytest.mark.parametrize("row", [r for r in ROWS if _must_pass(r)], ids=lambda r: r["input"][:30])
def test_peer_case(row: dict) -> None:
    got = normalize(_unescape(row["input"]))[0]
    expected = _unescape(row["expected"])
    if row["input"] in DEVIATIONS:
        assert got != expected, f"listed as a deviation but passes now: {row['input']!r}"
        return
    assert got == expected


def test_deviations_are_all_real_cases() -> None:
    assert set(DEVIATIONS) <= {row["input"] for row in ROWS}


def pass_rates() -> list[str]:
    """Lines of a table: category, cases passed, cases; printed at the end of the test run (conftest)."""
    total, passed = Counter(), Counter()
    for row in ROWS:
        total[row["category"]] += 1
        passed[row["category"]] += normalize(_unescape(row["input"]))[0] == _unescape(row["expected"])
    lines = [f"{c:72} {passed[c]:3}/{total[c]:3}" for c in sorted(total, key=lambda c: (-total[c], c))]
    return [
        *lines,
        f"{'all (most other categories need spacing rules zhdoc leaves off)':72} "
        f"{sum(passed.values()):3}/{sum(total.values()):3}",
    ]
