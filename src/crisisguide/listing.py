"""How the referral directory is shown on standard output: as JSON, as tab-separated rows
for other programs, as text, or through Rich on a terminal.

``resources`` and ``now`` on the full command line, and the start-up path of ``now``
(:mod:`crisisguide.entry`, which answers before any command-line framework is imported),
all show entries through :func:`show_entries`; Rich is imported only to write to a
terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .environment import load_env
from .shell import emit, emit_rows, piped
from .text import to_json

if TYPE_CHECKING:
    from .referrals import Entry

ROW_FIELDS = ("id", "kind", "name", "reach", "hours", "last_verified", "source")


def show_now(
    region: str | None,
    referrals: Sequence[Path] | None,
    *,
    as_json: bool,
    plain: bool,
    lang: str | None = None,
) -> None:
    """``crisisguide now``: the emergency and crisis-line entries for the region, at once,
    in the interface language (``lang``, else the config file's, else the locale's).
    User files with errors are set aside with a warning, shown after the numbers."""
    env = load_env(
        region=region, referrals=list(referrals or []) or None, resilient=True, lang=lang
    )
    entries = env.directory.urgent(env.region)
    show_entries(entries, env.region, as_json=as_json, plain=plain, urgent=True)


def show_entries(
    entries: Sequence[Entry],
    region: str,
    *,
    as_json: bool,
    plain: bool,
    urgent: bool = False,
    details: bool = False,
) -> None:
    if as_json:
        data: dict[str, object] = {"region": region, "entries": [e.as_listed() for e in entries]}
        if urgent:
            data["emergency_number_on_file"] = any(e.kind == "emergency" for e in entries)
        emit(to_json(data))
        return
    if details and piped() and not plain:
        emit_rows([_row(e) for e in entries], ROW_FIELDS)
        return
    terminal = sys.stdout.isatty()
    if plain or not terminal:
        from .ui.lines import as_text, listing_lines

        lines = listing_lines(entries, region, plain, urgent=urgent, details=details)
        text = as_text(lines, plain=plain, terminal=terminal)
        if text is not None:
            emit(text, nl=False)
            return
    from .ui.console import console
    from .ui.contacts import resources_view

    view = resources_view(entries, region, plain, urgent=urgent, details=details)
    console(plain=plain).print(view)


def _row(entry: Entry) -> dict[str, object]:
    listed = entry.as_listed()
    listed["reach"] = "; ".join(f"{how} {where}" for how, where in entry.contact.methods())
    return {k: ("" if v is None else v) for k, v in listed.items()}
