"""Fuzzing with generated protocols and answer scripts, across the loader, validator,
engine, drills and exports: nothing may raise but the project's own errors.

The default run is short (CI). For the long run (at least 100,000 cases):

    .venv/bin/python -m pytest tests/test_fuzz.py --hypothesis-profile=long

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
REGRESSIONS = sorted((DATA / "regressions").glob("*.yaml"))

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
