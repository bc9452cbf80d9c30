"""Faults in a real process: signals during writes, a terminal resized or closed during a
walk, a reader that goes away. Each ends with the right exit code and no partial file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pexpect
import pytest

from conftest import ROOT, TESTS


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


SLOW_WRITE = textwrap.dedent(
    """
    import os, sys, time
    import crisisguide.fileio as fileio
    real = os.fsync
    def slow(fd):
        sys.stderr.write("WRITING\\n"); sys.stderr.flush()
        # Short sleeps: a signal that lands just before a long sleep starts is only
        # acted on when that sleep ends, so one sleep of 20 s can outlast the test.
        for _ in range(200):
            time.sleep(0.1)
        real(fd)
    fileio.os.fsync = slow
    from crisisguide.cli import main
    main(sys.argv[1:])
    """
)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_a_write_leaves_no_file(tmp_path: Path, signum: int, code: int) -> None:
    target = tmp_path / "out.md"
    env = {**os.environ}  # the tests' empty config file
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, "export", "suicide-risk-screen", "-o", str(target)],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=str(ROOT),
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        seen = [proc.stderr.readline() for _ in range(1)]
        while seen[-1] and seen[-1].strip() != "WRITING" and len(seen) < 20:
            seen.append(proc.stderr.readline())  # a note on stderr may come first
        assert seen[-1].strip() == "WRITING", seen
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == code, err
    assert "nothing was saved" in err
    assert leftovers(tmp_path) == []


def _spawn_walk(tmp_path: Path, *extra: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"}  # fmt: skip
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
    child.expect("Tick every item")
    child.send("\r")  # nothing observed
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
    env = {**os.environ}  # the tests' empty config file
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
