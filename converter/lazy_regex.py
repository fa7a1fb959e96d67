"""Regular expressions compiled on first use.

Python's ``re`` compiles a character class one code point at a time: a class of all Han characters costs
about a millisecond, in each pattern that holds it, at every start of zhdoc. Such patterns are compiled
when first used instead, so a run pays only for the fixers and reader paths its input needs.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, cast


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)`` until first used, then forwards to it."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self._flags)

    def __getattr__(self, name: str) -> Any:
        """Only called for what the instance lacks: each attribute used (``search``, ``sub`` …) is taken
        from the compiled pattern once and kept, so later calls cost what they cost on the compiled one."""
        if name.startswith("__"):  # copy and pickle probing for hooks
            raise AttributeError(name)
        value = getattr(self.compiled, name)
        setattr(self, name, value)
        return value


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile``, deferred to the pattern's first use.

    >>> han = lazy_compile("[\\u4e00-\\u9fff]+")
    >>> "compiled" in vars(han), han.findall("中文 and 漢字"), "compiled" in vars(han)
    (False, ['中文', '漢字'], True)
    """
    return cast(re.Pattern[str], LazyPattern(pattern, flags))  # it has every attribute a compiled pattern has
