"""The ``crisisguide`` command line: parse, call the core, render, map errors to exit codes.

One error boundary (:class:`_Group`) turns every user-facing problem into one message on
stderr and the exit code the README documents: 1 for a problem with the user's files or
data, 2 for command-line usage, 130 when interrupted, 3 for an internal error (``--debug``
shows the traceback instead). Heavy modules (rich, questionary) are imported
inside the commands that need them, so ``--help`` stays fast.

Each command is a few lines: parse, call the core, render through :mod:`crisisguide.ui`.
They live in submodules, each with its own Typer app: :mod:`.authoring` (validate, list,
show, schema, new), :mod:`.walk` (run), :mod:`.drills` (drill list, check, coverage, run),
:mod:`.exporting` (export), :mod:`.reviewing` (diff) and :mod:`.services` (resources, now,
config). The root command imports a module only when one of its commands is looked up,
and builds only that command: ``--help`` lists them from a table.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import CrisisGuideError, Terminated
from ..shell import after_command, emit, prepare, report, settle, show_notes, stderr

__all__ = ["COMMANDS", "after_command", "app", "emit", "main", "report", "stderr"]

COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("authoring", "Check protocols, drills and referral directories like code; "
                 "report every problem."),
    "list": ("authoring", "The protocols in the library: id, title, version and node count."),
    "show": ("authoring", "The protocol's steps in order, with where each leads; --full "
             "previews every step."),
    "schema": ("authoring", "JSON Schema of the protocol format, for editor completion and "
               "checking."),
    "new": ("authoring", "Write a commented starter protocol (ID.yaml) that validates cleanly, "
            "or with --extends BASE a starter overlay that changes only what your service "
            "needs."),
    "run": ("walk", "Walk a protocol: what to ask, what to avoid, what to watch for, and where "
            "to refer."),
    "export": ("exporting", "Export a protocol: a markdown checklist (task lists, ask/avoid, "
               "branches, outcomes with referrals for the region, a Mermaid flowchart, "
               "sources), the same as a printable HTML page with the flow drawn, Mermaid "
               "alone, or JSON."),
    "diff": ("reviewing", "What changed between two protocols: safety-relevant changes first "
             "(tiers, routes, outcomes, referrals, unclear answers), then nodes added and "
             "removed, then wording."),
    "resources": ("services", "The referral directory for a region: services, how to reach "
                  "them, hours, notes (the shipped one, then those in the library's folders, "
                  "then your own)."),
    "now": ("services", "Emergency and crisis-line contacts for the region, at once, no "
            "questions asked. Always answers: user files with errors are set aside with a "
            "warning, after the numbers."),
    "config": ("services", "The settings in effect and where each came from (config file, "
               "option, default)."),
    "drill": ("drills", "Trainer-scripted drills: rehearse with a simulated client, or check "
              "them like tests."),
    "i18n": ("translating", "Translate protocols: PO files for translators' tools (Poedit, "
             "Weblate), kept next to each protocol in translations/LANG/ID.po."),
}  # fmt: skip
"""Every command, in the order of ``--help``: the module (in this package) whose own Typer
app defines it, and the first paragraph of its help (a test holds it to the command's)."""


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
    """The root command. It builds only the command that runs: the table of commands
    (:data:`COMMANDS`) lists them and gives their short help, and a command's module is
    imported when the command is looked up.

    It is also the one error boundary: data problems -> 1, usage -> 2, Ctrl-C -> 130,
    bugs -> 3 (:func:`crisisguide.shell.settle`)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = _build(cmd_name)
        return self.commands[cmd_name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands and their short help, from the table: ``--help`` imports none of
        the command modules."""
        from typer._click.utils import make_default_short_help

        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [
            (name, make_default_short_help(first, limit)) for name, (_, first) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # inside the boundary: a full or closed stdout is reported
            show_notes()
            return result
        except _FRAMEWORK_ERRORS:
            raise  # usage errors, --help, exits: the framework reports them (exit 2, 0...)
        except BaseException as exc:
            code = settle(exc, debug=bool((ctx.params or {}).get("debug")))
            raise typer.Exit(code) from None


def _build(name: str) -> Any:
    """The click command ``name``, built from its module's Typer app alone."""
    from typer.main import get_command_from_info, get_command_name, get_group_from_info

    module = importlib.import_module(f"{__name__}.{COMMANDS[name][0]}")
    own: typer.Typer = module.app
    short, markup = app.pretty_exceptions_short, app.rich_markup_mode
    for info in own.registered_commands:
        if (info.name or get_command_name(info.callback.__name__)) == name:  # type: ignore[union-attr]
            return get_command_from_info(
                info, pretty_exceptions_short=short, rich_markup_mode=markup
            )
    group = next(g for g in own.registered_groups if g.name == name)
    return get_group_from_info(
        group,
        pretty_exceptions_short=short,
        rich_markup_mode=markup,
        suggest_commands=app.suggest_commands,
    )


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
    """The full command line (the console script, :func:`crisisguide.entry.main`, answers
    ``now`` without it and comes here for everything else)."""
    prepare()
    try:
        app(args=argv, prog_name="crisisguide")
    except Terminated as exc:  # arrived before a command started (inside one, see _Group)
        sys.exit(128 + exc.signum)
    except CrisisGuideError as exc:  # stdout failed outside a command (--help, --version)
        report(exc)
        sys.exit(int(exc.exit_code))
