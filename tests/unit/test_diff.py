"""``crisisguide diff``: a protocol against itself is empty, and every single change made to
a built-in protocol is reported once, in the class the reviewer needs (safety-relevant
first). The mutations below are a statement of the classification independent of the
code: each says what it changes and which class that is."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from crisisguide.diff import Change, diff
from crisisguide.loader import protocol_from_document
from crisisguide.model import Protocol
from crisisguide.yamldoc import parse_yaml

from conftest import PROTOCOLS, invoke, write_yaml

FILES = sorted(PROTOCOLS.glob("*.yaml"))
DATA = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in FILES}


def build(data: dict[str, Any]) -> Protocol:
    doc = parse_yaml(yaml.safe_dump(data, sort_keys=False).encode(), "mutated.yaml")
    loaded = protocol_from_document(doc)
    assert loaded.protocol is not None, loaded.problems
    return loaded.protocol


BUILT = {name: build(data) for name, data in DATA.items()}


@pytest.mark.parametrize("name", sorted(DATA))
def test_a_protocol_against_itself_has_no_changes(name: str) -> None:
    assert diff(BUILT[name], BUILT[name]) == []
    assert diff(BUILT[name], build(copy.deepcopy(DATA[name]))) == []


# --- mutations: (class, lowers care?) and how to make them ---------------------------------------

Mutation = Callable[[dict[str, Any], st.DataObject], tuple[str, str | None, bool]]
"""Changes the protocol's data in place; returns (class, node id, lowers care)."""


def nodes_of(data: dict[str, Any], *kinds: str) -> list[str]:
    return [n for n, node in data["nodes"].items() if node["kind"] in kinds]


def pick(draw: st.DataObject, items: list[Any]) -> Any:
    if not items:
        raise ValueError("nothing of that kind here")
    return draw.draw(st.sampled_from(items))


def tiers(data: dict[str, Any]) -> list[str]:
    return list(data.get("tiers", ["none", "low", "moderate", "high", "imminent"]))


def answer_tier(lower: bool) -> Mutation:
    def mutate(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
        scale = tiers(data)

        def rank(answer: dict[str, Any]) -> int:
            return scale.index(answer["tier"]) if answer.get("tier") else -1

        spots = [(n, i) for n in nodes_of(data, "question")
                 for i, a in enumerate(data["nodes"][n]["answers"])
                 if (rank(a) > 0 if lower else rank(a) < len(scale) - 1)]  # fmt: skip
        node, i = pick(draw, spots)
        answer = data["nodes"][node]["answers"][i]
        now = scale.index(answer["tier"]) if answer.get("tier") else -1
        answer["tier"] = scale[now - 1] if lower else scale[now + 1]
        return "safety", node, lower

    return mutate


def answer_next(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "question"))
    answer = pick(draw, data["nodes"][node]["answers"])
    answer["next"] = pick(draw, [n for n in data["nodes"] if n not in (answer["next"], node)])
    return "safety", node, False


def answer_flag(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "question"))
    answer = pick(draw, data["nodes"][node]["answers"])
    answer["flags"] = [*answer.get("flags", []), "added-by-mutation"]
    return "safety", node, False


def unclear_removed(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    spots = [n for n in nodes_of(data, "question")
             if any(a.get("unclear") for a in data["nodes"][n]["answers"])
             and len(data["nodes"][n]["answers"]) > 2]  # fmt: skip
    node = pick(draw, spots)
    data["nodes"][node]["answers"] = [
        a for a in data["nodes"][node]["answers"] if not a.get("unclear")
    ]
    return "safety", node, True


def unclear_unmarked(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    spots = [n for n in nodes_of(data, "question")
             if any(a.get("unclear") for a in data["nodes"][n]["answers"])]  # fmt: skip
    node = pick(draw, spots)
    for answer in data["nodes"][node]["answers"]:
        answer.pop("unclear", None)
    return "safety", node, True


def answer_relabelled(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "question"))
    answer = pick(draw, data["nodes"][node]["answers"])
    answer["label"] = answer["label"] + " (reworded)"
    return "wording", node, False


def outcome_tier(lower: bool) -> Mutation:
    def mutate(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
        scale = tiers(data)
        ends = [n for n in nodes_of(data, "outcome")
                if (scale.index(data["nodes"][n]["tier"]) > 0 if lower
                    else data["nodes"][n]["tier"] != scale[-1])]  # fmt: skip
        node = pick(draw, ends)
        now = scale.index(data["nodes"][node]["tier"])
        data["nodes"][node]["tier"] = scale[now - 1] if lower else scale[now + 1]
        return "safety", node, lower

    return mutate


def referral_removed(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, [n for n in nodes_of(data, "outcome") if data["nodes"][n].get("referrals")])
    referrals = data["nodes"][node]["referrals"]
    referrals.remove(pick(draw, referrals))
    return "safety", node, True


def referral_added(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "outcome"))
    data["nodes"][node]["referrals"] = [*data["nodes"][node].get("referrals", []), "riverside-er"]
    return "safety", node, False


def route_changed(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "route"))
    rule = pick(draw, data["nodes"][node]["routes"])
    if draw.draw(st.booleans()):
        rule["next"] = pick(draw, [n for n in nodes_of(data, "outcome") if n != rule["next"]])
    else:
        rule["when"] = {"not": rule["when"]}
    return "safety", node, False


def default_changed(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "route"))
    route = data["nodes"][node]
    route["default"] = pick(draw, [n for n in nodes_of(data, "outcome") if n != route["default"]])
    return "safety", node, False


def step_next(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "action", "info", "checklist"))
    here = data["nodes"][node]
    here["next"] = pick(draw, [n for n in data["nodes"] if n not in (here["next"], node)])
    return "safety", node, False


def item_tier(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "checklist"))
    item = pick(draw, data["nodes"][node]["items"])
    scale = tiers(data)
    item["tier"] = scale[-1] if item.get("tier") != scale[-1] else scale[-2]
    return "safety", node, item["tier"] == scale[-2]


def start_changed(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    data["start"] = pick(draw, [n for n in data["nodes"] if n != data["start"]])
    return "safety", None, False


def kind_changed(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "question", "checklist", "action"))
    target = data["nodes"][node].get("next") or data["nodes"][node]["answers"][0]["next"]
    data["nodes"][node] = {"kind": "info", "text": "Replaced.", "next": target}
    return "safety", node, False


def wording(key: str, *kinds: str) -> Mutation:
    def mutate(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
        node = pick(draw, nodes_of(data, *kinds))
        value = data["nodes"][node].get(key)
        if isinstance(value, list) and value and isinstance(value[0], str):
            data["nodes"][node][key] = [*value[:-1], value[-1] + " Said differently."]
        elif isinstance(value, list):
            data["nodes"][node][key] = value[:-1]
        else:
            data["nodes"][node][key] = (value or "") + " Said differently."
        return "wording", node, False

    return mutate


def node_added(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    data["nodes"]["added-by-mutation"] = {"kind": "outcome", "tier": tiers(data)[0],
                                          "steps": ["Thank them."]}  # fmt: skip
    return "structure", "added-by-mutation", False


def node_removed(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, [n for n in data["nodes"] if n != data["start"]])
    del data["nodes"][node]
    return "structure", node, False


def follow_up_changed(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
    node = pick(draw, nodes_of(data, "outcome"))
    data["nodes"][node]["follow_up"] = [*data["nodes"][node].get("follow_up", []), "safety-plan-x"]
    return "structure", node, False


def metadata(key: str) -> Mutation:
    def mutate(data: dict[str, Any], draw: st.DataObject) -> tuple[str, str | None, bool]:
        data[key] = {"version": "9.9.9"}.get(key, f"{data.get(key, '')} (changed)")
        return "metadata", None, False

    return mutate


MUTATIONS: dict[str, Mutation] = {
    "answer tier lowered": answer_tier(lower=True),
    "answer tier raised": answer_tier(lower=False),
    "answer leads elsewhere": answer_next,
    "answer flag added": answer_flag,
    "unclear answer removed": unclear_removed,
    "unclear mark removed": unclear_unmarked,
    "answer relabelled": answer_relabelled,
    "outcome tier lowered": outcome_tier(lower=True),
    "outcome tier raised": outcome_tier(lower=False),
    "referral removed": referral_removed,
    "referral added": referral_added,
    "route condition or target": route_changed,
    "route default": default_changed,
    "step leads elsewhere": step_next,
    "checklist item tier": item_tier,
    "first step": start_changed,
    "node kind": kind_changed,
    "question prompt": wording("prompt", "question", "checklist"),
    "ask lines": wording("ask", "question"),
    "avoid list": wording("avoid", "question"),
    "outcome steps": wording("steps", "outcome"),
    "node notes": wording("notes", "question", "outcome", "action", "info"),
    "node title": wording("title", "question", "outcome"),
    "node added": node_added,
    "node removed": node_removed,
    "follow-up": follow_up_changed,
    "protocol title": metadata("title"),
    "protocol version": metadata("version"),
    "protocol summary": metadata("summary"),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draw=st.data())
def test_every_single_change_is_reported_once_in_its_class(
    mutation: str, draw: st.DataObject
) -> None:
    name = draw.draw(st.sampled_from(sorted(DATA)))
    data = copy.deepcopy(DATA[name])
    try:
        cls, node, lowers = MUTATIONS[mutation](data, draw)
    except (ValueError, IndexError):  # this protocol has nothing of that kind to change
        return
    changes = diff(BUILT[name], build(data))
    assert len(changes) == 1, (mutation, name, [c.message for c in changes])
    change: Change = changes[0]
    assert (change.cls, change.node) == (cls, node), (mutation, name, change)
    if cls == "safety":
        assert change.lowers_care == lowers, (mutation, name, change)


def test_safety_changes_come_first_and_lowering_ones_lead() -> None:
    data = copy.deepcopy(DATA["suicide-risk-screen"])
    data["title"] += " (site)"
    data["nodes"]["wish-dead"]["prompt"] += " Gently."
    data["nodes"]["high-risk"]["referrals"].append("riverside-er")
    intent = data["nodes"]["intent"]["answers"][0]
    intent["tier"] = "moderate"
    changes = diff(BUILT["suicide-risk-screen"], build(data))
    assert [c.cls for c in changes] == ["safety", "safety", "wording", "metadata"]
    assert changes[0].lowers_care
    assert changes[0].node == "intent"
    assert "tier lowered from high to moderate" in changes[0].message


def test_an_urgent_outcome_losing_emergency_help_says_so() -> None:
    data = copy.deepcopy(DATA["suicide-risk-screen"])
    data["nodes"]["high-risk"]["referrals"] = ["crisis-line", "inpatient"]
    (change,) = diff(BUILT["suicide-risk-screen"], build(data))
    assert change.lowers_care
    assert change.message.startswith("an urgent outcome no longer lists emergency help")
    # a directory entry of the kind still reaches it
    data["nodes"]["high-risk"]["referrals"] = ["riverside-er", "crisis-line", "inpatient"]
    (change,) = diff(BUILT["suicide-risk-screen"], build(data), {"riverside-er": "emergency"})
    assert "no longer lists" not in change.message


# --- the command ---------------------------------------------------------------------------------


def overlay_file(tmp_path: Path, nodes: dict[str, Any]) -> Path:
    return write_yaml(tmp_path / "site.yaml", {"format": 1, "id": "suicide-risk-screen",
                                                "extends": "suicide-risk-screen",
                                                "version": "9.9.9", "nodes": nodes})  # fmt: skip


def lowered_intent() -> dict[str, Any]:
    answers = copy.deepcopy(DATA["suicide-risk-screen"]["nodes"]["intent"]["answers"])
    answers[0]["tier"] = "moderate"
    return {"intent": {"answers": answers}}


def test_diff_lists_a_lowered_tier_first_and_fails_on_safety(
    runner: CliRunner, tmp_path: Path
) -> None:
    site = overlay_file(tmp_path, {**lowered_intent(), "wish-dead": {"prompt": "Ask gently."}})
    result = invoke(
        runner, "diff", "suicide-risk-screen@built-in", str(site), "--fail-on", "safety"
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[2] == "Safety-relevant changes (1):"
    assert lines[3] == "  - LOWERS CARE: intent: answer 'Yes': tier lowered from high to moderate"
    assert "Wording changes (1):" in lines
    assert "1 safety-relevant change(s)" in result.stderr
    assert invoke(runner, "diff", "suicide-risk-screen@built-in", str(site)).exit_code == 0


def test_a_wording_only_change_passes_fail_on_safety(runner: CliRunner, tmp_path: Path) -> None:
    site = overlay_file(
        tmp_path, {"wish-dead": {"ask": ["In the past month, have you wished you were dead?"]}}
    )
    result = invoke(runner, "diff", "suicide-risk-screen", str(site), "--fail-on", "safety")
    assert result.exit_code == 0, result.stdout
    assert "Safety-relevant" not in result.stdout
    assert "Wording changes (1):" in result.stdout
    assert "+ In the past month, have you wished you were dead?" in result.stdout
    assert (
        invoke(runner, "diff", "suicide-risk-screen", str(site), "--fail-on", "any").exit_code == 1
    )


def test_diff_as_json_and_markdown(runner: CliRunner, tmp_path: Path) -> None:
    site = overlay_file(tmp_path, lowered_intent())
    result = invoke(runner, "diff", "suicide-risk-screen", str(site), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["counts"] == {"safety": 1, "structure": 0, "wording": 0, "metadata": 1}
    assert data["changes"][0] | {"message": ""} == {
        "class": "safety", "node": "intent", "part": "answers[Yes].tier", "message": "",
        "old": "high", "new": "moderate", "lowers_care": True}  # fmt: skip
    assert data["new"]["file"] == str(site)
    assert data["old"]["ref"] == "suicide-risk-screen"
    md = invoke(runner, "diff", "suicide-risk-screen", str(site), "--format", "md")
    assert md.stdout.startswith("# Changes from suicide-risk-screen")
    assert "## Safety-relevant changes (1)" in md.stdout
    assert "- **Lowers care:** `intent`: answer 'Yes': tier lowered" in md.stdout


def test_diff_of_identical_protocols_says_so(runner: CliRunner) -> None:
    result = invoke(runner, "diff", "safety-plan", "safety-plan@built-in", "--fail-on", "any")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "No differences."


def test_diff_refuses_what_is_not_a_protocol(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: x\nnodes: [\n")
    result = invoke(runner, "diff", "safety-plan", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr
    assert "cannot be compared" in result.stderr
    unknown = invoke(runner, "diff", "safety-plan@nowhere", "safety-plan")
    assert unknown.exit_code == 1
    assert "'nowhere' in 'safety-plan@nowhere' is not a layer" in unknown.stderr
    missing = invoke(runner, "diff", "safety-plan@config", "safety-plan")
    assert missing.exit_code == 1
    assert "no protocol with id 'safety-plan' in the config layer" in missing.stderr


def test_protocol_text_in_a_diff_stays_inert(runner: CliRunner, tmp_path: Path) -> None:
    site = overlay_file(tmp_path, {"wish-dead": {"prompt": "\x1b[31m[bold]Ask[/bold] <b>now</b>"}})
    text = invoke(runner, "diff", "suicide-risk-screen", str(site))
    assert "\x1b" not in text.stdout
    assert "[bold]Ask[/bold]" in text.stdout
    md = invoke(runner, "diff", "suicide-risk-screen", str(site), "--format", "md")
    assert "\\<b\\>now\\</b\\>" in md.stdout
    assert "\\[bold\\]" in md.stdout
