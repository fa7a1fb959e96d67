"""Text inside structure is still text (issue 21): tables converted and lined up, prose never hidden as
command output, backspaces, headings, links in plain text, and the smaller repairs."""

from __future__ import annotations

from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from converter import Options, process_text
from converter.columns import table_segments
from converter.document import Code, Heading, Paragraph
from converter.formats.text.layout import width
from converter.formats.text.read import parse

TEXT = FIXTURES / "structure-text"


def bar_columns(line: str) -> list[int]:
    return [segment.start for segment in table_segments(line) if segment.kind == "bar"]


def test_tables_and_aligned_columns_are_converted_and_stay_lined_up() -> None:
    """Checked by eye: U盘 → 隨身碟 takes the padding of its cell in the ASCII table; in the box-drawing
    table its cell has too few spaces, so the column widens in every row; the shell example stays."""
    source = (TEXT / "tables.txt").read_text(encoding="utf-8")
    document = process_text(source, Options(to="taiwan"))
    assert document.text == (TEXT / "tables.taiwan.txt").read_text(encoding="utf-8")
    tables = [block for block in document.blocks if isinstance(block, Code) and block.kind == "table"]
    for table in tables:
        lines = table.text.split("\n")
        assert len({width(line) for line in lines}) == 1
    shell = next(block for block in document.blocks if isinstance(block, Code) and block.kind == "shell")
    assert shell.text == "$ ls /media/U盘\n软件包  文档"


WORDS = ["U盘", "软件", "文档", "信息", "程序", "网络", "默认", "设置", "内存", "ab", "x"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from(WORDS), max_size=3), min_size=3, max_size=3), min_size=1, max_size=5))
def test_every_row_of_a_converted_table_keeps_its_bars_in_line(rows: list[list[list[str]]]) -> None:
    """Random cells of Simplified words, padded as a renderer pads them, converted to Taiwan usage (words
    change length): every bar of every row stands at the same column as in the other rows."""
    cells = [["".join(words) for words in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) + 1 for i in range(3)]
    border = "+" + "+".join("-" * w for w in widths) + "+"
    lines = [border]
    for row in cells:
        lines.append("|" + "|".join(c + " " * (w - width(c)) for c, w in zip(row, widths)) + "|")
        lines.append(border)
    document = process_text("表格：\n\n" + "\n".join(lines) + "\n", Options(to="taiwan"))
    table = next(block for block in document.blocks if isinstance(block, Code))
    out = table.text.split("\n")
    assert len({tuple(bar_columns(line)) for line in out}) == 1
    assert "盘" not in table.text and "软" not in table.text


def test_a_lone_backspace_goes_alone_and_overstrike_keeps_its_character() -> None:
    text = "更新组件\b，修复 B\bBUG 和 _\bx 以及 y\b_。\n"
    document = process_text(text)
    assert document.text == "更新组件，修复 BUG 和 x 以及 y。\n"
    removed = [fix for _, fix in document.fixes if fix.kind == "control"]
    assert [fix.before for fix in removed] == ["\b", "B\b", "_\b", "\b_"]


def test_a_lone_backspace_in_markdown_keeps_the_character_before_it(tmp_path) -> None:
    from converter.pipeline import convert_file

    source = tmp_path / "changelog.md"
    source.write_text("# 更新\n\n- 新增组件\b的 `size` 属性\n", encoding="utf-8")
    result = convert_file(source, tmp_path / "out", Options(formats=("md", "txt")))
    assert not result.error
    assert "新增组件的 `size` 属性" in (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "新增组件的 size 属性" in (tmp_path / "out.txt").read_text(encoding="utf-8")


DAMAGED = "重啟完成後,,服務會重新讀取配置文件;如果出現錯誤,請先檢查日誌,\n再查看設定文件中的語法是否正確.\n"


def test_prose_after_a_shell_line_is_repaired_exactly_as_it_is_alone() -> None:
    with_shell = process_text("說明：\n\n$ sudo systemctl restart nginx\n" + DAMAGED)
    alone = process_text("說明：\n\n" + DAMAGED)
    code = [block for block in with_shell.blocks if isinstance(block, Code)]
    assert [block.text for block in code] == ["$ sudo systemctl restart nginx"]
    prose = [(block.text, block.fixes) for block in with_shell.blocks if not isinstance(block, Code)]
    assert prose == [(block.text, block.fixes) for block in alone.blocks]
    repaired = "重啟完成後，服務會重新讀取配置文件；如果出現錯誤，請先檢查日誌，再查看設定文件中的語法是否正確。"
    assert prose[-1][0] == repaired


def test_shell_output_keeps_its_lines_even_when_chinese() -> None:
    text = "$ ls -l /srv\n總用量 12\n軟件包  文檔\n錯誤: 無法打開文件\n... 描述補丁\n"
    blocks = process_text(text, Options(to="simplified")).blocks
    assert [(type(block).__name__, block.text) for block in blocks] == [("Code", text.rstrip("\n"))]


def test_a_title_page_is_no_headings_and_numbered_sections_are() -> None:
    """Checked by eye: the names, credits, copyright, date and version of the title page stay paragraphs;
    numbered sections with symbols, brackets, a question mark or a long line are headings; an English
    paragraph whose last line is short is prose; host lines are not sections."""
    document = parse((TEXT / "title-page.txt").read_text(encoding="utf-8"))
    headings = [(block.level, block.text) for block in document.blocks if isinstance(block, Heading)]
    assert headings == [
        (1, "章 1. 從一條正確的路開始"),
        (3, "1.2.5. 一组用户的权限（组）"),
        (3, "2.7.11. 上传软件包的是谁?"),
        (2, "5.14. {package.,source/}lintian-overrides"),
        (3, "2.2.1. apt vs. apt-get / apt-cache vs. aptitude"),
    ]
    paragraphs = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    for line in ("Aron Xu", "李凌", "版權 © 2010 Craig Small", "2022-10-08 03:52:48 UTC", "版本 1.2.53"):
        assert line in paragraphs
    assert any(text.startswith("The rewrite of this tutorial") and text.endswith("document.") for text in paragraphs)
    assert "127.0.0.1 localhost" in paragraphs or any(
        isinstance(block, Code) and "127.0.0.1 localhost" in block.text.split("\n") for block in document.blocks
    )


LINKED = (
    "文檔說明\n\n可以安裝 debian-policy 軟件包獲得它，或者訪問 https://\nwww.debian.org/doc/devel-manuals#policy 。\n\n"
    "問題請寄往 joy-mg@debian.org，或見 www.debian.org/doc（英文）。\n"
)


def test_urls_and_addresses_in_plain_text_are_links_in_docx_and_pdf() -> None:
    import io

    import docx
    from docx.oxml.ns import qn
    from pypdf import PdfReader

    from converter.pipeline import render

    document = process_text(LINKED, Options(to="simplified"))
    links = [(span.text, span.url) for block in document.blocks for span in block.inlines if span.url]
    assert links == [
        ("https://www.debian.org/doc/devel-manuals#policy", "https://www.debian.org/doc/devel-manuals#policy"),
        ("joy-mg@debian.org", "mailto:joy-mg@debian.org"),
        ("www.debian.org/doc", "http://www.debian.org/doc"),
    ]
    wanted = [url for _, url in links]
    opened = docx.Document(io.BytesIO(render(document, "docx", Options())))
    found = [opened.part.rels[link.get(qn("r:id"))].target_ref for link in opened.element.body.iter(qn("w:hyperlink"))]
    assert found == wanted
    page = PdfReader(io.BytesIO(render(document, "pdf", Options()))).pages[0]
    uris = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
    assert sorted(set(uris)) == sorted(wanted)
    assert render(document, "txt", Options()).decode() == document.text  # their text says their targets


def test_txt_from_markdown_keeps_each_link_target(tmp_path) -> None:
    from converter.pipeline import convert_file

    source = tmp_path / "readme.md"
    source.write_text(
        "# 組件\n\n詳見[文檔](https://vant.dev/#/zh-CN)與 <https://github.com/youzan/vant>，"
        "[目錄](#組件)，寫信給 <a@b.cn>。\n",
        encoding="utf-8",
    )
    result = convert_file(source, tmp_path / "out", Options(formats=("txt",)))
    assert not result.error
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == (
        "組件\n詳見文檔 <https://vant.dev/#/zh-CN>與 https://github.com/youzan/vant，目錄，寫信給 a@b.cn。\n"
    )


def test_no_space_stays_after_a_widened_mark_before_chinese() -> None:
    assert process_text("文档更新; 代码优化, 性能提升. 下一句\n").text == "文档更新；代码优化，性能提升。下一句\n"


def test_a_mismatched_parenthesis_pair_is_made_one_width() -> None:
    assert process_text("學名（拉丁)與別名 (英文）都要寫。\n").text == "學名（拉丁）與別名 （英文）都要寫。\n"


def test_markdown_keeps_a_tag_like_word_in_a_heading(tmp_path) -> None:
    from converter.pipeline import convert_file

    source = tmp_path / "api.md"
    source.write_text("# 配置\n\n### <string> options.mode\n\n模式,可选值。\n", encoding="utf-8")
    result = convert_file(source, tmp_path / "out", Options(formats=("md", "txt")))
    assert not result.error and not result.warnings
    assert "### <string> options.mode\n" in (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "<string> options.mode\n" in (tmp_path / "out.txt").read_text(encoding="utf-8")


def test_wrapped_lines_are_joined_by_the_documents_own_han_latin_spacing() -> None:
    spaced = "在 Debian 系統上運行 vim 編輯器時，如果要\nDebian 的文件，請先安裝 git 工具並執行\nupdate 命令。\n"
    assert "如果要 Debian 的文件，請先安裝 git 工具並執行 update 命令。" in process_text(spaced).text
    close = "在Debian系統上運行vim編輯器時，如果要\nDebian的文件，請先安裝git工具並執行\nupdate命令。\n"
    assert "如果要Debian的文件，請先安裝git工具並執行update命令。" in process_text(close).text


def test_copyright_sign_keeps_its_space_when_a_line_is_joined() -> None:
    text = (
        "參考了以下文檔：\n\n  * Making a Debian Package (AKA the Debmake Manual), copyright ©\n"
        "    1997 Jaldhar Vyas.\n"
    )
    assert "copyright © 1997 Jaldhar Vyas." in process_text(text).text


def test_a_prose_line_wrapped_before_a_long_url_stays_prose() -> None:
    """The Debian FAQ (an excerpt, as shipped): the URL did not fit, so it moved down whole."""
    document = process_text((TEXT / "debian-faq-excerpt.txt").read_text(encoding="utf-8"), Options(to="traditional"))
    policy = [block for block in document.blocks if "debian-policy" in getattr(block, "text", "")]
    assert [type(block).__name__ for block in policy] == ["Paragraph"]
    assert policy[0].text == (
        "可以安裝 debian-policy 軟件包獲得它，或者訪問 https://www.debian.org/doc/devel-manuals#policy "
        "(https://www.debian.org/doc/devel-manuals#policy) 。"
    )


def test_a_heading_before_a_sentence_with_an_address_stays_a_heading() -> None:
    document = parse("手冊\n\n正文。\n\n聯絡我們\n\n請寄信至 joy-mg@debian.org，我們會盡快回覆。\n")
    assert [block.text for block in document.blocks if isinstance(block, Heading)] == ["聯絡我們"]


def test_a_changelogs_dates_and_versions_stay_headings() -> None:
    document = parse("更新日誌\n\n正文。\n\n2024-01-15 發佈\n\n修正錯誤。\n\nv1.2.0\n\n新增功能。\n")
    assert [block.text for block in document.blocks if isinstance(block, Heading)] == ["2024-01-15 發佈", "v1.2.0"]
