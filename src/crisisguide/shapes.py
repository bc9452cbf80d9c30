"""Typed records checked against the data of a file, every problem at once. No I/O.

The file formats (protocols, drills, referral directories, the config file) are frozen
records (:class:`Record`). This module reads their type hints once and checks a file's data against
them: text is text and a number is a number (no conversions), patterns, minimum lengths,
missing keys, every unknown key, a tagged union (the node kinds) and a check of the whole
record after its fields (a ``__post_init__`` that raises ``ValueError``). Each problem is a
:class:`Flaw` holding the path of the value in the data; :mod:`crisisguide.structure` turns
flaws into located, trainer-readable problems. The JSON Schema of a record is generated
from the same hints (:func:`json_schema`), so the two never disagree.

Constraints are written in the hints with ``Annotated``: :class:`Pattern` (a regular
expression the text must contain a match of, ``$`` meaning the very end), :class:`MinLen`,
:class:`Before` (a function run on the raw value first) and :class:`Tagged` (a union told
apart by one key). A field's key in the file may differ from its name (``metadata={"alias": key}``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

__all__ = [
    "KEY", "Before", "Flaw", "MinLen", "Pattern", "Record", "ShapeError", "Tagged", "check",
    "dump", "json_schema", "keys_of",
]  # fmt: skip


class _Value:
    """A small immutable value compared by its fields (cheaper to define than a
    dataclass: nothing is generated when the module is imported)."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Value)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((self.__class__, self._fields()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"


class Pattern(_Value):
    """The text must contain a match of ``regex`` (anchor it with ``^...$`` for a whole
    match; ``$`` is the very end of the text, never before a final line break)."""

    __slots__ = ("regex",)

    def __init__(self, regex: str) -> None:
        self.regex = regex


class MinLen(_Value):
    """At least ``n`` items (a list) or keys (a mapping)."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n


class Before(_Value):
    """A function run on the raw value before its type is checked: it returns the value
    to check, or raises ``ValueError`` with a message for the trainer."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn


class Tagged(_Value):
    """A union of records told apart by the value of one key (``kind``)."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key


class Flaw(_Value):
    """One problem with the data: what is wrong (``kind``), where (``loc``, the keys and
    indexes from the top of the data), the value found, and details for the message.

    Kinds: ``missing`` (a required key), ``unknown_key`` (``known``: the keys allowed),
    ``no_tag`` / ``bad_tag`` (the union's key is missing / unknown; ``tag``, ``tags``),
    ``pattern`` (``pattern``), ``too_short`` (``min``), ``literal`` (``expected``),
    ``invalid`` (``error``: the message of a failed check) and ``type`` (``expected``: in
    words). A flaw at a mapping's key, not its value, ends its ``loc`` with ``KEY``.
    """

    __slots__ = ("ctx", "kind", "loc", "value")

    def __init__(
        self, kind: str, loc: tuple[Any, ...], value: Any, ctx: Mapping[str, Any] | None = None
    ) -> None:
        self.kind = kind
        self.loc = loc
        self.value = value
        self.ctx: Mapping[str, Any] = ctx or {}

    def __hash__(self) -> int:
        return hash((self.kind, self.loc))


KEY = "[key]"
"""The last element of a flaw's ``loc`` when the flaw is in a mapping's key."""


class ShapeError(ValueError):
    """Data that does not fit a record (:meth:`Record.model_validate`)."""

    def __init__(self, flaws: list[Flaw]) -> None:
        self.flaws = flaws
        shown = "; ".join(f"{'.'.join(map(str, f.loc)) or '(top)'}: {f.kind}" for f in flaws[:5])
        super().__init__(f"{len(flaws)} problem(s): {shown}")


if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # typing has it from Python 3.11; before, it only informs type checkers
    dataclass_transform = getattr(typing, "dataclass_transform", lambda **_: lambda cls: cls)

R = TypeVar("R", bound="Record")
MISSING: Any = dataclasses.MISSING


class Spec(_Value):
    """One field of a record: its name, its key in files, and its default."""

    __slots__ = ("default", "factory", "key", "name")

    def __init__(
        self, name: str, key: str, default: Any = MISSING, factory: Callable[[], Any] | None = None
    ) -> None:
        self.name = name
        self.key = key
        self.default = default
        self.factory = factory

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.factory is None

    def default_value(self) -> Any:
        return self.factory() if self.factory is not None else self.default


@dataclass_transform(
    kw_only_default=True, frozen_default=True, field_specifiers=(dataclasses.field,)
)
class Record:
    """Base of every record of the file formats: a frozen, keyword-only record whose
    fields are its annotations (``field(default_factory=...)`` and ``field(metadata=
    {"alias": key})`` as for dataclasses), compared and hashed by value, with an optional
    ``__post_init__`` check. Built without generating code for each class, which keeps
    importing the formats cheap. Keys starting with ``x-`` never reach a record: the
    loader sets them aside (docs/format.md, "Extension keys")."""

    __specs__: typing.ClassVar[tuple[Spec, ...]] = ()
    __one_key__: typing.ClassVar[bool] = False
    """The record is written as exactly one of its keys, with a value (a condition form).
    The record's own ``__post_init__`` says so in words; the JSON Schema says it with
    ``minProperties``/``maxProperties`` and no ``null`` values."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        specs = {spec.name: spec for spec in cls.__specs__}
        for name, hint in inspect.get_annotations(cls).items():
            if str(hint).startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = cls.__dict__.get(name, MISSING)
            if isinstance(value, dataclasses.Field):
                factory: Any = value.default_factory
                specs[name] = Spec(
                    name,
                    value.metadata.get("alias", name),
                    value.default,
                    None if factory is MISSING else factory,
                )
                if value.default is MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, value.default)
            else:
                specs[name] = Spec(name, name, value)
        cls.__specs__ = tuple(specs.values())

    def __init__(self, **values: Any) -> None:
        names = {spec.name for spec in self.__specs__}
        unknown = [name for name in values if name not in names]
        if unknown:
            raise TypeError(f"{type(self).__name__}() has no field '{unknown[0]}'")
        missing = [
            spec.name for spec in self.__specs__ if spec.required and spec.name not in values
        ]
        if missing:
            raise TypeError(f"{type(self).__name__}() needs '{missing[0]}'")
        self._fill(values)

    def _fill(self, values: dict[str, Any]) -> None:
        """Set the fields from ``values`` (known names, every required one present) and
        the defaults of the rest, then run the record's own check (``__post_init__``)."""
        attributes = self.__dict__
        attributes.update(values)
        for spec in self.__specs__:
            if spec.name not in values:
                attributes[spec.name] = spec.default_value()
        post = getattr(self, "__post_init__", None)
        if post is not None:
            post()

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field '{name}'")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, spec.name) for spec in self.__specs__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__, self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{spec.name}={getattr(self, spec.name)!r}" for spec in self.__specs__)
        return f"{type(self).__name__}({shown})"

    @classmethod
    def model_validate(cls: type[R], data: Any) -> R:
        """``data`` as this record, or :class:`ShapeError` with every flaw."""
        value, flaws = check(cls, data)
        if value is None:
            raise ShapeError(flaws)
        return value


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, Record)


def keys_of(record: Record | type[Record]) -> list[tuple[str, str]]:
    """(name, key in the file) of each field of ``record`` (a record or its type), in
    order. A field's key differs from its name when the field has ``metadata={"alias":
    key}`` (``all``, ``any`` and ``not`` are Python keywords or built-ins)."""
    return [(spec.name, spec.key) for spec in record.__specs__]


T = TypeVar("T")


def check(shape: type[T] | Any, data: Any) -> tuple[T | None, list[Flaw]]:
    """``data`` as ``shape`` (a record type or any supported hint), or None and every
    flaw found."""
    flaws: list[Flaw] = []
    value = _checker(shape)(data, None, flaws)
    if flaws or value is _BAD:
        return None, flaws
    return value, []


# ---------------------------------------------------------------------------------------
# checking

_BAD: Any = object()
"""What a checker returns for a value it found flaws in."""

Where = tuple[Any, "Where"] | None
"""Where a value is, as checkers pass it down: (key or index, where its container is),
None at the top. Built by one small tuple per level, and spelled out as a path only for
a flaw."""

Checker = Callable[[Any, Where, list[Flaw]], Any]


def _flat(where: Where) -> tuple[Any, ...]:
    path = []
    while where is not None:
        path.append(where[0])
        where = where[1]
    return tuple(reversed(path))


_CHECKERS: dict[Any, Checker] = {}


def _checker(hint: Any) -> Checker:
    try:
        return _CHECKERS[hint]
    except KeyError:
        found = _CHECKERS[hint] = _compile(hint)
        return found


def _compile(hint: Any) -> Checker:
    origin = get_origin(hint)
    if origin is Annotated:
        return _annotated(hint)
    if origin is Literal:
        return _literal(get_args(hint))
    if origin in (Union, types.UnionType):
        return _union(get_args(hint))
    if origin is list:
        return _list_of(_checker(get_args(hint)[0]))
    if origin is dict:
        key, value = get_args(hint)
        return _dict_of(_checker(key), _checker(value))
    if _is_record(hint):
        return _RecordChecker(hint)
    simple = _SIMPLE.get(hint)
    if simple is None:
        raise TypeError(f"no checker for {hint!r}")
    return simple


def _is_text(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
    if isinstance(value, str):
        return value
    flaws.append(Flaw("type", _flat(loc), value, {"expected": "text"}))
    return _BAD


def _is_bool(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
    if isinstance(value, bool):
        return value
    flaws.append(Flaw("type", _flat(loc), value, {"expected": "true or false"}))
    return _BAD


def _is_int(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    flaws.append(Flaw("type", _flat(loc), value, {"expected": "a whole number"}))
    return _BAD


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _is_date(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    flaws.append(Flaw("type", _flat(loc), value, {"expected": "a date like 2026-01-31"}))
    return _BAD


_SIMPLE: dict[Any, Checker] = {str: _is_text, bool: _is_bool, int: _is_int, dt.date: _is_date}


def _annotated(hint: Any) -> Checker:
    base, *marks = get_args(hint)
    tag = next((m for m in marks if isinstance(m, Tagged)), None)
    inner = _tagged(tag.key, get_args(base)) if tag else _checker(base)
    befores = [m.fn for m in marks if isinstance(m, Before)]
    patterns = [m.regex for m in marks if isinstance(m, Pattern)]
    minimum = next((m.n for m in marks if isinstance(m, MinLen)), 0)
    compiled = [(_compile_pattern(p), p) for p in patterns]
    if base is str and not tag and not befores and not minimum and len(compiled) == 1:
        return _text_matching(*compiled[0])

    def check_annotated(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
        for fn in befores:
            try:
                value = fn(value)
            except ValueError as exc:
                flaws.append(Flaw("invalid", _flat(loc), value, {"error": str(exc)}))
                return _BAD
        value = inner(value, loc, flaws)
        if value is _BAD:
            return _BAD
        for regex, written in compiled:
            if not regex.search(value):
                flaws.append(Flaw("pattern", _flat(loc), value, {"pattern": written}))
                return _BAD
        if minimum and len(value) < minimum:
            flaws.append(Flaw("too_short", _flat(loc), value, {"min": minimum}))
            return _BAD
        return value

    return check_annotated


def _text_matching(regex: re.Pattern[str], written: str) -> Checker:
    """The most common check, text with a pattern (ids, non-empty text), made direct."""
    search = regex.search

    def check_text(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
        if value.__class__ is str or isinstance(value, str):
            if search(value):
                return value
            flaws.append(Flaw("pattern", _flat(loc), value, {"pattern": written}))
            return _BAD
        flaws.append(Flaw("type", _flat(loc), value, {"expected": "text"}))
        return _BAD

    return check_text


@functools.cache
def _compile_pattern(regex: str) -> re.Pattern[str]:
    # ``$`` ends the text, as in JSON Schema's regular expressions: in Python it would
    # also match before a final line break
    return re.compile(regex[:-1] + r"\Z" if regex.endswith("$") else regex)


def _literal(allowed: tuple[Any, ...]) -> Checker:
    def check_literal(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
        for choice in allowed:
            if type(value) is type(choice) and value == choice:
                return value
        expected = " or ".join(repr(c) if isinstance(c, str) else str(c) for c in allowed)
        flaws.append(Flaw("literal", _flat(loc), value, {"expected": expected}))
        return _BAD

    return check_literal


def _union(members: tuple[Any, ...]) -> Checker:
    nullable = type(None) in members
    rest = [m for m in members if m is not type(None)]
    checkers = [_checker(m) for m in rest]
    if len(checkers) == 1:
        (only,) = checkers

        def check_optional(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
            return None if value is None and nullable else only(value, loc, flaws)

        return check_optional
    shapes = [_container(m) for m in rest]

    def check_union(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
        if value is None and nullable:
            return None
        for member in checkers:
            scratch: list[Flaw] = []
            result = member(value, loc, scratch)
            if not scratch and result is not _BAD:
                return result
        # report against the member of the value's own shape (a list against the list)
        shape = list if isinstance(value, list) else dict if isinstance(value, dict) else None
        chosen = shapes.index(shape) if shape in shapes else 0
        return checkers[chosen](value, loc, flaws)

    return check_union


def _container(hint: Any) -> type | None:
    hint = get_args(hint)[0] if get_origin(hint) is Annotated else hint
    origin = get_origin(hint)
    if origin is list:
        return list
    if origin is dict or _is_record(hint):
        return dict
    return None


def _tagged(key: str, members: tuple[Any, ...]) -> Checker:
    by_tag: dict[str, Checker] = {}
    for member in members:
        hint = typing.get_type_hints(member, include_extras=True)[key]
        for tag in get_args(hint):
            by_tag[tag] = _checker(member)
    tags = list(by_tag)

    def check_tagged(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
        if not isinstance(value, dict):
            flaws.append(Flaw("type", _flat(loc), value, {"expected": "a mapping of keys"}))
            return _BAD
        if key not in value:
            flaws.append(Flaw("no_tag", _flat(loc), value, {"tag": key, "tags": tags}))
            return _BAD
        tag = value[key]
        member = by_tag.get(tag) if isinstance(tag, str) else None
        if member is None:
            shown = tag if isinstance(tag, str) else _plain_text(tag)
            flaws.append(Flaw("bad_tag", _flat((key, loc)), value, {"tag": shown, "tags": tags}))
            return _BAD
        return member(value, loc, flaws)

    return check_tagged


def _plain_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


def _list_of(item: Checker) -> Checker:
    def check_list(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
        if not isinstance(value, list):
            flaws.append(Flaw("type", _flat(loc), value, {"expected": "a list"}))
            return _BAD
        out = [item(v, (i, loc), flaws) for i, v in enumerate(value)]
        return _BAD if _BAD in out else out

    return check_list


def _dict_of(key: Checker, item: Checker) -> Checker:
    def check_dict(value: Any, loc: Where, flaws: list[Flaw]) -> Any:
        if not isinstance(value, dict):
            flaws.append(Flaw("type", _flat(loc), value, {"expected": "a mapping of keys"}))
            return _BAD
        out = {}
        bad = False
        for k, v in value.items():
            checked_key = key(k, (KEY, (k, loc)), flaws)
            checked = item(v, (k, loc), flaws)
            if checked_key is _BAD or checked is _BAD:
                bad = True
            else:
                out[checked_key] = checked
        return _BAD if bad else out

    return check_dict


class _RecordChecker:
    """Checks a mapping against a record's fields (compiled on first use, so records may
    refer to themselves)."""

    def __init__(self, record: type[Record]) -> None:
        self.record = record
        self.by_key: dict[str, tuple[str, Checker]] | None = None
        self.required: list[tuple[str, str]] = []
        self.known: list[str] = []

    def _compile(self) -> dict[str, tuple[str, Checker]]:
        hints = typing.get_type_hints(self.record, include_extras=True)
        by_key: dict[str, tuple[str, Checker]] = {}
        for spec in self.record.__specs__:
            entry = (spec.name, _checker(hints[spec.name]))
            by_key[spec.key] = entry
            by_key.setdefault(spec.name, entry)  # the field's name is accepted too
        specs = self.record.__specs__
        self.required = [(spec.name, spec.key) for spec in specs if spec.required]
        self.known = [spec.key for spec in specs]
        self.by_key = by_key
        return by_key

    def __call__(self, value: Any, loc: Where, flaws: list[Flaw]) -> Any:
        by_key = self.by_key or self._compile()
        if not isinstance(value, dict):
            flaws.append(Flaw("type", _flat(loc), value, {"expected": "a mapping of keys"}))
            return _BAD
        found = len(flaws)
        kwargs = {}
        for key, item in value.items():
            entry = by_key.get(key) if isinstance(key, str) else None
            if entry is None:
                flaws.append(Flaw("unknown_key", _flat((key, loc)), item, {"known": self.known}))
                continue
            checked = entry[1](item, (key, loc), flaws)
            if checked is not _BAD:
                kwargs[entry[0]] = checked
        for name, key in self.required:
            if key not in value and name not in value:
                flaws.append(Flaw("missing", _flat((key, loc)), None))
        if len(flaws) > found:
            return _BAD
        record = object.__new__(self.record)  # the names are known and checked here
        try:
            record._fill(kwargs)
        except ValueError as exc:  # the record's own check of its fields together
            flaws.append(Flaw("invalid", _flat(loc), value, {"error": str(exc)}))
            return _BAD
        return record


# ---------------------------------------------------------------------------------------
# plain data


def dump(value: Any, *, exclude_none: bool = False, exclude_defaults: bool = False) -> Any:
    """A record (or a list, mapping or date holding records) as JSON-ready data, with
    keys as written in files."""
    if isinstance(value, Record):
        out: dict[str, Any] = {}
        for spec in value.__specs__:
            item = getattr(value, spec.name)
            if exclude_none and item is None:
                continue
            if exclude_defaults and not spec.required and item == spec.default_value():
                continue
            out[spec.key] = dump(item, exclude_none=exclude_none, exclude_defaults=exclude_defaults)
        return out
    if isinstance(value, list | tuple):
        return [
            dump(v, exclude_none=exclude_none, exclude_defaults=exclude_defaults) for v in value
        ]
    if isinstance(value, dict):
        return {
            k: dump(v, exclude_none=exclude_none, exclude_defaults=exclude_defaults)
            for k, v in value.items()
        }
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------------------
# JSON Schema


def json_schema(record: type[Record]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``record``: records used inside it are in
    ``$defs``; unknown keys are refused except ``x-`` extension keys."""
    defs: dict[str, Any] = {}
    top = _record_schema(record, defs)
    defs.pop(record.__name__, None)
    return {**top, "$defs": dict(sorted(defs.items()))} if defs else top


def _record_schema(record: type[Record], defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(record, include_extras=True)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for spec in record.__specs__:
        key = spec.key
        prop = {**_schema(hints[spec.name], defs), "title": key.replace("_", " ").title()}
        one_key = getattr(record, "__one_key__", False)
        if one_key and "anyOf" in prop:
            prop["anyOf"] = [s for s in prop["anyOf"] if s != {"type": "null"}]
            if len(prop["anyOf"]) == 1:
                prop |= prop.pop("anyOf")[0]
        elif spec.factory is None and spec.default is not MISSING:
            prop["default"] = spec.default
        elif spec.required:
            required.append(key)
        properties[key] = prop
    schema: dict[str, Any] = {"title": record.__name__, "type": "object"}
    doc = record.__dict__.get("__doc__") or ""
    if doc:
        schema["description"] = " ".join(doc.split())
    schema |= {
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        "patternProperties": {"^x-": {}},
    }
    if getattr(record, "__one_key__", False):
        schema |= {"minProperties": 1, "maxProperties": 1}
    if not required:
        del schema["required"]
    return schema


def _schema(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(hint)
    if origin is Annotated:
        base, *marks = get_args(hint)
        tag = next((m for m in marks if isinstance(m, Tagged)), None)
        schema = _tagged_schema(tag.key, get_args(base), defs) if tag else _schema(base, defs)
        for mark in marks:
            if isinstance(mark, Pattern):
                schema["pattern"] = mark.regex
            elif isinstance(mark, MinLen):
                schema["minItems" if schema.get("type") == "array" else "minProperties"] = mark.n
        return schema
    if origin is Literal:
        choices = get_args(hint)
        kind = {str: "string", int: "integer", bool: "boolean"}[type(choices[0])]
        if len(choices) == 1:
            return {"const": choices[0], "type": kind}
        return {"enum": list(choices), "type": kind}
    if origin in (Union, types.UnionType):
        return {"anyOf": [_schema(m, defs) for m in get_args(hint)]}
    if origin is list:
        return {"type": "array", "items": _schema(get_args(hint)[0], defs)}
    if origin is dict:
        key, value = get_args(hint)
        key_schema = _schema(key, defs)
        if "pattern" in key_schema:
            return {
                "type": "object",
                "patternProperties": {key_schema["pattern"]: _schema(value, defs)},
            }
        return {"type": "object", "additionalProperties": _schema(value, defs)}
    if _is_record(hint):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}  # a placeholder while the record is built (records nest)
            defs[name] = _record_schema(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    if hint is type(None):
        return {"type": "null"}
    simple = {str: "string", bool: "boolean", int: "integer"}.get(hint)
    if simple:
        return {"type": simple}
    if hint is dt.date:
        return {"type": "string", "format": "date"}
    raise TypeError(f"no schema for {hint!r}")


def _tagged_schema(key: str, members: tuple[Any, ...], defs: dict[str, Any]) -> dict[str, Any]:
    refs = [_schema(m, defs) for m in members]
    mapping = {}
    for member, ref in zip(members, refs, strict=True):
        tag = get_args(typing.get_type_hints(member, include_extras=True)[key])[0]
        mapping[tag] = ref["$ref"]
    return {
        "oneOf": refs,
        "discriminator": {"propertyName": key, "mapping": dict(sorted(mapping.items()))},
    }
