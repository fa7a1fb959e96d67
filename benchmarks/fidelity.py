"""Fidelity: damaged → repaired → compared with the undamaged text (fixtures/mojibake).

Prints the character error rate (edit distance / length of the gold) per document and overall, per
kind of damage (each applied alone with the mirrors' own model), and how many GBK-shift spans were
detected and how many of their characters came back.

    python benchmarks/fidelity.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "mojibake"
sys.path.insert(0, str(CORPUS))
import damage as model  # noqa: E402
from measure import cer, unmatched  # noqa: E402

from converter.repair import FIXERS, normalize, run  # noqa: E402
from converter.repair.mojibake import repair_gbk_shift  # noqa: E402

WITHOUT_MOJIBAKE = tuple(f for f in FIXERS if f is not repair_gbk_shift)


def repair(text: str, fixers=FIXERS) -> str:
    return "\n".join(run(line, fixers)[0] for line in text.split("\n"))


def kinds(clean: str, seed: int) -> dict[str, str]:
    """The clean text damaged by one mechanism at a time (and all together), as the mirrors do it."""
    table = model.char_table()
    trad = model.mirror_convert(clean, table)
    data = model.gbk(trad)
    annotated = model.annotate(data, trad, table, random.Random(seed), 0.7)
    commas = model.insert_commas(data, random.Random(seed))
    everything = model.insert_commas(annotated, random.Random(seed))
    return {
        "pinyin annotations": model.site_decode(annotated),
        "spurious commas": model.site_decode(commas),
        "folded marks": trad.translate(model.FOLD),
        "all, full-width": model.site_decode(everything),
        "all, folded": model.site_decode(everything).translate(model.FOLD),
    }


def spans(damaged: str, gold: str, folded: bool) -> tuple[int, int, int, int]:
    """(mojibake markers, markers inside a reported span, gold characters garbled, of those recovered).

    Markers are counted in the full-width copies only, where every ASCII "?" comes from the damage.
    """
    repaired_text, markers, reported = [], 0, 0
    for line in damaged.split("\n"):
        text, found = normalize(line)
        repaired_text.append(text)
        covered = [(f.start, f.end) for f in found if f.kind == "mojibake"]
        if not folded:
            at = [i for i, c in enumerate(line) if c == "?"]
            markers += len(at)
            reported += sum(any(start <= i < end for start, end in covered) for i in at)
    baseline = repair(damaged, WITHOUT_MOJIBAKE)
    garbled = unmatched(gold, baseline)
    recovered = garbled - unmatched(gold, "\n".join(repaired_text))
    return markers, reported, len(garbled), len(recovered)


def main() -> None:
    print("Character error rate after repair (keeping the script), per damaged document")
    print(f"{'document':28} {'chars':>6} {'CER before':>11} {'CER after':>10}")
    total_edits = total_chars = 0
    markers = reported = garbled = recovered = 0
    rates: list[float] = []
    for damaged_path in sorted((CORPUS / "damaged").glob("*.txt")):
        gold = (CORPUS / "gold" / f"{damaged_path.name.split('.')[0]}.txt").read_text(encoding="utf-8")
        damaged = damaged_path.read_text(encoding="utf-8")
        repaired = repair(damaged)
        edits = Levenshtein.distance(repaired, gold)
        total_edits, total_chars = total_edits + edits, total_chars + len(gold)
        rates.append(edits / len(gold))
        print(f"{damaged_path.stem:28} {len(gold):6} {cer(damaged, gold):11.2%} {edits / len(gold):10.3%}")
        m, r, g, c = spans(damaged, gold, ".fold" in damaged_path.name)
        markers, reported, garbled, recovered = markers + m, reported + r, garbled + g, recovered + c
    print(f"{'all (pooled)':28} {total_chars:6} {'':11} {total_edits / total_chars:10.3%}")
    print(f"{'mean of the documents':28} {'':6} {'':11} {sum(rates) / len(rates):10.3%}")
    print(
        f"\nGBK-shift spans: {markers} markers in the full-width copies, {reported} inside a reported span "
        f"({reported / max(1, markers):.0%}); {garbled} characters garbled, {recovered} recovered "
        f"({recovered / max(1, garbled):.0%})"
    )

    print("\nPer kind of damage (each alone, seeds 1 and 2, all clean documents)")
    print(f"{'kind':22} {'CER before':>11} {'CER after':>10}")
    rows: dict[str, list[int]] = {}
    for clean_path in sorted((CORPUS / "clean").glob("*.txt")):
        gold = (CORPUS / "gold" / clean_path.name).read_text(encoding="utf-8")
        for seed in (1, 2):
            for kind, damaged in kinds(clean_path.read_text(encoding="utf-8"), seed).items():
                row = rows.setdefault(kind, [0, 0, 0])
                row[0] += Levenshtein.distance(damaged, gold)
                row[1] += Levenshtein.distance(repair(damaged), gold)
                row[2] += len(gold)
    for kind, (before, after, chars) in rows.items():
        print(f"{kind:22} {before / chars:11.2%} {after / chars:10.3%}")


if __name__ == "__main__":
    main()
