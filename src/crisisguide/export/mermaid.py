"""A Mermaid flowchart of a protocol. Pure and deterministic.

Node ids become ``n0``, ``n1``... (protocol ids may contain ``--``, which Mermaid reads as
an edge), and every label is quoted with Mermaid's entity codes for the characters that
could end or escape it, so any protocol text gives valid syntax. Urgent outcomes (the top
two tiers) say URGENT in their label and get a heavier style: never colour alone.
"""

from __future__ import annotations

from ..describe import describe_condition
from ..model import Action, AnyNode, Checklist, Info, Outcome, Protocol, Question, Route
from ..text import strip_controls

# Mermaid's numeric entity codes for every character that could close, escape or
# reinterpret a quoted label.
_ENTITIES = {ch: f"#{ord(ch)};" for ch in '#"<>|&`[]{}();'}
_SHAPES = {
    "question": ('{"', '"}'),
    "checklist": ('[["', '"]]'),
    "action": ('["', '"]'),
    "info": ('[/"', '"/]'),
    "route": ('{{"', '"}}'),
    "outcome": ('(["', '"])'),
}
MAX_LABEL = 60


def label(value: object, limit: int = MAX_LABEL) -> str:
    """Text safe inside a quoted Mermaid label: one line, entities for specials."""
    text = " ".join(strip_controls(str(value)).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def flowchart(protocol: Protocol) -> str:
    """``flowchart TD`` source for the whole flow, in file order."""
    ids = {node_id: f"n{i}" for i, node_id in enumerate(protocol.nodes)}
    lines = ["flowchart TD"]
    urgent: list[str] = []
    for node_id, node in protocol.nodes.items():
        opening, closing = _SHAPES[node.kind]
        lines.append(f"    {ids[node_id]}{opening}{_node_label(protocol, node_id, node)}{closing}")
        if isinstance(node, Outcome) and protocol.is_urgent(node.tier):
            urgent.append(ids[node_id])
    for node_id, node in protocol.nodes.items():
        for text, target in edges(protocol, node):
            arrow = f' -->|"{label(text, 40)}"| ' if text else " --> "
            lines.append(f"    {ids[node_id]}{arrow}{ids[target]}")
    lines.append(f"    class {ids[protocol.start]} start")
    if urgent:
        lines.append(f"    class {','.join(urgent)} urgent")
    lines.append("    classDef start stroke-width:3px")
    lines.append("    classDef urgent stroke:#b00020,stroke-width:4px,font-weight:bold")
    return "\n".join(lines) + "\n"


def _node_label(protocol: Protocol, node_id: str, node: AnyNode) -> str:
    title = node.title or node_id
    if isinstance(node, Outcome):
        mark = "URGENT: " if protocol.is_urgent(node.tier) else ""
        return f"{mark}{label(title)}, tier {label(node.tier)}"
    return f"{label(node.kind)}: {label(title)}"


def edges(protocol: Protocol, node: AnyNode) -> list[tuple[str, str]]:
    if isinstance(node, Question):
        return [(a.label, a.next) for a in node.choices()]
    if isinstance(node, Route):
        rules = [(describe_condition(r.when, protocol), r.next) for r in node.routes]
        return [*rules, ("otherwise", node.default)]
    if isinstance(node, (Checklist, Action, Info)):
        return [("", node.next)]
    return []
