"""Protocol text into Rich: always literal, never markup, never control characters."""

from __future__ import annotations

from rich.text import Text

from ..text import strip_controls


def text(value: object, style: str = "") -> Text:
    """Protocol text as a literal Rich Text: no markup, no control characters."""
    return Text(strip_controls(str(value)).strip(), style=style)
