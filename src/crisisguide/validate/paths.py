"""Checking files and folders as ``crisisguide validate`` does, and the library as
``crisisguide list`` shows it. :func:`check_paths` is the one entry point for checking
paths: the command line calls it and renders what it returns.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..drills.model import check_duplicate_drill_ids, drill_from_document
from ..errors import CrisisGuideError, Problem
from ..files import documents_at
from ..library import LAYERS, Library
from ..loader import LoadedProtocol, file_kind, unknown_kind_problem
from ..model import Protocol
from ..referrals import LoadedDirectory, directory_from_document
from ..yamldoc import Document, read_document
from .protocol import validate_protocol
from .references import (
    Context,
    Summary,
    check_duplicate_ids,
    check_references,
    library_context,
    summarize,
)
from .translations import check_translations


def check_paths(
    paths: Iterable[Path],
    library: Library,
    today: dt.date,
    directories: Sequence[LoadedDirectory] = (),
) -> tuple[list[Problem], int]:
    """``crisisguide validate``: every problem of every file under ``paths``, in order.

    Files are checked one at a time and only a small summary of each is kept, so memory
    stays flat however many files there are. References that need the whole picture
    (follow-ups, referral ids, duplicate ids, drills' protocols) are checked at the end,
    against the library and ``directories`` plus the files given; only the given files'
    problems are reported.
    """
    paths = list(paths)
    library = library.with_files(paths)
    check = _PathCheck(today, library)
    for doc in documents_at(paths):
        check.add(doc)
    return check.finish(library, directories), check.count


@dataclass
class _PathCheck:
    today: dt.date
    library: Library
    count: int = 0
    problems: list[Problem] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    protocol_files: dict[str, str] = field(default_factory=dict)
    """Id -> file of each valid protocol given: drills are checked against them at the
    end, by loading again only the few they name, so memory stays flat."""
    directories: list[LoadedDirectory] = field(default_factory=list)
    drills: list[Document] = field(default_factory=list)
    _layers: tuple[int, dict[str, int]] = (-1, {})

    def layer_of(self, path: str) -> int:
        """The layer of the library a file is in (above them all: named on the command
        line); the real paths of the library's files are indexed once, not per file."""
        headers = self.library.headers
        if self._layers[0] != len(headers):
            self._layers = (len(headers), {_real(h.path): h.layer for h in headers})
        return self._layers[1].get(_real(path), len(LAYERS))

    def add(self, doc: Document) -> None:
        self.count += 1
        kind = file_kind(doc.data)
        if kind == "protocol":
            loaded = self.library.protocol_of(doc, self.layer_of(doc.path))
            self.problems.extend(validate_protocol(loaded, Context(deferred=True)))
            self.summaries.append(summarize(loaded))
            if loaded.protocol is not None:
                self.protocol_files.setdefault(loaded.protocol.id, doc.path)
                self.problems.extend(check_translations(loaded))
        elif kind == "directory":
            directory = directory_from_document(doc, self.today)
            self.problems.extend(directory.problems)
            self.directories.append(directory)
        elif kind == "drill":
            self.drills.append(doc)  # checked at the end, when every protocol is known
        else:
            self.problems.extend(doc.problems or [unknown_kind_problem(doc)])

    def _named_by_drills(self) -> dict[str, Protocol]:
        found: dict[str, Protocol] = {}
        for protocol_id in self._wanted():
            path = self.protocol_files.get(str(protocol_id))
            if path is not None:
                loaded = self.library.protocol_of(read_document(path))
                if loaded.protocol is not None:
                    found[loaded.protocol.id] = loaded.protocol
        return found

    def finish(self, library: Library, directories: Sequence[LoadedDirectory]) -> list[Problem]:
        """The checks that need the whole picture. The library's other files are known by
        their headers alone (id and where it is written): none is read in full, except
        the protocols that the given drills name."""
        given = {_real(s.path) for s in self.summaries}
        given |= {_real(d.doc.path) for d in self.directories} | {
            _real(d.path) for d in self.drills
        }
        others = [
            Summary(h.path, h.id, h.location, layer=h.layer, sha256=h.sha256)
            for h in library.protocol_headers()
            if _real(h.path) not in given
        ]
        layers = {_real(h.path): h.layer for h in library.headers}
        self.summaries = [replace(s, layer=layers.get(_real(s.path), len(LAYERS)))
                          for s in self.summaries]  # fmt: skip
        entries: dict[str, str] = {}
        for directory in [*directories, *self.directories]:
            entries.update((e.id, e.kind) for e in directory.entries)
        ids = {s.id for s in [*others, *self.summaries] if s.id}
        context = Context(library_ids=ids, directory=entries)
        for summary in self.summaries:
            self.problems.extend(check_references(summary, context))
        duplicates = check_duplicate_ids([*others, *self.summaries])
        protocols = {**self._from_library(library), **self._named_by_drills()}
        drills = [drill_from_document(doc, protocols) for doc in self.drills]
        for drill in drills:
            self.problems.extend(drill.problems)
        other_drills = [
            (h.id, h.location, h.layer, h.sha256)
            for h in library.headers
            if h.kind == "drill" and _real(h.path) not in given
        ]
        mine = [(d.drill.id, d.doc.locate(("id",)), layers.get(_real(d.path), len(LAYERS)),
                 d.doc.sha256) for d in drills if d.drill is not None]  # fmt: skip
        duplicates += check_duplicate_drill_ids([*other_drills, *mine])
        self.problems.extend(p for p in duplicates if _real(p.location.file) in given)
        return sorted(self.problems, key=Problem.sort_key)

    def _from_library(self, library: Library) -> dict[str, Protocol]:
        """The library's protocols that the given drills name, and only those."""
        found: dict[str, Protocol] = {}
        for protocol_id in self._wanted():
            protocol = library.valid_protocol(protocol_id)
            if protocol is not None:
                found[protocol_id] = protocol
        return found

    def _wanted(self) -> set[str]:
        return {str(d.data.get("protocol")) for d in self.drills if isinstance(d.data, dict)}


def _real(path: str) -> str:
    """A path's absolute, normalised spelling (no file system access, so it is cheap)."""
    return os.path.abspath(path)


def library_rows(
    library: Library, directory: Mapping[str, str] | None = None
) -> tuple[list[dict[str, object]], list[Problem]]:
    """``crisisguide list``: a row per protocol in effect (saying what it overrides); the
    first error of each broken file."""
    context = library_context(library, directory)
    rows: list[dict[str, object]] = []
    broken: list[Problem] = []
    for header in library.in_effect():
        loaded = library.loaded(header.path)
        errors = [p for p in validate_protocol(loaded, context) if p.is_error]
        library.forget(header.path)
        if errors or loaded.protocol is None:
            broken.append(errors[0] if errors else unknown_kind_problem(loaded.doc))
            continue
        protocol = loaded.protocol
        rows.append(
            {
                "id": protocol.id,
                "title": protocol.title,
                "version": protocol.version,
                "nodes": len(protocol.nodes),
                "file": "built-in" if header.layer == 0 else loaded.path,
                "path": loaded.path,
                "origin": LAYERS[header.layer],
                "overrides": library.overrides(protocol.id),
            }
        )
    summaries = [
        Summary(h.path, h.id, h.location, layer=h.layer, sha256=h.sha256)
        for h in library.protocol_headers()
    ]
    broken.extend(check_duplicate_ids(summaries))
    for doc in library.unknown:
        broken.extend(doc.problems or [unknown_kind_problem(doc)])
    return rows, broken


def usable_protocol(loaded: LoadedProtocol, context: Context) -> list[Problem]:
    """The warnings of ``loaded``, which may be walked, shown or exported; a
    :class:`CrisisGuideError` listing its errors if it has any (a protocol with errors is
    never used, docs/format.md)."""
    problems = validate_protocol(loaded, context)
    errors = [p for p in problems if p.is_error]
    if errors or loaded.protocol is None:
        raise CrisisGuideError(
            f"{loaded.path}: the protocol has {len(errors)} error(s) and cannot be used; "
            f"fix them first (crisisguide validate {loaded.path})",
            errors,
        )
    return [p for p in problems if not p.is_error]
