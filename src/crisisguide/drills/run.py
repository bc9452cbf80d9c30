"""``drill run``: a trainee's run through a drill, scored. Pure; the prompts are the CLI's.

The walk follows the client's script; every choice the trainee makes (how to ask, how to
record each reply, the disposition) is scored, with the protocol's own reasons as feedback.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..engine import Response, Session, SessionError
from ..language import _
from ..model import Action, AnyNode, Checklist, Protocol, Question
from ..text import strip_controls
from .model import ClientLine, Drill

if TYPE_CHECKING:
    from ..i18n.apply import Translation

CATEGORIES = ("asking", "recording", "disposition")
RESULTS_SCHEMA = 2
"""The format number of a results line (docs/trainers.md); lines without one are format 1."""


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
    answers: Mapping[str, Response]
    seed: int
    session: Session = field(init=False)
    feedback: list[Feedback] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    """What the trainee chose at each scored step, for the results line (docs/trainers.md)."""
    display: Translation | None = None
    """The protocol as the trainee sees it (``drill run --lang``): feedback quotes it, while
    the run scores and records the original labels and phrasings."""
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
        text, why = self.shown_phrasing(choice)
        if choice.good:
            message = _("{step}: you asked directly (\u201c{phrasing}\u201d).").format(
                step=self._here(), phrasing=text
            )
        else:
            message = _("{step}: \u201c{phrasing}\u201d can do harm. {why}").format(
                step=self._here(), phrasing=text, why=why
            )
        phrasing: dict[str, Any] = {"text": choice.text, "good": choice.good}
        if not choice.good:
            phrasing["why"] = choice.why
        step = self._step()
        step["phrasing"] = phrasing
        step["correct"]["asking"] = choice.good
        return self._note(Feedback("asking", choice.good, message))

    def _step(self) -> dict[str, Any]:
        """The step record of the current node: the last one if it is this node's and its
        reply is not yet recorded, else a new one."""
        if (
            self.steps
            and self.steps[-1]["node"] == self.node_id
            and "recorded" not in self.steps[-1]
        ):
            return self.steps[-1]
        step: dict[str, Any] = {"node": self.node_id, "correct": {}}
        self.steps.append(step)
        return step

    @property
    def shown_protocol(self) -> Protocol:
        """The protocol as the trainee sees it: translated when the run is shown in a
        language (``display``), else the protocol itself."""
        return self.display.protocol if self.display is not None else self.protocol

    def _shown_node(self, node_id: str) -> AnyNode:
        return self.shown_protocol.nodes[node_id]

    def _here(self) -> str:
        return self._shown_node(self.node_id).title or self.node_id

    def shown_phrasing(self, choice: Phrasing) -> tuple[str, str]:
        """A phrasing's text and why as shown (a translation keeps the number and order of
        a node's ask and avoid lines)."""
        node, shown = self.node, self._shown_node(self.node_id)
        if choice.good:
            lines: list[str] = list(getattr(node, "ask", []))
            seen: list[str] = list(getattr(shown, "ask", []))
            if choice.text in lines and len(seen) == len(lines):
                return seen[lines.index(choice.text)], ""
            return choice.text, ""
        avoids = [(a.say, a.why) for a in getattr(node, "avoid", [])]
        shown_avoids = [(a.say, a.why) for a in getattr(shown, "avoid", [])]
        said = [say for say, _why in avoids]
        if choice.text in said and len(shown_avoids) == len(avoids):
            return shown_avoids[said.index(choice.text)]
        return choice.text, choice.why

    def _shown_answer(self, answer: Any) -> Any:
        return self.display.shown(self.node_id, answer) if self.display is not None else answer

    def original_answer(self, reply: Any) -> Any:
        """A reply chosen on the screen, as the run records it (the original labels)."""
        if self.display is None:
            return reply
        return self.display.original_answer(self.node_id, reply)

    def expected_answer(self) -> Response:
        if self.node_id not in self.answers:
            raise SessionError(
                f"the drill has no client line for '{self.node_id}', which the walk reached"
            )
        return self.answers[self.node_id]

    def record(self, answer: Response) -> Feedback | None:
        """Score how the trainee recorded the reply, then move on with the client's answer."""
        node = self.node
        if not isinstance(node, (Question, Checklist, Action)):
            self.session.answer(None)
            return None
        expected = self.expected_answer()
        correct = _same(answer, expected)
        if correct:
            message = _("{step}: recorded the reply correctly ({answer}).").format(
                step=self._here(), answer=_words(self._shown_answer(expected))
            )
        else:
            message = _("{step}: the reply means {expected}; you recorded {recorded}.").format(
                step=self._here(),
                expected=_words(self._shown_answer(expected)),
                recorded=_words(self._shown_answer(answer)),
            )
        feedback = self._note(Feedback("recording", correct, message))
        step = self._step()
        step["recorded"] = _plain(answer)
        step["expected"] = _plain(expected)
        step["correct"]["recording"] = correct
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
            message = _("Correct: {outcome}.").format(outcome=self._title(reached))
        else:
            why = "; ".join(self.session.trace) or _("no answer raised the tier")
            message = _(
                "The protocol's disposition is {expected}, not {chosen}. Why: {why}."
            ).format(expected=self._title(reached), chosen=self._title(outcome_id), why=why)
        self.steps.append(
            {"node": reached, "disposition": {"chosen": outcome_id, "expected": reached},
             "correct": {"disposition": correct}}
        )  # fmt: skip
        return self._note(Feedback("disposition", correct, message))

    def _title(self, outcome_id: str) -> str:
        node = self._shown_node(outcome_id)
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


def _same(given: Any, expected: Response) -> bool:
    if isinstance(expected, tuple):
        return isinstance(given, (tuple, list)) and set(given) == set(expected)
    return bool(given == expected)


def _plain(answer: Any) -> Any:
    """An answer as JSON holds it: a list for a checklist's ticks."""
    return list(answer) if isinstance(answer, (tuple, list)) else answer


def _words(answer: Any) -> str:
    if isinstance(answer, (tuple, list)):
        return ", ".join(f"'{a}'" for a in answer) if answer else _("nothing ticked")
    return f"'{answer}'"


@dataclass(frozen=True)
class Provenance:
    """Who ran a drill, when, and exactly which files: what a results line records besides
    the scores (docs/trainers.md)."""

    started_at: str
    finished_at: str
    trainee: str | None = None
    drill_sha256: str = ""
    protocol_sha256: str = ""
    lang: str = ""
    """The language the screens were shown in (``--lang``), when not the protocol's own:
    the steps still record the original labels and phrasings."""


def clean_trainee(name: str | None) -> str | None:
    """A trainee's name or pseudonym as a results line keeps it: control and invisible
    characters removed, white space folded, at most 100 characters; None when empty."""
    if name is None:
        return None
    folded = " ".join(strip_controls(name).split())[:100]
    return folded or None


def results_record(
    run: DrillRun, seconds: float, finished: str, provenance: Provenance | None = None
) -> dict[str, Any]:
    """One line of a ``--results`` file: the drill, its protocol, the seed and the scores;
    with ``provenance`` (format 2) also who and when, the files' hashes and every step."""
    record: dict[str, Any] = {
        "drill": run.drill.id,
        "protocol": run.protocol.id,
        "version": run.protocol.version,
        "seed": run.seed,
        "scores": run.scores(),
        "seconds": round(seconds, 1),
        "finished": finished,
    }
    if provenance is None:
        return record
    record = {"schema": RESULTS_SCHEMA, **record}
    if provenance.trainee is not None:
        record["trainee"] = provenance.trainee
    record.update(
        started_at=provenance.started_at,
        finished_at=provenance.finished_at,
        drill_title=run.drill.title,
        drill_sha256=provenance.drill_sha256,
        protocol_title=run.protocol.title,
        protocol_sha256=provenance.protocol_sha256,
        steps=run.steps,
    )
    if provenance.lang:
        record["lang"] = provenance.lang
    return record
