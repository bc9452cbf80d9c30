"""The interactive walk of ``run``: node after node until an outcome, Back undoes."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Session
from ..model import Route
from ..referrals import Entry, Resolved
from .console import Console
from .contacts import emergency_line
from .prompts import Back, ask
from .screens import node_screen, outcome_screen, walk_header


def walk(session: Session, urgent: Sequence[Entry], region: str, out: Console, plain: bool) -> None:
    """Ask node after node until an outcome; Back undoes; Ctrl-C propagates (exit 130).
    How to reach emergency help (``urgent``) is shown above every prompt."""
    out.print(walk_header(session.protocol, region, plain))
    emergency = emergency_line(urgent, region, plain)
    while not session.finished:
        out.print(node_screen(session.current_id, session.current, step_number(session), plain))
        out.print(emergency)
        reply = ask(session.current, session.can_go_back, plain)
        if isinstance(reply, Back):
            session.back()
        else:
            session.answer(reply)


def show_outcome(
    session: Session,
    resolved: Sequence[Resolved],
    urgent: Sequence[Entry],
    region: str,
    out: Console,
    plain: bool,
) -> None:
    """The outcome screen, then how to reach emergency help."""
    out.print(outcome_screen(session, resolved, plain))
    out.print(emergency_line(urgent, region, plain))


def step_number(session: Session) -> int:
    """The number of the current step, counting the nodes shown (routes are not)."""
    nodes = session.protocol.nodes
    return sum(1 for step in session.path if not isinstance(nodes[step.node], Route))
