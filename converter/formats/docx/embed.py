"""Embed the used subset of a TrueType face in a .docx, as Word does (ECMA-376 Part 1 §17.8.1).

The subset is stored obfuscated (``word/fonts/fontN.odttf``: its first 32 bytes XOR the key read from
a fresh GUID), named in ``fontTable.xml`` with ``w:embedRegular`` (relationship id and ``w:fontKey``),
and ``settings.xml`` asks to keep embedded fonts (``w:embedTrueTypeFonts``, ``w:saveSubsetFonts``).
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from lxml import etree

from .package import CT, REL, Package, R, W, open_package, register_part, w, write_package

FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_TABLE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
# w:settings children that come before w:embedTrueTypeFonts / w:saveSubsetFonts (the schema's order).
SETTINGS_BEFORE = [
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
]


def obfuscate(font: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes read from its last hex pair to its first.

    >>> key = "{62E79491-959F-41E9-B76B-6B32631DEA5C}"
    >>> obfuscate(obfuscate(b"x" * 40, key), key) == b"x" * 40, obfuscate(bytes(33), key)[:2].hex()
    (True, '5cea')
    """
    digits = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ digits[i % 16] for i, byte in enumerate(font[:32]))
    return head + font[32:]


def subset(face_path: str | Path, text: str, index: int = 0) -> tuple[bytes, str]:
    """The face cut down to the characters of ``text`` (TrueType), and its family name."""
    from fontTools import subset as subsetter
    from fontTools.ttLib import TTFont

    font = TTFont(str(face_path), fontNumber=index, lazy=True)
    family = font["name"].getDebugName(1) or Path(face_path).stem
    options = subsetter.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    maker = subsetter.Subsetter(options)
    maker.populate(unicodes={ord(c) for c in set(text) if c not in "\n\r\t"} | {0x20})
    maker.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), family


def embed_fonts(docx_bytes: bytes, text: str, face_path: str | Path, index: int = 0, east_asian: bool = False) -> bytes:
    """``docx_bytes`` with the subset of ``face_path`` used by ``text`` embedded; with ``east_asian``,
    the face also becomes the East Asian font of the defaults, styles and runs (a Word document in place)."""
    package = open_package(docx_bytes)
    data, family = subset(face_path, text, index)
    changed = _add_font(package, family, data)
    if east_asian:
        changed |= _use_face(package, family)
    return write_package(package, changed)


def _add_font(package: Package, family: str, data: bytes) -> set[str]:
    changed: set[str] = set()
    table_name = _related(package, "fontTable")
    if not table_name:
        table_name = "word/fontTable.xml"
        package.trees[table_name] = etree.Element(w("fonts"), nsmap={"w": W, "r": R})
        changed |= register_part(package, table_name, REL + "fontTable", FONT_TABLE_TYPE)
    table = package.xml(table_name)
    number = 1
    while f"word/fonts/font{number}.odttf" in package.members:
        number += 1
    font_name = f"word/fonts/font{number}.odttf"
    key = "{" + str(uuid.uuid4()).upper() + "}"
    package.members[font_name] = obfuscate(data, key)
    changed |= {font_name, table_name}
    changed |= register_part(package, font_name, REL + "font", "", source=table_name)
    rel_id = _rel_id(package, table_name, font_name)
    entry = next((f for f in table.iter(w("font")) if f.get(w("name")) == family), None)
    if entry is None:
        entry = etree.SubElement(table, w("font"))
        entry.set(w("name"), family)
        etree.SubElement(entry, w("charset")).set(w("val"), "88" if family.endswith(("TC", "HK")) else "86")
        etree.SubElement(entry, w("family")).set(w("val"), "roman")
        etree.SubElement(entry, w("pitch")).set(w("val"), "variable")
    for old in entry.findall(w("embedRegular")):
        entry.remove(old)
    embed = etree.SubElement(entry, w("embedRegular"))
    embed.set(f"{{{R}}}id", rel_id)
    embed.set(w("fontKey"), key)
    embed.set(w("subsetted"), "1")
    changed |= _ask_to_keep(package)
    types = package.xml("[Content_Types].xml")
    if not any(d.get("Extension") == "odttf" for d in types.iter(f"{{{CT}}}Default")):
        default = etree.Element(f"{{{CT}}}Default")
        default.set("Extension", "odttf")
        default.set("ContentType", FONT_TYPE)
        types.insert(0, default)
        changed.add("[Content_Types].xml")
    return changed


def _related(package: Package, kind: str) -> str:
    rels = package.relationships(package.main).values()
    return next((t for k, t, m in rels if k == REL + kind and m != "External"), "")


def _rel_id(package: Package, source: str, target: str) -> str:
    return next(rid for rid, (_, t, _) in package.relationships(source).items() if t == target)


def _ask_to_keep(package: Package) -> set[str]:
    name = _related(package, "settings")
    settings = package.xml(name) if name else None
    if settings is None:
        return set()
    for tag in ("embedTrueTypeFonts", "saveSubsetFonts"):
        if settings.find(w(tag)) is None:
            order = SETTINGS_BEFORE[: SETTINGS_BEFORE.index(tag)]
            place = max((settings.index(c) + 1 for c in settings if etree.QName(c).localname in order), default=0)
            settings.insert(place, etree.Element(w(tag)))
    return {name}


def _use_face(package: Package, family: str) -> set[str]:
    """The East Asian font of every run, style and default becomes ``family`` (theme fonts dropped)."""
    changed = set()
    styles = _related(package, "styles")
    names = [part for part, _ in package.parts] + ([styles] if styles else [])
    for name in names:
        root = package.xml(name)
        for fonts in root.iter(w("rFonts")):
            fonts.set(w("eastAsia"), family)
            fonts.attrib.pop(w("eastAsiaTheme"), None)
            changed.add(name)
        if root.tag == w("styles"):
            defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}")
            if defaults is not None:
                rpr = defaults.find(w("rPr"))
                rpr = rpr if rpr is not None else etree.SubElement(defaults, w("rPr"))
                fonts = rpr.find(w("rFonts"))
                if fonts is None:
                    fonts = etree.Element(w("rFonts"))
                    rpr.insert(0, fonts)
                fonts.set(w("eastAsia"), family)
                fonts.attrib.pop(w("eastAsiaTheme"), None)
                changed.add(name)
    return changed
