"""Rich renderables built from the model. Returns them; prints nothing.

Protocol text is data: it only ever enters Rich as :class:`rich.text.Text` (never parsed
as markup) and with control characters removed. ``plain`` output (for screen readers)
uses no boxes, guides or colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from ..describe import NOTICE, describe_condition, node_heading
from ..model import Action, Checklist, Info, Outcome, Protocol, Question, Route
from ..text import shown
from .richtext import text

__all__ = ["text"]


@dataclass
class OutlineLine:
    """One line of an outline, with the lines nested under it."""

    label: str
    style: str = ""
    children: list[OutlineLine] = field(default_factory=list)


def flow_outline(protocol: Protocol) -> list[OutlineLine]:
    """The flow from ``start`` as an outline: branches nest, straight runs stay level.

    Each node is written out once; a later path to it says "see above". Iterative, so
    protocols of any depth render without hitting the recursion limit.
    """
    root: list[OutlineLine] = []
    seen: set[str] = set()
    stack: list[tuple[list[OutlineLine], str]] = [(root, protocol.start)]
    while stack:
        container, node_id = stack.pop()
        while True:
            if node_id in seen:
                container.append(OutlineLine(f"-> {node_id} (see above)", "dim"))
                break
            seen.add(node_id)
            node = protocol.nodes[node_id]
            entry = OutlineLine(node_heading(node_id, node), "bold")
            container.append(entry)
            if isinstance(node, (Question, Route)):
                pending = []
                for label, target in _branches(node):
                    branch = OutlineLine(label)
                    entry.children.append(branch)
                    pending.append((branch.children, target))
                stack.extend(reversed(pending))
                break
            entry.children.extend(_details(node))
            if isinstance(node, Outcome):
                break
            node_id = node.next
    unreachable = [n for n in protocol.nodes if n not in seen]
    if unreachable:
        root.append(OutlineLine("not reachable from start: " + ", ".join(unreachable), "dim"))
    return root


def _branches(node: Question | Route) -> list[tuple[str, str]]:
    if isinstance(node, Question):
        result = []
        for answer in node.choices():
            extras = ["declines, doesn't know or unclear"] if answer.unclear else []
            if answer.tier:
                extras.append(f"tier at least {answer.tier}")
            if answer.flags:
                extras.append("flags " + ", ".join(answer.flags))
            suffix = f" ({'; '.join(extras)})" if extras else ""
            result.append((f"answer {shown(answer.label, 200)}{suffix}", answer.next))
        return result
    rules = [(f"if {describe_condition(r.when)}", r.next) for r in node.routes]
    return [*rules, ("otherwise", node.default)]


def _details(node: Checklist | Action | Info | Outcome) -> list[OutlineLine]:
    if isinstance(node, Checklist):
        entries = []
        for item in node.items:
            extras = [f"tier at least {item.tier}"] if item.tier else []
            if item.flags:
                extras.append("flags " + ", ".join(item.flags))
            suffix = f" ({'; '.join(extras)})" if extras else ""
            entries.append(OutlineLine(f"[ ] {item.label}{suffix}"))
        return entries
    if isinstance(node, Action):
        return [OutlineLine(f"do: {node.do}")]
    if isinstance(node, Info):
        return []
    entries = [OutlineLine(f"tier: {node.tier}")]
    if node.referrals:
        entries.append(OutlineLine("referrals: " + ", ".join(node.referrals)))
    if node.follow_up:
        entries.append(OutlineLine("follow up: " + ", ".join(node.follow_up)))
    return entries


def protocol_header(protocol: Protocol, plain: bool) -> RenderableType:
    title = text(protocol.title, "" if plain else "bold")
    title.append(f"  ({protocol.id} {protocol.version})")
    return Group(title, text(NOTICE, "" if plain else "italic"))


def render_flow(protocol: Protocol, plain: bool = False) -> RenderableType:
    """``crisisguide show``: a header, then the flow as a tree (or indented text)."""
    outline = flow_outline(protocol)
    if plain:
        lines: list[Text] = []
        _indent(outline, 0, lines)
        return Group(protocol_header(protocol, plain), Text(""), *lines)
    tree = Tree(text(protocol.title, "bold"), guide_style="dim")
    _grow(tree, outline)
    return Group(protocol_header(protocol, plain), Text(""), tree)


def _indent(entries: list[OutlineLine], depth: int, out: list[Text]) -> None:
    stack = [(entries, depth, 0)]
    while stack:
        items, level, index = stack.pop()
        if index >= len(items):
            continue
        entry = items[index]
        out.append(Text("  " * level).append_text(text(entry.label)))
        stack.append((items, level, index + 1))
        if entry.children:
            stack.append((entry.children, level + 1, 0))


def _grow(tree: Tree, entries: list[OutlineLine]) -> None:
    stack = [(tree, entries)]
    while stack:
        parent, items = stack.pop()
        for entry in items:
            child = parent.add(text(entry.label, entry.style))
            if entry.children:
                stack.append((child, entry.children))


def protocol_table(rows: list[dict[str, object]], plain: bool = False) -> RenderableType:
    """``crisisguide list``: a table, or one sentence per protocol in plain mode."""
    if plain:
        lines = [
            text(
                f"{row['id']}: {row['title']}, version {row['version']}, "
                f"{row['nodes']} nodes, {row['origin']}"
            )
            for row in rows
        ]
        return Group(*lines) if lines else text("No protocols found.")
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for column in ("id", "title", "version", "nodes", "file"):
        table.add_column(column, justify="right" if column == "nodes" else "left")
    for row in rows:
        table.add_row(*(text(row[c]) for c in ("id", "title", "version", "nodes", "file")))
    return table
