"""The interactive ``drill run``: vignette, then at each question how to ask, the client's
reply and how to record it; then the disposition and a scored debrief."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text

from ..describe import title_of
from ..drills import DrillRun
from ..language import _
from ..referrals import Entry, Resolved
from .console import Console
from .pager import page
from .prompts import Back, Extra, ask, choose
from .richtext import text
from .screens import (
    debrief_screen,
    drill_header,
    drill_node,
    emergency_line,
    feedback_line,
    outcome_screen,
    step_heading,
)


def rehearse(
    run: DrillRun,
    urgent: Sequence[Entry],
    region: str,
    out: Console,
    plain: bool,
    *,
    headline: str = "",
) -> None:
    """Every step of the drill up to its outcome: how to ask, the reply, how to record it.

    A run shown in a language (``run.display``) shows each step translated (``headline``
    says once how complete it is); the run scores and records the original labels and
    phrasings."""
    shown_protocol = run.shown_protocol
    out.print(drill_header(run.drill, shown_protocol, run.seed, plain))
    if headline:
        out.print(text(headline))
    emergency = emergency_line(urgent, region, plain)
    while not run.finished:
        node = shown_protocol.nodes[run.node_id]
        heading = step_heading(title_of(shown_protocol, run.node_id), *run.session.steps_estimate())
        out.print(drill_node(heading, node, plain))
        phrasings = run.phrasings()
        if phrasings:
            shown = [run.shown_phrasing(p)[0] for p in phrasings]
            index = choose(_("How do you ask?"), shown, plain)
            out.print(feedback_line(run.choose_phrasing(phrasings[index]), plain))
        line = run.client_line()
        if line is not None and line.says:
            out.print(_says(line.says, plain))
        out.print(emergency)
        if run.node.kind == "info":
            ask(node, False, plain)
            run.record(None)
            continue
        run.expected_answer()  # fails clearly, before asking, if the script has no line here
        reply = ask(node, False, plain)
        assert not isinstance(reply, (Back, Extra))  # no Back in a drill: every choice counts
        feedback = run.record(run.original_answer(reply))
        if feedback is not None:
            out.print(feedback_line(feedback, plain))


def _says(words: str, plain: bool) -> Text:
    line = text(_("The client says:"), "" if plain else "bold").append(" ")
    return line.append_text(text(f"\u201c{words}\u201d"))


def debrief(
    run: DrillRun,
    resolved: Sequence[Resolved],
    urgent: Sequence[Entry],
    region: str,
    out: Console,
    plain: bool,
    *,
    pager: bool = True,
) -> None:
    """Ask for the disposition, then show the outcome and the scored debrief (through a
    pager when taller than the terminal: the scores come first). A run shown in a language
    shows the outcomes translated."""
    shown_protocol = run.shown_protocol
    outcomes = run.dispositions()
    titles = [shown_protocol.nodes[o].title or o for o in outcomes]
    index = choose(_("What is the disposition?"), titles, plain)
    out.print(feedback_line(run.choose_disposition(outcomes[index]), plain))
    session = run.session
    if run.display is not None:
        from .walk import display_session

        session = display_session(run.session, run.display)
    screen = outcome_screen(session, resolved, plain, urgent=urgent, region=region)
    page(
        out,
        Group(screen, debrief_screen(run.drill, run.debrief(), urgent, region, plain)),
        enabled=pager,
    )
