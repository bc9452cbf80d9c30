"""Property tests: no input makes loading or validation raise anything but our own error.

Valid protocols are mutated the ways people break files (deleted keys, changed types,
renamed ids, truncated text, random bytes); the loader and validator must always come
back with a list of located problems.
"""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisguide.errors import Problem
from crisisguide.loader import protocol_from_document
from crisisguide.validate import Context, validate_protocol
from crisisguide.yamldoc import parse_yaml

from conftest import DATA, PROTOCOLS, minimal_protocol

SEEDS = [
    minimal_protocol(),
    yaml.load((DATA / "valid" / "every-kind.yaml").read_text(), Loader=yaml.CSafeLoader),
    yaml.load((PROTOCOLS / "suicide-risk-screen.yaml").read_text(), Loader=yaml.CSafeLoader),
]
SEED_TEXTS = [yaml.safe_dump(s, sort_keys=False).encode() for s in SEEDS]

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

REPLACEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["", "Yes", "high", "nowhere", "ask", "x-key", "[/]", "\x1b[31m"]),
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=2),
)


def check_text(raw: bytes) -> list[Problem]:
    doc = parse_yaml(raw, "fuzz.yaml")
    loaded = protocol_from_document(doc)
    problems = validate_protocol(loaded, Context(library_ids={"mini"}))
    assert all(isinstance(p, Problem) for p in problems)
    assert all(p.location.file == "fuzz.yaml" for p in problems)
    assert all(p.location.line >= 0 and p.location.column >= 0 for p in problems)
    return problems


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(paths(item, (*prefix, i)))
    return found


def mutate(data: Any, path: tuple[Any, ...], how: str, replacement: Any) -> Any:
    data = copy.deepcopy(data)
    if not path:
        return replacement
    parent = data
    for elem in path[:-1]:
        parent = parent[elem]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "rename" and isinstance(parent, dict):
        parent[f"{last}x" if isinstance(last, str) else last + 1] = parent.pop(last)
    elif how == "truncate" and isinstance(parent[last], str):
        parent[last] = parent[last][: len(parent[last]) // 2]
    else:
        parent[last] = replacement
    return data


@FUZZ
@given(
    seed=st.integers(0, len(SEEDS) - 1),
    pick=st.integers(0, 10_000),
    how=st.sampled_from(["delete", "rename", "replace", "truncate"]),
    replacement=REPLACEMENTS,
)
def test_mutated_protocols_only_ever_give_problems(
    seed: int, pick: int, how: str, replacement: Any
) -> None:
    data = SEEDS[seed]
    all_paths = paths(data)
    path = all_paths[pick % len(all_paths)]
    mutated = mutate(data, path, how, replacement)
    check_text(yaml.safe_dump(mutated, sort_keys=False, allow_unicode=True).encode())


@FUZZ
@given(seed=st.integers(0, len(SEEDS) - 1), cut=st.integers(0, 100_000))
def test_truncated_files(seed: int, cut: int) -> None:
    raw = SEED_TEXTS[seed]
    check_text(raw[: cut % (len(raw) + 1)])


@FUZZ
@given(
    seed=st.integers(0, len(SEEDS) - 1),
    at=st.integers(0, 100_000),
    junk=st.binary(min_size=1, max_size=8),
)
def test_random_bytes_spliced_in(seed: int, at: int, junk: bytes) -> None:
    raw = SEED_TEXTS[seed]
    i = at % (len(raw) + 1)
    check_text(raw[:i] + junk + raw[i:])


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes(raw: bytes) -> None:
    check_text(raw)


@FUZZ
@given(
    st.recursive(
        REPLACEMENTS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.sampled_from(["nodes", "kind", "next", "answers", "label", "tier", "when"]),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=20,
    )
)
def test_arbitrary_structures_under_nodes(structure: Any) -> None:
    data = minimal_protocol()
    data["nodes"]["extra"] = structure  # type: ignore[index]
    check_text(yaml.safe_dump(data, sort_keys=False).encode())


def test_builtin_protocol_files_exist() -> None:
    assert any(Path(PROTOCOLS).glob("*.yaml"))


def _invisible_pool() -> list[str]:
    """Every format character (category Cf) but the zero-width joiner and non-joiner, and
    the invisible marks and fillers of other categories that loading removes too."""
    format_chars = [
        chr(c)
        for c in range(0x110000)
        if unicodedata.category(chr(c)) == "Cf" and chr(c) not in "\u200c\u200d"
    ]
    marks = "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
    ranges = [(0x180B, 0x1810), (0xFE00, 0xFE10), (0xE0100, 0xE01F0)]
    return format_chars + list(marks) + [chr(c) for a, b in ranges for c in range(a, b)]


INVISIBLE = _invisible_pool()
VISIBLE_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"),
        blacklist_characters="".join(c for c in INVISIBLE if c.isprintable()) + '"\\',
    ),
    max_size=30,
)


@FUZZ
@given(
    text=VISIBLE_TEXT,
    inserted=st.lists(st.tuples(st.integers(0, 30), st.sampled_from(INVISIBLE)), max_size=6),
    escaped=st.booleans(),
)
def test_format_characters_inserted_anywhere_are_removed_at_load(
    text: str, inserted: list[tuple[int, str]], escaped: bool
) -> None:
    """Whatever the text, with format characters inserted anywhere (raw or as YAML
    escapes), the loaded value is the text without them."""
    pieces = list(text)
    for at, char in inserted:
        pieces.insert(at, f"\\U{ord(char):08x}" if escaped else char)
    doc = parse_yaml(f'label: "{"".join(pieces)}"\n'.encode(), "t.yaml")
    assert doc.problems == []
    assert doc.data == {"label": text}
