"""The interactive walk of ``run``: node after node until an outcome, Back undoes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..describe import title_of
from ..engine import Session
from ..model import Checklist, Question
from ..referrals import Entry, Resolved
from .console import Console
from .contacts import emergency_line
from .pager import page
from .prompts import NOTE, PHRASING, Back, Extra, ask, pick, write
from .screens import node_screen, outcome_screen, recap, step_heading, walk_header


def walk(
    session: Session,
    urgent: Sequence[Entry],
    region: str,
    out: Console,
    plain: bool,
    *,
    notes: bool = False,
) -> None:
    """Ask node after node until an outcome; Back undoes; Ctrl-C propagates (exit 130).
    How to reach emergency help (``urgent``) is shown above every prompt, and the step's
    title and first way to ask just above the choices. With ``notes``, the practitioner
    can add a note at any step (``n``) and record which phrasing they used (``p``)."""
    out.print(walk_header(session.protocol, region, plain))
    emergency = emergency_line(urgent, region, plain)
    shown = ""
    while not session.finished:
        heading = step_heading(
            title_of(session.protocol, session.current_id), *session.steps_estimate()
        )
        if shown != heading:
            out.print(node_screen(heading, session.current, plain))
            out.print(emergency)
            shown = heading
        out.print(recap(heading, session.current, plain))
        reply = ask(session.current, session.can_go_back, plain, _extras(session, notes))
        if isinstance(reply, Back):
            session.back()
            shown = ""
        elif isinstance(reply, Extra):
            _extra(session, reply, out, plain)
        else:
            session.answer(reply)
            shown = ""


def _extras(session: Session, notes: bool) -> list[Extra]:
    if not notes:
        return []
    node = session.current
    several = isinstance(node, (Question, Checklist)) and len(node.ask) > 1
    return [NOTE, PHRASING] if several else [NOTE]


def _extra(session: Session, extra: Extra, out: Console, plain: bool) -> None:
    node = session.current
    if extra == NOTE:
        session.note(
            write("Your note (kept with this step in the record; no client names):", plain)
        )
    elif isinstance(node, (Question, Checklist)):
        index = pick("Which phrasing did you use?", node.ask, plain)
        if index is not None:
            session.record_asked(node.ask[index])


def show_outcome(
    session: Session,
    resolved: Sequence[Resolved],
    urgent: Sequence[Entry],
    region: str,
    out: Console,
    plain: bool,
    *,
    titles: Mapping[str, str] | None = None,
    pager: bool = True,
) -> None:
    """The outcome screen: what to do now first, with how to reach emergency help; through
    a pager when it is taller than the terminal."""
    screen = outcome_screen(session, resolved, plain, urgent=urgent, region=region, titles=titles)
    page(out, screen, enabled=pager)
