"""What the commands share: options, the console, and the environment in effect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ..environment import APP_NAME, Env, emergency_footer, load_env, today
from ..errors import CrisisGuideError, ExitCode
from ..language import _, ngettext
from ..shell import emit, emit_rows, piped, stderr
from . import complete

if TYPE_CHECKING:
    from ..errors import Problem
    from ..i18n import Shown
    from ..loader import LoadedProtocol

__all__ = [
    "APP_NAME", "Env", "OutputFormat", "checked_protocol", "emergency_footer", "emit",
    "emit_rows", "fail", "file_column", "load_env", "piped", "report_broken", "shown_in",
    "source_of", "stderr", "today",
]  # fmt: skip

ProtocolsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--protocols",
        help="An extra folder of protocols (after the built-in library, CRISISGUIDE_PATH "
        "and the config file).",
        file_okay=False,
    ),
]
PlainOpt = Annotated[
    bool,
    typer.Option("--plain", help="Screen-reader friendly output: no boxes, no colour."),
]
RegionOpt = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="Two-letter region for referrals (default: config file, then US).",
        autocompletion=complete.regions,
    ),
]
ReferralsOpt = Annotated[
    list[Path] | None,
    typer.Option("--referrals", help="Your own referral directory, merged over the default."),
]
# Output paths are text, not click paths: '' must stay '' (not become '.'), and a path
# that exists but cannot be read (/dev/stdout as another user) is for fileio to judge.
TranscriptOpt = Annotated[
    str | None,
    typer.Option(
        "--transcript", metavar="FILE", help="Save a markdown record (readable only by you)."
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "-o", "--output", metavar="FILE", help="Write to this file (- for standard output)."
    ),
]
NoPagerOpt = Annotated[
    bool,
    typer.Option("--no-pager", help="Print long screens straight through, without a pager."),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help="Show the protocol in this language where it is translated (es); default: the "
        "config file's lang, then the locale (LC_ALL, LC_MESSAGES, LANG).",
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace an output file even if it is read-only.")
]


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def checked_protocol(ref: str, env: Env) -> LoadedProtocol:
    """The protocol named by ``ref``, refused with its errors if it has any."""
    from ..library import find_protocol
    from ..validate import library_context, usable_protocol

    loaded = find_protocol(ref, env.library)
    warnings = usable_protocol(loaded, library_context(env.library, env.directory.kinds()))
    if warnings:
        count = len(warnings)
        stderr(ngettext("note: {path} has {count} warning(s); see crisisguide validate",
                        "note: {path} has {count} warning(s); see crisisguide validate",
                        count).format(path=loaded.path, count=count))  # fmt: skip
    return loaded


def shown_in(loaded: LoadedProtocol, env: Env) -> Shown | None:
    """The protocol's translation into the language in effect, if it has one. Without
    one, the original is shown and a one-line note says so (on stderr, at once)."""
    from ..i18n.tags import is_default

    if is_default(env.lang):
        return None
    from ..i18n import load_translation

    shown = load_translation(loaded, env.lang)
    if shown.translation is None:
        if shown.note:
            stderr(shown.note)
        return None
    return shown


def report_broken(problems: Sequence[Problem]) -> None:
    """Broken files of the library, as ``list`` reports them: one line each on stderr
    with the command that shows every problem, then exit 1."""
    for problem in problems:
        hint = _("(run: crisisguide validate {file})").format(file=problem.location.file)
        stderr(f"{problem}  {hint}")
    if problems:
        raise typer.Exit(int(ExitCode.DATA))


def file_column(row: Mapping[str, object]) -> str:
    """The file column of ``list`` and ``drill list``: ``built-in`` or the file, and what
    it overrides (``overrides built-in 1.2.0``)."""
    return (
        f"{row['file']} (overrides {row['overrides']})"
        if row.get("overrides")
        else str(row["file"])
    )


def fail(message: str, code: ExitCode = ExitCode.DATA) -> NoReturn:
    raise CrisisGuideError(message, exit_code=code)


def source_of(loaded: LoadedProtocol, env: Env) -> str:
    """Which file is in effect, as show and transcripts name it: ``built-in``, or the
    path and what it overrides."""
    header = next((h for h in env.library.headers if h.path == loaded.path), None)
    if header is None:
        return loaded.path
    if header.layer == 0:
        return "built-in"
    below = env.library.overrides(header.id)
    return f"{loaded.path} (overrides {below})" if below else loaded.path
