"""Every validation code: fixtures assert the exact code and FILE:LINE:COL."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisguide.library import load_library, search_folders
from crisisguide.loader import load_protocol
from crisisguide.validate import Context, check_paths, validate_protocol

from conftest import DATA, PROTOCOLS, TODAY, expectations, minimal_protocol, write_yaml

INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = sorted((DATA / "valid").glob("*.yaml"))


def problems_of(path: Path, context: Context | None = None) -> list[tuple[str, int, int]]:
    loaded = load_protocol(str(path))
    found = validate_protocol(loaded, context or Context(library_ids={"every-kind"}))
    return [(p.code, p.location.line, p.location.column) for p in found]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixtures_have_no_problems(path: Path) -> None:
    assert problems_of(path) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_reports_exactly_its_expected_problems(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' header"
    library = load_library(search_folders())
    found, _ = check_paths([path], library, TODAY)
    actual = [(p.code, p.location.line, p.location.column) for p in found]
    assert all(p.location.file == str(path) or p.location.file.endswith(path.name) for p in found)
    if all(line is not None for _, line, _ in expected):
        assert sorted(actual) == sorted(expected)  # type: ignore[type-var]
    else:
        assert sorted(code for code, _, _ in actual) == sorted(code for code, _, _ in expected)


def test_every_code_of_the_spec_has_a_fixture() -> None:
    covered = {code for path in INVALID for code, _, _ in expectations(path)}
    protocol_codes = {
        "CG100", "CG101", "CG102", "CG103", "CG104", "CG105", "CG110", "CG111", "CG112",
        "CG113", "CG120", "CG121", "CG130", "CG131", "CG132", "CG133", "CG134", "CG140",
    }  # fmt: skip
    assert protocol_codes <= covered


def test_stigma_location_points_at_the_phrase() -> None:
    path = DATA / "invalid" / "cg133-stigma.yaml"
    lines = path.read_text().splitlines()
    for code, line, col in problems_of(path):
        assert code == "CG133"
        rest = lines[line - 1][col - 1 :].lower()
        assert rest.startswith(("committed suicide", "failed attempt"))


def test_messages_carry_did_you_mean() -> None:
    loaded = load_protocol(str(DATA / "invalid" / "cg110-bad-target.yaml"))
    messages = [p.message for p in validate_protocol(loaded)]
    assert "next 'triag' is not a node (did you mean 'triage'?)" in messages
    assert "start 'ask-it' is not a node (did you mean 'ask'?)" in messages


def test_problem_text_is_compiler_style() -> None:
    loaded = load_protocol(str(DATA / "invalid" / "cg112-bad-referral.yaml"))
    (problem,) = validate_protocol(loaded)
    assert str(problem).startswith(
        f"{DATA / 'invalid' / 'cg112-bad-referral.yaml'}:22:30: error CG112 "
    )


def check(tmp_path: Path, data: dict[str, object], context: Context | None = None) -> list[str]:
    path = write_yaml(tmp_path / "p.yaml", data)
    return [f"{p.code} {p.message}" for p in validate_protocol(load_protocol(str(path)), context)]


def test_minimal_protocol_is_clean(tmp_path: Path) -> None:
    assert check(tmp_path, minimal_protocol()) == []


def test_duplicate_tier_in_scale(tmp_path: Path) -> None:
    found = check(tmp_path, minimal_protocol(tiers=["none", "low", "high", "low"]))
    assert any(m.startswith("CG104 tier 'low' appears twice") for m in found)


def test_x_keys_are_ignored_everywhere(tmp_path: Path) -> None:
    data = minimal_protocol(**{"x-team": {"any": "thing"}})
    data["nodes"]["ask"]["x-note"] = [1, 2]  # type: ignore[index]
    data["nodes"]["ask"]["answers"][0]["x-why"] = "kept"  # type: ignore[index]
    data["nodes"]["triage"]["routes"][0]["when"]["x-c"] = 1  # type: ignore[index]
    path = write_yaml(tmp_path / "p.yaml", data)
    loaded = load_protocol(str(path))
    assert validate_protocol(loaded) == []
    assert loaded.extensions[()] == {"x-team": {"any": "thing"}}
    assert loaded.extensions[("nodes", "ask", "answers", 0)] == {"x-why": "kept"}


def test_condition_with_two_forms_is_an_error(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["triage"]["routes"][0]["when"] = {  # type: ignore[index]
        "tier_at_least": "high",
        "flags_any": ["ideation"],
    }
    found = check(tmp_path, data)
    assert len(found) == 1
    assert found[0].startswith(
        "CG104 node 'triage': routes[0].when: a condition needs exactly one form"
    )


def test_flag_never_set_is_an_error_with_suggestion(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["triage"]["routes"][0]["when"] = {"flags_any": ["ideaton"]}  # type: ignore[index]
    found = check(tmp_path, data)
    assert any("flag 'ideaton' is never set" in m and "did you mean 'ideation'" in m for m in found)


def test_answered_label_must_exist(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["triage"]["routes"][0]["when"] = {  # type: ignore[index]
        "answered": {"node": "ask", "label": "yes please"}
    }
    found = check(tmp_path, data)
    assert any(m.startswith("CG104 'yes please' is not an answer of 'ask'") for m in found)


def test_answered_on_an_outcome_is_an_error(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["triage"]["routes"][0]["when"] = {  # type: ignore[index]
        "answered": {"node": "routine", "label": "x"}
    }
    assert any("records no answer" in m for m in check(tmp_path, data))


def test_under_triage_follows_tier_routes_exactly(tmp_path: Path) -> None:
    # The only path to 'routine' with tier high is blocked by the tier route: no warning.
    assert not any(m.startswith("CG131") for m in check(tmp_path, minimal_protocol()))


def test_under_triage_through_a_checklist_item(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["signs"] = {
        "kind": "checklist",
        "prompt": "Tick what you see.",
        "items": [{"label": "Seeking means", "tier": "high"}, {"label": "Withdrawn"}],
        "next": "routine",
    }
    data["nodes"]["ask"]["answers"][1]["next"] = "signs"  # type: ignore[index]
    found = [m for m in check(tmp_path, data) if m.startswith("CG131")]
    assert len(found) == 1
    assert "signs = ticked 'Seeking means'" in found[0]


def test_under_triage_with_unknown_flag_route_takes_both_branches(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["triage"]["routes"] = [  # type: ignore[index]
        {"when": {"not": {"flags_any": ["ideation"]}}, "next": "routine"},
        {"when": {"tier_at_least": "high"}, "next": "urgent"},
    ]
    assert any(m.startswith("CG131") for m in check(tmp_path, data))


def test_under_triage_with_all_and_any_of_tier_conditions(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["triage"]["routes"] = [  # type: ignore[index]
        {
            "when": {"any": [{"tier_below": "low"}, {"flags_any": ["ideation"]}]},
            "next": "routine",
        },
        {"when": {"all": [{"tier_at_least": "high"}]}, "next": "urgent"},
    ]
    found = [m for m in check(tmp_path, data) if m.startswith("CG131")]
    assert len(found) == 1  # high tier + unknown flag may still reach 'routine'


def test_cg130_accepts_either_urgent_kind(tmp_path: Path) -> None:
    for referrals in (["emergency"], ["crisis-line"]):
        data = minimal_protocol()
        data["nodes"]["urgent"]["referrals"] = referrals  # type: ignore[index]
        assert check(tmp_path, data) == []


def test_cg130_with_directory_entry_ids(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["urgent"]["referrals"] = ["us-988"]  # type: ignore[index]
    assert check(tmp_path, data, Context(directory={"us-988": "crisis-line"})) == []
    found = check(tmp_path, data, Context(directory={"us-988": "outpatient"}))
    assert [m[:5] for m in found] == ["CG130"]


def test_unknown_directory_id_with_a_directory(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["routine"]["referrals"] = ["us-98"]  # type: ignore[index]
    found = check(tmp_path, data, Context(directory={"us-988": "crisis-line"}))
    assert found == [
        "CG112 referral 'us-98' is neither a referral kind nor a directory entry "
        "(did you mean 'us-988'?)"
    ]


def test_custom_scale_top_two_tiers(tmp_path: Path) -> None:
    data = minimal_protocol(tiers=["routine", "urgent", "emergent"])
    data["nodes"]["ask"]["answers"][0]["tier"] = "urgent"  # type: ignore[index]
    data["nodes"]["ask"]["answers"][2]["tier"] = "urgent"  # type: ignore[index]
    data["nodes"]["triage"]["routes"][0]["when"] = {"tier_at_least": "urgent"}  # type: ignore[index]
    data["nodes"]["urgent"]["tier"] = "urgent"  # type: ignore[index]
    data["nodes"]["urgent"]["referrals"] = ["outpatient"]  # type: ignore[index]
    data["nodes"]["routine"]["tier"] = "routine"  # type: ignore[index]
    found = check(tmp_path, data)
    assert [m[:5] for m in found] == ["CG130"]


def test_structural_errors_do_not_hide_cross_reference_errors(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["ask"]["promt"] = "typo"  # type: ignore[index]
    data["nodes"]["urgent"]["tier"] = "hihg"  # type: ignore[index]
    found = check(tmp_path, data)
    assert [m[:5] for m in found] == ["CG103", "CG111"]


def test_duplicate_protocol_ids_across_files(tmp_path: Path) -> None:
    write_yaml(tmp_path / "a.yaml", minimal_protocol())
    write_yaml(tmp_path / "b.yaml", minimal_protocol(title="Another"))
    found, files = check_paths([tmp_path], load_library([]), TODAY)
    assert files == 2
    assert [(p.code, Path(p.location.file).name, p.location.line) for p in found] == [
        ("CG113", "b.yaml", 2)
    ]
    assert "already used by" in found[0].message
    assert "in the same layer" in found[0].message


def test_byte_identical_copies_are_never_a_conflict(tmp_path: Path) -> None:
    write_yaml(tmp_path / "a.yaml", minimal_protocol())
    write_yaml(tmp_path / "b.yaml", minimal_protocol())
    found, _ = check_paths([tmp_path], load_library([]), TODAY)
    assert found == []


def test_builtin_protocols_validate_strictly() -> None:
    library = load_library(search_folders())
    assert library.protocols, "the built-in library is empty"
    found, files = check_paths([PROTOCOLS], library, TODAY)
    assert files >= 1
    assert found == []


# --- messages people can trust (the robustness report, D13 and D16) ---------------------


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda d: d.update(version=1.2), "CG104"),
        (lambda d: d.update(foo=1), "CG103"),
        (lambda d: d["nodes"]["ask"].update(promt="x"), "CG103"),
        (lambda d: d.update(id="has space"), "CG104"),
    ],
)
def test_one_structural_error_adds_no_false_no_sources_warning(
    tmp_path: Path, mutate: object, code: str
) -> None:
    data = minimal_protocol()
    mutate(data)  # type: ignore[operator]
    assert [m[:5] for m in check(tmp_path, data)] == [code]


@pytest.mark.parametrize(("value", "shown"), [(True, "true"), (1.0, "1.0")])
def test_format_must_be_the_integer_one(tmp_path: Path, value: object, shown: str) -> None:
    found = check(tmp_path, minimal_protocol(format=value))
    assert found == [f"CG104 format: must be the whole number 1, not {shown}"]


@pytest.mark.parametrize(
    "lookalike",
    [
        "Yes\u200b",
        "Y\u0435s",
        "\uff39es",
        "YES",
        " Yes ",
        "Yes\U000e0041",
        "\U000e0001Yes",
        "Ye\u034fs",
        "Yes\ufe0f",
        "Y\u3164es",
        "Yes\U000110bd",
    ],
)
def test_labels_that_look_the_same_are_cg113(tmp_path: Path, lookalike: str) -> None:
    data = minimal_protocol()
    data["nodes"]["ask"]["answers"].append(  # type: ignore[index]
        {"label": lookalike, "next": "triage", "tier": "high"}
    )
    found = check(tmp_path, data)
    assert [m[:5] for m in found] == ["CG113"]
    assert "looks the same as" in found[0] or "used twice" in found[0]


def test_a_long_integer_in_a_protocol_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    text = write_yaml(tmp_path / "p.yaml", minimal_protocol()).read_text()
    path.write_text(text.replace("format: 1", "format: 1" + "0" * 5000))
    found = validate_protocol(load_protocol(str(path)))
    assert [(p.code, p.location.line) for p in found] == [("CG104", 1)]
