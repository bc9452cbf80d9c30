"""The ``crisisguide`` command line: parse, call the core, render, map errors to exit codes.

One error boundary (:class:`_Group`) turns every user-facing problem into one message on
stderr and the SPEC's exit code: 1 for a problem with the user's files or data, 2 for
command-line usage, 130 when interrupted, 3 for an internal error (``--debug`` shows the
traceback instead). Heavy modules (pydantic, rich, questionary) are imported inside the
commands that need them, so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import CrisisGuideError, ExitCode, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from .errors import Problem
    from .library import Library
    from .loader import LoadedProtocol


class _Group(TyperGroup):
    """The one error boundary: data problems -> 1, usage -> 2, Ctrl-C -> 130, bugs -> 3."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except CrisisGuideError as exc:
            _report(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            _stderr("Interrupted.")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception:
            if (ctx.params or {}).get("debug"):
                raise
            _stderr(
                "crisisguide: internal error. Please rerun with --debug and report the "
                "traceback (it contains no client data unless your files do)."
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


app = typer.Typer(
    name="crisisguide",
    cls=_Group,
    help="Rehearse crisis protocols at a terminal. A training aid, not a clinical instrument.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _stderr(message: str) -> None:
    from .yamldoc import strip_controls

    sys.stderr.write(strip_controls(message) + "\n")


def _report(exc: CrisisGuideError) -> None:
    for problem in exc.problems:
        _stderr(str(problem))
    if exc.message:
        _stderr(f"crisisguide: {exc.message}" if not exc.problems else exc.message)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crisisguide {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an internal error.")
    ] = False,
) -> None:
    """crisisguide: rehearse crisis protocols (suicide-risk screening first of all).

    A training and rehearsal aid, not a clinical instrument. In an emergency, call your
    local emergency number.
    """


# --- shared options --------------------------------------------------------------------

ProtocolsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--protocols",
        help="An extra folder of protocols (after the built-in library and CRISISGUIDE_PATH).",
        file_okay=False,
    ),
]
PlainOpt = Annotated[
    bool,
    typer.Option("--plain", help="Screen-reader friendly output: no boxes, no colour."),
]


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def console(*, plain: bool = False, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(
        stderr=stderr,
        highlight=False,
        markup=False,
        emoji=False,
        no_color=True if plain else None,
        soft_wrap=False,
    )


def _library(protocols: list[Path] | None) -> Library:
    from .library import load_library, search_folders

    return load_library(search_folders(extra=protocols or []))


def checked_protocol(ref: str, library: Library) -> LoadedProtocol:
    """The protocol named by ``ref``, refused with its errors if it has any (SPEC 2)."""
    from .library import find_protocol
    from .validate import validate_protocol

    loaded = find_protocol(ref, library)
    problems = validate_protocol(loaded, library.context())
    errors = [p for p in problems if p.is_error]
    if errors or loaded.protocol is None:
        raise CrisisGuideError(
            f"{loaded.path}: the protocol has {len(errors)} error(s) and cannot be used; "
            f"fix them first (crisisguide validate {loaded.path})",
            errors,
        )
    warnings = len(problems) - len(errors)
    if warnings:
        _stderr(f"note: {loaded.path} has {warnings} warning(s); see crisisguide validate")
    return loaded


def fail(message: str, code: ExitCode = ExitCode.DATA) -> NoReturn:
    raise CrisisGuideError(message, exit_code=code)


# --- validate --------------------------------------------------------------------------


@app.command()
def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="Protocol, drill or directory files, or folders of them.")
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text (FILE:LINE:COL lines) or json.")
    ] = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    protocols: ProtocolsOpt = None,
) -> None:
    """Check protocols, drills and referral directories like code; report every problem."""
    import json

    from .library import check_paths

    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"no such file or folder: {path}")
    problems, files = check_paths(paths, _library(protocols))
    if output_format is OutputFormat.json:
        typer.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        _print_problems(problems, files)
    failed = any(p.is_error for p in problems) or (strict and bool(problems))
    raise typer.Exit(int(ExitCode.DATA if failed else ExitCode.OK))


def _print_problems(problems: list[Problem], files: int) -> None:
    from .yamldoc import strip_controls

    for problem in problems:
        typer.echo(strip_controls(str(problem)))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    noun = "file" if files == 1 else "files"
    if problems:
        _stderr(f"checked {files} {noun}: {errors} error(s), {warnings} warning(s)")
    else:
        _stderr(f"checked {files} {noun}: no problems")


# --- list, show ------------------------------------------------------------------------


@app.command("list")
def list_protocols(
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    plain: PlainOpt = False,
) -> None:
    """The protocols in the library: id, title, version and node count."""
    import json

    from .library import library_rows

    library = _library(protocols)
    rows, broken = library_rows(library)
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        from .render import protocol_table

        console(plain=plain).print(protocol_table(rows, plain=plain))
    for problem in broken:
        _stderr(f"{problem}  (run: crisisguide validate {problem.location.file})")
    if broken:
        raise typer.Exit(int(ExitCode.DATA))


@app.command()
def show(
    protocol: Annotated[str, typer.Argument(help="A protocol id or a protocol file.")],
    protocols: ProtocolsOpt = None,
    plain: PlainOpt = False,
) -> None:
    """The protocol as a readable tree of its flow."""
    from .render import render_flow

    loaded = checked_protocol(protocol, _library(protocols))
    assert loaded.protocol is not None
    console(plain=plain).print(render_flow(loaded.protocol, plain=plain))


# --- schema, new -----------------------------------------------------------------------

OutputOpt = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
]


@app.command()
def schema(output: OutputOpt = None) -> None:
    """JSON Schema of the protocol format, for editor completion and checking."""
    from .authoring import protocol_schema_text
    from .fileio import write_text_atomic

    content = protocol_schema_text()
    if output is None:
        typer.echo(content, nl=False)
    else:
        write_text_atomic(output, content)
        _stderr(f"wrote {output}")


@app.command()
def new(
    protocol_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the new protocol.")],
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter protocol (ID.yaml) that validates cleanly."""
    from .authoring import starter_protocol
    from .fileio import write_text_atomic

    content = starter_protocol(protocol_id)
    target = output or Path(f"{protocol_id}.yaml")
    if str(target) == "-":
        typer.echo(content, nl=False)
        return
    if target.exists() and not force:
        fail(f"{target} already exists; choose another name with -o, or add --force")
    write_text_atomic(target, content)
    _stderr(f"wrote {target}; check it with: crisisguide validate {target} --strict")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    app(args=argv, prog_name="crisisguide")
