"""Checks of a protocol's header and of each node: targets (CG110), tiers (CG111),
labels (CG113), route conditions (CG104), missing guidance (CG132) and sources (CG134)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from ..errors import Code, did_you_mean
from ..model import (
    AnyNode,
    Checklist,
    Condition,
    Outcome,
    Protocol,
    Question,
    Route,
    answer_labels,
)
from .checker import Checker


def check_header(c: Checker) -> None:
    p = c.protocol
    seen: set[str] = set()
    for i, tier in enumerate(p.tiers):
        if tier in seen:
            c.report(
                Code.BAD_VALUE, f"tier '{tier}' appears twice in the tier scale", c.at("tiers", i)
            )
        seen.add(tier)
    if p.start and p.start not in c.node_ids:
        c.report(
            Code.NOT_A_NODE,
            f"start '{p.start}' is not a node{did_you_mean(p.start, c.node_ids)}",
            c.at("start"),
        )
    raw = c.doc.data if isinstance(c.doc.data, dict) else {}
    if not raw.get("sources") and c.loaded.complete:  # the file's own, even if it is broken
        c.report(
            Code.NO_SOURCES,
            "no sources: cite the published framework this protocol follows",
            c.at("id", key=True),
        )


def check_nodes(c: Checker) -> None:
    flags_set = _flags_set(c.protocol)
    for node_id, node in c.protocol.nodes.items():
        _check_node(c, node_id, node, flags_set)


def _check_node(c: Checker, node_id: str, node: AnyNode, flags_set: set[str]) -> None:
    base = ("nodes", node_id)
    for path, target in _targets(node):
        _check_target(c, base + path, target)
    for path, tier in _tiers(node):
        _check_tier(c, base + path, tier)
    if isinstance(node, Question):
        _check_labels(c, base, "answers", [a.label for a in node.answers])
        if not node.avoid:
            c.report(
                Code.NO_AVOID,
                f"question '{node_id}' has no 'avoid' guidance (phrasings not to use, and why)",
                c.at(*base, key=True),
            )
        _check_unclear(c, node_id, node)
    elif isinstance(node, Checklist):
        _check_labels(c, base, "items", [i.label for i in node.items])
    elif isinstance(node, Route):
        for i, rule in enumerate(node.routes):
            _check_condition(c, (*base, "routes", i, "when"), rule.when, flags_set)


def _raises(c: Checker, tier: str | None) -> int:
    """How far an answer raises the tier: its rank on the scale (0: not at all)."""
    tiers = c.protocol.tiers
    return tiers.index(tier) if tier in tiers else 0


def _check_unclear(c: Checker, node_id: str, node: Question) -> None:
    """CG136: a tier-raising question offers an unclear answer; CG137: that answer raises
    the tier at least as far as the lowest tier any other answer raises."""
    base = ("nodes", node_id, "answers")
    unclear = [i for i, a in enumerate(node.answers) if a.unclear]
    others = [_raises(c, a.tier) for a in node.answers if not a.unclear]
    raising = [rank for rank in others if rank > 0]
    if raising and not unclear:
        c.report(
            Code.NO_UNCLEAR_ANSWER,
            f"question '{node_id}' has answers that raise the tier but none for a client who "
            "declines, doesn't know or is unclear: add one with 'unclear: true' (silence is "
            "never 'no')",
            c.at("nodes", node_id, key=True),
        )
    for i in unclear:
        answer = node.answers[i]
        if raising and _raises(c, answer.tier) < min(raising):
            lowest = c.protocol.tiers[min(raising)]
            given = (
                f"raises the tier only to '{answer.tier}'"
                if answer.tier
                else "does not raise the tier"
            )
            c.report(
                Code.UNCLEAR_UNDER_TRIAGE,
                f"unclear answer '{answer.label}' {given}, but another answer of '{node_id}' "
                f"raises it to '{lowest}': not answering must never end lower than answering",
                c.at(*base, i, "tier") if answer.tier else c.at(*base, i, "unclear"),
            )


def _targets(node: AnyNode) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, Question):
        for i, answer in enumerate(node.answers):
            yield ("answers", i, "next"), answer.next
    elif isinstance(node, Route):
        for i, rule in enumerate(node.routes):
            yield ("routes", i, "next"), rule.next
        yield ("default",), node.default
    elif not isinstance(node, Outcome):
        yield ("next",), node.next


def _tiers(node: AnyNode) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, Question):
        for i, answer in enumerate(node.answers):
            if answer.tier is not None:
                yield ("answers", i, "tier"), answer.tier
    elif isinstance(node, Checklist):
        for i, item in enumerate(node.items):
            if item.tier is not None:
                yield ("items", i, "tier"), item.tier
    elif isinstance(node, Outcome):
        yield ("tier",), node.tier


def _check_target(c: Checker, path: tuple[Any, ...], target: str) -> None:
    if target not in c.node_ids:
        c.report(
            Code.NOT_A_NODE,
            f"{path[-1]} '{target}' is not a node{did_you_mean(target, c.node_ids)}",
            c.at(*path),
        )


def _check_tier(c: Checker, path: tuple[Any, ...], tier: str) -> None:
    tiers = c.protocol.tiers
    if tier not in tiers:
        c.report(
            Code.UNKNOWN_TIER,
            f"tier '{tier}' is not in the scale{did_you_mean(tier, tiers)}; "
            f"tiers are: {', '.join(tiers)}",
            c.at(*path),
        )


def _check_labels(c: Checker, base: tuple[Any, ...], key: str, labels: list[str]) -> None:
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        folded = fold_label(label)
        if folded in seen:
            first = labels[seen[folded]]
            same = "is used twice" if first == label else f"looks the same as '{first}'"
            c.report(
                Code.DUPLICATE_ID,
                f"label '{label}' {same} in {key} (first at {key}[{seen[folded]}]); labels "
                "must be unique and must not look alike",
                c.at(*base, key, i, "label"),
            )
        else:
            seen[folded] = i


def fold_label(label: str) -> str:
    """What a label looks like, for telling labels apart: NFKC-normalised (full-width and
    compatibility forms), without zero-width joiners, spaces collapsed, case folded, and
    every character that looks like a Latin letter (a Cyrillic ie, a Greek omicron) replaced
    by it, from Unicode's confusables data."""
    text = unicodedata.normalize("NFKC", label).replace("\u200c", "").replace("\u200d", "")
    text = " ".join(text.split()).casefold()
    if text.isascii():
        return text
    from confusable_homoglyphs import confusables  # loaded only for non-ASCII labels

    found = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin"]) or []
    for item in found:
        latin = [h["c"] for h in item["homoglyphs"] if h["c"].isascii()]
        if latin:
            text = text.replace(item["character"], latin[0])
    return text.casefold()


def _flags_set(protocol: Protocol) -> set[str]:
    flags: set[str] = set()
    for node in protocol.nodes.values():
        if isinstance(node, Question):
            for answer in node.answers:
                flags.update(answer.flags)
        elif isinstance(node, Checklist):
            for item in node.items:
                flags.update(item.flags)
    return flags


def _check_condition(
    c: Checker, path: tuple[Any, ...], cond: Condition, flags_set: set[str]
) -> None:
    for form in ("tier_at_least", "tier_below"):
        tier = getattr(cond, form)
        if tier is not None:
            _check_tier(c, (*path, form), tier)
    for form in ("flags_any", "flags_all", "flags_none"):
        for i, flag in enumerate(getattr(cond, form) or []):
            if flag not in flags_set:
                c.report(
                    Code.BAD_VALUE,
                    f"flag '{flag}' is never set by any answer or item, so this condition "
                    f"can never see it{did_you_mean(flag, flags_set)}",
                    c.at(*path, form, i),
                )
    if cond.answered is not None:
        _check_answered(c, (*path, "answered"), cond.answered.node, cond.answered.label)
    for form, alias in (("all_of", "all"), ("any_of", "any")):
        for i, sub in enumerate(getattr(cond, form) or []):
            _check_condition(c, (*path, alias, i), sub, flags_set)
    if cond.not_ is not None:
        _check_condition(c, (*path, "not"), cond.not_, flags_set)


def _check_answered(c: Checker, path: tuple[Any, ...], node_id: str, label: str) -> None:
    nodes = c.protocol.nodes
    if node_id not in c.node_ids:
        c.report(
            Code.NOT_A_NODE,
            f"answered node '{node_id}' is not a node{did_you_mean(node_id, c.node_ids)}",
            c.at(*path, "node"),
        )
        return
    if node_id not in nodes:
        return  # the node failed to load; its own errors are reported
    labels = answer_labels(nodes[node_id])
    if labels is None:
        c.report(
            Code.BAD_VALUE,
            f"node '{node_id}' is a {nodes[node_id].kind} and records no answer to test",
            c.at(*path, "node"),
        )
    elif label not in labels:
        c.report(
            Code.BAD_VALUE,
            f"'{label}' is not an answer of '{node_id}'{did_you_mean(label, labels)}; "
            f"answers are: {', '.join(labels)}",
            c.at(*path, "label"),
        )
