"""Initializer for a real process pool whose workers die (os._exit) on one file, as a crashing worker would."""

from __future__ import annotations

import os

import converter.batch


def die_on(name: str) -> None:
    convert = converter.batch.convert_file

    def convert_or_die(source, target_stem, options, **how):
        if os.path.basename(str(source)) == name:
            os._exit(3)
        return convert(source, target_stem, options, **how)

    converter.batch.convert_file = convert_or_die
