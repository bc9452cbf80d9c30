"""What the commands share: options, the console, and the environment in effect."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ..errors import Code, CrisisGuideError, ExitCode, did_you_mean
from . import after_command, complete, emit, stderr

if TYPE_CHECKING:
    from ..config import Settings
    from ..errors import Problem
    from ..library import Library
    from ..loader import LoadedProtocol
    from ..referrals import Directory, LoadedDirectory

APP_NAME = "crisisguide"

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
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace an output file even if it is read-only.")
]


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def today() -> dt.date:
    return dt.date.today()


@dataclass
class Env:
    """The settings in effect, with the library and directory loaded on first use."""

    settings: Settings
    resilient: bool = False
    """For ``now``: user files with errors are set aside with a warning, never refused."""
    notes: list[str] = field(default_factory=list)
    """Warnings and notes for stderr, shown after the command's own output."""
    _library: Library | None = field(default=None, repr=False)
    _directory: Directory | None = field(default=None, repr=False)
    _loaded_directories: list[LoadedDirectory] | None = field(default=None, repr=False)

    @property
    def region(self) -> str:
        return self.settings.region.value

    def input_files(self) -> list[Path]:
        """The files this run reads besides a protocol: config and referral directories
        (never to be overwritten by an output)."""
        return [self.settings.config_path, *(Path(s.value) for s in self.settings.referral_files)]

    def output(
        self, path: str | None, inputs: Sequence[str | Path] = (), force: bool = False
    ) -> Path | None:
        """An output path checked before any work (None: there is none, or it is stdout)."""
        from ..fileio import check_output

        if path is None:
            return None
        return check_output(path, inputs=[*inputs, *self.input_files()], force=force)

    @property
    def library(self) -> Library:
        if self._library is None:
            from ..library import load_library, search_layers

            config = [Path(s.value) for s in self.settings.protocol_folders if s.source == "config"]
            extra = [Path(s.value) for s in self.settings.protocol_folders if s.source != "config"]
            folders = search_layers(extra=extra, config=config)
            self._library = load_library(
                folders, hide=self.settings.hidden, hidden_by=str(self.settings.config_path)
            )
            built_in = {h.id for h in self._library.headers if h.layer == 0}
            for name in self.settings.hidden:
                if name not in self._library.hidden:
                    known = sorted(built_in | set(self._library.hidden))
                    self.notes.append(f"note: the config file hides '{name}', which is not a "
                                      f"built-in protocol{did_you_mean(name, known)}")  # fmt: skip
        return self._library

    @property
    def loaded_directories(self) -> list[LoadedDirectory]:
        """The default directory, then those in the library's folders, then the user's
        files (config, then --referrals), each checked (CG150 dated today)."""
        if self._loaded_directories is None:
            from ..places import default_directory_file
            from ..referrals import load_directory

            named = [s.value for s in self.settings.referral_files]
            beside = [f for f in self.library.directory_files()
                      if not any(_same_file(f, n) for n in named)]  # fmt: skip
            files = [str(default_directory_file()), *beside, *named]
            self._loaded_directories = [load_directory(f, today()) for f in files]
        return self._loaded_directories

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            from ..referrals import Directory

            try:
                directory = Directory.merge(self.loaded_directories, skip_broken=self.resilient)
            except CrisisGuideError as exc:
                exc.footer = emergency_footer(self.region)
                raise
            self.notes += directory.set_aside
            stale = sum(
                1
                for d in self.loaded_directories
                for p in d.problems
                if p.code == Code.UNVERIFIED_ENTRY.id
            )
            if stale:
                self.notes.append(
                    f"note: {stale} referral entr{'y' if stale == 1 else 'ies'} need checking "
                    "(no source, or last verified over a year ago); see crisisguide validate"
                )
            self._directory = directory
        return self._directory


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def emergency_footer(region: str) -> str:
    """How to reach emergency help in ``region``, from the shipped directory alone: the
    last line of a refusal, so that a broken file never hides the numbers."""
    from ..referrals import builtin_urgent
    from ..text import one_line

    entries = builtin_urgent(region, today())
    emergency = [e for e in entries if e.kind == "emergency"][:1]
    lines = [e for e in entries if e.kind == "crisis-line"][:1]
    reach = [f"{e.name}: {', '.join(f'{how} {where}' for how, where in e.contact.methods()[:2])}"
             for e in [*emergency, *lines]]  # fmt: skip
    if not emergency:
        reach.insert(
            0, f"no emergency number on file for {region}: dial your local emergency number"
        )
    return one_line(f"Emergency help ({region}): " + "; ".join(reach))


def load_env(
    region: str | None = None,
    referrals: list[Path] | None = None,
    protocols: list[Path] | None = None,
    *,
    resilient: bool = False,
) -> Env:
    """The settings in effect. A broken config file is refused (its errors, then how to
    reach emergency help), or, when ``resilient`` (``now``), set aside with a warning.
    Notes and warnings are printed on stderr when the command ends."""
    from ..config import config_path, salvaged_region, settings, settings_or_defaults
    from ..referrals import DEFAULT_REGION, region_or_usage_error

    if region is not None:
        region = region_or_usage_error(region)
    path = config_path(typer.get_app_dir(APP_NAME))
    if resilient:
        found = settings_or_defaults(path, region=region, referrals=referrals)
    else:
        try:
            found = settings(path, region=region, referrals=referrals, protocols=protocols)
        except CrisisGuideError as exc:
            exc.footer = emergency_footer(region or salvaged_region(path) or DEFAULT_REGION)
            raise
    env = Env(found, resilient=resilient, notes=list(found.notes))
    after_command(env.notes)
    return env


def checked_protocol(ref: str, env: Env) -> LoadedProtocol:
    """The protocol named by ``ref``, refused with its errors if it has any."""
    from ..library import find_protocol
    from ..validate import library_context, usable_protocol

    loaded = find_protocol(ref, env.library)
    warnings = usable_protocol(loaded, library_context(env.library, env.directory.kinds()))
    if warnings:
        stderr(f"note: {loaded.path} has {len(warnings)} warning(s); see crisisguide validate")
    return loaded


def report_broken(problems: Sequence[Problem]) -> None:
    """Broken files of the library, as ``list`` reports them: one line each on stderr
    with the command that shows every problem, then exit 1."""
    for problem in problems:
        stderr(f"{problem}  (run: crisisguide validate {problem.location.file})")
    if problems:
        raise typer.Exit(int(ExitCode.DATA))


def fail(message: str, code: ExitCode = ExitCode.DATA) -> NoReturn:
    raise CrisisGuideError(message, exit_code=code)


def piped() -> bool:
    """Standard output is not a terminal: lists print one entry per line, fields separated
    by tabs, for other programs (like ``ls``)."""
    return not sys.stdout.isatty()


def emit_rows(rows: Sequence[Mapping[str, object]], fields: Sequence[str]) -> None:
    """One line per row, the fields separated by tabs, each field on one line."""
    from ..text import one_line

    for row in rows:
        cells = [row.get(f, "") for f in fields]
        emit("\t".join(one_line(", ".join(map(str, c)) if isinstance(c, list) else str(c))
                       .replace("\t", " ") for c in cells))  # fmt: skip


def file_column(row: Mapping[str, object]) -> str:
    """The file column of ``list`` and ``drill list``: ``built-in`` or the file, and what
    it overrides (``overrides built-in 1.2.0``)."""
    return (
        f"{row['file']} (overrides {row['overrides']})"
        if row.get("overrides")
        else str(row["file"])
    )


def dumb_terminal() -> bool:
    """A terminal without cursor control (``TERM=dumb``, or no TERM at all): prompts fall
    back to the numbered, typed choices of ``--plain`` (:func:`crisisguide.ui.dumb_terminal`)."""
    from ..ui import dumb_terminal as dumb

    return dumb()


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
