"""Faults: full or read-only disks, vanishing folders, signals during writes, a terminal
resized or closed during a walk, huge answers files. Each ends with a clear message, the
right exit code and no partial or corrupt file."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from crisisguide import fileio
from crisisguide.errors import CrisisGuideError

from conftest import ROOT, TESTS, invoke, minimal_protocol, write_yaml


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    ("where", "code", "words"),
    [
        ("fsync", errno.ENOSPC, "No space left on device"),
        ("replace", errno.EROFS, "Read-only file system"),
        ("mkstemp", errno.EACCES, "Permission denied"),
    ],
)
def test_write_failures_leave_nothing_and_keep_the_old_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str, code: int, words: str
) -> None:
    target = tmp_path / "out.md"
    target.write_text("the previous version\n")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    module = fileio.tempfile if where == "mkstemp" else fileio.os
    monkeypatch.setattr(module, where, fail)
    with pytest.raises(CrisisGuideError) as info:
        fileio.write_text_atomic(target, "new content\n")
    assert info.value.message == f"cannot write {target}: {words}"
    assert target.read_text() == "the previous version\n"
    assert leftovers(tmp_path) == ["out.md"]


def test_disk_full_through_the_cli(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    result = invoke(runner, "export", "suicide-risk-screen", "-o", str(tmp_path / "x.md"))
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"crisisguide: cannot write {tmp_path / 'x.md'}: No space left on device"
    )
    assert leftovers(tmp_path) == []


def test_output_under_a_file_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = invoke(runner, "export", "suicide-risk-screen", "-o", str(tmp_path / "afile" / "x.md"))
    assert result.exit_code == 1
    assert "Not a directory" in result.stderr


def test_a_file_that_vanishes_mid_run(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import crisisguide.files as files

    for name in ("a", "b", "c"):
        write_yaml(tmp_path / f"{name}.yaml", minimal_protocol(id=f"p-{name}"))
    listed = files.yaml_files

    def vanishing(root: Path) -> list[str]:
        files = listed(root)
        if Path(root) == tmp_path:
            (tmp_path / "b.yaml").unlink()  # gone between listing and reading
        return files

    monkeypatch.setattr(files, "yaml_files", vanishing)
    result = invoke(runner, "validate", str(tmp_path))
    assert result.exit_code == 1
    assert (
        result.stdout.strip()
        == f"{tmp_path / 'b.yaml'}:1:1: error CG100 cannot read the file: No such file or directory"
    )
    assert "checked 3 files" in result.stderr


def test_a_protocol_folder_that_vanishes(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    result = invoke(runner, "list", "--protocols", str(folder))
    assert result.exit_code == 0  # a missing extra folder is skipped; the library still lists
    assert "suicide-risk-screen" in result.stdout


def test_huge_answers_file_is_refused_quickly(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    with path.open("w") as stream:
        stream.write('wish-dead: "Yes"\n')
        stream.write("# " + "x" * 100 + "\n" * 1)
        for i in range(20_000):
            stream.write(f"x-padding-{i}: {'y' * 60}\n")
    assert path.stat().st_size > 1024 * 1024
    started = time.perf_counter()
    result = invoke(runner, "run", "suicide-risk-screen", "--answers", str(path))
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    assert f"{path}:1:1: error CG105 the file is larger than the 1 MiB limit" in result.stderr


SLOW_WRITE = textwrap.dedent(
    """
    import os, sys, time
    import crisisguide.fileio as fileio
    real = os.fsync
    def slow(fd):
        sys.stderr.write("WRITING\\n"); sys.stderr.flush()
        time.sleep(20)
        real(fd)
    fileio.os.fsync = slow
    from crisisguide.cli import main
    main(sys.argv[1:])
    """
)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_a_write_leaves_no_file(tmp_path: Path, signum: int, code: int) -> None:
    target = tmp_path / "out.md"
    env = {**os.environ, "CRISISGUIDE_CONFIG": str(tmp_path / "none.yaml")}
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, "export", "suicide-risk-screen", "-o", str(target)],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=str(ROOT),
    )  # fmt: skip
    assert proc.stderr is not None
    assert proc.stderr.readline().strip() == "WRITING"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == code, err
    assert "nothing was saved" in err
    assert leftovers(tmp_path) == []


def _spawn_walk(tmp_path: Path, *extra: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm",
           "CRISISGUIDE_CONFIG": str(tmp_path / "none.yaml")}  # fmt: skip
    return pexpect.spawn(
        sys.executable, ["-m", "crisisguide", "run", "suicide-risk-screen", *extra],
        env=env, dimensions=(40, 120), encoding="utf-8", timeout=20, cwd=str(TESTS),
    )  # fmt: skip


def test_a_resized_terminal_keeps_walking(tmp_path: Path) -> None:
    child = _spawn_walk(tmp_path, "--json")
    child.expect("When you are ready")
    child.setwinsize(20, 60)
    child.send("\r")
    child.expect("The client's answer")
    child.setwinsize(50, 160)
    child.send("\x1b[B\r")  # No
    child.expect("The client's answer")
    child.send("\x1b[B\r")  # No
    child.expect("The client's answer")
    child.send("\x1b[B\r")  # No
    child.expect('"outcome": "negative-screen"')
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_closed_terminal_ends_the_walk_and_writes_nothing(tmp_path: Path) -> None:
    record = tmp_path / "record.md"
    child = _spawn_walk(tmp_path, "--transcript", str(record))
    child.expect("When you are ready")
    child.send("\r")
    child.expect("The client's answer")
    child.close(force=False)  # hang up: the terminal goes away
    deadline = time.time() + 10
    while child.isalive() and time.time() < deadline:
        time.sleep(0.1)
    assert not child.isalive()
    assert child.exitstatus == 129
    assert leftovers(tmp_path) == []


def test_a_reader_that_goes_away_is_not_an_error(tmp_path: Path) -> None:
    """``crisisguide export ... | head -1``: the pipe closes early; stop quietly."""
    import fcntl

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ: a small pipe, so the writer must wait
    env = {**os.environ, "CRISISGUIDE_CONFIG": str(tmp_path / "none.yaml")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "crisisguide", "export", "suicide-risk-screen"],
        stdout=write_end, stderr=subprocess.PIPE, env=env, cwd=str(ROOT),
    )  # fmt: skip
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.readline().startswith(b"# Suicide risk screening")
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert b"internal error" not in err
    assert b"Traceback" not in err
