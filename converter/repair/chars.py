"""Character classes shared by the fixers (as regex fragments, so each fixer stays one pattern)."""

from __future__ import annotations

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = f"[{HAN}]"
# Placeholders written over protected text (see protect.py): same length, so positions hold.
MASK_LATIN = "\ue000"  # stands for a masked URL, number, e-mail, path or English run
MASK_OTHER = "\ue001"  # stands for a reported span that later fixers must not touch
LATIN_DIGIT = f"A-Za-z0-9{MASK_LATIN}"
CJK_CLOSE = "”’」』）》〉】〕"
CJK_MARKS = "，、。；：？！…—·"
# What may stand left of a half-width mark for it to be read as a folded full-width one.
CJK_LEFT = f"[{HAN}{CJK_CLOSE}{CJK_MARKS}]"
