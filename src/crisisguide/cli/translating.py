"""``crisisguide i18n``: protocol translations as PO files (extract, init, update, status)."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import CrisisGuideError, UsageError
from ..language import _
from ..text import one_line, to_json
from . import complete, emit, stderr
from .common import (
    Env,
    ForceOpt,
    OutputOpt,
    PlainOpt,
    ProtocolsOpt,
    checked_protocol,
    load_env,
)

if TYPE_CHECKING:
    from ..loader import LoadedProtocol


class StatusFormat(str, Enum):
    text = "text"
    json = "json"


i18n_app = typer.Typer(
    help="Translate protocols: PO files for translators' tools (Poedit, Weblate), kept next "
    "to each protocol in translations/LANG/ID.po.",
    no_args_is_help=True,
)
app = typer.Typer()
app.add_typer(i18n_app, name="i18n")

ProtocolArg = Annotated[
    str,
    typer.Argument(help="A protocol id or a protocol file.", autocompletion=complete.protocol_ids),
]


def _tag(value: str) -> str:
    from ..i18n.tags import normalize

    tag = normalize(value)
    if tag is None:
        raise UsageError(
            _("'{value}' is not a language tag: use a code like es, fr or pt-BR").format(
                value=one_line(value)
            )
        )
    return tag


def _loaded(ref: str, env: Env) -> LoadedProtocol:
    loaded = checked_protocol(ref, env)
    assert loaded.protocol is not None
    return loaded


@i18n_app.command()
def extract(
    protocol: ProtocolArg,
    output: OutputOpt = None,
    force: ForceOpt = False,
    protocols: ProtocolsOpt = None,
) -> None:
    """Write the template (.pot) of every string of a protocol to translate, each with its
    context (node id and field) and the line it is on."""
    from ..i18n.catalogue import as_text, template

    env = load_env(protocols=protocols)
    loaded = _loaded(protocol, env)
    target = env.output(output, [loaded.path], force) if output is not None else None
    folder = str(target.parent) if target is not None else None
    content = as_text(template(loaded, folder))
    if target is None:
        emit(content, nl=False)
        return
    from ..fileio import write_text_atomic

    write_text_atomic(target, content)
    stderr(_("wrote {path}").format(path=target))


@i18n_app.command()
def init(
    protocol: ProtocolArg,
    lang: Annotated[
        str, typer.Option("--lang", metavar="LANG", help="The language to translate into (es).")
    ],
    protocols: ProtocolsOpt = None,
) -> None:
    """Start a translation: translations/LANG/ID.po next to the protocol, every string
    untranslated, marked as a draft. Never replaces an existing file."""
    from ..fileio import check_output, write_text_atomic
    from ..i18n.catalogue import as_text, new_translation, po_path

    tag = _tag(lang)
    env = load_env(protocols=protocols)
    loaded = _loaded(protocol, env)
    assert loaded.protocol is not None
    target = po_path(loaded.path, tag, loaded.protocol.id)
    if target.exists():
        raise CrisisGuideError(
            _(
                "{path} already exists; bring it up to date with: crisisguide i18n update "
                "{protocol} --lang {tag}"
            ).format(path=target, protocol=protocol, tag=tag)
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CrisisGuideError(
            _("cannot write {path}: {reason}").format(
                path=target, reason=exc.strerror or type(exc).__name__
            )
        ) from None
    check_output(target)
    write_text_atomic(target, as_text(new_translation(loaded, tag, str(target.parent))))
    stderr(_("wrote {path}; open it in a PO editor (Poedit, Weblate) to translate").format(
        path=target))  # fmt: skip


@i18n_app.command()
def update(
    protocol: ProtocolArg,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="LANG", help="Only this language (default: every one)."),
    ] = None,
    protocols: ProtocolsOpt = None,
) -> None:
    """Bring a protocol's translations up to date: new strings added, strings whose
    original changed marked fuzzy (the previous original kept), strings gone obsolete."""
    from ..fileio import check_output, write_text_atomic
    from ..i18n import translation_files
    from ..i18n.catalogue import as_text, read_catalogue, template
    from ..i18n.catalogue import update as update_po

    env = load_env(protocols=protocols)
    loaded = _loaded(protocol, env)
    assert loaded.protocol is not None
    files = translation_files(loaded.path, loaded.protocol.id)
    if lang is not None:
        tag = _tag(lang)
        if tag not in files:
            raise CrisisGuideError(
                _("{id} has no {tag} translation yet; start one with: "
                  "crisisguide i18n init {protocol} --lang {tag}").format(
                    id=loaded.protocol.id, tag=tag, protocol=protocol)
            )  # fmt: skip
        files = {tag: files[tag]}
    if not files:
        raise CrisisGuideError(
            _("{id} has no translations yet; start one with: "
              "crisisguide i18n init {protocol} --lang LANG").format(
                id=loaded.protocol.id, protocol=protocol)
        )  # fmt: skip
    for tag, path in files.items():
        check_output(path)
        catalogue = read_catalogue(path, tag)
        if catalogue.po is None:
            raise CrisisGuideError(
                _("{path}: the translation cannot be read").format(path=path), catalogue.problems
            )
        before = as_text(catalogue.po)
        changes = update_po(catalogue.po, template(loaded, str(path.parent)))
        after = as_text(catalogue.po)
        if after == before:
            stderr(_("{path} is up to date").format(path=path))
            continue
        write_text_atomic(path, after)
        stderr(_("updated {path}: {added} added, {fuzzy} to check (fuzzy), {obsolete} obsolete")
               .format(path=path, added=changes.added, fuzzy=changes.fuzzy,
                       obsolete=changes.obsolete))  # fmt: skip


@i18n_app.command()
def status(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Protocol files or folders (default: the library in effect)."),
    ] = None,
    protocols: ProtocolsOpt = None,
    output_format: Annotated[StatusFormat, typer.Option("--format")] = StatusFormat.text,
    plain: PlainOpt = False,
) -> None:
    """How complete each protocol's translations are: languages by protocols, in percent."""
    for path in paths or []:
        if not os.path.lexists(path):
            raise UsageError(_("no such file or folder: {path}").format(path=path))
    env = load_env(protocols=protocols)
    rows = _status_rows(env, paths)
    languages = sorted({lang for row in rows for lang in row["languages"]})
    if output_format is StatusFormat.json:
        emit(to_json(rows))
        return
    if not languages:
        stderr(_("no translations found (start one with: crisisguide i18n init ID --lang LANG)"))
        return
    if plain:
        for row in rows:
            found = row["languages"]
            # Translators: {percent} is "85%"; {lang} a language tag (es).
            words = "; ".join(_("{lang}: {percent} ({translated} of {total} strings)").format(
                lang=lang, percent=f"{c['percent']}%", translated=c["translated"],
                total=c["total"]) for lang, c in found.items())  # fmt: skip
            emit(f"{row['id']}: {words or _('no translations')}")
        return
    emit(_table(rows, languages))


def _status_rows(env: Env, paths: list[Path] | None) -> list[dict[str, Any]]:
    from ..files import documents_at
    from ..i18n import translation_files, translation_paths
    from ..i18n.apply import translate
    from ..i18n.catalogue import read_catalogue
    from ..loader import file_kind

    library = env.library.with_files(paths) if paths else env.library
    named = paths if paths else [Path(h.path) for h in library.in_effect()]
    rows: list[dict[str, Any]] = []
    for doc in documents_at(named):
        if file_kind(doc.data) != "protocol":
            continue
        loaded = library.protocol_of(doc)
        if loaded.protocol is None:
            stderr(_("note: {path} has errors and is left out (see crisisguide validate)").format(
                path=doc.path))  # fmt: skip
            continue
        found: dict[str, dict[str, Any]] = {}
        for tag, path in translation_files(loaded.path, loaded.protocol.id).items():
            catalogues = [read_catalogue(p, tag) for p in translation_paths(loaded, tag)]
            broken = [c.problems[0] for c in catalogues if c.po is None]
            if broken:
                stderr(_("{problem}  (run: crisisguide validate {path})").format(
                    problem=broken[0], path=loaded.path))  # fmt: skip
                continue
            catalogue = catalogues[0]
            layers = [c.entries() for c in catalogues]
            shown = translate(loaded.protocol, layers, tag)
            found[tag] = {"percent": shown.percent, "translated": shown.translated,
                          "total": shown.total, "file": str(path), "status": catalogue.status}  # fmt: skip
        rows.append({"id": loaded.protocol.id, "file": loaded.path, "languages": found})
    return rows


def _table(rows: list[dict[str, Any]], languages: list[str]) -> str:
    """Languages by protocols, as aligned columns of words (a dash: no translation)."""
    header = ["protocol", *languages]
    body = [
        [str(row["id"]), *(f"{row['languages'][lang]['percent']}%" if lang in row["languages"]
                           else "-" for lang in languages)]
        for row in rows
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip()
        for r in [header, *body]
    ]  # fmt: skip
    return "\n".join(lines)
