"""What is on the screen, cell by cell (pyte emulates the terminal): the outcome's tier,
first step and emergency number on the first screen of 80x24 and 60x20 terminals; the
step's title and how to ask still in view when the choice is made; a dumb terminal gets
typed, numbered choices; notes go into the record."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest

from conftest import TESTS

HIGH = (
    'wish-dead: "Yes"\nthoughts: "Yes"\nmethod: "Yes"\nintent: "Yes"\nplan: "No"\nbehaviour: "No"\n'
)


class Terminal:
    def __init__(self, rows: int, cols: int, *args: str, term: str = "xterm") -> None:
        env = {**os.environ, "NO_COLOR": "1", "TERM": term, "PROMPT_TOOLKIT_NO_CPR": "1"}
        for name in ("PAGER", "COLUMNS", "LINES", "CRISISGUIDE_PATH"):
            env.pop(name, None)
        self.child = pexpect.spawn(
            sys.executable, ["-m", "crisisguide", *args], env=env, dimensions=(rows, cols),
            encoding="utf-8", timeout=20, cwd=str(TESTS),
        )  # fmt: skip
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.raw = ""  # every character the program wrote, as written

    def feed(self, data: str) -> None:
        self.raw += data
        self.stream.feed(data)

    def settle(self, until: str, quiet: float = 0.5, limit: float = 20) -> str:
        """Read until ``until`` is on the screen and the output has stopped for ``quiet``
        seconds; the screen as text."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                self.feed(self.child.read_nonblocking(100_000, timeout=quiet))
            except pexpect.TIMEOUT:
                if until in self.text():
                    return self.text()
            except pexpect.EOF:
                break
        return self.text()

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def close(self) -> int:
        self.child.expect(pexpect.EOF)
        self.feed(self.child.before or "")
        self.child.close()
        return int(self.child.exitstatus or 0)


@pytest.mark.parametrize(("rows", "cols"), [(24, 80), (20, 60)])
def test_the_outcome_opens_with_what_to_do_now(tmp_path: Path, rows: int, cols: int) -> None:
    answers = tmp_path / "high.yaml"
    answers.write_text(HIGH)
    term = Terminal(rows, cols, "run", "suicide-risk-screen", "--answers", str(answers))
    first = term.settle("Emergency help")
    assert "Outcome: High risk" in first
    assert "Risk tier: HIGH" in first
    assert "1. Do not leave the person alone" in first
    assert "911 Emergency Services: call 911" in first
    assert "988" in first
    term.send("q")  # the rest was paged: leave the pager
    assert term.close() == 0


def test_no_pager_prints_straight_through(tmp_path: Path) -> None:
    answers = tmp_path / "high.yaml"
    answers.write_text(HIGH)
    term = Terminal(24, 80, "run", "suicide-risk-screen", "--answers", str(answers), "--no-pager")
    assert term.close() == 0  # ended by itself: no pager waited for a key


def test_the_title_and_ask_stay_in_view_when_choosing(tmp_path: Path) -> None:
    term = Terminal(20, 60, "run", "suicide-risk-screen")
    term.settle("When you are ready")
    term.send("\r")
    screen = term.settle("The client's answer")
    assert "Step 2 of ~" in screen
    assert "Wanting to die - Ask:" in screen
    assert "Over the last month" in screen
    assert "0) Back (undo the last step)" in screen
    term.send("\x03")
    assert term.close() == 130


@pytest.mark.parametrize(
    ("args", "first", "then"),
    [
        (("run", "suicide-risk-screen"), "1) Continue", "Wanting to die"),
        (("drill", "run", "alex-after-job-loss"), "1) ", "Type a number"),
    ],
)
@pytest.mark.parametrize("term_name", ["dumb", ""])
def test_a_dumb_terminal_gets_numbered_typed_choices_and_no_escape_sequence(
    args: tuple[str, ...], first: str, then: str, term_name: str
) -> None:
    """Every character the program writes is checked, from start to exit: typed, numbered
    choices, a wrong number answered on a line of its own, and not one escape sequence."""
    term = Terminal(24, 80, *args, term=term_name)
    screen = term.settle("Type a number, then Enter")
    assert first in screen
    term.send("1\r")
    term.settle(then)
    term.send("99\r")
    assert "Please type a number from" in term.settle("Please type a number from")
    term.send("\x03")
    assert term.close() == 130
    assert "Type a number, then Enter" in term.raw
    assert "\x1b" not in term.raw, repr(term.raw[term.raw.index("\x1b") - 40 :][:120])


def test_notes_and_the_phrasing_used_go_into_the_record(tmp_path: Path) -> None:
    record = tmp_path / "record.md"
    term = Terminal(40, 100, "run", "suicide-risk-screen", "--notes", "--plain", "--no-pager",
                    "--transcript", str(record))  # fmt: skip
    term.settle("Type a number")
    term.send("1\r")  # continue
    term.settle("n) Add a note about this step")
    term.send("n\r")
    term.settle("Your note")
    term.send("Long pause before answering\r")
    term.settle("n) Add a note")
    term.send("2\r")  # No
    assert "p) Record which phrasing you used" in term.settle("Thoughts of suicide")
    term.send("p\r")
    term.settle("Which phrasing did you use?")
    term.send("2\r")
    term.settle("n) Add a note")
    term.send("2\r")  # No
    term.settle("Suicidal behaviour")
    term.send("2\r")  # No
    term.settle("What you observed")
    term.send("\r")  # nothing ticked
    term.settle("saved the session record")
    assert term.close() == 0
    text = record.read_text()
    assert "**Note:** Long pause before answering" in text
    assert "**Asked:** \u201cHas suicide been on your mind at all in the last month?\u201d" in text
