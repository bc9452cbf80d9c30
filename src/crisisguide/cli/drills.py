"""``crisisguide drill list|run|check|coverage``: trainer-scripted scenarios."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import CrisisGuideError, ExitCode, UsageError
from . import app, stderr
from .common import (
    Env,
    OutputFormat,
    PlainOpt,
    ProtocolsOpt,
    ReferralsOpt,
    RegionOpt,
    TranscriptOpt,
    load_env,
)

if TYPE_CHECKING:
    from ..drills import CheckResult, LoadedDrill
    from ..model import Protocol

drill_app = typer.Typer(
    help="Trainer-scripted drills: rehearse with a simulated client, or check them like tests.",
    no_args_is_help=True,
)
app.add_typer(drill_app, name="drill")


@drill_app.command("list")
def list_drills(
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """The drills in the library: id, title, protocol and tags."""
    env = load_env(protocols=protocols)
    drills = env.library.loaded_drills()
    rows: list[dict[str, Any]] = [
        {"id": d.drill.id, "title": d.drill.title, "protocol": d.drill.protocol,
         "tags": d.drill.tags, "file": d.path}
        for d in drills if d.drill is not None
    ]  # fmt: skip
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            tags = f" [{', '.join(row['tags'])}]" if row["tags"] else ""
            typer.echo(f"{row['id']}: {row['title']} (protocol {row['protocol']}){tags}")
    broken = [p for d in drills for p in d.problems if p.is_error]
    for problem in broken:
        stderr(str(problem))
    if broken:
        raise typer.Exit(int(ExitCode.DATA))


def _drills_at(paths: list[Path], env: Env) -> tuple[list[LoadedDrill], dict[str, Protocol]]:
    """The drills named by ``paths`` (files or folders), checked against the library
    plus any protocols found in the same paths; and those protocols, by id."""
    from ..drills import drill_from_document
    from ..library import documents_at
    from ..loader import file_kind, protocol_from_document

    protocols = env.library.valid_protocols()
    drill_docs = []
    for doc in documents_at(paths):
        kind = file_kind(doc.data)
        if kind == "drill" or (kind == "unknown" and doc.problems):
            drill_docs.append(doc)
        elif kind == "protocol":
            loaded = protocol_from_document(doc)
            if loaded.protocol is not None:
                protocols[loaded.protocol.id] = loaded.protocol
    return [drill_from_document(doc, protocols) for doc in drill_docs], protocols


@drill_app.command("check")
def check(
    paths: Annotated[list[Path], typer.Argument(help="Drill files, or folders of them.")],
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Walk each drill's scripted answers through its protocol; fail if it does not reach
    the expected outcome, tier and referrals. No prompts: drills are tests of protocols."""
    from ..drills import check_drill

    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"no such file or folder: {path}")
    env = load_env(protocols=protocols)
    drills, protocols_by_id = _drills_at(paths, env)
    if not drills:
        raise CrisisGuideError("no drills found in " + ", ".join(str(p) for p in paths))
    results: list[tuple[LoadedDrill, CheckResult | None]] = []
    for loaded in drills:
        result = None
        if loaded.ok and loaded.drill is not None:
            result = check_drill(loaded, protocols_by_id[loaded.drill.protocol])
        results.append((loaded, result))
    failed = _report_checks(results, output_format)
    raise typer.Exit(int(ExitCode.DATA if failed else ExitCode.OK))


def _report_checks(
    results: list[tuple[LoadedDrill, CheckResult | None]], output_format: OutputFormat
) -> int:
    rows: list[dict[str, Any]] = []
    for loaded, result in results:
        errors = [p for p in loaded.problems if p.is_error]
        name = loaded.drill.id if loaded.drill else loaded.path
        if result is None:
            rows.append({"drill": name, "file": loaded.path, "passed": False,
                         "failures": [str(p) for p in errors]})  # fmt: skip
        else:
            rows.append({"drill": name, "file": loaded.path, "passed": result.passed,
                         "outcome": result.outcome, "tier": result.tier,
                         "failures": [f"{where}: {why}" for why, where in result.failures]})  # fmt: skip
    failed = sum(1 for r in rows if not r["passed"])
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            if row["passed"]:
                typer.echo(f"PASS {row['drill']}: {row['outcome']} (tier {row['tier']})")
            else:
                for failure in row["failures"]:
                    where, _, why = failure.partition(": ")
                    typer.echo(f"{where}: FAIL {row['drill']}: {why}")
        stderr(f"{len(rows) - failed} passed, {failed} failed")
    return failed


@drill_app.command("coverage")
def coverage_command(
    protocol: Annotated[str, typer.Argument(help="A protocol id or a protocol file.")],
    drills: Annotated[
        list[Path] | None, typer.Option("--drills", help="Drill files or folders to add.")
    ] = None,
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Which outcomes and answers of a protocol no drill reaches. Fails when an urgent
    outcome (top two tiers) has no drill."""
    from ..drills import coverage
    from .common import checked_protocol

    env = load_env(protocols=protocols)
    loaded = checked_protocol(protocol, env)
    assert loaded.protocol is not None
    found = env.library.loaded_drills() + (_drills_at(drills, env)[0] if drills else [])
    result = coverage(loaded.protocol, found)
    urgent = result.urgent_missing()
    data: dict[str, Any] = {
        "protocol": loaded.protocol.id,
        "outcomes": {o: result.outcomes_reached.get(o, []) for o in loaded.protocol.outcome_ids},
        "outcomes_not_covered": result.outcomes_missing(),
        "urgent_not_covered": urgent,
        "answers_not_covered": [{"node": n, "answer": a} for n, a in result.answers_missing()],
    }
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        typer.echo(f"Outcomes of {loaded.protocol.id}:")
        for outcome, ids in data["outcomes"].items():
            mark = "covered by " + ", ".join(ids) if ids else "NOT COVERED"
            urgent_mark = " (urgent)" if outcome in urgent else ""
            typer.echo(f"  {outcome}{urgent_mark}: {mark}")
        missing = result.answers_missing()
        typer.echo(f"Answers no drill gives ({len(missing)}):")
        for node_id, answer in missing:
            typer.echo(f"  {node_id}: {answer}")
    if urgent:
        stderr(f"urgent outcome(s) with no drill: {', '.join(urgent)}")
        raise typer.Exit(int(ExitCode.DATA))


@drill_app.command("run")
def run_drill(
    drill: Annotated[str, typer.Argument(help="A drill id or a drill file.")],
    seed: Annotated[
        int | None, typer.Option("--seed", help="Shuffle the choices the same way again.")
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option("--results", help="Append a JSON line with the scores (for trainers)."),
    ] = None,
    transcript: TranscriptOpt = None,
    region: RegionOpt = None,
    referrals: ReferralsOpt = None,
    protocols: ProtocolsOpt = None,
    plain: PlainOpt = False,
) -> None:
    """Rehearse with a simulated client: choose how to ask, record the replies, decide the
    disposition; every choice is scored and the debrief says what to practise."""
    from .drill_run import run_interactive

    env = load_env(region, referrals, protocols)
    run_interactive(drill, seed, results, transcript, env, plain)
