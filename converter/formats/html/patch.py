"""HTML in, HTML out: the same page with only its text changed.

The page is parsed again as the reader parsed it; each text node the tree holds gets the text of its
spans (repaired and converted), the text it does not hold (navigation, the title) is converted by OpenCC
unless it is code; the ``lang`` attributes are retagged to the output script. Only the characters that
changed are rewritten in the source (``splice``), in the page's own encoding (a character it cannot
encode as a character reference); every other byte stays as it was.
"""

from __future__ import annotations

from ...document import Document, units
from ...errors import InputError
from ...options import Options
from ...script import convert, detect
from .read import build, parse_tree, sniff
from .source import is_text_slot, slot_text, slots
from .splice import patch_source, slot_changes


def patch(document: Document, options: Options) -> bytes:
    """The original page with the document's text written into its text nodes."""
    text, codec = sniff(document.package, document.encoding)
    root = parse_tree(text)
    _, original = build(root, None, options.whole_page)
    if sum(1 for _ in units(tuple(original))) != sum(1 for _ in units(document.blocks)):
        raise InputError(document.source, "the page changed shape between reading and writing")
    changes = slot_changes(tuple(original), document.blocks)
    converter = other_text(root, options.to)
    language = document.language if options.to != "keep" else ""
    patched, _, _ = patch_source(text, root, changes, 0, converter, language)
    if patched == text:
        return document.package
    return patched.encode(codec, errors="xmlcharrefreplace")


def other_text(root, target: str):
    """How text outside the tree is converted (None: it is not, the script being kept)."""
    if target == "keep":
        return None
    sample = "".join(slot_text(n, t) for n, t in slots(root) if is_text_slot(n, t))
    source = detect(sample)
    return lambda text: convert(text, target, source)
