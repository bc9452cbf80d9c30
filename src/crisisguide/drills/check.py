"""``drill check``: whether each drill's script walks its protocol to what it expects.
Drills are tests of protocols."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..engine import Session, SessionError, play
from ..errors import Location
from ..library import Library, ProtocolLookup
from ..model import Protocol
from .find import drills_at
from .model import LoadedDrill, drill_from_document


@dataclass(frozen=True)
class CheckResult:
    """Whether a drill's script reaches what it expects; each failure says how not, at the
    line of the drill it is about."""

    drill_id: str
    outcome: str | None
    tier: str | None
    failures: tuple[tuple[str, Location], ...]
    protocol_file: str = ""
    """The file of the protocol the drill was walked through (an override or overlay, a
    copy beside the drill, or the built-in)."""

    @property
    def passed(self) -> bool:
        return not self.failures


def check_drill(loaded: LoadedDrill, protocol: Protocol) -> CheckResult:
    """Walk ``protocol`` with the drill's client answers and compare with ``expect``."""
    assert loaded.drill is not None
    drill, doc = loaded.drill, loaded.doc
    try:
        session = play(Session(protocol), loaded.answers)
    except SessionError as exc:
        reason = exc.message.replace(
            "there is no answer for it", "the drill has no client line for it"
        )
        return CheckResult(drill.id, None, None, ((reason, doc.locate(("client",))),))
    outcome = session.outcome
    failures = []
    expect = drill.expect
    if expect.outcome is not None and session.current_id != expect.outcome:
        failures.append((
            f"expected outcome '{expect.outcome}', but the walk reached '{session.current_id}'",
            doc.locate(("expect", "outcome")),
        ))  # fmt: skip
    if expect.tier is not None and outcome.tier != expect.tier:
        failures.append((
            f"expected tier '{expect.tier}', but the outcome reached is tier '{outcome.tier}'",
            doc.locate(("expect", "tier")),
        ))  # fmt: skip
    missing = [r for r in expect.referrals if r not in outcome.referrals]
    if missing:
        failures.append((
            f"expected referrals {', '.join(missing)} are not among the outcome's referrals "
            f"({', '.join(outcome.referrals) or 'none'})",
            doc.locate(("expect", "referrals")),
        ))  # fmt: skip
    return CheckResult(drill.id, session.current_id, outcome.tier, tuple(failures))


def check_drills(
    paths: Sequence[Path], library: Library
) -> list[tuple[LoadedDrill, CheckResult | None]]:
    """``drill check``: every drill under ``paths`` with its result (None when the drill
    itself has errors, which are in its problems). No paths: every drill in the library
    (built-in and every layer's folders)."""
    if paths:
        drills, protocols = drills_at(paths, library)
    else:
        protocols = ProtocolLookup(library)
        drills = [drill_from_document(doc, protocols) for doc in library.drills]
    results: list[tuple[LoadedDrill, CheckResult | None]] = []
    for loaded in drills:
        result = None
        if loaded.ok and loaded.drill is not None:
            result = check_drill(loaded, protocols[loaded.drill.protocol])
            result = replace(result, protocol_file=protocols.file_of(loaded.drill.protocol))
        results.append((loaded, result))
    return results
