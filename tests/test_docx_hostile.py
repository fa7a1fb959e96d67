"""Hostile Word files: DTDs and entities, parts that are not XML, deep nesting, zip bombs, odd names,
external relationships. Each gets an output or a one-line error naming the file and the part."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from measured import zhdoc
from pypdf import PdfReader

from converter import archive
from converter.cli import main
from converter.options import Options
from converter.pipeline import convert_file
from converter.readers import read

DOCX = Path(__file__).parent.parent / "fixtures" / "docx"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SECRET = "機密內容不可讀出"


def rebuilt(source: Path | bytes, changes: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of a .docx with members replaced (None: left out) and ``extra`` members added."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            content = changes.get(info.filename, archive.read(info))
            if content is not None:
                target.writestr(info, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    """``xml`` with ``doctype`` after its XML declaration (at the start if it has none)."""
    end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    return xml[:end] + doctype + xml[end:]


def failure(tmp_path: Path, data: bytes, options: Options = Options(formats=("docx", "txt"), to="traditional")) -> str:
    """Convert ``data`` as a file; the one-line error (and no output written)."""
    source = tmp_path / "in.docx"
    source.write_bytes(data)
    result = convert_file(source, tmp_path / "out" / "in", options)
    assert result.status == "failed" and "\n" not in result.error and str(source) in result.error
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return result.error


# --- DTDs and entities (issue 24) -------------------------------------------------------------------------

PARTS = [  # (fixture, part): every kind of part that is read, patched or copied
    ("zh-report", "word/document.xml"),
    ("hdr-header-footer", "word/header1.xml"),
    ("hdr-header-footer", "word/footer2.xml"),
    ("zh-report", "word/footnotes.xml"),
    ("hdr-header-footer", "word/endnotes.xml"),
    ("comments-rich-para", "word/comments.xml"),
    ("zh-report", "word/styles.xml"),
    ("zh-report", "word/numbering.xml"),
    ("zh-report", "word/settings.xml"),
    ("zh-report", "word/fontTable.xml"),
    ("zh-report", "word/_rels/document.xml.rels"),
    ("zh-report", "_rels/.rels"),
    ("zh-report", "[Content_Types].xml"),
    ("zh-report", "docProps/core.xml"),
    ("zh-report", "docProps/custom.xml"),
    ("hdr-header-footer", "word/theme/theme1.xml"),
]


@pytest.mark.parametrize(("fixture", "part"), PARTS)
def test_a_dtd_in_any_part_is_refused_naming_the_part(tmp_path: Path, fixture: str, part: str) -> None:
    source = DOCX / f"{fixture}.docx"
    data = rebuilt(source, {part: with_doctype(member(source.read_bytes(), part), b'<!DOCTYPE x [<!ENTITY e "v">]>')})
    assert failure(tmp_path, data).endswith(f"in.docx: corrupt .docx: {part} declares a DTD")


@pytest.mark.parametrize("option", ["track_changes", "embed_fonts"])
def test_a_dtd_is_refused_on_the_in_place_paths_too(tmp_path: Path, option: str) -> None:
    source = DOCX / "zh-report.docx"
    settings = with_doctype(member(source.read_bytes(), "word/settings.xml"), b"<!DOCTYPE w:settings>")
    options = Options(formats=("docx",), to="traditional", **{option: True})
    assert "word/settings.xml declares a DTD" in failure(
        tmp_path, rebuilt(source, {"word/settings.xml": settings}), options
    )


ISSUE_24 = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
    '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    f"<w:document {W_NS}><w:body><w:p><w:r><w:t>前文&x;後文</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>4月1日,,全省</w:t></w:r></w:p></w:body></w:document>"
)


def test_issue_24_external_entity_in_a_doctype_is_an_error_not_a_broken_output(tmp_path: Path) -> None:
    (tmp_path / "doc.docx").write_bytes(rebuilt(DOCX / "zh-report.docx", {"word/document.xml": ISSUE_24.encode()}))
    result = CliRunner().invoke(
        main, ["convert", str(tmp_path / "doc.docx"), "-o", str(tmp_path / "out"), "-f", "docx,txt"]
    )
    assert result.exit_code == 1
    assert "doc.docx: corrupt .docx: word/document.xml declares a DTD" in result.output
    assert not list((tmp_path / "out").glob("doc.*"))


XXE = {
    "external entity": f'<!DOCTYPE w:document [<!ENTITY e SYSTEM "file://{{secret}}">]><w:document {W_NS}>'
    "<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>",
    "parameter entity": f'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file://{{secret}}"> %p;]><w:document {W_NS}>'
    "<w:body><w:p><w:r><w:t>文</w:t></w:r></w:p></w:body></w:document>",
    "external DTD": f'<!DOCTYPE w:document SYSTEM "file://{{secret}}"><w:document {W_NS}>'
    "<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>",
    "billion laughs": "<!DOCTYPE w:document [<!ENTITY a0 'lol'>"
    + "".join(f"<!ENTITY a{n} '{f'&a{n - 1};' * 10}'>" for n in range(1, 10))
    + f"]><w:document {W_NS}><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>",
}


@pytest.mark.parametrize("kind", list(XXE))
def test_xxe_and_entity_expansion_are_refused_and_nothing_is_read(tmp_path: Path, kind: str) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(f'<!ENTITY e "{SECRET}">', encoding="utf-8")
    data = rebuilt(DOCX / "zh-report.docx", {"word/document.xml": XXE[kind].format(secret=secret).encode()})
    error = failure(tmp_path, data)
    assert "word/document.xml declares a DTD" in error and SECRET not in error


def test_an_undeclared_entity_is_a_clean_error_naming_the_part(tmp_path: Path) -> None:
    xml = f"<w:document {W_NS}><w:body><w:p><w:r><w:t>前文&x;後文</w:t></w:r></w:p></w:body></w:document>"
    error = failure(tmp_path, rebuilt(DOCX / "zh-report.docx", {"word/document.xml": xml.encode()}))
    assert "corrupt .docx: word/document.xml is not well-formed XML (Entity 'x' not defined" in error


# --- parts that are not well-formed --------------------------------------------------------------------


@pytest.mark.parametrize(
    "part", ["word/document.xml", "word/styles.xml", "word/settings.xml", "docProps/app.xml", "[Content_Types].xml"]
)
def test_a_part_that_is_not_well_formed_is_an_error_never_recovered(tmp_path: Path, part: str) -> None:
    source = DOCX / "zh-report.docx"
    broken = member(source.read_bytes(), part).replace(b"</", b"<", 1)  # one closing tag gone wrong
    options = Options(formats=("docx", "txt"), to="traditional", track_changes=True, embed_fonts=True)
    assert f"corrupt .docx: {part} is not well-formed XML (" in failure(
        tmp_path, rebuilt(source, {part: broken}), options
    )


def deep(depth: int) -> bytes:
    """A main document whose one run sits ``depth`` insertions deep, after a damaged paragraph."""
    return (
        f"<w:document {W_NS}><w:body><w:p><w:r><w:t>4月1日,,全省</w:t></w:r></w:p><w:p>"
        + "<w:ins>" * depth
        + "<w:r><w:t>深層文字</w:t></w:r>"
        + "</w:ins>" * depth
        + "</w:p></w:body></w:document>"
    ).encode()


def test_xml_nested_two_thousand_deep_converts(tmp_path: Path) -> None:
    (tmp_path / "deep.docx").write_bytes(rebuilt(DOCX / "zh-report.docx", {"word/document.xml": deep(2000)}))
    options = Options(formats=("docx", "txt"), to="simplified", track_changes=True, embed_fonts=True)
    result = convert_file(tmp_path / "deep.docx", tmp_path / "out" / "deep", options)
    assert result.status == "converted", result.error
    assert (tmp_path / "out" / "deep.txt").read_text(encoding="utf-8").split("\n")[:2] == ["4月1日，全省", "深层文字"]
    parser = etree.XMLParser(huge_tree=True)
    root = etree.fromstring(member((tmp_path / "out" / "deep.docx").read_bytes(), "word/document.xml"), parser)
    assert max(len(list(t.iterancestors())) for t in root.iter()) > 2000


def test_xml_nested_past_the_parsers_limit_is_a_clear_error(tmp_path: Path) -> None:
    error = failure(tmp_path, rebuilt(DOCX / "zh-report.docx", {"word/document.xml": deep(5000)}))
    assert error.endswith("corrupt .docx: word/document.xml nests elements too deeply")


@pytest.mark.parametrize("flag", ["--embed-fonts", "--track-changes"])
def test_no_content_types_part_is_a_clear_error(tmp_path: Path, flag: str) -> None:
    (tmp_path / "bare.docx").write_bytes(rebuilt(DOCX / "zh-report.docx", {"[Content_Types].xml": None}))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(tmp_path / "bare.docx"), "-o", str(out), "-f", "docx", flag])
    assert result.exit_code == 1 and "bare.docx: corrupt .docx: no [Content_Types].xml" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


# --- zip bombs ------------------------------------------------------------------------------------------


def bomb(size: int) -> bytes:
    """zh-report.docx with an extra part of ``size`` bytes of XML that deflates to almost nothing."""
    padding = b"<pad>" + b" " * (size - 11) + b"</pad>"
    return rebuilt(DOCX / "zh-report.docx", {}, {"customXml/item9.xml": padding})


def test_a_part_over_the_cap_is_refused_before_it_is_inflated(tmp_path: Path, monkeypatch) -> None:
    data = bomb(8 * 1024 * 1024)
    assert len(data) < 60_000  # 8 MB inflated from a few KB
    monkeypatch.setattr(archive, "MAX_PART", 4 * 1024 * 1024)
    assert failure(tmp_path, data).endswith("in.docx: too large: customXml/item9.xml inflates to more than 4 MB")


def test_an_archive_inflating_past_its_ratio_is_refused(tmp_path: Path, monkeypatch) -> None:
    data = bomb(8 * 1024 * 1024)
    monkeypatch.setattr(archive, "MIN_TOTAL", 1024 * 1024)
    error = failure(tmp_path, data)
    limit = archive.size_text(100 * len(data))
    assert error.endswith(f"too large: its parts inflate to 8 MB in all (the limit for a file of this size is {limit})")


def test_a_header_that_lies_about_the_size_cannot_inflate_past_it(tmp_path: Path) -> None:
    data = bytearray(bomb(8 * 1024 * 1024))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("customXml/item9.xml")
    declared = (8 * 1024 * 1024).to_bytes(4, "little")
    assert data.count(declared) == 2  # the local header and the central directory
    data[:] = data.replace(declared, (1000).to_bytes(4, "little"))
    assert info.file_size == 8 * 1024 * 1024
    error = failure(tmp_path, bytes(data))
    assert "corrupt zip" in error and "customXml/item9.xml" in error


def streamed_bomb(path: Path, size: int) -> None:
    """zh-report.docx plus a part of ``size`` spaces, written in chunks (the test never holds it whole)."""
    shutil.copy(DOCX / "zh-report.docx", path)
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("word/bomb.xml", "w") as part:
        for _ in range(size // len(chunk)):
            part.write(chunk)


def test_a_real_bomb_is_refused_with_little_memory(tmp_path: Path) -> None:
    """300 MB in one part of a ~300 KB file, through the CLI in a process of its own: refused by the
    declared size, never inflated (the child's peak memory stays far below the part's size)."""
    streamed_bomb(tmp_path / "bomb.docx", 300 * 1024 * 1024)
    assert (tmp_path / "bomb.docx").stat().st_size < 1024 * 1024
    code, output, peak_mb = zhdoc("convert", str(tmp_path / "bomb.docx"), "-o", str(tmp_path / "out"), "-f", "txt")
    assert code == 1 and "bomb.docx: too large: word/bomb.xml inflates to more than 256 MB" in output
    assert peak_mb < 150, peak_mb


# --- what held ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../escaped.xml", "/abs/escaped.xml", "word/../../up.bin", "C:/x.xml"])
def test_a_part_named_outside_the_archive_refuses_the_file_and_nothing_is_written(tmp_path: Path, name) -> None:
    """Such a name is never a part of a valid package; copied on into the output it would escape the folder
    of whoever unzips it, so the file is refused in one line naming the part."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "slip.docx").write_bytes(rebuilt(DOCX / "zh-report.docx", {}, {name: b"<a/>"}))
    result = convert_file(tmp_path / "in" / "slip.docx", tmp_path / "out" / "slip", Options(formats=("docx", "txt")))
    assert result.status == "failed" and f"a part named outside the archive: {name}" in str(result.error)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["in", "in/slip.docx"]


def test_external_relationships_are_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret" / "header9.xml"
    secret.parent.mkdir()
    secret.write_text(f"<w:hdr {W_NS}><w:p><w:r><w:t>{SECRET}</w:t></w:r></w:p></w:hdr>", encoding="utf-8")
    source = DOCX / "zh-report.docx"
    rels = member(source.read_bytes(), "word/_rels/document.xml.rels").decode()
    header = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
    added = (
        f'<Relationship Id="rId90" Type="{header}" Target="file://{secret}" TargetMode="External"/>'
        f'<Relationship Id="rId91" Type="{header}" Target="../../secret/header9.xml" TargetMode="External"/>'
        '<Relationship Id="rId92" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
        f' Target="file://{secret}" TargetMode="External"/>'
    )
    (tmp_path / "in").mkdir()
    data = rebuilt(
        source, {"word/_rels/document.xml.rels": rels.replace("</Relationships>", added + "</Relationships>").encode()}
    )
    (tmp_path / "in" / "ext.docx").write_bytes(data)
    options = Options(formats=("docx", "txt", "pdf"), to="traditional", track_changes=True)
    assert convert_file(tmp_path / "in" / "ext.docx", tmp_path / "out" / "ext", options).status == "converted"
    assert SECRET not in read(tmp_path / "in" / "ext.docx").text
    assert SECRET not in (tmp_path / "out" / "ext.txt").read_text(encoding="utf-8")
    assert SECRET not in "".join(page.extract_text() for page in PdfReader(tmp_path / "out" / "ext.pdf").pages)
    with zipfile.ZipFile(tmp_path / "out" / "ext.docx") as archive:
        assert not any(SECRET.encode() in archive.read(name) for name in archive.namelist())
