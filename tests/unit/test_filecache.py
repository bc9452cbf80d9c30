"""The cache of headers and directory data: used only for files that have not changed, it
gives the same answers as a fresh parse (locations included), and a damaged, unwritable
or disabled cache changes nothing but speed."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
import yaml

from crisisguide import filecache, yamldoc
from crisisguide.library import cached_header, load_library
from crisisguide.places import builtin_dir
from crisisguide.referrals import load_directory

TODAY = dt.date(2026, 12, 1)
ENTRY = {
    "id": "riverside-er", "name": "Riverside ER", "kind": "emergency", "regions": ["US"],
    "contact": {"call": "555-0100"}, "source": "https://example.org/er", "last_verified": "2026-11-01",
}  # fmt: skip


def settled(path: Path, text: str) -> Path:
    """Write ``text`` and date the file two minutes back, as if written a while ago. The
    change time is now, so wait until it is old enough to trust."""
    path.write_text(text, encoding="utf-8")
    old = time.time() - 120
    os.utime(path, (old, old))
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("CRISISGUIDE_CACHE", str(where))
    monkeypatch.setattr(filecache, "SETTLE_NS", 0)  # the change time above is "now"
    return where


def directory(tmp_path: Path, **changes: object) -> Path:
    data = {"format": 1, "entries": [{**ENTRY, **changes}]}
    return settled(tmp_path / "network.yaml", yaml.safe_dump(data, sort_keys=False))


def test_a_clean_directory_is_read_once_then_from_the_cache(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = directory(tmp_path)
    first = load_directory(str(path), TODAY)
    assert first.problems == []
    assert len(list((cache / "data").iterdir())) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamldoc, "_read_document", no_parsing)
    again = load_directory(str(path), TODAY)
    assert again.entries == first.entries


def test_a_problem_found_in_cached_data_is_located_as_in_a_fresh_parse(
    cache: Path, tmp_path: Path
) -> None:
    path = directory(tmp_path)
    load_directory(str(path), TODAY)  # clean today: cached
    later = TODAY + dt.timedelta(days=800)  # now the entry is stale (CG150)
    from_cache = load_directory(str(path), later)
    assert from_cache.doc.reparse_from is None  # the file was parsed again to locate it
    os.environ["CRISISGUIDE_CACHE"] = "off"
    fresh = load_directory(str(path), later)
    assert [str(p) for p in from_cache.problems] == [str(p) for p in fresh.problems]
    assert from_cache.problems[0].code == "CG150"
    assert from_cache.problems[0].location.line > 1


def test_a_changed_file_is_read_again_even_with_the_same_size_and_date(
    cache: Path, tmp_path: Path
) -> None:
    path = directory(tmp_path)
    before = os.stat(path)
    assert load_directory(str(path), TODAY).entries[0].contact.call == "555-0100"
    path.write_text(path.read_text().replace("555-0100", "555-0199"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p or rsync -t would
    assert os.stat(path).st_size == before.st_size
    assert load_directory(str(path), TODAY).entries[0].contact.call == "555-0199"


def test_a_file_changed_moments_ago_is_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISISGUIDE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump({"format": 1, "entries": [ENTRY]}))
    assert filecache.stamp(str(path)) is None
    assert load_directory(str(path), TODAY).problems == []
    assert not (tmp_path / "cache" / "data").exists()


def test_a_file_that_does_not_parse_cleanly_is_not_cached(cache: Path, tmp_path: Path) -> None:
    duplicate = yaml.safe_dump({"format": 1, "entries": [ENTRY]}) + "format: 1\n"
    assert load_directory(str(settled(tmp_path / "d.yaml", duplicate)), TODAY).problems
    assert not (cache / "data").exists()
    path = settled(
        tmp_path / "x.yaml", yaml.safe_dump({"format": 1, "x-site": 1, "entries": [ENTRY]})
    )
    load_directory(str(path), TODAY)
    assert not (cache / "data").exists()


def test_format_problems_of_cached_data_are_reported_and_located(
    cache: Path, tmp_path: Path
) -> None:
    path = directory(tmp_path, kind="crisis-lines")
    first = load_directory(str(path), TODAY)
    again = load_directory(str(path), TODAY)
    assert again.doc.reparse_from is None
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert "did you mean 'crisis-line'" in str(again.problems[0])


@pytest.mark.parametrize("damage", ["garbage", "wrong shape", "other file", "unwritable"])
def test_a_damaged_or_unwritable_cache_is_ignored(
    cache: Path, tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = directory(tmp_path)
    if damage == "unwritable":
        cache.write_text("a file where the folder should be")
    else:
        load_directory(str(path), TODAY)
        load_library([builtin_dir()])
        (cached,) = (cache / "data").iterdir()
        text = {"garbage": "{not json", "wrong shape": "[1, 2]"}.get(damage)
        if text is None:  # the entry of another file with the same stamp
            text = cached.read_text().replace(str(path.resolve()), "/elsewhere/network.yaml")
        cached.write_text(text)
        for stored in (cache / "headers").glob("*.json"):
            stored.write_text("\x00\x01")
    loaded = load_directory(str(path), TODAY)
    assert loaded.problems == []
    assert loaded.entries[0].id == "riverside-er"
    assert load_library([builtin_dir()]).protocol_ids >= {"suicide-risk-screen"}


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISGUIDE_CACHE", "off")
    monkeypatch.setattr(filecache, "SETTLE_NS", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_directory(str(directory(tmp_path)), TODAY)
    load_library([builtin_dir()])
    assert not (tmp_path / "xdg").exists()
    assert filecache.folder() is None


def test_cached_headers_are_the_headers(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_library([builtin_dir()]).headers
    assert list((cache / "headers").iterdir())
    monkeypatch.setattr(yamldoc, "peek_header", lambda *a, **k: pytest.fail("peeked again"))
    monkeypatch.setattr(
        "crisisguide.library.peek_header", lambda *a, **k: pytest.fail("peeked again")
    )
    assert load_library([builtin_dir()]).headers == fresh


def test_a_changed_protocol_gets_a_new_header(cache: Path, tmp_path: Path) -> None:
    text = "format: 1\nid: first-id\ntitle: T\nversion: 1.0.0\nsummary: S\nstart: a\nnodes: {}\n"
    path = settled(tmp_path / "p.yaml", text)
    header = cached_header(str(path))
    assert header is not None
    assert header.id == "first-id"
    before = os.stat(path)
    path.write_text(text.replace("first-id", "other-id"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    header = cached_header(str(path))
    assert header is not None
    assert header.id == "other-id"


def test_the_headers_of_a_folder_are_read_and_written_once_per_command(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = "format: 1\nid: p{n}\ntitle: T\nversion: 1.0.0\nsummary: S\nstart: a\nnodes: {{}}\n"
    for n in range(40):
        settled(folder / f"p{n}.yaml", text.format(n=n))
    reads, writes = [], []
    real_read, real_write = filecache._read_json, filecache._write_json
    monkeypatch.setattr(filecache, "_read_json", lambda p: reads.append(p) or real_read(p))
    monkeypatch.setattr(filecache, "_write_json", lambda p, v: writes.append(p) or real_write(p, v))
    library = load_library([]).with_files([folder])
    assert len(library.protocol_ids) == 40
    assert (len(reads), len(writes)) == (1, 1)
    reads.clear()
    writes.clear()
    assert load_library([]).with_files([folder]).protocol_ids == library.protocol_ids
    assert (len(reads), len(writes)) == (1, 0)
