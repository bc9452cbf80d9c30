"""Text that is safe to show: no terminal controls, no invisible format characters, one
line where one line is promised, and values described in words, not Python syntax.

The lowest layer of the package: loading (every string of every file), messages (every
path and value they echo) and rendering all use it.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls except tab and newline, DEL, C1 controls; and the invisible format characters
# (Unicode category Cf) that can make text display differently from what it says: the bidi
# marks, embeddings, overrides and isolates, zero-width spaces and joiners' look-alikes, the
# word joiner and invisible operators, the soft hyphen, the byte order mark; and the line and
# paragraph separators U+2028/U+2029, which some terminals show as a line break. The
# zero-width joiner and non-joiner (U+200C, U+200D) are kept: Persian, Indic scripts and
# emoji need them to be spelt correctly (labels are compared without them, see
# :func:`fold_label`).
CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def strip_controls(text: str) -> str:
    """Remove terminal control characters and invisible format characters (tab and newline
    are kept)."""
    return CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """``text`` as one safe line: controls removed, line breaks written as ``\\n``, so that
    an echoed value can never forge a second message."""
    clean = strip_controls(text)
    return clean.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n").replace("\t", " ")


def shown(value: object, limit: int = 60) -> str:
    """A value as a message echoes it: text in quotes (shortened, on one line), true/false,
    numbers, and lists or mappings in words - never Python's own notation."""
    if isinstance(value, str):
        text = one_line(value)
        text = text if len(text) <= limit else text[: limit - 1] + "\u2026"
        return f"'{text}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, (int, float)):
        text = str(value)
        return text if len(text) <= limit else f"a number of {len(text)} digits"
    if isinstance(value, (list, tuple)):
        if not value:
            return "an empty list"
        return (
            "a list ("
            + ", ".join(shown(v, 20) for v in list(value)[:5])
            + (", ...)" if len(value) > 5 else ")")
        )
    if isinstance(value, dict):
        return "a mapping"
    return "a value of another kind"


def to_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON for people and programs: readable non-ASCII text, but every control and invisible
    format character escaped (``\\u001b``), since JSON itself leaves DEL, the C1 controls
    and format characters raw."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
