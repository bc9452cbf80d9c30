"""Finding drills: the library's drills, the drills under some paths, one drill by id or file.

A drill's protocol is resolved the way ``run`` resolves an id, so a drill always checks the
protocol that a walk would use; a protocol in the drill's own folder (or among the paths
given) comes first, so a trainer's folder of a protocol and its drills works as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import CrisisGuideError, did_you_mean
from ..files import YAML_SUFFIXES, documents_at, looks_like_path
from ..library import Library, ProtocolLookup
from ..loader import file_kind
from ..model import Protocol
from ..yamldoc import Document, peek_header, read_document
from .model import LoadedDrill, drill_from_document


def library_drills(library: Library) -> list[LoadedDrill]:
    """Every drill of the library, checked against the library's protocols."""
    protocols = ProtocolLookup(library)
    return [drill_from_document(doc, protocols) for doc in library.drills]


def drills_at(paths: Sequence[Path], library: Library) -> tuple[list[LoadedDrill], ProtocolLookup]:
    """The drills named by ``paths`` (files or folders), checked against the protocols found
    in the same paths or beside the drills, then the library's; and that lookup."""
    library = library.with_files(paths)
    found: dict[str, Protocol] = {}
    files: dict[str, str] = {}
    drill_docs: list[Document] = []
    for doc in documents_at(paths):
        kind = file_kind(doc.data)
        if kind == "drill" or (kind == "unknown" and doc.problems):
            drill_docs.append(doc)
        elif kind == "protocol":
            loaded = library.protocol_of(doc)
            if loaded.protocol is not None:
                found[loaded.protocol.id] = loaded.protocol
                files[loaded.protocol.id] = doc.path
    for doc in drill_docs:
        _add_beside(doc, found, files, library)
    protocols = ProtocolLookup(library, found, files)
    return [drill_from_document(doc, protocols) for doc in drill_docs], protocols


def _add_beside(
    drill: Document, found: dict[str, Protocol], files: dict[str, str], library: Library
) -> None:
    """The protocol a drill names, if it is in the drill's own folder."""
    wanted = drill.data.get("protocol") if isinstance(drill.data, dict) else None
    if not isinstance(wanted, str) or wanted in found:
        return
    folder = Path(drill.path).parent
    for sibling in sorted(folder.iterdir()) if folder.is_dir() else []:
        if sibling.suffix not in YAML_SUFFIXES or sibling.name.startswith("."):
            continue
        header = peek_header(str(sibling))
        if (
            header is not None
            and header.kind == "protocol"
            and (header.id or header.extends) == wanted
        ):
            loaded = library.protocol_of(read_document(str(sibling), regular_only=True))
            if loaded.protocol is not None:
                found[wanted] = loaded.protocol
                files[wanted] = str(sibling)
            return


def find_drill(ref: str, library: Library) -> tuple[LoadedDrill, Protocol]:
    """The drill named by ``ref`` (an id in the library, or a file) and its protocol,
    refused with its errors if it has any. Only that drill and its protocol are read."""
    if Path(ref).is_file() or looks_like_path(ref):
        if not Path(ref).is_file():
            raise CrisisGuideError(f"{ref}: no such file")
        drills, protocols = drills_at([Path(ref)], library)
        loaded = drills[0]
    else:
        paths = library.drill_paths(ref)
        if not paths:
            known = sorted(h.id for h in library.headers if h.kind == "drill" and h.id)
            raise CrisisGuideError(
                f"no drill with id '{ref}'{did_you_mean(ref, known)}; "
                "run 'crisisguide drill list' to see them"
            )
        protocols = ProtocolLookup(library)
        loaded = drill_from_document(library.document(paths[0]), protocols)
    errors = [p for p in loaded.problems if p.is_error]
    if errors or loaded.drill is None:
        raise CrisisGuideError(f"{loaded.path}: the drill has errors and cannot be run", errors)
    loaded.protocol_file = protocols.file_of(loaded.drill.protocol)
    return loaded, protocols[loaded.drill.protocol]


def file_sha256(path: str) -> str:
    """The SHA-256 of a file's bytes, or "" when it cannot be read (a results line then
    says the hash is unknown rather than failing a finished drill)."""
    import hashlib

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""
