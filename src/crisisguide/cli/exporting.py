"""``crisisguide export``: the protocol as a markdown checklist, a printable HTML page, a
Mermaid flow or JSON."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from ..language import _
from . import complete, emit, stderr
from .common import (
    Env,
    ForceOpt,
    LangOpt,
    OutputOpt,
    ProtocolsOpt,
    ReferralsOpt,
    RegionOpt,
    checked_protocol,
    load_env,
    shown_in,
)

if TYPE_CHECKING:
    from ..loader import LoadedProtocol
    from ..referrals import Resolved


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


class ExportFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    mermaid = "mermaid"


app = typer.Typer()
"""This module's commands (built one at a time by the root command)."""


@app.command()
def export(
    protocol: Annotated[
        str,
        typer.Argument(
            help="A protocol id or a protocol file.", autocompletion=complete.protocol_ids
        ),
    ],
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", help="md (checklist), html (printable page), json or mermaid."),
    ] = ExportFormat.md,
    card: Annotated[
        bool, typer.Option("--card", help="With --format md or html: a one-page pocket card.")
    ] = False,
    paper: Annotated[
        Paper | None,
        typer.Option(
            "--paper",
            help="With --format html: a4 or letter (default: letter for US, CA, "
            "MX and a few others, else a4).",
        ),
    ] = None,
    resolved_yaml: Annotated[
        bool,
        typer.Option(
            "--resolved", help="The protocol in effect as YAML, each piece's origin in a comment."
        ),
    ] = False,
    no_tables: Annotated[
        bool,
        typer.Option("--no-tables", help="Lists instead of tables: plain CommonMark throughout."),
    ] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    region: RegionOpt = None,
    referrals: ReferralsOpt = None,
    protocols: ProtocolsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Export a protocol: a markdown checklist (task lists, ask/avoid, branches, outcomes
    with referrals for the region, a Mermaid flowchart, sources), the same as a printable
    HTML page with the flow drawn, Mermaid alone, or JSON."""
    from ..model import Outcome

    if card and output_format not in (ExportFormat.md, ExportFormat.html):
        raise UsageError(_("--card is a one-page pocket card: use it with --format md or html"))
    if paper is not None and output_format is not ExportFormat.html:
        raise UsageError(_("--paper sets the printed page: use it with --format html"))
    env = load_env(region=region, referrals=referrals, protocols=protocols, lang=lang)
    loaded = checked_protocol(protocol, env)
    target = env.output(output, [loaded.path], force)
    shown = None if resolved_yaml else shown_in(loaded, env)
    if shown is not None and shown.translation is not None:
        from dataclasses import replace

        loaded = replace(loaded, protocol=shown.translation.protocol)
    p = loaded.protocol
    assert p is not None
    if resolved_yaml:
        from ..overlay import resolved_yaml as as_yaml

        content = as_yaml(loaded.doc)
    elif output_format is ExportFormat.mermaid:
        from ..export.mermaid import flowchart

        content = flowchart(p)
    else:
        resolved = {
            node_id: env.directory.resolve(node.referrals, env.region)
            for node_id, node in p.nodes.items()
            if isinstance(node, Outcome)
        }
        if output_format is ExportFormat.html:
            content = _html(loaded, resolved, env, card, paper, not no_tables)
        else:
            content = _render(loaded, resolved, env.region, output_format, card, env, not no_tables)
    if shown is not None:
        content = _with_language(content, shown.record(), output_format)
    if target is None:
        emit(content, nl=False)
        return
    from ..fileio import write_text_atomic

    write_text_atomic(target, content)
    stderr(_("wrote {path}").format(path=target))


def _with_language(content: str, language: str, output_format: ExportFormat) -> str:
    """The export, saying which language it is in (labels are shown translated: answers
    files and drills still use the original labels). The note is a record, in English like
    the transcript's Language row and the export's own headings."""
    if output_format is ExportFormat.json:
        import json

        from ..text import to_json

        data = json.loads(content)
        data["language"] = language
        return to_json(data) + "\n"
    if output_format is ExportFormat.mermaid:
        return f"%% language: {language}\n{content}"
    if output_format is ExportFormat.html:  # the page's lang attribute is the translation's
        from html import escape

        note = f'<p class="note">Language: {escape(language)}</p>'
        return content.replace("<main>\n", f"<main>\n{note}\n", 1)
    from ..export.markdown import md_inline

    title, _sep, rest = content.partition("\n")
    return f"{title}\n\n> Language: {md_inline(language)}\n{rest}"


def _render(
    loaded: LoadedProtocol,
    resolved: dict[str, list[Resolved]],
    region: str,
    output_format: ExportFormat,
    card: bool,
    env: Env,
    tables: bool,
) -> str:
    from ..export import markdown

    assert loaded.protocol is not None
    if output_format is ExportFormat.json:
        from ..export.json import protocol_json

        return protocol_json(loaded, resolved, region)
    if card:
        return markdown.pocket_card(loaded.protocol, env.directory.urgent(region), region)
    titles = env.library.titles()
    return markdown.checklist(loaded.protocol, resolved, region, titles=titles, tables=tables)


def _html(
    loaded: LoadedProtocol,
    resolved: dict[str, list[Resolved]],
    env: Env,
    card: bool,
    paper: Paper | None,
    tables: bool,
) -> str:
    from ..export import html

    assert loaded.protocol is not None
    urgent = env.directory.urgent(env.region)
    size = paper.value if paper is not None else html.paper_for(env.region)
    if card:
        return html.card_page(loaded.protocol, urgent, env.region, paper=size)
    return html.checklist_page(loaded.protocol, resolved, urgent, env.region, paper=size,
                               titles=env.library.titles(), tables=tables)  # fmt: skip
