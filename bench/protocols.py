"""Generated protocols of any size, for the benchmarks (valid, with every node kind)."""

from __future__ import annotations

from pathlib import Path


def big_protocol(nodes: int) -> str:
    """A protocol of about ``nodes`` nodes: a long walk of questions, checklists, actions
    and info nodes with a triage route and three outcomes at the end."""
    body = ["format: 1", f"id: big-{nodes}", f"title: Generated protocol of {nodes} nodes",
            "version: 1.0.0", "summary: A generated protocol for benchmarks.",
            "sources: [{title: Generated, url: 'https://example.org/'}]",
            "start: n0", "nodes:"]  # fmt: skip
    count = max(nodes - 4, 1)
    for i in range(count):
        nxt = f"n{i + 1}" if i + 1 < count else "triage"
        kind = ("question", "checklist", "action", "info")[i % 4]
        body.append(f"  n{i}:")
        body.append(f"    kind: {kind}")
        body.append(f"    title: Step {i}")
        if kind == "question":
            body += [
                f"    prompt: Ask question {i} directly.",
                f'    ask: ["Question {i}: are you thinking about suicide?"]',
                '    avoid: [{say: "You\'re not, are you?", why: A leading question invites a no.}]',
                "    watch_for: [Hesitation]",
                "    answers:",
                f"      - {{label: 'Yes', next: {nxt}, tier: low, flags: [f{i % 7}]}}",
                f"      - {{label: 'No', next: {nxt}}}",
            ]
        elif kind == "checklist":
            body += [
                f"    prompt: Tick what applies at step {i}.",
                "    items: [{label: Withdrawn, tier: moderate}, {label: Agitated}]",
                f"    next: {nxt}",
            ]
        elif kind == "action":
            body += [f"    do: Carry out step {i}.", f"    next: {nxt}"]
        else:
            body += [f"    text: Teaching point {i}.", f"    next: {nxt}"]
    body += [
        "  triage:",
        "    kind: route",
        "    routes:",
        "      - {when: {tier_at_least: moderate}, next: urgent}",
        "      - {when: {flags_any: [f0]}, next: follow}",
        "    default: routine",
        "  urgent: {kind: outcome, tier: moderate, steps: [Act], referrals: [emergency, crisis-line]}",
        "  follow: {kind: outcome, tier: moderate, steps: [Follow up], referrals: [crisis-line]}",
        "  routine: {kind: outcome, tier: low, steps: [Thank them], referrals: [crisis-line]}",
    ]
    return "\n".join(body) + "\n"


def write_big(folder: Path, nodes: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"big-{nodes}.yaml"
    text = big_protocol(nodes)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def write_corpus(work: Path, count: int) -> Path:
    """``count`` small, valid, distinct protocol files (from the every-kind fixture)."""
    folder = work / f"corpus-{count}"
    if folder.exists() and len(list(folder.glob("*.yaml"))) == count:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    template = (
        Path(__file__).resolve().parents[1] / "tests/data/valid/every-kind.yaml"
    ).read_text()
    for i in range(count):
        text = template.replace("id: every-kind", f"id: bench-{i:05d}")
        text = text.replace("follow_up: [every-kind]", f"follow_up: [bench-{i:05d}]")
        (folder / f"bench-{i:05d}.yaml").write_text(text, encoding="utf-8")
    return folder
