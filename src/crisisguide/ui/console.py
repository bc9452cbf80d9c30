"""The Rich console every command prints through."""

from __future__ import annotations

from rich.console import Console

__all__ = ["Console", "console"]


def console(*, plain: bool = False, stderr: bool = False) -> Console:
    """A console that never reads markup or emoji in what it prints; ``plain`` has no
    colour and writes each logical line whole (the reader or terminal wraps it)."""
    return Console(
        stderr=stderr,
        highlight=False,
        markup=False,
        emoji=False,
        no_color=True if plain else None,
        soft_wrap=plain,
    )
