"""Finding YAML files and reading them: the files named by paths (files as given, folders
searched), as parsed documents one at a time."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .yamldoc import DEFAULT_LIMITS, Document, Limits, paused_gc, read_document

YAML_SUFFIXES = (".yaml", ".yml")


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


def looks_like_path(ref: str) -> bool:
    return ref.endswith(YAML_SUFFIXES) or os.sep in ref or "/" in ref


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
