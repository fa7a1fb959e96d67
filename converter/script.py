"""Script detection and conversion with OpenCC. Converters are built lazily, once per process."""

from __future__ import annotations

from functools import cache

from .errors import OptionsError

# Target name → (OpenCC config from Simplified, BCP 47 language tag of the result)
TARGETS = {
    "simplified": ("", "zh-CN"),
    "traditional": ("s2t", "zh-TW"),
    "taiwan": ("s2twp", "zh-TW"),
    "hongkong": ("s2hk", "zh-HK"),
}
LANGUAGE = {"simplified": "zh-CN", "traditional": "zh-TW", "mixed": "zh-TW", "unknown": "zh-CN"}
# Words in which 著 is right in Simplified text; everywhere else a Simplified 著 is a mis-converted 着.
ZHU_SECOND = set("名显巨原编论专土卓昭遗译合新拙大")  # 名著 显著 巨著 …: 著 after these is kept
ZHU_FIRST = set("名作称述书录者有")  # 著名 著作 著称 …: 著 before these is kept …
AFTER_VERB = set(
    "看带拿跟随接照顺沿想等走坐站躺笑说唱写读听穿戴挂放抱背牵领望盯试记藏留忙急"
)  # … unless a verb precedes


@cache
def converter(config: str):  # -> opencc.OpenCC; cannot be pickled, so never sent to a worker
    import opencc

    try:
        return opencc.OpenCC(config)
    except RuntimeError as error:
        raise OptionsError("unknown script target or OpenCC config: {config!r}", config=config) from error


def to_simplified(text: str) -> str:
    """OpenCC t2s, then the 着/著 gap closed.

    >>> to_simplified("帶著 關于 著名 顯著")
    '带着 关于 著名 显著'
    """
    return fix_zhe(converter("t2s").convert(text))


def fix_zhe(simplified: str) -> str:
    """In Simplified text ``著`` survives only in words such as 著名 著作 显著 名著.

    >>> fix_zhe("带著他,看著名著")
    '带着他,看着名著'
    """
    if "著" not in simplified:
        return simplified
    chars = list(simplified)
    for i, char in enumerate(chars):
        if char != "著":
            continue
        before = simplified[i - 1] if i else ""
        after = simplified[i + 1] if i + 1 < len(simplified) else ""
        if before in ZHU_SECOND or (after in ZHU_FIRST and before not in AFTER_VERB):
            continue
        chars[i] = "着"
    return "".join(chars)


@cache
def _script_characters() -> tuple[frozenset[str], frozenset[str]]:
    """(characters OpenCC's t2s changes, the Simplified forms it changes them to), character by character.

    Only t2s is loaded: the s2t dictionaries cost ten times its memory, and a batch that keeps the
    script never needs them.
    """
    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    simplified = converter("t2s").convert("\n".join(chars)).split("\n")
    changed = [(t, s) for t, s in zip(chars, simplified) if t != s]
    return frozenset(t for t, _ in changed), frozenset(s for _, s in changed) - frozenset(t for t, _ in changed)


def detect(text: str, sample: int = 20000) -> str:
    """``simplified``, ``traditional``, ``mixed`` or ``unknown``, from characters only one script uses.

    >>> detect("关于干部并且"), detect("關於幹部"), detect("hello"), detect("會議並關於发展党组织建设")
    ('simplified', 'traditional', 'unknown', 'mixed')
    """
    traditional_only, simplified_only = _script_characters()
    head = text[:sample]
    traditional = sum(c in traditional_only for c in head)
    simplified = sum(c in simplified_only for c in head)
    total = traditional + simplified
    if total == 0:
        return "unknown"
    ratio = traditional / total
    return "traditional" if ratio >= 0.8 else "simplified" if ratio <= 0.2 else "mixed"


def convert(text: str, target: str, source: str) -> str:
    """Convert ``text`` (detected as ``source``) to ``target``; a Traditional source goes via Simplified."""
    if target == "keep":
        return text
    if target not in TARGETS:
        return converter(target).convert(text)
    simplified = text if source in ("simplified", "unknown") else to_simplified(text)
    if target == "simplified":
        return fix_zhe(simplified)
    return converter(TARGETS[target][0]).convert(simplified)


def language(target: str, detected: str) -> str:
    if target in TARGETS:
        return TARGETS[target][1]
    if target == "keep":
        return LANGUAGE.get(detected, "zh-CN")
    return "zh-TW" if target.startswith("s2") or target.endswith("2t") else "zh-CN"
