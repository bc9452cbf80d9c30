"""The flow of a protocol as an inline SVG picture, for the HTML export. Pure and deterministic.

The positions come from grandalf's Sugiyama (layered) layout: nodes are ranked in layers
from the start, long edges pass through dummy points, crossings are reduced by median
ordering and x coordinates are placed by Brandes-Kopf. grandalf is pure Python and is
imported here only, so only ``export --format html`` pays for it (docs/printing.md).

Every label is escaped as XML text; urgent outcomes say URGENT in words and have a double
border, so colour never carries the meaning alone. A flow too large to read on a printed
page (see :data:`MAX_NODES`, :data:`MAX_LAYER_WIDTH`) is not drawn: :func:`flow_picture`
says why instead, and the page keeps the checklist.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import Any

from ..describe import title_of
from ..model import Outcome, Protocol
from ..text import strip_controls
from .mermaid import edges

MAX_NODES = 80
"""More nodes than this are not drawn: a printed page could not show them legibly."""
MAX_LAYER_WIDTH = 10
"""Nor a layout with a layer wider than this many boxes (each would be too small to read)."""
MAX_WIDTH, MAX_HEIGHT = 1700, 2000
"""Nor a picture larger than this (in its own units, where text is 12 wide): printed in
the page's 180 x 215 mm it would shrink below 40 % and its text below about 4 pt."""

NODE_WIDTH = 164
LINE_HEIGHT = 16
PADDING = 7
WRAP = 22  # characters per line of a title in a box
TITLE_LINES = 3
EDGE_LABEL = 24  # characters of an answer or rule shown on its arrow
MARGIN = 12

_KIND_WORDS = {
    "question": "Question",
    "checklist": "Checklist",
    "action": "Action",
    "info": "Information",
    "route": "Decision",
    "outcome": "Outcome",
}


@dataclass
class Box:
    """A node as drawn: its text lines (the first is the kind), where, and how marked."""

    node_id: str
    lines: list[str]
    kind: str
    urgent: bool = False
    start: bool = False
    x: float = 0.0
    y: float = 0.0

    @property
    def w(self) -> float:
        return float(NODE_WIDTH)

    @property
    def h(self) -> float:
        return float(len(self.lines) * LINE_HEIGHT + 2 * PADDING)


@dataclass
class Arrow:
    points: list[tuple[float, float]]
    label: str
    loop: bool = False
    near_target: bool = False
    """Where the label goes: beside the target when the source fans out and the target has
    no other arrow in (the labels then spread out with the targets, and none share a spot)."""


@dataclass
class Picture:
    """The SVG (``None`` when the flow is too large to draw) and a sentence saying why not."""

    svg: str | None
    note: str = ""


def clean(value: object) -> str:
    return " ".join(strip_controls(str(value)).split())


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def box_lines(protocol: Protocol, node_id: str) -> tuple[list[str], bool]:
    """The kind (URGENT for an urgent outcome), the title wrapped to at most three lines,
    and the tier of an outcome."""
    node = protocol.nodes[node_id]
    urgent = isinstance(node, Outcome) and protocol.is_urgent(node.tier)
    kind = ("URGENT " if urgent else "") + _KIND_WORDS.get(node.kind, node.kind).upper()
    title = textwrap.wrap(clean(title_of(protocol, node_id)), WRAP, break_long_words=True) or [""]
    if len(title) > TITLE_LINES:
        title = [*title[: TITLE_LINES - 1], shorten(" ".join(title[TITLE_LINES - 1 :]), WRAP)]
    lines = [kind, *title]
    if isinstance(node, Outcome):
        lines.append(shorten(f"tier: {clean(node.tier)}", WRAP))
    return lines, urgent


def flow_picture(protocol: Protocol) -> Picture:
    """The protocol's flow laid out in layers and drawn as SVG, or why it is not drawn."""
    if len(protocol.nodes) > MAX_NODES:
        return Picture(None, _too_large(f"it has {len(protocol.nodes)} steps"))
    boxes: dict[str, Box] = {}
    for node_id in protocol.nodes:
        lines, urgent = box_lines(protocol, node_id)
        node = protocol.nodes[node_id]
        boxes[node_id] = Box(node_id, lines, node.kind, urgent, node_id == protocol.start)
    links: dict[tuple[str, str], list[str]] = {}
    for node_id, node in protocol.nodes.items():
        for text, target in edges(protocol, node):
            if target in boxes:
                labels = links.setdefault((node_id, target), [])
                short = clean(text).replace("the risk tier is ", "tier ")  # room for the tier
                if short and short not in labels:
                    labels.append(short)
    placed = _layout(boxes, links, protocol.start)
    if placed is None:
        return Picture(None, _too_large(f"a row would hold more than {MAX_LAYER_WIDTH} steps"))
    arrows, width, height = placed
    if width > MAX_WIDTH or height > MAX_HEIGHT:
        return Picture(None, _too_large("its layers would print at less than 40% of their size"))
    return Picture(_svg(protocol, list(boxes.values()), arrows, width, height))


def _too_large(why: str) -> str:
    return (
        f"The flow is not drawn: {why}, too small to read on a printed page. "
        "The steps below follow the same flow."
    )


def _layout(
    boxes: dict[str, Box], links: dict[tuple[str, str], list[str]], start: str
) -> tuple[list[Arrow], float, float] | None:
    """Place the boxes with grandalf (each connected part side by side, the start's first);
    returns the arrows and the picture's size, or ``None`` when a layer is too wide."""
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import DummyVertex, SugiyamaLayout

    vertices = {node_id: Vertex(node_id) for node_id in boxes}
    for node_id, vertex in vertices.items():
        vertex.view = _View(boxes[node_id].w, boxes[node_id].h)
    drawn: list[tuple[Any, str]] = []
    loops: list[tuple[str, str]] = []  # a step that leads back to itself: drawn beside it
    for (source, target), labels in links.items():
        label = shorten(" / ".join(labels), EDGE_LABEL)
        if source == target:
            loops.append((source, label))
            continue
        edge = Edge(vertices[source], vertices[target])
        edge.view = _Path()
        drawn.append((edge, label))
    graph = Graph(list(vertices.values()), [edge for edge, _ in drawn])
    offset = 0.0
    height = 0.0
    parts = sorted(graph.C, key=lambda part: 0 if vertices[start] in part.sV else 1)
    for part in parts:
        layout = SugiyamaLayout(part)
        layout.xspace, layout.yspace = 24, 34
        roots = [vertices[start]] if vertices[start] in part.sV else None
        layout.init_all(roots=roots)
        if (
            max(sum(not isinstance(v, DummyVertex) for v in layer) for layer in layout.layers)
            > MAX_LAYER_WIDTH
        ):
            return None
        layout.draw()
        xs = [v.view.xy[0] - v.view.w / 2 for v in part.sV]
        shift = offset - min(xs)
        for vertex in part.sV:
            box = boxes[vertex.data]
            box.x, box.y = vertex.view.xy[0] + shift, vertex.view.xy[1]
        for edge in part.sE:
            edge.view.points = [(x + shift, y) for x, y in edge.view.points]
        offset = max(b.x + b.w / 2 for b in boxes.values() if vertices[b.node_id] in part.sV)
        offset += 40
        height = max(height, *(boxes[v.data].y + boxes[v.data].h / 2 for v in part.sV))
    fan_out = Counter(source for source, _ in links)
    fan_in = Counter(target for _, target in links)
    arrows = []
    for edge, label in drawn:
        source, target = edge.v[0].data, edge.v[1].data
        points = _clip(edge.view.points, boxes[source], boxes[target])
        near = fan_out[source] > fan_in[target] == 1
        arrows.append(Arrow(points, label, near_target=near))
    arrows += [Arrow([(boxes[s].x + boxes[s].w / 2, boxes[s].y)], label, loop=True)
               for s, label in loops]  # fmt: skip
    return arrows, offset - 40 + 2 * MARGIN, height + 2 * MARGIN


class _View:
    """What grandalf reads (w, h) and writes (xy) for a vertex."""

    def __init__(self, w: float, h: float) -> None:
        self.w, self.h = w, h
        self.xy: tuple[float, float] = (0.0, 0.0)


class _Path:
    """What grandalf writes for an edge: the centres it passes through."""

    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def setpath(self, points: list[tuple[float, float]]) -> None:
        self.points = [(float(x), float(y)) for x, y in points]


def _clip(points: list[tuple[float, float]], source: Box, target: Box) -> list[tuple[float, float]]:
    """The edge from the source box's edge to the target box's edge (not centre to centre):
    it leaves from the bottom (or top, for an edge going back up) and arrives likewise."""
    if len(points) < 2:
        return points
    (x0, y0), y1 = points[0], points[1][1]
    first = (x0, y0 + source.h / 2 if y1 >= y0 else y0 - source.h / 2)
    ya, (xb, yb) = points[-2][1], points[-1]
    last = (xb, yb - target.h / 2 if yb >= ya else yb + target.h / 2)
    return [first, *points[1:-1], last]


def _svg(
    protocol: Protocol, boxes: list[Box], arrows: list[Arrow], width: float, height: float
) -> str:
    title = escape(f"Flow of {clean(protocol.title)}")
    urgent = sum(box.urgent for box in boxes)
    desc = escape(
        f"{len(boxes)} steps from {clean(title_of(protocol, protocol.start))}, drawn top to "
        f"bottom; {urgent} urgent outcome{'s' if urgent != 1 else ''}, marked URGENT with a "
        "double border. Each step is listed in full below."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" role="img" '
        f'aria-labelledby="flow-title flow-desc" aria-label="{title}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" preserveAspectRatio="xMidYMin meet">',
        f'<title id="flow-title">{title}</title>',
        f'<desc id="flow-desc">{desc}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
        f'<g transform="translate({MARGIN} {MARGIN})">',
    ]
    out += [_arrow(arrow) for arrow in arrows]
    out += [_box(box) for box in boxes]
    out += [_label(arrow) for arrow in arrows if arrow.label]
    out += ["</g>", "</svg>"]
    return "\n".join(out) + "\n"


def _arrow(arrow: Arrow) -> str:
    if arrow.loop:
        (x, y) = arrow.points[0]
        return (f'<path class="edge" d="M{x:.1f},{y - 8:.1f} C{x + 30:.1f},{y - 20:.1f} '
                f'{x + 30:.1f},{y + 20:.1f} {x:.1f},{y + 8:.1f}" marker-end="url(#arrow)"/>')  # fmt: skip
    d = " L".join(f"{x:.1f},{y:.1f}" for x, y in arrow.points)
    return f'<path class="edge" d="M{d}" marker-end="url(#arrow)"/>'


def _label(arrow: Arrow) -> str:
    """An answer on its arrow, on a white halo so that it reads over lines: near the step
    it answers, or near where it leads when that step fans out (see :class:`Arrow`)."""
    if arrow.loop:
        x, y = arrow.points[0][0] + 34, arrow.points[0][1]
    elif arrow.near_target:
        (x0, y0), (x1, y1) = arrow.points[-1], arrow.points[-2]
        x, y = x0 + (x1 - x0) * 0.35, y0 + (y1 - y0) * 0.35
    else:
        (x0, y0), (x1, y1) = arrow.points[0], arrow.points[1]
        x, y = x0 + (x1 - x0) * 0.4, y0 + (y1 - y0) * 0.4
    return (f'<text class="edge-label" x="{x:.1f}" y="{y + 4:.1f}" '
            f'text-anchor="middle">{escape(arrow.label)}</text>')  # fmt: skip


def _box(box: Box) -> str:
    left, top = box.x - box.w / 2, box.y - box.h / 2
    classes = " ".join(["node", box.kind, *(["urgent"] if box.urgent else []),
                        *(["start"] if box.start else [])])  # fmt: skip
    rx = box.h / 2 if box.kind == "outcome" else (0 if box.kind == "route" else 6)
    shape = (f'<rect class="shape" x="{left:.1f}" y="{top:.1f}" width="{box.w:.1f}" '
             f'height="{box.h:.1f}" rx="{min(rx, 18):.1f}"/>')  # fmt: skip
    if box.urgent:  # a second, inner border: urgent in shape as well as in words
        shape += (f'<rect class="inner" x="{left + 4:.1f}" y="{top + 4:.1f}" '
                  f'width="{box.w - 8:.1f}" height="{box.h - 8:.1f}" rx="{min(rx, 18) - 2:.1f}"/>')  # fmt: skip
    texts = []
    for i, line in enumerate(box.lines):
        y = top + PADDING + LINE_HEIGHT * (i + 1) - 3
        cls = ' class="kind"' if i == 0 else ""
        texts.append(f'<text{cls} x="{box.x:.1f}" y="{y:.1f}" text-anchor="middle">'
                     f"{escape(line)}</text>")  # fmt: skip
    return f'<g class="{classes}" data-node="{escape(box.node_id)}">{shape}{"".join(texts)}</g>'
