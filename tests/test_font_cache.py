"""A face loaded from the font cache is reportlab's own parse of the file, and a stale or broken cache is not used."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest
from conftest import SAMPLE, run_zhdoc
from fontmaker import make_font
from reportlab.pdfbase.ttfonts import TTFont

from converter.cache import cache_dir
from converter.font_cache import LAZY, load_font
from converter.fonts import _Mapped, bundled_file


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _load(path: Path) -> TTFont:
    return load_font("zhdoc-test", _Mapped(path), path)


def _assert_same(font: TTFont, reference: TTFont) -> None:
    face, expected = font.face, reference.face
    for name in [*vars(expected), *LAZY]:
        if name not in ("_ttf_data", "_pos", "_pdfScale"):
            assert getattr(face, name) == getattr(expected, name), name
            assert type(getattr(face, name)) is type(getattr(expected, name)), name
    assert face.name.ustr == expected.name.ustr and face.familyName.ustr == expected.familyName.ustr
    assert [face._pdfScale(v) for v in (0, 512, 2048)] == [expected._pdfScale(v) for v in (0, 512, 2048)]
    assert vars(font).keys() == vars(reference).keys()
    assert [vars(font)[k] for k in ("fontName", "_asciiReadable", "_shapable")] == [
        vars(reference)[k] for k in ("fontName", "_asciiReadable", "_shapable")
    ]


@pytest.mark.parametrize("which", ["bundled", "user"])
def test_a_face_parsed_and_one_from_the_cache_are_reportlabs(which: str, cache_home: Path, tmp_path: Path) -> None:
    path = bundled_file("TC") if which == "bundled" else make_font(tmp_path / "user.ttf")
    reference = TTFont("zhdoc-test", str(path))
    parsed = _load(path)
    assert len(list((cache_dir() / "fonts").iterdir())) == 1
    cached = _load(path)
    _assert_same(parsed, reference)
    _assert_same(cached, reference)


def test_the_cache_is_used_until_the_font_file_changes(cache_home: Path, tmp_path: Path) -> None:
    path = make_font(tmp_path / "user.ttf")
    covered = set(_load(path).face.charToGlyph)
    [file] = (cache_dir() / "fonts").iterdir()
    key, stored = marshal.loads(file.read_bytes())
    stored["eager"]["charToGlyph"] = {ord("測"): 1}  # a doctored cache shows when the cache is read
    file.write_bytes(marshal.dumps((key, stored)))
    assert set(_load(path).face.charToGlyph) == {ord("測")}
    modified = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(modified, modified))
    assert set(_load(path).face.charToGlyph) == covered


def test_a_broken_or_unwritable_cache_only_costs_the_parse(cache_home: Path, tmp_path: Path, monkeypatch) -> None:
    path = make_font(tmp_path / "user.ttf")
    reference = TTFont("zhdoc-test", str(path))
    _load(path)
    [file] = (cache_dir() / "fonts").iterdir()
    file.write_bytes(b"\x00not marshal")
    _assert_same(_load(path), reference)
    _assert_same(_load(path), reference)  # and the broken file was replaced by a good one
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    _assert_same(_load(path), reference)


def test_pdfs_made_with_a_parsed_face_and_a_cached_one_are_byte_equal(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for run in ("parsed", "cached"):
        result = run_zhdoc("convert", SAMPLE, "-o", tmp_path / run, "-f", "pdf,docx", "-q", env=env)
        assert result.returncode == 0, result.stderr
    assert any((tmp_path / "cache" / "zhdoc" / "fonts").iterdir())
    for suffix in ("pdf", "docx"):
        name = SAMPLE.with_suffix(f".{suffix}").name
        assert (tmp_path / "parsed" / name).read_bytes() == (tmp_path / "cached" / name).read_bytes()
