"""Export: golden markdown/Mermaid/JSON, hostile text, valid Mermaid, determinism, -o."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from crisisguide.export.markdown import md, md_inline
from crisisguide.export.mermaid import flowchart, label
from crisisguide.model import Protocol

from conftest import DATA, invoke, minimal_protocol, write_yaml

EVERY_KIND = str(DATA / "valid" / "every-kind.yaml")


def export(runner: CliRunner, *args: str) -> str:
    result = invoke(runner, "export", *args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("suicide-risk-screen.md", ["suicide-risk-screen", "--region", "US"]),
        ("suicide-risk-screen-card.md", ["suicide-risk-screen", "--card", "--region", "GB"]),
        ("every-kind.md", [EVERY_KIND, "--region", "AU"]),
        ("every-kind.mmd", [EVERY_KIND, "--format", "mermaid"]),
        ("every-kind.json", [EVERY_KIND, "--format", "json", "--region", "NZ"]),
    ],
)
def test_golden(
    runner: CliRunner, golden: Callable[[str, str], None], name: str, args: list[str]
) -> None:
    golden(f"export-{name}", export(runner, *args))


@pytest.mark.parametrize("fmt", ["md", "json", "mermaid"])
def test_deterministic(runner: CliRunner, fmt: str) -> None:
    assert export(runner, EVERY_KIND, "--format", fmt) == export(
        runner, EVERY_KIND, "--format", fmt
    )


def test_markdown_has_the_parts_of_a_checklist(runner: CliRunner) -> None:
    text = export(runner, "suicide-risk-screen")
    assert text.startswith("# Suicide risk screening\n")
    assert "> Training and rehearsal aid - not a clinical instrument." in text
    assert (
        "- [ ] Over the last month, have you had thoughts of suicide, of ending your own life?"
        in text
    )
    assert "**Avoid saying:**" in text
    assert "| Answer | Next step | Raises tier to |" in text
    assert "| the risk tier is high or higher | High risk |" in text
    assert "Then: Wanting to die" in text  # titles, not ids
    assert "### Outcome: High risk (high-risk)" in text
    assert "**Risk tier:** high (URGENT)" in text
    assert "- 988 Suicide & Crisis Lifeline (crisis-line)" in text  # named at the outcome
    # each referral's details once, in the Referrals section
    assert text.count("- **988 Suicide & Crisis Lifeline** (crisis-line): call 988") == 1
    assert text.index("\n## Referrals (US)\n") > text.index("### Outcome: Negative screen")
    assert "```mermaid\nflowchart TD\n" in text
    assert text.rstrip().endswith("License of this protocol's text: CC-BY-4.0")


def test_json_keeps_extensions_and_resolves_referrals(runner: CliRunner) -> None:
    data = json.loads(export(runner, EVERY_KIND, "--format", "json", "--region", "GB"))
    assert data["x-owner"] == "training team"
    assert data["nodes"]["ask-thoughts"]["x-note"] == "kept and ignored"
    assert data["nodes"]["triage"]["routes"][1]["when"]["all"][1]["not"] == {
        "flags_none": ["withdrawal"]
    }
    Protocol.model_validate({k: v for k, v in data.items() if k != "resolved_referrals" and not k.startswith("x-")}
                            | {"nodes": {k: {kk: vv for kk, vv in n.items() if not kk.startswith("x-")}
                                         for k, n in data["nodes"].items()}})  # fmt: skip
    urgent = data["resolved_referrals"]["outcomes"]["urgent"]
    assert urgent[0]["id"] == "gb-999"
    assert data["resolved_referrals"]["region"] == "GB"
    concern = data["resolved_referrals"]["outcomes"]["concern"]
    assert {"kind": "outpatient", "unlisted": True, "region": "GB"} in concern


def test_output_file_is_written_atomically(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    result = invoke(runner, "export", "suicide-risk-screen", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text() == export(runner, "suicide-risk-screen")
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_unwritable_output_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "export", "suicide-risk-screen", "-o", str(tmp_path / "nope" / "x.md"))
    assert result.exit_code == 1
    assert result.stderr.startswith("crisisguide: cannot write")
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        result = invoke(runner, "export", "suicide-risk-screen", "-o", str(readonly / "x.md"))
    finally:
        readonly.chmod(0o700)
    if result.exit_code == 0:  # root ignores permissions
        return
    assert result.exit_code == 1
    assert list(readonly.iterdir()) == []


def test_card_needs_markdown(runner: CliRunner) -> None:
    result = invoke(runner, "export", "suicide-risk-screen", "--card", "--format", "json")
    assert result.exit_code == 2
    assert "--card" in result.stderr


# --- hostile text ---------------------------------------------------------------------

HOSTILE = [
    "# Heading",
    "- list item",
    "1. ordered",
    "> quote",
    "[link](https://evil.test)",
    "![image](https://evil.test/x.png)",
    "<script>alert(1)</script>",
    "<b>bold</b> &lt; &#60;",
    "| a | b |",
    "*em* **strong** _u_ ~~s~~ `code`",
    "line one\n\n# line two",
    "\x1b[31mred\x1b[0m \u202eevil",
    "```fence",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markdown_escaping_leaves_no_markup(hostile: str) -> None:
    for escaped in (md(hostile), md_inline(hostile)):
        assert "\n" not in escaped
        assert "\x1b" not in escaped
        assert "\u202e" not in escaped
        assert not re.search(r"(?<!\\)[\[\]<>|*_`~]", escaped), escaped
        assert not re.search(r"&(?!amp;)#?\w+;", escaped), escaped
    assert not re.match(r"^\s*(#|-|\+|>|\d+[.)])\s", md(hostile)), md(hostile)


def test_hostile_protocol_exports_safely(runner: CliRunner, tmp_path: Path) -> None:
    data = minimal_protocol(title="# Title <img src=x onerror=alert(1)>")
    data["nodes"]["ask"]["prompt"] = "\n".join(HOSTILE)
    data["nodes"]["ask"]["answers"][0]["label"] = '"Yes" | [x] {y}'
    path = write_yaml(tmp_path / "h.yaml", data)
    text = export(runner, str(path))
    assert text.startswith("# \\# Title \\<img src=x onerror=alert(1)\\>\n")
    assert "<script>" not in text
    assert "\n# line two" not in text
    mermaid = export(runner, str(path), "--format", "mermaid")
    assert_valid_mermaid(mermaid)
    assert "#34;Yes#34; #124; #91;x#93; #123;y#125;" in mermaid


# --- Mermaid syntax -------------------------------------------------------------------

NODE = re.compile(
    r'^    n\d+(\{"[^"]*"\}|\[\["[^"]*"\]\]|\["[^"]*"\]|\[/"[^"]*"/\]|\{\{"[^"]*"\}\}|\(\["[^"]*"\]\))$'
)
EDGE = re.compile(r'^    n\d+ --> n\d+$|^    n\d+ -->\|"[^"|]*"\| n\d+$')
OTHER = re.compile(
    r"^    class n\d+(,n\d+)* (start|urgent)$|^    classDef (start|urgent) [\w:#,\-]+$"
)


def assert_valid_mermaid(source: str) -> None:
    lines = source.rstrip("\n").split("\n")
    assert lines[0] == "flowchart TD"
    for line in lines[1:]:
        assert NODE.match(line) or EDGE.match(line) or OTHER.match(line), line
        inner = re.findall(r'"([^"]*)"', line)
        for text in inner:
            assert not set(text) & set("<>[]{}|`()"), (line, text)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_mermaid_labels_are_always_valid(text: str) -> None:
    escaped = label(text)
    assert '"' not in escaped
    assert "\n" not in escaped
    assert not set(escaped) & set("<>[]{}|`()")


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=30).filter(str.strip),
    answer=st.text(min_size=1, max_size=20).filter(str.strip),
    node_id=st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True),
)
def test_mermaid_for_generated_protocols(title: str, answer: str, node_id: str) -> None:
    data: dict[str, Any] = minimal_protocol()
    if node_id not in data["nodes"]:
        data["nodes"][node_id] = data["nodes"].pop("routine")
        data["nodes"]["triage"]["default"] = node_id
    data["nodes"]["ask"]["title"] = title
    data["nodes"]["ask"]["answers"][0]["label"] = answer + "?" if answer == "No" else answer
    assert_valid_mermaid(flowchart(Protocol.model_validate(data)))


def test_urgent_outcomes_are_marked_in_words(runner: CliRunner) -> None:
    source = export(runner, "suicide-risk-screen", "--format", "mermaid")
    assert_valid_mermaid(source)
    assert '(["URGENT: High risk, tier high"])' in source
    ids = {line.split("[", 1)[0].split("(", 1)[0].strip(): line for line in source.splitlines()}
    urgent_line = next(
        line
        for line in source.splitlines()
        if line.strip().startswith("class ") and "urgent" in line
    )
    assert all("URGENT" in ids[n] for n in urgent_line.split()[1].split(","))
