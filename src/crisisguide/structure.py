"""Flaws in a file's data -> located, trainer-readable problems.

Used for every file format (protocols, drills, referral directories, config): CG102 missing
key, CG103 unknown key (with "did you mean"), CG104 wrong type or value, each at the exact
YAML node from the same parse. The checking itself is :mod:`crisisguide.shapes`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from .errors import Code, Problem, did_you_mean, problem
from .formats import (
    ID_PATTERN,
    LOCALE_PATTERN,
    NODE_KINDS,
    SEMVER_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
)
from .shapes import KEY, Flaw, Record, check
from .yamldoc import BROKEN, Document

_PATTERN_MESSAGES = {
    ID_PATTERN: "is not a valid id: use lowercase letters, digits and hyphens (like 'wish-dead')",
    SEMVER_PATTERN: "is not a semantic version like 1.2.0",
    URL_PATTERN: "is not a web address starting with http:// or https://",
    LOCALE_PATTERN: "is not a language tag like 'en' or 'en-GB'",
}


M = TypeVar("M", bound=Record)


def model_from_document(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """``doc``'s data as a ``model``, or None and every located problem of its shape."""
    value, flaws = check(model, doc.data)
    return value, problems_from_flaws(flaws, doc)


def problems_from_flaws(flaws: list[Flaw], doc: Document) -> list[Problem]:
    # a value that could not be read at all is already reported
    return [_problem(flaw, doc) for flaw in flaws if flaw.value is not BROKEN]


def _where(loc: tuple[Any, ...]) -> str:
    """A short reading of where in the file the problem is, for the message."""
    parts: list[str] = []
    rest = loc
    if len(loc) >= 2 and loc[0] == "nodes" and loc[1] != KEY:
        parts.append(f"node '{loc[1]}'")
        rest = loc[2:]
    dotted = ""
    for elem in rest:
        if elem == KEY:
            continue
        dotted += f"[{elem}]" if isinstance(elem, int) else (f".{elem}" if dotted else str(elem))
    if dotted:
        parts.append(dotted)
    return ": ".join(parts)


def _problem(flaw: Flaw, doc: Document) -> Problem:
    loc, kind, ctx = flaw.loc, flaw.kind, flaw.ctx
    if kind == "missing":
        where = _where(loc[:-1])
        suffix = f" in {where}" if where else ""
        return problem(
            Code.MISSING_KEY, f"missing required key '{loc[-1]}'{suffix}", doc.locate(loc[:-1])
        )
    if kind == "unknown_key":
        known: list[str] = list(ctx.get("known", []))
        hint = did_you_mean(str(loc[-1]), known)
        if not hint and known:
            hint = f" (expected one of: {', '.join(known)})"
        where = _where(loc[:-1])
        suffix = f" in {where}" if where else ""
        return problem(
            Code.UNKNOWN_KEY, f"unknown key '{loc[-1]}'{suffix}{hint}", doc.locate(loc, key=True)
        )
    if kind == "no_tag":
        return problem(
            Code.MISSING_KEY, f"missing required key 'kind' in {_where(loc)}", doc.locate(loc)
        )
    if loc and loc[-1] == KEY:
        return problem(Code.BAD_VALUE, _value_message(flaw), doc.locate(loc[:-1], key=True))
    where = _where(loc[:-1] if kind == "bad_tag" else loc)
    prefix = f"{where}: " if where else ""
    return problem(Code.BAD_VALUE, prefix + _value_message(flaw), doc.locate(loc))


def _value_message(flaw: Flaw) -> str:
    kind, value, ctx = flaw.kind, flaw.value, flaw.ctx
    if kind == "pattern":
        pattern = str(ctx.get("pattern"))
        if pattern == TEXT_PATTERN:
            return "should not be empty"
        return f"'{value}' " + _PATTERN_MESSAGES.get(pattern, f"does not match {pattern}")
    if kind == "bad_tag":
        tag = str(ctx.get("tag"))
        return (
            f"unknown node kind '{tag}'{did_you_mean(tag, NODE_KINDS)}; "
            f"expected one of: {', '.join(NODE_KINDS)}"
        )
    if kind == "too_short":
        n = ctx.get("min", 1)
        return f"needs at least {n} item{'s' if n != 1 else ''}"
    if kind == "literal":
        return f"must be {ctx.get('expected')}, not {_show(value)}"
    if kind == "invalid":
        return str(ctx.get("error"))
    expected = str(ctx.get("expected"))
    hint = " (put it in quotes)" if expected == "text" and _scalar(value) else ""
    return f"should be {expected}, not {_describe(value)}{hint}"


def _scalar(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a true/false value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)
