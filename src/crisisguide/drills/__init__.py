"""Drills: trainer-scripted scenarios on top of the engine. Pure; no prompts, no printing.

A drill (docs/format.md, "Drills") names a protocol, a vignette, what the simulated client
says at each node and the answer it means, and the expected disposition.

- :mod:`.model`: drill files and their checks;
- :mod:`.find`: the library's drills, the drills under some paths, one drill by id;
- :mod:`.check`: ``drill check``, a drill's script walked to what it expects;
- :mod:`.coverage`: ``drill coverage``, what no drill reaches;
- :mod:`.run`: ``drill run``, a trainee's run, scored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .check import CheckResult, check_drill, check_drills
from .coverage import Coverage, all_answers, coverage, coverage_report
from .find import drills_at, find_drill, library_drills
from .model import (
    ClientLine,
    Drill,
    Expect,
    LoadedDrill,
    check_duplicate_drill_ids,
    drill_from_document,
)

if TYPE_CHECKING:
    from .run import CATEGORIES, Debrief, DrillRun, Feedback, Phrasing, results_record

_SCORING = ("CATEGORIES", "Debrief", "DrillRun", "Feedback", "Phrasing", "results_record")


def __getattr__(name: str) -> Any:
    """Scoring (:mod:`.run`) is imported on first use: checking files, which reads
    drills, does not load it."""
    if name in _SCORING:
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CATEGORIES", "CheckResult", "ClientLine", "Coverage", "Debrief", "Drill", "DrillRun",
    "Expect", "Feedback", "LoadedDrill", "Phrasing", "all_answers", "check_drill",
    "check_drills", "check_duplicate_drill_ids", "coverage", "coverage_report",
    "drill_from_document", "drills_at", "find_drill", "library_drills", "results_record",
]  # fmt: skip
