"""The safe, located YAML layer: YAML 1.2 scalars, duplicates, limits, encodings."""

from __future__ import annotations

import json
import time
import unicodedata
from typing import Any

import pytest

from crisisguide.text import to_json
from crisisguide.yamldoc import Limits, parse_yaml, read_document, strip_controls


def codes(doc: object) -> list[tuple[str, int, int]]:
    return [(p.code, p.location.line, p.location.column) for p in doc.problems]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "word", ["Yes", "No", "yes", "no", "on", "off", "ON", "Off", "NO", "y", "n"]
)
def test_yaml_11_booleans_stay_strings(word: str) -> None:
    doc = parse_yaml(f"label: {word}\n".encode(), "t.yaml")
    assert doc.data == {"label": word}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("2026-11-01", "2026-11-01"),
        ("1.2.0", "1.2.0"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ('"yes"', "yes"),
    ],
)
def test_core_schema_scalars(text: str, value: object) -> None:
    doc = parse_yaml(f"v: {text}\n".encode(), "t.yaml")
    assert doc.data == {"v": value}
    assert type(doc.data["v"]) is type(value)


def test_special_floats() -> None:
    doc = parse_yaml(b"a: .inf\nb: -.Inf\nc: .NaN\n", "t.yaml")
    assert doc.data["a"] == float("inf")
    assert doc.data["b"] == float("-inf")
    assert doc.data["c"] != doc.data["c"]


def test_duplicate_key_is_cg101_and_first_value_kept() -> None:
    doc = parse_yaml(b"a: 1\nb: 2\na: 3\n", "t.yaml")
    assert codes(doc) == [("CG101", 3, 1)]
    assert "first defined at line 1" in doc.problems[0].message
    assert doc.data == {"a": 1, "b": 2}


def test_duplicate_keys_in_nested_mappings_all_reported() -> None:
    doc = parse_yaml(b"x:\n  a: 1\n  a: 2\ny: [{b: 1, b: 2}]\n", "t.yaml")
    assert codes(doc) == [("CG101", 3, 3), ("CG101", 4, 12)]


def test_python_tags_are_refused_and_never_built() -> None:
    doc = parse_yaml(b"a: !!python/object/apply:os.system ['echo hi']\n", "t.yaml")
    assert [p.code for p in doc.problems] == ["CG104"]
    assert "not allowed" in doc.problems[0].message


def test_alias_bomb_is_refused_quickly() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = ("\n".join(levels) + "\n").encode()
    assert len(bomb) < 400
    started = time.perf_counter()
    doc = parse_yaml(bomb, "bomb.yaml")
    elapsed = time.perf_counter() - started
    assert [p.code for p in doc.problems] == ["CG105"]
    assert elapsed < 0.5


def test_a_few_aliases_are_fine() -> None:
    doc = parse_yaml(b"a: &x [1, 2]\nb: *x\nc: *x\n", "t.yaml")
    assert doc.problems == []
    assert doc.data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_recursive_alias_is_refused() -> None:
    doc = parse_yaml(b"a: &a [*a]\n", "t.yaml")
    assert [p.code for p in doc.problems] == ["CG105"]


def test_deep_nesting_is_cg105() -> None:
    depth = 200
    doc = parse_yaml(("a: " + "[" * depth + "]" * depth + "\n").encode(), "t.yaml")
    assert [p.code for p in doc.problems] == ["CG105"]


def test_nesting_beyond_libyaml_limit_is_cg105_not_a_crash() -> None:
    depth = 100_000
    doc = parse_yaml(("[" * depth + "]" * depth).encode(), "t.yaml")
    assert [p.code for p in doc.problems] == ["CG105"]


def test_node_count_limit() -> None:
    doc = parse_yaml(b"a: [1, 2, 3, 4, 5, 6]\n", "t.yaml", Limits(max_nodes=5))
    assert [p.code for p in doc.problems] == ["CG105"]


def test_size_limit_reads_a_bounded_prefix(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "big.yaml"
    path.write_bytes(b"a: " + b"x" * 5000 + b"\n")
    doc = read_document(str(path), Limits(max_bytes=1000))
    assert codes(doc) == [("CG105", 1, 1)]
    assert "1000 bytes" in doc.problems[0].message


def test_empty_and_blank_files() -> None:
    for raw in (b"", b"\n\n", b"   \n", b"# only a comment\n"):
        doc = parse_yaml(raw, "t.yaml")
        assert [p.code for p in doc.problems] == ["CG100"], raw
        assert "empty" in doc.problems[0].message


def test_non_utf8_is_located() -> None:
    doc = parse_yaml(b"a: 1\nb: caf\xe9\n", "t.yaml")
    assert codes(doc) == [("CG100", 2, 7)]
    assert "UTF-8" in doc.problems[0].message


def test_bom_is_accepted() -> None:
    doc = parse_yaml("\ufeffa: 1\nb: x\n".encode(), "t.yaml")
    assert doc.problems == []
    assert doc.data == {"a": 1, "b": "x"}


def test_crlf_line_endings_keep_locations() -> None:
    doc = parse_yaml(b"a: 1\r\nb:\r\n  c: 2\r\n  c: 3\r\n", "t.yaml")
    assert codes(doc) == [("CG101", 4, 3)]
    assert doc.data == {"a": 1, "b": {"c": 2}}


def test_second_document_is_cg100() -> None:
    doc = parse_yaml(b"a: 1\n---\nb: 2\n", "t.yaml")
    assert [p.code for p in doc.problems] == ["CG100"]
    assert doc.problems[0].location.line == 2


@pytest.mark.parametrize("raw", [b"- 1\n- 2\n", b"just text\n", b"42\n"])
def test_non_mapping_document_is_cg100(raw: bytes) -> None:
    doc = parse_yaml(raw, "t.yaml")
    assert [p.code for p in doc.problems] == ["CG100"]
    assert "mapping" in doc.problems[0].message


def test_syntax_error_is_located_with_context() -> None:
    doc = parse_yaml(b"a: [1, 2\nb: 3\n", "t.yaml")
    assert [p.code for p in doc.problems] == ["CG100"]
    assert "line 1, column 4" in doc.problems[0].message


def test_control_characters_are_removed_from_text() -> None:
    doc = parse_yaml(
        b'a: "red \\e[31mtext\\e[0m and \\u202egnp.exe"\nb: "tab\\tok\\nline"\n', "t.yaml"
    )
    assert doc.data["a"] == "red [31mtext[0m and gnp.exe"
    assert doc.data["b"] == "tab\tok\nline"


def test_control_characters_in_keys_are_removed() -> None:
    doc = parse_yaml(b'"k\\x07ey": 1\n', "t.yaml")
    assert doc.data == {"key": 1}


def test_strip_controls_keeps_ordinary_unicode() -> None:
    assert strip_controls("Café \u2013 naïve 日本語 \u200d") == "Café \u2013 naïve 日本語 \u200d"
    assert strip_controls("a\x1b]0;title\x07b\x9bc") == "a]0;titlebc"


def test_non_scalar_key_is_cg104() -> None:
    doc = parse_yaml(b"? [a, b]\n: 1\nc: 2\n", "t.yaml")
    assert [p.code for p in doc.problems] == ["CG104"]
    assert doc.data == {"c": 2}


def test_unreadable_file_is_a_problem_of_the_file(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    doc = read_document(str(folder / "missing.yaml"))
    assert [p.code for p in doc.problems] == ["CG100"]
    doc = read_document(str(folder))
    assert "folder" in doc.problems[0].message


def test_locate_walks_as_far_as_the_path_goes() -> None:
    doc = parse_yaml(b"a:\n  b: [x, {c: 1}]\n", "t.yaml")
    assert str(doc.locate(("a", "b", 1, "c"))) == "t.yaml:2:14"
    assert str(doc.locate(("a", "b", 1, "c"), key=True)) == "t.yaml:2:11"
    assert str(doc.locate(("a", "missing", "deeper"))) == "t.yaml:2:3"


def test_libyaml_is_used() -> None:
    from crisisguide import yamldoc

    assert yamldoc.LIBYAML
    # libyaml reads a '?' at the end of a flow item as text (PyYAML's pure parser does not)
    doc = parse_yaml(b"ask: [Are you thinking about suicide?]\n", "t.yaml")
    assert doc.data == {"ask": ["Are you thinking about suicide?"]}


def test_x_keys_are_set_aside_with_their_path() -> None:
    doc = parse_yaml(b"a: 1\nx-top: {k: v}\nb:\n  - {c: 2, x-note: kept}\n", "t.yaml")
    assert doc.problems == []
    assert doc.data == {"a": 1, "b": [{"c": 2}]}
    assert doc.extensions_by_path() == {(): {"x-top": {"k": "v"}}, ("b", 0): {"x-note": "kept"}}


def test_duplicate_x_key_is_still_cg101() -> None:
    doc = parse_yaml(b"x-a: 1\nx-a: 2\n", "t.yaml")
    assert codes(doc) == [("CG101", 2, 1)]


# --- hostile input (the robustness report) ---------------------------------------------


def test_aliases_of_scalars_count_against_the_alias_limit() -> None:
    """A scalar anchor repeated many times once expanded to 600 MB on export (D6)."""
    refs = ",".join(["*p"] * 300)
    doc = parse_yaml(f'a: &p "{"A" * 2000}"\nb: [{refs}]\n'.encode(), "bomb.yaml")
    assert [(p.code, p.location.line) for p in doc.problems] == [("CG105", 1)]  # the anchor
    assert "aliases" in doc.problems[0].message


def test_the_text_an_alias_expands_to_is_bounded() -> None:
    refs = ",".join(["*p"] * 100)
    raw = f'a: &p "{"A" * 50_000}"\nb: [{refs}]\n'.encode()
    doc = parse_yaml(raw, "long.yaml", Limits(max_text=1_000_000))
    assert [p.code for p in doc.problems] == ["CG105"]
    assert "aliases expanded" in doc.problems[0].message
    assert parse_yaml(raw.replace(b"[*p", b"[*p]#"), "ok.yaml").problems == []


def test_a_few_scalar_aliases_are_fine() -> None:
    doc = parse_yaml(b"a: &x hello\nb: *x\nc: [*x, *x]\n", "t.yaml")
    assert doc.problems == []
    assert doc.data == {"a": "hello", "b": "hello", "c": ["hello", "hello"]}


def test_an_integer_too_long_to_convert_is_one_located_problem() -> None:
    doc = parse_yaml(b"format: 1\nn: 1" + b"0" * 5000 + b"\n", "big.yaml")
    assert [(p.code, p.location.line, p.location.column) for p in doc.problems] == [("CG104", 2, 4)]
    assert "too long (5001 characters)" in doc.problems[0].message
    assert len(doc.problems[0].message) < 120


@pytest.mark.parametrize(
    ("key", "what"),
    [("true", "a true/false value"), ("3", "a number"), ("~", "empty"), ("1.5", "a number")],
)
def test_a_key_that_is_not_text_is_located_at_the_key(key: str, what: str) -> None:
    doc = parse_yaml(f"format: 1\n{key}: 1\n".encode(), "k.yaml")
    assert [(p.code, p.location.line, p.location.column) for p in doc.problems] == [("CG104", 2, 1)]
    assert doc.problems[0].message == (
        f"the key '{key}' is {what} to YAML, not text: put it in quotes if you mean it"
    )
    assert doc.data == {"format": 1}


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u200e", "\u200f", "\u2028", "\u2029", "\u2060", "\ufeff", "\u00ad", "\u202e"],
)
def test_invisible_format_characters_are_removed(char: str) -> None:
    doc = parse_yaml(f'label: "Ye{char}s"\n'.encode(), "t.yaml")
    assert doc.data == {"label": "Yes"}
    assert strip_controls(f"Ye{char}s") == "Yes"


# Every format character (category Cf) but the zero-width joiner and non-joiner, which
# scripts need (they are kept, and labels are compared without them).
FORMAT_CHARACTERS = [
    chr(c)
    for c in range(0x110000)
    if unicodedata.category(chr(c)) == "Cf" and chr(c) not in "\u200c\u200d"
]
# Invisible marks and fillers of other categories.
INVISIBLE_MARKS = [
    "\u034f",
    "\u115f",
    "\u1160",
    "\u17b4",
    "\u17b5",
    *map(chr, range(0x180B, 0x1810)),
    "\u3164",
    *map(chr, range(0xFE00, 0xFE10)),
    "\uffa0",
    *map(chr, range(0xE0100, 0xE01F0)),
]


@pytest.mark.parametrize(
    "char", ["\U000e0001", "\U000e0041", "\U000e007f", "\u034f", "\ufe0f", "\U000e0100", "\u180b"]
)
def test_tag_characters_and_selectors_are_removed(char: str) -> None:
    doc = parse_yaml(f'label: "Ye{char}s"\n'.encode(), "t.yaml")
    assert doc.data == {"label": "Yes"}


def test_every_format_character_and_invisible_mark_is_removed() -> None:
    text = "Y" + "".join(FORMAT_CHARACTERS + INVISIBLE_MARKS) + "es"
    assert strip_controls(text) == "Yes"
    escaped = "".join(f"\\U{ord(c):08x}" for c in FORMAT_CHARACTERS + INVISIBLE_MARKS)
    doc = parse_yaml(f'label: "Y{escaped}es"\n'.encode(), "t.yaml")
    assert doc.data == {"label": "Yes"}


def test_json_escapes_characters_beyond_the_bmp_as_surrogate_pairs() -> None:
    assert to_json("Yes\U000e0041", indent=None) == '"Yes\\udb40\\udc41"'
    assert json.loads(to_json("Yes\U000e0041\u200b")) == "Yes\U000e0041\u200b"


def test_locating_many_unknown_answers_looks_at_each_key_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An answers file of 10,000 unknown node ids is reported with work in proportion to
    its size: the keys of the big mapping are indexed once, not scanned again for every
    entry (which made reporting quadratic). Counted, not timed."""
    import crisisguide.yamldoc.parse as yamldoc
    from crisisguide.answers import answers_from_bytes
    from crisisguide.errors import CrisisGuideError
    from crisisguide.loader import load_protocol

    from conftest import PROTOCOLS

    count = 10_000
    protocol = load_protocol(str(PROTOCOLS / "suicide-risk-screen.yaml")).protocol
    assert protocol is not None
    raw = "".join(f"unknown-{i}: 'Yes'\n" for i in range(count)).encode()
    looked_at = 0
    same_key, index = yamldoc._same_key, yamldoc._index

    def counted_same_key(key_node: Any, elem: Any) -> bool:
        nonlocal looked_at
        looked_at += 1
        assert looked_at <= 10 * count, "keys are scanned again for every entry"
        return same_key(key_node, elem)

    def counted_index(node: Any) -> Any:
        nonlocal looked_at
        if yamldoc._KEYS.get(id(node), (None,))[0] is not node:
            looked_at += len(node.value)  # building the index looks at every key once
        return index(node)

    monkeypatch.setattr(yamldoc, "_same_key", counted_same_key)
    monkeypatch.setattr(yamldoc, "_index", counted_index)
    with pytest.raises(CrisisGuideError) as raised:
        answers_from_bytes(raw, "many.yaml", protocol)
    assert len(raised.value.problems) == count
    assert raised.value.problems[-1].location.line == count
    assert looked_at <= 2 * count
