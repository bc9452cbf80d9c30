"""Drill runs as xAPI 1.0.3 statements, for a learning record store (docs/trainers.md,
"xAPI"). Pure: a results line and the settings in, a statement (a JSON-ready dict) out.

One statement a run: the trainee is the actor (an Agent identified by an account on the
base IRI), the verb is ADL's passed or failed (completed when the run has no disposition
to judge), the object is the drill as an Activity whose IRI is built on the base, and the
result carries the scaled score, success, completion, the duration and the three category
scores as extensions. The statement id is a UUID derived from the line, the base and the
pass mark, so exporting the same lines again gives the same ids and a record store does not
count a run twice.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote, urlsplit

from .report import Run

DEFAULT_BASE = "https://crisisguide.invalid/xapi"
"""A placeholder that never resolves (the ``.invalid`` domain is reserved): a service sets
its own with ``--xapi-base`` or the config file's ``xapi_base``."""
VERBS = {
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
}
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
LANGUAGE = "en"


def checked_base(base: str) -> str:
    """The base IRI without a trailing slash; ValueError unless it is an http(s) URL (the
    account's homePage must be one)."""
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"the xAPI base must be an http or https address with no query or fragment, "
            f"like {DEFAULT_BASE}; got '{base}'"
        )
    return base.strip().rstrip("/")


def _segment(value: str) -> str:
    return quote(value, safe="-._~") or "unknown"


def statement(record: dict[str, Any], run: Run, base: str, pass_mark: float) -> dict[str, Any]:
    """The statement of one run. ``run`` is what :func:`.report.pick_run` read from
    ``record``; ``run.trainee`` must be set (an Agent needs an identifier)."""
    assert run.trainee is not None
    judged = "disposition" in run.scores
    verb = ("passed" if run.passed else "failed") if judged else "completed"
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    title = record.get("drill_title")
    name = title if isinstance(title, str) and title.strip() else run.drill
    result: dict[str, Any] = {
        "score": {
            "scaled": round(run.overall, 4),
            "raw": sum(c for c, _ in run.scores.values()),
            "min": 0,
            "max": sum(t for _, t in run.scores.values()),
        },
        "completion": True,
    }
    if judged:
        result["success"] = run.passed
    seconds = run.seconds
    if seconds is None and run.when is not None and run.started is not None:
        seconds = max(0.0, (run.when - run.started).total_seconds())
    if seconds is not None:
        result["duration"] = f"PT{seconds:.2f}S"
    extensions = {
        f"{base}/extensions/{category}-score": round(correct / total, 4)
        for category, (correct, total) in run.scores.items()
        if total
    }
    if extensions:
        result["extensions"] = extensions
    found: dict[str, Any] = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}#{pass_mark}#{canonical}")),
        "version": "1.0.3",
        "actor": {
            "objectType": "Agent",
            "name": run.trainee,
            "account": {"homePage": base, "name": run.trainee},
        },
        "verb": {"id": VERBS[verb], "display": {LANGUAGE: verb}},
        "object": {
            "objectType": "Activity",
            "id": f"{base}/drills/{_segment(run.drill)}",
            "definition": {"name": {LANGUAGE: name}, "type": ASSESSMENT},
        },
        "result": result,
        "context": {
            "contextActivities": {
                "parent": [{"objectType": "Activity",
                            "id": f"{base}/protocols/{_segment(run.protocol)}"}]
            },
        },
    }  # fmt: skip
    if run.version:
        found["context"]["extensions"] = {f"{base}/extensions/protocol-version": run.version}
    if run.when is not None:
        found["timestamp"] = run.when.isoformat(timespec="seconds")
    return found
