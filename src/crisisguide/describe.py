"""Plain-words descriptions shared by every output (show, run, trace, export). Pure text.

Practitioners read these, so they speak of steps by their titles and of risk in words,
never in the engine's terms ("triage: no route matched -> default negative-screen").
"""

from __future__ import annotations

import re

from .language import N_, _
from .model import AnyNode, Checklist, Condition, Outcome, Protocol, Question, Review, Route
from .text import shown

NOTICE = N_("Training and rehearsal aid - not a clinical instrument. Follow your local protocol.")
"""The disclaimer, in English (exports keep it so); screens show it translated, ``_(NOTICE)``."""

_NUMBERED = re.compile(r"^\s*\d+[a-z]?[.)]\s+")


def title_of(protocol: Protocol | None, node_id: str) -> str:
    """A node's title without the protocol's own numbering ("6. Suicidal behaviour" ->
    "Suicidal behaviour"); its id in words when it has no title."""
    node = protocol.nodes.get(node_id) if protocol is not None else None
    title = node.title if node is not None else None
    if title:
        return _NUMBERED.sub("", title) or title
    return node_id.replace("-", " ").capitalize()


def flag_words(flags: list[str]) -> str:
    return ", ".join(flag.replace("-", " ") for flag in flags)


def describe_condition(cond: Condition, protocol: Protocol | None = None) -> str:
    """A route condition in plain words, e.g. ``the risk tier is high or higher``."""
    # Translators: {tier} is the protocol's name for a risk tier (an id, not translated).
    if cond.tier_at_least is not None:
        return _("the risk tier is {tier} or higher").format(tier=cond.tier_at_least)
    if cond.tier_below is not None:
        return _("the risk tier is below {tier}").format(tier=cond.tier_below)
    if cond.flags_any is not None:
        return _("any of these was noted: {flags}").format(flags=flag_words(cond.flags_any))
    if cond.flags_all is not None:
        return _("all of these were noted: {flags}").format(flags=flag_words(cond.flags_all))
    if cond.flags_none is not None:
        return _("none of these was noted: {flags}").format(flags=flag_words(cond.flags_none))
    if cond.answered is not None:
        where = title_of(protocol, cond.answered.node)
        return _("the answer to '{step}' was {label}").format(
            step=where, label=shown(cond.answered.label, 200)
        )
    if cond.all_of is not None:
        return "(" + _(" and ").join(describe_condition(c, protocol) for c in cond.all_of) + ")"
    if cond.any_of is not None:
        return "(" + _(" or ").join(describe_condition(c, protocol) for c in cond.any_of) + ")"
    if cond.not_ is not None:
        return _("not {condition}").format(condition=describe_condition(cond.not_, protocol))
    return _("always")


def where_next(protocol: Protocol, target: str) -> str:
    """``the outcome is High risk`` or ``the next step is Thoughts of suicide``."""
    node = protocol.nodes.get(target)
    title = title_of(protocol, target)
    if isinstance(node, Outcome):
        return _("the outcome is {title}").format(title=title)
    return _("the next step is {title}").format(title=title)


def route_taken(protocol: Protocol, cond: Condition | None, target: str) -> str:
    """Why a route went where it went, as a sentence for the trace."""
    if cond is None:
        node = protocol.nodes.get(target)
        if isinstance(node, Outcome):
            return _("No answer met a higher-risk rule, so {next}").format(
                next=where_next(protocol, target)
            )
        return _("No rule applied, so {next}").format(next=where_next(protocol, target))
    sentence = describe_condition(cond, protocol)
    return _("{condition}, so {next}").format(
        condition=sentence[0].upper() + sentence[1:], next=where_next(protocol, target)
    )


def node_heading(node_id: str, node: AnyNode) -> str:
    """``question wish-dead: Wish to be dead`` - kind, id and the best short label."""
    label = node.title or _first_line(node)
    return f"{node.kind} {node_id}" + (f": {label}" if label else "")


def _first_line(node: AnyNode) -> str:
    if isinstance(node, (Question, Checklist)):
        return node.prompt
    if isinstance(node, Outcome):
        return node.summary or f"tier {node.tier}"
    if isinstance(node, Route):
        return ""
    text = getattr(node, "do", None) or getattr(node, "text", None)
    return str(text or "")


def review_words(review: Review) -> str:
    """``by Dr A. Rivera on 2026-11-20 (approved for the crisis team)``."""
    note = f" ({review.note})" if review.note else ""
    return _("by {name} on {date}{note}").format(name=review.by, date=review.on, note=note)
