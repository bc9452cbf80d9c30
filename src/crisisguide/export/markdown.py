"""Markdown for protocols and session records. Pure and deterministic: same input, same bytes.

Protocol text is escaped so it can never become a heading, list, table, link, image,
emphasis, code or HTML in the output (SPEC section 6): every ASCII punctuation character
that markdown gives a meaning to is backslash-escaped and ``&`` becomes ``&amp;``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..describe import NOTICE
from ..engine import Session, Step
from ..model import Action, AnyNode, Checklist, Info, Outcome, Question, Route
from ..referrals import Entry, Resolved, Unlisted
from ..yamldoc import strip_controls

PRIVACY = (
    "Do not record names, dates of birth, addresses or anything else that could identify "
    "a client. This record is for rehearsal and supervision."
)

_INLINE = re.compile(r"([\\`*_\[\]<>|~!#])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def md_inline(value: object) -> str:
    """Protocol text as inert markdown inside a line (a heading, a table cell, after a label).

    Line breaks become spaces (so nothing can start a block), inline markup characters
    are backslash-escaped and ``&`` becomes ``&amp;`` (no entities, no HTML).
    """
    clean = strip_controls(str(value)).replace("&", "&amp;")
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


def transcript(
    session: Session, resolved: Sequence[Resolved], region: str, recorded_at: str
) -> str:
    """A markdown record of a finished walk: what was shown, each answer, the outcome."""
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
            routed = [line for line in step.trace if line.startswith(f"{step.node}:")]
            why = md_inline(routed[-1].split(": ", 1)[1]) if routed else ""
            out += [f"*Route {md_inline(step.node)}:* {why}", ""]
            continue
        number += 1
        out += [heading(3, f"Step {number}: {node.title or step.node} ({step.node})"), ""]
        out += node_body(node)
        out += [f"**Answer:** {_answer_words(step)}", ""]
    out += _outcome(session, resolved)
    return "\n".join(out).rstrip() + "\n"


def _outcome(session: Session, resolved: Sequence[Resolved]) -> list[str]:
    outcome = session.current
    assert isinstance(outcome, Outcome)
    out = [heading(2, f"Outcome: {outcome.title or session.current_id}"), ""]
    out += [f"**Risk tier:** {md_inline(outcome.tier)}", ""]
    if outcome.summary:
        out += [md(outcome.summary), ""]
    if session.tier != outcome.tier:
        out += [f"**Highest tier reached during the walk:** {md_inline(session.tier)}", ""]
    out += ["### Steps", "", *bullets(outcome.steps, task=True), ""]
    if outcome.referrals:
        out += ["### Referrals", "", *referral_lines(resolved), ""]
    if outcome.document:
        out += ["### Document", "", *bullets(outcome.document, task=True), ""]
    if outcome.follow_up:
        out += ["### Follow up with", "", *bullets(outcome.follow_up), ""]
    out += [
        "### Why this tier",
        "",
        *(bullets(session.trace) or ["- no answer raised the tier"]),
        "",
    ]
    return out
