"""zhdoc: repair damaged Chinese text and write clean TXT, DOCX and PDF.

>>> from converter import normalize
>>> normalize("4月1日,,全省加強(qiáng)基層工作,。")[0]
'4月1日，全省加強基層工作。'
"""

from __future__ import annotations

from .batch import convert_folder, convert_paths
from .check import Finding, check_paths
from .document import Document, Fix
from .errors import FontError, InputError, OptionsError, ZhdocError
from .options import Options
from .pipeline import clean_source, convert_file, process, process_text, render
from .readers import read
from .repair import normalize
from .report import FileResult, Report
from .script import convert as convert_script
from .script import detect as detect_script

__all__ = [
    "Document",
    "FileResult",
    "Finding",
    "FontError",
    "Fix",
    "InputError",
    "Options",
    "OptionsError",
    "Report",
    "ZhdocError",
    "check_paths",
    "clean_source",
    "convert_file",
    "convert_folder",
    "convert_paths",
    "convert_script",
    "detect_script",
    "normalize",
    "process",
    "process_text",
    "read",
    "render",
]
__version__ = "0.1.0"
