"""Commands for people who write and check protocols: validate, list, show, schema, new."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, UsageError
from ..language import _, ngettext
from ..text import one_line, strip_controls, to_json
from . import complete, emit, stderr
from .common import (
    Env,
    ForceOpt,
    LangOpt,
    OutputFormat,
    OutputOpt,
    PlainOpt,
    ProtocolsOpt,
    ReferralsOpt,
    checked_protocol,
    emit_rows,
    fail,
    file_column,
    load_env,
    piped,
    report_broken,
    shown_in,
    source_of,
    today,
)

if TYPE_CHECKING:
    from ..errors import Problem


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


app = typer.Typer()
"""This module's commands (built one at a time by the root command)."""


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Protocol, drill or directory files, or folders of them.", readable=False
        ),
    ] = None,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            help="text (FILE:LINE:COL lines), json, or github (annotations in a GitHub workflow).",
        ),
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    protocols: ProtocolsOpt = None,
    referrals: ReferralsOpt = None,
    explain: Annotated[
        str | None,
        typer.Option("--explain", metavar="CODE", help="What a code means and how to fix it."),
    ] = None,
) -> None:
    """Check protocols, drills and referral directories like code; report every problem."""
    from ..validate import check_paths

    if explain is not None:
        _explain(explain)
        return
    if not paths:
        raise UsageError(_("name the files or folders to check (or use --explain CODE)"))
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(_("no such file or folder: {path}").format(path=path))
    env = load_env(referrals=referrals, protocols=protocols)
    problems, files = check_paths(paths, env.library, today(), env.loaded_directories)
    if files == 0:
        fail(_("no YAML files to check in {paths}").format(paths=", ".join(map(str, paths))))
    if output_format is ValidateFormat.json:
        emit(to_json([p.as_dict() for p in problems]))
    elif output_format is ValidateFormat.github:
        for found in problems:
            emit(strip_controls(found.as_github()))
        _print_summary(problems, files)
    else:
        _print_problems(problems, files)
    failed = any(p.is_error for p in problems) or (strict and bool(problems))
    raise typer.Exit(int(ExitCode.DATA if failed else ExitCode.OK))


def _explain(code_id: str) -> None:
    from ..codes import Code
    from ..errors import did_you_mean
    from ..text import strip_controls

    code = Code.find(code_id)
    if code is None:
        known = [c.id for c in Code]
        raise UsageError(
            _("'{code}' is not a validation code{hint}; codes are: {codes}").format(
                code=strip_controls(code_id),
                hint=did_you_mean(code_id.upper(), known),
                codes=", ".join(known),
            )
        )
    emit(f"{code.id} ({code.severity.value}): {code.summary}\n\n{code.explanation}")


def _print_problems(problems: list[Problem], files: int) -> None:
    from ..text import strip_controls

    for problem in problems:
        emit(strip_controls(str(problem)))
    _print_summary(problems, files)


def _print_summary(problems: list[Problem], files: int) -> None:
    errors = sum(p.is_error for p in problems)
    if problems:
        summary = ngettext(
            "checked {files} file: {errors} error(s), {warnings} warning(s)",
            "checked {files} files: {errors} error(s), {warnings} warning(s)",
            files,
        )
        stderr(summary.format(files=files, errors=errors, warnings=len(problems) - errors))
    else:
        summary = ngettext(
            "checked {files} file: no problems", "checked {files} files: no problems", files
        )
        stderr(summary.format(files=files))


@app.command("list")
def list_protocols(
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    plain: PlainOpt = False,
    lang: LangOpt = None,
) -> None:
    """The protocols in the library: id, title, version and node count."""
    from ..validate import library_rows

    env = load_env(protocols=protocols, lang=lang)
    rows, broken = library_rows(env.library, env.directory.kinds())
    notices = _draft_notices(env, rows)
    if output_format is OutputFormat.json:
        for row in rows:
            if row["id"] in notices:
                row["translation"] = {"language": env.lang, "status": notices[str(row["id"])]}
        emit(to_json(rows))
    elif piped() and not plain:
        emit_rows(
            [{**r, "file": file_column(r)} for r in rows],
            ("id", "title", "version", "nodes", "file"),
        )
    else:
        from ..ui.console import console
        from ..ui.render import protocol_table

        shown = [{**r, "file": file_column(r)} for r in rows]
        console(plain=plain).print(protocol_table(shown, plain=plain))
    if output_format is not OutputFormat.json:
        from ..i18n import shown_status

        for protocol_id, notice in notices.items():
            emit(one_line(f"{protocol_id} ({env.lang}): {shown_status(notice)}"))
    report_broken(broken)


def _draft_notices(env: Env, rows: list[dict[str, object]]) -> dict[str, str]:
    """Protocol id -> the status header of its translation into the language in effect
    (a draft notice), for the protocols whose translation has one. Only protocols with a
    translations folder beside them, or overlays (whose base may have one), are read."""
    from ..i18n.tags import TRANSLATIONS_DIR, is_default

    if is_default(env.lang):
        return {}
    from ..i18n import draft_notice

    extends = {h.path: h.extends for h in env.library.headers}
    found: dict[str, str] = {}
    for row in rows:
        path = str(row["path"])
        beside = os.path.join(os.path.dirname(path) or ".", TRANSLATIONS_DIR)
        if not (os.path.isdir(beside) or extends.get(path)):
            continue
        notice = draft_notice(env.library.loaded(path), env.lang)
        env.library.forget(path)
        if notice:
            found[str(row["id"])] = notice
    return found


@app.command()
def show(
    protocol: Annotated[
        str,
        typer.Argument(
            help="A protocol id or a protocol file.", autocompletion=complete.protocol_ids
        ),
    ],
    protocols: ProtocolsOpt = None,
    full: Annotated[
        bool, typer.Option("--full", help="Also what each step says: ask, avoid, watch for.")
    ] = False,
    plain: PlainOpt = False,
    lang: LangOpt = None,
) -> None:
    """The protocol's steps in order, with where each leads; --full previews every step."""
    from ..ui.console import console
    from ..ui.render import render_flow

    env = load_env(protocols=protocols, lang=lang)
    loaded = checked_protocol(protocol, env)
    assert loaded.protocol is not None
    shown = shown_in(loaded, env)
    titles = env.library.titles()
    target = shown.translation.protocol if shown and shown.translation else loaded.protocol
    view = render_flow(target, plain, full=full, titles=titles, source=source_of(loaded, env))
    out = console(plain=plain)
    if shown is not None:
        out.print(shown.headline(), markup=False)
    out.print(view)


@app.command()
def schema(output: OutputOpt = None, force: ForceOpt = False) -> None:
    """JSON Schema of the protocol format, for editor completion and checking."""
    from ..authoring import protocol_schema_text
    from ..fileio import check_output, write_text_atomic

    target = check_output(output, force=force) if output is not None else None
    content = protocol_schema_text()
    if target is None:
        emit(content, nl=False)
    else:
        write_text_atomic(target, content)
        stderr(_("wrote {path}").format(path=target))


@app.command()
def new(
    protocol_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the new protocol.")],
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    protocols: ProtocolsOpt = None,
    extends: Annotated[
        str | None,
        typer.Option(
            "--extends",
            metavar="BASE",
            help="Write an overlay of BASE instead.",
            autocompletion=complete.protocol_ids,
        ),
    ] = None,
) -> None:
    """Write a commented starter protocol (ID.yaml) that validates cleanly, or with
    --extends BASE a starter overlay that changes only what your service needs."""
    from ..authoring import starter_overlay, starter_protocol
    from ..fileio import check_output, write_text_atomic

    env = load_env(protocols=protocols)
    target = check_output(output if output is not None else f"{protocol_id}.yaml", force=force)
    if extends is not None:
        base = checked_protocol(extends, env).protocol
        assert base is not None
        content = starter_overlay(protocol_id, base)
    else:
        content = starter_protocol(protocol_id)
        if protocol_id in env.library.protocol_ids:
            fail(
                _(
                    "the library already has a protocol '{id}'; to adapt it for your service, "
                    "write an overlay that changes only what differs (crisisguide new {id} "
                    "--extends {id} -o my-folder/{id}.yaml), or choose another id"
                ).format(id=protocol_id)
            )
    if target is None:
        emit(content, nl=False)
        return
    if target.exists() and not force:
        fail(_("{path} already exists; choose another name with -o, or add --force").format(
            path=target))  # fmt: skip
    write_text_atomic(target, content)
    stderr(_("wrote {path}; check it with: crisisguide validate {path} --strict").format(
        path=target))  # fmt: skip
