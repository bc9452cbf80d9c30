"""Fuzzing with generated protocols and answer scripts, across the loader, validator,
engine, drills and exports: nothing may raise but the project's own errors.

Generators: protocols (walked, exported, drilled), damaged protocols, answer scripts,
answers files, drill files, referral directories and config files. The default run is
short (CI). The long run gives each generator 100,000 cases:

    .venv/bin/python -m pytest tests/e2e/test_fuzz.py --hypothesis-profile=long

Any crashing input found is kept in tests/data/regressions/ and replayed below.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisguide.drills import DrillRun, check_drill, drill_from_document
from crisisguide.engine import Session, SessionError
from crisisguide.errors import CrisisGuideError, Problem
from crisisguide.export.json import protocol_json
from crisisguide.export.markdown import checklist, pocket_card, transcript
from crisisguide.export.mermaid import flowchart
from crisisguide.loader import protocol_from_document
from crisisguide.referrals import Unlisted
from crisisguide.validate import Context, validate_protocol
from crisisguide.yamldoc import parse_yaml

from conftest import DATA

# the long profile (selected on the command line, loaded before this module) raises the count
FUZZ = settings(
    max_examples=max(120, settings.default.max_examples),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
REGRESSIONS = sorted(
    p for p in (DATA / "regressions").glob("*.yaml") if not p.name.startswith("answers-")
)

TIERS = ["none", "low", "moderate", "high", "imminent"]
KINDS = ["question", "checklist", "action", "info", "route", "outcome"]
REFERRALS = ["emergency", "crisis-line", "outpatient", "peer-support", "nowhere-kind"]
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=24
)
LABEL = st.one_of(st.sampled_from(["Yes", "No", "on", "NO", "[/]", "*x*", "# h"]), TEXT)


@st.composite
def conditions(draw: Any, ids: list[str], flags: list[str], depth: int = 0) -> dict[str, Any]:
    forms = ["tier_at_least", "tier_below", "flags_any", "flags_all", "flags_none", "answered"]
    if depth < 2:
        forms += ["all", "any", "not"]
    form = draw(st.sampled_from(forms))
    if form.startswith("tier"):
        return {form: draw(st.sampled_from([*TIERS, "hihg"]))}
    if form.startswith("flags"):
        return {form: draw(st.lists(st.sampled_from(flags), min_size=0, max_size=2))}
    if form == "answered":
        return {form: {"node": draw(st.sampled_from(ids)), "label": draw(LABEL)}}
    if form == "not":
        return {form: draw(conditions(ids, flags, depth + 1))}
    return {form: draw(st.lists(conditions(ids, flags, depth + 1), min_size=0, max_size=3))}


@st.composite
def protocols(draw: Any) -> dict[str, Any]:
    """Protocol-shaped data: mostly well formed, sometimes not, any graph (cycles too)."""
    ids = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), min_size=2,
                        max_size=9, unique=True))  # fmt: skip
    flags = ["f1", "f2", "f3"]
    nodes: dict[str, Any] = {}
    for i, node_id in enumerate(ids):
        kind = "outcome" if i == len(ids) - 1 else draw(st.sampled_from(KINDS))
        target = st.sampled_from(ids)
        node: dict[str, Any] = {"kind": kind, "title": draw(TEXT) or None}
        if kind == "question":
            labels = draw(st.lists(LABEL, min_size=2, max_size=4))
            node |= {"prompt": draw(TEXT) or "p", "ask": [draw(TEXT) or "a"],
                     "avoid": [{"say": draw(TEXT) or "s", "why": draw(TEXT) or "w"}],
                     "answers": [{"label": lab, "next": draw(target),
                                  "tier": draw(st.one_of(st.none(), st.sampled_from(TIERS))),
                                  "flags": draw(st.lists(st.sampled_from(flags), max_size=2))}
                                 for lab in labels]}  # fmt: skip
        elif kind == "checklist":
            node |= {"prompt": "p", "next": draw(target),
                     "items": [{"label": lab, "tier": draw(st.one_of(st.none(), st.sampled_from(TIERS))),
                                "flags": draw(st.lists(st.sampled_from(flags), max_size=1))}
                               for lab in draw(st.lists(LABEL, min_size=1, max_size=3))]}  # fmt: skip
        elif kind == "action":
            node |= {"do": draw(TEXT) or "d", "next": draw(target)}
        elif kind == "info":
            node |= {"text": draw(TEXT) or "t", "next": draw(target)}
        elif kind == "route":
            node |= {"routes": [{"when": draw(conditions(ids, flags)), "next": draw(target)}
                                for _ in range(draw(st.integers(1, 3)))],
                     "default": draw(target)}  # fmt: skip
        else:
            node |= {"tier": draw(st.sampled_from(TIERS)), "steps": [draw(TEXT) or "s"],
                     "referrals": draw(st.lists(st.sampled_from(REFERRALS), max_size=3)),
                     "document": draw(st.lists(TEXT, max_size=2))}  # fmt: skip
        nodes[node_id] = {k: v for k, v in node.items() if v is not None}
    return {
        "format": 1, "id": "fuzz", "title": draw(TEXT) or "T", "version": "1.0.0",
        "summary": draw(TEXT) or "S", "sources": [{"title": "s", "url": "https://example.org/"}],
        "start": draw(st.sampled_from(ids)), "nodes": nodes,
    }  # fmt: skip


def load(data: dict[str, Any]) -> Any:
    raw = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
    loaded = protocol_from_document(parse_yaml(raw, "fuzz.yaml"))
    problems = validate_protocol(loaded, Context(library_ids={"fuzz"}, directory={}))
    assert all(isinstance(p, Problem) for p in problems)
    return loaded, problems


def walk(loaded: Any, choices: Any) -> Session | None:
    """Walk with generated answers; only SessionError (a loop) may stop it."""
    try:
        session = Session(loaded.protocol, max_steps=200)
        while not session.finished:
            node = session.current
            if node.kind == "question":
                session.answer(choices.draw(st.sampled_from([a.label for a in node.answers])))
            elif node.kind == "checklist":
                labels = [i.label for i in node.items]
                session.answer(
                    choices.draw(st.lists(st.sampled_from(labels), max_size=len(labels)))
                )
            elif node.kind == "action":
                session.answer(choices.draw(st.sampled_from(["done", "skipped"])))
            else:
                session.answer(None)
            if choices.draw(st.integers(0, 9)) == 0:
                session.back()
    except SessionError:
        return None
    return session


def exercise(data: dict[str, Any], choices: Any) -> None:
    loaded, problems = load(data)
    if loaded.protocol is None or any(p.is_error for p in problems):
        return
    p = loaded.protocol
    unlisted = {n: [Unlisted(k, "US") for k in node.referrals]
                for n, node in p.nodes.items() if node.kind == "outcome"}  # fmt: skip
    assert flowchart(p).startswith("flowchart TD\n")
    assert checklist(p, unlisted, "US").startswith("# ")
    pocket_card(p, [], "US")
    json.loads(protocol_json(loaded, unlisted, "US"))
    session = walk(loaded, choices)
    if session is None:
        return
    result = session.result()
    assert result["path"][-1]["node"] == session.current_id
    transcript(session, unlisted.get(session.current_id, []), "US", "T")
    script = {s.node: {"answer": list(s.answer) if isinstance(s.answer, tuple) else s.answer,
                       "says": "x"} for s in session.path if s.answer is not None}  # fmt: skip
    if not script:
        return
    drill_data = {"format": 1, "id": "d", "title": "D", "protocol": "fuzz", "vignette": "V",
                  "client": script, "expect": {"outcome": session.current_id}}  # fmt: skip
    raw = yaml.safe_dump(drill_data, sort_keys=False, allow_unicode=True).encode()
    drill = drill_from_document(parse_yaml(raw, "drill.yaml"), {"fuzz": p})
    if drill.ok:
        assert check_drill(drill, p).passed or any(
            s.node in script and p.nodes[s.node].kind == "question" for s in session.path
        )
        try:
            run = DrillRun(drill.drill, p, drill.answers, 1)  # type: ignore[arg-type]
            while not run.finished:
                for phrasing in run.phrasings()[:1]:
                    run.choose_phrasing(phrasing)
                run.record(run.expected_answer() if run.node.kind != "info" else None)
        except SessionError:
            return
        run.choose_disposition(run.session.current_id)
        run.debrief()


@FUZZ
@given(data=protocols(), choices=st.data())
def test_generated_protocols_walk_and_export(data: dict[str, Any], choices: Any) -> None:
    exercise(data, choices)


@FUZZ
@given(data=protocols(), cut=st.integers(0, 5000), junk=st.binary(max_size=6))
def test_damaged_generated_protocols(data: dict[str, Any], cut: int, junk: bytes) -> None:
    raw = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
    at = cut % (len(raw) + 1)
    loaded = protocol_from_document(parse_yaml(raw[:at] + junk + raw[at:], "fuzz.yaml"))
    assert all(isinstance(p, Problem) for p in validate_protocol(loaded))


@FUZZ
@given(
    data=protocols(),
    answers=st.dictionaries(TEXT, st.one_of(LABEL, st.lists(LABEL), st.none(), st.integers())),
)
def test_generated_answer_scripts(data: dict[str, Any], answers: dict[str, Any]) -> None:
    from crisisguide.answers import answers_from_document

    loaded, problems = load(data)
    if loaded.protocol is None or any(p.is_error for p in problems):
        return
    raw = yaml.safe_dump(answers, allow_unicode=True).encode()
    script, found = answers_from_document(parse_yaml(raw, "answers.yaml"), loaded.protocol)
    assert all(isinstance(p, Problem) for p in found)
    if not found:
        from crisisguide.engine import play

        with contextlib.suppress(CrisisGuideError):
            play(Session(loaded.protocol, max_steps=200), script)


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.name)
def test_regression_inputs(path: Path) -> None:
    loaded = protocol_from_document(parse_yaml(path.read_bytes(), str(path)))
    problems = validate_protocol(loaded)
    assert problems
    assert all(isinstance(p, Problem) for p in problems)


# --- generators for the other files people write: answers, drills, directories, config ----

SCALAR = st.one_of(
    LABEL, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.sampled_from(["1" + "0" * 5000, "2026-11-01", "9999-12-31", "20261101", "ALL", "EU", "uk"]),
)  # fmt: skip
VALUE = st.recursive(
    SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=6,
)  # fmt: skip


def damaged(raw: bytes, cut: int, junk: bytes) -> bytes:
    at = cut % (len(raw) + 1)
    return raw[:at] + junk + raw[at:]


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()


def mini() -> Any:
    loaded = protocol_from_document(
        parse_yaml((DATA / "drills" / "mini-protocol.yaml").read_bytes(), "m")
    )
    assert loaded.protocol is not None
    return loaded.protocol


MINI_NODES = ["ask", "now", "signs", "triage", "urgent", "concern", "routine", "nowhere"]
MINI_LABELS = ["Yes", "No", "Won't say", "Unsure", "Withdrawn", "Agitated", "done", "maybe"]


@st.composite
def answer_files(draw: Any) -> dict[Any, Any]:
    """Answers files: mostly node ids of the protocol with plausible answers, some not."""
    keys = st.one_of(st.sampled_from(MINI_NODES), TEXT, st.integers(), st.booleans())
    answer = st.one_of(st.sampled_from(MINI_LABELS), st.lists(st.sampled_from(MINI_LABELS)), VALUE)
    return draw(st.dictionaries(keys, answer, max_size=8))


@FUZZ
@given(
    data=answer_files(), cut=st.integers(0, 2000), junk=st.binary(max_size=4), hurt=st.booleans()
)
def test_generated_answers_files(data: dict[Any, Any], cut: int, junk: bytes, hurt: bool) -> None:
    from crisisguide.answers import answers_from_document
    from crisisguide.engine import play

    raw = dump(data)
    doc = parse_yaml(damaged(raw, cut, junk) if hurt else raw, "answers.yaml")
    script, found = answers_from_document(doc, mini())
    assert all(isinstance(p, Problem) for p in found)
    assert all("\n" not in p.message for p in found)
    if not found:
        with contextlib.suppress(CrisisGuideError):
            play(Session(mini(), max_steps=200), script)


@st.composite
def drill_files(draw: Any) -> dict[str, Any]:
    client = draw(st.dictionaries(
        st.sampled_from(MINI_NODES),
        st.fixed_dictionaries({"says": st.one_of(TEXT, st.none())},
                              optional={"answer": st.one_of(st.sampled_from(MINI_LABELS),
                                                            st.lists(st.sampled_from(MINI_LABELS)),
                                                            VALUE)}),
        max_size=4,
    ))  # fmt: skip
    data: dict[str, Any] = {
        "format": draw(st.sampled_from([1, 1, 1, 2, True, "1"])),
        "id": draw(st.one_of(st.just("d"), TEXT)),
        "title": draw(TEXT) or "T",
        "protocol": draw(st.sampled_from(["mini-drill-protocol", "nope", ""])),
        "vignette": draw(TEXT) or "V",
        "client": client,
        "expect": draw(st.fixed_dictionaries({}, optional={
            "outcome": st.sampled_from(MINI_NODES), "tier": st.sampled_from([*TIERS, "hihg"]),
            "referrals": st.lists(st.sampled_from(REFERRALS), max_size=2)})),
    }  # fmt: skip
    for key in draw(st.lists(st.sampled_from(list(data)), max_size=2)):
        data.pop(key, None)
    return data


@FUZZ
@given(data=drill_files(), cut=st.integers(0, 2000), junk=st.binary(max_size=4), hurt=st.booleans())
def test_generated_drill_files(data: dict[str, Any], cut: int, junk: bytes, hurt: bool) -> None:
    from crisisguide.drills import coverage

    raw = dump(data)
    protocol = mini()
    drill = drill_from_document(
        parse_yaml(damaged(raw, cut, junk) if hurt else raw, "drill.yaml"),
        {"mini-drill-protocol": protocol},
    )
    assert all(isinstance(p, Problem) for p in drill.problems)
    if drill.ok:
        check_drill(drill, protocol)
    coverage(protocol, [drill]).answers_missing()


@st.composite
def directory_files(draw: Any) -> dict[str, Any]:
    entry = st.fixed_dictionaries(
        {"id": st.one_of(st.sampled_from(["a", "b", "us-988"]), TEXT),
         "name": st.one_of(TEXT, st.just("N")),
         "kind": st.sampled_from([*REFERRALS, "emergency", "other"]),
         "regions": st.lists(st.sampled_from(["US", "GB", "uk", "ALL", "EU", "ZZ", "jp"]), max_size=3),
         "contact": st.dictionaries(st.sampled_from(["call", "text", "chat", "web", "email", "fax"]),
                                    st.one_of(TEXT, st.just("https://example.org/")), max_size=3)},
        optional={"hours": TEXT, "tags": st.lists(st.sampled_from(["deaf", "youth", "Bad Tag"])),
                  "notes": VALUE, "source": st.sampled_from(["https://example.org/", "ftp://x", ""]),
                  "last_verified": SCALAR},
    )  # fmt: skip
    return {
        "format": draw(st.sampled_from([1, 1, 2])),
        "entries": draw(st.lists(entry, max_size=4)),
    }


@FUZZ
@given(
    data=directory_files(), cut=st.integers(0, 2000), junk=st.binary(max_size=4), hurt=st.booleans()
)
def test_generated_directory_files(data: dict[str, Any], cut: int, junk: bytes, hurt: bool) -> None:
    import datetime as dt

    from crisisguide.referrals import Directory, directory_from_document
    from crisisguide.ui.contacts import emergency_line, referral_table, resources_view

    raw = dump(data)
    loaded = directory_from_document(
        parse_yaml(damaged(raw, cut, junk) if hurt else raw, "dir.yaml"), dt.date(2026, 12, 1)
    )
    assert all(isinstance(p, Problem) for p in loaded.problems)
    directory = Directory.merge([loaded], skip_broken=True)
    for region in ("US", "GB", "JP"):
        urgent = directory.urgent(region)
        emergency_line(urgent, region)
        resources_view(urgent, region, urgent=True)
        referral_table(directory.resolve(["emergency", "crisis-line", "outpatient"], region))


@FUZZ
@given(
    data=st.one_of(
        st.fixed_dictionaries({}, optional={"region": SCALAR, "referrals": VALUE, "protocols": VALUE,
                                            "referals": VALUE}),
        VALUE,
    ),
    cut=st.integers(0, 500), junk=st.binary(max_size=4), hurt=st.booleans(),
)  # fmt: skip
def test_generated_config_files(
    tmp_path_factory: Any, data: Any, cut: int, junk: bytes, hurt: bool
) -> None:
    from crisisguide.config import read_config, settings_or_defaults

    path = tmp_path_factory.getbasetemp() / "fuzz-config.yaml"  # one file, rewritten
    raw = dump(data)
    path.write_bytes(damaged(raw, cut, junk) if hurt else raw)
    with contextlib.suppress(CrisisGuideError):
        read_config(path)
    settings = settings_or_defaults(path)  # never raises: now must always answer
    assert settings.region.value


ANSWER_REGRESSIONS = sorted((DATA / "regressions").glob("answers-*.yaml"))


@pytest.mark.parametrize("path", ANSWER_REGRESSIONS, ids=lambda p: p.name)
def test_answers_regression_inputs(path: Path) -> None:
    from crisisguide.answers import answers_from_document

    _, found = answers_from_document(parse_yaml(path.read_bytes(), str(path)), mini())
    assert [p.code for p in found] == ["CG104"]
