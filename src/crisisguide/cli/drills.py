"""``crisisguide drill list|run|check|coverage``: trainer-scripted scenarios."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import time
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import CrisisGuideError, ExitCode, UsageError
from ..language import _, ngettext
from ..text import one_line, to_json
from ..ui import dumb_terminal
from . import complete, emit, stderr
from .common import (
    Env,
    ForceOpt,
    LangOpt,
    NoPagerOpt,
    OutputFormat,
    OutputOpt,
    PlainOpt,
    ProtocolsOpt,
    ReferralsOpt,
    RegionOpt,
    TranscriptOpt,
    checked_protocol,
    emit_rows,
    file_column,
    load_env,
    piped,
    report_broken,
    shown_in,
)
from .walk import has_terminal

if TYPE_CHECKING:
    from ..drills import CheckResult, DrillRun, LoadedDrill
    from ..drills.report import Run, Tally
    from ..drills.results import LineProblem
    from ..errors import Problem
    from ..fileio import AppendFile
    from ..i18n import Shown
    from ..library import Library
    from ..model import Protocol
    from ..referrals import Resolved

drill_app = typer.Typer(
    help="Trainer-scripted drills: rehearse with a simulated client, or check them like tests.",
    no_args_is_help=True,
)
app = typer.Typer()
"""This module's commands (built one at a time by the root command)."""
app.add_typer(drill_app, name="drill")


@drill_app.command("list")
def list_drills(
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """The drills in the library: id, title, protocol and tags."""
    from ..drills import library_drills
    from ..validate import library_rows

    env = load_env(protocols=protocols)
    library = env.library
    drills = library_drills(library)
    rows: list[dict[str, Any]] = [
        {"id": d.drill.id, "title": d.drill.title, "protocol": d.drill.protocol,
         "tags": d.drill.tags, **_origin(library, d.path)}
        for d in drills if d.drill is not None
    ]  # fmt: skip
    if output_format is OutputFormat.json:
        emit(to_json(rows))
    elif piped():
        emit_rows([{**r, "file": file_column(r)} for r in rows],
                  ("id", "title", "protocol", "tags", "file"))  # fmt: skip
    else:
        for row in rows:
            tags = f" [{', '.join(row['tags'])}]" if row["tags"] else ""
            emit(one_line(_("{id}: {title} (protocol {protocol}){tags}").format(
                id=row["id"], title=row["title"], protocol=row["protocol"], tags=tags)))  # fmt: skip
    broken = library_rows(library, env.directory.kinds())[1]  # the files list reports
    broken += [errors[0] for d in drills if (errors := [p for p in d.problems if p.is_error])]
    report_broken(broken)


def _origin(library: Library, path: str) -> dict[str, str]:
    """Where a drill comes from, as ``list`` says it of a protocol: ``built-in`` or the
    file, its layer, and the layer of the drill with its id that it overrides."""
    from ..library import LAYERS

    header = next((h for h in library.headers if h.path == path), None)
    layer = header.layer if header is not None else len(LAYERS)
    below = [h for h in library.headers if header is not None and h.kind == "drill"
             and h.id == header.id and h.layer < layer]  # fmt: skip
    return {
        "file": "built-in" if layer == 0 else path,
        "path": path,
        "origin": LAYERS[layer] if layer < len(LAYERS) else "",
        "overrides": LAYERS[below[-1].layer] if below else "",
    }


@drill_app.command("check")
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Drill files, or folders of them (none: every drill in the library).",
            readable=False,
        ),
    ] = None,
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Walk each drill's scripted answers through its protocol; fail if it does not reach
    the expected outcome, tier and referrals. No prompts: drills are tests of protocols."""
    from ..drills import check_drills

    for path in paths or []:
        if not os.path.lexists(path):
            raise UsageError(_("no such file or folder: {path}").format(path=path))
    env = load_env(protocols=protocols)
    results = check_drills(paths or [], env.library)
    if not results:
        if not paths:
            raise CrisisGuideError(_("no drills found in the library"))
        where = ", ".join(str(p) for p in paths)
        raise CrisisGuideError(_("no drills found in {paths}").format(paths=where))
    failed = _report_checks(results, output_format)
    report_broken(_broken_files(env, paths or [], [loaded.path for loaded, _result in results]))
    raise typer.Exit(int(ExitCode.DATA if failed else ExitCode.OK))


def _broken_files(env: Env, paths: list[Path], drills: list[str]) -> list[Problem]:
    """The broken files a drill check relies on (docs/format.md, "Drills"): every broken
    file of the library, as ``list`` reports it, and the errors ``validate`` finds in the
    files under ``paths``; not the drills checked, whose errors are their failures."""
    from ..validate import check_paths, library_rows
    from .common import today

    broken = library_rows(env.library, env.directory.kinds())[1]
    if paths:
        found = check_paths(paths, env.library, today(), env.loaded_directories)[0]
        broken += [p for p in found if p.is_error]
    checked = {os.path.abspath(d) for d in drills}
    unique: dict[tuple[str, int, int, str], Problem] = {}
    for found_problem in broken:
        where = found_problem.location
        key = (os.path.abspath(where.file), where.line, where.column, found_problem.code)
        if key[0] not in checked:
            unique.setdefault(key, found_problem)
    return list(unique.values())


def _report_checks(
    results: list[tuple[LoadedDrill, CheckResult | None]], output_format: OutputFormat
) -> int:
    rows: list[dict[str, Any]] = []
    for loaded, result in results:
        errors = [p for p in loaded.problems if p.is_error]
        name = loaded.drill.id if loaded.drill else one_line(loaded.path)
        if result is None:
            rows.append({"drill": name, "file": loaded.path, "passed": False,
                         "failures": [str(p) for p in errors]})  # fmt: skip
        else:
            where_from = f" (protocol {result.protocol_file})" if result.protocol_file else ""
            rows.append({"drill": name, "file": loaded.path, "passed": result.passed,
                         "outcome": result.outcome, "tier": result.tier,
                         "protocol_file": result.protocol_file,
                         "failures": [f"{where}: {why}{where_from}" for why, where in result.failures]})  # fmt: skip
    failed = sum(1 for r in rows if not r["passed"])
    if output_format is OutputFormat.json:
        emit(to_json(rows))
    else:
        for row in rows:
            if row["passed"]:
                emit(f"PASS {row['drill']}: {row['outcome']} (tier {row['tier']})")
            else:
                for failure in row["failures"]:
                    where, _sep, why = failure.partition(": ")
                    emit(f"{where}: FAIL {row['drill']}: {why}")
        stderr(
            _("{passed} passed, {failed} failed").format(passed=len(rows) - failed, failed=failed)
        )
    return failed


@drill_app.command("coverage")
def coverage_command(
    protocol: Annotated[
        str,
        typer.Argument(
            help="A protocol id or a protocol file.", autocompletion=complete.protocol_ids
        ),
    ],
    drills: Annotated[
        list[Path] | None, typer.Option("--drills", help="Drill files or folders to add.")
    ] = None,
    protocols: ProtocolsOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Which outcomes and answers of a protocol no drill reaches. Fails when an urgent
    outcome (top two tiers) has no drill."""
    from ..drills import coverage, coverage_report, drills_at, library_drills
    from ..files import looks_like_path

    env = load_env(protocols=protocols)
    loaded = checked_protocol(protocol, env)
    assert loaded.protocol is not None
    extra = [*(drills or [])]
    if looks_like_path(protocol) or Path(protocol).is_file():
        extra.append(Path(loaded.path).parent)  # the drills beside a protocol file count
    found = {d.path: d for d in library_drills(env.library)}
    if extra:
        found.update((d.path, d) for d in drills_at(extra, env.library)[0])
    data = coverage_report(coverage(loaded.protocol, found.values()))
    if output_format is OutputFormat.json:
        emit(to_json(data))
    else:
        _print_coverage(data)
    if data["urgent_not_covered"]:
        missing = data["urgent_not_covered"]
        stderr(ngettext("urgent outcome(s) with no drill: {ids}",
                        "urgent outcome(s) with no drill: {ids}", len(missing)).format(
            ids=", ".join(missing)))  # fmt: skip
        raise typer.Exit(int(ExitCode.DATA))


def _print_coverage(data: dict[str, Any]) -> None:
    emit(_("Outcomes of {protocol}:").format(protocol=data["protocol"]))
    for outcome, ids in data["outcomes"].items():
        mark = _("covered by {ids}").format(ids=", ".join(ids)) if ids else _("NOT COVERED")
        urgent_mark = _(" (urgent)") if outcome in data["urgent_not_covered"] else ""
        emit(f"  {outcome}{urgent_mark}: {mark}")
    missing = data["answers_not_covered"]
    emit(_("Answers no drill gives ({count}):").format(count=len(missing)))
    for item in missing:
        emit(f"  {item['node']}: {item['answer']}")


@drill_app.command("run")
def run_drill(
    drill: Annotated[
        str, typer.Argument(help="A drill id or a drill file.", autocompletion=complete.drill_ids)
    ],
    seed: Annotated[
        int | None, typer.Option("--seed", help="Shuffle the choices the same way again.")
    ] = None,
    results: Annotated[
        str | None,
        typer.Option(
            "--results", metavar="FILE", help="Append a JSON line with the scores (for trainers)."
        ),
    ] = None,
    trainee: Annotated[
        str | None,
        typer.Option(
            "--trainee",
            metavar="NAME",
            help="Who is rehearsing, for --results (a pseudonym is fine; default: the config "
            "file's trainee).",
        ),
    ] = None,
    transcript: TranscriptOpt = None,
    force: ForceOpt = False,
    region: RegionOpt = None,
    referrals: ReferralsOpt = None,
    protocols: ProtocolsOpt = None,
    plain: PlainOpt = False,
    no_pager: NoPagerOpt = False,
    lang: LangOpt = None,
) -> None:
    """Rehearse with a simulated client: choose how to ask, record the replies, decide the
    disposition; every choice is scored and the debrief says what to practise."""
    if not has_terminal():
        raise UsageError(
            _(
                "drill run needs a terminal to ask its questions; to check drills without one, "
                "use: crisisguide drill check PATH"
            )
        )
    from ..drills import DrillRun, find_drill
    from ..fileio import AppendFile
    from ..ui.console import console
    from ..ui.drill import debrief, rehearse

    env = load_env(region, referrals, protocols, lang=lang)
    loaded, protocol = find_drill(drill, env.library)
    assert loaded.drill is not None
    shown = _shown(loaded, protocol, env)
    translation = shown.translation if shown is not None else None
    record = env.output(transcript, [loaded.path], force)  # every output before the first step
    if transcript is not None and record is None:
        raise UsageError(_("--transcript needs a file name (the record is not printed)"))
    with contextlib.ExitStack() as stack:
        appender = stack.enter_context(AppendFile(results)) if results is not None else None
        seed = seed if seed is not None else random.SystemRandom().randrange(1_000_000)
        run = DrillRun(loaded.drill, protocol, loaded.answers, seed, display=translation)
        plain = plain or dumb_terminal()
        out, urgent = console(plain=plain), env.directory.urgent(env.region)
        started, started_at = time.monotonic(), _now()
        headline = shown.headline() if shown is not None else ""
        rehearse(run, urgent, env.region, out, plain, headline=headline)
        debrief(run, _resolved(run, env), urgent, env.region, out, plain, pager=not no_pager)
        if appender is not None:
            who = trainee if trainee is not None else env.settings.trainee
            shown_lang = translation.language if translation is not None else ""
            _append_results(appender, run, time.monotonic() - started, started_at, loaded, who,
                            shown_lang)  # fmt: skip
    if record is not None:
        _save_record(record, run, env)


def _shown(loaded: LoadedDrill, protocol: Protocol, env: Env) -> Shown | None:
    """The drill's protocol in the language in effect, if it is not the default and the
    protocol has a translation into it (the run itself keeps the original)."""
    from ..i18n.tags import is_default

    if is_default(env.lang):
        return None
    from dataclasses import replace

    from ..library import find_protocol

    found = find_protocol(loaded.protocol_file or protocol.id, env.library)
    return shown_in(replace(found, protocol=protocol), env)


def _resolved(run: DrillRun, env: Env) -> list[Resolved]:
    return env.directory.resolve(run.session.outcome.referrals, env.region)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _save_record(path: Path, run: DrillRun, env: Env) -> None:
    from ..export.markdown import drill_record
    from ..fileio import write_text_atomic

    recorded = _now().strftime("%Y-%m-%d %H:%M UTC")
    urgent = env.directory.urgent(env.region)
    text = drill_record(run, _resolved(run, env), urgent, env.region, recorded)
    write_text_atomic(path, text, private=True)
    stderr(_("saved the drill record to {path} (readable only by you)").format(path=path))


def _append_results(
    results: AppendFile,
    run: DrillRun,
    seconds: float,
    started: dt.datetime,
    loaded: LoadedDrill,
    trainee: str | None,
    lang: str = "",
) -> None:
    from ..drills.find import file_sha256
    from ..drills.run import Provenance, clean_trainee, results_record

    finished = _now()
    provenance = Provenance(
        started_at=started.isoformat(timespec="seconds"),
        finished_at=finished.isoformat(timespec="seconds"),
        trainee=clean_trainee(trainee),
        drill_sha256=loaded.doc.sha256,
        protocol_sha256=file_sha256(loaded.protocol_file) if loaded.protocol_file else "",
        lang=lang,
    )
    record = results_record(run, seconds, finished.strftime("%Y-%m-%dT%H:%M:%SZ"), provenance)
    results.append(to_json(record, indent=None))
    stderr(_("appended the scores to {path}").format(path=results.path))


class ReportFormat(str, Enum):
    text = "text"
    md = "md"
    csv = "csv"
    json = "json"
    xapi = "xapi"


class Grouping(str, Enum):
    drill = "drill"
    trainee = "trainee"
    protocol = "protocol"
    week = "week"


MAX_SHOWN_PROBLEMS = 20


@drill_app.command("report")
def report_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="Results files written by drill run --results.", readable=False),
    ],
    by: Annotated[
        Grouping, typer.Option("--by", help="Group the scores by drill, trainee, protocol or week.")
    ] = Grouping.drill,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="DATE", help="Only runs finished on or after DATE (YYYY-MM-DD)."
        ),
    ] = None,
    trainee: Annotated[
        list[str] | None,
        typer.Option("--trainee", metavar="NAME", help="Only this trainee's runs (repeatable)."),
    ] = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option("--format", help="text (the terminal), md, csv, json, or xapi statements."),
    ] = ReportFormat.text,
    output: OutputOpt = None,
    force: ForceOpt = False,
    pass_mark: Annotated[
        float,
        typer.Option("--pass-mark", min=0.0, max=1.0, help="Share of choices right to pass a run."),
    ] = 0.8,
    top: Annotated[
        int, typer.Option("--top", min=1, help="How many phrasings and mistakes to rank.")
    ] = 10,
    xapi_base: Annotated[
        str | None,
        typer.Option(
            "--xapi-base",
            metavar="IRI",
            help="With --format xapi: the http(s) address activity and account ids are built "
            "on (default: the config file's xapi_base).",
        ),
    ] = None,
    plain: PlainOpt = False,
) -> None:
    """Sum up results files for trainers: scores per drill and category, each trainee's
    progress, the avoid phrasings chosen most and the commonest recording mistakes."""
    from ..drills.report import Tally
    from ..drills.results import check_readable

    when = _since(since)
    env = load_env()
    target = env.output(output, files, force)  # checked before anything is read
    check_readable(files)
    tally = Tally(by=by.value, since=when, trainees=trainee or (), pass_mark=pass_mark)
    problems: list[LineProblem] = []
    if output_format is ReportFormat.xapi:
        _write_out(_statements(tally, files, _xapi_base(xapi_base, env), problems), target)
    else:
        for _counted_run in _counted(tally, files, problems):
            pass  # every line counted into the tally
        summary = tally.summary(top)
        if output_format is ReportFormat.text and target is None:
            from ..ui.console import console
            from ..ui.report import report_screen

            plain = plain or dumb_terminal()
            console(plain=plain).print(report_screen(summary, plain))
        else:
            _write_out([_report_content(summary, output_format, plain)], target)
    _report_problems(problems)


def _write_out(chunks: Iterable[str], target: Path | None) -> None:
    """Write the report, piece by piece, to standard output or atomically to ``target``."""
    if target is None:
        for chunk in chunks:
            emit(chunk, nl=False)
        return
    from ..fileio import write_chunks_atomic

    write_chunks_atomic(target, chunks)
    stderr(_("wrote {path}").format(path=target))


def _since(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            _("--since takes a date as YYYY-MM-DD, not '{value}'").format(value=one_line(value))
        ) from None


def _xapi_base(option: str | None, env: Env) -> str:
    from ..drills.xapi import DEFAULT_BASE, checked_base

    value = option or env.settings.xapi_base
    if not value:
        stderr(_("note: xAPI ids are built on the placeholder {base}; set your service's "
                 "own with --xapi-base or xapi_base in the config file").format(base=DEFAULT_BASE))  # fmt: skip
        value = DEFAULT_BASE
    try:
        return checked_base(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _counted(
    tally: Tally, files: list[Path], problems: list[LineProblem]
) -> Iterator[tuple[Any, Run]]:
    """Every line of ``files`` into ``tally``, yielding each (line, run) counted; the lines
    that could not be used go to ``problems``."""
    from ..drills.report import BadLine
    from ..drills.results import LineProblem, read_results

    for name, number, value in read_results(files):
        if isinstance(value, LineProblem):
            problems.append(value)
            continue
        try:
            run = tally.add(value)
        except BadLine as exc:
            problems.append(LineProblem(name, number, str(exc)))
            continue
        if run is not None:
            yield value, run


def _statements(
    tally: Tally, files: list[Path], base: str, problems: list[LineProblem]
) -> Iterator[str]:
    """A JSON array of xAPI statements, one per line, made as the lines are read (100,000
    runs never sit in memory at once). Runs with no trainee are left out, and counted."""
    from ..drills.xapi import statement

    nameless, first = 0, True
    yield "["
    for record, run in _counted(tally, files, problems):
        if run.trainee is None:
            nameless += 1
            continue
        yield ("\n" if first else ",\n") + to_json(
            statement(record, run, base, tally.pass_mark), indent=None
        )
        first = False
    yield "\n]\n" if not first else "]\n"
    if nameless:
        stderr(ngettext(
            "note: {count} run(s) with no trainee were left out of the xAPI statements "
            "(a statement needs a learner; see docs/trainers.md)",
            "note: {count} run(s) with no trainee were left out of the xAPI statements "
            "(a statement needs a learner; see docs/trainers.md)", nameless).format(count=nameless))  # fmt: skip


def _report_content(summary: dict[str, Any], output_format: ReportFormat, plain: bool) -> str:
    if output_format is ReportFormat.json:
        return to_json(summary) + "\n"
    if output_format is ReportFormat.md:
        from ..export.report import report_markdown

        return report_markdown(summary)
    if output_format is ReportFormat.csv:
        from ..export.report import report_csv

        return report_csv(summary)
    from ..ui.report import report_text

    return report_text(summary, plain)


def _report_problems(problems: list[LineProblem]) -> None:
    """Each unusable line, located (the first few), then exit 1: the report counts the
    other lines, but a trainer should know that some were not counted."""
    for found in problems[:MAX_SHOWN_PROBLEMS]:
        stderr(str(found))
    if len(problems) > MAX_SHOWN_PROBLEMS:
        more = len(problems) - MAX_SHOWN_PROBLEMS
        stderr(ngettext("... and {count} more unusable line(s)",
                        "... and {count} more unusable line(s)", more).format(count=more))  # fmt: skip
    if problems:
        stderr(ngettext("{count} line(s) could not be read and were not counted",
                        "{count} line(s) could not be read and were not counted",
                        len(problems)).format(count=len(problems)))  # fmt: skip
        raise typer.Exit(int(ExitCode.DATA))
