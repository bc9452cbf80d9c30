"""A semantic diff of two protocols (``crisisguide diff``). Pure: models in, changes out.

Every difference is one :class:`Change` in one of four classes, listed in this order:

``safety``
    what changes where a walk goes or what it ends with: an answer's or item's tier or
    flags, where an answer, step or route leads (a route's condition or target, the
    default), an answer added or removed, the ``unclear`` mark, an outcome's tier or
    referrals, the tier scale, the first step, a node's kind. Within the class, the
    changes that can lower the care a person gets come first: a tier lowered, an urgent
    outcome losing emergency or crisis-line help, an unclear answer removed.
``structure``
    nodes added or removed, follow-up protocols. (A removed node's callers changing
    where they lead are safety changes of their own.)
``wording``
    what the practitioner reads: prompts, ask, avoid, watch for, steps, notes, titles,
    answer labels and notes, checklist items that raise nothing, and so on.
``metadata``
    the protocol's own title, version, summary, audience, sources, licence and review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .describe import describe_condition, flag_words
from .formats import URGENT_REFERRAL_KINDS
from .model import Answer, AnyNode, Checklist, Item, Outcome, Protocol, Question, Route
from .shapes import Record, dump

CLASSES = ("safety", "structure", "wording", "metadata")
CLASS_TITLES = {
    "safety": "Safety-relevant changes",
    "structure": "Nodes added and removed",
    "wording": "Wording changes",
    "metadata": "About the protocol",
}

# Keys compared as wording, per node kind (the rest are compared below, one by one).
_WORDING = ("title", "notes", "perspectives", "prompt", "ask", "avoid", "watch_for", "do",
            "details", "text", "summary", "steps", "document")  # fmt: skip
_METADATA = ("title", "version", "summary", "audience", "locale", "sources", "license", "review")


@dataclass(frozen=True)
class Change:
    """One difference between two protocols."""

    cls: str
    """One of :data:`CLASSES`."""
    node: str | None
    """The node it is in (None: the protocol itself)."""
    part: str
    """What changed, as a path: ``tier``, ``answers[Yes].tier``, ``routes[2]``..."""
    message: str
    """The change in plain words."""
    old: Any = None
    new: Any = None
    lowers_care: bool = False
    """A safety change that can lower the care someone gets (listed first)."""
    details: tuple[str, ...] = field(default=())
    """Lines shown under the message: removed text as ``- ...``, added as ``+ ...``."""

    def as_dict(self) -> dict[str, Any]:
        return {"class": self.cls, "node": self.node, "part": self.part,
                "message": self.message, "old": _plain(self.old), "new": _plain(self.new),
                "lowers_care": self.lowers_care}  # fmt: skip


def diff(
    old: Protocol, new: Protocol, referral_kinds: dict[str, str] | None = None
) -> list[Change]:
    """Every difference from ``old`` to ``new``, safety-relevant changes first.

    ``referral_kinds`` maps directory entry ids to their kinds, so that an urgent outcome
    that names an entry instead of a kind is known to still reach emergency help."""
    changes: list[Change] = []
    kinds = referral_kinds or {}
    for key in _METADATA:
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            changes.append(Change("metadata", None, key, f"{_label(key)} changed", before, after,
                                  details=_text_details(before, after)))  # fmt: skip
    if old.tiers != new.tiers:
        changes.append(Change("safety", None, "tiers", "the tier scale changed: "
                              f"{' < '.join(old.tiers)} is now {' < '.join(new.tiers)}",
                              old.tiers, new.tiers, lowers_care=True))  # fmt: skip
    if old.start != new.start:
        changes.append(Change("safety", None, "start", f"the walk now starts at '{new.start}' "
                              f"(was '{old.start}')", old.start, new.start))  # fmt: skip
    for node_id, node in old.nodes.items():
        if node_id not in new.nodes:
            changes.append(Change("structure", node_id, "", f"removed ({_what(node)})", node, None))
    for node_id, node in new.nodes.items():
        if node_id not in old.nodes:
            changes.append(Change("structure", node_id, "", f"added ({_what(node)})", None, node))
        else:
            changes += _node_changes(node_id, old.nodes[node_id], node, old, new, kinds)
    order = {node_id: i for i, node_id in enumerate([*new.nodes, *old.nodes])}
    return sorted(changes, key=lambda c: (CLASSES.index(c.cls), not c.lowers_care,
                                          -1 if c.node is None else order[c.node]))  # fmt: skip


def by_class(changes: Sequence[Change]) -> dict[str, list[Change]]:
    return {cls: [c for c in changes if c.cls == cls] for cls in CLASSES}


# --- nodes ------------------------------------------------------------------------------------


def _node_changes(
    node_id: str,
    old: AnyNode,
    new: AnyNode,
    p_old: Protocol,
    p_new: Protocol,
    kinds: dict[str, str],
) -> list[Change]:
    if old.kind != new.kind:
        return [Change("safety", node_id, "kind", f"changed from a {old.kind} to a {new.kind}",
                       old.kind, new.kind)]  # fmt: skip
    out: list[Change] = []
    for key in _WORDING:
        before, after = getattr(old, key, None), getattr(new, key, None)
        if before != after:
            out.append(Change("wording", node_id, key, f"{_label(key)} changed", before, after,
                              details=_text_details(before, after)))  # fmt: skip
    if getattr(old, "next", None) != getattr(new, "next", None):
        out.append(_leads(node_id, "next", "the next step", old.next, new.next, p_new))  # type: ignore[union-attr]
    if isinstance(old, Question) and isinstance(new, Question):
        out += _answer_changes(node_id, old.answers, new.answers, p_old, p_new)
    if isinstance(old, Checklist) and isinstance(new, Checklist):
        out += _item_changes(node_id, old.items, new.items, p_old, p_new)
    if isinstance(old, Route) and isinstance(new, Route):
        out += _route_changes(node_id, old, new, p_new)
    if isinstance(old, Outcome) and isinstance(new, Outcome):
        out += _outcome_changes(node_id, old, new, p_old, p_new, kinds)
    return out


def _leads(node_id: str, part: str, what: str, before: str, after: str, p: Protocol) -> Change:
    return Change("safety", node_id, part, f"{what} now leads to '{after}' (was '{before}')",
                  before, after)  # fmt: skip


def _tier_change(
    node_id: str, part: str, what: str, before: str | None, after: str | None,
    p_old: Protocol, p_new: Protocol,
) -> Change:  # fmt: skip
    rank_old = p_old.tier_rank(before) if before is not None else -1
    rank_new = p_new.tier_rank(after) if after is not None else -1
    if after is None:
        message, lowers = f"{what} no longer raises the tier (was {before})", True
    elif before is None:
        message, lowers = f"{what} now raises the tier to {after}", False
    elif rank_new < rank_old:
        message, lowers = f"{what}: tier lowered from {before} to {after}", True
    elif rank_new > rank_old:
        message, lowers = f"{what}: tier raised from {before} to {after}", False
    else:
        message, lowers = f"{what}: tier {before} is now {after}", False
    return Change("safety", node_id, part, message, before, after, lowers_care=lowers)


def _pairs(
    old: Sequence[Any], new: Sequence[Any]
) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Items matched by label (ignoring case), then what is left matched by position when
    as many are left on each side (a relabelled answer); and the unmatched ones."""
    new_by_label = {item.label.casefold(): item for item in new}
    pairs = [
        (o, new_by_label[o.label.casefold()]) for o in old if o.label.casefold() in new_by_label
    ]
    matched_old = {id(o) for o, _ in pairs}
    matched_new = {id(n) for _, n in pairs}
    rest_old = [o for o in old if id(o) not in matched_old]
    rest_new = [n for n in new if id(n) not in matched_new]
    if len(rest_old) == len(rest_new):
        return pairs + list(zip(rest_old, rest_new, strict=True)), [], []
    return pairs, rest_old, rest_new


def _answer_changes(
    node_id: str, old: Sequence[Answer], new: Sequence[Answer], p_old: Protocol, p_new: Protocol
) -> list[Change]:
    out: list[Change] = []
    pairs, removed, added = _pairs(old, new)
    for a in removed:
        if a.unclear:
            message = f"the unclear answer '{a.label}' was removed: declining or not knowing can no longer be recorded"
        else:
            message = f"answer '{a.label}' removed"
        out.append(
            Change("safety", node_id, f"answers[{a.label}]", message, a, None, lowers_care=True)
        )
    for a in added:
        out.append(Change("safety", node_id, f"answers[{a.label}]", f"answer '{a.label}' added"
                          + (f" (tier {a.tier})" if a.tier else ""), None, a))  # fmt: skip
    for a, b in pairs:
        part, what = f"answers[{b.label}]", f"answer '{b.label}'"
        if a.label != b.label:
            out.append(Change("wording", node_id, part + ".label", f"answer '{a.label}' is now "
                              f"labelled '{b.label}' (answers files and drills use the label)",
                              a.label, b.label))  # fmt: skip
        if a.tier != b.tier:
            out.append(_tier_change(node_id, part + ".tier", what, a.tier, b.tier, p_old, p_new))
        if a.next != b.next:
            out.append(_leads(node_id, part + ".next", what, a.next, b.next, p_new))
        if a.flags != b.flags:
            out.append(_flags_change(node_id, part + ".flags", what, a.flags, b.flags))
        if a.unclear != b.unclear:
            message = (f"{what} is no longer marked unclear" if a.unclear
                       else f"{what} is now marked unclear")  # fmt: skip
            out.append(Change("safety", node_id, part + ".unclear", message, a.unclear, b.unclear,
                              lowers_care=a.unclear))  # fmt: skip
        if a.note != b.note:
            out.append(Change("wording", node_id, part + ".note", f"{what}: note changed",
                              a.note, b.note, details=_text_details(a.note, b.note)))  # fmt: skip
    return out


def _item_changes(
    node_id: str, old: Sequence[Item], new: Sequence[Item], p_old: Protocol, p_new: Protocol
) -> list[Change]:
    out: list[Change] = []
    pairs, removed, added = _pairs(old, new)
    for item in removed:
        raises = bool(item.tier or item.flags)
        out.append(Change("safety" if raises else "wording", node_id, f"items[{item.label}]",
                          f"item '{item.label}' removed", item, None, lowers_care=raises))  # fmt: skip
    for item in added:
        raises = bool(item.tier or item.flags)
        out.append(Change("safety" if raises else "wording", node_id, f"items[{item.label}]",
                          f"item '{item.label}' added", None, item))  # fmt: skip
    for a, b in pairs:
        part, what = f"items[{b.label}]", f"item '{b.label}'"
        if a.label != b.label:
            out.append(Change("wording", node_id, part + ".label", f"item '{a.label}' is now "
                              f"'{b.label}'", a.label, b.label))  # fmt: skip
        if a.tier != b.tier:
            out.append(_tier_change(node_id, part + ".tier", what, a.tier, b.tier, p_old, p_new))
        if a.flags != b.flags:
            out.append(_flags_change(node_id, part + ".flags", what, a.flags, b.flags))
    return out


def _flags_change(
    node_id: str, part: str, what: str, before: list[str], after: list[str]
) -> Change:
    gone = [f for f in before if f not in after]
    came = [f for f in after if f not in before]
    words = "; ".join(w for w in (f"no longer notes {flag_words(gone)}" if gone else "",
                                  f"now notes {flag_words(came)}" if came else "") if w)  # fmt: skip
    return Change("safety", node_id, part, f"{what} {words or 'flags reordered'}", before, after,
                  lowers_care=bool(gone))  # fmt: skip


def _route_changes(node_id: str, old: Route, new: Route, p: Protocol) -> list[Change]:
    out: list[Change] = []
    for i in range(max(len(old.routes), len(new.routes))):
        a = old.routes[i] if i < len(old.routes) else None
        b = new.routes[i] if i < len(new.routes) else None
        part = f"routes[{i + 1}]"
        if b is None:
            assert a is not None
            out.append(Change("safety", node_id, part, f"route {i + 1} removed (when "
                              f"{describe_condition(a.when)}, go to '{a.next}')", a, None,
                              lowers_care=True))  # fmt: skip
        elif a is None:
            out.append(Change("safety", node_id, part, f"route {i + 1} added (when "
                              f"{describe_condition(b.when)}, go to '{b.next}')", None, b))  # fmt: skip
        else:
            if a.when != b.when:
                out.append(Change("safety", node_id, part + ".when", f"route {i + 1}'s condition "
                                  f"is now: {describe_condition(b.when)} (was: "
                                  f"{describe_condition(a.when)})", a.when, b.when))  # fmt: skip
            if a.next != b.next:
                out.append(_leads(node_id, part + ".next", f"route {i + 1}", a.next, b.next, p))
    if old.default != new.default:
        out.append(_leads(node_id, "default", "the default route", old.default, new.default, p))
    return out


def _outcome_changes(
    node_id: str, old: Outcome, new: Outcome, p_old: Protocol, p_new: Protocol,
    kinds: dict[str, str],
) -> list[Change]:  # fmt: skip
    out: list[Change] = []
    if old.tier != new.tier:
        out.append(_tier_change(node_id, "tier", "the outcome", old.tier, new.tier, p_old, p_new))
    if old.referrals != new.referrals:
        urgent_kinds = set(URGENT_REFERRAL_KINDS)
        lost = [k for k in sorted(urgent_kinds)
                if _reaches(old.referrals, k, kinds) and not _reaches(new.referrals, k, kinds)]  # fmt: skip
        gone = [r for r in old.referrals if r not in new.referrals]
        came = [r for r in new.referrals if r not in old.referrals]
        words = "; ".join(w for w in (f"no longer refers to {', '.join(gone)}" if gone else "",
                                      f"now refers to {', '.join(came)}" if came else "") if w)  # fmt: skip
        if lost and p_new.is_urgent(new.tier):
            words = f"an urgent outcome no longer lists {' or '.join(lost)} help; " + words
        out.append(Change("safety", node_id, "referrals", words or "referrals reordered",
                          old.referrals, new.referrals, lowers_care=bool(gone)))  # fmt: skip
    if old.follow_up != new.follow_up:
        details = _text_details(old.follow_up, new.follow_up)
        out.append(Change("structure", node_id, "follow_up", "follow-up protocols changed",
                          old.follow_up, new.follow_up, details=details))  # fmt: skip
    return out


def _reaches(referrals: Sequence[str], kind: str, kinds: dict[str, str]) -> bool:
    return any(r == kind or kinds.get(r) == kind for r in referrals)


# --- words --------------------------------------------------------------------------------------


def _what(node: AnyNode) -> str:
    title = f" '{node.title}'" if node.title else ""
    return f"{node.kind}{title}"


def _label(key: str) -> str:
    return key.replace("_", " ")


def _text_details(before: Any, after: Any) -> tuple[str, ...]:
    """Removed lines as ``- text``, added as ``+ text`` (lists item by item)."""
    old_lines, new_lines = _lines(before), _lines(after)
    return tuple([f"- {line}" for line in old_lines if line not in new_lines]
                 + [f"+ {line}" for line in new_lines if line not in old_lines])  # fmt: skip


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [line for item in value for line in _lines(item)]
    if isinstance(value, str):
        return [value.strip()]
    plain = _plain(value)
    if isinstance(plain, dict):
        return ["; ".join(f"{k}: {v}" for k, v in plain.items() if v not in (None, [], False))]
    return [str(plain)]


def _plain(value: Any) -> Any:
    """A JSON-ready form of a value from the model."""
    if isinstance(value, Record):
        return dump(value, exclude_defaults=True)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
