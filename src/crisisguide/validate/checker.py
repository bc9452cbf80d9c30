"""The state one protocol's checks share: the file, its model and the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Code, Location, Problem, problem
from ..loader import LoadedProtocol
from ..model import Protocol
from ..yamldoc import Document
from .references import Context


@dataclass
class Checker:
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
