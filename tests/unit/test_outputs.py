"""Output files: checked before any work, written atomically, appended to for real
(the robustness report, D1-D4 and D18)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crisisguide.errors import CrisisGuideError, UsageError
from crisisguide.fileio import AppendFile, check_output, write_text_atomic

from conftest import invoke

ANSWERS = 'wish-dead: "No"\nthoughts: "No"\nbehaviour: "No"\nclinical-concern-check: []\n'


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- check_output ------------------------------------------------------------------------


def test_a_dash_is_standard_output() -> None:
    assert check_output("-") is None


@pytest.mark.parametrize("path", ["", "   "])
def test_an_empty_path_is_usage(path: str) -> None:
    with pytest.raises(UsageError, match="the output path is empty"):
        check_output(path)


def test_a_folder_and_a_link_to_a_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(tmp_path)
    for target in (tmp_path, tmp_path / "link"):
        with pytest.raises(UsageError, match="is a folder"):
            check_output(target)
    assert (tmp_path / "link").is_symlink()  # untouched


def test_a_fifo_and_a_device_are_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    for target in (tmp_path / "fifo", Path(os.devnull)):
        with pytest.raises(UsageError, match="not a regular file"):
            check_output(target)


def test_an_input_file_is_never_an_output(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text("x")
    (tmp_path / "alias.yaml").symlink_to(source)
    for target in (source, tmp_path / "alias.yaml", tmp_path / "." / "p.yaml"):
        with pytest.raises(UsageError, match="own input files"):
            check_output(target, inputs=[source])


def test_a_read_only_file_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "ro.md"
    target.write_text("keep")
    target.chmod(0o444)
    with pytest.raises(CrisisGuideError, match="read-only; add --force"):
        check_output(target)
    assert check_output(target, force=True) == target


def test_a_missing_folder_is_an_error_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(CrisisGuideError, match="does not exist"):
        check_output(tmp_path / "nope" / "x.md")


# --- atomic writes -----------------------------------------------------------------------


@pytest.mark.parametrize(("before", "private", "after"), [
    (0o640, False, 0o640), (0o600, False, 0o600), (0o666, True, 0o600), (0o644, True, 0o600),
    (0o400, True, 0o400),
])  # fmt: skip
def test_an_existing_file_keeps_its_mode_and_private_is_never_widened(
    tmp_path: Path, before: int, private: bool, after: int
) -> None:
    target = tmp_path / "x.md"
    target.write_text("old")
    target.chmod(before)
    write_text_atomic(target, "new", private=private)
    assert target.read_text() == "new"
    assert mode(target) == after


def test_a_new_private_file_is_owner_only(tmp_path: Path) -> None:
    write_text_atomic(tmp_path / "t.md", "x", private=True)
    assert mode(tmp_path / "t.md") == 0o600


# --- appending ---------------------------------------------------------------------------


def test_append_creates_an_owner_only_file(tmp_path: Path) -> None:
    with AppendFile(tmp_path / "r.jsonl") as results:
        results.append('{"a": 1}')
        results.append('{"b": 2}\n')
    assert (tmp_path / "r.jsonl").read_text() == '{"a": 1}\n{"b": 2}\n'
    assert mode(tmp_path / "r.jsonl") == 0o600


def test_append_keeps_mode_and_link_and_starts_a_new_line(tmp_path: Path) -> None:
    shared = tmp_path / "central.jsonl"
    shared.write_bytes(b'{"earlier": "caf\xe9"}')  # not UTF-8, and no final newline
    shared.chmod(0o660)
    link = tmp_path / "link.jsonl"
    link.symlink_to(shared)
    inode = shared.stat().st_ino
    with AppendFile(link) as results:
        results.append('{"new": 1}')
    assert link.is_symlink()
    assert shared.stat().st_ino == inode  # the same file, appended to, not replaced
    assert mode(shared) == 0o660
    assert shared.read_bytes() == b'{"earlier": "caf\xe9"}\n{"new": 1}\n'


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_append_refuses_what_is_not_a_file_without_blocking(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "r.jsonl"
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    with pytest.raises(UsageError):
        AppendFile(target)


def test_append_into_a_missing_folder_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(CrisisGuideError, match="cannot write"):
        AppendFile(tmp_path / "nope" / "r.jsonl")


# --- through the command line ------------------------------------------------------------


def test_export_never_overwrites_its_input(runner: CliRunner, tmp_path: Path) -> None:
    from conftest import minimal_protocol, write_yaml

    source = write_yaml(tmp_path / "mine.yaml", minimal_protocol())
    before = source.read_text()
    result = invoke(runner, "export", str(source), "-o", str(source))
    assert result.exit_code == 2
    assert "own input files" in result.stderr
    assert source.read_text() == before


def test_run_checks_the_transcript_path_before_walking(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    result = invoke(
        runner, "run", "suicide-risk-screen", "--answers", str(answers),
        "--transcript", str(tmp_path / "nope" / "t.md"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert "Outcome" not in result.stdout  # nothing walked, so nothing lost


def test_run_refuses_to_overwrite_its_answers_file(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    result = invoke(
        runner, "run", "suicide-risk-screen", "--answers", str(answers),
        "--transcript", str(answers),
    )  # fmt: skip
    assert result.exit_code == 2
    assert answers.read_text() == ANSWERS


def test_answers_can_come_on_standard_input(runner: CliRunner) -> None:
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", "-", "--json", input=ANSWERS)
    assert result.exit_code == 0, result.output
    assert '"outcome": "negative-screen"' in result.stdout


def test_schema_to_standard_output_with_a_dash(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "schema", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("{")
    assert not Path("-").exists()


def test_drill_results_path_is_checked_before_the_drill(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import crisisguide.cli.drills as drills_cli

    monkeypatch.setattr(drills_cli, "has_terminal", lambda: True)
    result = invoke(runner, "drill", "run", "alex-after-job-loss", "--results", str(tmp_path))
    assert result.exit_code == 2
    assert "is a folder" in result.stderr
    assert "The situation" not in result.stdout


def test_append_to_a_file_that_may_be_written_but_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared results file of mode 0620 in a group the trainer belongs to: opening it to
    read and write is refused, so it is appended to write-only, as a shell's >> does.
    (Tests may run as root, who may read anything: the refusal is simulated.)"""
    shared = tmp_path / "central.jsonl"
    shared.write_bytes(b'{"earlier": 1}\n')
    real_open = os.open

    def no_reading(path: Any, flags: int, *args: Any) -> int:
        if flags & os.O_ACCMODE != os.O_WRONLY:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_reading)
    with AppendFile(shared) as results:
        results.append('{"new": 1}')
        results.append('{"newer": 2}')
    monkeypatch.undo()
    assert shared.read_bytes() == b'{"earlier": 1}\n{"new": 1}\n{"newer": 2}\n'
