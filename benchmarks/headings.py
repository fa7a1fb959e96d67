"""Heading precision and recall of the plain-text reader against the HTML a manual was rendered from.

    python benchmarks/headings.py TEXT HTML...      # HTML: files or folders of *.html

Truth: the text of every ``<h1>``–``<h6>`` of the HTML that is a line of TEXT (spaces and mark width
aside), counted with its multiplicity. Recall: the share of those the reader makes a Heading. Precision:
the share of the reader's Headings that are one of them. ``--list`` prints the headings that are none, and those missed.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from structure import html_sources, key  # noqa: E402

from converter.document import Heading  # noqa: E402
from converter.readers import read  # noqa: E402


def measure(text_path: Path, html: list[str]) -> tuple[str, list[str]]:
    in_keys = Counter(key(line) for line in text_path.read_text(encoding="utf-8").splitlines())
    truth = Counter(key(h) for h in html_sources(html).headings if in_keys[key(h)])
    truth = Counter({k: min(n, in_keys[k]) for k, n in truth.items()})
    document = read(text_path)
    found = [block.text for block in document.blocks if isinstance(block, Heading)]
    found += [document.title] if document.title else []
    found_keys = Counter(key(text) for text in found)
    right = sum((found_keys & truth).values())
    wrong = [text for text in found if not truth[key(text)]]
    wrong += [f"(missed) {k}" for k, n in (truth - found_keys).items()]
    total, made = sum(truth.values()), sum(found_keys.values())
    line = (f"{text_path.name}: recall {100 * right / total:.2f} % ({right}/{total}), "
            f"precision {100 * right / made:.2f} % ({right}/{made})")
    return line, wrong


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--list"]
    summary, wrong = measure(Path(args[0]), args[1:])
    print(summary)
    if "--list" in sys.argv:
        print("\n".join(f"  not a heading: {text}" for text in wrong))
