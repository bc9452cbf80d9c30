"""Flow analyses of a protocol whose every node loaded: unreachable nodes (CG120), traps
and route loops (CG121) and possible under-triage (CG131)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping

from ..errors import Code
from ..model import AnyNode, Checklist, Condition, Outcome, Protocol, Question, Route, successors
from ..text import shown
from .checker import Checker


def check_flow(c: Checker) -> None:
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


def _check_traps(c: Checker) -> None:
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


def _check_route_loops(c: Checker) -> None:
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
            yield answer.next, raised(answer.tier), shown(answer.label)
    elif isinstance(node, Checklist):
        yield node.next, rank, "nothing ticked"
        for item in node.items:
            if item.tier is not None:
                yield node.next, raised(item.tier), f"ticked {shown(item.label)}"
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


def _check_under_triage(c: Checker) -> None:
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
