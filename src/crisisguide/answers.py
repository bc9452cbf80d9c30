"""Answers files: node id -> answer, checked against the protocol before the walk.

An answers file (docs/format.md, "Answers files") may name nodes the walk never visits; every entry is
still checked, so a typo is found before it matters. Problems name the node, list the
valid labels and carry the file:line:col of the entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .engine import Response, SessionError, accept
from .errors import Code, CrisisGuideError, Problem, did_you_mean, problem
from .model import Protocol
from .yamldoc import DEFAULT_LIMITS, Document, Limits, read_document


def load_answers(
    path: str, protocol: Protocol, limits: Limits = DEFAULT_LIMITS
) -> dict[str, Response]:
    """The answers in ``path``, or a :class:`CrisisGuideError` listing every problem."""
    return _checked(read_document(path, limits), protocol)


def answers_from_bytes(
    raw: bytes, name: str, protocol: Protocol, limits: Limits = DEFAULT_LIMITS
) -> dict[str, Response]:
    """Answers read from elsewhere than a file (standard input), checked the same way."""
    from .yamldoc import parse_yaml

    return _checked(parse_yaml(raw, name, limits), protocol)


def _checked(doc: Document, protocol: Protocol) -> dict[str, Response]:
    answers, problems = answers_from_document(doc, protocol)
    if problems:
        raise CrisisGuideError(
            f"{doc.path}: the answers file has {len(problems)} problem(s)", problems
        )
    return answers


def answers_from_document(
    doc: Document, protocol: Protocol
) -> tuple[dict[str, Response], list[Problem]]:
    problems = list(doc.problems)
    if problems:
        return {}, problems
    if not isinstance(doc.data, dict):
        return {}, [
            problem(
                Code.BAD_YAML, "an answers file is a mapping of node id -> answer", doc.at(1, 1)
            )
        ]
    return check_answers(doc, doc.data, protocol, ())


def check_answers(
    doc: Document, data: Mapping[Any, Any], protocol: Protocol, base: tuple[Any, ...]
) -> tuple[dict[str, Response], list[Problem]]:
    """Check node id -> answer entries found at ``base`` in ``doc`` (drills reuse this)."""
    answers: dict[str, Response] = {}
    problems: list[Problem] = []
    for node_id, value in data.items():
        where = doc.locate((*base, node_id))
        if node_id not in protocol.nodes:
            problems.append(
                problem(
                    Code.NOT_A_NODE,
                    f"'{node_id}' is not a node of {protocol.id}"
                    f"{did_you_mean(node_id, protocol.nodes)}",
                    doc.locate((*base, node_id), key=True),
                )
            )
            continue
        answer, message = parse_answer(protocol, str(node_id), value)
        if message:
            problems.append(problem(Code.BAD_VALUE, message, where))
        else:
            answers[str(node_id)] = answer
    return answers, problems


def parse_answer(protocol: Protocol, node_id: str, value: Any) -> tuple[Response, str | None]:
    """One answer checked against its node: (answer, None) or (None, why not)."""
    try:
        return accept(node_id, protocol.nodes[node_id], value), None
    except SessionError as exc:
        return None, exc.message
