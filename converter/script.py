"""Script detection and conversion with OpenCC. Converters are built lazily, once per process."""

from __future__ import annotations

import difflib
import importlib.util
from functools import cache
from pathlib import Path

from .cache import cached
from .errors import OptionsError

# Target name → (OpenCC config giving its character forms, config adding its vocabulary, language tag)
TARGETS = {
    "simplified": ("t2s", "", "zh-CN"),
    "traditional": ("s2tw", "", "zh-TW"),
    "taiwan": ("s2tw", "s2twp", "zh-TW"),
    "hongkong": ("s2hk", "", "zh-HK"),
}
LANGUAGE = {"simplified": "zh-CN", "traditional": "zh-TW", "mixed": "zh-TW", "unknown": "zh-CN"}
# (form written, form OpenCC picks) pairs where Taiwan and Hong Kong print accept the written form: a
# Traditional text keeps 平台 台灣 占用 了解 分布 回歸 抵觸 rather than take 臺 佔 瞭 佈 迴 牴.
ACCEPTED_FORMS = frozenset({("台", "臺"), ("占", "佔"), ("了", "瞭"), ("布", "佈"), ("回", "迴"), ("抵", "牴")})
# Simplified forms (t2s writes them for another character) that s2t keeps on their own: valid Traditional
# characters (系 只 表 出 面 …), so no evidence of Simplified text. Checked against OpenCC by a test.
TRADITIONAL_TOO = frozenset(
    "佛俊修僵克冢冬凌出刮制千升卜即卷只合吊同向呆周咽哄喂噪回困埼奸姜娘家局巨布席幸庵弦彩御志念恤愈戚扇才扎托扣"
    "折抬抵拐拼挨挲挽捆捍搜教旋旗既昆暗曲札朱杆杯松板查栗核梁棋棱欲污沈沾泄泛注溪溯漓狸玩璇症真矩私秋糊糖系累"
    "胄胡致舍芸苔蒙蓑蔑表谷踊逾酸雕面飧"
)
# Words in which 著 is right in Simplified text; everywhere else a Simplified 著 is a mis-converted 着.
ZHU_SECOND = set("名显巨原编论专土卓昭遗译合新拙大")  # 名著 显著 巨著 …: 著 after these is kept
ZHU_FIRST = set("名作称述书录者有")  # 著名 著作 著称 …: 著 before these is kept …
AFTER_VERB = set(
    "看带拿跟随接照顺沿想等走坐站躺笑说唱写读听穿戴挂放抱背牵领望盯试记藏留忙急"
)  # … unless a verb precedes


def targets() -> list[str]:
    """Every valid ``--to`` name: ``keep``, the named targets, then the OpenCC configs opencc ships.

    >>> targets()[:5], "s2twp" in targets()
    (['keep', 'simplified', 'traditional', 'taiwan', 'hongkong'], True)
    """
    import opencc

    return ["keep", *TARGETS, *sorted(config.removesuffix(".json") for config in opencc.CONFIGS)]


def valid_target(target: str) -> bool:
    """A name of ``targets()`` (an OpenCC config also with its ``.json``), or an OpenCC config file.

    >>> valid_target("t2s.json"), valid_target("klingon")
    (True, False)
    """
    if target == "keep" or target in TARGETS:  # (without importing opencc: Options are made at import)
        return True
    return target.removesuffix(".json") in targets() or (target.endswith(".json") and Path(target).is_file())


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
def characters() -> list[str]:
    """Every Han character of the Unified Ideographs and their Extension A (built when first needed)."""
    return [chr(code) for code in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000))]


def _each_character(config: str) -> list[str]:
    """What ``config`` makes of each of ``characters()`` on its own (no phrase around it)."""
    return converter(config).convert("\n".join(characters())).split("\n")


@cache
def _script_characters() -> tuple[frozenset[str], frozenset[str]]:
    """(characters OpenCC's t2s changes, the Simplified forms it changes them to), character by character;
    kept in zhdoc's cache while OpenCC's t2s configuration and this module stay the same.

    Only t2s is loaded: the s2t dictionaries cost ten times its memory, and a batch that keeps the
    script never needs them.
    """
    spec = importlib.util.find_spec("opencc")
    config = Path(spec.submodule_search_locations[0], "clib", "share", "opencc", "t2s.json") if spec else None
    if config is None or not config.is_file():  # an OpenCC laid out otherwise: built each time
        return _t2s_characters()
    return cached("opencc-t2s-characters", (config, Path(__file__)), _t2s_characters)


def _t2s_characters() -> tuple[frozenset[str], frozenset[str]]:
    changed = [(t, s) for t, s in zip(characters(), _each_character("t2s")) if t != s]
    return frozenset(t for t, _ in changed), frozenset(s for _, s in changed)


@cache
def _leftover_characters(config: str) -> tuple[frozenset[str], frozenset[str]]:
    """(characters that may be a Simplified leftover in Traditional text, those of them ``config`` changes
    only inside a phrase).

    A leftover is a character t2s writes for another one (系 for 係 and 繫, 干 for 幹 and 乾) or one ``config``
    converts on its own (发 后 干). Of these, 系 只 表 扎 松 … stay themselves unless a phrase says otherwise.
    """
    alone = dict(zip(characters(), _each_character(config)))
    leftovers = _script_characters()[1] | {c for c, t in alone.items() if c != t}
    return frozenset(leftovers), frozenset(c for c in leftovers if alone.get(c, c) == c)


@cache
def _one_script_characters() -> tuple[frozenset[str], frozenset[str]]:
    """(characters only Traditional uses, characters only Simplified uses), as far as OpenCC's t2s tells."""
    traditional_only, simplified_forms = _script_characters()
    return traditional_only, simplified_forms - traditional_only - TRADITIONAL_TOO


def detect(text: str, sample: int = 20000) -> str:
    """``simplified``, ``traditional``, ``mixed`` or ``unknown``, from characters only one script uses.

    >>> detect("关于干部并且"), detect("關於幹部"), detect("hello"), detect("會議並關於发展党组织建设")
    ('simplified', 'traditional', 'unknown', 'mixed')
    """
    traditional_only, simplified_only = _one_script_characters()
    head = text[:sample]
    traditional = sum(c in traditional_only for c in head)
    simplified = sum(c in simplified_only for c in head)
    total = traditional + simplified
    if total == 0:
        return "unknown"
    ratio = traditional / total
    return "traditional" if ratio >= 0.8 else "simplified" if ratio <= 0.2 else "mixed"


def convert(text: str, target: str, source: str | None = None) -> str:
    """Convert ``text`` to ``target`` (a name of TARGETS, an OpenCC config, or ``keep``).

    ``source`` is the detected script of the whole document (detected from ``text`` when None). A Simplified
    target always converts. A Traditional or mixed source keeps the Traditional forms it wrote, and its
    Simplified leftovers are read by phrase, through Simplified; any other source is converted by OpenCC as is.

    >>> convert("總書記關于干部扎實聯系群眾，彆擡頭", "traditional", "traditional")
    '總書記關於幹部紮實聯繫群眾，彆擡頭'
    >>> convert("这个软件", "taiwan"), convert("這個軟件", "taiwan", "traditional")
    ('這個軟體', '這個軟體')
    """
    if target == "keep":
        return text
    if target not in TARGETS:
        return converter(target).convert(text)
    if target == "simplified":
        return to_simplified(text)
    forms, vocabulary, _ = TARGETS[target]
    source = source or detect(text)
    if source not in ("traditional", "mixed"):
        return converter(vocabulary or forms).convert(text)
    simplified = converter("t2s").convert(text)
    round_trip = converter(forms).convert(simplified)
    leftovers, phrase_bound = _leftover_characters(forms)
    merged = merge_forms(text, simplified, converter(forms).convert(text), round_trip, leftovers, phrase_bound)
    if source == "traditional":
        merged = keep_unconfirmed(text, simplified, merged, phrase_bound, forms)
    merged = complete_phrases(text, simplified, merged, round_trip, forms)
    if not vocabulary:
        return merged
    return add_vocabulary(merged, round_trip, converter(vocabulary).convert(simplified))


def merge_forms(
    text: str, simplified: str, direct: str, round_trip: str, leftovers: frozenset[str], phrase_bound: frozenset[str]
) -> str:
    """Character by character: a Simplified leftover (in ``leftovers``, left alone by t2s) takes the round
    trip's reading of its phrase; every other character takes OpenCC's direct conversion, which keeps the
    Traditional forms written (in the target's variants). Two exceptions keep the written character: a form
    Traditional print accepts (ACCEPTED_FORMS), and a leftover that OpenCC converts even alone (丑 → 醜, not in
    ``phrase_bound``) where the direct conversion keeps it, since a phrase of the written text holds it (小丑).

    The four texts align: OpenCC's character and phrase tables map n characters to n.

    >>> text, simplified, direct, round_trip = "聯系彆擡台小丑", "联系别抬台小丑", "聯系彆擡臺小丑", "聯繫別擡臺小醜"
    >>> merge_forms(text, simplified, direct, round_trip, frozenset("系台丑"), frozenset("系"))
    '聯繫彆擡台小丑'
    """
    if not len(text) == len(simplified) == len(direct) == len(round_trip):
        return direct
    merged = []
    for char, simple, kept, read in zip(text, simplified, direct, round_trip):
        leftover = char == simple and char in leftovers and (kept != char or char in phrase_bound)
        new = read if leftover else kept
        merged.append(char if (char, new) in ACCEPTED_FORMS else new)
    return "".join(merged)


def keep_unconfirmed(text: str, simplified: str, merged: str, phrase_bound: frozenset[str], config: str) -> str:
    """In a Traditional text, undo a change to a leftover that converts only inside a phrase (系 只 表 …) unless
    the character and a neighbour written in Traditional (or itself converted) make that phrase on their own.

    OpenCC's phrases sometimes take a character from the next word: 此系統 → 此係統, 最多只能 → 最多隻能.

    >>> keep_unconfirmed("此系統聯系", "此系统联系", "此係統聯繫", frozenset("系"), "s2tw")
    '此系統聯繫'
    """
    chars = list(merged)
    for i, (char, new) in enumerate(zip(text, merged)):
        if char == new or char not in phrase_bound or char != simplified[i]:
            continue
        confirmed = (
            _marked(text, simplified, merged, j) and _pair_reading(simplified, i, j, config) == new
            for j in (i - 1, i + 1)
        )
        if not any(confirmed):
            chars[i] = char
    return "".join(chars)


def complete_phrases(text: str, simplified: str, merged: str, round_trip: str, config: str) -> str:
    """A variant written beside a leftover that was put right takes the round trip's form where the two make a
    phrase, one that reads a character otherwise than alone: 干凈 → 乾淨 (干 alone is 幹; 凈 is a variant of 淨),
    but 擡头 keeps 擡 (抬頭 is only 抬 and 頭 side by side).

    >>> complete_phrases("干凈凈化擡头", "干净净化抬头", "乾凈凈化擡頭", "乾淨淨化抬頭", "s2tw")
    '乾淨凈化擡頭'
    """
    chars = list(merged)
    for j, (char, new) in enumerate(zip(text, merged)):
        if char == simplified[j] or new == round_trip[j]:
            continue
        for i in (j - 1, j + 1):
            if not (0 <= i < len(text) and text[i] == simplified[i] != merged[i]):
                continue  # the neighbour is no leftover put right
            if _is_phrase(simplified, i, j, config) and _pair_reading(simplified, j, i, config) == round_trip[j]:
                chars[j] = round_trip[j]
    return "".join(chars)


def _is_phrase(simplified: str, i: int, j: int, config: str) -> bool:
    """Whether ``config`` reads the pair of characters ``i`` and ``j`` otherwise than each of them alone."""
    start = min(i, j)
    pair = simplified[start : start + 2]
    return converter(config).convert(pair) != "".join(converter(config).convert(c) for c in pair)


def _marked(text: str, simplified: str, merged: str, j: int) -> bool:
    """Whether character ``j`` exists and is written in Traditional or was converted."""
    return 0 <= j < len(text) and not text[j] == simplified[j] == merged[j]


def _pair_reading(simplified: str, i: int, j: int, config: str) -> str:
    """How ``config`` reads character ``i`` in the pair it makes with its neighbour ``j`` alone."""
    start = min(i, j)
    return converter(config).convert(simplified[start : start + 2])[i - start]


def add_vocabulary(text: str, forms: str, vocabulary: str) -> str:
    """Put into ``text`` the words where ``vocabulary`` differs from ``forms`` (the same conversion without
    regional words); ``text`` is aligned with ``forms`` character by character.

    >>> add_vocabulary("彆的軟件", "別的軟件", "別的軟體")
    '彆的軟體'
    """
    lines, form_lines, vocabulary_lines = text.split("\n"), forms.split("\n"), vocabulary.split("\n")
    if not len(lines) == len(form_lines) == len(vocabulary_lines):
        return vocabulary
    return "\n".join(map(_add_line_vocabulary, lines, form_lines, vocabulary_lines))


def _add_line_vocabulary(line: str, forms: str, vocabulary: str) -> str:
    if forms == vocabulary:
        return line
    matcher = difflib.SequenceMatcher(None, forms, vocabulary, autojunk=False)
    return "".join(
        line[i1:i2] if op == "equal" else vocabulary[j1:j2] for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def language(target: str, detected: str) -> str:
    if target in TARGETS:
        return TARGETS[target][2]
    if target == "keep":
        return LANGUAGE.get(detected, "zh-CN")
    return "zh-TW" if target.startswith("s2") or target.endswith("2t") else "zh-CN"
