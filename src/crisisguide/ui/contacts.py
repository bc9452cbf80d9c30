"""Rich renderables for referral directory entries: how to reach a service, the
emergency line shown on every screen, referral lists. Returns renderables; prints
nothing. Light: it does not load the protocol models, so ``now`` starts fast.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from ..referrals import Entry, Resolved, Unlisted
from .richtext import text

CONTACT_WORDS = {
    "call": "call",
    "text": "text",
    "chat": "chat",
    "web": "web",
    "email": "email",
    "address": "address",
}


def how_to_reach(entry: Entry) -> str:
    """``call 988; text 988; web https://988lifeline.org/`` - every contact method in words."""
    return "; ".join(f"{CONTACT_WORDS[how]} {where}" for how, where in entry.contact.methods())


def _reach_lines(entry: Entry) -> list[str]:
    return [f"{CONTACT_WORDS[how]} {where}" for how, where in entry.contact.methods()]


def emergency_line(entries: Sequence[Entry], region: str, plain: bool = False) -> Text:
    """One line: how to reach emergency help for the region, always on screen."""
    line = Text(
        "Emergency help" if plain else "! Emergency help", style="" if plain else "bold red"
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


def no_emergency_number(region: str) -> str:
    """What to say when the directory has no emergency number for a region: never a web
    directory labelled as emergency help."""
    return f"No emergency number on file for {region}: dial your local emergency number."


def _quick_reach(entry: Entry) -> str:
    """The fastest ways to reach an entry: call and text if it has them, else the rest."""
    contact = entry.contact
    if contact.call and contact.call == contact.text:
        return f"call or text {contact.call}"
    quick = [f"{how} {where}" for how, where in contact.methods() if how in ("call", "text")]
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
    parts: list[RenderableType] = []
    for item in resolved:
        if isinstance(item, Unlisted):
            parts.append(
                text(
                    f"- No {item.kind} services are listed for {item.region}: add your local "
                    "services to a referral file and name it in your config "
                    "(see crisisguide config)."
                )
            )
            continue
        name = text(f"- {item.name}" if plain else item.name, "" if plain else "bold")
        name.append(" (").append_text(text(item.kind + (f", {item.hours}" if item.hours else "")))
        name.append(")")
        parts.append(name)
        lines = [text(line) for line in _reach_lines(item)]
        if item.notes:
            lines.append(text(item.notes, "" if plain else "dim"))
        if details:
            checked = f"checked {item.last_verified}" if item.last_verified else "never checked"
            lines.append(
                text(
                    f"id {item.id}; {checked}; source {item.source or 'none'}",
                    "" if plain else "dim",
                )
            )
        if plain:
            parts += [Text("    ").append_text(line) for line in lines]
        else:
            parts += [Padding(line, (0, 0, 0, 2)) for line in lines]
    return Group(*parts)


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
    if not entries:
        return text(f"No entries for {region}. Call your local emergency number.")
    parts: list[RenderableType] = [text(f"Region: {region}")]
    if urgent and not any(e.kind == "emergency" for e in entries):
        parts.append(text(no_emergency_number(region), "" if plain else "bold"))
    return Group(*parts, referral_table(list(entries), plain, details=details))
