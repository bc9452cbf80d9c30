"""The interactive ``drill run``: vignette, then at each question how to ask, the
client's reply and how to record it; the disposition; a scored debrief."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CrisisGuideError, UsageError
from . import stderr
from .common import Env, console
from .walk import has_terminal

if TYPE_CHECKING:
    from rich.console import Console

    from ..drills import DrillRun, LoadedDrill


def find_drill(ref: str, env: Env) -> LoadedDrill:
    from ..drills import drill_from_document
    from ..errors import did_you_mean
    from ..library import looks_like_path
    from ..yamldoc import read_document

    if Path(ref).is_file() or looks_like_path(ref):
        if not Path(ref).is_file():
            raise CrisisGuideError(f"{ref}: no such file")
        loaded = drill_from_document(read_document(ref), env.library.valid_protocols())
    else:
        drills = [d for d in env.library.loaded_drills() if d.drill and d.drill.id == ref]
        if not drills:
            known = [d.drill.id for d in env.library.loaded_drills() if d.drill]
            raise CrisisGuideError(
                f"no drill with id '{ref}'{did_you_mean(ref, known)}; "
                "run 'crisisguide drill list' to see them"
            )
        loaded = drills[0]
    errors = [p for p in loaded.problems if p.is_error]
    if errors or loaded.drill is None:
        raise CrisisGuideError(f"{loaded.path}: the drill has errors and cannot be run", errors)
    return loaded


def run_interactive(
    ref: str, seed: int | None, results: Path | None, transcript: Path | None, env: Env, plain: bool
) -> None:
    if not has_terminal():
        raise UsageError(
            "drill run needs a terminal to ask its questions; to check drills without one, "
            "use: crisisguide drill check PATH"
        )
    from ..drills import DrillRun

    loaded = find_drill(ref, env)
    assert loaded.drill is not None
    protocol = env.library.valid_protocols()[loaded.drill.protocol]
    seed = seed if seed is not None else random.SystemRandom().randrange(1_000_000)
    run = DrillRun(loaded.drill, protocol, loaded.answers, seed)
    out = console(plain=plain)
    started = time.monotonic()
    _walk(run, out, env, plain)
    _finish(run, out, env, plain)
    if results is not None:
        _append_results(results, run, time.monotonic() - started)
    if transcript is not None:
        _save_record(transcript, run, env)


def _walk(run: DrillRun, out: Console, env: Env, plain: bool) -> None:
    from ..prompts import Back, ask, choose
    from ..screens import drill_header, drill_node, emergency_line, feedback_line

    out.print(drill_header(run.drill, run.protocol, run.seed, plain))
    emergency = emergency_line(env.directory.urgent(env.region), env.region, plain)
    step = 0
    while not run.finished:
        step += 1
        out.print(drill_node(run.node_id, run.node, step, plain))
        phrasings = run.phrasings()
        if phrasings:
            index = choose("How do you ask?", [p.text for p in phrasings], plain)
            out.print(feedback_line(run.choose_phrasing(phrasings[index]), plain))
        line = run.client_line()
        if line is not None and line.says:
            out.print(_says(line.says, plain))
        out.print(emergency)
        if run.node.kind == "info":
            ask(run.node, False, plain)
            run.record(None)
            continue
        run.expected_answer()  # fails clearly, before asking, if the script has no line here
        reply = ask(run.node, False, plain)
        assert not isinstance(reply, Back)  # no Back in a drill: every choice counts
        feedback = run.record(reply)
        if feedback is not None:
            out.print(feedback_line(feedback, plain))


def _says(words: str, plain: bool) -> Any:
    from ..richtext import text

    line = text("The client says:", "" if plain else "bold").append(" ")
    return line.append_text(text(f"\u201c{words}\u201d"))


def _finish(run: DrillRun, out: Console, env: Env, plain: bool) -> None:
    from ..model import Outcome
    from ..prompts import choose
    from ..screens import debrief_screen, feedback_line, outcome_screen

    outcomes = run.dispositions()
    titles = [run.protocol.nodes[o].title or o for o in outcomes]
    index = choose("What is the disposition?", titles, plain)
    out.print(feedback_line(run.choose_disposition(outcomes[index]), plain))
    outcome = run.session.current
    assert isinstance(outcome, Outcome)
    resolved = env.directory.resolve(outcome.referrals, env.region)
    out.print(outcome_screen(run.session, resolved, plain))
    help_entries = env.directory.urgent(env.region)
    out.print(debrief_screen(run.drill, run.debrief(), help_entries, env.region, plain))


def _save_record(path: Path, run: DrillRun, env: Env) -> None:
    from ..export.markdown import drill_record
    from ..fileio import write_text_atomic
    from ..model import Outcome

    outcome = run.session.current
    assert isinstance(outcome, Outcome)
    resolved = env.directory.resolve(outcome.referrals, env.region)
    recorded = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = drill_record(run, resolved, env.directory.urgent(env.region), env.region, recorded)
    write_text_atomic(path, text, private=True)
    stderr(f"saved the drill record to {path} (readable only by you)")


def _append_results(path: Path, run: DrillRun, seconds: float) -> None:
    from ..fileio import write_text_atomic

    record = {
        "drill": run.drill.id,
        "protocol": run.protocol.id,
        "version": run.protocol.version,
        "seed": run.seed,
        "scores": run.scores(),
        "seconds": round(seconds, 1),
        "finished": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    try:
        before = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as exc:
        raise CrisisGuideError(f"cannot read {path}: {exc.strerror}") from None
    if before and not before.endswith("\n"):
        before += "\n"
    write_text_atomic(path, before + json.dumps(record, ensure_ascii=False) + "\n", private=True)
    stderr(f"appended the scores to {path}")
