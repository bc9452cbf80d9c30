"""A service makes the library its own (docs/sites.md): layers that override, hidden
built-ins, overlays merged with locations from both files, version ranges, the merged YAML,
starter overlays, local referral directories, and the clinic of the issue's "done when"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from conftest import PROTOCOLS, invoke, minimal_protocol, write_yaml

SCREEN = PROTOCOLS / "suicide-risk-screen.yaml"
BUILT_IN_VERSION = yaml.safe_load(SCREEN.read_text(encoding="utf-8"))["version"]


def folder(tmp_path: Path, name: str, files: dict[str, Any]) -> Path:
    where = tmp_path / name
    where.mkdir()
    for file_name, data in files.items():
        if isinstance(data, str):
            (where / file_name).write_text(data, encoding="utf-8")
        else:
            write_yaml(where / file_name, data)
    return where


def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> Path:
    path = write_yaml(tmp_path / "config.yaml", settings)
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(path))
    return path


def listed(runner: CliRunner, *args: str) -> dict[str, dict[str, Any]]:
    result = invoke(runner, "list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)}


def screen_copy(**changes: Any) -> dict[str, Any]:
    data = yaml.safe_load(SCREEN.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def overlay(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"format": 1, "id": "suicide-risk-screen",
                            "extends": "suicide-risk-screen", "version": "9.0.0"}  # fmt: skip
    data.update(changes)
    return data


# --- layers ------------------------------------------------------------------------------------


def test_a_later_layer_overrides_a_built_in_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    clinic = folder(tmp_path, "clinic", {"screen.yaml": screen_copy(title="Riverside screen",
                                                                     version="1.9.0")})  # fmt: skip
    rows = listed(runner, "--protocols", str(clinic))
    assert rows["suicide-risk-screen"]["title"] == "Riverside screen"
    assert rows["suicide-risk-screen"]["overrides"] == f"built-in {BUILT_IN_VERSION}"
    shown = invoke(runner, "show", "suicide-risk-screen", "--protocols", str(clinic), "--plain")
    assert shown.exit_code == 0, shown.stderr
    assert f"File: {clinic / 'screen.yaml'} (overrides built-in {BUILT_IN_VERSION})" in shown.stdout
    built_in = invoke(runner, "show", "suicide-risk-screen@built-in", "--protocols", str(clinic),
                      "--plain")  # fmt: skip
    assert built_in.exit_code == 0, built_in.stderr
    assert "Suicide risk screening" in built_in.stdout
    assert "File: built-in" in built_in.stdout


def test_the_command_line_layer_beats_the_environment_and_the_config(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layers = {name: folder(tmp_path, name, {"mini.yaml": minimal_protocol(title=name)})
              for name in ("from-env", "from-config", "from-option")}  # fmt: skip
    monkeypatch.setenv("CRISISGUIDE_PATH", str(layers["from-env"]))
    assert listed(runner)["mini"]["title"] == "from-env"
    config(tmp_path, monkeypatch, protocols=[str(layers["from-config"])])
    assert listed(runner)["mini"]["title"] == "from-config"
    top = listed(runner, "--protocols", str(layers["from-option"]))["mini"]
    assert top["title"] == "from-option"
    assert top["overrides"] == "config 1.0.0"


def test_overriding_an_overlay_with_no_version_names_the_version_it_inherits(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = {"format": 1, "id": "suicide-risk-screen", "extends": "suicide-risk-screen",
            "title": "T"}  # fmt: skip
    monkeypatch.setenv("CRISISGUIDE_PATH", str(folder(tmp_path, "L1", {"a.yaml": bare})))
    top = folder(tmp_path, "L3", {"c.yaml": bare})
    row = listed(runner, "--protocols", str(top))["suicide-risk-screen"]
    assert row["overrides"] == f"CRISISGUIDE_PATH {BUILT_IN_VERSION}"
    shown = invoke(runner, "show", "suicide-risk-screen", "--protocols", str(top), "--plain")
    assert shown.exit_code == 0, shown.stderr
    assert (f"File: {top / 'c.yaml'} (overrides CRISISGUIDE_PATH {BUILT_IN_VERSION})"
            in shown.stdout)  # fmt: skip


def test_one_id_twice_in_one_layer_is_a_conflict_unless_byte_identical(
    runner: CliRunner, tmp_path: Path
) -> None:
    same = folder(tmp_path, "same", {"a.yaml": minimal_protocol(), "b.yaml": minimal_protocol()})
    assert "mini" in listed(runner, "--protocols", str(same))
    ran = invoke(runner, "show", "mini", "--protocols", str(same))
    assert ran.exit_code == 0, ran.stderr
    differ = folder(tmp_path, "differ", {"a.yaml": minimal_protocol(),
                                         "b.yaml": minimal_protocol(title="Other")})  # fmt: skip
    refused = invoke(runner, "show", "mini", "--protocols", str(differ))
    assert refused.exit_code == 1
    assert "defined more than once in one layer" in refused.stderr
    checked = invoke(runner, "validate", str(differ))
    assert "CG113" in checked.stdout


def test_drill_list_says_where_a_drill_comes_from_like_list(
    runner: CliRunner, tmp_path: Path
) -> None:
    alex = (PROTOCOLS / "drills" / "alex-after-job-loss.yaml").read_text(encoding="utf-8")
    clinic = folder(tmp_path, "clinic", {"alex.yaml": alex.replace("Alex,", "Sam,")})
    piped = invoke(runner, "drill", "list", "--protocols", str(clinic))
    assert piped.exit_code == 0, piped.stderr
    files = {line.split("\t")[0]: line.split("\t")[4] for line in piped.stdout.splitlines()}
    assert files["daniel-routine-negative"] == "built-in"
    assert files["alex-after-job-loss"] == f"{clinic / 'alex.yaml'} (overrides built-in)"
    result = invoke(runner, "drill", "list", "--format", "json", "--protocols", str(clinic))
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    built_in = rows["daniel-routine-negative"]
    assert (built_in["file"], built_in["origin"], built_in["overrides"]) == (
        "built-in",
        "built-in",
        "",
    )
    assert Path(built_in["path"]).resolve() == PROTOCOLS / "drills" / "daniel-routine-negative.yaml"
    mine = rows["alex-after-job-loss"]
    assert (mine["file"], mine["origin"], mine["overrides"]) == (
        str(clinic / "alex.yaml"),
        "--protocols",
        "built-in",
    )
    assert set(mine) >= set(next(iter(listed(runner).values())).keys()) - {"version", "nodes"}


def test_config_hide_takes_built_ins_out_of_every_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config(tmp_path, monkeypatch, hide=["youth-risk-screen"])
    assert "youth-risk-screen" not in listed(runner)
    refused = invoke(runner, "run", "youth-risk-screen", "--answers", "-", input="{}")
    assert refused.exit_code == 1
    assert "hides the built-in protocol 'youth-risk-screen'" in refused.stderr
    drills = invoke(runner, "drill", "list", "--format", "json")
    assert drills.exit_code == 0
    assert all(d["protocol"] != "youth-risk-screen" for d in json.loads(drills.stdout))
    checked = invoke(runner, "drill", "check")
    assert checked.exit_code == 0, checked.stdout


@pytest.mark.parametrize(
    "command",
    [["run", "youth-risk-screen", "--answers", "-"], ["show", "youth-risk-screen"],
     ["export", "youth-risk-screen"], ["show", "youth-risk-screen@built-in"],
     ["drill", "coverage", "youth-risk-screen"], ["diff", "youth-risk-screen", "suicide-risk-screen"],
     ["new", "mine", "--extends", "youth-risk-screen", "-o", "-"], ["drill", "check", "DRILL"],
     ["show", "OVERLAY"]],
)  # fmt: skip
def test_a_hidden_built_in_is_refused_naming_the_config_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    path = config(tmp_path, monkeypatch, hide=["youth-risk-screen"])
    drill = (PROTOCOLS / "drills" / "mateo-sometimes.yaml").read_text(encoding="utf-8")
    mine = folder(tmp_path, "mine", {"drill.yaml": drill,
                                     "overlay.yaml": overlay(id="mine", extends="youth-risk-screen")})  # fmt: skip
    places = {"DRILL": str(mine / "drill.yaml"), "OVERLAY": str(mine / "overlay.yaml")}
    result = invoke(runner, *[places.get(arg, arg) for arg in command], input="{}")
    assert result.exit_code == 1
    said = result.stdout + result.stderr
    assert f"the config file {path} hides the built-in protocol 'youth-risk-screen'" in said
    assert "did you mean" not in said
    assert "no protocol with id" not in said


def test_hide_names_only_known_ids(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config(tmp_path, monkeypatch, hide=["youth-risk-scren"])
    result = invoke(runner, "list")
    assert result.exit_code == 0
    assert ("note: the config file hides 'youth-risk-scren', which is not a built-in protocol "
            "(did you mean 'youth-risk-screen'?)") in result.stderr  # fmt: skip
    assert "youth-risk-screen" in result.stdout


# --- overlays ----------------------------------------------------------------------------------


ASK = "In the past month, have you found yourself wishing you were not alive?"
STEP = "Page the on-call psychiatrist and log the page."


def clinic_overlay(tmp_path: Path, **changes: Any) -> Path:
    nodes = {"wish-dead": {"ask": [ASK]},
             "high-risk": {"steps": [*screen_copy()["nodes"]["high-risk"]["steps"], STEP]}}  # fmt: skip
    return folder(tmp_path, "clinic", {"screen.yaml": overlay(nodes=nodes, **changes)})


def test_an_overlay_changes_only_what_it_names(runner: CliRunner, tmp_path: Path) -> None:
    clinic = clinic_overlay(tmp_path)
    shown = invoke(runner, "export", "suicide-risk-screen", "--protocols", str(clinic),
                   "--format", "json")  # fmt: skip
    assert shown.exit_code == 0, shown.stderr
    data = json.loads(shown.stdout)
    nodes = data["nodes"]
    assert nodes["wish-dead"]["ask"] == [ASK]
    labels = [a["label"] for a in screen_copy()["nodes"]["wish-dead"]["answers"]]
    assert [a["label"] for a in nodes["wish-dead"]["answers"]] == labels
    assert nodes["high-risk"]["steps"][-1] == STEP
    thoughts = screen_copy()["nodes"]["thoughts"]
    assert (nodes["thoughts"]["ask"], nodes["thoughts"]["prompt"]) == (
        thoughts["ask"],
        thoughts["prompt"],
    )
    assert data["version"] == "9.0.0"
    assert "extends" not in data


def test_an_overlay_adds_and_removes_nodes(runner: CliRunner, tmp_path: Path) -> None:
    base = folder(tmp_path, "base", {"mini.yaml": minimal_protocol()})
    changes = {"nodes": {"triage": {"default": "extra"},
                         "extra": {"kind": "outcome", "tier": "low", "steps": ["Check in"]}},
               "remove": ["routine"]}  # fmt: skip
    top = folder(tmp_path, "top", {"mini.yaml": {"format": 1, "id": "mini", "extends": "mini",
                                                 "version": "1.1.0", **changes}})  # fmt: skip
    monkeypatch_env = {"CRISISGUIDE_PATH": str(base)}
    result = invoke(runner, "export", "mini", "--protocols", str(top), "--format", "json",
                    env=monkeypatch_env)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    nodes = json.loads(result.stdout)["nodes"]
    assert "routine" not in nodes
    assert nodes["extra"]["tier"] == "low"
    assert nodes["triage"]["default"] == "extra"


def test_problems_point_at_the_file_each_piece_came_from(runner: CliRunner, tmp_path: Path) -> None:
    base_data = minimal_protocol()
    base_data["nodes"]["urgent"]["referrals"] = ["emergency", "crisis-line", "nowhere"]
    base = folder(tmp_path, "base", {"mini.yaml": base_data})
    changes = {"format": 1, "id": "mini", "extends": "mini", "version": "1.1.0",
               "nodes": {"routine": {"referrals": ["elsewhere"]}}, "remove": ["gone"]}  # fmt: skip
    top = folder(tmp_path, "top", {"mini.yaml": changes})
    result = invoke(runner, "validate", str(top / "mini.yaml"),
                    env={"CRISISGUIDE_PATH": str(base)})  # fmt: skip
    assert result.exit_code == 1
    base_text = (base / "mini.yaml").read_text().splitlines()
    top_text = (top / "mini.yaml").read_text().splitlines()
    nowhere = next(i for i, line in enumerate(base_text, 1) if "nowhere" in line)
    elsewhere = next(i for i, line in enumerate(top_text, 1) if "elsewhere" in line)
    gone = next(i for i, line in enumerate(top_text, 1) if "gone" in line)
    out = result.stdout
    assert f"{base / 'mini.yaml'}:{nowhere}:" in out
    assert "'nowhere'" in out
    assert f"{top / 'mini.yaml'}:{elsewhere}:" in out
    assert "'elsewhere'" in out
    assert f"{top / 'mini.yaml'}:{gone}:" in out
    assert "CG110" in out


def test_an_overlay_with_no_base_or_outside_its_range_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    missing = folder(tmp_path, "missing", {"x.yaml": overlay(id="x", extends="suicide-risk-scren")})
    result = invoke(runner, "validate", str(missing))
    assert result.exit_code == 1
    assert "CG114 extends 'suicide-risk-scren', which is not in the library" in result.stdout
    assert "did you mean 'suicide-risk-screen'" in result.stdout
    newer = folder(tmp_path, "newer", {"x.yaml": overlay(
        extends={"id": "suicide-risk-screen", "version": ">=2,<3"})})  # fmt: skip
    result = invoke(runner, "run", "suicide-risk-screen", "--protocols", str(newer),
                    "--answers", "-", input="{}")  # fmt: skip
    assert result.exit_code == 1
    assert f"but the library has version {BUILT_IN_VERSION}" in result.stderr
    assert f"{newer / 'x.yaml'}:4:3: error CG114" in result.stderr
    inside = folder(tmp_path, "inside", {"x.yaml": overlay(
        extends={"id": "suicide-risk-screen", "version": f">={BUILT_IN_VERSION},<99"})})  # fmt: skip
    assert invoke(runner, "validate", str(inside), "--strict").exit_code == 0
    bad = folder(tmp_path, "bad", {"x.yaml": overlay(
        extends={"id": "suicide-risk-screen", "version": "about two"})})  # fmt: skip
    result = invoke(runner, "validate", str(bad))
    assert "CG104 extends.version: about two is not a version range" in result.stdout


def test_overlays_extending_each_other_are_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    loop = folder(tmp_path, "loop", {
        "a.yaml": {"format": 1, "id": "a", "extends": "b", "version": "1.0.0"},
        "b.yaml": {"format": 1, "id": "b", "extends": "a", "version": "1.0.0"}})  # fmt: skip
    result = invoke(runner, "validate", str(loop))
    assert result.exit_code == 1
    assert "overlays extend each other in a circle" in result.stdout


def test_an_overlay_with_its_own_id_sits_beside_its_base(runner: CliRunner, tmp_path: Path) -> None:
    own = folder(tmp_path, "own", {"riverside.yaml": overlay(id="riverside-screen",
                                                             title="Riverside screen")})  # fmt: skip
    rows = listed(runner, "--protocols", str(own))
    assert rows["riverside-screen"]["title"] == "Riverside screen"
    assert rows["suicide-risk-screen"]["version"] == BUILT_IN_VERSION


def test_export_resolved_names_each_pieces_origin_and_loads_back(
    runner: CliRunner, tmp_path: Path
) -> None:
    clinic = clinic_overlay(tmp_path)
    result = invoke(runner, "export", "suicide-risk-screen", "--protocols", str(clinic),
                    "--resolved")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    overlay_file = str(clinic / "screen.yaml")
    assert f"# The protocol in effect, from {overlay_file} merged over " in text
    assert "  # wish-dead: from " in text
    assert f"suicide-risk-screen.yaml; ask from {overlay_file}\n" in text
    thoughts = next(line for line in text.splitlines() if line.startswith("  # thoughts:"))
    assert thoughts.endswith("protocols/suicide-risk-screen.yaml")
    merged = tmp_path / "merged.yaml"
    merged.write_text(text, encoding="utf-8")
    checked = invoke(runner, "validate", str(merged), "--strict")
    assert checked.exit_code == 0, checked.stdout
    assert yaml.safe_load(text)["nodes"]["wish-dead"]["ask"] == [ASK]


def test_new_extends_writes_a_starter_overlay_that_validates(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "new", "riverside-screen", "--extends", "suicide-risk-screen")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "riverside-screen.yaml").read_text()
    assert f'extends: {{id: suicide-risk-screen, version: ">={BUILT_IN_VERSION},<2"}}' in text
    assert invoke(runner, "validate", "riverside-screen.yaml", "--strict").exit_code == 0
    missing = invoke(runner, "new", "other", "--extends", "no-such-protocol")
    assert missing.exit_code == 1
    assert "no protocol with id 'no-such-protocol'" in missing.stderr


def test_an_overlay_that_lists_nodes_wrongly_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    wrong = folder(tmp_path, "wrong", {"x.yaml": overlay(nodes=["wish-dead"])})
    result = invoke(runner, "validate", str(wrong))
    assert result.exit_code == 1
    assert "nodes: in an overlay, a mapping of node id" in result.stdout


# --- the clinic of the issue ---------------------------------------------------------------------

RIVERSIDE = {"format": 1, "entries": [{
    "id": "riverside-er", "kind": "emergency", "name": "Riverside General emergency department",
    "regions": ["US"], "contact": {"call": "+1 555 010 4000"}, "hours": "24/7",
    "source": "https://example.org/riverside", "last_verified": "2026-11-30"}]}  # fmt: skip


def riverside_clinic(tmp_path: Path, **changes: Any) -> Path:
    steps = [*screen_copy()["nodes"]["high-risk"]["steps"], STEP]
    referrals = ["riverside-er", *screen_copy()["nodes"]["high-risk"]["referrals"]]
    nodes = {"wish-dead": {"ask": [ASK]},
             "thoughts": {"ask": ["In the past month, have you thought about killing yourself?"]},
             "high-risk": {"steps": steps, "referrals": referrals}, **changes}  # fmt: skip
    return folder(tmp_path, "clinic", {"screen.yaml": overlay(
        extends={"id": "suicide-risk-screen", "version": ">=1.2,<2"}, nodes=nodes,
        review={"by": "A. Okafor", "on": "2026-11-30"}), "riverside.yaml": RIVERSIDE})  # fmt: skip


HIGH = "wish-dead: 'Yes'\nthoughts: 'Yes'\nmethod: 'Yes'\nintent: 'Yes'\nplan: 'Yes'\nbehaviour: 'No'\n"


def test_a_clinic_overlay_runs_exports_validates_and_passes_the_drills(
    runner: CliRunner, tmp_path: Path
) -> None:
    clinic = riverside_clinic(tmp_path)
    opts = ("--protocols", str(clinic))
    checked = invoke(runner, "validate", str(clinic), "--strict")
    assert checked.exit_code == 0, checked.stdout
    ran = invoke(runner, "run", "suicide-risk-screen", *opts, "--answers", "-", "--plain",
                 "--no-pager", input=HIGH)  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert "Riverside General emergency department: call +1 555 010 4000" in ran.stdout
    assert STEP in ran.stdout
    exported = invoke(runner, "export", "suicide-risk-screen", *opts)
    assert exported.exit_code == 0
    assert "Reviewed" in exported.stdout
    assert ASK in exported.stdout
    drills = invoke(runner, "drill", "check", *opts, "--format", "json")
    assert drills.exit_code == 0, drills.stdout
    rows = json.loads(drills.stdout)
    screen_drills = [r for r in rows if r["protocol_file"] == str(clinic / "screen.yaml")]
    assert screen_drills
    assert all(r["passed"] for r in rows)


def test_a_drill_the_overlay_breaks_fails_naming_the_overlay(
    runner: CliRunner, tmp_path: Path
) -> None:
    answers = screen_copy()["nodes"]["intent"]["answers"]
    lowered = [dict(a, tier="moderate") if a["label"] == "Yes" else a for a in answers]
    clinic = riverside_clinic(tmp_path, intent={"answers": lowered})
    result = invoke(runner, "drill", "check", "--protocols", str(clinic))
    assert result.exit_code == 1
    failures = [line for line in result.stdout.splitlines() if "FAIL" in line]
    assert failures
    assert all(f"(protocol {clinic / 'screen.yaml'})" in line for line in failures)


def test_a_directory_beside_the_protocols_is_merged_and_a_named_one_wins(
    runner: CliRunner, tmp_path: Path
) -> None:
    clinic = riverside_clinic(tmp_path)
    shown = invoke(runner, "resources", "--protocols", str(clinic), "--region", "US",
                   "--format", "json")  # fmt: skip
    assert shown.exit_code == 0, shown.stderr
    assert any(e["id"] == "riverside-er" for e in json.loads(shown.stdout)["entries"])
    renamed = json.loads(json.dumps(RIVERSIDE))
    renamed["entries"][0]["name"] = "Riverside ED (new building)"
    mine = write_yaml(tmp_path / "mine.yaml", renamed)
    shown = invoke(runner, "resources", "--protocols", str(clinic), "--referrals", str(mine),
                   "--region", "US", "--format", "json")  # fmt: skip
    names = [e["name"] for e in json.loads(shown.stdout)["entries"] if e["id"] == "riverside-er"]
    assert names == ["Riverside ED (new building)"]


def test_drill_check_with_no_paths_checks_the_whole_library(runner: CliRunner) -> None:
    result = invoke(runner, "drill", "check", "--format", "json")
    assert result.exit_code == 0, result.stdout
    rows = json.loads(result.stdout)
    on_disk = list((PROTOCOLS / "drills").glob("*.yaml"))
    assert len(rows) == len(on_disk)
    assert all(r["passed"] for r in rows)


def test_a_copied_built_in_folder_overrides_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    """The first-use report's clinic: a copy of every built-in in a folder of its own is a
    set of overrides, not a wall of CG113."""
    copy = tmp_path / "copy"
    shutil.copytree(PROTOCOLS, copy)
    result = invoke(runner, "validate", str(copy), "--strict")
    assert result.exit_code == 0, result.stdout
    rows = listed(runner, "--protocols", str(copy))
    assert all(r["overrides"] == f"built-in {r['version']}" for r in rows.values())


def test_the_pre_commit_hooks_pass_a_clinic_and_catch_a_broken_drill(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each hook of .pre-commit-hooks.yaml, run as pre-commit runs it (entry, then args,
    no file names), in a service's repository."""
    from conftest import ROOT

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"crisisguide-validate", "crisisguide-drill-check"}
    clinic = riverside_clinic(tmp_path)
    monkeypatch.chdir(clinic)
    for hook in hooks:
        command = hook["entry"].split()
        assert command[0] == "crisisguide"
        assert hook["pass_filenames"] is False
        result = invoke(runner, *command[1:], *hook["args"])
        assert result.exit_code == 0, (hook["id"], result.stdout)
    answers = screen_copy()["nodes"]["intent"]["answers"]
    lowered = [dict(a, tier="moderate") if a["label"] == "Yes" else a for a in answers]
    (tmp_path / "broken").mkdir()
    broken = riverside_clinic(tmp_path / "broken", intent={"answers": lowered})
    monkeypatch.chdir(broken)
    drill_hook = next(h for h in hooks if h["id"] == "crisisguide-drill-check")
    result = invoke(runner, *drill_hook["entry"].split()[1:], *drill_hook["args"])
    assert result.exit_code == 1
    assert "FAIL alex-after-job-loss" in result.stdout


def test_validate_annotates_a_github_workflow(runner: CliRunner, tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["urgent"]["referrals"] = ["emergency", "crisis-line", "nowhere"]
    broken = write_yaml(tmp_path / "mini.yaml", data)
    result = invoke(runner, "validate", str(broken), "--format", "github")
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(broken.read_text().splitlines(), 1) if "nowhere" in text)
    (annotation,) = result.stdout.splitlines()
    assert annotation.startswith(f"::error file={broken},line={line},col=")
    assert ",title=crisisguide CG112::CG112 referral 'nowhere' is neither" in annotation


def test_github_annotations_escape_what_would_end_them() -> None:
    from crisisguide.errors import Location, Problem, Severity

    found = Problem("CG104", Severity.WARNING, "100%\nsure", Location("a,b:c.yaml", 3, 4))
    assert found.as_github() == (
        "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=crisisguide CG104::CG104 100%25%0Asure"
    )
