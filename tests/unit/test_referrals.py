"""The referral directory: checks, merging, resolution by region, and the shipped data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from crisisguide.places import default_directory_file
from crisisguide.referrals import (
    EU_MEMBERS,
    Directory,
    Entry,
    Unlisted,
    directory_from_document,
    load_directory,
    normalize_region,
)
from crisisguide.yamldoc import parse_yaml

from conftest import TODAY

DAY = dt.date(2026, 11, 26)


def entry(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "local-er",
        "name": "City Hospital emergency department",
        "kind": "emergency",
        "regions": ["US"],
        "contact": {"call": "555-0100", "address": "1 Main St"},
        "source": "https://example.org/er",
        "last_verified": "2026-10-01",
    }
    data.update(overrides)
    return data


def check(entries: list[dict[str, Any]], today: dt.date = DAY) -> list[tuple[str, int, str]]:
    raw = yaml.safe_dump({"format": 1, "entries": entries}, sort_keys=False).encode()
    loaded = directory_from_document(parse_yaml(raw, "d.yaml"), today)
    return [(p.code, p.location.line, p.message) for p in loaded.problems]


def test_a_good_entry_has_no_problems() -> None:
    assert check([entry()]) == []


def test_stale_entry_is_cg150() -> None:
    (problem,) = check([entry(last_verified="2025-01-01")])
    assert problem[0] == "CG150"
    assert "last verified 2025-01-01 (694 days ago)" in problem[2]
    assert check([entry(last_verified="2025-11-26")]) == []  # exactly 365 days is fine


def test_missing_source_or_date_is_cg150() -> None:
    no_source = entry()
    del no_source["source"]
    no_date = entry()
    del no_date["last_verified"]
    assert [p[0] for p in check([no_source])] == ["CG150"]
    assert "no last_verified" in check([no_date])[0][2]


def test_unknown_kind_is_cg112_with_suggestion() -> None:
    (problem,) = check([entry(kind="crisis-lines")])
    assert problem[0] == "CG112"
    assert "did you mean 'crisis-line'" in problem[2]


def test_duplicate_entry_id_is_cg113() -> None:
    found = check([entry(), entry()])
    assert [p[0] for p in found] == ["CG113"]


def test_bad_values_are_cg104() -> None:
    found = check(
        [entry(regions=["USA"], contact={"web": "not a url"}, last_verified="2026-13-01")]
    )
    assert {p[0] for p in found} == {"CG104"}
    assert len(found) == 2  # the date and the url: type errors stop the region check


def test_bad_region_is_cg104() -> None:
    (problem,) = check([entry(regions=["USA"])])
    assert problem[0] == "CG104"
    assert "'USA' is not a region" in problem[2]


def test_entry_without_contact_is_cg102() -> None:
    (problem,) = check([entry(contact={})])
    assert problem[0] == "CG102"


def test_unknown_key_in_entry_is_cg103() -> None:
    (problem,) = check([entry(phone="555")])
    assert problem[0] == "CG103"


@pytest.mark.parametrize(
    ("given", "code"),
    [("us", "US"), ("UK", "GB"), ("uk", "GB"), (" gb ", "GB"), ("de", "DE"), ("EU", "EU"),
     ("usa", None), ("", None), ("XX", None)],
)  # fmt: skip
def test_normalize_region(given: str, code: str | None) -> None:
    assert normalize_region(given) == code


def test_eu_has_27_members() -> None:
    assert len(EU_MEMBERS) == 27


def make(entries: list[dict[str, Any]]) -> Directory:
    loaded = [Entry.model_validate({**e, "last_verified": None}) for e in entries]
    directory = Directory()
    for one in loaded:
        directory.entries[one.id] = one
    return directory


def test_resolution_by_kind_region_all_and_eu() -> None:
    directory = make(
        [
            entry(id="us-911", regions=["US"]),
            entry(id="eu-112", regions=["EU"]),
            entry(id="world", kind="crisis-line", regions=["ALL"]),
            entry(id="gb-line", kind="crisis-line", regions=["uk"]),
        ]
    )
    assert [e.id for e in directory.select("US")] == ["us-911", "world"]
    assert [e.id for e in directory.select("FR")] == ["eu-112", "world"]
    assert [e.id for e in directory.select("GB")] == ["world", "gb-line"]
    resolved = directory.resolve(["emergency", "crisis-line", "inpatient"], "GB")
    assert resolved == [
        Unlisted("emergency", "GB"),
        directory.entries["world"],
        directory.entries["gb-line"],
        Unlisted("inpatient", "GB"),
    ]


def test_resolution_by_id_and_no_repeats() -> None:
    directory = make([entry(id="us-911"), entry(id="local-er", regions=["US"])])
    resolved = directory.resolve(["local-er", "emergency"], "US")
    assert [r.id for r in resolved if isinstance(r, Entry)] == ["local-er", "us-911"]


def test_urgent_is_emergency_first() -> None:
    directory = make([entry(id="line", kind="crisis-line"), entry(id="er")])
    assert [e.id for e in directory.urgent("US")] == ["er", "line"]


def test_tags_filter() -> None:
    directory = make([entry(id="a", tags=["veterans"]), entry(id="b")])
    assert [e.id for e in directory.select("US", tags=["veterans"])] == ["a"]


def test_user_file_replaces_same_id(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        yaml.safe_dump(
            {"format": 1, "entries": [entry(id="us-988", kind="crisis-line", name="Mine")]}
        )
    )
    default = load_directory(str(default_directory_file()), TODAY)
    merged = Directory.merge([default, load_directory(str(mine), TODAY)])
    assert merged.entries["us-988"].name == "Mine"
    assert len(merged.entries) == len(default.entries)


def test_merge_refuses_a_directory_with_errors(tmp_path: Path) -> None:
    from crisisguide.errors import CrisisGuideError

    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nentries:\n  - {id: x}\n")
    with pytest.raises(CrisisGuideError, match="the referral directory has 4 error"):
        Directory.merge([load_directory(str(bad), TODAY)])


# --- the shipped directory -------------------------------------------------------------


def shipped() -> list[Entry]:
    loaded = load_directory(str(default_directory_file()), TODAY)
    assert loaded.problems == [], [str(p) for p in loaded.problems]
    return loaded.entries


def test_shipped_directory_is_sourced_and_fresh() -> None:
    for item in shipped():
        assert item.source
        assert item.source.startswith("http")
        assert item.last_verified is not None
        assert (TODAY - item.last_verified).days <= 365


@pytest.mark.parametrize(
    ("region", "needed"),
    [
        ("US", ["911", "988", "838255", "741741", "1-866-488-7386", "1-877-565-8860", "1-800-662-4357"]),
        ("CA", ["911", "988"]),
        ("GB", ["999", "116 123", "85258"]),
        ("IE", ["112", "116 123"]),
        ("AU", ["000", "13 11 14"]),
        ("NZ", ["111"]),
        ("FR", ["112"]),
        ("JP", ["findahelpline.com"]),
    ],
)  # fmt: skip
def test_shipped_directory_covers_each_region(region: str, needed: list[str]) -> None:
    directory = Directory(entries={e.id: e for e in shipped()})
    reachable = " ".join(
        f"{e.contact.call} {e.contact.text} {e.contact.web}" for e in directory.select(region)
    )
    for number in needed:
        assert number in reachable, (region, number)
    assert directory.urgent(region), region


def test_shipped_directory_lists_no_discontinued_service() -> None:
    for item in shipped():
        text = f"{item.name} {item.contact.methods()}".lower()
        assert "1-800-273" not in text
        assert "press 3" not in (item.notes or "").lower() or "ended" in (item.notes or "")


def test_every_region_has_an_emergency_entry_or_falls_back() -> None:
    directory = Directory(entries={e.id: e for e in shipped()})
    for region in ("US", "CA", "GB", "IE", "AU", "NZ", "DE"):
        assert directory.select(region, kinds=["emergency"]), region


def test_an_entry_verified_in_the_future_is_cg150_at_its_date(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from conftest import invoke

    path = tmp_path / "dir.yaml"
    path.write_text(
        "format: 1\n"
        "entries:\n"
        "  - id: local-er\n"
        "    name: City Hospital emergency department\n"
        "    kind: emergency\n"
        "    regions: [US]\n"
        "    contact: {call: 555-0100, address: 1 Main St}\n"
        "    source: https://example.org/er\n"
        "    last_verified: 9999-12-31\n",
        encoding="utf-8",
    )
    result = invoke(CliRunner(), "validate", str(path))
    assert result.exit_code == 0, result.output  # a warning
    assert result.stdout.splitlines()[0] == (
        f"{path}:9:20: warning CG150 entry 'local-er' was last verified on 9999-12-31, "
        "which is in the future: record the date it was really checked"
    )
    assert invoke(CliRunner(), "validate", "--strict", str(path)).exit_code == 1
