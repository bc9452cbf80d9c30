"""Write docs/protocols.md, the catalogue of the built-in library, from the protocol files.

    python tools/catalogue.py            # rewrite docs/protocols.md
    python tools/catalogue.py --check    # exit 1 if docs/protocols.md is out of date

The tables come from the files themselves, so the catalogue cannot drift from what the
protocols do; the licensing section is tools/catalogue-licensing.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from crisisguide.describe import describe_condition
from crisisguide.export.markdown import md_inline
from crisisguide.loader import load_protocol
from crisisguide.model import Checklist, Outcome, Protocol, Question, Route

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "protocols.md"
ORDER = [
    "suicide-risk-screen", "youth-risk-screen", "brief-safety-assessment", "risk-formulation",
    "imminent-risk-response", "safety-plan", "lethal-means-counseling",
    "disability-aware-crisis-care", "when-treatment-isnt-working", "session-feedback",
    "peer-support-referral", "follow-up-after-crisis",
]  # fmt: skip

INTRO = """# The built-in protocols

Twelve protocols ship with crisisguide. Each follows a published framework, cited with a
link, in our own words; each is a rehearsal aid, not the validated instrument. Triage
rules are data: the tables below are generated from the files (`python
tools/catalogue.py`), so they always say what the protocols do. Local protocols differ;
a site can copy a file, change it and give it its own id (see the last section).

Reading the tables: an answer can raise the session's risk tier (never lower it) and set
flags; route nodes then pick the outcome, first matching rule first. Tiers run
none < low < moderate < high < imminent.
"""


def section(p: Protocol) -> list[str]:
    first = p.sources[0]
    follows = f"[{md_inline(first.title)}]({first.url})" if first.url else md_inline(first.title)
    out = [f"## {md_inline(p.id)}: {md_inline(p.title)}", "", md_inline(p.summary), ""]
    out.append(f"- **Follows:** {follows}")
    others = [
        f"[{md_inline(s.title)}]({s.url})" if s.url else md_inline(s.title) for s in p.sources[1:]
    ]
    if others:
        out.append(f"- **Also cites:** {'; '.join(others)}")
    if p.audience:
        out.append(f"- **For:** {', '.join(p.audience)}")
    follow = sorted({f for n in p.nodes.values() if isinstance(n, Outcome) for f in n.follow_up})
    if follow:
        out.append(f"- **Leads on to:** {', '.join(follow)}")
    out += ["", *answers_table(p), "", *routes_table(p), "", *outcomes_table(p), ""]
    return out


def answers_table(p: Protocol) -> list[str]:
    rows = ["| step | answer | raises tier to | sets flags |", "|---|---|---|---|"]
    for node_id, node in p.nodes.items():
        if isinstance(node, Question):
            choices = [(a.label, a.tier, a.flags) for a in node.answers]
        elif isinstance(node, Checklist):
            choices = [(f"ticked: {i.label}", i.tier, i.flags) for i in node.items]
        else:
            continue
        for label, tier, flags in choices:
            if tier or flags:
                rows.append(f"| {md_inline(node.title or node_id)} | {md_inline(label)} | "
                            f"{tier or ''} | {', '.join(flags)} |")  # fmt: skip
    if len(rows) == 2:
        return ["No answer changes the tier or sets a flag."]
    return ["**Answers that change the tier or set flags:**", "", *rows]


def routes_table(p: Protocol) -> list[str]:
    rows = ["| route | when | goes to |", "|---|---|---|"]
    for node_id, node in p.nodes.items():
        if isinstance(node, Route):
            name = md_inline(node.title or node_id)
            for rule in node.routes:
                rows.append(
                    f"| {name} | {md_inline(describe_condition(rule.when))} | {rule.next} |"
                )
            rows.append(f"| {name} | otherwise | {node.default} |")
    return ["**Routes (first match wins):**", "", *rows]


def outcomes_table(p: Protocol) -> list[str]:
    rows = ["| outcome | tier | referrals |", "|---|---|---|"]
    for node_id, node in p.nodes.items():
        if isinstance(node, Outcome):
            rows.append(f"| {md_inline(node.title or node_id)} (`{node_id}`) | {node.tier} | "
                        f"{', '.join(node.referrals)} |")  # fmt: skip
    return ["**Outcomes:**", "", *rows]


def catalogue() -> str:
    out = [INTRO]
    out += ["| id | title | follows |", "|---|---|---|"]
    protocols = []
    for name in ORDER:
        loaded = load_protocol(str(ROOT / "protocols" / f"{name}.yaml"))
        if loaded.protocol is None:
            raise SystemExit(f"{name}: does not load; run crisisguide validate")
        protocols.append(loaded.protocol)
    for p in protocols:
        out.append(
            f"| [{p.id}](#{p.id}) | {md_inline(p.title)} | {md_inline(p.sources[0].title)} |"
        )
    out.append("")
    for p in protocols:
        out += section(p)
    out.append((ROOT / "tools" / "catalogue-licensing.md").read_text(encoding="utf-8").rstrip())
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    text = catalogue()
    if "--check" in sys.argv:
        if TARGET.read_text(encoding="utf-8") != text:
            raise SystemExit("docs/protocols.md is out of date: run python tools/catalogue.py")
        return
    TARGET.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
