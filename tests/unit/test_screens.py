"""Screens and lists a practitioner reads at a glance (the first-use report): ids never
cut, lists for programs when piped, no trailing spaces, show at 60 columns, resources by
kind, plain words, human YAML errors, handouts that print well."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import invoke, write_yaml


def test_list_piped_is_one_tab_separated_line_per_protocol(
    runner: CliRunner, golden: object
) -> None:
    result = invoke(runner, "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line.split("\t")) == 5 for line in lines)
    assert "suicide-risk-screen\tSuicide risk screening\t" in result.stdout
    assert all(line.endswith("\tbuilt-in") for line in lines)  # not a package path
    golden("list-piped.txt", result.stdout)  # type: ignore[operator]


def test_list_in_json_names_the_file_and_origin(runner: CliRunner) -> None:
    rows = json.loads(invoke(runner, "list", "--format", "json").stdout)
    row = next(r for r in rows if r["id"] == "suicide-risk-screen")
    assert row["file"] == "built-in"
    assert row["origin"] == "built-in"
    assert row["path"].endswith("suicide-risk-screen.yaml")


def test_list_in_a_narrow_terminal_never_cuts_an_id() -> None:
    import io

    from rich.console import Console

    from crisisguide.ui.render import protocol_table

    rows = [{"id": "when-treatment-isnt-working", "title": "When treatment is not working: "
             "reviewing, changing the approach, referring on", "version": "1.2.0", "nodes": 20,
             "file": "built-in"}]  # fmt: skip
    out = io.StringIO()
    Console(file=out, width=60, color_system=None).print(protocol_table(rows))
    assert "when-treatment-isnt-working" in out.getvalue()


def test_drill_list_piped_and_broken_files_fail_like_list(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = invoke(runner, "drill", "list")
    assert result.exit_code == 0
    assert all(len(line.split("\t")) == 5 for line in result.stdout.splitlines())
    (tmp_path / "broken.yaml").write_text("format: 1\nclient: [\n")
    for command in (["list"], ["drill", "list"]):
        result = invoke(runner, *command, "--protocols", str(tmp_path))
        assert result.exit_code == 1, command
        assert "broken.yaml" in result.stderr


@pytest.mark.parametrize(
    "content",
    ["format: 1\nid: oops\ntitle: T\nnodes: [\n", "format: 1\nid: stray\n"],
    ids=["broken-protocol", "neither-protocol-drill-nor-directory"],
)
def test_drill_list_reports_broken_library_files_as_list_does(
    runner: CliRunner, tmp_path: Path, content: str
) -> None:
    (tmp_path / "x.yaml").write_text(content)
    listed = invoke(runner, "list", "--protocols", str(tmp_path))
    drills = invoke(runner, "drill", "list", "--protocols", str(tmp_path))
    assert (listed.exit_code, drills.exit_code) == (1, 1)
    assert "x.yaml" in drills.stderr
    assert drills.stderr == listed.stderr


@pytest.mark.parametrize("command", [["now"], ["resources"], ["show", "suicide-risk-screen"],
                                     ["export", "suicide-risk-screen"], ["list"]])  # fmt: skip
def test_piped_output_has_no_trailing_spaces(runner: CliRunner, command: list[str]) -> None:
    result = invoke(runner, *command)
    assert result.exit_code == 0
    assert not [line for line in result.stdout.splitlines() if line.endswith(" ")]


def test_now_piped(runner: CliRunner, golden: object) -> None:
    result = invoke(runner, "now", "--region", "GB")
    assert result.stdout.splitlines()[:2] == [
        "Region: GB",
        "999 Emergency Services (emergency, 24/7)",
    ]
    golden("now-piped.txt", result.stdout)  # type: ignore[operator]


def test_show_full_previews_every_step(runner: CliRunner, golden: object) -> None:
    result = invoke(runner, "show", "suicide-risk-screen", "--full")
    assert result.exit_code == 0
    assert "Ask: Over the last month" in result.stdout
    assert "Avoid: \u201c" in result.stdout
    assert "Watch for: " in result.stdout
    assert "Follow up with: Brief suicide safety assessment" in result.stdout  # titles, not ids
    golden("show-full-suicide-risk-screen.txt", result.stdout)  # type: ignore[operator]


def test_show_reads_well_at_60_columns(runner: CliRunner) -> None:
    result = invoke(runner, "show", "suicide-risk-screen", env={"COLUMNS": "60"})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    words = set(
        re.findall(r"[A-Za-z][A-Za-z-]+", Path("protocols/suicide-risk-screen.yaml").read_text())
    )
    broken = [line.split()[-1] for line in lines if line.split() and line.split()[-1] not in words
              and re.fullmatch(r"[a-z]+", line.split()[-1]) and len(line) >= 58]  # fmt: skip
    assert "behaviou" not in result.stdout.replace("behaviour", "")
    assert not broken


def test_resources_are_grouped_by_kind_with_id_date_and_source(
    runner: CliRunner, tmp_path: Path
) -> None:
    local = tmp_path / "network.yaml"
    write_yaml(local, {"format": 1, "entries": [
        {"id": "city-peers", "name": "City peer group", "kind": "peer-support", "regions": ["GB"],
         "contact": {"call": "0100 000 0001"}, "source": "https://example.org/",
         "last_verified": "2026-11-01"},
        {"id": "city-er", "name": "City ER", "kind": "emergency", "regions": ["GB"],
         "contact": {"call": "0100 000 0000"}, "source": "https://example.org/",
         "last_verified": "2026-11-01"}]})  # fmt: skip
    result = invoke(runner, "resources", "--region", "GB", "--referrals", str(local))
    kinds = [line.split("\t")[1] for line in result.stdout.splitlines()]
    assert kinds == sorted(kinds, key=["emergency", "crisis-line", "mobile-crisis", "inpatient",
        "crisis-stabilization", "partial-hospitalization", "outpatient", "ongoing-program",
        "peer-support"].index)  # fmt: skip
    assert (
        "city-er\temergency\tCity ER\tcall 0100 000 0000\t\t2026-11-01\thttps://example.org/"
        in result.stdout
    )
    rows = json.loads(invoke(runner, "resources", "--region", "GB", "--format", "json").stdout)[
        "entries"
    ]
    assert {"id", "source", "last_verified"} <= set(rows[0])
    screen = invoke(runner, "resources", "--region", "GB", "--plain").stdout
    assert "id gb-999; checked " in screen


def test_a_tag_that_matches_nothing_says_so(runner: CliRunner) -> None:
    result = invoke(runner, "resources", "--tag", "deff")
    assert result.exit_code == 1
    assert "No entries tagged deff for US (did you mean 'deaf'?)" in result.stderr


def test_notes_come_after_the_numbers(runner: CliRunner, tmp_path: Path) -> None:
    stale = write_yaml(tmp_path / "n.yaml", {"format": 1, "entries": [
        {"id": "old", "name": "Old", "kind": "peer-support", "regions": ["US"],
         "contact": {"call": "1"}, "source": "https://example.org/", "last_verified": "2020-01-01"}]})  # fmt: skip
    result = invoke(runner, "now", "--referrals", str(stale))
    assert result.stdout.startswith("Region: US\n911")
    assert "need checking" in result.stderr


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("format: 1\nid: x\n  title: T\n", "3:1", "this line is indented more than the one above it"),
        ("format: 1\ntitle: Ask: now\n", "2:11", "a ': ' inside unquoted text: put the whole value in quotes"),
        ("format: 1\n\tid: x\n", "2:1", "a tab is used to indent this line"),
        ('format: 1\ntitle: "open\nid: x\n', "2:8", "this quote is never closed"),
        ("format: 1\nask:\n  - one\n  two\n  - three\n", "4:3", "this line is neither 'key: value' nor a list item"),
        ("format: 1\nlist:\n  - a\n  b: c\n", "4:3", "this line is inside the list that starts at line 3"),
    ],
)  # fmt: skip
def test_yaml_mistakes_get_a_sentence_at_the_right_line(
    runner: CliRunner, tmp_path: Path, text: str, where: str, says: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    out = invoke(runner, "validate", str(path)).stdout
    assert out.startswith(f"{path}:{where}: error CG100 {says}")
    assert "(YAML says: " in out  # the parser's own words follow, for experts


def test_new_refuses_an_id_the_library_has(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "new", "suicide-risk-screen", "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1
    assert "--extends suicide-risk-screen" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_the_starter_outcomes_have_titles(runner: CliRunner) -> None:
    from crisisguide.authoring import starter_protocol
    from crisisguide.loader import protocol_from_document
    from crisisguide.yamldoc import parse_yaml

    protocol = protocol_from_document(parse_yaml(starter_protocol("mine").encode(), "m")).protocol
    assert protocol is not None
    assert all(protocol.nodes[o].title for o in protocol.outcome_ids)


@pytest.mark.parametrize("command", ["run", "show", "export"])
def test_usage_lines_say_protocol(runner: CliRunner, command: str) -> None:
    assert f"crisisguide {command} [OPTIONS] PROTOCOL" in invoke(runner, command, "--help").stdout


def test_shell_completion_completes_ids_and_regions(runner: CliRunner) -> None:
    import os
    import subprocess
    import sys

    def complete(words: str, index: int) -> str:
        env = {**os.environ, "_CRISISGUIDE_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(index)}  # fmt: skip
        return subprocess.run([sys.executable, "-m", "crisisguide"], env=env, capture_output=True,
                              text=True, check=False).stdout  # fmt: skip

    assert complete("crisisguide run suicide-r", 2).split() == ["suicide-risk-screen"]
    assert complete("crisisguide drill run alex", 3).split() == ["alex-after-job-loss"]
    assert "GB" in complete("crisisguide now --region G", 3).split()
    assert complete("crisisguide resources --kind peer", 3).split() == ["peer-support"]


def test_the_checklist_lists_each_referral_once_and_degrades_without_tables(
    runner: CliRunner,
) -> None:
    text = invoke(runner, "export", "suicide-risk-screen", "--no-tables").stdout
    assert not [line for line in text.splitlines() if line.startswith("|")]
    assert text.count("call 988; text 988") == 1
    assert "- If the risk tier is high or higher \u2192 High risk" in text


def test_the_pocket_card_states_thresholds_and_fits_a_page(runner: CliRunner) -> None:
    card = invoke(runner, "export", "suicide-risk-screen", "--card").stdout
    assert "## Risk is urgent when" in card
    assert "Intention to act: \u201cYes\u201d, or no clear answer" in card
    assert len(card.split()) <= 350
    assert card.count("Emergency help") == 1  # the emergency line once
    assert card.count("call 911") == 1


def test_the_outcome_screen_opens_with_what_to_do_now() -> None:
    import datetime as dt
    import io

    from rich.console import Console

    from crisisguide.engine import Session, play
    from crisisguide.library import load_library, search_folders
    from crisisguide.places import default_directory_file
    from crisisguide.referrals import Directory, load_directory
    from crisisguide.ui.screens import outcome_screen

    library = load_library(search_folders())
    protocol = library.valid_protocol("suicide-risk-screen")
    assert protocol is not None
    session = play(Session(protocol), {"wish-dead": "No", "thoughts": "No", "behaviour": "No",
                                       "clinical-concern-check": []})  # fmt: skip
    directory = Directory.merge([load_directory(str(default_directory_file()), dt.date.today())])
    out = io.StringIO()
    screen = outcome_screen(session, directory.resolve(session.outcome.referrals, "US"), True,
                            urgent=directory.urgent("US"), region="US", titles=library.titles())  # fmt: skip
    Console(file=out, width=80, color_system=None, soft_wrap=True).print(screen)
    lines = out.getvalue().splitlines()
    top = "\n".join(lines[:20])
    assert "Outcome: Negative screen" in top
    assert "Risk tier: NONE" in top
    assert "1. " in top
    assert "Emergency help (US): 911 Emergency Services" in top
    assert "No answer met a higher-risk rule, so the outcome is Negative screen" in out.getvalue()
