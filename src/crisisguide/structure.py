"""pydantic's validation errors -> located, trainer-readable problems.

Used for every file format (protocols, drills, referral directories, config):
CG102 missing key, CG103 unknown key (with "did you mean"), CG104 wrong type or value,
each at the exact YAML node from the same parse.
"""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .errors import Code, Problem, did_you_mean, problem
from .formats import (
    ID_PATTERN,
    LOCALE_PATTERN,
    NODE_KINDS,
    SEMVER_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
)
from .yamldoc import BROKEN, Document

_PATTERN_MESSAGES = {
    ID_PATTERN: "is not a valid id: use lowercase letters, digits and hyphens (like 'wish-dead')",
    SEMVER_PATTERN: "is not a semantic version like 1.2.0",
    URL_PATTERN: "is not a web address starting with http:// or https://",
    LOCALE_PATTERN: "is not a language tag like 'en' or 'en-GB'",
}


M = TypeVar("M", bound=BaseModel)


def model_from_document(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """``doc``'s data as a ``model``, or None and every located problem of its shape."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, problems_from_validation(exc, doc, model)


def problems_from_validation(
    exc: ValidationError, doc: Document, root: type[BaseModel]
) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        if err.get("input") is BROKEN:
            continue  # the value could not be read at all; that problem is already reported
        problems.append(_problem(err, tuple(err["loc"]), doc, root))
    return problems


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the discriminator tag pydantic inserts after a node id."""
    if len(loc) >= 3 and loc[0] == "nodes" and loc[2] in NODE_KINDS:
        return loc[:2] + loc[3:]
    return loc


def _where(loc: tuple[Any, ...]) -> str:
    """A short reading of where in the file the problem is, for the message."""
    parts: list[str] = []
    rest = loc
    if len(loc) >= 2 and loc[0] == "nodes" and loc[1] != "[key]":
        parts.append(f"node '{loc[1]}'")
        rest = loc[2:]
    dotted = ""
    for elem in rest:
        if elem == "[key]":
            continue
        dotted += f"[{elem}]" if isinstance(elem, int) else (f".{elem}" if dotted else str(elem))
    if dotted:
        parts.append(dotted)
    return ": ".join(parts)


def _problem(err: Any, raw_loc: tuple[Any, ...], doc: Document, root: type[BaseModel]) -> Problem:
    loc = _clean_loc(raw_loc)
    kind: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        where = _where(loc[:-1])
        suffix = f" in {where}" if where else ""
        return problem(
            Code.MISSING_KEY, f"missing required key '{loc[-1]}'{suffix}", doc.locate(loc[:-1])
        )
    if kind == "extra_forbidden":
        known = _fields_at(root, raw_loc[:-1])
        hint = did_you_mean(loc[-1], known)
        if not hint and known:
            hint = f" (expected one of: {', '.join(known)})"
        where = _where(loc[:-1])
        suffix = f" in {where}" if where else ""
        return problem(
            Code.UNKNOWN_KEY, f"unknown key '{loc[-1]}'{suffix}{hint}", doc.locate(loc, key=True)
        )
    if kind == "union_tag_not_found":
        return problem(
            Code.MISSING_KEY, f"missing required key 'kind' in {_where(loc)}", doc.locate(loc)
        )
    if loc and loc[-1] == "[key]":
        return problem(
            Code.BAD_VALUE, _value_message(kind, value, ctx, err), doc.locate(loc[:-1], key=True)
        )
    where = _where(loc)
    prefix = f"{where}: " if where else ""
    target_loc = (*loc, "kind") if kind == "union_tag_invalid" else loc
    return problem(
        Code.BAD_VALUE, prefix + _value_message(kind, value, ctx, err), doc.locate(target_loc)
    )


def _value_message(kind: str, value: Any, ctx: dict[str, Any], err: Any) -> str:
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        if pattern == TEXT_PATTERN:
            return "should not be empty"
        return f"'{value}' " + _PATTERN_MESSAGES.get(pattern, f"does not match {pattern}")
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        return (
            f"unknown node kind '{tag}'{did_you_mean(tag, NODE_KINDS)}; "
            f"expected one of: {', '.join(NODE_KINDS)}"
        )
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"needs at least {n} item{'s' if n != 1 else ''}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}, not {_show(value)}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    expected = _EXPECTED.get(kind)
    if expected:
        hint = " (put it in quotes)" if kind == "string_type" and _scalar(value) else ""
        return f"should be {expected}, not {_describe(value)}{hint}"
    return str(err["msg"])


_EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "date_type": "a date like 2026-01-31",
}


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


def _fields_at(root: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at ``loc`` (for 'did you mean' on unknown keys)."""
    annotation: Any = root
    for elem in loc:
        annotation = step_into(annotation, elem)
        if annotation is None:
            return []
    model = _as_model(annotation)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def step_into(annotation: Any, elem: Any) -> Any:
    models = _models(annotation)
    if len(models) > 1 and isinstance(elem, str):
        for member in models:  # a discriminated union: pydantic puts the tag in the path
            kind = member.model_fields.get("kind")
            if kind is not None and get_args(kind.annotation) == (elem,):
                return member
    model = models[0] if models else None
    if model is not None:
        for name, info in model.model_fields.items():
            if elem in (name, info.alias):
                return info.annotation
        return None
    args = [a for a in _flatten(annotation) if a is not type(None)]
    for arg in args:
        origin = get_origin(arg)
        if origin is list and isinstance(elem, int):
            return get_args(arg)[0]
        if origin is dict:
            return get_args(arg)[1]
    return None


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [a for a in _flatten(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]


def _as_model(annotation: Any) -> type[BaseModel] | None:
    models = _models(annotation)
    return models[0] if len(models) == 1 else None


def _flatten(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _flatten(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [x for arg in get_args(annotation) for x in _flatten(arg)]
    return [annotation]
