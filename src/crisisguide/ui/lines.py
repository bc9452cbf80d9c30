"""Referral listings as lines of literal text, and those lines as Rich prints them to a file
or a pipe, without importing Rich.

:mod:`.contacts` turns the same lines into Rich renderables for a terminal; ``now`` and
``resources`` write them as text when their output is not a terminal (or ``--plain``), so
that ``crisisguide now | cat`` never pays for Rich. :func:`as_text` follows Rich's own
rules (its word wrapping, folding of long words, tab stops, and the console width it
would choose) for text it can measure without Rich's tables: characters one cell wide.
For anything else it answers None and the caller prints through Rich, so the output is
the same either way (the tests compare the two).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..language import N_, _
from ..text import strip_controls

if TYPE_CHECKING:
    from ..referrals import Entry, Resolved

CONTACT_WORDS = {
    # Translators: how a service is reached (call, text, chat, web, email, address), each
    # followed by a number or an address.
    "call": N_("call"),
    "text": N_("text"),
    "chat": N_("chat"),
    "web": N_("web"),
    "email": N_("email"),
    "address": N_("address"),
}
"""Each way to reach a service in English words (shown through ``_()``)."""


def how_to_reach(entry: Entry) -> str:
    """``call 988; text 988; web https://988lifeline.org/`` - every contact method in words."""
    return "; ".join(reach_lines(entry))


def reach_lines(entry: Entry) -> list[str]:
    return [f"{_(CONTACT_WORDS[how])} {where}" for how, where in entry.contact.methods()]


def no_emergency_number(region: str) -> str:
    """What to say when the directory has no emergency number for a region: never a web
    directory labelled as emergency help."""
    return _("No emergency number on file for {region}: dial your local emergency number.").format(
        region=region
    )


def literal(value: object) -> str:
    """Protocol or directory text as it is shown: no control characters, no surrounding
    blank space."""
    return strip_controls(str(value)).strip()


@dataclass(frozen=True)
class Line:
    """One paragraph of a listing: literal text in styled pieces, wrapped ``indent`` cells
    in from the left margin (every wrapped row is indented)."""

    spans: tuple[tuple[str, str], ...]
    """(text, style) pieces; a style is a Rich style name, or "" for none."""
    indent: int = 0
    """Only in wrapped listings: ``--plain`` indents with spaces in the text itself."""

    @property
    def text(self) -> str:
        return "".join(piece for piece, _style in self.spans)


def _line(value: object, style: str = "", indent: int = 0, prefix: str = "") -> Line:
    return Line(((prefix + literal(value), style),), indent)


def referral_lines(resolved: Sequence[Resolved], plain: bool = False, *,
                   details: bool = False) -> list[Line]:  # fmt: skip
    """Each referral as a block: name, kind and hours; every way to reach it on its own
    line; then the notes. Kinds with no entry get an "add your local services" hint."""
    from ..referrals import Unlisted

    lines: list[Line] = []
    for item in resolved:
        if isinstance(item, Unlisted):
            # Translators: {kind} is a referral kind's id (crisis-line, mental-health...).
            lines.append(_line(_("- No {kind} services are listed for {region}: add your local "
                                 "services to a referral file and name it in your config (see "
                                 "crisisguide config).").format(kind=item.kind,
                                                                region=item.region)))  # fmt: skip
            continue
        entry = item
        name = literal(f"- {entry.name}" if plain else entry.name)
        kind = literal(entry.kind + (f", {entry.hours}" if entry.hours else ""))
        lines.append(Line(((name, "" if plain else "bold"), (" (", ""), (kind, ""), (")", ""))))
        body = [(text, "") for text in reach_lines(entry)]
        if entry.notes:
            body.append((entry.notes, "" if plain else "dim"))
        if details:
            checked = (
                _("checked {date}").format(date=entry.last_verified)
                if entry.last_verified
                else _("never checked")
            )
            source = _("id {id}; {checked}; source {source}").format(
                id=entry.id, checked=checked, source=entry.source or _("none")
            )
            body.append((source, "" if plain else "dim"))
        for text, style in body:
            # --plain writes each line whole, indented by spaces a screen reader passes over
            lines.append(_line(text, prefix="    ") if plain else _line(text, style, indent=2))
    return lines


def listing_lines(entries: Sequence[Entry], region: str, plain: bool = False, *,
                  urgent: bool = False, details: bool = False) -> list[Line]:  # fmt: skip
    """``crisisguide resources`` and ``now`` (``urgent``): the entries, most urgent first.
    ``now`` says so in words, first, when the region has no emergency number on file."""
    if not entries:
        return [_line(_("No entries for {region}. Call your local emergency number.").format(
            region=region))]  # fmt: skip
    lines = [_line(_("Region: {region}").format(region=region))]
    if urgent and not any(e.kind == "emergency" for e in entries):
        lines.append(_line(no_emergency_number(region), "" if plain else "bold"))
    return lines + referral_lines(list(entries), plain, details=details)


# --- as Rich prints them, without Rich ----------------------------------------------------

# What Rich measures as one cell per character without its tables (rich.cells), plus the
# punctuation of running text that its tables give one cell (a test checks both).
ONE_CELL = (
    (0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2010, 0x2027),
    (0x2030, 0x205E), (0x2500, 0x25FC), (0x2800, 0x28FF),
)  # fmt: skip
_MEASURABLE = re.compile("[^\t\n" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ONE_CELL) + "]")
_WORD = re.compile(r"\s*\S+\s*")
TAB_SIZE = 8
RICH_SETTINGS = ("FORCE_COLOR", "TTY_COMPATIBLE")
"""Environment variables that make Rich treat a pipe as a terminal."""


def console_width() -> int:
    """The width Rich's console takes when it prints to a file: COLUMNS, else the size of
    whichever of stdin, stdout and stderr is a terminal, else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = 0
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def as_text(lines: Sequence[Line], *, plain: bool, terminal: bool = False) -> str | None:
    """``lines`` as :func:`crisisguide.ui.console.console` prints them: ``plain`` writes
    each line whole (after tab stops); otherwise lines are wrapped to the console width as
    Rich wraps them. Printed to a file or pipe (not ``terminal``), no line ends in spaces.
    None when only Rich can tell how they would look (a wide or combining character, an
    environment that makes Rich colour a pipe, a console too narrow to reason about)."""
    if any(name in os.environ for name in RICH_SETTINGS) or sys.platform == "win32":
        return None
    if any(_MEASURABLE.search(line.text) or (plain and line.indent) for line in lines):
        return None
    if terminal and any(style for line in lines for _piece, style in line.spans):
        return None  # Rich shows styles on a terminal, even with --plain's no_color
    width = 0 if plain else console_width()
    if not plain and (terminal or width < 8):
        return None
    rows: list[str] = []
    for line in lines:
        for part in line.text.split("\n"):
            part = _expand_tabs(part)
            if plain:
                rows.append(part)
                continue
            pad = " " * line.indent
            rows += [pad + row for row in _wrap(part, width - line.indent)]
    if not terminal:
        rows = [row.rstrip() for row in rows]
    return "".join(row + "\n" for row in rows)


def _expand_tabs(text: str) -> str:
    """Rich's tab stops: each tab becomes a space, then spaces up to the next stop."""
    if "\t" not in text:
        return text
    out: list[str] = []
    position = 0
    for part in re.split(r"(?<=\t)", text):
        if part.endswith("\t"):
            part = part[:-1] + " "
            position += len(part)
            if position % TAB_SIZE:
                part += " " * (TAB_SIZE - position % TAB_SIZE)
                position += TAB_SIZE - position % TAB_SIZE
        else:
            position += len(part)
        out.append(part)
    return "".join(out)


def _wrap(text: str, width: int) -> Iterator[str]:
    """Rich's word wrap of one line (rich._wrap.divide_line with folding), for characters
    one cell wide; rows are cut to ``width`` as Rich truncates them."""
    breaks = _divide_line(text, width)
    for start, end in zip([0, *breaks], [*breaks, len(text)], strict=True):
        yield text[start:end][:width]


def _divide_line(text: str, width: int) -> list[int]:
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # longer than a line: fold it
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for i, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if i == len(chunks) - 1:
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks
