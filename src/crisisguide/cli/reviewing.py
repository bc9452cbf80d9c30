"""``crisisguide diff``: what changed between two protocols, safety-relevant changes first."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode
from ..language import _, ngettext
from . import complete, emit, stderr
from .common import Env, ProtocolsOpt, ReferralsOpt, load_env, source_of

if TYPE_CHECKING:
    from ..loader import LoadedProtocol


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


class FailOn(str, Enum):
    safety = "safety"
    any = "any"


def _protocol(ref: str, env: Env) -> LoadedProtocol:
    """The protocol ``ref`` names, refused only when it cannot be read as a protocol at
    all (a protocol with validation errors can still be compared)."""
    from ..errors import CrisisGuideError
    from ..library import find_protocol

    loaded = find_protocol(ref, env.library)
    if loaded.protocol is None:
        errors = [p for p in loaded.problems if p.is_error]
        for problem in errors[1:]:
            stderr(str(problem))
        first = str(errors[0]) if errors else _("{path}: not a protocol").format(path=loaded.path)
        why = _("{ref}: cannot be read as a protocol, so it cannot be compared; fix it first "
                "(crisisguide validate)").format(ref=ref)  # fmt: skip
        raise CrisisGuideError(f"{first}\n{why}")
    return loaded


app = typer.Typer()
"""This module's commands (built one at a time by the root command)."""


@app.command("diff")
def diff_command(
    old: Annotated[
        str,
        typer.Argument(
            help="The protocol before: an id, a file, or ID@built-in.",
            autocompletion=complete.protocol_ids,
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(
            help="The protocol after: an id, a file, or ID@built-in.",
            autocompletion=complete.protocol_ids,
        ),
    ],
    output_format: Annotated[DiffFormat, typer.Option("--format")] = DiffFormat.text,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when there is a safety-relevant change (safety), or any change (any).",
        ),
    ] = None,
    referrals: ReferralsOpt = None,
    protocols: ProtocolsOpt = None,
) -> None:
    """What changed between two protocols: safety-relevant changes first (tiers, routes,
    outcomes, referrals, unclear answers), then nodes added and removed, then wording."""
    from ..diff import diff
    from ..export.diffs import as_data, as_markdown, as_text
    from ..text import to_json

    env = load_env(referrals=referrals, protocols=protocols)
    before, after = _protocol(old, env), _protocol(new, env)
    assert before.protocol is not None
    assert after.protocol is not None
    changes = diff(before.protocol, after.protocol, env.directory.kinds())
    names = [f"{p.id} {p.version} ({source_of(loaded, env)})"
             for loaded, p in ((before, before.protocol), (after, after.protocol))]  # fmt: skip
    if output_format is DiffFormat.json:
        refs = [{"ref": ref, "id": loaded.protocol.id, "version": loaded.protocol.version,
                 "file": loaded.path, "sha256": loaded.doc.sha256}
                for ref, loaded in ((old, before), (new, after)) if loaded.protocol]  # fmt: skip
        emit(to_json(as_data(changes, refs[0], refs[1])))
    elif output_format is DiffFormat.md:
        emit(as_markdown(changes, names[0], names[1]).rstrip("\n"))
    else:
        emit(as_text(changes, names[0], names[1]).rstrip("\n"))
    safety = sum(1 for c in changes if c.cls == "safety")
    if fail_on is FailOn.safety and safety:
        stderr(ngettext("{count} safety-relevant change(s): a second reviewer should approve them",
                        "{count} safety-relevant change(s): a second reviewer should approve them",
                        safety).format(count=safety))  # fmt: skip
        raise typer.Exit(int(ExitCode.DATA))
    if fail_on is FailOn.any and changes:
        count = len(changes)
        stderr(ngettext("{count} change(s)", "{count} change(s)", count).format(count=count))
        raise typer.Exit(int(ExitCode.DATA))
