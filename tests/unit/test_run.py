"""``run``: scripted, JSON, transcripts, interactive (in-process prompts), and errors."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

import crisisguide.cli.walk as walk
from crisisguide.engine import Session, play
from crisisguide.export.markdown import transcript
from crisisguide.loader import load_protocol
from crisisguide.places import default_directory_file
from crisisguide.referrals import Directory, load_directory

from conftest import DATA, PROTOCOLS, TODAY, invoke, minimal_protocol, write_yaml

DOWN, ENTER = "\x1b[B", "\r"
HIGH = {
    "wish-dead": "Yes",
    "thoughts": "Yes",
    "method": "No",
    "intent": "Yes",
    "plan": "No",
    "behaviour": "No",
}


def answers_file(tmp_path: Path, answers: dict[str, Any], name: str = "a.yaml") -> str:
    return str(write_yaml(tmp_path / name, answers))


def test_scripted_run_reaches_the_outcome(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", answers_file(tmp_path, HIGH))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Outcome: High risk" in out
    assert "Risk tier: HIGH" in out
    assert "Do not leave the person alone" in out
    assert "988 Suicide & Crisis Lifeline" in out
    assert "The risk tier rose to high with the answer 'Yes' to 'Intention to act'" in out
    assert "Emergency help (US)" in out
    assert "not a clinical instrument" in out


def test_json_result_has_the_spec_shape(runner: CliRunner, tmp_path: Path) -> None:
    answers = answers_file(tmp_path, HIGH)
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", answers, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "protocol", "version", "sha256", "outcome", "outcome_tier", "tier", "flags", "path",
        "referrals", "trace",
    ]  # fmt: skip
    assert data["protocol"] == "suicide-risk-screen"
    assert data["outcome"] == "high-risk"
    assert data["outcome_tier"] == data["tier"] == "high"
    assert len(data["sha256"]) == 64
    assert data["path"][0] == {"node": "how-to-ask", "answer": None}
    assert data["path"][-1] == {"node": "high-risk", "answer": None}
    assert {"node": "intent", "answer": "Yes"} in data["path"]
    kinds = {r["kind"] for r in data["referrals"]}
    assert {"emergency", "crisis-line"} <= kinds
    us_988 = next(r for r in data["referrals"] if r["id"] == "us-988")
    assert us_988["contact"]["call"] == "988"
    assert data["trace"][-1] == "The risk tier is high or higher, so the outcome is High risk"


def test_region_changes_the_referrals(runner: CliRunner, tmp_path: Path) -> None:
    answers = answers_file(tmp_path, HIGH)
    result = invoke(
        runner, "run", "suicide-risk-screen", "--answers", answers, "--json", "--region", "uk"
    )
    referrals = json.loads(result.stdout)["referrals"]
    ids = [r["id"] for r in referrals]
    assert ids[0] == "gb-999"
    assert {"gb-999-bsl", "gb-samaritans", "gb-shout"} <= set(ids)
    assert all(i.startswith(("gb-", "all-")) for i in ids)  # GB, and the world directory
    kinds = [r["kind"] for r in referrals]
    assert kinds == sorted(kinds, key=lambda k: k != "emergency")  # emergency help first


def test_bad_region_is_usage(runner: CliRunner, tmp_path: Path) -> None:
    answers = answers_file(tmp_path, HIGH)
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", answers, "--region", "USA")
    assert result.exit_code == 2
    assert "'USA' is not a region" in result.stderr


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**HIGH, "wish-ded": "Yes"}, "'wish-ded' is not a node of suicide-risk-screen (did you mean 'wish-dead'?)"),
        ({**HIGH, "intent": "Maybe"}, "'Maybe' is not an answer of 'intent'; answers are: Yes, No"),
        ({**HIGH, "triage": "x"}, "'triage' is a route node and takes no answer"),
        ({"wish-dead": "Yes"}, "the walk reached 'thoughts' but there is no answer for it; valid answers: Yes, No"),
    ],
)  # fmt: skip
def test_answers_file_errors(
    runner: CliRunner, tmp_path: Path, answers: dict[str, Any], message: str
) -> None:
    result = invoke(
        runner, "run", "suicide-risk-screen", "--answers", answers_file(tmp_path, answers)
    )
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_answers_file_error_is_located(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('wish-dead: "Yes"\nthoughts: Maybe\n')
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", str(path))
    assert result.exit_code == 1
    assert f"{path}:2:11: error CG104 'Maybe' is not an answer of 'thoughts'" in result.stderr


def test_answers_file_yaml_12_labels(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "wish-dead: No\nthoughts: No\nbehaviour: No\nclinical-concern-check: []\n"
    )  # unquoted: still strings
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcome"] == "negative-screen"


def test_missing_answers_file(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "cannot read the file" in result.stderr


def test_without_a_terminal_run_refuses_and_names_answers(runner: CliRunner) -> None:
    result = invoke(runner, "run", "suicide-risk-screen")
    assert result.exit_code == 2
    assert "--answers" in result.stderr
    assert result.stdout == ""


def test_transcript_is_private_and_complete(runner: CliRunner, tmp_path: Path) -> None:
    record = tmp_path / "record.md"
    answers = answers_file(tmp_path, HIGH)
    result = invoke(
        runner, "run", "suicide-risk-screen", "--answers", answers, "--transcript", str(record)
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    text = record.read_text()
    assert "Do not record names" in text
    assert "| SHA-256 | `" in text
    assert "Over the last month, have you had thoughts of suicide, of ending your own life?" in text
    assert "**Answer:** Yes" in text
    assert "## Outcome: High risk" in text
    assert list(tmp_path.glob(".record.md.*")) == []  # no temporary file left behind


def test_transcript_to_an_unwritable_place(runner: CliRunner, tmp_path: Path) -> None:
    answers = answers_file(tmp_path, HIGH)
    target = tmp_path / "missing-folder" / "record.md"
    result = invoke(
        runner, "run", "suicide-risk-screen", "--answers", answers, "--transcript", str(target)
    )
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


def screen_session(answers: dict[str, Any]) -> tuple[Session, Directory]:
    loaded = load_protocol(str(PROTOCOLS / "suicide-risk-screen.yaml"))
    assert loaded.protocol is not None
    session = play(Session(loaded.protocol, sha256=loaded.doc.sha256), answers)
    directory = Directory.merge([load_directory(str(default_directory_file()), TODAY)])
    return session, directory


def test_golden_transcript(golden: Callable[[str, str], None]) -> None:
    answers = {**HIGH, "behaviour": "Yes", "behaviour-when": "Less than three months ago"}
    session, directory = screen_session(answers)
    assert session.current.kind == "outcome"
    resolved = directory.resolve(session.current.referrals, "GB")  # type: ignore[union-attr]
    golden(
        "transcript-suicide-risk-screen.md",
        transcript(session, resolved, "GB", "2026-01-01 09:00 UTC"),
    )


def test_transcript_is_deterministic() -> None:
    session, directory = screen_session(HIGH)
    resolved = directory.resolve(session.current.referrals, "US")  # type: ignore[union-attr]
    first = transcript(session, resolved, "US", "T")
    assert first == transcript(session, resolved, "US", "T")


# --- hostile text is shown literally ----------------------------------------------------

HOSTILE = {
    "title": "[bold red]Call[/] [/] now",
    "prompt": "Ask [link=https://x.test]here[/link] \x1b[31mred\x1b[0m # not a heading",
    "ask": ["*Are* you _thinking_ about `killing` yourself? <b>Yes</b> | pipe"],
}


def hostile_protocol(tmp_path: Path) -> Path:
    data = minimal_protocol()
    data["nodes"]["ask"].update(HOSTILE)  # type: ignore[union-attr]
    return write_yaml(tmp_path / "hostile.yaml", data)


def test_hostile_text_in_the_walk_and_transcript(runner: CliRunner, tmp_path: Path) -> None:
    path = hostile_protocol(tmp_path)
    record = tmp_path / "r.md"
    answers = answers_file(tmp_path, {"ask": "Yes"}, "ans.yaml")
    result = invoke(runner, "run", str(path), "--answers", answers, "--transcript", str(record))
    assert result.exit_code == 0, result.output
    text = record.read_text()
    assert "\x1b" not in text
    assert "\\[bold red\\]Call\\[/\\] \\[/\\] now" in text
    assert (
        "\\*Are\\* you \\_thinking\\_ about \\`killing\\` yourself? \\<b\\>Yes\\</b\\> \\| pipe"
        in text
    )


# --- interactive, in-process --------------------------------------------------------------


@pytest.fixture
def keys() -> Iterator[Callable[[str], None]]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe.send_text


def run_interactive(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.setattr(walk, "has_terminal", lambda: True)
    return invoke(runner, "run", *args)


def test_interactive_walk_with_back(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, keys: Callable[[str], None]
) -> None:
    # Continue; wish-dead Yes; thoughts Yes; method: Back (4th choice, after the unclear
    # answer); thoughts again: No (2nd); behaviour No -> low risk (the Yes branch undone)
    keys(ENTER + ENTER + ENTER + DOWN * 3 + ENTER + DOWN + ENTER + DOWN + ENTER)
    result = run_interactive(runner, monkeypatch, "suicide-risk-screen", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [step["node"] for step in data["path"]] == [
        "how-to-ask", "wish-dead", "thoughts", "behaviour", "triage", "low-risk",
    ]  # fmt: skip
    assert data["trace"] == [
        "The risk tier rose to low with the answer 'Yes' to 'Wanting to die'",
        "The risk tier is low or higher, so the outcome is Low risk",
    ]
    assert "Step 4 of ~" in result.stderr
    assert "\u00b7 Thought about how" in result.stderr  # the walk was shown, then undone


def test_interactive_number_keys(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, keys: Callable[[str], None]
) -> None:
    keys(ENTER + "2" + ENTER + "2" + ENTER + "2" + ENTER + ENTER)  # then nothing ticked
    result = run_interactive(runner, monkeypatch, "suicide-risk-screen", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcome"] == "negative-screen"


def test_interactive_checklist_and_action(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, keys: Callable[[str], None]
) -> None:
    # info: Continue; checklist: tick 1st and 3rd; question: Yes; action: Done
    keys(ENTER + " " + DOWN + DOWN + " " + ENTER + ENTER + ENTER)
    result = run_interactive(runner, monkeypatch, str(DATA / "valid" / "every-kind.yaml"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["path"][1] == {
        "node": "signs",
        "answer": ["Talks of being a burden", "Seeking means"],
    }
    assert data["path"][3] == {"node": "secure", "answer": "done"}
    assert data["outcome"] == "urgent"


def test_interactive_plain_mode_types_numbers(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, keys: Callable[[str], None]
) -> None:
    # an invalid reply first ('7'), cleared, then valid numbers; 0 goes back
    keys(
        "1"
        + ENTER
        + "1"
        + ENTER
        + "7"
        + "\x7f"
        + "1"
        + ENTER
        + "0"
        + ENTER
        + "2"
        + ENTER
        + "2"
        + ENTER
    )
    result = run_interactive(runner, monkeypatch, "suicide-risk-screen", "--plain", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["outcome"] == "low-risk"
    assert "│" not in result.stderr
    assert "╭" not in result.stderr
    assert "Ask (say it directly):" in result.stderr
    assert (
        "- \u201cYou haven't been wishing you were dead, have you?\u201d - why not:"
        in result.stderr
    )


def test_ctrl_c_exits_130_and_saves_nothing(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import crisisguide.ui.walk as walk

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(walk, "ask", interrupted)
    record = tmp_path / "r.md"
    result = run_interactive(
        runner, monkeypatch, "suicide-risk-screen", "--transcript", str(record)
    )
    assert result.exit_code == 130
    assert "nothing was saved" in result.stderr
    assert not record.exists()
    assert list(tmp_path.iterdir()) == []


def test_hostile_text_is_literal_on_screen(runner: CliRunner, tmp_path: Path) -> None:
    path = hostile_protocol(tmp_path)
    result = invoke(runner, "show", str(path), "--plain")
    assert result.exit_code == 0, result.output
    assert "[bold red]Call[/] [/] now" in result.stdout
    assert "\x1b" not in result.stdout


def test_walk_screen_shows_hostile_text_literally() -> None:
    import io

    from rich.console import Console

    from crisisguide.describe import title_of
    from crisisguide.model import Protocol
    from crisisguide.ui.screens import node_screen

    data = minimal_protocol()
    data["nodes"]["ask"].update(HOSTILE)  # type: ignore[union-attr]
    protocol = Protocol.model_validate(data)
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None).print(
        node_screen(f"Step 1 of ~1 \u00b7 {title_of(protocol, 'ask')}", protocol.nodes["ask"])
    )
    shown = buffer.getvalue()
    assert "[bold red]Call[/] [/] now" in shown
    assert "Ask [link=https://x.test]here[/link] [31mred[0m # not a heading" in shown
    assert "*Are* you _thinking_ about `killing` yourself? <b>Yes</b> | pipe" in shown
    assert "\x1b" not in shown


def test_an_answer_with_invisible_tag_characters_is_the_plain_answer(
    runner: CliRunner, tmp_path: Path
) -> None:
    plain = answers_file(tmp_path, HIGH, "plain.yaml")
    tagged = tmp_path / "tagged.yaml"
    text = (
        Path(plain).read_text(encoding="utf-8").replace("intent: 'Yes'", "intent: 'Yes\U000e0041'")
    )
    assert "\U000e0041" in text
    tagged.write_text(text, encoding="utf-8")
    expected = invoke(runner, "run", "suicide-risk-screen", "--answers", plain, "--json")
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", str(tagged), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tier"] == json.loads(expected.stdout)["tier"] == "high"
