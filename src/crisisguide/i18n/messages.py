"""Every user-facing string of a protocol, with its context (the field path) and the line
it was read from. Pure: no polib, no I/O beyond the loaded document.

The context is the path of the string in the file, dot-separated, list indices 0-based in
file order (``nodes.ask-thoughts.ask.0``, ``nodes.ask-thoughts.answers.1.label``): stable
while the file's structure stays, so a translation follows its string when wording
changes. Ids, tiers, flags, referral ids, sources, licences and reviews are not
translated (docs/languages.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Location
from ..loader import LoadedProtocol
from ..model import AnyNode, Checklist, Protocol, Question

__all__ = ["Message", "line_count", "messages", "placeholders", "structure_problem"]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Message:
    """One translatable string of a protocol."""

    context: str
    text: str
    path: Path
    location: Location
    kind: str = "text"
    """``text``, ``label`` (an answer or item label: shown translated, recorded as
    written) or ``avoid`` (an example of what not to say, and why)."""


_SCALARS = ("title", "notes", "prompt", "do", "text", "summary")
_LISTS = ("ask", "watch_for", "details", "steps", "document")


def _node_strings(node_id: str, node: AnyNode) -> Iterator[tuple[Path, str, str]]:
    base: Path = ("nodes", node_id)
    for name in _SCALARS:
        value = getattr(node, name, None)
        if isinstance(value, str):
            yield (*base, name), value, "text"
    for name in _LISTS:
        for i, value in enumerate(getattr(node, name, None) or []):
            yield (*base, name, i), value, "text"
    for i, avoid in enumerate(getattr(node, "avoid", None) or []):
        yield (*base, "avoid", i, "say"), avoid.say, "avoid"
        yield (*base, "avoid", i, "why"), avoid.why, "avoid"
    if isinstance(node, Question):
        for i, answer in enumerate(node.answers):
            yield (*base, "answers", i, "label"), answer.label, "label"
            if answer.note is not None:
                yield (*base, "answers", i, "note"), answer.note, "text"
    if isinstance(node, Checklist):
        for i, item in enumerate(node.items):
            yield (*base, "items", i, "label"), item.label, "label"
    for i, perspective in enumerate(node.perspectives):
        yield (*base, "perspectives", i, "text"), perspective.text, "text"


def strings(protocol: Protocol) -> Iterator[tuple[Path, str, str]]:
    """(path, text, kind) for every translatable string, in file order."""
    yield ("title",), protocol.title, "text"
    yield ("summary",), protocol.summary, "text"
    for node_id, node in protocol.nodes.items():
        yield from _node_strings(node_id, node)


def context_of(path: Path) -> str:
    return ".".join(str(p) for p in path)


def messages(loaded: LoadedProtocol) -> list[Message]:
    """Every translatable string of a loaded protocol, located in its file (an overlay's
    strings at the base or the overlay, wherever each was written), in file order."""
    protocol = loaded.protocol or loaded.partial
    if protocol is None:
        return []
    found = []
    for path, text, kind in strings(protocol):
        location = loaded.doc.locate(path)
        found.append(Message(context_of(path), text, path, location, kind))
    main = loaded.path
    found.sort(key=lambda m: (m.location.file != main, m.location.file, m.location.line,
                              m.location.column))  # fmt: skip
    return found


def reference(location: Location, relative_to: str | None = None) -> tuple[str, str]:
    """A ``#:`` reference (file, line): the file relative to ``relative_to`` (a folder)
    when given, else its name."""
    name = (
        os.path.basename(location.file)
        if relative_to is None
        else os.path.relpath(location.file, relative_to)
    )
    return name.replace(os.sep, "/"), str(location.line)


# --- what a translation must keep ------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]")


def placeholders(text: str) -> list[str]:
    """The ``{name}``, ``%s`` and ``%(name)s`` placeholders of ``text``, sorted (URLs and
    numbers are not placeholders)."""
    return sorted(_PLACEHOLDER.findall(text))


def line_count(text: str) -> int:
    return text.count("\n")


def structure_problem(original: str, translation: str) -> str | None:
    """What a translation changes that it must keep: its placeholders or its number of
    lines (None: nothing)."""
    want, got = placeholders(original), placeholders(translation)
    if want != got:
        return (
            f"the placeholders differ from the original's: it has "
            f"{', '.join(want) or 'none'}, the translation {', '.join(got) or 'none'}"
        )
    if line_count(original) != line_count(translation):
        return (
            f"the original has {line_count(original) + 1} line(s), the translation "
            f"{line_count(translation) + 1}: keep the line breaks"
        )
    return None
