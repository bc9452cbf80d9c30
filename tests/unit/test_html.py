"""The HTML export: a well-formed page that runs nothing and loads nothing, protocol text
always literal, the flow drawn with one box per step, the paper chosen, and the card.

The page is written as polyglot HTML5 (XHTML-compatible), so it is parsed here with a
strict XML parser (expat, through ElementTree): an unclosed element, a stray ``<`` or an
unescaped ``&`` fails the parse, where a forgiving HTML parser (html.parser, html5lib)
would repair it silently and the test would pass on broken markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crisisguide.export import flow, html
from crisisguide.loader import load_protocol

from conftest import DATA, invoke, minimal_protocol, write_yaml

EVERY_KIND = str(DATA / "valid" / "every-kind.yaml")
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> </svg> & &amp; **bold** [red]x[/] `code` # hash"
LOADERS = {"script", "iframe", "object", "embed", "link", "img", "image", "base", "form",
           "frame", "audio", "video", "source", "use", "foreignObject", "style"}  # fmt: skip


def export(runner: CliRunner, *args: str) -> str:
    result = invoke(runner, "export", *args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def parse(page: str) -> ET.Element:
    assert page.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(page.split("\n", 1)[1])


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def hostile_protocol(tmp_path: Path) -> Any:
    data = minimal_protocol(title=f"Title {HOSTILE}", summary=f"Summary {HOSTILE}")
    ask = data["nodes"]["ask"]
    ask["title"] = f"Node {HOSTILE}"
    ask["prompt"] = f"Prompt {HOSTILE}"
    ask["ask"] = [f"Ask {HOSTILE}"]
    ask["avoid"] = [{"say": f"Say {HOSTILE}", "why": "Why"}]
    ask["answers"][0]["label"] = f"Yes {HOSTILE}"
    data["nodes"]["urgent"]["steps"] = [f"Step {HOSTILE}"]
    data["sources"] = [
        {"title": "Evil", "url": "https://example.org/evil"},
        {"title": "Good", "url": "https://example.org/a?b=1&c=2"},
    ]
    loaded = load_protocol(str(write_yaml(tmp_path / "hostile.yaml", data)))
    assert loaded.protocol is not None, loaded.problems
    # validation refuses such an address (CG104); the page would not link it either
    object.__setattr__(loaded.protocol.sources[0], "url", "javascript:alert(1)")
    return loaded.protocol


@pytest.fixture
def hostile_page(tmp_path: Path) -> str:
    protocol = hostile_protocol(tmp_path)
    return html.checklist_page(protocol, {}, [], "US", paper="a4")


@pytest.mark.parametrize(
    "args",
    [
        ["suicide-risk-screen", "--region", "US"],
        ["suicide-risk-screen", "--card", "--region", "GB"],
        [EVERY_KIND, "--region", "AU", "--no-tables"],
    ],
)
def test_page_is_well_formed_and_inert(runner: CliRunner, args: list[str]) -> None:
    page = export(runner, *args, "--format", "html")
    root = parse(page)
    assert_inert(root)
    csp = root.find(f"{XHTML}head/{XHTML}meta[@http-equiv='Content-Security-Policy']")
    assert csp is not None
    assert csp.get("content", "").startswith("default-src 'none'; style-src 'unsafe-inline';")


def assert_inert(root: ET.Element) -> None:
    """No script or other element that loads or runs anything, no event handler, no
    link but http(s), no reference but to a fragment of the page itself."""
    assert "<script" not in ET.tostring(root, encoding="unicode").lower()
    styles = [e for e in root.iter() if local(e.tag) == "style"]
    assert len(styles) == 1  # the one inline style sheet, in head
    css = styles[0].text or ""
    assert "@import" not in css
    assert "url(" not in css
    for element in root.iter():
        name = local(element.tag)
        assert name not in LOADERS - {"style"}, name
        for attribute, value in element.attrib.items():
            attribute = local(attribute)
            assert not attribute.lower().startswith("on"), (name, attribute)
            assert attribute not in {"src", "srcset", "style", "action", "formaction"}
            if attribute == "href":
                assert name == "a"
                assert re.match(r"https?://", value), value
            if "url(" in value:
                assert re.fullmatch(r"url\(#[\w-]+\)", value), value


def test_protocol_text_comes_out_literal(hostile_page: str) -> None:
    root = parse(hostile_page)
    assert_inert(root)
    body = root.find(f"{XHTML}body")
    assert body is not None
    words = text_of(body)
    for part in ("Title", "Summary", "Prompt", "Ask", "Say", "Step", "Yes"):
        assert f"{part} {HOSTILE}" in words, part
    heading = list(body.iter(f"{XHTML}h1"))
    assert text_of(heading[0]) == f"Title {HOSTILE}"
    # nothing became markup: no bold, code or heading made from the text
    marked = [text_of(e) for e in body.iter() if local(e.tag) in {"code", "strong", "em", "h2"}]
    assert not [m for m in marked if m in {"bold", "code", "hash"}]
    # in the picture, too, as SVG text
    svg = body.find(f".//{SVG}svg")
    assert svg is not None
    labels = " ".join(text_of(t) for t in svg.iter(f"{SVG}text"))
    assert "Node <script>alert(1)<" in labels  # wrapped to the box
    assert "Yes <script>" in labels


def test_title_in_the_print_header_cannot_end_the_style(hostile_page: str) -> None:
    css = hostile_page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in css
    assert "&" not in css
    assert '@top-left { content: "Title \\00003c script\\00003e alert(1)' in css


def test_css_strings_are_closed() -> None:
    quoted = html.css_string('a"b\\c</style>\n}x; é')
    inner = quoted[1:-1]
    assert quoted.startswith('"')
    assert quoted.endswith('"')
    assert '"' not in inner
    assert "<" not in inner
    assert "}" not in inner
    assert "\n" not in inner
    assert re.fullmatch(r"(?:[a-z ;/]|\\[0-9a-f]{6} )*", inner), inner


def test_only_http_links(hostile_page: str) -> None:
    root = parse(hostile_page)
    hrefs = [a.get("href") for a in root.iter(f"{XHTML}a")]
    assert hrefs == ["https://example.org/a?b=1&c=2"]
    assert "javascript:alert(1)" in text_of(root)  # shown as text, never a link


def test_svg_has_one_box_per_node(runner: CliRunner) -> None:
    protocol = load_protocol(EVERY_KIND).protocol
    assert protocol is not None
    root = parse(export(runner, EVERY_KIND, "--format", "html"))
    svg = root.find(f".//{SVG}svg")
    assert svg is not None
    assert svg.get("role") == "img"
    assert svg.get("aria-label")
    assert svg.find(f"{SVG}title") is not None
    assert svg.find(f"{SVG}desc") is not None
    assert "viewBox" in svg.attrib
    assert "width" not in svg.attrib
    nodes = [g for g in svg.iter(f"{SVG}g") if "node" in (g.get("class") or "").split()]
    assert [g.get("data-node") for g in nodes] == list(protocol.nodes)
    for g in nodes:
        assert len([r for r in g if (r.get("class") or "") == "shape"]) == 1
    urgent = [g for g in nodes if "urgent" in (g.get("class") or "").split()]
    assert urgent  # and said in words, not colour alone
    assert all(text_of(g).startswith("URGENT OUTCOME") for g in urgent)
    edges = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "edge"]
    assert edges


def test_long_titles_are_wrapped_and_cut(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["ask"]["title"] = "word " * 60
    protocol = load_protocol(str(write_yaml(tmp_path / "long.yaml", data))).protocol
    assert protocol is not None
    lines, _ = flow.box_lines(protocol, "ask")
    assert len(lines) == 1 + flow.TITLE_LINES
    assert all(len(line) <= flow.WRAP for line in lines[1:])
    assert lines[-1].endswith("\u2026")


def test_a_large_flow_is_not_drawn(tmp_path: Path) -> None:
    data = minimal_protocol(start="i0")
    count = flow.MAX_NODES
    for i in range(count):
        nxt = f"i{i + 1}" if i + 1 < count else "ask"
        data["nodes"][f"i{i}"] = {"kind": "info", "text": f"Step {i}", "next": nxt}
    protocol = load_protocol(str(write_yaml(tmp_path / "big.yaml", data))).protocol
    assert protocol is not None
    page = html.checklist_page(protocol, {}, [], "US", paper="a4")
    root = parse(page)
    assert root.find(f".//{SVG}svg") is None
    assert f"The flow is not drawn: it has {count + 4} steps" in text_of(root)
    assert "Info: Step 0" not in text_of(root)  # untitled: the steps are still listed
    assert "Info: i0" in text_of(root)


def test_a_wide_layer_is_not_drawn(tmp_path: Path) -> None:
    data = minimal_protocol()
    answers = [{"label": f"A{i}", "next": f"o{i}"} for i in range(flow.MAX_LAYER_WIDTH + 1)]
    data["nodes"]["ask"]["answers"] = answers
    for i in range(len(answers)):
        data["nodes"][f"o{i}"] = {"kind": "outcome", "tier": "none", "steps": ["Thank them"]}
    protocol = load_protocol(str(write_yaml(tmp_path / "wide.yaml", data))).protocol
    assert protocol is not None
    picture = flow.flow_picture(protocol)
    assert picture.svg is None
    assert "a row would hold more than 10 steps" in picture.note


def test_a_tall_flow_is_not_drawn(tmp_path: Path) -> None:
    data = minimal_protocol(start="q0")
    for i in range(20):
        data["nodes"][f"q{i}"] = {
            "kind": "question", "prompt": "Go on?", "ask": ["Go on?"],
            "avoid": [{"say": "Stop?", "why": "Leading."}],
            "answers": [{"label": "On", "next": f"q{i + 1}" if i < 19 else "ask"},
                        {"label": "Stop", "next": "routine"}],
        }  # fmt: skip
    protocol = load_protocol(str(write_yaml(tmp_path / "tall.yaml", data))).protocol
    assert protocol is not None
    picture = flow.flow_picture(protocol)
    assert picture.svg is None
    assert "would print at less than 40% of their size" in picture.note


def test_outcomes_break_the_page_and_tasks_have_boxes(runner: CliRunner) -> None:
    root = parse(export(runner, "suicide-risk-screen", "--format", "html"))
    outcomes = [h for h in root.iter(f"{XHTML}h3") if h.get("class") == "outcome"]
    protocol = load_protocol("protocols/suicide-risk-screen.yaml").protocol
    assert protocol is not None
    assert len(outcomes) == len(protocol.outcome_ids)
    assert all(text_of(h).startswith("Outcome: ") for h in outcomes)
    tasks = [li for li in root.iter(f"{XHTML}li") if li.get("class") == "task"]
    assert tasks
    assert not any(text_of(li).startswith("[ ]") for li in tasks)
    css = root.findtext(f"{XHTML}head/{XHTML}style") or ""
    assert "h3.outcome { break-before: page; }" in css


def test_escaped_brackets_are_not_tasks(tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["routine"]["steps"] = ["[ ] not a box of ours"]
    data["nodes"]["ask"]["avoid"] = [{"say": "[ ] also text", "why": "Why"}]
    protocol = load_protocol(str(write_yaml(tmp_path / "boxes.yaml", data))).protocol
    root = parse(html.checklist_page(protocol, {}, [], "US", paper="a4"))
    items = {text_of(li): li.get("class") for li in root.iter(f"{XHTML}li")}
    assert items["[ ] not a box of ours"] == "task"  # a step: the box, then its literal text
    assert items["\u201c[ ] also text\u201d \u2014 Why"] is None


@pytest.mark.parametrize(
    ("args", "size"),
    [
        (["--region", "US"], "letter"),
        (["--region", "CA"], "letter"),
        (["--region", "GB"], "A4"),
        (["--region", "US", "--paper", "a4"], "A4"),
        (["--region", "GB", "--paper", "letter"], "letter"),
    ],
)
def test_paper(runner: CliRunner, args: list[str], size: str) -> None:
    page = export(runner, "suicide-risk-screen", "--format", "html", "--card", *args)
    assert f"  size: {size};\n" in page


def test_emergency_line_is_the_cards(runner: CliRunner) -> None:
    page = export(runner, "suicide-risk-screen", "--format", "html", "--region", "GB")
    card_md = export(runner, "suicide-risk-screen", "--card", "--region", "GB")
    line = card_md.rstrip().rsplit("\n", 1)[1].replace("**", "")
    root = parse(page)
    banner = root.find(f"{XHTML}body/{XHTML}p[@class='emergency']")
    assert banner is not None
    assert text_of(banner) == line.replace("\\", "")
    assert "Emergency help (GB): 999 Emergency Services: call 999;" in line
    assert '@bottom-center {\n    content: "Emergency help (GB): 999 Emergency' in page


def test_card_has_the_markdown_cards_content(runner: CliRunner) -> None:
    root = parse(export(runner, "suicide-risk-screen", "--format", "html", "--card"))
    words = text_of(root)
    assert "Pocket card: Suicide risk screening" in words
    assert "Risk is urgent when" in words
    assert root.find(f".//{SVG}svg") is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "--card"], "--card is a one-page pocket card"),
        (["--paper", "a4"], "--paper sets the printed page"),
        (["--format", "html", "--paper", "a5"], "a5"),
    ],
)
def test_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = invoke(runner, "export", "suicide-risk-screen", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_deterministic(runner: CliRunner) -> None:
    args = [EVERY_KIND, "--format", "html"]
    assert export(runner, *args) == export(runner, *args)


def test_golden(runner: CliRunner, golden: Callable[[str, str], None]) -> None:
    golden(
        "export-every-kind.html", export(runner, EVERY_KIND, "--format", "html", "--region", "AU")
    )


def test_written_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    result = invoke(runner, "export", "suicide-risk-screen", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    parse(target.read_text("utf-8"))
