"""The console script: ``crisisguide now`` answers before any command-line framework is
imported; everything else goes to the full command line (:mod:`crisisguide.cli`).

Someone who types ``crisisguide now`` may need a number in a hurry, so its start-up pays
only for the settings, the directory and, on a terminal, Rich. This path understands
exactly what ``now`` accepts (``--region R``, ``--referrals PATH`` (repeatable),
``--plain``, ``--format text|json``, ``--lang LANG``, each also as ``--option=value``); the
interface language is resolved as the full command line does it (``--lang``, the config
file's ``lang:``, then the locale: :func:`crisisguide.environment.load_env`); anything else,
``now --help`` or a misspelt option included, is handed to the full command line
unchanged, which says what it always says. Both paths load and show the numbers through
the same functions (:func:`crisisguide.listing.show_now`) and end through the same error
boundary (:func:`crisisguide.shell.settle`), so they answer and fail alike.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .shell import prepare, settle, show_notes

COMPLETION_VARIABLES = ("_CRISISGUIDE_COMPLETE", "_TYPER_COMPLETE_ARGS")
"""Set when a shell asks for completions: the framework answers those."""


@dataclass
class NowRequest:
    """A ``crisisguide now`` command line, as the full command line would read it."""

    region: str | None = None
    referrals: list[Path] = field(default_factory=list)
    plain: bool = False
    as_json: bool = False
    lang: str | None = None


def parse_now(args: list[str]) -> NowRequest | None:
    """``args`` as a ``now`` request, or None for anything this path does not handle."""
    if not args or args[0] != "now" or any(v in os.environ for v in COMPLETION_VARIABLES):
        return None
    request = NowRequest()
    rest = args[1:]
    while rest:
        option, has_value, value = rest.pop(0).partition("=")
        if option == "--plain" and not has_value:
            request.plain = True
            continue
        if option not in ("--region", "--referrals", "--format", "--lang"):
            return None
        if not has_value:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None  # the framework reads these its own way: let it say what it says
        if option == "--region":
            request.region = value
        elif option == "--lang":
            request.lang = value
        elif option == "--format" and value in ("text", "json"):
            request.as_json = value == "json"
        elif option == "--referrals" and _readable_or_missing(value):
            request.referrals.append(Path(value))
        else:
            return None
    return request


def _readable_or_missing(path: str) -> bool:
    """A referral path the framework accepts: click refuses one that exists unreadable."""
    return not os.path.exists(path) or os.access(path, os.R_OK)


def answer_now(request: NowRequest) -> int:
    """Show the numbers; the exit code, as the full command line's boundary gives it."""
    try:
        from .listing import show_now

        show_now(request.region, request.referrals, as_json=request.as_json, plain=request.plain,
                 lang=request.lang)  # fmt: skip
        sys.stdout.flush()  # inside the boundary: a full or closed stdout is reported
        show_notes()
        return 0
    except BaseException as exc:
        return settle(exc)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``crisisguide``, ``python -m crisisguide``)."""
    args = sys.argv[1:] if argv is None else list(argv)
    request = parse_now(args)
    if request is None:
        from .cli import main as full_command_line

        full_command_line(args)
        return
    prepare()
    sys.exit(answer_now(request))
