"""One exception base for everything zhdoc reports to a user, each with a one-line message.

``str(error)`` is the message in the interface language (``converter.i18n``); ``error.message`` is a
``Text`` whose ``str`` value is English, for logs and the JSON report.
"""

from __future__ import annotations

from .i18n import Text, localize


class ZhdocError(Exception):
    """Base class: ``str(error)`` is a one-line message fit for a user.

    >>> str(OptionsError("unknown format {name!r}", name="odt")), InputError("a.txt", "empty file").message
    ("unknown format 'odt'", 'a.txt: empty file')
    """

    def __init__(self, message: str = "", /, **args: object) -> None:
        self.message = message if isinstance(message, Text) else Text(message, **args)
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return localize(self.message)

    def __reduce__(self):  # the subclasses' own __init__ signatures differ: rebuild from the message
        return _rebuild, (type(self), self.message, self.__dict__)


def _rebuild(kind: type[ZhdocError], message: Text, state: dict) -> ZhdocError:
    error = kind.__new__(kind)
    Exception.__init__(error, str(message))
    error.__dict__.update(state)
    return error


class InputError(ZhdocError):
    """An input file that cannot be read: missing, binary, empty or undecodable."""

    def __init__(self, path: object, problem: str, /, **args: object) -> None:
        self.problem = problem if isinstance(problem, Text) else Text(problem, **args)
        super().__init__(Text("{path}: {problem}", path=str(path), problem=self.problem))
        self.path = str(path)


class OutputError(ZhdocError):
    """An output that cannot be written (a folder in the way, no permission, a full disk)."""

    def __init__(self, path: object, problem: str) -> None:
        problem = problem if isinstance(problem, Text) else Text(problem)  # an OS message: maybe in the catalog
        super().__init__(Text("cannot write {path}: {problem}", path=str(path), problem=problem))


class OptionsError(ZhdocError):
    """An option value that makes no sense (an unknown script, format or encoding)."""


class FontError(ZhdocError):
    """A font that cannot be used (missing, CFF outlines, unreadable)."""


class MissingDependency(ZhdocError):
    """An optional extra is not installed; the message says how to install it."""

    def __init__(self, feature: str, package: str, extra: str) -> None:
        message = Text(
            "{feature} needs {package}: pip install 'zhdoc[{extra}]'", feature=feature, package=package, extra=extra
        )
        super().__init__(message)
