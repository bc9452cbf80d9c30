"""Safe, located YAML: bytes -> plain data plus the node tree that knows every line/column.

All YAML safety lives here (docs/format.md, "How YAML is read"):

* libyaml composes the node tree when it is available (CParser), the pure-Python parser
  otherwise; no constructor ever runs, so no tag can build an object;
* scalars are resolved by the YAML 1.2 core schema: only ``true``/``false`` are booleans,
  so ``Yes``, ``No``, ``on``, ``off`` and ``NO`` stay strings, and dates stay strings;
* duplicate keys are CG101 (the first value is kept, nothing is silently overwritten);
* size, nesting depth, alias expansions and node count are bounded (CG105), so an alias
  bomb is refused after a bounded amount of work;
* terminal control characters and invisible format characters are removed from every
  string (:func:`crisisguide.text.strip_controls`).

Locations are looked up lazily from the node tree of the same parse (:meth:`Document.locate`),
so a file without problems pays nothing for them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import Code, Location, Problem, problem
from ..memory import paused_gc
from ..text import strip_controls

if TYPE_CHECKING:
    from yaml.nodes import Node

    from .parse import LIBYAML, parse_yaml, peek_header

__all__ = [
    "BROKEN", "DEFAULT_LIMITS", "LIBYAML", "Document", "Header", "Limits", "PathElem",
    "failed_document", "parse_yaml", "paused_gc", "peek_header", "read_document",
    "strip_controls",
]  # fmt: skip

MiB = 1024 * 1024

_PARSING = ("LIBYAML", "parse_yaml", "peek_header")


def __getattr__(name: str) -> Any:
    """The parser (:mod:`.parse`, which imports PyYAML) is loaded on first use: a command
    served from the cache (``now``) never needs it."""
    if name in _PARSING:
        from . import parse

        return getattr(parse, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Limits:
    """Bounds on one YAML file. Over any of them the file is refused with CG105."""

    max_bytes: int = MiB
    max_depth: int = 64
    max_aliases: int = 256
    max_nodes: int = 1_000_000
    max_text: int = 4 * MiB
    """Characters of text built in all, aliases expanded: without aliases a file cannot
    exceed its own size, so only an alias to a long scalar can reach this."""


DEFAULT_LIMITS = Limits()

PathElem = str | int
Path = tuple[PathElem, ...]

BROKEN: Any = type("Broken", (), {"__repr__": lambda self: "<broken value>"})()
"""Stands for a value that could not be built (its problem is already reported), so that
later checks say nothing more about it."""


@dataclass
class Document:
    """One parsed file: its data, its node tree (for locations) and its load problems."""

    path: str
    sha256: str
    text: str = ""
    data: Any = None
    root: Node | None = None
    problems: list[Problem] = field(default_factory=list)
    extensions: dict[int, tuple[dict[Any, Any], dict[str, Any]]] = field(default_factory=dict)
    """``x-`` keys set aside at load, by the id of the mapping they were in (see below)."""
    reparse_from: str | None = None
    """A document from the cache (:mod:`crisisguide.filecache`) has its data but no node
    tree: the file it came from, parsed again the first time a location is needed."""

    def _fill(self) -> None:
        if self.reparse_from is None:
            return
        source, self.reparse_from = self.reparse_from, None
        again = read_document(source)
        if again.sha256 == self.sha256 and again.root is not None:
            self.root, self.text = again.root, again.text

    def extensions_by_path(self) -> dict[Path, dict[str, Any]]:
        """The ``x-`` keys of each mapping, by the path of that mapping in :attr:`data`."""
        found: dict[Path, dict[str, Any]] = {}
        if not self.extensions:
            return found
        todo: list[tuple[Path, Any]] = [((), self.data)]
        while todo:
            path, value = todo.pop()
            if isinstance(value, dict):
                entry = self.extensions.get(id(value))
                if entry is not None and entry[0] is value:
                    found[path] = entry[1]
                todo.extend(((*path, k), v) for k, v in value.items())
            elif isinstance(value, list):
                todo.extend(((*path, i), v) for i, v in enumerate(value))
        return found

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def at(self, line: int = 0, column: int = 0) -> Location:
        return Location(self.path, line, column)

    def text_at(self, path: Sequence[PathElem]) -> str:
        """The text of the file the value at ``path`` was read from (an overlay's merged
        document answers from the base or the overlay)."""
        self._fill()
        return self.text

    def node_at(self, path: Sequence[PathElem]) -> Node | None:
        """The YAML node holding the value at ``path``, if the path exists."""
        self._fill()
        node = self.root
        for elem in path:
            if node is None:
                return None
            node, _ = _child(node, elem)
        return node

    def locate(self, path: Sequence[PathElem], *, key: bool = False) -> Location:
        """The location of the value at ``path`` (or of its key, with ``key=True``).

        Walks as far down the path as the node tree goes, so a path into something that
        is missing points at the closest enclosing node.
        """
        self._fill()
        node = self.root
        if node is None:
            return self.at(1, 1)
        mark_node: Node = node
        for elem in path:
            child, key_node = _child(node, elem)
            if child is None:
                break
            mark_node = key_node if (key and key_node is not None and elem is path[-1]) else child
            node = child
        mark = mark_node.start_mark
        return self.at(mark.line + 1, mark.column + 1)


def _child(node: Node, elem: PathElem) -> tuple[Node | None, Node | None]:
    """The child of a node of the parse tree (it exists, so the parser is loaded)."""
    from .parse import child

    return child(node, elem)


def read_document(
    path: str,
    limits: Limits = DEFAULT_LIMITS,
    *,
    regular_only: bool = False,
    cached: bool = False,
) -> Document:
    """Read and parse ``path``; an unreadable or oversized file is a located problem.

    ``regular_only`` refuses anything but a regular file without waiting on it: a FIFO
    found in a folder must not hang a command. A path the user names (``run <(...)``)
    may be a pipe. ``cached``: take the data of a file that parsed cleanly before and has
    not changed since from :mod:`crisisguide.filecache` (locations are found by parsing
    it again, only if a problem needs one), and remember a clean parse."""
    key = None
    if cached:
        from .. import filecache

        key = filecache.stamp(path)
        if key is not None and filecache.size(key) > limits.max_bytes:
            key = None  # too large: refused below, with its problem
        hit = filecache.get_data(key)
        if hit is not None:
            return Document(path=path, sha256=hit[1], data=hit[0], reparse_from=path)
    doc = _read_document(path, limits, regular_only)
    if key and not doc.problems and not doc.extensions and doc.data is not None:
        from .. import filecache

        filecache.put_data(key, doc.data, doc.sha256)
    return doc


def _read_document(path: str, limits: Limits, regular_only: bool) -> Document:
    try:
        raw = _read(path, limits.max_bytes + 1, regular_only)
    except IsADirectoryError:
        return _failed(path, b"", Code.BAD_YAML, "is a folder, not a file")
    except _NotRegular:
        return _failed(path, b"", Code.BAD_YAML, "is not a regular file (a FIFO, device or socket)")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return _failed(path, b"", Code.BAD_YAML, f"cannot read the file: {reason}")
    from .parse import parse_yaml

    return parse_yaml(raw, path, limits)  # which refuses a file over the size limit


class _NotRegular(Exception):
    pass


def _read(path: str, size: int, regular_only: bool) -> bytes:
    if not regular_only:
        with open(path, "rb") as stream:
            return stream.read(size)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular(path)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read(size)
    finally:
        os.close(fd)


def _size(n: int) -> str:
    return f"{n // MiB} MiB" if n % MiB == 0 else f"{n} bytes"


def failed_document(path: str, code: Code, message: str) -> Document:
    """A document that could not be read at all, with its one problem at 1:1."""
    return _failed(path, b"", code, message)


def _failed(
    path: str, raw: bytes, code: Code, message: str, line: int = 1, col: int = 1
) -> Document:
    import hashlib

    doc = Document(path=path, sha256=hashlib.sha256(raw).hexdigest())
    doc.problems.append(problem(code, message, doc.at(line, col)))
    return doc


_KIND_KEYS = {"nodes": "protocol", "client": "drill", "entries": "directory"}
_KIND_ORDER = ("protocol", "drill", "directory")


@dataclass(frozen=True)
class Header:
    """What a YAML file is and its id, read from the parser's events alone."""

    path: str
    kind: str
    """``protocol``, ``drill``, ``directory`` or ``unknown`` (by the top-level keys)."""
    id: str
    location: Location
    """Where the id's value is (1:1 when there is none)."""
    title: str = ""
    version: str = ""
    extends: str = ""
    """The id an overlay builds on (``extends: ID`` or ``extends: {id: ID, ...}``)."""
    layer: int = 0
    """Where in the library's search order the file was found (0: built-in)."""
    sha256: str = ""
