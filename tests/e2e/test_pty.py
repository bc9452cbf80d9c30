"""End to end in a real pseudo-terminal: what a practitioner sees and types."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import TESTS

DOWN, ENTER = "\x1b[B", "\r"


def spawn(*args: str, tmp_path: Path) -> pexpect.spawn:
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm",
        "COLUMNS": "120",
        "LINES": "40",
    }
    env.pop("CRISISGUIDE_PATH", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "crisisguide", *args],
        env=env,
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=20,
        cwd=str(TESTS),
    )
    return child


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None
    return int(child.exitstatus)


def test_full_walk_with_back(tmp_path: Path) -> None:
    record = tmp_path / "record.md"
    child = spawn("run", "suicide-risk-screen", "--transcript", str(record), tmp_path=tmp_path)
    child.expect("Training and rehearsal aid - not a clinical instrument")
    child.expect(r"Emergency help")
    child.expect(r"911 Emergency Services: call 911")
    child.expect("When you are ready")
    child.send(ENTER)
    child.expect("Step 2 of ~\\d+ \u00b7 Wanting to die")
    child.expect("Avoid saying:")
    child.expect("The client's answer")
    child.send(ENTER)  # Yes
    child.expect("Step 3 of ~\\d+ \u00b7 Thoughts of suicide")
    child.expect_exact("0) Back (undo the last step)")
    child.send("0")  # Back by its number, the same in every mode
    child.send(ENTER)
    child.expect("Step 2 of ~\\d+ \u00b7 Wanting to die")
    child.expect("The client's answer")
    child.send(DOWN + ENTER)  # No
    child.expect("\u00b7 Thoughts of suicide")
    child.expect("The client's answer")
    child.send(DOWN + ENTER)  # No
    child.expect("\u00b7 Suicidal behaviour")
    child.expect("The client's answer")
    child.send(DOWN + ENTER)  # No
    child.expect("What you observed")
    child.expect("Tick every item")
    child.send(ENTER)  # nothing ticked
    child.expect("Outcome: Negative screen")
    child.expect("Risk tier: NONE")
    child.send("q")  # leave the pager, if the outcome needed one
    child.expect("saved the session record")
    assert finish(child) == 0
    text = record.read_text()
    assert "### Step 2 \u00b7 Wanting to die (wish-dead)" in text
    assert text.count("**Answer:** No") == 3  # the undone 'Yes' is not recorded


def test_ctrl_c_leaves_with_130_and_writes_nothing(tmp_path: Path) -> None:
    record = tmp_path / "record.md"
    child = spawn("run", "suicide-risk-screen", "--transcript", str(record), tmp_path=tmp_path)
    child.expect("When you are ready")
    child.send(ENTER)
    child.expect("The client's answer")
    child.sendintr()
    child.expect("nothing was saved")
    assert finish(child) == 130
    assert list(tmp_path.iterdir()) == []


def test_plain_mode_is_numbered_and_boxless(tmp_path: Path) -> None:
    child = spawn("run", "suicide-risk-screen", "--plain", "--json", tmp_path=tmp_path)
    child.expect_exact("1) Continue")
    child.sendline("1")
    child.expect_exact("1) Yes")
    child.expect_exact("2) No")
    child.expect_exact("0) Back (undo the last step)")
    child.expect("Type a number, then Enter")
    child.sendline("5")
    child.expect("Please type a number from 0 to 3")
    child.send("\x7f")
    child.sendline("2")
    child.expect("\u00b7 Thoughts of suicide")
    child.sendline("2")
    child.expect("\u00b7 Suicidal behaviour")
    child.sendline("1")
    child.expect("\u00b7 When")
    child.sendline("2")
    child.expect(r'"outcome": "moderate-risk"')
    before = child.before
    assert finish(child) == 0
    assert not any(ch in (before or "") for ch in "\u256d\u256e\u2502\u2570")


def test_show_in_a_terminal(tmp_path: Path) -> None:
    child = spawn("show", "suicide-risk-screen", tmp_path=tmp_path)
    child.expect_exact("[question wish-dead]")
    assert finish(child) == 0


def test_now_answers_at_once(tmp_path: Path) -> None:
    child = spawn("now", "--region", "AU", "--format", "json", tmp_path=tmp_path)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = json.loads(child.before[child.before.index("{") :])
    assert data["entries"][0]["contact"]["call"] == "000"


@pytest.mark.parametrize("args", [["run", "suicide-risk-screen"]])
def test_run_refuses_without_a_terminal_on_stdin(args: list[str], tmp_path: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "crisisguide", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},  # the tests' empty config file
    )
    assert result.returncode == 2
    assert "--answers" in result.stderr


def test_no_color_is_honoured(tmp_path: Path) -> None:
    child = spawn("now", tmp_path=tmp_path)
    child.expect(pexpect.EOF)
    coloured = child.before
    assert "Emergency" in coloured or "911" in coloured
    # NO_COLOR=1 (set by spawn): no colour codes (30-37, 38;5, 90-97), though bold may stay
    import re

    assert not re.search(r"\x1b\[[0-9;]*(3[0-8]|9[0-7])m", coloured)


def test_colour_is_used_without_no_color_but_never_alone(tmp_path: Path) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "PROMPT_TOOLKIT_NO_CPR": "1"}  # fmt: skip
    env.pop("NO_COLOR", None)
    env.pop("CRISISGUIDE_PATH", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "crisisguide", "run", "suicide-risk-screen"], env=env,
        dimensions=(40, 120), encoding="utf-8", timeout=20,
    )  # fmt: skip
    child.expect("When you are ready")
    import re

    assert re.search(r"\x1b\[[0-9;]*31m", child.before)  # the emergency line is red...
    assert "Emergency help" in child.before  # ...and says so in words
    child.sendintr()
    child.expect(pexpect.EOF)


def test_drill_run_with_a_fixed_seed(tmp_path: Path) -> None:
    from crisisguide.drills import DrillRun, drill_from_document
    from crisisguide.loader import load_protocol
    from crisisguide.yamldoc import read_document

    drills = TESTS / "data" / "drills"
    protocol = load_protocol(str(drills / "mini-protocol.yaml")).protocol
    assert protocol is not None
    loaded = drill_from_document(
        read_document(str(drills / "concern.yaml")), {protocol.id: protocol}
    )
    order = list(DrillRun(loaded.drill, protocol, loaded.answers, 42).phrasings())  # type: ignore[arg-type]
    bad = next(i for i, p in enumerate(order, 1) if not p.good)
    results = tmp_path / "r.jsonl"
    child = spawn("drill", "run", str(drills / "concern.yaml"), "--protocols", str(drills),
                  "--seed", "42", "--plain", "--no-pager", "--results", str(results),
                  tmp_path=tmp_path)  # fmt: skip
    child.expect("Seed 42")
    child.expect("The situation:")
    child.expect("How do you ask?")
    for i, phrasing in enumerate(order, 1):
        child.expect_exact(f"{i}) ")
        child.expect_exact(phrasing.text)
    child.sendline(str(bad))
    child.expect(r"Not quite \(asking\)")
    child.expect_exact(order[bad - 1].why)
    child.expect("The client says:")
    child.expect("Sometimes, yes.")
    child.sendline("1")  # Yes: right
    child.expect(r"Good \(recording\)")
    child.expect("How do you ask?")
    child.sendline("1")
    child.expect("Not right now.")
    child.sendline("1")  # Yes: wrong, the reply means No
    child.expect(r"Not quite \(recording\)")
    child.expect("What is the disposition?")
    child.expect("Type a number")
    import re

    number = re.search(r"(\d+)\) Concern", child.before)
    assert number is not None, child.before
    child.sendline(number.group(1))
    child.expect(r"Good \(disposition\)")
    child.expect("Debrief")
    child.expect("Recording: 1 of 2")
    child.expect("Where to get help")
    assert finish(child) == 0
    record = json.loads(results.read_text())
    assert record["seed"] == 42
    assert record["scores"]["disposition"] == {"correct": 1, "total": 1}
