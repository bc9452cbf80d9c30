"""PO files for protocol translations, read and written with polib: the template
(``.pot``) of a protocol, a new translation (init), a translation brought up to date
(update), and reading one back with its problems located.

Update keeps every translation whose original is unchanged; a translation whose original
changed becomes fuzzy, with the previous original kept (``#| msgid``) so a translator's
tool shows what changed; strings gone from the protocol become obsolete (``#~``) and come
back if the string returns.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..errors import Code, Location, Problem, problem
from ..loader import LoadedProtocol
from ..model import Protocol
from ..text import one_line
from . import DRAFT_STATUS
from .messages import Message, messages, reference
from .tags import TRANSLATIONS_DIR

DRAFT = DRAFT_STATUS
STATUS = "X-Translation-Status"

_COMMENTS = {
    "label": "A label the practitioner picks: shown translated, recorded as the original.",
    "avoid": "An example of what NOT to say (or why not): keep it recognisably wrong.",
}


def _header(protocol: Protocol, language: str | None) -> dict[str, str]:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    header = {
        "Project-Id-Version": f"{protocol.id} {protocol.version}",
        "POT-Creation-Date": now,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language is not None:
        header = {**header, "Language": language, "PO-Revision-Date": now, STATUS: DRAFT}
    return header


def _entry(message: Message, folder: str | None) -> polib.POEntry:
    entry = polib.POEntry(
        msgctxt=message.context,
        msgid=message.text,
        msgstr="",
        occurrences=[reference(message.location, folder)],
    )
    if message.kind in _COMMENTS:
        entry.comment = _COMMENTS[message.kind]
    return entry


def template(loaded: LoadedProtocol, folder: str | None = None) -> polib.POFile:
    """The ``.pot`` of a protocol: one entry per string, references relative to
    ``folder`` (where the file will be written) or the protocol file's name."""
    assert loaded.protocol is not None
    pot = polib.POFile(wrapwidth=0)
    pot.header = (
        f"{loaded.protocol.title}: the strings of protocol {loaded.protocol.id} to translate."
    )
    pot.metadata = _header(loaded.protocol, None)
    for message in messages(loaded):
        pot.append(_entry(message, folder))
    return pot


def po_path(protocol_file: str, language: str, protocol_id: str) -> Path:
    """Where a protocol's translation lives: ``translations/LANG/ID.po`` next to it."""
    return (
        Path(os.path.dirname(protocol_file) or ".")
        / TRANSLATIONS_DIR
        / language
        / f"{protocol_id}.po"
    )


def new_translation(loaded: LoadedProtocol, language: str, folder: str) -> polib.POFile:
    """A new, empty translation (every string untranslated), marked as a draft."""
    assert loaded.protocol is not None
    po = template(loaded, folder)
    po.metadata = _header(loaded.protocol, language)
    return po


@dataclass
class Changes:
    added: int = 0
    fuzzy: int = 0
    obsolete: int = 0


def update(po: polib.POFile, pot: polib.POFile) -> Changes:
    """Bring ``po`` up to date with ``pot`` in place (entries matched by context)."""
    changes = Changes()
    by_context = {e.msgctxt: e for e in po if e.msgctxt is not None}
    entries: list[polib.POEntry] = []
    for new in pot:
        old = by_context.pop(new.msgctxt, None)
        if old is None:
            entries.append(new)
            changes.added += 1
            continue
        old.obsolete = False
        old.occurrences = new.occurrences
        old.comment = new.comment
        if old.msgid != new.msgid:
            if old.msgstr:
                if "fuzzy" not in old.flags:
                    old.previous_msgid = old.msgid
                    old.flags.append("fuzzy")
                changes.fuzzy += 1
            old.msgid = new.msgid
        entries.append(old)
    for gone in by_context.values():
        if gone.msgstr:
            if not gone.obsolete:
                changes.obsolete += 1
            gone.obsolete = True
            gone.occurrences = []
            entries.append(gone)
    untouched = [e for e in po if e.msgctxt is None]  # not ours: kept as they were
    po[:] = [*entries, *untouched]
    po.metadata["Project-Id-Version"] = pot.metadata.get("Project-Id-Version", "")
    return changes


def as_text(po: polib.POFile) -> str:
    return str(po) + ("" if str(po).endswith("\n") else "\n")


@dataclass
class Catalogue:
    """A translation file read back: its entries by context, or the one problem that
    stopped it being read."""

    path: str
    language: str
    po: polib.POFile | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The X-Translation-Status header, as one safe line ('' when there is none)."""
        return "" if self.po is None else one_line(self.po.metadata.get(STATUS, "")).strip()

    def entries(self) -> dict[str, polib.POEntry]:
        if self.po is None:
            return {}
        return {e.msgctxt: e for e in self.po if e.msgctxt is not None and not e.obsolete}


def read_catalogue(path: str | Path, language: str) -> Catalogue:
    """A PO file, read with polib; a file that cannot be read or parsed is one located
    problem (CG100), never an exception."""
    found = Catalogue(str(path), language)
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        found.problems.append(
            problem(
                Code.BAD_YAML,
                f"cannot read the translation file: {reason}",
                Location(str(path), 1, 1),
            )
        )
        return found
    bad = syntax_error(text)
    if bad is not None:
        line, reason = bad
        found.problems.append(
            problem(Code.BAD_YAML, f"not a valid PO file: {reason}", Location(str(path), line, 1))
        )
        return found
    try:
        found.po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        line = _line_of(str(exc))
        found.problems.append(
            problem(
                Code.BAD_YAML,
                f"not a valid PO file: {_reason(str(exc))}",
                Location(str(path), line, 1),
            )
        )
    return found


_KEYWORD = re.compile(r'^(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(".*)$')
_QUOTED = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def syntax_error(text: str) -> tuple[int, str] | None:
    """The first line that is not PO syntax, and why (polib reads some broken files
    without complaint, taking an unterminated string or a stray word for an entry): every
    line is blank, a comment, a keyword with a quoted string, or a quoted string that
    continues the one before."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            line = line[2:].strip()  # an obsolete entry: the same syntax after the mark
            if line.startswith("|"):
                continue  # an obsolete entry's previous original (#~| msgid ...)
        elif not line or line.startswith("#"):
            continue
        keyword = _KEYWORD.match(line)
        if keyword is not None:
            quoted = keyword.group(1)
        elif line.startswith('"'):
            quoted = line
        else:
            word = line.split()[0][:40]
            if _KEYWORD.match(f'{word} ""'):
                return number, f"{word} needs a string in double quotes"
            return number, f"'{word}' is not a PO keyword or a string in double quotes"
        if not _QUOTED.match(quoted):
            return number, "a string is not closed with a double quote"
    return None


def _line_of(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1


def _reason(message: str) -> str:
    text = re.sub(r"^Syntax error in po file \(?[^)]*\)?\s*", "", message).strip(" :")
    text = re.sub(r"\s*\(line \d+\)\s*$", "", text)
    return text or "syntax error"
