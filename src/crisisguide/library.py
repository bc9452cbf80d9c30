"""Where protocols (and drills and referral directories) are found, and lookup by id.

Search order (SPEC section 4): the built-in library shipped inside the package, then each
folder of ``CRISISGUIDE_PATH`` (os.pathsep-separated), then folders from the config file,
then ``--protocols DIR``. A file path works wherever an id does. Ids must be unique
across the whole library (CG113); a duplicate is reported, never silently shadowed.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .drills import LoadedDrill, check_duplicate_drill_ids, drill_from_document
from .errors import CrisisGuideError, Problem, did_you_mean
from .loader import LoadedProtocol, file_kind, protocol_from_document, unknown_kind_problem
from .model import Protocol
from .places import builtin_dir
from .referrals import LoadedDirectory, directory_from_document
from .validate import (
    Context,
    Summary,
    check_duplicate_ids,
    check_references,
    summarize,
    validate_protocol,
)
from .yamldoc import DEFAULT_LIMITS, Document, Limits, paused_gc, read_document

ENV_PATH = "CRISISGUIDE_PATH"
YAML_SUFFIXES = (".yaml", ".yml")


def env_folders(environ: dict[str, str] | None = None) -> list[Path]:
    value = (environ if environ is not None else os.environ).get(ENV_PATH, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def search_folders(
    extra: Sequence[Path] = (), environ: dict[str, str] | None = None, config: Sequence[Path] = ()
) -> list[Path]:
    folders = [builtin_dir(), *env_folders(environ), *config, *extra]
    unique: list[Path] = []
    for folder in folders:
        if folder not in unique:
            unique.append(folder)
    return unique


def yaml_files(root: Path) -> list[str]:
    """Every YAML file under ``root`` (or ``root`` itself), sorted, skipping hidden entries."""
    if root.is_file():
        return [str(root)]
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            os.path.join(dirpath, name)
            for name in filenames
            if name.endswith(YAML_SUFFIXES) and not name.startswith(".")
        )
    return sorted(found, key=lambda p: p.split(os.sep))


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass
class Library:
    """Every YAML file found in the search folders, sorted by what it is."""

    folders: list[Path]
    protocols: list[LoadedProtocol] = field(default_factory=list)
    drills: list[Document] = field(default_factory=list)
    directories: list[Document] = field(default_factory=list)
    unknown: list[Document] = field(default_factory=list)

    @property
    def protocol_ids(self) -> set[str]:
        return {p.partial.id for p in self.protocols if p.partial is not None and p.partial.id}

    def by_id(self, protocol_id: str) -> list[LoadedProtocol]:
        return [p for p in self.protocols if p.partial is not None and p.partial.id == protocol_id]

    def valid_protocols(self) -> dict[str, Protocol]:
        """Id -> protocol, for every protocol in the library that loads without errors."""
        found: dict[str, Protocol] = {}
        for loaded in self.protocols:
            if loaded.protocol is not None:
                found.setdefault(loaded.protocol.id, loaded.protocol)
        return found

    def loaded_drills(self) -> list[LoadedDrill]:
        """Every drill of the library, checked against the library's protocols."""
        protocols = self.valid_protocols()
        return [drill_from_document(doc, protocols) for doc in self.drills]

    def context(self, directory: Mapping[str, str] | None = None) -> Context:
        """What a protocol of this library is checked against (SPEC section 2)."""
        return Context(library_ids=self.protocol_ids, directory=directory)


def load_library(folders: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> Library:
    library = Library(folders=list(folders))
    for folder in library.folders:
        if not folder.exists():
            continue
        for path in yaml_files(folder):
            add_document(library, read_document(display_path(Path(path)), limits))
    return library


def add_document(library: Library, doc: Document) -> None:
    kind = file_kind(doc.data)
    if kind == "protocol":
        library.protocols.append(protocol_from_document(doc))
    elif kind == "drill":
        library.drills.append(doc)
    elif kind == "directory":
        library.directories.append(doc)
    else:
        library.unknown.append(doc)


def looks_like_path(ref: str) -> bool:
    return ref.endswith(YAML_SUFFIXES) or os.sep in ref or "/" in ref


def find_protocol(ref: str, library: Library, limits: Limits = DEFAULT_LIMITS) -> LoadedProtocol:
    """The protocol named by ``ref``: a file path, or an id in the library."""
    if os.path.isfile(ref) or looks_like_path(ref):
        if not os.path.isfile(ref):
            raise CrisisGuideError(f"{ref}: no such file")
        doc = read_document(ref, limits)
        kind = file_kind(doc.data)
        if doc.data is not None and kind != "protocol":
            raise CrisisGuideError(f"{ref}: not a protocol (it has no 'nodes' key)")
        return protocol_from_document(doc)
    matches = library.by_id(ref)
    if not matches:
        hint = did_you_mean(ref, sorted(library.protocol_ids))
        raise CrisisGuideError(
            f"no protocol with id '{ref}'{hint}; run 'crisisguide list' to see the library"
        )
    if len(matches) > 1:
        where = ", ".join(str(m.doc.locate(("id",))) for m in matches)
        raise CrisisGuideError(f"protocol id '{ref}' is defined more than once: {where}")
    return matches[0]


def documents_at(paths: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> Iterator[Document]:
    """Every YAML document named by ``paths`` (files as given, folders searched), one by one.

    The cyclic collector is paused while the documents are produced and checked (see
    :func:`crisisguide.yamldoc.paused_gc`), with a young-generation collection every 256
    files so that the rare cycle (an exception's traceback) cannot pile up.
    """
    with paused_gc():
        count = 0
        for path in paths:
            for file in yaml_files(path) if path.is_dir() else [str(path)]:
                count += 1
                if count % 256 == 0:
                    gc.collect(0)
                yield read_document(file, limits)


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
    check = _PathCheck(today)
    for doc in documents_at(paths):
        check.add(doc)
    return check.finish(library, directories), check.count


@dataclass
class _PathCheck:
    today: dt.date
    count: int = 0
    problems: list[Problem] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    protocol_files: dict[str, str] = field(default_factory=dict)
    """Id -> file of each valid protocol given: drills are checked against them at the
    end, by loading again only the few they name, so memory stays flat."""
    directories: list[LoadedDirectory] = field(default_factory=list)
    drills: list[Document] = field(default_factory=list)

    def add(self, doc: Document) -> None:
        self.count += 1
        kind = file_kind(doc.data)
        if kind == "protocol":
            loaded = protocol_from_document(doc)
            self.problems.extend(validate_protocol(loaded, Context(deferred=True)))
            self.summaries.append(summarize(loaded))
            if loaded.protocol is not None:
                self.protocol_files.setdefault(loaded.protocol.id, doc.path)
        elif kind == "directory":
            directory = directory_from_document(doc, self.today)
            self.problems.extend(directory.problems)
            self.directories.append(directory)
        elif kind == "drill":
            self.drills.append(doc)  # checked at the end, when every protocol is known
        else:
            self.problems.extend(doc.problems or [unknown_kind_problem(doc)])

    def _named_by_drills(self) -> dict[str, Protocol]:
        wanted = {d.data.get("protocol") for d in self.drills if isinstance(d.data, dict)}
        found: dict[str, Protocol] = {}
        for protocol_id in wanted:
            path = self.protocol_files.get(str(protocol_id))
            if path is not None:
                loaded = protocol_from_document(read_document(path))
                if loaded.protocol is not None:
                    found[loaded.protocol.id] = loaded.protocol
        return found

    def finish(self, library: Library, directories: Sequence[LoadedDirectory]) -> list[Problem]:
        given = {_real(s.path) for s in self.summaries}
        given |= {_real(d.doc.path) for d in self.directories} | {
            _real(d.path) for d in self.drills
        }
        others = [summarize(p) for p in library.protocols if _real(p.path) not in given]
        entries: dict[str, str] = {}
        for directory in [*directories, *self.directories]:
            entries.update((e.id, e.kind) for e in directory.entries)
        ids = {s.id for s in [*others, *self.summaries] if s.id}
        context = Context(library_ids=ids, directory=entries)
        for summary in self.summaries:
            self.problems.extend(check_references(summary, context))
        duplicates = check_duplicate_ids([*others, *self.summaries])
        protocols = {**library.valid_protocols(), **self._named_by_drills()}
        drills = [drill_from_document(doc, protocols) for doc in self.drills]
        for drill in drills:
            self.problems.extend(drill.problems)
        other_drills = [
            drill_from_document(d, protocols) for d in library.drills if _real(d.path) not in given
        ]
        duplicates += check_duplicate_drill_ids([*other_drills, *drills])
        self.problems.extend(p for p in duplicates if _real(p.location.file) in given)
        return sorted(self.problems, key=Problem.sort_key)


def _real(path: str) -> str:
    """A path's absolute, normalised spelling (no file system access, so it is cheap)."""
    return os.path.abspath(path)


def library_rows(
    library: Library, directory: Mapping[str, str] | None = None
) -> tuple[list[dict[str, object]], list[Problem]]:
    """``crisisguide list``: a row per usable protocol; the first error of each broken file."""
    context = library.context(directory)
    builtin = builtin_dir()
    rows: list[dict[str, object]] = []
    broken: list[Problem] = []
    for loaded in library.protocols:
        errors = [p for p in validate_protocol(loaded, context) if p.is_error]
        if errors or loaded.protocol is None:
            broken.append(errors[0] if errors else unknown_kind_problem(loaded.doc))
            continue
        protocol = loaded.protocol
        inside = Path(loaded.path).resolve().is_relative_to(builtin.resolve())
        rows.append(
            {
                "id": protocol.id,
                "title": protocol.title,
                "version": protocol.version,
                "nodes": len(protocol.nodes),
                "file": loaded.path,
                "origin": "built-in" if inside else "user",
            }
        )
    duplicates = check_duplicate_ids(summarize(p) for p in library.protocols)
    broken.extend(duplicates)
    for doc in library.unknown:
        broken.extend(doc.problems or [unknown_kind_problem(doc)])
    return rows, broken
