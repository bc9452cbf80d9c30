"""Problems with a location, the project's one exception type, and exit codes.

Every user-facing error in crisisguide is a :class:`Problem` (compiler-style, so an editor
can jump to it) or a :class:`CrisisGuideError` carrying one or more of them. Nothing here
prints: the CLI decides what to show and which exit code to use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from .codes import Code, Severity
from .text import one_line

__all__ = [
    "Code", "CrisisGuideError", "ExitCode", "Location", "Problem", "Severity", "Terminated",
    "UsageError", "did_you_mean", "problem",
]  # fmt: skip


class ExitCode(IntEnum):
    OK = 0
    DATA = 1
    USAGE = 2
    INTERNAL = 3
    INTERRUPTED = 130


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file; ``line`` and ``column`` are 1-based (0 means unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        file = one_line(self.file)  # a file name can hold anything, even escape sequences
        if self.line <= 0:
            return file
        return f"{file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: str
    location: Location

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value} {self.code} {self.message}"

    def as_github(self) -> str:
        """The problem as a GitHub Actions workflow command, which the pull request shows as
        an annotation on the line (``validate --format github``)."""
        loc = self.location
        props = [f"file={_gh_property(loc.file)}"]
        if loc.line:
            props.append(f"line={loc.line}")
            if loc.column:
                props.append(f"col={loc.column}")
        props.append(f"title={_gh_property(f'crisisguide {self.code}')}")
        level = "error" if self.is_error else "warning"
        return f"::{level} {','.join(props)}::{_gh_data(f'{self.code} {self.message}')}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def problem(code: Code, message: str, location: Location) -> Problem:
    """A problem of kind ``code``, with the severity the registry gives it. The message is
    one line with no control characters, whatever values it echoes."""
    return Problem(code.id, code.severity, one_line(message), location)


class CrisisGuideError(Exception):
    """A problem with the user's files, data or environment (exit code 1 by default)."""

    def __init__(
        self,
        message: str,
        problems: list[Problem] | None = None,
        exit_code: ExitCode = ExitCode.DATA,
    ) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message = message
        self.footer = ""
        """A last line after the message (how to reach emergency help, for a refusal)."""
        self.problems = list(problems or [])
        self.exit_code = exit_code


class Terminated(BaseException):
    """The process was told to stop (SIGTERM, or SIGHUP when its terminal closed).

    A BaseException, like KeyboardInterrupt, so that ``finally`` blocks run (no temporary
    file is left behind) and nothing mistakes it for an ordinary error.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class UsageError(CrisisGuideError):
    """The command line itself is wrong (exit code 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=ExitCode.USAGE)


def did_you_mean(word: object, candidates: Iterable[object]) -> str:
    """A ``" (did you mean 'x'?)"`` suffix when a candidate is close to ``word``, else ``""``."""
    import difflib

    names = [c for c in candidates if isinstance(c, str)]
    match = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
