"""Standard output and error that fail clearly: a closed or full stdout is one message and
exit 1 (not a traceback), and a terminal whose encoding cannot show a character gets a
plain ASCII stand-in (``...`` for an ellipsis, ``"`` for curly quotes) instead of a crash.
"""

from __future__ import annotations

import codecs
import errno
import sys
from typing import Any, TextIO

from .errors import CrisisGuideError

ASCII_FOR = {
    "\u2026": "...", "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
    "\u2013": "-", "\u2014": "-", "\u2022": "*", "\u00b7": "-", "\u2192": "->",
    "\u00a0": " ", "\u2212": "-", "\u2265": ">=", "\u2264": "<=", "\u00d7": "x",
}  # fmt: skip
ERRORS = "crisisguide-ascii"


def _ascii_stand_in(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(ASCII_FOR.get(ch, "?") for ch in bad), exc.end


codecs.register_error(ERRORS, _ascii_stand_in)


class OutputError(CrisisGuideError):
    """Standard output cannot be written (closed, full, or gone)."""


class SafeOutput:
    """Standard output that turns a failed write into :class:`OutputError`, so the command
    line says "cannot write output" once. A reader that goes away (``| head``) still raises
    BrokenPipeError, which ends the command quietly."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def _fail(self, exc: OSError) -> OutputError:
        reason = exc.strerror or type(exc).__name__
        return OutputError(f"cannot write output: {reason}")

    def write(self, text: str) -> int:
        if self._stream is None:
            raise self._fail(OSError(errno.EBADF, "standard output is closed"))
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def install() -> None:
    """Make stdout fail clearly, and both streams degrade to ASCII where they must."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        if (
            stream is not None
            and encoding not in ("utf-8", "utf8")
            and hasattr(stream, "reconfigure")
        ):
            stream.reconfigure(errors=ERRORS)
    if not isinstance(sys.stdout, SafeOutput):
        sys.stdout = SafeOutput(sys.stdout)
