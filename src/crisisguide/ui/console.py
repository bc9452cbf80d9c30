"""The Rich console every command prints through."""

from __future__ import annotations

import sys
from typing import IO, Any

from rich.console import Console

__all__ = ["Console", "console"]


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader went away (``run ... | head``): let the command line end quietly
        with 0, as it does for every other command, instead of Rich's exit 1."""
        raise BrokenPipeError


class _TrimmedLines:
    """A stream that drops the spaces Rich pads lines with: output that goes to a file or
    another program has no trailing spaces (copied numbers carry none)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        if lines:
            self._stream.write("".join(line.rstrip() + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:  # a line not yet ended (Rich ends each print with one): keep it whole
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def console(*, plain: bool = False, stderr: bool = False) -> Console:
    """A console that never reads markup or emoji in what it prints; ``plain`` has no
    colour and writes each logical line whole (the reader or terminal wraps it). When the
    output is not a terminal, lines carry no trailing spaces."""
    stream = sys.stderr if stderr else sys.stdout
    return _Console(
        file=stream if stream.isatty() else _TrimmedLines(stream),  # type: ignore[arg-type]
        highlight=False,
        markup=False,
        emoji=False,
        no_color=True if plain else None,
        soft_wrap=plain,
    )
