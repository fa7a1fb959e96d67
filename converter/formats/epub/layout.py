"""Vertical or horizontal text for a whole book (直排 / 橫排), by edits to its sources.

A style sheet of zhdoc's own (``zhdoc-writing-mode.css``, beside the package document) is linked last
from every content document, so that it overrides the book's own rules (a forced ``horizontal-tb``
included); the spine's ``page-progression-direction`` and the ``primary-writing-mode`` meta follow. The
same edits with ``horizontal`` undo a vertical book (zhdoc's or the publisher's).
"""

from __future__ import annotations

import posixpath
import re

CSS_NAME = "zhdoc-writing-mode.css"
CSS_ID = "zhdoc-writing-mode"
MODES = {"vertical": ("vertical-rl", "rtl", "vertical-rl"), "horizontal": ("horizontal-tb", "ltr", "horizontal-lr")}


def stylesheet(mode: str) -> bytes:
    """The style sheet for ``mode``: the root and the body in that writing mode, every element inside
    following them (a book's own writing-mode rules overridden), in the three spellings readers know."""
    value = MODES[mode][0]
    declarations = "".join(
        f"  {name}: {{v}} !important;\n" for name in ("-epub-writing-mode", "-webkit-writing-mode", "writing-mode")
    )
    return (
        f"/* zhdoc: {mode} text */\n"
        f"html, body {{\n{declarations.format(v=value)}}}\n"
        f"body * {{\n{declarations.format(v='inherit')}}}\n"
    ).encode()


def css_path(opf: str) -> str:
    return posixpath.join(posixpath.dirname(opf), CSS_NAME)


def link_stylesheet(text: str, document: str, css: str) -> str:
    """A content document's source with a link to ``css`` as the last thing in its head (once).

    >>> link_stylesheet("<html><head><title>t</title></head><body/></html>", "OEBPS/t/a.xhtml", "OEBPS/s.css")
    '<html><head><title>t</title><link rel="stylesheet" type="text/css" href="../s.css"/></head><body/></html>'
    """
    href = posixpath.relpath(css, posixpath.dirname(document) or ".")
    if CSS_NAME in text and re.search(rf"""href\s*=\s*["']{re.escape(href)}["']""", text):
        return text
    match = re.search(r"</((?:[\w.-]+:)?)head\s*>", text)
    if not match:
        return text
    link = f'<{match.group(1)}link rel="stylesheet" type="text/css" href="{href}"/>'
    return text[: match.start()] + link + text[match.start() :]


def package_layout(text: str, mode: str) -> str:
    """The package document with the spine's direction, the primary-writing-mode meta and the style
    sheet's manifest item set for ``mode``.

    >>> opf = '<package version="3.0"><metadata></metadata><manifest></manifest><spine></spine></package>'
    >>> print(package_layout(opf, "vertical").replace("><", ">\\n<"))
    <package version="3.0">
    <metadata>
    <meta name="primary-writing-mode" content="vertical-rl"/>
    </metadata>
    <manifest>
    <item id="zhdoc-writing-mode" href="zhdoc-writing-mode.css" media-type="text/css"/>
    </manifest>
    <spine page-progression-direction="rtl">
    </spine>
    </package>
    """
    _, direction, primary = MODES[mode]
    if not re.search(r"""<(?:[\w.-]+:)?package\b[^>]*\bversion\s*=\s*["']2""", text):  # (not in EPUB 2)
        text = _set_attribute(text, r"<(?:[\w.-]+:)?spine\b", "page-progression-direction", direction)
    meta = re.search(r"""<((?:[\w.-]+:)?)meta\b[^>]*\bname\s*=\s*["']primary-writing-mode["'][^>]*>""", text)
    if meta:
        tag = re.sub(r"""(\bcontent\s*=\s*)(["'])[^"']*\2""", rf'\g<1>"{primary}"', meta.group(0))
        text = text[: meta.start()] + tag + text[meta.end() :]
    else:
        text = _insert_before(text, "metadata", f'<{{p}}meta name="primary-writing-mode" content="{primary}"/>')
    if CSS_ID not in text:
        text = _insert_before(text, "manifest", f'<{{p}}item id="{CSS_ID}" href="{CSS_NAME}" media-type="text/css"/>')
    return text


def _set_attribute(text: str, opening: str, name: str, value: str) -> str:
    match = re.search(opening + r"""(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""", text)
    if not match:
        return text
    tag = match.group(0)
    found = re.search(rf"""\s{name}\s*=\s*(["'])[^"']*\1""", tag)
    if found:
        tag = tag[: found.start()] + f' {name}="{value}"' + tag[found.end() :]
    else:
        end = len(tag) - len(match.group(1)) - 1
        tag = tag[:end] + f' {name}="{value}"' + tag[end:]
    return text[: match.start()] + tag + text[match.end() :]


def _insert_before(text: str, element: str, markup: str) -> str:
    """``markup`` (with ``{p}`` for the element's namespace prefix) before the end tag of ``element``."""
    match = re.search(rf"</((?:[\w.-]+:)?){element}\s*>", text)
    if not match:
        return text
    return text[: match.start()] + markup.replace("{p}", match.group(1)) + text[match.start() :]
