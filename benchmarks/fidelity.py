"""Fidelity: damaged → repaired → compared with the undamaged text, on two corpora.

``fixtures/mojibake`` (news and classical poems) and ``fixtures/mojibake-tech`` (Chinese man pages:
commands, options, paths and English terms beside Han). For each: the character error rate (edit
distance / length of the gold) per document and overall, per kind of damage (each applied alone with
the mirrors' own model), and how many GBK-shift spans were detected and how many of their characters
came back. The technical corpus is split into the documents the repair was tuned on and those kept
unseen (see its build.py). Last, undamaged technical text through the normaliser: how much it changed
(a mark's width aside) and whether a Han character or ``|`` was deleted or replaced outside a reported span.

    python benchmarks/fidelity.py [--seen-only]
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "mojibake"
TECH = ROOT / "fixtures" / "mojibake-tech"
# Whole pages of Debian's manpages-zh: installed, or unpacked (apt-get download manpages-zh; dpkg-deb -x)
MANPAGES = Path(os.environ.get("MANPAGES_ZH", "/usr/share/man/zh_CN"))
sys.path.insert(0, str(CORPUS))
import damage as model  # noqa: E402
from measure import cer, unmatched  # noqa: E402

from converter.repair import FIXERS, normalize, run  # noqa: E402
from converter.repair.mojibake import repair_gbk_shift  # noqa: E402

WITHOUT_MOJIBAKE = tuple(f for f in FIXERS if f is not repair_gbk_shift)
WIDTH = str.maketrans("，；：？！（）。", ",;:?!().")  # "mark width aside"
# ... and the space typed after a half-width mark before Chinese, which a full-width mark holds (issue 21)
MARK_SPACE = re.compile(r"([,;:?!.])[ \t]+(?=[\u3400-\u9fff“‘「『(])")


def aside(text: str) -> str:
    """``text`` with a mark's width, and the space a full-width mark holds, aside."""
    return MARK_SPACE.sub(r"\1", text.translate(WIDTH))



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

    Markers are counted in the full-width copies only, where every ASCII "?" comes from the damage
    (a "??" standing for a character outside GBK included: it must be reported too).
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


def unseen() -> set[str]:
    sys.path.insert(0, str(TECH))
    from build import UNSEEN

    return set(UNSEEN)


def documents(corpus: Path, names: set[str] | None = None) -> None:
    print(f"{'document':30} {'chars':>6} {'CER before':>11} {'CER after':>10} {'width aside':>12}")
    total_edits = total_chars = total_blind = 0
    blind_rates: list[float] = []
    seen_names: set[str] = set()
    markers = reported = garbled = recovered = 0
    rates: list[float] = []
    for damaged_path in sorted((corpus / "damaged").glob("*.txt")):
        name = damaged_path.name.split(".")[0]
        if names is not None and name not in names:
            continue
        seen_names.add(name)
        gold = (corpus / "gold" / f"{name}.txt").read_text(encoding="utf-8")
        damaged = damaged_path.read_text(encoding="utf-8")
        repaired = repair(damaged)
        edits = Levenshtein.distance(repaired, gold)
        blind = Levenshtein.distance(aside(repaired), aside(gold))
        total_edits, total_chars, total_blind = total_edits + edits, total_chars + len(gold), total_blind + blind
        rates.append(edits / len(gold))
        blind_rates.append(blind / len(gold))
        print(
            f"{damaged_path.stem:30} {len(gold):6} {cer(damaged, gold):11.2%} {edits / len(gold):10.3%} "
            f"{blind / len(gold):12.3%}"
        )
        m, r, g, c = spans(damaged, gold, ".fold" in damaged_path.name)
        markers, reported, garbled, recovered = markers + m, reported + r, garbled + g, recovered + c
    pooled, pooled_blind = total_edits / total_chars, total_blind / total_chars
    print(f"{'all (pooled)':30} {total_chars:6} {'':11} {pooled:10.3%} {pooled_blind:12.3%}")
    mean, mean_blind = sum(rates) / len(rates), sum(blind_rates) / len(rates)
    print(f"{'mean of the documents':30} {'':6} {'':11} {mean:10.3%} {mean_blind:12.3%}")
    floor = [(corpus / "gold" / f"{name}.txt").read_text(encoding="utf-8") for name in sorted(seen_names)]
    floor_rate = sum(cer(repair(gold), gold) for gold in floor) / len(floor)
    print(f"{'the undamaged gold repaired':30} {'':6} {'':11} {floor_rate:10.3%}  (marks the repair widens)")
    print(
        f"GBK-shift spans: {markers} markers in the full-width copies, {reported} inside a reported span "
        f"({reported / max(1, markers):.0%}); {garbled} characters garbled, {recovered} recovered "
        f"({recovered / max(1, garbled):.0%})"
    )


def per_kind(corpus: Path, names: set[str] | None = None) -> None:
    print(f"\nPer kind of damage (each alone, seeds 1 and 2, {corpus.name} clean documents)")
    print(f"{'kind':22} {'CER before':>11} {'CER after':>10} {'width aside':>12}")
    rows: dict[str, list[int]] = {}
    for clean_path in sorted((corpus / "clean").glob("*.txt")):
        if names is not None and clean_path.stem not in names:
            continue
        gold = (corpus / "gold" / clean_path.name).read_text(encoding="utf-8")
        for seed in (1, 2):
            for kind, damaged in kinds(clean_path.read_text(encoding="utf-8"), seed).items():
                row = rows.setdefault(kind, [0, 0, 0, 0])
                repaired = repair(damaged)
                row[0] += Levenshtein.distance(damaged, gold)
                row[1] += Levenshtein.distance(repaired, gold)
                row[2] += Levenshtein.distance(aside(repaired), aside(gold))
                row[3] += len(gold)
    for kind, (before, after, blind, chars) in rows.items():
        print(f"{kind:22} {before / chars:11.2%} {after / chars:10.3%} {blind / chars:12.3%}")


_KEPT = re.compile(r"[\u3400-\u9fff|]")


def clean_text_changes(text: str) -> tuple[int, int, int, list[str]]:
    """(characters, changed with a mark's width aside, Han or | lost outside a reported span, examples)."""
    chars = changed = lost = 0
    examples = []
    for line in text.split("\n"):
        repaired, fixes = normalize(line)
        chars += len(line)
        distance = Levenshtein.distance(aside(repaired), aside(line))
        changed += distance
        if distance and len(examples) < 12:
            examples.append(_diff(line, repaired))
        for fix in fixes:
            if fix.kind == "mojibake":
                continue
            gone = Counter(_KEPT.findall(fix.before)) - Counter(_KEPT.findall(fix.after))
            lost += sum(gone.values())
    return chars, changed, lost, examples


def _diff(before: str, after: str) -> str:
    ops = [op for op in Levenshtein.opcodes(before.translate(WIDTH), after.translate(WIDTH)) if op.tag != "equal"]
    op = ops[0]
    was = before[max(0, op.src_start - 12) : op.src_end + 12]
    became = after[max(0, op.dest_start - 12) : op.dest_end + 12]
    return f"{was!r} → {became!r}"


def man_pages() -> dict[str, str]:
    """Every zh_CN page rendered unwrapped, when they are there (MANPAGES_ZH)."""
    if not MANPAGES.is_dir():
        return {}
    sys.path.insert(0, str(TECH))
    from build import paragraphs, render

    pages = {}
    for path in sorted(MANPAGES.glob("man*/*.gz")):
        try:
            pages[path.name] = "\n".join(paragraphs(render(str(path.relative_to(MANPAGES))[:-3])))
        except (subprocess.CalledProcessError, UnicodeDecodeError):
            continue
    return pages


def clean_text(names: set[str] | None) -> None:
    print("\nUndamaged technical text through the normaliser (mark width aside)")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((TECH / "clean").glob("*.txt"))}
    texts = {k: v for k, v in texts.items() if names is None or k in names}
    pages = man_pages()
    for label, corpus in (("mojibake-tech/clean", texts), (f"{len(pages)} whole man pages", pages)):
        if not corpus:
            continue
        chars, changed, lost, examples = clean_text_changes("\n".join(corpus.values()))
        print(
            f"{label}: {chars} characters, {changed} changed ({changed / chars:.4%}); "
            f"Han or | deleted/replaced outside a reported span: {lost}"
        )
        for example in examples:
            print("   ", example)


def main() -> None:
    seen_only = "--seen-only" in sys.argv
    hidden = unseen()
    seen = {p.stem for p in (TECH / "clean").glob("*.txt")} - hidden
    print("== fixtures/mojibake: character error rate after repair (keeping the script)")
    documents(CORPUS)
    print("\n== fixtures/mojibake-tech, documents seen while tuning")
    documents(TECH, seen)
    if not seen_only:
        print("\n== fixtures/mojibake-tech, documents kept unseen")
        documents(TECH, hidden)
        print("\n== fixtures/mojibake-tech, all")
        documents(TECH)
    per_kind(CORPUS)
    per_kind(TECH, seen if seen_only else None)
    clean_text(seen if seen_only else None)


if __name__ == "__main__":
    main()
