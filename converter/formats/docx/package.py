"""A Word package (.docx) opened: its parts, and every paragraph in one fixed order with its runs.

The order (the "walk"): the main document (body, tables, nested tables, text boxes, content controls),
then headers, footers, footnotes, endnotes and comments. The reader numbers paragraphs and runs in this
order, and the in-place writer walks the same order to find each run again.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

from lxml import etree

from ...errors import InputError
from .archive import inflate, is_xml_part, parse_part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = REL + "officeDocument"
# The parts holding text after the main document, in the order they are walked, with their units' role.
PART_ROLES = (("header", "header"), ("footer", "footer"), ("footnotes", "footnote"), ("endnotes", "endnote"))
PART_ROLES += (("comments", "comment"),)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES = "[Content_Types].xml"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
TEXT_BREAKS = ("", "textWrapping")
SKIPPED = {f"{{{W}}}del", f"{{{W}}}moveFrom", f"{{{W}}}txbxContent", f"{{{MC}}}Fallback", f"{{{W}}}p"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Package:
    """A Word package opened: its members (bytes, in order), its text parts parsed, and every paragraph."""

    members: dict[str, bytes]
    infos: list[zipfile.ZipInfo]
    main: str  # the main document part's name, e.g. word/document.xml
    parts: list[tuple[str, str]]  # (part name, role) of every text part, in walk order
    trees: dict[str, etree._Element] = field(default_factory=dict)
    paragraphs: list[etree._Element] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)  # the part of each paragraph
    rels_cache: dict[str, dict[str, tuple[str, str, str]]] = field(default_factory=dict)
    source: str = ""  # the file's name, for errors

    def xml(self, name: str) -> etree._Element | None:
        """A part parsed (once); None if there is no such part. A DTD or bad XML is an ``InputError``."""
        if name not in self.trees:
            if name not in self.members:
                return None
            self.trees[name] = parse_part(name, self.members[name], self.source)
        return self.trees[name]

    def relationships(self, part: str) -> dict[str, tuple[str, str, str]]:
        """rId → (type, target part name or URL, target mode) of a part's relationships."""
        if part not in self.rels_cache:
            self.rels_cache[part] = self._relationships(part)
        return self.rels_cache[part]

    def _relationships(self, part: str) -> dict[str, tuple[str, str, str]]:
        rels = self.xml(join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels"))
        found = {}
        for rel in rels if rels is not None else ():
            target, mode = rel.get("Target", ""), rel.get("TargetMode", "")
            if mode != "External":
                target = normpath(target.lstrip("/") if target.startswith("/") else join(dirname(part), target))
            found[rel.get("Id", "")] = (rel.get("Type", ""), target, mode)
        return found


def open_package(data: bytes, source: str = "") -> Package:
    """Open and check a .docx; every problem is an ``InputError`` naming ``source``."""
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(source, "encrypted (password-protected) Word document; remove the password first")
        raise InputError(source, "Word 97 .doc is not supported; save it as .docx first")
    infos, members = inflate(data, source)
    package = Package(members, infos, "", [], source=source)
    for name in members:  # every XML part, read or copied: never one with a DTD, never one that is not XML
        if is_xml_part(name):
            package.xml(name)
    rels = package.relationships("")
    main = next((target for kind, target, _ in rels.values() if kind == OFFICE_DOCUMENT), "")
    if not main or package.xml(main) is None or package.xml(main).tag != w("document"):
        raise InputError(source, "a zip file but not a Word document (no word/document.xml)")
    if CONTENT_TYPES not in members:
        raise InputError(source, "corrupt .docx: no {part}", part=CONTENT_TYPES)
    package.main = main
    package.parts = [(main, "")] + _text_parts(package, main)
    for name, _ in package.parts:
        for paragraph in _paragraphs(package.xml(name)):
            package.paragraphs.append(paragraph)
            package.part_of.append(name)
    return package


def _text_parts(package: Package, main: str) -> list[tuple[str, str]]:
    found = []
    rels = package.relationships(main).values()
    for kind, role in PART_ROLES:
        names = sorted({t for k, t, m in rels if k == REL + kind and m != "External" and t in package.members})
        found += [(name, role) for name in sorted(names, key=_natural)]
    return found


def _natural(name: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _paragraphs(root: etree._Element) -> list[etree._Element]:
    """Every paragraph of a part in document order, except the fallback copies of text boxes."""
    return [p for p in root.iter(w("p")) if not any(a.tag == f"{{{MC}}}Fallback" for a in p.iterancestors())]


def runs(paragraph: etree._Element) -> list[etree._Element]:
    """The runs of one paragraph (inside links, fields, insertions, content controls); not deleted runs,
    not the runs of a text box's own paragraphs."""
    found: list[etree._Element] = []
    stack = [iter(paragraph)]  # not recursive: a part may nest elements two thousand deep
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == w("r"):
            found.append(child)
        elif isinstance(child.tag, str) and child.tag not in SKIPPED and child.tag != w("rPr"):
            stack.append(iter(child))
    return found


def is_text(child: etree._Element) -> bool:
    """Whether a run's child is text (w:t, a tab, a line break)."""
    tag = child.tag
    if tag == w("br"):
        return child.get(w("type"), "") in TEXT_BREAKS
    return tag in (w("t"), w("tab"), w("cr"))


def run_text(run: etree._Element) -> str:
    """The text of a run: w:t, w:tab as a tab, a line break as "\\n"; never a field code (w:instrText)."""
    parts = []
    for child in run:
        if is_text(child):
            parts.append(child.text or "" if child.tag == w("t") else ("\t" if child.tag == w("tab") else "\n"))
    return "".join(parts)


# --- writing -----------------------------------------------------------------------------------------


def register_part(package: Package, name: str, kind: str, content_type: str, source: str = "") -> set[str]:
    """Relate a new part to ``source`` (the main document by default) and, given a content type,
    add an override for it; the names of the parts changed."""
    source = source or package.main
    folder, base = source.rsplit("/", 1)
    rels_name = f"{folder}/_rels/{base}.rels"
    rels = package.xml(rels_name)
    if rels is None:
        rels = package.trees[rels_name] = etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
    taken = {rel.get("Id") for rel in rels}
    number = 1 + len(taken)
    while f"rId{number}" in taken:
        number += 1
    rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
    rel.set("Id", f"rId{number}")
    rel.set("Type", kind)
    rel.set("Target", os.path.relpath(name, folder))
    package.rels_cache.pop(source, None)
    changed = {rels_name}
    if content_type:
        types = package.xml(CONTENT_TYPES)
        override = etree.SubElement(types, f"{{{CT}}}Override")
        override.set("PartName", "/" + name)
        override.set("ContentType", content_type)
        changed.add(CONTENT_TYPES)
    return changed


def write_package(package: Package, changed: set[str]) -> bytes:
    """Every member as it was, in its order, except the parts rewritten; new parts at the end."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infos:
            target.writestr(
                info, _serialize(package, info.filename) if info.filename in changed else package.members[info.filename]
            )
        known = {info.filename for info in package.infos}
        for name in sorted(changed - known):
            target.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), _serialize(package, name), zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def _serialize(package: Package, name: str) -> bytes:
    if name not in package.trees:  # a new binary part (an embedded font)
        return package.members[name]
    return etree.tostring(package.trees[name], xml_declaration=True, encoding="UTF-8", standalone=True)
