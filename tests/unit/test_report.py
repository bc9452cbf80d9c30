"""drill report: reading results lines (old and new), the figures, every output format, the
xAPI statements against a schema of the specification's rules, and a trainer's cohort of
three trainees made by real drill runs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crisisguide.drills import DrillRun, drill_from_document
from crisisguide.drills.report import BadLine, Tally, pick_run, slope, trend_word
from crisisguide.drills.results import LineProblem, read_results
from crisisguide.drills.xapi import checked_base, statement
from crisisguide.loader import load_protocol
from crisisguide.yamldoc import parse_yaml

from conftest import DATA, invoke

DRILLS = DATA / "drills"
SCHEMA = json.loads((DATA / "xapi" / "statement.schema.json").read_text(encoding="utf-8"))
NOW_AVOID = "But you're fine now, right?"
ASK_AVOID = "Why would you think that?"


def line(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "schema": 2, "drill": "d1", "protocol": "p1", "version": "1.0.0", "seed": 1,
        "scores": {"asking": {"correct": 1, "total": 2}, "recording": {"correct": 2, "total": 2},
                   "disposition": {"correct": 1, "total": 1}},
        "seconds": 12.5, "finished": "2026-12-01T10:00:00Z", "trainee": "ash",
        "started_at": "2026-12-01T09:59:47+00:00", "finished_at": "2026-12-01T10:00:00+00:00",
        "steps": [],
    }  # fmt: skip
    record.update(fields)
    return record


def scores(asking: int, recording: int, disposition: int) -> dict[str, Any]:
    return {"asking": {"correct": asking, "total": 2}, "recording": {"correct": recording,
            "total": 2}, "disposition": {"correct": disposition, "total": 1}}  # fmt: skip


# --- reading -----------------------------------------------------------------------------


def test_an_old_line_reads_with_unknown_trainee_and_steps() -> None:
    old = {"drill": "d1", "protocol": "p1", "version": "1.0.0", "seed": 5,
           "scores": scores(1, 1, 0), "seconds": 3.0, "finished": "2026-11-02T08:00:00Z"}  # fmt: skip
    tally = Tally(by="trainee")
    run = tally.add(old)
    assert run is not None
    assert run.trainee is None
    assert run.when is not None
    assert run.when.isoformat() == "2026-11-02T08:00:00+00:00"
    summary = tally.summary()
    assert summary["groups"][0]["group"] == "(no trainee)"
    assert summary["avoid_phrasings"] == []


def test_blank_lines_are_skipped_and_bad_lines_are_located(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(line()) + "\n\n   \nnot json\n" + json.dumps(line()) + "\n")
    found = list(read_results([path]))
    assert [(n, isinstance(v, LineProblem)) for _, n, v in found] == [
        (1, False), (4, True), (5, False)
    ]  # fmt: skip
    assert str(found[1][2]).startswith(f"{path}:4: error not a JSON line")


@pytest.mark.parametrize(
    ("record", "why"),
    [
        ([1, 2], "a JSON object was expected"),
        ({"earlier": True}, "names no drill"),
        (line(scores=None), "no scores"),
        (line(scores={"asking": {"correct": 3, "total": 2}}), "asking score"),
        (line(scores={"asking": {"correct": True, "total": 2}}), "asking score"),
        (line(scores={"asking": {"correct": 0, "total": 0}}), "count no choice"),
    ],
)
def test_a_line_that_is_not_a_results_line_is_refused(record: Any, why: str) -> None:
    with pytest.raises(BadLine, match=why):
        pick_run(record)


def test_optional_fields_of_the_wrong_type_are_unknown() -> None:
    run = pick_run(line(trainee=["x"], finished_at="yesterday", finished=3, started_at=None,
                        seconds="ten", protocol={"a": 1}))  # fmt: skip
    assert run.trainee is None
    assert run.when is None
    assert run.seconds is None
    assert run.protocol == "unknown"


def test_trainee_names_are_cleaned_of_controls() -> None:
    assert pick_run(line(trainee="a\x1b[31m\tb\u202e ")).trainee == "a[31m b"


# --- figures -----------------------------------------------------------------------------


def test_mean_spread_and_pass_rate() -> None:
    tally = Tally()
    tally.add(line(scores=scores(2, 2, 1)))  # 5/5: passes
    tally.add(line(scores=scores(1, 2, 1)))  # 4/5 = 0.8: passes (the mark is reached)
    tally.add(line(scores=scores(2, 2, 0)))  # 4/5 but the disposition is wrong: fails
    overall = tally.summary()["groups"][0]["overall"]
    assert overall["runs"] == 3
    assert overall["mean"] == pytest.approx((1 + 0.8 + 0.8) / 3, abs=1e-4)
    assert overall["sd"] == pytest.approx(0.1155, abs=1e-4)
    assert (overall["min"], overall["max"]) == (0.8, 1.0)
    assert (overall["passed"], overall["pass_rate"]) == (2, 0.6667)
    assert tally.summary()["total"]["overall"] == overall  # all runs: merged from the groups
    asking = tally.summary()["groups"][0]["categories"]["asking"]
    assert (asking["mean"], asking["passed"]) == (pytest.approx(0.8333, abs=1e-4), 2)


def test_all_runs_are_the_groups_merged() -> None:
    import statistics

    tally = Tally(by="trainee")
    values = [(2, 2, 1), (0, 1, 0), (1, 1, 1), (2, 0, 1), (1, 2, 0)]
    for i, (a, r, d) in enumerate(values):
        tally.add(line(trainee=f"t{i % 2}", scores=scores(a, r, d)))
    overall = [(a + r + d) / 5 for a, r, d in values]
    total = tally.summary()["total"]["overall"]
    assert total["mean"] == pytest.approx(statistics.mean(overall), abs=1e-4)
    assert total["sd"] == pytest.approx(statistics.stdev(overall), abs=1e-4)
    assert (total["runs"], total["min"], total["max"]) == (5, min(overall), max(overall))


def test_groupings_and_filters() -> None:
    tally = Tally(by="week", since=__import__("datetime").date(2026, 12, 1), trainees=["ASH"])
    tally.add(line())
    tally.add(line(finished_at="2026-12-08T10:00:00+00:00"))
    tally.add(line(finished_at="2026-11-30T23:00:00+00:00"))  # before --since
    tally.add(line(trainee="bo"))  # another trainee
    summary = tally.summary()
    assert [g["group"] for g in summary["groups"]] == ["2026-W49", "2026-W50"]
    assert (summary["runs"], summary["left_out"]) == (2, 2)


def test_trend_in_words() -> None:
    assert slope([0.4, 0.6, 0.8]) == pytest.approx(0.2)
    assert trend_word(slope([0.4, 0.6, 0.8]), 3) == "improving"
    assert trend_word(slope([0.8, 0.6, 0.4]), 3) == "falling"
    assert trend_word(slope([0.6, 0.62, 0.6]), 3) == "steady"
    assert trend_word(None, 1) == "one run only"


def test_trend_follows_time_not_file_order() -> None:
    tally = Tally()
    tally.add(line(scores=scores(2, 2, 1), finished_at="2026-12-03T10:00:00+00:00"))
    tally.add(line(scores=scores(0, 0, 0), finished_at="2026-12-01T10:00:00+00:00"))
    person = tally.summary()["trainees"][0]
    assert (person["first"], person["latest"], person["trend"]) == (0.0, 1.0, "improving")


def test_phrasings_and_mistakes_are_ranked() -> None:
    def step(node: str, text: str, expected: str, recorded: str) -> dict[str, Any]:
        return {"node": node, "phrasing": {"text": text, "good": False, "why": "Because."},
                "recorded": recorded, "expected": expected,
                "correct": {"asking": False, "recording": expected == recorded}}  # fmt: skip

    tally = Tally()
    tally.add(line(steps=[step("a", "Rare", "Yes", "Yes"), step("b", "Often", "Yes", "No")]))
    tally.add(line(trainee="bo", steps=[step("b", "Often", "Yes", "No"), "junk", {"node": 1}]))
    summary = tally.summary()
    assert summary["avoid_phrasings"][0] == {"protocol": "p1", "node": "b", "text": "Often",
                                             "why": "Because.", "count": 2, "trainees": 2}  # fmt: skip
    assert summary["recording_mistakes"] == [{"protocol": "p1", "node": "b", "expected": "Yes",
                                              "recorded": "No", "count": 2, "trainees": 2}]  # fmt: skip


# --- xAPI ----------------------------------------------------------------------------------


def validator() -> Any:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(SCHEMA)
    return Draft202012Validator(SCHEMA)


def test_a_statement_follows_the_specification() -> None:
    record = line(drill_title="Drill one")
    found = statement(record, pick_run(record), "https://lms.example.org/cg", 0.8)
    validator().validate(found)
    assert found["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert found["actor"]["account"] == {"homePage": "https://lms.example.org/cg", "name": "ash"}
    assert found["object"]["id"] == "https://lms.example.org/cg/drills/d1"
    assert found["result"]["score"]["scaled"] == 0.8
    assert found["result"]["duration"] == "PT12.50S"
    assert (
        found["result"]["extensions"]["https://lms.example.org/cg/extensions/asking-score"] == 0.5
    )
    assert found["timestamp"] == "2026-12-01T10:00:00+00:00"
    again = statement(
        json.loads(json.dumps(record)), pick_run(record), "https://lms.example.org/cg", 0.8
    )
    assert again["id"] == found["id"]  # exported again, the same statement
    other = line(seed=2)
    assert statement(other, pick_run(other), "https://lms.example.org/cg", 0.8)["id"] != found["id"]


def test_the_schema_refuses_what_the_specification_forbids() -> None:
    record = line()
    good = statement(record, pick_run(record), "https://x.example", 0.8)
    check = validator()
    bad_agent = {**good, "actor": {**good["actor"], "mbox": "mailto:a@b.c"}}  # two identifiers
    bad_score = {**good, "result": {"score": {"scaled": 1.5}}}
    bad_duration = {**good, "result": {"duration": "12 seconds"}}
    bad_extension = {**good, "result": {"extensions": {"asking": 1}}}
    bad_name = {**good, "verb": {"id": good["verb"]["id"], "display": {"not a tag!": "x"}}}
    for bad in (
        bad_agent,
        bad_score,
        bad_duration,
        bad_extension,
        bad_name,
        {"actor": good["actor"]},
    ):
        assert not check.is_valid(bad)


@pytest.mark.parametrize("base", ["lms.example.org", "ftp://x.org/a", "https://x.org/?q=1", ""])
def test_a_base_that_is_not_an_http_address_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="xAPI base"):
        checked_base(base)


# --- the command line ----------------------------------------------------------------------


def write_lines(path: Path, *records: Any) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def test_report_keeps_going_after_a_bad_line_and_fails(runner: CliRunner, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "r.jsonl", line(), "{oops", line())
    result = invoke(runner, "drill", "report", str(path), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["runs"] == 2
    assert f"{path}:2: error not a JSON line" in result.stderr


def test_report_text_is_data_in_every_format(runner: CliRunner, tmp_path: Path) -> None:
    nasty = "[bold]=HYPERLINK(x)[/] *em* <b>|\x1b[31m"
    step = {"node": "n", "phrasing": {"text": nasty, "good": False, "why": "-1+1"},
            "correct": {"asking": False}}  # fmt: skip
    path = write_lines(tmp_path / "r.jsonl", line(trainee="=cmd|' /C calc'!A0", steps=[step]))
    text = invoke(runner, "drill", "report", str(path))
    assert "[bold]=HYPERLINK(x)[/]" in text.stdout
    assert "\x1b" not in text.stdout
    md = invoke(runner, "drill", "report", str(path), "--format", "md").stdout
    assert "\\[bold\\]=HYPERLINK(x)\\[/\\] \\*em\\* \\<b\\>\\|" in md
    rows = list(csv.DictReader(io.StringIO(invoke(runner, "drill", "report", str(path),
                                                  "--format", "csv").stdout)))  # fmt: skip
    assert rows[-1]["text"].startswith("'[bold]") is False  # '[' is no formula
    assert rows[-1]["why"] == "'-1+1"
    assert next(r for r in rows if r["section"] == "trainee")["group"] == "'=cmd|' /C calc'!A0"


def test_report_output_is_checked_before_reading(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "drill", "report", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "is a folder" in result.stderr
    missing = invoke(runner, "drill", "report", str(tmp_path / "missing.jsonl"))
    assert missing.exit_code == 1
    assert "cannot read the results file" in missing.stderr
    bad_date = invoke(runner, "drill", "report", str(tmp_path), "--since", "last week")
    assert bad_date.exit_code == 2


def test_xapi_leaves_out_runs_without_a_trainee(runner: CliRunner, tmp_path: Path) -> None:
    old = {"drill": "d1", "protocol": "p1", "version": "1", "seed": 1, "scores": scores(1, 1, 1)}
    path = write_lines(tmp_path / "r.jsonl", line(), old)
    result = invoke(runner, "drill", "report", str(path), "--format", "xapi", "--xapi-base",
                    "https://lms.example.org/")  # fmt: skip
    assert result.exit_code == 0, result.output
    statements = json.loads(result.stdout)
    assert len(statements) == 1
    assert statements[0]["object"]["id"] == "https://lms.example.org/drills/d1"
    assert "1 run(s) with no trainee were left out" in result.stderr


# --- a trainer's cohort: three trainees, three runs each, made by drill run ------------------


def planned_keys(seed: int, avoid: set[str], wrong: set[str], disposition_ok: bool) -> str:
    """What a trainee types (plain, numbered choices) to make these choices in the concern
    drill with this seed: the same shuffles as the command's own run."""
    protocol = load_protocol(str(DRILLS / "mini-protocol.yaml")).protocol
    assert protocol is not None
    raw = (DRILLS / "concern.yaml").read_bytes()
    loaded = drill_from_document(parse_yaml(raw, "d.yaml"), {"mini-drill-protocol": protocol})
    run = DrillRun(loaded.drill, protocol, loaded.answers, seed)  # type: ignore[arg-type]
    typed: list[int] = []
    bad = {"ask": ASK_AVOID, "now": NOW_AVOID}
    while not run.finished:
        node_id = run.node_id
        options = run.phrasings()
        target = bad[node_id] if node_id in avoid else None
        pick = next(i for i, p in enumerate(options) if (p.text == target if target else p.good))
        typed.append(pick + 1)
        run.choose_phrasing(options[pick])
        labels = [a.label for a in run.node.choices()]  # type: ignore[union-attr]
        expected = run.expected_answer()
        answer = expected if node_id not in wrong else next(x for x in labels if x != expected)
        typed.append(labels.index(answer) + 1)  # type: ignore[arg-type]
        run.record(answer)
    outcomes = run.dispositions()
    reached = run.session.current_id
    chosen = reached if disposition_ok else next(o for o in outcomes if o != reached)
    typed.append(outcomes.index(chosen) + 1)
    return "".join(f"{n}\n" for n in typed)


PLANS = {
    # ash improves: everything wrong at first, everything right by the third run
    "ash": [
        ({"ask", "now"}, {"ask", "now"}, False),
        ({"now"}, {"now"}, True),
        (set(), set(), True),
    ],
    # bo falls away
    "bo": [(set(), set(), True), ({"now"}, set(), True), ({"now", "ask"}, {"now"}, False)],
    # cy holds steady, reassuring the client every time
    "cy": [({"now"}, set(), True), ({"now"}, set(), True), ({"now"}, set(), True)],
}


@pytest.fixture
def cohort(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    import crisisguide.cli.drills as drills_cli

    monkeypatch.setattr(drills_cli, "has_terminal", lambda: True)
    monkeypatch.setenv("TERM", "dumb")  # numbered choices typed as lines, read from stdin
    files = []
    for trainee, plans in PLANS.items():
        results = tmp_path / f"{trainee}.jsonl"
        for seed, (avoid, wrong, ok) in enumerate(plans, 1):
            result = invoke(runner, "drill", "run", str(DRILLS / "concern.yaml"), "--protocols",
                            str(DRILLS), "--seed", str(seed), "--trainee", trainee, "--results",
                            str(results), "--no-pager", input=planned_keys(seed, avoid, wrong, ok))  # fmt: skip
            assert result.exit_code == 0, result.output
        files.append(results)
    return files


def test_the_lines_of_a_run_say_who_when_and_every_step(cohort: list[Path]) -> None:
    first = json.loads(cohort[0].read_text().splitlines()[0])
    assert first["schema"] == 2
    assert first["trainee"] == "ash"
    assert first["started_at"].endswith("+00:00")
    assert first["finished_at"] >= first["started_at"]
    assert len(first["drill_sha256"]) == len(first["protocol_sha256"]) == 64
    ask, now, disposition = first["steps"]
    assert ask["phrasing"] == {"text": ASK_AVOID, "good": False, "why": ask["phrasing"]["why"]}
    assert (ask["expected"], ask["correct"]) == ("Yes", {"asking": False, "recording": False})
    assert now["phrasing"]["text"] == NOW_AVOID
    assert disposition["disposition"]["expected"] == "concern"
    assert disposition["correct"] == {"disposition": False}


def test_the_cohort_report_in_every_format(
    runner: CliRunner, cohort: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm")  # the runs were typed on a dumb terminal
    files = [str(f) for f in cohort]
    plain = invoke(runner, "drill", "report", *files, "--plain")
    assert plain.exit_code == 0, plain.output
    assert f"1. \u201c{NOW_AVOID}\u201d, chosen 7 times by 3 trainees" in plain.stdout
    for name, trend in (("ash", "improving"), ("bo", "falling"), ("cy", "steady")):
        assert any(ln.startswith(f"{name}: 3 runs;") and trend in ln
                   for ln in plain.stdout.splitlines())  # fmt: skip
    rich = invoke(runner, "drill", "report", *files, "--by", "trainee")
    assert "\u2588" in rich.stdout  # the bars
    assert "ash: improving" in rich.stdout
    assert "bo: falling" in rich.stdout
    assert "\u201cBut you're fine now," in rich.stdout  # a table cell wraps at a space

    rows = list(csv.DictReader(io.StringIO(invoke(runner, "drill", "report", *files,
                                                  "--format", "csv").stdout)))  # fmt: skip
    phrasing = next(r for r in rows if r["section"] == "avoid-phrasing" and r["rank"] == "1")
    assert (phrasing["text"], phrasing["count"]) == (NOW_AVOID, "7")
    trends = {r["group"]: r["trend"] for r in rows if r["section"] == "trainee"}
    assert trends == {"ash": "improving", "bo": "falling", "cy": "steady"}

    md = invoke(runner, "drill", "report", *files, "--format", "md").stdout
    assert "| 1 | \u201cBut you're fine now, right?\u201d |" in md
    assert "| ash | 3 | 0% | 100% | improving" in md

    xapi = invoke(runner, "drill", "report", *files, "--format", "xapi")
    statements = json.loads(xapi.stdout)
    check = validator()
    for found in statements:
        check.validate(found)
    assert len(statements) == 9 == len({s["id"] for s in statements})
    verbs = [(s["actor"]["name"], s["verb"]["display"]["en"]) for s in statements]
    assert verbs[:3] == [("ash", "failed"), ("ash", "failed"), ("ash", "passed")]


def test_the_report_is_written_atomically_to_a_file(
    runner: CliRunner, cohort: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "cohort.md"
    result = invoke(runner, "drill", "report", *map(str, cohort), "--format", "md", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Drill report\n")


def test_the_readme_report_commands_work(
    runner: CliRunner, cohort: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's "For trainers" report commands, run as written in the folder of the
    cohort's results files."""
    import re
    import shlex

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For trainers", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^crisisguide (drill report .+)$", section, re.MULTILINE)
    assert len(commands) == 5
    monkeypatch.chdir(cohort[0].parent)
    for command in commands:
        result = invoke(runner, *shlex.split(command))
        assert result.exit_code == 0, (command, result.output)
    assert (cohort[0].parent / "cohort.csv").exists()
    assert (
        json.loads((cohort[0].parent / "statements.json").read_text())[0]["actor"]["account"][
            "homePage"
        ]
        == "https://lms.example.org/crisisguide"
    )
    runs = re.findall(r"^crisisguide drill run (\S+) --seed \d+ --trainee ash --results ash.jsonl$",
                      section, re.MULTILINE)  # fmt: skip
    assert len(runs) == 3
    known = invoke(runner, "drill", "list", "--format", "json").stdout
    assert set(runs) <= {d["id"] for d in json.loads(known)}
