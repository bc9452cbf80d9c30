"""``resources``, ``now`` and ``config``: the directory for a region, and settings in effect."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from crisisguide.formats import REFERRAL_KINDS

from conftest import invoke


def network(tmp_path: Path, **overrides: Any) -> Path:
    entry = {
        "id": "city-er",
        "name": "City Hospital emergency department",
        "kind": "emergency",
        "regions": ["GB"],
        "contact": {"call": "0100 000 0000", "address": "1 High Street"},
        "source": "https://example.org/city",
        "last_verified": "2026-11-01",
    }
    entry.update(overrides)
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump({"format": 1, "entries": [entry]}))
    return path


def test_now_prints_emergency_first(runner: CliRunner) -> None:
    result = invoke(runner, "now", "--plain")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Region: US"
    assert lines[1].startswith("- 911 Emergency Services (emergency")
    assert "- 988 Suicide & Crisis Lifeline (crisis-line, 24/7)" in lines
    assert "outpatient" not in result.stdout


def test_now_json_per_region(runner: CliRunner) -> None:
    data = json.loads(invoke(runner, "now", "--region", "ie", "--format", "json").stdout)
    assert data["region"] == "IE"
    calls = [e["contact"].get("call") for e in data["entries"]]
    assert calls[:2] == ["112", "112"]  # Ireland's own entry, then the EU-wide one
    assert "116 123" in calls


def test_resources_filters(runner: CliRunner) -> None:
    data = json.loads(
        invoke(
            runner, "resources", "--kind", "crisis-line", "--tag", "veterans", "--format", "json"
        ).stdout
    )
    assert [e["id"] for e in data["entries"]] == ["us-988", "us-veterans-crisis-line"]


def test_resources_unknown_kind_is_usage(runner: CliRunner) -> None:
    result = invoke(runner, "resources", "--kind", "crisis")
    assert result.exit_code == 2
    assert "did you mean 'crisis-line'" in result.stderr


def test_user_referrals_are_merged(runner: CliRunner, tmp_path: Path) -> None:
    path = network(tmp_path)
    result = invoke(runner, "now", "--region", "GB", "--referrals", str(path), "--plain")
    assert result.exit_code == 0
    assert "- City Hospital emergency department (emergency)" in result.stdout
    assert "address 1 High Street" in result.stdout


def test_a_broken_user_directory_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = network(tmp_path, kind="emergncy")
    result = invoke(runner, "resources", "--referrals", str(path))
    assert result.exit_code == 1
    assert (
        "error CG112 referral kind 'emergncy' is unknown (did you mean 'emergency'?)"
        in result.stderr
    )
    assert result.stderr.splitlines()[-1].startswith("Emergency help (US): 911 Emergency")


def test_now_answers_even_with_a_broken_user_directory(runner: CliRunner, tmp_path: Path) -> None:
    path = network(tmp_path, kind="emergncy")
    result = invoke(runner, "now", "--referrals", str(path), "--region", "GB", "--plain")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "- 999 Emergency Services (emergency, 24/7)"
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warning == [
        f"warning: {path} was left out: referral kind 'emergncy' is unknown (did you mean "
        "'emergency'?); kinds are: " + ", ".join(REFERRAL_KINDS) + f" (crisisguide validate {path})"
    ]


def test_a_stale_user_entry_is_noted(runner: CliRunner, tmp_path: Path) -> None:
    path = network(tmp_path, last_verified="2020-01-01")
    result = invoke(runner, "now", "--region", "GB", "--referrals", str(path))
    assert result.exit_code == 0
    assert "1 referral entry need checking" in result.stderr


def test_config_file_sets_region_and_network(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network(tmp_path)
    folder = tmp_path / "mine"
    folder.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text("region: uk\nreferrals: [network.yaml]\nprotocols: [mine]\n")
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(config))
    result = invoke(runner, "config", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["config_file_found"] is True
    assert data["region"] == {"value": "GB", "from": f"config {config}"}
    assert data["referral_files"][1] == {"path": str(tmp_path / "network.yaml"), "from": "config"}
    assert data["protocol_folders"][-1] == {"path": str(folder), "from": "config", "layer": 2}
    assert "City Hospital" in invoke(runner, "now").stdout
    override = json.loads(invoke(runner, "config", "--region", "AU", "--format", "json").stdout)
    assert override["region"] == {"value": "AU", "from": "--region"}


def test_config_defaults_without_a_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke(runner, "config")  # the tests' config file sets nothing
    assert result.exit_code == 0
    assert "(sets nothing; defaults apply)" in result.stdout
    assert "region: US (from default)" in result.stdout
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(tmp_path / "none.yaml"))
    result = invoke(runner, "config")
    assert "(not found; defaults apply)" in result.stdout


def test_a_bad_config_file_is_a_located_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("region: Narnia\nreferals: []\n")
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(config))
    result = invoke(runner, "resources")
    assert result.exit_code == 1
    assert (
        f"{config}:2:1: error CG103 unknown key 'referals' (did you mean 'referrals'?)"
        in result.stderr
    )
    assert f"{config}:1:9: error CG104 'Narnia' is not a country or territory" in result.stderr


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("region: GB\nreferals: [network.yaml]\n", "GB"),  # a typo keeps the region it names
        ("region: ALL\n", "US"),  # not a place: the default region, with a warning
        ("region: GB\nreferrals: [missing.yaml]\n", "GB"),  # a referral file that is missing
        ("- not a mapping\n", "US"),
    ],
)
def test_now_always_prints_emergency_help_first(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, region: str
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(text)
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(config))
    result = invoke(runner, "now", "--plain")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Region: {region}"
    assert "(emergency" in lines[1]
    assert [line for line in result.stderr.splitlines() if line.startswith("warning:")]


@pytest.mark.parametrize("text", ["", "# region: GB\n", "\n\n   \n"])
def test_an_empty_config_file_means_defaults(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(text)
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(config))
    for command in (["now"], ["list"], ["config"]):
        result = invoke(runner, *command)
        assert result.exit_code == 0, (command, result.output)
        assert "error" not in result.stderr


def test_a_config_path_that_does_not_exist_is_a_warning(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(tmp_path / "typo.yaml"))
    result = invoke(runner, "now")
    assert result.exit_code == 0
    assert (
        f"warning: CRISISGUIDE_CONFIG names {tmp_path / 'typo.yaml'}, which does not exist; "
        "the defaults apply" in result.stderr
    )


def test_a_region_with_no_emergency_number_says_so(runner: CliRunner) -> None:
    result = invoke(runner, "now", "--region", "BV", "--plain")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == (
        "No emergency number on file for BV: dial your local emergency number."
    )
    assert (
        json.loads(invoke(runner, "now", "--region", "BV", "--format", "json").stdout)[
            "emergency_number_on_file"
        ]
        is False
    )
