"""Rich renderables for a walk: node screens, the emergency line, the outcome, referrals.

Returns renderables; prints nothing. Every section is labelled in words ("Ask:",
"Avoid:", "Watch for:") so nothing is said by colour alone, and ``plain`` output has no
boxes, rules or colour, for screen readers. Protocol text only ever enters Rich as
literal :class:`rich.text.Text`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..describe import NOTICE
from ..drills import Debrief, Drill, Feedback
from ..engine import Session
from ..language import N_, _
from ..model import Action, AnyNode, Checklist, Info, Perspective, Protocol, Question
from ..referrals import Entry, Resolved
from .contacts import emergency_line, how_to_reach, referral_table, resources_view
from .richtext import text

__all__ = ["emergency_line", "how_to_reach", "referral_table", "resources_view"]


def walk_header(protocol: Protocol, region: str, plain: bool) -> RenderableType:
    title = text(
        _("{title} (version {version})").format(title=protocol.title, version=protocol.version),
        "" if plain else "bold",
    )
    parts: list[RenderableType] = [title, text(_(NOTICE), "" if plain else "italic")]
    how = (
        _("Type the number of your choice and press Enter")
        if plain
        else _("Choose with arrow keys or numbers; Back undoes the last step")
    )
    # Translators: {how} is one of the two sentences just above, without a full stop.
    parts.append(text(_("Region: {region}. {how}; Ctrl-C leaves.").format(region=region, how=how)))
    return Group(*parts)


def _section(
    title: str, lines: Sequence[Text], plain: bool, numbered: bool = False, start: int = 1
) -> list[RenderableType]:
    """A labelled list. Plain: ``- item`` (or ``1. item``) lines; otherwise bullets or
    numbers with a hanging indent."""
    if not lines:
        return []
    heading = Text(title, style="" if plain else "bold")
    marks = [
        f"{i}." if numbered else ("-" if plain else "\u2022")
        for i in range(start, start + len(lines))
    ]
    pairs = list(zip(marks, lines, strict=True))
    if plain:
        return [heading, *(Text(f"{mark} ").append_text(line) for mark, line in pairs)]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    for mark, line in pairs:
        grid.add_row(mark, line)
    return [heading, grid]


def _avoid_lines(node: AnyNode) -> list[Text]:
    lines = []
    for item in getattr(node, "avoid", []):
        # Translators: between a phrase to avoid (in quotation marks) and the reason why.
        line = Text("\u201c").append_text(text(item.say)).append(_("\u201d - why not: "))
        lines.append(line.append_text(text(item.why)))
    return lines


def _perspective_lines(perspectives: Sequence[Perspective]) -> list[Text]:
    return [text(p.text).append(" (").append_text(text(p.source)).append(")") for p in perspectives]


def step_heading(title: str, number: int, total: int) -> str:
    """``Step 4 of ~9 · Suicidal behaviour``: the total is the fewest steps a walk from here
    can take, so it is approximate (a longer branch adds to it)."""
    # Translators: {total} is approximate (the fewest steps left), hence the tilde.
    return _("Step {number} of ~{total} \u00b7 {title}").format(
        number=number, total=total, title=title
    )


def recap(heading: str, node: AnyNode, plain: bool = False) -> Text:
    """The step's title and first way to ask, repeated just above the prompt, so that on
    a short terminal they are on screen when the choice is made."""
    line = text(heading, "" if plain else "bold")
    ask = getattr(node, "ask", [])
    if ask:
        line.append(_(" - Ask: ")).append_text(text(f"\u201c{ask[0]}\u201d"))
    return line


def node_screen(heading_text: str, node: AnyNode, plain: bool = False) -> RenderableType:
    """Everything the practitioner needs at one node, labelled section by section."""
    heading = text(heading_text, "" if plain else "bold")
    body: list[RenderableType] = []
    if isinstance(node, (Question, Checklist)):
        body.append(text(node.prompt))
    elif isinstance(node, Action):
        body.append(text(_("Do: {action}").format(action=node.do)))
        body += _section(_("Details:"), [text(d) for d in node.details], plain)
    elif isinstance(node, Info):
        body.append(text(node.text))
    if isinstance(node, (Question, Checklist)):
        body += _section(_("Ask (say it directly):"), [text(a) for a in node.ask], plain)
    body += _section(_("Avoid saying:"), _avoid_lines(node), plain)
    if isinstance(node, (Question, Checklist)):
        body += _section(_("Watch for:"), [text(w) for w in node.watch_for], plain)
    if node.notes:
        note = Text(_("Note: "), style="" if plain else "bold")
        body.append(note.append_text(text(node.notes)))
    body += _section(_("From lived experience:"), _perspective_lines(node.perspectives), plain)
    if plain:
        return Group(Text(""), heading, *body)
    return Panel(Group(*body), title=heading, title_align="left", box=box.ROUNDED, expand=True)


def outcome_screen(
    session: Session,
    resolved: Sequence[Resolved],
    plain: bool = False,
    *,
    urgent: Sequence[Entry] = (),
    region: str = "",
    titles: Mapping[str, str] | None = None,
    first_steps: int = 3,
) -> RenderableType:
    """The disposition, what to do now first: the tier in words, the first steps and how to
    reach emergency help (on the first screen of an 80x24 terminal); then the rest of the
    steps, the referrals, what to document, follow-ups and why this tier."""
    outcome = session.outcome
    tiers = session.protocol.tiers
    rank = tiers.index(outcome.tier)
    bold = "" if plain else "bold"
    tier_line = (
        # Translators: {tier} is the protocol's name for the tier (not translated), in capitals.
        _("Risk tier: {tier} ({rank} of {count}, urgent)")
        if session.protocol.is_urgent(outcome.tier)
        else _("Risk tier: {tier} ({rank} of {count})")
    ).format(tier=outcome.tier.upper(), rank=rank + 1, count=len(tiers))
    title = outcome.title or session.current_id
    first = [text(s) for s in outcome.steps[:first_steps]]
    top: list[RenderableType] = [
        text(_("Outcome: {title}").format(title=title), bold),
        text(tier_line, bold),
        *_section(_("Do now:"), first, plain, numbered=True),
    ]
    if region:
        top.append(emergency_line(urgent, region, plain))
    rest = [text(s) for s in outcome.steps[first_steps:]]
    later: list[RenderableType] = []
    if rest:
        later += _section(_("Then:"), rest, plain, numbered=True, start=first_steps + 1)
    if outcome.summary:
        later.append(text(outcome.summary))
    if session.tier != outcome.tier:
        highest = _("Highest tier reached during the walk: {tier}").format(tier=session.tier)
        later.append(text(highest))
    referrals: list[RenderableType] = []
    if outcome.referrals:
        referrals = [Text(_("Referrals:"), style=bold), referral_table(resolved, plain)]
    why = [text(t) for t in session.trace] or [text(_("No answer raised the risk tier."))]
    follow = [text((titles or {}).get(f) or f) for f in outcome.follow_up]
    sections: list[list[RenderableType]] = [
        top,
        later,
        referrals,
        _section(_("Document:"), [text(d) for d in outcome.document], plain),
        _section(_("Follow up with:"), follow, plain),
        _section(_("Why this tier:"), why, plain),
        [text(_(NOTICE), "" if plain else "italic")],
    ]
    parts: list[RenderableType] = []
    for section in sections:
        if section:
            parts += [*section, Text("")]
    if plain:
        return Group(Text(""), *parts)
    return Panel(Group(*parts[:-1]), box=box.DOUBLE, expand=True)


# --- drills ----------------------------------------------------------------------------


def drill_header(drill: Drill, protocol: Protocol, seed: int, plain: bool) -> RenderableType:
    bold = "" if plain else "bold"
    parts: list[RenderableType] = [
        text(_("Drill: {title}").format(title=drill.title), bold),
        text(_("Protocol: {title} (version {version}). Seed {seed}: repeat this order with "
               "--seed {seed}.").format(title=protocol.title, version=protocol.version,
                                        seed=seed)),
        text(_(NOTICE), "" if plain else "italic"),
        Text(""),
        text(_("The situation:"), bold),
        text(drill.vignette),
        Text(""),
        text(_("At each step, choose how to ask, read the client's reply, then record what it "
               "means. At the end, choose the disposition. Every choice is scored.")),
    ]  # fmt: skip
    return Group(*parts)


def drill_node(heading_text: str, node: AnyNode, plain: bool) -> RenderableType:
    """A node as a trainee meets it in a drill: the task, without the answers."""
    heading = text(heading_text, "" if plain else "bold")
    if isinstance(node, (Question, Checklist)):
        body = text(node.prompt)
    elif isinstance(node, Action):
        body = text(_("Do: {action}").format(action=node.do))
    elif isinstance(node, Info):
        body = text(node.text)
    else:
        body = Text("")
    if plain:
        return Group(Text(""), heading, body)
    return Panel(body, title=heading, title_align="left", box=box.ROUNDED, expand=True)


CATEGORY_NAMES = {
    "asking": N_("Asking"),
    "recording": N_("Recording"),
    "disposition": N_("Disposition"),
}
"""The kinds of choice a drill scores (its ids, ``drills.run.CATEGORIES``), in words."""


def category_name(category: str) -> str:
    """A drill category in the interface language, capitalised (``Asking``); an unknown id
    as it is, capitalised."""
    name = CATEGORY_NAMES.get(category)
    return _(name) if name is not None else category.capitalize()


def feedback_line(feedback: Feedback, plain: bool) -> Text:
    """Right or wrong said in words first ("Good" / "Not quite"), colour only as a second cue."""
    mark = _("Good") if feedback.correct else _("Not quite")
    style = "" if plain else ("green" if feedback.correct else "yellow")
    category = category_name(feedback.category).lower()
    # Translators: {mark} is "Good" or "Not quite"; {category} is the kind of choice (the
    # translated "Asking", "Recording" or "Disposition", in lower case).
    line = Text(_("{mark} ({category}): ").format(mark=mark, category=category), style=style)
    return line.append_text(text(feedback.message))


def debrief_screen(
    drill: Drill, debrief: Debrief, help_entries: Sequence[Entry], region: str, plain: bool
) -> RenderableType:
    bold = "" if plain else "bold"
    scores = [
        text(
            _("{category}: {correct} of {total}").format(
                category=category_name(category), correct=s["correct"], total=s["total"]
            )
        )
        for category, s in debrief.scores.items()
        if s["total"]
    ]
    parts: list[RenderableType] = [Text(_("Debrief"), style=bold), *scores, Text("")]
    well = [text(m) for m in debrief.went_well] or [text("-")]
    parts += _section(_("What went well:"), well, plain)
    parts += _section(
        _("What to practise:"),
        [text(m) for m in debrief.to_practise] or [text(_("Nothing this time: well done."))],
        plain,
    )
    if drill.notes:
        parts += [Text(""), text(_("Teaching point:"), bold), text(drill.notes)]
    parts += [Text(""), text(_("Where to get help"), bold)]
    parts.append(text(_("Rehearsing this can stir things up. If it has, talk to your supervisor "
                        "or someone you trust, or contact one of these at any time:")))  # fmt: skip
    parts.append(emergency_line(help_entries, region, plain))
    if plain:
        return Group(Text(""), *parts)
    return Panel(Group(*parts), box=box.DOUBLE, expand=True)
