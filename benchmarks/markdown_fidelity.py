"""Markdown fidelity: real Chinese READMEs converted with ``--to traditional -f md,txt,docx``.

Per file: whether code blocks, inline code, URLs (link and image targets but in-page links, bare URLs), raw
HTML and front matter are byte-identical in the ``.md``; how many in-page links reach a heading (GitHub's
anchors) in the source and in the ``.md``; whether the markup is otherwise unchanged (the markdown-it token
streams of input and output differ only in text); headings read (and how many now read as the expected
conversion); GFM tables in the source and Table blocks read; links; in the DOCX, headings in a Heading
style, tables and hyperlinks; whether the TXT has Markdown syntax; and whether ``--to keep --no-repair``
gives back the input byte for byte.

    python benchmarks/markdown_fidelity.py FOLDER...    # folders of Chinese READMEs (e.g. from `npm pack`)
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import docx
from docx.oxml.ns import qn

from converter.anchors import fragment, heading_anchors
from converter.document import Code, Document, Heading, Table, units
from converter.formats.markdown.read import parse, parser
from converter.options import Options
from converter.pipeline import convert_file
from converter.script import convert

BARE_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
HAN = re.compile(r"[\u3400-\u9fff]")
TXT_SYNTAX = re.compile(r"^(#{1,6} |```|\|[ :-]*-{3})|\*\*|\]\(|!\[", re.M)


def kept(text: str) -> dict[str, list[str]]:
    """What must stay byte for byte, by kind, and the markup skeleton (everything but prose text)."""
    out: dict[str, list[str]] = {kind: [] for kind in ("code", "inline code", "urls", "html", "front matter", "markup")}
    for token in parser().parse(text):
        out["markup"].append(f"{token.type}:{token.markup}:{token.info}")
        if token.type in ("fence", "code_block"):
            out["code"].append(token.content)
        elif token.type == "html_block":
            out["html"].append(token.content)
        elif token.type == "front_matter":
            out["front matter"].append(token.content)
        for child in token.children or []:
            out["markup"].append(f"{child.type}:{child.markup}")
            if child.type == "code_inline":
                out["inline code"].append(child.content)
            elif child.type == "html_inline":
                out["html"].append(child.content)
            for name in ("href", "src"):
                if name in child.attrs and not str(child.attrs[name]).startswith("#"):  # in-page: see reaching()
                    out["urls"].append(str(child.attrs[name]))
    out["urls"] += BARE_URL.findall(text)
    return out


def reaching(text: str) -> str:
    """In-page links of a Markdown text that reach one of its headings, of all its in-page links."""
    document = parse(text, load_images=False)
    anchors = set(heading_anchors(document.blocks))
    links = [span.url for unit in units(document.blocks) for span in unit.inlines if fragment(span.url)]
    return f"{sum(fragment(url) in anchors for url in links)}/{len(links)}"


def link_counts(text: str) -> tuple[int, int]:
    """Links with text, and links around nothing but images (badges)."""
    with_text = around_images = 0
    for token in parser().parse(text):
        inside: list[str] | None = None
        for child in token.children or []:
            if child.type == "link_open":
                inside = []
            elif child.type == "link_close" and inside is not None:
                if any(kind != "image" for kind in inside):
                    with_text += 1
                else:
                    around_images += 1
                inside = None
            elif inside is not None and (child.type != "text" or child.content.strip()):
                inside.append(child.type)
    return with_text, around_images


def han(text: str) -> str:
    return "".join(HAN.findall(text))


def prose(heading: Heading) -> str:
    """A heading's text but its inline code (never converted)."""
    return "".join(span.text for span in heading.inlines if not span.code)


def without_code(txt: str, document: Document) -> str:
    for block in document.blocks:
        if isinstance(block, Code):
            txt = txt.replace(block.text, "", 1)
    return txt


def measure(path: Path, work: Path) -> dict[str, object]:
    source = path.read_text(encoding="utf-8")
    stem = work / path.stem
    result = convert_file(path, stem, Options(formats=("md", "txt", "docx"), to="traditional"))
    if result.error:
        return {"file": path.name, "error": result.error}
    output = stem.with_name(f"{stem.name}.md").read_text(encoding="utf-8")
    txt = stem.with_name(f"{stem.name}.txt").read_text(encoding="utf-8")
    before, after = kept(source), kept(output)
    same = {kind: before[kind] == after[kind] for kind in before}
    document = parse(source, str(path), load_images=False)
    converted = parse(output, load_images=False)
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    headings_now = [b for b in converted.blocks if isinstance(b, Heading)]
    heading_ok = sum(
        han(convert(prose(a), "traditional", "simplified")) == han(prose(b)) for a, b in zip(headings, headings_now)
    )
    gfm_tables = sum(1 for t in parser().parse(source) if t.type == "table_open")
    links, image_links = link_counts(source)
    word = docx.Document(str(stem.with_name(f"{stem.name}.docx")))
    styled = Counter(p.style.name for p in word.paragraphs if p.style.name.startswith("Heading"))
    hyperlinks = len(word.element.body.findall(".//" + qn("w:hyperlink")))
    stem_keep = work / f"{path.stem}.keep"
    convert_file(path, stem_keep, Options(formats=("md",), to="keep", repair=False))
    round_trip = stem_keep.with_name(f"{stem_keep.name}.md").read_bytes() == path.read_bytes()
    return {
        "file": path.name,
        **{kind: "yes" if ok else "NO" for kind, ok in same.items()},
        "headings": f"{heading_ok}/{len(headings)}",
        "tables": f"{sum(isinstance(b, Table) for b in document.blocks)}/{gfm_tables}",
        "links": f"{links} text + {image_links} around images",
        "in-page links reaching a heading": f"source {reaching(source)} .md {reaching(output)}",
        "docx": f"headings {sum(styled.values())}/{len(headings)} tables {len(word.tables)} hyperlinks {hyperlinks}",
        "txt syntax": len(TXT_SYNTAX.findall(without_code(txt, converted))),
        "round trip": "yes" if round_trip else "NO",
    }


def main(folders: list[str]) -> None:
    files = sorted(p for folder in folders for p in Path(folder).glob("*.md"))
    totals: Counter[str] = Counter()
    sums = {"headings": [0, 0], "tables": [0, 0], "links": [0, 0], "hyperlinks": [0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            row = measure(path, Path(tmp))
            print("  ".join(f"{key}={value}" for key, value in row.items()))
            totals.update(key for key, value in row.items() if value == "yes")
            for key in ("headings", "tables"):
                done, whole = map(int, str(row.get(key, "0/0")).split("/"))
                sums[key][0] += done
                sums[key][1] += whole
            if "links" in row:
                sums["links"][0] += int(str(row["links"]).split()[0])
                sums["links"][1] += int(str(row["links"]).split()[3])
                sums["hyperlinks"][0] += int(str(row["docx"]).split()[-1])
    print(f"\n{len(files)} files; identical:", ", ".join(f"{key} {n}/{len(files)}" for key, n in totals.items()))
    print(
        f"headings converted {sums['headings'][0]}/{sums['headings'][1]}, "
        f"GFM tables read as tables {sums['tables'][0]}/{sums['tables'][1]}, links {sums['links'][0]} with text"
        f" + {sums['links'][1]} around images only, DOCX hyperlinks {sums['hyperlinks'][0]}"
    )


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
