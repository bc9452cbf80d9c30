"""The robustness report's reproductions, one test each, in process (the rest are in
tests/e2e/test_streams.py): forged lines, escapes in paths, long numbers, Python values in
messages, special files named on the command line."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROTOCOLS, invoke, minimal_protocol, write_yaml

ESC = "\x1b]52;c;UFdORUQ=\x07\x1b[2J"


def test_a_value_with_a_newline_cannot_forge_a_second_diagnostic(
    runner: CliRunner, tmp_path: Path
) -> None:
    """D12: an id with a newline printed a second, forged FILE:LINE:COL line."""
    forged = "oops\n/etc/passwd:1:1: error CG100 forged diagnostic line"
    path = write_yaml(tmp_path / "forge.yaml", minimal_protocol(id=forged))
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:2:5: error CG104 id: 'oops\\n/etc/passwd")


def test_a_nul_byte_is_located_at_its_line(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b'format: 1\nid: x\ntitle: "a\x00b"\n')
    result = invoke(runner, "validate", str(path))
    assert result.stdout.strip() == (
        f"{path}:3:10: error CG100 the file contains a character YAML does not allow "
        "(U+0000); remove it or write it as an escape in double quotes"
    )


def test_escape_sequences_in_file_names_never_reach_the_terminal(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """D5: drill check and config printed paths raw (OSC 52 wrote to the clipboard)."""
    folder = tmp_path / f"x{ESC}y"
    folder.mkdir()
    drill = folder / f"bad{ESC}.yaml"
    drill.write_text((PROTOCOLS / "drills" / "alex-after-job-loss.yaml").read_text()
                     .replace("outcome: high-risk", "outcome: low-risk"))  # fmt: skip
    checked = invoke(runner, "drill", "check", str(drill))
    assert checked.exit_code == 1
    monkeypatch.setenv("CRISISGUIDE_PATH", str(folder))
    configured = invoke(runner, "config")
    for result in (checked, configured):
        assert "\x1b" not in result.output
        assert "\x07" not in result.output
    assert "]52;c;UFdORUQ=" in checked.stdout  # shown, but inert


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("answers", "wish-dead: 1{zeros}\n"),
        ("config", "region: 1{zeros}\n"),
    ],
)
def test_a_number_too_long_to_convert_is_one_clear_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, text: str
) -> None:
    """D7: int() of more than 4,300 digits crashed every command reading the file."""
    path = tmp_path / f"{where}.yaml"
    path.write_text(text.format(zeros="0" * 5000))
    if where == "config":
        monkeypatch.setenv("CRISISGUIDE_CONFIG", str(path))
        result = invoke(runner, "list")
    else:
        result = invoke(runner, "run", "suicide-risk-screen", "--answers", str(path))
    assert result.exit_code == 1, result.output
    assert f"{path}:1:" in result.stderr
    assert "the number is too long (5001 characters)" in result.stderr
    assert "internal error" not in result.stderr


def test_a_broken_file_in_the_library_is_reported_not_a_crash(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    text = write_yaml(tmp_path / "p.yaml", minimal_protocol()).read_text()
    (bad / "big.yaml").write_text(text.replace("format: 1", "format: 1" + "0" * 5000))
    monkeypatch.setenv("CRISISGUIDE_PATH", str(bad))
    assert invoke(runner, "list").exit_code == 1
    answers = tmp_path / "a.yaml"
    answers.write_text(
        'wish-dead: "No"\nthoughts: "No"\nbehaviour: "No"\nclinical-concern-check: []\n'
    )
    assert invoke(runner, "run", "suicide-risk-screen", "--answers", str(answers)).exit_code == 0


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("true", "true"),
        ("['Yes']", "a list ('Yes')"),
        ("{a: 1}", "a mapping"),
        ("~", "an empty value"),
    ],
)
def test_answer_messages_use_words_not_python_values(
    runner: CliRunner, tmp_path: Path, value: str, shown: str
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(f"wish-dead: {value}\n")
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", str(answers))
    assert result.exit_code == 1
    assert f"error CG104 {shown} is not an answer of 'wish-dead'" in result.stderr


def test_validating_an_empty_folder_is_not_a_pass(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "validate", str(tmp_path))
    assert result.exit_code == 1
    assert "no YAML files to check" in result.stderr


def test_a_folder_named_like_a_protocol_file_is_said_to_be_a_folder(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "x.yaml").mkdir()
    result = invoke(runner, "show", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1
    assert "is a folder" in result.stderr


def test_a_protocol_can_come_through_a_pipe(runner: CliRunner, tmp_path: Path) -> None:
    """``crisisguide show <(cat protocol.yaml)``: a FIFO the user names is read."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    text = write_yaml(tmp_path / "p.yaml", minimal_protocol()).read_text()

    def feed() -> None:
        with open(fifo, "w") as writer:
            writer.write(text)

    threading.Thread(target=feed, daemon=True).start()
    result = invoke(runner, "show", str(fifo))
    assert result.exit_code == 0, result.output
    assert "Mini" in result.stdout
