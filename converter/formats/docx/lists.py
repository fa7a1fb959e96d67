"""List items as DOCX numbering: bullets share one ``w:num``; each numbered list gets its own, restarted at
the number its first marker shows. Markers that are neither (``（1）``, ``①``, ``1.1.``) stay as text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml.etree import SubElement

from ...document import ListItem
from .styles import BULLET_NUM, DECIMAL_ABSTRACT, INDENT_STEP, LEVELS, in_order, level_xml

BULLETS = frozenset("*-+•·‧●◦○▪■")
DECIMAL = re.compile(r"(\d{1,9})([.)])")
CHAR_TWIPS = 240  # one CJK character of 12 pt
ILVL, NUM_ID, VAL, LEFT, HANGING = (qn(f"w:{name}") for name in ("ilvl", "numId", "val", "left", "hanging"))
IND, NUM_PR = qn("w:ind"), qn("w:numPr")


def numbered(marker: str) -> tuple[int, str] | None:
    """The start number and delimiter of a plain decimal marker, else None.

    >>> numbered("3."), numbered("10)"), numbered("（1）"), numbered("1.1.")
    ((3, '.'), (10, ')'), None, None)
    """
    match = DECIMAL.fullmatch(marker)
    return (int(match[1]), match[2]) if match else None


def marker_twips(marker: str) -> int:
    """About how wide a marker is set: a wide character one em, others half.

    >>> marker_twips("（1）"), marker_twips("1.1.")
    (600, 480)
    """
    return sum(CHAR_TWIPS if ord(char) >= 0x1100 else CHAR_TWIPS // 2 for char in marker)


@dataclass
class Numbering:
    """The numbering state while the blocks are written: which numbered list is open at each level."""

    numbering: object  # the numbering part's root element
    open: dict[int, int] = field(default_factory=dict)  # level → numId of the numbered list there
    last_id: int = BULLET_NUM

    def close(self) -> None:
        """Something other than a list item came: the next numbered item starts a new list."""
        self.open.clear()

    def place(self, paragraph, item: ListItem) -> str:
        """Set the paragraph's numbering or indent for ``item``; returns the text to put before its inlines."""
        level = min(max(item.level, 0), LEVELS[-1])
        for deeper in [lvl for lvl in self.open if lvl > level]:
            del self.open[deeper]
        ppr = paragraph._p.get_or_add_pPr()
        number = numbered(item.marker)
        if item.marker in BULLETS and not item.ordered:
            self.open.pop(level, None)
            _num_pr(ppr, BULLET_NUM, level)
            return ""
        if number is not None:
            if level not in self.open:
                self.open[level] = self._new_list(level, *number)
            _num_pr(ppr, self.open[level], level)
            return ""
        left = INDENT_STEP * (level + 1)
        if not item.marker:  # continues the item before: aligned with its text, no number
            _indent(ppr, left, 0)
            return ""
        hanging = max(INDENT_STEP, marker_twips(item.marker) + CHAR_TWIPS // 2)
        _indent(ppr, max(left, hanging), hanging)
        return item.marker + "\t"

    def _new_list(self, level: int, start: int, delimiter: str) -> int:
        self.last_id += 1
        num_id = self.last_id
        override = level_xml(level, bullet=False, start=start, delimiter=delimiter).replace(f" {nsdecls('w')}", "")
        self.numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{DECIMAL_ABSTRACT}"/>'
                f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/>{override}</w:lvlOverride>'
                "</w:num>"
            )
        )
        return num_id


def _num_pr(ppr, num_id: int, level: int) -> None:
    """``ppr.get_or_add_numPr()`` with its level and list id, made directly (the paragraph has none yet)."""
    num_pr = OxmlElement("w:numPr")
    SubElement(num_pr, ILVL).set(VAL, str(level))
    SubElement(num_pr, NUM_ID).set(VAL, str(num_id))
    in_order(ppr, num_pr)


def shift(ppr, extra: int) -> None:
    """Move a paragraph ``extra`` twips further right: a numbered or bulleted item keeps its level's
    hanging indent, an item with its own indent keeps it.

    >>> ppr = parse_xml(f"<w:pPr {nsdecls('w')}/>")
    >>> _num_pr(ppr, BULLET_NUM, 1); shift(ppr, 480); ppr.find(IND).attrib.values()
    ['1320', '420']
    """
    ind = ppr.find(IND)
    if ind is not None:
        ind.set(LEFT, str(int(ind.get(LEFT, "0")) + extra))
    elif (num_pr := ppr.find(NUM_PR)) is not None:
        level = int(num_pr.find(ILVL).get(VAL))
        _indent(ppr, INDENT_STEP * (level + 1) + extra, INDENT_STEP)
    else:
        _indent(ppr, extra, 0)


def _indent(ppr, left: int, hanging: int) -> None:
    """``ppr.get_or_add_ind()`` with its indents, made directly (the paragraph has none yet)."""
    ind = OxmlElement("w:ind")
    ind.set(LEFT, str(left))
    if hanging:
        ind.set(HANGING, str(hanging))
    in_order(ppr, ind)
