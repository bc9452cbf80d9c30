"""Plain-words descriptions shared by every output (show, run, trace, export). Pure text."""

from __future__ import annotations

from .model import AnyNode, Checklist, Condition, Outcome, Question, Route
from .text import shown

NOTICE = "Training and rehearsal aid - not a clinical instrument. Follow your local protocol."


def describe_condition(cond: Condition) -> str:
    """A route condition in plain words, e.g. ``tier is at least high``."""
    if cond.tier_at_least is not None:
        return f"tier is at least {cond.tier_at_least}"
    if cond.tier_below is not None:
        return f"tier is below {cond.tier_below}"
    if cond.flags_any is not None:
        return f"any of the flags {_names(cond.flags_any)} is set"
    if cond.flags_all is not None:
        return f"all of the flags {_names(cond.flags_all)} are set"
    if cond.flags_none is not None:
        return f"none of the flags {_names(cond.flags_none)} is set"
    if cond.answered is not None:
        return f"the answer to {cond.answered.node} was {shown(cond.answered.label, 200)}"
    if cond.all_of is not None:
        return "(" + " and ".join(describe_condition(c) for c in cond.all_of) + ")"
    if cond.any_of is not None:
        return "(" + " or ".join(describe_condition(c) for c in cond.any_of) + ")"
    if cond.not_ is not None:
        return f"not {describe_condition(cond.not_)}"
    return "always"


def _names(flags: list[str]) -> str:
    return ", ".join(flags)


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
