"""Rich renderables for referral directory entries: how to reach a service, the
emergency line shown on every screen, referral lists (laid out by :mod:`.lines`, which
also writes them as plain text without Rich). Returns renderables; prints nothing.
Light: it does not load the protocol models, so ``now`` starts fast.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from ..language import _
from ..referrals import Entry, Resolved
from .lines import (
    CONTACT_WORDS,
    Line,
    how_to_reach,
    listing_lines,
    no_emergency_number,
    reach_lines,
    referral_lines,
)
from .richtext import text

__all__ = [
    "CONTACT_WORDS", "emergency_line", "how_to_reach", "no_emergency_number", "reach_lines",
    "referral_table", "renderable", "resources_view",
]  # fmt: skip


def emergency_line(entries: Sequence[Entry], region: str, plain: bool = False) -> Text:
    """One line: how to reach emergency help for the region, always on screen."""
    line = Text(
        _("Emergency help") if plain else "! " + _("Emergency help"),
        style="" if plain else "bold red",
    )
    line.append(f" ({region}): ", style="" if plain else "bold")
    emergency = [e for e in entries if e.kind == "emergency"][:2]
    if not emergency:
        line.append(no_emergency_number(region))
    shown = emergency + [e for e in entries if e.kind == "crisis-line"][:1]
    for i, entry in enumerate(shown):
        if i or not emergency:
            line.append(" | ")
        line.append_text(text(f"{entry.name}: {_quick_reach(entry)}"))
    return line


def _quick_reach(entry: Entry) -> str:
    """The fastest ways to reach an entry: call and text if it has them, else the rest."""
    contact = entry.contact
    if contact.call and contact.call == contact.text:
        return _("call or text {number}").format(number=contact.call)
    quick = [
        f"{_(CONTACT_WORDS[how])} {where}"
        for how, where in contact.methods()
        if how in ("call", "text")
    ]
    return ", ".join(quick) if quick else how_to_reach(entry)


def referral_table(
    resolved: Sequence[Resolved], plain: bool = False, *, details: bool = False
) -> RenderableType:
    """Each referral as a block: name, kind and hours; every way to reach it on its own
    line; then the notes. Contact details are never wrapped inside a narrow table column
    (a folded number or web address cannot be read aloud or copied), so this is a list
    with fixed fields rather than a grid. Kinds with no entry get an "add your local
    services" hint.
    """
    return Group(*map(renderable, referral_lines(resolved, plain, details=details)))


def resources_view(
    entries: Sequence[Entry],
    region: str,
    plain: bool = False,
    *,
    urgent: bool = False,
    details: bool = False,
) -> RenderableType:
    """``crisisguide resources`` and ``now`` (``urgent``): the entries, most urgent first.
    ``now`` says so in words, first, when the region has no emergency number on file."""
    lines = listing_lines(entries, region, plain, urgent=urgent, details=details)
    return renderable(lines[0]) if not entries else Group(*map(renderable, lines))


def renderable(line: Line) -> RenderableType:
    """A line of a listing as Rich text (literal: never markup), indented if it is."""
    (first, style), *rest = line.spans
    body = Text(first, style=style)
    for piece, piece_style in rest:
        body.append(piece, style=piece_style or None)
    return Padding(body, (0, 0, 0, line.indent)) if line.indent else body
