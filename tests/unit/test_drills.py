"""Drills: loading and checks, scoring and debrief, drill check, coverage, the CLI."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from crisisguide.drills import DrillRun, check_drill, coverage, drill_from_document
from crisisguide.loader import load_protocol
from crisisguide.model import Protocol
from crisisguide.yamldoc import parse_yaml

from conftest import DATA, PROTOCOLS, invoke

DRILLS = DATA / "drills"


def mini() -> Protocol:
    loaded = load_protocol(str(DRILLS / "mini-protocol.yaml"))
    assert loaded.protocol is not None
    return loaded.protocol


def drill_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DRILLS / "concern.yaml").read_text())
    data.update(overrides)
    return data


def load(data: dict[str, Any]) -> Any:
    raw = yaml.safe_dump(data, sort_keys=False).encode()
    return drill_from_document(parse_yaml(raw, "d.yaml"), {"mini-drill-protocol": mini()})


def codes(loaded: Any) -> list[tuple[str, int]]:
    return [(p.code, p.location.line) for p in loaded.problems]


def test_a_good_drill_loads() -> None:
    loaded = load(drill_data())
    assert loaded.problems == []
    assert loaded.answers == {"ask": "Yes", "now": "No"}


def test_unknown_protocol_is_located() -> None:
    loaded = load(drill_data(protocol="mini-drill-protocl"))
    assert [p.code for p in loaded.problems] == ["CG104"]
    assert "did you mean 'mini-drill-protocol'" in loaded.problems[0].message


def test_unknown_node_and_bad_label() -> None:
    data = drill_data()
    data["client"]["nwo"] = {"says": "x", "answer": "Yes"}
    data["client"]["ask"]["answer"] = "yes"
    messages = [p.message for p in load(data).problems]
    assert any(
        m.startswith("'nwo' is not a node of mini-drill-protocol (did you mean 'now'?)")
        for m in messages
    )
    assert any(
        m.startswith("'yes' is not an answer of 'ask' (did you mean 'Yes'?)") for m in messages
    )


def test_question_line_needs_says() -> None:
    data = drill_data()
    del data["client"]["now"]["says"]
    assert [p.code for p in load(data).problems] == ["CG102"]


def test_expect_needs_outcome_or_tier() -> None:
    loaded = load(drill_data(expect={"referrals": ["crisis-line"]}))
    assert [p.code for p in loaded.problems] == ["CG104"]
    assert "expect needs an outcome, a tier, or both" in loaded.problems[0].message


def test_expect_is_checked_against_the_protocol() -> None:
    loaded = load(
        drill_data(expect={"outcome": "concrn", "tier": "hihg", "referrals": ["crisis-lines"]})
    )
    assert sorted(p.code for p in loaded.problems) == ["CG110", "CG111", "CG112"]


def test_unknown_key_in_drill() -> None:
    assert [p.code for p in load(drill_data(vignete="x")).problems] == ["CG103"]


# --- drill check ---------------------------------------------------------------------------


def test_check_passes() -> None:
    result = check_drill(load(drill_data()), mini())
    assert result.passed
    assert (result.outcome, result.tier) == ("concern", "moderate")


def test_check_names_what_was_expected_and_what_happened() -> None:
    result = check_drill(load(drill_data(expect={"outcome": "urgent", "tier": "imminent",
                                                 "referrals": ["emergency"]})), mini())  # fmt: skip
    assert [why for why, _ in result.failures] == [
        "expected outcome 'urgent', but the walk reached 'concern'",
        "expected tier 'imminent', but the outcome reached is tier 'moderate'",
        "expected referrals emergency are not among the outcome's referrals (crisis-line, outpatient)",
    ]
    assert [str(where) for _, where in result.failures] == [
        "d.yaml:15:12",
        "d.yaml:16:9",
        "d.yaml:18:3",
    ]


def test_check_names_the_node_whose_client_line_is_missing() -> None:
    data = drill_data()
    del data["client"]["now"]
    result = check_drill(load(data), mini())
    assert [why for why, _ in result.failures] == [
        "the walk reached 'now' but the drill has no client line for it; valid answers: Yes, No, Unsure",
    ]


# --- coverage ----------------------------------------------------------------------------


def test_coverage_finds_the_uncovered_urgent_outcome() -> None:
    drills = [load(drill_data()), load(yaml.safe_load((DRILLS / "routine.yaml").read_text()))]
    found = coverage(mini(), drills)
    assert found.outcomes_reached == {"concern": ["mini-concern"], "routine": ["mini-routine"]}
    assert found.outcomes_missing() == ["urgent"]
    assert found.urgent_missing() == ["urgent"]
    assert ("now", "Yes") in found.answers_missing()
    assert ("signs", "Agitated") in found.answers_missing()
    assert ("signs", "Withdrawn") not in found.answers_missing()


# --- scoring ----------------------------------------------------------------------------


def new_run(seed: int = 1) -> DrillRun:
    loaded = load(drill_data())
    return DrillRun(loaded.drill, mini(), loaded.answers, seed)


def test_phrasings_mix_ask_and_avoid_in_a_seeded_order() -> None:
    first = [p.text for p in new_run(3).phrasings()]
    assert first == [p.text for p in new_run(3).phrasings()]
    assert sorted(first) == sorted([
        "Are you thinking about killing yourself?", "Are you thinking about suicide?",
        "You're not thinking of anything silly, are you?", "Why would you think that?",
    ])  # fmt: skip
    orders = {tuple(p.text for p in new_run(seed).phrasings()) for seed in range(20)}
    assert len(orders) > 1


def test_a_full_run_is_scored_and_debriefed() -> None:
    run = new_run()
    avoid = next(p for p in run.phrasings() if not p.good)
    bad = run.choose_phrasing(avoid)
    assert not bad.correct
    assert bad.message.endswith(avoid.why)
    assert run.record("No") is not None  # recorded wrongly: the walk still follows the script
    assert run.node_id == "now"
    good = next(p for p in run.phrasings() if p.good)
    assert run.choose_phrasing(good).correct
    assert run.record("No").correct  # type: ignore[union-attr]
    assert run.finished
    assert run.session.current_id == "concern"
    assert not run.choose_disposition("routine").correct
    assert run.scores() == {
        "asking": {"correct": 1, "total": 2},
        "recording": {"correct": 1, "total": 2},
        "disposition": {"correct": 0, "total": 1},
    }
    debrief = run.debrief()
    assert len(debrief.went_well) == 2
    assert any("the reply means 'Yes'; you recorded 'No'" in m for m in debrief.to_practise)
    assert any(
        "The protocol's disposition is 'Concern', not 'Routine'" in m for m in debrief.to_practise
    )
    assert any(avoid.why in m for m in debrief.to_practise)


def test_checklist_recording_ignores_order() -> None:
    loaded = load(yaml.safe_load((DRILLS / "routine.yaml").read_text()))
    run = DrillRun(loaded.drill, mini(), loaded.answers, 0)
    run.record("No")
    assert run.node_id == "signs"
    assert run.record(("Withdrawn",)).correct  # type: ignore[union-attr]


# --- CLI ---------------------------------------------------------------------------------


def test_drill_check_cli(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "drill", "check", str(DRILLS))
    assert result.exit_code == 0, result.output
    assert "PASS mini-concern: concern (tier moderate)" in result.stdout
    broken = tmp_path / "broken.yaml"
    data = drill_data(id="broken-drill", expect={"outcome": "urgent"})
    broken.write_text(yaml.safe_dump(data, sort_keys=False))
    (tmp_path / "mini-protocol.yaml").write_text((DRILLS / "mini-protocol.yaml").read_text())
    result = invoke(runner, "drill", "check", str(tmp_path))
    assert result.exit_code == 1
    line = f"{broken}:15:12: FAIL broken-drill: expected outcome 'urgent', but the walk reached 'concern'"
    assert line in result.stdout


@pytest.mark.parametrize(
    "content",
    ["format: 1\nid: oops\ntitle: T\nnodes: [\n", "format: 1\nid: stray\n"],
    ids=["broken-protocol", "neither-protocol-drill-nor-directory"],
)
def test_drill_check_fails_on_broken_files_of_the_library_as_list_reports_them(
    runner: CliRunner, tmp_path: Path, content: str
) -> None:
    (tmp_path / "x.yaml").write_text(content)
    listed = invoke(runner, "list", "--protocols", str(tmp_path))
    assert listed.exit_code == 1
    result = invoke(runner, "drill", "check", "--protocols", str(tmp_path))
    assert result.exit_code == 1
    assert "FAIL" not in result.stdout  # every drill passes; the library is what is broken
    assert listed.stderr.strip() in result.stderr


def test_drill_check_fails_on_a_broken_protocol_or_stray_file_beside_the_drills(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "concern.yaml").write_text((DRILLS / "concern.yaml").read_text())
    protocol = (DRILLS / "mini-protocol.yaml").read_text()
    unsafe = protocol.replace("referrals: [emergency, crisis-line]", "referrals: [outpatient]")
    (tmp_path / "mini-protocol.yaml").write_text(unsafe)  # CG130, but it still walks
    result = invoke(runner, "drill", "check", str(tmp_path))
    assert result.exit_code == 1
    assert "PASS mini-concern" in result.stdout
    assert f"{tmp_path / 'mini-protocol.yaml'}:" in result.stderr
    assert "CG130" in result.stderr
    (tmp_path / "mini-protocol.yaml").write_text(protocol)
    assert invoke(runner, "drill", "check", str(tmp_path)).exit_code == 0
    (tmp_path / "notes.yaml").write_text("format: 1\ntodo: write more drills\n")
    stray = invoke(runner, "drill", "check", str(tmp_path))
    assert stray.exit_code == 1
    assert f"{tmp_path / 'notes.yaml'}:1:1: error CG102" in stray.stderr


def test_drill_check_reports_invalid_drills(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "mini-protocol.yaml").write_text((DRILLS / "mini-protocol.yaml").read_text())
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(drill_data(protocol="nowhere")))
    result = invoke(runner, "drill", "check", "--format", "json", str(tmp_path))
    assert result.exit_code == 1
    (row,) = json.loads(result.stdout)
    assert row["passed"] is False
    assert "CG104 protocol 'nowhere' is not in the library" in row["failures"][0]


def test_drill_coverage_cli_fails_on_uncovered_urgent(runner: CliRunner) -> None:
    protocol = str(DRILLS / "mini-protocol.yaml")
    result = invoke(runner, "drill", "coverage", protocol, "--drills", str(DRILLS))
    assert result.exit_code == 1
    assert "  urgent (urgent): NOT COVERED" in result.stdout
    assert "  concern: covered by mini-concern" in result.stdout
    assert "urgent outcome(s) with no drill: urgent" in result.stderr


def test_drill_list(runner: CliRunner) -> None:
    result = invoke(runner, "drill", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert any(row["id"] == "alex-after-job-loss" for row in json.loads(result.stdout))


def test_drill_run_needs_a_terminal(runner: CliRunner) -> None:
    result = invoke(runner, "drill", "run", "alex-after-job-loss")
    assert result.exit_code == 2
    assert "drill check" in result.stderr


def test_drill_run_in_process_with_results(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    import crisisguide.cli.drills as drills_cli

    monkeypatch.setattr(drills_cli, "has_terminal", lambda: True)
    results = tmp_path / "results.jsonl"
    results.write_text('{"earlier": true}')  # a line from before, without a final newline
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("\r" * 5)  # first phrasing and first answer, twice; then the disposition
        result = invoke(
            runner, "drill", "run", str(DRILLS / "concern.yaml"), "--protocols", str(DRILLS),
            "--seed", "5", "--results", str(results), "--transcript", str(tmp_path / "record.md"),
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Debrief" in result.stdout
    assert "Where to get help" in result.stdout
    assert "988 Suicide & Crisis Lifeline" in result.stdout
    earlier, line = results.read_text().splitlines()
    assert earlier == '{"earlier": true}'
    record = json.loads(line)
    assert record["drill"] == "mini-concern"
    assert record["protocol"] == "mini-drill-protocol"
    assert record["seed"] == 5
    assert set(record["scores"]) == {"asking", "recording", "disposition"}
    assert record["scores"]["recording"] == {"correct": 1, "total": 2}  # 'Yes' then 'Yes' (wrong)
    assert stat.S_IMODE(results.stat().st_mode) == 0o644  # an existing file keeps its mode
    record_md = (tmp_path / "record.md").read_text()
    assert stat.S_IMODE((tmp_path / "record.md").stat().st_mode) == 0o600
    assert record_md.startswith("# Drill record: Concern drill\n")
    assert "Do not record names" in record_md
    assert "**The client said:** \u201cSometimes, yes.\u201d" in record_md
    assert "## Outcome: Concern (concern)" in record_md  # the same outcome layout as export
    assert "- Recording: 1 of 2" in record_md
    assert "## Where to get help" in record_md


# --- the built-in drills -----------------------------------------------------------------


def builtin_drills() -> list[Any]:
    from crisisguide.drills import library_drills
    from crisisguide.library import load_library, search_folders

    return library_drills(load_library(search_folders()))


def test_builtin_drills_are_valid_and_pass(runner: CliRunner) -> None:
    drills = builtin_drills()
    assert len(drills) >= 14
    assert all(d.problems == [] for d in drills), [str(p) for d in drills for p in d.problems]
    result = invoke(runner, "drill", "check", str(PROTOCOLS / "drills"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("protocol_id", ["suicide-risk-screen", "youth-risk-screen"])
def test_every_screen_outcome_has_a_drill(protocol_id: str) -> None:
    loaded = load_protocol(str(PROTOCOLS / f"{protocol_id}.yaml"))
    assert loaded.protocol is not None
    assert coverage(loaded.protocol, builtin_drills()).outcomes_missing() == []


@pytest.mark.parametrize("path", sorted(PROTOCOLS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_urgent_outcome_of_every_protocol_has_a_drill(runner: CliRunner, path: Path) -> None:
    """``drill coverage`` passes for all twelve protocols (it fails on an urgent outcome
    that no drill reaches), as CI checks."""
    result = invoke(runner, "drill", "coverage", path.stem, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["urgent_not_covered"] == []


def test_every_protocol_with_branches_has_a_drill() -> None:
    covered = {d.drill.protocol for d in builtin_drills() if d.drill}
    for path in PROTOCOLS.glob("*.yaml"):
        assert path.stem in covered, path.stem


def test_builtin_drills_vary_the_people() -> None:
    tags = {tag for d in builtin_drills() if d.drill for tag in d.drill.tags}
    for needed in ("autistic", "types-answers", "parent-present", "veteran"):
        assert needed in tags, needed


# --- unclear answers ---------------------------------------------------------------------


def test_unclear_answers_are_offered_last_whatever_their_place_in_the_file() -> None:
    from crisisguide.model import Question, answer_labels
    from crisisguide.ui.prompts import options

    node = mini().nodes["ask"]
    assert isinstance(node, Question)
    assert node.answers[0].label == "Won't say"  # first in the file
    assert [a.label for a in node.choices()] == ["Yes", "No", "Won't say"]
    assert answer_labels(node) == ["Yes", "No", "Won't say"]
    assert [o.label for o in options(node)] == ["Yes", "No", "Won't say"]


def test_a_drill_may_script_an_unclear_answer() -> None:
    data = drill_data(
        client={
            "ask": {"says": "I'd rather not get into that.", "answer": "Won't say"},
            "now": {"says": "I don't know.", "answer": "Unsure"},
        },
        expect={"outcome": "urgent", "tier": "imminent"},
    )
    loaded = load(data)
    assert loaded.problems == []
    result = check_drill(loaded, mini())
    assert result.passed, result.failures
    assert result.outcome == "urgent"
