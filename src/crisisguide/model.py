"""The protocol format (docs/format.md, "Files") as pydantic models. No I/O.

The models check shape and types (missing keys, unknown keys, wrong types, bad ids); the
cross-references between parts of a protocol (node targets, tiers, referrals) are checked
in :mod:`crisisguide.validate`. Keys starting with ``x-`` are set aside by the loader before
the models see them (they are kept, and ignored); every other unknown key is an error.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

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
    allow_extensions,
)

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
    flags: list[Slug] = Field(default_factory=list)
    note: Text | None = None
    unclear: bool = False
    """The client declines, does not know, or the answer is unclear: listed last, and it
    must raise the tier at least as far as the lowest tier another answer raises (CG137)."""


class Item(Strict):
    label: Text
    tier: Slug | None = None
    flags: list[Slug] = Field(default_factory=list)


class Answered(Strict):
    node: Slug
    label: Text


def _one_form(schema: dict[str, Any]) -> None:
    allow_extensions(schema)
    schema["minProperties"] = 1
    schema["maxProperties"] = 1


class Condition(Strict):
    """One condition form; combine forms with ``all``, ``any`` and ``not``."""

    model_config = ConfigDict(json_schema_extra=_one_form)

    tier_at_least: Slug | None = None
    tier_below: Slug | None = None
    flags_any: Annotated[list[Slug], Field(min_length=1)] | None = None
    flags_all: Annotated[list[Slug], Field(min_length=1)] | None = None
    flags_none: Annotated[list[Slug], Field(min_length=1)] | None = None
    answered: Answered | None = None
    all_of: Annotated[list[Condition], Field(min_length=1)] | None = Field(None, alias="all")
    any_of: Annotated[list[Condition], Field(min_length=1)] | None = Field(None, alias="any")
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        forms = self.forms()
        if len(forms) != 1:
            names = ", ".join(forms) if forms else "none"
            raise ValueError(
                "a condition needs exactly one form "
                f"(found: {names}); combine several with all: [...] or any: [...]"
            )
        return self

    def forms(self) -> list[str]:
        return [
            (info.alias or name)
            for name, info in type(self).model_fields.items()
            if getattr(self, name) is not None
        ]


class RouteRule(Strict):
    when: Condition
    next: Slug


class NodeBase(Strict):
    title: Text | None = None
    notes: Text | None = None
    perspectives: list[Perspective] = Field(default_factory=list)


class Question(NodeBase):
    kind: Literal["question"]
    prompt: Text
    ask: Annotated[list[Text], Field(min_length=1)]
    answers: Annotated[list[Answer], Field(min_length=2)]
    avoid: list[Avoid] = Field(default_factory=list)
    watch_for: list[Text] = Field(default_factory=list)

    def choices(self) -> list[Answer]:
        """The answers in the order they are offered: as written, unclear answers last."""
        return [a for a in self.answers if not a.unclear] + [a for a in self.answers if a.unclear]


class Checklist(NodeBase):
    kind: Literal["checklist"]
    prompt: Text
    items: Annotated[list[Item], Field(min_length=1)]
    next: Slug
    ask: list[Text] = Field(default_factory=list)
    avoid: list[Avoid] = Field(default_factory=list)
    watch_for: list[Text] = Field(default_factory=list)


class Action(NodeBase):
    kind: Literal["action"]
    do: Text
    next: Slug
    details: list[Text] = Field(default_factory=list)
    avoid: list[Avoid] = Field(default_factory=list)


class Info(NodeBase):
    kind: Literal["info"]
    text: Text
    next: Slug


class Route(NodeBase):
    kind: Literal["route"]
    routes: Annotated[list[RouteRule], Field(min_length=1)]
    default: Slug


class Outcome(NodeBase):
    kind: Literal["outcome"]
    tier: Slug
    steps: Annotated[list[Text], Field(min_length=1)]
    summary: Text | None = None
    referrals: list[Slug] = Field(default_factory=list)
    document: list[Text] = Field(default_factory=list)
    follow_up: list[Slug] = Field(default_factory=list)


Node = Annotated[
    Question | Checklist | Action | Info | Route | Outcome,
    Field(discriminator="kind"),
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
    audience: list[Slug] = Field(default_factory=list)
    locale: Locale = "en"
    sources: list[Source] = Field(default_factory=list)
    license: Text | None = None
    tiers: Annotated[list[Slug], Field(min_length=2)] = Field(
        default_factory=lambda: list(DEFAULT_TIERS)
    )
    review: Review | None = None
    start: Slug
    nodes: Annotated[dict[Slug, Node], Field(min_length=1)]

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
