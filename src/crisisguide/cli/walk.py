"""``crisisguide run``: walk a protocol interactively, or from an answers file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from ..language import _
from ..text import to_json
from ..ui import dumb_terminal
from . import complete, emit, stderr
from .common import (
    ForceOpt,
    LangOpt,
    NoPagerOpt,
    PlainOpt,
    ProtocolsOpt,
    ReferralsOpt,
    RegionOpt,
    TranscriptOpt,
    checked_protocol,
    load_env,
    shown_in,
    source_of,
)

if TYPE_CHECKING:
    from ..engine import Session
    from ..referrals import Resolved
    from ..ui.console import Console


def has_terminal() -> bool:
    """Both ends are a terminal: prompts can be shown and answered."""
    return sys.stdin.isatty() and sys.stdout.isatty()


app = typer.Typer()
"""This module's commands (built one at a time by the root command)."""


@app.command()
def run(
    protocol: Annotated[
        str,
        typer.Argument(
            help="A protocol id or a protocol file.", autocompletion=complete.protocol_ids
        ),
    ],
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Walk from a YAML file of node id -> answer, no prompts (- for stdin).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the session result as JSON at the end.")
    ] = False,
    transcript: TranscriptOpt = None,
    force: ForceOpt = False,
    region: RegionOpt = None,
    referrals: ReferralsOpt = None,
    protocols: ProtocolsOpt = None,
    plain: PlainOpt = False,
    notes: Annotated[
        bool,
        typer.Option(
            "--notes", help="Let me add notes at any step (n) and record my phrasing (p)."
        ),
    ] = False,
    no_pager: NoPagerOpt = False,
    lang: LangOpt = None,
) -> None:
    """Walk a protocol: what to ask, what to avoid, what to watch for, and where to refer."""
    if answers is None and not has_terminal():
        raise UsageError(
            _(
                "run needs a terminal to ask its questions; to walk a protocol without one, "
                "give the answers in a file: crisisguide run ID --answers FILE"
            )
        )
    from ..engine import Session
    from ..referrals import as_results
    from ..ui.console import console

    env = load_env(region=region, referrals=referrals, protocols=protocols, lang=lang)
    loaded = checked_protocol(protocol, env)
    assert loaded.protocol is not None
    shown = shown_in(loaded, env)
    translation = shown.translation if shown is not None else None
    inputs: list[str | Path] = [loaded.path, *([answers] if answers is not None else [])]
    record = env.output(transcript, inputs, force)  # before the first question
    if transcript is not None and record is None:
        raise UsageError(_("--transcript needs a file name (the record is not printed)"))
    session = Session(loaded.protocol, sha256=loaded.doc.sha256)
    plain = plain or dumb_terminal()
    out, urgent = console(plain=plain, stderr=as_json), env.directory.urgent(env.region)
    headline = shown.headline() if shown is not None else ""
    if answers is not None:
        if headline:
            out.print(headline, markup=False)
        _scripted(session, answers, out)
    else:
        from ..ui.walk import walk

        walk(session, urgent, env.region, out, plain, notes=notes, translation=translation,
             headline=headline)  # fmt: skip
    resolved = env.directory.resolve(session.outcome.referrals, env.region)
    if as_json:
        result = session.result(as_results(resolved))
        if translation is not None:
            result["language"] = translation.language
        emit(to_json(result))
    else:
        from ..ui.walk import show_outcome

        titles = env.library.titles()
        on_screen = session
        if translation is not None:
            from ..ui.walk import display_session

            on_screen = display_session(session, translation)
        show_outcome(on_screen, resolved, urgent, env.region, out, plain, titles=titles,
                     pager=not no_pager)  # fmt: skip
    if record is not None:
        titles, source = env.library.titles(), source_of(loaded, env)
        language = shown.record() if shown is not None else ""
        _save_transcript(record, session, resolved, env.region, titles, source, language)


def _scripted(session: Session, path: Path, out: Console) -> None:
    from ..answers import load_answers
    from ..engine import play

    if str(path) == "-":  # the answers come on standard input
        from ..answers import answers_from_bytes
        from ..yamldoc import DEFAULT_LIMITS

        raw = sys.stdin.buffer.read(DEFAULT_LIMITS.max_bytes + 1)
        script = answers_from_bytes(raw, "<stdin>", session.protocol)
    else:
        script = load_answers(str(path), session.protocol)
    play(session, script)
    for step in session.path[:-1]:
        if step.answer is not None:
            shown = ", ".join(step.answer) if isinstance(step.answer, tuple) else step.answer
            out.print(f"{step.node}: {shown or _('nothing ticked')}", markup=False)


def _save_transcript(
    path: Path, session: Session, resolved: list[Resolved], region: str, titles: dict[str, str],
    source: str, language: str = "",
) -> None:  # fmt: skip
    from ..export.markdown import transcript
    from ..fileio import write_text_atomic

    recorded = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = transcript(session, resolved, region, recorded, titles=titles, source=source)
    if language:  # the answers are recorded as written; the screens were in this language
        from ..export.markdown import md_inline

        row = f"| Region | {md_inline(region)} |"
        text = text.replace(row, f"| Language | {md_inline(language)} |\n{row}", 1)
    write_text_atomic(path, text, private=True)
    stderr(_("saved the session record to {path} (readable only by you)").format(path=path))
