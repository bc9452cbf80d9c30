"""Drills: trainer-scripted scenarios on top of the engine. Pure; no prompts, no printing.

A drill (SPEC section 5) names a protocol, a vignette, what the simulated client says
at each node and the answer it means, and the expected disposition. This module loads
and checks drill files (located problems with the same codes as protocols), checks that
a drill's script walks its protocol to what it expects (``drill check``), measures which
outcomes and answers no drill reaches (``drill coverage``) and scores a trainee's run
(``drill run``): how they asked, how they recorded each reply, and the disposition.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .answers import check_answers
from .engine import Answer, Session, SessionError, play
from .errors import Code, Location, Problem, did_you_mean, problem
from .formats import REFERRAL_KINDS, Slug, Strict, Text
from .model import (
    Action,
    AnyNode,
    Checklist,
    Outcome,
    Protocol,
    Question,
    answer_labels,
)
from .structure import model_from_document
from .yamldoc import Document


class ClientLine(Strict):
    """What the simulated client says at a node, and the answer it means."""

    says: Text | None = None
    answer: str | list[str] | None = None


class Expect(Strict):
    """The expected disposition: the outcome, and/or its tier (the tier the outcome screen
    shows), and referrals that must be among the outcome's."""

    outcome: Slug | None = None
    tier: Slug | None = None
    referrals: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> Expect:
        if self.outcome is None and self.tier is None:
            raise ValueError("expect needs an outcome, a tier, or both")
        return self


class Drill(Strict):
    format: Literal[1]
    id: Slug
    title: Text
    protocol: Slug
    vignette: Text
    client: Annotated[dict[Slug, ClientLine], Field(min_length=1)]
    expect: Expect
    tags: list[Slug] = Field(default_factory=list)
    notes: Text | None = None


@dataclass
class LoadedDrill:
    doc: Document
    drill: Drill | None = None
    answers: dict[str, Answer] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def ok(self) -> bool:
        return self.drill is not None and not any(p.is_error for p in self.problems)


def drill_from_document(doc: Document, protocols: Mapping[str, Protocol]) -> LoadedDrill:
    """Check a drill file against the model and against its protocol."""
    loaded = LoadedDrill(doc=doc, problems=list(doc.problems))
    if not isinstance(doc.data, dict):
        return loaded
    drill, problems = model_from_document(doc, Drill)
    loaded.problems.extend(problems)
    if drill is None:
        return loaded
    loaded.drill = drill
    protocol = protocols.get(drill.protocol)
    if protocol is None:
        loaded.problems.append(
            problem(
                Code.BAD_VALUE,
                f"protocol '{drill.protocol}' is not in the library{did_you_mean(drill.protocol, protocols)}",
                doc.locate(("protocol",)),
            )
        )
        return loaded
    loaded.problems.extend(_check_against(doc, drill, protocol, loaded))
    return loaded


def _check_against(
    doc: Document, drill: Drill, protocol: Protocol, loaded: LoadedDrill
) -> list[Problem]:
    answers = {node_id: line.answer for node_id, line in drill.client.items()}
    loaded.answers, problems = check_answers(doc, answers, protocol, ("client",))
    for node_id, line in drill.client.items():
        node = protocol.nodes.get(node_id)
        if isinstance(node, Question) and line.says is None:
            problems.append(
                problem(
                    Code.MISSING_KEY,
                    f"client line for question '{node_id}' needs 'says': what the client says",
                    doc.locate(("client", node_id)),
                )
            )
    problems.extend(_check_expect(doc, drill.expect, protocol))
    return problems


def _check_expect(doc: Document, expect: Expect, protocol: Protocol) -> list[Problem]:
    problems = []
    outcomes = protocol.outcome_ids
    if expect.outcome is not None and expect.outcome not in outcomes:
        problems.append(
            problem(
                Code.NOT_A_NODE,
                f"expected outcome '{expect.outcome}' is not an outcome of {protocol.id}"
                f"{did_you_mean(expect.outcome, outcomes)}; outcomes: {', '.join(outcomes)}",
                doc.locate(("expect", "outcome")),
            )
        )
    if expect.tier is not None and expect.tier not in protocol.tiers:
        problems.append(
            problem(
                Code.UNKNOWN_TIER,
                f"tier '{expect.tier}' is not in the scale{did_you_mean(expect.tier, protocol.tiers)}; "
                f"tiers are: {', '.join(protocol.tiers)}",
                doc.locate(("expect", "tier")),
            )
        )
    for i, ref in enumerate(expect.referrals):
        if ref not in REFERRAL_KINDS:
            problems.append(
                problem(
                    Code.UNKNOWN_REFERRAL,
                    f"referral kind '{ref}' is unknown{did_you_mean(ref, REFERRAL_KINDS)}",
                    doc.locate(("expect", "referrals", i)),
                )
            )
    return problems


def check_duplicate_drill_ids(drills: Iterable[LoadedDrill]) -> list[Problem]:
    first: dict[str, LoadedDrill] = {}
    problems = []
    for loaded in drills:
        if loaded.drill is None:
            continue
        drill_id = loaded.drill.id
        if drill_id in first:
            problems.append(
                problem(
                    Code.DUPLICATE_ID,
                    f"drill id '{drill_id}' is already used by {first[drill_id].doc.locate(('id',))}",
                    loaded.doc.locate(("id",)),
                )
            )
        else:
            first[drill_id] = loaded
    return problems


# --- drill check -----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """Whether a drill's script reaches what it expects; each failure says how not, at the
    line of the drill it is about."""

    drill_id: str
    outcome: str | None
    tier: str | None
    failures: tuple[tuple[str, Location], ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def check_drill(loaded: LoadedDrill, protocol: Protocol) -> CheckResult:
    """Walk ``protocol`` with the drill's client answers and compare with ``expect``."""
    assert loaded.drill is not None
    drill, doc = loaded.drill, loaded.doc
    try:
        session = play(Session(protocol), loaded.answers)
    except SessionError as exc:
        reason = exc.message.replace(
            "there is no answer for it", "the drill has no client line for it"
        )
        return CheckResult(drill.id, None, None, ((reason, doc.locate(("client",))),))
    outcome = session.current
    assert isinstance(outcome, Outcome)
    failures = []
    expect = drill.expect
    if expect.outcome is not None and session.current_id != expect.outcome:
        failures.append((
            f"expected outcome '{expect.outcome}', but the walk reached '{session.current_id}'",
            doc.locate(("expect", "outcome")),
        ))  # fmt: skip
    if expect.tier is not None and outcome.tier != expect.tier:
        failures.append((
            f"expected tier '{expect.tier}', but the outcome reached is tier '{outcome.tier}'",
            doc.locate(("expect", "tier")),
        ))  # fmt: skip
    missing = [r for r in expect.referrals if r not in outcome.referrals]
    if missing:
        failures.append((
            f"expected referrals {', '.join(missing)} are not among the outcome's referrals "
            f"({', '.join(outcome.referrals) or 'none'})",
            doc.locate(("expect", "referrals")),
        ))  # fmt: skip
    return CheckResult(drill.id, session.current_id, outcome.tier, tuple(failures))


# --- drill coverage --------------------------------------------------------------------


@dataclass
class Coverage:
    """Which outcomes and answers of a protocol the drills reach, and which they do not."""

    protocol: Protocol
    outcomes_reached: dict[str, list[str]] = field(default_factory=dict)
    answers_reached: set[tuple[str, str]] = field(default_factory=set)

    def outcomes_missing(self) -> list[str]:
        return [n for n in self.protocol.outcome_ids if n not in self.outcomes_reached]

    def urgent_missing(self) -> list[str]:
        return [n for n in self.protocol.urgent_outcome_ids() if n not in self.outcomes_reached]

    def answers_missing(self) -> list[tuple[str, str]]:
        return [pair for pair in all_answers(self.protocol) if pair not in self.answers_reached]


def all_answers(protocol: Protocol) -> list[tuple[str, str]]:
    """Every (node, answer) a walk can record: answer labels, checklist items, done/skipped."""
    return [
        (node_id, label)
        for node_id, node in protocol.nodes.items()
        for label in answer_labels(node) or []
    ]


def coverage(protocol: Protocol, drills: Iterable[LoadedDrill]) -> Coverage:
    """What the (valid) drills of ``protocol`` reach when their scripts are walked."""
    found = Coverage(protocol)
    for loaded in drills:
        if loaded.drill is None or loaded.drill.protocol != protocol.id or not loaded.ok:
            continue
        try:
            session = play(Session(protocol), loaded.answers)
        except SessionError:
            continue
        found.outcomes_reached.setdefault(session.current_id, []).append(loaded.drill.id)
        for step in session.path:
            if isinstance(step.answer, tuple):
                found.answers_reached.update((step.node, label) for label in step.answer)
            elif isinstance(step.answer, str):
                found.answers_reached.add((step.node, step.answer))
    return found


# --- drill run: scoring ----------------------------------------------------------------

CATEGORIES = ("asking", "recording", "disposition")


@dataclass(frozen=True)
class Phrasing:
    """One way of asking, offered to the trainee: a protocol ``ask`` line or an ``avoid``."""

    text: str
    good: bool
    why: str = ""


@dataclass(frozen=True)
class Feedback:
    category: str
    correct: bool
    message: str


@dataclass
class DrillRun:
    """A trainee's run through a drill: the walk follows the client's script, and every
    choice the trainee makes (how to ask, how to record, the disposition) is scored."""

    drill: Drill
    protocol: Protocol
    answers: Mapping[str, Answer]
    seed: int
    session: Session = field(init=False)
    feedback: list[Feedback] = field(default_factory=list)
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.session = Session(self.protocol)
        self._rng = random.Random(self.seed)

    @property
    def node_id(self) -> str:
        return self.session.current_id

    @property
    def node(self) -> AnyNode:
        return self.session.current

    @property
    def finished(self) -> bool:
        return self.session.finished

    def client_line(self) -> ClientLine | None:
        return self.drill.client.get(self.node_id)

    def phrasings(self) -> list[Phrasing]:
        """The node's ask and avoid lines, shuffled (the same order for the same seed)."""
        node = self.node
        options = [Phrasing(text, True) for text in getattr(node, "ask", [])]
        options += [Phrasing(a.say, False, a.why) for a in getattr(node, "avoid", [])]
        if not any(o.good for o in options) or not any(not o.good for o in options):
            return []
        self._rng.shuffle(options)
        return options

    def choose_phrasing(self, choice: Phrasing) -> Feedback:
        if choice.good:
            message = f"{self._here()}: you asked directly (\u201c{choice.text}\u201d)."
        else:
            message = f"{self._here()}: \u201c{choice.text}\u201d can do harm. {choice.why}"
        return self._note(Feedback("asking", choice.good, message))

    def _here(self) -> str:
        return self.node.title or self.node_id

    def expected_answer(self) -> Answer:
        if self.node_id not in self.answers:
            raise SessionError(
                f"the drill has no client line for '{self.node_id}', which the walk reached"
            )
        return self.answers[self.node_id]

    def record(self, answer: Answer) -> Feedback | None:
        """Score how the trainee recorded the reply, then move on with the client's answer."""
        node = self.node
        if not isinstance(node, (Question, Checklist, Action)):
            self.session.answer(None)
            return None
        expected = self.expected_answer()
        correct = _same(answer, expected)
        if correct:
            message = f"{self._here()}: recorded the reply correctly ({_words(expected)})."
        else:
            message = (
                f"{self._here()}: the reply means {_words(expected)}; "
                f"you recorded {_words(answer)}."
            )
        feedback = self._note(Feedback("recording", correct, message))
        self.session.answer(expected)
        return feedback

    def dispositions(self) -> list[str]:
        outcomes = list(self.protocol.outcome_ids)
        self._rng.shuffle(outcomes)
        return outcomes

    def choose_disposition(self, outcome_id: str) -> Feedback:
        reached = self.session.current_id
        correct = outcome_id == reached
        if correct:
            message = f"Correct: {self._title(reached)}."
        else:
            why = "; ".join(self.session.trace) or "no answer raised the tier"
            message = (
                f"The protocol's disposition is {self._title(reached)}, not "
                f"{self._title(outcome_id)}. Why: {why}."
            )
        return self._note(Feedback("disposition", correct, message))

    def _title(self, outcome_id: str) -> str:
        node = self.protocol.nodes[outcome_id]
        return f"'{node.title or outcome_id}'"

    def _note(self, feedback: Feedback) -> Feedback:
        self.feedback.append(feedback)
        return feedback

    def scores(self) -> dict[str, dict[str, int]]:
        return {
            category: {
                "correct": sum(1 for f in self.feedback if f.category == category and f.correct),
                "total": sum(1 for f in self.feedback if f.category == category),
            }
            for category in CATEGORIES
        }

    def debrief(self) -> Debrief:
        well = [f.message for f in self.feedback if f.correct]
        practise = [f.message for f in self.feedback if not f.correct]
        return Debrief(self.scores(), _unique(well), _unique(practise))


@dataclass(frozen=True)
class Debrief:
    scores: dict[str, dict[str, int]]
    went_well: list[str]
    to_practise: list[str]


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _same(given: Any, expected: Answer) -> bool:
    if isinstance(expected, tuple):
        return isinstance(given, (tuple, list)) and set(given) == set(expected)
    return bool(given == expected)


def _words(answer: Any) -> str:
    if isinstance(answer, (tuple, list)):
        return ", ".join(f"'{a}'" for a in answer) if answer else "nothing ticked"
    return f"'{answer}'"
