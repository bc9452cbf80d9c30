"""Referral commands: ``resources``, ``now`` (emergency help at once) and ``config``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from ..text import one_line, to_json
from . import app, emit

if TYPE_CHECKING:
    from ..referrals import Entry
from .common import OutputFormat, PlainOpt, ReferralsOpt, RegionOpt, load_env


@app.command()
def resources(
    region: RegionOpt = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Only this kind (repeatable).")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only entries with this tag (repeatable).")
    ] = None,
    referrals: ReferralsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    plain: PlainOpt = False,
) -> None:
    """The referral directory for a region: services, how to reach them, hours, notes."""
    from ..errors import did_you_mean
    from ..formats import REFERRAL_KINDS

    for name in kind or []:
        if name not in REFERRAL_KINDS:
            raise UsageError(
                f"'{name}' is not a referral kind{did_you_mean(name, REFERRAL_KINDS)}; "
                f"kinds are: {', '.join(REFERRAL_KINDS)}"
            )
    env = load_env(region=region, referrals=referrals)
    entries = env.directory.select(env.region, kinds=kind or [], tags=tag or [])
    _show(entries, env.region, output_format, plain)


@app.command()
def now(
    region: RegionOpt = None,
    referrals: ReferralsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    plain: PlainOpt = False,
) -> None:
    """Emergency and crisis-line contacts for the region, at once, no questions asked.
    Always answers: user files with errors are set aside with a warning, after the numbers."""
    env = load_env(region=region, referrals=referrals, resilient=True)
    _show(env.directory.urgent(env.region), env.region, output_format, plain, urgent=True)


def _show(
    entries: list[Entry],
    region: str,
    output_format: OutputFormat,
    plain: bool,
    *,
    urgent: bool = False,
) -> None:
    if output_format is OutputFormat.json:
        rows = [{**e.as_result(), "regions": e.regions, "tags": e.tags} for e in entries]
        data: dict[str, object] = {"region": region, "entries": rows}
        if urgent:
            data["emergency_number_on_file"] = any(e.kind == "emergency" for e in entries)
        emit(to_json(data))
        return
    from ..ui.console import console
    from ..ui.contacts import resources_view

    console(plain=plain).print(resources_view(entries, region, plain, urgent=urgent))


@app.command("config")
def show_config(
    region: RegionOpt = None,
    referrals: ReferralsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """The settings in effect and where each came from (config file, option, default)."""
    from ..config import describe_settings

    data = describe_settings(load_env(region=region, referrals=referrals).settings)
    if output_format is OutputFormat.json:
        emit(to_json(data))
        return
    found = (
        "" if data["config_file_found"]
        else " (sets nothing; defaults apply)" if data["config_file_exists"]
        else " (not found; defaults apply)"
    )  # fmt: skip
    lines = [
        f"config file: {data['config_file']}{found}",
        f"region: {data['region']['value']} (from {data['region']['from']})",
        "referral directories, later ones replace earlier entries with the same id:",
        *(f"  {r['path']} ({r['from']})" for r in data["referral_files"]),
        "protocol folders, in search order:",
        *(f"  {p['path']} ({p['from']})" for p in data["protocol_folders"]),
    ]
    emit("\n".join(one_line(line) for line in lines))  # paths can hold anything
