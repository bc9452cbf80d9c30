"""The protocol format (docs/format.md, "Files") as records (frozen dataclasses checked by
:mod:`crisisguide.shapes`). No I/O.

The records check shape and types (missing keys, unknown keys, wrong types, bad ids); the
cross-references between parts of a protocol (node targets, tiers, referrals) are checked
in :mod:`crisisguide.validate`. Keys starting with ``x-`` are set aside by the loader before
the records see them (they are kept, and ignored); every other unknown key is an error.
"""

from __future__ import annotations

from dataclasses import field
from typing import Annotated, ClassVar, Literal

from .formats import (
    DEFAULT_TIERS,
    ID_PATTERN,
    LOCALE_PATTERN,
    NODE_KINDS,
    REFERRAL_KINDS,
    SEMVER_PATTERN,
    TEXT_PATTERN,
    URGENT_REFERRAL_KINDS,
    URL_PATTERN,
    Date,
    FormatVersion,
    Locale,
    SemVer,
    Slug,
    Strict,
    Text,
    Url,
)
from .shapes import MinLen, Tagged, keys_of

__all__ = [
    "DEFAULT_TIERS", "ID_PATTERN", "LOCALE_PATTERN", "NODE_KINDS", "REFERRAL_KINDS",
    "SEMVER_PATTERN", "TEXT_PATTERN", "URGENT_REFERRAL_KINDS", "URL_PATTERN", "Locale",
    "SemVer", "Slug", "Text", "Url",
]  # fmt: skip

FORMAT_VERSION = 1


class Source(Strict):
    title: Text
    url: Url | None = None


class Avoid(Strict):
    say: Text
    why: Text


class Perspective(Strict):
    text: Text
    source: Text


class Answer(Strict):
    label: Text
    next: Slug
    tier: Slug | None = None
    flags: list[Slug] = field(default_factory=list)
    note: Text | None = None
    unclear: bool = False
    """The client declines, does not know, or the answer is unclear: listed last, and it
    must raise the tier at least as far as the lowest tier another answer raises (CG137)."""


class Item(Strict):
    label: Text
    tier: Slug | None = None
    flags: list[Slug] = field(default_factory=list)


class Answered(Strict):
    node: Slug
    label: Text


class Condition(Strict):
    """One condition form; combine forms with ``all``, ``any`` and ``not``."""

    __one_key__: ClassVar[bool] = True

    tier_at_least: Slug | None = None
    tier_below: Slug | None = None
    flags_any: Annotated[list[Slug], MinLen(1)] | None = None
    flags_all: Annotated[list[Slug], MinLen(1)] | None = None
    flags_none: Annotated[list[Slug], MinLen(1)] | None = None
    answered: Answered | None = None
    all_of: Annotated[list[Condition], MinLen(1)] | None = field(
        default=None, metadata={"alias": "all"}
    )
    any_of: Annotated[list[Condition], MinLen(1)] | None = field(
        default=None, metadata={"alias": "any"}
    )
    not_: Condition | None = field(default=None, metadata={"alias": "not"})

    def __post_init__(self) -> None:
        forms = self.forms()
        if len(forms) != 1:
            names = ", ".join(forms) if forms else "none"
            raise ValueError(
                "a condition needs exactly one form "
                f"(found: {names}); combine several with all: [...] or any: [...]"
            )

    def forms(self) -> list[str]:
        return [key for name, key in keys_of(self) if getattr(self, name) is not None]


class RouteRule(Strict):
    when: Condition
    next: Slug


class NodeBase(Strict):
    title: Text | None = None
    notes: Text | None = None
    perspectives: list[Perspective] = field(default_factory=list)


class Question(NodeBase):
    kind: Literal["question"]
    prompt: Text
    ask: Annotated[list[Text], MinLen(1)]
    answers: Annotated[list[Answer], MinLen(2)]
    avoid: list[Avoid] = field(default_factory=list)
    watch_for: list[Text] = field(default_factory=list)

    def choices(self) -> list[Answer]:
        """The answers in the order they are offered: as written, unclear answers last."""
        return [a for a in self.answers if not a.unclear] + [a for a in self.answers if a.unclear]


class Checklist(NodeBase):
    kind: Literal["checklist"]
    prompt: Text
    items: Annotated[list[Item], MinLen(1)]
    next: Slug
    ask: list[Text] = field(default_factory=list)
    avoid: list[Avoid] = field(default_factory=list)
    watch_for: list[Text] = field(default_factory=list)


class Action(NodeBase):
    kind: Literal["action"]
    do: Text
    next: Slug
    details: list[Text] = field(default_factory=list)
    avoid: list[Avoid] = field(default_factory=list)


class Info(NodeBase):
    kind: Literal["info"]
    text: Text
    next: Slug


class Route(NodeBase):
    kind: Literal["route"]
    routes: Annotated[list[RouteRule], MinLen(1)]
    default: Slug


class Outcome(NodeBase):
    kind: Literal["outcome"]
    tier: Slug
    steps: Annotated[list[Text], MinLen(1)]
    summary: Text | None = None
    referrals: list[Slug] = field(default_factory=list)
    document: list[Text] = field(default_factory=list)
    follow_up: list[Slug] = field(default_factory=list)


Node = Annotated[
    Question | Checklist | Action | Info | Route | Outcome,
    Tagged("kind"),
]


class Review(Strict):
    """Who approved this version of a protocol, and when (a site's second reviewer)."""

    by: Text
    on: Date
    note: Text | None = None


class Protocol(Strict):
    """One crisis protocol: metadata, a tier scale and a flow of nodes from ``start``."""

    format: FormatVersion
    id: Slug
    title: Text
    version: SemVer
    summary: Text
    audience: list[Slug] = field(default_factory=list)
    locale: Locale = "en"
    sources: list[Source] = field(default_factory=list)
    license: Text | None = None
    tiers: Annotated[list[Slug], MinLen(2)] = field(default_factory=lambda: list(DEFAULT_TIERS))
    review: Review | None = None
    start: Slug
    nodes: Annotated[dict[Slug, Node], MinLen(1)]

    def tier_rank(self, tier: str) -> int:
        return self.tiers.index(tier)

    def is_urgent(self, tier: str) -> bool:
        """Whether ``tier`` is urgent: one of the top two tiers of the scale (CG130)."""
        return tier in self.tiers and self.tiers.index(tier) >= len(self.tiers) - 2

    @property
    def outcome_ids(self) -> list[str]:
        """The ids of the outcome nodes, in file order."""
        return [node_id for node_id, node in self.nodes.items() if isinstance(node, Outcome)]

    def urgent_outcome_ids(self) -> list[str]:
        """The outcomes in the top two tiers, in file order."""
        return [n for n in self.outcome_ids if self.is_urgent(_outcome_tier(self.nodes[n]))]

    def successors(self, node_id: str) -> list[str]:
        """Every node one step on from ``node_id``, in order, without repeats."""
        return successors(self.nodes[node_id])


def _outcome_tier(node: Question | Checklist | Action | Info | Route | Outcome) -> str:
    return node.tier if isinstance(node, Outcome) else ""


def successors(node: Question | Checklist | Action | Info | Route | Outcome) -> list[str]:
    if isinstance(node, Question):
        targets = [a.next for a in node.answers]
    elif isinstance(node, Route):
        targets = [r.next for r in node.routes] + [node.default]
    elif isinstance(node, Outcome):
        targets = []
    else:
        targets = [node.next]
    return list(dict.fromkeys(targets))


AnyNode = Question | Checklist | Action | Info | Route | Outcome
ACTION_ANSWERS: tuple[str, ...] = ("done", "skipped")


def answer_labels(node: AnyNode) -> list[str] | None:
    """What a walk can record at ``node``: answer labels, checklist items, done/skipped
    (None: the node takes no answer)."""
    if isinstance(node, Question):
        return [a.label for a in node.choices()]
    if isinstance(node, Checklist):
        return [i.label for i in node.items]
    if isinstance(node, Action):
        return list(ACTION_ANSWERS)
    return None
