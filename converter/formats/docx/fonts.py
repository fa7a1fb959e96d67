"""A Word document changing script: language tags follow, and script-specific East Asian font names
map to their counterparts in the other script (from one table) in styles, runs and the font table."""

from __future__ import annotations

import re

from lxml import etree

from .package import REL, Package, w

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
FONT_ATTRIBUTES = ("ascii", "hAnsi", "eastAsia", "cs")
# The charset a font table entry declares for its script (w:charset: 86 GB2312, 88 Big5).
CHARSET = {"simplified": "86", "traditional": "88"}
_SOURCE_HAN = re.compile(
    r"^(Noto (?:Sans|Serif|Sans Mono) CJK|Source Han (?:Sans|Serif|Mono)|Noto (?:Sans|Serif)) (SC|TC|HK)\b(.*)$"
)

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
    >>> counterpart("Noto Sans Mono CJK SC", "traditional")
    'Noto Sans Mono CJK TC'
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


def retag(package: Package, language: str) -> set[str]:
    """Language tags and script-specific East Asian font names follow the new script."""
    script = script_of_language(language)
    rels = package.relationships(package.main).values()
    kinds = (REL + "styles", REL + "numbering", REL + "settings", REL + "fontTable")
    extra = [t for k, t, m in rels if k in kinds or k.endswith("/stylesWithEffects")]  # Word 2010's copy too
    changed = set()
    for name in [part for part, _ in package.parts] + extra:
        root = package.xml(name)
        if root is not None and _retag_part(root, language, script):
            changed.add(name)
    return changed


def _retag_part(root: etree._Element, language: str, script: str) -> bool:
    changed = False
    for fonts in root.iter(w("rFonts")):
        for attribute in FONT_ATTRIBUTES:
            name = fonts.get(w(attribute))
            if name and counterpart(name, script) != name:
                fonts.set(w(attribute), counterpart(name, script))
                changed = True
    for tag in root.iter(w("lang"), w("themeFontLang")):
        for attribute in ("eastAsia", "val"):
            value = tag.get(w(attribute), "")
            if value.lower().startswith("zh") and value != language:
                tag.set(w(attribute), language)
                changed = True
    defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}")
    if defaults is not None:
        rpr = defaults.find(w("rPr"))
        rpr = rpr if rpr is not None else etree.SubElement(defaults, w("rPr"))
        lang = rpr.find(w("lang"))
        lang = lang if lang is not None else etree.SubElement(rpr, w("lang"))
        if lang.get(w("eastAsia")) != language:
            lang.set(w("eastAsia"), language)
            changed = True
    if root.tag == w("fonts"):
        changed |= _retag_font_table(root, script)
    return changed


def _retag_font_table(root: etree._Element, script: str) -> bool:
    names = {font.get(w("name")) for font in root.iter(w("font"))}
    changed = False
    for font in root.iter(w("font")):
        name = font.get(w("name"), "")
        wanted = counterpart(name, script)
        if wanted != name and wanted not in names:
            font.set(w("name"), wanted)
            names.add(wanted)
            charset = font.find(w("charset"))
            if charset is not None and charset.get(w("val")) in CHARSET.values():
                charset.set(w("val"), CHARSET[script])
            changed = True
    return changed
