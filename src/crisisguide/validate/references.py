"""The checks against the rest of a library: referrals against the directory (CG112,
CG130), follow-ups against the library (CG140) and duplicate protocol ids (CG113).

They work on a small :class:`Summary` of each file rather than its parse tree, so that
checking thousands of files keeps memory flat.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import Code, Location, Problem, did_you_mean, problem
from ..formats import REFERRAL_KINDS, URGENT_REFERRAL_KINDS
from ..library import Library
from ..loader import LoadedProtocol
from ..model import Outcome


@dataclass
class Context:
    """What a protocol is checked against beyond its own file.

    ``library_ids``: ids of every protocol in the library (for ``follow_up``, CG140);
    ``None`` skips that check. ``directory``: referral entry id -> kind (CG112, CG130);
    ``None`` means no directory is known, so only referral kinds can be checked.
    """

    library_ids: set[str] | None = None
    directory: Mapping[str, str] | None = None
    deferred: bool = False
    """Skip the checks against the library and directory (CG112, CG130, CG140): the
    caller runs :func:`check_references` on the file's :class:`Summary` later, once it
    knows every protocol and directory entry (``validate`` of many files does this)."""


@dataclass(frozen=True)
class OutcomeRefs:
    """What an outcome's referral checks need: the kinds it names, the other referrals
    (directory ids, or typos) with their locations, and, for an urgent outcome that
    names no urgent kind itself, where its tier is (for CG130)."""

    node_id: str
    tier: str
    kinds: frozenset[str]
    others: tuple[tuple[str, Location], ...]
    urgent_at: Location | None


@dataclass(frozen=True)
class Summary:
    """What the library-wide checks need from one protocol file, without its parse trees.

    Checking thousands of files keeps one summary per file instead of every node tree.
    """

    path: str
    id: str
    id_location: Location
    follow_ups: tuple[tuple[str, Location], ...] = ()
    outcomes: tuple[OutcomeRefs, ...] = ()
    layer: int = 0
    """The library layer the file is in: ids clash only within one layer."""
    sha256: str = ""


def summarize(loaded: LoadedProtocol) -> Summary:
    protocol = loaded.partial
    if protocol is None:
        return Summary(loaded.path, "", loaded.doc.locate(()))
    locate = loaded.doc.locate
    follow_ups: list[tuple[str, Location]] = []
    outcomes: list[OutcomeRefs] = []
    for node_id, node in protocol.nodes.items():
        if not isinstance(node, Outcome):
            continue
        base = ("nodes", node_id)
        follow_ups.extend(
            (follow, locate((*base, "follow_up", i))) for i, follow in enumerate(node.follow_up)
        )
        urgent = protocol.is_urgent(node.tier)
        kinds = frozenset(ref for ref in node.referrals if ref in REFERRAL_KINDS)
        others = tuple(
            (ref, locate((*base, "referrals", i)))
            for i, ref in enumerate(node.referrals)
            if ref not in REFERRAL_KINDS
        )
        needs_check = urgent and not kinds & URGENT_REFERRAL_KINDS
        urgent_at = locate((*base, "tier")) if needs_check else None
        if others or urgent_at is not None:
            outcomes.append(OutcomeRefs(node_id, node.tier, kinds, others, urgent_at))
    return Summary(
        loaded.path, protocol.id, locate(("id",)), tuple(follow_ups), tuple(outcomes),
        sha256=loaded.doc.sha256,
    )  # fmt: skip


def check_references(summary: Summary, context: Context) -> list[Problem]:
    """The checks against the library and directory: CG112, CG130 and CG140."""
    problems: list[Problem] = []
    if context.library_ids is not None:
        problems.extend(check_follow_ups(summary, context.library_ids))
    for outcome in summary.outcomes:
        problems.extend(_check_referrals(outcome, context.directory))
    return problems


def _check_referrals(outcome: OutcomeRefs, directory: Mapping[str, str] | None) -> list[Problem]:
    problems: list[Problem] = []
    kinds_reached = set(outcome.kinds)
    for ref, location in outcome.others:
        if directory is not None and ref in directory:
            kinds_reached.add(directory[ref])
        elif directory is not None:
            names = [*REFERRAL_KINDS, *directory]
            problems.append(
                problem(
                    Code.UNKNOWN_REFERRAL,
                    f"referral '{ref}' is neither a referral kind nor a directory entry"
                    f"{did_you_mean(ref, names)}",
                    location,
                )
            )
        elif did_you_mean(ref, REFERRAL_KINDS):
            problems.append(
                problem(
                    Code.UNKNOWN_REFERRAL,
                    f"referral kind '{ref}' is unknown{did_you_mean(ref, REFERRAL_KINDS)}",
                    location,
                )
            )
    if outcome.urgent_at is not None and not (kinds_reached & URGENT_REFERRAL_KINDS):
        problems.append(
            problem(
                Code.URGENT_WITHOUT_HELP,
                f"outcome '{outcome.node_id}' is in the top two tiers ('{outcome.tier}') but has "
                "no 'emergency' or 'crisis-line' referral",
                outcome.urgent_at,
            )
        )
    return problems


def check_follow_ups(summary: Summary, library_ids: set[str]) -> list[Problem]:
    """CG140 for every ``follow_up`` that names no protocol of the library."""
    return [
        problem(
            Code.UNKNOWN_FOLLOW_UP,
            f"follow_up '{follow}' is not a protocol in the library"
            f"{did_you_mean(follow, library_ids)}",
            location,
        )
        for follow, location in summary.follow_ups
        if follow not in library_ids
    ]


def check_duplicate_ids(summaries: Iterable[Summary]) -> list[Problem]:
    """CG113 for every protocol whose id an earlier file of the same layer already uses
    (a later layer overrides; byte-identical files are never a conflict)."""
    first: dict[tuple[str, int], Summary] = {}
    problems = []
    for summary in summaries:
        if not summary.id:
            continue
        earlier = first.get((summary.id, summary.layer))
        if earlier is None:
            first[(summary.id, summary.layer)] = summary
        elif not (earlier.sha256 and earlier.sha256 == summary.sha256):
            problems.append(
                problem(
                    Code.DUPLICATE_ID,
                    f"protocol id '{summary.id}' is already used by {earlier.id_location} "
                    "in the same layer of the library (a later layer may override it)",
                    summary.id_location,
                )
            )
    return problems


def library_context(library: Library, directory: Mapping[str, str] | None = None) -> Context:
    """What a protocol of ``library`` is checked against (docs/format.md, "Validation")."""
    return Context(library_ids=library.protocol_ids, directory=directory)
