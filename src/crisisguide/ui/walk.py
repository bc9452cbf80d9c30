"""The interactive walk of ``run``: node after node until an outcome, Back undoes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..describe import title_of
from ..engine import Session
from ..language import _
from ..model import Checklist, Question
from ..referrals import Entry, Resolved
from .console import Console
from .contacts import emergency_line
from .pager import page
from .prompts import NOTE, PHRASING, Back, Extra, ask, pick, write
from .richtext import text
from .screens import node_screen, outcome_screen, recap, step_heading, walk_header

if TYPE_CHECKING:
    from ..i18n.apply import Translation


def walk(
    session: Session,
    urgent: Sequence[Entry],
    region: str,
    out: Console,
    plain: bool,
    *,
    notes: bool = False,
    translation: Translation | None = None,
    headline: str = "",
) -> None:
    """Ask node after node until an outcome; Back undoes; Ctrl-C propagates (exit 130).
    How to reach emergency help (``urgent``) is shown above every prompt, and the step's
    title and first way to ask just above the choices. With ``notes``, the practitioner
    can add a note at any step (``n``) and record which phrasing they used (``p``).

    With a ``translation``, each step is shown translated (``headline`` says once how
    complete the translation is) and the session records the original labels."""
    shown_protocol = translation.protocol if translation is not None else session.protocol
    out.print(walk_header(shown_protocol, region, plain))
    if headline:
        out.print(text(headline))
    emergency = emergency_line(urgent, region, plain)
    shown = ""
    while not session.finished:
        node_id = session.current_id
        node = shown_protocol.nodes[node_id]
        heading = step_heading(title_of(shown_protocol, node_id), *session.steps_estimate())
        if shown != heading:
            out.print(node_screen(heading, node, plain))
            out.print(emergency)
            shown = heading
        out.print(recap(heading, node, plain))
        reply = ask(node, session.can_go_back, plain, _extras(session, notes))
        if isinstance(reply, Back):
            session.back()
            shown = ""
        elif isinstance(reply, Extra):
            _extra(session, reply, out, plain, node)
        else:
            if translation is not None:
                reply = translation.original_answer(node_id, reply)
            session.answer(reply)
            shown = ""


def _extras(session: Session, notes: bool) -> list[Extra]:
    if not notes:
        return []
    node = session.current
    several = isinstance(node, (Question, Checklist)) and len(node.ask) > 1
    return [NOTE, PHRASING] if several else [NOTE]


def _extra(session: Session, extra: Extra, out: Console, plain: bool, shown: object) -> None:
    """A note, or the phrasing used: picked from the phrasings shown (``shown``, the node
    as the screen shows it), recorded as written in the protocol."""
    node = session.current
    if extra == NOTE:
        session.note(
            write(_("Your note (kept with this step in the record; no client names):"), plain)
        )
    elif isinstance(node, (Question, Checklist)):
        phrasings = shown.ask if isinstance(shown, (Question, Checklist)) else node.ask
        index = pick(_("Which phrasing did you use?"), phrasings, plain)
        if index is not None:
            session.record_asked(node.ask[index])


def display_session(session: Session, translation: Translation) -> Session:
    """A session over the translated protocol that took the same path as ``session``
    (its answers shown translated), for the outcome screen: all it says, including why
    the tier rose, is in the language shown; ``session`` keeps the original labels."""
    from ..model import Route

    shown = Session(translation.protocol, sha256=session.sha256)
    for step in session.path[:-1]:
        if isinstance(session.protocol.nodes[step.node], Route):
            continue  # followed at once
        answer = translation.shown(step.node, step.answer)
        shown.answer(list(answer) if isinstance(answer, tuple) else answer)
    return shown


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
