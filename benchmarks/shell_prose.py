"""Prose hidden as command output (issue 21): a real manual's shell examples with no blank line after them.

    python benchmarks/shell_prose.py TEXT [--list]

Every paragraph that the reader finds right after a shell example of TEXT (a blank line between them)
is moved up against the example: the blank lines between are taken out. The text is read again, and
each such paragraph whose first line now sits inside a code block is counted as hidden; ``--list``
prints those lines. The shell blocks of the unchanged TEXT are also listed for their lines that hold
Chinese (all real output, as far as a person can tell, in the Debian manuals).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from converter.document import Code, Paragraph  # noqa: E402
from converter.formats.text.layout import has_han
from converter.formats.text.read import parse


def hidden(text: str) -> tuple[int, list[str], list[str]]:
    """(paragraphs moved up, their first lines read as output, Chinese lines of the real shell blocks)."""
    lines = text.split("\n")
    blocks = list(parse(text).blocks)
    drop: set[int] = set()
    firsts = []
    for shell, after in zip(blocks, blocks[1:]):
        if isinstance(shell, Code) and shell.kind == "shell" and isinstance(after, Paragraph) and not after.role:
            gap = range(shell.line + shell.text.count("\n"), after.line - 1)  # the blank lines between
            if gap and all(not lines[i].strip() for i in gap):
                drop.update(gap)
                firsts.append(lines[after.line - 1].strip())
    moved = parse("\n".join(line for i, line in enumerate(lines) if i not in drop))
    output = {line.strip() for b in moved.blocks if isinstance(b, Code) for line in b.text.split("\n")}
    chinese = [line for b in blocks if isinstance(b, Code) and b.kind == "shell" for line in b.text.split("\n")[1:]]
    return len(firsts), [first for first in firsts if first in output], [line for line in chinese if has_han(line)]


if __name__ == "__main__":
    path = Path(sys.argv[1])
    moved, lost, chinese = hidden(path.read_text(encoding="utf-8"))
    print(f"{path.name}: {moved} paragraphs moved up against a shell example; read as its output: {len(lost)}; "
          f"Chinese lines in its real shell blocks: {len(chinese)}")
    if "--list" in sys.argv:
        print("\n".join(f"  hidden: {line}" for line in lost))
        print("\n".join(f"  output: {line}" for line in chinese))
