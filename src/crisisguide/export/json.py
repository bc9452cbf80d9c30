"""The normalised protocol as JSON, with referrals resolved for a region. Deterministic."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..loader import LoadedProtocol
from ..referrals import Entry, Resolved
from ..shapes import dump
from ..text import to_json


def protocol_json(
    loaded: LoadedProtocol, resolved: Mapping[str, Sequence[Resolved]], region: str
) -> str:
    """Every key of the protocol (defaults filled in, ``x-`` keys kept where they were),
    and for each outcome the directory entries its referrals resolve to in ``region``."""
    assert loaded.protocol is not None
    data: dict[str, Any] = dump(loaded.protocol, exclude_none=True)
    for path, extensions in sorted(
        loaded.extensions.items(), key=lambda kv: [str(p) for p in kv[0]]
    ):
        target: Any = data
        for elem in path:
            target = target[elem]
        target.update(extensions)
    data["resolved_referrals"] = {
        "region": region,
        "outcomes": {
            outcome_id: [_resolved(item) for item in items]
            for outcome_id, items in resolved.items()
        },
    }
    return to_json(data) + "\n"


def _resolved(item: Resolved) -> dict[str, Any]:
    if isinstance(item, Entry):
        return item.as_result()
    return {"kind": item.kind, "unlisted": True, "region": item.region}
