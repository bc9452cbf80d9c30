"""The record checker (``crisisguide.shapes``): strict types, every flaw at once with its
path, and a JSON Schema that accepts exactly what the checker accepts."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import field
from pathlib import Path
from typing import Annotated, Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisguide.authoring import protocol_schema
from crisisguide.drills.model import Drill
from crisisguide.formats import Slug, Text
from crisisguide.model import Condition, Protocol
from crisisguide.referrals import DirectoryFile
from crisisguide.shapes import KEY, MinLen, Record, ShapeError, check, dump, json_schema
from crisisguide.yamldoc import parse_yaml

from conftest import DATA, PROTOCOLS


def read(path: Path) -> Any:
    """The data of a file as crisisguide reads it (YAML 1.2: ``Yes`` stays text)."""
    return parse_yaml(path.read_bytes(), str(path)).data


EVERY_KIND = read(DATA / "valid" / "every-kind.yaml")


class Inner(Record):
    name: Slug
    tags: Annotated[list[Text], MinLen(1)] = field(default_factory=lambda: ["x"])


class Outer(Record):
    inner: Inner
    by_id: dict[Slug, Inner] = field(default_factory=dict)
    answer: str | list[str] | None = None
    count: int | None = None
    on: dt.date | None = None
    flag: bool = False


def flaws(shape: Any, data: Any) -> list[tuple[str, tuple[Any, ...]]]:
    value, found = check(shape, data)
    assert (value is None) == bool(found)
    return [(f.kind, f.loc) for f in found]


def test_a_valid_record_is_built_with_its_defaults() -> None:
    value, found = check(Outer, {"inner": {"name": "a-b"}, "on": "2026-01-31"})
    assert found == []
    assert value == Outer(inner=Inner(name="a-b"), on=dt.date(2026, 1, 31))


def test_every_flaw_is_reported_at_once_with_its_path() -> None:
    data = {
        "inner": {"name": "Not A Slug", "tags": [], "extra": 1},
        "by_id": {"ok": {"name": "x"}, "Bad Key": {"name": 3}},
        "count": True,
        "flag": "yes",
        "on": "2026-13-01",
        "unknown": None,
    }
    assert sorted(flaws(Outer, data), key=str) == sorted(
        [
            ("pattern", ("inner", "name")),
            ("too_short", ("inner", "tags")),
            ("unknown_key", ("inner", "extra")),
            ("pattern", ("by_id", "Bad Key", KEY)),
            ("type", ("by_id", "Bad Key", "name")),
            ("type", ("count",)),
            ("type", ("flag",)),
            ("type", ("on",)),
            ("unknown_key", ("unknown",)),
        ],
        key=str,
    )


def test_types_are_strict() -> None:
    assert flaws(Outer, {"inner": {"name": 5}}) == [("type", ("inner", "name"))]
    assert flaws(Outer, {"inner": {"name": "a"}, "count": "3"}) == [("type", ("count",))]
    assert flaws(Outer, {"inner": {"name": "a"}, "flag": 1}) == [("type", ("flag",))]
    assert flaws(Outer, {"inner": {"name": "a"}, "on": 20260131}) == [("type", ("on",))]
    assert flaws(Outer, {"inner": "a"}) == [("type", ("inner",))]
    assert flaws(Outer, []) == [("type", ())]


def test_a_pattern_ending_in_dollar_means_the_very_end() -> None:
    assert flaws(Outer, {"inner": {"name": "abc\n"}}) == [("pattern", ("inner", "name"))]


def test_a_union_reports_against_the_member_of_the_values_shape() -> None:
    ok = {"inner": {"name": "a"}}
    assert flaws(Outer, {**ok, "answer": "Yes"}) == []
    assert flaws(Outer, {**ok, "answer": ["Yes", "No"]}) == []
    assert flaws(Outer, {**ok, "answer": ["Yes", 2]}) == [("type", ("answer", 1))]
    assert flaws(Outer, {**ok, "answer": 2}) == [("type", ("answer",))]


def test_missing_keys_and_the_records_own_check() -> None:
    assert flaws(Outer, {}) == [("missing", ("inner",))]
    (found,) = check(Condition, {"tier_at_least": "high", "tier_below": "low"})[1]
    assert found.kind == "invalid"
    assert "exactly one form (found: tier_at_least, tier_below)" in found.ctx["error"]


def test_aliased_keys_and_recursive_records() -> None:
    data = {"all": [{"not": {"flags_any": ["a"]}}, {"any": [{"tier_below": "high"}]}]}
    value, found = check(Condition, data)
    assert found == []
    assert value is not None
    assert value.forms() == ["all"]
    assert dump(value, exclude_none=True) == data


def test_an_unknown_or_missing_node_kind() -> None:
    data = copy.deepcopy(EVERY_KIND)
    first = next(iter(data["nodes"]))
    data["nodes"][first]["kind"] = "questoin"
    (found,) = check(Protocol, data)[1]
    assert (found.kind, found.loc, found.ctx["tag"]) == (
        "bad_tag",
        ("nodes", first, "kind"),
        "questoin",
    )
    del data["nodes"][first]["kind"]
    (found,) = check(Protocol, data)[1]
    assert (found.kind, found.loc) == ("no_tag", ("nodes", first))


def test_model_validate_raises_with_every_flaw() -> None:
    with pytest.raises(ShapeError) as caught:
        Outer.model_validate({"inner": {"name": 1}, "x": 2})
    assert [f.kind for f in caught.value.flaws] == ["type", "unknown_key"]


@pytest.mark.parametrize("path", sorted(PROTOCOLS.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_builtin_protocol_survives_dump_and_check(path: Path) -> None:
    data = read(path)
    protocol = Protocol.model_validate(data)
    assert Protocol.model_validate(dump(protocol)) == protocol
    assert dump(protocol, exclude_defaults=True).keys() <= data.keys()


def test_the_schemas_of_drills_and_directories_are_valid_json_schema() -> None:
    for record in (Protocol, Drill, DirectoryFile):
        jsonschema.Draft202012Validator.check_schema(json_schema(record))


VALIDATOR = jsonschema.Draft202012Validator(protocol_schema())

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["", " ", "x", "low", "Bad Id", "a-b"]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=2),
    st.dictionaries(st.sampled_from(["kind", "x", "label"]), SCALARS, max_size=2),
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*prefix, i))
    return found


ALL_PATHS = paths(EVERY_KIND)[1:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS), st.sampled_from(["set", "delete", "add"]), VALUES)
def test_the_schema_accepts_exactly_what_the_checker_accepts(
    path: tuple[Any, ...], how: str, value: Any
) -> None:
    data = copy.deepcopy(EVERY_KIND)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "set":
        parent[last] = value
    elif how == "delete":
        del parent[last]
    elif isinstance(parent[last], dict):
        parent[last]["zz-added"] = value
    else:
        return
    accepted, _ = check(Protocol, data)
    assert (accepted is not None) == VALIDATOR.is_valid(data), (path, how, value)
