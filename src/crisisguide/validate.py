"""Every check of SPEC section 2 on a loaded protocol -> a list of problems.

Pure: never raises for bad input, never prints. Structural problems (CG100-CG105) come
from loading; this module adds the cross-reference checks (targets, tiers, referrals,
labels), the flow analysis (unreachable nodes, traps, possible under-triage) and the
wording checks (safe language, sources, missing ``avoid`` guidance).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Code, Location, Problem, did_you_mean, problem
from .loader import LoadedProtocol
from .model import (
    REFERRAL_KINDS,
    URGENT_REFERRAL_KINDS,
    AnyNode,
    Checklist,
    Condition,
    Outcome,
    Protocol,
    Question,
    Route,
    answer_labels,
    successors,
)
from .yamldoc import Document


@dataclass
class Context:
    """What a protocol is checked against beyond its own file.

    ``library_ids``: ids of every protocol in the library (for ``follow_up``, CG140);
    ``None`` skips that check. ``directory``: referral entry id -> kind (CG112, CG130);
    ``None`` means no directory is known, so only referral kinds can be checked.
    """

    library_ids: set[str] | None = None
    directory: Mapping[str, str] | None = None
    deferred: bool = False
    """Skip the checks against the library and directory (CG112, CG130, CG140): the
    caller runs :func:`check_references` on the file's :class:`Summary` later, once it
    knows every protocol and directory entry (``validate`` of many files does this)."""


@dataclass
class _Checker:
    loaded: LoadedProtocol
    protocol: Protocol
    context: Context
    problems: list[Problem] = field(default_factory=list)

    @property
    def doc(self) -> Document:
        return self.loaded.doc

    node_ids: dict[str, None] = field(init=False)
    """Every node id in the file, even of nodes that failed to load (no false CG110)."""

    def __post_init__(self) -> None:
        self.node_ids = dict.fromkeys(self.loaded.node_ids or self.protocol.nodes)

    def at(self, *path: Any, key: bool = False) -> Location:
        return self.doc.locate(path, key=key)

    def report(self, code: Code, message: str, location: Location) -> None:
        self.problems.append(problem(code, message, location))


def validate_protocol(loaded: LoadedProtocol, context: Context | None = None) -> list[Problem]:
    """All problems of one protocol file, structural and semantic, in file order."""
    context = context or Context()
    problems = list(loaded.problems)
    protocol = loaded.partial
    if protocol is not None:
        checker = _Checker(loaded, protocol, context)
        _check(checker)
        problems.extend(checker.problems)
        if not context.deferred:
            problems.extend(check_references(summarize(loaded), context))
    return sorted(problems, key=Problem.sort_key)


def _check(c: _Checker) -> None:
    _check_header(c)
    node_ids = c.protocol.nodes
    flags_set = _flags_set(c.protocol)
    for node_id, node in node_ids.items():
        _check_node(c, node_id, node, flags_set)
    targets_ok = not any(p.code == Code.NOT_A_NODE.id for p in c.problems)
    if c.loaded.complete and targets_ok and c.protocol.start in node_ids:
        _check_flow(c)
    _check_wording(c)


# --- header ----------------------------------------------------------------------------


def _check_header(c: _Checker) -> None:
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
    if not p.sources and c.loaded.complete:
        c.report(
            Code.NO_SOURCES,
            "no sources: cite the published framework this protocol follows",
            c.at("id", key=True),
        )


# --- nodes -----------------------------------------------------------------------------


def _check_node(c: _Checker, node_id: str, node: AnyNode, flags_set: set[str]) -> None:
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
    elif isinstance(node, Checklist):
        _check_labels(c, base, "items", [i.label for i in node.items])
    elif isinstance(node, Route):
        for i, rule in enumerate(node.routes):
            _check_condition(c, (*base, "routes", i, "when"), rule.when, flags_set)


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


def _check_target(c: _Checker, path: tuple[Any, ...], target: str) -> None:
    if target not in c.node_ids:
        c.report(
            Code.NOT_A_NODE,
            f"{path[-1]} '{target}' is not a node{did_you_mean(target, c.node_ids)}",
            c.at(*path),
        )


def _check_tier(c: _Checker, path: tuple[Any, ...], tier: str) -> None:
    tiers = c.protocol.tiers
    if tier not in tiers:
        c.report(
            Code.UNKNOWN_TIER,
            f"tier '{tier}' is not in the scale{did_you_mean(tier, tiers)}; "
            f"tiers are: {', '.join(tiers)}",
            c.at(*path),
        )


def _check_labels(c: _Checker, base: tuple[Any, ...], key: str, labels: list[str]) -> None:
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        folded = label.strip().casefold()
        if folded in seen:
            c.report(
                Code.DUPLICATE_ID,
                f"label '{label}' is used twice in {key} (first at {key}[{seen[folded]}]); "
                "labels must be unique",
                c.at(*base, key, i, "label"),
            )
        else:
            seen[folded] = i


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
    c: _Checker, path: tuple[Any, ...], cond: Condition, flags_set: set[str]
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


def _check_answered(c: _Checker, path: tuple[Any, ...], node_id: str, label: str) -> None:
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


# --- flow analysis ---------------------------------------------------------------------


def _check_flow(c: _Checker) -> None:
    p = c.protocol
    reachable = _closure([p.start], p)
    for node_id in p.nodes:
        if node_id not in reachable:
            c.report(
                Code.UNREACHABLE,
                f"node '{node_id}' cannot be reached from start '{p.start}'",
                c.at("nodes", node_id, key=True),
            )
    _check_traps(c)
    _check_route_loops(c)
    _check_under_triage(c)


def _closure(roots: Iterable[str], p: Protocol) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        todo.extend(successors(p.nodes[node_id]))
    return seen


def _check_traps(c: _Checker) -> None:
    p = c.protocol
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in p.nodes}
    for node_id, node in p.nodes.items():
        for target in successors(node):
            predecessors[target].append(node_id)
    exits = {node_id for node_id, node in p.nodes.items() if isinstance(node, Outcome)}
    todo = list(exits)
    while todo:
        for pred in predecessors[todo.pop()]:
            if pred not in exits:
                exits.add(pred)
                todo.append(pred)
    order = list(p.nodes)
    for node_id in order:
        if node_id in exits:
            continue
        trapped = sorted(_closure([node_id], p), key=order.index)
        shown = ", ".join(trapped[:6]) + (", ..." if len(trapped) > 6 else "")
        kind = "a cycle" if node_id in _closure(successors(p.nodes[node_id]), p) else "a dead end"
        c.report(
            Code.NO_WAY_OUT,
            f"no outcome can be reached from node '{node_id}' ({kind}: every path from it "
            f"stays among {shown})",
            c.at("nodes", node_id, key=True),
        )


def _check_route_loops(c: _Checker) -> None:
    """CG121 for routes that lead back to themselves with nothing asked in between.

    Routes change nothing, so a walk that enters such a loop with a condition holding
    can never leave it (found by fuzzing: a route whose first rule points at itself).
    """
    p = c.protocol
    routes = {n: node for n, node in p.nodes.items() if isinstance(node, Route)}
    reported: set[str] = set()
    for node_id in routes:
        cycle = _route_cycle(node_id, routes)
        if cycle and not set(cycle) & reported:
            reported.update(cycle)
            c.report(
                Code.NO_WAY_OUT,
                f"routes loop back with nothing asked in between ({' -> '.join([*cycle, cycle[0]])}): "
                "a walk that enters this loop never ends",
                c.at("nodes", cycle[0], key=True),
            )


def _route_cycle(start: str, routes: Mapping[str, Route]) -> list[str]:
    """A cycle of route nodes through ``start``, in order, or [] if there is none."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node_id, path = stack.pop()
        for target in successors(routes[node_id]):
            if target == start:
                return path
            if target in routes and target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return []


def eval_tier_condition(cond: Condition, rank: int, tiers: list[str]) -> bool | None:
    """A condition's value when only the tier is known (None: depends on flags/answers)."""
    if cond.tier_at_least is not None:
        return rank >= tiers.index(cond.tier_at_least) if cond.tier_at_least in tiers else None
    if cond.tier_below is not None:
        return rank < tiers.index(cond.tier_below) if cond.tier_below in tiers else None
    if cond.all_of is not None:
        values = [eval_tier_condition(sub, rank, tiers) for sub in cond.all_of]
        return False if False in values else (True if all(values) else None)
    if cond.any_of is not None:
        values = [eval_tier_condition(sub, rank, tiers) for sub in cond.any_of]
        return True if True in values else (False if all(v is False for v in values) else None)
    if cond.not_ is not None:
        value = eval_tier_condition(cond.not_, rank, tiers)
        return None if value is None else not value
    return None


State = tuple[str, int]


def _tier_steps(node: AnyNode, rank: int, tiers: list[str]) -> Iterator[tuple[str, int, str]]:
    """Possible (next node, tier rank, how) from ``node`` entered at ``rank``."""

    def raised(tier: str | None) -> int:
        return max(rank, tiers.index(tier)) if tier in tiers else rank

    if isinstance(node, Question):
        for answer in node.answers:
            yield answer.next, raised(answer.tier), f"{answer.label!r}"
    elif isinstance(node, Checklist):
        yield node.next, rank, "nothing ticked"
        for item in node.items:
            if item.tier is not None:
                yield node.next, raised(item.tier), f"ticked {item.label!r}"
    elif isinstance(node, Route):
        for rule in node.routes:
            value = eval_tier_condition(rule.when, rank, tiers)
            if value is not False:
                yield rule.next, rank, "route"
            if value is True:
                return
        yield node.default, rank, "default"
    elif not isinstance(node, Outcome):
        yield node.next, rank, ""


def _check_under_triage(c: _Checker) -> None:
    p = c.protocol
    tiers = p.tiers
    start: State = (p.start, 0)
    parents: dict[State, tuple[State, str] | None] = {start: None}
    queue = deque([start])
    worst: dict[str, State] = {}
    while queue:
        state = queue.popleft()
        node = p.nodes[state[0]]
        if isinstance(node, Outcome):
            best = worst.get(state[0])
            if best is None or state[1] > best[1]:
                worst[state[0]] = state
            continue
        for target, rank, how in _tier_steps(node, state[1], tiers):
            nxt = (target, rank)
            if nxt not in parents:
                parents[nxt] = (state, how)
                queue.append(nxt)
    for node_id, state in worst.items():
        outcome = p.nodes[node_id]
        assert isinstance(outcome, Outcome)
        if outcome.tier in tiers and state[1] > tiers.index(outcome.tier):
            c.report(
                Code.UNDER_TRIAGE,
                f"possible under-triage: outcome '{node_id}' (tier {outcome.tier}) can be "
                f"reached with the session at tier {tiers[state[1]]}, e.g. "
                f"{_describe_path(state, parents)}",
                c.at("nodes", node_id, "tier"),
            )


def _describe_path(state: State, parents: dict[State, tuple[State, str] | None]) -> str:
    steps: list[str] = []
    link = parents[state]
    while link is not None:
        prev, how = link
        steps.append(f"{prev[0]} = {how}" if how and how not in ("route", "default") else prev[0])
        link = parents[prev]
    return " -> ".join(reversed(steps)) + f" -> {state[0]}"


# --- wording ---------------------------------------------------------------------------

_STIGMA = re.compile(
    r"\b(?:commit(?:s|ted|ting)?\s+suicide"
    r"|(?:un)?successful(?:ly)?\s+(?:suicide|attempt)"
    r"|failed\s+(?:suicide\s+)?attempt|failed\s+suicide"
    r"|completed\s+suicide)\b",
    re.IGNORECASE,
)


_STIGMA_WORDS = ("commit", "successful", "failed", "completed")


def _may_stigmatise(text: str) -> bool:
    """A fast test (plain substring search) before the slower regular expression."""
    lowered = text.lower()
    return any(word in lowered for word in _STIGMA_WORDS) and bool(_STIGMA.search(text))


def _suggestion(phrase: str) -> str:
    lowered = phrase.lower()
    if lowered.startswith(("fail", "unsuccess")):
        return "say 'suicide attempt' or 'survived a suicide attempt'"
    if "attempt" in lowered:
        return "say 'suicide attempt'"
    return "say 'died by suicide' or 'took their own life'"


def _check_wording(c: _Checker) -> None:
    doc = c.doc
    if not isinstance(doc.data, dict) or not _may_stigmatise(doc.text):
        return
    for path, text in _texts(doc.data, ()):
        for match in _STIGMA.finditer(text):
            phrase = match.group(0)
            c.report(
                Code.STIGMATISING,
                f"stigmatising wording '{phrase}': {_suggestion(phrase)} "
                "(such phrasings belong only in an 'avoid' entry)",
                _text_location(doc, path, match.start()),
            )


def _texts(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        if _STIGMA.search(value):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "avoid" and len(path) == 2 and path[0] == "nodes":
                continue
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))


def _text_location(doc: Document, path: tuple[Any, ...], offset: int) -> Location:
    """Where a phrase inside a scalar is: exact for one-line scalars without escapes."""
    loc = doc.locate(path)
    node = doc.node_at(path)
    if node is None or node.start_mark.line != node.end_mark.line:
        return loc
    style = getattr(node, "style", None) or None
    if style not in (None, "'", '"'):
        return loc
    source = doc.text[node.start_mark.index : node.end_mark.index]
    if "\\" in source or "''" in source:
        return loc
    return Location(loc.file, loc.line, loc.column + (1 if style else 0) + offset)


# --- a whole library -------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRefs:
    """What an outcome's referral checks need: the kinds it names, the other referrals
    (directory ids, or typos) with their locations, and, for an urgent outcome that
    names no urgent kind itself, where its tier is (for CG130)."""

    node_id: str
    tier: str
    kinds: frozenset[str]
    others: tuple[tuple[str, Location], ...]
    urgent_at: Location | None


@dataclass(frozen=True)
class Summary:
    """What the library-wide checks need from one protocol file, without its parse trees.

    Checking thousands of files keeps one summary per file instead of every node tree.
    """

    path: str
    id: str
    id_location: Location
    follow_ups: tuple[tuple[str, Location], ...] = ()
    outcomes: tuple[OutcomeRefs, ...] = ()


def summarize(loaded: LoadedProtocol) -> Summary:
    protocol = loaded.partial
    if protocol is None:
        return Summary(loaded.path, "", loaded.doc.locate(()))
    locate = loaded.doc.locate
    follow_ups: list[tuple[str, Location]] = []
    outcomes: list[OutcomeRefs] = []
    for node_id, node in protocol.nodes.items():
        if not isinstance(node, Outcome):
            continue
        base = ("nodes", node_id)
        follow_ups.extend(
            (follow, locate((*base, "follow_up", i))) for i, follow in enumerate(node.follow_up)
        )
        urgent = protocol.is_urgent(node.tier)
        kinds = frozenset(ref for ref in node.referrals if ref in REFERRAL_KINDS)
        others = tuple(
            (ref, locate((*base, "referrals", i)))
            for i, ref in enumerate(node.referrals)
            if ref not in REFERRAL_KINDS
        )
        needs_check = urgent and not kinds & URGENT_REFERRAL_KINDS
        urgent_at = locate((*base, "tier")) if needs_check else None
        if others or urgent_at is not None:
            outcomes.append(OutcomeRefs(node_id, node.tier, kinds, others, urgent_at))
    return Summary(loaded.path, protocol.id, locate(("id",)), tuple(follow_ups), tuple(outcomes))


def check_references(summary: Summary, context: Context) -> list[Problem]:
    """The checks against the library and directory: CG112, CG130 and CG140."""
    problems: list[Problem] = []
    if context.library_ids is not None:
        problems.extend(check_follow_ups(summary, context.library_ids))
    for outcome in summary.outcomes:
        problems.extend(_check_referrals(outcome, context.directory))
    return problems


def _check_referrals(outcome: OutcomeRefs, directory: Mapping[str, str] | None) -> list[Problem]:
    problems: list[Problem] = []
    kinds_reached = set(outcome.kinds)
    for ref, location in outcome.others:
        if directory is not None and ref in directory:
            kinds_reached.add(directory[ref])
        elif directory is not None:
            names = [*REFERRAL_KINDS, *directory]
            problems.append(
                problem(
                    Code.UNKNOWN_REFERRAL,
                    f"referral '{ref}' is neither a referral kind nor a directory entry"
                    f"{did_you_mean(ref, names)}",
                    location,
                )
            )
        elif did_you_mean(ref, REFERRAL_KINDS):
            problems.append(
                problem(
                    Code.UNKNOWN_REFERRAL,
                    f"referral kind '{ref}' is unknown{did_you_mean(ref, REFERRAL_KINDS)}",
                    location,
                )
            )
    if outcome.urgent_at is not None and not (kinds_reached & URGENT_REFERRAL_KINDS):
        problems.append(
            problem(
                Code.URGENT_WITHOUT_HELP,
                f"outcome '{outcome.node_id}' is in the top two tiers ('{outcome.tier}') but has "
                "no 'emergency' or 'crisis-line' referral",
                outcome.urgent_at,
            )
        )
    return problems


def check_follow_ups(summary: Summary, library_ids: set[str]) -> list[Problem]:
    """CG140 for every ``follow_up`` that names no protocol of the library."""
    return [
        problem(
            Code.UNKNOWN_FOLLOW_UP,
            f"follow_up '{follow}' is not a protocol in the library"
            f"{did_you_mean(follow, library_ids)}",
            location,
        )
        for follow, location in summary.follow_ups
        if follow not in library_ids
    ]


def check_duplicate_ids(summaries: Iterable[Summary]) -> list[Problem]:
    """CG113 for every protocol whose id is already used by an earlier file."""
    first: dict[str, Summary] = {}
    problems = []
    for summary in summaries:
        if not summary.id:
            continue
        if summary.id in first:
            problems.append(
                problem(
                    Code.DUPLICATE_ID,
                    f"protocol id '{summary.id}' is already used by "
                    f"{first[summary.id].id_location}",
                    summary.id_location,
                )
            )
        else:
            first[summary.id] = summary
    return problems
