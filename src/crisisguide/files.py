"""Finding YAML files and reading them: the files named by paths (files as given, folders
searched), as parsed documents one at a time."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Code
from .yamldoc import DEFAULT_LIMITS, Document, Limits, failed_document, paused_gc, read_document

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Found:
    """The YAML files under a folder, and the folders under it that could not be read."""

    files: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    """(folder, reason) for each folder that could not be listed (no permission...)."""

    def problems(self) -> list[Document]:
        """Each unreadable folder as a document with its one problem (CG100)."""
        return [
            failed_document(folder, Code.BAD_YAML, f"cannot read the folder: {reason}")
            for folder, reason in self.unreadable
        ]


def scan(root: Path) -> Found:
    """Every YAML file under ``root`` (or ``root`` itself), sorted, skipping hidden entries;
    and every folder under it that could not be read, so that none is skipped silently."""
    found = Found()
    if root.is_file():
        found.files.append(str(root))
        return found

    def unreadable(exc: OSError) -> None:
        found.unreadable.append((str(exc.filename or root), exc.strerror or type(exc).__name__))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.files.extend(
            os.path.join(dirpath, name)
            for name in filenames
            if name.endswith(YAML_SUFFIXES) and not name.startswith(".")
        )
    found.files.sort(key=lambda p: p.split(os.sep))
    return found


def yaml_files(root: Path) -> list[str]:
    """Every YAML file under ``root`` (or ``root`` itself), sorted, skipping hidden entries."""
    return scan(root).files


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def looks_like_path(ref: str) -> bool:
    return ref.endswith(YAML_SUFFIXES) or os.sep in ref or "/" in ref


def documents_at(paths: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> Iterator[Document]:
    """Every YAML document named by ``paths`` (files as given, folders searched), one by one.

    A file found in a folder must be a regular file (a FIFO there would hang the command);
    a file named on the command line may be a pipe. An unreadable folder is a document
    with its problem. The cyclic collector is paused while the documents are produced and
    checked (see :func:`crisisguide.yamldoc.paused_gc`), with a young-generation collection
    every 256 files so that the rare cycle (an exception's traceback) cannot pile up.
    """
    with paused_gc():
        count = 0
        for path in paths:
            if not path.is_dir():
                yield read_document(str(path), limits)
                continue
            found = scan(path)
            yield from found.problems()
            for file in found.files:
                count += 1
                if count % 256 == 0:
                    gc.collect(0)
                yield read_document(file, limits, regular_only=True)
