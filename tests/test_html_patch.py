"""HTML in place: the same page with only its text changed (repaired and converted), every other byte kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.errors import InputError
from converter.formats.html.patch import patch
from converter.formats.html.read import parse_tree, sniff
from converter.formats.html.source import MARKUP, is_text_slot, slot_text, slots
from converter.formats.html.splice import SHOWN
from converter.options import Options
from converter.pipeline import process
from converter.readers import read
from converter.script import convert, detect

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"


def patched(path: Path, **options: object) -> bytes:
    chosen = Options(formats=("txt",), **options)
    return patch(process(read(path, whole_page=chosen.whole_page), chosen), chosen)


def markup(text: str, shown: bool = True) -> list[str]:
    """Every tag, comment, declaration and script of a source, as written (``shown`` off: without the
    values of alt and title attributes, which are text shown to a reader)."""
    tags = [match.group(0) for match in MARKUP.finditer(text)]
    return tags if shown else [SHOWN.sub(" alt=''", tag) for tag in tags]


def test_a_page_to_traditional_changes_its_text_and_nothing_else():
    source = FIXTURES / "mirror-gb.html"
    out = patched(source, to="traditional")
    before, after = source.read_bytes().decode("gb18030"), out.decode("gb18030")
    assert len(out) == len(source.read_bytes())  # one character for one: the page's own encoding kept
    tags_before, tags_after = markup(before), markup(after)
    changed = [(a, b) for a, b in zip(tags_before, tags_after) if a != b]
    assert changed == [
        (
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN">',
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-TW">',
        ),
        ('<img src="images/disk.png" alt="移动硬盘的照片" />', '<img src="images/disk.png" alt="移動硬盤的照片" />'),
        ('<img src="../outside.png" alt="目录外的图片" />', '<img src="../outside.png" alt="目錄外的圖片" />'),
    ]
    assert len(tags_before) == len(tags_after)
    assert '<script type="text/javascript">var 统计 = "不是正文";</script>' in after  # scripts never converted
    assert "<title>如何備份家裡的照片 - 小站鏡像</title>" in after  # the title and the navigation are
    assert '<a href="/">首頁</a> | <a href="/news/">新聞中心</a>' in after
    assert (
        "<p>家裡的照片越來越多，硬盤壞了就全沒了。這篇文章說說我的做法：<strong>三份拷貝</strong>，兩種介質，\n一份放在別處。</p>"
        in after
    )
    assert "每年檢查一次&nbsp;備份" in after and "&gt; 正文" in after  # entities as written
    assert "<pre>$ du -sh ~/照片\n 38G\t/home/lin/照片</pre>" in after  # pre verbatim
    assert "<code>rsync</code> 複製" in after


def test_nothing_to_change_gives_the_same_bytes():
    source = FIXTURES / "mirror-gb.html"
    assert patched(source, to="keep") == source.read_bytes()


def test_a_repair_is_written_into_its_text_node(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html lang="zh-TW"><body><article><h1>新聞</h1><p>今天<b>加強(qiáng)</b>基層，好嗎?</p>'
        "<p>第二段落有足夠的文字。</p></article></body></html>",
        "utf-8",
    )
    out = patched(page, to="keep").decode("utf-8")
    assert out == (
        '<html lang="zh-TW"><body><article><h1>新聞</h1><p>今天<b>加強</b>基層，好嗎？</p>'
        "<p>第二段落有足夠的文字。</p></article></body></html>"
    )


def test_characters_the_pages_encoding_lacks_become_character_references():
    source = FIXTURES / "article-big5.htm"
    out = patched(source, to="simplified")
    assert b"&#" in out  # Big5 has no Simplified forms
    text, codec = sniff(out)
    assert codec == "big5hkscs" and "&#35760;" in text  # 记
    assert "山中笔记" in _text_of(out) and "清晨五点出发" in _text_of(out)


def _text_of(data: bytes) -> str:
    return "".join(parse_tree(sniff(data)[0]).itertext())


@pytest.mark.parametrize("name", ["checkit.zh-tw.html", "upload.zh-tw.html"])
@pytest.mark.parametrize("repair", [False, True])
def test_debian_pages_to_simplified_markup_as_it_was_text_as_opencc_gives(name: str, repair: bool):
    source = FIXTURES / "debian" / name
    out = patched(source, to="simplified", repair=repair)
    before, after = source.read_text("utf-8"), out.decode("utf-8")
    assert markup(before, shown=False) == markup(after, shown=False)  # (no lang attribute on these pages)
    assert markup(before) != markup(after)  # link titles and alt texts are converted
    old, new = parse_tree(before), parse_tree(after)
    texts = [(slot_text(*a), slot_text(*b)) for a, b in zip(slots(old), slots(new)) if is_text_slot(*a)]
    script = detect("".join(t for t, _ in texts))
    chinese = [(a, b) for a, b in texts if detect(a) != "unknown"]
    equal = sum(convert(a, "simplified", script) == b for a, b in chinese)
    assert len(chinese) > 50 and equal / len(chinese) >= (0.95 if repair else 0.98)  # (a repair: "(" to "（")
    assert "上传" in after and "上傳" not in after


def test_whole_page_in_place_gives_the_same_page_as_main_content_in_place():
    """The navigation is converted either way: by the tree with --whole-page, by OpenCC without."""
    source = FIXTURES / "mirror-gb.html"
    assert patched(source, to="traditional", repair=False, whole_page=True) == patched(
        source, to="traditional", repair=False
    )
    main_only = process(read(source), Options(to="traditional"))
    with pytest.raises(InputError, match="changed shape"):  # a tree read one way, written the other
        patch(main_only, Options(to="traditional", whole_page=True))
