"""Finding drills: the library's drills, the drills under some paths, one drill by id or file.

Drills are checked against the protocols of the library, plus any protocol found beside
them in the same paths (so a trainer's folder of a protocol and its drills works as it is).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import CrisisGuideError, did_you_mean
from ..files import documents_at, looks_like_path
from ..library import Library
from ..loader import file_kind, protocol_from_document
from ..model import Protocol
from ..yamldoc import read_document
from .model import LoadedDrill, drill_from_document


def library_drills(library: Library) -> list[LoadedDrill]:
    """Every drill of the library, checked against the library's protocols."""
    protocols = library.valid_protocols()
    return [drill_from_document(doc, protocols) for doc in library.drills]


def drills_at(
    paths: Sequence[Path], library: Library
) -> tuple[list[LoadedDrill], dict[str, Protocol]]:
    """The drills named by ``paths`` (files or folders), checked against the library plus
    any protocols found in the same paths; and those protocols, by id."""
    protocols = library.valid_protocols()
    drill_docs = []
    for doc in documents_at(paths):
        kind = file_kind(doc.data)
        if kind == "drill" or (kind == "unknown" and doc.problems):
            drill_docs.append(doc)
        elif kind == "protocol":
            loaded = protocol_from_document(doc)
            if loaded.protocol is not None:
                protocols[loaded.protocol.id] = loaded.protocol
    return [drill_from_document(doc, protocols) for doc in drill_docs], protocols


def find_drill(ref: str, library: Library) -> LoadedDrill:
    """The drill named by ``ref`` (an id in the library, or a file), refused with its errors
    if it has any."""
    if Path(ref).is_file() or looks_like_path(ref):
        if not Path(ref).is_file():
            raise CrisisGuideError(f"{ref}: no such file")
        loaded = drill_from_document(read_document(ref), library.valid_protocols())
    else:
        drills = library_drills(library)
        matches = [d for d in drills if d.drill and d.drill.id == ref]
        if not matches:
            known = [d.drill.id for d in drills if d.drill]
            raise CrisisGuideError(
                f"no drill with id '{ref}'{did_you_mean(ref, known)}; "
                "run 'crisisguide drill list' to see them"
            )
        loaded = matches[0]
    errors = [p for p in loaded.problems if p.is_error]
    if errors or loaded.drill is None:
        raise CrisisGuideError(f"{loaded.path}: the drill has errors and cannot be run", errors)
    return loaded
