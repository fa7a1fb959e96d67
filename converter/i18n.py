"""Messages in the reader's language: Simplified or Traditional Chinese from gettext catalogs, else English.

The catalogs are compiled ``.mo`` files in ``converter/locale`` (see ``converter/catalogs.py`` for how
they are made); only the standard library reads them, so Babel is not needed at run time.

Two languages matter. The *interface* language (help, errors, warnings, the summary) is module state: the
command line sets it from ``--lang`` or the locale; the Python API speaks English unless the caller calls
``set_language``. The *document* language (review comments written into a DOCX) follows the output script,
whatever the terminal speaks: see ``document_language``.

Messages are ``Text`` values: a ``str`` whose value is the English text (logs, JSON, comparisons stay
English and stable) that can still say itself in another language with ``localize``.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

DOMAIN = "zhdoc"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENGLISH, SIMPLIFIED, TRADITIONAL = "en", "zh_CN", "zh_TW"  # the catalogs
CHOICES = {"en": ENGLISH, "zh-CN": SIMPLIFIED, "zh-TW": TRADITIONAL}  # what --lang takes
_SIMPLIFIED_REGIONS = {"CN", "SG", "HANS", "MY"}
_TRADITIONAL_REGIONS = {"TW", "HK", "MO", "HANT"}

_current = ENGLISH


def catalog_for(tag: str | None) -> str:
    """The catalog for a locale name or a BCP 47 tag (``zh_CN.UTF-8``, ``zh-Hant-TW``, ``C``).

    >>> [catalog_for(t) for t in ("zh_CN.UTF-8", "zh_SG", "zh-Hans", "zh_HK.Big5", "zh-MO", "zh-Hant-CN", "C")]
    ['zh_CN', 'zh_CN', 'zh_CN', 'zh_TW', 'zh_TW', 'zh_TW', 'en']
    >>> [catalog_for(t) for t in ("en_US.UTF-8", "", None, "zh", "ja_JP")]
    ['en', 'en', 'en', 'zh_CN', 'en']
    """
    parts = [p.upper() for p in re.split(r"[-_.@]", tag or "") if p]
    if not parts or parts[0] != "ZH":
        return ENGLISH
    if "HANT" in parts[1:]:  # a script subtag wins over a region: zh-Hant-CN is Traditional
        return TRADITIONAL
    if "HANS" in parts[1:]:
        return SIMPLIFIED
    return TRADITIONAL if any(p in _TRADITIONAL_REGIONS for p in parts[1:]) else SIMPLIFIED


def from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """The catalog the POSIX locale asks for: the first set of LC_ALL, LC_MESSAGES, LANG.

    >>> from_environment({"LANG": "zh_TW.UTF-8"}), from_environment({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"})
    ('zh_TW', 'en')
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return catalog_for(environ[name])
    return ENGLISH


def document_language(tag: str) -> str:
    """The catalog for text written into a document whose language is ``tag`` (zh-CN, zh-TW, zh-HK).

    >>> document_language("zh-HK"), document_language("zh-CN"), document_language("")
    ('zh_TW', 'zh_CN', 'zh_CN')
    """
    return TRADITIONAL if catalog_for(tag) == TRADITIONAL else SIMPLIFIED


def set_language(language: str) -> None:
    """Set the interface language: ``en``, ``zh-CN``, ``zh-TW`` or any locale name ``catalog_for`` takes."""
    global _current
    _current = CHOICES.get(language) or catalog_for(language)


def current_language() -> str:
    return _current


@cache
def translations(language: str) -> _gettext.NullTranslations:
    if language == ENGLISH:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str, language: str | None = None) -> str:
    """``message`` in the interface language (or ``language``); itself when the catalog lacks it."""
    return translations(language or _current).gettext(message)


def ngettext(singular: str, plural: str, count: int, language: str | None = None) -> str:
    return translations(language or _current).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where it is shown."""
    return message


class Text(str):
    """An English message (the ``str`` value) that remembers its msgid and arguments, to be localized later.

    >>> text = Text("{path}: empty file", path="a.txt")
    >>> text, text.localized("en"), text == "a.txt: empty file"
    ('a.txt: empty file', 'a.txt: empty file', True)
    """

    msgid: str
    args: dict[str, object]
    plural: str

    def __new__(cls, msgid: str, /, plural: str = "", **args: object) -> Text:
        english = plural if plural and args.get("count") != 1 else msgid
        self = super().__new__(cls, english.format(**args) if args else english)
        self.msgid, self.plural, self.args = msgid, plural, args
        return self

    def localized(self, language: str | None = None) -> str:
        """This message in ``language`` (default: the interface language); arguments are localized too."""
        translated = translations(language or _current)
        if self.plural:
            template = translated.ngettext(self.msgid, self.plural, int(self.args.get("count", 0)))  # type: ignore[call-overload]
        else:
            template = translated.gettext(self.msgid)
        args = {k: localize(v, language) if isinstance(v, Text) else v for k, v in self.args.items()}
        return template.format(**args) if args else template

    def __reduce__(self):  # pickled to and from worker processes as msgid and arguments
        return _rebuild, (self.msgid, self.plural, self.args)


def _rebuild(msgid: str, plural: str, args: dict[str, object]) -> Text:
    return Text(msgid, plural, **args)


def Plural(singular: str, plural: str, /, count: int, **args: object) -> Text:  # noqa: N802 (builds a Text)
    """A message with singular and plural forms chosen by ``count`` (also a format argument).

    >>> Plural("{count} file", "{count} files", count=2)
    '2 files'
    """
    return Text(singular, plural, count=count, **args)


def localize(message: str, language: str | None = None) -> str:
    """A ``Text`` in ``language`` (default: the interface language); a plain string looked up as a msgid."""
    if isinstance(message, Text):
        return message.localized(language)
    return _(message, language) if message else message
