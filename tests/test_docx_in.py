"""Word documents in: read as a tree, repaired and converted in place, every fix reviewable as a revision."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx_checks import (
    bold_by_character,
    compare,
    convert_docx,
    deletion_groups,
    docx_with_runs,
    main_xml,
    members,
    own_deletions,
    paragraph_texts,
    part_texts,
    resolve,
    sinicized,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.cli import main
from converter.document import Code, Heading, ListItem, Paragraph, Table
from converter.errors import InputError
from converter.formats.docx.package import w
from converter.formats.docx.read import parse
from converter.options import Options
from converter.pipeline import clean_source, convert_file
from converter.readers import read
from converter.repair import normalize
from converter.script import convert

FIXTURES = Path(__file__).parent.parent / "fixtures"
DOCX = FIXTURES / "docx"
SAMPLE = FIXTURES / "sample" / "gd-news-trad-pinyin.txt"
WORD_MADE = ["hdr-header-footer", "comments-rich-para", "par-hyperlinks", "tbl-cell-props", "sct-first-page-hdrftr"]
POOL = (FIXTURES / "sample" / "gd-news-trad-pinyin.simplified.txt").read_text(encoding="utf-8").replace("\n", "")


def word_made(name: str) -> bytes:
    """A Word-made test document with Simplified Chinese written into its runs."""
    return sinicized((DOCX / f"{name}.docx").read_bytes(), POOL)


# --- reading --------------------------------------------------------------------------------------------


def test_reader_builds_the_tree_of_a_libreoffice_document() -> None:
    document = read(DOCX / "zh-report.docx")
    kinds = [type(block).__name__ for block in document.blocks]
    assert kinds[:4] == ["Heading", "Paragraph", "Heading", "ListItem"]
    headings = [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]
    assert headings[:2] == [(1, "基层党建工作简报"), (2, "一、主要做法")]
    items = [(b.ordered, b.level, b.marker) for b in document.blocks if isinstance(b, ListItem)]
    assert items == [(True, 0, "1."), (True, 0, "2."), (False, 1, "•"), (False, 1, "•"), (True, 0, "3.")]
    table = next(b for b in document.blocks if isinstance(b, Table))
    assert [[cell.text for cell in row] for row in table.rows][2] == ["深圳市", "9,876", "新经济组织较多\n需要加强覆盖"]
    code = next(b for b in document.blocks if isinstance(b, Code))
    assert code.text.startswith("$ python3 summarize.py --input 数据.csv")
    links = [s.url for b in document.blocks if hasattr(b, "inlines") for s in b.inlines if s.url]
    assert links == ["https://example.org/news/2019-04-01", "mailto:office@example.org"]
    strong = [s.text for b in document.blocks if hasattr(b, "inlines") for s in b.inlines if "strong" in s.style]
    assert strong == ["加强基层党组织建设", "干部队伍"]
    inline_code = [s.text for b in document.blocks if hasattr(b, "inlines") for s in b.inlines if s.code]
    assert inline_code == ["summarize()"]
    footnotes = [b.text for b in document.blocks if isinstance(b, Paragraph) and b.role == "footnote"]
    assert footnotes == ["\t数据截至2019年3月31日，由省委组织部提供。"]
    assert document.origin == "docx" and document.package == (DOCX / "zh-report.docx").read_bytes()


def test_reader_walks_headers_footers_and_comments_after_the_body() -> None:
    document = parse((DOCX / "comments-rich-para.docx").read_bytes(), "c.docx")
    roles = Counter(b.role for b in document.blocks if isinstance(b, Paragraph))
    assert roles["comment"] >= 2 and roles[""] >= 3
    headers = parse((DOCX / "hdr-header-footer.docx").read_bytes(), "h.docx")
    assert [(b.role, b.text) for b in headers.blocks if isinstance(b, Paragraph) and b.role] == [
        ("header", "Header for section-1"),
        ("footer", "Footer for section 1"),
    ]


def test_field_codes_are_never_text() -> None:
    data = docx_with_runs([[("見第", False), ("3", False), ("頁", False)]])
    package = members(data)
    xml = package["word/document.xml"].decode()
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGEREF 書簽 </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    xml, found = re.subn(r"<w:r>(<w:rPr/>)?<w:t>3</w:t></w:r>", lambda m: field + m.group() + END, xml)
    assert found == 1
    data = _with_member(data, "word/document.xml", xml.encode())
    document, out = convert_docx(data, Options(to="simplified", formats=("docx",)))
    assert document.paragraphs == ("见第3页",)
    assert " PAGEREF 書簽 " in members(out)["word/document.xml"].decode()


END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


TEXT_BOX = (
    '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p>'
    "</w:txbxContent></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p></w:txbxContent></w:pict>"
    "</mc:Fallback></mc:AlternateContent></w:r>"
)
NESTED = (
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外层单元格</w:t></w:r></w:p>"
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>内层单元格</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc>"
    "<w:tc><w:p><w:r><w:t>第二列</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    "<w:sdt><w:sdtContent><w:p><w:r><w:t>内容控件里的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"
)


def test_text_boxes_nested_tables_and_content_controls_are_read_and_converted() -> None:
    data = docx_with_runs([[("正文第一段", False)]])
    xml = members(data)["word/document.xml"].decode()
    xml = xml.replace("<w:t>正文第一段</w:t></w:r>", "<w:t>正文第一段</w:t></w:r>" + TEXT_BOX, 1)
    xml = xml.replace("<w:sectPr", NESTED + "<w:sectPr", 1)
    data = _with_member(data, "word/document.xml", xml.encode())
    document = parse(data, "boxes.docx")
    assert [type(b).__name__ for b in document.blocks] == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    assert document.paragraphs == (
        "正文第一段",
        "文本框里的说明",
        "外层单元格\n内层单元格\n",
        "第二列",
        "内容控件里的段落",
    )
    _, out = convert_docx(data, Options(to="traditional", formats=("docx",)))
    text = members(out)["word/document.xml"].decode()
    box = convert("文本框里的说明", "traditional", "simplified")
    assert text.count("文本框里的说明") == 0 and text.count(box) == 2  # the VML fallback too
    expected = [
        "正文第一段",
        box,
        "外層單元格",
        "內層單元格",
        "",
        "第二列",
        convert("内容控件里的段落", "traditional", "simplified"),
    ]
    assert paragraph_texts(out) == expected


# --- converting real documents in place ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["zh-report", *WORD_MADE])
@pytest.mark.parametrize("to", ["traditional", "simplified"])
def test_real_documents_keep_structure_formatting_and_text(name: str, to: str) -> None:
    data = (DOCX / "zh-report.docx").read_bytes() if name == "zh-report" else word_made(name)
    if to == "simplified":  # start from the Traditional version, so that there is something to convert
        data = convert_docx(data, Options(to="traditional", repair=False, formats=("docx",)))[1]
    result = compare(data, to)
    assert result.structure_ok
    assert result.format_kept == result.paragraphs
    assert result.text_ok == result.paragraphs
    assert result.changed > 0


def test_headers_footers_and_comments_are_converted() -> None:
    for name in ("hdr-header-footer", "comments-rich-para", "sct-first-page-hdrftr"):
        data = word_made(name)
        _, out = convert_docx(data, Options(to="traditional", repair=False, formats=("docx",)))
        before, after = members(data), members(out)
        parts = [p for p in before if re.match(r"word/(header|footer|comments)\d*\.xml$", p)]
        assert parts
        for part in parts:
            texts = [t.text for t in etree.fromstring(before[part]).iter(w("t")) if t.text]
            if texts:
                converted = [t.text for t in etree.fromstring(after[part]).iter(w("t")) if t.text]
                assert converted == [convert(text, "traditional", "simplified") for text in texts], part


def test_every_part_not_rewritten_stays_byte_for_byte_in_order() -> None:
    data = word_made("hdr-header-footer")
    _, out = convert_docx(data, Options(to="traditional", repair=False, formats=("docx",)))
    before, after = members(data), members(out)
    assert list(before) == list(after)
    rewritten = {name for name in before if before[name] != after[name]}
    assert all(re.fullmatch(r"word/(document|header\d|footer\d|styles|settings)\.xml", name) for name in rewritten)
    assert "word/document.xml" in rewritten


def test_unchanged_document_is_returned_as_it_was() -> None:
    data = (DOCX / "par-hyperlinks.docx").read_bytes()
    assert convert_docx(data, Options(formats=("docx",)))[1] == data


def test_language_tags_and_east_asian_fonts_follow_the_script() -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("关于加强基层建设的意见")
    run.font.name = "SimSun"
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(w("eastAsia"), "宋体")
    lang = etree.SubElement(run._element.get_or_add_rPr(), w("lang"))
    lang.set(w("eastAsia"), "zh-CN")
    out = io.BytesIO()
    document.save(out)
    _, converted = convert_docx(out.getvalue(), Options(to="traditional", formats=("docx",)))
    xml = main_xml(converted)
    run_fonts = next(xml.iter(w("rFonts")))
    assert (run_fonts.get(w("eastAsia")), run_fonts.get(w("ascii"))) == ("新細明體", "PMingLiU")
    assert next(xml.iter(w("lang"))).get(w("eastAsia")) == "zh-TW"
    styles = etree.fromstring(members(converted)["word/styles.xml"])
    default = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert default.get(w("eastAsia")) == "zh-TW"
    back = convert_docx(converted, Options(to="simplified", formats=("docx",)))[1]
    run_fonts = next(main_xml(back).iter(w("rFonts")))
    assert (run_fonts.get(w("eastAsia")), run_fonts.get(w("ascii"))) == ("宋体", "SimSun")
    assert paragraph_texts(back)[0] == "关于加强基层建设的意见"


# --- damage across runs ---------------------------------------------------------------------------------


def cut_through_damage(text: str, rng: random.Random) -> list[tuple[str, bool]]:
    """Runs cut inside every annotation and comma pair, and at random places; random runs bold."""
    points = {rng.randrange(m.start() + 1, m.end()) for m in re.finditer(r"\([^()]*\)|,[,，。、；;]", text)}
    points |= {rng.randrange(1, len(text)) for _ in range(len(text) // 15)}
    bounds = [0, *sorted(points), len(text)]
    return [(text[a:b], rng.random() < 0.4) for a, b in zip(bounds, bounds[1:]) if b > a]


def kept_boldness_differs(before: list[str], after: list[str], flags_before, flags_after) -> int:
    """How many kept stretches of text (equal in both) changed boldness."""
    wrong = 0
    for old, new, bold_old, bold_new in zip(before, after, flags_before, flags_after):
        for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            wrong += op == "equal" and bold_old[i1:i2] != bold_new[j1:j2]
    return wrong


@pytest.fixture(scope="module")
def damaged() -> tuple[list[str], bytes]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    rng = random.Random(20261127)
    return lines, docx_with_runs([cut_through_damage(line, rng) for line in lines])


def test_damaged_sample_across_runs_equals_clean_and_keeps_boldness(damaged) -> None:
    lines, data = damaged
    cleaned = list(clean_source(SAMPLE, Options())[1].paragraphs)
    document, out = convert_docx(data, Options(formats=("docx",)))
    assert paragraph_texts(out) == cleaned
    assert sum(len(runs) for runs in part_texts(data)) > 400  # the runs really cut through the damage
    assert kept_boldness_differs(lines, cleaned, bold_by_character(data), bold_by_character(out)) == 0
    assert docx.Document(io.BytesIO(out)).paragraphs[0].text == cleaned[0]


def test_track_changes_accept_gives_the_repair_reject_gives_the_original(damaged) -> None:
    lines, data = damaged
    cleaned = list(clean_source(SAMPLE, Options())[1].paragraphs)
    document, out = convert_docx(data, Options(formats=("docx",), track_changes=True))
    assert resolve(out, accept=True) == cleaned
    assert resolve(out, accept=False) == lines
    annotations = Counter(fix.before for _, fix in document.fixes if fix.kind == "pinyin")
    assert sum(annotations.values()) > 300
    assert not annotations - own_deletions(deletion_groups(out))
    revisions = list(main_xml(out).iter(w("ins"), w("del")))
    assert len({r.get(w("id")) for r in revisions}) == len(revisions)
    assert {r.get(w("author")) for r in revisions} == {"zhdoc"}


def test_track_changes_with_script_conversion(damaged) -> None:
    lines, data = damaged
    converted = list(clean_source(SAMPLE, Options(to="simplified"))[1].paragraphs)
    _, out = convert_docx(data, Options(formats=("docx",), to="simplified", track_changes=True))
    assert resolve(out, accept=True) == converted
    assert resolve(out, accept=False) == lines


@pytest.mark.parametrize("name", ["hdr-header-footer", "comments-rich-para", "sct-first-page-hdrftr"])
def test_track_changes_in_headers_footers_and_comments(name: str) -> None:
    damaged_text = SAMPLE.read_text(encoding="utf-8").replace("\n", "")
    data = sinicized((DOCX / f"{name}.docx").read_bytes(), damaged_text)  # damaged text in Word's own runs
    _, tracked = convert_docx(data, Options(formats=("docx",), to="simplified", track_changes=True))
    _, plain = convert_docx(data, Options(formats=("docx",), to="simplified"))
    parts = [p for p in members(data) if re.fullmatch(r"word/(document|header\d|footer\d|comments)\.xml", p)]
    revised = 0
    for part in parts:
        assert resolve(tracked, True, part) == resolve(plain, True, part), part
        assert resolve(tracked, False, part) == resolve(data, False, part), part
        revised += part != "word/document.xml" and b"<w:del " in members(tracked)[part]
    assert revised >= 1


def test_unrecovered_mojibake_gets_a_comment_in_the_documents_script() -> None:
    data = docx_with_runs([[("第二段孤?zàn", False), (")砘[(lài)客。", True)]])
    document, out = convert_docx(data, Options(formats=("docx",), to="traditional", track_changes=True))
    assert resolve(out, accept=True) == resolve(out, accept=False) == ["第二段孤?zàn)砘[(lài)客。"]
    comments = etree.fromstring(members(out)["word/comments.xml"])
    assert ["".join(c.itertext()) for c in comments.iter(w("comment"))] == ["疑似亂碼，保持原樣：?zàn)砘["]
    body = main_xml(out)
    assert len(list(body.iter(w("commentRangeStart")))) == len(list(body.iter(w("commentReference")))) == 1
    assert docx.Document(io.BytesIO(out)).comments is not None


def test_guessed_characters_are_a_revision_with_a_comment() -> None:
    data = docx_with_runs([[("第一段,,難點", False), ("?;鶎狱h組織。", True)]])
    document, out = convert_docx(data, Options(formats=("docx",), track_changes=True))
    assert resolve(out, accept=True) == ["第一段，難點。基層黨組織。"]
    assert resolve(out, accept=False) == ["第一段,,難點?;鶎狱h組織。"]
    comments = etree.fromstring(members(out)["word/comments.xml"])
    assert ["".join(c.itertext()) for c in comments.iter(w("comment"))] == ["疑似亂碼，推測為「。」（原文：?;）"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 5), st.integers(0, 2**32 - 1), st.sampled_from([0, 40, 120]))
def test_fuzz_random_run_splits(line: int, seed: int, start: int) -> None:
    text = SAMPLE.read_text(encoding="utf-8").splitlines()[line][start : start + 120]
    rng = random.Random(seed)
    bounds = [0, *sorted({rng.randrange(1, len(text)) for _ in range(rng.randrange(1, 40))}), len(text)]
    pieces = [(text[a:b], rng.random() < 0.5) for a, b in zip(bounds, bounds[1:]) if b > a]
    data = docx_with_runs([pieces])
    _, out = convert_docx(data, Options(formats=("docx",)))
    expected = normalize(text)[0]
    assert paragraph_texts(out) == [expected]
    assert kept_boldness_differs([text], [expected], bold_by_character(data), bold_by_character(out)) == 0
    _, tracked = convert_docx(data, Options(formats=("docx",), track_changes=True))
    assert resolve(tracked, accept=True) == [expected] and resolve(tracked, accept=False) == [text]


def test_damage_in_a_table_cell_of_several_paragraphs() -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    cell.paragraphs[0].add_run("加強(")
    cell.paragraphs[0].add_run("qiáng)").bold = True
    cell.add_paragraph("基層,").add_run(",工作。(一)").italic = True
    out = io.BytesIO()
    document.save(out)
    text = "加強(qiáng)\n基層,,工作。(一)"
    _, converted = convert_docx(out.getvalue(), Options(formats=("docx",), to="simplified", track_changes=True))
    expected = convert(normalize(text)[0], "simplified", "traditional").split("\n")
    assert resolve(converted, accept=True)[:2] == expected == ["加强", "基层，工作。（一）"]
    assert resolve(converted, accept=False)[:2] == text.split("\n")


# --- bad input ------------------------------------------------------------------------------------------


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "old.doc",
            OLE + b"WordDocument".decode().encode("utf-16-le"),
            "Word 97 .doc is not supported; save it as .docx",
        ),
        ("locked.docx", OLE + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
        ("broken.docx", b"PK\x03\x04 this is not really a zip", "corrupt"),
        ("archive.docx", "zip", "not a Word document"),
        ("cut.docx", "cut", "corrupt"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(tmp_path: Path, name: str, content, message: str) -> None:
    if content == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "not a document")
        content = buffer.getvalue()
    elif content == "cut":
        content = (DOCX / "zh-report.docx").read_bytes()[:3000]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read(path)
    assert message in str(raised.value) and str(path) in str(raised.value) and "\n" not in str(raised.value)


def test_cli_reports_bad_word_files_and_converts_the_rest(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "old.doc").write_bytes(OLE)
    shutil.copy(DOCX / "zh-report.docx", tmp_path / "in" / "good.docx")
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(tmp_path / "in" / "old.doc"),
            str(tmp_path / "in" / "good.docx"),
            "-o",
            str(tmp_path / "out"),
            "-f",
            "docx",
            "--to",
            "traditional",
            "--track-changes",
        ],
    )
    assert result.exit_code == 1
    assert "old.doc: Word 97 .doc is not supported; save it as .docx first" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == ["good.docx"]
    out = (tmp_path / "out" / "good.docx").read_bytes()
    assert resolve(out, accept=True)[0] == "基層黨建工作簡報"
    assert resolve(out, accept=False)[0] == "基层党建工作简报"


# --- fonts embedded -------------------------------------------------------------------------------------


def embedded_font(data: bytes) -> tuple[str, set[int]]:
    """The family name and the code points of the font embedded in a .docx (deobfuscated)."""
    from fontTools.ttLib import TTFont

    from converter.formats.docx.embed import obfuscate

    parts = members(data)
    table = etree.fromstring(parts["word/fontTable.xml"])
    embed = next(table.iter(w("embedRegular")))
    font = TTFont(io.BytesIO(obfuscate(parts["word/fonts/font1.odttf"], embed.get(w("fontKey")))))
    assert embed.getparent().get(w("name")) == font["name"].getDebugName(1)
    settings = etree.fromstring(parts["word/settings.xml"])
    assert settings.find(w("embedTrueTypeFonts")) is not None and settings.find(w("saveSubsetFonts")) is not None
    assert b'Extension="odttf"' in parts["[Content_Types].xml"]
    return font["name"].getDebugName(1), set(font.getBestCmap())


def test_embed_fonts_in_place_and_in_rendered_documents(tmp_path: Path) -> None:
    options = Options(to="traditional", formats=("docx",), embed_fonts=True)
    document, patched = convert_docx((DOCX / "zh-report.docx").read_bytes(), options)
    family, covered = embedded_font(patched)
    assert family == "Noto Serif CJK TC"
    assert {ord(c) for c in "基層黨建工作簡報數據截至"} <= covered and ord("简") not in covered
    assert len(members(patched)["word/fonts/font1.odttf"]) < 200_000  # a subset, not the 10 MB face
    assert {f.get(w("eastAsia")) for f in main_xml(patched).iter(w("rFonts"))} <= {family}
    source = tmp_path / "plain.txt"
    source.write_text("4月1日,,全省加強(qiáng)基層黨組織建設工作。\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["convert", str(source), "-o", str(tmp_path / "out"), "-f", "docx", "--embed-fonts"]
    )
    assert result.exit_code == 0, result.output
    family, covered = embedded_font((tmp_path / "out" / "plain.docx").read_bytes())
    assert family == "Noto Serif CJK TC" and ord("黨") in covered


# --- LibreOffice reads what we write --------------------------------------------------------------------

NO_CJK_FONTS = """<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>
<cachedir>{cache}</cachedir></fontconfig>"""


def soffice(tmp_path: Path, target: str, files: list[Path], fontconfig: bool = False) -> Path:
    out = tmp_path / target.split(":")[0]
    env = None
    if fontconfig:  # a machine without CJK fonts: only DejaVu (and whatever a document embeds)
        config = tmp_path / "fonts.conf"
        config.write_text(NO_CJK_FONTS.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    command = ["soffice", profile, "--headless", "--convert-to", target, "--outdir", str(out), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=180, env=env)
    return out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_every_output_and_reads_the_converted_text(tmp_path: Path, damaged) -> None:
    to_traditional = Options(to="traditional", formats=("docx",))
    outputs = {
        "report": convert_docx((DOCX / "zh-report.docx").read_bytes(), to_traditional),
        "headers": convert_docx(word_made("hdr-header-footer"), to_traditional),
        "damaged": convert_docx(damaged[1], to_traditional),
        "embedded": convert_docx((DOCX / "zh-report.docx").read_bytes(), to_traditional.evolve(embed_fonts=True)),
    }
    for name, (_, data) in outputs.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    pdfs = soffice(tmp_path, "pdf", [tmp_path / f"{name}.docx" for name in outputs], fontconfig=True)
    for name, (document, _) in outputs.items():
        pdf = pdfs / f"{name}.pdf"
        read_back = re.sub(
            r"\s", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        )
        body = [re.sub(r"\s", "", p) for b in document.blocks if isinstance(b, (Heading, Paragraph)) for p in [b.text]]
        assert all(p in read_back for p in body if p), name
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert ("NotoSerifCJKtc-Regular" in fonts) == (name == "embedded"), fonts  # the embedded face is used


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_every_tracked_change(tmp_path: Path, damaged) -> None:
    lines, data = damaged
    document, out = convert_docx(data, Options(formats=("docx",), to="simplified", track_changes=True))
    (tmp_path / "tracked.docx").write_bytes(out)
    saved = (soffice(tmp_path, "docx:MS Word 2007 XML", [tmp_path / "tracked.docx"]) / "tracked.docx").read_bytes()
    assert resolve(saved, accept=True) == list(document.paragraphs)
    assert resolve(saved, accept=False) == lines


def test_word_indents_and_trailing_spaces_are_kept(tmp_path) -> None:
    """Word lays a paragraph out by its properties: a leading tab (after a footnote number) is meant."""
    source = tmp_path / "tabs.docx"
    made = docx.Document()
    made.add_paragraph("\t腳註文字,,第二句 ")
    made.add_paragraph("　　全角縮進的段落,。")
    made.save(source)
    result = convert_file(source, tmp_path / "out" / "tabs", Options(formats=("docx",)))
    assert result.status == "converted", result.error
    texts = [p.text for p in docx.Document(tmp_path / "out" / "tabs.docx").paragraphs]
    assert texts == ["\t腳註文字，第二句 ", "　　全角縮進的段落。"]
