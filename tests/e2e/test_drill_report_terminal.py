"""drill run --trainee and drill report in a real pseudo-terminal: the line a run appends,
and the report a trainer sees (bars, no colour under NO_COLOR, words only with --plain)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pexpect

from conftest import TESTS

DRILLS = TESTS / "data" / "drills"


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm",
           "COLUMNS": "120", "LINES": "40"}  # fmt: skip
    env.pop("CRISISGUIDE_PATH", None)
    return pexpect.spawn(sys.executable, ["-m", "crisisguide", *args], env=env,
                         dimensions=(40, 120), encoding="utf-8", timeout=20, cwd=str(TESTS))  # fmt: skip


def test_a_run_then_the_report_at_a_terminal(tmp_path: Path) -> None:
    results = tmp_path / "cohort.jsonl"
    child = spawn("drill", "run", str(DRILLS / "concern.yaml"), "--protocols", str(DRILLS),
                  "--seed", "7", "--trainee", "Sam P", "--plain", "--no-pager",
                  "--results", str(results))  # fmt: skip
    for _ in range(5):  # two phrasings, two replies, the disposition: the first each time
        child.expect("Type a number")
        child.sendline("1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    line = json.loads(results.read_text(encoding="utf-8"))
    assert (line["schema"], line["trainee"]) == (2, "Sam P")
    assert [step["node"] for step in line["steps"]][:2] == ["ask", "now"]

    report = spawn("drill", "report", str(results), "--by", "trainee")
    report.expect(pexpect.EOF)
    screen = report.before
    assert "Sam P" in screen
    assert "\u2588" in screen or "\u258c" in screen or "0%" in screen  # a bar, and its number
    params = {p for seq in re.findall(r"\x1b\[([0-9;]*)m", screen) for p in seq.split(";")}
    assert not params & {str(n) for n in [*range(30, 39), *range(90, 98)]}  # NO_COLOR: none

    plain = spawn("drill", "report", str(results), "--plain")
    plain.expect(pexpect.EOF)
    assert "Sam P: 1 run;" in plain.before
    assert "\x1b[" not in plain.before
    assert "\u2588" not in plain.before
