"""Finding files: headers first, folders read once, nothing that can hang or hide
(the robustness report, D10, D11, D14, D17; the first-use report, (b) 2)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crisisguide.library import load_library, search_folders

from conftest import PROTOCOLS, invoke, minimal_protocol, write_yaml


def lib(tmp_path: Path, name: str = "lib") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    write_yaml(folder / "mini.yaml", minimal_protocol())
    return folder


def test_a_fifo_in_a_protocol_folder_is_reported_not_waited_on(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = lib(tmp_path)
    os.mkfifo(folder / "zz.yaml")
    listed = invoke(runner, "list", "--protocols", str(folder), "--format", "json")
    assert listed.exit_code == 1
    assert "zz.yaml:1:1: error CG100 is not a regular file" in listed.stderr
    assert '"mini"' in listed.stdout
    checked = invoke(runner, "validate", str(folder))
    assert checked.exit_code == 1
    assert "zz.yaml:1:1: error CG100 is not a regular file" in checked.stdout


def test_the_same_folder_by_two_spellings_is_one_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = lib(tmp_path)
    (tmp_path / "link").symlink_to(folder)
    spellings = [str(folder), str(folder / ".." / "lib"), str(tmp_path / "link")]
    monkeypatch.setenv("CRISISGUIDE_PATH", os.pathsep.join(spellings))
    assert len(search_folders()) == 2  # the built-in library, and this one
    result = invoke(runner, "list")
    assert result.exit_code == 0, result.stderr
    assert "CG113" not in result.stderr


def test_an_unreadable_subfolder_is_reported(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crisisguide.files as files

    folder = lib(tmp_path)
    walk = os.walk

    def walk_with_a_locked_folder(top: Any, onerror: Any = None, **kw: Any) -> Any:
        onerror(PermissionError(13, "Permission denied", str(Path(top) / "locked")))
        return walk(top, onerror=onerror, **kw)

    monkeypatch.setattr(files.os, "walk", walk_with_a_locked_folder)
    result = invoke(runner, "validate", str(folder))
    assert result.exit_code == 1
    assert f"{folder / 'locked'}:1:1: error CG100 cannot read the folder: Permission denied" in (
        result.stdout
    )


def test_a_config_path_behind_a_locked_folder_is_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret" / "config.yaml"
    real_is_file = Path.is_file

    def locked(self: Path) -> bool:
        if self == secret:
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_file(self)

    monkeypatch.setattr(Path, "is_file", locked)
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(secret))
    result = invoke(runner, "list")
    assert result.exit_code == 1
    assert f"{secret}: cannot read the config file: Permission denied" in result.stderr
    assert "Traceback" not in result.output
    assert invoke(runner, "now").exit_code == 0  # now still answers


def test_a_file_path_does_not_read_the_rest_of_the_library(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run FILE`` and ``validate FILE`` read the library's headers, never its files
    (10,000 protocols on CRISISGUIDE_PATH took 10 s and 540 MB)."""
    import crisisguide.library as library

    crowd = tmp_path / "crowd"
    crowd.mkdir()
    for i in range(30):
        write_yaml(crowd / f"p{i}.yaml", minimal_protocol(id=f"p-{i}"))
    monkeypatch.setenv("CRISISGUIDE_PATH", str(crowd))
    read: list[str] = []
    real = library.read_document

    def counting(path: str, *args: Any, **kw: Any) -> Any:
        read.append(path)
        return real(path, *args, **kw)

    monkeypatch.setattr(library, "read_document", counting)
    mine = write_yaml(tmp_path / "mine.yaml", minimal_protocol(id="mine"))
    answers = tmp_path / "a.yaml"
    answers.write_text('ask: "No"\n')
    assert invoke(runner, "validate", str(mine)).exit_code == 0
    assert invoke(runner, "run", str(mine), "--answers", str(answers)).exit_code == 0
    assert invoke(runner, "run", "p-7", "--answers", str(answers)).exit_code == 0
    assert [Path(p).name for p in read] == ["mine.yaml", "p7.yaml"]  # the file named; p-7 alone


def test_headers_find_kinds_and_ids_without_building() -> None:
    library = load_library([PROTOCOLS])
    assert "suicide-risk-screen" in library.protocol_ids
    assert library.paths("directory") == [str(PROTOCOLS / "referrals" / "default.yaml")] or (
        library.paths("directory")[0].endswith("referrals/default.yaml")
    )
    assert not library._documents  # nothing read in full yet


def test_drill_check_uses_the_protocol_run_would_use(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site copy with the built-in's id made drill check silently check the built-in
    (a false PASS) while run used the copy. Now the copy overrides the built-in for every
    command, and a drill it breaks fails, naming the copy."""
    copy = tmp_path / "p2"
    copy.mkdir()
    text = (PROTOCOLS / "suicide-risk-screen.yaml").read_text()
    changed = text.replace("default: negative-screen", "default: low-risk")
    assert changed != text
    (copy / "suicide-risk-screen.yaml").write_text(changed)
    monkeypatch.setenv("CRISISGUIDE_PATH", str(copy))
    drill = PROTOCOLS / "drills" / "daniel-routine-negative.yaml"
    result = invoke(runner, "drill", "check", str(drill))
    assert result.exit_code == 1
    assert "PASS" not in result.stdout
    assert f"but the walk reached 'low-risk' (protocol {copy / 'suicide-risk-screen.yaml'})" in (
        result.stdout
    )
    answers = tmp_path / "no.yaml"
    answers.write_text(
        'wish-dead: "No"\nthoughts: "No"\nbehaviour: "No"\nclinical-concern-check: []\n'
    )
    ran = invoke(runner, "run", "suicide-risk-screen", "--answers", str(answers), "--json")
    assert '"outcome": "low-risk"' in ran.stdout  # run walks the same copy


def test_a_drill_beside_its_protocol_needs_no_protocols_option(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = lib(tmp_path)
    write_yaml(folder / "drill.yaml", {
        "format": 1, "id": "mini-drill", "title": "Mini drill", "protocol": "mini",
        "vignette": "A person comes in.",
        "client": {"ask": {"says": "Yes, I am.", "answer": "Yes"}},
        "expect": {"outcome": "urgent"},
    })  # fmt: skip
    result = invoke(runner, "drill", "check", str(folder / "drill.yaml"))
    assert result.exit_code == 0, result.output
    assert "PASS mini-drill" in result.stdout
    covered = invoke(runner, "drill", "coverage", str(folder / "mini.yaml"), "--format", "json")
    assert '"mini-drill"' in covered.stdout


def test_a_drill_that_fails_its_check_covers_nothing(runner: CliRunner, tmp_path: Path) -> None:
    folder = lib(tmp_path)
    write_yaml(folder / "drill.yaml", {
        "format": 1, "id": "wrong-drill", "title": "Wrong drill", "protocol": "mini",
        "vignette": "A person comes in.",
        "client": {"ask": {"says": "Yes, I am.", "answer": "Yes"}},
        "expect": {"outcome": "routine"},  # the walk reaches 'urgent'
    })  # fmt: skip
    covered = invoke(runner, "drill", "coverage", str(folder / "mini.yaml"), "--format", "json")
    assert '"wrong-drill"' not in covered.stdout
    assert covered.exit_code == 1  # so the urgent outcome has no drill


def test_list_reads_each_protocol_once_and_keeps_none_of_them(tmp_path: Path) -> None:
    """``list`` of a large library keeps a row per protocol, not its parse tree: memory
    stays flat (4,000 protocols took 600 MB when every file was kept; 33 MB now)."""
    from crisisguide.validate import library_rows

    crowd = tmp_path / "crowd"
    crowd.mkdir()
    for i in range(30):
        write_yaml(crowd / f"p{i}.yaml", minimal_protocol(id=f"p-{i}"))
    library = load_library(search_folders(extra=[crowd]))
    rows, broken = library_rows(library)
    assert broken == []
    assert {f"p-{i}" for i in range(30)} <= {row["id"] for row in rows}
    assert library._documents == {}
    assert library._protocols == {}
