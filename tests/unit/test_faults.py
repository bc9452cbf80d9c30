"""Faults, in process: full or read-only disks, vanishing folders, huge answers files. Each
ends with a clear message, the right exit code and no partial or corrupt file. (Signals
and terminals are in tests/e2e/test_signals.py.)"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisisguide import fileio
from crisisguide.errors import CrisisGuideError

from conftest import invoke, minimal_protocol, write_yaml


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
    listed = files.scan

    def vanishing(root: Path) -> files.Found:
        found = listed(root)
        if Path(root) == tmp_path:
            (tmp_path / "b.yaml").unlink()  # gone between listing and reading
        return found

    monkeypatch.setattr(files, "scan", vanishing)
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
