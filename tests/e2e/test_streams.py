"""Standard streams that fail or cannot show every character (the robustness report, D8,
D9 and D18): one clear line and exit 1, or ASCII stand-ins; never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

ANSWERS = 'wish-dead: "Yes"\nthoughts: "No"\nbehaviour: "No"\n'


def crisisguide(*args: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "crisisguide", *args],
        capture_output=kw.pop("capture", True), cwd=str(ROOT), check=False, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [["validate", "tests/data/invalid/cg132-no-avoid.yaml"], ["now"], ["list"], ["--help"],
     ["--version"], ["schema"], ["config"], ["drill", "list"], ["export", "suicide-risk-screen"]],
)  # fmt: skip
def test_a_closed_stdout_is_one_line_and_exit_1(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crisisguide", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(ROOT), check=False,
        close_fds=True, preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "crisisguide: cannot write output: standard output is closed" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("args", [["now"], ["list"], ["--help"], ["export", "suicide-risk-screen"]])
def test_a_full_stdout_is_one_line_and_exit_1(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "crisisguide", *args],
            stdout=full, stderr=subprocess.PIPE, cwd=str(ROOT), check=False,
        )  # fmt: skip
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "crisisguide: cannot write output: No space left on device" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "args",
    [["list"], ["export", "suicide-risk-screen"], ["show", "suicide-risk-screen"], ["now"],
     ["run", "suicide-risk-screen", "--answers", "-"]],
)  # fmt: skip
def test_a_terminal_that_cannot_show_unicode_gets_ascii(encoding: str, args: list[str]) -> None:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    result = crisisguide(*args, env=env, input=ANSWERS.encode())
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    result.stdout.decode(encoding)  # what came out is valid in that encoding
    assert b"Traceback" not in result.stderr


def test_the_ascii_stand_ins_read_well() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    out = crisisguide("export", "suicide-risk-screen", env=env).stdout.decode("ascii")
    assert '"' in out
    assert "\u201c" not in out


def test_a_reader_that_goes_away_during_run_is_not_an_error(tmp_path: Path) -> None:
    """``run ... | head -1`` exited 1 through Rich's own broken-pipe handler."""
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crisisguide", "run", "suicide-risk-screen", "--answers",
         str(answers)],
        stdout=write_end, stderr=subprocess.PIPE, cwd=str(ROOT),
    )  # fmt: skip
    os.close(write_end)
    os.close(read_end)  # the reader is gone before anything is written
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"Traceback" not in err
