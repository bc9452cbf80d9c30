"""Where protocols (and drills and referral directories) are found: the library's folders,
the files in them sorted by what they are, and lookup of a protocol by id or path.

Search order (docs/format.md): the built-in library shipped inside the package, then each
folder of ``CRISISGUIDE_PATH`` (os.pathsep-separated), then folders from the config file,
then ``--protocols DIR``. A file path works wherever an id does. Ids must be unique
across the whole library (CG113); a duplicate is reported, never silently shadowed.

Each file is first known by its header (kind and id, read from the parser's events
without building anything); a file is read in full only when it is needed, so finding
one protocol by id does not load the others. This module only finds and indexes files;
checking them is :mod:`crisisguide.validate`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CrisisGuideError, Location, did_you_mean
from .files import display_path, looks_like_path, scan
from .loader import LoadedProtocol, file_kind, protocol_from_document
from .model import Protocol
from .places import builtin_dir
from .yamldoc import DEFAULT_LIMITS, Document, Header, Limits, peek_header, read_document

ENV_PATH = "CRISISGUIDE_PATH"


def env_folders(environ: dict[str, str] | None = None) -> list[Path]:
    value = (environ if environ is not None else os.environ).get(ENV_PATH, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def search_folders(
    extra: Sequence[Path] = (), environ: dict[str, str] | None = None, config: Sequence[Path] = ()
) -> list[Path]:
    """The folders searched, in order, each once: the same folder reached by two spellings
    (``lib`` and ``lib/../lib``, or through a link) is one folder."""
    folders = [builtin_dir(), *env_folders(environ), *config, *extra]
    unique: list[Path] = []
    seen: set[str] = set()
    for folder in folders:
        key = _real(folder)
        if key not in seen:
            seen.add(key)
            unique.append(folder)
    return unique


def _real(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a link loop, or a folder we may not enter
        return os.path.abspath(path)


@dataclass
class Library:
    """Every YAML file found in the search folders, known by its header and read in full
    only when needed."""

    folders: list[Path]
    limits: Limits = DEFAULT_LIMITS
    headers: list[Header] = field(default_factory=list)
    """Every file, in search order, with its kind and id (``unknown`` when its header
    could not be read: it is read in full, and reported, like any broken file)."""
    unreadable: list[Document] = field(default_factory=list)
    """Folders and files that could not be read at all, each with its problem."""
    _documents: dict[str, Document] = field(default_factory=dict, repr=False)
    _protocols: dict[str, LoadedProtocol] = field(default_factory=dict, repr=False)

    # --- what is known from the headers alone -----------------------------------------------

    def paths(self, kind: str) -> list[str]:
        return [h.path for h in self.headers if h.kind == kind]

    @property
    def protocol_ids(self) -> set[str]:
        return {h.id for h in self.headers if h.kind == "protocol" and h.id}

    def titles(self) -> dict[str, str]:
        """Protocol id -> title, from the headers (for follow-ups shown by title)."""
        return {h.id: h.title or h.id for h in self.headers if h.kind == "protocol" and h.id}

    def protocol_headers(self) -> list[Header]:
        return [h for h in self.headers if h.kind == "protocol"]

    # --- reading files in full, once ---------------------------------------------------------

    def document(self, path: str) -> Document:
        if path not in self._documents:
            self._documents[path] = read_document(path, self.limits, regular_only=True)
        return self._documents[path]

    def loaded(self, path: str) -> LoadedProtocol:
        if path not in self._protocols:
            self._protocols[path] = protocol_from_document(self.document(path))
        return self._protocols[path]

    @property
    def protocols(self) -> list[LoadedProtocol]:
        """Every protocol of the library, read in full."""
        return [self.loaded(path) for path in self.paths("protocol")]

    @property
    def drills(self) -> list[Document]:
        return [self.document(path) for path in self.paths("drill")]

    @property
    def directories(self) -> list[Document]:
        return [self.document(path) for path in self.paths("directory")]

    @property
    def unknown(self) -> list[Document]:
        """Files that are neither protocol, drill nor directory (often broken ones), and
        what could not be read at all."""
        docs = [self.document(path) for path in self.paths("unknown")]
        return self.unreadable + [d for d in docs if file_kind(d.data) == "unknown"]

    def by_id(self, protocol_id: str) -> list[LoadedProtocol]:
        """The protocols with this id (read in full; only those)."""
        paths = [h.path for h in self.headers if h.kind == "protocol" and h.id == protocol_id]
        return [self.loaded(path) for path in paths]

    def valid_protocol(self, protocol_id: str) -> Protocol | None:
        """The protocol with this id if exactly one file has it and it loads cleanly."""
        matches = self.by_id(protocol_id)
        return matches[0].protocol if len(matches) == 1 else None

    def valid_protocols(self) -> dict[str, Protocol]:
        """Id -> protocol, for every protocol in the library that loads without errors."""
        found: dict[str, Protocol] = {}
        for loaded in self.protocols:
            if loaded.protocol is not None:
                found.setdefault(loaded.protocol.id, loaded.protocol)
        return found


def load_library(folders: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> Library:
    """The library in ``folders``: every file's header is read; nothing is built yet."""
    library = Library(folders=list(folders), limits=limits)
    for folder in library.folders:
        try:
            if not folder.exists():
                continue
        except OSError as exc:  # a folder on the way that we may not enter
            reason = exc.strerror or type(exc).__name__
            library.unreadable += _unreadable(str(folder), f"cannot read the folder: {reason}")
            continue
        found = scan(folder)
        library.unreadable += found.problems()
        for path in found.files:
            shown = display_path(Path(path))
            header = peek_header(shown, limits)
            library.headers.append(header or Header(shown, "unknown", "", Location(shown, 1, 1)))
    return library


def _unreadable(path: str, message: str) -> list[Document]:
    from .errors import Code
    from .yamldoc import failed_document

    return [failed_document(path, Code.BAD_YAML, message)]


def find_protocol(ref: str, library: Library, limits: Limits = DEFAULT_LIMITS) -> LoadedProtocol:
    """The protocol named by ``ref``: a file path (which may be a pipe, ``<(...)``), or an
    id in the library."""
    if looks_like_path(ref) or os.path.lexists(ref):
        return protocol_from_document(_named_file(ref, limits))
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


def _named_file(ref: str, limits: Limits) -> Document:
    """The file the user named, read; a clear error if it is not a protocol file."""
    try:
        os.stat(ref)
    except FileNotFoundError:
        raise CrisisGuideError(f"{ref}: no such file") from None
    except OSError as exc:
        raise CrisisGuideError(f"{ref}: cannot read it: {exc.strerror}") from None
    if os.path.isdir(ref):
        raise CrisisGuideError(f"{ref}: is a folder; name a protocol file or an id")
    doc = read_document(ref, limits)
    if doc.data is not None and file_kind(doc.data) != "protocol":
        raise CrisisGuideError(f"{ref}: not a protocol (it has no 'nodes' key)")
    return doc


class ProtocolLookup(Mapping[str, Protocol]):
    """Protocols by id as a drill needs them: ``extra`` ones first (found beside the drill
    or named on the command line), then the library's, resolved the way ``run`` resolves an
    id; each read in full only when asked for."""

    def __init__(self, library: Library, extra: Mapping[str, Protocol] | None = None) -> None:
        self.library = library
        self.extra = dict(extra or {})

    def __getitem__(self, protocol_id: str) -> Protocol:
        if protocol_id in self.extra:
            return self.extra[protocol_id]
        protocol = self.library.valid_protocol(protocol_id)
        if protocol is None:
            raise KeyError(protocol_id)
        return protocol

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(self.extra) | self.library.protocol_ids))

    def __len__(self) -> int:
        return len(set(self.extra) | self.library.protocol_ids)

    def why_not(self, protocol_id: str) -> str:
        """Why ``protocol_id`` cannot be used: not in the library, defined twice, broken."""
        matches = self.library.by_id(protocol_id)
        if len(matches) > 1:
            where = ", ".join(str(m.doc.locate(("id",))) for m in matches)
            return f"protocol '{protocol_id}' is defined more than once: {where}"
        if matches:
            return (
                f"protocol '{protocol_id}' has errors and cannot be used "
                f"(crisisguide validate {matches[0].path})"
            )
        return f"protocol '{protocol_id}' is not in the library{did_you_mean(protocol_id, self)}"
