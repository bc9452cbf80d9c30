"""``crisisguide diff`` as text, markdown or JSON (pure strings; protocol text stays inert)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diff import CLASS_TITLES, Change, by_class
from ..text import one_line
from .markdown import heading, md, md_inline


def _where(change: Change) -> str:
    return f"{change.node}: " if change.node else ""


def as_text(changes: Sequence[Change], old_name: str, new_name: str) -> str:
    """Each class under its heading, safety-relevant first; changes that can lower the care
    someone gets are marked ``LOWERS CARE`` (in words, not colour)."""
    lines = [one_line(f"Changes from {old_name} to {new_name}")]
    if not changes:
        return "\n".join([*lines, "No differences."]) + "\n"
    for cls, found in by_class(changes).items():
        if not found:
            continue
        lines += ["", f"{CLASS_TITLES[cls]} ({len(found)}):"]
        for change in found:
            mark = "LOWERS CARE: " if change.lowers_care else ""
            lines.append(one_line(f"  - {mark}{_where(change)}{change.message}"))
            lines += [one_line(f"      {d}") for d in change.details]
    return "\n".join(lines) + "\n"


def as_markdown(changes: Sequence[Change], old_name: str, new_name: str) -> str:
    lines = [heading(1, f"Changes from {old_name} to {new_name}"), ""]
    if not changes:
        return "\n".join([*lines, "No differences."]) + "\n"
    for cls, found in by_class(changes).items():
        if not found:
            continue
        lines += [heading(2, f"{CLASS_TITLES[cls]} ({len(found)})"), ""]
        for change in found:
            mark = "**Lowers care:** " if change.lowers_care else ""
            where = f"`{md_inline(change.node)}`: " if change.node else ""
            lines.append(f"- {mark}{where}{md_inline(change.message)}")
            lines += [f"  - {'removed' if d.startswith('- ') else 'added'}: {md(d[2:])}"
                      for d in change.details]  # fmt: skip
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def as_data(
    changes: Sequence[Change], old_ref: dict[str, Any], new_ref: dict[str, Any]
) -> dict[str, Any]:
    grouped = by_class(changes)
    return {"old": old_ref, "new": new_ref,
            "counts": {cls: len(found) for cls, found in grouped.items()},
            "changes": [c.as_dict() for c in changes]}  # fmt: skip
