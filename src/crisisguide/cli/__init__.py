"""The ``crisisguide`` command line: parse, call the core, render, map errors to exit codes.

One error boundary (:class:`_Group`) turns every user-facing problem into one message on
stderr and the exit code the README documents: 1 for a problem with the user's files or
data, 2 for command-line usage, 130 when interrupted, 3 for an internal error (``--debug``
shows the traceback instead). Heavy modules (pydantic, rich, questionary) are imported
inside the commands that need them, so ``--help`` stays fast.

Each command is a few lines: parse, call the core, render through :mod:`crisisguide.ui`.
They live in submodules: :mod:`.authoring` (validate, list, show, schema, new), :mod:`.walk`
(run), :mod:`.drills` (drill list, check, coverage, run), :mod:`.exporting` (export) and
:mod:`.services` (resources, now, config).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import CrisisGuideError, ExitCode, Terminated


def _framework_errors() -> tuple[type[BaseException], ...]:
    """Exceptions the command-line framework raises and reports itself. Found through the
    public ``typer.BadParameter``, whose base class has had different names across typer
    releases (ClickException, TyperException)."""
    found: list[type[BaseException]] = [typer.Exit, typer.Abort]
    found += [
        c for c in typer.BadParameter.__mro__ if c.__name__ in ("ClickException", "TyperException")
    ]
    return tuple(found)


_FRAMEWORK_ERRORS = _framework_errors()


class _Group(TyperGroup):
    """The one error boundary: data problems -> 1, usage -> 2, Ctrl-C -> 130, bugs -> 3."""

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # inside the boundary: a full or closed stdout is reported
            _show_notes()
            return result
        except _FRAMEWORK_ERRORS:
            raise  # usage errors, --help, exits: the framework reports them (exit 2, 0...)
        except CrisisGuideError as exc:
            _show_notes()
            report(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:
            # the reader went away (``crisisguide list | head``): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except (KeyboardInterrupt, EOFError):
            stderr("\nInterrupted; nothing was saved.")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Terminated as exc:
            stderr("\nStopped; nothing was saved.")
            raise typer.Exit(128 + exc.signum) from None
        except OSError as exc:
            if exc.errno not in (errno.EIO, errno.ENXIO) or not _HANGUP:
                raise
            # the terminal went away while a prompt was writing to it: the hang-up's signal
            # and the failed write race, and either way it is a hang-up (exit 129)
            for other in _STOP_SIGNALS:
                signal.signal(other, signal.SIG_IGN)
            stderr("\nThe terminal closed; nothing was saved.")
            raise typer.Exit(128 + _HANGUP) from None
        except Exception:
            if (ctx.params or {}).get("debug"):
                raise
            stderr(
                "crisisguide: internal error. Please rerun with --debug and report the "
                "traceback (it contains no client data unless your files do)."
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


app = typer.Typer(
    name="crisisguide",
    cls=_Group,
    help="Rehearse crisis protocols at a terminal. A training aid, not a clinical instrument.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def emit(text: str, nl: bool = True) -> None:
    """Write to standard output through its own encoding (with ASCII stand-ins where a
    character cannot be shown), never behind its back in UTF-8 as click does for a stream
    it judges misconfigured."""
    sys.stdout.write(text + ("\n" if nl else ""))


_NOTES: list[list[str]] = []


def after_command(notes: list[str]) -> None:
    """Show ``notes`` (as they stand then) on stderr when the command ends: warnings come
    after the command's own output, so the numbers of ``now`` are always first."""
    _NOTES.append(notes)


def _show_notes() -> None:
    while _NOTES:
        for note in _NOTES.pop(0):
            stderr(note)


def stderr(message: str) -> None:
    """One message on stderr, as one line (after any blank lines it starts with), with no
    control characters whatever paths or values it echoes."""
    from ..text import one_line

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


def _version(value: bool) -> None:
    if value:
        emit(f"crisisguide {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error."),
) -> None:
    """crisisguide: rehearse crisis protocols (suicide-risk screening first of all).

    A training and rehearsal aid, not a clinical instrument. In an emergency, call your
    local emergency number, or run: crisisguide now
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    # crisisguide uses no pydantic plugins; looking for them scans every installed
    # package's metadata (about 13 ms at each start).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from ..memory import freeze_built_data

    freeze_built_data()
    from .streams import install

    install()
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _stop)
    try:
        app(args=argv, prog_name="crisisguide")
    except Terminated as exc:  # arrived before a command started (inside one, see _Group)
        sys.exit(128 + exc.signum)
    except CrisisGuideError as exc:  # stdout failed outside a command (--help, --version)
        report(exc)
        sys.exit(int(exc.exit_code))


_HANGUP: int = getattr(signal, "SIGHUP", 0)
_STOP_SIGNALS = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]


def _stop(signum: int, frame: object) -> None:
    """SIGTERM, or SIGHUP (the terminal closed): unwind so that nothing is half-written.

    Further stop signals are ignored from here on: a closing terminal can send a second
    SIGHUP while the process is unwinding, which would otherwise kill it half-way."""
    for other in _STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise Terminated(signum)


from . import authoring, drills, exporting, reviewing, services, walk  # noqa: E402  (register the commands)

__all__ = ["app", "authoring", "drills", "exporting", "main", "reviewing", "services", "walk"]
