"""``drill coverage``: which outcomes and answers of a protocol no drill reaches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..engine import Session, SessionError, play
from ..model import Protocol, answer_labels
from .check import check_drill
from .model import LoadedDrill


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
        if not check_drill(loaded, protocol).passed:
            continue  # a drill that fails its own check covers nothing
        found.outcomes_reached.setdefault(session.current_id, []).append(loaded.drill.id)
        for step in session.path:
            if isinstance(step.answer, tuple):
                found.answers_reached.update((step.node, label) for label in step.answer)
            elif isinstance(step.answer, str):
                found.answers_reached.add((step.node, step.answer))
    return found


def coverage_report(result: Coverage) -> dict[str, Any]:
    """What ``drill coverage`` reports, as data (the JSON output and the text's source)."""
    protocol = result.protocol
    return {
        "protocol": protocol.id,
        "outcomes": {o: result.outcomes_reached.get(o, []) for o in protocol.outcome_ids},
        "outcomes_not_covered": result.outcomes_missing(),
        "urgent_not_covered": result.urgent_missing(),
        "answers_not_covered": [{"node": n, "answer": a} for n, a in result.answers_missing()],
    }
