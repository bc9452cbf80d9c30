"""One benchmark task in its own process; prints "SECONDS PEAK_MIB" about the task alone.

python bench/worker.py raw|check DIR        parse / validate every file in DIR
python bench/worker.py validate|export FILE  one (large) protocol, no size limit
python bench/worker.py loads|report FILE    json.loads of every line / drill report's figures
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crisisguide.loader import LoadedProtocol


def raw(folder: Path) -> None:
    import yaml

    for path in sorted(folder.glob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def check(folder: Path) -> None:
    from crisisguide.library import Library
    from crisisguide.validate import check_paths

    problems, _ = check_paths([folder], Library(folders=[]), dt.date.today())
    if problems:
        raise SystemExit(f"the corpus is not clean: {problems[:3]}")


def _big(path: Path) -> LoadedProtocol:
    from crisisguide.loader import protocol_from_document
    from crisisguide.yamldoc import Limits, read_document

    limits = Limits(max_bytes=64 * 1024 * 1024, max_nodes=10_000_000)
    return protocol_from_document(read_document(str(path), limits))


def validate(path: Path) -> None:
    from crisisguide.validate import Context, validate_protocol

    problems = validate_protocol(_big(path), Context())
    if any(p.is_error for p in problems):
        raise SystemExit(f"{path}: {problems[:3]}")


def export(path: Path) -> None:
    from crisisguide.export.markdown import checklist

    loaded = _big(path)
    assert loaded.protocol is not None
    checklist(loaded.protocol, {}, "US")


def loads(path: Path) -> None:
    """The baseline of the report: every line of a results file through ``json.loads``."""
    import json

    with path.open("rb") as stream:
        for line in stream:
            if line.strip():
                json.loads(line)


def report(path: Path) -> None:
    """``drill report``'s work in-process: read, sum up, summarise, render as JSON."""
    from crisisguide.drills.report import Tally
    from crisisguide.drills.results import LineProblem, read_results
    from crisisguide.text import to_json

    tally = Tally()
    for _, _, value in read_results([path]):
        if isinstance(value, LineProblem):
            raise SystemExit(str(value))
        tally.add(value)
    to_json(tally.summary())


def main() -> None:
    task, target = sys.argv[1], Path(sys.argv[2])
    if task not in ("raw", "loads"):
        from crisisguide.memory import freeze_built_data

        freeze_built_data()  # as the command line does
    if task == "report":
        import crisisguide.drills.report
        import crisisguide.drills.results
        import crisisguide.text
    elif task in ("validate", "export", "check"):
        import crisisguide.export.markdown
        import crisisguide.library
        import crisisguide.loader
        import crisisguide.validate  # noqa: F401
    else:
        import yaml  # noqa: F401
    started = time.perf_counter()
    tasks = {"raw": raw, "check": check, "validate": validate, "export": export,
             "loads": loads, "report": report}  # fmt: skip
    tasks[task](target)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.6f} {peak:.1f}")


if __name__ == "__main__":
    main()
