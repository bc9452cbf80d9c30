"""Drill files: the model, and the checks of a drill against itself and its protocol
(located problems with the same codes as protocols; see docs/format.md, "Drills")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated

from ..answers import check_answers
from ..engine import Response
from ..errors import Code, Location, Problem, did_you_mean, problem
from ..formats import REFERRAL_KINDS, FormatVersion, Slug, Strict, Text
from ..library import ProtocolLookup
from ..model import Protocol, Question
from ..shapes import MinLen
from ..structure import model_from_document
from ..yamldoc import Document


class ClientLine(Strict):
    """What the simulated client says at a node, and the answer it means."""

    says: Text | None = None
    answer: str | list[str] | None = None


class Expect(Strict):
    """The expected disposition: the outcome, and/or its tier (the tier the outcome screen
    shows), and referrals that must be among the outcome's."""

    outcome: Slug | None = None
    tier: Slug | None = None
    referrals: list[Slug] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.outcome is None and self.tier is None:
            raise ValueError("expect needs an outcome, a tier, or both")


class Drill(Strict):
    format: FormatVersion
    id: Slug
    title: Text
    protocol: Slug
    vignette: Text
    client: Annotated[dict[Slug, ClientLine], MinLen(1)]
    expect: Expect
    tags: list[Slug] = field(default_factory=list)
    notes: Text | None = None


@dataclass
class LoadedDrill:
    doc: Document
    drill: Drill | None = None
    answers: dict[str, Response] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    protocol_file: str = ""
    """The file of the protocol the drill runs on, where :func:`.find.find_drill` knows it."""

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def ok(self) -> bool:
        return self.drill is not None and not any(p.is_error for p in self.problems)


def drill_from_document(doc: Document, protocols: Mapping[str, Protocol]) -> LoadedDrill:
    """Check a drill file against the model and against its protocol."""
    loaded = LoadedDrill(doc=doc, problems=list(doc.problems))
    if not isinstance(doc.data, dict):
        return loaded
    drill, problems = model_from_document(doc, Drill)
    loaded.problems.extend(problems)
    if drill is None:
        return loaded
    loaded.drill = drill
    protocol = protocols.get(drill.protocol)
    if protocol is None:
        why = (
            protocols.why_not(drill.protocol)
            if isinstance(protocols, ProtocolLookup)
            else f"protocol '{drill.protocol}' is not in the library"
            f"{did_you_mean(drill.protocol, protocols)}"
        )
        loaded.problems.append(problem(Code.BAD_VALUE, why, doc.locate(("protocol",))))
        return loaded
    loaded.problems.extend(_check_against(doc, drill, protocol, loaded))
    return loaded


def _check_against(
    doc: Document, drill: Drill, protocol: Protocol, loaded: LoadedDrill
) -> list[Problem]:
    answers = {node_id: line.answer for node_id, line in drill.client.items()}
    loaded.answers, problems = check_answers(doc, answers, protocol, ("client",))
    for node_id, line in drill.client.items():
        node = protocol.nodes.get(node_id)
        if isinstance(node, Question) and line.says is None:
            problems.append(
                problem(
                    Code.MISSING_KEY,
                    f"client line for question '{node_id}' needs 'says': what the client says",
                    doc.locate(("client", node_id)),
                )
            )
    problems.extend(_check_expect(doc, drill.expect, protocol))
    return problems


def _check_expect(doc: Document, expect: Expect, protocol: Protocol) -> list[Problem]:
    problems = []
    outcomes = protocol.outcome_ids
    if expect.outcome is not None and expect.outcome not in outcomes:
        problems.append(
            problem(
                Code.NOT_A_NODE,
                f"expected outcome '{expect.outcome}' is not an outcome of {protocol.id}"
                f"{did_you_mean(expect.outcome, outcomes)}; outcomes: {', '.join(outcomes)}",
                doc.locate(("expect", "outcome")),
            )
        )
    if expect.tier is not None and expect.tier not in protocol.tiers:
        problems.append(
            problem(
                Code.UNKNOWN_TIER,
                f"tier '{expect.tier}' is not in the scale{did_you_mean(expect.tier, protocol.tiers)}; "
                f"tiers are: {', '.join(protocol.tiers)}",
                doc.locate(("expect", "tier")),
            )
        )
    for i, ref in enumerate(expect.referrals):
        if ref not in REFERRAL_KINDS:
            problems.append(
                problem(
                    Code.UNKNOWN_REFERRAL,
                    f"referral kind '{ref}' is unknown{did_you_mean(ref, REFERRAL_KINDS)}",
                    doc.locate(("expect", "referrals", i)),
                )
            )
    return problems


def check_duplicate_drill_ids(drills: Iterable[tuple[str, Location, int, str]]) -> list[Problem]:
    """CG113 for every drill whose id an earlier drill of the same layer of the library has
    (id, where it is written, layer, SHA-256): a later layer overrides an earlier one, and
    byte-identical files are never a conflict, as for protocols."""
    first: dict[tuple[str, int], tuple[Location, str]] = {}
    problems = []
    for drill_id, where, layer, sha256 in drills:
        if not drill_id:
            continue
        earlier = first.get((drill_id, layer))
        if earlier is None:
            first[(drill_id, layer)] = (where, sha256)
        elif not (sha256 and sha256 == earlier[1]):
            problems.append(
                problem(
                    Code.DUPLICATE_ID,
                    f"drill id '{drill_id}' is already used by {earlier[0]} in the same layer "
                    "of the library (a later layer may override it)",
                    where,
                )
            )
    return problems
