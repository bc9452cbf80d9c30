"""One protocol file, checked: structure from loading, then nodes, flow, wording and
references. Pure: never raises for bad input, never prints."""

from __future__ import annotations

from ..errors import Code, Problem
from ..loader import LoadedProtocol
from .checker import Checker
from .flow import check_flow
from .nodes import check_header, check_nodes
from .references import Context, check_references, summarize
from .wording import check_wording


def validate_protocol(loaded: LoadedProtocol, context: Context | None = None) -> list[Problem]:
    """All problems of one protocol file, structural and semantic, in file order."""
    context = context or Context()
    problems = list(loaded.problems)
    protocol = loaded.partial
    if protocol is not None:
        checker = Checker(loaded, protocol, context)
        _check(checker)
        problems.extend(checker.problems)
        if not context.deferred:
            problems.extend(check_references(summarize(loaded), context))
    return sorted(problems, key=Problem.sort_key)


def _check(c: Checker) -> None:
    check_header(c)
    check_nodes(c)
    targets_ok = not any(p.code == Code.NOT_A_NODE.id for p in c.problems)
    if c.loaded.complete and targets_ok and c.protocol.start in c.protocol.nodes:
        check_flow(c)
    check_wording(c)
