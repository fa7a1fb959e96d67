"""The DOCX writer, read back with python-docx (and rendered by LibreOffice where it is installed)."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest
from conftest import SAMPLE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from pdfminer.high_level import extract_text

from converter import Options, convert_file


@pytest.fixture(scope="module")
def titled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx")
    source = folder / "news.txt"
    body = SAMPLE.read_text(encoding="utf-8")
    source.write_text("廣東召開基層黨建工作會議\n\n" + body, encoding="utf-8")
    result = convert_file(source, folder / "out" / "news", Options(formats=("txt", "docx")))
    assert result.status == "converted", result.error
    return folder / "out" / "news.docx", folder / "out" / "news.txt"


def test_title_and_paragraphs_round_trip(titled) -> None:
    path, txt = titled
    document = docx.Document(path)
    lines = txt.read_text(encoding="utf-8").splitlines()
    assert [p.text for p in document.paragraphs] == lines
    assert document.paragraphs[0].style.name == "Title"
    assert {p.style.name for p in document.paragraphs[1:]} == {"Body Text"}


def test_east_asian_font_language_and_no_theme_fonts(titled) -> None:
    document = docx.Document(titled[0])
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for rpr in (
        defaults,
        document.styles["Normal"].element.rPr,
        document.styles["Title"].element.rPr,
        document.styles["Body Text"].element.rPr,
    ):
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Noto Serif CJK TC"
        assert not any(fonts.get(qn(a)) for a in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"))
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-TW"


def test_indent_justification_and_page(titled) -> None:
    document = docx.Document(titled[0])
    body = document.styles["Body Text"]
    indent = body.element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200" and indent.get(qn("w:firstLine")) == "480"
    assert body.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_core_properties(titled) -> None:
    properties = docx.Document(titled[0]).core_properties
    assert properties.title == "廣東召開基層黨建工作會議"
    assert properties.language == "zh-TW"
    assert properties.subject == "news.txt"


def test_simplified_output_is_tagged_zh_cn_with_the_sc_face(tmp_path) -> None:
    convert_file(SAMPLE, tmp_path / "s", Options(formats=("docx",), to="simplified"))
    document = docx.Document(tmp_path / "s.docx")
    fonts = document.styles["Body Text"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
    assert document.core_properties.language == "zh-CN"
    assert "关于加强基层党组织建设" in document.paragraphs[0].text


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed: DOCX rendering not checked")
def test_libreoffice_renders_the_docx(titled, tmp_path) -> None:
    path, txt = titled
    profile = tmp_path / "profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp_path,
            path,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = "".join(extract_text(tmp_path / "news.pdf").split())
    assert text == "".join(txt.read_text(encoding="utf-8").split())


def test_control_characters_in_a_text_file_convert(tmp_path) -> None:
    """Issue 15: a form feed or an ANSI colour code in the input once made the DOCX writer raise."""
    source = tmp_path / "log.txt"
    source.write_text("標題\n\n第一段。\f第二頁\x1b[1m粗體\x1b[0m。\n\n$ ls -l\x08\n", encoding="utf-8")
    result = convert_file(source, tmp_path / "out" / "log", Options(formats=("docx",)))
    assert result.status == "converted", result.error
    text = "".join(p.text for p in docx.Document(tmp_path / "out" / "log.docx").paragraphs)
    assert "第二頁" in text and "粗體" in text and "\x1b" not in text and "\f" not in text
