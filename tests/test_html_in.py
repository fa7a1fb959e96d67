"""HTML in: a saved page's main content becomes the tree; navigation, scripts and footers stay out."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import html

from converter.document import Code, Heading, Image, ListItem, Paragraph, Quote, Table
from converter.errors import InputError
from converter.formats.html.read import parse
from converter.options import Options
from converter.pipeline import convert_file
from converter.readers import format_of, read
from converter.resources import NO_IMAGES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
NAVIGATION = ("首页", "新闻中心", "关于本站", "登录", "数码", "分享到", "相关文章", "旧手机", "版权所有", "ICP")


def flat(blocks):
    for block in blocks:
        if isinstance(block, Quote):
            yield from flat(block.blocks)
        else:
            yield block


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    """The mirror page in a folder of its own, with an image beside it and one outside its folder."""
    folder = tmp_path / "site"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("debian"))
    shutil.copy(FIXTURES / "images" / "disk.png", tmp_path / "outside.png")
    return folder / "mirror-gb.html"


def test_html_suffixes_go_to_the_html_reader():
    assert [format_of(name) for name in ("a.html", "b.HTM", "c.xhtml")] == ["html"] * 3


def test_a_mirrored_page_gives_its_article_without_the_sites_navigation(mirror: Path):
    document = read(mirror)
    assert document.encoding == "gb18030"  # declared gb2312 in <meta http-equiv>: read as its superset
    blocks = list(flat(document.blocks))
    assert [(b.text, b.level) for b in blocks if isinstance(b, Heading)] == [
        ("如何备份家里的照片", 1),
        ("一、准备工作", 2),
        ("二、复制", 2),
        ("注意", 3),
    ]
    for word in NAVIGATION + ("统计", "宋体", "请打开脚本", "小站镜像"):  # nor script, style, noscript, title
        assert word not in document.text, word
    assert "三份拷贝，两种介质，一份放在别处。" in document.text  # a line break between Han is nothing
    assert "每年检查一次\xa0备份" in document.text  # &nbsp; is a character, not a space to collapse


def test_pre_is_verbatim_and_lists_tables_quotes_keep_their_shape(mirror: Path):
    blocks = list(flat(read(mirror).blocks))
    assert [b.text for b in blocks if isinstance(b, Code)] == ["$ du -sh ~/照片\n 38G\t/home/lin/照片"]
    assert [(b.text, b.level) for b in blocks if isinstance(b, ListItem)] == [
        ("一块移动硬盘", 0),
        ("一个网盘账号（例如这个）", 0),
        ("耐心", 0),
        ("至少一个下午", 1),
    ]
    link = next(s for b in blocks if isinstance(b, ListItem) for s in b.inlines if s.url)
    assert (link.text, link.url) == ("例如这个", "https://example.com/")
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.header and [[c.text for c in row] for row in table.rows][1] == ["移动硬盘", "2 TB", "约五年"]
    quote = next(b for b in read(mirror).blocks if isinstance(b, Quote))
    assert [b.text for b in quote.blocks] == ["备份不检查，等于没备份。"]
    code = next(b for b in blocks if isinstance(b, Paragraph) and "rsync" in b.text)
    assert [(s.text, "code" in s.style) for s in code.inlines] == [
        ("用 ", False),
        ("rsync", True),
        (" 复制，中断了也能接着来。", False),
    ]


def test_only_images_inside_the_pages_folder_are_read(mirror: Path):
    document = read(mirror)
    images = [b for b in flat(document.blocks) if isinstance(b, Image)]
    assert [(i.src, i.text, i.data is not None) for i in images] == [
        ("images/disk.png", "移动硬盘的照片", True),
        ("../outside.png", "目录外的图片", False),  # the file exists, one folder up: never read
    ]
    assert images[0].data == (FIXTURES / "images" / "disk.png").read_bytes()
    assert any("image outside the document's folder not read" in str(w) for w in document.warnings)


def test_a_page_reads_images_as_markdown_does_only_real_ones_and_only_for_formats_that_embed_them(tmp_path: Path):
    """The same boundary as Markdown's (``converter.resources``): a text file that starts like a GIF is no
    image, and for TXT output no image file is opened at all."""
    (tmp_path / "fake.gif").write_bytes(b"GIF89a private, not an image")
    shutil.copy(FIXTURES / "images" / "disk.png", tmp_path / "real.png")
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><main><h1>图</h1><p>正文。</p><p><img src='fake.gif' alt='假图'></p>"
        "<p><img src='real.png' alt='真图'></p></main></body></html>",
        encoding="utf-8",
    )
    result = convert_file(page, tmp_path / "out" / "page", Options(formats=("docx",)))
    assert result.status == "converted", result.error
    with zipfile.ZipFile(tmp_path / "out" / "page.docx") as docx:
        media = [docx.read(name) for name in docx.namelist() if name.startswith("word/media/")]
    assert media == [(FIXTURES / "images" / "disk.png").read_bytes()]
    assert any("fake.gif" in str(w) and "alt text stands in" in str(w) for w in result.warnings)
    images = [b for b in flat(read(page, images=NO_IMAGES).blocks) if isinstance(b, Image)]
    assert [(i.text, i.data) for i in images] == [("假图", None), ("真图", None)]


def test_whole_page_keeps_the_navigation_but_never_scripts(mirror: Path):
    document = parse(mirror.read_bytes(), str(mirror), whole_page=True)
    for word in ("首页", "新闻中心", "分享到微博", "版权所有"):
        assert word in document.text
    assert "统计" not in document.text and "宋体" not in document.text


def test_big5_page_with_header_article_and_aside():
    document = read(FIXTURES / "article-big5.htm")
    assert document.encoding == "big5hkscs"
    assert [b.text for b in document.blocks if isinstance(b, Heading)] == ["山中筆記", "路線", "裝備清單"]
    assert "首頁" not in document.text and "熱門文章" not in document.text and "轉載" not in document.text
    items = [b.text for b in document.blocks if isinstance(b, ListItem)]
    assert items == ["從車站步行到登山口", "沿溪谷上行\n約兩小時"]  # <br> is a line break
    assert [b.text for b in document.blocks if isinstance(b, Code)] == ["背包   30 升\n水     兩瓶\n雨衣   一件"]


def test_encoding_bom_first_then_declaration_then_detection():
    page = "<html><head><meta charset='gb2312'></head><body><p>繁體中文的段落，用來測試編碼。</p></body></html>"
    assert parse(b"\xef\xbb\xbf" + page.encode("utf-8")).encoding == "utf-8-sig"  # the BOM wins
    wrong = parse(page.encode("big5"))  # declares gb2312, is Big5: the declaration does not decode
    assert wrong.encoding == "big5hkscs" and "繁體中文的段落" in wrong.text
    assert parse(page.encode("big5"), encoding="big5").encoding == "big5"  # --encoding wins over all


@pytest.mark.parametrize("label", ["utf-7", "unicode_escape", "raw_unicode_escape", "punycode", "idna", "undefined"])
def test_a_label_naming_a_python_codec_no_browser_has_is_not_used(label: str):
    document = parse(f'<meta charset="{label}"><p>abc \\u4e2d +ZeVnLA-</p>'.encode(), "a.html")  # (ASCII only)
    assert document.text == "abc \\u4e2d +ZeVnLA-\n"  # neither decoded as an escape nor an internal error


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252", "koi8-r", "utf-16", "utf-16be"])
def test_a_wrong_label_over_utf8_bytes_is_not_believed(label: str):
    document = parse(f'<meta charset="{label}"><p>中文简体字测试内容，这是一段文字。</p>'.encode())
    assert (document.encoding, document.text) == ("utf-8", "中文简体字测试内容，这是一段文字。\n")
    latin = parse('<meta charset="iso-8859-1"><p>Café crème</p>'.encode("latin-1"))  # a right label: kept
    assert (latin.encoding, latin.text) == ("iso-8859-1", "Café crème\n")


@pytest.mark.parametrize("data", [b"", b"   \n", b"<html></html>"])
def test_empty_pages_are_refused_or_empty(data: bytes):
    if data.strip():
        assert parse(data, "a.html").blocks == ()
    else:
        with pytest.raises(InputError, match="a.html: empty file"):
            parse(data, "a.html")


def test_hostile_pages_deep_and_wide_are_read_without_recursion_errors():
    deep = b"<div>" * 200 + "深處的文字".encode() + b"</div>" * 200  # past the builder's own depth limit
    assert parse(deep).text == "深處的文字\n"
    with pytest.raises(InputError, match="a.html: elements nested too deeply"):  # libxml2 would drop the rest
        parse(b"<div>" * 5000 + "更深".encode() + b"</div>" * 5000 + "後文".encode(), "a.html")
    wide = b"<p>" + "字<b>粗</b>".encode() * 20000 + b"</p>"
    assert parse(wide).text.count("粗") == 20000


def test_a_text_node_over_libxml2s_10_mb_buffer_is_read_whole_not_dropped():
    text = "長段落的文字。" * (11 * 1024 * 1024 // 21)  # 11 MB of UTF-8 in one text node
    document = parse(f"<html><body><p>{text}</p><p>後文</p></body></html>".encode())
    assert document.text == text + "\n後文\n"


def test_one_long_text_node_with_white_space_collapses_as_a_short_one():
    # (display() once built each span's text by += on a list item: a copy per character, 8 s for 1 MB)
    text = "甲\n乙  b   c " * 50_000
    document = parse(f"<html><body><p>{text}</p></body></html>".encode())
    assert document.text == ("甲乙 b c " * 50_000).strip() + "\n"


@pytest.mark.parametrize(
    ("page", "expected"),
    [  # a block standing in a row, not in a cell (libxml2 leaves it there): its text is read, not lost
        ("<table><tr><td>甲</td><span>乙</span></tr></table>", "甲 | 乙\n"),
        ("<table><td>甲<tr><div>乙</table>", "甲\n乙\n"),  # (a div makes it a layout table)
    ],
)
def test_text_standing_in_a_table_row_outside_any_cell_is_kept(page: str, expected: str):
    assert parse(page.encode()).text == expected


@pytest.mark.parametrize("name", ["checkit.zh-tw.html", "upload.zh-tw.html"])
def test_debian_pages_every_heading_and_pre_no_navigation(name: str):
    path = FIXTURES / "debian" / name
    root = html.fromstring(path.read_bytes())
    document = read(path)
    blocks = list(flat(document.blocks))
    headings = [" ".join("".join(h.itertext()).split()) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert [" ".join(b.text.split()) for b in blocks if isinstance(b, Heading)] == headings
    pres = ["".join(p.itertext()).removeprefix("\n").rstrip("\n") for p in root.iter("pre")]
    assert [b.text for b in blocks if isinstance(b, Code)] == pres
    for word in ("前一頁", "下一頁", "起始頁", "內容目錄"):  # the navigation header and footer, the contents
        assert word not in document.text


def test_convert_a_page_to_text_and_markdown(tmp_path: Path):
    result = convert_file(
        FIXTURES / "article-big5.htm", tmp_path / "out", Options(formats=("txt", "md"), to="simplified")
    )
    assert not result.error
    text = (tmp_path / "out.txt").read_text("utf-8")
    assert "山中笔记" in text and "清晨五点出发" in text and "首頁" not in text and "首页" not in text
    assert "## 路线" in (tmp_path / "out.md").read_text("utf-8")


def test_cli_convert_a_page_and_a_book_whole_page_kept_on_request(tmp_path: Path):
    from conftest import run_zhdoc

    page = FIXTURES / "article-big5.htm"
    book = FIXTURES.parent / "epub" / "traditional2.epub"
    result = run_zhdoc("convert", page, book, "-o", tmp_path, "-f", "txt", "--to", "simplified", "-q")
    assert result.returncode == 0, result.stderr.decode()
    assert "首页" not in (tmp_path / "article-big5.txt").read_text("utf-8")
    assert "冬天的海风很大" in (tmp_path / "traditional2.txt").read_text("utf-8")
    whole = tmp_path / "whole"
    result = run_zhdoc("convert", page, "-o", whole, "-f", "txt", "--to", "simplified", "--whole-page", "-q")
    assert result.returncode == 0 and "首页" in (whole / "article-big5.txt").read_text("utf-8")


def test_cli_a_broken_book_is_one_line_and_exit_1(tmp_path: Path):
    from conftest import run_zhdoc

    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    result = run_zhdoc("convert", broken, "-o", tmp_path, "-f", "txt", "-q")
    assert result.returncode == 1
    assert f"{broken}: not an EPUB (not a zip archive)" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
