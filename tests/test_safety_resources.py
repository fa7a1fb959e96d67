"""The boundary for files a document refers to: a Markdown image is read only from the document's own
folder (or --resources), only up to a size, only when it decodes as an image, only for DOCX/PDF output;
otherwise its alt text stands in, with a warning naming the reason. Remote images are never fetched."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from measured import zhdoc
from PIL import Image
from pypdf import PdfReader

from converter.cli import main
from converter.options import Options
from converter.pipeline import convert_file

FIXTURES = Path(__file__).parent.parent / "fixtures"
LOGO = (FIXTURES / "markdown" / "images" / "logo.png").read_bytes()
OUTSIDE = "image outside the document's folder not read"


def png(width: int = 30, height: int = 20, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "red" if mode == "RGB" else 1).save(out, "PNG")
    return out.getvalue()


def docx_media(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as archive:
        return [archive.read(name) for name in archive.namelist() if name.startswith("word/media/")]


def pdf_images(path: Path) -> int:
    """The image XObjects drawn on the pages of a PDF."""
    count = 0
    for page in PdfReader(path).pages:
        objects = page["/Resources"].get("/XObject", {})
        count += sum(1 for x in objects.values() if x.get_object()["/Subtype"] == "/Image")
    return count


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """tmp/in/doc (the document's folder) and tmp/secret (outside it), with a real PNG in secret."""
    (tmp_path / "in" / "doc").mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "p.png").write_bytes(png(31, 17))
    return tmp_path


def convert(tree: Path, markdown: str, formats: tuple[str, ...] = ("docx", "pdf"), **options) -> list[str]:
    """Convert in/doc/a.md (holding ``markdown``) into out/; its warnings (it must convert)."""
    source = tree / "in" / "doc" / "a.md"
    source.write_text(f"# 標題\n\n{markdown}\n\n正文。\n", encoding="utf-8")
    result = convert_file(source, tree / "out" / "a", Options(formats=formats, **options))
    assert result.status == "converted", result.error
    return result.warnings


def embedded(tree: Path) -> tuple[list[bytes], int]:
    return docx_media(tree / "out" / "a.docx"), pdf_images(tree / "out" / "a.pdf")


def test_the_leads_case_a_gif_text_outside_the_folder_is_never_stored(tree: Path) -> None:
    (tree / "secret" / "note.gif").write_bytes(b"GIF89a private, not an image")
    (tree / "in" / "doc" / "a.md").write_text("![x](../../secret/note.gif)\n", encoding="utf-8")
    out = tree / "out"
    result = CliRunner().invoke(main, ["convert", str(tree / "in" / "doc" / "a.md"), "-o", str(out), "-f", "docx,pdf"])
    assert result.exit_code == 0
    assert f"1 {OUTSIDE}, its alt text stands in: ../../secret/note.gif" in result.output
    assert docx_media(out / "a.docx") == [] and pdf_images(out / "a.pdf") == 0
    assert b"private" not in b"".join(
        zipfile.ZipFile(out / "a.docx").read(n) for n in zipfile.ZipFile(out / "a.docx").namelist()
    )


@pytest.mark.parametrize(
    "src",
    ["../../secret/p.png", "..%2F..%2Fsecret%2Fp.png", "{tree}/secret/p.png", "file-link.png", "dir-link/p.png"],
)
def test_an_image_outside_the_folder_is_not_read(tree: Path, src: str) -> None:
    os.symlink(tree / "secret" / "p.png", tree / "in" / "doc" / "file-link.png")
    os.symlink(tree / "secret", tree / "in" / "doc" / "dir-link")
    warnings = convert(tree, f"![外圖]({src.format(tree=tree)})")
    assert any(OUTSIDE in warning for warning in warnings), warnings
    assert embedded(tree) == ([], 0)


def test_an_image_in_the_folder_or_a_link_within_it_is_embedded(tree: Path) -> None:
    images = {"logo.png": LOGO, "b.png": png(5, 5), "c d.png": png(6, 6)}
    (tree / "in" / "doc" / "img").mkdir()
    for name, data in images.items():
        (tree / "in" / "doc" / "img" / name).write_bytes(data)
    os.symlink(tree / "in" / "doc" / "img" / "b.png", tree / "in" / "doc" / "link.png")
    warnings = convert(tree, "![標誌](img/logo.png)\n\n![連結](link.png)\n\n![編碼](img%2Fc%20d.png)")
    assert not any("image" in warning for warning in warnings), warnings
    media, drawn = embedded(tree)
    assert sorted(media) == sorted(images.values()) and drawn == 3


def test_resources_names_another_allowed_folder(tree: Path) -> None:
    warnings = convert(tree, "![外圖](../../secret/p.png)", resources=str(tree / "secret"))
    assert not any("image" in warning for warning in warnings), warnings
    assert embedded(tree) == ([(tree / "secret" / "p.png").read_bytes()], 1)


def test_resources_from_the_command_line(tree: Path) -> None:
    (tree / "in" / "doc" / "a.md").write_text("![外圖](../../secret/p.png)\n", encoding="utf-8")
    args = ["convert", str(tree / "in" / "doc" / "a.md"), "-o", str(tree / "out"), "-f", "docx"]
    assert CliRunner().invoke(main, [*args, "--resources", str(tree / "secret")]).exit_code == 0
    assert docx_media(tree / "out" / "a.docx") == [(tree / "secret" / "p.png").read_bytes()]


@pytest.mark.parametrize("head", [b"GIF89a", b"GIF87a", b"BM", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0"])
def test_a_file_with_an_image_signature_that_does_not_decode_is_not_stored(tree: Path, head: bytes) -> None:
    (tree / "in" / "doc" / "fake.gif").write_bytes(head + "機密的文字，不是圖片".encode() * 20)
    warnings = convert(tree, "![假圖](fake.gif)")
    assert any(
        "local file not a PNG, JPEG, GIF or BMP image, its alt text stands in: fake.gif" in w for w in warnings
    ), warnings
    assert embedded(tree) == ([], 0)


def test_a_file_over_the_size_cap_is_not_read(tree: Path) -> None:
    with open(tree / "in" / "doc" / "huge.png", "wb") as handle:  # a PNG's bytes, then 21 MB of nothing
        handle.write(LOGO)
        handle.truncate(21 * 1024 * 1024)
    warnings = convert(tree, "![大圖](huge.png)")
    assert any(
        "image over 20 MB or 50 megapixels not embedded, its alt text stands in: huge.png" in w for w in warnings
    )
    assert embedded(tree) == ([], 0)


def test_a_pixel_bomb_is_refused_before_it_is_decoded(tree: Path) -> None:
    bomb = png(10_000, 10_000, mode="1")  # 100 megapixels in a few KB
    assert len(bomb) < 100_000
    (tree / "in" / "doc" / "bomb.png").write_bytes(bomb)
    warnings = convert(tree, "![炸彈](bomb.png)")
    assert any("image over 20 MB or 50 megapixels" in w and "bomb.png" in w for w in warnings), warnings
    assert embedded(tree) == ([], 0)


def test_one_image_named_many_times_is_read_once_and_the_documents_images_are_capped(tree: Path, monkeypatch) -> None:
    from converter import resources
    from converter.document import Image as ImageBlock
    from converter.readers import read

    (tree / "in" / "doc" / "a.png").write_bytes(png(300, 300))
    (tree / "in" / "doc" / "b.png").write_bytes(png(301, 300))
    size = len(png(300, 300))
    monkeypatch.setattr(resources, "MAX_DOCUMENT_BYTES", size + len(png(301, 300)) // 2)
    (tree / "in" / "doc" / "a.md").write_text("![甲](a.png)\n\n" * 500 + "![乙](b.png)\n", encoding="utf-8")
    document = read(tree / "in" / "doc" / "a.md")
    data = [block.data for block in document.blocks if isinstance(block, ImageBlock)]
    assert len(data) == 501 and len({id(d) for d in data[:500]}) == 1 and data[-1] is None  # one copy of a.png
    budget = next(w for w in document.warnings if "past the document's limit" in w)
    assert budget.startswith("1 image past the document's limit of 0 MB of images, its alt text stands in: b.png")


def test_a_missing_image_or_a_folder_or_a_fifo_gives_the_alt_text(tree: Path) -> None:
    (tree / "in" / "doc" / "folder.png").mkdir()
    os.mkfifo(tree / "in" / "doc" / "pipe.png")  # opened without blocking, then refused
    warnings = convert(tree, "![無](none.png)\n\n![夾](folder.png)\n\n![管](pipe.png)")
    assert any(
        "3 local images not found, their alt text stands in: none.png, folder.png, pipe.png" in w for w in warnings
    )
    assert embedded(tree) == ([], 0)


@pytest.mark.parametrize("formats", [("txt",), ("md",), ("txt", "md")])
def test_no_image_is_read_for_text_outputs(tree: Path, formats: tuple[str, ...]) -> None:
    (tree / "in" / "doc" / "fake.png").write_bytes(b"\x89PNG not really")
    warnings = convert(tree, "![外圖](../../secret/p.png)\n\n![假](fake.png)\n\n![無](none.png)", formats=formats)
    assert not any("image" in warning for warning in warnings), warnings


def test_a_huge_file_is_never_loaded_for_any_format(tmp_path: Path) -> None:
    """A 1 GB (sparse) file named as an image: for TXT not opened, for DOCX refused by its size; the
    converting process stays far below the file's size either way."""
    (tmp_path / "a.md").write_text("# 標題\n\n![大](huge.png)\n\n正文。\n", encoding="utf-8")
    with open(tmp_path / "huge.png", "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(1024 * 1024 * 1024)
    for formats in ("txt", "docx"):
        code, output, peak_mb = zhdoc("convert", str(tmp_path / "a.md"), "-o", str(tmp_path / formats), "-f", formats)
        assert code == 0, output
        assert peak_mb < 500, peak_mb  # (DOCX output loads the font's tables)


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(LOGO)

    def log_message(self, *args) -> None:
        pass


def test_remote_images_are_never_fetched(tree: Path) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"127.0.0.1:{server.server_address[1]}"
        markdown = (
            f"![遠](http://{base}/a.png)\n\n![協定相對](//{base}/b.png)\n\n"
            f'[![徽章](http://{base}/c.png)](http://{base}/page)\n\n文中 ![內](http://{base}/d.png) 圖\n\n<img src="http://{base}/e.png">'
        )
        warnings = convert(tree, markdown, formats=("docx", "pdf", "txt", "md"))
    finally:
        server.shutdown()
    assert _Counter.hits == []
    assert any("remote images not fetched" in warning for warning in warnings), warnings
    assert embedded(tree) == ([], 0)
