"""The session: a pure state machine that walks a protocol. No I/O.

Every way of walking a protocol - the interactive ``run``, ``run --answers``, drills and
their checks - goes through :class:`Session`, so they share one semantics (docs/format.md,
"Walking: session semantics"):

* a session starts at ``start`` with the lowest tier and no flags;
* every node visited is on the path, the outcome last; routes are followed at once;
* an answer may raise the tier (never lower it) and add flags;
* :meth:`Session.back` undoes the last answer completely: the state after each step is a
  function of the path up to it, so dropping steps drops everything they did;
* a walk longer than ``max_steps`` is stopped (a loop).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .describe import flag_words, route_taken, title_of
from .errors import CrisisGuideError
from .language import _
from .model import (
    ACTION_ANSWERS,
    Action,
    AnyNode,
    Checklist,
    Condition,
    Info,
    Outcome,
    Protocol,
    Question,
    Route,
    answer_labels,
)
from .text import shown

MAX_STEPS = 10_000

Response = str | tuple[str, ...] | None
"""What is recorded at a node: a label (question), the ticked labels (checklist),
done/skipped (action), or None. Not to be confused with :class:`crisisguide.model.Answer`,
one of a question's answers."""


class SessionError(CrisisGuideError):
    """An answer the current node does not accept, or a walk that loops."""


@dataclass(frozen=True)
class Step:
    """One node on the path, with the answer given there and the state after it."""

    node: str
    answer: Response
    tier: int
    flags: frozenset[str]
    trace: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """What the practitioner noted at this step (``run --notes``)."""
    asked: str | None = None
    """The ``ask`` phrasing the practitioner says they used, if they picked one."""

    def as_dict(self) -> dict[str, Any]:
        answer = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        found: dict[str, Any] = {"node": self.node, "answer": answer}
        if self.notes:
            found["notes"] = list(self.notes)
        if self.asked is not None:
            found["asked"] = self.asked
        return found


@dataclass
class Session:
    """A walk through one protocol. Create it, then :meth:`answer` and :meth:`back`."""

    protocol: Protocol
    sha256: str = ""
    max_steps: int = MAX_STEPS
    path: list[Step] = field(default_factory=list)
    """Steps taken so far; the current node is the last one, not yet answered."""

    def __post_init__(self) -> None:
        if not self.path:
            self._enter(self.protocol.start, 0, frozenset(), ())

    # --- state -------------------------------------------------------------------------

    @property
    def current_id(self) -> str:
        return self.path[-1].node

    @property
    def current(self) -> AnyNode:
        return self.protocol.nodes[self.current_id]

    @property
    def finished(self) -> bool:
        return isinstance(self.current, Outcome)

    @property
    def outcome(self) -> Outcome:
        """The outcome the walk has reached; a :class:`SessionError` before it ends."""
        node = self.current
        if not isinstance(node, Outcome):
            raise SessionError("the walk has not reached an outcome yet")
        return node

    @property
    def tier_rank(self) -> int:
        return self.path[-1].tier

    @property
    def tier(self) -> str:
        return self.protocol.tiers[self.tier_rank]

    @property
    def flags(self) -> frozenset[str]:
        return self.path[-1].flags

    @property
    def trace(self) -> list[str]:
        return [line for step in self.path for line in step.trace]

    @property
    def can_go_back(self) -> bool:
        return any(self._takes_answer(s.node) for s in self.path[:-1])

    def steps_estimate(self) -> tuple[int, int]:
        """(this step's number, the fewest steps a walk from here can take in all): routes
        and the outcome are not steps. The total is shown as "~N": it grows on a longer
        branch."""
        nodes = self.protocol.nodes
        number = sum(1 for s in self.path if not isinstance(nodes[s.node], (Route, Outcome)))
        return number, number - 1 + _fewest_steps(self.protocol, self.current_id)

    def answered(self, node_id: str) -> Response:
        """The answer given at ``node_id`` on the path taken (None if not answered)."""
        for step in reversed(self.path):
            if step.node == node_id:
                return step.answer
        return None

    # --- moves -------------------------------------------------------------------------

    def answer(self, value: Response | Sequence[str] = None) -> None:
        """Answer the current node and move on (following routes) to the next one."""
        if self.finished:
            raise SessionError(f"the walk has ended at outcome '{self.current_id}'")
        node_id, node = self.current_id, self.current
        answer = accept(node_id, node, value)
        rank, flags, trace = self._apply(node_id, node, answer)
        self.path[-1] = replace(self.path[-1], answer=answer)
        self._enter(_next_of(node, answer), rank, flags, trace)

    def back(self) -> bool:
        """Undo the last answer: the node answered last becomes current again.

        Route nodes passed on the way are undone too. Returns False at the start.
        """
        if not self.can_go_back:
            return False
        self.path.pop()
        while not self._takes_answer(self.path[-1].node):
            self.path.pop()
        self.path[-1] = replace(self.path[-1], answer=None)  # its notes stay: it is still visited
        return True

    def note(self, text: str) -> None:
        """Keep a note with the current step (it goes with the step if the step is undone)."""
        if text.strip():
            self.path[-1] = replace(self.path[-1], notes=(*self.path[-1].notes, text.strip()))

    def record_asked(self, phrasing: str) -> None:
        """Record which of the current question's ``ask`` phrasings was used."""
        node = self.current
        if not isinstance(node, (Question, Checklist)) or phrasing not in node.ask:
            raise SessionError(f"'{self.current_id}' has no ask phrasing {shown(phrasing)}")
        self.path[-1] = replace(self.path[-1], asked=phrasing)

    # --- internals ---------------------------------------------------------------------

    def _takes_answer(self, node_id: str) -> bool:
        return not isinstance(self.protocol.nodes[node_id], (Route, Outcome))

    def _enter(
        self, node_id: str, rank: int, flags: frozenset[str], trace: tuple[str, ...]
    ) -> None:
        """Visit ``node_id``; routes are recorded and followed at once."""
        while True:
            if len(self.path) >= self.max_steps:
                recent = " -> ".join(s.node for s in self.path[-6:])
                raise SessionError(
                    f"the walk passed {self.max_steps} steps, so the protocol loops "
                    f"(last steps: {recent} -> {node_id})"
                )
            node = self.protocol.nodes[node_id]
            if not isinstance(node, Route):
                self.path.append(Step(node_id, None, rank, flags, trace))
                return
            target, why = self._route(node, rank, flags)
            self.path.append(Step(node_id, None, rank, flags, (*trace, why)))
            node_id, trace = target, ()

    def _route(self, node: Route, rank: int, flags: frozenset[str]) -> tuple[str, str]:
        tiers = self.protocol.tiers
        for rule in node.routes:
            if evaluate(rule.when, rank, flags, self.answered, tiers):
                return rule.next, route_taken(self.protocol, rule.when, rule.next)
        return node.default, route_taken(self.protocol, None, node.default)

    def _apply(
        self, node_id: str, node: AnyNode, answer: Response
    ) -> tuple[int, frozenset[str], tuple[str, ...]]:
        """The tier, flags and trace after ``answer`` at ``node``."""
        rank, flags = self.tier_rank, set(self.flags)
        trace: list[str] = []
        tiers = self.protocol.tiers
        raises: list[tuple[str | None, list[str], str]] = []
        where = f"'{title_of(self.protocol, node_id)}'"
        if isinstance(node, Question):
            chosen = next(a for a in node.answers if a.label == answer)
            why = _("the answer {label} to {step}").format(
                label=shown(chosen.label, 200), step=where
            )
            raises.append((chosen.tier, chosen.flags, why))
        elif isinstance(node, Checklist) and isinstance(answer, tuple):
            for item in node.items:
                if item.label in answer:
                    ticked = _("{label} ticked at {step}")
                    why = ticked.format(label=shown(item.label, 200), step=where)
                    raises.append((item.tier, item.flags, why))
        for tier, new_flags, why in raises:
            if tier is not None and tiers.index(tier) > rank:
                rank = tiers.index(tier)
                trace.append(
                    _("The risk tier rose to {tier} with {why}").format(tier=tier, why=why)
                )
            added = [f for f in new_flags if f not in flags]
            if added:
                flags.update(added)
                trace.append(
                    _("Noted ({flags}) with {why}").format(flags=flag_words(added), why=why)
                )
        return rank, frozenset(flags), tuple(trace)

    # --- the result --------------------------------------------------------------------

    def result(self, referrals: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The session result, as ``run --json`` prints it (referrals resolved by the caller)."""
        outcome = self.outcome
        return {
            "protocol": self.protocol.id,
            "version": self.protocol.version,
            "sha256": self.sha256,
            "outcome": self.current_id,
            "outcome_tier": outcome.tier,
            "tier": self.tier,
            "flags": sorted(self.flags),
            "path": [step.as_dict() for step in self.path],
            "referrals": referrals or [],
            "trace": self.trace,
        }


def _fewest_steps(protocol: Protocol, start: str) -> int:
    """The fewest question, checklist, action and info nodes on a path from ``start`` to an
    outcome (``start`` included)."""
    from collections import deque

    from .model import successors

    best = {start: 0}
    queue = deque([start])
    while queue:
        node_id = queue.popleft()
        node = protocol.nodes[node_id]
        if isinstance(node, Outcome):
            return best[node_id]
        cost = best[node_id] + (0 if isinstance(node, Route) else 1)
        for target in successors(node):
            if target not in best or cost < best[target]:
                best[target] = cost
                if isinstance(node, Route):
                    queue.appendleft(target)
                else:
                    queue.append(target)
    return max(best.values(), default=0)


def _next_of(node: AnyNode, answer: Response) -> str:
    if isinstance(node, Question):
        return next(a.next for a in node.answers if a.label == answer)
    assert isinstance(node, (Checklist, Action, Info))
    return node.next


def accept(node_id: str, node: AnyNode, value: Any) -> Response:
    """``value`` as an answer of ``node``, or a :class:`SessionError` saying why not."""
    if isinstance(node, Question):
        labels = [a.label for a in node.choices()]
        if not isinstance(value, str) or value not in labels:
            raise SessionError(not_an_answer(node_id, value, labels))
        return value
    if isinstance(node, Checklist):
        labels = [i.label for i in node.items]
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise SessionError(
                f"'{node_id}' is a checklist: answer with a list of the ticked labels "
                f"([] for none); labels: {', '.join(labels)}"
            )
        for label in value:  # before any hashing: an item may be a list or a mapping
            if not isinstance(label, str) or label not in labels:
                raise SessionError(not_an_answer(node_id, label, labels))
        ticked = list(dict.fromkeys(value))
        return tuple(label for label in labels if label in ticked)
    if isinstance(node, Action):
        if value not in ACTION_ANSWERS:
            raise SessionError(not_an_answer(node_id, value, list(ACTION_ANSWERS)))
        return str(value)
    if isinstance(node, Info):
        return None
    raise SessionError(f"'{node_id}' is a {node.kind} node and takes no answer")


def not_an_answer(node_id: str, value: object, labels: list[str]) -> str:
    from .errors import did_you_mean

    return (
        f"{shown(value)} is not an answer of '{node_id}'{did_you_mean(value, labels)}; "
        f"answers are: {', '.join(labels)}"
    )


def evaluate(
    cond: Condition,
    rank: int,
    flags: frozenset[str],
    answered: Any,
    tiers: Sequence[str],
) -> bool:
    """Whether a route condition holds, given the session state."""
    if cond.tier_at_least is not None:
        return rank >= tiers.index(cond.tier_at_least)
    if cond.tier_below is not None:
        return rank < tiers.index(cond.tier_below)
    if cond.flags_any is not None:
        return any(f in flags for f in cond.flags_any)
    if cond.flags_all is not None:
        return all(f in flags for f in cond.flags_all)
    if cond.flags_none is not None:
        return not any(f in flags for f in cond.flags_none)
    if cond.answered is not None:
        given = answered(cond.answered.node)
        if isinstance(given, tuple):
            return cond.answered.label in given
        return bool(given == cond.answered.label)
    if cond.all_of is not None:
        return all(evaluate(c, rank, flags, answered, tiers) for c in cond.all_of)
    if cond.any_of is not None:
        return any(evaluate(c, rank, flags, answered, tiers) for c in cond.any_of)
    if cond.not_ is not None:
        return not evaluate(cond.not_, rank, flags, answered, tiers)
    return False


def play(session: Session, answers: Mapping[str, Response | Sequence[str]]) -> Session:
    """Walk ``session`` to its outcome with scripted ``answers`` (node id -> answer).

    Info nodes need no answer. A visited node that takes an answer and has none in the
    script is an error naming the node and its labels.
    """
    while not session.finished:
        node_id, node = session.current_id, session.current
        if isinstance(node, Info):
            session.answer(None)
            continue
        if node_id not in answers:
            labels = ", ".join(answer_labels(node) or [])
            if isinstance(node, Checklist):
                labels = f"a list of: {labels}"
            raise SessionError(
                f"the walk reached '{node_id}' but there is no answer for it; "
                f"valid answers: {labels}"
            )
        session.answer(answers[node_id])
    return session
