"""zhdoc's cache gives back what was built, and builds again whenever a source or version changed or
the stored entry cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from converter import cache, script
from converter.repair import likelihood, pinyin


@pytest.fixture(autouse=True)
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_built_once_then_loaded_until_a_source_or_version_changes(tmp_path: Path) -> None:
    source = tmp_path / "data.txt"
    source.write_text("a b")
    builds = []

    def build() -> dict[str, frozenset[str]]:
        builds.append(1)
        return {"words": frozenset(source.read_text().split())}

    assert cache.cached("t", (source,), build, "v1") == {"words": frozenset({"a", "b"})}
    assert cache.cached("t", (source,), build, "v1") == {"words": frozenset({"a", "b"})}
    assert len(builds) == 1
    assert cache.cached("t", (source,), build, "v2") == {"words": frozenset({"a", "b"})}
    assert len(builds) == 2
    source.write_text("c")
    modified = source.stat().st_mtime_ns + 1_000_000_000
    os.utime(source, ns=(modified, modified))
    assert cache.cached("t", (source,), build, "v2") == {"words": frozenset({"c"})}
    assert len(builds) == 3


def test_a_broken_entry_or_an_unwritable_folder_only_costs_the_build(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "data.txt"
    source.write_text("a")
    cache.cached("t", (source,), lambda: 1)
    (cache.cache_dir() / "t.marshal").write_bytes(b"\x00broken")
    assert cache.cached("t", (source,), lambda: 2) == 2
    assert cache.cached("t", (source,), lambda: 3) == 2  # the broken entry was replaced
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert cache.cached("t", (source,), lambda: 4) == 4
    assert not list(tmp_path.glob("**/*.part"))
    assert cache.cached("t", (tmp_path / "missing.txt",), lambda: 5) == 5


def test_a_relative_cache_home_is_ignored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "zhdoc"
    source = tmp_path / "data.txt"
    source.write_text("a")
    assert cache.cached("t", (source,), lambda: 1) == 1
    assert cache.cached("t", (source,), lambda: 2) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt", "home"]


def test_the_cached_tables_are_the_ones_built() -> None:
    pinyin._tables.cache_clear()
    built = pinyin._tables()  # the cache folder is empty: built
    pinyin._tables.cache_clear()
    assert pinyin._tables() == built and len(built[0]) > 40_000 and "qiang" in built[1]
    assert len(built[1]) < 500 and all(s == pinyin.toneless(s) for s in built[1])
    script._script_characters.cache_clear()
    assert script._script_characters() == script._t2s_characters()
    script._script_characters.cache_clear()
    assert script._script_characters() == script._t2s_characters()
    for _ in range(2):
        likelihood._frequencies.cache_clear()
        assert likelihood._frequencies() == likelihood._read_frequencies()
    entries = {path.name for path in cache.cache_dir().iterdir()}
    assert entries == {"pinyin.marshal", "opencc-t2s-characters.marshal", "charfreq.marshal"}
