"""Referral commands: ``resources``, ``now`` (emergency help at once) and ``config``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from ..language import _
from ..text import one_line, to_json
from . import complete, emit

if TYPE_CHECKING:
    pass
from .common import (
    OutputFormat,
    PlainOpt,
    ProtocolsOpt,
    ReferralsOpt,
    RegionOpt,
    fail,
    load_env,
)

app = typer.Typer()
"""This module's commands (built one at a time by the root command)."""


@app.command()
def resources(
    region: RegionOpt = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Only this kind (repeatable).", autocompletion=complete.kinds),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only entries with this tag (repeatable).")
    ] = None,
    referrals: ReferralsOpt = None,
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    plain: PlainOpt = False,
) -> None:
    """The referral directory for a region: services, how to reach them, hours, notes
    (the shipped one, then those in the library's folders, then your own)."""
    from ..errors import did_you_mean
    from ..formats import REFERRAL_KINDS

    for name in kind or []:
        if name not in REFERRAL_KINDS:
            raise UsageError(
                # Translators: {hint} is empty or " (did you mean 'x'?)", left in English.
                _("'{name}' is not a referral kind{hint}; kinds are: {kinds}").format(
                    name=name,
                    hint=did_you_mean(name, REFERRAL_KINDS),
                    kinds=", ".join(REFERRAL_KINDS),
                )
            )
    env = load_env(region=region, referrals=referrals, protocols=protocols)
    entries = env.directory.select(env.region, kinds=kind or [], tags=tag or [])
    if not entries and (kind or tag):
        what = _(" and ").join(
            [*(_("of kind {kind}").format(kind=k) for k in kind or []),
             *(_("tagged {tag}").format(tag=t) for t in tag or [])]
        )  # fmt: skip
        known = sorted({t for e in env.directory.select(env.region) for t in e.tags})
        hint = "".join(did_you_mean(t, known) for t in tag or [])
        # Translators: {what} is one or more of "of kind X" and "tagged Y", joined by " and ".
        fail(_("No entries {what} for {region}{hint}; tags there: {tags}").format(
            what=what, region=env.region, hint=hint, tags=", ".join(known) or _("none")))  # fmt: skip
    from ..listing import show_entries

    as_json = output_format is OutputFormat.json
    show_entries(entries, env.region, as_json=as_json, plain=plain, details=True)


@app.command()
def now(
    region: RegionOpt = None,
    referrals: ReferralsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    plain: PlainOpt = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="The interface's words in this language (es); default: the config file's "
            "lang, then the locale (LC_ALL, LC_MESSAGES, LANG).",
        ),
    ] = None,
) -> None:
    """Emergency and crisis-line contacts for the region, at once, no questions asked.
    Always answers: user files with errors are set aside with a warning, after the numbers."""
    from ..listing import show_now

    show_now(region, referrals, as_json=output_format is OutputFormat.json, plain=plain,
             lang=lang)  # fmt: skip


@app.command("config")
def show_config(
    region: RegionOpt = None,
    referrals: ReferralsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """The settings in effect and where each came from (config file, option, default)."""
    from ..config import describe_settings

    env = load_env(region=region, referrals=referrals)
    data = describe_settings(env.settings)
    language = env.language
    data["lang"] = {"value": env.lang, "from": language.source if language else "default"}
    data["trainee"] = env.settings.trainee
    data["xapi_base"] = env.settings.xapi_base
    if output_format is OutputFormat.json:
        emit(to_json(data))
        return
    found = (
        "" if data["config_file_found"]
        else _(" (sets nothing; defaults apply)") if data["config_file_exists"]
        else _(" (not found; defaults apply)")
    )  # fmt: skip
    hidden = _("hidden built-in protocols: {ids}").format(ids=", ".join(data["hidden"]))
    lines = [
        _("config file: {path}{found}").format(path=data["config_file"], found=found),
        # Translators: {source} is where the setting came from, in English (config file, option...).
        _("region: {value} (from {source})").format(
            value=data["region"]["value"], source=_source(data["region"]["from"])
        ),
        _("referral directories, later ones replace earlier entries with the same id:"),
        *(f"  {r['path']} ({_source(r['from'])})" for r in data["referral_files"]),
        _("protocol folders, in search order (a later layer overrides an earlier one):"),
        *(f"  {p['path']} ({_source(p['from'])})" for p in data["protocol_folders"]),
        *([hidden] if data["hidden"] else []),
        _("language: {value} (from {source})").format(
            value=data["lang"]["value"], source=_source(data["lang"]["from"])
        ),
        _trainee_line(data["trainee"]),
        _xapi_line(data["xapi_base"]),
    ]
    emit("\n".join(one_line(line) for line in lines))  # paths can hold anything


def _source(source: str) -> str:
    """Where a setting came from, in words: ``default``, ``built-in``, ``config`` or
    ``config PATH``, translated; an option (``--region``) or a variable (``LANG``) as it is."""
    if source == "default":
        return _("default")
    if source == "built-in":
        return _("built-in")
    if source == "config":
        return _("config")
    if source.startswith("config "):
        return _("config {path}").format(path=source.removeprefix("config "))
    return source


def _trainee_line(trainee: str | None) -> str:
    if trainee is None:
        return _("trainee for drill run --results: none (give one with --trainee, or trainee: "
                 "in the config file)")  # fmt: skip
    return _("trainee for drill run --results: {name} (from the config file)").format(name=trainee)


def _xapi_line(base: str | None) -> str:
    if base is None:
        from ..drills.xapi import DEFAULT_BASE

        return _("xAPI base for drill report --format xapi: none (the placeholder {base} is "
                 "used; set xapi_base in the config file)").format(base=DEFAULT_BASE)  # fmt: skip
    return _("xAPI base for drill report --format xapi: {base} (from the config file)").format(
        base=base
    )
