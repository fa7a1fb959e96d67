"""Table rows converted with the document and still lined up (issue 21).

    python benchmarks/table_script.py TEXT TARGET      # e.g. debian-reference.zh-cn.txt traditional

TEXT goes through what ``zhdoc convert --to TARGET`` does (read, repair, convert). For every line of
every table block read from TEXT that holds a character only the other script uses:

- converted: converting the line as written out again changes nothing (a character only the other
  script uses, by OpenCC's own tables, is left only where OpenCC itself keeps it: 控制台, 西里尔);
- lined up: its bars stand at the same display columns as in every other line of its table, each column
  edge moved by the same amount in every line (a bar is matched to the edge it stood on in TEXT).

Aligned columns (preformatted blocks with Chinese) are counted the same way, by the start of each field.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from converter.columns import column_segments, table_segments  # noqa: E402
from converter.document import Code  # noqa: E402
from converter.options import Options  # noqa: E402
from converter.pipeline import process  # noqa: E402
from converter.readers import read  # noqa: E402
from converter.script import _one_script_characters, convert  # noqa: E402


def edges(line: str, table: bool) -> list[int]:
    """Display columns of the bars of a table line, or of the fields of a line of aligned columns."""
    if table:
        return [s.start for s in table_segments(line) if s.kind == "bar"]
    return [s.start for s in column_segments(line) if s.text.strip()]


def lined_up(before: list[str], after: list[str], table: bool) -> list[bool]:
    """For each line: do its edges stand where the block's other lines put the same edges?"""
    moved: dict[int, set[int]] = {}
    pairs = []
    for old, new in zip(before, after):
        a, b = edges(old, table), edges(new, table)
        pairs.append((a, b))
        if len(a) == len(b):
            for x, y in zip(a, b):
                moved.setdefault(x, set()).add(y)
    return [len(a) == len(b) and all(len(moved[x]) == 1 for x in a) for a, b in pairs]


def measure(path: Path, target: str) -> str:
    document = read(path)
    converted = process(document, Options(to=target))
    traditional, simplified = _one_script_characters()
    foreign = simplified if target != "simplified" else traditional
    totals = {"table": [0, 0, 0], "pre": [0, 0, 0]}
    for old, new in zip(document.blocks, converted.blocks):
        if not (isinstance(old, Code) and old.kind in totals):
            continue
        table = old.kind == "table"
        before, after = old.text.split("\n"), new.text.split("\n")
        aligned = lined_up(before, after, table)
        for line, out, ok in zip(before, after, aligned):
            if any(c in foreign for c in line):
                count = totals[old.kind]
                count[0] += 1
                forms = "simplified" if target == "simplified" else "traditional"  # (taiwan: 文档→文件→檔案)
                done = convert(out, forms, forms) == out
                count[1] += done
                count[2] += done and ok
    lines = [f"{path.name} → {target}"]
    for kind, (total, done, both) in totals.items():
        if total:
            lines.append(f"  {kind} lines with Chinese to convert: {total}; converted {done}; converted and lined up "
                         f"{both} ({100 * both / total:.1f} %)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(measure(Path(sys.argv[1]), sys.argv[2]))
