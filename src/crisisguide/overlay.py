"""Overlays: a protocol file that says ``extends: ID`` (or ``extends: {id: ID, version:
RANGE}``) and holds only what it changes (docs/sites.md).

Merging rules: a top-level key of the overlay replaces the base's; under ``nodes:``, a node
the base does not have is added whole, and a node it has gets each of the overlay's keys
in place of the base's (a list replaces the list); ``remove: [node ids]`` drops nodes. The
merged protocol is then loaded and checked as a whole, and every problem points at the
file and line its piece came from, base or overlay: :class:`MergedDocument` answers each
location from the document that supplied that part of the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import Node

from .errors import Code, Location, Problem, problem
from .yamldoc import Document, PathElem

OVERLAY_KEYS = ("extends", "remove")


@dataclass(frozen=True)
class Extends:
    """What an overlay builds on: a protocol id, and optionally a version range."""

    id: str
    version: str | None = None


def extends_of(data: object) -> Extends | None:
    """The ``extends`` of a file's data (None: the file is not an overlay, or its
    ``extends`` is malformed, which :func:`extends_problems` reports)."""
    if not isinstance(data, dict) or "extends" not in data:
        return None
    value = data["extends"]
    if isinstance(value, str) and value.strip():
        return Extends(value.strip())
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        version = value.get("version")
        return Extends(value["id"], version if isinstance(version, str) else None)
    return None


def extends_problems(doc: Document) -> list[Problem]:
    """A malformed ``extends`` or ``remove`` (CG104)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    value = data.get("extends")
    if "extends" in data and extends_of(data) is None:
        problems.append(problem(Code.BAD_VALUE, "extends: should be a protocol id, or "
                                "{id: ID, version: RANGE} (for example \">=1.2,<2\")",
                                doc.locate(("extends",))))  # fmt: skip
    elif isinstance(value, dict):
        unknown = [k for k in value if k not in ("id", "version")]
        problems += [problem(Code.UNKNOWN_KEY, f"unknown key '{k}' in extends (expected one of: "
                             "id, version)", doc.locate(("extends", k), key=True)) for k in unknown]  # fmt: skip
        spec = value.get("version")
        if spec is not None and (not isinstance(spec, str) or version_range(spec) is None):
            problems.append(problem(Code.BAD_VALUE, f"extends.version: {spec!s} is not a version "
                                    "range like \">=1.2,<2\"", doc.locate(("extends", "version"))))  # fmt: skip
    remove = data.get("remove", [])
    if not isinstance(remove, list) or not all(isinstance(r, str) for r in remove):
        problems.append(problem(Code.BAD_VALUE, "remove: should be a list of node ids",
                                doc.locate(("remove",))))  # fmt: skip
    return problems


def version_range(spec: str) -> Any:
    """``spec`` as a version range (packaging's SpecifierSet), or None if it is not one."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(spec)
    except InvalidSpecifier:
        return None


def in_range(version: str, spec: str | None) -> bool:
    """Whether semantic ``version`` is inside ``spec`` (no range: any version)."""
    if spec is None:
        return True
    from packaging.version import InvalidVersion, Version

    allowed = version_range(spec)
    try:
        return allowed is not None and allowed.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False


@dataclass
class MergedDocument(Document):
    """The merged data of a base and an overlay, located piece by piece in the file each
    piece came from."""

    base: Document | None = None
    overlay: Document | None = None
    from_overlay: set[tuple[PathElem, ...]] = field(default_factory=set)
    """Paths whose value the overlay supplied (the value and everything under it)."""

    def source(self, path: Sequence[PathElem]) -> Document:
        """The document that supplied the value at ``path``."""
        assert self.base is not None
        assert self.overlay is not None
        for end in range(len(path), 0, -1):
            if tuple(path[:end]) in self.from_overlay:
                return self.overlay
        if len(path) >= 2 and path[0] == "nodes" and not self.base_has(path[1]):
            return self.overlay
        return self.base

    def base_has(self, node_id: PathElem) -> bool:
        assert self.base is not None
        nodes = self.base.data.get("nodes") if isinstance(self.base.data, dict) else None
        return isinstance(nodes, dict) and node_id in nodes

    def locate(self, path: Sequence[PathElem], *, key: bool = False) -> Location:
        if not path:
            assert self.overlay is not None
            return self.overlay.locate(path, key=key)
        return self.source(path).locate(path, key=key)

    def node_at(self, path: Sequence[PathElem]) -> Node | None:
        return self.source(path).node_at(path)

    def text_at(self, path: Sequence[PathElem]) -> str:
        return self.source(path).text


def merge(base: Document, overlay: Document) -> MergedDocument:
    """The overlay's changes applied to the base: see the module's description. Problems
    of the merge itself (removing a node the base does not have) are the merged
    document's own; the base's and the overlay's load problems are carried over."""
    base_data: dict[str, Any] = base.data if isinstance(base.data, dict) else {}
    changes: dict[str, Any] = overlay.data if isinstance(overlay.data, dict) else {}
    merged = {key: value for key, value in base_data.items() if key not in OVERLAY_KEYS}
    from_overlay: set[tuple[PathElem, ...]] = set()
    nodes: dict[Any, Any] = (
        dict(merged.get("nodes") or {}) if isinstance(merged.get("nodes"), dict) else {}
    )
    for key, value in changes.items():
        if key in OVERLAY_KEYS:
            continue
        if key == "nodes":
            for node_id, node in value.items() if isinstance(value, dict) else ():
                _merge_node(nodes, node_id, node, from_overlay)
        else:
            merged[key] = value
            from_overlay.add((key,))
    doc = MergedDocument(
        path=overlay.path,
        sha256=overlay.sha256,
        text=overlay.text + "\n" + base.text,
        base=base,
        overlay=overlay,
        from_overlay=from_overlay,
    )
    doc.problems = [*base.problems, *overlay.problems, *extends_problems(overlay)]
    if changes.get("nodes") is not None and not isinstance(changes["nodes"], dict):
        doc.problems.append(problem(Code.BAD_VALUE, "nodes: in an overlay, a mapping of node id "
                                    "-> the keys it changes", overlay.locate(("nodes",))))  # fmt: skip
    for i, node_id in enumerate(changes.get("remove") or []):
        if isinstance(node_id, str) and node_id in nodes:
            del nodes[node_id]
        elif isinstance(node_id, str):
            doc.problems.append(problem(Code.NOT_A_NODE, f"remove: '{node_id}' is not a node of "
                                        "the base protocol", overlay.locate(("remove", i))))  # fmt: skip
    merged["nodes"] = nodes
    doc.data = merged
    return doc


def _merge_node(
    nodes: dict[Any, Any], node_id: Any, node: Any, from_overlay: set[tuple[PathElem, ...]]
) -> None:
    base_node = nodes.get(node_id)
    if isinstance(base_node, dict) and isinstance(node, dict):
        nodes[node_id] = {**base_node, **node}
        from_overlay.update(("nodes", node_id, key) for key in node)
    else:
        nodes[node_id] = node
        from_overlay.add(("nodes", node_id))


def resolved_yaml(doc: Document) -> str:
    """The protocol as it is in effect, as YAML, with a comment naming where each piece
    came from (``export --resolved``): the base or the overlay, node by node and key by key."""
    import yaml

    data = doc.data if isinstance(doc.data, dict) else {}

    def origin(path: tuple[PathElem, ...]) -> str:
        return doc.source(path).path if isinstance(doc, MergedDocument) else doc.path

    def dumped(value: Any, indent: int) -> list[str]:
        text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100)
        return [" " * indent + line for line in text.rstrip("\n").split("\n")]

    out = [f"# The protocol in effect, from {doc.path}" + (
        f" merged over {doc.base.path}" if isinstance(doc, MergedDocument) and doc.base else "")]  # fmt: skip
    for key, value in data.items():
        if key != "nodes":
            out += [f"# from {origin((key,))}", *dumped({key: value}, 0)]
    out.append("nodes:")
    for node_id, node in (data.get("nodes") or {}).items():
        out.append(f"  # {node_id}: {_node_origin(doc, node_id, node, origin)}")
        out += dumped({node_id: node}, 2)
    return "\n".join(out) + "\n"


def _node_origin(doc: Document, node_id: Any, node: Any, origin: Any) -> str:
    whole = origin(("nodes", node_id))
    if not isinstance(doc, MergedDocument) or not isinstance(node, dict):
        return f"from {whole}"
    changed = [k for k in node if ("nodes", node_id, k) in doc.from_overlay]
    if ("nodes", node_id) in doc.from_overlay or not doc.base_has(node_id):
        return f"from {whole}"
    if not changed:
        return f"from {whole}"
    assert doc.overlay is not None
    return f"from {whole}; {', '.join(map(str, changed))} from {doc.overlay.path}"
