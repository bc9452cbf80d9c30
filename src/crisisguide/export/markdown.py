"""Markdown for protocols and session records. Pure and deterministic: same input, same bytes.

Protocol text is escaped so it can never become a heading, list, table, link, image,
emphasis, code or HTML in the output (docs/format.md, "Exports"): the characters markdown gives an
inline meaning are backslash-escaped, a leading block marker is escaped, line breaks
become spaces, and an ``&`` that would start an entity becomes ``&amp;``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..describe import NOTICE, describe_condition, review_words, title_of
from ..engine import Session, Step
from ..model import Action, AnyNode, Checklist, Info, Outcome, Protocol, Question, Route
from ..referrals import Entry, Resolved, Unlisted
from ..text import strip_controls
from .mermaid import flowchart

if TYPE_CHECKING:
    from ..drills import DrillRun

PRIVACY = (
    "Do not record names, dates of birth, addresses or anything else that could identify "
    "a client. This record is for rehearsal and supervision."
)

_ENTITY = re.compile(r"&(?=#?\w+;)")  # only an & that would start an entity needs escaping
_INLINE = re.compile(r"([\\`*_\[\]<>|~!#])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def md_inline(value: object) -> str:
    """Protocol text as inert markdown inside a line (a heading, a table cell, after a label).

    Line breaks become spaces (so nothing can start a block), inline markup characters
    are backslash-escaped and ``&`` becomes ``&amp;`` (no entities, no HTML).
    """
    clean = _ENTITY.sub("&amp;", strip_controls(str(value)))
    return _INLINE.sub(r"\\\1", " ".join(clean.split()))


def md(value: object) -> str:
    """Like :func:`md_inline`, for text that starts a line or a list item: a leading list
    or heading marker (``- ``, ``1.``, ``+``, ``=``) is escaped too."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", md_inline(value))


def bullets(items: Iterable[str], task: bool = False) -> list[str]:
    mark = "- [ ] " if task else "- "
    return [f"{mark}{md(item)}" for item in items]


def heading(level: int, title: str) -> str:
    return f"{'#' * level} {md_inline(title)}"


def node_body(node: AnyNode) -> list[str]:
    """What a node says: prompt, ask, avoid (with why), watch for, notes, perspectives."""
    lines: list[str] = []
    if isinstance(node, (Question, Checklist)):
        lines += [md(node.prompt), ""]
        if node.ask:
            lines += ["**Ask:**", "", *bullets(node.ask, task=True), ""]
    elif isinstance(node, Action):
        lines += [f"**Do:** {md_inline(node.do)}", ""]
        if node.details:
            lines += [*bullets(node.details), ""]
    elif isinstance(node, Info):
        lines += [md(node.text), ""]
    avoid = getattr(node, "avoid", [])
    if avoid:
        lines += ["**Avoid saying:**", ""]
        lines += [f"- \u201c{md_inline(a.say)}\u201d \u2014 {md_inline(a.why)}" for a in avoid]
        lines.append("")
    watch = getattr(node, "watch_for", [])
    if watch:
        lines += ["**Watch for:**", "", *bullets(watch), ""]
    if node.notes:
        lines += [f"**Note:** {md_inline(node.notes)}", ""]
    if node.perspectives:
        lines += ["**From lived experience:**", ""]
        lines += [f"- {md(p.text)} ({md_inline(p.source)})" for p in node.perspectives]
        lines.append("")
    return lines


def referral_lines(resolved: Sequence[Resolved]) -> list[str]:
    lines = []
    for item in resolved:
        if isinstance(item, Entry):
            reach = "; ".join(f"{how} {where}" for how, where in item.contact.methods())
            line = f"- **{md_inline(item.name)}** ({md_inline(item.kind)}): {md_inline(reach)}"
            if item.hours:
                line += f"; hours: {md_inline(item.hours)}"
            if item.notes:
                line += f". {md_inline(item.notes)}"
            lines.append(line)
        elif isinstance(item, Unlisted):
            lines.append(
                f"- No {md_inline(item.kind)} services are listed for {md_inline(item.region)}: add your "
                "local services to a referral file."
            )
    return lines


def _answer_words(step: Step) -> str:
    if step.answer is None:
        return "continued"
    if isinstance(step.answer, tuple):
        return ", ".join(md_inline(a) for a in step.answer) if step.answer else "nothing ticked"
    return md_inline(step.answer)


def named(kind: str, node_id: str, title: str | None) -> str:
    """``Question: Wish to be dead (wish-dead)``, or ``Question: wish-dead`` untitled."""
    return f"{kind}: {title} ({node_id})" if title else f"{kind}: {node_id}"


def answers_table(protocol: Protocol, node: Question, tables: bool = True) -> list[str]:
    rows = []
    for a in node.choices():
        marked = a.unclear and "unclear" not in a.label.lower()
        label = md_inline(a.label) + (" (counts as unclear)" if marked else "")
        rows.append((label, md_inline(title_of(protocol, a.next)), md_inline(a.tier or "")))
    if not tables:
        return [f"- {label} \u2192 {then}" + (f" (tier at least {tier})" if tier else "")
                for label, then, tier in rows]  # fmt: skip
    out = ["| Answer | Next step | Raises tier to |", "|---|---|---|"]
    return out + [f"| {label} | {then} | {tier} |" for label, then, tier in rows]


def items_table(node: Checklist, tables: bool = True) -> list[str]:
    if not tables:
        return [f"- [ ] {md_inline(i.label)}" + (f" (tier at least {md_inline(i.tier)})" if i.tier else "")
                for i in node.items]  # fmt: skip
    rows = ["| Item | Raises tier to |", "|---|---|"]
    rows += [f"| {md_inline(i.label)} | {md_inline(i.tier or '')} |" for i in node.items]
    return rows


def routes_table(protocol: Protocol, node: Route, tables: bool = True) -> list[str]:
    rules = [(md_inline(describe_condition(r.when, protocol)), md_inline(title_of(protocol, r.next)))
             for r in node.routes]  # fmt: skip
    rules.append(("otherwise", md_inline(title_of(protocol, node.default))))
    if not tables:
        return [f"- If {when} \u2192 {then}" if when != "otherwise" else f"- Otherwise \u2192 {then}"
                for when, then in rules]  # fmt: skip
    return ["| If | Go to |", "|---|---|", *(f"| {when} | {then} |" for when, then in rules)]


def referral_names(resolved: Sequence[Resolved]) -> list[str]:
    """The referrals of an outcome by name only (their details are listed once, below)."""
    names = []
    for item in resolved:
        if isinstance(item, Entry):
            names.append(f"- {md_inline(item.name)} ({md_inline(item.kind)})")
        else:
            names.append(f"- {md_inline(item.kind)}: none listed for {md_inline(item.region)}")
    return names


def outcome_lines(
    protocol: Protocol, node_id: str, node: Outcome, resolved: Sequence[Resolved], region: str,
    level: int, *, titles: Mapping[str, str] | None = None, details: bool = False,
) -> list[str]:  # fmt: skip
    """An outcome as a checklist: tier, steps, referrals for the region, what to document.
    Referrals are named here; their details are in the one Referrals section of the page,
    unless ``details`` (a record with a single outcome) asks for them here."""
    urgent = " (URGENT)" if protocol.is_urgent(node.tier) else ""
    out = [heading(level, named("Outcome", node_id, node.title)), ""]
    out += [f"**Risk tier:** {md_inline(node.tier)}{urgent}", ""]
    if node.summary:
        out += [md(node.summary), ""]
    if node.notes:
        out += [f"**Note:** {md_inline(node.notes)}", ""]
    sub = "#" * (level + 1)
    out += [f"{sub} Steps", "", *bullets(node.steps, task=True), ""]
    if node.referrals:
        listed = referral_lines(resolved) if details else referral_names(resolved)
        out += [f"{sub} Referrals ({md_inline(region)})", "", *listed, ""]
    if node.document:
        out += [f"{sub} Document", "", *bullets(node.document, task=True), ""]
    if node.follow_up:
        named_titles = [(titles or {}).get(f) or f for f in node.follow_up]
        out += [f"{sub} Follow up with", "", *bullets(named_titles), ""]
    return out


def checklist(
    protocol: Protocol,
    resolved: Mapping[str, Sequence[Resolved]],
    region: str,
    *,
    titles: Mapping[str, str] | None = None,
    tables: bool = True,
) -> str:
    """The protocol as a markdown checklist with a flowchart (``export --format md``).

    Plain CommonMark except for tables (``tables=False`` gives lists instead) and the task
    list boxes, which print as ``[ ]`` where they are not rendered. Each referral's details
    appear once, in a Referrals section at the end; outcomes name them."""
    out = [heading(1, protocol.title), ""]
    out += [f"Version {md_inline(protocol.version)} \u00b7 id `{protocol.id}` \u00b7 "
            f"referrals for region {md_inline(region)}", ""]  # fmt: skip
    out += [f"> {md(NOTICE)}", "", md(protocol.summary), ""]
    if protocol.review is not None:
        out += [f"**Reviewed** {md_inline(review_words(protocol.review))}", ""]
    out += ["## Flow", "", "```mermaid", flowchart(protocol).rstrip(), "```", ""]
    out += ["## Steps", ""]
    for node_id, node in protocol.nodes.items():
        if isinstance(node, Outcome):
            out += outcome_lines(protocol, node_id, node, resolved.get(node_id, []), region, 3,
                                 titles=titles)  # fmt: skip
            continue
        out += [heading(3, named(node.kind.capitalize(), node_id, node.title)), ""]
        out += node_body(node)
        if isinstance(node, Question):
            out += [*answers_table(protocol, node, tables), ""]
        elif isinstance(node, Checklist):
            out += [*items_table(node, tables), "", f"Then: {_then(protocol, node.next)}", ""]
        elif isinstance(node, Route):
            out += [*routes_table(protocol, node, tables), ""]
        else:
            out += [f"Then: {_then(protocol, node.next)}", ""]
    out += referrals_section(resolved, region)
    out += sources_lines(protocol)
    return "\n".join(out).rstrip() + "\n"


def _then(protocol: Protocol, target: str) -> str:
    return md_inline(title_of(protocol, target))


def referrals_section(resolved: Mapping[str, Sequence[Resolved]], region: str) -> list[str]:
    """Every referral of every outcome, each with its details once."""
    seen: dict[str, Resolved] = {}
    for items in resolved.values():
        for item in items:
            key = item.id if isinstance(item, Entry) else f"unlisted:{item.kind}"
            seen.setdefault(key, item)
    if not seen:
        return []
    return [f"## Referrals ({md_inline(region)})", "", *referral_lines(list(seen.values())), ""]


def sources_lines(protocol: Protocol) -> list[str]:
    out = ["## Sources", ""]
    for source in protocol.sources:
        title = md_inline(source.title)
        url = (source.url or "").replace("<", "%3C").replace(">", "%3E")
        out.append(f"- [{title}](<{url}>)" if url else f"- {title}")
    if not protocol.sources:
        out.append("- none given")
    out.append("")
    if protocol.license:
        out += [f"License of this protocol's text: {md_inline(protocol.license)}", ""]
    return out


def pocket_card(protocol: Protocol, urgent_help: Sequence[Resolved], region: str) -> str:
    """One printed page: each question with one way to ask and one thing to avoid, what
    makes the risk urgent, the urgent steps, and how to reach help once
    (``export --format md --card``)."""
    out = [heading(1, f"Pocket card: {protocol.title}"), ""]
    out += [f"Version {md_inline(protocol.version)} \u00b7 A rehearsal aid, not a clinical "
            "instrument: follow your local protocol.", ""]  # fmt: skip
    out += ["## Ask, one question at a time", ""]
    for node_id, node in protocol.nodes.items():
        if not isinstance(node, Question):
            continue
        ask = min(node.ask, key=len)  # a card has room for the shortest way to ask
        line = f"- **{md_inline(title_of(protocol, node_id))}**: \u201c{md_inline(ask)}\u201d"
        if node.avoid:
            avoid = min((a.say for a in node.avoid), key=len)
            line += f" Not: \u201c{md_inline(avoid)}\u201d"
        out.append(line)
    thresholds = urgent_when(protocol)
    if thresholds:
        out += ["", "## Risk is urgent when", "", *(f"- {md_inline(t)}" for t in thresholds)]
    steps: list[str] = []
    for node in protocol.nodes.values():
        if isinstance(node, Outcome) and protocol.is_urgent(node.tier):
            steps += [s for s in node.steps if s not in steps]
    if steps:
        out += ["", "## Then", "", *bullets(steps[:3], task=True)]
    reach = "; ".join(md_inline(part) for part in emergency_reach(urgent_help, region))
    out += ["", f"**Emergency help ({md_inline(region)}):** {reach}"]
    return "\n".join(out).rstrip() + "\n"


def emergency_reach(urgent_help: Sequence[Resolved], region: str) -> list[str]:
    """How to reach urgent help in ``region``, as plain text (not yet markdown): up to two
    emergency numbers and one crisis line from ``Directory.urgent``, the entries ``now``
    shows; when none is an emergency number, a first part that says so."""
    entries = [e for e in urgent_help if isinstance(e, Entry)]
    chosen = [e for e in entries if e.kind == "emergency"][:2]
    chosen += [e for e in entries if e.kind == "crisis-line"][:1]
    reach = [f"{e.name}: {_quickest(e)}" for e in chosen]
    if not any(e.kind == "emergency" for e in chosen):
        reach.insert(
            0, f"No emergency number on file for {region}: dial your local emergency number"
        )
    return reach


def _quickest(entry: Entry) -> str:
    """The fastest way to reach an entry: call (and text, if the same number)."""
    contact = entry.contact
    if contact.call:
        return (
            f"call or text {contact.call}"
            if contact.text == contact.call
            else f"call {contact.call}"
        )
    how, where = entry.contact.methods()[0]
    return f"{how} {where}"


def urgent_when(protocol: Protocol) -> list[str]:
    """What makes the risk urgent, in words: each answer or ticked item that raises the
    tier into the top two tiers, and each route rule that leads to an urgent outcome."""
    found: list[str] = []
    for node_id, node in protocol.nodes.items():
        where = title_of(protocol, node_id)
        if isinstance(node, Question):
            labels = [a.label for a in node.answers
                      if a.tier and protocol.is_urgent(a.tier) and not a.unclear]  # fmt: skip
            unclear = any(a.unclear and a.tier and protocol.is_urgent(a.tier) for a in node.answers)
            if labels:
                answer = " or ".join(f"\u201c{label}\u201d" for label in labels)
                found.append(f"{where}: {answer}" + (", or no clear answer" if unclear else ""))
        elif isinstance(node, Checklist):
            found += [f"{where}: {item.label.split(':')[0]}" for item in node.items
                      if item.tier and protocol.is_urgent(item.tier)]  # fmt: skip
        elif isinstance(node, Route):
            for rule in node.routes:
                target = protocol.nodes.get(rule.next)
                tier_rule = rule.when.tier_at_least is not None
                if (
                    isinstance(target, Outcome)
                    and protocol.is_urgent(target.tier)
                    and not tier_rule
                ):
                    found.append(describe_condition(rule.when, protocol).capitalize())
    return found


def transcript(
    session: Session,
    resolved: Sequence[Resolved],
    region: str,
    recorded_at: str,
    *,
    titles: Mapping[str, str] | None = None,
    source: str = "",
) -> str:
    """A markdown record of a finished walk, laid out like the protocol's checklist: what
    was shown at each step, the answer given, each route taken, and the outcome."""
    protocol = session.protocol
    out = [
        heading(1, f"Session record: {protocol.title}"),
        "",
        f"> {md(NOTICE)}",
        f"> {md(PRIVACY)}",
        "",
        "| | |",
        "|---|---|",
        f"| Protocol | {md_inline(protocol.id)} |",
        f"| Version | {md_inline(protocol.version)} |",
        f"| SHA-256 | `{session.sha256}` |" if session.sha256 else "| SHA-256 | unknown |",
        *([f"| File | {md_inline(source)} |"] if source else []),
        *(
            [f"| Reviewed | {md_inline(review_words(protocol.review))} |"]
            if protocol.review
            else []
        ),
        f"| Region | {md_inline(region)} |",
        f"| Recorded | {md_inline(recorded_at)} |",
        "",
        "## Steps",
        "",
    ]
    number = 0
    for step in session.path:
        node = protocol.nodes[step.node]
        if isinstance(node, Outcome):
            continue
        if isinstance(node, Route):
            why = md_inline(step.trace[-1]) if step.trace else ""
            out += [f"*{md_inline(title_of(protocol, step.node))}:* {why}", ""]
            continue
        number += 1
        title = f"Step {number} \u00b7 {title_of(protocol, step.node)} ({step.node})"
        out += [heading(3, title), ""]
        out += node_body(node)
        if step.asked is not None:
            out += [f"**Asked:** \u201c{md_inline(step.asked)}\u201d", ""]
        out += [f"**Answer:** {_answer_words(step)}", ""]
        out += [f"**Note:** {md_inline(note)}" for note in step.notes]
        out += [""] if step.notes else []
    outcome = session.outcome
    out += outcome_lines(protocol, session.current_id, outcome, resolved, region, 2,
                         titles=titles, details=True)  # fmt: skip
    if session.tier != outcome.tier:
        out += [f"**Highest tier reached during the walk:** {md_inline(session.tier)}", ""]
    trace = bullets(session.trace) or ["- no answer raised the tier"]
    out += ["### Why this tier", "", *trace, ""]
    return "\n".join(out).rstrip() + "\n"


def drill_record(
    run: DrillRun, resolved: Sequence[Resolved], help_entries: Sequence[Resolved], region: str,
    recorded_at: str,
) -> str:  # fmt: skip
    """A markdown record of a drill run, laid out like the protocol's checklist, with the
    client's words at each step, the debrief and where to get help."""
    drill, protocol, session = run.drill, run.protocol, run.session
    out = [
        heading(1, f"Drill record: {drill.title}"), "", f"> {md(NOTICE)}", f"> {md(PRIVACY)}", "",
        "| | |", "|---|---|",
        f"| Drill | {md_inline(drill.id)} |",
        f"| Protocol | {md_inline(protocol.id)} {md_inline(protocol.version)} |",
        f"| Seed | {run.seed} |",
        f"| Recorded | {md_inline(recorded_at)} |", "",
        "## The situation", "", md(drill.vignette), "", "## Steps", "",
    ]  # fmt: skip
    number = 0
    for step in session.path:
        node = protocol.nodes[step.node]
        if isinstance(node, (Outcome, Route)):
            continue
        number += 1
        title = f"Step {number} \u00b7 {title_of(protocol, step.node)} ({step.node})"
        out += [heading(3, title), ""]
        out += node_body(node)
        line = drill.client.get(step.node)
        if line is not None and line.says:
            out += [f"**The client said:** \u201c{md_inline(line.says)}\u201d", ""]
        out += [f"**What it means:** {_answer_words(step)}", ""]
    outcome = session.outcome
    out += outcome_lines(protocol, session.current_id, outcome, resolved, region, 2, details=True)
    debrief = run.debrief()
    out += ["## Debrief", ""]
    out += [f"- {name.capitalize()}: {s['correct']} of {s['total']}"
            for name, s in debrief.scores.items() if s["total"]]  # fmt: skip
    out += ["", "### What went well", "", *(bullets(debrief.went_well) or ["- nothing yet"]), ""]
    out += [
        "### What to practise",
        "",
        *(bullets(debrief.to_practise) or ["- nothing this time"]),
        "",
    ]
    if drill.notes:
        out += ["### Teaching point", "", md(drill.notes), ""]
    out += ["## Where to get help", "",
            "Rehearsing this can stir things up. If it has, talk to your supervisor or someone "
            "you trust, or contact one of these at any time:", "", *referral_lines(help_entries)]  # fmt: skip
    return "\n".join(out).rstrip() + "\n"
