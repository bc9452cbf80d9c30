"""The Rich console every command prints through."""

from __future__ import annotations

from rich.console import Console

__all__ = ["Console", "console"]


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader went away (``run ... | head``): let the command line end quietly
        with 0, as it does for every other command, instead of Rich's exit 1."""
        raise BrokenPipeError


def console(*, plain: bool = False, stderr: bool = False) -> Console:
    """A console that never reads markup or emoji in what it prints; ``plain`` has no
    colour and writes each logical line whole (the reader or terminal wraps it)."""
    return _Console(
        stderr=stderr,
        highlight=False,
        markup=False,
        emoji=False,
        no_color=True if plain else None,
        soft_wrap=plain,
    )
