"""The cached subsetter builds reportlab's subsets byte for byte."""

from __future__ import annotations

import pytest
from conftest import SAMPLE
from reportlab.pdfbase.ttfonts import TTFontFile

from converter.fonts import body_face, bundled_file, register
from converter.writers.pdf_fonts import make_subset

TEXT = SAMPLE.read_text(encoding="utf-8")


def _subsets(text: str) -> list[list[int]]:
    codes = list(dict.fromkeys(ord(c) for c in text))
    return [codes[i : i + 256] for i in range(0, len(codes), 256)]


@pytest.mark.parametrize("bold", [False, True])
def test_subsets_are_reportlabs(bold: bool) -> None:
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(register(str(bundled_file("TC", bold))).name).face
    text = "".join(map(chr, range(32, 127))) + TEXT + "\u0000\U0010fffd①½ﬁ"  # ASCII, Han, missing, ligature
    for subset in _subsets(text):
        assert make_subset(face, subset) == TTFontFile.makeSubset(face, subset)
    assert face.makeSubset(_subsets(TEXT)[0]) == TTFontFile.makeSubset(face, _subsets(TEXT)[0])


def test_the_face_registered_is_the_one_given_the_subsetter() -> None:
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(body_face("zh-TW").name).face
    assert face.makeSubset.__func__ is make_subset
