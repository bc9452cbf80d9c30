"""The session engine: every node kind and condition form, back, traces, the loop guard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crisisguide.engine import Session, SessionError, play
from crisisguide.loader import load_protocol
from crisisguide.model import Protocol

from conftest import DATA, PROTOCOLS, ROOT, minimal_protocol


def protocol_from(data: dict[str, Any]) -> Protocol:
    return Protocol.model_validate(data)


def every_kind() -> Protocol:
    loaded = load_protocol(str(DATA / "valid" / "every-kind.yaml"))
    assert loaded.protocol is not None
    return loaded.protocol


def screen() -> Protocol:
    loaded = load_protocol(str(PROTOCOLS / "suicide-risk-screen.yaml"))
    assert loaded.protocol is not None
    return loaded.protocol


def test_a_session_starts_at_start_with_the_lowest_tier() -> None:
    session = Session(every_kind())
    assert session.current_id == "intro"
    assert session.tier == "green"
    assert session.flags == frozenset()
    assert not session.finished
    assert not session.can_go_back


def test_walk_through_every_kind_of_node() -> None:
    session = Session(every_kind(), sha256="abc")
    session.answer()  # info
    assert session.current_id == "signs"
    session.answer(["Talks of being a burden", "Withdrawing from others"])
    assert session.tier == "amber"
    assert session.flags == {"burden", "withdrawal"}
    session.answer("No")
    # 'No' goes to the route: ideation is not set, but 'Withdrawing' was ticked
    assert session.finished
    assert session.current_id == "concern"
    result = session.result()
    assert result["path"] == [
        {"node": "intro", "answer": None},
        {"node": "signs", "answer": ["Talks of being a burden", "Withdrawing from others"]},
        {"node": "ask-thoughts", "answer": "No"},
        {"node": "triage", "answer": None},
        {"node": "concern", "answer": None},
    ]
    assert result["outcome"] == "concern"
    assert result["outcome_tier"] == "amber"
    assert result["tier"] == "amber"
    assert result["flags"] == ["burden", "withdrawal"]
    assert result["sha256"] == "abc"
    assert result["trace"] == [
        "The risk tier rose to amber with 'Talks of being a burden' ticked at 'Signs'",
        "Noted (burden) with 'Talks of being a burden' ticked at 'Signs'",
        "Noted (withdrawal) with 'Withdrawing from others' ticked at 'Signs'",
        "(any of these was noted: means or the answer to 'Ask thoughts' was 'Yes' or the "
        "answer to 'Signs' was 'Withdrawing from others' or the answer to 'Secure' was "
        "'done'), so the outcome is Concern",
    ]


def test_action_done_and_the_all_not_condition() -> None:
    session = play(
        Session(every_kind()),
        {"signs": ["Talks of being a burden"], "ask-thoughts": "Yes", "secure": "done"},
    )
    # ideation and burden set, withdrawal not set: all(flags_all, not(flags_none)) is False
    # -> the any() route: answered secure = done -> concern
    assert session.current_id == "concern"
    assert [s.answer for s in session.path][3] == "done"


def test_all_condition_true() -> None:
    session = play(
        Session(every_kind()),
        {
            "signs": ["Talks of being a burden", "Withdrawing from others"],
            "ask-thoughts": "Yes",
            "secure": "skipped",
        },
    )
    assert session.current_id == "urgent"
    assert (
        "(all of these were noted: ideation, burden and not none of these was noted: "
        in (session.trace[-1])
    )


def test_tier_at_least_route_wins_first() -> None:
    session = play(Session(every_kind()), {"signs": ["Seeking means"], "ask-thoughts": "No"})
    assert session.tier == "red"
    assert session.current_id == "urgent"
    assert session.trace[-1] == "The risk tier is red or higher, so the outcome is Urgent"


def test_tier_below_route_and_default() -> None:
    session = play(Session(every_kind()), {"signs": [], "ask-thoughts": "No"})
    assert session.current_id == "routine"
    assert session.trace == ["The risk tier is below amber, so the outcome is Routine"]


def test_default_route() -> None:
    data = minimal_protocol()
    data["nodes"]["ask"]["answers"][1]["tier"] = "low"
    session = play(Session(protocol_from(data)), {"ask": "No"})
    assert session.current_id == "routine"
    assert session.trace[-1] == "No answer met a higher-risk rule, so the outcome is Routine"


def test_the_tier_is_never_lowered() -> None:
    data = minimal_protocol()
    data["nodes"]["ask"]["answers"][0]["next"] = "again"
    data["nodes"]["again"] = {
        "kind": "question",
        "prompt": "Ask again.",
        "ask": ["Right now?"],
        "answers": [
            {"label": "Yes", "next": "triage", "tier": "low"},
            {"label": "No", "next": "triage", "tier": "none"},
        ],
    }
    session = play(Session(protocol_from(data)), {"ask": "Yes", "again": "Yes"})
    assert session.tier == "high"
    assert session.trace[0] == "The risk tier rose to high with the answer 'Yes' to 'Ask'"
    assert not any("again" in line and "tier" in line for line in session.trace)


def test_back_undoes_everything_of_the_abandoned_branch() -> None:
    session = Session(every_kind())
    session.answer()
    session.answer(["Seeking means"])
    assert session.tier == "red"
    assert session.back()
    assert session.current_id == "signs"
    assert session.tier == "green"
    assert session.flags == frozenset()
    assert session.trace == []
    session.answer([])
    session.answer("Yes")
    assert session.current_id == "secure"
    assert session.flags == {"ideation"}
    assert session.back()
    assert session.current_id == "ask-thoughts"
    assert session.flags == frozenset()
    assert session.answered("ask-thoughts") is None


def test_back_across_a_route_returns_to_the_last_answer() -> None:
    session = play(Session(every_kind()), {"signs": [], "ask-thoughts": "No"})
    assert session.finished
    assert session.back()
    assert session.current_id == "ask-thoughts"
    assert [s.node for s in session.path] == ["intro", "signs", "ask-thoughts"]
    assert not session.finished


def test_back_all_the_way_to_the_start() -> None:
    session = play(Session(every_kind()), {"signs": [], "ask-thoughts": "Yes", "secure": "done"})
    steps = 0
    while session.back():
        steps += 1
    assert steps == 4
    assert session.current_id == "intro"
    assert [s.node for s in session.path] == ["intro"]
    assert not session.back()


def test_answered_conditions_see_only_the_path_taken() -> None:
    data = minimal_protocol()
    data["nodes"]["triage"]["routes"] = [
        {"when": {"answered": {"node": "ask", "label": "Yes"}}, "next": "urgent"}
    ]
    protocol = protocol_from(data)
    session = play(Session(protocol), {"ask": "Yes"})
    assert session.current_id == "urgent"
    session.back()
    session.answer("No")
    assert session.current_id == "routine"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Maybe", "'Maybe' is not an answer of 'ask'; answers are: Yes, No"),
        ("yes", "'yes' is not an answer of 'ask' (did you mean 'Yes'?); answers are: Yes, No"),
        (["Yes"], "a list ('Yes') is not an answer of 'ask'"),
        (None, "an empty value is not an answer of 'ask'"),
    ],
)
def test_bad_answers_to_a_question(value: Any, message: str) -> None:
    session = Session(protocol_from(minimal_protocol()))
    with pytest.raises(SessionError) as info:
        session.answer(value)
    assert info.value.message.startswith(message)
    assert session.current_id == "ask"


def test_bad_answers_to_a_checklist_and_action() -> None:
    session = Session(every_kind())
    session.answer()
    with pytest.raises(SessionError, match="answer with a list"):
        session.answer("Seeking means")
    with pytest.raises(SessionError, match="'Nope' is not an answer of 'signs'"):
        session.answer(["Nope"])
    session.answer(["Seeking means", "Seeking means"])  # duplicates are harmless
    assert session.answered("signs") == ("Seeking means",)
    session.back()
    session.answer([])
    session.answer("Yes")
    with pytest.raises(SessionError, match="answers are: done, skipped"):
        session.answer("finished")


def test_checklist_answer_keeps_protocol_order() -> None:
    session = Session(every_kind())
    session.answer()
    session.answer(["Seeking means", "Talks of being a burden"])
    assert session.answered("signs") == ("Talks of being a burden", "Seeking means")


def test_answering_after_the_end_is_an_error() -> None:
    session = play(Session(protocol_from(minimal_protocol())), {"ask": "No"})
    with pytest.raises(SessionError, match="has ended"):
        session.answer("Yes")


def test_result_before_the_end_is_an_error() -> None:
    with pytest.raises(SessionError, match="not reached an outcome"):
        Session(protocol_from(minimal_protocol())).result()


def test_custom_tier_scale() -> None:
    data = minimal_protocol(tiers=["routine", "urgent", "emergent"])
    data["nodes"]["ask"]["answers"][0]["tier"] = "emergent"
    data["nodes"]["triage"]["routes"][0]["when"] = {"tier_at_least": "urgent"}
    data["nodes"]["urgent"]["tier"] = "emergent"
    data["nodes"]["routine"]["tier"] = "routine"
    session = Session(protocol_from(data))
    assert session.tier == "routine"
    play(session, {"ask": "Yes"})
    assert session.tier == "emergent"
    assert session.result()["outcome_tier"] == "emergent"


def test_loop_guard_stops_a_walk_that_never_ends() -> None:
    data = minimal_protocol()
    data["nodes"]["ask"]["answers"][1]["next"] = "round"
    data["nodes"]["round"] = {"kind": "info", "text": "Again.", "next": "ask"}
    session = Session(protocol_from(data), max_steps=50)

    def walk_on() -> None:
        while True:
            session.answer("No" if session.current_id == "ask" else None)

    with pytest.raises(SessionError, match="passed 50 steps"):
        walk_on()


def test_loop_guard_stops_a_route_cycle_without_input() -> None:
    data = minimal_protocol()
    data["nodes"]["ask"]["answers"][1]["next"] = "spin"
    data["nodes"]["spin"] = {
        "kind": "route",
        "routes": [{"when": {"tier_below": "high"}, "next": "spin"}],
        "default": "routine",
    }
    session = Session(protocol_from(data))
    with pytest.raises(SessionError, match="protocol loops") as info:
        session.answer("No")
    assert "spin -> spin" in info.value.message


def test_play_names_the_node_without_an_answer() -> None:
    with pytest.raises(SessionError) as info:
        play(Session(screen()), {"wish-dead": "No"})
    assert info.value.message == (
        "the walk reached 'thoughts' but there is no answer for it; valid answers: Yes, No, "
        "Declines, doesn't know, or unclear"
    )


@pytest.mark.parametrize(
    ("answers", "outcome", "tier"),
    [
        ({"wish-dead": "No", "thoughts": "No", "behaviour": "No", "clinical-concern-check": []},
         "negative-screen", "none"),
        ({"wish-dead": "Yes", "thoughts": "No", "behaviour": "No"}, "low-risk", "low"),
        (
            {"wish-dead": "Yes", "thoughts": "Yes", "method": "Yes", "intent": "No",
             "plan": "No", "behaviour": "No"},
            "moderate-risk", "moderate",
        ),
        (
            {"wish-dead": "Yes", "thoughts": "Yes", "method": "No", "intent": "Yes",
             "plan": "No", "behaviour": "No"},
            "high-risk", "high",
        ),
        (
            {"wish-dead": "No", "thoughts": "No", "behaviour": "Yes",
             "behaviour-when": "Less than three months ago"},
            "high-risk", "high",
        ),
        (
            {"wish-dead": "No", "thoughts": "No", "behaviour": "Yes",
             "behaviour-when": "More than three months ago"},
            "moderate-risk", "moderate",
        ),
    ],
)  # fmt: skip
def test_screen_triage(answers: dict[str, str], outcome: str, tier: str) -> None:
    session = play(Session(screen()), answers)
    assert session.current_id == outcome
    assert session.tier == tier


def test_engine_has_no_io_imports() -> None:
    source = Path(__file__).parents[2].joinpath("src/crisisguide/engine.py").read_text()
    for banned in ("import rich", "import questionary", "import typer", "print(", "open("):
        assert banned not in source


def test_the_trace_quoted_in_the_format_doc_is_what_a_walk_says() -> None:
    """docs/format.md quotes the trace: every sentence it quotes is one a walk of a built-in
    drill produces (a sentence ending in a step's title may be quoted without it)."""
    import re

    from crisisguide.drills import library_drills
    from crisisguide.library import load_library, search_layers

    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    section = text.split("## Walking: session semantics", 1)[1].split("\n### ", 1)[0]
    bullet = " ".join(next(b for b in section.split("\n- ") if b.startswith("The trace")).split())
    quoted = re.findall(r'"([^"]+)"', bullet)
    assert len(quoted) >= 4
    assert "->" not in bullet
    library = load_library(search_layers())
    said: set[str] = set()
    for loaded in library_drills(library):
        assert loaded.drill is not None
        protocol = library.valid_protocol(loaded.drill.protocol)
        assert protocol is not None
        said.update(play(Session(protocol), loaded.answers).trace)
    for sentence in quoted:
        assert any(line == sentence or line.startswith(sentence + " ") for line in said), sentence
