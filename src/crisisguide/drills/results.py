"""Reading ``drill run --results`` files back: one JSON object a line (docs/trainers.md).

Lines are read one at a time and handed on as they are parsed, so a file of any size
is read in bounded memory. Blank lines are skipped; a line that is not a JSON object is
one located problem (``FILE:LINE: error ...``) and reading goes on with the next line.
What a line means is for :mod:`.report` to pick out, field by field, defensively.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CrisisGuideError


@dataclass(frozen=True)
class LineProblem:
    """A results line that could not be used, and why."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: error {self.message}"


def check_readable(paths: Iterable[Path]) -> None:
    """Refuse, before any reading, a path that is not a readable regular file (a folder, a
    FIFO that would block, a missing file)."""
    import os
    import stat

    for path in paths:
        try:
            info = path.stat()
        except OSError as exc:
            raise CrisisGuideError(
                f"{path}: cannot read the results file: {exc.strerror or type(exc).__name__}"
            ) from None
        if not stat.S_ISREG(info.st_mode):
            raise CrisisGuideError(f"{path}: not a results file (a folder, FIFO or device)")
        if not os.access(path, os.R_OK):
            raise CrisisGuideError(f"{path}: cannot read the results file: permission denied")


def read_results(paths: Iterable[Path]) -> Iterator[tuple[str, int, Any]]:
    """(file, line number, parsed value) for every non-blank line of every file, in order;
    a line that is not JSON comes as a :class:`LineProblem` in place of its value."""
    for path in paths:
        name = str(path)
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed below, after the generator ends
        except OSError as exc:
            raise CrisisGuideError(
                f"{name}: cannot read the results file: {exc.strerror or type(exc).__name__}"
            ) from None
        with stream:
            for number, raw in enumerate(stream, 1):
                if not raw.strip():
                    continue
                try:
                    value = json.loads(raw.decode("utf-8"))  # str: no encoding to detect
                except ValueError as exc:  # JSONDecodeError, and UnicodeDecodeError
                    yield name, number, LineProblem(name, number, f"not a JSON line: {_why(exc)}")
                    continue
                yield name, number, value


def _why(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    return "not UTF-8 text"
