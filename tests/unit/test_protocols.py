"""The built-in library: every protocol validates strictly, triage follows its framework
exactly (checked against an independent statement of each framework's rule over every
possible walk), safe wording, urgent outcomes reach emergency help, follow-ups exist."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crisisguide.engine import Session
from crisisguide.library import load_library, search_folders
from crisisguide.loader import load_protocol
from crisisguide.model import Action, Checklist, Info, Outcome, Protocol, Question
from crisisguide.validate import check_paths
from crisisguide.validate.wording import _STIGMA

from conftest import PROTOCOLS, TODAY

EXPECTED_IDS = {
    "suicide-risk-screen", "youth-risk-screen", "brief-safety-assessment", "risk-formulation",
    "imminent-risk-response", "safety-plan", "lethal-means-counseling",
    "disability-aware-crisis-care", "when-treatment-isnt-working", "session-feedback",
    "peer-support-referral", "follow-up-after-crisis",
}  # fmt: skip
FILES = sorted(PROTOCOLS.glob("*.yaml"))


def protocol(name: str) -> Protocol:
    loaded = load_protocol(str(PROTOCOLS / f"{name}.yaml"))
    assert loaded.protocol is not None, [str(p) for p in loaded.problems]
    return loaded.protocol


def all_protocols() -> list[Protocol]:
    return [protocol(path.stem) for path in FILES]


def walks(p: Protocol) -> Iterator[tuple[dict[str, Any], Session]]:
    """Every walk through ``p`` (checklists: nothing, each single item, or everything)."""
    stack: list[tuple[dict[str, Any], Session]] = [({}, Session(p))]
    while stack:
        answers, session = stack.pop()
        if session.finished:
            yield answers, session
            continue
        node_id, node = session.current_id, session.current
        for option in _options(node):
            branch = Session(p, path=list(session.path))
            branch.answer(option)
            stack.append(({**answers, node_id: option}, branch))


def _options(node: Any) -> list[Any]:
    if isinstance(node, Question):
        return [a.label for a in node.answers]
    if isinstance(node, Checklist):
        labels = [i.label for i in node.items]
        return [[], *([label] for label in labels), labels]
    if isinstance(node, Action):
        return ["done", "skipped"]
    assert isinstance(node, Info)
    return [None]


def test_the_library_has_exactly_the_twelve_protocols() -> None:
    assert {path.stem for path in FILES} == EXPECTED_IDS
    assert {p.id for p in all_protocols()} == EXPECTED_IDS


def test_every_builtin_file_validates_strictly() -> None:
    library = load_library(search_folders())
    problems, count = check_paths([PROTOCOLS], library, TODAY)
    assert count >= len(EXPECTED_IDS)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_house_rules(path: Path) -> None:
    p = protocol(path.stem)
    assert all(source.url for source in p.sources[:1]), "the framework followed has a URL"
    summary = " ".join(p.summary.split()).lower()
    assert "rehears" in summary or "training" in summary
    assert "modelled on" in summary or "follows" in summary or "based on" in summary
    tiers = p.tiers
    for node_id, node in p.nodes.items():
        if isinstance(node, Question):
            assert node.ask, node_id
            assert node.avoid, node_id
            assert all(a.why for a in node.avoid), node_id
        if isinstance(node, Outcome):
            assert "crisis-line" in node.referrals, f"{path.stem}:{node_id} lists no crisis line"
            if tiers.index(node.tier) >= len(tiers) - 2:
                assert {"emergency", "crisis-line"} <= set(node.referrals), node_id
                assert node.document, f"{path.stem}:{node_id}: urgent outcome documents nothing"


ENUMERATED = [
    # every walk of risk-formulation is over a million walks, about 20 s: marked slow
    pytest.param(path, marks=pytest.mark.slow) if path.stem == "risk-formulation" else path
    for path in FILES
]


@pytest.mark.parametrize("path", ENUMERATED, ids=lambda p: p.stem)
def test_every_walk_ends_and_silence_is_never_no(path: Path) -> None:
    """Every outcome is reached, every walk ends, and - the triage rule for unclear answers -
    a walk that records an unclear answer ends at an outcome at least as high as the lowest
    tier that a positive (tier-raising) answer to the same question gives."""
    p = protocol(path.stem)
    questions = {n: node for n, node in p.nodes.items() if isinstance(node, Question)}
    floors = {
        node_id: min(raising)
        for node_id, node in questions.items()
        if (
            raising := [
                p.tiers.index(a.tier)
                for a in node.answers
                if not a.unclear and a.tier and p.tiers.index(a.tier) > 0
            ]
        )
    }
    unclear = {(n, a.label) for n, node in questions.items() for a in node.answers if a.unclear}
    reached = set()
    for answers, session in walks(p):
        reached.add(session.current_id)
        end = p.tiers.index(session.outcome.tier)
        for node_id, label in answers.items():
            if isinstance(label, str) and (node_id, label) in unclear and node_id in floors:
                assert end >= floors[node_id], (node_id, answers)
    assert reached == set(p.outcome_ids)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_stigmatising_wording_outside_avoid(path: Path) -> None:
    import yaml

    data = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
    for node in data["nodes"].values():
        node.pop("avoid", None)
    assert not _STIGMA.search(yaml.safe_dump(data)), path.name


def test_every_follow_up_exists() -> None:
    for p in all_protocols():
        for node in p.nodes.values():
            if isinstance(node, Outcome):
                assert set(node.follow_up) <= EXPECTED_IDS, (p.id, node.follow_up)
                assert p.id not in node.follow_up or p.id == "session-feedback"


# --- triage oracles -----------------------------------------------------------------


UNCLEAR = "Declines, doesn't know, or unclear"
ACUTE = "Acute warning signs"


def columbia(answers: dict[str, Any]) -> tuple[str, str]:
    """The Columbia screener triage with the refusal rule and clinical judgement, written
    independently of the protocol file: (outcome, tier)."""
    said = {k: v for k, v in answers.items() if isinstance(v, str)}
    yes_or_unclear = {k for k, v in said.items() if v in ("Yes", UNCLEAR)}
    when = said.get("behaviour-when")
    ticked = answers.get("clinical-concern-check", [])
    if (yes_or_unclear & {"intent", "plan"} or when in ("Less than three months ago", "Not sure when")
            or any(item.startswith(ACUTE) for item in ticked)):  # fmt: skip
        return "high-risk", "high"
    if any(v == UNCLEAR for v in said.values()):  # a refusal is never a negative screen
        return "screen-incomplete", "moderate"
    if said.get("method") == "Yes" or when == "More than three months ago":
        return "moderate-risk", "moderate"
    if "Yes" in (said.get("wish-dead"), said.get("thoughts")):
        return "low-risk", "low"
    if ticked:  # every answer no, but the practitioner saw reason for concern
        return "clinical-concern", "moderate"
    return "negative-screen", "none"


def test_suicide_risk_screen_triage_on_every_walk() -> None:
    p = protocol("suicide-risk-screen")
    count = 0
    for answers, session in walks(p):
        count += 1
        assert (session.current_id, session.outcome.tier) == columbia(answers), answers
        asked = set(answers)
        # items 1, 2 and 6 are always asked; 3-5 unless 2 is a clear no
        assert {"wish-dead", "thoughts", "behaviour"} <= asked
        assert ({"method", "intent", "plan"} <= asked) == (answers["thoughts"] != "No")
        assert ("behaviour-when" in asked) == (answers["behaviour"] == "Yes")
        said = {q: v for q, v in answers.items() if isinstance(v, str)}
        every_no = all(v == "No" for v in said.values())
        assert ("clinical-concern-check" in asked) == every_no  # judgement after a clear no
    # 3 answers to Q1; Q2 no (1 walk) or yes/unclear (2 x 3^3 for Q3-5); Q6 no, unclear or
    # yes with 3 datings; the all-no walk goes on to the 8 enumerated checklist choices
    assert count == 3 * (1 + 2 * 3**3) * (1 + 1 + 3) - 1 + 8


def test_every_screen_outcome_by_script() -> None:
    from crisisguide.engine import play

    nos = {"wish-dead": "No", "thoughts": "No", "behaviour": "No"}
    scripts = {
        "negative-screen": {**nos, "clinical-concern-check": []},
        "clinical-concern": {**nos, "clinical-concern-check": [
            next(i.label for i in protocol("suicide-risk-screen").nodes["clinical-concern-check"].items)  # type: ignore[union-attr]
        ]},
        "low-risk": {**nos, "wish-dead": "Yes"},
        "moderate-risk": {**nos, "behaviour": "Yes", "behaviour-when": "More than three months ago"},
        "screen-incomplete": {**nos, "wish-dead": UNCLEAR},
        "high-risk": {"wish-dead": "Yes", "thoughts": "Yes", "method": "Yes", "intent": "No",
                      "plan": "Yes", "behaviour": "No"},
    }  # fmt: skip
    p = protocol("suicide-risk-screen")
    for outcome, script in scripts.items():
        assert play(Session(p), script).current_id == outcome
    assert set(scripts) == set(p.outcome_ids)


def test_walk_enumeration_is_exhaustive_for_a_small_protocol() -> None:
    p = protocol("suicide-risk-screen")
    seen = {tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in a.items()))
            for a, _ in walks(p)}  # fmt: skip
    three = ["Yes", "No", UNCLEAR]
    expected = 0
    for _wish, thoughts, behaviour in itertools.product(three, three, three):
        inner = 3**3 if thoughts != "No" else 1
        whens = 3 if behaviour == "Yes" else 1
        concern = 8 if (_wish, thoughts, behaviour) == ("No", "No", "No") else 1
        expected += inner * whens * concern
    assert len(seen) == expected


def asq(answers: dict[str, Any]) -> tuple[str, str]:
    """The NIMH ASQ pathway, written independently of the protocol file."""
    items = ["wished-dead", "family-better-off", "thoughts-past-week", "ever-tried"]
    positive = any(answers[item] != "No" for item in items)  # yes or declined
    if not positive:
        return "negative-screen", "none"
    if answers["right-now"] != "No":  # yes, or unclear: treated as acute until seen
        return "acute-positive", "imminent"
    return "non-acute-positive", "moderate"


def test_youth_risk_screen_triage_on_every_walk() -> None:
    p = protocol("youth-risk-screen")
    count = 0
    for answers, session in walks(p):
        count += 1
        outcome, tier = asq(answers)
        assert (session.current_id, session.tier) == (outcome, tier), answers
        positive = any(answers[i] != "No" for i in ("wished-dead", "family-better-off",
                                                     "thoughts-past-week", "ever-tried"))  # fmt: skip
        assert ("right-now" in answers) == positive  # the acuity question only after a positive
    assert count == 1 + (3**4 - 1) * 3


def test_every_youth_outcome_by_script() -> None:
    from crisisguide.engine import play

    nos = {
        "wished-dead": "No",
        "family-better-off": "No",
        "thoughts-past-week": "No",
        "ever-tried": "No",
    }
    p = protocol("youth-risk-screen")
    assert play(Session(p), nos).current_id == "negative-screen"
    declined = {**nos, "ever-tried": UNCLEAR, "right-now": "No"}
    assert play(Session(p), declined).current_id == "non-acute-positive"
    acute = {**nos, "thoughts-past-week": "Yes", "right-now": "Yes"}
    assert play(Session(p), acute).current_id == "acute-positive"
    unsure_now = {**nos, "wished-dead": "Yes", "right-now": UNCLEAR}
    assert play(Session(p), unsure_now).current_id == "acute-positive"
