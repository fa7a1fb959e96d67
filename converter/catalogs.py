"""Make and check the translation catalogs. Needs Babel (``pip install 'zhdoc[i18n]'``); zhdoc itself does not.

    python -m converter.catalogs update    # extract the msgids from converter/ and merge them into both .po files
    python -m converter.catalogs compile   # .po → .mo (the .mo files are committed: zhdoc reads them at run time)
    python -m converter.catalogs check     # exit 1, listing untranslated msgids, bad placeholders, stale .mo
    python -m converter.catalogs extract converter/locale/zhdoc.pot   # the template, for pybabel or an editor

The .po files are the source: translate in them (an untranslated msgid has ``msgstr ""``), then compile.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from .i18n import DOMAIN, LOCALE_DIR, SIMPLIFIED, TRADITIONAL

PACKAGE = Path(__file__).resolve().parent
LANGUAGES = (SIMPLIFIED, TRADITIONAL)
# Calls whose string argument is a message (besides gettext's own _, N_, ngettext …).
KEYWORDS = {
    "Text": None,
    "Plural": (1, 2),
    "ZhdocError": None,
    "OptionsError": None,
    "FontError": None,
    "InputError": (2,),
}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]")


def extract():  # -> babel.messages.catalog.Catalog
    """Every message in the package's sources."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    template = Catalog(project="zhdoc", domain=DOMAIN)
    keywords = {**DEFAULT_KEYWORDS, **KEYWORDS}
    found = extract_from_dir(str(PACKAGE), [("**.py", "python")], keywords=keywords)
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str):
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def compiled(language: str) -> bytes:
    """The .mo file the .po file gives."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, read(language))
    return out.getvalue()


def update() -> None:
    from babel.messages.pofile import write_po

    template = extract()
    for language in LANGUAGES:
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True)
        with po_path(language).open("wb") as file:
            write_po(file, catalog, ignore_obsolete=True, include_lineno=False, sort_output=True)


def compile_all() -> None:
    for language in LANGUAGES:
        po_path(language).with_suffix(".mo").write_bytes(compiled(language))


def problems() -> list[str]:
    """Untranslated, fuzzy or still-English msgids in either catalog, translations that lose or add a
    placeholder, and .mo files that lag their .po."""
    template = extract()
    found = []
    for language in LANGUAGES:
        catalog = read(language)
        for message in template:
            if not message.id:
                continue
            singular = message.id[0] if isinstance(message.id, tuple) else message.id
            translated = catalog.get(message.id)
            strings = translated.string if translated else ""
            strings = strings if isinstance(strings, tuple) else (strings,)
            if not translated or not all(strings):
                found.append(f"{language}: untranslated: {singular!r}")
            elif translated.fuzzy:
                found.append(f"{language}: fuzzy: {singular!r}")
            elif any(s == singular and _has_letters(s) for s in strings):
                found.append(f"{language}: still English: {singular!r}")
            elif not all(_fields_kept(s, message.id) for s in strings):
                found.append(f"{language}: placeholders differ from the msgid's: {singular!r}")
        mo = po_path(language).with_suffix(".mo")
        if not mo.is_file() or mo.read_bytes() != compiled(language):
            found.append(f"{language}: {mo.name} is not compiled from {po_path(language).name}: run compile")
    return found


def _fields_kept(translation: str, msgid: str | tuple[str, ...]) -> bool:
    """A field the msgid lacks would raise when formatted; a singular message must keep all of its fields
    (a plural message's single Chinese form may use either form's).

    >>> _fields_kept("{path}：空文件", "{path}: empty file"), _fields_kept("空文件", "{path}: empty file")
    (True, False)
    >>> _fields_kept("{count} 个文件", ("{count} file", "{count} files")), _fields_kept("{n} 个", ("{count} file", "x"))
    (True, False)
    """
    if isinstance(msgid, tuple):
        return _placeholders(translation) <= _placeholders(*msgid)
    return _placeholders(translation) == _placeholders(msgid)


def _placeholders(*messages: str) -> set[str]:
    """The ``{name}`` and ``%(name)s`` fields, which a translation must keep (a missing one would raise).

    >>> sorted(_placeholders("{count} file", "{count} files: {names!r}"))
    ['{count}', '{names!r}']
    """
    return {field for message in messages for field in _PLACEHOLDER.findall(message)}


def _has_letters(message: str) -> bool:
    """Letters outside placeholders: ``{path}: {problem}`` has none, so it may stay as it is.

    >>> _has_letters("{path}: {problem}"), _has_letters("Usage:")
    (False, True)
    """
    return bool(re.search("[A-Za-z]", _PLACEHOLDER.sub("", message)))


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "extract" and len(argv) == 2:
        from babel.messages.pofile import write_po

        with open(argv[1], "wb") as file:
            write_po(file, extract(), include_lineno=False, sort_output=True)
    elif command == "check":
        found = problems()
        print("\n".join(found) or "catalogs complete", file=sys.stderr if found else sys.stdout)
        return 1 if found else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
