"""Where protocols (and drills and referral directories) are found: the library's folders,
the files in them sorted by what they are, and lookup of a protocol by id or path.

The library is read in layers (docs/sites.md): the built-in library shipped inside the
package, then the folders of ``CRISISGUIDE_PATH`` (os.pathsep-separated), then the config
file's folders, then ``--protocols DIR``. A protocol in a later layer with an id that an
earlier layer has overrides it; two files with one id in the same layer are a conflict
(CG113), unless they are byte for byte the same. The config file can hide built-in ids.
Every command resolves an id through :meth:`Library.resolve`. A file path works wherever
an id does.

Each file is first known by its header (kind and id, read from the parser's events
without building anything); a file is read in full only when it is needed, so finding
one protocol by id does not load the others. This module only finds and indexes files;
checking them is :mod:`crisisguide.validate`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import filecache
from .errors import Code, CrisisGuideError, Location, did_you_mean, problem
from .files import display_path, looks_like_path, scan
from .language import _
from .loader import LoadedProtocol, file_kind, protocol_from_document
from .model import Protocol
from .overlay import Extends, extends_of, extends_problems, in_range, merge, version_range
from .places import builtin_dir
from .yamldoc import DEFAULT_LIMITS, Document, Header, Limits, peek_header, read_document

ENV_PATH = "CRISISGUIDE_PATH"
LAYERS = ("built-in", "CRISISGUIDE_PATH", "config", "--protocols")
"""The library's layers, in search order: a later layer overrides an earlier one."""


@dataclass(frozen=True)
class Folder:
    path: Path
    layer: int


def env_folders(environ: dict[str, str] | None = None) -> list[Path]:
    value = (environ if environ is not None else os.environ).get(ENV_PATH, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def search_layers(
    extra: Sequence[Path] = (), environ: dict[str, str] | None = None, config: Sequence[Path] = ()
) -> list[Folder]:
    """The folders searched, in order, each once and in its layer: the same folder reached
    by two spellings (``lib`` and ``lib/../lib``, or through a link) is one folder, in the
    first layer that names it."""
    named = [(builtin_dir(), 0), *((f, 1) for f in env_folders(environ)),
             *((f, 2) for f in config), *((f, 3) for f in extra)]  # fmt: skip
    unique: list[Folder] = []
    seen: set[str] = set()
    for folder, layer in named:
        key = _real(folder)
        if key not in seen:
            seen.add(key)
            unique.append(Folder(folder, layer))
    return unique


def search_folders(
    extra: Sequence[Path] = (), environ: dict[str, str] | None = None, config: Sequence[Path] = ()
) -> list[Path]:
    """The folders searched, in order (see :func:`search_layers`)."""
    return [f.path for f in search_layers(extra, environ, config)]


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
    hidden: list[str] = field(default_factory=list)
    """The built-in ids left out because the config file hides them."""
    hidden_by: str = ""
    """The config file that hides them, named when a hidden id is asked for."""
    _documents: dict[str, Document] = field(default_factory=dict, repr=False)
    _protocols: dict[str, LoadedProtocol] = field(default_factory=dict, repr=False)
    _index: tuple[int, dict[str, list[Header]]] = field(default=(-1, {}), repr=False)
    _paths: tuple[int, dict[str, Header]] = field(default=(-1, {}), repr=False)

    def _by_id(self) -> dict[str, list[Header]]:
        """Protocol headers by id (or by path when the id could not be read), in search
        order; rebuilt when headers were added, so that a lookup never scans them all."""
        if self._index[0] != len(self.headers):
            index: dict[str, list[Header]] = {}
            for h in self.headers:
                if h.kind == "protocol":
                    index.setdefault(h.id or h.path, []).append(h)
            self._index = (len(self.headers), index)
        return self._index[1]

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

    def directory_files(self) -> list[str]:
        """Referral directories in the library's own folders (not the built-in one, which
        is the default directory), in layer order: a service keeps its local services
        beside its protocols, and they are merged over the default."""
        found = [h for h in self.headers if h.kind == "directory" and h.layer > 0]
        return [h.path for h in sorted(found, key=lambda h: h.layer)]

    def with_files(self, paths: Iterable[Path]) -> Library:
        """This library with the protocols in ``paths`` (files or folders named on the
        command line) on top, so that an overlay checked there finds a base beside it.
        Only regular files are looked at (a pipe is read once, by the command itself)."""
        known = {_real(Path(h.path)) for h in self.headers}
        cached = filecache.Headers()
        extra: list[Header] = []
        for path in paths:
            files = scan(path).files if path.is_dir() else [str(path)]
            for file in files:
                if _real(Path(file)) in known or not _regular(file):
                    continue
                header = cached_header(display_path(Path(file)), self.limits, cached)
                if header is not None and header.kind == "protocol":
                    extra.append(replace(header, layer=len(LAYERS)))
                    known.add(_real(Path(file)))
        cached.save()
        if not extra:
            return self
        return replace(self, headers=[*self.headers, *extra], _protocols={})

    # --- reading files in full, once ---------------------------------------------------------

    def document(self, path: str) -> Document:
        if path not in self._documents:
            self._documents[path] = read_document(path, self.limits, regular_only=True)
        return self._documents[path]

    def loaded(self, path: str) -> LoadedProtocol:
        if path not in self._protocols:
            header = self._by_path().get(path)
            layer = header.layer if header is not None else len(LAYERS)
            self._protocols[path] = self.protocol_of(self.document(path), layer)
        return self._protocols[path]

    def forget(self, path: str) -> None:
        """Let go of a file read in full (``list`` reads every protocol once, in turn, and
        keeps only a row of each: memory stays flat however large the library)."""
        self._documents.pop(path, None)
        self._protocols.pop(path, None)

    def _by_path(self) -> dict[str, Header]:
        if self._paths[0] != len(self.headers):
            self._paths = (len(self.headers), {h.path: h for h in self.headers})
        return self._paths[1]

    def protocol_of(
        self, doc: Document, layer: int = len(LAYERS), chain: tuple[str, ...] = ()
    ) -> LoadedProtocol:
        """A protocol file, loaded; an overlay (``extends``) is merged with its base first,
        the base found the way an id is resolved (a lower layer when the overlay has the
        base's own id). ``layer`` is the file's layer (after the library for a file named
        on the command line)."""
        wanted = extends_of(doc.data)
        if wanted is None:
            loaded = protocol_from_document(doc)
            if isinstance(doc.data, dict) and "extends" in doc.data:
                loaded.problems += extends_problems(doc)
            return loaded
        base = self._base(doc, wanted, layer)
        if isinstance(base, str):
            where = doc.locate(("extends",))
            return LoadedProtocol(
                doc=doc, problems=[*doc.problems, problem(Code.NO_BASE, base, where)]
            )
        if _real(Path(base.path)) in {_real(Path(p)) for p in (*chain, doc.path)}:
            cycle = " -> ".join([*chain, doc.path, base.path])
            message = f"overlays extend each other in a circle: {cycle}"
            return LoadedProtocol(
                doc=doc, problems=[problem(Code.NO_BASE, message, doc.locate(("extends",)))]
            )
        below = self.protocol_of(self.document(base.path), base.layer, (*chain, doc.path))
        unbuilt = [p for p in below.problems if p.code == Code.NO_BASE.id]
        if unbuilt:  # the base has no base of its own (or they form a circle)
            return LoadedProtocol(doc=doc, problems=[*doc.problems, *unbuilt])
        return protocol_from_document(merge(below.doc, doc))

    def _base(self, doc: Document, wanted: Extends, layer: int) -> Header | str:
        """The header of an overlay's base, or why there is none."""
        own = doc.data.get("id", wanted.id) if isinstance(doc.data, dict) else wanted.id
        found = [h for h in self.headers if h.kind == "protocol" and h.id == wanted.id
                 and _real(Path(h.path)) != _real(Path(doc.path))]  # fmt: skip
        if own == wanted.id:  # an overlay of the same id overrides its base: look below it
            found = [h for h in found if h.layer < layer]
        if not found and self.hidden_note(wanted.id):
            return f"extends '{wanted.id}', but {self.hidden_note(wanted.id)}"
        if not found:
            where = "in an earlier layer of the library" if own == wanted.id else "in the library"
            return f"extends '{wanted.id}', which is not {where}{did_you_mean(wanted.id, self.protocol_ids)}"
        top = max(h.layer for h in found)
        base = next(h for h in found if h.layer == top)
        if version_range(wanted.version or "") is not None and not in_range(
            base.version, wanted.version
        ):  # a malformed range is CG104, reported with the overlay's other problems
            return (f"extends '{wanted.id}' {wanted.version}, but the library has version "
                    f"{base.version or 'unknown'} ({base.path}): check the overlay against it, "
                    "then widen the range")  # fmt: skip
        return base

    @property
    def protocols(self) -> list[LoadedProtocol]:
        """Every protocol in effect, read in full (overridden ones are left out)."""
        return [self.loaded(h.path) for h in self.in_effect()]

    @property
    def drills(self) -> list[Document]:
        """Every drill in effect (see :meth:`drill_paths`), read in full; a built-in drill
        of a protocol the config file hides is hidden with it."""
        built_in = {h.path for h in self.headers if h.kind == "drill" and h.layer == 0}
        docs = [self.document(path) for path in self.drill_paths()]
        return [d for d in docs if not (d.path in built_in and isinstance(d.data, dict)
                                        and d.data.get("protocol") in self.hidden)]  # fmt: skip

    def drill_paths(self, drill_id: str | None = None) -> list[str]:
        """The drill files in effect, in search order: for each id, those of the latest
        layer that has it (byte-identical copies counted once), as for protocols; files
        with no id are all kept (their problems are reported)."""
        found = [h for h in self.headers if h.kind == "drill"
                 and (drill_id is None or h.id == drill_id)]  # fmt: skip
        top: dict[str, int] = {}
        for h in found:
            if h.id:
                top[h.id] = max(top.get(h.id, -1), h.layer)
        kept: list[str] = []
        seen: set[tuple[str, str]] = set()
        for h in found:
            if h.id and (h.layer != top[h.id] or (h.id, h.sha256) in seen):
                continue
            seen.add((h.id, h.sha256))
            kept.append(h.path)
        return kept

    @property
    def directories(self) -> list[Document]:
        return [self.document(path) for path in self.paths("directory")]

    @property
    def unknown(self) -> list[Document]:
        """Files that are neither protocol, drill nor directory (often broken ones), and
        what could not be read at all."""
        docs = [self.document(path) for path in self.paths("unknown")]
        return self.unreadable + [d for d in docs if file_kind(d.data) == "unknown"]

    def resolve(self, protocol_id: str) -> list[Header]:
        """The file(s) in effect for ``protocol_id``: those of the latest layer that has it
        (a later layer overrides an earlier one), byte-identical copies counted once. More
        than one is a conflict within that layer; none, an unknown id."""
        found = self._by_id().get(protocol_id, []) if protocol_id else []
        if not found:
            return []
        top = max(h.layer for h in found)
        winners: list[Header] = []
        for header in found:
            if header.layer == top and all(
                w.sha256 != header.sha256 or not w.sha256 for w in winners
            ):
                winners.append(header)
        return winners

    def overridden(self, protocol_id: str) -> list[Header]:
        """The files of earlier layers that ``protocol_id``'s file in effect overrides."""
        winners = self.resolve(protocol_id)
        top = winners[0].layer if winners else -1
        return [h for h in self._by_id().get(protocol_id, []) if h.id and h.layer < top]

    def hidden_note(self, protocol_id: str) -> str:
        """Why ``protocol_id`` is not found when the config file hides it, or ''."""
        if protocol_id not in self.hidden:
            return ""
        # in English: validation messages quote it too (docs/interface-language.md)
        by = f"the config file {self.hidden_by}" if self.hidden_by else "the config file"
        return (f"{by} hides the built-in protocol '{protocol_id}' (its 'hide:' list); "
                "take it out of that list to use it")  # fmt: skip

    def overrides(self, protocol_id: str) -> str:
        """What ``protocol_id``'s file in effect overrides, as ``list`` and ``show`` say
        it: the layer and version of the file just below (``built-in 1.2.0``), or ''. An
        overlay that does not write its own version has the version it inherits."""
        below = self.overridden(protocol_id)
        if not below:
            return ""
        loaded = self.loaded(below[-1].path)
        version = loaded.protocol.version if loaded.protocol is not None else below[-1].version
        return f"{LAYERS[below[-1].layer]} {version}".strip()

    def in_effect(self) -> list[Header]:
        """Every protocol in effect, one per id (or every file of a same-layer conflict),
        in search order."""
        found: list[Header] = []
        for key, headers in self._by_id().items():
            found += self.resolve(key) if headers[0].id else headers
        return found

    def by_id(self, protocol_id: str) -> list[LoadedProtocol]:
        """The protocols in effect with this id (read in full; only those)."""
        return [self.loaded(h.path) for h in self.resolve(protocol_id)]

    def valid_protocol(self, protocol_id: str) -> Protocol | None:
        """The protocol with this id if exactly one file has it and it loads cleanly."""
        matches = self.by_id(protocol_id)
        return matches[0].protocol if len(matches) == 1 else None

    def valid_protocols(self) -> dict[str, Protocol]:
        """Id -> protocol in effect, for every one that loads without errors."""
        found: dict[str, Protocol] = {}
        for loaded in self.protocols:
            if loaded.protocol is not None:
                found.setdefault(loaded.protocol.id, loaded.protocol)
        return found


def load_library(
    folders: Iterable[Path | Folder],
    limits: Limits = DEFAULT_LIMITS,
    hide: Iterable[str] = (),
    hidden_by: str = "",
) -> Library:
    """The library in ``folders`` (each in its layer; a bare path is in the built-in layer
    if it is the built-in folder, else the next): every file's header is read; nothing is
    built yet. Built-in protocols whose ids are in ``hide`` are left out; ``hidden_by`` is
    the config file that says so."""
    layered = [f if isinstance(f, Folder) else Folder(f, _layer_of(f)) for f in folders]
    hidden = set(hide)
    known = filecache.Headers()
    library = Library(folders=[f.path for f in layered], limits=limits, hidden_by=hidden_by)
    for entry in layered:
        folder = entry.path
        try:
            if not folder.exists():
                continue
        except OSError as exc:  # a folder on the way that we may not enter
            reason = exc.strerror or type(exc).__name__
            library.unreadable += _unreadable(str(folder), f"cannot read the folder: {reason}")
            continue
        listing = scan(folder)
        library.unreadable += listing.problems()
        for path in listing.files:
            shown = display_path(Path(path))
            header = cached_header(shown, limits, known) or Header(
                shown, "unknown", "", Location(shown, 1, 1)
            )
            if entry.layer == 0 and header.kind == "protocol" and header.id in hidden:
                library.hidden.append(header.id)
                continue
            library.headers.append(replace(header, layer=entry.layer))
    known.save()
    return library


def cached_header(
    path: str, limits: Limits = DEFAULT_LIMITS, known: filecache.Headers | None = None
) -> Header | None:
    """:func:`peek_header` of ``path``, from the cache when the file has not changed
    since it was last read (``known``: the cache's headers, saved by the caller)."""
    headers = known if known is not None else filecache.Headers()
    key = filecache.stamp(path)
    if key is not None and filecache.size(key) > limits.max_bytes:
        key = None  # too large to read: peek_header says so
    entry = headers.get(key)
    if entry is not None:
        try:
            return Header(
                path=path, kind=entry["kind"], id=entry["id"],
                location=Location(path, int(entry["line"]), int(entry["column"])),
                title=entry["title"], version=entry["version"], extends=entry["extends"],
                sha256=entry["sha256"],
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            pass  # a damaged entry: read the file
    header = peek_header(path, limits)
    if header is not None:
        headers.put(key, {
            "kind": header.kind, "id": header.id, "line": header.location.line,
            "column": header.location.column, "title": header.title,
            "version": header.version, "extends": header.extends, "sha256": header.sha256,
        })  # fmt: skip
    if known is None:
        headers.save()
    return header


def _regular(path: str) -> bool:
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _layer_of(folder: Path) -> int:
    return 0 if _real(folder) == _real(builtin_dir()) else 1


def _unreadable(path: str, message: str) -> list[Document]:
    from .yamldoc import failed_document

    return [failed_document(path, Code.BAD_YAML, message)]


def find_protocol(ref: str, library: Library, limits: Limits = DEFAULT_LIMITS) -> LoadedProtocol:
    """The protocol named by ``ref``: a file path (which may be a pipe, ``<(...)``), or an
    id in the library, or ``ID@LAYER`` (``suicide-risk-screen@built-in``): the file a layer
    of the library has for that id, even when a later layer overrides it."""
    if looks_like_path(ref) or os.path.lexists(ref):
        doc = _named_file(ref, limits)
        header = next((h for h in library.headers if _real(Path(h.path)) == _real(Path(ref))), None)
        return library.protocol_of(doc, header.layer if header else len(LAYERS))
    if "@" in ref:
        return _in_layer(ref, library)
    matches = library.by_id(ref)
    if not matches and library.hidden_note(ref):
        raise CrisisGuideError(library.hidden_note(ref))
    if not matches:
        hint = did_you_mean(ref, sorted(library.protocol_ids))
        raise CrisisGuideError(
            # Translators: {hint} is empty or " (did you mean 'x'?)", left in English.
            _("no protocol with id '{id}'{hint}; run 'crisisguide list' to see the library").format(
                id=ref, hint=hint
            )
        )
    if len(matches) > 1:
        where = ", ".join(str(m.doc.locate(("id",))) for m in matches)
        raise CrisisGuideError(
            _("protocol id '{id}' is defined more than once in one layer of the library: "
              "{where}").format(id=ref, where=where)
        )  # fmt: skip
    return matches[0]


def _in_layer(ref: str, library: Library) -> LoadedProtocol:
    protocol_id, _at, layer_name = ref.rpartition("@")
    names = {name.lstrip("-").casefold(): i for i, name in enumerate(LAYERS)}
    layer = names.get(layer_name.lstrip("-").casefold())
    if layer is None:
        raise CrisisGuideError(_("'{layer}' in '{ref}' is not a layer of the library (one of: "
                                 "{layers})").format(layer=layer_name, ref=ref,
                                                     layers=", ".join(LAYERS)))  # fmt: skip
    found = [h for h in library.headers if h.kind == "protocol" and h.id == protocol_id
             and h.layer == layer]  # fmt: skip
    if not found and layer == 0 and library.hidden_note(protocol_id):
        raise CrisisGuideError(library.hidden_note(protocol_id))
    if not found:
        hint = did_you_mean(protocol_id, sorted(library.protocol_ids))
        raise CrisisGuideError(_("no protocol with id '{id}' in the {layer} layer of the "
                                 "library{hint}").format(id=protocol_id, layer=LAYERS[layer],
                                                         hint=hint))  # fmt: skip
    distinct = {h.sha256 for h in found}
    if len(distinct) > 1:
        where = ", ".join(str(h.location) for h in found)
        raise CrisisGuideError(_("protocol id '{id}' is defined more than once in the {layer} "
                                 "layer: {where}").format(id=protocol_id, layer=LAYERS[layer],
                                                          where=where))  # fmt: skip
    return library.loaded(found[0].path)


def _named_file(ref: str, limits: Limits) -> Document:
    """The file the user named, read; a clear error if it is not a protocol file."""
    try:
        os.stat(ref)
    except FileNotFoundError:
        raise CrisisGuideError(_("{path}: no such file").format(path=ref)) from None
    except OSError as exc:
        raise CrisisGuideError(
            _("{path}: cannot read it: {reason}").format(path=ref, reason=exc.strerror)
        ) from None
    if os.path.isdir(ref):
        raise CrisisGuideError(
            _("{path}: is a folder; name a protocol file or an id").format(path=ref)
        )
    doc = read_document(ref, limits)
    if doc.data is not None and file_kind(doc.data) != "protocol":
        raise CrisisGuideError(_("{path}: not a protocol (it has no 'nodes' key)").format(path=ref))
    return doc


class ProtocolLookup(Mapping[str, Protocol]):
    """Protocols by id as a drill needs them: ``extra`` ones first (found beside the drill
    or named on the command line), then the library's, resolved the way ``run`` resolves an
    id; each read in full only when asked for."""

    def __init__(
        self,
        library: Library,
        extra: Mapping[str, Protocol] | None = None,
        extra_files: Mapping[str, str] | None = None,
    ) -> None:
        self.library = library
        self.extra = dict(extra or {})
        self.extra_files = dict(extra_files or {})

    def file_of(self, protocol_id: str) -> str:
        """The file the protocol in use for ``protocol_id`` came from."""
        if protocol_id in self.extra_files:
            return self.extra_files[protocol_id]
        winners = self.library.resolve(protocol_id)
        return winners[0].path if winners else ""

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
        if self.library.hidden_note(protocol_id):
            return self.library.hidden_note(protocol_id)
        return f"protocol '{protocol_id}' is not in the library{did_you_mean(protocol_id, self)}"
