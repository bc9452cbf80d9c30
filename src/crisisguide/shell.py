"""What every shell of the program shares, with no command-line framework: writing to
standard output and error, notes shown after a command's output, stop signals, and the
error boundary's mapping of what ended a command to an exit code.

Two shells use it: the full command line (:mod:`crisisguide.cli`, through typer) and the
start-up path of ``crisisguide now`` (:mod:`crisisguide.entry`), which answers before any
framework is imported. Both must fail the same way, so the mapping lives here once.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Mapping, Sequence

from .errors import CrisisGuideError, ExitCode, Terminated
from .language import _

HANGUP: int = getattr(signal, "SIGHUP", 0)
STOP_SIGNALS = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]


def emit(text: str, nl: bool = True) -> None:
    """Write to standard output through its own encoding (with ASCII stand-ins where a
    character cannot be shown), never behind its back in UTF-8 as click does for a stream
    it judges misconfigured."""
    sys.stdout.write(text + ("\n" if nl else ""))


def emit_rows(rows: Sequence[Mapping[str, object]], fields: Sequence[str]) -> None:
    """One line per row, the fields separated by tabs, each field on one line."""
    from .text import one_line

    for row in rows:
        cells = [row.get(f, "") for f in fields]
        emit("\t".join(one_line(", ".join(map(str, c)) if isinstance(c, list) else str(c))
                       .replace("\t", " ") for c in cells))  # fmt: skip


def piped() -> bool:
    """Standard output is not a terminal: lists print one entry per line, fields separated
    by tabs, for other programs (like ``ls``)."""
    return not sys.stdout.isatty()


def stderr(message: str) -> None:
    """One message on stderr, as one line (after any blank lines it starts with), with no
    control characters whatever paths or values it echoes."""
    from .text import one_line

    body = message.lstrip("\n")
    try:
        sys.stdout.flush()  # keep stdout and stderr in order when both go to one terminal
        sys.stderr.write(message[: len(message) - len(body)] + one_line(body) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # the terminal is gone (closed window, hang-up): nobody is left to tell


def report(exc: CrisisGuideError) -> None:
    for problem in exc.problems:
        stderr(str(problem))
    if exc.message:
        stderr(f"crisisguide: {exc.message}" if not exc.problems else exc.message)
    if exc.footer:
        stderr(exc.footer)


_NOTES: list[list[str]] = []


def after_command(notes: list[str]) -> None:
    """Show ``notes`` (as they stand then) on stderr when the command ends: warnings come
    after the command's own output, so the numbers of ``now`` are always first."""
    _NOTES.append(notes)


def show_notes() -> None:
    while _NOTES:
        for note in _NOTES.pop(0):
            stderr(note)


def prepare() -> None:
    """Set up the process for a command: streams that fail clearly, stop signals that
    unwind, and the garbage collector's treatment of built data. Safe to call twice."""
    from .memory import freeze_built_data
    from .streams import install

    freeze_built_data()
    install()
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop)


def _stop(signum: int, frame: object) -> None:
    """SIGTERM, or SIGHUP (the terminal closed): unwind so that nothing is half-written.

    Further stop signals are ignored from here on: a closing terminal can send a second
    SIGHUP while the process is unwinding, which would otherwise kill it half-way."""
    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise Terminated(signum)


def settle(exc: BaseException, *, debug: bool = False) -> int:
    """The exit code for what ended a command, once the user has been told: data problems
    -> 1 (or the error's own code), Ctrl-C -> 130, a stop signal -> 128 + its number, bugs
    -> 3. What is not ours to handle (and, with ``debug``, a bug) is raised again."""
    if isinstance(exc, CrisisGuideError):
        show_notes()
        report(exc)
        return int(exc.exit_code)
    if isinstance(exc, BrokenPipeError):
        # the reader went away (``crisisguide list | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return int(ExitCode.OK)
    if isinstance(exc, (KeyboardInterrupt, EOFError)):
        stderr("\n" + _("Interrupted; nothing was saved."))
        return int(ExitCode.INTERRUPTED)
    if isinstance(exc, Terminated):
        stderr("\n" + _("Stopped; nothing was saved."))
        return 128 + exc.signum
    if isinstance(exc, OSError) and exc.errno in (errno.EIO, errno.ENXIO) and HANGUP:
        # the terminal went away while a prompt was writing to it: the hang-up's signal
        # and the failed write race, and either way it is a hang-up (exit 129)
        for other in STOP_SIGNALS:
            signal.signal(other, signal.SIG_IGN)
        stderr("\n" + _("The terminal closed; nothing was saved."))
        return 128 + HANGUP
    if not isinstance(exc, Exception) or isinstance(exc, OSError) or debug:
        raise exc
    stderr(
        _(
            "crisisguide: internal error. Please rerun with --debug and report the "
            "traceback (it contains no client data unless your files do)."
        )
    )
    return int(ExitCode.INTERNAL)
