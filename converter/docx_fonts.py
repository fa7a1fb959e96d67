"""Script-specific East Asian font names and their counterparts in the other script, from one table.

Used when a Word document changes script: a Simplified face named in styles, runs or the font table
becomes its Traditional counterpart, and back.
"""

from __future__ import annotations

import re

# (Simplified face, Traditional face). FangSong has no Traditional Windows counterpart: it stays.
PAIRS: tuple[tuple[str, str], ...] = (
    ("宋体", "新細明體"),
    ("SimSun", "PMingLiU"),
    ("新宋体", "細明體"),
    ("NSimSun", "MingLiU"),
    ("黑体", "微軟正黑體"),
    ("SimHei", "Microsoft JhengHei"),
    ("微软雅黑", "微軟正黑體"),
    ("Microsoft YaHei", "Microsoft JhengHei"),
    ("Microsoft YaHei UI", "Microsoft JhengHei UI"),
    ("楷体", "標楷體"),
    ("KaiTi", "DFKai-SB"),
    ("楷体_GB2312", "標楷體"),
    ("等线", "等線"),
)
# The charset a font table entry declares for its script (w:charset: 86 GB2312, 88 Big5).
CHARSET = {"simplified": "86", "traditional": "88"}
_SOURCE_HAN = re.compile(r"^(Noto (?:Sans|Serif) CJK|Source Han (?:Sans|Serif)|Noto (?:Sans|Serif)) (SC|TC|HK)\b(.*)$")

_TO_TRADITIONAL = {simplified: traditional for simplified, traditional in PAIRS}
_TO_SIMPLIFIED: dict[str, str] = {}
for _simplified, _traditional in PAIRS:
    _TO_SIMPLIFIED.setdefault(_traditional, _simplified)


def counterpart(name: str, script: str) -> str:
    """The face for ``script`` (simplified or traditional) standing for ``name``; ``name`` if none.

    >>> counterpart("宋体", "traditional"), counterpart("PMingLiU", "simplified"), counterpart("Arial", "traditional")
    ('新細明體', 'SimSun', 'Arial')
    >>> counterpart("Noto Serif CJK SC", "traditional"), counterpart("Source Han Sans TC Bold", "simplified")
    ('Noto Serif CJK TC', 'Source Han Sans SC Bold')
    """
    table = _TO_TRADITIONAL if script == "traditional" else _TO_SIMPLIFIED
    if name in table:
        return table[name]
    match = _SOURCE_HAN.match(name)
    if match:
        family, region, rest = match.groups()
        wanted = "SC" if script == "simplified" else ("HK" if region == "HK" else "TC")
        return f"{family} {wanted}{rest}"
    return name


def script_of_language(language: str) -> str:
    """simplified for zh-CN / zh-SG, traditional for the others.

    >>> script_of_language("zh-CN"), script_of_language("zh-HK")
    ('simplified', 'traditional')
    """
    return "simplified" if language in ("zh-CN", "zh-SG", "zh-Hans") else "traditional"
