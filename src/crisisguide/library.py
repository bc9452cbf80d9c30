"""Where protocols (and drills and referral directories) are found: the library's folders,
the files in them sorted by what they are, and lookup of a protocol by id or path.

Search order (docs/format.md): the built-in library shipped inside the package, then each
folder of ``CRISISGUIDE_PATH`` (os.pathsep-separated), then folders from the config file,
then ``--protocols DIR``. A file path works wherever an id does. Ids must be unique
across the whole library (CG113); a duplicate is reported, never silently shadowed.

This module only finds and indexes files; checking them is :mod:`crisisguide.validate`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CrisisGuideError, did_you_mean
from .files import display_path, looks_like_path, yaml_files
from .loader import LoadedProtocol, file_kind, protocol_from_document
from .model import Protocol
from .places import builtin_dir
from .yamldoc import DEFAULT_LIMITS, Document, Limits, read_document

ENV_PATH = "CRISISGUIDE_PATH"


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
