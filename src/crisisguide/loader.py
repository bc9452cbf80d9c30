"""YAML files -> models, with every structural problem located at its line and column.

:mod:`crisisguide.yamldoc` does the safe parse; this module checks the data against the
records of :mod:`crisisguide.model` and turns its flaws into trainer-readable problems
(CG102 missing key, CG103 unknown key, CG104 wrong type or value) at
the exact YAML node. When a protocol has structural errors, the nodes that are fine are
still returned (``partial``) so the cross-reference checks can report everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import Code, Problem, problem
from .formats import DEFAULT_TIERS
from .model import AnyNode, Node, Protocol
from .shapes import check
from .structure import problems_from_flaws
from .yamldoc import DEFAULT_LIMITS, Document, Limits, paused_gc, read_document

__all__ = ["LoadedProtocol", "load_protocol", "protocol_from_document"]

FileKind = Literal["protocol", "drill", "directory", "unknown"]


@dataclass
class LoadedProtocol:
    """A protocol file after loading: the model if it is structurally sound.

    ``protocol`` is set only when the whole file matches the format. ``partial`` is a
    best-effort protocol made of the parts that did (used so that cross-reference checks
    can still run); ``complete`` says whether ``partial`` holds every node.
    """

    doc: Document
    protocol: Protocol | None = None
    partial: Protocol | None = None
    complete: bool = False
    problems: list[Problem] = field(default_factory=list)
    node_ids: list[str] = field(default_factory=list)
    """Every node id written in the file, including nodes that failed to load."""

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def extensions(self) -> dict[tuple[Any, ...], dict[str, Any]]:
        """The ``x-`` keys of the file, by the path of the mapping they were in."""
        return self.doc.extensions_by_path()


def file_kind(data: object) -> FileKind:
    """Tell a protocol, a drill and a referral directory apart by their top-level keys."""
    if not isinstance(data, dict):
        return "unknown"
    if "nodes" in data or "extends" in data:  # an overlay may change no node at all
        return "protocol"
    if "client" in data:
        return "drill"
    if "entries" in data:
        return "directory"
    return "unknown"


def unknown_kind_problem(doc: Document) -> Problem:
    return problem(
        Code.MISSING_KEY,
        "not a protocol, drill or referral directory: expected a 'nodes', 'client' "
        "or 'entries' key",
        doc.locate(()),
    )


def load_protocol(path: str, limits: Limits = DEFAULT_LIMITS) -> LoadedProtocol:
    """Read, parse and structurally check one protocol file."""
    return protocol_from_document(read_document(path, limits))


def protocol_from_document(doc: Document) -> LoadedProtocol:
    loaded = LoadedProtocol(doc=doc, problems=list(doc.problems))
    if not isinstance(doc.data, dict):
        return loaded
    with paused_gc():
        return _check_structure(loaded, doc)


def _check_structure(loaded: LoadedProtocol, doc: Document) -> LoadedProtocol:
    data = doc.data
    raw_nodes = data.get("nodes")
    if isinstance(raw_nodes, dict):
        loaded.node_ids = [k for k in raw_nodes if isinstance(k, str)]
    protocol, flaws = check(Protocol, data)
    if protocol is None:
        loaded.problems.extend(problems_from_flaws(flaws, doc))
        loaded.partial, loaded.complete = _salvage(data)
        return loaded
    loaded.partial = protocol
    loaded.complete = True
    if doc.ok:
        loaded.protocol = protocol
    return loaded


def _salvage(data: dict[str, Any]) -> tuple[Protocol | None, bool]:
    """The structurally valid parts of a protocol that failed validation as a whole."""
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, dict):
        return None, False
    nodes: dict[str, AnyNode] = {}
    for node_id, raw in raw_nodes.items():
        if not isinstance(node_id, str):
            continue
        node, _ = check(Node, raw)
        if node is not None:
            nodes[node_id] = node
    tiers = data.get("tiers")
    if not (isinstance(tiers, list) and len(tiers) >= 2 and all(isinstance(t, str) for t in tiers)):
        tiers = list(DEFAULT_TIERS)
    start = data.get("start")
    partial = Protocol(
        format=1,
        id=str(data.get("id", "")),
        title=str(data.get("title", "")),
        version=str(data.get("version", "")),
        summary=str(data.get("summary", "")),
        sources=[],
        tiers=tiers,
        start=start if isinstance(start, str) else "",
        nodes=nodes,
    )
    complete = len(nodes) == len(raw_nodes) and isinstance(start, str)
    return partial, complete
