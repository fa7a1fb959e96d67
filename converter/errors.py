"""One exception base for everything zhdoc reports to a user, each with a one-line message."""

from __future__ import annotations


class ZhdocError(Exception):
    """Base class: ``str(error)`` is a one-line message fit for a user."""


class InputError(ZhdocError):
    """An input file that cannot be read: missing, binary, empty or undecodable."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


class OutputError(ZhdocError):
    """An output that cannot be written (a folder in the way, no permission, a full disk)."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"cannot write {path}: {problem}")


class OptionsError(ZhdocError):
    """An option value that makes no sense (an unknown script, format or encoding)."""


class FontError(ZhdocError):
    """A font that cannot be used (missing, CFF outlines, unreadable)."""


class MissingDependency(ZhdocError):
    """An optional extra is not installed; the message says how to install it."""

    def __init__(self, feature: str, package: str, extra: str) -> None:
        super().__init__(f"{feature} needs {package}: pip install 'zhdoc[{extra}]'")
