"""The only module that talks to questionary: one node in, one answer (or Back) out.

An adapter over :class:`crisisguide.engine.Session`; it holds no branching logic. Every
prompt goes through :func:`ask` and questionary's ``unsafe_ask`` (plain ``ask`` swallows
Ctrl-C). In ``plain`` mode choices are numbered and typed as numbers, which screen
readers follow better than a redrawn menu. On a dumb terminal (``TERM=dumb``, no TERM)
the typed replies are read as plain lines, without prompt_toolkit, so that not one escape
sequence is sent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import questionary
from questionary import Choice, Style

from ..engine import Response
from ..language import N_, _
from ..model import ACTION_ANSWERS, Action, AnyNode, Checklist, Info, Question
from ..text import strip_controls
from . import dumb_terminal


class Back:
    """The "go back one step" reply."""

    def __repr__(self) -> str:
        return "BACK"


BACK = Back()


@dataclass(frozen=True)
class Extra:
    """A choice beside the answers that is not an answer: add a note, record the phrasing
    used. Chosen by its letter in every mode."""

    key: str
    text: str
    """The label in English (translated where it is shown)."""

    @property
    def label(self) -> str:
        return _(self.text)


NOTE = Extra("n", N_("Add a note about this step"))
PHRASING = Extra("p", N_("Record which phrasing you used"))

Reply = Response | Back | Extra

ACTION_WORDS = {"done": N_("Done"), "skipped": N_("Skipped")}
"""How an action's answers are offered (the answers themselves stay ``done``/``skipped``)."""
BACK_KEY = "0"
BACK_TEXT = N_("Back (undo the last step)")
PLAIN_STYLE = Style(
    [(name, "") for name in ("qmark", "question", "answer", "pointer", "selected", "instruction")]
)


@dataclass(frozen=True)
class Option:
    label: str
    value: Any


def options(node: AnyNode) -> list[Option]:
    """The choices a node offers, in order (not counting Back)."""
    if isinstance(node, Question):
        return [Option(a.label, a.label) for a in node.choices()]
    if isinstance(node, Checklist):
        return [Option(i.label, i.label) for i in node.items]
    if isinstance(node, Action):
        return [
            Option(_(ACTION_WORDS.get(word, word.capitalize())), word) for word in ACTION_ANSWERS
        ]
    assert isinstance(node, Info)
    return [Option(_("Continue"), None)]


def ask(
    node: AnyNode, can_go_back: bool, plain: bool = False, extras: Sequence[Extra] = ()
) -> Reply:
    """Ask for the answer at ``node``; KeyboardInterrupt propagates (exit 130). Back is
    ``0) Back (undo the last step)`` in every mode; extras are chosen by their letter."""
    opts = options(node)
    if plain:
        return _ask_plain(node, opts, can_go_back, extras)
    if isinstance(node, Checklist):
        return _ask_checklist(opts, can_go_back, extras)
    choices = [Choice(_safe(o.label), value=o.value) for o in opts]
    choices += [Choice(e.label, value=e, shortcut_key=e.key) for e in extras]
    if can_go_back:
        choices.append(Choice(_(BACK_TEXT), value=BACK, shortcut_key=BACK_KEY))
    value = questionary.select(
        _message(node),
        choices=choices,
        use_shortcuts=len(choices) <= 30,
        use_arrow_keys=True,
        instruction=_("(arrow keys or number, then Enter)"),
    ).unsafe_ask()
    return value  # type: ignore[no-any-return]


def _message(node: AnyNode) -> str:
    if isinstance(node, Question):
        return _("The client's answer:")
    if isinstance(node, Action):
        return _("Did you do this step?")
    return _("When you are ready:")


def _ask_checklist(opts: list[Option], can_go_back: bool, extras: Sequence[Extra]) -> Reply:
    choices = [Choice(_safe(o.label), value=o.value) for o in opts]
    choices += [Choice(f"{e.key}) {e.label}", value=e) for e in extras]
    if can_go_back:
        choices.append(Choice(f"{BACK_KEY}) {_(BACK_TEXT)}", value=BACK))
    ticked = questionary.checkbox(
        _("Tick every item that applies (none is fine):"),
        choices=choices,
        instruction=_("(arrows to move, Space to tick, Enter when done)"),
    ).unsafe_ask()
    specials: list[Back | Extra] = [BACK, *extras]
    for special in specials:
        if special in ticked:
            return special
    return tuple(ticked)


def _ask_plain(
    node: AnyNode, opts: list[Option], can_go_back: bool, extras: Sequence[Extra]
) -> Reply:
    lines = [f"{i}) {_safe(o.label)}" for i, o in enumerate(opts, 1)]
    lines += [f"{e.key}) {e.label}" for e in extras]
    if can_go_back:
        lines.append(f"{BACK_KEY}) {_(BACK_TEXT)}")
    many = isinstance(node, Checklist)
    how = (
        _("Type the numbers of every item that applies, separated by spaces, then Enter "
          "(Enter alone: none):")
        if many
        else _("Type a number, then Enter:")
    )  # fmt: skip
    keys = {e.key: e for e in extras}
    message = "\n".join([_("Choices:"), *lines, how])
    raw = _typed(
        message,
        lambda s: "" if s.strip() in keys else _plain_error(s, len(opts), can_go_back, many),
    )
    if raw.strip() in keys:
        return keys[raw.strip()]
    numbers = _numbers(raw)
    if numbers == [0]:
        return BACK
    if many:
        return tuple(opts[n - 1].value for n in dict.fromkeys(numbers))
    return opts[numbers[0] - 1].value  # type: ignore[no-any-return]


def write(message: str, plain: bool = False) -> str:
    """A line of free text (a note); empty when the practitioner just presses Enter."""
    if plain:
        return _typed(message).strip()
    raw = questionary.text(message, qmark="?").unsafe_ask()
    return str(raw or "").strip()


def pick(message: str, labels: Sequence[str], plain: bool = False) -> int | None:
    """Pick one of ``labels`` or none (Enter alone in plain mode, the last choice else)."""
    if plain:
        lines = [f"{i}) {_safe(label)}" for i, label in enumerate(labels, 1)]
        raw = _typed(
            "\n".join([message, *lines, _("Type a number, then Enter (Enter alone: none):")]),
            lambda s: _plain_error(s, len(labels), False, False) if s.strip() else None,
        )
        return _numbers(raw)[0] - 1 if raw.strip() else None
    choices = [Choice(_safe(label), value=i) for i, label in enumerate(labels)]
    choices.append(Choice(_("None of these"), value=-1))
    index = int(questionary.select(message, choices=choices, use_shortcuts=True).unsafe_ask())
    return None if index < 0 else index


def _typed(message: str, problem: Callable[[str], str | None] = lambda s: None) -> str:
    """A typed line, asked again while ``problem`` finds one (it returns None or "" when the
    line is fine). On a dumb terminal it is read as a plain line: the message, then what is
    typed, and a problem on a line of its own, with no escape sequence."""
    if not dumb_terminal():
        raw = questionary.text(
            message, qmark="", style=PLAIN_STYLE, validate=lambda s: problem(s) or True
        ).unsafe_ask()
        return str(raw or "")
    prompt = message
    while True:
        sys.stdout.write(prompt + " ")
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        line = line.rstrip("\r\n")
        found = problem(line)
        if not found:
            return line
        prompt = f"{found}\n{message.rsplit(chr(10), 1)[-1]}"


def _numbers(raw: str) -> list[int]:
    return [int(part) for part in raw.replace(",", " ").split()]


def _plain_error(raw: str, count: int, can_go_back: bool, many: bool) -> str | None:
    """Why a typed reply is not valid (None when it is)."""
    try:
        numbers = _numbers(raw)
    except ValueError:
        return _("Please type numbers only.")
    lowest = 0 if can_go_back else 1
    if not numbers:
        return None if many else _("Please type a number.")
    if 0 in numbers and numbers != [0]:
        return _("0 (Back) goes alone.")
    if not many and len(numbers) > 1:
        return _("Please type one number.")
    if any(n < lowest or n > count for n in numbers):
        return _("Please type a number from {lowest} to {highest}.").format(
            lowest=lowest, highest=count
        )
    return None


def _safe(label: str) -> str:
    return strip_controls(label)


def choose(message: str, labels: list[str], plain: bool = False) -> int:
    """Pick one of ``labels``; returns its index. Used by drills (no Back: choices count)."""
    if plain:
        lines = [f"{i}) {_safe(label)}" for i, label in enumerate(labels, 1)]
        raw = _typed(
            "\n".join([message, *lines, _("Type a number, then Enter:")]),
            lambda s: _plain_error(s, len(labels), False, False),
        )
        return _numbers(raw)[0] - 1
    choices = [Choice(_safe(label), value=i) for i, label in enumerate(labels)]
    index = questionary.select(
        message,
        choices=choices,
        use_shortcuts=len(choices) <= 36,
        instruction=_("(arrow keys or number, then Enter)"),
    ).unsafe_ask()
    return int(index)
